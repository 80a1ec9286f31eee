"""Where matches start from their anchors (regex_anchors ``offsets``): every match holds
an anchor that starts from ``lo`` to ``hi`` characters after the match's start, so a
lookbehind-led pattern's windows try only the positions ``hi`` to ``lo`` before their
anchors (checks/base.py ``_in_windows_at``). Checked against the plain scan of the
whole text on the seeds, the rules' examples and generated text."""
from __future__ import annotations

import datetime as dt
import os
import random

import pytest
import regex

from dj_lint.checks import base, budget
from dj_lint.engine.linter import Context, Linter, shipped_rules
from dj_lint.text import multiscan, regex_anchors
from dj_lint.text.regex_anchors import anchors
from test_pattern_scans import _scans  # every PatternKind and ObsoleteKind pattern

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

pytestmark = pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")


def three_scans(ctx, pat, handle, text, present, kw):
    """(spans and groups) of a pattern's sampled-budget anchored scan, its budget-less
    anchored scan and its plain whole-text scan, for tests that compare the three."""
    want = [(m.span(), m.groups()) for m in pat.pat.finditer(text, **kw)]
    budget.set_budget(None)
    plain = [(m.span(), m.groups()) for m in base.finditer_anchored(ctx, pat, handle, text, 5.0, **kw)]
    budget.set_budget(budget.SampledBudget(1e9))
    try:
        got = [(m.span(), m.groups()) for m in base.finditer_anchored(ctx, pat, handle, text, 5.0, present, **kw)]
    finally:
        budget.set_budget(None)
    return got, plain, want

def _near(source):
    return anchors(source, with_offsets=True)


def test_offsets_of_written_patterns():
    assert _near(r"十八大").offsets == (0, 0)
    assert _near(r"(?:党的)?十八大").offsets == (0, 2)
    assert _near(r"[^。\n]{0,6}十八大").offsets == (0, 6)
    assert _near(r"(?:当前|目前)[,，]?[^。\n]{0,6}?(?:十八大|十九大)").offsets == (2, 9)
    # An alternation: the widest of its branches.
    assert _near(r"(?<![一二])十八大|第十八次").offsets == (0, 0)
    assert _near(r"十八大|[^。\n]{0,3}十八次").offsets == (0, 3)
    # A branch that never matches ((*SKIP)(*FAIL) over a long run) starts no match.
    assert _near(r"(?<=《)[xX×]{2,}|[xX×]{32,}+(*SKIP)(*FAIL)").offsets == (-1, -1)
    # What a lookbehind reads starts before the match.
    assert _near(r"(?<=学习)十八大").offsets == (-2, -2)
    assert _near(r"(?<=[，。])[ \t]+").offsets == (-1, -1)
    # No bound: an unbounded part before the anchor, or a backreference.
    for source in [r"[^。\n]*十八大", r"(?<=\p{Han})[ \t]+(?:个|名)", r"a{2,}十八大",
                   r"(?P<x>党)(?P=x)委员会", r"十八大|[^。\n]*第十八次"]:
        assert _near(source).offsets is None, source


def test_offsets_are_worked_out_only_for_lookbehind_led_patterns():
    """Only those use them (checks/base.py register_anchors); the analysis of every
    pattern would make the first run's build slower."""
    assert anchors(r"[^。\n]{0,6}十八大").offsets is None
    assert anchors(r"(?<=学习)十八大").offsets == (-2, -2)
    assert anchors(r"(?i)(?<=学习)十八大").offsets == (-2, -2)
    assert regex_anchors.lookbehind_led(r"(?m)(?<=a)b") and not regex_anchors.lookbehind_led(r"(?<!a)b")


def _linter():
    return Linter(shipped_rules(), Context(as_of=dt.date(2026, 12, 1)))


def _texts(linter):
    """The seeds, the rules' bad examples, and both cut into lines and shuffled
    with blanks, line breaks and punctuation between them."""
    folder = os.path.join(ROOT, "seeds")
    texts = [open(os.path.join(folder, n), encoding="utf-8").read() for n in sorted(os.listdir(folder))
             if n.endswith(".txt")]
    examples = []
    for rule in linter.rules:
        for bad in (rule.examples or {}).get("bad", []) or []:
            examples.append(bad["text"] if isinstance(bad, dict) else str(bad))
    rng = random.Random(11)
    lines = [line for t in texts for line in t.split("\n")] + examples
    seps = ["\n", "\n\n", "", "。", "，", " ", "　", "学习", "党的"]
    texts.append("\n".join(examples))
    texts += ["".join(rng.choice(lines) + rng.choice(seps) for _ in range(40)) for _ in range(60)]
    # Long lines: every piece joined without line breaks.
    texts += ["".join(rng.choice(lines) + rng.choice(seps[2:]) for _ in range(40)) for _ in range(20)]
    return texts


_ANALYSED: dict = {}


def _offsets(pat):
    """The analysis of every pattern, not only of those the scans use it for."""
    key = (pat.pattern, pat.flags)
    if key not in _ANALYSED:
        found = anchors(pat.pattern, pat.flags & (regex.IGNORECASE | regex.DOTALL), with_offsets=True)
        _ANALYSED[key] = (found.literals, found.offsets) if found else (None, None)
    return _ANALYSED[key]


@pytest.fixture(scope="module")
def setup():
    linter = _linter()
    return linter, list(_scans(linter)), _texts(linter)


def test_every_match_holds_an_anchor_within_its_offsets(setup):
    """The analysis itself: each match of the plain scan of the whole text has an
    occurrence of one of the anchors starting within (lo, hi) of its start."""
    _, scans, texts = setup
    bounded = [(pat, kw) + _offsets(pat) for pat, _, kw in scans if _offsets(pat)[1] is not None]
    assert len(bounded) > 60  # most pattern and obsolete rules
    assert any(lo < 0 for _, _, _, (lo, _) in bounded) and any(hi > 5 for _, _, _, (_, hi) in bounded)
    seen = 0
    for text in texts:
        for pat, kw, literals, (lo, hi) in bounded:
            for m in pat.pat.finditer(text, **kw):
                q = m.start()
                assert any(text.startswith(lit, p) for p in range(max(0, q + lo), q + hi + 1)
                           for lit in literals), (pat.pattern, lo, hi, text[max(0, q - 30):q + 60])
                seen += 1
    assert seen > 500


def test_single_positions_find_what_the_whole_scan_finds(setup):
    """finditer_anchored against the plain scan of the whole text: the same matches,
    spans and groups, with the sampled budget (where a pattern with ``at`` tries single
    positions before its anchors, or scans a window whose anchors are dense) and
    without any (its windows scanned)."""
    linter, scans, texts = setup
    ctx = linter.ctx
    near = [(pat, handle, kw) for pat, handle, kw in scans
            if handle is not None and ctx.anchors._at[handle] is not None]
    assert len(near) > 10
    seen = 0
    try:
        for text in texts:
            present = ctx.anchors.present(text)
            for pat, handle, kw in near:
                got, plain, want = three_scans(ctx, pat, handle, text, present, kw)
                assert got == plain == want, (pat.pattern, text[:80])
                seen += len(want)
    finally:
        budget.set_budget(None)
    assert seen > 200
