"""multiscan.CharSet answers whether a text holds any of a set of characters,
as a frozenset's isdisjoint does: characters a regex class treats specially,
characters beyond U+FFFF (tested apart from the class), lone surrogates."""
from __future__ import annotations

import pytest

from dj_lint.checks.obsolete import fold_table
from dj_lint.text.multiscan import CharSet

CHARS = "乾後發]^-\\𩞯"
TEXTS = ["党的建设", "以後", "天干", "a]b", "^", "x-y", "C:\\", "𩞯字", "𩞰字", "坏\udce9字", ""]


@pytest.mark.parametrize("text", TEXTS)
def test_same_answer_as_a_set(text):
    assert CharSet(CHARS).any_in(text) == (not frozenset(CHARS).isdisjoint(text))


def test_fold_table():
    chars = CharSet(map(chr, fold_table()))
    assert not chars.any_in("学习贯彻党的二十大精神\n")
    assert chars.any_in("學習貫徹黨的二十大精神\n")
    assert not CharSet("").any_in("任何文字")


def test_an_ascii_text_is_answered_by_its_flag_only_when_no_character_is_ascii():
    """CharSet.any_in: a set without an ASCII character answers an ASCII text at
    once (none); one with an ASCII character still searches it."""
    from dj_lint.text.multiscan import CharSet
    cjk, mixed = CharSet("党（"), CharSet("X党")
    assert cjk._beyond_ascii and not mixed._beyond_ascii
    assert not cjk.any_in("(" * 1000) and cjk.any_in("(" * 10 + "（")
    assert mixed.any_in("abcX") and not mixed.any_in("abc") and mixed.any_in("党")
