"""One pass of a multi-pattern automaton (ahocorasick-rs) over a text.

``ahocorasick-rs`` finds thousands of literals at once in Rust, with offsets in
code points (the offsets of ``str``). It takes ``str`` through UTF-8, which has
no encoding for a lone surrogate (an undecodable byte kept by
``surrogateescape``), so such characters are first replaced by U+FFFD: one
code point for one, every offset unchanged, and no literal contains either.

Without the package (an old virtualenv), ``available()`` is False and callers
keep their plain scan: the findings are the same, only slower.
"""
from __future__ import annotations

import re
import sys
from codecs import utf_16_be_encode
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from itertools import accumulate, chain, repeat
from operator import add, itemgetter
from typing import Iterator, List, Optional, Sequence, Tuple

from . import pattern_cache
from .regex_anchors import useful
from .structure import line_starts_of

try:
    import ahocorasick_rs as _ac
except ImportError:  # pragma: no cover - exercised only without the dependency
    _ac = None

_SURROGATE = pattern_cache.compile_re("[\ud800-\udfff]")


def available() -> bool:
    return _ac is not None


def scannable(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (same length)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)


# A long text is scanned a piece of whole lines at a time (Automaton.find): the
# list of one piece's matches is what a scan holds at once. near_miss's 35,000 keys
# match every few characters of Chinese, so a piece of 1M characters listed 67 MB of
# tuples at once on the 20 MB file (its peak RSS at the limit); 256K: 17 MB.
_PIECE = 1 << 18
CACHED_TEXTS = 64  # AnchorIndex: anchor hits kept for this many texts (2 per document of a batch)
CACHED_CHARS = 4_000_000  # ... and for at most about this many characters
_LISTED = 1 << 14  # AnchorIndex._hits: offsets in lists up to this many characters


def line_pieces(text: str):
    """(start, stop) of consecutive pieces of ``text`` of about ``_PIECE`` characters,
    each ending after a line break (or at the end): a literal without a line break
    is found in its piece exactly as in the whole text."""
    pos, size = 0, len(text)
    while pos < size:
        stop = text.find("\n", pos + _PIECE) + 1 if size - pos > _PIECE else size
        if stop <= 0:
            stop = size
        yield pos, stop
        pos = stop


# The UTF-16 code units of the last texts read (``utf16``, big-endian: below): a document's text is
# encoded by the shared anchor pass and again by each CharTable that reads it
# (byte_shift, pairs, letter_mask: three more a corpus document), the kinds running
# over a batch of documents one kind at a time. c100: 522 encodes of 182 texts
# (callgrind: _codecs.utf_16_le_encode 32.6 M instructions on texts, then little-endian).
_UNITS: dict = {}  # id(text) -> (text, its bytes or None: a lone surrogate), the oldest first
_UNITS_LONGEST = 1 << 16  # a longer text is encoded each time, never kept
_UNITS_CHARS = [0, 1 << 21]  # characters kept, and at most this many
# The code units are big-endian (UTF-16-BE): the high byte of a Chinese character,
# one of some 80, comes first, and the automaton of the shared pass, in those bytes,
# has fewer transitions out of its first states than with the low byte first
# (callgrind, c100: its build and scan 213.5 -> 200.5 M instructions). A CharTable
# reads them as the machine's own 16-bit integers (UNITS_SWAPPED: then byte-swapped code points).
UNITS_SWAPPED = sys.byteorder == "little"


def utf16(text: str, keep: bool = True) -> Optional[bytes]:
    """``text`` encoded as UTF-16-BE (strict), or None when it holds a lone
    surrogate; kept for the next call on the same text (``keep``, a text of at most
    _UNITS_LONGEST characters) among the last CACHED_TEXTS. The text is held with
    its bytes, so its id is not reused while kept."""
    got = _UNITS.get(id(text))
    if got is not None:
        return got[1]
    try:
        raw = utf_16_be_encode(text)[0]
    except UnicodeEncodeError:
        raw = None
    if keep and len(text) <= _UNITS_LONGEST:
        _UNITS[id(text)] = (text, raw)
        kept = _UNITS_CHARS
        kept[0] += len(text)
        while len(_UNITS) > CACHED_TEXTS or kept[0] > kept[1]:
            kept[0] -= len(_UNITS.pop(next(iter(_UNITS)))[0])
    return raw


class Automaton:
    """All occurrences of a fixed list of literals (none empty, none with a surrogate)."""

    def __init__(self, literals: Sequence[str], longest: bool = False, lazy: bool = False):
        """``longest``: non-overlapping leftmost-longest matches (what a regex
        alternation shaped like a trie finds) instead of every occurrence.
        ``lazy``: built by the first search (``__getattr__``), not now, for a
        caller that most runs never let search (terms' own automaton of 628
        phrases, for folded texts and floods: 7 M instructions at every start)."""
        self.literals = list(literals)
        self.longest = longest
        self.lazy = lazy
        self.same_length = False  # set by a caller that knows
        if not lazy:
            self._ac = self._build()
        # No literal holds a line break: no match crosses one, so a text can be
        # scanned in pieces of whole lines with the same matches in the same order.
        # Asked of the literals joined, not of each (near_miss's 35,525 keys, callgrind:
        # 15.5 -> 4.8 M instructions).
        self._by_lines = "\n" not in "".join(self.literals)

    def _build(self):
        kind = _ac.MatchKind.LeftmostLongest if self.longest else _ac.MatchKind.Standard
        return _ac.AhoCorasick(self.literals, matchkind=kind) if self.literals else None

    def __getattr__(self, name: str):
        """The automaton of a ``lazy`` one, at its first search (the only attribute
        ever missing: read from then on without this call)."""
        if name != "_ac":
            raise AttributeError(name)
        self._ac = self._build()
        return self._ac

    def find(self, text: str, overlapping: bool = True) -> Iterator[Tuple[int, int, int]]:
        """(literal index, start, end) of every occurrence, ordered by end then start
        (overlapping) — ``text`` must already be :func:`scannable`. A long text is
        scanned in pieces of about 1 MB of whole lines, so the automaton's list
        of matches is never that of a whole 20 MB file."""
        if self._ac is None:
            return iter(())
        if len(text) <= _PIECE or not self._by_lines:
            return iter(self._ac.find_matches_as_indexes(text, overlapping=overlapping))
        return self._pieces(text, overlapping, None)

    def find_in(self, text: str, overlapping: bool = True) -> Iterator[Tuple[int, int, int]]:
        """``find`` on any text (not yet :func:`scannable`), made scannable and
        scanned a piece of whole lines at a time: neither a copy of a 20 MB text
        nor the list of all its matches is ever held at once."""
        if self._ac is None:
            return iter(())
        if not self._by_lines:
            return iter(self._ac.find_matches_as_indexes(scannable(text), overlapping=overlapping))
        return self._pieces(text, overlapping, scannable)

    def any_in(self, text: str) -> bool:
        """Whether any literal occurs in ``text`` (any text), piece by piece."""
        for _ in self.find_in(text, overlapping=False):
            return True
        return False

    def find_list(self, text: str, overlapping: bool = True) -> List[Tuple[int, int, int]]:
        """``find`` as one list, from one scan (for a text already cut to size)."""
        return self._ac.find_matches_as_indexes(text, overlapping=overlapping) if self._ac is not None else []

    def _pieces(self, text: str, overlapping: bool, prepare):
        """The matches in each piece of whole lines (``prepare``d first, if given)."""
        find = self._ac.find_matches_as_indexes
        for pos, stop in line_pieces(text):
            piece = text if pos == 0 and stop == len(text) else text[pos:stop]
            found = find(piece if prepare is None else prepare(piece), overlapping=overlapping)
            if pos == 0:
                yield from found
            else:
                for i, s, e in found:
                    yield i, s + pos, e + pos

    def __getstate__(self):  # --jobs under spawn pickles kinds: rebuild, do not pickle Rust
        return {"literals": self.literals, "longest": self.longest, "same_length": self.same_length,
                "lazy": self.lazy}

    def __setstate__(self, state):
        self.__init__(state["literals"], state.get("longest", False), state.get("lazy", False))
        self.same_length = state.get("same_length", False)


class CharSet:
    """Whether a text holds any of a fixed set of characters. One ``re`` class
    search over the text (the engine tests a character of the Basic Multilingual
    Plane against a bitmap): ten times faster on Chinese text than a frozenset's
    isdisjoint, which hashes every character. A class holding characters beyond
    U+FFFF loses the bitmap, so those few are tested apart, and only in a text
    that has such characters at all."""

    def __init__(self, chars):
        self.chars = frozenset(chars)
        bmp = "".join(sorted(c for c in self.chars if c <= "\uffff"))
        # Through the pattern cache: a class of thousands of characters compiles in ms.
        self._bmp = pattern_cache.compile_re(f"[{re.escape(bmp)}]") if bmp else None
        self._astral = frozenset(c for c in self.chars if c > "\uffff")
        # No ASCII character among them: an ASCII text (a flag, read at once) holds none.
        self._beyond_ascii = not any(c.isascii() for c in self.chars)

    def any_in(self, text: str) -> bool:
        if self._beyond_ascii and text.isascii():
            return False
        if self._bmp is not None and self._bmp.search(text) is not None:
            return True
        return bool(self._astral) and _ASTRAL.search(text) is not None and not self._astral.isdisjoint(text)


class CharTable:
    """Where the characters of a fixed set of the Basic Multilingual Plane stand in a
    text (``positions``), read from a table of 65,536 bools by numpy when a run has
    it loaded (near_miss loads it in a default run; never loaded for this: that
    costs 0.1 s): the text's UTF-16 code units looked up by ``take``, a few
    instructions a character, where ``re`` tests a class at every position of its
    scan (about 80 instructions a character under callgrind). None where the
    caller's own scan is as cheap or the table cannot tell: numpy not loaded, a
    text under LEAST characters, one with a character beyond the plane (its code
    units are not its characters), or more than one position in 2**DENSITY
    characters (a flood: a list of its positions would cost more than the scan)."""
    LEAST = 2000
    DENSITY = 7
    STEP = 1 << 16  # characters looked up at a time (take copies its indices to 8 bytes each)

    def __init__(self, chars):
        self.chars = chars  # a str or a set of characters
        # The table, made at its first use; False: the set has a character beyond
        # the plane or a surrogate, which has no entry (a class finds a lone
        # surrogate, the table would not), and the table is never read.
        self._table = None

    def __getstate__(self):  # --jobs under spawn: the table is made again where used (numpy not loaded for it)
        return {"chars": self.chars, "_table": None if self._table is not False else False}

    def positions(self, text: str) -> Optional[list]:
        """The offsets of the set's characters in ``text``, in order, or None (see the class)."""
        table = self._usable_for(text)
        if table is None:
            return None
        np = sys.modules["numpy"]
        most = len(text) >> self.DENSITY
        found = []
        for at, piece, units in self._pieces(np, text):
            if len(units) != len(piece):
                return None
            held = np.flatnonzero(table.take(units))
            if len(held):
                if len(found) + len(held) > most:
                    return None
                found.extend((held + at).tolist() if at else held.tolist())
        return found

    def chars_in(self, text: str) -> Optional[str]:
        """The set's characters in ``text``, in order, as one string (what the class's
        ``findall`` gives, joined), or None: numpy not loaded, a text under LEAST
        characters, a set the table cannot hold. No Python step a character, so
        no limit to how many: a character beyond the plane is two surrogate
        units, in no entry, as in no class."""
        table = self._usable_for(text)
        if table is None:
            return None
        found = []
        for _, _, units in self._pieces(sys.modules["numpy"], text):
            held = table.take(units)
            if held.any():
                found.append(units[held].tobytes().decode("utf-16-be"))
        return "".join(found)

    def _usable_for(self, text: str):
        """The table (made at the first use), or None where it is not read (see the class)."""
        if len(text) < self.LEAST:
            return None
        np = sys.modules.get("numpy")
        table = self._table
        if np is None or table is False:
            return None
        if table is None:
            points = sorted(set(map(ord, self.chars)))
            if not all(p < 0xD800 or 0xE000 <= p <= 0xFFFF for p in points):
                self._table = False
                return None
            table = self._table = np.zeros(0x10000, dtype=bool)
            # Indexed by the code units' UTF-16-BE bytes read as the machine's
            # own 16-bit integers (byte-swapped on a little-endian one): the
            # bytes the shared pass keeps (utf16), read by numpy without a cast
            # (a ">u2" array's swap and cast to take's indices: 3.8 M of c100).
            table[np.array(points, dtype=np.uint16).byteswap() if UNITS_SWAPPED else points] = True
        return table

    def _pieces(self, np, text: str):
        """(offset, piece, its UTF-16 code units) of each STEP characters of ``text``."""
        step = self.STEP
        if len(text) <= step:  # one piece: its units perhaps read already (utf16)
            raw = utf16(text)
            if raw is None:  # a lone surrogate: one code unit of its own
                raw = text.encode("utf-16-be", "surrogatepass")
            yield 0, text, np.frombuffer(raw, dtype="=u2")
            return
        for at in range(0, len(text), step):
            piece = text[at:at + step]
            yield at, piece, np.frombuffer(piece.encode("utf-16-be", "surrogatepass"), dtype="=u2")


_ASTRAL = pattern_cache.compile_re("[\U00010000-\U0010ffff]")
_ASTRAL_OR_FFFF = pattern_cache.compile_re("[\uffff-\U0010ffff]")
# What UnitAutomaton reads a lone surrogate as: the first of these that no literal
# holds. Each is two equal bytes, so a run of them read from its odd byte is the
# same character again, not a literal's (U+FFFE's bytes FE FF, read so, made the
# byte-order mark U+FEFF, an anchor: 227,000 matches straddling the corpus's
# undecodable runs). Not U+FFFF, which stands for the characters beyond it.
_LONE = ("\ufefe", "\ue0e0", "\uf0f0", "\ufdfd")


class UnitAutomaton:
    """Every occurrence (overlapping) of a fixed list of literals, like
    ``Automaton.find_list``, found in the text's UTF-16 code units rather than its
    UTF-8 bytes: a Chinese character is two bytes there instead of three, so the
    automaton takes a third fewer steps (the shared anchor pass's 19,500 literals
    over 300 corpus files: 58 -> 39 ms, plus 1 ms to encode). Any text is taken: a
    lone surrogate (which no literal can hold) is read as a character that no
    literal holds either (``_lone``), so the occurrences are those ``str.find``
    gives. Not as U+FFFD, as ``scannable`` makes it: DJ110's anchor ``\ufffd``
    then stood at every undecodable byte, and the 50 corpus files with such bytes
    gave 311,000 of the pass's 441,000 matches (those 50 files' pass: 0.067 ->
    0.028 s; the 1000 files': 0.186-0.187 -> 0.148-0.151 s)."""

    def __init__(self, literals: Sequence[str], dfa: bool = False):
        """``dfa``: the automaton as a DFA, the same matches in about half the scan
        time for a build several times longer (furniture's 157 shape literals: 1 ms
        against 0.1 ms), for a caller that scans enough to earn it back."""
        self.literals = list(literals)
        self.dfa = dfa
        implementation = _ac.Implementation.DFA if dfa else None
        # The codec's own function: ``str.encode("utf-16-be")`` looks the codec up
        # by its name at every call (the shared automaton's 19,900 literals: 4.8 ->
        # 1.2 ms, in the Python part of the build).
        self._ac = _ac.BytesAhoCorasick([utf_16_be_encode(lit)[0] for lit in self.literals],
                                        implementation=implementation) if self.literals else None
        # What follows asks whether any literal holds a character: the literals
        # joined hold it then (a search per literal: 1.9 ms of the shared automaton's).
        held = "".join(self.literals)
        # One code unit, no surrogate, in no literal (U+FFFD, the last resort, is one
        # too: where a literal holds it, an anchor may stand where the text has none).
        self._lone = next((c for c in _LONE if c not in held), "\ufffd")
        # No literal beyond U+FFFF (nor U+FFFF itself): a text's characters beyond it
        # can be read as U+FFFF, one code unit, and no match changes.
        self._bmp = _ASTRAL_OR_FFFF.search(held) is None
        # No literal holds a line break (as Automaton._by_lines): find_in may scan
        # by pieces. Worked out once, not at every call (furniture's 140 literals,
        # once a document: 7 us of its 60 on a realworld page).
        self._by_lines = "\n" not in held
        # Whether the last text ``find_halves`` read holds a character beyond U+FFFF,
        # a surrogate (none read yet: True): AnchorIndex.register_astral.
        self.astral = self.lone = True

    def find_halves(self, text: str, keep: bool = False) -> list:
        """(literal index, start, end) of every occurrence, ordered by end then
        start, in half characters: twice the offsets of ``str``; an odd start is a
        match that straddles two characters, not an occurrence. (The caller halves
        the offsets in its own loop over the matches: a list of converted tuples
        cost a third of what the narrower alphabet saves.)"""
        if self._ac is None:
            # (No literal: a _Subset of a pathological text's characters, rarely.)
            self.astral = _ASTRAL.search(text) is not None
            self.lone = _SURROGATE.search(text) is not None
            return []
        # The codec's own function, as for the literals (str.encode looks it up by
        # name); the units kept for the CharTables to come when ``keep`` (utf16).
        raw = utf16(text, keep)
        self.lone = raw is None
        if raw is None:  # a lone surrogate
            text = _SURROGATE.sub(self._lone, text)
            raw = utf_16_be_encode(text)[0]
        astral = self.astral = len(raw) != 2 * len(text)
        if astral and self._bmp:  # characters beyond U+FFFF (5% of the corpus files)
            raw = utf_16_be_encode(_ASTRAL.sub("\uffff", text))[0]
        found = self._ac.find_matches_as_indexes(raw, overlapping=True)
        if len(raw) == 2 * len(text):
            return found  # two bytes a character: byte offsets are half characters
        # A character beyond U+FFFF is two code units (no literal of the Basic
        # Multilingual Plane matches either half): a unit offset less the pairs
        # that end at or before it is the character offset.
        after = [m.start() + k + 2 for k, m in enumerate(_ASTRAL.finditer(text))]
        out = []
        for i, s, e in found:
            if not s & 1:
                s, e = s >> 1, e >> 1
                out.append((i, 2 * (s - bisect_right(after, s)), 2 * (e - bisect_right(after, e))))
        return out

    def find_list(self, text: str) -> List[Tuple[int, int, int]]:
        """``find_halves`` in the offsets of ``str``, without the straddling matches."""
        return [(i, s >> 1, e >> 1) for i, s, e in self.find_halves(text) if not s & 1]

    def find_in(self, text: str) -> Iterator[Tuple[int, int, int]]:
        """``find_list`` on any text, as ``Automaton.find_in`` reads it: a piece of
        whole lines at a time when no literal holds a line break, so neither the
        UTF-16 copy of a 20 MB text nor the list of all its matches is held at once."""
        if self._ac is None:
            return
        if not self._by_lines:
            yield from self.find_list(text)
            return
        for pos, stop in line_pieces(text):
            for i, s, e in self.find_halves(text if pos == 0 and stop == len(text) else text[pos:stop]):
                if not s & 1:  # a match straddling two characters is no occurrence
                    yield i, (s >> 1) + pos, (e >> 1) + pos

    def __getstate__(self):  # --jobs under spawn: rebuilt in the worker, as Automaton
        return {"literals": self.literals, "dfa": self.dfa}

    def __setstate__(self, state):
        self.__init__(state["literals"], state.get("dfa", False))


# A handle whose anchors are too dense to walk: its pattern scans the whole text.
WHOLE = ("whole",)
# AnchorIndex._plan of every handle of register_words (reach -1: no windows, no ``same``).
_WORD_PLAN = (-1, 0, (), 0, -1, "")


class _TextCache:
    """AnchorIndex's hits of the last texts asked for. Two texts per document at most
    (the text, a folded copy), and the kinds run over a batch of documents one kind
    at a time (Linter.lint_many): the texts of the last CACHED_TEXTS // 2 documents
    are kept, up to about CACHED_CHARS characters (a 20 MB file keeps only itself).
    Found by the text's id (the text is held, so its id is not reused), else by an
    equal text of the same length (only those are compared), without a Python step
    per text kept: a list walked twice a look-up and rebuilt on each new text was
    35 us a document on small files (_hits, 2,000 realworld files cut to 60 bytes:
    0.075 s of 0.107 s), and a count by length still walked all of them when one
    had the text's length (0.027 s there)."""
    __slots__ = ("_by_id", "_by_len", "_chars")

    def __init__(self):
        self._by_id: dict = {}   # id(text) -> (text, hits), the oldest first
        self._by_len: dict = {}  # len(text) -> [(text, hits)] of that length, the oldest first
        self._chars = 0

    def get(self, text: str):
        """The hits kept for ``text`` (or an equal text), or None."""
        got = self._by_id.get(id(text))
        if got is not None:
            return got[1]
        for seen, hits in self._by_len.get(len(text), ()):
            if seen == text:
                return hits
        return None

    def put(self, text: str, hits: dict) -> None:
        """Keep ``text``'s hits; the oldest texts go past CACHED_TEXTS or CACHED_CHARS."""
        by_id, by_len = self._by_id, self._by_len
        entry = (text, hits)
        by_id[id(text)] = entry
        same = by_len.get(len(text))
        if same is None:
            by_len[len(text)] = [entry]
        else:
            same.append(entry)
        self._chars += len(text)
        while len(by_id) > CACHED_TEXTS or (self._chars > CACHED_CHARS and len(by_id) > 1):
            seen = by_id.pop(next(iter(by_id)))[0]
            n = len(seen)
            self._chars -= n
            same = by_len[n]
            if len(same) == 1:
                del by_len[n]
            else:
                del same[0]  # the oldest of its length, as it is the oldest of all


# AnchorIndex._few_chars: a text of at most this many distinct characters, while the
# shared automaton is not built, is scanned by an automaton of the literals made of
# them. Only a text of at least _FEW_CHARS_LEAST characters: a short page of few
# characters among others (the realworld pages) cost the literals joined and an
# automaton of its own besides the whole one (1.5 M instructions on 100 pages).
_FEW_CHARS = 32
_FEW_CHARS_LEAST = 1 << 14
_FEW_CHARS_HEAD = 256  # characters counted at once, in a set
# AnchorIndex.expect_few: texts of a run that lints one file (at most this many,
# each shorter than _FEW_CHARS_LEAST) read without the shared automaton.
_FEW_TEXTS = 4
# (automaton, the owners of each of its literals, each one's single owner or -1
# as AnchorIndex._single, its longest literal's length, the positions of its
# literals in AnchorIndex._owners): AnchorIndex._subset.
_Subset = tuple


class AnchorIndex:
    """The anchors of every registered pattern in one automaton: one pass over a
    text finds them all, then each pattern gets the line-aligned windows around
    its own anchors (``windows``). Shared by every kind of a Linter (Context.anchors)."""

    # Windows covering more than this share of a text: scanning it whole is cheaper.
    DENSE = 0.5
    # A text longer than LONG_TEXT with a line longer than LONG_LINE has the windows
    # of a handle with ``cuts`` cut at those characters too (``_cut_windows``); a
    # shorter text is not even asked (a corpus document: some 5,000 characters).
    LONG_LINE = 4096
    LONG_TEXT = 1 << 16

    def __init__(self, enabled: bool = True):
        # enabled=False: every pattern is scanned whole (the reference the tests compare with).
        self.enabled = enabled
        self._few_texts = 0      # texts still to read without the whole automaton (expect_few)
        self._index: dict = {}   # literal -> position in self._owners
        self._owners: list = []  # per literal: the handles that use it
        self._handles = 0
        self._reach: list = []   # per handle
        self._breaks: list = []  # per handle
        self._also: list = []    # per handle: a second set of literals (register)
        self._at: list = []      # per handle: register's ``at``
        self._small: list = []   # per handle: register's ``small``
        self._near: list = []    # per handle: register's ``near``
        self._auto = None
        self._longest = 1        # the longest literal of _auto
        self._single: list = []  # per literal of _auto: its one owner, or -1 (_take)
        # Literals kept (a frozenset of their positions in _owners) -> the _Subset of
        # them: ``_without_whole``, ``_few_chars``.
        self._reduced: dict = {}
        # (the literals joined, each after a NUL and the last before one; where each
        # one's NUL is), or False when a literal holds a NUL: ``_made_of``.
        self._joined = None
        self._cache = _TextCache()  # hits per handle for the last texts
        # Handles with the same literals and line breaks have the same windows (before
        # ``also``): per handle, the first such handle, whose windows of the last text
        # asked for are kept in _windows_of ({first handle: windows}, for _windows_hits).
        # Half the obsolete kind's windows on the corpus (one rule's patterns share
        # their anchors). A handle whose matches may cross lines is its own (no windows).
        self._same: list = []
        self._shapes: dict = {}
        # Per handle, what ``windows`` reads of it in one tuple: (reach, breaks, also,
        # small, same), one look-up instead of five attribute and list look-ups.
        self._plan: list = []
        self._windows_hits = None
        self._windows_of: dict = {}
        # Of the text of _windows_hits: whether it has a line longer than LONG_LINE
        # (None: not asked yet), and the offsets of each set of cuts (_cut_windows).
        self._long = None
        self._cut_points: dict = {}
        # The handles ``register_astral`` gave, or None.
        self._astral = self._lone = None

    def register(self, literals, reach: int = 0, one_line: bool = True, breaks: int = 0,
                 also=(), at=None, small: int = 0, near=None, cuts: str = "") -> Optional[int]:
        """A handle for these anchors, or None (no automaton, or anchors that do not
        help). ``reach``: how far past a match its lookaheads read; ``one_line``
        False: matches may cross lines, at most ``breaks`` line breaks (0: not
        bounded, only a text without the anchors is skipped); ``also``: a second set
        of literals every match holds on a line it touches (regex_anchors.compound):
        a window without one of them is dropped; ``at``: (lo, hi) when every match is not empty
        and holds an anchor that starts from lo to hi characters after it, and its
        scans may try only the positions hi to lo before the anchors (``starts``);
        ``small``: a text shorter than that has one window once it holds an anchor,
        from its first anchor's line to its last's (``_span``); ``near``: (lo, hi,
        lead, longest) when every match is not empty, starts from lo to hi
        characters before one of the anchors and with one of the literals the
        search ``lead`` finds (regex_anchors.near): its scans may try only those
        points around the anchors (``starts``); ``cuts``: characters of a line
        that no match of a one-line pattern without ``also`` runs over, nor what
        its lookarounds read that may hold an anchor (regex_anchors.cut_free): a
        line longer than LONG_LINE has its windows cut there."""
        if not self.enabled or not available() or not literals or not useful(literals):
            return None
        bounded = one_line or breaks > 0
        handle = self._new_handle(reach if bounded else -1, 0 if one_line or not bounded else breaks,
                                  tuple(also), at, small, near)
        # (A handle whose matches may cross lines has no windows: its own shape.)
        cuts = cuts if one_line and not also else ""
        self._same.append(self._shapes.setdefault((frozenset(literals), self._breaks[handle], cuts), handle)
                          if bounded else handle)
        # (A handle whose matches may cross lines: ``windows`` reads no ``same`` of it, -1.)
        self._plan.append((self._reach[handle], self._breaks[handle], self._also[handle], small,
                           self._same[handle] if bounded else -1, cuts))
        for lit in literals:
            i = self._index.get(lit)
            if i is None:
                i = self._index[lit] = len(self._owners)
                self._owners.append([])
            self._owners[i].append(handle)
        self._auto = None
        self._reduced, self._joined = {}, None
        self._cache = _TextCache()
        return handle

    def _new_handle(self, reach: int, breaks: int, also: tuple, at, small: int, near) -> int:
        """The next handle, with what ``windows`` and ``starts`` read of it (its
        shape and plan are its registrar's: ``register``, ``register_astral``)."""
        handle = self._handles
        self._handles += 1
        self._reach.append(reach)
        self._breaks.append(breaks)
        self._also.append(also)
        self._at.append(at)
        self._small.append(small)
        self._near.append(near)
        return handle

    def register_words(self, words) -> Optional[int]:
        """``register([word], 0, one_line=False)`` for each of ``words`` in order,
        in one go (self_spelling's 15,500 words: 0.03 s one call each, on the
        serial start of every large run): the handle of the first word, or None
        when they did not get consecutive handles (no automaton, a word that does
        not narrow a scan: the others are registered all the same)."""
        if not self.enabled or not available() or not words:
            return None
        if not useful(words):  # (useful tells each word alone)
            handles = [self.register([word], 0, one_line=False) for word in words]
            if handles[0] is None or handles != list(range(handles[0], handles[0] + len(handles))):
                return None
            return handles[0]
        first = self._handles
        self._handles += len(words)
        self._reach.extend([-1] * len(words))
        self._breaks.extend([0] * len(words))
        self._also.extend([()] * len(words))
        self._at.extend([None] * len(words))
        self._small.extend([0] * len(words))
        self._near.extend([None] * len(words))
        index, owners, same = self._index, self._owners, self._same
        handles = range(first, first + len(words))
        # Each handle is its own shape, as in ``register``: its matches may cross
        # lines, so ``windows`` never makes windows of it, which is all ``_same``
        # keys (its shape in _shapes, a frozenset and a tuple made and hashed per
        # word, was two thirds of the time: self_spelling's 12,600 words, 7 -> 2.3 ms).
        same.extend(handles)
        # One plan for them all, as ``register`` makes it for each: ``windows`` reads
        # no ``same`` of a plan whose reach is -1. A tuple made per word was a fifth
        # of this call (self_spelling's 12,600 words: each is a container the
        # collector walks while the run's structures grow; callgrind, 5 rounds of
        # a run's registrations: 1,074 -> 967 M instructions).
        self._plan.extend([_WORD_PLAN] * len(words))
        for handle, word in zip(handles, words):
            i = index.get(word)
            if i is None:
                index[word] = len(owners)
                owners.append([handle])
            else:
                owners[i].append(handle)
        self._auto = None
        self._reduced, self._joined = {}, None
        self._cache = _TextCache()
        return first

    def register_astral(self, lone: bool = False) -> Optional[int]:
        """A handle without literals that is in ``present`` of every text holding a
        character beyond U+FFFF (``lone``: a surrogate, such as an undecodable byte
        kept by surrogateescape), as WHOLE, told by the pass's own encoding of the
        text (UnitAutomaton.astral, .lone): a kind's test of a class with such
        members (PatternKind's ``_members_gate``) reads no text for them, where a
        search for them costs what the class's own scan does (``re``: 3.2 ns a
        character). One of each for the run; None without the automaton."""
        if not self.enabled or not available():
            return None
        handle = self._lone if lone else self._astral
        if handle is None:
            handle = self._new_handle(0, 0, (), None, 0, None)
            if lone:
                self._lone = handle
            else:
                self._astral = handle
            self._same.append(handle)
            self._plan.append((0, 0, (), 0, handle, ""))
            self._cache = _TextCache()  # the texts read before lack it
        return handle

    def _take(self, auto: "UnitAutomaton") -> None:
        self._auto = auto
        self._longest = max(map(len, auto.literals), default=1)
        # Most literals have one owner (19,580 of the shipped rules' 19,853): _hits
        # appends its offsets without a loop over its owners.
        self._single = [hs[0] if len(hs) == 1 else -1 for hs in self._owners]

    def __getstate__(self):  # --jobs under spawn: the automaton is rebuilt in the worker
        state = dict(self.__dict__)
        state["_auto"], state["_cache"], state["_reduced"] = None, _TextCache(), {}
        state["_joined"] = None
        state["_windows_hits"], state["_windows_of"] = None, {}
        state["_long"], state["_cut_points"] = None, {}
        return state

    def _hits(self, text: str) -> dict:
        """{handle: its anchors' start offsets (an array of int64: a 20 MB file has
        half a million, 40 bytes each as a list of ints, 8 here; a list in a text
        of at most _LISTED characters), or WHOLE}."""
        if not text:
            # No anchor in an empty text: the automaton is not built for it (an empty
            # file's whole run built the shared automaton all the same, about 70 M of
            # the 1,003 M instructions the run took; callgrind, warm cache).
            return {}
        hits = self._cache.get(text)
        if hits is not None:
            return hits
        few = None
        if self._auto is None:
            if len(text) >= _FEW_CHARS_LEAST:
                few = self._few_chars(text)
            elif self._few_texts:
                self._few_texts -= 1
                few = self._subset(self._led_in(text))
            if few is None:
                self._take(UnitAutomaton(list(self._index)))
        if few is None:
            auto, owners, single, longest, ids = self._auto, self._owners, self._single, self._longest, None
        else:
            auto, owners, single, longest, ids = few
        if len(text) <= min(_LISTED, _PIECE):  # one chunk, offsets in lists
            return self._hits_at_once(text, auto, owners, single)
        hits: dict = {}
        # In chunks of up to 64K characters, cut anywhere (no anchor is longer than
        # _longest, so a chunk starts that much early and keeps only the matches
        # that end inside it): the automaton's list of matches stays small on a
        # 20 MB file, and a flood of one anchor (a megabyte of XX, of stars) is
        # listed for one chunk, not for the whole text.
        size, chunk, reach = len(text), min(_PIECE, 1 << 16), longest - 1
        # A short text's offsets go in lists: a list of one int is made in a quarter
        # of an array's time, for each of the 11 handles of a realworld page (51 of
        # a corpus file), and so many offsets weigh little.
        listed = size <= _LISTED
        pos = 0
        astral = lone = False
        while pos < size:
            stop = min(size, pos + chunk)
            start = max(0, pos - reach)
            # Offsets in half characters (UnitAutomaton.find_halves), halved below.
            found = auto.find_halves(text[start:stop] if start or stop < size else text)
            astral, lone = astral or auto.astral, lone or auto.lone
            if start < pos:
                # Matches come by end: those ending before ``pos`` were the last chunk's.
                k, n, cut = 0, len(found), 2 * (pos - start)
                while k < n and found[k][2] <= cut:
                    k += 1
                if k:
                    found = found[k:]
            if len(found) > (stop - pos) // 2 + 64:
                found = [m for m in found if not m[1] & 1]  # the occurrences only
            if len(found) > (stop - pos) // 2 + 64:
                # Anchors nearly everywhere: every pattern with one here scans the
                # whole text, which is what its windows would come to; the matches
                # are not walked in Python one by one, and the next chunks are read
                # without the anchors whose every owner now scans the whole text.
                # (In the literals' order: the same whether all are read or a _Subset.)
                for i in sorted(set(map(itemgetter(0), found))):
                    for h in owners[i]:
                        hits[h] = WHOLE
                if stop < size:
                    auto, owners, _, _, ids = self._without_whole(hits, ids)
                found = ()
            for i, s, _ in found:
                if s & 1:
                    continue  # straddles two characters
                s = (s >> 1) + start
                for h in owners[i]:
                    got = hits.get(h)
                    if got is None:
                        hits[h] = [s] if listed else array("q", (s,))
                    elif got is not WHOLE:
                        got.append(s)
            pos = stop
        if astral and self._astral is not None:
            hits[self._astral] = WHOLE
        if lone and self._lone is not None:
            hits[self._lone] = WHOLE
        self._cache.put(text, hits)
        return hits

    def _hits_at_once(self, text: str, auto: "UnitAutomaton", owners: list, single: list) -> dict:
        """``_hits`` of a text of one chunk and at most _LISTED characters (every
        document of the corpus and the realworld pages): the same offsets in the same
        order, in lists, appended through a defaultdict (made a plain mapping after:
        a missing handle is a KeyError, as in a dict) and, for a literal of one
        owner, without a loop over its owners. _hits over the first 300 corpus files
        (122,000 matches, each text's pass made again), callgrind: 521.9 -> 505.3 M
        instructions."""
        found = auto.find_halves(text, keep=True)
        size = len(text)
        hits: dict = defaultdict(list)
        if len(found) > size // 2 + 64:
            found = [m for m in found if not m[1] & 1]  # the occurrences only
            if len(found) > size // 2 + 64:
                # Anchors nearly everywhere (as in _hits): their owners scan whole.
                # (In the literals' order: the same whether all are read or a _Subset.)
                for i in sorted(set(map(itemgetter(0), found))):
                    for h in owners[i]:
                        hits[h] = WHOLE
                found = ()
        for i, s, _ in found:
            if s & 1:
                continue  # straddles two characters
            h = single[i]
            if h >= 0:
                hits[h].append(s >> 1)
            else:
                s >>= 1
                for h in owners[i]:
                    hits[h].append(s)
        hits.default_factory = None
        if self._astral is not None and auto.astral:
            hits[self._astral] = WHOLE
        if self._lone is not None and auto.lone:
            hits[self._lone] = WHOLE
        self._cache.put(text, hits)
        return hits

    def expect_few(self, texts: int = _FEW_TEXTS) -> None:
        """Only a few texts are coming (a run of one file): while the shared
        automaton is not built, the next ``texts`` texts shorter than
        _FEW_CHARS_LEAST are each read by an automaton of only the literals that
        may be in it (``_led_in``), and the whole one is built after them, if ever.
        The same offsets in the same order (as ``_few_chars``). The shipped
        rules' 7,226 anchors of a one-file run took 10 ms to build (callgrind:
        71 M instructions of a clean 8 KB file's 1,066 M); the pairs of an
        8 KB file's characters, the 877 literals led by one of them and their
        automaton, 2 ms."""
        self._few_texts = texts

    def _led_in(self, text: str) -> frozenset:
        """The positions (in _owners) of the literals whose first two characters
        (a literal of one: that one) stand together in ``text``: every literal
        that occurs in ``text`` is one of them."""
        heads = set(map(add, text, text[1:])).union(text)
        return frozenset(i for i, lit in enumerate(self._index) if lit[:2] in heads)

    def _without_whole(self, hits: dict, ids) -> "_Subset":
        """The _Subset of the literals (of ``ids``, positions in _owners; None: all of
        them) that have an owner not scanning the whole text (WHOLE in ``hits``): a
        literal only such owners use has nothing left to tell. Kept for the next
        flood alike."""
        owners = self._owners
        return self._subset(frozenset(i for i in (range(len(owners)) if ids is None else ids)
                                      if not all(hits.get(h) is WHOLE for h in owners[i])))

    def _few_chars(self, text: str) -> Optional["_Subset"]:
        """For a text of at most _FEW_CHARS distinct characters (a pathological
        file: 100 KB of one bracket, a megabyte of blank lines or of stars) while
        the shared automaton is not built: the _Subset of the literals made of its
        characters only, the others being nowhere in it. The same occurrences as
        the whole automaton finds, without building it (19,900 literals once a run
        has more than 24,000 bytes: 0.03-0.05 s, which a run of such one file paid
        for nothing). None for any other text: a page of Chinese has more than
        _FEW_CHARS in its first 256 characters (a set of 4,096 of them, the first
        document's, cost 1 M instructions). Past those, the next character that is
        none of those seen so far is searched for by ``re`` (a class in C): a set
        of every character of stars_underscores_2mb's cost 150 M instructions."""
        chars = set(text[:_FEW_CHARS_HEAD])
        pos = _FEW_CHARS_HEAD
        while len(chars) <= _FEW_CHARS:
            other = re.compile("[^" + "".join(map(re.escape, sorted(chars))) + "]").search(text, pos)
            if other is None:
                return self._subset(self._made_of(chars))
            chars.add(other.group())
            pos = other.end()
        return None

    def _made_of(self, chars: set) -> frozenset:
        """The positions (in _owners) of the literals made of ``chars`` only, found
        by one ``re`` scan of the literals joined between NULs (kept): a test of each
        of the 19,900 literals was a tenth of a 100 KB file's run."""
        joined = self._joined
        if joined is None:
            literals = list(self._index)
            text = "\0" + "\0".join(literals) + "\0"
            joined = self._joined = False if text.count("\0") != len(literals) + 1 else \
                (text, list(accumulate((len(lit) + 1 for lit in literals[:-1]), initial=0)))
        if not joined or "\0" in chars:
            held = chars.issuperset
            return frozenset(i for i, lit in enumerate(self._index) if held(lit))
        text, starts = joined
        made = re.compile("\0[" + "".join(map(re.escape, sorted(chars))) + "]+(?=\0)")
        return frozenset(bisect_left(starts, m.start()) for m in made.finditer(text))

    def _subset(self, ids: frozenset) -> "_Subset":
        """The _Subset of the literals at ``ids`` (positions in _owners), made once
        (eight kept)."""
        got = self._reduced.get(ids)
        if got is None:
            order = sorted(ids)
            literals = list(self._index)
            owners = [self._owners[i] for i in order]
            auto = UnitAutomaton([literals[i] for i in order])
            if len(self._reduced) >= 8:
                self._reduced.clear()
            got = self._reduced[ids] = (auto, owners, [hs[0] if len(hs) == 1 else -1 for hs in owners],
                                        max((len(lit) for lit in auto.literals), default=1), order)
        return got

    def present(self, text: str):
        """The handles with at least one anchor in ``text`` (a container: ``handle in
        present``); a pattern whose handle is not there cannot match. Looked up once
        per document by a kind, rather than once per pattern through ``absent``."""
        return self._hits(text)

    def absent(self, text: str, handle: Optional[int]) -> bool:
        """Whether ``text`` holds none of ``handle``'s anchors: its pattern cannot
        match there, and the caller need not even start a scan."""
        return handle is not None and handle not in self._hits(text)

    def reach(self, handle: int) -> int:
        return self._reach[handle]

    def windows(self, text: str, handle: Optional[int], present=None):
        """Line-aligned (start, end, stop) spans around the anchors of ``handle`` in
        ``text``, merged and in order; None means scan the whole text (no handle,
        or windows too dense). A match that holds one of the anchors starts in
        [start, end] and ends by ``stop``: ``end`` is the line break that ends an
        anchor's line (or the end of the text); a pattern whose matches may run
        over ``breaks`` line breaks starts that many lines earlier and stops that
        many lines later (a one-line pattern stops at ``end``). ``present``: what
        ``present(text)`` returned, when the caller has it (no cache lookup)."""
        if handle is None:
            return None
        hits = self._hits(text) if present is None else present
        found = hits.get(handle)
        if not found:
            return []
        reach, breaks, also, small, same, cuts = self._plan[handle]
        if found is WHOLE or reach < 0 or len(text) < small:
            if also and not any(lit in text for lit in also):
                return []  # the second set nowhere: no match anywhere
            if found is WHOLE or reach < 0:
                return None  # anchors present, matches may cross lines: scan it whole
            return self._span(text, found, breaks)
        if self._windows_hits is hits:
            got = self._windows_of.get(same)
        else:  # another text (held, so its id is not reused)
            # (None: not asked yet whether a line is longer than LONG_LINE.)
            self._windows_hits, self._windows_of = hits, {}
            self._long = None if len(text) > self.LONG_TEXT else False
            got = None
        if got is None:
            order = sorted(found)  # kept for ``starts``
            if cuts and self._long is not False and self._long_lines(text):
                out = _cut_windows(order, text, self._cut_points_of(text, cuts))
            else:
                out = _windows_over_breaks(order, breaks, text) if breaks else _line_windows(order, text)
            got = self._windows_of[same] = (out, order)  # shared, never changed: ``also`` filters a copy
        out = got[0]
        if also:
            # Every match also holds one of ``also`` on a line it touches: inside its window.
            find, kept = text.find, []
            for w in out:
                ws, stop = w[0], w[2]
                for lit in also:
                    if find(lit, ws, stop) >= 0:
                        kept.append(w)
                        break
            out = kept
        # Windows are in order and apart: they cover at most from the first start to
        # the last stop, which is all the sum needs to know most of the time.
        if out and out[-1][2] - out[0][0] > self.DENSE * len(text) and \
                sum(stop - ws for ws, _, stop in out) > self.DENSE * len(text):
            return None
        return out

    def _long_lines(self, text: str) -> bool:
        """Whether the text of _windows_hits has a line longer than LONG_LINE
        (asked once a text, by the first handle with ``cuts`` it has windows of)."""
        if self._long is None:
            self._long, self._cut_points = _has_long_line(text, self.LONG_LINE), {}
        return self._long

    def _cut_points_of(self, text: str, cuts: str) -> list:
        """The offset just past each line break and each of ``cuts`` in the text
        of _windows_hits, in order: those of each character found once a text,
        merged for each set of cuts (the runs merged by ``sorted`` in C)."""
        points = self._cut_points.get(cuts)
        if points is None:
            runs = []
            for char in "\n" + cuts:
                past = self._cut_points.get((char,))
                if past is None:
                    past = self._cut_points[(char,)] = _past(text, char)
                runs.append(past)
            points = self._cut_points[cuts] = sorted(chain.from_iterable(runs))
        return points

    def starts(self, text: str, handle: int, present=None):
        """The anchors of ``handle`` in ``text`` by start (what its windows were made of)."""
        hits = self._hits(text) if present is None else present
        got = self._windows_of.get(self._same[handle]) if self._windows_hits is hits else None
        return got[1] if got is not None else sorted(hits[handle])

    def _span(self, text: str, found, breaks: int) -> list:
        """``windows`` of a small text (``register``'s ``small``): one window, from the
        first anchor's window to the last's (the lines between hold no match, and a
        scan finds none there). Two windows' worth of work instead of the window of
        every anchor line, each scanned apart; and not the whole text, as a pattern
        of a small text was scanned before: PatternKind's check on the first 1000
        realworld files (pages of 389-937 characters), callgrind, with whole
        patterns by anchored_taken: 1,160 -> 1,128 M instructions when a window over
        half the text was still scanned whole (DENSE), 1,100 without that."""
        first, last = (found[0], found[0]) if len(found) == 1 else (min(found), max(found))
        if not breaks:
            # One-line: from the first anchor's line start to the last anchor's line
            # end, what the windows of both give, without building them (realworld
            # pages: 4.7 _span calls a page, most of them one-line).
            end = text.find("\n", last)  # no anchor holds a line break
            if end < 0:
                end = len(text)
            return [(text.rfind("\n", 0, first) + 1, end, end)]
        out = _windows_over_breaks((first, last), breaks, text)
        return [(out[0][0], out[-1][1], out[-1][2])]


def _line_windows(found, text: str) -> list:
    """``windows`` of a one-line pattern: each run of adjacent anchor lines, from
    the anchors' offsets in order. The same as ``_windows_over_breaks`` with no
    breaks, without its per-anchor loop and tuple rebuilding (most handles are
    one-line; ``windows`` was a fifth of the obsolete kind's time). Half of the
    windows a corpus document asks for are of one anchor: one line, no loop."""
    rfind, find, size = text.rfind, text.find, len(text)
    if len(found) == 1:
        s = found[0]
        le = find("\n", s)  # no anchor holds a line break
        if le < 0:
            le = size
        return [(rfind("\n", 0, s) + 1, le, le)]
    out = []
    ws = we = -1  # the window being built: its first line's start, its last line's end
    for s in found:
        if s < we:
            continue  # on a line already taken
        ls = rfind("\n", 0, s) + 1
        le = find("\n", s)  # no anchor holds a line break
        if le < 0:
            le = size
        if ws >= 0 and ls <= we + 1:
            we = le
        else:
            if ws >= 0:
                out.append((ws, we, we))
            ws, we = ls, le
    if ws >= 0:
        out.append((ws, we, we))
    return out


def _has_long_line(text: str, limit: int) -> bool:
    """Whether ``text`` has a line longer than ``limit`` characters: a step of up to
    ``limit`` characters a line break, found from the end of each stretch."""
    pos, size = 0, len(text)
    while size - pos > limit:
        k = text.rfind("\n", pos, pos + limit + 1)
        if k < 0:
            return True
        pos = k + 1
    return False


def _past(text: str, char: str) -> list:
    """The offset just past each ``char`` in ``text``, in order: the starts of the
    pieces between them after the first (split and summed in C, as the starts of
    a document's lines are, not a search and a Python step an occurrence)."""
    return line_starts_of(text.split(char))[1:]


def _cut_windows(found, text: str, points) -> list:
    """``windows`` of a one-line pattern whose matches run over none of the cuts
    just before ``points`` (with the line breaks, in order; AnchorIndex.register's ``cuts``),
    from the anchors' offsets in order: each run of adjacent stretches between two
    cuts that hold an anchor. A match holds its anchor, or reads it through a
    lookaround whose text runs from a point of the match without a cut, so it
    starts in its anchor's stretch and ends by the cut that ends it, as on a line:
    a scan from the stretch's start (which sees the text before it, ``pos``) finds
    there what a scan of the whole text finds, no match of the stretch before
    running into it. An anchor holds no cut (the pattern matches none)."""
    size = len(text)
    out = []
    first = last = -2  # the run of stretches being taken: the first's and last's index
    # Each anchor's stretch: how many cuts stand before it (in order, each once).
    for k in dict.fromkeys(map(bisect_right, repeat(points, len(found)), found)):
        if k != last + 1:
            if last >= 0:
                out.append(_stretches(points, first, last, size))
            first = k
        last = k
    if last >= 0:
        out.append(_stretches(points, first, last, size))
    return out


def _stretches(points, first: int, last: int, size: int) -> tuple:
    """The window (start, end, end) of the stretches ``first`` to ``last`` (each
    the text between two cuts; ``points``: just past each cut)."""
    end = points[last] - 1 if last < len(points) else size
    return (points[first - 1] if first else 0, end, end)


def _windows_over_breaks(found, breaks: int, text: str) -> list:
    """``windows`` of a pattern whose matches run over up to ``breaks`` line breaks,
    from the anchors' offsets in order."""
    rfind, find, size = text.rfind, text.find, len(text)
    out = []
    last_end = -1
    for s in found:
        if s < last_end:
            continue  # on a line already taken
        ws = rfind("\n", 0, s) + 1
        we = find("\n", s)  # no anchor holds a line break
        if we < 0:
            we = size
        stop = we
        for _ in range(breaks):
            if ws:
                ws = rfind("\n", 0, ws - 1) + 1
            if stop < size:
                stop = find("\n", stop + 1)
                if stop < 0:
                    stop = size
        if out and ws <= out[-1][2] + 1:
            out[-1] = (out[-1][0], we, stop)
        else:
            out.append((ws, we, stop))
        last_end = we
    return out
