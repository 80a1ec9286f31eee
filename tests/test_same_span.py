"""``same_span_defer_to``: a rule's finding gives way to a finding of a listed
category or rule at exactly the same span, after suppression comments; two
findings that would give way to each other both stay; the loader checks the field."""
from __future__ import annotations

import dataclasses

import pytest

from dj_lint.engine import Linter, shipped_rules
from dj_lint.model.rules import RuleError
from dj_lint.packs.loader import parse_rule
from dj_lint.text.document import Document

# A title printed again as a file name with a page suffix: a furniture line (DJ325)
# and a repeated title (DJ326) on the same span.
REPEATED = "党小组活动记录\n党小组活动记录.docx_第1页\n一、每月开展一次活动。\n二、每季度交流一次心得。\n"


def _rules(*ids):
    return [r for r in shipped_rules() if r.id in ids]


def _found(rules, text):
    return [(f.rule, f.line, f.column, f.end_line, f.end_column, f.text)
            for f in Linter(rules).lint(Document(text, path="a.txt"))]


def test_furniture_line_gives_way_to_repeated_title():
    line = ("党小组活动记录.docx_第1页",)
    assert _found(_rules("DJ325"), REPEATED) == [("DJ325", 2, 1, 2, 17) + line]
    assert _found(_rules("DJ326"), REPEATED) == [("DJ326", 2, 1, 2, 17) + line]
    assert _found(_rules("DJ325", "DJ326"), REPEATED) == [("DJ326", 2, 1, 2, 17) + line]


def test_a_suppressed_finding_makes_none_give_way():
    text = REPEATED.replace("记录\n党", "记录\n<!-- dj-lint-disable-next-line DJ326 -->\n党")
    found = _found(_rules("DJ325", "DJ326"), text)
    assert [f[0] for f in found] == ["DJ325"]
    assert found[0][5] == "党小组活动记录.docx_第1页"


def test_page_chunk_number_is_not_a_heading_out_of_sequence():
    text = ("党员教育管理工作要坚持经常性教育与集中性教育相结合，支部每月组织一次集中学习，每季度上一次党课，"
            "每半年开展一次谈心谈话，每年对党员进行一次民主评议，评议结果作为评先评优的重要依据，"
            "对评议中发现的问题及时提醒、督促整改，确保党员教育管理各项工作要求真正落\n2、到实处，取得实效\n")
    assert [f[0] for f in _found(_rules("DJ620"), text)] == ["DJ620"]
    assert _found(_rules("DJ620", "DJ331"), text) == [("DJ331", 2, 1, 2, 3, "2、")]


def test_findings_that_would_give_way_to_each_other_both_stay():
    a, b = _rules("DJ325", "DJ326")
    a = dataclasses.replace(a, same_span_defer_to=["watermark"])
    b = dataclasses.replace(b, same_span_defer_to=["DJ325"])
    assert [f[0] for f in _found([a, b], REPEATED)] == ["DJ325", "DJ326"]
    # a category names every other rule of it
    c = dataclasses.replace(b, same_span_defer_to=[])
    assert [f[0] for f in _found([a, c], REPEATED)] == ["DJ326"]


def _item(value):
    return {"id": "X1", "name": "x", "category": "watermark", "severity": "error", "kind": "pattern",
            "pattern": "甲", "message": "m", "same_span_defer_to": value,
            "examples": {"bad": [{"text": "甲", "match": "甲"}], "good": ["乙"]}}


@pytest.mark.parametrize("value,error", [
    ("DJ326", "field 'same_span_defer_to' should be list"),
    ([""], "field 'same_span_defer_to' should list categories or other rules' ids"),
    ([3], "field 'same_span_defer_to' should list categories or other rules' ids"),
    (["X1"], "field 'same_span_defer_to' should list categories or other rules' ids"),
])
def test_loader_checks_the_field(value, error):
    with pytest.raises(RuleError) as exc:
        parse_rule(_item(value), "p.yaml")
    assert str(exc.value) == f"p.yaml: X1: {error}"


def test_loader_keeps_the_field():
    assert parse_rule(_item(["DJ326", "garble"]), "p.yaml").same_span_defer_to == ["DJ326", "garble"]


def test_explain_says_what_a_rule_gives_way_to():
    from dj_lint.reporters.ruledoc import explain_rule
    (rule,) = _rules("DJ325")
    assert "同位让位：同一段文字已有 DJ326、DJ305 的问题时，本规则不再重复报告" in explain_rule(rule)
    watermark = dataclasses.replace(rule, same_span_defer_to=["watermark"])
    assert "同一段文字已有 watermark（" in explain_rule(watermark)
    (other,) = _rules("DJ326")
    assert "同位让位" not in explain_rule(other)
