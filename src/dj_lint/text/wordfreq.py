"""jieba's word counts without loading jieba: a memory-mapped table.

Most rules that consult the dictionary only ask "is this a word, how frequent
is it" for a handful of strings; loading jieba for that (its 500,000-entry
prefix dictionary, 0.15-0.45 s) was most of linting a small file. This table
answers the same question from a file mapped into memory: nothing is parsed
at start-up, a lookup reads one small bucket.

The file, ``words-<sha256 of jieba's dict.txt>.bin`` in the user's cache folder
(text/cachedir.py), is written the first time a count is needed, from dict.txt
read the way jieba reads it (``read_dict``; jieba is not even imported), so
every answer equals ``jieba.dt.FREQ.get(word) or 0``.
Layout: a magic line, the dictionary's SHA-256, the bucket count and the blob
length (little-endian uint32) and jieba's total count (uint64), the bucket
offsets (uint32 each), then the blob: per bucket ``\\n`` followed by
``word\\tcount\\n`` entries, every entry of jieba's FREQ (the prefixes of
words with count 0, as jieba keeps them); a word lives in bucket
``crc32(utf-8) % buckets``. ``FreqView`` lets jieba's own cutting code read the
table, so segmentation too runs without loading the dictionary. The file holds
data, not code; it is still read only when private (owned by this user,
writable by nobody else) and when its header, digest and sizes are consistent;
anything else means "no table" and jieba answers instead.
"""
from __future__ import annotations

import mmap
from collections import deque
import os
import struct
import zlib
from typing import Dict, Optional

from . import build_cache, cachedir

MAGIC = b"dj-lint words 2\n"
BUCKETS = 1 << 16
_HEAD = struct.Struct("<IIQ")
_OFF = struct.Struct("<I")

_TABLE = None  # False: looked, none usable
_WRITER: Optional[int] = None  # a child process writing the table (write_in_background)
_MISSING = object()
MEMO_MAX = 200_000


def dict_digest() -> Optional[bytes]:
    """SHA-256 of jieba's dict.txt, computed once per build (the build key
    covers the file's size and modification time)."""
    def build():
        import hashlib
        path = build_cache.jieba_dict_path()
        if not path:
            return None
        try:
            with open(path, "rb") as fh:
                return hashlib.sha256(fh.read()).digest()
        except OSError:
            return None
    return build_cache.product("jieba-dict-sha256", build)


def cache_file() -> Optional[str]:
    if not cachedir.enabled():
        return None
    folder = cachedir.cache_dir()
    digest = dict_digest()
    if not folder or digest is None:
        return None
    return os.path.join(folder, f"words-{digest.hex()[:32]}.bin")


class Table:
    """Lookups in the mapped file: ``get`` is ``jieba.dt.FREQ.get`` (None for a
    string that is neither a word nor the prefix of one)."""

    def __init__(self, buf, base: int, buckets: int, total: int):
        self.buf, self.base, self.buckets, self.total = buf, base, buckets, total
        self.blob = base + 4 * (buckets + 1)
        self._memo: dict = {}  # cutting asks for the same fragments again and again

    def get(self, word: str, default=None):
        found = self._memo.get(word, _MISSING)
        if found is _MISSING:
            found = self._lookup(word)
            if len(self._memo) >= MEMO_MAX:
                self._memo.clear()
            self._memo[word] = found
        return default if found is None else found

    def _lookup(self, word: str):
        default = None
        if not word or "\t" in word or "\n" in word:
            return default
        raw = word.encode("utf-8", "surrogatepass")
        lo, hi = struct.unpack_from("<II", self.buf, self.base + 4 * (zlib.crc32(raw) % self.buckets))
        seg = self.buf[self.blob + lo:self.blob + hi]
        i = seg.find(b"\n" + raw + b"\t")
        if i < 0:
            return default
        j = i + len(raw) + 2
        try:
            return self._value(seg[j:seg.find(b"\n", j)])
        except ValueError:
            return default

    @staticmethod
    def _value(raw: bytes):
        return int(raw)

    def frequency(self, word: str) -> int:
        return self.get(word) or 0

    def words(self, pattern: bytes):
        """(word, count) of every entry whose UTF-8 bytes ``pattern`` matches whole
        (one C-level pass over the mapped blob, not 500,000 Python steps)."""
        import re
        entry = re.compile(rb"\n(" + pattern + rb")\t(\d+)(?=\n)")
        blob = self.buf[self.blob:]
        for m in entry.finditer(blob):
            yield m.group(1).decode("utf-8"), int(m.group(2))

    def text_words(self, pattern: str):
        """``words`` for a ``str`` pattern (character classes of any characters), over
        the blob decoded once (10 ms)."""
        import re
        entry = re.compile(r"\n(" + pattern + r")\t(\d+)(?=\n)")
        blob = self.buf[self.blob:].decode("utf-8", "surrogatepass")
        for m in entry.finditer(blob):
            yield m.group(1), int(m.group(2))


class FreqView:
    """The table as jieba's ``Tokenizer.FREQ`` (the part jieba's cutting reads),
    so jieba cuts text without loading its dictionary, with the same result."""

    def __init__(self, table: Table):
        self.table = table

    def __contains__(self, word) -> bool:
        return self.table.get(word) is not None

    def __getitem__(self, word) -> int:
        found = self.table.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def get(self, word, default=None):
        return self.table.get(word, default)


def encode(freq: Dict[str, int], total: int, digest: bytes) -> Optional[bytes]:
    """Every entry of jieba's FREQ (words and, with count 0, their prefixes)."""
    return _encode_counts(list(freq), list(freq.values()), total, digest)


def _encode_counts(words: list, counts: list, total: int, digest: bytes) -> Optional[bytes]:
    from itertools import repeat
    if not all(map(isinstance, counts, repeat(int))) or (counts and min(counts) < 0):
        return None  # cannot be written in this layout: no table, jieba answers
    values = list(map(b"%d".__mod__, counts))  # digits only: no line break to look for
    return _encode(words, values, total, digest, MAGIC, plain_values=True)


def _encode(words: list, values: list, total: int, digest: bytes, magic: bytes,
            plain_values: bool = False) -> Optional[bytes]:
    """The file for ``words[i] -> values[i]``, every per-entry step in C (one UTF-8
    encoding of all words, crc32 and the bucket appends by ``map``): 0.3 s for
    jieba's 500,000 entries where a Python loop took 0.6 s."""
    joined = "\n".join(words)
    if "" in words or "\t" in joined:
        return None
    if not plain_values and b"\n".join(values).count(b"\n") != max(len(values) - 1, 0):
        return None
    raws = joined.encode("utf-8", "surrogatepass").split(b"\n") if words else []
    del joined
    if len(raws) != len(words):  # a word holding a line break
        return None
    buckets: list = [[b"\n"] for _ in range(BUCKETS)]
    ids = [crc % BUCKETS for crc in map(zlib.crc32, raws)]
    deque(map(list.append, map(buckets.__getitem__, ids), map(b"%s\t%s\n".__mod__, zip(raws, values))),
          maxlen=0)  # buckets[ids[i]].append(line i), in C
    del ids
    if not isinstance(total, int) or not 0 < total < 1 << 63:
        return None
    parts, offsets, pos = [], [0], 0
    for entries in buckets:
        chunk = b"".join(entries)
        parts.append(chunk)
        pos += len(chunk)
        offsets.append(pos)
    blob = b"".join(parts)
    return (magic + digest + _HEAD.pack(BUCKETS, len(blob), total)
            + struct.pack("<%dI" % len(offsets), *offsets) + blob)


def _open(path: str, digest: bytes, magic: bytes = MAGIC, cls=None) -> Optional[Table]:
    if not cachedir.trusted(path):
        return None
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
    except (OSError, ValueError):
        return None
    head = len(magic) + 32 + _HEAD.size
    if len(buf) < head or buf[:len(magic)] != magic or buf[len(magic):len(magic) + 32] != digest:
        return None
    buckets, blob_len, total = _HEAD.unpack_from(buf, len(magic) + 32)
    if not buckets or not total or len(buf) != head + 4 * (buckets + 1) + blob_len:
        return None
    if _OFF.unpack_from(buf, head)[0] != 0 or _OFF.unpack_from(buf, head + 4 * buckets)[0] != blob_len:
        return None
    cachedir.touch(path)
    return (cls or Table)(buf, head, buckets, total)


def table(build: bool = True) -> Optional[Table]:
    """The mapped table, or None (no cache, not trusted and not writable). A missing
    or unusable table is written first, from jieba's dict.txt (``read_dict``);
    ``build=False`` only looks (a run loading jieba writes it from jieba's FREQ)."""
    global _TABLE
    if _TABLE is None:
        _wait_for_writer()
        path = cache_file()
        digest = dict_digest()
        found = _open(path, digest) if path and digest else None
        if found is None and not build:
            return None
        if found is None and path and digest:
            found = _build(path, digest)
        _TABLE = found or False
    return _TABLE or None


def frequencies():
    """What answers a word count (``.frequency(word)``): the table, or the counts
    of ``counts_while_writing`` while a child writes it; None: jieba answers.
    One call a lookup once the table is there, as ``table()`` alone was."""
    if _TABLE is not None:
        return _TABLE or None
    if _WRITER is not None:
        counts = counts_while_writing()
        if counts is not None:
            return counts
    return table()


class _Counts(dict):
    """word -> jieba's count, read from dict.txt (``counts_while_writing``)."""

    def frequency(self, word: str) -> int:
        return self.get(word, 0)


def write_in_background() -> None:
    """Start writing a missing table in a forked child while this process goes
    on (a first run, building every cache). Reading dict.txt and writing the
    table is about a third of that run's CPU (0.5-1.3 s of 2.6-3.8 s measured
    on two cores); the rule packs compile on the other core meanwhile, and the
    few counts asked before the table is there come from ``counts_while_writing``.
    ``table()`` waits for the child, and writes the table itself when the child
    wrote none. Nothing happens where ``fork`` is missing, or when the table is
    already there."""
    global _WRITER, _TABLE
    if _TABLE is not None or _WRITER is not None or not hasattr(os, "fork"):
        return
    path, digest = cache_file(), dict_digest()
    if not path or digest is None:
        return
    found = _open(path, digest)
    if found is not None:
        _TABLE = found
        return
    try:
        pid = os.fork()
    except OSError:
        return
    if pid == 0:  # the child: write the file and end, running nothing of the parent's
        try:
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):  # a caller reading our output must not wait for this child
                os.dup2(null, fd)
            _build(path, digest)
        finally:
            os._exit(0)
    _WRITER = pid


def _wait_for_writer() -> None:
    global _WRITER, _COUNTS
    pid, _WRITER, _COUNTS = _WRITER, None, None
    if pid is not None:
        try:
            os.waitpid(pid, 0)
        except OSError:  # not this process's child (a forked worker): the file tells
            pass


def read_dict(raw: bytes):
    """(FREQ, total) as jieba 0.42.1's ``Tokenizer.gen_pfdict`` builds them from its
    dict.txt, without importing jieba: ``word count [tag]`` per line; every proper
    prefix of a word an entry with count 0 unless it is a word itself; a later line
    for the same word wins; the total adds every line. The same entries and counts
    (tests/test_build_cache.py compares them with jieba's), in another order.
    None for a line jieba rejects (then jieba loads and says so itself)."""
    entries = _entries(raw)
    if entries is None:
        return None
    words, counts = entries
    # The prefixes, size by size over the words longer than that (slices in C).
    from bisect import bisect_right
    from operator import itemgetter
    longest_first = sorted(words, key=len, reverse=True)
    lengths = sorted(map(len, words))
    freq: Dict[str, int] = {}
    for size in range(1, lengths[-1] if lengths else 0):
        longer = len(lengths) - bisect_right(lengths, size)
        freq.update(dict.fromkeys(map(itemgetter(slice(0, size)), longest_first[:longer]), 0))
    freq.update(zip(words, counts))
    return freq, sum(counts)


def _entries(raw: bytes):
    """([word], [count]) of dict.txt's lines, in order, read as jieba reads them;
    None for a line jieba rejects."""
    lines = raw.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()  # iterating a file yields no empty line after the last break
    words, counts = [], []
    try:
        for line in lines:
            word, count = line.strip().decode("utf-8").split(" ")[:2]
            words.append(word)
            counts.append(count)
        return words, list(map(int, counts))
    except ValueError:  # UnicodeDecodeError too
        return None


_COUNTS = None  # a _Scan, then (after SCANNED_LOOKUPS) a _Counts, while the child writes

# How many lookups a first run answers by searching dict.txt's bytes before it
# reads every count into a dict (``_Scan``).
SCANNED_LOOKUPS = 64


class _Scan:
    """word -> jieba's count, found in dict.txt's bytes: the count on the last line
    that starts with the word and a space (a later line for the same word wins, as
    in jieba), 0 when no line does. A search takes about 1.5 ms of the 5 MB; a
    first run asks some 30 counts before the table is written, where reading all
    counts into a dict took 0.2-0.3 s (a fifth of that run's main process) and
    kept 45 MB. After SCANNED_LOOKUPS searches the dict is read after all."""

    __slots__ = ("raw", "left")

    def __init__(self, raw: bytes):
        self.raw, self.left = raw, SCANNED_LOOKUPS

    @staticmethod
    def fits(raw: bytes) -> bool:
        """dict.txt as jieba's own: no line starts with white space (each would be
        stripped first) and no carriage return ends one."""
        return not raw[:1].isspace() and b"\n " not in raw and b"\n\t" not in raw and b"\r" not in raw

    def frequency(self, word: str) -> int:
        self.left -= 1
        try:
            key = b"\n" + word.encode("utf-8") + b" "
        except UnicodeEncodeError:  # a lone surrogate: no word of the dictionary
            return 0
        if " " in word or "\n" in word:
            return 0  # no word of a line split at spaces holds either
        raw = self.raw
        at = raw.rfind(key)
        if at >= 0:
            start = at + len(key)
        elif raw.startswith(key[1:]):
            start = len(key) - 1
        else:
            return 0
        end = start
        while end < len(raw) and raw[end] not in b" \n":
            end += 1
        return int(raw[start:end])

    def counts(self) -> Optional[_Counts]:
        entries = _entries(self.raw)
        return None if entries is None else _Counts(zip(*entries))


def counts_while_writing():
    """jieba's count of each word (``.frequency(word)``, as the table's) while the
    child of ``write_in_background`` is still writing the table, from dict.txt
    here (``_Scan``, then all counts); None when no child is writing (then
    ``table()``). A first run's first lookups come early (the broken-name table
    asks 33 while the kinds are built) and would wait for the child: 0.9-1.1 s of
    a 2.3-2.9 s run."""
    global _COUNTS, _WRITER
    if _COUNTS is not None:
        if type(_COUNTS) is _Scan and _COUNTS.left <= 0:
            _COUNTS = _COUNTS.counts()  # asked many: the dict answers faster
        return _COUNTS
    if _WRITER is None:
        return None
    try:
        done, _ = os.waitpid(_WRITER, os.WNOHANG)
    except OSError:  # not this process's child (a forked worker)
        done = _WRITER
    if done:  # written (or given up): the table answers
        _WRITER = None
        return None
    raw = _dict_bytes()
    if raw is None:
        return None  # the table (or jieba) will answer
    if _Scan.fits(raw):
        _COUNTS = _Scan(raw)
    else:
        _COUNTS = _Scan(raw).counts()
    return _COUNTS


def _dict_bytes() -> Optional[bytes]:
    """jieba's dict.txt, or None when it cannot be read."""
    try:
        with open(build_cache.jieba_dict_path(), "rb") as fh:
            return fh.read()
    except (OSError, TypeError):
        return None


def _build(path: str, digest: bytes) -> Optional[Table]:
    """Write the table from jieba's dict.txt (the bytes whose digest names it) and
    map it; None when that cannot be done (then jieba loads its dictionary)."""
    import hashlib
    raw = _dict_bytes()
    if raw is None:
        return None
    if hashlib.sha256(raw).digest() != digest:
        return None  # changed since the digest was taken: jieba reads it
    read = read_dict(raw)
    if read is None:
        return None
    freq, total = read
    words, counts = list(freq), list(freq.values())
    del read, freq, raw  # peak memory: the dict is not needed for the encoding
    payload = _encode_counts(words, counts, total, digest)
    del words, counts
    if payload is None or not cachedir.write_atomic(path, payload):
        return None
    return _open(path, digest)


def write(freq: Dict[str, int], total: int) -> None:
    """Write the table from jieba's loaded dictionary, for the next runs (when
    ``table()`` could not write it from dict.txt)."""
    path = cache_file()
    digest = dict_digest()
    if not path or digest is None:
        return
    payload = encode(freq, total, digest)
    if payload is not None:
        cachedir.write_atomic(path, payload)


# jieba's part-of-speech tags (jieba.posseg's word_tag_tab) in the same layout,
# ``word\ttag\n``: posseg reads all of dict.txt into a dict on import (0.6 s and
# some 40 MB) and needs jieba's dictionary loaded; a few tag lookups need neither.
TAGS_MAGIC = b"dj-lint tags 1\n"
_TAGS = None


class TagTable(Table):
    """``get(word)``: jieba.posseg.dt.word_tag_tab.get(word)."""

    @staticmethod
    def _value(raw: bytes):
        return raw.decode("utf-8")


def read_tags(path: str) -> Dict[str, str]:
    """word -> tag, read from jieba's dict.txt the way jieba.posseg reads it
    (``word freq tag`` per line, a later line for the same word wins)."""
    tags: Dict[str, str] = {}
    with open(path, "rb") as fh:
        for line in fh:
            line = line.strip().decode("utf-8")
            if not line:
                continue
            word, _, tag = line.split(" ")
            tags[word] = tag
    return tags


def tags_file() -> Optional[str]:
    path = cache_file()
    if not path:
        return None
    folder, name = os.path.split(path)
    return os.path.join(folder, "tags-" + name[len("words-"):])


def tag_table():
    """jieba's tags by word (``.get(word)``): the mapped table, written from dict.txt
    on first use; without a cache folder (or when it cannot be written) the same
    mapping read from dict.txt into memory, which is what jieba.posseg builds too.
    None only when dict.txt cannot be read as jieba.posseg reads it."""
    global _TAGS
    if _TAGS is None:
        _TAGS = _tag_table() or False
    return _TAGS or None


def _tag_table():
    path, digest = tags_file(), dict_digest()
    if path and digest is not None:
        found = _open(path, digest, TAGS_MAGIC, TagTable)
        if found is not None:
            return found
    source = build_cache.jieba_dict_path()
    try:
        tags = read_tags(source) if source else None
    except (OSError, ValueError):
        return None
    if not tags:
        return None
    if path and digest is not None:
        payload = _encode(list(tags), [t.encode("utf-8") for t in tags.values()], 1, digest, TAGS_MAGIC)
        if payload is not None and cachedir.write_atomic(path, payload):
            found = _open(path, digest, TAGS_MAGIC, TagTable)
            if found is not None:
                return found
    return tags
