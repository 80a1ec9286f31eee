"""kind: numbering — heading hierarchy and in-paragraph list numbering.

Works on the outline (structure.py): numbered headings of the levels
一、 › （一） › 1. › （1） › ① (GB/T 9704-2012 7.3.3; GB/T 15834-2011 B.3) and
run-in list items 一是… / 第一，… / ①…, which are never headings.  Each
compiled article (``第N篇:``) is numbered on its own, so its restart is not a
finding.

``check`` chooses what a rule reports:

- ``sequence``: a heading number skipped, repeated, out of order, restarted
  without a new parent, or not starting at 1 under its parent;
- ``marker``: a wrong mark after the number (``（一）、``, ``1)、``, ``一.``);
- ``mixed``: a heading styled unlike the other headings of its level (``1、`` among ``1.``);
- ``nesting``: a level directly under a parent two levels up (``（1）`` under ``一、``),
  or a higher level after a lower one under the same parent (``（一）`` after ``1.``);
- ``list-sequence``: 一是、二是、四是 inside paragraphs;
- ``list-marker``: ``第六、`` in a 第一，第二， series (B.3.1 takes a comma).
"""
from __future__ import annotations

from collections import Counter, defaultdict

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text.numerals import cn_numeral
from .base import Kind

CHECKS = ("sequence", "marker", "mixed", "nesting", "list-sequence", "list-marker")
_STYLE_NAMES = {"cn": "一、", "part": "第一部分", "lenticular": "【1】", "paren-cn": "（一）",
                "dot": "1.", "dot-fw": "1．", "dun": "1、", "paren-num": "（1）",
                "half-paren": "1)", "circled": "①"}
_LEVEL_NAMES = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）", 5: "①"}


# Only the style's own marker is written (the ten of every style each time were
# 0.9% of the corpus run: a sequence finding asks for one, and most headings of
# the corpus have one).
_MARKER_FORMATS = {"cn": "{cn}、", "part": "第{cn}部分", "lenticular": "【{n}】", "paren-cn": "（{cn}）",
                   "dot": "{n}.", "dot-fw": "{n}．", "dun": "{n}、", "paren-num": "（{n}）",
                   "half-paren": "（{n}）"}


def marker_for(style: str, n: int) -> str:
    """The marker of ``style`` for number ``n`` as it should be written."""
    cn = cn_numeral(n)  # for every style: a number it cannot write fails alike
    if style == "circled":
        return chr(ord("①") + n - 1) if 0 < n <= 20 else str(n)
    return _MARKER_FORMATS[style].format(cn=cn, n=n)


class NumberingKind(Kind):
    FIELDS = {"check": str}
    REQUIRED = ("check",)
    MESSAGE_FIELDS = ("problem", "expected")

    @classmethod
    def validate(cls, rule):
        if rule.options["check"] not in CHECKS:
            raise RuleError(f"field 'check' should be one of {', '.join(CHECKS)}")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        # check -> its rules, in pack order: two rules may share a check (a user's
        # pack with its own copy of one); each reports (a dict of one rule per check
        # kept only the last).
        self._by_check = by_check = {}
        for r in rules:
            by_check.setdefault(r.options["check"], []).append(r)
        # Which checks run, worked out once a run instead of once a document part.
        self._walks = "sequence" in by_check or "nesting" in by_check
        self._lists = "list-sequence" in by_check or "list-marker" in by_check

    def check(self, doc):
        headings, series_rows = doc.headings_and_series()  # (no title nor 落款 looked for)
        by_check = self._by_check
        # A document without headings (most realworld pages) or list items makes
        # neither the parts' lists nor the lists' groups.
        if headings:
            parts = defaultdict(list)
            for h in headings:
                if h.number is not None:  # h.numbered, without a property call a heading
                    parts[h.part].append(h)
            mixed = by_check.get("mixed", ())
            for part in parts.values():
                if self._walks:
                    for check, h, fields in _walk(part):
                        for rule in by_check.get(check, ()):
                            yield Hit(h.start, h.end, rule, fields=fields)
                for rule in mixed:
                    yield from _mixed(part, rule)
            markers = by_check.get("marker", ())
            if markers:
                for h in headings:
                    if h.suggestion:
                        for rule in markers:
                            yield Hit(h.start, h.end, rule, h.suggestion, {"problem": _marker_problem(h)})
        if series_rows and self._lists:
            yield from _lists(doc, series_rows, by_check)


def _marker_problem(h) -> str:
    if h.style == "half-paren":
        return "序号应加全括号，括号后不加标点" if len(h.marker) > 2 and h.marker[-1] in "、.．" else "序号应加全括号"
    if h.style == "cn":
        return "不带括号的汉字序号后用顿号"
    return "带括号的序号后不再加标点"


def _walk(headings):
    """Yield (check, heading, fields) for sequence and nesting problems.

    A heading that follows one of its own level (most of them) can have no
    nesting problem, and when its number is the next one no sequence problem
    either: only the deeper levels are forgotten (the corpus's headings: the
    parents and the sorted deeper levels were worked out for every one)."""
    last = {}
    # The level of the heading before: no level in ``last`` is deeper (each heading
    # forgets the deeper ones), so a heading on the level of the one before has none
    # to forget (5,480 of the corpus's 7,410 headings that follow one of their level).
    before = 0
    for h in headings:
        level = h.level
        prev = last.get(level)
        if prev is not None:
            if h.number != prev.number + 1:
                # The number that continues the sequence, also after a restart without
                # a new parent heading: "此处应为“一、”" under a "一、" told a user nothing.
                yield "sequence", h, {"problem": _sequence_problem(prev, h),
                                      "expected": marker_for(h.style, prev.number + 1)}
            last[level] = h
            if before > level:
                for k in [k for k in last if k > level]:
                    del last[k]
            before = level
            continue
        parents = [k for k in last if k < level]
        deeper = sorted(k for k in last if k > level)
        if parents and level - max(parents) >= 3:
            p = last[max(parents)]
            skipped = "".join(f"“{_LEVEL_NAMES[k]}”" for k in range(p.level + 1, level))
            yield "nesting", h, {"problem": f"直接用在“{p.marker}”之下，跳过了{skipped}",
                                 "expected": _LEVEL_NAMES[p.level + 1]}
        elif deeper:
            d = last[deeper[0]]
            yield "nesting", h, {"problem": f"出现在同一上级标题下的“{d.marker}”之后，层级顺序颠倒",
                                 "expected": _LEVEL_NAMES[level]}
        problem = _sequence_problem(None, h)
        if problem:
            yield "sequence", h, {"problem": problem, "expected": marker_for(h.style, 1)}
        last[level] = h
        for k in deeper:
            del last[k]
        before = level


def _sequence_problem(prev, h):
    n = h.number
    if prev is None:
        return None if n == 1 else "没有从头编号"
    want = prev.number + 1
    if n == want:
        return None
    if n == prev.number:
        return "与上一个同级标题重复"
    if n == 1:
        return "重新从头编号，但前面没有新的上级标题"
    if n > want:
        return "跳号"
    return "顺序颠倒"


def _mixed(headings, rule):
    # Most documents style each level one way: a set of (level, style) pairs
    # with no level twice says so without a Counter per level.
    styles = {(h.level, h.style) for h in headings if h.style != "half-paren"}
    if len(styles) == len({level for level, _ in styles}):
        return
    by_level = defaultdict(list)
    for h in headings:
        if h.style != "half-paren":  # reported by the marker check already
            by_level[h.level].append(h)
    for level, hs in by_level.items():
        counts = Counter(h.style for h in hs)
        if len(counts) < 2:
            continue
        first_seen = [h.style for h in hs]
        main = max(counts, key=lambda s: (counts[s], -first_seen.index(s)))
        for h in hs:
            if h.style != main:
                yield Hit(h.start, h.end, rule, marker_for(main, h.number),
                          {"expected": _STYLE_NAMES[main], "problem": _STYLE_NAMES[h.style]})


def _lists(doc, rows, by_check):
    """The findings of the in-paragraph lists, from the outline's ``series_rows``
    (start, end, family, number, mark, line, scope): no SeriesItem is made."""
    seqs, marks = by_check.get("list-sequence", ()), by_check.get("list-marker", ())
    groups = defaultdict(list)
    for row in rows:
        groups[(row[6], row[2])].append(row)
    for (_, family), items in groups.items():
        first, last = True, None  # the number of the item before (None: not parsed)
        for start, end, _, number, _, _, _ in items:
            # The first item of its group, or one that continues the one before
            # (13,844 of the corpus's 14,247), has no problem: _list_problem is
            # asked only of the others.
            if not first and (last is None or number != last + 1):
                problem = _list_problem(last, number)
                if problem:
                    for rule in seqs:
                        yield Hit(start, end, rule,
                                  fields={"problem": problem, "expected": _list_marker(family, last + 1)})
            first, last = False, number
        if marks and family == "di" and len(items) >= 2:
            for start, end, _, _, mark, _, _ in items:
                if mark == "、":
                    for rule in marks:
                        yield Hit(start, end, rule, doc.text[start:end - 1] + "，")


def _list_problem(last, number):
    """What is wrong with an item numbered ``number`` after one numbered ``last``
    (None for the first item), or None."""
    # A numeral that did not parse (一二是) has no number to compare: nothing is said
    # of it or of the item after it (this raised a TypeError, an internal error).
    if last is None or number == 1 or number is None:
        return None
    if number == last:
        return "与前一项重复"
    if number > last + 1:
        return "跳过了中间的序号"
    if number < last:
        return "顺序颠倒"
    return None


def _list_marker(family: str, n: int) -> str:
    if family == "shi":
        return f"{cn_numeral(n)}是"
    if family == "circ":
        return chr(ord("①") + n - 1) if 0 < n <= 20 else str(n)
    return f"第{cn_numeral(n)}，"
