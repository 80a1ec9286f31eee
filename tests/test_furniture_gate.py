"""furniture_line's shape gate (checks/furniture.py _ShapeGate.line_masks): a
shape is tried only on the lines holding one of its anchors. One-character
anchors are looked for once per line; the masks are those of every occurrence
of every anchor, and a line of thousands of brackets changes no finding."""
import bisect
import datetime as dt
import random

from dj_lint.engine import Context, Linter, shipped_rules
from dj_lint.text.document import Document


def _linter():
    return Linter([r for r in shipped_rules() if r.id == "DJ325"], Context(as_of=dt.date(2026, 12, 1)))


def _gate(linter):
    (kind,) = [c for c in linter.checks if type(c).__name__ == "FurnitureLineKind"]
    return kind.plan[0][1].gate


def _reference(gate, text, starts, lines):
    """Every occurrence of every anchor, each marking the line it lies in."""
    out = [gate.always] * len(lines)
    anchors = [(lit, mask) for lit, mask in gate.singles] + list(zip(gate.literals, gate.masks))
    for lit, mask in anchors:
        at = text.find(lit)
        while at >= 0:
            i = bisect.bisect_right(starts, at) - 1
            if i >= 0 and at + len(lit) <= lines[i][1]:
                out[i] |= mask
            at = text.find(lit, at + 1)
    return out


def test_gate_masks_are_those_of_every_anchor_occurrence():
    gate = _gate(_linter())
    assert gate.singles and gate.literals
    pieces = [lit for lit, _ in gate.singles] + gate.literals[:20] + ["党", "学习", " ", "\n", "(" * 50, "\n\n"]
    rng = random.Random(3)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        spans, pos = [], 0
        for line in text.split("\n"):
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        lines = [span for k, span in enumerate(spans) if k % 3 != 1]  # some lines left out
        starts = [s for s, _ in lines]
        assert gate.line_masks(text, starts, lines) == _reference(gate, text, starts, lines), repr(text)


def test_site_furniture_found_around_lines_of_brackets():
    text = ("当前位置：首页 > 支部风采 > 学习心得\n" + "(" * 5000 + "\n" + "党员学习心得(第2页)\n第2页 / 共5页\n"
            + ">>" * 3000 + "\n本支部认真组织学习，党员们纷纷表示要学以致用。\n")
    got = [(f.line, f.column, f.end_line, f.end_column, f.text) for f in _linter().lint(Document(text, path="t.txt"))]
    assert got == [(1, 1, 1, 22, "当前位置：首页 > 支部风采 > 学习心得"), (4, 1, 4, 10, "第2页 / 共5页")]
