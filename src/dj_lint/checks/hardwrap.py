"""kind: hardwrap — a paragraph copied out of a PDF, hard-wrapped at the page width.

Text extracted from a PDF keeps the line breaks of the page: every line of a
paragraph ends where the printed line ended, in the middle of a word or a
sentence. Reporting each of those breaks would flood the reader with the same
defect; this kind reports each such paragraph once, with the number of lines.

1. The page width: the upper quartile of the display widths (a Han character
   counts 2, an ASCII one 1) of the lines of at least ``min_width`` columns. Past
   ``max_width`` the long lines are paragraphs (a web page): no page width. Lines
   within ``band`` (a share) of it are *full*.
2. The document is wrapped when at least ``min_lines`` full lines run straight
   on into the next line (no blank line between) and full lines make at least
   ``min_share`` of the lines of ``min_width`` or more. Web pages (one long line
   a paragraph) and documents typed in Word have no such page width.
3. A full line runs on into the next line when it does not end a sentence
   (``terminal``, after closing quotes and brackets), neither line is a heading
   (``heading``) and the next is not a list item either (``item``). A run of such
   lines is reported when it is prose: it holds a clause mark (``prose_marks``);
   a column of names or a table is not.

The finding spans the last character of the paragraph's first line to the
first character of its last line; the suggestion is that text without its
line breaks (and the indentation after them).
"""
from __future__ import annotations

import sys
import unicodedata

from ..model.findings import Hit
from ..model.rules import RuleError
from .base import Deferring, Kind, compile_all, compile_regex
from .traditional import beyond_bmp
from ..text import build_cache, pattern_cache
_BREAK = pattern_cache.compile_re(r"[ \t\u3000]*\n[ \t\u3000]*")
_CLOSERS = "”’）)》】」』"


def _one_of(patterns, field):
    compile_all(patterns, field)
    return compile_regex("|".join(f"(?:{p})" for p in patterns), field)


# A str.translate table that deletes the wide (East Asian Width W or F)
# characters: those of the Basic Multilingual Plane from the build cache (walking
# its 65,536 code points in this Python's unicodedata takes about 20 ms, once per
# build), the ones beyond it looked up as texts bring them (walking all 1.1
# million code points would cost 0.1 s).
_WIDE: dict = {}
_ASTRAL_KNOWN: set = set()
_ASTRAL = pattern_cache.compile_re("[\U00010000-\U0010ffff]")


def _wide_bmp() -> str:
    eaw = unicodedata.east_asian_width
    return "".join([c for c in map(chr, range(0x10000)) if eaw(c) in "WF"])


_NARROW_BMP: list = []  # [compiled class of every character but the wide ones of the BMP]


def _wide_bmp_class() -> str:
    return pattern_cache.class_of(build_cache.product("wide_bmp", _wide_bmp))


def narrow_bmp():
    """A ``re`` class matching any character that is not a wide one of the BMP:
    on a text without characters beyond the BMP, a line's narrow characters are
    what it finds (a bitmap test per character in C; most report text is wide,
    so few matches), three times faster than translating the line. The class's
    ranges come from the build cache too: made from the 43,595 wide characters,
    2.4 ms of the serial start of every run that warms (--jobs)."""
    if not _NARROW_BMP:
        _NARROW_BMP.append(pattern_cache.compile_re(
            "[^" + build_cache.product("wide_bmp_class", _wide_bmp_class) + "]"))
    return _NARROW_BMP[0]


# With numpy already loaded (near_miss loads it for a run of 1 MB or more; it is
# never imported for this), the widths of a text of only BMP characters with many
# lines come from one running count of its narrow characters (a table lookup per
# UTF-16 code unit) instead of a ``re`` class search per line: 285 corpus files,
# 17.7 -> 13.4 ms. A text over VECTOR_UPTO characters keeps the search (no arrays
# of MBs beside a long text; the corpus files are under 64K characters).
VECTOR_LINES = 32
VECTOR_UPTO = 1 << 17
_NARROW_UNITS: list = []  # [numpy int8 array: 1 for each code unit that is not a wide character]


def vector_widths(np, text: str, lines) -> list:
    """``2 * (e - s)`` less the narrow characters of ``text[s:e]`` for each line
    (s, e) of a text without characters beyond the BMP (lone surrogates are
    narrow, one code unit each, as the ``re`` class counts them)."""
    if not _NARROW_UNITS:
        table = np.ones(0x10000, dtype=np.int8)
        wide = build_cache.product("wide_bmp", _wide_bmp)
        table[np.frombuffer(wide.encode("utf-16-le"), dtype=np.uint16)] = 0
        _NARROW_UNITS.append(table)
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    before = np.zeros(len(units) + 1, dtype=np.int64)  # narrow characters before each offset
    np.cumsum(_NARROW_UNITS[0][units], dtype=np.int64, out=before[1:])
    spans = np.array(lines, dtype=np.int64).reshape(-1, 2)
    s, e = spans[:, 0], spans[:, 1]
    return (2 * (e - s) - (before[e] - before[s])).tolist()


def _wide_table() -> dict:
    """``_WIDE``, holding the wide characters of the BMP from its first use on."""
    if not _WIDE:
        _WIDE.update(str.maketrans("", "", build_cache.product("wide_bmp", _wide_bmp)))
    return _WIDE


def learn_widths(s: str) -> bool:
    """Make the table know every wide character of ``s``; whether ``s`` has
    characters beyond the BMP. The table is made only for a text that has
    some (or for ``display_width``): a text of the BMP alone is measured by
    ``narrow_bmp`` or ``vector_widths``, and making it took 2.3 ms of the serial
    start of every run that warms (--jobs)."""
    if not beyond_bmp(s):
        return False
    _wide_table()
    new = set(_ASTRAL.findall(s)) - _ASTRAL_KNOWN
    if new:
        eaw = unicodedata.east_asian_width
        _WIDE.update((ord(c), None) for c in new if eaw(c) in "WF")
        _ASTRAL_KNOWN.update(new)
    return True


def display_width(s: str) -> int:
    """Columns on a page: 2 for a wide (W, F) character, 1 for any other."""
    learn_widths(s)
    # The narrow characters are what is left once the wide ones are taken out (in C).
    return 2 * len(s) - len(s.translate(_wide_table()))


def _no_page(text: str, lines, o, astral: bool) -> bool:
    """Whether ``_scan`` stops before its joins for a rule's options ``o``: fewer than
    ``min_lines`` lines of ``min_width`` or more, or a page (their upper quartile)
    wider than ``max_width``. Decided from bounds where they suffice: a line of n
    characters is n to 2n columns wide, so only a line whose bounds straddle
    ``min_width`` or ``max_width`` is measured (most documents are web pages whose
    paragraphs are far wider than any page: 10 lines a realworld file, 5 measured,
    none of the longest)."""
    low, high = o["min_width"], o["max_width"]
    sized = narrow_enough = 0  # lines of min_width or more; those of them up to max_width
    narrow = None if astral else narrow_bmp().findall
    for s, e in lines:
        n = e - s
        if 2 * n < low:
            continue
        if n > high:
            sized += 1
            continue
        if n < low or 2 * n > high:
            # The same width as HardWrapKind.check's.
            w = 2 * n - (len(text[s:e].translate(_WIDE)) if astral else len(narrow(text, s, e)))
            if w < low:
                continue
            if w > high:
                sized += 1
                continue
        sized += 1
        narrow_enough += 1
    # The quartile sized[(3 * len(sized)) // 4] is above max_width when no more than
    # that many lines are at most max_width.
    return sized < o["min_lines"] or narrow_enough <= (3 * sized) // 4


class HardWrapKind(Deferring, Kind):
    FIELDS = {
        "heading": list,
        "item": list,
        "min_width": int,
        "max_width": int,
        "band": float,
        "min_lines": int,
        "min_share": float,
        "terminal": str,
        "prose_marks": str,
        "defer_to": list,
    }
    REQUIRED = ("heading", "min_width", "max_width", "band", "min_lines", "min_share", "terminal",
                "prose_marks")
    MESSAGE_FIELDS = ("lines", "breaks", "before", "after")

    @classmethod
    def validate(cls, rule):
        cls.validate_defer(rule)
        o = rule.options
        compile_all(o["heading"], "heading")
        compile_all(o.get("item"), "item")
        if not 0 < o["min_width"] <= o["max_width"]:
            raise RuleError("fields 'min_width' and 'max_width' should satisfy 0 < min_width <= max_width")
        if not 0 <= o["band"] < 1 or not 0 < o["min_share"] <= 1:
            raise RuleError("field 'band' should be in [0, 1) and 'min_share' in (0, 1]")
        if o["min_lines"] < 1 or not o["terminal"] or not o["prose_marks"]:
            raise RuleError("field 'min_lines' should be at least 1, 'terminal' and 'prose_marks' list marks")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.plan = [(r, _one_of(r.options["heading"], "heading"),
                      _one_of(r.options["heading"] + r.options.get("item", []), "item")) for r in rules]

    def check(self, doc):
        if getattr(doc, "source_format", "text") == "docx" or doc.path.lower().endswith((".md", ".markdown")):
            return  # a Word or Markdown paragraph is never hard-wrapped by the page
        text = doc.text
        lines = doc.visible_spans
        if len(lines) < 3:
            return
        astral = learn_widths(text)  # once for the whole text, then each line is one translate
        if all(_no_page(text, lines, rule.options, astral) for rule, _, _ in self.plan):
            return
        if astral:
            wide = _WIDE
            widths = [2 * (e - s) - len(text[s:e].translate(wide)) for s, e in lines]
        elif len(lines) >= VECTOR_LINES and len(text) <= VECTOR_UPTO and sys.modules.get("numpy") is not None:
            widths = vector_widths(sys.modules["numpy"], text, lines)
        else:  # only BMP characters: count each line's narrow ones
            narrow = narrow_bmp().findall
            widths = [2 * (e - s) - len(narrow(text, s, e)) for s, e in lines]
        for rule, headings, items in self.plan:
            yield from self._scan(text, rule, headings, items, lines, widths)

    def _scan(self, text, rule, headings, items, lines, widths):
        o = rule.options
        sized = sorted(w for w in widths if w >= o["min_width"])
        if len(sized) < o["min_lines"]:
            return
        page = sized[(3 * len(sized)) // 4]
        if page > o["max_width"]:
            return  # long lines are paragraphs (a web page), not lines of a page
        floor, ceiling = page * (1 - o["band"]), page * (1 + o["band"])
        full = [floor <= w <= ceiling for w in widths]
        if sum(1 for w in sized if floor <= w <= ceiling) < o["min_share"] * len(sized):
            return
        # a line after which the next one is the same paragraph
        joins = []
        for i in range(len(lines) - 1):
            (s, e), (ns, ne) = lines[i], lines[i + 1]
            joins.append(
                full[i]
                and text.count("\n", e, ns) == 1
                and text[s:e].rstrip(_CLOSERS)[-1:] not in o["terminal"]
                and headings.match(text, s, e) is None
                and items.match(text, ns, ne) is None)
        if sum(joins) < o["min_lines"]:
            return
        i = 0
        while i < len(joins):
            if not joins[i]:
                i += 1
                continue
            first = i
            while i < len(joins) and joins[i]:
                i += 1
            last = i  # the paragraph is lines[first] .. lines[last]
            start, end = lines[first][1] - 1, lines[last][0] + 1
            span = text[start:end]
            if not any(c in o["prose_marks"] for c in text[lines[first][0]:lines[last][1]]):
                continue  # a column of names or a table, not running prose
            yield Hit(start, end, rule, _BREAK.sub("", span), {
                "lines": last - first + 1,
                "breaks": last - first,
                "before": text[lines[first][0]:lines[first][1]][:8],
                "after": text[lines[last][0]:lines[last][1]][-8:],
            })
