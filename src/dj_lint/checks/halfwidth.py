"""kind: halfwidth — ASCII punctuation used in Chinese text, with noise control.

A rule lists the ASCII marks it covers and their full-width forms
(``marks: {",": "，", ".": null}``; null means "no automatic suggestion").
A mark counts only in Chinese context, decided here rather than in YAML
because it needs both neighbours at once:

* ``, ; : ? !`` after a Han character or a closing Chinese mark (unless an
  English word follows after a space: ``北京, China``), or after a digit, ``%``
  or ``)`` when a Han character follows (``增长19.1%,财政``). ``18:30``,
  ``1:500``, ``http://`` and ``1,234`` never qualify.
* ``.`` only between two Han characters or at the end of a line after one, and
  not as a heading marker ``一.`` (that belongs to the numbering checks).
* ``(`` ``)`` are paired within the line; a pair counts when it holds a Han
  character or touches Chinese text (``(含党总支)``, ``(1)加强``); ``f(x)的``
  (glued to an ASCII word) and ``(see Fig. 1)`` do not. A lone bracket counts when it touches Chinese text.

A rule with ``min_count`` is document-level: when the document has at least
that many of its marks, it reports once, on the first, with the count — and
the per-occurrence rules stay silent for those marks. A document normalised
to half-width throughout thus gets one finding instead of hundreds, while a
few slips in a full-width document are reported (and fixed) one by one.
"""
from __future__ import annotations

import re
from collections import Counter

from ..model.findings import Hit
from ..model.rules import RuleError
from .base import Kind
from ..text import pattern_cache

SUPPORTED = ",;:?!.()"
# \p{Han} spelled out for the stdlib ``re``, which scans this hot path about
# twice as fast as ``regex`` (seeds x200: 0.13 s against 0.22 s).
_HAN = ("\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf"
        "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f")
_LEFT_CJK = "[" + _HAN + "”’）》】」』]"
_RIGHT_CJK = "[" + _HAN + "“‘（《【「『]"
_TOUCH = pattern_cache.compile_re("[" + _HAN + "，。、；：？！“”‘’（）《》【】]")
_HAN_RE = pattern_cache.compile_re("[" + _HAN + "]")
# A heading marker 一. is left to the numbering checks.
_HEADING_DOT = pattern_cache.compile_re("[ \t\u3000]*[一二三四五六七八九十百]+[.]")

# Clause marks in Chinese context: a mark, then what decides whether it counts.
_CLAUSE_MARKS = ",;:?!"
_IN_CONTEXT = (
    # after Chinese text, unless English follows after a space or it is markup
    r"(?:(?<=" + _LEFT_CJK + r".)(?![ \t]+[A-Za-z])(?![/<>=&#\\\]])"
    # between a number (or %, or a bracket) and Chinese text
    r"|(?<=[0-9%％)].)(?=" + _RIGHT_CJK + r"))"
)
_CLAUSE = pattern_cache.compile_re("[" + re.escape(_CLAUSE_MARKS) + "]" + _IN_CONTEXT)
# The same, one pattern for each mark, led by the mark itself: ``re`` skips along
# the text to a literal several times faster than it tests a class at every
# position, so five such scans (each only in a text that holds its mark, a ``in``
# in C) cost less than the one of _CLAUSE (the 1000 corpus files: 46 -> 33 ms,
# realworld 5.4 -> 4.1 ms, min of 7). Every match is the one character of the mark,
# so the five find together what _CLAUSE finds (tests/test_halfwidth_brackets.py).
_CLAUSE_EACH = tuple((mark, pattern_cache.compile_re(re.escape(mark) + _IN_CONTEXT)) for mark in _CLAUSE_MARKS)
# A full stop between Han characters or ending a line after one.
_DOT = pattern_cache.compile_re(r"\.(?<=[" + _HAN + r"].)(?=[" + _HAN + r"]|[ \t]*$)", re.MULTILINE)
_PAREN = pattern_cache.compile_re(r"[()]")


def _heading_dot(text, pos):
    line_start = text.rfind("\n", 0, pos) + 1
    return _HEADING_DOT.fullmatch(text, line_start, pos + 1) is not None


def _touches(text, pos):
    return _TOUCH.search(text[pos - 1:pos] + text[pos + 1:pos + 2]) is not None


# A bracket with a Han character or a Chinese mark beside it: _touches for every
# bracket of a line at once, for a line with many (100,000 ``(`` in a row). The
# bracket first, then the mark before it (read by a lookbehind over both) or
# after it: ``re`` then skips to a bracket, where a leading lookbehind was tried
# at every position (the corpus's texts with a bracket, whole: 132 -> 15 ms).
_TOUCHING = pattern_cache.compile_re("[()](?:(?<=[" + _HAN + "，。、；：？！“”‘’（）《》【】].)"
                                     "|(?=[" + _HAN + "，。、；：？！“”‘’（）《》【】]))")
_MANY = 32


def _paren_line(text, parens):
    """The brackets among ``parens`` (offsets of ( and ) in one line) that count."""
    if len(parens) > _MANY:
        # Past the last bracket by one: the lookahead reads the character after it.
        touching = {m.start() for m in _TOUCHING.finditer(text, parens[0], parens[-1] + 2)}
        touches = lambda text, pos: pos in touching  # noqa: E731
    else:
        touches = _touches
    out, stack = [], []
    for pos in parens:
        if text[pos] == "(":
            stack.append(pos)
            continue
        if stack:
            open_pos = stack.pop()
            before = text[open_pos - 1:open_pos]
            # f(x)的, [链接](url)。: a bracket glued to an ASCII word or to a
            # Markdown link text is notation, whatever follows.
            glued = before == "]" or (before.isascii() and before.isalnum())
            if _HAN_RE.search(text, open_pos + 1, pos) or (
                    not glued and (touches(text, open_pos) or touches(text, pos))):
                out.extend((open_pos, pos))
        elif touches(text, pos):
            out.append(pos)
    out.extend(pos for pos in stack if touches(text, pos))  # unclosed (
    return out


# A text whose brackets all stand in pairs with no other bracket between them on
# their line (3,922 of the 4,346 realworld files with any; 174 of the corpus's 938):
# the bracket-by-bracket reading pairs each ( with the next ), and a pair counts
# when it holds a Han character or, not glued (_paren_line), touches Chinese text
# at either bracket. ``_FLAT_COUNTS`` finds those pairs in one search, starting
# with the literal ( (a leading lookbehind made ``re`` try every position); its
# lookbehinds read two characters, the bracket and the one before it. The 8,056
# realworld files, paren_candidates 0.121 -> 0.063 s (min of 5).
_FLAT = pattern_cache.compile_re(r"\([^()\n]*\)")
_TOUCH_CLASS = "[" + _HAN + "，。、；：？！“”‘’（）《》【】]"
_FLAT_COUNTS = pattern_cache.compile_re(
    r"\((?:(?=[^()\n]*[" + _HAN + r"])"  # a Han character inside
    r"|(?<![\]A-Za-z0-9]\()"  # or not glued, and touching at
    r"(?:(?<=" + _TOUCH_CLASS + r"\()|(?=" + _TOUCH_CLASS + r")"  # the ( (before, after)
    r"|(?=[^()\n]*(?:(?<=" + _TOUCH_CLASS + r")\)|\)(?=" + _TOUCH_CLASS + r")))))"  # or the )
    r"[^()\n]*\)")


def paren_candidates(text):
    """Offsets of the half-width brackets that count, paired line by line."""
    opening, closing = text.count("("), text.count(")")
    if not opening + closing:
        return []
    # (as many ( as ): most texts that are not flat fail here, without the findall)
    if opening != closing or len(_FLAT.findall(text)) != opening:
        return _paired_candidates(text)
    out = []
    for m in _FLAT_COUNTS.finditer(text):
        out += (m.start(), m.end() - 1)
    return out


def _paired_candidates(text):
    """``paren_candidates`` by pairing each line's brackets in turn. The next ( and
    the next ) are each found by ``str.find``, again only once the line past them
    is done: ``re`` looked for the class [()] at every position (the corpus's 764
    texts that are not flat, 6,000 characters and three brackets a typical one:
    30 us of a text's 40 in this function)."""
    found, find, size = [], text.find, len(text)
    opening, closing = find("("), find(")")
    while opening >= 0 or closing >= 0:
        start = opening if closing < 0 or 0 <= opening < closing else closing
        line_end = find("\n", start)
        line_end = size if line_end == -1 else line_end
        if opening < 0 or opening >= line_end or closing < 0 or closing >= line_end:
            # One kind of bracket on the line: no pairs, and a lone bracket counts
            # when it touches Chinese text (line_end + 1: the lookahead reads the break).
            found.extend(p.start() for p in _TOUCHING.finditer(text, start, line_end + 1))
        else:
            found.extend(_paren_line(text, [p.start() for p in _PAREN.finditer(text, start, line_end)]))
        if 0 <= opening < line_end:
            opening = find("(", line_end)
        if 0 <= closing < line_end:
            closing = find(")", line_end)
    return sorted(found)


def dot_candidates(text):
    return [m.start() for m in _DOT.finditer(text) if not _heading_dot(text, m.start())]


def clause_candidates(text):
    """Offsets of the clause marks that count, mark by mark (not in order)."""
    return [m.start() for mark, pattern in _CLAUSE_EACH if mark in text for m in pattern.finditer(text)]


def clause_counts(text):
    """({mark: how many of it count}, {mark: the offset of the first of it that
    counts}), for the marks that count at all. Each mark's pattern reads the text
    once: a search up to the first that counts, a findall of the rest (from there
    on: the lookbehinds still read the text before ``pos``). A findall of all, then
    a search again for the first (first_clause), read a text up to twice, and a
    text holding a mark none of which counted (``http://``) twice through."""
    counts, firsts = {}, {}
    for mark, pattern in _CLAUSE_EACH:
        if mark in text:
            m = pattern.search(text)
            if m is not None:
                at = firsts[mark] = m.start()
                counts[mark] = 1 + len(pattern.findall(text, at + 1))
    return counts, firsts


def first_clause(firsts, marks):
    """The offset of the first clause mark of ``marks`` that counts, or None
    (``firsts``: what clause_counts gives)."""
    found = [firsts[mark] for mark in marks if mark in firsts]
    return min(found) if found else None


def candidates(text):
    """Sorted offsets of every half-width mark used in Chinese context."""
    return sorted([*clause_candidates(text), *dot_candidates(text), *paren_candidates(text)])


class HalfwidthKind(Kind):
    FIELDS = {"marks": dict, "min_count": int}
    REQUIRED = ("marks",)
    MESSAGE_FIELDS = ("mark", "count", "marks_found")

    @classmethod
    def validate(cls, rule):
        marks = rule.options["marks"]
        if not marks:
            raise RuleError("field 'marks': list at least one mark")
        for half, full in marks.items():
            if not isinstance(half, str) or len(half) != 1 or half not in SUPPORTED:
                raise RuleError(f"field 'marks': '{half}' is not one of {SUPPORTED}")
            if full is not None and not (isinstance(full, str) and full):
                raise RuleError(f"field 'marks': the full-width form of '{half}' should be text or null")
        if "min_count" in rule.options and rule.options["min_count"] < 1:
            raise RuleError("field 'min_count' should be at least 1")
        if "min_count" in rule.options and rule.fix:
            raise RuleError("field 'fix': a document-level finding cannot be fixed in one place")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.doc_rules = [r for r in rules if "min_count" in r.options]
        self.each_rules = [r for r in rules if "min_count" not in r.options]
        # Each such rule with its marks as a set, made once, not for every document.
        self._each_marks = [(r, frozenset(r.options["marks"])) for r in self.each_rules]
        # No document-level rule reaches its min_count with fewer marks than this in all.
        self.fewest = min((r.options["min_count"] for r in self.doc_rules), default=0)

    def check(self, doc):
        text = doc.text
        if text.isascii():
            # (Known at once.) No Chinese: no mark stands in Chinese context (each
            # candidate has a Han character or a full-width mark beside or inside
            # it), and 100,000 ( in a row were each tried by _TOUCHING.
            return
        parens = paren_candidates(text)
        dots = dot_candidates(text) if "." in text else []
        covered = set()
        if self.doc_rules:
            yield from self._document_hits(text, parens, dots, covered)
        each = [r for r, marks in self._each_marks if not marks <= covered]
        if not each:
            return
        for pos in sorted([*clause_candidates(text), *dots, *parens]):
            ch = text[pos]
            if ch in covered:
                continue
            for rule in each:
                marks = rule.options["marks"]
                if ch in marks:
                    yield Hit(pos, pos + 1, rule, marks[ch], {"mark": ch})

    def _document_hits(self, text, parens, dots, covered):
        """One hit per document-level rule whose marks reach its min_count.
        Counting needs no positions: each mark's findall() only counted.
        Plain loops, no generator expressions and no Counter lookups of absent
        marks (a Python call each): this part was half the kind's time on the
        realworld files (700 characters each, nearly all over min_count)."""
        clauses, firsts = clause_counts(text)
        if sum(clauses.values()) + len(dots) + len(parens) < self.fewest:
            return  # a rule's marks are some of these
        counts = Counter(clauses)
        counts["."] = len(dots)
        if parens:
            counts.update(map(text.__getitem__, parens))
        get = counts.get
        for rule in self.doc_rules:
            marks = rule.options["marks"]
            total = 0
            for m in marks:
                total += get(m, 0)
            if total < rule.options["min_count"]:
                continue
            covered.update(marks)
            first, first_other = first_clause(firsts, marks), len(text)
            if first is None:
                first = first_other
            # The first of each list (each in text order): a dot must not stand
            # for the first when a bracket comes before it.
            for found in (dots, parens):
                for p in found:
                    if text[p] in marks:
                        first_other = min(first_other, p)
                        break
            first = min(first, first_other)
            shown = " ".join([m for m in SUPPORTED if get(m) and m in marks])
            yield Hit(first, first + 1, rule, None,
                      {"count": total, "marks_found": shown, "mark": text[first]})
