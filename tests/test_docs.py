"""The rule reference site: generated from the rule packs, built by the real
sphinx-build with warnings as errors, so a rule whose page does not render
fails here. --explain and the README's category table come from the same source
(dj_lint.reporters.ruledoc)."""
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli
from dj_lint.doctypes import load_types
from dj_lint.model.findings import CATEGORIES
from dj_lint.reporters.ruledoc import readme_table
from dj_lint.packs.loader import load_shipped

DOCS = os.path.join(ROOT, "docs")


def sphinx(builder, out):
    res = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", builder,
                          "-d", str(out / "doctrees"), DOCS, str(out / builder)],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return out / builder


def test_every_rule_page_renders_without_a_warning(tmp_path):
    sphinx("dummy", tmp_path)
    rules = [r for r in load_shipped() if r.enabled]
    ref = os.path.join(DOCS, "reference")
    assert sorted(os.listdir(os.path.join(ref, "rules"))) == sorted(f"{r.id}.rst" for r in rules)
    assert set(os.listdir(os.path.join(ref, "categories"))) >= {f"{c}.rst" for c in CATEGORIES}
    assert sorted(os.listdir(os.path.join(ref, "doctypes"))) == sorted(f"{t.id}.rst" for t in load_types())


@pytest.mark.slow
def test_html_site_has_a_page_per_rule_category_and_doctype(tmp_path):
    html = sphinx("html", tmp_path)
    rules = [r for r in load_shipped() if r.enabled]
    for r in rules:
        page = (html / "reference" / "rules" / f"{r.id}.html").read_text(encoding="utf-8")
        assert r.name in page and "依据" in page and "应报告的写法" in page and "不应报告的写法" in page
        assert "判断日期" in page and "自动修复" in page
        first = r.examples["bad"][0]
        match = first["match"][0] if isinstance(first["match"], list) else first["match"]
        if "\\u" not in str(match) and not re.search(r"[\s<>&\"']", str(match)):
            assert str(match) in page, (r.id, match)
    for c in CATEGORIES:
        page = (html / "reference" / "categories" / f"{c}.html").read_text(encoding="utf-8")
        assert all(f"{r.id}" in page for r in rules if r.category == c)
    for t in load_types():
        assert t.name in (html / "reference" / "doctypes" / f"{t.id}.html").read_text(encoding="utf-8")


def test_rule_page_shows_fix_safety_and_as_of():
    from dj_lint.reporters.ruledoc import rule_page
    rules = {r.id: r for r in load_shipped()}
    fixable = next(r for r in rules.values() if r.fix)
    page = rule_page(fixable)
    assert ("安全修复" in page) and "dj-lint --fix" in page
    from dj_lint.packs.loader import parse_rule
    dated = parse_rule({
        "id": "X001", "name": "old-slogan", "category": "obsolete", "severity": "warning",
        "kind": "pattern", "pattern": "旧提法", "message": "“{text}”已过时",
        "examples": {"bad": [{"text": "继续贯彻旧提法。", "match": "旧提法", "as_of": "2019-05-01"}],
                     "good": [{"text": "贯彻新提法。", "as_of": "2025-01-01"}]}}, "t.yaml")
    page = rule_page(dated)
    assert "判断日期 2019-05-01" in page and "判断日期 2025-01-01" in page
    assert "无自动修复" in rule_page(rules["DJ201"])


def test_explain_and_site_share_the_source():
    rules = {r.id: r for r in load_shipped()}
    out = run_cli("--explain", "DJ201").stdout.decode()
    r = rules["DJ201"]
    assert out.startswith(f"DJ201 {r.name}\n")
    assert "无自动修复" in out and "判断日期 2026-11-21" in out
    assert r.description.strip() in out


def test_readme_category_table_is_generated():
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    start = readme.index("<!-- ruledoc:categories -->\n") + len("<!-- ruledoc:categories -->\n")
    end = readme.index("<!-- /ruledoc:categories -->")
    assert readme[start:end] == readme_table(), \
        "README's category table is stale: python -m dj_lint.reporters.ruledoc readme"


def test_explain_takes_an_id_in_any_case_a_name_or_a_category_and_suggests_on_a_miss():
    by_id = run_cli("--explain", "DJ201").stdout
    assert run_cli("--explain", "dj201").stdout == by_id
    assert run_cli("--explain", "unfilled-year").stdout == by_id
    cat = run_cli("--explain", "placeholder")
    out = cat.stdout.decode()
    assert cat.returncode == 0 and out.startswith("placeholder（占位符）：")
    ids = [r.id for r in load_shipped() if r.category == "placeholder"]
    assert all(re.search(rf"^{i}\s", out, re.M) for i in ids)
    miss = run_cli("--explain", "placeholdr")
    assert miss.returncode == 2
    assert miss.stderr.decode().strip() == "dj-lint: 没有这条规则或类别：placeholdr。是不是指 类别 placeholder？"
    miss = run_cli("--explain", "unfiled-year")
    assert "是不是指 DJ201 unfilled-year？" in miss.stderr.decode()
    far = run_cli("--explain", "zzzzzz")
    assert far.returncode == 2 and "--list-rules" in far.stderr.decode()
