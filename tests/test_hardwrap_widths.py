"""HardWrapKind's line widths by numpy (checks/hardwrap.py vector_widths, used when
numpy is already loaded): the same widths as a ``re`` search of each line's narrow
characters, and the same findings as without numpy."""
from __future__ import annotations

import random
import sys

import pytest

from dj_lint.checks import hardwrap
from dj_lint.engine import Linter, shipped_rules
from dj_lint.text.document import VISIBLE_LINE, Document

np = pytest.importorskip("numpy")


def _plain(text, lines):
    narrow = hardwrap.narrow_bmp().findall
    return [2 * (e - s) - len(narrow(text, s, e)) for s, e in lines]


def _lines(text):
    return [m.span() for m in VISIBLE_LINE.finditer(text)]


def test_vector_widths_equal_the_per_line_search():
    rng = random.Random(8)
    # Wide (Han, full-width forms, CJK marks), narrow (ASCII, ambiguous, half-width
    # katakana), a lone surrogate, blanks and line breaks.
    chars = ["党", "建", "，", "。", "Ａ", "１", "a", "1", " ", "\t", "\u3000", "·", "—", "ｱ", "\udcff",
             "\u00e9", "\u2460", "\n", "\n"]
    for _ in range(500):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 120)))
        lines = _lines(text)
        assert hardwrap.vector_widths(np, text, lines) == _plain(text, lines), text


def _wrapped(rng):
    words = ["加强党的建设", "全面从严治党", "坚持", "学习", "，", "、", "2024", "年", "abc", " "]
    out = []
    for _ in range(rng.randint(40, 80)):
        line = "".join(rng.choice(words) for _ in range(rng.randint(3, 12)))
        out.append(line + rng.choice(["", "", "", "。"]))
        if rng.random() < 0.1:
            out.append("")
    return "\n".join(out) + "\n"


def test_hardwrap_findings_with_and_without_numpy(monkeypatch):
    monkeypatch.setattr(hardwrap, "VECTOR_LINES", 0)
    linter = Linter(shipped_rules())
    (kind,) = [c for c in linter.checks if isinstance(c, hardwrap.HardWrapKind)]
    rng = random.Random(2)
    found = 0
    for _ in range(40):
        text = _wrapped(rng)
        got = [(h.start, h.end, h.rule.id, h.suggestion) for h in kind.check(Document(text, path="t.txt"))]
        with monkeypatch.context() as m:
            m.setitem(sys.modules, "numpy", None)
            want = [(h.start, h.end, h.rule.id, h.suggestion) for h in kind.check(Document(text, path="t.txt"))]
        assert got == want
        found += len(got)
    assert found
