"""The text report's snippet (reporters/text.py ``snippet``: a line that fits is
shown whole, its carets from widths summed in C) against the walk a character
at a time that it took for every line before; with numpy loaded (as near_miss
loads it in a default run) and without, as a process has it or not."""
import random
import sys

import pytest

from dj_lint.reporters import text
from dj_lint.reporters.text import _fits, snippet, visible, width


@pytest.fixture(params=["numpy", "no numpy"], autouse=True)
def numpy_or_not(request, monkeypatch):
    """Each test twice: with numpy loaded (``snippet`` from the running widths of
    the whole line, ``_line_sums``) and without (``width`` one character at a time)."""
    if request.param == "numpy":
        pytest.importorskip("numpy")
    else:
        monkeypatch.setitem(sys.modules, "numpy", None)
    text._line_sums.cache_clear()
    yield
    text._line_sums.cache_clear()


def stepwise(line, start, end, limit):
    end = max(end, start + 1) if start < len(line) else start
    if _fits(line, limit):
        shown_start, prefix = 0, ""
        budget = limit
    else:
        shown_start, used = start, 0
        while shown_start > 0 and used + width(line[shown_start - 1]) <= limit // 3:
            shown_start -= 1
            used += width(line[shown_start])
        prefix = "..." if shown_start > 0 else ""
        budget = limit - len(prefix) - 3
    total, stop, lead, mark = 0, shown_start, 0, 0
    for i in range(shown_start, len(line)):
        w = width(line[i])
        if total + w > budget:
            break
        if i < start:
            lead += w
        elif i < end:
            mark += w
        total += w
        stop = i + 1
    suffix = "..." if stop < len(line) else ""
    body = visible(line[shown_start:stop].replace("\t", " "))
    return prefix + body + suffix, " " * (lead + len(prefix)) + "^" * max(1, mark)


# Narrow, wide, tab, combining (no column), escaped (several columns) and
# undecodable characters.
_CHARS = "ab1 ,党的建设，。“”\t\u0301\u0308\x1b\u202e\udc80\u3099😀"


def test_snippet_equals_the_stepwise_walk():
    rng = random.Random(17)
    for _ in range(4000):
        weights = [rng.random() for _ in _CHARS]
        length = rng.choice((0, 1, 5, 19, 20, 21, 30, 40, 60, 79, 80, 81, 120, 161, 200))
        line = "".join(rng.choices(_CHARS, weights, k=length))
        start = rng.randint(0, length)
        end = rng.randint(start, length + 2)
        limit = rng.choice((6, 7, 40, 41, 60, 80, 160))
        assert snippet(line, start, end, limit) == stepwise(line, start, end, limit), (line, start, end, limit)


def test_snippet_on_long_lines_and_many_combining_characters():
    for line in ("a" + "\u0301" * 500 + "党" * 10, "党" * 100 + "\u0301" * 300 + "b" * 50,
                 "\u0301" * 1000, "党的建设" * 300, "ab" * 600, "党" * 4096, "党" * 4097,
                 "😀" + "党" * 300, "\udc80" * 50 + "\x1b" * 50 + "党" * 50):
        for start in (0, 1, 50, 100, 399, 450, 1199, len(line)):
            start = min(start, len(line))
            for end in (start, start + 1, start + 30, len(line)):
                for limit in (40, 160):
                    assert snippet(line, start, end, limit) == stepwise(line, start, end, limit)


def test_snippet_of_a_line_with_a_character_seen_for_the_first_time():
    # The width table learns a character at its first sight, from ``width``.
    for ch in ("\u4dc0", "\u302a", "\x85", "\u2028", "\uffff", "\ud9ff", "x"):
        line = "党建" * 30 + ch + "，工作" * 30
        for start in (0, 59, 60, 61, len(line)):
            assert snippet(line, start, start + 3, 40) == stepwise(line, start, start + 3, 40)
            assert snippet(line, start, start + 3, 200) == stepwise(line, start, start + 3, 200)
