"""The first run's anchor analysis (regex_anchors ``_anchors``) reads a pattern's
parts once: the analysis of the whole, ``compound``'s second set and ``near``'s
lead all come from it. Checked against the plain way, each analysed again from a
fresh parse, for every pattern a Linter of the shipped rules asks about and for
written ones (wrapping groups, their flags, backreferences)."""
from __future__ import annotations

import datetime as dt
import re
import warnings

import pytest
import regex

from dj_lint.engine.linter import Context, Linter, shipped_rules
from dj_lint.text import build_cache, regex_anchors as ra
from dj_lint.text.regex_anchors import _c

_WRITTEN = [
    r"(?P<hit>(?:这次|此次)[^。\n]{0,6}?主题教育)正在",
    r"((?i:(学习)ab\2))十八大",
    r"(?P<a>((党的)(十八大)))(?:精神|报告)",
    r"(?:(?:(?<=学习)十八大))(?=精神)",
    r"(党)\1[^\n]{0,3}?(?P<x>十九大|二十大)(?P=x)?",
    r"(?s)(?:第[一二三四五]次.{0,3}会议)",
    r"十八大(*SKIP)(*FAIL)|十九大",
    r"((?:十八大|[^x]*))",  # a group's edge holds "", which joining it to nothing drops
    r"(?<=学习)(党)\1(?:十八大)?",  # a backreference: offsets reads the parts without groups
    r"(?<=学习)((?:(党)[^\n]?)\2(?:十八大|十九大))",
]


def _plain(source, flags):
    """(the analysis of the whole, the analyses of the parts under its wrapping
    groups, each from a fresh parse), or None when the pattern is not read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = ra._parse(ra._to_stdlib(ra._mark_lookbehinds(source)), flags & (ra._ICASE | ra._DOTALL))
    except Exception:
        return None
    flags = parsed.state.flags
    whole = ra._seq(list(parsed), flags, {})
    items = list(parsed)
    while len(items) == 1 and items[0][0] is _c.SUBPATTERN:
        _, add, dele, sub = items[0][1]
        items, flags = list(sub), (flags | add) & ~dele
    groups: dict = {}
    return whole, [ra._node(op, av, flags, groups) for op, av in items]


def _plain_offsets(source, flags, found):
    """``offsets`` of the pattern from a fresh parse, with an empty memo."""
    if not ra.useful(found.literals):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parsed = ra._parse(ra._to_stdlib(ra._mark_lookbehinds(source)), flags & (ra._ICASE | ra._DOTALL))
    lits = re.compile("|".join(map(re.escape, sorted(found.literals))))
    try:
        return ra.offsets(list(parsed), parsed.state.flags, lits, parsed.state)
    except Exception:
        return None


def _plain_lead(whole):
    lead = ra._edge(whole, "pre")
    if "" in lead or not ra.useful(lead):
        return None
    return ra.trie_pattern(lead, starts_only=True), max(map(len, lead))


@pytest.fixture(scope="module")
def shipped():
    """(source, flags) of every pattern a Linter of the shipped rules analyses."""
    asked = []
    memo = build_cache.memo

    def recording(name, arg, compute, limit=20000):
        if name in ("regex-anchors", "regex-near"):
            asked.append(arg)
        return memo(name, arg, compute, limit)
    build_cache.memo = recording
    try:
        Linter(shipped_rules(), Context(as_of=dt.date(2026, 12, 1)))
    finally:
        build_cache.memo = memo
    found = sorted(set(asked))
    assert len(found) > 100
    return found + [(source, 0) for source in _WRITTEN]


def test_one_reading_gives_what_the_plain_reading_gives(shipped):
    compounds = leads = offsets = 0
    for source, flags in shipped:
        for with_offsets in (False, True):
            found, whole = ra._anchors(source, flags, with_offsets)
            plain = _plain(source, flags)
            if plain is None:
                assert (found, whole) == (None, None), source
                continue
            assert whole == plain[0], source
            if found is None:
                continue
            kept = set(found.literals)
            assert found.also == ra.compound(plain[1], kept), source
            compounds += bool(found.also)
            if with_offsets and (found.one_line or found.breaks):  # else over too many lines: no offsets
                assert found.offsets == _plain_offsets(source, flags, found), source
                offsets += found.offsets is not None
            if with_offsets and found.offsets is not None and found.least > 0 and "(*" not in source \
                    and not flags & regex.IGNORECASE:
                got = ra.near(source, flags)
                want = _plain_lead(plain[0])
                assert got == (None if want is None else found.offsets + want), source
                leads += got is not None
    assert compounds > 10 and leads > 10 and offsets > 100


def test_near_reads_what_cached_anchors_left(shipped):
    """``cached_anchors(near_too=True)`` keeps the whole pattern's analysis for
    ``near``: the same answer as ``near`` working it out again."""
    memo = build_cache.memo
    build_cache.memo = lambda name, arg, compute, limit=20000: compute()
    try:
        for source, flags in shipped:
            ra._WITH_OFFSETS.clear()
            alone = ra.near(source, flags)
            first = ra.cached_anchors(source, flags, near_too=True)
            assert first == ra.anchors(source, flags), source
            assert ra.cached_near(source, flags) == alone, source
    finally:
        build_cache.memo = memo
        ra._WITH_OFFSETS.clear()


_CUT = []


def _plain_concat(a, b):
    """``_concat`` as written before: the pairs across the point made both ways."""
    pre = a.pre if a.full is None else ra._better(a.pre, ra._trimmed(a.full, b.pre, False))
    suf = b.suf if b.full is None else ra._better(b.suf, ra._trimmed(a.suf, b.full, True))
    inner = ra._better(a.inner, b.inner, ra._trimmed(a.suf, b.pre, False), ra._trimmed(a.suf, b.pre, True))
    _CUT.append(ra._product(a.suf, b.pre) is None)
    return ra._info(ra._product(a.full, b.full), pre, suf, inner)


def test_concat_gives_what_the_plain_concat_gives(shipped, monkeypatch):
    """``_concat`` makes the literals across the point between two parts once when
    they are few enough: the same analyses of every pattern as before."""
    fast = [ra._anchors(source, flags, True) for source, flags in shipped]
    monkeypatch.setattr(ra, "_concat", _plain_concat)
    _CUT.clear()
    assert [ra._anchors(source, flags, True) for source, flags in shipped] == fast
    assert any(_CUT) and not all(_CUT)  # both ways taken
