"""The document's own date: the period a document speaks for.

Worked out, strongest first, from
  * the 落款 date (the signature's date line),
  * a year in the title (``2025年度…述职报告``, ``2023年…活动方案``, ``2024—2025学年``),
  * an anniversary claim (``今年是建党90周年`` → 2011, computed from the timeline),
  * the latest dated event in the text (weak: it bounds the period from below only).

The period runs from the first day of the earliest strong year to the 落款 date (or
the end of the latest strong year). Narration of events inside that period is
history. A period that ended well before --as-of marks a document reused from
another year: it is "stale" (one finding, see checks/timeclaims.py).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from . import timeline
from . import pattern_cache
from .numerals import cn_digits, cn_int, cn_number, decimal

_CN = "〇○零一二三四五六七八九"
# One date parser for the time checks: Arabic (2025年10月5日, 2025-10-05, 2025.10.05,
# 2025/10/05) and Chinese numerals (二〇二五年十月五日). Groups y, m, d (d optional).
DATE = pattern_cache.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?"
    r"|(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d.])"
    r"|(?P<cy>[" + _CN + r"]{4})年(?P<cm>十[一二]?|[一二三四五六七八九])月"
    r"(?:(?P<cd>[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九])日)?")
_TITLE_YEAR = pattern_cache.compile(r"(?<!\d)(?P<a>(?:19|20)\d{2})\s*(?:(?:[—\-－~～至到]\s*(?P<b>(?:19|20)\d{2})\s*)?(?:年度?|学年)|年)")
# The groups by number, looked up once: ``regex`` finds a group by name about
# 0.4-1 us slower than by number (timeit: m.group('cy') 0.46 us, m.group(5) 0.08
# us; parse_date 2.9 -> 1.0 us). Both branches of a name share its number.
_Y, _M, _D, _CY, _CM, _CD = (DATE.groupindex[g] for g in ("y", "m", "d", "cy", "cm", "cd"))
_TITLE_A, _TITLE_B = (_TITLE_YEAR.groupindex[g] for g in ("a", "b"))


# Where a DATE match can start: an Arabic year (both Arabic branches begin with
# 19xx or 20xx), or four Chinese numerals before 年 (found from the 年, which is
# rarer than the numerals a class scan stops at).
_YEAR_19 = pattern_cache.compile_re(r"19\d\d")
_YEAR_20 = pattern_cache.compile_re(r"20\d\d")
_YEARS = ((_YEAR_19, "19"), (_YEAR_20, "20"))  # each with the literal its matches start with
_CN_SET = frozenset(_CN)
# Candidates stand at most one in this many characters, or DATE scans the whole text.
SPARSE = 32


def dates(doc) -> list:
    """Every DATE match in the document's text, found once per document (four time
    checks read the same list)."""
    found = doc.__dict__.get("_owndate_dates")
    if found is None:
        found = doc.__dict__["_owndate_dates"] = _date_matches(doc.text)
    return found


def _date_matches(text: str) -> list:
    """``list(DATE.finditer(text))``, with DATE tried only where a match can start:
    the pattern has no literal to skip to, so its own scan tries every character
    (200 corpus files: 13.2 -> 3.5 ms; 2 MB of stars: 14.6 -> 1.1 ms). The first
    candidate at or past the end of the last match where DATE matches is the
    leftmost match a scan from there finds (the lookbehind still reads the text
    before it)."""
    # A candidate costs a Python step and a match attempt (about 0.5 us, what the
    # whole-text scan spends on some 40 characters): where years or 年 stand
    # thicker than one in 32 characters (a flood of them), the scan.
    # The 年 first, counted as they are found (no count of the whole text first).
    limit = len(text) // SPARSE
    starts = []
    q = text.find("年", 4)
    while q >= 0:
        limit -= 1
        if limit < 0:
            return list(DATE.finditer(text))
        if text[q - 1] in _CN_SET and text[q - 2] in _CN_SET and text[q - 3] in _CN_SET \
                and text[q - 4] in _CN_SET:
            starts.append(q - 4)
        q = text.find("年", q + 1)
    # Non-overlapping years of each pattern are enough: one starting inside the
    # last (202025) has a digit before it, which the Arabic branches' lookbehind
    # turns away. One pattern per century: a literal prefix the engine skips to
    # (a class first tries every character: 2 MB of stars 14 -> 2 ms). Each by
    # ``search`` from the last one's end, not a finditer cut by islice and read by
    # a list comprehension (most texts have a year or two: the 8,056 realworld
    # files, this function 0.36 -> 0.26 s with the plain sort below).
    for pat, century in _YEARS:
        # A text without the century's two digits (a short note) is not searched:
        # ``find`` tells it in C without a call of ``re``, and where the search starts.
        at = text.find(century)
        m = pat.search(text, at) if at >= 0 else None
        while m is not None:
            limit -= 1
            if limit < 0:
                return list(DATE.finditer(text))
            starts.append(m.start())
            m = pat.search(text, m.end())
    if not starts:  # most short documents: no year
        return []
    # No position twice: the years start with an ASCII digit, the others with a numeral.
    starts.sort()
    return matches_at(DATE, text, starts)


def matches_at(pattern, text: str, starts) -> list:
    """The matches of ``pattern`` tried at ``starts`` (ascending), each from the
    end of the last one found on: what ``finditer`` finds when every match of the
    pattern starts at one of ``starts``."""
    out, end, match = [], 0, pattern.match
    for p in starts:
        if p >= end:
            m = match(text, p)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


def parse_date(m) -> Tuple[Optional[int], Optional[int], Optional[int]]:
    """(year, month, day) of a DATE match; day may be None."""
    cy = m.group(_CY)
    if cy:
        cm, cd = m.group(_CM, _CD)
        return cn_digits(cy), cn_int(cm), cn_int(cd or "")
    y, mo, d = m.group(_Y, _M, _D)
    return decimal(y), decimal(mo), decimal(d) if d else None


def has_day(m) -> bool:
    """Whether a DATE match holds a day (in Arabic or Chinese numerals)."""
    return m.group(_D, _CD) != (None, None)


def real_date(y, mo, d) -> Optional[_dt.date]:
    try:
        return _dt.date(y, mo, d or 1)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class OwnDate:
    start: _dt.date
    end: _dt.date
    source: str                  # 落款 / 标题 / 周年 / 最近日期
    span: Tuple[int, int]        # where the evidence stands
    strong: bool                 # a 落款, title or anniversary; not only the latest event

    def covers(self, start: _dt.date, end: _dt.date) -> bool:
        """True when [start, end) overlaps the document's own period."""
        return self.start < end and start <= self.end

    def describe(self) -> str:
        if self.start.year == self.end.year and (self.start.month, self.start.day) == (1, 1) \
                and (self.end.month, self.end.day) == (12, 31):
            period = f"{self.start.year}年"
        elif self.start.year == self.end.year and self.start == _year(self.start.year) and self.source != "落款":
            period = f"{self.start.year}年"
        else:
            period = f"{_cn(self.start)}至{_cn(self.end)}"
        return f"{period}（依据：{self.source}）"


def cn_date(d: _dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


_cn = cn_date


class DocumentAsOf(_dt.date):
    """``--as-of document`` (``as_of: document``): judge every file against its own
    date. It is a date (today: the date a file without an own date is judged at and
    the date rules are compiled for), marked so that the checks look each file up."""
    per_document = True

    @classmethod
    def today(cls):
        t = _dt.date.today()
        return cls(t.year, t.month, t.day)

    def isoformat(self) -> str:
        return "document"

    __str__ = isoformat


def parse_as_of(value: str) -> _dt.date:
    """'document' or YYYY-MM-DD (ValueError otherwise)."""
    if str(value).strip() == "document":
        return DocumentAsOf.today()
    return _dt.date.fromisoformat(str(value))


def effective_as_of(ctx, doc) -> _dt.date:
    """The date a document is judged against: --as-of, or under ``--as-of document``
    the end of the document's own period (the run's date when it has none)."""
    if getattr(ctx.as_of, "per_document", False):
        od = own_date(doc)
        if od is not None:
            return od.end
    return ctx.as_of


def _year(y: int, end: bool = False) -> _dt.date:
    return _dt.date(y, 12, 31) if end else _dt.date(y, 1, 1)


def own_date(doc) -> Optional[OwnDate]:
    """The document's own period (cached on the document)."""
    cached = doc.__dict__.get("_own_date", False)
    if cached is False:
        cached = _compute(doc)
        doc.__dict__["_own_date"] = cached
    return cached


def signed_own_date(doc) -> Optional[OwnDate]:
    """``own_date`` where it may come from the 落款, else None: what ``is_stale``
    with signed=True reads of it. The 落款's date is a DATE match, so a text
    without any (most short files) has no signed period, told without parsing the
    outline's title and 落款 for one."""
    return own_date(doc) if dates(doc) else None


def _compute(doc) -> Optional[OwnDate]:
    sig = _signature_date(doc)
    title = _title_years(doc)
    if sig and title:
        (sd, span), (a, b, _) = sig, title
        start = min(_year(a), sd)
        return OwnDate(start, max(sd, _year(b, True)) if b > sd.year else sd, "落款和标题", span, True)
    if sig:
        sd, span = sig
        return OwnDate(_year(sd.year), sd, "落款", span, True)
    if title:
        a, b, span = title
        return OwnDate(_year(a), _year(b, True), "标题", span, True)
    claim = anniversary_year(doc)
    if claim:
        y, span = claim
        return OwnDate(_year(y), _year(y, True), "周年", span, True)
    latest = _latest_event(doc)
    if latest:
        d, span = latest
        return OwnDate(_year(d.year), d, "最近日期", span, False)
    return None


def _signature_date(doc):
    line = doc.outline.signature.date
    if line is None:
        return None
    start = doc.line_starts[line]
    for m in DATE.finditer(doc.text, start, start + len(doc.lines[line])):
        d = real_date(*parse_date(m))
        if d:
            return d, m.span()
    return None


def _title_years(doc):
    title = doc.outline.title
    if title is None:
        return None
    text = doc.text
    for i in title.lines:
        start = doc.line_starts[i]
        end = start + len(doc.lines[i])
        if text.find("年", start, end) < 0:  # every match ends with 年 (年度, 学年): no scan
            continue
        for m in _TITLE_YEAR.finditer(text, start, end):
            a, b = m.group(_TITLE_A, _TITLE_B)
            a = decimal(a)
            b = decimal(b) if b else a
            if a <= b <= a + 5:
                return a, b, m.span()
    return None


_ANNIV_CACHE_KEY = "_anniversary_year"


def anniversary_year(doc):
    """The year a ``今年是…N周年`` claim puts the text in, with the claim's span."""
    for claim in anniversary_claims(doc):
        if claim.this_year:
            return claim.year, claim.span
    return None


def _latest_event(doc):
    best = None
    for m in dates(doc):
        y, mo, d = parse_date(m)
        if y is None or mo is None:
            continue
        date = real_date(y, mo, d)
        if date and (best is None or date > best[0]):
            best = (date, m.span())
    return best


def is_stale(od: Optional[OwnDate], as_of: _dt.date, years: int, signed: bool = False) -> bool:
    """A strong own period that ended more than `years` years before as_of (with
    signed=True: only when the 落款 date says so, the document's own 成文日期)."""
    if od is None or not od.strong or (signed and "落款" not in od.source):
        return False
    try:
        limit = as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February
        limit = as_of.replace(year=as_of.year - years, day=28)
    return od.end < limit


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(y: Optional[int], m: int) -> int:
    """Days in month ``m`` (1-12) of year ``y`` (None or 0: a leap year), by the
    proleptic Gregorian rule, as calendar.monthrange gives them: importing calendar
    (and locale with it) cost about 6 M instructions of a run with a date to check."""
    if not 1 <= m <= 12:
        raise ValueError(f"month {m} is not 1-12")
    y = y if y else 2000
    if m == 2 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0):
        return 29
    return _MONTH_DAYS[m - 1]


# ------------------------------------------------------------------ claims about 今年
# The claims' patterns run on the stdlib ``re``: on the 180 corpus texts that hold a
# 周年 the anniversaries' scan took 6.1 ms against ``regex``'s 19.1 ms. ``\s`` and
# ``\d`` are written as the classes ``regex`` gives them (pattern_cache.regex_class).
_NUM = r"(?P<n>[{d}]{{1,3}}|[一二三四五六七八九十百零〇]{{1,5}})"
_SENT = pattern_cache.compile(r"[。！？!?\n]")
_HERE = pattern_cache.compile(r"(?P<rel>今年|本年|明年|去年)")
_YEAR = pattern_cache.compile(r"(?<!\d)(?:19|20)\d{2}\s*年(?!度?以来|来)")


@dataclass(frozen=True)
class Claim:
    span: Tuple[int, int]
    year: int            # the year the claim puts its sentence in
    this_year: bool      # said of 今年 (or 明年/去年, already shifted)
    label: str           # 建党 / “十四五”开局之年
    expected: str        # what the claim should say for a given year: format with {n}
    founded: int         # for anniversaries; the plan's start year otherwise
    kind: str            # anniversary / plan


def _anniv_regex():
    words = []
    for a in timeline.anniversaries():
        words.extend((w, a) for w in a["words"])
    words.sort(key=lambda wa: -len(wa[0]))
    alt = "|".join(re.escape(w) for w, _ in words)
    space = "[" + pattern_cache.regex_class(r"\s") + "]*"
    pat = pattern_cache.compile_re(
        r"(?P<w>" + alt + r")" + space + r"(?:的)?" + space
        + _NUM.format(d=pattern_cache.regex_class(r"\d")) + space + r"(?:周年|华诞|岁生日)")
    return pat, {w: a for w, a in words}


def _plan_regex():
    names = "|".join(re.escape(p["n"]) for p in sorted(timeline.plans(), key=lambda p: -len(p["n"])))
    return pattern_cache.compile_re(r"[“\"‘]?(?P<p>" + names + r")[”\"’]?(?:规划|计划)?(?:的)?"
                                    r"(?P<w>开局之年|起步之年|开局年|收官之年|收官年|决胜之年)")


_CACHE: dict = {}
# What every match of the two patterns above ends with: a text holding none of
# these strings has no claim of that family, and is not scanned for one.
_ANNIV_ENDS = ("周年", "华诞", "岁生日")
_PLAN_ENDS = ("之年", "开局年", "收官年")
# Whether a text holds any of them (most hold none). Those that end with 年 (周年,
# 之年, 开局年, 收官年) are found from the literal 年, to which ``re`` skips in C, each
# tested by a lookbehind (fixed-width: one for the endings of each length); 华诞 and
# 岁生日 are looked for only in a text holding 诞 or 岁 (``in`` finds one CJK character
# several times faster than two). One ``re`` alternation of the six stopped at every
# character of a class: 1000 corpus files 18.7 -> 3.5 ms, 1000 realworld pages 3.4 -> 0.5 ms.
_NIAN_ENDS = [w for w in _ANNIV_ENDS + _PLAN_ENDS if w.endswith("年")]
_CLAIM_NIAN = pattern_cache.compile_re("年(?:" + "|".join(
    "(?<=" + "|".join(w for w in _NIAN_ENDS if len(w) == n) + ")" for n in sorted({len(w) for w in _NIAN_ENDS})) + ")")
_CLAIM_OTHER_ENDS = (("诞", "华诞"), ("岁", "岁生日"))  # (a rarer character of it, the ending)


def _may_claim(text: str) -> bool:
    """Whether ``text`` holds one of _ANNIV_ENDS or _PLAN_ENDS."""
    if _CLAIM_NIAN.search(text) is not None:
        return True
    for ch, end in _CLAIM_OTHER_ENDS:
        if ch in text and end in text:
            return True
    return False


def anniversary_claims(doc) -> List[Claim]:
    """Every anniversary and plan-year claim in the document (cached on it)."""
    cached = doc.__dict__.get("_time_claims")
    if cached is not None:
        return cached
    if "re" not in _CACHE:
        _CACHE["re"] = _anniv_regex()
        _CACHE["plan"] = _plan_regex()
    pat, by_word = _CACHE["re"]
    out: List[Claim] = []
    text = doc.text
    if not _may_claim(text):
        doc.__dict__["_time_claims"] = out
        return out
    for m in (pat.finditer(text) if any(w in text for w in _ANNIV_ENDS) else ()):
        n = cn_number(m.group("n"))
        a = by_word[m.group("w")]
        if not n or n > 200:
            continue
        if _names_year(text, m.start(), m.end()):
            continue
        rel, start = _relative(text, m.start())
        year = a["founded"].year + n - rel if rel is not None else a["founded"].year + n
        out.append(Claim((start if rel is not None else m.start(), m.end()), year, rel is not None,
                         f"{a['event']}{n}周年", a["event"] + "{n}周年", a["founded"].year, "anniversary"))
    for m in (_CACHE["plan"].finditer(text) if any(w in text for w in _PLAN_ENDS) else ()):
        plan = next(p for p in timeline.plans() if p["n"] == m.group("p"))
        if _names_year(text, m.start(), m.end()):
            continue
        first = m.group("w") in ("开局之年", "起步之年", "开局年")
        rel, start = _relative(text, m.start())
        year = (plan["start"] if first else plan["end"])
        if rel is None:
            continue
        out.append(Claim((start, m.end()), year, True, f"“{plan['n']}”" + m.group("w"),
                         "", plan["start"], "plan"))
    doc.__dict__["_time_claims"] = out
    return out


def _sentence(text: str, start: int, end: int):
    lo = max(0, start - 60)
    left = lo
    for m in _SENT.finditer(text, lo, start):
        left = m.end()
    m = _SENT.search(text, end, min(len(text), end + 60))
    return left, (m.start() if m else min(len(text), end + 60))


def _names_year(text: str, start: int, end: int) -> bool:
    """An explicit year in the sentence dates the claim itself: not about 今年."""
    s, e = _sentence(text, start, end)
    return _YEAR.search(text, s, e) is not None


def _relative(text: str, start: int):
    """(shift, start of 今年) when 今年/明年/去年 stands before the claim in its sentence."""
    s, _ = _sentence(text, start, start)
    found = None
    for m in _HERE.finditer(text, s, start):
        found = m
    if found is None:
        return None, start
    shift = {"今年": 0, "本年": 0, "明年": -1, "去年": 1}[found.group("rel")]
    return shift, found.start()


