"""DoubledCharKind finds its candidates by arrays when numpy is loaded
(checks/doubled.py doubles): the same starts as the ``re`` scan, in order."""
from __future__ import annotations

import random
import sys

import pytest

from dj_lint.checks import doubled

np = pytest.importorskip("numpy")


def _scan(text):
    return [m.start() for m in doubled._DOUBLE.finditer(text)]


@pytest.mark.parametrize("piece", [7, 1 << 20])
def test_vector_doubles_equal_the_re_scan(monkeypatch, piece):
    monkeypatch.setattr(doubled, "PIECE", piece)
    monkeypatch.setattr(doubled, "VECTOR_FROM", 0)
    rng = random.Random(3)
    # Both ends of both Han ranges and their outer neighbours, runs, numerals.
    chars = ["\u33ff", "\u3400", "\u4dbf", "\u4dc0", "\u4dff", "\u4e00", "\u9fff", "\ua000", "系", "一",
             "a", "1", "\n", "，", "常"]
    vectored = 0
    for _ in range(2000):
        text = "".join(rng.choice(chars) * rng.choice((1, 1, 2, 3, 4)) for _ in range(rng.randint(0, 20)))
        got = doubled._vector_doubles(np, text)
        assert got == _scan(text), text
        assert doubled.doubles(text) == _scan(text), text
        vectored += bool(got)
    assert vectored > 500


def test_doubles_fall_back_on_astral_characters_and_surrogates(monkeypatch):
    monkeypatch.setattr(doubled, "VECTOR_FROM", 0)
    for text in ("系系\U00020000\U00020000常常", "常常\udcff\udcff系系", "\ud800系系"):
        assert doubled._vector_doubles(np, text) is None
        assert doubled.doubles(text) == _scan(text)


def test_doubles_without_numpy_loaded_use_re(monkeypatch):
    monkeypatch.setattr(doubled, "VECTOR_FROM", 0)
    monkeypatch.setitem(sys.modules, "numpy", None)
    text = "教育系系统常常系系系" * 10
    assert doubled.doubles(text) == _scan(text) != []


def test_an_ascii_text_has_no_doubles_to_scan_for(monkeypatch):
    monkeypatch.setattr(doubled, "VECTOR_FROM", 0)
    for text in ("", "**__XX  aa\n\n", "x" * 5000):
        assert doubled.doubles(text) == _scan(text) == []


def test_the_scan_finds_the_plain_patterns_matches():
    """``_SCAN`` tests the Han class only where a character repeats: the same starts
    as ``_DOUBLE`` (runs of any character, line breaks, range ends, astral characters
    and lone surrogates)."""
    rng = random.Random(5)
    chars = ["\u33ff", "\u3400", "\u4dbf", "\u4dc0", "\u4e00", "\u9fff", "\ua000", "系", "a", " ", "\n",
             "\r", "，", "\U00020000", "\udcff"]
    doubled_found = 0
    for _ in range(3000):
        text = "".join(rng.choice(chars) * rng.choice((1, 1, 2, 3, 5)) for _ in range(rng.randint(0, 20)))
        got = [m.start() for m in doubled._SCAN.finditer(text)]
        assert got == _scan(text), repr(text)
        doubled_found += bool(got)
    assert doubled_found > 1000


def test_vector_doubles_from_kept_code_units_equal_the_re_scan(monkeypatch):
    """A document whose code units the shared anchor pass kept (multiscan.utf16,
    big-endian) is read from them: the same starts as the ``re`` scan."""
    from dj_lint.text import multiscan
    monkeypatch.setattr(doubled, "VECTOR_FROM", 0)
    rng = random.Random(11)
    chars = ["\u33ff", "\u3400", "\u4dbf", "\u4dc0", "\u4e00", "\u9fff", "\ua000", "\u00e4", "\u0100",
             "系", "a", "\n", "常"]
    kept = 0
    for _ in range(500):
        text = "".join(rng.choice(chars) * rng.choice((1, 2, 3)) for _ in range(rng.randint(2, 20)))
        kept += multiscan.utf16(text) is not None and multiscan.utf16(text, keep=False) is not None
        assert doubled._vector_doubles(np, text) == _scan(text), text
    assert kept == 500
