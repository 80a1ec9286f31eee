"""The flag combinations the README documents, through the real command in a
subprocess: each one works, or is refused with a one-line usage error (exit 2)
before any file is touched. Lint, --fix, --diff, baselines and --statistics run
through one code path (app/run.py), so a flag behaves the same in every mode."""
import json

import pytest

from conftest import run_cli

# One finding --fix can remove (DJ805, a doubled comma) and one it cannot (DJ201).
TEXT = "关于2024年工作的总结\n\n今年，我们在____年取得了成绩。\n认真学习党的二十大精神，，推进各项工作。\n"
FIXED = TEXT.replace("，，", "，")


@pytest.fixture
def report(tmp_path):
    p = tmp_path / "report.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


def _rules(stdout: bytes):
    return [f["rule"] for f in json.loads(stdout)["findings"]]


def test_fix_with_baseline_fixes_then_reports_only_new_findings(report, tmp_path):
    base = tmp_path / "base.json"
    r = run_cli("--write-baseline", str(base), str(report), cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    r = run_cli("--fix", "--baseline", str(base), "--format", "json", str(report), cwd=tmp_path)
    assert b"Traceback" not in r.stderr, r.stderr.decode()
    assert r.returncode == 0, r.stderr.decode()
    assert report.read_text(encoding="utf-8") == FIXED
    assert _rules(r.stdout) == []  # DJ201 is in the baseline, DJ805 was fixed
    assert "基线中有 1 个问题已不再出现" in r.stderr.decode()  # the fixed DJ805


def test_fix_with_statistics_prints_the_table(report, tmp_path):
    r = run_cli("--fix", "--statistics", str(report), cwd=tmp_path)
    out = r.stdout.decode()
    assert r.returncode == 1, r.stderr.decode()
    assert report.read_text(encoding="utf-8") == FIXED
    assert "DJ201" in out
    stats = run_cli("--statistics", str(report), cwd=tmp_path).stdout.decode()
    # The same table after the report as a plain lint of the fixed file prints.
    table = stats[stats.index("\n\n") + 2:] if "\n\n" in stats else stats
    assert table.strip() and table.strip() in out


def test_fix_statistics_json_keeps_stdout_valid(report, tmp_path):
    r = run_cli("--fix", "--statistics", "--format", "json", str(report), cwd=tmp_path)
    assert r.returncode == 1
    assert _rules(r.stdout) == ["DJ201"]
    assert "DJ201" in r.stderr.decode()  # the table went to stderr


def test_fix_on_stdin_writes_fixed_text_and_reports_on_stderr(tmp_path):
    r = run_cli("--fix", "--statistics", "-", input=TEXT.encode("utf-8"), cwd=tmp_path)
    assert r.stdout.decode("utf-8") == FIXED
    assert "DJ201" in r.stderr.decode()
    assert r.returncode == 1


@pytest.mark.parametrize("fmt", ["text", "json", "github", "gitlab", "junit", "sarif", "html"])
def test_fix_works_with_every_format(report, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    r = run_cli("--fix", "--format", fmt, "--output", str(out), str(report), cwd=tmp_path)
    assert r.returncode == 1, r.stderr.decode()
    assert report.read_text(encoding="utf-8") == FIXED
    assert "DJ201" in out.read_text(encoding="utf-8")


def test_diff_changes_nothing(report, tmp_path):
    r = run_cli("--diff", str(report), cwd=tmp_path)
    assert r.returncode == 1
    assert "-认真学习党的二十大精神，，推进各项工作。" in r.stdout.decode()
    assert report.read_text(encoding="utf-8") == TEXT


def test_baseline_with_statistics_and_every_format(report, tmp_path):
    base = tmp_path / "base.json"
    assert run_cli("--write-baseline", str(base), str(report), cwd=tmp_path).returncode == 0
    for fmt in ("text", "json", "sarif"):
        r = run_cli("--baseline", str(base), "--statistics", "--format", fmt, str(report), cwd=tmp_path)
        assert r.returncode == 0, (fmt, r.stderr.decode())
    assert report.read_text(encoding="utf-8") == TEXT


@pytest.mark.parametrize("flags, message", [
    (["--unsafe-fixes"], "--unsafe-fixes 只能与 --fix 或 --diff 一起使用"),
    (["--fix", "--write-baseline", "b.json"], "--write-baseline 不能与 --fix 或 --diff 同时使用"),
    (["--diff", "--write-baseline", "b.json"], "--write-baseline 不能与 --fix 或 --diff 同时使用"),
    (["--baseline", "a.json", "--write-baseline", "b.json"], "--baseline 与 --write-baseline 不能同时使用"),
    (["--diff", "--baseline", "a.json"], "不能与 --baseline 同时使用"),
    (["--diff", "--statistics"], "不能与 --statistics 同时使用"),
    (["--write-baseline", "b.json", "--statistics"], "不能与 --statistics 同时使用"),
])
def test_refused_combinations_exit_2_and_touch_nothing(report, tmp_path, flags, message):
    r = run_cli(*flags, str(report), cwd=tmp_path)
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert err.startswith("dj-lint: ") and message in err and "Traceback" not in err
    assert err.count("\n") == 1
    assert report.read_text(encoding="utf-8") == TEXT
    assert not (tmp_path / "b.json").exists()


def test_fix_stdin_with_a_second_input_is_refused(report, tmp_path):
    r = run_cli("--fix", "-", str(report), input=b"x", cwd=tmp_path)
    assert r.returncode == 2
    assert "只能处理这一个输入" in r.stderr.decode()
    assert report.read_text(encoding="utf-8") == TEXT
