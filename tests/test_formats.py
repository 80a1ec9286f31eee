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
    assert res.stdout.decode().startswith("bad.txt:3:1: DJ201 [error]")


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
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is True and inv["toolExecutionNotifications"] == []
    fps = [r["partialFingerprints"]["djLintContext/v1"] for r in run["results"]]
    assert len(set(fps)) == 2


# -- junit ------------------------------------------------------------------
def test_junit_one_testcase_per_file(repo):
    os.symlink(repo / "gone.txt", repo / "broken.txt")  # named, exists as a link, unreadable
    res = run_cli("--format", "junit", "--no-config", "--select", "DJ201,DJ001",
                  "bad.txt", "good.md", "年度总结.md", "broken.txt", cwd=str(repo))
    assert res.returncode == 2  # an unreadable input
    root = ET.fromstring(res.stdout)
    (suite,) = root.findall("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert list(cases) == ["bad.txt", "good.md", "年度总结.md", "broken.txt"]
    assert suite.get("tests") == "4" and suite.get("failures") == "2" and suite.get("errors") == "1"
    (fail,) = cases["bad.txt"].findall("failure")
    assert fail.get("type") == "DJ201 unfilled-year" and fail.text.startswith("bad.txt:3:1: DJ201")
    assert list(cases["good.md"]) == []
    assert cases["年度总结.md"].find("failure").get("type") == "DJ001 unused-suppression"
    assert cases["broken.txt"].find("error") is not None


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
    assert tail[1].split() == ["2", "DJ201", "error", "placeholder", "unfilled-year"]
    assert tail[2].split() == ["1", "DJ001", "info", "garble", "unused-suppression"]
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
