"""The punctuation, number and privacy packs (GB/T 15834, GB/T 15835, GB/T 9704,
personal data): noise control, checksums, date gating, kind validation, and the
safe/unsafe fixes through the real command line."""
import datetime as dt
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dj_lint.text.document import Document
from dj_lint.engine import Context, Linter, shipped_rules
from dj_lint.checks.personal import gb11643_check_char, luhn_ok
from dj_lint.packs.loader import RuleError, parse_rule

AS_OF = dt.date(2026, 11, 21)


def rules(*ids):
    wanted = [r for r in shipped_rules() if r.id in ids]
    assert len(wanted) == len(ids), ids
    return wanted


def lint(text, *ids, as_of=AS_OF):
    ctx = Context(as_of=as_of)
    return Linter(rules(*ids), ctx).lint(Document(text, path="t.txt"))


# -- half-width punctuation: one document finding or one per mark -------------
HALF = ("学校党支部现有党员23名,其中正式党员22人,预备党员1人。\n"
        "支部坚持“三会一课”制度,每月召开支委会,每季度召开党员大会:每学期上一次党课。\n"
        "我们开展了主题党日活动(每月一次),组织党员学习党章党规,撰写心得体会.\n")


def test_half_width_throughout_is_reported_once_with_the_count():
    found = lint(HALF, "DJ801", "DJ802", "DJ803")
    # exactly min_count (10) marks: the document-level rule fires
    assert [(f.rule, f.line, f.column, f.text) for f in found] == [("DJ802", 1, 13, ",")]
    assert "全文有 10 处半角标点（, : . ( )）" in found[0].message
    assert not found[0].fixable


def test_without_the_document_rule_every_mark_is_reported():
    found = lint(HALF, "DJ801", "DJ803")
    assert len(found) == 10
    assert [(f.line, f.column, f.text, f.suggestion) for f in found[:3]] == [
        (1, 13, ",", "，"), (1, 23, ",", "，"), (2, 13, ",", "，")]
    assert [(f.rule, f.text, f.fixable) for f in found if f.text in ".:"] == [
        ("DJ801", ":", True), ("DJ803", ".", False)]


def test_a_few_slips_in_a_full_width_document_are_reported_one_by_one():
    text = "一、主要工作\n全年发展党员5名,确定入党积极分子12名。\n党委（含党总支)每季度召开会议。\n"
    found = lint(text, "DJ801", "DJ802")
    assert [(f.rule, f.line, f.column, f.text, f.suggestion) for f in found] == [
        ("DJ801", 2, 9, ",", "，"), ("DJ801", 3, 8, ")", "）")]


@pytest.mark.parametrize("text", [
    "会议于18:30开始，比例为1:2，共计1,234元。",
    "网址：http://www.12371.cn/，邮箱dangjian@example.com。",
    "外籍专家David Brown, PhD（英国）参加了会诊。",
    "函数f(x)的值；版本V2.1；Hello, world!",
])
def test_half_width_in_ascii_context_is_not_reported(text):
    assert lint(text, "DJ801", "DJ802", "DJ803") == []


# -- privacy: checksums, masks ------------------------------------------------
@st.composite
def id_numbers(draw):
    region = draw(st.sampled_from(["110105", "440304", "320102", "510107", "610113"]))
    born = draw(st.dates(min_value=dt.date(1920, 1, 1), max_value=AS_OF))
    seq = draw(st.integers(min_value=0, max_value=999))
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + gb11643_check_char(body)


@settings(max_examples=60, deadline=None)
@given(id_numbers())
def test_any_checksum_valid_id_number_is_found_and_masked(number):
    found = lint(f"身份证号：{number}，", "DJ951", "DJ953")
    assert [(f.rule, f.text) for f in found] == [("DJ951", number)]
    assert number not in found[0].message
    assert f"（{number[:6]}********{number[-4:]}）" in found[0].message


@settings(max_examples=60, deadline=None)
@given(id_numbers(), st.sampled_from("0123456789X"))
def test_a_wrong_check_character_is_not_an_id_number(number, check):
    if check == number[-1]:
        return
    assert lint(f"编号{number[:17]}{check}。", "DJ951") == []


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["62", "4", "5"]), st.integers(min_value=16, max_value=19), st.data())
def test_luhn_valid_card_numbers_are_found(prefix, length, data):
    middle = data.draw(st.text("0123456789", min_size=length - len(prefix) - 1,
                               max_size=length - len(prefix) - 1))
    body = prefix + middle
    number = next(body + d for d in "0123456789" if luhn_ok(body + d))
    found = lint(f"卡号{number}。", "DJ951", "DJ953")
    if any(f.rule == "DJ951" for f in found):  # an 18-digit valid ID number wins
        assert [f.rule for f in found] == ["DJ951"]
        return
    assert [(f.rule, f.text) for f in found] == [("DJ953", number)]
    assert f"（{number[:4]}{'*' * (length - 8)}{number[-4:]}）" in found[0].message


def test_mobile_numbers_and_what_is_not_one():
    text = ("联系电话13800138000；新闻热线：0371-65830000；订单号213800138000123；"
            "手机+86 138 0013 8000。")
    found = lint(text, "DJ951", "DJ952", "DJ953")
    assert [(f.rule, f.text) for f in found] == [
        ("DJ952", "13800138000"), ("DJ952", "138 0013 8000")]
    assert all("138****8000" in f.message and "13800138000" not in f.message for f in found)


def test_birth_date_after_as_of_is_not_an_id_number():
    body = "11010520260101001"
    number = body + gb11643_check_char(body)
    assert lint(number, "DJ951", as_of=dt.date(2025, 12, 31)) == []
    assert [f.text for f in lint(number, "DJ951")] == [number]


# -- signature date: gated by the standard's date ------------------------------
SIGNED = "特此报告。\n\n中共XX市教育教学研究室党支部\n\n二○○四年五月六日\n\n相关热词搜索：事迹材料\n"


def test_chinese_numeral_signature_date_is_gated_by_gb9704():
    found = lint(SIGNED, "DJ911", "DJ912")
    assert [(f.rule, f.line, f.column, f.text, f.suggestion) for f in found] == [
        ("DJ911", 5, 1, "二○○四年五月六日", "2004年5月6日")]
    # Linted as of a day before GB/T 9704-2012 took effect, only the wrong ○ remains.
    old = lint(SIGNED, "DJ911", "DJ912", as_of=dt.date(2012, 6, 30))
    assert [(f.rule, f.text, f.suggestion) for f in old] == [("DJ912", "二○○四", "二〇〇四")]


def test_chinese_numeral_date_in_prose_is_not_a_signature_date():
    text = "会议于二〇二四年五月六日召开。\n" + "全体党员参加。\n" * 10 + "中共某某支部\n2024年5月6日\n"
    assert lint(text, "DJ911") == []


# -- kinds reject broken rules --------------------------------------------------
BASE = {"name": "x", "category": "punctuation", "severity": "warning", "message": "m",
        "examples": {"bad": [{"text": "a", "match": "a"}], "good": ["b"]}}


@pytest.mark.parametrize("fields,error", [
    ({"kind": "halfwidth", "marks": {"#": "＃"}}, "field 'marks': '#' is not one of"),
    ({"kind": "halfwidth", "marks": {",": "，"}, "min_count": 5,
      "fix": {"action": "replace", "safety": "safe"}}, "field 'fix'"),
    ({"kind": "pairs", "pairs": ["“"]}, "field 'pairs[0]'"),
    ({"kind": "cndate", "pattern": "年", "convert": "zero", "scope": "anywhere"}, "group named 'y'"),
    ({"kind": "cndate", "pattern": "(?P<y>x)", "convert": "zero", "scope": "signature"},
     "field 'last_lines'"),
    ({"kind": "personal_number", "pattern": r"\d+", "checksum": "crc", "keep": [1, 1]},
     "unknown checksum 'crc'"),
    ({"kind": "personal_number", "pattern": r"\d+", "checksum": "luhn", "keep": [1, 1],
      "message": "发现{text}"}, "must not repeat the personal number"),
])
def test_broken_rules_are_rejected(fields, error):
    with pytest.raises(RuleError, match=error.replace("(", r"\(").replace("[", r"\[")):
        parse_rule({"id": "DJ899", **BASE, **fields}, "rules/test.yaml")


# -- fixes through the real command line ------------------------------------------
FIXABLE = ("一、主要工作\n\n全年发展党员5名,确定入党积极分子12名。农村经济总收入2900 万元，"
           "比上年增长 30 %。\n\n近年来，党总支积极研究和探索党建工作的新思路，有力地推动和促进日常管理及教育教学\n\n"
           "工作。2006来，每人负责联系1-2个乡镇学校。。\n")


def test_safe_fixes_apply_and_the_broken_line_waits_for_unsafe(tmp_path, cli):
    path = tmp_path / "r.txt"
    path.write_text(FIXABLE, encoding="utf-8")
    sel = "--select=punctuation,number"
    res = cli("--no-config", sel, "--fix", "--format", "json", str(path))
    fixed = path.read_text(encoding="utf-8")
    assert "全年发展党员5名，确定" in fixed and "2900万元" in fixed and "增长30%。" in fixed
    assert "2006年来" in fixed and "1～2个" in fixed and "学校。\n" in fixed
    left = json.loads(res.stdout)["findings"]
    assert [f["rule"] for f in left] == ["DJ808"]
    cli("--no-config", sel, "--fix", "--unsafe-fixes", str(path))
    assert "日常管理及教育教学工作。" in path.read_text(encoding="utf-8")
