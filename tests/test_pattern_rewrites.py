"""Shipped patterns rewritten for speed match exactly what their earlier forms
matched: the same spans and groups, on the seeds, every pattern rule's examples
and text generated around each rewrite's shape (each entry says why the forms
are the same)."""
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
