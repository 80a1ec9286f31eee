"""jieba's word counts without loading jieba: a memory-mapped table.

Most rules that consult the dictionary only ask "is this a word, how frequent
is it" for a handful of strings; loading jieba for that (its 500,000-entry
prefix dictionary, 0.15-0.45 s) was most of linting a small file. This table
answers the same question from a file mapped into memory: nothing is parsed
at start-up, a lookup reads one small bucket.

The file, ``words-<sha256 of jieba's dict.txt>.bin`` in the user's cache folder
(text/cachedir.py), is written from jieba's own loaded dictionary the first
time a count is needed, so every answer equals ``jieba.dt.FREQ.get(word) or 0``.
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
    for word, count in freq.items():
        if not isinstance(count, int) or count < 0:
            return None  # cannot be written in this layout: no table, jieba answers
    return _encode(((w, b"%d" % c) for w, c in freq.items()), total, digest, MAGIC)


def _encode(entries, total: int, digest: bytes, magic: bytes) -> Optional[bytes]:
    buckets: list = [[] for _ in range(BUCKETS)]
    for word, value in entries:
        if not word or "\t" in word or "\n" in word or b"\n" in value:
            return None
        raw = word.encode("utf-8", "surrogatepass")
        buckets[zlib.crc32(raw) % BUCKETS].append(b"%s\t%s\n" % (raw, value))
    if not isinstance(total, int) or not 0 < total < 1 << 63:
        return None
    parts, offsets, pos = [], [0], 0
    for entries in buckets:
        chunk = b"\n" + b"".join(entries)
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


def table() -> Optional[Table]:
    """The mapped table, or None (no cache, not written yet, not trusted)."""
    global _TABLE
    if _TABLE is None:
        path = cache_file()
        digest = dict_digest()
        _TABLE = (_open(path, digest) if path and digest else None) or False
    return _TABLE or None


def write(freq: Dict[str, int], total: int) -> None:
    """Write the table from jieba's loaded dictionary, for the next runs."""
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


def tag_table() -> Optional[TagTable]:
    """The mapped tag table, written from dict.txt on first use; None without a
    cache folder, or when dict.txt cannot be read as jieba.posseg reads it."""
    global _TAGS
    if _TAGS is None:
        _TAGS = _tag_table() or False
    return _TAGS or None


def _tag_table():
    path, digest = tags_file(), dict_digest()
    if not path or digest is None:
        return None
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
    payload = _encode(((w, t.encode("utf-8")) for w, t in tags.items()), 1, digest, TAGS_MAGIC)
    if payload is None:
        return None
    cachedir.write_atomic(path, payload)
    return _open(path, digest, TAGS_MAGIC, TagTable)
