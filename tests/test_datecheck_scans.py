"""date_check's lost_month and clock patterns tried only where a match can start
(before a 日 that follows a digit; at a period word the shared anchor pass found)
find what their scans of the whole text find."""
from __future__ import annotations

import random

import pytest

from dj_lint.checks import datecheck
from dj_lint.engine.linter import Linter, shipped_rules


def _texts(pieces, seed: int, count: int = 6000):
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 16))) for _ in range(count)]


def _same_spans(pattern, fast, texts) -> int:
    """Asserts ``fast(text)`` finds the spans of ``pattern.finditer(text)`` in every text;
    returns how many matches there were."""
    found = 0
    for text in texts:
        want = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in fast(text)] == want, text
        found += len(want)
    return found


@pytest.mark.parametrize("sparse", [datecheck._SPARSE_MONTHS, 1])
def test_lost_month_matches_are_the_scans(monkeypatch, sparse):
    # sparse 1: never the flood's fallback to the scan
    monkeypatch.setattr(datecheck, "_SPARSE_MONTHS", sparse)
    pieces = ["12", "123", "1234", "12345", "日", "\n", "，", "年", "在", "x", " ", "上", "日日", "０１２", "٣", "1日"]
    assert _same_spans(datecheck._LOST, datecheck._lost_matches, _texts(pieces, 7)) > 100


def test_clock_matches_are_the_scans():
    (kind,) = [c for c in Linter(shipped_rules()).checks if isinstance(c, datecheck.DateCheckKind)]
    assert kind._clock_led
    pieces = list(datecheck._PERIODS) + ["晚", "上", "午", "1", "16", "23", " ", "\n", "点", "时", ":", "：", "x",
                                         "晚上午", "下午下午"]
    assert _same_spans(datecheck._CLOCK, kind._clock_matches, _texts(pieces, 11)) > 300
