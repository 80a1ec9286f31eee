"""kind: cndate — dates and years written in Chinese numerals.

The rule's ``pattern`` names the parts it found: ``y`` (the year digits, e.g.
``二○○四``), optionally ``m`` and ``d`` (``五``, ``二十六``), and ``hit`` for the
span to report (the whole match if absent). Two conversions:

* ``convert: arabic`` — the date in Arabic numerals, GB/T 9704-2012 7.3.5
  (``二○○四年五月六日`` → ``2004年5月6日``). With ``scope: signature`` the date
  must stand on a line of its own among the last ``last_lines`` non-empty
  lines (the 落款 date line), so Chinese-numeral years in titles and prose are
  left alone. ``since`` is the date the standard took effect: a document linted
  ``--as-of`` an earlier day followed the old practice and is not reported.
* ``convert: zero`` — a year whose zero is not ``〇`` (U+3007): ``二○一二年``
  (U+25CB), ``二零一二年``, ``二0一二年`` → ``二〇一二年`` (GB/T 15835 5.2.5).
  Only years that contain such a zero are reported; a span already reported by
  an ``arabic`` rule of the same run is skipped (that fix replaces the year).
"""
from __future__ import annotations

import datetime as _dt

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text.numerals import TO_RIGHT_ZERO, cn_digits, cn_int
from ..text import owndate
from .base import Kind, anchor_index, compile_regex, finditer_anchored, register_anchors


def year_value(chars: str):
    """二○○四 → 2004 (digit by digit); None if a character is not a digit."""
    return cn_digits(chars)


def small_value(chars: str):
    """五 → 5, 十二 → 12, 二十 → 20, 三十一 → 31; None if not a number 1–99 in Chinese."""
    return (None if chars.isdigit() else cn_int(chars)) or None


class CnDateKind(Kind):
    FIELDS = {"pattern": str, "convert": str, "scope": str, "last_lines": int, "since": str}
    REQUIRED = ("pattern", "convert", "scope")

    @classmethod
    def validate(cls, rule):
        o = rule.options
        pat = compile_regex(o["pattern"], "pattern")
        if "y" not in pat.groupindex:
            raise RuleError("field 'pattern' needs a group named 'y' (the year)")
        if o["convert"] not in ("arabic", "zero"):
            raise RuleError("field 'convert' should be 'arabic' or 'zero'")
        if o["convert"] == "arabic" and not {"m", "d"} <= set(pat.groupindex):
            raise RuleError("field 'pattern' needs groups 'm' and 'd' to convert a date")
        if o["scope"] not in ("signature", "anywhere"):
            raise RuleError("field 'scope' should be 'signature' or 'anywhere'")
        if o["scope"] == "signature" and o.get("last_lines", 0) < 1:
            raise RuleError("field 'last_lines' is required (at least 1) with scope 'signature'")
        if "since" in o:
            try:
                _dt.date.fromisoformat(o["since"])
            except ValueError:
                raise RuleError("field 'since' should be a date YYYY-MM-DD") from None

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        ordered = sorted(rules, key=lambda r: r.options["convert"] != "arabic")
        # Each pattern with the handle of its anchors in the run's shared pass
        # (regex_anchors: 年X月Y-like literals for a date, X年 for a year): a document
        # without them is not scanned, and its last lines are not looked for (a
        # document cost 16 us here on realworld, with DJ911's anchors in 2 of its 76
        # texts and DJ912's in 15).
        # Each with its ``since`` date, read once, and its groups' numbers (_groups).
        self.plan = []
        for r in ordered:
            pat = compile_regex(r.options["pattern"], "pattern", rule=r)
            since = r.options.get("since")
            self.plan.append((r, pat, register_anchors(ctx, pat), _dt.date.fromisoformat(since) if since else None,
                              _groups(pat)))

    def check(self, doc):
        taken = []
        text = doc.text
        present = None
        for rule, pat, handle, since, groups in self.plan:
            if since is not None and owndate.effective_as_of(self.ctx, doc) < since:
                continue
            if handle is not None:
                if present is None:
                    present = anchor_index(self.ctx).present(text)
                if handle not in present:
                    continue
            if rule.options["scope"] == "anywhere":
                # Only the lines around the anchors (finditer_anchored: the same matches).
                found = finditer_anchored(self.ctx, pat, handle, text, self.ctx.regex_timeout, present)
            else:
                found = pat.finditer(text, self._window(doc, rule))
            for m in found:
                hit = self._hit(rule, m, groups)
                if hit is None or any(hit.start < e and s < hit.end for s, e in taken):
                    continue
                if rule.options["convert"] == "arabic":
                    taken.append((hit.start, hit.end))
                yield hit

    @staticmethod
    def _window(doc, rule):
        """Where the rule looks: everywhere, or from the start of the N-th last non-empty line."""
        if rule.options["scope"] == "anywhere":
            return 0
        return doc.last_lines_start(rule.options["last_lines"])

    @staticmethod
    def _hit(rule, m, groups):
        hit, y_group, m_group, d_group = groups
        year = m.group(y_group)
        if rule.options["convert"] == "zero":
            fixed = year.translate(TO_RIGHT_ZERO)
            if fixed == year:
                return None
            ys, ye = m.span(y_group)
            return Hit(ys, ye, rule, fixed)
        start, end = m.span(hit)
        month, day = m.group(m_group, d_group)
        y, mo, d = year_value(year), small_value(month), small_value(day)
        if y is None or mo is None or d is None:
            return None
        try:
            _dt.date(y, mo, d)
        except ValueError:
            return None
        return Hit(start, end, rule, f"{y}年{mo}月{d}日")


def _groups(pat) -> tuple:
    """The numbers of a rule pattern's groups hit (0, the whole match, without one),
    y, m and d (None without one: only ``convert: arabic`` reads m and d, and
    requires them): ``regex`` finds a group by name about 1 us slower than by
    number (timeit: m.span('hit') 1.15 us, m.span(1) 0.12 us)."""
    index = pat.groupindex
    return index.get("hit", 0), index["y"], index.get("m"), index.get("d")
