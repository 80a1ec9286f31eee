"""A pattern scanned whole without literals, whose every match starts with a
character of a class (DJ328's ``\\p{Extended_Pictographic}``), is skipped in a
text the shared pass shows holds none of the class's characters (pattern.py
``_members_gate``): the findings are those of scanning it everywhere."""
from __future__ import annotations

import datetime

import pytest

from dj_lint.checks import pattern
from dj_lint.engine.linter import Context, Linter, shipped_rules
from dj_lint.text import multiscan
from dj_lint.text.document import Document
from dj_lint.text.regex_anchors import first_members

AS_OF = datetime.date(2026, 12, 1)
pytestmark = pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")


def test_first_members():
    dj328 = (r"(?<=\p{Han}[^\n]{0,20})(?:(?![©®™‼⁉])\p{Extended_Pictographic}[\ufe0f\u200d]*)+"
             r"|(?:(?![©®™‼⁉])\p{Extended_Pictographic}[\ufe0f\u200d]*)+(?=[^\n]{0,20}\p{Han})")
    assert first_members(dj328) == r"[\p{Extended_Pictographic}]"
    assert first_members(r"(?<=x)[\u2460-\u2473]+") == r"[\U00002460-\U00002473]"
    assert first_members(r"\bfoo|\p{Lu}") is not None
    # What it cannot show: an empty match, any character, a negated class or
    # property, \d, a case-insensitive part, a backtracking verb.
    for source in (r"a*", r".x", r"[^a]", r"\P{Han}", r"\d+", r"(?i)k", r"(?i:k)x", r"a(*SKIP)(*FAIL)|b"):
        assert first_members(source) is None, source


@pytest.fixture(scope="module")
def linters():
    rules = [r for r in shipped_rules() if r.kind == "pattern"]
    gated = Linter(rules, Context(as_of=AS_OF))
    whole = Linter(rules, Context(as_of=AS_OF, anchors=multiscan.AnchorIndex(enabled=False)))
    return gated, whole


def _findings(linter, text):
    return [f.as_dict() for f in linter.lint(Document(text, path="a.txt"))]


@pytest.mark.parametrize("rule_id", ["DJ328", "DJ101"])
def test_is_gated(linters, rule_id):
    gated, _ = linters
    kind = next(k for k in gated.checks if isinstance(k, pattern.PatternKind))
    gates = [gate for rule, patterns, _, _ in kind.compiled if rule.id == rule_id for _, _, _, gate in patterns]
    assert gates and all(g is not None and g.func is pattern._holds_member for g in gates)


@pytest.mark.parametrize("text", [
    "支部开展了主题党日活动🎉🎉👍，党员们收获满满。\n",   # beyond U+FFFF
    "👉点击报名参加志愿服务\n",
    "今天天气晴☀，大家按时参加了学习。\n",              # below U+FFFF
    "完成情况✅已经上报，请各支部查收。\n",
    "版权所有©东湖市委组织部\n党员们收获满满。\n",      # a member the pattern leaves out
    "党员们收获满满。\n没有表情符号的一段话。\n",
    "党员们收获满满\udcff。👍好\n",                    # a lone surrogate (DJ101's)
    "党员们收获满满\udcff\udcfe。\n",
    "党员们收获满满\ud83c\udf89。\n",                  # a pair of surrogates, not one character
    "党员学习。\n" * 4000 + "结尾\udcc0处。\n",
    "党员学习。\n" * 4000 + "结尾处有表情🎉很好。\n",   # read in chunks (AnchorIndex._hits)
    "党员学习。\n" * 4000 + "结尾处有表情☀很好。\n",
    "党员学习。\n" * 4000,
])
def test_same_findings(linters, text):
    gated, whole = linters
    got, want = _findings(gated, text), _findings(whole, text)
    assert got == want
    assert any(f["rule"] == "DJ328" for f in want) == any(
        c in text for c in "🎉👍👉☀✅"), "the texts test what they say"
    assert any(f["rule"] == "DJ101" for f in want) == any("\udc80" <= c <= "\udcff" for c in text)


def test_astral_handle():
    index = multiscan.AnchorIndex()
    handle = index.register(["党员"], 0, one_line=True)
    astral = index.register_astral()
    assert index.register_astral() == astral != handle
    assert astral in index.present("党员🎉")
    assert astral not in index.present("党员☀")
    assert astral in index.present("党员" * 10000 + "🎉")  # read in chunks
    assert astral not in index.present("党员" * 10000)
    lone = index.register_astral(lone=True)
    assert index.register_astral(lone=True) == lone not in (astral, handle)
    assert lone in index.present("党员\udcff") and astral not in index.present("党员\udcff")
    assert lone not in index.present("党员🎉") and astral in index.present("党员🎉")
    assert lone in index.present("党员" * 10000 + "\udcff")  # read in chunks
