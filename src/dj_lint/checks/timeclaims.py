"""kind: time_claim — claims about the current year, computed from the timeline.

``今年是建党N周年`` / ``祖国N华诞`` / ``改革开放N周年`` put the text in the year
founded + N (rules/data/timeline.yaml ``anniversaries``); ``今年是“十四五”开局之年``
in the plan's first (or, with 收官之年, last) year. A rule picks one ``check``:

* ``this_year`` — a 今年-claim whose year is not the reference year: the as-of year,
  or the document's own year under ``--as-of document``.
* ``own_date`` — a claim (with or without 今年) whose year falls outside the
  document's own period taken from its 落款 or title (an internal inconsistency).
* ``stale`` — a document whose 落款 date (its 成文日期) lies more than
  ``stale_after_years`` before as-of: ONE finding, at the claim that dates it
  (else at the 落款 date). A year in the title only says which period the text
  reports on (a late ``2023年度总结`` is still a 2023 report), so it alone does
  not make a document stale.

A document that is stale gets no ``this_year`` finding (the stale one says it).
"""
from __future__ import annotations

import datetime as _dt

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text import owndate, timeline
from ..text.owndate import Claim, anniversary_claims
from .base import Kind


class TimeClaimKind(Kind):
    FIELDS = {"check": str, "stale_after_years": int}
    REQUIRED = ("check",)
    MESSAGE_FIELDS = ("claimed", "year", "expected", "own", "as_of", "years")

    @classmethod
    def validate(cls, rule):
        if rule.options["check"] not in ("this_year", "own_date", "stale"):
            raise RuleError("field 'check' should be this_year, own_date or stale")
        if rule.options["check"] == "stale" and rule.options.get("stale_after_years", 0) < 1:
            raise RuleError("field 'stale_after_years' (at least 1) is required with check: stale")
        timeline.load()

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        # Each rule with its check's function, and the stale rule's years, looked up
        # once, not for every document. The this_year and own_date checks report
        # claims only: a document without any (nearly all) does not run them.
        self._plan = [(getattr(TimeClaimKind, "_" + r.options["check"]), r, r.options["check"] != "stale")
                      for r in rules]
        stale = [r.options["stale_after_years"] for r in rules if r.options["check"] == "stale"]
        # A document stale for any stale rule gets that finding instead of this_year's:
        # the fewest years decide (the first rule's years were taken for all).
        self._stale_after = min(stale) if stale else None

    def check(self, doc):
        claims = anniversary_claims(doc)
        for method, rule, of_claims in self._plan:
            if claims or not of_claims:
                yield from method(self, doc, rule)

    def _as_of(self, doc) -> _dt.date:
        return owndate.effective_as_of(self.ctx, doc)

    @staticmethod
    def _expected(claim: Claim, year: int) -> str:
        if claim.kind == "anniversary":
            return claim.expected.format(n=year - claim.founded)
        plan = timeline.current_plan(year)
        if plan is None:
            return ""
        if year == plan["start"]:
            return f"“{plan['n']}”开局之年"
        if year == plan["end"]:
            return f"“{plan['n']}”收官之年"
        return f"“{plan['n']}”第{year - plan['start'] + 1}年"

    def _this_year(self, doc, rule):
        as_of = self._as_of(doc)
        if self._stale_after is not None and owndate.is_stale(owndate.signed_own_date(doc), as_of, self._stale_after,
                                                              signed=True):
            return  # the one stale finding says it
        year = as_of.year
        for c in anniversary_claims(doc):
            if not c.this_year or c.year == year:
                continue
            yield Hit(c.span[0], c.span[1], rule, None,
                      {"claimed": c.label, "year": f"{c.year}年", "expected": self._expected(c, year),
                       "as_of": f"{year}年"})

    def _own_date(self, doc, rule):
        od = owndate.own_date(doc)
        if od is None or od.source not in ("落款", "标题", "落款和标题"):
            return
        said = set()
        now = self._as_of(doc).year
        for c in anniversary_claims(doc):
            if od.start.year <= c.year <= od.end.year or (c.label, c.year) in said:
                continue
            if c.this_year and od.start.year <= now <= od.end.year:
                continue  # a 今年-claim in a document of this year: DJ413 says it
            said.add((c.label, c.year))  # the same figure repeated is one mistake
            yield Hit(c.span[0], c.span[1], rule, None,
                      {"claimed": c.label, "year": f"{c.year}年", "own": od.describe(),
                       "expected": self._expected(c, od.end.year)})

    def _stale(self, doc, rule):
        od = owndate.signed_own_date(doc)
        as_of = self._as_of(doc)
        if not owndate.is_stale(od, as_of, rule.options["stale_after_years"], signed=True):
            return
        anchor = od.span
        for c in anniversary_claims(doc):
            if od.start.year <= c.year <= od.end.year:
                anchor = c.span
                break
        yield Hit(anchor[0], anchor[1], rule, None,
                  {"own": od.describe(), "as_of": owndate.cn_date(as_of),
                   "years": str(as_of.year - od.end.year)})
