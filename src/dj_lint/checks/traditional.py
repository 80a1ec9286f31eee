"""kind: script_variant — a simplified-Chinese document converted to traditional characters.

Mirror sites (Big5 gateways, 繁體 pages) run a whole page through a converter.
The kind counts the characters that exist only in traditional script (a data
file, ``vocabulary``, derived from OpenCC's conversion table) among the Han
characters of the document. When there are at least ``min_count`` of them and
they make at least ``min_share`` of the Han characters, it reports once, on the
title line (the first non-empty line: its first traditional-only character, or
the whole line when it has none), with the count. A simplified document that
quotes a traditional name (a 黃埔 plaque, a Hong Kong company) stays far below
the share.
"""
from __future__ import annotations

import re
import sys
from array import array

import regex

from ..model.findings import Hit
from ..model.rules import RuleError
from . import vocab
from .base import Kind
from ..text import build_cache, codepoints, multiscan, pattern_cache

# Han characters are counted as what deleting their runs takes away: \p{Han} matched
# one character at a time cost 70 us on a page of 700 characters, the runs 10 us.
_HAN_RUNS = pattern_cache.compile(r"\p{Han}+")
_FIRST_LINE = pattern_cache.compile(r"^[ \t\u3000]*(\S(?:[^\n]*\S)?)", regex.MULTILINE)
_SETS: dict = {}
_COUNTERS: dict = {}
_ASTRAL = pattern_cache.compile_re("[\U00010000-\U0010ffff]")
# beyond_bmp encodes at most this many characters at a time (a 20 MB text is not
# copied whole).
_BMP_STEP = 1 << 20


def beyond_bmp(text: str) -> bool:
    """Whether ``text`` holds a character beyond U+FFFF (what ``_ASTRAL.search``
    finds): UTF-16 writes such a character in four bytes, every other (a lone
    surrogate too, with surrogatepass) in two. Encoding a page of the Basic
    Multilingual Plane is a copy in C, where ``re`` tested the class at every
    position (the 1000 corpus files: 19.3 -> 4.4 ms, min of 7)."""
    if text.isascii():
        return False
    # A document's code units as the shared anchor pass encoded them, when it has
    # (multiscan.utf16; None: a lone surrogate, or too long a text to be kept).
    raw = multiscan.utf16(text, keep=False) if len(text) <= _BMP_STEP else None
    if raw is not None:
        return len(raw) != 2 * len(text)
    for at in range(0, len(text), _BMP_STEP):
        part = text[at:at + _BMP_STEP]
        if len(part.encode("utf-16-le", "surrogatepass")) != 2 * len(part):
            return True
    return False


def _found(name: str, text: str) -> list:
    """The traditional-only characters of ``text``, in order: one ``re`` class
    search for those of the Basic Multilingual Plane (tested against a bitmap),
    and the few beyond it only in a text that has such characters at all (a class
    holding them loses the bitmap). Three times faster than intersecting the
    set with the text's characters."""
    if name not in _COUNTERS:
        bmp, astral = _kept(name, "traditional-classes:", lambda: _classes(_characters(name)))
        # Through the pattern cache: compiling a class of 3,000 characters is 14 ms a start.
        _COUNTERS[name] = (pattern_cache.compile_re(bmp) if bmp else None,
                           pattern_cache.compile_re(astral) if astral else None)
    bmp, astral = _COUNTERS[name]
    if astral is not None and beyond_bmp(text) and astral.search(text) is not None:
        # Both kinds in the text: in their order.
        chars = _characters(name)
        return [ch for ch in text if ch in chars]
    if bmp is None:
        return []
    found = _table(name).chars_in(text) if len(text) >= multiscan.CharTable.LEAST else None
    return bmp.findall(text) if found is None else list(found)


_TABLES: dict = {}  # a vocabulary -> its characters of the plane as a multiscan.CharTable


def _table(name: str) -> multiscan.CharTable:
    """The CharTable of the vocabulary's characters of the Basic Multilingual Plane
    (the class ``_COUNTERS[name][0]``): with numpy loaded, a text of 2,000
    characters or more has its code units looked up in it, where ``re`` tests the
    class of 3,000 characters at every position (the 100 first corpus texts,
    none holding any: 3.2 -> 0.85 ms)."""
    table = _TABLES.get(name)
    if table is None:
        table = _TABLES[name] = multiscan.CharTable("".join(c for c in _characters(name) if c <= "\uffff"))
    return table


VOCABULARY = "traditional_chars.yaml"


def found_in(doc, name: str = VOCABULARY) -> list:
    """``_found(name, doc.text)``, found once per document: script_variant counts
    these characters, and obsolete and terms ask whether a document holds any
    they fold (``Fold.holds``), so one class search over the text answers the three
    kinds, which made three (callgrind, the six time and script kinds on the first
    200 corpus files: 1,232 -> 1,047 M instructions, with ``Fold.apply``; the first
    1000 realworld files: 893 -> 840 M)."""
    key = "_traditional_found:" + name
    found = doc.__dict__.get(key)
    if found is None:
        found = doc.__dict__[key] = _found(name, doc.text)
    return found


class Fold:
    """A one-character-for-one fold (traditional -> simplified; a
    ``vocab.fold_table``) of a document's text.

    ``holds(doc)``: whether the text holds a character the fold changes. When the
    table folds only traditional-only characters (those of VOCABULARY, as the
    shipped tables do), read off the document's list of these (``found_in``); else
    by a class search of its own (multiscan.CharSet).

    ``apply(text)``: ``text.translate(table)``, through a str indexed by code point
    rather than the dict: translate asks the table for every character, and a dict
    raises KeyError for every one it does not hold, which translate catches (the
    636 realworld pages in traditional script, 495,000 characters: 0.103 -> 0.061 s
    with hant_fold.yaml, 0.092 -> 0.059 s with hant_fold_full.yaml; splitting the
    text at the folded characters by a class was no faster, 0.049 and 0.082 s)."""

    def __init__(self, table: dict):
        self.table = table
        self.chars = frozenset(map(chr, table))
        self.shared = self.chars <= _characters(VOCABULARY)
        self._own = None if self.shared else multiscan.CharSet(self.chars)
        self._by_point = False  # not built yet
        self._points = None  # _by_point as a numpy array (apply)
        self._astral = any(point > 0xFFFF for point in table)

    def holds(self, doc) -> bool:
        if self._own is not None:
            return self._own.any_in(doc.text)
        found = found_in(doc)
        return bool(found) and not self.chars.isdisjoint(found)

    def apply(self, text: str) -> str:
        if self._by_point is False:
            self._by_point = _by_point(self.table)
        if self._by_point is None or self._astral and beyond_bmp(text):
            return text.translate(self.table)
        np = sys.modules.get("numpy")
        if np is not None:
            # numpy loaded (near_miss loads it in a run of many documents): the code
            # points looked up in the fold of the plane as an array, 9 times faster
            # than translate's call per character (the 636 traditional realworld
            # pages: 19.2 -> 2.2 ms, each fold). Not loaded only for this: that costs
            # 0.1 s. A point beyond the plane raises IndexError: translate keeps it.
            if self._points is None:
                self._points = np.frombuffer(self._by_point.encode("utf-32-le", "surrogatepass"), dtype="<u4")
            try:
                points = self._points.take(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4"))
            except IndexError:
                return text.translate(self._by_point)
            return points.tobytes().decode("utf-32-le", "surrogatepass")
        return text.translate(self._by_point)


_FOLDS: dict = {}  # a fold table's file -> its Fold, made when first asked for


def folded(doc, name: str) -> str:
    """``doc.text`` through the fold of rules/data/<name> (``vocab.fold_table``),
    worked out once per document and fold: the text itself (the same object) when
    the fold changes nothing, which most documents tell without a translate
    (``Fold.holds``). The obsolete kind reads documents through hant_fold.yaml,
    terms through hant_fold_full.yaml."""
    key = "_folded:" + name
    got = doc.__dict__.get(key)
    if got is None:
        fold = _FOLDS.get(name)
        if fold is None:
            fold = _FOLDS[name] = Fold(vocab.fold_table(name))
        text = doc.text
        got = fold.apply(text) if fold.holds(doc) else text
        if got is not text and got == text:
            got = text
        doc.__dict__[key] = got
    return got


def _by_point(table: dict):
    """The fold of the Basic Multilingual Plane as a str: each code point stands for
    itself but those the table folds. A code point beyond it raises IndexError, a
    LookupError, and translate keeps the character as it is (so a text with such a
    character is folded by the table itself). None when the table folds a character
    of the plane to anything but one character. The identity is laid out as UTF-32
    bytes by slices in C (text/codepoints.py; ``array("I", range(0x10000))`` made an
    int of each of the 65,536 points: 15 M instructions a table, paid by each
    process that meets a page in traditional script, twice: the obsolete kind's
    fold and terms')."""
    points = array("I")
    if points.itemsize != 4:
        return None  # UTF-32 below (utf-16 would pair a high surrogate with a low one)
    points.frombytes(codepoints.identity_utf32le(1))
    if sys.byteorder == "big":
        points.byteswap()
    for point, to in table.items():
        if point > 0xFFFF:
            continue
        to = chr(to) if isinstance(to, int) else to
        if not isinstance(to, str) or len(to) != 1:
            return None
        points[point] = ord(to)
    if sys.byteorder == "big":
        points.byteswap()
    return points.tobytes().decode("utf-32-le", "surrogatepass")


def _characters(name: str):
    """The set of the traditional-only characters."""
    if name not in _SETS:
        chars = _kept(name, "traditional-characters:", lambda: _listed(name))
        if not chars:
            raise RuleError(f"field 'vocabulary': '{name}' lists no characters")
        _SETS[name] = frozenset(chars)
    return _SETS[name]


def _listed(name: str) -> str:
    """The characters the data file ``name`` lists, sorted, once each."""
    data = vocab.load(name)
    vocab.require_keys(data, name, ("characters",))
    return "".join(sorted(set(str(data["characters"]).replace(" ", "").replace("\n", ""))))


def _classes(chars) -> tuple:
    """(a ``re`` class of those of ``chars`` in the Basic Multilingual Plane, one of
    those beyond it), each '' when there are none."""
    bmp = "".join(sorted(c for c in chars if c <= "\uffff"))
    astral = "".join(sorted(c for c in chars if c > "\uffff"))
    return f"[{re.escape(bmp)}]" if bmp else "", f"[{re.escape(astral)}]" if astral else ""


def _kept(name: str, kind: str, make):
    """``make()``, kept in the build cache for a shipped data file ``name`` (the
    cache's key covers its contents; a user's own file is read each run): the
    characters' set and classes were made at every start that used them (1.5 ms of
    the serial start of a run that warms, --jobs)."""
    if vocab.data_path(name) == name:
        return make()
    return build_cache.product(kind + name, make)


class ScriptVariantKind(Kind):
    FIELDS = {"vocabulary": str, "min_count": int, "min_share": float}
    REQUIRED = ("vocabulary",)
    MESSAGE_FIELDS = ("count", "share", "sample")
    DOCUMENT_LEVEL = True

    @classmethod
    def validate(cls, rule):
        _characters(rule.options["vocabulary"])
        if not 0 < rule.options.get("min_share", 0.1) <= 1:
            raise RuleError("field 'min_share' should be between 0 and 1")

    def check(self, doc):
        text = doc.text
        for rule in self.rules:
            # Cheap first: simplified documents have (almost) none of these characters
            # (a regex-module class of thousands of characters cost 8 ms per 15 KB).
            found = found_in(doc, rule.options["vocabulary"])
            if len(found) < rule.options.get("min_count", 20):
                continue
            present = set(found)
            share = len(found) / (len(text) - len(_HAN_RUNS.sub("", text)))
            if share < rule.options.get("min_share", 0.1):
                continue
            first = _FIRST_LINE.search(text)
            if first is None:
                continue
            sample = "".join(dict.fromkeys(found))[:8]
            # The first converted character of the title line marks the spot (a
            # title line may be a long paragraph); without one, the whole line.
            start, end = first.span(1)
            at = next((i for i in range(start, end) if text[i] in present), None)
            if at is not None:
                start, end = at, at + 1
            yield Hit(start, end, rule, None,
                      {"count": len(found), "share": f"{share:.0%}", "sample": sample})
