"""Every example of every shipped rule: bad texts must produce exactly the listed
matches, good texts must produce nothing from that rule."""
import datetime as dt
import re

import pytest

from dj_lint.text.document import Document
from dj_lint.engine import Context, Linter, shipped_rules
from dj_lint.app.fix import fix_document


def _cases():
    for rule in shipped_rules():
        for i, ex in enumerate(rule.examples["bad"]):
            yield pytest.param(rule, "bad", ex, id=f"{rule.id}-bad{i}")
        for i, ex in enumerate(rule.examples["good"]):
            yield pytest.param(rule, "good", ex, id=f"{rule.id}-good{i}")


def _unescape(ex, value):
    """``escapes: true``: \\uDCxx in text/match stands for an undecodable byte, which
    the Document keeps as a lone surrogate and YAML cannot write."""
    if isinstance(ex, dict) and ex.get("escapes"):
        return re.sub(r"\\u([dD][cC][89a-fA-F][0-9a-fA-F])", lambda m: chr(int(m.group(1), 16)), value)
    return value


def _lint(rule, ex, fix=False):
    text = _unescape(ex, ex if isinstance(ex, str) else ex["text"])
    as_of = ex.get("as_of") if isinstance(ex, dict) else None
    doc_type = ex.get("doc_type") if isinstance(ex, dict) else None
    path = ex.get("path", "example.txt") if isinstance(ex, dict) else "example.txt"
    ctx = Context(as_of=dt.date.fromisoformat(str(as_of)) if as_of else dt.date(2026, 11, 21),
                  doc_type=doc_type)
    rules = [rule]
    if rule.kind == "intended_blanks":  # it judges the hits of the category it absorbs
        rules += [r for r in shipped_rules() if r.category == rule.options["absorbs"] and r is not rule]
    # a rule that yields to other findings (defer_to, defer_after) is shown with them
    defer = set(rule.options.get("defer_to", ()))
    after = set(rule.options.get("defer_after", ()))
    same = set(rule.same_span_defer_to)
    if defer or after or same:
        rules += [r for r in shipped_rules() if r is not rule and (
            r.category in defer or r.id in after or r.category in same or r.id in same)]
    linter, doc = Linter(rules, ctx), Document(text, path=path)
    if fix:  # the whole text after this rule's fixes, safe and unsafe alike
        return fix_document(doc, linter, unsafe=True).doc.original
    return linter.lint(doc)


@pytest.mark.parametrize("rule,which,example", list(_cases()))
def test_rule_example(rule, which, example):
    found = [f for f in _lint(rule, example) if f.rule == rule.id]
    if which == "good":
        assert found == [], f"{rule.id} wrongly flags: {[f.text for f in found]}"
        return
    expected = example["match"]
    expected = [_unescape(example, e) for e in (expected if isinstance(expected, list) else [expected])]
    assert [f.text for f in found] == expected
    if "suggestion" in example:
        assert found[0].suggestion == example["suggestion"]
    if "fixed" in example:
        assert _lint(rule, example, fix=True) == example["fixed"]


def test_every_rule_has_examples():
    for rule in shipped_rules():
        assert rule.examples["bad"] and rule.examples["good"], rule.id
