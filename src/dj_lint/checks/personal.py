"""kind: personal_number — personal data recognised by format and checksum.

``pattern`` finds candidates; ``checksum`` must pass (``gb11643``: the 18-char
resident ID number of GB 11643-1999, ISO 7064 MOD 11-2 check character plus a
real birth date not after ``--as-of``; ``luhn``: bank-card numbers; ``none``:
format only, e.g. mobile numbers); ``reject`` lists checksums that must NOT
pass (a digit string that is a valid ID number is reported as one, not also
as a bank card). Separators (space, hyphen) inside a match are ignored; a
group named ``hit`` limits the number to that group (``+86`` stays outside).

The message never repeats the number: ``{masked}`` keeps ``keep: [head, tail]``
characters and stars the rest (``110105********1234``). The finding's text is
still the number itself — the position contract requires it — so a report of
these findings is as sensitive as the document.
"""
from __future__ import annotations

import datetime as _dt
from itertools import islice
from operator import methodcaller

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text import pattern_cache
from ..text.regex_anchors import digit_pair, least_digit_run
from .base import Kind, Veto, compile_all

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SEPARATORS = " -\u00a0"


def gb11643_check_char(first17: str) -> str:
    """The check character of an 18-char ID number (GB 11643-1999, ISO 7064 MOD 11-2)."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def valid_id(number: str, today: _dt.date) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    if gb11643_check_char(number[:17]) != number[17].upper():
        return False
    try:
        born = _dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return _dt.date(1900, 1, 1) <= born <= today


def luhn_ok(number: str) -> bool:
    if not number.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(number)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


CHECKS = {
    "gb11643": valid_id,
    "luhn": lambda number, today: luhn_ok(number),
    "none": lambda number, today: True,
}


# Runs looked at before the gate gives up, and one more for each 1,024 characters
# (a flood of numbers: every pattern is scanned, as without the gate). A page of
# text holds a few; the 1.7 M characters of patho/single_line_5mb 144, none of 11.
_MAX_RUNS = 64
_GROUP = methodcaller("group")
def mask(number: str, head: int, tail: int) -> str:
    hidden = max(0, len(number) - head - tail)
    return number[:head] + "*" * hidden + (number[len(number) - tail:] if tail else "")


class PersonalNumberKind(Kind):
    FIELDS = {
        "pattern": (str, list),
        "checksum": str,
        "reject": list,
        "keep": list,
        "unless": (str, list),
        "unless_line": (str, list),
    }
    REQUIRED = ("pattern", "checksum", "keep")
    MESSAGE_FIELDS = ("masked",)

    @classmethod
    def validate(cls, rule):
        o = rule.options
        compile_all(o["pattern"], "pattern")
        Veto(rule)
        for name in [o["checksum"]] + list(o.get("reject", [])):
            if name not in CHECKS:
                raise RuleError(f"field 'checksum': unknown checksum '{name}' (known: {', '.join(CHECKS)})")
        keep = o["keep"]
        if len(keep) != 2 or not all(isinstance(k, int) and k >= 0 for k in keep):
            raise RuleError("field 'keep' should be [head, tail]: how many characters to show at each end")
        if "{text}" in rule.message:
            raise RuleError("field 'message': must not repeat the personal number ({text}); use {masked}")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        # What check() needs of each rule, read once (it was a few us a document,
        # the patterns' groupindex looked up through the budget wrapper). The
        # checksums by name: CHECKS holds lambdas, which --jobs under spawn cannot pickle.
        self.plan = []
        for r in rules:
            o = r.options
            # With the least run of digits of each match: a pattern is not scanned in a
            # text without such a run (the id-card, mobile and bank-card numbers need
            # 17, 11 and 16, written with separators 4; 1000 realworld files: their
            # scans 5.7 ms, the one scan for runs 2.7 ms).
            patterns = [(pat, "hit" if "hit" in pat.groupindex else 0, least_digit_run(pat.pattern))
                        for pat in compile_all(o["pattern"], "pattern", rule=r)]
            self.plan.append((r, patterns, (o["checksum"],) + tuple(o.get("reject", [])),
                              tuple(o["keep"]), Veto(r, timeout=self.ctx.regex_timeout)))
        # Runs of digits as long as the least any pattern needs, none longer than the
        # longest any needs: a run of a million digits is not walked to its end
        # (patho/digits_1mb).
        needs = [need for _, patterns, *_ in self.plan for _, _, need in patterns if need]
        self.enough = max(needs, default=0)
        self.runs = pattern_cache.compile(r"\d{%d,%d}" % (min(needs), self.enough)) if needs else None
        # A pattern that needs only a short run, written in groups (138 0013 8000,
        # 6222 0000 0000 0000): every page with a year has such a run, so it is
        # gated instead on two runs of its groups' shape (digit_pair).
        for _, patterns, *_ in self.plan:
            patterns[:] = [(pat, group, need, digit_pair(pat.pattern, min(needs), self.enough) if need else None)
                           for pat, group, need in patterns]
        # Whether every pattern needs a run of digits: a text without one (most short
        # documents) is then done after the one scan for runs, not rule by rule.
        self.all_need = bool(needs) and all(need for _, patterns, *_ in self.plan for _, _, need, _ in patterns)

    def _digit_runs(self, text):
        """The text's runs of digits as long as the least any pattern needs (none
        longer than the most any needs), or None after _MAX_RUNS runs (a flood of
        numbers: every pattern is scanned, as without the gate). The runs are taken
        in C, not a Python step a run: runs as short as the grouped numbers need
        (4, a year's) are in most pages."""
        most = _MAX_RUNS + (len(text) >> 10)
        runs = list(islice(self.runs.finditer(text), most + 1))
        return runs if len(runs) <= most else None

    def check(self, doc):
        today = self.ctx.as_of
        text = doc.text
        runs = longest = None  # the text's runs of digits and the longest, once a pattern asks
        if self.all_need:
            runs = self._digit_runs(text)
            if not runs and runs is not None:
                return
            longest = self.enough if runs is None else max(map(len, map(_GROUP, runs)))
        for rule, patterns, (name, *reject), (head, tail), veto in self.plan:
            check = CHECKS[name]
            rejects = [CHECKS[n] for n in reject]
            for pat, group, need, pair in patterns:
                if need:
                    if longest is None:
                        runs = self._digit_runs(text)
                        longest = self.enough if runs is None else max(map(len, map(_GROUP, runs)), default=0)
                    if longest < need or pair and runs is not None and not _paired(text, runs, pair):
                        continue
                for m in pat.finditer(text):
                    start, end = m.span(group)
                    number = "".join(c for c in m.group(group) if c not in _SEPARATORS)
                    if not check(number, today) or any(r(number, today) for r in rejects):
                        continue
                    if veto and veto.vetoes(doc, start, end):
                        continue
                    yield Hit(start, end, rule, None, {"masked": mask(number, head, tail)})


def _paired(text, runs, pair) -> bool:
    """Whether two of the runs make the pair of digit_pair's ``(before, n, between)``."""
    before, n, between = pair
    starts = {m.start() for m in runs}
    for m in runs:
        start, end = m.span()
        if end + 1 in starts and end - start == n and text[end] in between and start and text[start - 1] in before:
            return True
    return False
