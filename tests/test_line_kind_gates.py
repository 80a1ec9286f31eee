"""Fast paths of the structural and line kinds against their plain forms, on
generated text (session 10): each fast path must find what the plain scan finds."""
from __future__ import annotations

import random

import regex

from dj_lint.checks import datecheck

# Digits of every sort \d knows (ASCII, full-width, Arabic-Indic, one that only the
# regex module's newer Unicode tables call a digit), blanks, the date's own marks
# and what its lookbehind turns away.
_DATE_PIECES = (list("0123456789") * 3 + ["１", "２", "٣", "\U00010d41"]
                + [" ", "  ", "\t", "\n", "\u3000", "\xa0", "\x1c"]
                + ["月"] * 6 + ["日"] * 4 + ["年", ".", "/", "-", "党", "岁月", "月份"]
                + ["6月", "12 月", "5日", "31 日"] * 3)


def _date_text(rng, size):
    return "".join(rng.choice(_DATE_PIECES) for _ in range(size))


def test_month_days_before_each_yue_are_the_scans_matches(monkeypatch):
    rng = random.Random(17)
    found = 0
    for sparse in (1, datecheck._SPARSE_MONTHS):  # 1: never the flood's scan
        monkeypatch.setattr(datecheck, "_SPARSE_MONTHS", sparse)
        for _ in range(3000):
            text = _date_text(rng, rng.randint(0, 40))
            if rng.random() < 0.3:  # sparse 月 among long prose
                text = "党" * rng.randint(0, 200) + text + "党" * rng.randint(0, 200)
            want = [(m.span(), m.groupdict()) for m in datecheck._MD.finditer(text)]
            got = [(m.span(), m.groupdict()) for m in datecheck._month_days(text)]
            assert got == want, text
            found += len(want)
    assert found > 1000


def test_blanks_before_is_the_run_of_white_space():
    white = regex.compile(r"\s", datecheck._MD.flags)
    rng = random.Random(5)
    chars = [" ", "\t", "\n", "\u3000", "\x1c", "\x85", "a", "月", "1"]
    for _ in range(2000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 12)))
        lo = rng.randint(0, len(text))
        p = rng.randint(lo, len(text))
        q = p
        while q > lo and white.match(text[q - 1]):
            q -= 1
        assert datecheck._BLANKS_BEFORE.match(text, lo, p).span() == (q, p)
