"""Shipped patterns rewritten for speed match exactly what their earlier forms
matched: the same spans and groups, on the seeds, every pattern rule's examples
and text generated around each rewrite's shape (each entry says why the forms
are the same); or, for a rewrite that reads more than it reports (REPORTED), the
same reported spans (group ``hit``, else the match) and suggestions."""
from __future__ import annotations

import os
import random

import pytest
import regex

from dj_lint.engine.linter import shipped_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLAGS = regex.MULTILINE | regex.V0

# (rule id, index of the pattern in the rule, its earlier form, pieces text is made of)
REWRITES = [
    # [^\n]{120}[^\n]* and [^\n]{120,} match the same texts, and the lookbehind holds
    # no group: only whether it holds can differ, and it cannot.
    ("DJ331", 0,
     r'^(?P<hit>\d{1,2}、)(?<=[^\n]{120}[^\n]*[\p{Han}A-Za-z0-9][ \t　]*\n(?:[ \t　]*\n)*\d{1,2}、)',
     ["支部每季度召开一次组织生活会", "会前征求意见", "，", "。", "a", "Z", "9", " ", "\t", "　", "\n", "\n\n",
      " \n", "2、", "1、", "12、", "123、", "２、", "x" * 60, "党" * 40]),
]


def _pattern(rule_id: str, index: int) -> str:
    rule = next(r for r in shipped_rules() if r.id == rule_id)
    patterns = rule.options["pattern"]
    return (patterns if isinstance(patterns, list) else [patterns])[index]


def _texts(pieces, rng):
    folder = os.path.join(ROOT, "seeds")
    texts = [open(os.path.join(folder, n), encoding="utf-8").read() for n in sorted(os.listdir(folder))
             if n.endswith(".txt")]
    for rule in shipped_rules():
        if rule.kind == "pattern":
            texts += [ex if isinstance(ex, str) else ex["text"]
                      for which in ("bad", "good") for ex in rule.examples[which]]
    for n in range(3000):
        texts.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 20 if n % 2 else 120))))
    return texts


@pytest.mark.parametrize("rule_id, index, old, pieces", REWRITES)
def test_a_rewritten_pattern_matches_what_its_earlier_form_matched(rule_id, index, old, pieces):
    new = _pattern(rule_id, index)
    assert new != old  # the rule still holds the rewrite
    new_pat, old_pat = regex.compile(new, FLAGS), regex.compile(old, FLAGS)
    rng = random.Random(rule_id)
    found = 0
    for text in _texts(pieces, rng):
        want = [(m.span(), m.groups()) for m in old_pat.finditer(text)]
        assert [(m.span(), m.groups()) for m in new_pat.finditer(text)] == want, text
        found += len(want)
    assert found > 50  # the generated text does hold matches


# (rule id, index of the pattern, its earlier form, the earlier suggestion, pieces):
# rewrites whose matches read past what they report, reported by their group hit.
REPORTED = [
    # The year, then 以来 or 来 without a count word after it, read (a literal regex
    # finds first) instead of looked ahead at. Neither 以 nor 来 is a digit, so no
    # later match could start inside what the lookahead read and the new form reads.
    ("DJ906", 0,
     r'(?<![\d.])(?:19|20)\d{2}(?=以来|来(?![人名个位次件元万亿天年岁米斤公里亩户家所条项篇]))', r'\g<0>年',
     ["2006", "2019", "1999", "20", "19", "12006", "0.", ".", "以来", "来", "以", "来人", "来年", "以来人", "来来",
      "以以来", "，", "年", "党", " ", "\n", "1", "9", "2021来2022以来"]),
    # The first chunk's 1、 found by the literal, its line start (and blanks) looked
    # behind at, not matched from ^: each line holds at most one such 1、, and both
    # forms' matches end after it (the lookahead reads the same), so later matches start alike.
    ("DJ331", 1,
     r'^[ \t　]*(?P<hit>1、)(?=[^\n]{120}[^\n]*[\p{Han}A-Za-z0-9][ \t　]*\n(?:[ \t　]*\n)*[ \t　]*2、)', None,
     ["1、", "2、", "1、1、", "11、", "a1、", " ", "\t", "　", "\n", "\n\n", " \n", "。", "党" * 40, "x" * 60,
      "支部每季度召开一次组织生活会", "2", "、", "\n1、", "\n2、", "\n 　1、" + "党" * 121, "\n　2、"]),
]


@pytest.mark.parametrize("rule_id, index, old, old_suggestion, pieces", REPORTED)
def test_a_rewritten_pattern_reports_what_its_earlier_form_reported(rule_id, index, old, old_suggestion, pieces):
    new = _pattern(rule_id, index)
    rule = next(r for r in shipped_rules() if r.id == rule_id)
    suggestion = rule.options.get("suggestion")
    assert new != old
    new_pat, old_pat = regex.compile(new, FLAGS), regex.compile(old, FLAGS)

    def reported(pat, template, text):
        group = "hit" if "hit" in pat.groupindex else 0
        return [(m.span(group), template and m.expand(template)) for m in pat.finditer(text)]
    rng = random.Random(rule_id)
    found = 0
    for text in _texts(pieces, rng):
        want = reported(old_pat, old_suggestion, text)
        assert reported(new_pat, suggestion, text) == want, text
        found += len(want)
    assert found > 50
