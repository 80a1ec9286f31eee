"""``traditional.beyond_bmp`` (whether a text holds a character beyond U+FFFF, from
the length of its UTF-16 encoding) answers what the class search ``_ASTRAL``
answers: on ASCII, Chinese text, lone surrogates, astral characters anywhere, and
across the slices a long text is encoded in."""
import random

from dj_lint.checks import traditional
from dj_lint.checks.hardwrap import learn_widths


def test_beyond_bmp_is_the_class_search(monkeypatch):
    rng = random.Random(5)
    pieces = ["a", "党", "\ud800", "\udfff", "\U00020000", "😀", "\uffff", "\n", " ", "é", "\U0010ffff"]
    texts = ["", "abc", "党建", "\ud83d", "\ud83d\ude00"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(2000)]
    texts += ["党" * 50 + "\U00020000", "\U00020000" + "党" * 50, "a" * 40 + "😀"]
    for step in (1 << 20, 7, 1):
        monkeypatch.setattr(traditional, "_BMP_STEP", step)
        got = [traditional.beyond_bmp(t) for t in texts]
        assert got == [traditional._ASTRAL.search(t) is not None for t in texts]
        assert 100 < sum(got) < len(texts) - 100
        assert [learn_widths(t) for t in texts] == got
