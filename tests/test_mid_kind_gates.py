"""Per-document short cuts of the mid-sized kinds (session 15): title_repeat,
star_run, byteshift, broken_line and doubled_char skip work a cheap test in C
proves to find nothing. Each is compared here with the plain path it skips."""
from __future__ import annotations

import random

import pytest

from dj_lint.engine.linter import Linter, shipped_rules
from dj_lint.text.document import Document


@pytest.fixture(scope="module")
def linter():
    return Linter(shipped_rules())


def _kind(linter, name):
    return next(c for c in linter.checks if type(c).__name__ == name)


TITLE_PIECES = ["社区党支部工作总结", "学习制度", ".docx", ".DOC_第2页", ".pdf", "_范文网", "_第1页",
                "（全文2000字）", "(全文12字)", "作文", "范文", "1、", "12、", "、", "· ", "•\t", "- ", "-",
                "·", "：", ":", "。", " ", "　", "，", "全文", "作", "文", "_", ".", "(", "（", "a", "7"]


def test_title_repeat_norm_equals_every_pattern_applied(linter):
    """_norm skips its patterns on a line without a first character of their literals
    (_strips): the same as applying every pattern, then deleting the noise."""
    from dj_lint.checks.titlerepeat import _NOISE
    kind = _kind(linter, "TitleRepeatKind")
    (_, strip, _, _), = kind.plan
    gate, patterns = strip
    assert gate is not None  # the shipped rule's patterns all have literals

    def plain(line):
        for pat, _ in patterns:
            line = pat.sub("", line)
        return _NOISE.sub("", line)

    rng = random.Random(15)
    lines = ["".join(rng.choice(TITLE_PIECES) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    changed = 0
    for line in lines:
        assert kind._norm(line, strip) == plain(line), line
        changed += plain(line) != _NOISE.sub("", line)
    assert changed > 500  # lines a pattern shortens are among them
