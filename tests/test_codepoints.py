"""text/codepoints.py: every code point laid out by slices equals the layout made
one int at a time, and the classes and folds built from it are those of before."""
from array import array

import pytest
import regex

from dj_lint.text import codepoints, pattern_cache


@pytest.mark.parametrize("planes", [1, 2, 17])
def test_the_identity_layout_equals_one_made_point_by_point(planes):
    want = array("I", range(planes * 0x10000))
    if want.itemsize == 4:
        import sys
        if sys.byteorder == "big":
            want.byteswap()
        assert codepoints.identity_utf32le(planes) == want.tobytes()
    text = codepoints.every_character(planes)
    assert len(text) == planes * 0x10000 and all(ord(text[i]) == i for i in range(0, len(text), 4099))
    assert text[0xD800] == "\ud800" and text[-1] == chr(planes * 0x10000 - 1)


@pytest.mark.parametrize("planes", [0, 18])
def test_planes_out_of_range_are_refused(planes):
    with pytest.raises(ValueError):
        codepoints.identity_utf32le(planes)


@pytest.mark.parametrize("escape", [r"\s", r"\d"])
def test_regex_class_holds_exactly_what_regex_matches(escape, monkeypatch):
    from dj_lint.text import build_cache
    monkeypatch.setattr(build_cache, "product", lambda name, build, separate=False: build())
    body = pattern_cache.regex_class(escape)
    every = "".join(map(chr, range(0x110000)))
    import re
    assert re.findall("[" + body + "]", every) == regex.findall(escape, every)
