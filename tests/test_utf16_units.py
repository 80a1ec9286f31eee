"""``multiscan.utf16`` keeps the UTF-16 code units of the last texts read, for the
shared anchor pass and the CharTables that read the same text after it: the same
bytes as an encoding of their own, None for a text with a lone surrogate (whose
readers then encode it their own way), a bounded number of texts kept."""
import random
import re
from codecs import utf_16_be_encode

import numpy  # noqa: F401 - loaded, as near_miss loads it in a default run
import pytest

from dj_lint.text import multiscan


def test_kept_units_are_the_encoding():
    rng = random.Random(21)
    for n in (0, 1, 100, 5000, multiscan._UNITS_LONGEST + 1):
        for extra in ("", "\ud800", "😀", "\udcff😀"):
            text = "".join(rng.choice("党建工作的，。\n a1") for _ in range(n)) + extra
            for _ in range(2):  # the second read from the cache, when kept
                raw = multiscan.utf16(text)
                if extra.startswith(("\ud800", "\udcff")):
                    assert raw is None
                else:
                    assert raw == utf_16_be_encode(text)[0]
            assert (id(text) in multiscan._UNITS) == (len(text) <= multiscan._UNITS_LONGEST)
    assert len(multiscan._UNITS) <= multiscan.CACHED_TEXTS
    assert multiscan._UNITS_CHARS[0] == sum(len(t) for t, _ in multiscan._UNITS.values())
    texts = ["党" * 10 + str(k) for k in range(3 * multiscan.CACHED_TEXTS)]
    for text in texts:
        multiscan.utf16(text)
        multiscan.utf16(text, keep=False)
    assert len(multiscan._UNITS) == multiscan.CACHED_TEXTS
    assert [t for t, _ in multiscan._UNITS.values()] == texts[-multiscan.CACHED_TEXTS:]


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs is not installed")
def test_tables_after_the_pass_read_what_they_read_alone():
    """A CharTable reading a text the shared pass has read (its units kept) finds
    what it finds in a copy never read, lone surrogates and astral characters too."""
    rng = random.Random(22)
    chars = "，。党X\n"
    table = multiscan.CharTable(chars)
    search = re.compile("[" + re.escape(chars) + "]")
    index = multiscan.AnchorIndex()
    index.register(["党建", "工作"])
    for extra in ("", "\ud800", "😀", "\udfff😀"):
        for n in (2500, 9000):
            text = "".join(rng.choice("党建工作的一是在，。\n X") for _ in range(n)) + extra
            copy = "".join(list(text))
            assert copy is not text
            index.present(text)  # the pass keeps its units
            for got in (table.positions(text), table.positions(copy)):
                assert got is None or got == [m.start() for m in search.finditer(text)]
            assert table.positions(text) == table.positions(copy)
            assert table.chars_in(text) == table.chars_in(copy) == "".join(search.findall(text))
