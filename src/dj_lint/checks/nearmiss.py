"""kind: near_miss — a fixed phrase written one character wrong.

A fixed phrase (an idiom, a set phrase of official writing, a Party term, a
historical name) is known from data files with their provenance. A run of text
that is *one edit* away from such a phrase, and is not itself a word, is a typo
candidate. The edit is the rule's ``edit``:

- ``substitute``: one character replaced (天平天国 for 太平天国). The two
  characters must also be alike by one of the rule's ``confirm`` tests:
  ``same_sound`` (a shared toneless pinyin reading, pypinyin), ``near_sound``
  (same initial, finals one letter apart: dong/dang, ce/ca), ``shape`` (a pair
  of the shape-confusion table) or ``any`` (for long, distinctive names);
- ``delete``: one character dropped (入申请书 for 入党申请书);
- ``transpose``: two neighbouring characters swapped (末岁年初 for 岁末年初);
- ``truncate``: the last character missing before punctuation (啧啧称、).

Precision guards, all from the dictionary rather than from examples: the
candidate must not be a jieba word or a listed phrase itself; it must start and
end on jieba word boundaries (so 年底前完成 is never read as 提前完成, and
进一步提升 never as 进一步提高 minus a character); characters outside GB2312
(a traditional-character document) are never compared; numerals are never
the edited character (党的十八大 is not a slip of 党的十九大).

Lists (``lists``): ``{file: name.txt}`` in rules/data (one phrase per line, or
``phrase<TAB>count<TAB>pos`` with ``pos``/``min_count`` filters), or
``{lexicon: party}`` for the shared Party vocabulary (dj_lint.lexicon).
"""
from __future__ import annotations

import hashlib
import operator
import os
import re
from array import array
from collections.abc import Mapping
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import Optional

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text import build_cache, multiscan, pattern_cache, segment
from ..text.data import shipped_data
from .base import Kind, Veto

EDITS = ("substitute", "delete", "transpose", "truncate")
CONFIRMS = ("same_sound", "near_sound", "shape", "any")
_HAN_RUN = pattern_cache.compile_re(r"[\u4e00-\u9fff]+")
_KEY_WITHOUT_HAN = pattern_cache.compile_re(r"^[^\u4e00-\u9fff\n]+$", re.MULTILINE)  # in the keys, one a line
_NUMERALS = set("〇○零一二三四五六七八九十百千万亿两")
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
             "j", "q", "x", "r", "z", "c", "s", "y", "w")
_PUNCT_AFTER = pattern_cache.compile_re(r"[、，,。；;：:！!？?”」）)]")


def _shipped_name(name: str) -> bool:
    return "/" not in name and "\\" not in name and name not in ("..", ".")


def _data_path(name: str) -> str:
    return shipped_data(name)


@lru_cache(maxsize=None)
def _read_list(name: str, pos: tuple, min_count: int) -> tuple:
    words = []
    try:
        fh = open(_data_path(name), encoding="utf-8")
    except OSError:
        raise RuleError(f"field 'lists': data file '{name}' not found in rules/data") from None
    with fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) == 3:
                if pos and parts[2] not in pos:
                    continue
                if int(parts[1]) < min_count:
                    continue
            words.append(parts[0])
    return tuple(words)


def _lexicon_words() -> tuple:
    try:
        from ..text import lexicon
    except ImportError:  # pragma: no cover - until the lexicon moves down to text/
        from .. import lexicon  # type: ignore[no-redef]
    return tuple(lexicon.party_terms()) + tuple(lexicon.fixed_names())


@lru_cache(maxsize=None)
def _shape_table() -> dict:
    """character -> the characters of every group of the shape-confusion table it is in,
    as one string (``b in table[a]``). Kept in the build cache (its key covers
    rules/data): reading the 835 groups cost 6 ms of a one-file run."""
    return build_cache.product("near-miss-shapes", _read_shapes)


def _read_shapes() -> dict:
    table: dict = {}
    with open(_data_path("shape_confusion.txt"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            group = line.split()
            for ch in group:
                table.setdefault(ch, set()).update(group)
    return {ch: "".join(sorted(chars)) for ch, chars in table.items()}


_READINGS: dict = {}


@lru_cache(maxsize=None)
def _pinyin_table() -> "_PackedReadings":
    """pypinyin's per-character readings (pinyin_dict.json), read directly: importing
    pypinyin itself also loads its 0.5 s phrase dictionary, which is not needed here."""
    import importlib.util
    import os
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover
        raise RuleError("the near_miss kind needs the pypinyin package (pip install pypinyin)")
    path = os.path.join(list(spec.submodule_search_locations)[0], "pinyin_dict.json")

    def read():
        import json  # only when the table is parsed: a warm run unpickles it (6 M instructions)
        with open(path, encoding="utf-8") as fh:
            return _PackedReadings.pack(_readings_kept(json.load(fh)))
    # Parsed once into the build cache; the product's name carries the file's identity.
    st = os.stat(path)
    ident = hashlib.sha256(f"{path} {st.st_size} {st.st_mtime_ns}".encode("utf-8")).hexdigest()[:32]
    return build_cache.product("pypinyin-readings-" + ident, read, separate=True)


def _readings_kept(table: dict) -> dict:
    """The entries of pypinyin's table that alike() may need: those of U+4E00-U+9FFF
    (20,924 of 41,923). A phrase's characters are all there (``_build``), and a
    window holding a character outside it is never a hit (none of GB2312's
    characters with a reading is outside it, and _confirm rejects a window outside
    GB2312 whatever alike() says): the product 564 KB -> about 290 KB."""
    return {key: value for key, value in table.items() if 0x4E00 <= int(key) <= 0x9FFF}


class _PackedReadings:
    """pypinyin's ``{str(code point): "reading,reading"}`` table (42,000 entries) as
    three flat values: the sorted code points, where each one's readings end, and
    all readings in one string. Unpickling it copies three buffers instead of
    creating 84,000 strings (0.02-0.05 s of a start that asks for a few characters)."""

    def __init__(self, codes: bytes, ends: bytes, text: str):
        from array import array
        self.codes, self.ends, self.text = array("I"), array("I"), text
        self.codes.frombytes(codes)
        self.ends.frombytes(ends)

    @classmethod
    def pack(cls, table: dict) -> "_PackedReadings":
        from array import array
        codes, ends, parts, pos = array("I"), array("I"), [], 0
        for cp, readings in sorted((int(k), v) for k, v in table.items()):
            codes.append(cp)
            parts.append(readings)
            pos += len(readings)
            ends.append(pos)
        return cls(codes.tobytes(), ends.tobytes(), "".join(parts))

    def __reduce__(self):
        return (_PackedReadings, (self.codes.tobytes(), self.ends.tobytes(), self.text))

    def get(self, key: str, default=None):
        """``table.get(key, default)`` of the unpacked table (key: a code point in decimal)."""
        from bisect import bisect_left
        try:
            cp = int(key)
        except ValueError:
            return default
        i = bisect_left(self.codes, cp)
        if i == len(self.codes) or self.codes[i] != cp:
            return default
        return self.text[self.ends[i - 1] if i else 0:self.ends[i]]


def _readings(ch: str) -> frozenset:
    """Toneless pinyin readings of a character, every heteronym (中: zhong)."""
    r = _READINGS.get(ch)
    if r is None:
        import unicodedata
        raw = _pinyin_table().get(str(ord(ch)), "")
        r = frozenset("".join(c for c in unicodedata.normalize("NFD", p) if not unicodedata.combining(c))
                      for p in raw.split(",") if p)
        _READINGS[ch] = r
    return r


def _primary(ch: str) -> str:
    import unicodedata
    raw = _pinyin_table().get(str(ord(ch)), "").split(",")[0]
    return "".join(c for c in unicodedata.normalize("NFD", raw) if not unicodedata.combining(c))


def _split(syllable: str):
    for ini in _INITIALS:
        if syllable.startswith(ini):
            return ini, syllable[len(ini):]
    return "", syllable


def _one_apart(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


_ALIKE: dict = {}


def alike(a: str, b: str, tests) -> str:
    """The first confirm test that ``a`` and ``b`` pass ('' when none)."""
    key = (a, b, tuple(tests))
    found = _ALIKE.get(key)
    if found is None:
        found = _ALIKE[key] = _alike(a, b, key[2])
    return found


def _alike(a: str, b: str, tests) -> str:
    for test in tests:
        if test == "any":
            return "any"
        if test == "shape" and b in _shape_table().get(a, ""):
            return "形近"
        if test in ("same_sound", "near_sound"):
            ra, rb = _readings(a), _readings(b)
            if ra & rb:
                return "音同"
            if test == "near_sound" and ra and rb:
                # Only the usual reading of each (内 nei, not its rare rui).
                ix, fx = _split(_primary(a))
                iy, fy = _split(_primary(b))
                if ix == iy and ix and _one_apart(fx, fy):
                    return "音近"
    return ""


def _gb2312(s: str) -> bool:
    try:
        s.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _prepare(index: dict) -> dict:
    """For each substitute key, its candidates in index order, each as the two halves
    of the rest of the target (positions [lo, mid) and [mid, hi) outside the key) and
    where they start relative to the key. Prepared when a text first holds the key
    (a document holds a few hundred of the index's thousands of keys; preparing them
    all cost 0.02 s at every start)."""
    return _Prepared(index)


class _Prepared(dict):
    """key -> prepared rows, each computed on first lookup (see ``_prepare``). A row is
    (a, left, b, right, target, k, n): with the key at p, the target's window starts at
    p - k, its left half at p + a and its right half at p + b."""

    def __init__(self, index: dict):
        super().__init__()
        self.index = index

    def __missing__(self, key):
        rows = []
        for target, k in self.index[key]:
            n = len(target)
            lo, hi = (2, n) if k == 0 else (0, k)
            mid = (lo + hi) // 2
            rows.append((lo - k, target[lo:mid], mid - k, target[mid:hi], target, k, n))
        rows = self[key] = tuple(rows)
        return rows


class _RowsAt(dict):
    """literal index of the kind's automaton -> the prepared rows of that key for one
    substitute rule (``()`` for another rule's key), looked up on first use. A key
    with ``FEW`` rows or more also gets one regex (``tests[i]``: its match method and
    how far before the key it starts) that tells whether any of its rows can pass
    the half test: one call in C instead of a Python loop over all its rows."""

    FEW = 3

    def __init__(self, prepared: _Prepared, literals: list, own: frozenset):
        super().__init__()
        self.prepared, self.literals, self.own = prepared, literals, own
        self.tests: dict = {}

    def __missing__(self, i):
        rows = self[i] = self.prepared[self.literals[i]] if i in self.own else ()
        if len(rows) >= self.FEW:
            self.tests[i] = _half_test(rows)
        return rows


def _half_test(rows) -> tuple:
    """(match, back): ``match(text, p - back)`` succeeds exactly when one of ``rows``
    has its left half at p + a or its right half at p + b (p - back >= 0)."""
    back = max(-a for a, *_ in rows)
    pieces: dict = {}  # offset from p - back -> the halves that may stand there
    for a, left, b, right, *_ in rows:
        pieces.setdefault(a + back, set()).add(left)
        pieces.setdefault(b + back, set()).add(right)
    branches = []
    for off in sorted(pieces):
        found = pieces[off]
        # An empty half always stands (the text is long enough: the key is there).
        alt = "" if "" in found else "(?:%s)" % "|".join(map(re.escape, sorted(found, key=lambda h: (-len(h), h))))
        branches.append(".{%d}%s" % (off, alt))
    return re.compile("(?s:%s)" % "|".join(branches)).match, back


# Separators of the packed index (never in a key or a phrase: both are Han characters only).
_KEY_SEP, _ROW_SEP, _CAND_SEP = "\x1c", "\x1e", "\x1d"
_HEAD_SEP = "\x1f"  # between the heads, and between their strings, in the build cache


# A rule's key of each candidate (target, k), by the rule's edit (``NearMissKind._build``).
_KEY_OF = {
    "substitute": lambda target, k: target[k:k + 2],
    "delete": lambda target, k: target[:k] + target[k + 1:],
    "transpose": lambda target, k: target[:k] + target[k + 1] + target[k] + target[k + 2:],
    "truncate": lambda target, k: target[:k],
}


def _pack_index(index: dict, edit: Optional[str] = None) -> dict:
    """``{key: ((target, k), ...)}`` as ``{first two characters: one string}``, each string
    holding that head's keys (longest first) and their candidates. Unpickled at every
    start, this is two strings per head instead of a key, tuples and ints per entry
    (the transpose index: 0.003 s instead of 0.010 s). With the rule's ``edit``, each
    key is left out, as its candidates make it (``_KEY_OF``; every key of an index
    ``_build`` made): the shipped transpose index 715 KB -> 390 KB."""
    by_head: dict = {}
    for key in sorted(index, key=lambda k: (-len(k), k)):
        cands = _CAND_SEP.join(target + _ROW_SEP + str(k) for target, k in index[key])
        by_head.setdefault(key[:2], []).append(cands if edit else key + _ROW_SEP + cands)
    return {head: (_CAND_SEP if edit else _KEY_SEP).join(rows) for head, rows in by_head.items()}


def _pack_vocab(vocab: dict) -> tuple:
    """A rule's vocabulary ``{phrase: its confirm tests}`` as ``((tests, phrases one a
    line), ...)``, one entry for each tests (one or two): the build cache's file,
    read and checked at every start, 305 KB -> about 180 KB for the shipped rules,
    and two strings a rule to unpickle instead of 18,000."""
    groups: dict = {}
    for phrase, tests in vocab.items():
        groups.setdefault(tests, []).append(phrase)
    return tuple((tests, "\n".join(phrases)) for tests, phrases in groups.items())


def _unpack_vocab(packed: tuple) -> dict:
    """``_pack_vocab`` undone (its order aside: the vocabulary is only looked up)."""
    vocab: dict = {}
    for tests, phrases in packed:
        vocab.update(dict.fromkeys(phrases.split("\n"), tests))
    return vocab


def _join_heads(packed: dict) -> tuple:
    """``_pack_index``'s dict as two strings, its heads and their strings, for the
    build cache: unpickled at every start, two long strings cost one decoding each
    where 15,631 pairs (the transpose index) cost a pickle step and a decoding per
    string (the transpose product: 15.3 -> 8.8 ms to unpickle, gc off). Third,
    where each head's string ends in the second (``_JoinedHeads``), as the bytes
    of an array("I")."""
    ends = array("I", accumulate(len(rows) + 1 for rows in packed.values()))
    return _HEAD_SEP.join(packed), _HEAD_SEP.join(packed.values()), ends.tobytes()


def _split_heads(joined: tuple) -> dict:
    """``_join_heads`` undone: the dict ``_pack_index`` made, in its order."""
    heads, rows = joined[:2]
    return dict(zip(heads.split(_HEAD_SEP), rows.split(_HEAD_SEP))) if heads else {}


class _JoinedHeads(Mapping):
    """``_split_heads``'s dict, its first ``SPLIT_AFTER`` look-ups answered from
    ``_join_heads``'s strings as they are: a head (two characters, each after the
    last one's separator) found by ``str.find`` in the heads, its string cut from
    the others where the ends say. Splitting the three other rules' strings into
    the dict (42,800 strings, 21,400 entries) cost 25 M instructions at every
    start, for the dozen heads a corpus of 100 files asks for; a run that asks
    for more makes the dict."""

    SPLIT_AFTER = 64

    def __init__(self, joined: tuple):
        self._joined = joined
        heads = joined[0]
        self._dict = None if len(heads) % 3 == 2 and heads.count(_HEAD_SEP) == len(heads) // 3 else \
            _split_heads(joined)  # (the heads not all two characters: the dict at once)
        self._ends = None
        self._asked = 0

    def as_dict(self) -> dict:
        if self._dict is None:
            self._dict = _split_heads(self._joined)
        return self._dict

    def get(self, head, default=None):
        found = self._dict
        if found is not None or self._asked >= self.SPLIT_AFTER:
            return self.as_dict().get(head, default)
        self._asked += 1
        if not isinstance(head, str) or len(head) != 2 or _HEAD_SEP in head:
            return default
        heads, rows = self._joined[:2]
        at = heads.find(head)
        while at > 0 and at % 3:  # (never: a head found stands at a head's place)
            at = heads.find(head, at + 1)
        if at < 0:
            return default
        ends = self._ends
        if ends is None:
            ends = self._ends = array("I", self._joined[2])
        k = at // 3
        return rows[ends[k - 1] if k else 0:ends[k] - 1]

    def __contains__(self, head) -> bool:
        return self.get(head) is not None

    def __getitem__(self, head):
        found = self.get(head)
        if found is None:
            raise KeyError(head)
        return found

    def __iter__(self):
        return iter(self.as_dict())

    def __len__(self) -> int:
        return len(self.as_dict())


class _PackedIndex:
    """The near-miss index read from ``_pack_index``'s strings, a head decoded when a
    text first holds it. ``index[key]``, ``key in index``, iteration and ``heads``
    answer what the plain dicts answered (tests/test_nearmiss_keys.py)."""

    def __init__(self, packed: Optional[dict], apart: "Optional[_Apart]" = None, edit: Optional[str] = None):
        self._packed, self._apart, self.edit = packed, apart, edit
        self._rows: dict = {}  # head -> {key: candidates}, decoded
        self.heads = _PackedHeads(self)

    @property
    def packed(self) -> dict:
        """``_pack_index``'s dict (``apart``'s, read on first use, if not given)."""
        if self._packed is None:
            self._packed = _JoinedHeads(self._apart()["packed"])
        return self._packed

    def rows(self, head: str) -> dict:
        rows = self._rows.get(head)
        if rows is None:
            raw = self.packed.get(head)
            rows = {}
            if raw is not None and self.edit:
                key_of = _KEY_OF[self.edit]
                for c in raw.split(_CAND_SEP):
                    target, _, k = c.partition(_ROW_SEP)
                    k = int(k)
                    rows.setdefault(key_of(target, k), []).append((target, k))
                rows = {key: tuple(cands) for key, cands in rows.items()}
            elif raw is not None:
                for entry in raw.split(_KEY_SEP):
                    key, _, cands = entry.partition(_ROW_SEP)
                    rows[key] = tuple((t, int(k)) for t, _, k in
                                      (c.partition(_ROW_SEP) for c in cands.split(_CAND_SEP)))
            self._rows[head] = rows
        return rows

    def __getitem__(self, key: str):
        return self.rows(key[:2])[key]

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and key[:2] in self.packed and key in self.rows(key[:2])

    def get(self, key: str, default=None):
        return self.rows(key[:2]).get(key, default) if key[:2] in self.packed else default

    def __iter__(self):
        for head in self.packed:
            yield from self.rows(head)

    def __len__(self) -> int:
        return sum(len(self.rows(head)) for head in self.packed)

    def items(self):
        for head in self.packed:
            yield from self.rows(head).items()

    def keys_in(self, text: str) -> list:
        """(position, key) of the longest key starting at each position: what
        ``NearMissKind._keys`` yields, by a dict lookup of the head per position."""
        packed, rows_of, out = self.packed, self.rows, []
        if isinstance(packed, _JoinedHeads):
            packed = packed.as_dict()  # a look-up a position: the dict's own
        for p in range(len(text) - 1):
            head = text[p:p + 2]
            if head not in packed:
                continue
            rows = rows_of(head)
            for n in self.heads.get(head):
                key = text[p:p + n]
                if key in rows:
                    out.append((p, key))
                    break
        return out


class _PackedHeads:
    """``heads``: first two characters -> the lengths of its keys, longest first."""

    def __init__(self, index: _PackedIndex):
        self.index = index
        self._lengths: dict = {}

    def get(self, head: str, default=None):
        found = self._lengths.get(head)
        if found is None:
            if head not in self.index.packed:
                return default
            found = self._lengths[head] = tuple(sorted({len(k) for k in self.index.rows(head)}, reverse=True))
        return found

    def __getitem__(self, head: str):
        found = self.get(head)
        if found is None:
            raise KeyError(head)
        return found

    def __contains__(self, head) -> bool:
        return head in self.index.packed

    def __iter__(self):
        return iter(self.index.packed)

    def __len__(self) -> int:
        return len(self.index.packed)


# jieba's count of a character standing alone above which it is a function word (为, 的, 我).
_ORPHAN_FREQ = 30000
_COMPILED: dict = {}  # the indexes, built once per process for each rule
# The kind's automaton (``_Scan``) is built once the texts its rules' plain loops
# (``_keys``) went through add up to this many times their keys' characters: building
# it costs about as much as looping over that much text (0.04 s for the 20,000
# transpose keys, against 1 ms to loop over an 8 KB report), so one short document
# never pays for it. The arrays that replace it there (``VECTORS_AFTER``) cost as
# much as the loops over about as much text too: 27,000 characters of realworld
# pages, 0.068 s in the loops against 0.077 s with the arrays (thread_time).
AUTOMATON_AFTER = 1.0
# What the plain loops went through is counted by their work, not by characters
# alone: most of it is the key hits (``_check_substitute``/``_check_other`` at each,
# after ``keys_in``'s step a character). A character counts LOOPED_CHAR of what it
# counted, a key hit (of any rule) LOOPED_HIT, so that a realworld page (0.22 key
# hits a character, all rules) counts what it did (5 rules: 5 a character); a text
# denser in keys counts more and builds the arrays sooner. Two-line Party notes (0.56
# hits a character) looped 22,000 instructions a character, realworld pages about
# 9,000 (callgrind): the arrays paid from ~11,000 of their characters, not 25,000
# (2,000 such files: 3,348 -> 3,086 M instructions).
LOOPED_CHAR = 0.23
LOOPED_HIT = 17.7
_LOOPED: dict = {}  # the rules' keys -> the plain loops' work in this process (see LOOPED_CHAR)
_SCANS: dict = {}   # the rules' keys -> their _Scan, built once per process
# The substitute rules' arrays (``_Vectors``) are used once the automaton has gone
# through this many characters: none, as the arrays cost less than the automaton
# from the start. Importing numpy and loading the arrays cost about 0.07 s of CPU,
# about what building and listing the automaton cost, and the arrays then check a
# text several times faster (thread_time of the kind over a whole pass, batches as
# the command cuts them, the automaton's path against the arrays': the first 100
# corpus files, 557,000 characters, 0.35 -> 0.11 s; the first 100 realworld pages,
# 69,000 characters, 0.19 -> 0.09 s; 40 realworld pages, 27,000 characters, 0.15
# -> 0.08 s). The plain loops stay below that (15 pages, 10,000 characters: 0.03 s
# against 0.08 s): the arrays come where the automaton came (``AUTOMATON_AFTER``).
VECTORS_AFTER = 0
# A text longer than this (a lone book-sized file) is checked with arrays built for
# it alone and dropped after it, unless the process keeps some already: kept, the
# arrays (the key-pair table alone is 6.7 MB) stayed resident while the later kinds
# hold their own lists of so long a text, and the 20 MB benchmark file (7.1M
# characters) peaked at 250 MB, the most the issue allows; dropped, 240 MB against
# 234 MB with the plain loops, which took 8.5-10.7 s of user CPU for the whole run
# against 4.4-5.7 s (near_miss's automaton over 35,000 keys, one pass per substitute
# rule, each match shifted to its piece's place in Python). Any text over PIECE is
# read in pieces (``_Vectors.PIECE``): 5 MB on one line, 3.8 -> 2.9 s.
VECTORS_UPTO = 4_000_000


def _numpy():
    """numpy, its OpenBLAS told to use one thread unless the user said otherwise
    (OPENBLAS_NUM_THREADS): these arrays use no BLAS call, and OpenBLAS starting a
    thread per CPU when numpy loads cost 0.06 s of CPU in every run that builds them
    (``python -c "import numpy"``: 0.11-0.13 s of CPU, 0.05-0.06 s with one thread)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import numpy
    return numpy


_APART_BUILT: dict = {}  # the name of a rule's ``_Apart`` product -> its value, built in this process


def _apart_of(built: dict) -> dict:
    """What of ``NearMissKind._build``'s product is kept apart (``_Apart``): the keys, and
    a substitute rule's packed index (``_Vectors`` holds its rows: only the plain
    loops and the automaton read it)."""
    return {"keys": built["keys"], "packed": built["packed"] if built["edit"] == "substitute" else None}


def _without_apart(name: str, built: dict) -> dict:
    """``built`` less what ``_Apart`` keeps, which is held for it (``name``: the
    ``_Apart``'s) until it asks."""
    apart = _APART_BUILT[name] = _apart_of(built)
    return {k: v for k, v in built.items() if apart.get(k) is None}


class _Apart:
    """The keys of a shipped rule as one string, and a substitute rule's packed
    index, in a build-cache product of their own, read on first use: 675 KB of the
    shared cache file (read and checked at every start) that a run with the arrays
    never reads. Called: that product, ``{"keys": ..., "packed": ... or None}``."""

    def __init__(self, name: str, rule):
        self.name, self.rule = name, rule

    def __call__(self) -> dict:
        name = self.name
        return build_cache.product(
            name, lambda: _APART_BUILT.pop(name, None) or _apart_of(NearMissKind._build(self.rule)), separate=True)


def _keys_of(spec) -> str:
    """The rule's keys, one a line, sorted (``NearMissKind._build``)."""
    keys = spec.get("keys")
    return keys if keys is not None else spec["apart"]()["keys"]


class _Scan:
    """One automaton over the keys of all of a kind's rules: one pass over a text
    finds every rule's keys (five passes over the same text cost about four times
    as much: each rule's automaton is cold again when its turn comes)."""

    def __init__(self, specs):
        self._automaton = None
        self._rows_at: dict = {}
        self.specs = specs
        self._vectors = False  # not yet built
        self._seen = 0  # characters of the texts checked before that

    @cached_property
    def _listing(self) -> tuple:
        """Each key once, in the rules' order (each rule's keys are sorted), and per
        rule the literal indexes of its keys. Listed on first use: with the arrays
        (``_Vectors``) a text under ``PIECE`` characters never asks (listing the
        63,000 keys of the kind's two automata cost 0.04 s of a run's start)."""
        where: dict = {}
        own = [frozenset(where.setdefault(k, len(where)) for k in _keys_of(spec).split("\n") if k)
               for spec in self.specs]
        return list(where), own

    @property
    def _literals(self) -> list:
        return self._listing[0]

    @property
    def own(self) -> list:
        return self._listing[1]

    @cached_property
    def others(self) -> frozenset:
        """The literal indexes of the keys of all rules other than substitute ones
        (whose loop reads every match: ``rows_at``)."""
        return frozenset().union(*(own for own, spec in zip(self.own, self.specs)
                                   if spec["edit"] != "substitute"))

    @property
    def automaton(self) -> multiscan.Automaton:
        """Built on first use: with the substitute rules' rows in arrays (``vectors``)
        only a text over ``ONE_LIST`` reads it."""
        if self._automaton is None:
            self._automaton = multiscan.Automaton(self._literals)
        return self._automaton

    def vectors(self, doc) -> "Optional[_Vectors]":
        """The substitute rules' keys and rows as arrays, with an automaton over the
        other rules' keys only, or None (no numpy, or not yet worth building). A text
        over ``VECTORS_UPTO`` gets arrays of its own if none are kept: the caller's
        reference is their only one."""
        if len(doc.text) > VECTORS_UPTO:
            return _Vectors.build(self.specs, keep=False) if self._vectors is False else self._vectors
        if self._vectors is False:
            self._seen += len(doc.text)
            if self._seen <= VECTORS_AFTER:
                return None
            self._vectors = _Vectors.build(self.specs)
        return self._vectors

    def rows_at(self, j: int, prepared: "_Prepared") -> "_RowsAt":
        """Substitute rule ``j``'s rows by literal index."""
        rows = self._rows_at.get(j)
        if rows is None or rows.prepared is not prepared:
            rows = self._rows_at[j] = _RowsAt(prepared, self.automaton.literals, self.own[j])
        return rows

    # Longer texts are scanned again for each rule that reads the matches, piece by
    # piece (multiscan.Automaton.find), instead of being held in one list: the list of
    # a 20 MB file took 150 MB.
    ONE_LIST = 1 << 20

    def find(self, doc):
        """(literal index, start, end) of every key of every rule, ordered by end:
        one list read by every rule, or None for a text longer than ``ONE_LIST``."""
        if len(doc.text) > self.ONE_LIST:
            return None
        return list(self.automaton.find(doc.scan_text))

    def matches(self, doc, found):
        """``found``, or a fresh pass over a text too long for one list."""
        return found if found is not None else self.automaton.find(doc.scan_text)

    def of_others(self, found) -> list:
        """The matches of keys of rules other than substitute ones (a few per cent)."""
        others = self.others
        return [m for m in found if m[0] in others]

    def keys(self, found: list, j: int) -> list:
        """(position, key) of the longest key of rule ``j`` starting at each position,
        in order: what ``NearMissKind._keys`` yields for that rule (``found``: at least
        all the matches of its keys)."""
        own, literals, longest = self.own[j], self.automaton.literals, {}
        for i, s, e in found:
            if i in own and e - s > longest.get(s, (0, 0))[0]:
                longest[s] = (e - s, i)
        return [(p, literals[longest[p][1]]) for p in sorted(longest)]


class _Vectors:
    """The substitute rules' key hits tested all at once in numpy arrays: every
    position of a text whose two characters are a key, each of the key's rows there
    (the phrase around it), the half test (the first character of either half of the
    rest of the phrase is right: a one-character slip leaves one half intact) and
    then the one-character difference of the whole window. What passes (about one
    row in eighty) goes through the rest of ``_check_substitute``'s tests in Python,
    in the order that loop visits them: by position, then by row. The other rules'
    keys come from an automaton of their own (``others``), without the 7,000
    substitute keys, which are most of the matches."""

    # Keys are two Han characters of U+4E00-U+9FFF (``_HAN_RUN``): a code point at or
    # above this is looked up as this one, which starts and ends no key.
    LIMIT = 0xA000

    def __init__(self, np, tables: dict, others: "_Scan"):
        self.np, self.others = np, others
        tables = self._unpack(np, tables)
        # Where each key's rows (each row's phrase) start, and each other key's group
        # and characters after its first three: made from their counts, not kept.
        tables["ptr"], tables["fptr"] = self._starts(tables["cnt"]), self._starts(tables["n"])
        if tables.get("other") is not None:
            other = tables["other"]
            other["ptr"], other["tptr"] = self._starts(other["cnt"]), self._starts(np.maximum(other["n"] - 3, 0))
        self._prepared: dict = {}  # id of a text -> (text, its other keys): prepare
        # (confirm tests, window character, phrase character) that alike() rejects,
        # as numbers (``_unlike_code``), sorted: asked by ``_alike`` once each.
        self.tests = {tests: i for i, tests in enumerate(tables["tests"])}
        self.unlike = np.zeros(0, np.int64)
        # (A phrase's characters are all in U+4E00-U+9FFF, below LIMIT: _build keeps
        # only words that _HAN_RUN matches whole.)
        self.numeral = np.zeros(self.LIMIT + 1, np.bool_)
        self.numeral[[ord(c) for c in _NUMERALS if ord(c) <= self.LIMIT]] = True
        self.pad, self.table = tables["pad"], tables
        # Each substitute rule's phrases, row by row (``local``): what the rest of
        # ``_check_substitute`` reads of a row that passed (its phrase, and so its
        # length), kept in the cache as one string a rule. Its prepared rows as
        # tuples were 9,328 tuples of strings to unpickle at every start that builds
        # the arrays, for the few rows a run's candidates ever read.
        self.targets = {j: joined.split(_ROW_SEP) if joined else [] for j, joined in tables["targets"].items()}
        # The rows whose phrase is three or four characters (_passing): nine in ten.
        self.short = tables["n"] <= 4
        # Per row, where its halves' first characters stand from the key (``a``, ``b``)
        # and what they are (``left``, ``right``), side by side for ``_passing``: the
        # places in 64 bits (added to the key's without a cast), the characters in 32.
        self.probes = np.stack([tables["a"], tables["b"]], axis=1).astype(np.int64)
        self.halves = np.stack([tables["left"], tables["right"]], axis=1).astype(np.int32)
        self.first = tables["a"] + tables["k"]  # where a row's left half stands in its window
        # Where the rest of a longer row's phrase (its two halves, after or before the
        # key) starts in ``flat``: at its left half.
        self.rest = tables["fptr"] + self.first
        # Key number by its first and second characters' numbers: a dense table
        # (1,760 x 1,939 for the shipped rules) made here rather than kept in the cache,
        # flat, with one more row and column of -1 for the characters that start (end)
        # no key: a character's row (its number times the width, ``row_of``) plus the
        # next one's column (``col_of``) is where the pair's key number stands, for
        # every position at once (the corpus: 0.071 -> 0.045 s, against testing both
        # numbers first and looking up the pairs that pass). Both are read by ``take``
        # (``_key_hits``): indexing (``a[codes]``) costs more (0.047 -> 0.029 s).
        first, second = self._numbers(np, tables["firsts"]), self._numbers(np, tables["seconds"])
        keys = tables["key_first"]
        height, width = int(first.max()) + 2, int(second.max()) + 2
        pair = np.full((height, width), -1, np.int16 if len(keys) < (1 << 15) else np.int32)
        pair[first[tables["key_first"]], second[tables["key_second"]]] = np.arange(len(keys))
        self.pair = pair.ravel()
        row_of = np.where(first >= 0, first, height - 1).astype(np.int64) * width
        col_of = np.where(second >= 0, second, width - 1).astype(np.int64)
        # Both numbers of a character in one 64-bit value, its row above its column:
        # one ``take`` over the text gives both, and a pair's place is the row of the
        # first plus the column of the second (a take costs about 12 instructions an
        # entry and 4 more to widen 32-bit codes, a shift, mask or sum under 3: on
        # 600 realworld pages _key_hits 28.2M -> 22.6M instructions, callgrind).
        self.place = (row_of << 32) | col_of
        # The other rules' keys by their first three characters: a table by a hash of
        # those (``_hash3``) leaves a few per cent of a text's positions to look up,
        # each with its group's number there (-1: no group; -2: a slot that several
        # groups share, looked up by ``searchsorted``; 334 of the 26,006 shipped).
        # Reading the number from the slot instead of searching the sorted codes for
        # every position that passed a bitmap: 0.052 -> 0.034 s on the corpus.
        other = tables.get("other")
        if other is not None:
            tri = other["tri"]
            slots = self._hash3((tri >> 32).astype(np.uint32), ((tri >> 16) & 0xFFFF).astype(np.uint32),
                                (tri & 0xFFFF).astype(np.uint32))
            self.slot = np.full(1 << self.BITS, -1, np.int16 if len(tri) < (1 << 15) else np.int32)
            self.slot[slots] = np.arange(len(tri))
            slots, count = np.unique(slots, return_counts=True)
            self.slot[slots[count > 1]] = -2
            # Where a key's probed character and its phrase's other character stand
            # in ``padded`` from the key's place in the text (``_other_test``).
            self.probe_at, self.rest_at = other["probe"] + self.pad, other["rest_at"] + self.pad

    # The slot table's size (2 MB): about one position in 40 of a text passes it by chance.
    BITS = 20

    def _hash3(self, a, b, c):
        """A hash of three characters (uint32 arrays) in ``BITS`` bits, in 32-bit
        arithmetic (half the memory traffic of the exact 64-bit code)."""
        np = self.np
        h = a * np.uint32(0x9E3779B1)
        h ^= b
        h *= np.uint32(0x85EBCA77)
        h ^= c
        h *= np.uint32(0xC2B2AE3D)
        h >>= np.uint32(32 - self.BITS)
        return h

    @classmethod
    def build(cls, specs, keep: bool = True) -> "Optional[_Vectors]":
        """The arrays, or None; with ``keep`` False (a lone text over ``VECTORS_UPTO``)
        the build cache does not hold their tables for the rest of the run either,
        while the later kinds hold their own lists of so long a text: the 20 MB
        file's peak RSS 233.7-234.1 -> 225.8-226.0 MB (alternating runs)."""
        try:
            np = _numpy()
        except ImportError:  # pragma: no cover - numpy is a dependency
            return None
        ident = repr(tuple(spec["key"] for spec in specs))
        if all(_shipped_name(spec.get("file", "")) for s in specs for spec in s["rule"].options["lists"]):
            # Kept in a build-cache file of its own (its key covers rules/data): making
            # the arrays from the rows of all 7,000 keys costs 0.1 s.
            name = "near-miss-vectors-" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:32]
            tables = build_cache.product(name, lambda: cls.tables(specs), separate=True)
            if not keep:
                build_cache.forget(name)
        else:
            tables = cls.tables(specs)
        if tables is None:
            return None
        others = _Scan([spec if spec["edit"] != "substitute" else dict(spec, keys="") for spec in specs])
        return cls(np, tables, others)

    @classmethod
    def tables(cls, specs) -> Optional[dict]:
        """The arrays of ``_Vectors`` (None: a key that is not two characters below
        ``LIMIT``). The rows of all substitute rules, by key number, each key's rows
        rule by rule (``cnt``: how many; ``_Vectors`` makes where they start); per row
        its rule (``which``: its place in ``specs``) and its place among that rule's
        prepared rows (``local``; ``targets``: {rule: the phrases of its rows, in that
        order, joined by ``_ROW_SEP``}), its halves' offsets from the key (``a``, ``b``) and first characters (``left``,
        ``right``; an empty half: the key's first character, at 0), how far its
        window starts before the key (``k``), its length (``n``) and characters
        (``flat``: all rows' one after another)."""
        np = _numpy()
        sub = [j for j, spec in enumerate(specs) if spec["edit"] == "substitute"]
        keysets = {j: set(k for k in _keys_of(specs[j]).split("\n") if k) for j in sub}
        keys = sorted(set().union(*keysets.values()))
        limit = chr(cls.LIMIT)
        if not all(len(k) == 2 and k[0] < limit and k[1] < limit for k in keys):
            return None
        firsts = np.array([ord(c) for c in sorted({k[0] for k in keys})], np.int32)
        seconds = np.array([ord(c) for c in sorted({k[1] for k in keys})], np.int32)
        prepared = {j: _prepare(specs[j]["index"]) for j in sub}
        rows: dict = {j: [] for j in sub}
        table: list = []  # (rule, place among its rows, row)
        ptr, cnt = np.zeros(len(keys), np.int64), np.zeros(len(keys), np.int64)
        for number, key in enumerate(keys):
            ptr[number] = len(table)
            for j in sub:
                for row in (prepared[j][key] if key in keysets[j] else ()):
                    table.append((j, len(rows[j]), row))
                    rows[j].append(row)
            cnt[number] = len(table) - ptr[number]
        width = max((row[6] for _, _, row in table), default=1)
        tests: dict = {}  # the confirm tests of the rows' phrases -> their number
        tid = [tests.setdefault(specs[j]["vocab"][row[4]], len(tests)) for j, _, row in table]
        other = cls._other_tables(specs)
        return cls._pack({"firsts": firsts, "seconds": seconds, "other": other,
                "targets": {j: _ROW_SEP.join(row[4] for row in rows[j]) for j in sub},
                "pad": max(width, other["width"] if other else 0) + 2,
                "key_first": np.array([ord(k[0]) for k in keys], np.int64),
                "key_second": np.array([ord(k[1]) for k in keys], np.int64),
                "cnt": cnt, "tests": list(tests), "tid": np.array(tid, np.int64),
                "flat": np.array([ord(ch) for _, _, row in table for ch in row[4]], np.int32),
                "which": np.array([j for j, _, _ in table], np.int64),
                "local": np.array([r for _, r, _ in table], np.int64),
                # An empty half (a phrase of three) is looked for as the key's first
                # character where the key stands: always there, like the empty string.
                "a": np.array([row[0] if row[1] else 0 for _, _, row in table], np.int64),
                "b": np.array([row[2] if row[3] else 0 for _, _, row in table], np.int64),
                "left": np.array([ord(row[1][0] if row[1] else row[4][row[5]]) for _, _, row in table], np.int32),
                "right": np.array([ord(row[3][0] if row[3] else row[4][row[5]]) for _, _, row in table],
                                  np.int32),
                "k": np.array([row[5] for _, _, row in table], np.int64),
                "n": np.array([row[6] for _, _, row in table], np.int64)})

    @classmethod
    def _pack(cls, tables: dict) -> dict:
        """``tables`` as kept in the build cache: each integer array in the narrowest
        type that holds its values, with its own type under ``dtypes`` (``_unpack``).
        Most of them are small numbers in 64 bits: the cache file, read and checked
        (a CRC-32) at every start that builds the arrays, 4.6 MB -> 1.1 MB."""
        np = _numpy()
        packed, dtypes = dict(tables), {}
        for name, value in tables.items():
            if isinstance(value, dict):
                packed[name] = cls._pack(value)
            elif isinstance(value, np.ndarray) and value.dtype.kind in "iu" and len(value):
                low, high = int(value.min()), int(value.max())
                narrow = next(t for t in (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, value.dtype)
                              if np.iinfo(t).min <= low and high <= np.iinfo(t).max)
                if np.dtype(narrow).itemsize < value.dtype.itemsize:
                    packed[name], dtypes[name] = value.astype(narrow), value.dtype.str
        packed["dtypes"] = dtypes
        return packed

    @classmethod
    def _unpack(cls, np, tables: dict) -> dict:
        """``_pack`` undone: every array in its own type again (a new dict: the
        cached one stays packed)."""
        if tables is None or "dtypes" not in tables:
            return tables
        wide = {name: cls._unpack(np, value) if isinstance(value, dict) else value
                for name, value in tables.items() if name != "dtypes"}
        for name, dtype in tables["dtypes"].items():
            wide[name] = wide[name].astype(dtype)
        return wide

    @staticmethod
    def _starts(counts):
        """Where each of consecutive runs of ``counts`` (int64) starts."""
        return counts.cumsum() - counts

    @classmethod
    def _numbers(cls, np, chars):
        """Each code point up to ``LIMIT`` -> its place among ``chars`` (sorted code
        points), -1 for the others."""
        number = np.full(cls.LIMIT + 1, -1, np.int32)
        number[chars] = np.arange(len(chars), dtype=np.int32)
        return number

    @classmethod
    def _other_tables(cls, specs) -> Optional[dict]:
        """The keys of the rules other than substitute ones, for ``_other_keys`` (None:
        a key shorter than three characters or with one at or above ``LIMIT``: those
        rules keep their automaton). Grouped by their first three characters
        (``tri``: each group's code, sorted; ``cnt``: how many keys), in a group
        rule by rule and longest first; per key its rule (``rule``), length (``n``)
        and characters after its first three (``tail``: all keys' one after another;
        ``_Vectors`` finds where each starts); the place of its character
        tested first after the three of its group (``probe``, 3 or more) and that
        character (``probed``, 0 for a key of three); and, for a key with a single
        candidate phrase that holds it (all but one character of that phrase), the
        phrase's other character (``rest``, -2 for the other keys) and where it
        stands from the key's start (``rest_at``: -1 or the key's length)."""
        np = _numpy()
        limit = chr(cls.LIMIT)
        rows = []  # (code of the first three characters, rule, -length, key)
        for j, spec in enumerate(specs):
            if spec["edit"] == "substitute":
                continue
            for key in _keys_of(spec).split("\n"):
                if not key:
                    continue
                if len(key) < 3 or max(key) >= limit:
                    return None
                rows.append((cls._code3(*map(ord, key[:3])), j, -len(key), key))
        if not rows:
            return None
        rows.sort()
        width = max(-n for _, _, n, _ in rows)
        tail: list = []
        probe, probed = np.full(len(rows), 3, np.int64), np.zeros(len(rows), np.int32)
        rest, rest_at = np.full(len(rows), -2, np.int32), np.zeros(len(rows), np.int64)
        longest = 1  # of those phrases
        for r, (_, j, _, key) in enumerate(rows):
            tail.extend(ord(ch) for ch in key[3:])
            cands = specs[j]["index"][key]
            # A key's phrase is most often what the text holds where the key's first
            # three characters stand (保持共产党员先进性 for its 30 delete and transpose
            # keys that start 保持共): its first character that differs from the
            # phrase's rejects those. The corpus: 145,000 of 629,000 keys left
            # instead of 338,000 by the fourth character.
            target = cands[0][0]
            for q in range(3, len(key)):
                if q >= len(target) or key[q] != target[q]:
                    probe[r] = q
                    break
            if len(key) > 3:
                probed[r] = ord(key[probe[r]])
            if len(cands) == 1 and key in target:
                longest = max(longest, len(target))
                if len(target) == len(key) + 1:  # (always: a delete or truncate key)
                    at = target.find(key)
                    rest[r] = ord(target[0] if at else target[-1])
                    rest_at[r] = -1 if at else len(key)
        codes = np.array([c for c, *_ in rows], np.uint64)
        tri, cnt = np.unique(codes, return_counts=True)
        return {"tri": tri, "cnt": cnt.astype(np.int64),
                "rule": np.array([j for _, j, _, _ in rows], np.int64),
                "n": np.array([-n for _, _, n, _ in rows], np.int64),
                "tail": np.array(tail, np.uint16),
                "probe": probe, "probed": probed, "rest": rest, "rest_at": rest_at,
                "width": max(width, longest), "rules": len(specs),
                "others": [j for j, spec in enumerate(specs) if spec["edit"] != "substitute"]}

    @staticmethod
    def _code3(a, b, c):
        """Three characters below ``LIMIT`` (2**16) as one number (ints or uint64 arrays)."""
        return (a << 32) | (b << 16) | c

    def candidates(self, text: str) -> dict:
        """{substitute rule: [(key position, row number, window start, index of the
        differing character), ...]} in visiting order: the rows at a key hit whose
        window lies in the text and differs from the phrase in exactly one character
        (which implies the half test, and is what _check_substitute's loop asks)."""
        if len(text) > self.PIECE:
            return self._in_pieces(text)
        return self._candidates(text)

    def _candidates(self, text: str, others: bool = False):
        """``candidates`` of a text of up to ``PIECE`` characters; with ``others``,
        (that, ``_other_keys``) from the same arrays."""
        np = self.np
        if len(text) < 2 or not (self.targets or others):
            out = {j: [] for j in self.targets}
            return (out, self._other_keys(text, None, None)) if others else out
        # The code points, lone surrogates included: numpy copies a str into its
        # 4-byte characters four times faster than str.encode("utf-32-le", "surrogatepass").
        codes = np.array([text]).view(np.int32)
        size = len(codes)
        pos, number = self._key_hits(codes)
        pad = self.pad
        padded = np.full(size + 2 * pad, -1, np.int32)
        padded[pad:pad + size] = codes
        out = {j: [] for j in self.targets}
        for lo in range(0, len(pos), self.HITS):
            self._test(padded, size, pos[lo:lo + self.HITS], number[lo:lo + self.HITS], out)
        if others:
            return out, self._other_keys(text, codes, padded)
        return out

    def find(self, text: str):
        """(``candidates``, {other rule: its keys as ``_Scan.keys`` lists them, less
        those standing inside their one phrase written in full} or None: rules
        whose keys ``_other_tables`` leaves out, whose keys come from the automaton
        ``others``). The latter as ``prepare`` found them, if it had the text; a
        text over ``PIECE`` characters a piece at a time (``_in_pieces``)."""
        if self.table.get("other") is None:
            return self.candidates(text), None
        if len(text) > self.PIECE:
            return self._in_pieces(text, others=True)
        got = self._prepared.pop(id(text), None)
        if got is not None and got[0] is text:
            return got[1], got[2]
        return self._candidates(text, others=True)

    def prepare(self, texts) -> None:
        """``find`` of a batch of texts, found together in arrays of up to ``PIECE``
        characters: most of ``_other_keys``'s time on a text of a few thousand
        characters is the fixed cost of its sixty numpy calls (200 files of the
        corpus: 0.038 s one by one, 0.015 s together), and the substitute rules'
        candidates share the arrays. Kept until ``find`` asks for them or the
        next batch comes."""
        self._prepared = {}
        if self.table.get("other") is None:
            return
        group: list = []
        size = 0
        for text in texts:
            if len(text) > self.PIECE:
                continue
            if group and size + len(text) + self.pad > self.PIECE:
                self._prepare(group)
                group, size = [], 0
            group.append(text)
            size += len(text) + self.pad
        if group:
            self._prepare(group)

    # At most this many pairs are kept (8 MB; a pass over the 1,000 corpus files learns
    # 136); past it the pairs not kept are asked again in each batch.
    UNLIKE = 1 << 20

    def _key_hits(self, codes):
        """(positions, key numbers) of the substitute rules' keys in ``codes`` (code
        points, or -1): every position whose two characters are a key."""
        np = self.np
        # A code above LIMIT is looked up as LIMIT, -1 as 0 (``take``'s clip: neither
        # starts or ends a key), without a copy of the codes clipped to LIMIT first
        # (3.4M of the 147M instructions of NearMissKind.prepare_batch on the first
        # 100 corpus files).
        place = self.place.take(codes, mode="clip")
        number = self.pair.take((place[:-1] >> 32) + (place[1:] & 0xFFFFFFFF))
        pos = np.flatnonzero(number >= 0)
        # 64-bit, as _passing looks rows up by them (the corpus: 0.100 -> 0.095 s)
        return pos, number.take(pos, mode="clip").astype(np.int64)

    @staticmethod
    def _unlike_code(tests, got, want):
        """A number for (confirm tests' number, window character, phrase character
        below 2**16): ints or int64 arrays."""
        return (tests << 37) | (got << 16) | want

    def _alike(self, padded, row, start, where):
        """Whether each candidate (``_passing``'s arrays) passes _window's first tests:
        its phrase's character is no numeral and alike() holds for the two characters.
        alike() is asked once for each (confirm tests, window character, phrase
        character) of a batch not rejected before (``unlike``), in Python, instead of
        for every candidate in _check_candidates's loop: the 20 MB file's 68,077
        candidates are 146 such pairs, 6 of them alike (2,710 candidates left)."""
        np, t = self.np, self.table
        want = t["flat"].take(t["fptr"].take(row, mode="clip") + where, mode="clip")
        code = self._unlike_code(t["tid"].take(row, mode="clip"),
                                 padded.take(start + (self.pad + where), mode="clip").astype(np.int64), want)
        keep = ~self.numeral.take(want, mode="clip")
        unlike = self.unlike
        if len(unlike):
            keep &= unlike.take(np.searchsorted(unlike, code), mode="clip") != code
        ask = code[keep]
        if not len(ask):
            return keep
        # Sorted, each code once: what np.unique gives, without its first call's
        # import of numpy.ma (8 ms of a --jobs 1 corpus run; in each process under --jobs).
        ask.sort()
        first = np.empty(len(ask), np.bool_)
        first[:1] = True
        np.not_equal(ask[1:], ask[:-1], out=first[1:])
        tests = t["tests"]
        rejected = [c for c in ask[first].tolist()
                    if not alike(chr((c >> 16) & 0x1FFFFF), chr(c & 0xFFFF), tests[c >> 37])]
        if rejected:
            rejected = np.array(rejected, np.int64)  # sorted, none of them in ``unlike``
            keep &= rejected.take(np.searchsorted(rejected, code), mode="clip") != code
            if len(unlike) < self.UNLIKE:
                both = np.concatenate((unlike, rejected))
                both.sort()
                self.unlike = both
        return keep

    def _prepare(self, texts: list) -> None:
        """``find`` of each of ``texts`` from one array holding them all, each after
        ``pad`` characters of -1 (which no key or phrase holds, as around a text of
        its own): no key, and no phrase written around one, reaches from one text
        into the next, and a substitute window must lie in its key's text."""
        np, pad = self.np, self.pad
        starts = []
        at = pad
        for text in texts:
            starts.append(at)
            at += len(text) + pad
        # The texts and the gaps between them joined into one string, its code points
        # copied into the array by one call, the gaps then made -1: one conversion
        # instead of one array and one copy into ``padded`` a text, most of whose
        # cost was the same for a page as for a book (600 realworld pages of 700
        # characters: 9.7M -> 3.4M instructions).
        gap = "\0" * pad
        joined = [gap]
        for text in texts:
            joined += (text, gap)
        joined.append(gap)
        padded = np.array(["".join(joined)]).view(np.int32)
        starts = np.array(starts, np.int64)
        gaps = np.concatenate(([0], starts + np.array([len(text) for text in texts], np.int64), [at]))
        padded[(gaps[:, None] + np.arange(pad)).ravel()] = -1
        outs = [{j: [] for j in self.table["other"]["others"]} for _ in texts]
        codes = padded[pad:len(padded) - pad]
        # positions in ``codes``: each text starts ``pad`` before its place in ``padded``
        first = starts - pad
        at, rule, n = self._other_found(codes, padded)
        if len(at):
            which = np.searchsorted(first, at, "right") - 1
            for i, j, p, m in zip(which.tolist(), rule.tolist(), (at - first[which]).tolist(), n.tolist()):
                outs[i][j].append((p, texts[i][p:p + m]))
        cands = [{j: [] for j in self.targets} for _ in texts]
        pos, number = self._key_hits(codes)
        t, rules = self.table, len(self.targets) and max(self.targets) + 1
        for c in range(0, len(pos), self.HITS):
            part = slice(c, c + self.HITS)
            hit, row, start, where = self._passing(padded, pos[part], number[part])
            hit, row, start, where = self._kept_of(self._alike(padded, row, start, where), hit, row, start, where)
            at = pos[part][hit]
            doc = np.searchsorted(first, at, "right") - 1
            base = first[doc]
            at, start = at - base, start - base
            order = (doc * rules + t["which"][row]).tolist()
            # Split by text and rule, each in its order: by hit, then row.
            for o, p, r, s0, w in zip(order, at.tolist(), t["local"][row].tolist(), start.tolist(),
                                      where.tolist()):
                cands[o // rules][o % rules].append((p, r, s0, w))
        for text, out, cand in zip(texts, outs, cands):
            self._prepared[id(text)] = (text, cand, out)

    def _other_keys(self, text: str, codes, padded) -> dict:
        """{rule other than substitute: [(position, key), ...]}: the longest of its
        keys starting at each position, in order, but for a key with a single
        candidate phrase (``solo``) written in full around it there, which
        ``_check_other`` would drop at its first test (most of them: a truncate
        key is its phrase less the last character)."""
        out = {j: [] for j in self.table["other"]["others"]}
        if len(text) < 3:
            return out
        # A dozen keys a document are left: split in Python, not by a mask per rule.
        at, rule, n = self._other_found(codes, padded)
        for j, p, m in zip(rule.tolist(), at.tolist(), n.tolist()):
            out[j].append((p, text[p:p + m]))
        return out

    def _other_found(self, codes, padded):
        """(position, rule, length) arrays of ``_other_keys``'s keys, in order
        (``codes``: the code points of a text of three characters or more, or -1;
        ``padded``: the codes with ``pad`` of -1 on both sides)."""
        np, t = self.np, self.table["other"]
        narrow = codes.view(np.uint32)
        # (by ``take``, as in _key_hits: 12.1 -> 10.7 ms on the corpus, against the
        # hashes converted to 64 bits for ``slot[...]``)
        group = self.slot.take(self._hash3(narrow[:-2], narrow[1:-1], narrow[2:]))
        pos = np.flatnonzero(group != -1)
        group = group.take(pos, mode="clip").astype(np.int64)
        # Each code clipped to LIMIT (as -1 is: 2**32 - 1), which no key holds, before
        # the three are joined: a code point over 2**16 would reach into the next
        # character's bits.
        code = self._code3(*(np.minimum(narrow.take(pos + i), self.LIMIT).astype(np.uint64) for i in range(3)))
        tri = t["tri"]
        shared = np.flatnonzero(group < 0)
        if len(shared):
            group[shared] = np.minimum(np.searchsorted(tri, code[shared]), len(tri) - 1)
        known = tri.take(group, mode="clip") == code
        pos, group = self._kept_of(known, pos, group)
        found = [self._other_test(padded, pos[lo:lo + self.HITS], group[lo:lo + self.HITS])
                 for lo in range(0, len(pos), self.HITS)]
        if len(found) == 1:
            return found[0]
        if not found:
            return pos, group, group
        return tuple(np.concatenate(parts) for parts in zip(*found))

    def _other_test(self, padded, pos, group):
        np, pad, t = self.np, self.pad, self.table["other"]
        cnt = t["cnt"].take(group, mode="clip")
        total = int(cnt.sum())
        # Each key by its position (the positions are distinct and in order: they
        # tell the hits apart, without a hit number to look them up by) and ``take``
        # rather than indexing (all indexes here are in range): NearMissKind per round
        # on 300 corpus files 735M -> 728M instructions (callgrind).
        at = np.repeat(pos, cnt)
        key = np.repeat(t["ptr"].take(group, mode="clip") - (np.cumsum(cnt) - cnt), cnt) + np.arange(total)
        # The first three characters are the group's. The probed one (none: a key of
        # three) first, then the rest of the longer keys (each over its own length, in
        # one flat array: a matrix as wide as the longest key was four times the work,
        # _other_test on the corpus 0.070 -> 0.053 s). The probe is where the key
        # differs from its phrase: the fourth character left 338,000 of the corpus's
        # 629,000 keys, 256,000 of them longer than four, the probe 145,000 and 62,000
        # (with the test of one character below, _other_test on the corpus 31 -> 14 ms).
        tail = t["tail"]
        if len(tail):  # (a key longer than three)
            probed = t["probed"].take(key, mode="clip")
            same = (probed == 0) | (padded.take(at + self.probe_at.take(key, mode="clip"), mode="clip") == probed)
            at, key = self._kept_of(same, at, key)
            more = t["n"].take(key, mode="clip") - 3
            longer = np.flatnonzero(more > 1)
            if len(longer):
                same = np.ones(len(key), np.bool_)
                same[longer[self._differ(padded, at.take(longer, mode="clip") + (pad + 3), tail,
                                         t["tptr"].take(key.take(longer, mode="clip"), mode="clip"),
                                         more.take(longer, mode="clip"))]] = False
                at, key = self._kept_of(same, at, key)
        # The first key of each rule at a hit: its longest.
        rule = at * t["rules"] + t["rule"].take(key, mode="clip")
        first = np.ones(len(rule), np.bool_)
        first[1:] = rule[1:] != rule[:-1]
        at, key = self._kept_of(first, at, key)
        # A key inside its single phrase written in full (``_check_other`` drops it
        # first): the phrase's one other character to compare, not the whole phrase.
        keep = (padded.take(at + self.rest_at.take(key, mode="clip"), mode="clip")
                != t["rest"].take(key, mode="clip"))
        at, key = self._kept_of(keep, at, key)
        return at, t["rule"].take(key, mode="clip"), t["n"].take(key, mode="clip")

    def _kept_of(self, mask, *arrays):
        """``arrays`` where ``mask`` holds: the places once, then a ``take`` from each
        (a boolean index of each array costs 2.5 times as much: 1M entries, 5% or 30%
        kept, two arrays)."""
        kept = self.np.flatnonzero(mask)
        return [a.take(kept, mode="clip") for a in arrays]

    def _differ(self, padded, start, chars, at, size):
        """Whether ``padded[start:start + size]`` differs from ``chars[at:at + size]``,
        for each start (``size`` at least 1), all compared in one flat array."""
        np = self.np
        ends = np.cumsum(size)
        firsts = ends - size
        place = np.arange(int(ends[-1])) - np.repeat(firsts, size)
        differ = (padded.take(np.repeat(start, size) + place, mode="clip")
                  != chars.take(np.repeat(at, size) + place, mode="clip"))
        return np.logical_or.reduceat(differ, firsts)

    # Key hits tested together: the arrays of (hit, row) stay a few MB on a long text.
    HITS = 1 << 15
    # A longer text is taken a piece at a time: the arrays of its characters (four
    # of 4 bytes a character) stay a few MB instead of 320 MB for a 20 MB file.
    PIECE = 1 << 20

    def _in_pieces(self, text: str, others: bool = False):
        """``candidates`` of a long text, ``PIECE`` characters at a time (a single
        5 MB line too): the key hits in the piece, each piece read with ``pad``
        characters of the text on both sides (more than any window, key or phrase
        written around a key reaches past it), so every window is read as in the
        whole text; in order. With ``others``, (that, ``_other_keys``) alike: the
        automaton's pass for each of the other rules over a text this long (one
        list of its matches per rule, walked in Python) was 0.25 s of the 5 MB
        single line's 2.9 s."""
        out = {j: [] for j in self.targets}
        more = {j: [] for j in self.table["other"]["others"]} if others else None
        size, margin = len(text), self.pad
        for lo in range(0, size, self.PIECE):
            hi = min(size, lo + self.PIECE)
            a = max(0, lo - margin)
            piece = text[a:min(size, hi + margin)]
            found = self._candidates(piece, others=others)
            if others:
                found, keys = found
                for j, got in keys.items():
                    more[j].extend((p + a, key) for p, key in got if lo <= p + a < hi)
            for j, got in found.items():
                out[j].extend((at + a, local, start + a, where) for at, local, start, where in got
                              if lo <= at + a < hi)
        return (out, more) if others else out

    def _test(self, padded, size: int, pos, number, out: dict) -> None:
        """The rows of all rules at once, then split by rule (in order: by hit, then row)."""
        t = self.table
        hit, row, start, where = self._passing(padded, pos, number)
        hit, row, start, where = self._kept_of(self._alike(padded, row, start, where), hit, row, start, where)
        at, which, local = pos[hit], t["which"][row], t["local"][row]
        for j, found in out.items():
            mine = which == j
            found.extend(zip(at[mine].tolist(), local[mine].tolist(), start[mine].tolist(),
                             where[mine].tolist()))

    def _passing(self, padded, pos, number):
        """(hit, row, window start, index of the differing character) arrays of the
        rows at the key hits ``pos`` (key numbers ``number``) whose window lies in
        the key's text and differs from the phrase in exactly one character, in
        order: by hit, then row."""
        np, pad, t = self.np, self.pad, self.table
        cnt = t["cnt"].take(number, mode="clip")
        ends = cnt.cumsum()
        total = int(ends[-1]) if len(ends) else 0
        # Each (hit, row) by its key's place in ``padded`` and its row; which hit it is
        # follows from its place among them (``ends``), looked up only for the rows
        # that pass (an array of the hit of every row cost two passes over the 4.4M
        # rows of the corpus: _passing 80.4 -> 73.2 ms, min of 25 alternating).
        row = (t["ptr"].take(number, mode="clip") - (ends - cnt)).repeat(cnt) + np.arange(total)
        # Both halves of each row at once: the places of their first characters, a
        # row's two side by side (its key's place repeated twice a row), one ``take``
        # of ``padded`` and one comparison with their characters, all contiguous, and
        # a row kept where either is right (its two tests as one 16-bit number).
        # ``take`` rather than indexing (all indexes here are in range). _passing on
        # the first 100 corpus files 76.5M -> 74.1M instructions (callgrind).
        probe = self.probes.take(row, axis=0, mode="clip")
        places = probe.ravel()
        places += np.repeat(pos + pad, cnt * 2)
        right = padded.take(places, mode="clip") == self.halves.take(row, axis=0, mode="clip").ravel()
        # (the places of the rows kept, then taken from the arrays: a mask applied to
        # each went over the 4.4M rows of the corpus twice, 88.8 -> 83.0 ms)
        keep = right.view(np.uint16).nonzero()[0]
        row = row.take(keep, mode="clip")
        if not len(row):
            return keep, row, keep, keep
        # The window starts ``a + k`` before its left half (``first``), in ``padded``.
        probe = probe.take(keep, axis=0, mode="clip")
        start = probe[:, 0] - self.first.take(row, mode="clip")
        # A phrase of four (most rows) is its key and two halves of one character
        # each: exactly one of them right is exactly one character differing, the
        # other one. A phrase of three is its key and one half, the other half empty
        # (tested as the key's first character, always right): the same holds.
        right = right.reshape(-1, 2).take(keep, axis=0, mode="clip")
        right_a = right[:, 0]
        one = right_a ^ right[:, 1]
        where = np.where(right_a, probe[:, 1], probe[:, 0]) - start
        longer = (~self.short.take(row, mode="clip")).nonzero()[0]
        if len(longer):
            # Each longer window against its phrase character by character, all in one
            # flat array (a row of the longest phrase, 24, for each window was five
            # times the work): the number of differing characters of each window and,
            # where that is one, which (the sum of their places). Only the rest of
            # the phrase, its two halves from the left one's first character: its key
            # is right (a third fewer characters, _passing on the first 100 corpus
            # files 74.1M -> 70.3M instructions).
            rows = row.take(longer, mode="clip")
            n = t["n"].take(rows, mode="clip") - 2
            last = np.cumsum(n)
            firsts = last - n
            place = np.arange(int(last[-1])) - np.repeat(firsts, n)
            differ = (padded.take(np.repeat(probe[:, 0].take(longer, mode="clip"), n) + place, mode="clip")
                      != t["flat"].take(np.repeat(self.rest.take(rows, mode="clip"), n) + place, mode="clip"))
            one[longer] = np.add.reduceat(differ, firsts) == 1
            where[longer] = np.add.reduceat(differ * place, firsts) + self.first.take(rows, mode="clip")
        keep, row, start, where = self._kept_of(one, keep, row, start, where)
        # A window that reaches past its text holds one of the -1 around it (``pad`` of
        # them, more than a window's length, so it reaches no other text), which
        # differs from the phrase: with one character differing, that one. So the
        # windows outside their text are dropped here, a few thousand, instead of
        # testing the bounds of every window that passed the half test (390,000 on
        # the corpus, each hit's bounds looked up first: 8 ms).
        keep, row, start, where = self._kept_of(padded.take(start + where, mode="clip") >= 0, keep, row, start, where)
        return ends.searchsorted(keep, "right"), row, start - pad, where


class NearMissKind(Kind):
    FIELDS = {
        "lists": list,
        "edit": str,
        "confirm": list,
        "min_length": int,
        "unless": (str, list),
        "unless_line": (str, list),
    }
    REQUIRED = ("lists", "edit")
    MESSAGE_FIELDS = ("suggestion", "why")

    @classmethod
    def validate(cls, rule):
        o = rule.options
        if o["edit"] not in EDITS:
            raise RuleError(f"field 'edit' should be one of {', '.join(EDITS)}")
        confirm = o.get("confirm", [])
        if o["edit"] == "substitute" and not confirm and not all(
                "confirm" in spec for spec in o["lists"] if isinstance(spec, dict)):
            raise RuleError("field 'confirm' is required for edit 'substitute'")
        for c in confirm:
            if c not in CONFIRMS:
                raise RuleError(f"field 'confirm': '{c}' is not one of {', '.join(CONFIRMS)}")
        for i, spec in enumerate(o["lists"]):
            # One source per list, and the one lexicon there is: a misspelt
            # {lexicon: ...} was read as the party lexicon, a list naming both
            # silently dropped its lexicon.
            if (not isinstance(spec, dict) or len({"file", "lexicon"} & set(spec)) != 1
                    or spec.get("lexicon", "party") != "party"):
                raise RuleError(f"field 'lists[{i}]' should be {{file: name}} or {{lexicon: party}}")
            extra = set(spec) - {"file", "lexicon", "pos", "min_count", "confirm"}
            if extra:
                raise RuleError(f"field 'lists[{i}]': unknown field '{sorted(extra)[0]}'")
            if "file" in spec:
                _read_list(spec["file"], tuple(spec.get("pos", ())), int(spec.get("min_count", 0)))
        Veto(rule)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.specs = [self._compile(rule, ctx.regex_timeout) for rule in rules]
        # The rules' keys, which name the kind's automaton and arrays (_SCANS): made
        # once, not for every document (_scan).
        self.ident = tuple(spec["key"] for spec in self.specs)

    @staticmethod
    def _compile(rule, timeout):
        o = rule.options
        key = (rule.id, repr(o["lists"]), o["edit"], o.get("min_length", 4), repr(o.get("confirm")))
        cached = _COMPILED.get(key)
        if cached is None:
            # Kept in the build cache too (its key covers the data files and the
            # vocabulary): building the index is most of this kind's start-up.
            # Only lists shipped in rules/data are covered by that key.
            if all(_shipped_name(spec.get("file", "")) for spec in o["lists"]):
                name = "near-miss-" + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32]
                # The keys and a substitute rule's index apart (``_Apart``).
                apart = _Apart(name + "-apart", rule)
                built = dict(build_cache.product(name, lambda: _without_apart(apart.name, NearMissKind._build(rule))),
                             apart=apart)
            else:
                built = NearMissKind._build(rule)
            # A copy: the kind adds its automaton and prepared rows to this dict,
            # never to the cached product.
            packed = built.get("packed")
            index = _PackedIndex(_JoinedHeads(packed) if packed is not None else None, built.get("apart"),
                                 built["edit"])
            cached = _COMPILED[key] = dict(built, key=key, index=index, heads=index.heads,
                                           vocab=_unpack_vocab(built["vocab"]))
        return dict(cached, rule=rule, veto=Veto(rule, timeout=timeout))

    @staticmethod
    def _build(rule):
        """The rule's index (packed), vocabulary and keys, as ``_compile`` keeps them."""
        o = rule.options
        edit, min_len = o["edit"], o.get("min_length", 4)
        vocab: dict = {}
        for spec in o["lists"]:
            words = (_read_list(spec["file"], tuple(spec.get("pos", ())), int(spec.get("min_count", 0)))
                     if "file" in spec else _lexicon_words())
            tests = tuple(spec.get("confirm", o.get("confirm", ())))
            for w in words:
                if len(w) >= min_len and _HAN_RUN.fullmatch(w):
                    vocab.setdefault(w, tests)
        index: dict = {}
        for w in vocab:
            n = len(w)
            if edit == "substitute":
                # Anchored on the first or last two characters, one of which survives a
                # single wrong character in a phrase of four or more (three: the middle
                # character is never edited).
                for i in range(n):
                    if w[i] in _NUMERALS or (n < 4 and i == 1):
                        continue
                    off = n - 2 if i < 2 else 0
                    index.setdefault(w[off:off + 2], set()).add((w, off))
            elif edit == "delete":
                for i in range(n):
                    if w[i] not in _NUMERALS and (i == 0 or w[i] != w[i - 1]):
                        index.setdefault(w[:i] + w[i + 1:], set()).add((w, i))
            elif edit == "transpose":
                for i in range(n - 1):
                    if w[i] != w[i + 1]:
                        index.setdefault(w[:i] + w[i + 1] + w[i] + w[i + 2:], set()).add((w, i))
            else:  # truncate
                index.setdefault(w[:-1], set()).add((w, n - 1))
        index = {k: tuple(sorted(v)) for k, v in index.items()}
        keys = sorted(k for k in index if len(k) >= 2)
        # Kept packed by the keys' first two characters (_PackedIndex): the kind
        # reads it through the dict-like ``index`` and ``heads`` views. The keys are
        # also kept as one string for the automaton (listing them from the packed
        # index decodes every head: 0.2 s).
        return {"edit": edit, "vocab": _pack_vocab(vocab), "packed": _join_heads(_pack_index(index, edit)),
                "key_chars": sum(map(len, keys)), "keys": "\n".join(keys),
                "all_han": _KEY_WITHOUT_HAN.search("\n".join(keys)) is None}

    def check(self, doc):
        # (An ASCII text, a flag read at once, holds no Han: not searched.)
        if (doc.text.isascii() or _HAN_RUN.search(doc.text) is None) and self._keys_all_han():
            return  # no key can occur (a text of brackets or stars): no automaton to build
        scan = self._scan(doc) if multiscan.available() else None
        vectors = scan.vectors(doc) if scan is not None else None
        if vectors is not None:
            yield from self._check_vectors(doc, vectors, segment)
            return
        found = scan.find(doc) if scan is not None else None
        others = None
        for j, spec in enumerate(self.specs):
            if spec["edit"] == "substitute":
                if scan is not None:
                    rows_at, matches = scan.rows_at(j, self._prepared(spec)), scan.matches(doc, found)
                else:
                    rows_at = self._prepared(spec)
                    matches = [(key, p, 0) for p, key in self._plain_keys(doc, spec)]
                    _LOOPED[self.ident] = _LOOPED.get(self.ident, 0) + len(matches) * LOOPED_HIT
                yield from self._check_substitute(doc, spec, matches, rows_at, segment)
            else:
                if scan is None:
                    keys = self._plain_keys(doc, spec)
                    _LOOPED[self.ident] = _LOOPED.get(self.ident, 0) + len(keys) * LOOPED_HIT
                else:
                    if others is None:
                        others = scan.of_others(scan.matches(doc, found))
                    keys = scan.keys(others, j)
                yield from self._check_other(doc, spec, keys, segment)

    def _check_vectors(self, doc, vectors, segment):
        """``check`` with the substitute rules' candidates from ``_Vectors`` and the
        other rules' keys from an automaton of their own: the same hits."""
        cands, keys = vectors.find(doc.text)
        others = vectors.others
        found = None
        for j, spec in enumerate(self.specs):
            # (no generator for a rule without candidates or keys: most of a small page's)
            if spec["edit"] == "substitute":
                if cands[j]:
                    yield from self._check_candidates(doc, spec, vectors.targets[j], cands[j], segment)
            elif keys is not None:
                if keys[j]:
                    yield from self._check_other(doc, spec, keys[j], segment)
            else:
                if found is None:
                    found = others.find(doc)  # None for a text over ONE_LIST: passes again per rule
                yield from self._check_other(doc, spec, others.keys(others.matches(doc, found), j), segment)

    def _check_candidates(self, doc, spec, targets, cands, segment):
        """The rest of ``_check_substitute`` for the rows that passed its pure tests
        in arrays (``_Vectors.candidates``, _window's first tests among them), in the
        order it visits them: after a hit it goes on with the next key hit (``done``).
        ``targets``: the rule's phrases by row (``_Vectors.targets``)."""
        text = doc.text
        taken_until, seen, done = -1, set(), -1
        for p, r, start, i in cands:
            if p == done or start < taken_until:
                continue
            target = targets[r]
            n = len(target)
            hit = self._window(doc, spec, start, text[start:start + n], target, i, segment, seen)
            if hit is not None:
                taken_until, done = start + n, p
                yield hit

    def _keys_all_han(self) -> bool:
        """Whether every key of every rule holds a character of U+4E00-U+9FFF (the
        shipped ones do; ``all_han``, found when the index is built), asked only of
        a text without one."""
        found = getattr(self, "_all_han", None)
        if found is None:
            found = self._all_han = all(spec["all_han"] for spec in self.specs)
        return found

    def prepare_for_many(self) -> None:
        """Many documents are coming (``Linter.warm``, before ``--jobs`` forks its
        workers): the automaton and the substitute rules' arrays are built now,
        once, for the workers to inherit, instead of in each worker after its own
        first million characters (numpy's import and the arrays, 0.2 s a worker,
        and that million through the plain loops)."""
        if not multiscan.available():
            return
        ident = self.ident
        scan = _SCANS.get(ident)
        if scan is None:
            scan = _SCANS[ident] = _Scan(self.specs)
        if scan._vectors is False:
            scan._vectors = _Vectors.build(self.specs)

    def expect_many(self, sizes) -> None:
        """A run is about to check documents of ``sizes`` bytes (``Linter.expect_many``):
        when the plain loops over their characters (at least a third of the bytes, a
        character of Chinese text being three) would pass what the arrays cost
        (``_past_loops``, as ``prepare_batch`` asks of a batch), the arrays are built
        now, before the first document, instead of after the loops have gone through
        that much of the run's text. The 2,000 two-line files of s24_small looped
        through their first six batches: the whole --jobs 1 run 4,731 -> 4,394 M
        instructions (callgrind). numpy is then loaded before the first batch, so
        the kinds that use it once it is (doubled's doubles, multiscan's tables)
        do from the first document: the first 100 corpus files (whose first batch
        built the arrays at its near_miss turn) 3,208 -> 3,167 M, ``re`` work
        gone from that batch's earlier kinds. Not for one document: its own text
        tells ``prepare_batch`` when it comes, and its bytes alone misjudge it
        (100,000 ASCII brackets taken for Chinese text imported numpy and built the
        arrays for nothing: 0.12 -> 0.19 s of CPU)."""
        if len(sizes) < 2:
            return
        if _SCANS.get(self.ident) is not None or self._past_loops(sum(sizes) // 3):
            self.prepare_for_many()

    def prepare_batch(self, docs) -> None:
        """A batch of documents is coming, each checked in turn (``Linter.lint_many``):
        once the arrays are built, the other rules' keys of all of them are found
        together (``_Vectors.prepare``), the same as one by one. When the plain loops
        over the batch would take them past what the automaton costs (``_scan``),
        the arrays are built now, before its first document, rather than at the
        document that passes it: the whole batch is then found together (the first
        100 realworld pages: near_miss 0.11 -> 0.09 s of thread_time)."""
        texts = [doc.text for doc in docs if len(doc.text) <= VECTORS_UPTO]
        scan = _SCANS.get(self.ident)
        if scan is None and self._past_loops(sum(map(len, texts))):
            self.prepare_for_many()
            scan = _SCANS.get(self.ident)
        vectors = scan._vectors if scan is not None else None
        if isinstance(vectors, _Vectors):
            vectors.prepare(texts)

    def _scan(self, doc):
        """The kind's automaton over all its rules' keys, or None while the plain
        loops cost less than building it (``AUTOMATON_AFTER``)."""
        ident = self.ident
        scan = _SCANS.get(ident)
        if scan is None:
            if not self._past_loops(len(doc.text)):
                _LOOPED[ident] = _LOOPED.get(ident, 0) + len(doc.text) * len(self.specs) * LOOPED_CHAR
                return None
            scan = _SCANS[ident] = _Scan(self.specs)
        return scan

    def _past_loops(self, size: int) -> bool:
        """Whether the plain loops over ``size`` more characters would take them past
        what building the automaton costs (``AUTOMATON_AFTER``)."""
        looped = _LOOPED.get(self.ident, 0) + size * len(self.specs)
        return looped > AUTOMATON_AFTER * sum(spec.get("key_chars", 0) for spec in self.specs)

    @staticmethod
    def _prepared(spec) -> _Prepared:
        return NearMissKind._kept(spec, "prepared", lambda: _prepare(spec["index"]))

    @staticmethod
    def _kept(spec, name: str, make):
        """``spec[name]``, made on first use and kept for the next run in this process
        (a cluster worker got the spec pickled: none there)."""
        found = spec.get(name)
        if found is None:
            found = spec[name] = make()
            _COMPILED.get(spec["key"], {})[name] = found
        return found

    @staticmethod
    def _plain_keys(doc, spec) -> list:
        index = spec["index"]
        if isinstance(index, _PackedIndex):
            return index.keys_in(doc.text)
        return list(NearMissKind._keys(doc.text, spec["heads"], index))

    def _check_other(self, doc, spec, keys, segment):
        text, index = doc.text, spec["index"]
        punct = _PUNCT_AFTER.match if spec["edit"] == "truncate" else None
        # key -> its candidates less those _confirm rejects whatever the text around
        # (``_rejected_alone``: for these edits the window is the key), asked once a
        # key in this process (``ALIVE``) instead of at every hit: 4,192 of the
        # corpus's 6,993 keys that came to _confirm stopped at those tests.
        alive = self._kept(spec, "alive", dict) if self.ALIVE else None
        taken_until = -1
        for p, key in keys:
            if p < taken_until:
                continue
            # Most keys stand inside their phrase written in full (入党申请书 holds 党申请书):
            # _confirm's first rejection, tested here before any other work, like its
            # first test for a truncate key, the same for all its candidates.
            end = p + len(key)
            if punct is not None and not punct(text, end):
                continue
            if alive is None:
                cands = index[key]
            else:
                cands = alive.get(key)
                if cands is None:
                    cands = alive[key] = tuple(c for c in index[key]
                                               if not self._rejected_alone(spec, key, c[0], c[1], segment))
                if not cands:
                    continue
            cands = [c for c in cands if c[0] not in text[max(0, p - len(c[0])):end + len(c[0])]]
            if len(cands) > 1:  # 啧啧称: 称赞 before 称奇 (more common)
                cands = sorted(cands, key=lambda c: -segment.frequency(c[0]))
            for target, k in cands:
                start, win, i = p, key, k
                if start < taken_until:
                    continue
                hit = self._confirm(doc, spec, start, win, target, i, segment, alive is not None)
                if hit is not None:
                    taken_until = start + len(win)
                    yield hit
                    break

    def _window(self, doc, spec, start, win, target, i, segment, seen):
        """The last tests of a substitute window one character (``i``) away from
        ``target``, shared by both ways of finding them: two of _confirm's tests
        first, cheap ones that reject most windows here, then a window reached before
        from the key at its other end, then _confirm."""
        if target[i] in _NUMERALS or not alike(win[i], target[i], spec["vocab"][target]):
            return None
        if (start, target) in seen:
            return None
        seen.add((start, target))
        return self._confirm(doc, spec, start, win, target, i, segment)

    def _check_substitute(self, doc, spec, matches, rows_at, segment):
        """A window one character away from a phrase whose first or last two characters
        (the key at offset k) are right. Most key hits are common words followed by
        anything: one wrong character leaves one half of the rest of the phrase intact,
        so two ``startswith`` tests reject them before any other work. ``matches``:
        (key, position, _) in order of position, ``rows_at[key]`` the key's rows."""
        text, ne = doc.text, operator.ne
        starts = text.startswith
        taken_until, seen = -1, set()
        few, tests = (rows_at.FEW, rows_at.tests) if isinstance(rows_at, _RowsAt) else (1 << 30, None)
        for key, p, _ in matches:
            rows = rows_at[key]
            if len(rows) >= few:
                match, back = tests[key]
                if p >= back and not match(text, p - back):
                    continue  # none of its rows passes the half test
            for a, left, b, right, target, k, n in rows:
                # A window that would start before the text is dropped below (p + a and
                # p + b are never below its start p - k).
                if not (starts(left, p + a) or starts(right, p + b)):
                    continue
                start = p - k
                if start < taken_until or start < 0 or starts(target, start):
                    continue  # (the last: the phrase itself, written right)
                win = text[start:start + n]
                if len(win) != n:
                    continue
                diff = list(map(ne, win, target))
                if diff.count(True) != 1:
                    continue
                hit = self._window(doc, spec, start, win, target, diff.index(True), segment, seen)
                if hit is not None:
                    taken_until = start + n
                    yield hit
                    break

    @staticmethod
    def _keys(text, heads, index):
        """(position, key) of every index key in the text, by its first two characters."""
        get = heads.get
        for p in range(len(text) - 1):
            lengths = get(text[p:p + 2])
            if lengths is None:
                continue
            for n in lengths:
                key = text[p:p + n]
                if key in index:
                    yield p, key
                    break

    @staticmethod
    def _gap(p: int, end: int, i: int, n: int) -> list:
        """The neighbours of a delete candidate's missing character ``i`` (window [p, end),
        phrase of ``n``): the window's first or last character, or the two around it."""
        return [p] if i == 0 else [end - 1] if i == n - 1 else [p + i - 1, p + i]

    # Whether _check_other asks _confirm's tests of a key alone once (``_rejected_alone``);
    # False: at every hit, as _confirm asks them (tests compare the two).
    ALIVE = True

    @classmethod
    def _rejected_alone(cls, spec, win, target, i, segment) -> bool:
        """Whether one of _confirm's tests that read the window alone, not the text
        around it, rejects ``win`` (``target`` with character ``i`` edited): for
        every edit but substitute the window is the key."""
        if win in spec["vocab"] or not _gb2312(win):
            return True
        edit = spec["edit"]
        if edit == "substitute":
            return False  # (its dictionary test after the cheaper ones of the text: _confirm)
        if edit == "delete":
            # The orphan test of _confirm, less its words: no neighbour of the gap is
            # rare enough, whatever the words (504 of the corpus's 1,986 delete
            # candidates that reached the words of their clause).
            if not any(segment.frequency(win[g]) < _ORPHAN_FREQ for g in cls._gap(0, len(win), i, len(target))):
                return True
        elif edit == "truncate" and segment.frequency(win[-1]) >= _ORPHAN_FREQ:
            return True  # the suffix test of _confirm, less its words
        return segment.in_dictionary(win)

    def _confirm(self, doc, spec, p, win, target, i, segment, checked=False):
        """A hit for ``win`` at ``p`` (``target`` with character ``i`` edited) or None.
        ``checked``: _check_other asked the first tests below already (a truncate
        key's punctuation, ``_rejected_alone``, the phrase written in full there)."""
        text, edit, end = doc.text, spec["edit"], p + len(win)
        # The tests below are pure: the cheap ones come first (on 200 corpus files, 1,139
        # of 1,542 truncate keys stop at the punctuation, 246 of 1,047 delete keys at
        # their context before the words of their clause are asked for).
        if not checked:
            if edit == "truncate" and not _PUNCT_AFTER.match(text, end):
                return None  # a line break may only have moved the last character
            if self._rejected_alone(spec, win, target, i, segment):
                return None
            # The full phrase is right there (保持共产党员先进性 holds 持共产党员先进性).
            lo = max(0, p - len(target))
            if target in text[lo:end + len(target)]:
                return None
        if edit == "substitute":
            if not alike(win[i], target[i], spec["vocab"][target]):
                return None  # cheap before the dictionary: jieba loads only for real candidates
            if segment.in_dictionary(win):
                return None
        elif edit == "delete":
            if i == 0 and not (p > 0 and _HAN_RUN.match(text[p - 1])):
                return None  # at a line start or after a mask (X的二十大) the head was not typed
            if i == len(target) - 1 and not _HAN_RUN.match(text[end:end + 1]):
                return None  # a line break or the end: the word may go on on the next line
            if not _gb2312(text[max(0, p - 1):end + 1]):
                return None  # 黨的二十大 is not 的二十大
        why = ""
        if edit == "substitute":
            tests = spec["vocab"][target]
            if len(target) < 4:  # three characters leave too little to trust a near sound
                tests = tuple(t for t in tests if t != "near_sound")
            why = alike(win[i], target[i], tests)
            # 'any' holds only for names the dictionary knows as one word (太平天国,
            # 戊戌变法); a compound name (大庆|精神) has a common neighbour (大会精神).
            if not why or (why == "any" and not segment.in_dictionary(target)):
                return None
            why = f"“{win[i]}”与“{target[i]}”{why}" if why != "any" else f"“{win[i]}”应为“{target[i]}”"
        elif edit == "delete":
            why = f"漏了“{target[i]}”"
        elif edit == "transpose":
            why = f"“{target[i + 1]}{target[i]}”前后颠倒"
        else:
            singles = {s for w, s, e in doc.tokens(p, end) if e - s == 1}
            if end - 1 not in singles or segment.frequency(text[end - 1]) >= _ORPHAN_FREQ:
                return None  # 活动中、: a word of its own plus a common suffix
            why = f"漏了末字“{target[-1]}”"
        # Word boundaries: the candidate is a unit of the sentence, not part of longer words.
        bounds = set()
        for _, s, e in doc.tokens(p, end):
            bounds.add(s)
            bounds.add(e)
        if p not in bounds or end not in bounds:
            return None
        if edit == "delete":
            # A dropped character orphans its neighbour: 入|申请书, 创先争优|活. When the rest
            # reads as whole words (科学|发展, 基层|支部) or the neighbour is a function
            # word (为|群众|办实事), the shorter phrase is a phrase of its own.
            singles = {s for w, s, e in doc.tokens(p, end) if e - s == 1}
            if not any(g in singles and segment.frequency(text[g]) < _ORPHAN_FREQ
                       for g in self._gap(p, end, i, len(target))):
                return None
        if edit == "delete" and i == len(target) - 1:
            # A dropped last character leaves the next word intact (创先争优活|结合); a
            # single character there is more likely the wrong last character itself.
            nxt = [e - s for _, s, e in doc.tokens(p, end) if s == end]
            if nxt and nxt[0] < 2:
                return None
        if spec["veto"] and spec["veto"].vetoes(doc, p, end):
            return None
        return Hit(p, end, spec["rule"], target, {"suggestion": target, "why": why})
