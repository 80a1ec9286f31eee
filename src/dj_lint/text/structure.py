"""The outline of a document: title lines, headings, in-paragraph lists, 落款.

Computed once per Document (``doc.outline``) and shared by the structure kinds
and ``--explain-doc``.  Parsing is type-independent; the layout facts it needs
(furniture lines before the title, compilation headers, site lines after the
落款, signature shapes) come from rules/data/doc_types.yaml.

Heading levels follow GB/T 9704-2012 7.3.3 (norms.md §1.1):
1 ``一、`` (also ``第一部分``, ``【1】``) › 2 ``（一）`` › 3 ``1.`` (``1、``)
› 4 ``（1）`` (``1)``) › 5 ``①``.  Half-width brackets count as full-width ones:
the seeds were normalised.  Markdown ``#`` and reStructuredText underlined
headings are headings too; they carry a number only when their text starts
with one of the markers.
"""
from __future__ import annotations

import bisect
import sys
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, chain, compress, islice, repeat, starmap
from operator import add, itemgetter
from typing import List, Optional, Tuple

from .layout import load_layout
from .numerals import cn_int
from . import pattern_cache

_CN = "一二三四五六七八九十"

# Noise a copy leaves before a marker: indentation, a lost bullet (``? 一、``, garble.md
# §12.3), a stray ``>`` (§12.4).
_BLANKS, _LOST_BULLETS = r" \t　", "?？>＞•·"  # what a heading's lead is made of
_LEAD = pattern_cache.compile_re(rf"[{_BLANKS}]*(?:[{_LOST_BULLETS}][{_BLANKS}]*)?")
_MD = pattern_cache.compile_re(r"(#{1,6})[ \t]+(?=\S)")
_RST_UNDERLINE = pattern_cache.compile_re(r"^[ \t]*([=\-~^*+#])\1{2,}[ \t]*$")
_MARKER = pattern_cache.compile_re(
    rf"(?P<part>第(?P<part_n>[{_CN}]{{1,3}})(?:部分|章))"
    rf"|(?P<len>【(?P<len_n>\d{{1,2}}|[{_CN}]{{1,3}})】)"
    rf"|(?P<pcn>[（(](?P<pcn_n>[{_CN}]{{1,3}})[)）])(?P<pcn_m>[、.．,，]?)"
    r"|(?P<pnum>[（(](?P<pnum_n>\d{1,2})[)）])(?P<pnum_m>[、.．,，]?)"
    r"|(?P<half>(?P<half_n>\d{1,2})[)）])(?P<half_m>[、.．]?)"
    r"|(?P<num>(?P<num_n>\d{1,2})(?P<num_m>[.．、])(?!\d))"
    r"|(?P<circ>(?P<circ_n>[①-⑳])(?P<circ_m>[、.．]?))"
    rf"|(?P<cn>(?P<cn_n>[{_CN}]{{1,3}})(?P<cn_m>[、.．]))"
)
# The branch of _MARKER that matched, by the group that closed last: the branch's
# own group, or its mark after it (``(?P<pcn>…)(?P<pcn_m>…)``, which always takes part).
_BRANCH_OF_LAST = {"part": "part", "len": "len", "pcn_m": "pcn", "pnum_m": "pnum", "half_m": "half",
                   "num": "num", "circ": "circ", "cn": "cn"}
# Where a line can start a heading: after the lead, a Markdown # or a number marker
# (what _Parser.marker and unnumbered's Markdown test look for), in one pattern.
# After the lead, one class holds the first character of every branch (#, 第, 【,
# brackets, \d, ①-⑳, the numerals): a line of prose is turned away by it instead of
# by each branch in turn (200 corpus files: 2.7 -> 2.0 ms).
_MARK_FIRSTS = rf"#第【（(\d①-⑳{_CN}"
_HEAD_BODY = (_LEAD.pattern + rf"(?=[{_MARK_FIRSTS}])"
              + r"(?:" + _MD.pattern + r"|" + _MARKER.pattern + r")")


class _LineStarts:
    """The starts of the lines at whose start ``body`` matches (``(?m)^body``; no
    match may hold a line break). Searched as ``\n`` + ``body``: ``re`` finds a
    leading literal in C, where ``^`` made it try every position (twice as fast
    on the corpus); the first line is tried apart."""

    def __init__(self, body: str):
        self.first = pattern_cache.compile_re(body)
        self.rest = pattern_cache.compile_re("\n" + body)

    def starts(self, text: str):
        if self.first.match(text):
            yield 0
        for m in self.rest.finditer(text):
            yield m.start() + 1

    def matches(self, text: str):
        """The matches themselves (a match of ``rest`` holds the line break before),
        as an iterator made in C (a generator's frame and ``yield from`` cost more,
        once a document)."""
        m = self.first.match(text)
        return chain((m,), self.rest.finditer(text)) if m else self.rest.finditer(text)


# A heading line starts with a character of the lead (a blank, a lost bullet) or,
# with no lead, one the markers' lookahead lets through: a line starting with
# neither (a blank line, most lines of prose) is turned away by one lookahead
# before the lead is tried (1 MB of blank lines: 0.19 -> 0.02 s; with ``(?=[^\n])``
# and the lead tried first the scan cost 34.8 against 31.5 M instructions on 1,000
# realworld pages, 30.1 against 28.0 M on 200 corpus files).
_HEAD_FIRST = f"[{_BLANKS}{_LOST_BULLETS}{_MARK_FIRSTS}]"
# An RST underline (_RST_UNDERLINE on a line; ``(?=\n|\Z)`` is the ``$`` of ``(?m)``).
_RST_BODY = r"[ \t]*(?P<rst_char>[=\-~^*+#])(?P=rst_char){2,}[ \t]*(?=\n|\Z)"
# The heading starts and the RST underlines in one pass over the line starts, a
# line turned away by one lookahead of both's first characters (_HEAD_FIRST and
# the underline characters): the pass for the underlines alone cost 4.4 us a corpus file, 1.2 us a realworld page; together
# 16.6 -> 13.0 and 4.5 -> 3.2 us. No line matches both (a line of # alone starts
# no Markdown heading), so the matches are those of the two passes; the heading
# branch's groups keep their numbers (the underline's groups come after).
_HEAD_OR_RST = _LineStarts(rf"(?=[{_BLANKS}{_LOST_BULLETS}{_MARK_FIRSTS}=\-~^*+])"
                           rf"(?:{_HEAD_BODY}|(?P<rst>{_RST_BODY}))")
# A line that holds more than blanks: what _strip leaves non-empty.
_NONBLANK = _LineStarts(r"[ \t　]*[^ \t　\n]")
# Up to so many lines, nonblank() strips each line whatever their length.
_FEW_LINES = 32


def line_starts_of(lines: List[str]) -> List[int]:
    """The offset of each line in "\n".join(lines): the previous start plus the
    line's length and its "\n", summed in C. (``operator.add`` with 1, not
    ``(1).__add__``, a method wrapper that makes a tuple of its argument at each
    call: a million blank lines 0.22 -> 0.13 s.)"""
    return [0, *accumulate(map(add, map(len, lines[:-1]), repeat(1)))]


# Run-in list items inside paragraphs: 一是…二是…, 第一，…/首先，…, ①…②….
# What one alternation ``([一…十]{1,3})是|(第[一…十]{1,3}|首先|其次|再次)[，,、]|[①-⑳]``
# finds, by three scans that each skip along the text to a literal or a small
# set (three times faster): the three shapes can never overlap (是, 第/首/其/再,
# the comma and ①-⑳ are not numerals), so their matches together are the
# alternation's. The numerals of 一是 are the (at most three) right before 是.
# 是 after a numeral: ``re`` skips along the text to the literal 是 and reads the
# numeral before it by a lookbehind after it (a leading class made ``re`` try every
# position, 6.8 ms on 200 corpus files; ``regex`` with a leading lookbehind 2.1 ms,
# this 1.4 ms).
# A list item starts only after a break (统一是, 之一是, 作为第一 are words), tested
# by the scans themselves: a match Python would turn away is not made.
_SERIES_BREAK = " \t　\n。；;：:，,！!？?）)”"  # a class's characters, none special there
# 是 after one to three numerals led by a break or the text's start (no fourth numeral
# before them): which alternative matched (its empty group, ``lastindex``) tells how
# many numerals, _SHI_NUMERALS (reading them back from 是 one at a time in Python
# cost 0.4 us a 是 after a numeral, 1,150 of them on 100 corpus files).
_SHI = pattern_cache.compile_re(
    rf"是(?<=[{_CN}]是)(?:"
    + "|".join(rf"(?<={lead}[{_CN}]{{{k}}}是)()" for lead in (f"[{_SERIES_BREAK}]", r"\A") for k in (1, 2, 3))
    + ")")
_SHI_NUMERALS = (None, 1, 2, 3, 1, 2, 3)


def _after_break(literal: str) -> str:
    """``literal`` where no character but a break comes before it: the test after the
    literal, which ``re`` skips along the text to."""
    return rf"{literal}(?<![^{_SERIES_BREAK}]{literal})"


# 第一， and 首先， … apart, each led by a literal ``re`` skips along the text to (the
# alternation's first characters were a class tried at every position: 2.9 -> 1.5 ms
# on 200 corpus files). No match of one can hold the start of another (第, 首, 其, 再
# are no numerals and no commas), so together they find what the alternation finds.
_SEQ_WORDS = {"首先": 1, "其次": 2, "再次": 3}
_DI = pattern_cache.compile_re(_after_break("第") + rf"(?P<di_n>[{_CN}]{{1,3}})(?P<di_m>[，,、])")
_DI_WORDS = tuple(pattern_cache.compile_re(_after_break(w) + r"(?P<di_m>[，,、])") for w in _SEQ_WORDS)
# Each scan with the character its matches start with: a text without it is not
# scanned (``in`` finds one character in C several times faster than a scan for the
# literal: 第 is in 46 % of the realworld pages, 首 20 %, 其 38 %, 再 9 %).
_DI_SCANS = tuple((p, p.pattern[0]) for p in (_DI,) + _DI_WORDS)
_CIRC = pattern_cache.compile(r"[①-⑳]")  # ``regex``: 7.0 -> 1.0 ms on 200 corpus files against ``re``
_START = itemgetter(0)
_TITLE_END = frozenset("。；;！!？?，,：:")
_TITLE_MAX = 50
_DATE_TAIL = pattern_cache.compile_re(r"\d{4}年\d{1,2}月\d{1,2}日$")
_CLAUSE_END = pattern_cache.compile_re(r"[，,。；;：:！!？?]")


def cn_number(s: str) -> Optional[int]:
    """一 → 1, 十二 → 12, 二十三 → 23, 12 → 12; None for anything else."""
    return cn_int(s)


class _NumeralValues(dict):
    """``cn_number`` of the numerals of the list items (one to three of 一…十, so
    at most 1,110 texts), each text parsed once: the corpus's 12,750 such items called
    it for 8 distinct texts."""

    def __missing__(self, chars: str) -> Optional[int]:
        value = self[chars] = cn_number(chars)
        return value


_NUMERAL_VALUE = _NumeralValues()


_CIRC_ZERO = ord("①") - 1  # the code point before ①


def number_of(marker_char: str) -> int:
    return ord(marker_char) - _CIRC_ZERO


# Heading and SeriesItem: the frozen dataclass ``__init__``'s work (the same
# arguments, defaults and object) without its ``object.__setattr__`` per field,
# the fields put into the instance's own key-sharing ``__dict__`` in the class's
# order (1.0 -> 0.4 and 0.74 -> 0.3 us, timeit; 12,400 headings and 14,200 list
# items on the benchmark corpus). The price: the instance's dict is made (64 bytes
# more than inline values), fine for a document's headings; Hit, of which floods
# keep 100,000s at once, keeps the dataclass __init__ (its own cost 6 MB of peak
# RSS more on the 20 MB file).
@dataclass(frozen=True, init=False)
class Heading:
    line: int            # 0-based line index
    start: int           # offsets of the marker (or of the text, for unnumbered headings)
    end: int
    level: int           # 1..5 for numbered headings; Markdown depth / underline rank otherwise
    number: Optional[int]
    style: str           # cn, part, lenticular, paren-cn, dot, dot-fw, dun, paren-num, half-paren, circled, md, rst, word
    marker: str
    text: str            # up to 30 characters after the marker
    part: int
    suggestion: Optional[str] = None   # the right marker when this one is wrongly punctuated

    def __init__(self, line: int, start: int, end: int, level: int, number: Optional[int], style: str,
                 marker: str, text: str, part: int, suggestion: Optional[str] = None):
        d = self.__dict__
        d["line"] = line
        d["start"] = start
        d["end"] = end
        d["level"] = level
        d["number"] = number
        d["style"] = style
        d["marker"] = marker
        d["text"] = text
        d["part"] = part
        d["suggestion"] = suggestion

    @property
    def numbered(self) -> bool:
        return self.number is not None


@dataclass(frozen=True, init=False)
class SeriesItem:
    start: int
    end: int
    family: str          # shi (一是), di (第一，/首先，), circ (①)
    number: Optional[int]
    mark: str
    line: int
    scope: int           # items compare only inside one scope (between two headings)

    def __init__(self, start: int, end: int, family: str, number: Optional[int], mark: str, line: int,
                 scope: int):
        d = self.__dict__
        d["start"] = start
        d["end"] = end
        d["family"] = family
        d["number"] = number
        d["mark"] = mark
        d["line"] = line
        d["scope"] = scope


@dataclass
class Title:
    lines: List[int]     # line indices of the title lines (main title first)
    start: int           # span of the main title line (stripped)
    end: int
    text: str            # main title without site / compilation prefixes


@dataclass
class Signature:
    organisation: Optional[int] = None   # line index
    date: Optional[int] = None
    date_in_title: bool = False

    @property
    def complete(self) -> bool:
        return self.date_in_title or (self.organisation is not None and self.date is not None)


@dataclass
class Outline:
    title: Optional[Title]
    first_line: int                    # first non-empty line (anchor when there is no title)
    anchor: Tuple[int, int]            # span document-level findings point at
    headings: List[Heading]
    # The in-paragraph list items as rows of SeriesItem's fields, in order: the
    # numbering kind reads them as they are, ``series`` makes the SeriesItems when
    # asked (made for every item they were 14 % of the corpus's outline instructions).
    series_rows: List[Tuple[int, int, str, Optional[int], str, int, int]]
    parts: List[Tuple[int, int]]       # line ranges [start, end) of compiled articles
    signature: Signature
    body: Tuple[int, int]              # offsets of the body (after the title, before the 落款)
    # The lines with text, in order, and the lines and their starts they index:
    # ``paragraphs`` are their spans, made when asked. Only a doc type's ``opening``
    # section asks, for a few of them (``paragraphs_within``): made for every
    # document they were 4 % of the outline's instructions on the realworld pages
    # and 6 % on the corpus, and 5.1 MB of the 20 MB file's 19.5 MB of outline.
    text_lines: List[int] = field(default_factory=list)
    lines: List[str] = field(default_factory=list, repr=False, compare=False)
    starts: List[int] = field(default_factory=list, repr=False, compare=False)

    @cached_property
    def series(self) -> List[SeriesItem]:
        """The in-paragraph list items (``series_rows`` as SeriesItems)."""
        return list(starmap(SeriesItem, self.series_rows))

    @property
    def paragraphs(self) -> List[Tuple[int, int]]:
        """(start, end) offsets of each line with text."""
        return list(self.paragraphs_within(0, sys.maxsize))

    def paragraphs_within(self, lo: int, hi: int):
        """The ``paragraphs`` that lie inside [lo, hi], in order: those from the first
        that starts at ``lo`` or later, up to the first that ends after ``hi``."""
        starts, lines, text_lines = self.starts, self.lines, self.text_lines
        for i in islice(text_lines, bisect.bisect_left(text_lines, bisect.bisect_left(starts, lo)), None):
            a = starts[i]
            b = a + len(lines[i])
            if b > hi:
                return
            yield a, b

    @property
    def compilation(self) -> bool:
        return len(self.parts) > 1


def _strip(s: str) -> str:
    return s.strip(" \t　")


class _Parser:
    def __init__(self, doc, layout):
        self.doc = doc
        self.lines = getattr(doc, "outline_lines", doc.lines)
        self.starts = doc.line_starts
        self.layout = layout

    def any(self, key: str, s: str) -> bool:
        return self.layout[key + "_any"].found_in(s)

    # -- parts and title ------------------------------------------------
    def nonblank(self) -> List[int]:
        """The lines with something besides blanks (what ``_strip`` leaves non-empty),
        found without a Python step per line: each line stripped and kept by
        ``compress``, all in C (200 corpus files: 2.6 -> 0.5 ms); lines short on
        average (a flood of blank lines) by one pass of ``re`` over the text, a
        line start at a time, which is faster there. A few lines are stripped
        whatever their length: the pass's generator and per-line bisect cost more
        than the strips (a four-line note: 2.0 -> 0.9 us)."""
        found = self.__dict__.get("_nonblank")
        if found is None:
            lines = self.lines
            if len(lines) > _FEW_LINES and len(lines) * 16 > len(self.text_and_starts()[0]):
                text, starts = self.text_and_starts()
                found = [bisect.bisect_right(starts, at) - 1 for at in _NONBLANK.starts(text)]
            else:
                found = list(compress(range(len(lines)), map(str.strip, lines, repeat(" \t　"))))
            self._nonblank = found
        return found

    def text_and_starts(self):
        """The text of ``self.lines`` and the offsets of its lines (joined once)."""
        if self.lines is self.doc.lines:
            return self.doc.text, self.starts
        found = self.__dict__.get("_joined")
        if found is None:
            found = self._joined = ("\n".join(self.lines), line_starts_of(self.lines))
        return found

    def lines_holding(self, chars) -> set:
        """The lines that hold one of ``chars``: a ``str.find`` per line that holds
        one, the rest of such a line skipped."""
        text, starts = self.text_and_starts()
        found, count = set(), len(starts)
        for ch in chars:
            at = text.find(ch)
            while at >= 0:
                i = bisect.bisect_right(starts, at) - 1
                found.add(i)
                at = text.find(ch, starts[i + 1]) if i + 1 < count else -1
        return found

    def lines_matching(self, key: str, lines: List[int]) -> List[int]:
        """Of ``lines`` and the blank lines, those in which the layout list ``key``
        matches (blank lines only when it matches an empty line). A list whose
        every match holds one of a few characters is tried only on the lines that
        hold one (part_boundary, 篇: 4.7 -> 0.5 ms on 200 corpus files)."""
        chars = self.layout[key + "_any"].chars
        if chars is not None:
            # ``lines`` is in order: each line that holds one is looked up in it.
            holding = self.lines_holding(chars)
            if holding:
                holding = sorted(holding)
                lines = [i for i, k in zip(holding, (bisect.bisect_left(lines, i) for i in holding))
                         if k < len(lines) and lines[k] == i]
            else:  # most documents: no comprehension run over nothing
                lines = []
        any_of, text_lines = self.layout[key + "_any"], self.lines
        found_in = any_of.found_in
        hits = [i for i in lines if found_in(text_lines[i].strip(" \t　"))] if lines else []
        if any_of.matches_empty:
            hits = sorted(set(hits) | {i for i, l in enumerate(self.lines) if not _strip(l)})
        return hits

    def known_parts(self) -> List[Tuple[int, int]]:
        """``parts``, found once (``sections`` may ask, then ``build``)."""
        found = self.__dict__.get("_parts")
        if found is None:
            found = self._parts = self.parts()
        return found

    def parts(self) -> List[Tuple[int, int]]:
        bounds = self.lines_matching("part_boundary", self.nonblank())
        self._boundaries = set(bounds)  # what title() asks of its lines
        if len(bounds) < 2:
            return [(0, len(self.lines))]
        edges = [0 if not any(_strip(l) for l in self.lines[:bounds[0]]) else bounds[0]] + bounds[1:]
        if edges[0] != 0:
            edges = [0] + edges
        return [(a, b) for a, b in zip(edges, edges[1:] + [len(self.lines)])]

    def title_text(self, s: str) -> str:
        # Every prefix is taken off at the line's start only: a line at whose start
        # none matches loses none (the prefix list's first-character gate turns
        # away almost every title line, where the loop over the prefixes cost
        # 2.3 us a call, 2.8 calls a realworld page).
        if not self.layout["title_prefix_any"].found_in(s):
            return s.strip(" \t　")
        for p, chars in zip(self.layout["title_prefix"], self.layout["title_prefix_chars"]):
            if chars is not None:  # a loop, not any() over a generator (2.4 calls a document)
                for ch in chars:
                    if ch in s:
                        break
                else:
                    continue
            s = p.sub("", s, count=1)
        return _strip(s)

    def title_like(self, i: int) -> Optional[str]:
        """The title text of line ``i`` (``title_text``) when the line may be a title
        line, else None: title() makes the main title's text from it (it was worked
        out again there)."""
        t = self.lines[i].strip(" \t　")  # _strip, without its call
        # Taking prefixes off leaves the line's end as it is (or nothing): a line ending
        # with a sentence's mark (a paragraph after the title, most often) is no title
        # line whatever its prefix, told before the prefixes are asked for.
        if not t or t[-1] in _TITLE_END:
            return None
        if self.layout["title_prefix_any"].found_in(t):  # else title_text(t) is t: not called
            t = self.title_text(t)
        # t[-1] in _TITLE_END: what ``[。；;！!？?，,：:]$`` finds in a line (no line break).
        return t if (0 < len(t) <= _TITLE_MAX and t[-1] not in _TITLE_END and "。" not in t
                     and not self.has_marker(i) and not self.layout["signature_date_any"].found_in(t)) else None

    def furniture_end(self, head: List[int]):
        """(k0, skip): where the title is looked for among the ``head`` lines, after
        the site's lines (the last furniture line of title_skip when every line before
        it is furniture or at most 15 characters long, else 0), and the lines asked
        with their answers. The lines are asked in order, each once, and no further
        than the first that is no furniture and longer than 15 characters when no
        furniture came before it: k0 is 0 then, whatever follows. A corpus file's
        first line is mostly its title: its 12 head lines asked at once (the lines
        joined, their gates tested on the whole) cost about 100,000 instructions.
        Asked one by one, as far as needed, the head lines cost less on the
        corpus, the realworld pages and the two-line files alike."""
        skip_in, lines = self.layout["title_skip_any"].found_in, self.lines
        flags: List[bool] = []
        seen = False  # a furniture line so far
        for i in head:
            s = lines[i].strip(" \t　")  # _strip, without its call
            flag = skip_in(s)
            flags.append(flag)
            seen = seen or flag
            if not (seen or len(s) <= 15):
                break
        skip = dict(zip(head, flags))
        if not seen:  # most documents have no furniture line: no list of them made
            return 0, skip
        # Furniture among them: the loop did not stop, every head line was asked.
        junk = [k for k, flag in enumerate(flags) if flag]
        if all(skip[i] or len(_strip(lines[i])) <= 15 for i in head[:junk[-1]]):
            return junk[-1] + 1, skip
        return 0, skip

    def title(self, lo: int, hi: int) -> Optional[Title]:
        # Only the first 18 lines with text are looked at (12 for the site's lines, 6 after).
        nonblank = self.nonblank()
        # parts() asked every line with text already (a blank line is none of these).
        bounds = self.__dict__.get("_boundaries")
        first = bisect.bisect_left(nonblank, lo)
        if bounds is not None and not bounds:
            # No part boundary in the text (most documents): the first 18 lines with
            # text before ``hi``, one slice instead of a step a line.
            idx = nonblank[first:min(first + 18, bisect.bisect_left(nonblank, hi))]
        else:
            idx = []
            for i in nonblank[first:]:
                if i >= hi or len(idx) == 18:
                    break
                if not (i in bounds if bounds is not None else self.any("part_boundary", _strip(self.lines[i]))):
                    idx.append(i)
        k0, skip = self.furniture_end(idx[:12])
        skip_in, lines = self.layout["title_skip_any"].found_in, self.lines
        found: List[int] = []
        text = None
        for i in idx[k0:k0 + 6]:
            if skip[i] if i in skip else skip_in(lines[i].strip(" \t　")):
                continue
            t = self.title_like(i)
            if t is None or len(found) == 3:
                break
            found.append(i)
            if text is None:
                text = t
        if not found:
            return None
        line = self.lines[found[0]]
        lead = len(line) - len(line.lstrip(" \t　>?？"))
        body = line[lead:].rstrip(" \t　")
        start = self.starts[found[0]] + lead
        if lead and line[:lead].strip(" \t　"):  # a lost bullet or ``>`` taken off too
            text = self.title_text(body)
        return Title(found, start, start + len(body), text)

    # -- headings -------------------------------------------------------
    def marker(self, i: int):
        line = self.lines[i]
        m = _LEAD.match(line)
        pos = m.end()
        md = _MD.match(line, pos)
        if md:
            pos = md.end()
        return _MARKER.match(line, pos)

    def has_marker(self, i: int) -> bool:
        """Whether ``marker`` finds a marker on line ``i``, as the candidate pass
        tells (``_marks``, see heading_candidates): a line without a match there has
        none, a match of a marker branch is the marker; only after a Markdown ``#``
        is ``marker`` asked (its three matches cost 2.2 us a title line, timeit, this
        0.5 us; 2.1 title lines a realworld page)."""
        self.heading_candidates()
        marks = self.__dict__.get("_marks")
        if marks is None:  # no candidate pass ran (every line tried): ask marker
            return self.marker(i) is not None
        m = marks.get(i)
        return m is not None and (m.lastindex != 1 or self.marker(i) is not None)

    def heading_candidates(self) -> List[int]:
        """``_heading_candidates``, found once (title_like asks before headings)."""
        found = self.__dict__.get("_candidates")
        if found is None:
            found = self._candidates = self._heading_candidates()
        return found

    def _heading_candidates(self) -> List[int]:
        """The lines that can be headings, found by one pass of ``re`` over the
        whole text instead of a marker match per line: a line that starts with a
        number marker or a Markdown ``#``, a line above an RST underline; and a
        paragraph in a Word heading style. The pass accepts every line the per-line
        tests accept (the lead and the marker in one pattern can only match more).

        The number markers found are kept (``_marks``, by line) for ``headings``:
        a match of _HEAD_OR_RST's heading branch that took a marker branch is the match ``marker``
        finds on its line. The lead cannot end anywhere but where ``_LEAD`` ends
        (a shorter lead leaves a blank or a bullet, which starts no branch), and
        where no ``#`` follows the lead ``_MD`` takes nothing; a match of the
        Markdown branch is left to ``marker`` (a marker may follow the ``#``)."""
        text, starts = self.text_and_starts()
        found = set(self.doc.style_headings)
        marks = self._marks = {}
        for m in _HEAD_OR_RST.matches(text):
            # A match holds no line break after its first character: its last
            # character is on its line.
            i = bisect.bisect_right(starts, m.end() - 1) - 1
            if m.lastgroup == "rst":
                found.add(i - 1)  # the line above the underline
            else:
                marks[i] = m
        found.update(marks)
        # Only an underline on the first line (-1) or a Word heading past the last
        # line falls outside the lines: the filter's step a line runs only then.
        out = sorted(found)
        if out and (out[0] < 0 or out[-1] >= len(self.lines)):
            out = [i for i in out if 0 <= i < len(self.lines)]
        return out

    def headings(self, parts) -> List[Heading]:
        """Each candidate line's heading: from the marker the candidate pass found
        on it (``_marks``) when there is one (no match per line again: the
        corpus's headings 44 -> 29 us a document), else by the per-line tests."""
        out: List[Heading] = []
        rst_chars: List[str] = []
        candidates = self.heading_candidates()
        if not candidates:  # most realworld pages
            return out
        marks = self.__dict__.get("_marks", {})
        text_starts = self.text_and_starts()[1] if marks else None
        for p, (lo, hi) in enumerate(parts):
            for i in candidates[bisect.bisect_left(candidates, lo):bisect.bisect_left(candidates, hi)]:
                m = marks.get(i)
                if m is not None and m.lastindex != 1:  # group 1: the Markdown #
                    h = self.heading_of(m, i, p, text_starts[i])
                else:
                    h = self.numbered(i, p)
                if h is None:
                    h = self.unnumbered(i, p, rst_chars)
                if h is not None:
                    out.append(h)
        return out

    def numbered(self, i: int, part: int) -> Optional[Heading]:
        m = self.marker(i)
        return None if m is None else self.heading_of(m, i, part, 0)

    def heading_of(self, m, i: int, part: int, line_at: int) -> Optional[Heading]:
        """The heading of line ``i`` whose marker ``m`` found, searching a string in
        which the line starts at ``line_at``; None when nothing follows the marker.
        What a marker means is looked up by its text (``_MARK_INFO``)."""
        kind = _BRANCH_OF_LAST[m.lastgroup]
        at, end = m.start(kind), m.end()  # the branch's own group starts the marker
        rest = self.lines[i][end - line_at:].strip(" \t　")  # _strip, without its call
        if not rest:
            return None
        mark = m.string[at:end]
        info = _MARK_INFO.get(mark)
        if info is None:
            info = _mark_info(kind, m)
            if len(_MARK_INFO) < _MARK_INFO_KEPT:
                _MARK_INFO[mark] = info
        level, number, style, sugg = info
        base = self.starts[i] - line_at
        return Heading(i, base + at, base + end, level, number, style, mark, rest[:30], part, sugg)

    def unnumbered(self, i: int, part: int, rst_chars: List[str]) -> Optional[Heading]:
        line = self.lines[i]
        base = self.starts[i]
        level = self.doc.style_headings.get(i)
        if level and _strip(line):
            # A paragraph in a Word heading style (标题 1, Heading 2 …) is a heading
            # even without numbering text.
            lead = len(line) - len(line.lstrip(" \t　"))
            return Heading(i, base + lead, base + len(line.rstrip()), level, None, "word", "",
                           _strip(line)[:30], part)
        md = _MD.match(line, _LEAD.match(line).end())
        if md:
            text = _strip(line[md.end():])
            return Heading(i, base + md.end(), base + len(line), len(md.group(1)), None, "md", "",
                           text[:30], part)
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        u = _RST_UNDERLINE.match(nxt)
        if u and _strip(line) and not _RST_UNDERLINE.match(line):
            if u.group(1) not in rst_chars:
                rst_chars.append(u.group(1))
            lead = len(line) - len(line.lstrip(" \t　"))
            return Heading(i, base + lead, base + len(line.rstrip()), rst_chars.index(u.group(1)) + 1,
                           None, "rst", "", _strip(line)[:30], part)
        return None

    # -- in-paragraph lists ---------------------------------------------
    def series(self, headings: List[Heading], parts=None) -> List[tuple]:
        """The in-paragraph list items, as rows of SeriesItem's fields (``Outline.
        series_rows``). One pass of the stdlib ``re`` over the whole text (per-line
        scans with a lookbehind cost a second on 4 MB); each item's scope is the
        number of headings and article starts before its line."""
        text = self.doc.text
        # (start, end, family, match): no two of one family share a start, so the
        # numbers are read only for the items kept.
        found = ([(m.start() - _SHI_NUMERALS[m.lastindex], m.end(), "shi", None) for m in _SHI.finditer(text)]
                 if "是" in text else [])
        for pattern, first in _DI_SCANS:
            if first in text:
                found += [(m.start(), m.end(), "di", m) for m in pattern.finditer(text)]
        found += [(m.start(), m.end(), "circ", m) for m in _CIRC.finditer(text)]
        if not found:  # 788 of 1,000 realworld pages: no headings' lines and bounds needed
            return []
        found.sort(key=_START)  # no two items share a start (see _SHI)
        skip_to = {h.line: (h.end if h.number is not None else self.starts[h.line] + len(self.lines[h.line]))
                   for h in headings}
        if parts is None:
            parts = self.known_parts()
        bounds = sorted({h.line for h in headings} | {lo for lo, _ in parts})
        out: List[tuple] = []
        starts, bisect_right = self.starts, bisect.bisect_right
        for start, end, family, m in found:
            i = bisect_right(starts, start) - 1
            if start < skip_to.get(i, -1):  # inside a heading's marker or unnumbered heading
                continue
            if family == "shi":
                number, mark = _NUMERAL_VALUE[text[start:end - 1]], ""
            elif family == "di":
                number = _NUMERAL_VALUE[m.group("di_n")] if m.re is _DI else _SEQ_WORDS[text[start:start + 2]]
                mark = m.group("di_m")
            else:
                number, mark = ord(text[start]) - _CIRC_ZERO, ""  # number_of, without its call
            out.append((start, end, family, number, mark, i, bisect_right(bounds, i)))
        return out

    # -- 落款 ------------------------------------------------------------
    def signature(self, title: Optional[Title], heading_lines) -> Signature:
        """The 落款 among the last lines with text of the whole document."""
        lines, layout = self.lines, self.layout
        date_in_title = False
        if title:
            title_date_in = layout["title_date_any"].found_in
            for i in title.lines:  # a loop, not any() over a generator (one title line mostly)
                if title_date_in(lines[i]):
                    date_in_title = True
                    break
        # The lines with text up to ``end``, the trailing furniture left out (the list
        # of them is not copied: most documents end with none).
        nonblank = self.nonblank()
        end = len(nonblank)
        # The lists' found_in called directly (about 9 calls a document).
        trailing_in = layout["trailing_skip_any"].found_in
        date_in = layout["signature_date_any"].found_in
        organisation_in = layout["signature_organisation_any"].found_in
        while end and trailing_in(lines[nonblank[end - 1]].strip(" \t　")):
            end -= 1
        title_lines = title.lines if title else ()
        window = [i for i in reversed(nonblank[max(0, end - layout["signature_window"]):end])
                  if i not in heading_lines and i not in title_lines]
        # The lines without their blanks (each of " \t　" taken out): three passes in C
        # instead of a regex class tried at every position of a paragraph (the 落款
        # on 200 corpus files: 6.6 -> 3.0 ms with the 日 test below), over the window's
        # lines joined (no line holds a line break): three calls, not three a line.
        bare = "\n".join(map(lines.__getitem__, window)).replace(" ", "").replace("\t", "").replace("　", "")
        date = organisation = None
        for i, s in zip(window, bare.split("\n")):
            if date is None and date_in(s):
                date = i
            elif organisation is None and organisation_in(s):
                organisation = i
            elif date is None and s.endswith("日"):  # where _DATE_TAIL can match at all
                date_tail = _DATE_TAIL.search(s)
                if date_tail and organisation_in(s[:date_tail.start()]):
                    date = organisation = i
            else:
                continue
            if date is not None and organisation is not None:
                break  # nothing more can be found
        return Signature(organisation, date, date_in_title)

    # -- all --------------------------------------------------------------
    def sections(self) -> Tuple[List[Heading], List[tuple]]:
        """(headings, series rows), worked out once: what the numbering kind reads
        of the outline, which needs neither the title nor the 落款 (their search was
        2/3 of a two-line file's outline). A text without a heading candidate (most
        small files) has no heading: its parts are asked for only if a list item is
        found (``series``)."""
        found = self.__dict__.get("_sections")
        if found is None:
            headings = self.headings(self.known_parts()) if self.heading_candidates() else []
            found = self._sections = (headings, self.series(headings))
        return found

    def build(self) -> Outline:
        headings, series = self.sections()
        parts = self.known_parts()
        title = self.title(*parts[0]) if parts else None
        sig = self.signature(title, {h.line for h in headings} if headings else ())
        nonempty = self.nonblank()
        first = nonempty[0] if nonempty else 0
        anchor = (title.start, title.end) if title else self.first_clause(first)
        body_start = self.starts[title.lines[-1] + 1] if title and title.lines[-1] + 1 < len(self.starts) else (
            0 if not title else len(self.doc.text))
        organisation, date = sig.organisation, sig.date  # the body ends at the first of them
        sig_line = date if organisation is None else organisation if date is None else min(organisation, date)
        body_end = self.starts[sig_line] if sig_line is not None else len(self.doc.text)
        return Outline(title, first, anchor, headings, series, parts, sig,
                       (body_start, max(body_start, body_end)), nonempty, self.lines, self.starts)

    def first_clause(self, i: int) -> Tuple[int, int]:
        """Without a title, findings point at the first clause of the first line."""
        line = self.lines[i] if self.lines else ""
        lead = _LEAD.match(line).end()
        m = _CLAUSE_END.search(line, lead)
        end = m.start() if m else len(line.rstrip())
        base = self.starts[i] if self.lines else 0
        return base + lead, base + max(lead, min(end, lead + 30))


# A marker's (level, number, style, suggestion), by its text: a marker's text is
# matched by one branch only, read one way (the branches start with different
# characters but for the digits: ``1)`` is half, ``1.`` num; no branch looks past
# the marker but num's ``(?!\d)``, and no other branch matches a marker of digits).
# Markers repeat from document to document (一、, （一）, 1.): the groups read, the
# numeral parsed and the style chosen once.
_MARK_INFO: dict = {}
_MARK_INFO_KEPT = 4096


def _mark_info(kind: str, m):
    n_text = m.group(kind + "_n")
    number = number_of(n_text) if kind == "circ" else cn_number(n_text)
    level, style, sugg = _classify(kind, m, n_text)
    return level, number, style, sugg


def _classify(kind: str, m, n_text: str):
    """(level, style, suggested marker or None) for one marker match."""
    if kind == "cn":
        ok = m.group("cn_m") == "、"
        return 1, "cn", None if ok else n_text + "、"
    if kind == "part":
        return 1, "part", None
    if kind == "len":
        return 1, "lenticular", None
    if kind == "pcn":
        return 2, "paren-cn", f"（{n_text}）" if m.group("pcn_m") else None
    if kind == "pnum":
        return 4, "paren-num", f"（{n_text}）" if m.group("pnum_m") else None
    if kind == "half":
        return 4, "half-paren", f"（{n_text}）"
    if kind == "num":
        return 3, {"．": "dot-fw", "、": "dun"}.get(m.group("num_m"), "dot"), None
    return 5, "circled", n_text if m.group("circ_m") else None


def outline_parser(doc) -> _Parser:
    """A parser of ``doc``'s outline, whose parts may be asked for apart
    (``_Parser.sections``) before the whole is built (``build_outline``)."""
    return _Parser(doc, load_layout())


def build_outline(doc, parser: Optional[_Parser] = None) -> Outline:
    return (parser or outline_parser(doc)).build()
