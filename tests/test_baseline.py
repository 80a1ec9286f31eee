"""--write-baseline / --baseline through the real command line."""
import json

from conftest import run_cli

BLANK = "____年以来，党总支连续五次被评为先进党组织。\n"
OTHER = "截至____年底，共有党员128名。\n"


def lint(cwd, *args):
    res = run_cli("--format", "json", "--no-config", "--select", "DJ201", "--as-of", "2026-11-21",
                  *args, cwd=str(cwd))
    assert res.returncode in (0, 1, 2), res.stderr.decode()
    return res


def found(res):
    assert res.returncode in (0, 1), res.stderr.decode()
    return [(f["path"], f["line"], f["column"]) for f in json.loads(res.stdout)["findings"]]


def make_repo(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "2024.txt").write_text("标题\n" + BLANK + BLANK, encoding="utf-8")
    (tmp_path / "reports" / "2025.md").write_text("标题\n\n" + BLANK, encoding="utf-8")
    return tmp_path


def test_baseline_file_is_sorted_counted_and_stable(tmp_path):
    repo = make_repo(tmp_path)
    res = lint(repo, "--write-baseline", "dj-lint-baseline.json", "reports")
    assert res.returncode == 0 and res.stdout == b""
    assert "3 个问题写入基线" in res.stderr.decode()
    raw = (repo / "dj-lint-baseline.json").read_text(encoding="utf-8")
    doc = json.loads(raw)
    assert doc["tool"] == "dj-lint" and doc["version"] == 1
    entries = doc["entries"]
    assert [(e["path"], e["rule"], e["count"]) for e in entries] == [
        ("reports/2024.txt", "DJ201", 2), ("reports/2025.md", "DJ201", 1)]
    assert entries[0]["text"].startswith("____") and entries[0]["before"] == ""
    assert entries[0]["after"].startswith(BLANK[len(entries[0]["text"]):][:4])
    assert "\n  \"entries\": [\n    {\n      \"path\"" in raw  # one field a line: diffable
    # Same findings, same bytes.
    lint(repo, "--write-baseline", "again.json", "reports")
    assert (repo / "again.json").read_text(encoding="utf-8") == raw


def test_only_new_findings_are_reported(tmp_path):
    repo = make_repo(tmp_path)
    lint(repo, "--write-baseline", "base.json", "reports")
    res = lint(repo, "--baseline", "base.json", "reports")
    assert found(res) == [] and res.returncode == 0
    # Lines inserted above do not resurrect accepted findings; a new blank is reported.
    p = repo / "reports" / "2024.txt"
    p.write_text("标题\n\n新增的一段。\n\n" + BLANK + OTHER + BLANK, encoding="utf-8")
    res = lint(repo, "--baseline", "base.json", "reports")
    assert found(res) == [("reports/2024.txt", 6, 3)] and res.returncode == 1
    # A third copy of an accepted sentence exceeds the accepted count of two.
    p.write_text("标题\n" + BLANK * 3, encoding="utf-8")
    assert found(lint(repo, "--baseline", "base.json", "reports")) == [("reports/2024.txt", 4, 1)]


def test_fixing_a_finding_removes_it_from_the_baseline(tmp_path):
    repo = make_repo(tmp_path)
    lint(repo, "--write-baseline", "base.json", "reports")
    p = repo / "reports" / "2024.txt"
    p.write_text("标题\n" + BLANK.replace("____", "2019"), encoding="utf-8")
    res = lint(repo, "--baseline", "base.json", "reports")
    assert found(res) == []
    assert "基线中有 2 个问题已不再出现" in res.stderr.decode()
    # Linting only another file (as pre-commit does) does not call them gone.
    res = lint(repo, "--baseline", "base.json", "reports/2025.md")
    assert found(res) == [] and "不再出现" not in res.stderr.decode()
    lint(repo, "--write-baseline", "base.json", "reports")
    entries = json.loads((repo / "base.json").read_text(encoding="utf-8"))["entries"]
    assert [(e["path"], e["count"]) for e in entries] == [("reports/2025.md", 1)]
    # Once fixed, the same blank coming back is new again.
    p.write_text("标题\n" + BLANK, encoding="utf-8")
    assert found(lint(repo, "--baseline", "base.json", "reports")) == [("reports/2024.txt", 2, 1)]


def test_paths_are_relative_to_the_baseline_file(tmp_path):
    repo = make_repo(tmp_path)
    lint(repo, "--write-baseline", "base.json", "reports")
    res = lint(repo / "reports", "--baseline", "../base.json", "2024.txt", "2025.md")
    assert found(res) == []


def test_baseline_errors(tmp_path):
    repo = make_repo(tmp_path)
    res = lint(repo, "--baseline", "missing.json", "reports")
    assert res.returncode == 2 and "missing.json: 基线文件不存在" in res.stderr.decode()
    (repo / "bad.json").write_text('{"tool": "dj-lint", "entries": [{"path": 1}]}', encoding="utf-8")
    res = lint(repo, "--baseline", "bad.json", "reports")
    assert res.returncode == 2 and "bad.json: entries[0]" in res.stderr.decode()
    (repo / "list.json").write_text("[]", encoding="utf-8")
    res = lint(repo, "--baseline", "list.json", "reports")
    assert res.returncode == 2 and "list.json: 不是 dj-lint 的基线文件" in res.stderr.decode()
    res = lint(repo, "--baseline", "a.json", "--write-baseline", "a.json", "reports")
    assert res.returncode == 2
