"""Output formats github, sarif, junit, gitlab, --statistics, --output, --format auto.

No packaged copy of the SARIF 2.1.0 JSON schema was found on PyPI (checked
pysarif, sarif-tools, sarif-om, check-jsonschema), so the SARIF test asserts
each property the schema requires, and the ones GitHub code scanning needs."""
import json
import os
import xml.etree.ElementTree as ET

import pytest

from conftest import run_cli

BLANK = "____年以来，党总支连续五次被评为先进党组织。\n"


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "bad.txt").write_text("标题\n\n" + BLANK, encoding="utf-8")
    (tmp_path / "good.md").write_text("标题\n\n2024年以来，成绩显著。\n", encoding="utf-8")
    # An info finding: a suppression comment that silences nothing.
    (tmp_path / "年度总结.md").write_text("<!-- dj-lint-disable-next-line DJ201 -->\n正文。\n",
                                        encoding="utf-8")
    return tmp_path


def lint(repo, fmt, *args, env=None):
    res = run_cli("--format", fmt, "--no-config", "--select", "DJ201,DJ001", "--as-of",
                  "2026-11-21", *args, cwd=str(repo), env=env)
    assert res.returncode in (0, 1), res.stderr.decode()
    return res


def json_findings(repo, *paths):
    res = lint(repo, "json", *paths)
    return json.loads(res.stdout)["findings"]


# -- github -----------------------------------------------------------------
def test_github_workflow_commands(repo):
    (repo / "a,b:c.txt").write_text(BLANK, encoding="utf-8")
    res = lint(repo, "github", "bad.txt", "a,b:c.txt", "年度总结.md")
    f = json_findings(repo, "bad.txt")[0]
    lines = res.stdout.decode().splitlines()
    assert lines == [
        f"::error file=a%2Cb%3Ac.txt,line=1,col=1,endLine=1,endColumn={f['end_column']},"
        f"title=DJ201 unfilled-year::{f['message']}",
        f"::error file=bad.txt,line=3,col=1,endLine=3,endColumn={f['end_column']},"
        f"title=DJ201 unfilled-year::{f['message']}",
        "::notice file=年度总结.md,line=1,col=1,endLine=1,endColumn=41,"
        "title=DJ001 unused-suppression::" + json_findings(repo, "年度总结.md")[0]["message"],
    ]


def test_github_escaping():
    from dj_lint.reporters.github import escape_data, escape_property
    assert escape_data("50%\r\n下一行: a,b") == "50%25%0D%0A下一行: a,b"
    assert escape_property("50%\r\n下一行: a,b") == "50%25%0D%0A下一行%3A a%2Cb"


def test_format_auto_follows_github_actions(repo):
    res = run_cli("--no-config", "--select", "DJ201", "bad.txt", cwd=str(repo),
                  env={"GITHUB_ACTIONS": "true"})
    assert res.stdout.decode().startswith("::error file=bad.txt,line=3,")
    res = run_cli("--no-config", "--select", "DJ201", "bad.txt", cwd=str(repo))
    assert res.stdout.decode().startswith("bad.txt:3:1: DJ201 [错误]")


# -- sarif ------------------------------------------------------------------
LEVELS = ("none", "note", "warning", "error")


def test_sarif_has_every_required_property(repo):
    res = lint(repo, "sarif", ".")
    log = json.loads(res.stdout)
    expected = json_findings(repo, ".")
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "dj-lint" and driver["version"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    assert {"DJ001", "DJ201"} <= {r["id"] for r in rules}
    for r in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            assert isinstance(r[key]["text"], str) and r[key]["text"].strip(), (r["id"], key)
        assert r["defaultConfiguration"]["level"] in LEVELS
        assert r["name"] and "{" not in r["shortDescription"]["text"]
    dj201 = next(r for r in rules if r["id"] == "DJ201")
    assert dj201["defaultConfiguration"]["level"] == "error"
    assert "dj-lint --explain DJ201" in dj201["help"]["text"]
    assert len(run["results"]) == len(expected) == 2
    for result, f in zip(run["results"], expected):
        assert result["ruleId"] == f["rule"]
        assert rules[result["ruleIndex"]]["id"] == f["rule"]
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[f["severity"]]
        assert result["message"]["text"] == f["message"]
        (loc,) = result["locations"]
        phys = loc["physicalLocation"]
        region = phys["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) \
            == (f["line"], f["column"], f["end_line"], f["end_column"])
        assert region["snippet"]["text"] == f["text"]
        assert phys["artifactLocation"]["uri"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    # Relative paths stay relative; a Chinese file name is percent-encoded.
    assert uris == ["bad.txt", "%E5%B9%B4%E5%BA%A6%E6%80%BB%E7%BB%93.md"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"]
            for r in run["results"]} == {"%SRCROOT%"}
    # The short description is always the rule's name.
    assert all(r["shortDescription"]["text"] == r["name"] for r in rules)
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is True and inv["toolExecutionNotifications"] == []
    fps = [r["partialFingerprints"]["djLintContext/v1"] for r in run["results"]]
    assert len(set(fps)) == 2


# -- junit ------------------------------------------------------------------
def test_junit_one_testcase_per_finding_and_one_per_clean_file(repo):
    (repo / "bad.txt").write_text("标题\n\n" + BLANK + BLANK, encoding="utf-8")
    os.symlink(repo / "gone.txt", repo / "broken.txt")  # named, exists as a link, unreadable
    res = run_cli("--format", "junit", "--no-config", "--select", "DJ201,DJ001",
                  "bad.txt", "good.md", "年度总结.md", "broken.txt", cwd=str(repo))
    assert res.returncode == 2  # an unreadable input
    root = ET.fromstring(res.stdout)
    (suite,) = root.findall("testsuite")
    cases = [(c.get("classname"), c.get("name"), c.get("line")) for c in suite.findall("testcase")]
    assert cases == [
        ("bad.txt", "DJ201 unfilled-year (3:1)", "3"),
        ("bad.txt", "DJ201 unfilled-year (4:1)", "4"),
        ("年度总结.md", "DJ001 unused-suppression (1:1)", "1"),
        ("good.md", "dj-lint", None),
        ("broken.txt", "dj-lint", None),
    ]
    for node in (root, suite):
        assert (node.get("tests"), node.get("failures"), node.get("errors")) == ("5", "3", "1")
    first, second, info, good, broken = suite.findall("testcase")
    (fail,) = first.findall("failure")
    assert fail.get("type") == "DJ201 unfilled-year"
    assert fail.text.startswith("bad.txt:3:1: DJ201 [错误] ")
    assert second.find("failure").text.startswith("bad.txt:4:1: DJ201")
    assert info.find("failure").get("type") == "DJ001 unused-suppression"
    assert list(good) == []
    assert broken.find("error") is not None and broken.find("failure") is None


# -- paths in CI formats ------------------------------------------------------
def test_ci_formats_show_one_relative_path_whatever_the_input_form(repo):
    (repo / "sub").mkdir()
    (repo / "sub" / "bad.txt").write_text(BLANK, encoding="utf-8")
    forms = ["sub/bad.txt", "./sub/bad.txt", "sub/../sub/bad.txt", str(repo / "sub" / "bad.txt")]
    for form in forms:
        sarif = json.loads(lint(repo, "sarif", form).stdout)
        art = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert art == {"uri": "sub/bad.txt", "uriBaseId": "%SRCROOT%"}, form
        base = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        assert base.startswith("file:///") and base.endswith("/")
        junit = ET.fromstring(lint(repo, "junit", form).stdout)
        assert {c.get("classname") for c in junit.iter("testcase")} == {"sub/bad.txt"}, form
        assert lint(repo, "github", form).stdout.decode().startswith("::error file=sub/bad.txt,")
        gitlab = json.loads(lint(repo, "gitlab", form).stdout)
        assert gitlab[0]["location"]["path"] == "sub/bad.txt", form
    # A file outside the working folder keeps an absolute file: URI, without a base.
    (repo / "elsewhere").mkdir()
    outside = run_cli("--format", "sarif", "--no-config", "--select", "DJ201",
                      str(repo / "sub" / "bad.txt"), cwd=str(repo / "elsewhere"))
    art = json.loads(outside.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert art["artifactLocation"] == {"uri": (repo / "sub" / "bad.txt").as_uri()}


# -- gitlab -----------------------------------------------------------------
def test_gitlab_code_quality(repo):
    (repo / "bad.txt").write_text("标题\n\n" + BLANK + BLANK, encoding="utf-8")
    issues = json.loads(lint(repo, "gitlab", ".").stdout)
    assert [(i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"])
            for i in issues] == [("DJ201", "major", "bad.txt", 3), ("DJ201", "major", "bad.txt", 4),
                                 ("DJ001", "info", "年度总结.md", 1)]
    for i in issues:
        assert i["description"].startswith(i["check_name"] + " ") and i["type"] == "issue"
    fps = [i["fingerprint"] for i in issues]
    assert len(set(fps)) == 3
    # Stable: inserting lines above keeps every fingerprint.
    (repo / "bad.txt").write_text("标题\n\n新增一段。\n\n" + BLANK + BLANK, encoding="utf-8")
    again = json.loads(lint(repo, "gitlab", ".").stdout)
    assert [i["fingerprint"] for i in again] == fps
    assert [i["location"]["lines"]["begin"] for i in again] == [5, 6, 1]


# -- --statistics and --output ---------------------------------------------
def test_statistics(repo):
    (repo / "bad.txt").write_text(BLANK * 2, encoding="utf-8")
    out = lint(repo, "text", "--statistics", ".").stdout.decode()
    tail = out[out.index("按规则统计："):].splitlines()
    assert tail[1].split() == ["2", "DJ201", "错误", "placeholder", "unfilled-year"]
    assert tail[2].split() == ["1", "DJ001", "提示", "garble", "unused-suppression"]
    assert [l.split() for l in tail[3:]] == [["按类别统计："], ["2", "placeholder"], ["1", "garble"], ["3", "合计"]]
    res = lint(repo, "json", "--statistics", ".")
    assert len(json.loads(res.stdout)["findings"]) == 3  # stdout stays valid JSON
    assert "按规则统计：" in res.stderr.decode()


def test_output_writes_the_report_to_a_file(repo):
    (repo / "out").mkdir()
    res = lint(repo, "sarif", "--output", "out/report.sarif", "bad.txt")
    assert res.stdout == b"" and res.returncode == 1
    written = (repo / "out" / "report.sarif").read_text(encoding="utf-8")
    assert written == lint(repo, "sarif", "bad.txt").stdout.decode()
    assert [p.name for p in (repo / "out").iterdir()] == ["report.sarif"]  # no temp file left
