"""The Document: bytes decoded once, newline-normalised, with exact positions.

Checks scan ``Document.text``, in which every line break is a single ``\\n``.
Positions are computed from offsets (bisect over line starts), never by
searching the matched text again, and map back onto the original file: the
line and column of an offset are the same in both texts, only the line
terminators differ.
"""
from __future__ import annotations

import bisect
import codecs
import re
from typing import List, Optional, Tuple


from .markdown_source import prose_view
from .segment import cut
from .structure import build_outline, line_starts_of, outline_parser
from . import pattern_cache

_NEWLINE = pattern_cache.compile(r"\r\n|\r|\n")
# Where a clause ends: jieba only ever sees the clause around a candidate.
_CLAUSE_END = pattern_cache.compile(r"[\n。！？；!?;，,、：:“”\"（）()《》【】\[\]]")
# The same, searched backwards: the last clause end before a candidate in one call
# (a Python step per clause end in the 40 characters before it was 1% of a run).
_CLAUSE_END_BACK = pattern_cache.compile("(?r)" + _CLAUSE_END.pattern)
_CLAUSE_MAX = 40


def _blank_run_start(text: str, pos: int, strip) -> int:
    """Where the run of ``strip`` characters ending at ``pos`` begins (0: the text
    before ``pos`` is all blank), looked at 64 characters first (a line break and
    an indent, as a rule), then 4,096 at a time: no copy of a 20 MB text per
    question."""
    step = 64
    while pos > 0:
        lo = max(0, pos - step)
        kept = len(text[lo:pos].rstrip(strip))
        if kept:
            return lo + kept
        pos, step = lo, 4096
    return 0


# The visible text of a line (without the spaces, tabs and ideographic spaces
# around it): from its first visible character to its last. Led by a class, not
# by ``(?m)^[ \t\u3000]*``: ``re`` skips in C to the next visible character, over
# blank lines and a line's indentation, instead of trying a match at every line
# start (1 MB of blank lines: 52 -> 3 ms; c100 and r100: 0.5 M instructions less).
VISIBLE_LINE = pattern_cache.compile_re(r"[^ \t\u3000\n](?:[^\n]*[^ \t\u3000\n])?")
_SPAN = re.Match.span

VISIBLE_KEPT = 1 << 20

# A character str.strip() keeps (re's \s is str.isspace).
_NON_SPACE = pattern_cache.compile_re(r"\S")
_ESCAPED = pattern_cache.compile_re("[\udc80-\udcff]")  # a byte surrogateescape kept

# UTF-32 first: the UTF-32-LE mark (FF FE 00 00) begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MARKS = tuple(mark for mark, _ in _BOMS)


class _Cached:
    """``functools.cached_property`` without its lock: the value is computed at
    the first read and kept in the instance's ``__dict__``, where every later
    read finds it without this descriptor. A Document is read by one thread
    (a kind's turn); Python 3.11's lock (an RLock taken and released, and the
    value looked up twice) made each first read cost about 2,000 instructions
    more: 4 of them a document, at least, on every file of a run."""

    def __init__(self, func):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class InputError(Exception):
    """A file that cannot be linted at all (reported, never raised to the user)."""


class BinaryInput(InputError):
    """A file that looks binary; it is skipped with a warning."""


def _decode_lenient(raw: bytes, name: str) -> str:
    """Decode, keeping what cannot be decoded instead of failing.

    ``surrogateescape`` covers byte-oriented codecs. UTF-16/32 reject it, so a
    lone surrogate is kept with ``surrogatepass`` and a dangling odd byte becomes
    U+FFFD (reported as garble; --fix then refuses to rewrite such a file)."""
    try:
        return raw.decode(name, "surrogateescape")
    except UnicodeDecodeError:
        pass
    unit = 4 if "32" in name else 2
    whole = len(raw) - len(raw) % unit
    try:
        text = raw[:whole].decode(name, "surrogatepass")
    except UnicodeDecodeError:
        text = raw[:whole].decode(name, "replace")
    return text + ("\ufffd" if whole < len(raw) else "")


def decode(raw: bytes, encoding: Optional[str] = None) -> Tuple[str, str, bytes]:
    """Return (text, encoding, bom).

    Undecodable bytes survive as lone surrogates (``surrogateescape``) so the
    file can be written back byte for byte and each bad byte can be reported
    where it stands.
    """
    if encoding:
        try:
            family = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"未知的编码：{encoding}") from None
        for mark, name in _BOMS:
            # A forced Unicode encoding still keeps (and later rewrites) its BOM.
            if raw.startswith(mark) and family.split("-")[:2] == name.split("-")[:2]:
                name = "utf-8" if name == "utf-8-sig" else name
                return _decode_lenient(raw[len(mark):], name), name, mark
        return _decode_lenient(raw, encoding), family, b""
    # (Most files have no mark: one search for all five, not one each.)
    for mark, name in _BOMS if raw.startswith(_MARKS) else ():
        if raw.startswith(mark):
            body = raw[len(mark):]
            if name == "utf-8-sig":
                name = "utf-8"
            return _decode_lenient(body, name), name, mark
    if b"\x00" in raw:
        raise BinaryInput("文件含有 NUL 字节，看起来不是文本文件，已跳过")
    try:
        return raw.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030", b""
    except UnicodeDecodeError:
        pass
    # Neither decodes cleanly: keep the reading with fewer bad bytes (counted by a
    # class in C: a generator over every character cost 0.03 s of a 1 MB file).
    best = None
    for name in ("utf-8", "gb18030"):
        text = raw.decode(name, "surrogateescape")
        bad = _ESCAPED.subn("", text)[1]
        if best is None or bad < best[0]:
            best = (bad, text, name)
    return best[1], best[2], b""


def _newline_style(text: str) -> Optional[str]:
    m = _NEWLINE.search(text)
    return m.group() if m else None


class Document:
    """A decoded text file. Everything derived from it is computed lazily, once."""

    # "docx" for Word files read through docx_input: never written back by --fix.
    source_format = "text"
    # Line index -> heading level taken from Word heading styles (docx only).
    style_headings: dict = {}
    # Word documents (docx_input): where each line is in Word, and which lines
    # are page furniture (headers, footers, notes) that the outline ignores.
    word_places = None
    furniture_lines: frozenset = frozenset()
    cell_lines: frozenset = frozenset()  # lines that are Word table cells

    def __init__(self, original: str, path: str = "<stdin>", encoding: str = "utf-8",
                 bom: bytes = b"", raw: Optional[bytes] = None):
        self.path = path
        self.original = original
        self.encoding = encoding
        self.bom = bom
        self.raw = raw
        if "\r" in original:
            self.newline = _newline_style(original)
            self.text = _NEWLINE.sub("\n", original)
        else:  # (the usual file: its first line break, if any, is a \n)
            self.newline = "\n" if "\n" in original else None
            self.text = original
        # ``source`` is the newline-normalised file; positions are reported in it.
        # ``text`` is what the checks read: the same, except for Markdown, whose
        # notation (emphasis markers, code, link targets, HTML …) is taken out;
        # ``_omap`` then gives the source offset of each character of ``text``.
        self.source = self.text
        self._omap = None
        if path.lower().endswith((".md", ".markdown")):
            view = prose_view(self.source)
            if view is not None:
                self.text, self._omap = view
        self._token_cache: dict = {}

    @property
    def scan_text(self) -> str:
        """``text`` as a multi-pattern automaton can read it (text/multiscan.py):
        lone surrogates replaced, same length and offsets. Computed once."""
        scan = self.__dict__.get("_scan_text")
        if scan is None or self.__dict__.get("_scan_of") is not self.text:
            from .multiscan import scannable
            scan = self.__dict__["_scan_text"] = scannable(self.text)
            self.__dict__["_scan_of"] = self.text
        return scan

    # -- construction -------------------------------------------------
    @classmethod
    def from_bytes(cls, raw: bytes, path: str = "<stdin>", encoding: Optional[str] = None):
        text, enc, bom = decode(raw, encoding)
        return cls(text, path=path, encoding=enc, bom=bom, raw=raw)

    # -- positions ----------------------------------------------------
    @_Cached
    def line_starts(self) -> List[int]:
        # Summed in C (a file of a million short lines took a million Python steps).
        return line_starts_of(self.lines)

    @property
    def visible_spans(self) -> List[Tuple[int, int]]:
        """(first, last) offsets of the visible text of every line that has some
        (``VISIBLE_LINE``), in order: found once for the kinds that walk lines
        (hardwrap, broken_line, title_repeat, pairs; 3 us a realworld document each). Kept
        only for a text of up to VISIBLE_KEPT characters: the 20 MB file's 70,000
        spans held for its whole lint raised its peak RSS by 6 MB."""
        spans = self.__dict__.get("_visible_spans")
        if spans is None:
            spans = list(map(_SPAN, VISIBLE_LINE.finditer(self.text)))
            if len(self.text) <= VISIBLE_KEPT:
                self.__dict__["_visible_spans"] = spans
        return spans

    def last_nonblank_lines(self, n: int, blanks: Optional[str] = None, after: int = -1) -> List[int]:
        """The indices of the last ``n`` lines (fewer when there are not so many) that
        hold a character outside ``blanks`` (None: any whitespace, as ``str.strip``),
        from the end backwards, only lines after line ``after``. Blank runs are
        skipped in C, however long they are."""
        text, out, pos = self.text, [], len(self.text)
        strip = None if blanks is None else blanks + "\n"
        while len(out) < n:
            end = _blank_run_start(text, pos, strip)
            if not end:
                break
            start = text.rfind("\n", 0, end) + 1
            idx = bisect.bisect_right(self.line_starts, start) - 1
            if idx <= after:
                break
            out.append(idx)
            pos = start
        return out

    def last_lines_start(self, n: int) -> int:
        """The start of the ``n``-th last line with text other than spaces, tabs and
        ideographic spaces (0 when there are fewer): read off ``visible_spans``, which
        the kinds walking lines ask for on every document, rather than walked back
        to by ``last_nonblank_lines`` (the 8,056 realworld files, four lines: 0.036
        -> 0.006 s); by that walk for a text too long to keep its spans."""
        if len(self.text) > VISIBLE_KEPT:
            lines = self.last_nonblank_lines(n, " \t\u3000")
            return self.line_starts[lines[-1]] if lines and len(lines) == n else 0
        spans = self.visible_spans
        return self.text.rfind("\n", 0, spans[-n][0]) + 1 if len(spans) >= n else 0

    def next_nonblank_lines(self, after: int, n: int) -> List[int]:
        """The indices of the first ``n`` lines after line ``after`` that hold a
        non-whitespace character (``str.strip`` leaves them non-empty)."""
        text, starts, out = self.text, self.line_starts, []
        pos = starts[after + 1] if after + 1 < len(starts) else len(text)
        while len(out) < n:
            m = _NON_SPACE.search(text, pos)
            if m is None:
                break
            idx = bisect.bisect_right(starts, m.start()) - 1
            out.append(idx)
            pos = starts[idx + 1] if idx + 1 < len(starts) else len(text)
        return out

    @_Cached
    def original_line_starts(self) -> List[int]:
        if self.original is self.source:
            return self.source_line_starts
        return [0] + [m.end() for m in _NEWLINE.finditer(self.original)]

    @_Cached
    def source_line_starts(self) -> List[int]:
        if self._omap is None:
            return self.line_starts
        return [0] + [m.end() for m in _NEWLINE.finditer(self.source)]

    @_Cached
    def source_lines(self) -> List[str]:
        """The file's lines (what line and column refer to)."""
        return self.lines if self._omap is None else self.source.split("\n")

    def source_offset(self, offset: int, end: bool = False) -> int:
        """The offset in ``source`` of an offset into ``text``. An ``end`` offset
        (exclusive) maps to just after its last character, so notation that
        follows a span (a closing ``**``) is never part of it."""
        omap = self._omap
        if omap is None:
            return offset
        if end and offset > 0:
            return omap[min(offset, len(omap)) - 1] + 1
        return omap[offset] if offset < len(omap) else len(self.source)

    def position(self, offset: int, end: bool = False) -> Tuple[int, int]:
        """1-based (line, column) in the file of an offset into ``text``;
        columns count code points."""
        offset = self.source_offset(offset, end)
        starts = self.source_line_starts
        idx = bisect.bisect_right(starts, offset) - 1
        return idx + 1, offset - starts[idx] + 1

    def original_offset(self, offset: int, end: bool = False) -> int:
        line, col = self.position(offset, end)
        return self.original_line_starts[line - 1] + col - 1

    def original_slice(self, start: int, end: int) -> str:
        return self.original[self.original_offset(start):self.original_offset(end, end > start)]

    def location(self, offset: int) -> Optional[dict]:
        """Where ``offset`` is in Word terms (docx only; None for text files)."""
        places = self.word_places
        if places is None:
            return None
        idx = self.position(offset)[0] - 1
        if not 0 <= idx < len(places):
            return None
        place = places[idx]
        heading = None
        if not place.furniture:
            for h in self.outline.headings:
                if h.line > idx:
                    break
                if places[h.line].part == "body":
                    heading = h.line
        if heading is not None:
            heading = " ".join(self.lines[heading].split())
            heading = heading if len(heading) <= 20 else heading[:20] + "…"
        return place.as_dict(heading)

    # -- structure ----------------------------------------------------
    @_Cached
    def lines(self) -> List[str]:
        return self.text.split("\n")

    @_Cached
    def outline_lines(self) -> List[str]:
        """``lines`` with page furniture (Word headers, footers, notes) blanked:
        the outline's title, headings and 落款 are the body's."""
        if not self.furniture_lines:
            return self.lines
        return ["" if i in self.furniture_lines else line for i, line in enumerate(self.lines)]

    # What the kinds work out about a document and keep on it, which making its
    # findings does not read: ``release_analysis`` drops it.
    _ANALYSIS = ("outline", "outline_lines", "_outline_parser")

    def release_analysis(self) -> None:
        """Drop the outline and the jieba tokens of the clauses looked at, once every
        kind has run and the hits are judged (Linter._findings): anything that asks
        again works them out again. The 20 MB benchmark file held 20 MB of outline
        and 15 MB of tokens while its findings were made, its run's peak: peak RSS
        242 -> 232 MB."""
        d = self.__dict__
        for name in self._ANALYSIS:
            d.pop(name, None)
        self._token_cache = {}

    @_Cached
    def outline(self):
        """Title, headings, in-paragraph lists and 落款 (see structure.py), parsed once
        (the headings and lists by the parser ``headings_and_series`` left, if any)."""
        return build_outline(self, self.__dict__.pop("_outline_parser", None))

    def headings_and_series(self):
        """``outline.headings`` and ``outline.series_rows``, without the outline's
        title and 落款 while no one asked for them: most small files have no
        finding, and only the numbering kind reads their outline. The parser is
        kept for ``outline`` (it holds the document: ``release_analysis`` drops it)."""
        d = self.__dict__
        outline = d.get("outline")
        if outline is not None:
            return outline.headings, outline.series_rows
        parser = d.get("_outline_parser")
        if parser is None:
            parser = d["_outline_parser"] = outline_parser(self)
        return parser.sections()

    def line_span(self, offset: int) -> Tuple[int, int]:
        """(start, end) offsets of the line holding ``offset`` (end excludes the newline)."""
        starts = self.line_starts
        idx = bisect.bisect_right(starts, offset) - 1
        # From the next line's start, not text.find: on a 5 MB single line a
        # find per match made every check quadratic.
        end = starts[idx + 1] - 1 if idx + 1 < len(starts) else len(self.text)
        return starts[idx], end

    # -- words --------------------------------------------------------
    def clause_span(self, start: int, end: int) -> Tuple[int, int]:
        """The clause around [start, end), at most _CLAUSE_MAX characters each side."""
        text = self.text
        lo = max(0, start - _CLAUSE_MAX)
        m = _CLAUSE_END_BACK.search(text, lo, start)
        left = m.end() if m else lo
        m = _CLAUSE_END.search(text, end, min(len(text), end + _CLAUSE_MAX))
        right = m.start() if m else min(len(text), end + _CLAUSE_MAX)
        return left, max(right, end)

    def tokens(self, start: int, end: int) -> List[Tuple[str, int, int]]:
        """jieba tokens (word, start, end) of the clause around [start, end).

        Only called around candidate matches, so documents without candidates
        never load the jieba dictionary.
        """
        span = self.clause_span(start, end)
        cached = self._token_cache.get(span)
        if cached is None:
            cached = [(w, s + span[0], e + span[0]) for w, s, e in cut(self.text[span[0]:span[1]])]
            self._token_cache[span] = cached
        return cached

    def on_token_boundaries(self, start: int, end: int) -> bool:
        """True when [start, end) begins and ends on jieba word boundaries."""
        bounds = set()
        for _, s, e in self.tokens(start, end):
            bounds.add(s)
            bounds.add(e)
        return start in bounds and end in bounds

    def is_token(self, start: int, end: int) -> bool:
        """True when [start, end) is exactly one jieba word."""
        return any(s == start and e == end for _, s, e in self.tokens(start, end))
