"""The enumeration kind: a label followed by its items must list exactly the
canonical items; correct lists and labels on their own stay quiet."""
import datetime as dt
import os

import pytest

from dj_lint.text.document import Document
from dj_lint.text.sources import load_path
from dj_lint.engine import Context, Linter, select_rules
from dj_lint.packs.loader import RuleError, load_pack
from conftest import ROOT, seed_path



def my_rules():
    """Only this pack's rule files: other packs in progress must not break these tests."""
    return [r for name in ("obsolete", "formulation")
            for r in load_pack(os.path.join(ROOT, "rules", name + ".yaml"))]


def lint(text, as_of="2026-11-21"):
    rules = select_rules(my_rules(), ["formulation"])
    return Linter(rules, Context(as_of=dt.date.fromisoformat(as_of), known_rules=my_rules())).lint(Document(text, path="t.txt"))


def test_seed_000_four_consciousnesses_with_canonical_list():
    doc = load_path(seed_path("000"))
    rules = select_rules(my_rules(), ["formulation"])
    [f] = Linter(rules, Context(as_of=dt.date(2026, 11, 21), known_rules=rules)).lint(doc)
    assert (f.line, f.column, f.end_column, f.rule) == (23, 37, 65, "DJ501")
    assert f.text == "全局意识、宗旨意识、创新意识、民主决策意识和群众路线观念"
    assert "“四个意识”应为：政治意识、大局意识、核心意识、看齐意识" in f.message
    assert "缺少“政治意识、大局意识、核心意识、看齐意识”" in f.message


def test_date_gate_before_the_formulation_existed():
    text = "增强四个意识强化一个观念。即全局意识、宗旨意识、创新意识、民主决策意识和群众路线观念。"
    assert lint(text, as_of="2004-05-06") == []
    assert [f.rule for f in lint(text)] == ["DJ501"]


@pytest.mark.parametrize("text", [
    "增强“四个意识”，即政治意识、大局意识、核心意识、看齐意识，切实做到令行禁止。",
    "增强“四个意识”、坚定“四个自信”、做到“两个维护”，深刻领悟“两个确立”的决定性意义。",
    "深刻领悟“两个确立”的决定性意义，即确立习近平同志党中央的核心、全党的核心地位，"
    "确立习近平新时代中国特色社会主义思想的指导地位。",
    "制定了三会一课制度，即每月各召开一次支委会、党员大会、党小组会，每学期上一次党课。",
    "牢记“两个务必”，自觉树立“凭党性、看实绩、重公认”的意识。",
])
def test_correct_or_unlisted_formulations_are_quiet(text):
    assert lint(text) == []


def test_order_matters_where_the_canon_fixes_it():
    [f] = lint("坚定“四个自信”，即理论自信、道路自信、制度自信、文化自信。")
    assert f.rule == "DJ502" and "顺序应为规范顺序" in f.message


def test_order_does_not_matter_for_three_meetings_one_lesson():
    assert lint("落实“三会一课”，即党课、党小组会、支部委员会会议、支部党员大会。") == []


def test_extra_item_after_a_full_list_is_reported():
    [f] = lint("增强“四个意识”，即政治意识、大局意识、核心意识、看齐意识和责任意识。")
    assert f.text == "政治意识、大局意识、核心意识、看齐意识和责任意识"
    assert "多出或误作“责任意识”" in f.message


def test_long_items_compare_clause_by_clause():
    [f] = lint("做到“两个维护”，即坚决维护习近平总书记党中央的核心、全党的核心地位，"
               "坚决维护党中央权威和统一领导。")
    assert f.rule == "DJ503" and "缺少“维护党中央权威和集中统一领导”" in f.message


RULE = """
- id: DJ599
  name: test-enum
  category: formulation
  severity: warning
  kind: enumeration
  message: “{{label}}”应为{{canonical}}
  label: 四个意识
  items: {items}
  {extra}
  examples:
    bad: [{{text: 四个意识即甲、乙, match: 甲、乙}}]
    good: [四个意识]
"""


@pytest.mark.parametrize("items,extra,error", [
    ("[政治意识]", "", "at least two"),
    ("[政治意识, 大局意识]", "aliases: {全局意识: 宗旨意识}", "not an item"),
    ("[政治意识, 大局意识]", "since: \'2016-13-01\'", "field 'since'"),
    ("[政治意识, 大局意识]", "split: '['", "does not compile"),
])
def test_broken_enumeration_rules_are_rejected(tmp_path, items, extra, error):
    path = tmp_path / "bad.yaml"
    path.write_text(RULE.format(items=items, extra=extra), encoding="utf-8")
    with pytest.raises(RuleError) as exc:
        load_pack(str(path))
    assert "DJ599" in str(exc.value) and error in str(exc.value)
