"""The dj-lint command through a real subprocess: exit codes, output, stdin."""
import argparse
import json
import os
import pty
import subprocess
import sys

from conftest import ROOT, run_cli, seed_path
from dj_lint.reporters.text import width

CLEAN = os.path.join(ROOT, "tests", "clean", "2026_summary.txt")
BAD = "东湖市教研室党总支\n____年以来，党总支连续五次被评为先进党组织。\n"


def test_clean_file_exits_0():
    r = run_cli(CLEAN)
    assert r.returncode == 0, r.stdout.decode()
    assert r.stdout.decode().strip() == "未发现问题，共检查 1 个文件"


def test_findings_exit_1_with_exact_position(tmp_path):
    p = tmp_path / "report.txt"
    p.write_text(BAD, encoding="utf-8")
    r = run_cli(str(p), "--select", "DJ201")
    assert r.returncode == 1
    first = r.stdout.decode().splitlines()[0]
    assert first.startswith(f"{p}:2:1: DJ201 [错误] ")


def test_missing_path_exits_2_with_one_line():
    r = run_cli("no/such/report.txt")
    assert r.returncode == 2
    assert r.stderr.decode() == "dj-lint: no/such/report.txt: 路径不存在\n"


def test_bad_arguments_exit_2():
    assert run_cli("--as-of", "2026-13-01", CLEAN).returncode == 2
    assert run_cli("--format", "yaml", CLEAN).returncode == 2
    r = run_cli("--select", "nosuchrule", CLEAN)
    assert r.returncode == 2 and "nosuchrule" in r.stderr.decode()
    r = run_cli()
    assert r.returncode == 2 and b"Traceback" not in r.stderr


def test_json_contract(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(BAD, encoding="utf-8")
    r = run_cli("--format", "json", "--select", "DJ201", "--as-of", "2026-11-21", str(p))
    data = json.loads(r.stdout)
    assert r.returncode == 1
    assert set(data) == {"version", "as_of", "files", "findings", "errors"}
    assert (data["as_of"], data["files"], data["errors"]) == ("2026-11-21", 1, [])
    f = data["findings"][0]
    assert set(f) == {"path", "line", "column", "end_line", "end_column", "rule", "name",
                      "category", "severity", "message", "text", "suggestion", "fixable"}
    assert (f["path"], f["line"], f["column"], f["rule"]) == (str(p), 2, 1, "DJ201")
    assert f["text"].startswith("____")


def test_stdin_with_filename():
    r = run_cli("-", "--stdin-filename", "reports/2024.txt", "--select", "DJ201",
                input=BAD.encode("utf-8"))
    assert r.returncode == 1
    assert r.stdout.decode().startswith("reports/2024.txt:2:1: DJ201")


def test_select_and_ignore_by_category(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(BAD, encoding="utf-8")
    assert run_cli("--select", "placeholder", str(p)).returncode == 1
    r = run_cli("--ignore", "placeholder", "--select", "DJ201", str(p))
    assert r.returncode == 0


def test_fail_on_threshold(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(BAD, encoding="utf-8")
    # DJ201 is an error: it fails at every threshold.
    for level in ("error", "warning", "info"):
        assert run_cli("--select", "DJ201", "--fail-on", level, str(p)).returncode == 1


def test_directory_walk_is_sorted_and_filtered(tmp_path):
    (tmp_path / "b.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "c.docx.bak").write_text(BAD, encoding="utf-8")
    sub = tmp_path / "old"
    sub.mkdir()
    (sub / "d.txt").write_text(BAD, encoding="utf-8")
    r = run_cli("--format", "json", "--select", "DJ201", str(tmp_path))
    paths = [f["path"] for f in json.loads(r.stdout)["findings"]]
    assert paths == [str(tmp_path / "a.md"), str(tmp_path / "b.txt"), str(sub / "d.txt")]
    r = run_cli("--format", "json", "--select", "DJ201", "--exclude", "old", str(tmp_path))
    assert json.loads(r.stdout)["files"] == 2


def test_caret_sits_under_cjk_match(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("党总支在____年被评为先进\n", encoding="utf-8")
    out = run_cli("--select", "DJ201", str(p)).stdout.decode().splitlines()
    source, carets = out[1], out[2]
    lead = len(carets) - len(carets.lstrip(" "))
    idx = source.index("____")
    assert lead == sum(width(c) for c in source[:idx])
    assert carets.strip().startswith("^^^^")


def _run_in_pty(args, env):
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "dj_lint", *args], stdout=slave,
                            stderr=slave, cwd=ROOT, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    return b"".join(chunks)


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(BAD, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert b"\x1b[" in _run_in_pty(["--select", "DJ201", str(p)], env)
    assert b"\x1b[" not in _run_in_pty(["--select", "DJ201", str(p)], dict(env, NO_COLOR="1"))
    assert b"\x1b[" not in run_cli("--select", "DJ201", str(p)).stdout


def test_list_rules_and_explain():
    r = run_cli("--list-rules")
    assert r.returncode == 0 and "DJ201" in r.stdout.decode()
    r = run_cli("--explain", "DJ201")
    out = r.stdout.decode()
    assert r.returncode == 0 and "unfilled-year" in out and "✗" in out and "✓" in out
    r = run_cli("--explain", "DJ999999")
    assert r.returncode == 2 and "DJ999999" in r.stderr.decode()


def test_seed_has_findings_and_summary():
    r = run_cli(seed_path("000"))
    assert r.returncode == 1
    last = r.stdout.decode().strip().splitlines()[-1]
    assert "个问题" in last and "涉及 1 个文件" in last


def test_a_match_across_a_line_break_keeps_its_message_on_one_line(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("反馈给***的问题，及时组织*\n**和***进行自查。\n", encoding="utf-8")
    r = run_cli("--format", "json", "--select", "DJ206", str(p))
    across = [f for f in json.loads(r.stdout)["findings"] if "\n" in f["text"]]
    assert [f["text"] for f in across] == ["*\n**"]
    assert across[0]["message"] == "“*↵**”是被星号替代的名称，请填写实际名称"
    out = run_cli("--select", "DJ206", str(p)).stdout.decode().splitlines()
    assert [l for l in out if l.startswith(str(p))] == [l for l in out if "DJ206" in l]
    assert len([l for l in out if "DJ206" in l]) == 3


def test_help_width_found_as_shutil_finds_it(monkeypatch):
    """cli/zh.py's formatter finds argparse's default width without importing shutil."""
    import shutil
    from dj_lint.cli import zh
    for columns in ("50", "0", "x", None):
        if columns is None:
            monkeypatch.delenv("COLUMNS", raising=False)
        else:
            monkeypatch.setenv("COLUMNS", columns)
        monkeypatch.setenv("LINES", "30")  # shutil's answer for the columns alone
        assert zh._columns() == shutil.get_terminal_size().columns
        assert zh.HelpFormatter("dj-lint")._width == argparse.HelpFormatter("dj-lint")._width
