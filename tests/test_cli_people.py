"""The command line speaks Chinese to people and does what its help says:
argparse's usage errors, --list-rules with --select/--ignore, --color and
FORCE_COLOR, excludes with gitignore semantics reported by --show-config."""
import os

from conftest import run_cli

BLANK = "____年以来，党总支连续五次被评为先进党组织。\n"


def test_usage_errors_are_chinese():
    res = run_cli("--format", "xml", "x.txt")
    err = res.stderr.decode()
    assert res.returncode == 2
    assert err.startswith("用法：dj-lint ")
    assert "dj-lint: 用法错误：参数 --format：无效的选择：'xml'（可选：" in err
    for english in ("usage:", "error:", "argument ", "invalid choice", "choose from"):
        assert english not in err
    res = run_cli("--no-such-option")
    assert "无法识别的参数：--no-such-option" in res.stderr.decode() and res.returncode == 2
    res = run_cli("--fail-on")
    assert "参数 --fail-on：需要一个值" in res.stderr.decode()
    helptext = run_cli("--help").stdout.decode()
    assert helptext.startswith("用法：") and "\n选项:" in helptext and "显示本帮助并退出" in helptext


def test_system_errors_are_chinese(tmp_path):
    (tmp_path / "r.txt").write_text(BLANK, encoding="utf-8")
    res = run_cli("--no-config", "--output", "missing/dir/out.txt", "r.txt", cwd=str(tmp_path))
    err = res.stderr.decode()
    assert res.returncode == 2 and "无法写入报告：目录不存在" in err
    assert "No such file" not in err


def test_list_rules_honours_select_and_ignore():
    every = run_cli("--list-rules").stdout.decode().splitlines()
    typo = run_cli("--list-rules", "--select", "typo").stdout.decode().splitlines()
    assert typo and all(line.split()[1] == "typo" for line in typo)
    assert set(typo) < set(every)
    fewer = run_cli("--list-rules", "--select", "typo", "--ignore", "DJ701").stdout.decode()
    assert "DJ701" not in fewer and "DJ702" in fewer
    assert run_cli("--list-rules", "--select", "nosuchthing").returncode == 2


def test_color_always_never_auto_and_force_color(tmp_path):
    (tmp_path / "r.txt").write_text(BLANK, encoding="utf-8")

    def out(*args, env=None):
        return run_cli("--no-config", "--select", "DJ201", *args, "r.txt", cwd=str(tmp_path),
                       env=env).stdout

    assert b"\x1b[" not in out()                      # auto, not a terminal
    assert b"\x1b[31m[\xe9\x94\x99\xe8\xaf\xaf]" in out("--color", "always")  # [错误] in red
    assert b"\x1b[" in out(env={"FORCE_COLOR": "1"})
    assert b"\x1b[" not in out("--color", "never", env={"FORCE_COLOR": "1"})
    assert b"\x1b[" not in out(env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert b"\x1b[" in out("--color", "always", env={"NO_COLOR": "1"})
    assert run_cli("--color", "sometimes", "r.txt", cwd=str(tmp_path)).returncode == 2


def _tree(tmp_path, config):
    for rel in ("reports/2024.txt", "reports/archive/2009.txt", "archive/2010.txt",
                "reports/archive/keep.txt", "drafts/a.md"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(BLANK, encoding="utf-8")
    (tmp_path / ".dj-lint.yaml").write_text(config, encoding="utf-8")


def linted(tmp_path, *args):
    res = run_cli("--format", "json", "--select", "DJ201", *args, cwd=str(tmp_path))
    import json
    return sorted({f["path"].removeprefix("./") for f in json.loads(res.stdout)["findings"]})


def test_exclude_has_gitignore_semantics(tmp_path):
    _tree(tmp_path, 'exclude: [archive, "!reports/archive/keep.txt", "drafts/"]\n')
    assert linted(tmp_path, ".") == ["reports/2024.txt", "reports/archive/keep.txt"]
    # Named files too (pre-commit names every file).
    assert linted(tmp_path, "reports/archive/2009.txt", "reports/2024.txt") == ["reports/2024.txt"]
    # --exclude on the command line: the same semantics, relative to the working folder.
    (tmp_path / ".dj-lint.yaml").write_text("{}\n", encoding="utf-8")
    assert linted(tmp_path, "--exclude", "archive", ".") == ["drafts/a.md", "reports/2024.txt"]


def test_show_config_reports_an_exclude_that_matches_nothing(tmp_path):
    _tree(tmp_path, "exclude: [archive, 模板, \"*.docx\"]\n")
    out = run_cli("--show-config", "reports/2024.txt", cwd=str(tmp_path)).stdout.decode()
    line = next(l for l in out.splitlines() if l.startswith("exclude_unmatched:"))
    assert line.startswith("exclude_unmatched: [模板, '*.docx']")
    assert "没有匹配任何文件" in line
    (tmp_path / "模板").mkdir()
    (tmp_path / "模板" / "a.txt").write_text(BLANK, encoding="utf-8")
    out = run_cli("--show-config", "reports/2024.txt", cwd=str(tmp_path)).stdout.decode()
    assert "exclude_unmatched: ['*.docx']" in out
