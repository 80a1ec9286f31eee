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


def test_traditional_characters_looked_up_as_the_class_finds_them(monkeypatch):
    """``traditional._found`` with numpy loaded (the text's code units looked up in a
    multiscan.CharTable) lists what the class search lists: on texts with and
    without traditional-only characters, lone surrogates, characters beyond
    U+FFFF, across the pieces a long text is looked up in, and at the length
    from which the table is used."""
    import numpy  # noqa: F401 - loaded, as near_miss loads it in a default run
    from dj_lint.text import multiscan
    name = traditional.VOCABULARY
    traditional._found(name, "")  # the class, made once
    bmp = traditional._COUNTERS[name][0]
    chars = sorted(traditional._characters(name))
    rng = random.Random(7)
    pieces = chars[:50] + list("党建工作的一是在\n a") + ["\ud800", "\udfff", "\U00020000", "😀", "\uffff"]
    told = 0
    for step in (1 << 16, 7):
        monkeypatch.setattr(multiscan.CharTable, "STEP", step)
        for n in (0, 1, 1999, 2000, 2001, 5000):
            for share in (0.0, 0.01, 0.3):
                text = "".join(rng.choice(pieces) if rng.random() < share else rng.choice("党建工作的一是在")
                               for _ in range(n))
                text = text.replace("\U00020000", "党")  # no astral traditional path: the class alone
                expected = bmp.findall(text)
                assert traditional._found(name, text) == expected
                looked_up = traditional._table(name).chars_in(text)
                if looked_up is not None:
                    told += 1
                    assert list(looked_up) == expected
    assert told >= 10


def test_beyond_bmp_of_kept_code_units_is_the_class_search():
    """A text whose code units the shared anchor pass kept (multiscan.utf16) is
    answered from them; one with a lone surrogate (nothing kept) as before."""
    from dj_lint.text import multiscan
    rng = random.Random(9)
    pieces = ["a", "党", "\ud800", "\U00020000", "😀", "\uffff", "\n"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 20))) for _ in range(1000)]
    for t in texts:
        multiscan.utf16(t)
        assert traditional.beyond_bmp(t) == (traditional._ASTRAL.search(t) is not None), repr(t)
