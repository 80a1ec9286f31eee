"""Inline suppression comments through the real command line.

DJ201 (unfilled-year) is the finding used throughout: `____年` is a blank
every pack agrees on. --select keeps other packs' findings out of the way
and, with DJ001, shows the unused-suppression audit on the same run."""
import json

from conftest import run_cli


def lint(tmp_path, text, *extra, name="report.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    res = run_cli("--format", "json", "--no-config", "--as-of", "2026-11-21",
                  "--select", "DJ201,DJ001", *extra, str(path))
    assert res.returncode in (0, 1), res.stderr.decode()
    # DJ201's exact span belongs to the placeholder pack; its start is what matters here.
    return [(f["line"], f["column"], f["rule"], f["text"] if f["rule"] == "DJ001" else f["text"][:4])
            for f in json.loads(res.stdout)["findings"]], res


BLANK = "____年以来，党总支连续五次被评为先进党组织。\n"


def test_disable_next_line_silences_only_the_next_line(tmp_path):
    found, res = lint(tmp_path, "<!-- dj-lint-disable-next-line DJ201 -->\n" + BLANK + BLANK)
    assert found == [(3, 1, "DJ201", "____")]
    assert res.returncode == 1


def test_region_by_name_and_category_until_enable(tmp_path):
    text = ("<!-- dj-lint-disable unfilled-year -->\n" + BLANK + BLANK
            + "<!-- dj-lint-enable -->\n" + BLANK
            + "<!-- dj-lint-disable placeholder -->\n" + BLANK)
    found, _ = lint(tmp_path, text)
    # The region opened on line 6 runs to the end of the file.
    assert found == [(5, 1, "DJ201", "____")]


def test_bare_directive_silences_every_rule(tmp_path):
    found, res = lint(tmp_path, "<!-- dj-lint-disable-next-line -->\n" + BLANK)
    assert found == []
    assert res.returncode == 0


def test_plain_text_uses_the_same_syntax(tmp_path):
    found, _ = lint(tmp_path, "<!-- dj-lint-disable-next-line DJ2 -->\n" + BLANK, name="a.txt")
    assert found == []


def test_unused_suppression_is_reported_as_info(tmp_path):
    text = ("<!-- dj-lint-disable-next-line DJ201 -->\n2024年以来，成绩显著。\n"
            "<!-- dj-lint-disable-next-line unfilled-yaer -->\n" + BLANK)
    found, res = lint(tmp_path, text)
    assert found == [
        (1, 1, "DJ001", "<!-- dj-lint-disable-next-line DJ201 -->"),
        (3, 1, "DJ001", "<!-- dj-lint-disable-next-line unfilled-yaer -->"),
        (4, 1, "DJ201", "____"),
    ]
    msgs = [f["message"] for f in json.loads(res.stdout)["findings"]]
    assert "没有屏蔽任何问题" in msgs[0] and "“unfilled-yaer”不存在" in msgs[1]
    assert json.loads(res.stdout)["findings"][0]["severity"] == "info"
    # info findings do not fail a run that only fails on warnings.
    found, res = lint(tmp_path, text.replace("unfilled-yaer", "DJ201"), "--fail-on", "warning")
    assert found == [(1, 1, "DJ001", "<!-- dj-lint-disable-next-line DJ201 -->")]
    assert res.returncode == 0


def test_directive_for_a_rule_that_did_not_run_is_not_called_unused(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("<!-- dj-lint-disable-next-line DJ201 -->\n" + BLANK, encoding="utf-8")
    res = run_cli("--format", "json", "--no-config", "--select", "DJ001", str(path))
    assert json.loads(res.stdout)["findings"] == []


def test_enable_without_disable_and_ignoring_dj001(tmp_path):
    found, _ = lint(tmp_path, "正文。\n<!-- dj-lint-enable -->\n")
    assert found == [(2, 1, "DJ001", "<!-- dj-lint-enable -->")]
    found, _ = lint(tmp_path, "正文。\n<!-- dj-lint-enable -->\n", "--ignore", "unused-suppression")
    assert found == []


def test_directive_for_a_rule_switched_off_in_config_is_not_unused(tmp_path):
    (tmp_path / "off.yaml").write_text("- id: DJ201\n  enabled: false\n", encoding="utf-8")
    (tmp_path / ".dj-lint.yaml").write_text("rules: [off.yaml]\n", encoding="utf-8")
    (tmp_path / "r.md").write_text("<!-- dj-lint-disable-next-line DJ201 -->\n" + BLANK
                                   + "<!-- dj-lint-disable-next-line DJ2O1 -->\n正文。\n",
                                   encoding="utf-8")
    res = run_cli("--format", "json", "--select", "DJ201,DJ001", "r.md", cwd=str(tmp_path))
    found = [(f["line"], f["rule"]) for f in json.loads(res.stdout)["findings"]]
    # DJ201 is off, so its directive is neither used nor unused; the misspelt one is reported.
    assert found == [(3, "DJ001")]


def test_disable_line_silences_the_line_holding_the_comment(tmp_path):
    text = (BLANK.rstrip("\n") + "<!-- dj-lint-disable-line DJ201 -->\n" + BLANK
            + "<!-- dj-lint-disable-line placeholder --> " + BLANK)
    found, res = lint(tmp_path, text)
    assert found == [(2, 1, "DJ201", "____")]
    found, _ = lint(tmp_path, text, name="a.txt")  # plain text: the same syntax
    assert found == [(2, 1, "DJ201", "____")]


def test_unused_disable_line_is_reported(tmp_path):
    found, _ = lint(tmp_path, "2024年以来，成绩显著。<!-- dj-lint-disable-line DJ201 -->\n")
    assert found == [(1, 14, "DJ001", "<!-- dj-lint-disable-line DJ201 -->")]


def test_unknown_directive_is_reported_with_the_nearest_one(tmp_path):
    text = (BLANK.rstrip("\n") + "<!-- dj-lint-disable-lines DJ201 -->\n"
            "<!-- dj-lint disable -->\n<!-- dj-lint-ignore DJ201 -->\n<!-- dj-linter 的说明 -->\n")
    found, res = lint(tmp_path, text)
    # Nothing is silenced by a directive dj-lint does not know; each is reported where it stands.
    assert found == [
        (1, 1, "DJ201", "____"),
        (1, 25, "DJ001", "<!-- dj-lint-disable-lines DJ201 -->"),
        (2, 1, "DJ001", "<!-- dj-lint disable -->"),
        (3, 1, "DJ001", "<!-- dj-lint-ignore DJ201 -->"),
    ]
    msgs = [f["message"] for f in json.loads(res.stdout)["findings"] if f["rule"] == "DJ001"]
    assert msgs[0] == ("抑制注释“<!-- dj-lint-disable-lines DJ201 -->”不是可识别的指令"
                       "（是不是要写 dj-lint-disable-line？），请删除或改正该注释。")
    assert "是不是要写 dj-lint-disable？" in msgs[1]
    assert ("（可用：dj-lint-disable、dj-lint-enable、dj-lint-disable-line、"
            "dj-lint-disable-next-line）") in msgs[2]


def test_unknown_rule_in_disable_line_is_reported(tmp_path):
    found, res = lint(tmp_path, BLANK.rstrip("\n") + "<!-- dj-lint-disable-line DJ2O1 -->\n")
    assert found == [(1, 1, "DJ201", "____"), (1, 25, "DJ001", "<!-- dj-lint-disable-line DJ2O1 -->")]
    assert "“DJ2O1”不存在" in json.loads(res.stdout)["findings"][1]["message"]
