"""Attempts only near the anchors (regex_anchors ``near``, checks/base.py
``_in_windows_near``): the obsolete kind's patterns try, in a window or in a whole
text, only the points of the stretches [a - hi, a - lo] around their anchors where
one of the literals every match starts with (its ``lead``) stands, each by
``match``. Checked against the plain scan of the whole text, and the analysis'
claims on their own."""
from __future__ import annotations

import datetime as dt
import random
import re

import pytest
import regex

from dj_lint.checks import base, budget
from dj_lint.engine.linter import Context, Linter, shipped_rules
from dj_lint.text import multiscan
from dj_lint.text.regex_anchors import anchors, near
from test_anchor_offsets import _texts, three_scans

pytestmark = pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")


def _lead_starts(lead, text):
    """Where ``lead`` finds a literal to start, searched from each point of ``text``."""
    search = re.compile(lead).search
    return [m.start() if m else None for m in (search(text, pos) for pos in range(len(text) + 1))]


def test_near_of_written_patterns():
    lo, hi, lead, longest = near(r"(?:当前|目前)[,，]?[^。\n]{0,6}?(?:十八大|十九大)")
    assert (lo, hi, longest) == (2, 9, 2)
    assert lead == "(?:当前|目前)"
    # What a lookbehind reads starts before the match; a lookahead's text is a lead.
    assert near(r"(?<=学习)十八大")[:2] == (-2, -2)
    assert near(r"(?=十八大)[^。\n]{0,4}?精神")[2:] == ("十八大", 3)
    # The literals every match starts with: the longest one's length, and a search
    # that stops at 十八大 (a literal ends there), 党的十八大 or not.
    lead, longest = near(r"(?:党的)?十八大")[2:]
    assert longest == 5
    assert _lead_starts(lead, "党的十九大，党的十八大，十八大") == [6] * 7 + [8] * 2 + [12] * 4 + [None] * 3
    for source in [r"[^。\n]*十八大",            # no bound before the anchor
                   r"[以为][^。\n]{0,3}十八大",   # a lead of common characters
                   r"(?P<x>党)(?P=x)十八大",      # a backreference
                   r"十八大(*SKIP)(*FAIL)|十九大",  # a backtracking verb
                   r"(?:十八大)?"]:             # an empty match
        assert near(source) is None, source
    assert near(r"十八大", regex.IGNORECASE) is None


def test_a_trie_cut_where_a_literal_ends_finds_where_one_starts():
    """``trie_pattern(starts_only=True)``, the lead of ``near``, against the first
    occurrence of any of the literals from each point, on random literal sets
    over a small alphabet (literals that are prefixes of others, shared prefixes,
    characters ``re`` must escape)."""
    from dj_lint.text.regex_anchors import trie_pattern
    rng = random.Random(3)
    seen = 0
    for _ in range(300):
        literals = {"".join(rng.choice("ab.|(") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 6))}
        search = re.compile(trie_pattern(literals, starts_only=True)).search
        text = "".join(rng.choice("ab.|(x") for _ in range(rng.randint(0, 30)))
        for pos in range(len(text) + 1):
            m = search(text, pos)
            want = min((k for k in (text.find(lit, pos) for lit in literals) if k >= 0), default=None)
            assert (m.start() if m else None) == want, (literals, text, pos)
            seen += want is not None
    assert seen > 1000


def _occurrences(text, literals):
    return sorted({i for lit in literals for i in range(len(text)) if text.startswith(lit, i)})


def test_near_search_of_written_patterns_on_random_text():
    """``_in_windows_near`` itself, on short random texts dense with the literals,
    for patterns whose leads nest and overlap (a failed attempt at one lead, a match
    at the next point), against ``finditer`` of the whole text, as one window and
    as the windows of its lines."""
    rng = random.Random(7)
    sources = [r"(?<!x)(?:xa)?ab(?=b)", r"(?:ba|a)?abx?[^\n]{0,2}?ab", r"a{0,2}bab(?!x)",
               r"(?<=x|ba)(?:ab|b)ab", r"(?:xab|ab|b)b[^\n]?ab",
               r"(?<!x)a?ab",           # at xaab, the lead aab fails and ab matches
               r"ab[^\n]{0,6}?x"]       # a match ends well past its stretch
    seen = 0
    for source in sources:
        pat = regex.compile(source, regex.MULTILINE)
        lo, hi, lead, longest = near(source)
        literals = anchors(source, with_offsets=True).literals
        search = re.compile(lead).search
        for _ in range(400):
            text = "".join(rng.choice("abbx\n") for _ in range(rng.randint(0, 40)))
            starts = _occurrences(text, literals)
            want = [m.span() for m in pat.finditer(text)]
            whole = [(0, len(text), len(text))]
            got = [m.span() for m in base._in_windows_near(pat, text, whole, 0, starts, (lo, hi, search, longest))]
            assert got == want, (source, text)
            lines, at = [], 0
            for line in text.split("\n"):
                lines.append((at, at + len(line), at + len(line)))
                at += len(line) + 1
            got = [m.span() for m in base._in_windows_near(pat, text, lines, 1, starts, (lo, hi, search, longest))]
            assert got == want, (source, text)
            seen += len(want)
    assert seen > 400


def _linter():
    return Linter(shipped_rules(), Context(as_of=dt.date(2026, 12, 1)))


def _obsolete(linter):
    return [k for k in linter.checks if type(k).__name__ == "ObsoleteKind"][0]


def _near_scans(linter):
    """(pattern, handle, near) of the obsolete kind's patterns that search near their anchors."""
    index = linter.ctx.anchors
    out = []
    for _, _, patterns, *_ in _obsolete(linter).compiled:
        for pat, handle, *_ in patterns:
            if handle is not None and index._near[handle] is not None:
                out.append((pat, handle, index._near[handle]))
    return out


def _long_texts(linter):
    """Paragraphs as long as the corpus' (1,000-3,000 characters), full of the
    kind's formulations and their contexts: windows of whole paragraphs, texts
    whose windows are too dense (scanned as one window), stretches that meet."""
    rng = random.Random(5)
    pieces = []
    for rule in linter.rules:
        if rule.id.startswith("DJ4"):
            for bad in (rule.examples or {}).get("bad", []) or []:
                pieces.append(bad["text"] if isinstance(bad, dict) else str(bad))
    filler = ["，", "。", "坚持", "深入开展", "当前", "这次", "正在", "以", "“", "”", "学习", "十八大",
              "党的", "全面推进", "新时代", "二", "\n", "　", "方兴未艾", "随着", "结合", "，"]
    out = []
    for k in range(60):
        words = [rng.choice(pieces) if rng.random() < 0.3 else rng.choice(filler) for _ in range(400)]
        text = "".join(words)
        if k % 3 == 0:
            text = text.replace("\n", "")  # one long line
        out.append(text)
    return out


@pytest.fixture(scope="module")
def setup():
    linter = _linter()
    return linter, _near_scans(linter), _texts(linter) + _long_texts(linter)


def test_most_obsolete_patterns_search_near_their_anchors(setup):
    _, scans, _ = setup
    assert len(scans) >= 15
    assert any(n[0] < 0 for *_, n in scans)  # an anchor read by a lookbehind in an entry


def test_every_match_starts_with_a_lead(setup):
    _, scans, texts = setup
    seen = 0
    for text in texts:
        for pat, _, (_, _, lead, _) in scans:
            for m in pat.pat.finditer(text, overlapped=False):
                assert lead(text, m.start(), m.start() + 200).start() == m.start(), \
                    (pat.pattern[:60], text[m.start():m.start() + 40])
                seen += 1
    assert seen > 200


def test_near_scans_find_what_the_whole_scan_finds(setup):
    """finditer_anchored under a sampled budget (where the near search runs, in
    windows and in texts scanned as one) against the plain scan of the whole text
    and against finditer_anchored without a budget (its windows scanned whole)."""
    linter, scans, texts = setup
    ctx = linter.ctx
    calls = []
    real = base._in_windows_near

    def spy(pat, text, windows, *args):
        calls.append(len(windows) == 1 and windows[0] == (0, len(text), len(text)))
        return real(pat, text, windows, *args)

    base._in_windows_near = spy
    seen = 0
    try:
        for text in texts:
            present = ctx.anchors.present(text)
            for pat, handle, _ in scans:
                got, plain, want = three_scans(ctx, pat, handle, text, present, {"overlapped": False})
                assert got == plain == want, (pat.pattern[:60], text[:80])
                seen += len(want)
    finally:
        base._in_windows_near = real
        budget.set_budget(None)
    assert seen > 300
    assert calls.count(True) > 20 and calls.count(False) > 100  # whole texts and windows


def test_anchors_without_offsets_are_the_anchors_less_their_offsets(setup):
    """cached_anchors(near_too=True) works the anchors out with their offsets once and
    keeps them without (regex_anchors.without_offsets): the same as anchors() for
    every pattern the shipped packs analyse."""
    from dj_lint.text import build_cache, regex_anchors
    analysed = list(build_cache.product("regex-anchors", dict))
    assert len(analysed) >= 150
    differ = 0
    for source, flags in analysed:
        full = anchors(source, flags, with_offsets=True)
        assert regex_anchors.without_offsets(full, source) == anchors(source, flags), source
        differ += full != anchors(source, flags)
    assert differ >= 15  # the offsets really were dropped somewhere


def test_a_pattern_asked_for_anchors_and_near_is_analysed_once(monkeypatch):
    from dj_lint.text import regex_anchors
    calls = []
    plain = regex_anchors.anchors
    analysed = regex_anchors._anchors  # anchors() and near() both go through it
    monkeypatch.setattr(regex_anchors, "_anchors", lambda *a, **k: calls.append(a) or analysed(*a, **k))
    source = r"(?:当前|目前)[,，]?[^。\n]{0,6}?(?:十八大|十九大)(?:这条只属于本测试)?"
    # A run before this one (the same user's build cache) may have kept the
    # analysis: it is forgotten, so this run works it out.
    from dj_lint.text import build_cache
    build_cache.product("regex-anchors", dict).pop((source, 0), None)
    regex_anchors._WITH_OFFSETS.pop((source, 0), None)
    found = regex_anchors.cached_anchors(source, 0, near_too=True)
    around = regex_anchors.cached_near(source, 0)
    assert len(calls) == 1
    monkeypatch.undo()
    assert found == plain(source) and found.offsets is None
    assert around == regex_anchors.near(source) and around[:2] == (2, 9)
