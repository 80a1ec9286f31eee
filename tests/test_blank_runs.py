"""Blank lines cost no Python step per line (issue 17: a file of a million blank
lines was 2.6 times the corpus time per MB). Each fast path is compared with the
per-line loop it replaced, on random texts of blanks, CRLF, full-width and
non-breaking spaces, vertical tabs and text."""
import random
import re

import pytest
import regex

from dj_lint.checks import furniture, titlerepeat
from dj_lint.text import document
from dj_lint.text.document import Document

PIECES = ["", " ", "\t", "\u3000", "\xa0", "\x0b", "\r", "学习", "一、主要工作", "XX", "  党建 ", "。", "\u3000\u3000正文"]


def random_text(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randrange(0, 40)):
        lines.append("".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 4))))
    return "\n".join(lines) + rng.choice(["", "\n", "\n\n"])


TEXTS = [random_text(random.Random(seed)) for seed in range(400)] + [
    "", "\n", "\n\n\n", "正文", "正文\n", "\n\n正文\n\n\n", " \t\u3000\n\u3000\n", "a\r\n\r\nb\r\n",
    # blank runs longer than the 4,096 characters looked at in one step
    "标题\n正文一\n" + "\n" * 9000 + " \u3000\t\n" * 3000 + "落款\n" + "\n" * 5000,
    "\u3000" * 5000 + "x" + " " * 8200]


def test_line_starts_and_nonblank_lines_equal_the_per_line_loops():
    for raw in TEXTS:
        doc = Document(raw)
        text = doc.text  # line breaks as the document reads them (a lone \r is one)
        starts, i = [0], text.find("\n")
        while i != -1:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        assert doc.line_starts == starts
        lines = text.split("\n")
        for blanks in (None, " \t\u3000"):
            nonblank = [k for k, line in enumerate(lines) if line.strip(blanks)]
            for n in range(0, 6):
                assert doc.last_nonblank_lines(n, blanks) == nonblank[::-1][:n], (text, n)
                for after in (-1, 0, 3):
                    want = [k for k in nonblank[::-1] if k > after][:n]
                    assert doc.last_nonblank_lines(n, blanks, after=after) == want
        plain = [k for k, line in enumerate(lines) if line.strip()]
        for after in (-1, 0, 2, len(lines)):
            for n in (0, 1, 3):
                assert doc.next_nonblank_lines(after, n) == [k for k in plain if k > after][:n]
        paragraphs = [(starts[k], starts[k] + len(lines[k])) for k, line in enumerate(lines)
                      if line.strip(" \t\u3000")]
        assert doc.outline.paragraphs == paragraphs
        # The paragraphs inside [lo, hi] (a doc type's opening), from any offset to any.
        ends = sorted({0, len(text), len(text) + 1} | {x for p in paragraphs for x in p}
                      | {x + 1 for p in paragraphs for x in p})
        for lo in ends[::max(1, len(ends) // 7)] + [ends[-2]]:
            for hi in ends[::max(1, len(ends) // 7)] + [ends[-1]]:
                assert list(doc.outline.paragraphs_within(lo, hi)) == [
                    (a, b) for a, b in paragraphs if a >= lo and b <= hi], (text, lo, hi)


@pytest.mark.parametrize("module, name, old, group", [
    # broken_line, hardwrap and pairs take their lines from the document's visible_spans
    # (the whole match: the pattern is led by a visible character, not by ``^``).
    (document, "VISIBLE_LINE", re.compile(r"^[ \t\u3000]*([^\n]*[^ \t\u3000\n])?", re.MULTILINE), 0),
    (furniture, "_LINE", regex.compile(r"^[ \t\u3000]*(\S(?:[^\n]*\S)?)?[ \t\u3000]*$", regex.MULTILINE), 1),
    (titlerepeat, "_LINE", regex.compile(r"^[ \t\u3000]*(\S(?:[^\n]*\S)?)?[ \t\u3000]*$", regex.MULTILINE), 1),
])
def test_visible_line_patterns_skip_blank_lines_with_the_same_spans(module, name, old, group):
    new = getattr(module, name)
    for text in TEXTS:
        want = [m.span(1) for m in old.finditer(text) if m.start(1) >= 0]
        assert [m.span(group) for m in new.finditer(text)] == want, text


def test_a_million_blank_lines_lint_like_a_report():
    """600,000 blank lines around a short report change none of its findings (each
    kind's blank-line path now runs in C; the benchmark's blank_lines_1mb measures
    the time)."""
    from dj_lint.engine import Linter, shipped_rules
    linter = Linter(shipped_rules())
    body = "关于XX同志的先进事迹材料\n该同志于20**年入党。\n"
    short = [(f.rule, f.text) for f in linter.lint(Document(body))]
    long = [(f.rule, f.text) for f in linter.lint(Document("\n" * 300_000 + body + "\n" * 300_000))]
    assert short and sorted(long) == sorted(short)
