"""A pattern rule's ``requires_line``: its patterns are scanned only on the lines
holding one of its ``requires`` (base.lines_taken), and must find there what a scan
of the whole text finds, in the same order, a REVERSE pattern's too."""
import copy
import random

import pytest
import regex

from dj_lint.checks.base import lines_taken
from dj_lint.checks.budget import (
    Budgeted,
    RegexBudget,
    SampledBudget,
    current_budget,
    sampling,
    set_budget,
)
from dj_lint.checks.pattern import _lines
from dj_lint.engine import Context, Linter, shipped_rules
from dj_lint.model.rules import RuleError
from dj_lint.packs.loader import load_pack
from dj_lint.text.document import Document

# Pieces of lines near DJ311's web addresses (any case, several a line, at a line's
# start and end) and DJ804's quotes with blanks inside.
_PIECES = {
    "DJ311": ["www.abc.com", "WWW.ABC.COM", "m.x1.Net", "ab.cn", "a.cn", "foo.bar.top", ".org", "x.orgy",
              "联系", "网址：", " ", "\t", "，", "。", "@qq.com", "abc-def.xyz", "gov.cn", "people.com.cn",
              "版权所有", "hello.Wang", "cc.cc", "1.com", "12371.cn"],
    "DJ804": ["“ 学习 ”", "“学习 ”", "“ 学习”", "“\t学习”", "“学习　”", "“学习”", "党建 “ 学习 ” 活动",
              "“", "”", " ", "　", "\t", "学习", "，", "。", "》", "《", "（"],
}


def _text(rng, pieces):
    lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(1, 7))]
    return "\n".join(lines) + rng.choice(["", "\n"])


def _found(linter, text):
    return [(f.start, f.end, f.text, f.suggestion) for f in linter.lint(Document(text, path="t.txt"))]


@pytest.mark.parametrize("rule_id", sorted(_PIECES))
def test_requires_line_finds_what_the_whole_scan_finds(rule_id):
    (rule,) = [r for r in shipped_rules() if r.id == rule_id]
    assert rule.options.get("requires_line") is True
    whole = copy.deepcopy(rule)
    del whole.options["requires_line"]
    lined, plain = Linter([rule], Context()), Linter([whole], Context())
    rng = random.Random(804)
    hits = 0
    for _ in range(1500):
        text = _text(rng, _PIECES[rule_id])
        expected = _found(plain, text)
        assert _found(lined, text) == expected, text
        hits += len(expected)
    assert hits > 300  # the texts reach the rule's matches


@pytest.mark.parametrize("sampled", [False, True])
def test_lines_taken_gives_the_whole_scans_matches_in_its_order(sampled):
    text = "ab ab\nxx\nab\n\nab x ab"
    lines = _lines(regex.compile("ab").search, text)
    assert lines == [(0, 5, 5), (9, 11, 11), (13, 20, 20)]
    for source in ["ab", "(?r)ab", "(?<=\\n)ab", "ab(?=\\n)", "(?r)ab(?!\\n)"]:
        pat = Budgeted(regex.compile(source), "DJX")
        expected = [m.span() for m in pat.pat.finditer(text)]
        with sampling(sampled) as on:
            set_budget(SampledBudget(10.0) if on else RegexBudget(10.0))
            try:
                got = [m.span() for m in lines_taken(current_budget(), pat, text, lines)]
            finally:
                set_budget(None)
        assert got == expected, source


def test_requires_line_needs_requires(tmp_path):
    path = tmp_path / "user.yaml"
    path.write_text("""
- id: DJX02
  name: test-rule
  category: placeholder
  severity: error
  kind: pattern
  pattern: 'X+'
  requires_line: true
  message: m
""", encoding="utf-8")
    with pytest.raises(RuleError, match="requires_line"):
        load_pack(str(path))
