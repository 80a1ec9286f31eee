"""Configuration files through the real command line, in temporary repositories.

Every report here carries the blank `____年` (DJ201, error) so that the
effect of each key on a real finding can be seen."""
import json
import textwrap

import yaml

from conftest import run_cli

BLANK = "____年以来，党总支连续五次被评为先进党组织。\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def findings(res):
    assert res.returncode in (0, 1), res.stderr.decode()
    return [(f["path"], f["line"], f["rule"], f["severity"])
            for f in json.loads(res.stdout)["findings"]]


def lint(repo, *args):
    return run_cli("--format", "json", "--as-of", "2026-11-21", "--select", "DJ201,DJ001",
                   *args, cwd=str(repo))


def repo_with_reports(tmp_path):
    write(tmp_path / "a.txt", BLANK)
    write(tmp_path / "sub" / "b.txt", BLANK)
    write(tmp_path / "old" / "c.md", BLANK)
    return tmp_path


def test_without_config_every_report_is_linted(tmp_path):
    repo = repo_with_reports(tmp_path)
    assert findings(lint(repo, ".")) == [
        ("./a.txt", 1, "DJ201", "error"), ("./old/c.md", 1, "DJ201", "error"),
        ("./sub/b.txt", 1, "DJ201", "error")]


def test_yaml_config_severity_exclude_and_per_file_ignores(tmp_path):
    repo = repo_with_reports(tmp_path)
    write(repo / ".dj-lint.yaml", """\
        severity:
          placeholder: warning
        exclude: [old]
        per_file_ignores:
          "sub/*.txt": [unfilled-year]
        """)
    assert findings(lint(repo, ".")) == [("./a.txt", 1, "DJ201", "warning")]
    # A file named on the command line (as pre-commit does) is excluded too.
    assert findings(lint(repo, "old/c.md")) == []
    # Rule id beats category in severity overrides.
    write(repo / ".dj-lint.yaml", "severity: {placeholder: warning, DJ201: info}\n")
    assert findings(lint(repo, "a.txt")) == [("a.txt", 1, "DJ201", "info")]


def test_fail_on_from_config_and_from_the_command_line(tmp_path):
    repo = repo_with_reports(tmp_path)
    write(repo / ".dj-lint.yaml", "severity: {DJ201: warning}\nfail_on: error\n")
    res = lint(repo, "a.txt")
    assert findings(res) == [("a.txt", 1, "DJ201", "warning")] and res.returncode == 0
    assert lint(repo, "--fail-on", "warning", "a.txt").returncode == 1


def test_nearest_config_wins_and_pyproject_section(tmp_path):
    repo = repo_with_reports(tmp_path)
    write(repo / ".dj-lint.yaml", "ignore: [DJ201]\n")
    # pyproject.toml without [tool.dj-lint] is not a configuration: keep walking up.
    write(repo / "old" / "pyproject.toml", "[project]\nname = 'x'\n")
    write(repo / "sub" / "pyproject.toml", """\
        [tool.dj-lint]
        severity = { DJ201 = "warning" }
        """)
    assert findings(lint(repo, ".")) == [("./sub/b.txt", 1, "DJ201", "warning")]
    assert findings(lint(repo, "--no-config", ".")) == [
        ("./a.txt", 1, "DJ201", "error"), ("./old/c.md", 1, "DJ201", "error"),
        ("./sub/b.txt", 1, "DJ201", "error")]
    # --config uses one file for everything, wherever the reports are.
    assert findings(lint(repo, "--config", "sub/pyproject.toml", ".")) == [
        ("./a.txt", 1, "DJ201", "warning"), ("./old/c.md", 1, "DJ201", "warning"),
        ("./sub/b.txt", 1, "DJ201", "warning")]


def test_command_line_overrides_config(tmp_path):
    repo = repo_with_reports(tmp_path)
    write(repo / ".dj-lint.yaml", "select: [watermark]\nas_of: 2020-01-01\n")
    res = run_cli("--format", "json", "--select", "DJ201", "--as-of", "2026-11-21", "a.txt",
                  cwd=str(repo))
    assert findings(res) == [("a.txt", 1, "DJ201", "error")]
    assert json.loads(res.stdout)["as_of"] == "2026-11-21"
    res = run_cli("--format", "json", "a.txt", cwd=str(repo))
    assert findings(res) == [] and json.loads(res.stdout)["as_of"] == "2020-01-01"


def test_include_widens_the_walk(tmp_path):
    repo = repo_with_reports(tmp_path)
    write(repo / "notes.markdown", BLANK)
    write(repo / ".dj-lint.yaml", "include: ['*.markdown']\n")
    assert findings(lint(repo, ".")) == [("./notes.markdown", 1, "DJ201", "error")]


def test_user_rules_replace_disable_and_add(tmp_path):
    repo = repo_with_reports(tmp_path)
    write(repo / "team-rules" / "house.yaml", """\
        - id: DJ201
          enabled: false
        - id: X001
          name: draft-marker
          category: watermark
          severity: warning
          kind: pattern
          pattern: '（草稿）'
          message: 删除草稿标记“{text}”
          examples:
            bad: [{text: '工作总结（草稿）', match: '（草稿）'}]
            good: ['工作总结']
        """)
    write(repo / "a.txt", "2024年度工作总结（草稿）\n" + BLANK)
    write(repo / ".dj-lint.yaml", "rules: [team-rules]\n")
    res = run_cli("--format", "json", "--select", "DJ201,X001", "a.txt", cwd=str(repo))
    assert findings(res) == [("a.txt", 1, "X001", "warning")]
    # A user rule with a shipped id replaces the shipped rule.
    write(repo / "team-rules" / "house.yaml", """\
        - id: DJ201
          name: unfilled-year
          category: placeholder
          severity: info
          kind: pattern
          pattern: '_{4}(?=年)'
          message: 请填写年份
          examples:
            bad: [{text: '____年', match: '____'}]
            good: ['2024年']
        """)
    res = run_cli("--format", "json", "--select", "DJ201", "a.txt", cwd=str(repo))
    assert findings(res) == [("a.txt", 2, "DJ201", "info")]
    assert json.loads(res.stdout)["findings"][0]["message"] == "请填写年份"


def test_show_config_prints_yaml_with_origins(tmp_path):
    repo = repo_with_reports(tmp_path)
    write(repo / ".dj-lint.yaml", """\
        ignore: [DJ2]
        per_file_ignores:
          "sub/*": [placeholder]
        doc_type: summary
        """)
    res = run_cli("--show-config", "sub/b.txt", "--fail-on", "warning", cwd=str(repo))
    assert res.returncode == 0, res.stderr.decode()
    out = res.stdout.decode()
    shown = yaml.safe_load(out)
    assert shown["config"] == ".dj-lint.yaml"
    assert shown["ignore"] == ["DJ2", "placeholder"]
    assert shown["doc_type"] == "summary" and shown["fail_on"] == "warning"
    assert "ignore: [DJ2, placeholder]  # .dj-lint.yaml:1，.dj-lint.yaml:2" in out
    assert "fail_on: warning  # 命令行" in out


def test_bad_configuration_is_one_line_naming_file_line_and_key(tmp_path):
    repo = repo_with_reports(tmp_path)
    cases = [
        (".dj-lint.yaml", "select: [placeholder]\nselct: [DJ201]\n",
         ".dj-lint.yaml:2: 配置项 'selct'：未知的配置项"),
        (".dj-lint.yaml", "severity:\n  DJ201: fatal\n", ".dj-lint.yaml:1: 配置项 'severity'：应为"),
        (".dj-lint.yaml", "ignore: [DJ2O1]\n", ".dj-lint.yaml:1: 配置项 'ignore'：没有匹配 'DJ2O1'"),
        (".dj-lint.yaml", "as_of: 2026-13-01\n", ".dj-lint.yaml:1: 配置项 'as_of'：日期格式"),
        (".dj-lint.yaml", "rules: [missing/]\n", ".dj-lint.yaml:1: 配置项 'rules'：找不到"),
        (".dj-lint.yaml", "- a\n", ".dj-lint.yaml:1: 配置文件应为"),
        (".dj-lint.yaml", "\n\ndoc_type: sumary\n", ".dj-lint.yaml:3: 配置项 'doc_type'：未知的文种 'sumary'"),
        ("pyproject.toml", "[tool.dj-lint]\nfail-on = 'never'\n",
         "pyproject.toml:2: 配置项 'fail-on'：应为"),
    ]
    for name, text, expected in cases:
        for other in (".dj-lint.yaml", "pyproject.toml"):
            (repo / other).unlink(missing_ok=True)
        write(repo / name, text)
        res = run_cli("a.txt", cwd=str(repo))
        err = res.stderr.decode()
        assert res.returncode == 2, (text, err)
        assert err.startswith("dj-lint: " + expected), (text, err)
        assert err.count("\n") == 1 and res.stdout == b""


def test_disabling_an_unknown_rule_is_an_error(tmp_path):
    repo = repo_with_reports(tmp_path)
    write(repo / "mine.yaml", "- id: DJ2999\n  enabled: false\n")
    write(repo / ".dj-lint.yaml", "rules: [mine.yaml]\n")
    res = run_cli("a.txt", cwd=str(repo))
    assert res.returncode == 2
    assert "mine.yaml: DJ2999: enabled: false 指向不存在的规则" in res.stderr.decode()


def test_rules_compiled_once_per_distinct_configuration(tmp_path):
    """Two folders with equal settings share one Linter; a third differs."""
    from argparse import Namespace

    from dj_lint.config import Resolver

    repo = repo_with_reports(tmp_path)
    write(repo / "sub" / ".dj-lint.yaml", "severity: {DJ201: info}\n")
    write(repo / "old" / ".dj-lint.yaml", "severity: {DJ201: info}\n")
    write(repo / "x" / "d.txt", BLANK)
    args = Namespace(select=[], ignore=[], as_of=None, fail_on=None, config=None, no_config=False)
    res = Resolver(args)
    linters = [res.linter_for(str(repo / p)) for p in ("sub/b.txt", "old/c.md", "a.txt", "x/d.txt")]
    assert linters[0] is linters[1] and linters[2] is linters[3]
    assert linters[0] is not linters[2]


def test_a_files_configuration_is_found_however_its_path_is_spelt(tmp_path, monkeypatch):
    """Resolver.config_for keeps each folder as given (head of the path): every
    spelling of a file's path (./, a/../, //, absolute, bare name) finds the
    configuration of the folder the file is in, never of another folder that
    shares the spelling's head or name."""
    from argparse import Namespace

    from dj_lint.config import Resolver

    repo = repo_with_reports(tmp_path)
    write(repo / "sub" / ".dj-lint.yaml", "severity: {DJ201: info}\n")
    write(repo / "sub" / "deep" / ".dj-lint.yaml", "severity: {DJ201: warning}\n")
    write(repo / "sub" / "deep" / "b.txt", BLANK)
    monkeypatch.chdir(repo / "sub")
    args = Namespace(select=[], ignore=[], as_of=None, fail_on=None, config=None, no_config=False)
    res = Resolver(args)
    sub, deep = str(repo / "sub" / ".dj-lint.yaml"), str(repo / "sub" / "deep" / ".dj-lint.yaml")
    spellings = {"b.txt": sub, "./b.txt": sub, "deep/b.txt": deep, "deep/../b.txt": sub,
                 "deep//b.txt": deep, "./deep/./b.txt": deep, "../sub/deep/b.txt": deep,
                 "../a.txt": None, str(repo / "sub" / "deep" / "b.txt"): deep, "deep/..": None,
                 "../sub/b.txt": sub}
    for _ in range(2):  # asked again: from what was kept
        got = {p: (c.path if c is not None else None) for p, c in ((p, res.config_for(p)) for p in spellings)}
        assert got == spellings


def test_a_files_linter_is_that_of_its_own_folder_however_many_files_asked_before(tmp_path, monkeypatch):
    """Resolver._linter_for keeps a folder's linter (by the path up to its last
    separator) once a file of it found one: every file, asked in any order and
    spelling, gets the linter its own configuration gives (per-file ignores
    included), as when each is worked out alone (``os.altsep`` set: no folder
    kept)."""
    import os
    from argparse import Namespace

    from dj_lint.config import Resolver

    repo = repo_with_reports(tmp_path)
    write(repo / ".dj-lint.yaml", "severity: {DJ201: warning}\n")
    write(repo / "sub" / ".dj-lint.yaml", "severity: {DJ201: info}\nper_file_ignores:\n  \"*b.txt\": [DJ202]\n")
    write(repo / "sub" / "deep" / ".dj-lint.yaml", "ignore: [DJ203]\n")
    for name in ("sub/a.txt", "sub/deep/b.txt", "sub/deep/c.txt", "x/d.txt", "x/b.txt"):
        write(repo / name, BLANK)
    monkeypatch.chdir(repo / "sub")
    paths = ["b.txt", "a.txt", "./b.txt", "deep/b.txt", "deep/c.txt", "deep//b.txt", "../x/d.txt",
             "../x/b.txt", "deep/..", "../a.txt", str(repo / "sub" / "deep" / "c.txt"), "./deep/./b.txt", "-"]
    args = Namespace(select=[], ignore=[], as_of=None, fail_on=None, config=None, no_config=False)

    def rules_of(res):
        return [[(r.id, r.severity) for r in res.linter_for(p).rules] for p in paths + paths[::-1]]

    kept = rules_of(Resolver(args))
    monkeypatch.setattr(os, "altsep", "\\")
    alone = rules_of(Resolver(args))
    assert kept == alone
    assert len({tuple(r) for r in kept}) >= 4  # the folders' configurations differ
