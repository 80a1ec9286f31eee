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
import re._parser as _sre_parse
import re._constants as _sre
import warnings

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text import pattern_cache
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


# A pattern whose every match holds a run of at least this many digits is tried only
# on a text holding such a run: shorter runs (years, dates) are in nearly every text.
_GATE_RUN = 5
# Runs looked at before the gate gives up, and one more for each 1,024 characters
# (a flood of numbers: every pattern is scanned, as without the gate). A page of
# text holds a few; the 1.7 M characters of patho/single_line_5mb 144, none of 11.
_MAX_RUNS = 64
_BRACED_LETTER = pattern_cache.compile_re(r"\{[^}]*[A-Za-z][^}]*\}")
_DIGIT_CODES = range(ord("0"), ord("9") + 1)
# (every character a digit, least length, least digit run at the start, at the end,
# anywhere) of a node that matches anything: no run is promised.
_ANY = (False, 0, 0, 0, 0)
_ZERO_WIDTH = (True, 0, 0, 0, 0)


def least_digit_run(source: str) -> int:
    """How many consecutive digits (``\\d``) every match of the pattern ``source``
    holds at least, read from its parse by the stdlib's parser (0 when it cannot
    parse it). A lower bound: a node it does not model counts as a non-digit, and
    an optional one as absent; a zero-width node (a lookaround, an anchor)
    separates no characters."""
    if _BRACED_LETTER.search(source):  # regex's fuzzy matching ({e<=1}), \p{...}: not modelled
        return 0
    try:
        with warnings.catch_warnings():  # the stdlib's FutureWarning on [[ is not the user's business
            warnings.simplefilter("ignore")
            tree = _sre_parse.parse(source)
    except Exception:  # regex-only syntax: no gate
        return 0
    return _seq(list(tree))[4]


def _one_char_digit(op, av) -> bool:
    if op is _sre.LITERAL:
        return av in _DIGIT_CODES
    if op is _sre.IN:
        for item_op, item in av:
            if item_op is _sre.LITERAL and item in _DIGIT_CODES:
                continue
            if item_op is _sre.RANGE and item[0] in _DIGIT_CODES and item[1] in _DIGIT_CODES:
                continue
            if item_op is _sre.CATEGORY and item is _sre.CATEGORY_DIGIT:
                continue
            return False
        return bool(av)
    return False


def _node(op, av):
    if op in (_sre.LITERAL, _sre.IN):
        return (True, 1, 1, 1, 1) if _one_char_digit(op, av) else (False, 1, 0, 0, 0)
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return _ZERO_WIDTH
    if op is _sre.SUBPATTERN:
        return _seq(list(av[3]))
    if op is _sre.ATOMIC_GROUP:
        return _seq(list(av))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        lo, _, sub = av
        inner = _seq(list(sub))
        if lo == 0:
            return _ZERO_WIDTH if inner[0] else _ANY
        if inner[0]:
            n = lo * inner[1]
            return (True, n, n, n, n)
        return (False, lo * inner[1], inner[2], inner[3],
                max(inner[4], inner[3] + inner[2] if lo >= 2 else 0))
    if op is _sre.BRANCH:
        alts = [_seq(list(b)) for b in av[1]]
        return (all(a[0] for a in alts), min(a[1] for a in alts), min(a[2] for a in alts),
                min(a[3] for a in alts), min(a[4] for a in alts))
    return _ANY


def _seq(items):
    """``_node``'s tuple for nodes one after another."""
    every, length, head, run, best = True, 0, 0, 0, 0
    for op, av in items:
        n_every, n_length, n_head, n_tail, n_best = _node(op, av)
        length += n_length
        if n_every:
            run += n_length
            if every:
                head += n_length
        else:
            best = max(best, run + n_head, n_best)
            if every:
                head += n_head
                every = False
            run = n_tail
    best = max(best, run)
    if every:
        return True, length, length, length, length
    return False, length, head, run, best


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
            # With the least run of digits of each match: a pattern that needs a run of
            # _GATE_RUN or more is not scanned in a text without one (the id-card,
            # mobile and bank-card numbers need 17, 11 and 16; 1000 realworld files:
            # their scans 5.7 ms, the one scan for runs 2.7 ms).
            patterns = [(pat, "hit" if "hit" in pat.groupindex else 0, least_digit_run(pat.pattern))
                        for pat in compile_all(o["pattern"], "pattern", rule=r)]
            self.plan.append((r, patterns, (o["checksum"],) + tuple(o.get("reject", [])),
                              tuple(o["keep"]), Veto(r, timeout=self.ctx.regex_timeout)))
        # Runs of digits, none longer than the longest any pattern needs: a run of a
        # million digits is not walked to its end (patho/digits_1mb).
        self.enough = max((need for _, patterns, *_ in self.plan for _, _, need in patterns), default=0)
        self.runs = pattern_cache.compile(r"\d{%d,%d}" % (_GATE_RUN, max(self.enough, _GATE_RUN)))

    def _longest_run(self, text) -> int:
        """The length of the text's longest run of digits, or as many as any pattern
        needs once one is found that long (or after _MAX_RUNS runs)."""
        enough, most = self.enough, _MAX_RUNS + (len(text) >> 10)
        longest = 0
        for k, m in enumerate(self.runs.finditer(text)):
            longest = max(longest, m.end() - m.start())
            if longest >= enough or k >= most:
                return enough
        return longest

    def check(self, doc):
        today = self.ctx.as_of
        text = doc.text
        longest = None  # the text's longest run of digits, once a pattern asks
        for rule, patterns, (name, *reject), (head, tail), veto in self.plan:
            check = CHECKS[name]
            rejects = [CHECKS[n] for n in reject]
            for pat, group, need in patterns:
                if need >= _GATE_RUN:
                    if longest is None:
                        longest = self._longest_run(text)
                    if longest < need:
                        continue
                for m in pat.finditer(text):
                    start, end = m.span(group)
                    number = "".join(c for c in m.group(group) if c not in _SEPARATORS)
                    if not check(number, today) or any(r(number, today) for r in rejects):
                        continue
                    if veto and veto.vetoes(doc, start, end):
                        continue
                    yield Hit(start, end, rule, None, {"masked": mask(number, head, tail)})
