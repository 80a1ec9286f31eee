"""multiscan.Automaton scans a long text in pieces of whole lines: the same
matches in the same order as one scan of the whole text, for every occurrence
and for leftmost-longest matches, including matches at the piece edges."""
from __future__ import annotations

import random

import pytest

from dj_lint.text import multiscan

pytestmark = pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs is not installed")

WORDS = ["党建", "党建工作", "建工", "工作", "作风", "风建设", "加强", "强党", "党的建设", "的"]


def _text(rng, size):
    parts, n = [], 0
    while n < size:
        line = "".join(rng.choice(WORDS + ["，", "。", "A", "字"]) for _ in range(rng.randint(0, 60)))
        parts.append(line)
        n += len(line) + 1
    return "\n".join(parts)


@pytest.mark.parametrize("longest", [False, True])
def test_pieces_equal_one_scan(longest):
    rng = random.Random(3)
    auto = multiscan.Automaton(WORDS, longest=longest)
    text = _text(rng, int(2.5 * multiscan._PIECE))
    whole = auto._ac.find_matches_as_indexes(text, overlapping=not longest)
    pieces = list(auto.find(text, overlapping=not longest))
    assert len(whole) > 100_000
    assert pieces == whole
    # One very long line: no break to cut at, one scan.
    line = text.replace("\n", "")
    assert list(auto.find(line, overlapping=not longest)) == auto._ac.find_matches_as_indexes(
        line, overlapping=not longest)


def test_only_literals_without_a_line_break_are_scanned_by_pieces():
    """Automaton._by_lines (asked of the literals joined): pieces only when no
    literal holds a line break, wherever it stands in the list and in the literal."""
    assert multiscan.Automaton(["党建", "建", "x"])._by_lines is True
    for literals in (["党\n建", "建"], ["建", "x", "\n"], ["a", "b\n"]):
        assert multiscan.Automaton(literals)._by_lines is False, literals


def test_a_literal_with_a_line_break_is_scanned_whole():
    auto = multiscan.Automaton(["党\n建", "建"])
    text = ("党\n建" + "字" * 1000 + "\n") * 3000
    assert list(auto.find(text)) == auto._ac.find_matches_as_indexes(text, overlapping=True)


@pytest.mark.parametrize("longest", [False, True])
def test_find_in_takes_any_text_piece_by_piece(longest):
    """find_in makes each piece scannable itself (a lone surrogate from an
    undecodable byte becomes U+FFFD, offsets unchanged): the matches of one scan
    of the whole scannable text; any_in says whether there is one."""
    rng = random.Random(5)
    auto = multiscan.Automaton(WORDS, longest=longest)
    text = _text(rng, int(2.2 * multiscan._PIECE))
    text = text[:1000] + "\udc80" + text[1001:2_000_000] + "\udcff" + text[2_000_001:]
    whole = auto._ac.find_matches_as_indexes(multiscan.scannable(text), overlapping=not longest)
    assert len(whole) > 100_000
    assert list(auto.find_in(text, overlapping=not longest)) == whole
    assert auto.any_in(text) and not auto.any_in("\udc80没有词\n" * 10)


@pytest.mark.parametrize("longest", [False, True])
def test_a_lazy_automaton_is_built_by_its_first_search(longest):
    """Automaton(lazy=True) holds no automaton until it searches (terms' fallback,
    which most runs never search), then finds what an eager one finds; a pickled
    one stays lazy and finds the same."""
    import pickle

    rng = random.Random(7)
    text = _text(rng, 5000)
    eager = multiscan.Automaton(WORDS, longest=longest)
    lazy = multiscan.Automaton(WORDS, longest=longest, lazy=True)
    assert "_ac" not in vars(lazy)
    copy = pickle.loads(pickle.dumps(lazy))
    assert "_ac" not in vars(copy) and copy.lazy
    overlapping = not longest
    assert list(lazy.find(text, overlapping)) == list(eager.find(text, overlapping))
    assert "_ac" in vars(lazy)
    assert list(copy.find_in(text, overlapping)) == list(eager.find_in(text, overlapping))
    assert multiscan.Automaton([], lazy=True).find_list(text) == []
    with pytest.raises(AttributeError):
        lazy.no_such_attribute
