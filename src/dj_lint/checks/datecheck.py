"""kind: date_check — dates that cannot be right (category number).

A rule picks one ``check``:

* ``impossible`` — a month over 12 or a day past the month's end: ``6月31日``,
  ``2月30日``, ``2023年2月29日`` (leap years counted), ``13月5日``.
* ``backwards`` — a range whose end comes before its start:
  ``2015年6月18日—2011年6月20日``, ``6月18日至6月3日`` (the end may omit the year).
* ``weekday`` — a weekday in brackets or after the date that is not that date's
  weekday: ``2015年6月28日（周五）`` (it was a Sunday).
* ``bare_digits`` — a 落款 date written as eight bare digits on its own line among
  the last ``last_lines`` non-empty lines: ``20221117`` → ``2022年11月17日``.
* ``lost_month`` — ``220日`` at the start of a clause: 月 was lost, ``2月20日``;
  only when exactly one split gives a real month and day.
* ``clock`` — a 24-hour time after 下午/晚上 (``下午16点``) or a 12-hour period word
  before an hour it cannot hold (``上午15时``).

Dates are read with owndate.DATE (the one date parser of the time checks).
"""
from __future__ import annotations

import datetime as _dt

import regex

from ..text import owndate
from ..model.findings import Hit
from ..model.rules import RuleError
from .base import Kind, anchor_index, necessary_literals, register_anchors
from ..text import multiscan, pattern_cache
from ..text.document import VISIBLE_KEPT
from ..text.numerals import decimal

CHECKS = ("impossible", "backwards", "weekday", "bare_digits", "lost_month", "clock")
# The checks whose every finding holds a digit (\d in _BARE_DIGITS, _LOST, _CLOCK);
# the others read owndate's dates, which may be written in Chinese numerals.
_OF_DIGITS = frozenset(("bare_digits", "lost_month", "clock"))
# Whether a text holds a digit: the stdlib's scan of [0-9] first (cheaper a character
# than ``regex``'s \d; the first ASCII digit of a realworld page stands a median 32
# characters in), \d (every digit ``regex`` knows) only where there is none.
_ASCII_DIGIT = pattern_cache.compile_re("[0-9]").search
_DIGIT = pattern_cache.compile(r"\d")
_WEEK = "一二三四五六日天"
_WEEKDAY = pattern_cache.compile(r"\s*(?:[（(]\s*)?(?P<w>星期|周|礼拜)(?P<d>[一二三四五六日天])(?:\s*[)）])?")
_RANGE = pattern_cache.compile(r"\s*(?:-{1,2}|—{1,2}|－|～|~|至|到)\s*")
_MD = pattern_cache.compile(r"(?<![\d年./-])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
# The blanks right before a position, matched backwards from it (``(?r)``): where
# the run of ``\s`` that ends there starts, found in C however long it is.
_BLANKS_BEFORE = pattern_cache.compile(r"(?r)\s*")
# A month day stands at most one in this many characters, or _MD scans the whole text.
_SPARSE_MONTHS = 32
_DAY_ONLY = pattern_cache.compile(r"(?P<d>\d{1,2})\s*日")
_BARE_DIGITS = r"(?P<hit>(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01]))"
_BARE = pattern_cache.compile(r"^[ \t\u3000]*" + _BARE_DIGITS + r"[ \t\u3000]*$", regex.MULTILINE)
# A line _BARE takes is its eight characters and blanks: its visible text is the hit.
_BARE_HIT = pattern_cache.compile(_BARE_DIGITS)
_LOST = pattern_cache.compile(r"(?:^|(?<=[\s，,。；;：:、于在（(年]))(?P<hit>(?P<n>\d{3,4})日)(?=[，,、\s上中下晚早凌傍夜召举开在至到前后起]|$)",
                              regex.MULTILINE)
_PERIODS = ("下午", "晚上", "傍晚", "晚间", "夜间", "上午", "早上", "早晨", "凌晨")
_CLOCK = pattern_cache.compile(r"(?P<hit>(?P<p>" + "|".join(_PERIODS) + r")\s*(?P<h>\d{1,2})\s*(?P<u>点|时|:|：))")
# The groups read of each match, by number, looked up once here: ``regex`` finds a
# group by name about 1 us slower than by number (timeit: m.span('hit') 1.15 us,
# m.span(1) 0.12 us; m.group('y') 1.3 us, m.group(2) 0.2 us).
_WEEKDAY_W, _WEEKDAY_D = (_WEEKDAY.groupindex[g] for g in ("w", "d"))
_MD_M, _MD_D = (_MD.groupindex[g] for g in ("m", "d"))
_DAY_ONLY_D = _DAY_ONLY.groupindex["d"]
_BARE_HIT_GROUPS = tuple(_BARE_HIT.groupindex[g] for g in ("hit", "y", "m", "d"))
assert _BARE_HIT_GROUPS == tuple(_BARE.groupindex[g] for g in ("hit", "y", "m", "d"))  # one reading of both
_LOST_HIT, _LOST_N = (_LOST.groupindex[g] for g in ("hit", "n"))
_CLOCK_HIT, _CLOCK_P, _CLOCK_H = (_CLOCK.groupindex[g] for g in ("hit", "p", "h"))


class DateCheckKind(Kind):
    FIELDS = {"check": str, "last_lines": int}
    REQUIRED = ("check",)
    MESSAGE_FIELDS = ("date", "weekday", "expected")

    @classmethod
    def validate(cls, rule):
        if rule.options["check"] not in CHECKS:
            raise RuleError(f"field 'check' should be one of {', '.join(CHECKS)}")
        if rule.options["check"] == "bare_digits" and rule.options.get("last_lines", 0) < 1:
            raise RuleError("field 'last_lines' is required (at least 1) with check: bare_digits")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        # Every clock match holds one of its period words: a text without any (170 of
        # 200 corpus files) is not scanned, told by the run's shared anchor pass
        # (200 corpus files: 7.2 -> 1.7 ms). None: no automaton, scan every text.
        self._clock_anchors = (register_anchors(ctx, _CLOCK)
                               if any(r.options["check"] == "clock" for r in self.rules) else None)
        # Every clock match begins with its period word: when those are the anchors,
        # _CLOCK is tried only where the shared pass found one (_clock_matches).
        self._clock_led = sorted(necessary_literals(_CLOCK) or ()) == sorted(_PERIODS)
        # Each rule with its check's function, looked up once, not for every document,
        # and whether every match of the check holds a digit (\d): a text without any
        # (a short notice) does not run those checks.
        self._plan = [(getattr(DateCheckKind, "_" + rule.options["check"]), rule, rule.options["check"] in _OF_DIGITS)
                      for rule in self.rules]

    def check(self, doc):
        digits = None  # whether the text holds a digit, once a check asks
        for method, rule, of_digits in self._plan:
            if of_digits:
                if digits is None:
                    text = doc.text
                    digits = _ASCII_DIGIT(text) is not None or _DIGIT.search(text) is not None
                if not digits:
                    continue
            yield from method(self, doc, rule)

    # -- impossible dates ------------------------------------------------------
    def _impossible(self, doc, rule):
        text = doc.text
        taken = []
        for m in owndate.dates(doc):
            y, mo, d = owndate.parse_date(m)
            taken.append(m.span())
            if mo is None or d is None and 1 <= mo <= 12:
                continue
            if not _valid(y, mo, d):
                yield Hit(m.start(), m.end(), rule, None, {"date": m.group(), "expected": _why(y, mo, d)})
        for m in _month_days(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            mo, d = map(decimal, m.group(_MD_M, _MD_D))
            if not _valid(None, mo, d):
                yield Hit(m.start(), m.end(), rule, None, {"date": m.group(), "expected": _why(None, mo, d)})

    # -- ranges running backwards ----------------------------------------------
    def _backwards(self, doc, rule):
        text = doc.text
        for m in owndate.dates(doc):
            sep = _RANGE.match(text, m.end())
            if not sep:
                continue  # most dates: not parsed
            y, mo, d = owndate.parse_date(m)
            start = owndate.real_date(y, mo, d)
            if start is None:
                continue
            end_m = owndate.DATE.match(text, sep.end())
            if end_m:
                end = owndate.real_date(*owndate.parse_date(end_m))
                if end is None:
                    y2, mo2, d2 = owndate.parse_date(end_m)
                    if y2 is not None and (y2, mo2 or 0) < (y, mo):
                        end = _dt.date(y2, 1, 1)
            else:
                end_m = _MD.match(text, sep.end())
                end = owndate.real_date(y, *map(decimal, end_m.group(_MD_M, _MD_D))) if end_m else None
                if end_m is None and d is not None:
                    end_m = _DAY_ONLY.match(text, sep.end())
                    end = owndate.real_date(y, mo, decimal(end_m.group(_DAY_ONLY_D))) if end_m else None
            if end_m is None or end is None or end >= start:
                continue
            yield Hit(m.start(), end_m.end(), rule, None, {"date": text[m.start():end_m.end()]})

    # -- weekday ----------------------------------------------------------------
    def _weekday(self, doc, rule):
        text = doc.text
        for m in owndate.dates(doc):
            w = _WEEKDAY.match(text, m.end())
            if not w or not owndate.has_day(m):
                continue  # most dates: not parsed
            date = owndate.real_date(*owndate.parse_date(m))
            if date is None:
                continue
            said = _WEEK.index(w.group(_WEEKDAY_D))
            said = 6 if said == 7 else said
            if said == date.weekday():
                continue
            right = w.group(_WEEKDAY_W) + "一二三四五六日"[date.weekday()]
            yield Hit(m.start(), w.end(), rule, None,
                              {"date": m.group(), "weekday": right, "expected": right})

    # -- bare digits in the 落款 --------------------------------------------------
    def _bare_digits(self, doc, rule):
        n, text = rule.options["last_lines"], doc.text
        if len(text) > VISIBLE_KEPT:
            found = _BARE.finditer(text, doc.last_lines_start(n))
        else:
            # The window's lines with text are the last n of visible_spans, and only
            # one whose visible text is eight characters long can be a match: tried
            # alone by _BARE_HIT, not _BARE's scan of the window (whose last lines
            # are often long paragraphs; the 8,056 realworld files: 0.073 -> 0.004 s).
            found = [m for s, e in doc.visible_spans[-n:] if e - s == 8 and (m := _BARE_HIT.fullmatch(text, s, e))]
        hit, *ymd = _BARE_HIT_GROUPS
        for m in found:
            y, mo, d = map(int, m.group(*ymd))
            if not _valid(y, mo, d):
                continue
            fixed = f"{y}年{mo}月{d}日"
            yield Hit(*m.span(hit), rule, fixed, {"expected": fixed})

    # -- 月 lost ------------------------------------------------------------------
    def _lost_month(self, doc, rule):
        for m in _lost_matches(doc.text):
            n = m.group(_LOST_N)
            splits = [(decimal(n[:i]), decimal(n[i:])) for i in (1, 2) if n[i:i + 1] != "0" or i == len(n)]
            real = [(mo, d) for mo, d in splits if 1 <= mo <= 12 and 1 <= d <= 31 and _valid(None, mo, d)]
            if len(real) != 1 or decimal(n) <= 31:
                continue
            mo, d = real[0]
            fixed = f"{mo}月{d}日"
            yield Hit(*m.span(_LOST_HIT), rule, fixed, {"expected": fixed})

    # -- 下午16点 -----------------------------------------------------------------
    def _clock(self, doc, rule):
        for m in self._clock_matches(doc.text):
            p, h = m.group(_CLOCK_P, _CLOCK_H)
            h = decimal(h)
            late = p in ("下午", "晚上", "傍晚", "晚间", "夜间")
            if late and 13 <= h <= 24:
                fixed = f"{h}时（或‘{p}{h - 12}时’）"
            elif not late and 13 <= h <= 24:
                fixed = f"{h}时"
            else:
                continue
            yield Hit(*m.span(_CLOCK_HIT), rule, None, {"expected": fixed})


    def _clock_matches(self, text: str):
        """``_CLOCK.finditer(text)``: none in a text without a period word, else
        _CLOCK tried at each period word the shared anchor pass found (where every
        match starts; its scan stopped at every character of their first
        characters' class), from the end of the last match on."""
        handle = self._clock_anchors
        if handle is None:
            return _CLOCK.finditer(text)
        starts = anchor_index(self.ctx).present(text).get(handle)
        if not starts:
            return ()
        if starts is multiscan.WHOLE or not self._clock_led:
            return _CLOCK.finditer(text)
        return owndate.matches_at(_CLOCK, text, sorted(starts))


def _month_days(text: str) -> list:
    """``list(_MD.finditer(text))``, with _MD tried only before each 月: its scan
    tries the lookbehind and ``\\d`` at every character (1000 corpus files: 19 ms
    for no match at all; 2,247 月 in 5.7 M characters). A match holds 月 right
    after its digits and the blanks after them, and its lookbehind admits no digit
    before its start: it can only start one or two characters before the run of
    blanks that ends at a 月 (the first of the two that matches is the leftmost).
    No match can start inside the last one (its end is 日, no digit or blank)."""
    out, end, match, blanks, find = [], 0, _MD.match, _BLANKS_BEFORE.match, text.find
    limit = len(text) // _SPARSE_MONTHS  # 月 found before a flood of them is scanned
    p = find("月")
    while p >= 0:
        limit -= 1
        if limit < 0:
            return list(_MD.finditer(text))  # a flood of 月: the scan costs less
        q = blanks(text, end, p).start()
        m = None
        if q - 2 >= end:
            m = match(text, q - 2)
        if m is None and q - 1 >= end:
            m = match(text, q - 1)
        if m is not None:
            out.append(m)
            end = m.end()
            p = find("月", end)
        else:
            p = find("月", p + 1)
    return out


def _lost_matches(text: str) -> list:
    """``list(_LOST.finditer(text))``, with _LOST tried only before each 日 that
    follows a digit: its scan tries ``^`` and the lookbehind's class at every
    character (the first 100 corpus files: about a quarter of the kind). A match
    is three or four digits and 日: it starts three or four characters before a
    日 (four first, as the scan meets it first; after three digits a fourth is no
    boundary), and no match can hold a 日 before its own. Where 日 stands thicker
    than one in _SPARSE_MONTHS characters, the scan."""
    out, limit, match, digit = [], len(text) // _SPARSE_MONTHS, _LOST.match, _DIGIT.match
    q = text.find("日", 3)
    while q >= 0:
        limit -= 1
        if limit < 0:
            return list(_LOST.finditer(text))
        if digit(text, q - 1) is not None:
            m = match(text, q - 4) if q >= 4 else None
            if m is None:
                m = match(text, q - 3)
            if m is not None:
                out.append(m)
        q = text.find("日", q + 1)
    return out


def _valid(y, mo, d) -> bool:
    if not 1 <= mo <= 12:
        return False
    return d is None or 1 <= d <= owndate.days_in_month(y, mo) if y else d is None or 1 <= d <= owndate.days_in_month(2000, mo)


def _why(y, mo, d) -> str:
    if not 1 <= mo <= 12:
        return "一年只有12个月"
    return f"{y}年{mo}月只有{owndate.days_in_month(y, mo)}天" if y else f"{mo}月最多{owndate.days_in_month(2000, mo)}天"
