"""What a person reads: Chinese severities, the [可修复] mark and the fix command in
the summary, --format concise, and source lines cut only when they do not fit."""
from conftest import run_cli

SAFE = "领导干部以身作则，率先重范，发挥人格的魅力。"   # DJ701, a safe fix
UNSAFE = "培养带头治富能手20名。"                        # DJ706, an unsafe fix
BLANK = "____年以来，党总支连续五次被评为先进党组织。"     # DJ201, never fixed


def lint(tmp_path, text, *args, env=None):
    (tmp_path / "r.txt").write_text("标题\n\n" + text + "\n", encoding="utf-8")
    res = run_cli("--no-config", "--as-of", "2026-11-21", "--select", "DJ701,DJ706,DJ201",
                  *args, "r.txt", cwd=str(tmp_path), env=dict({"COLUMNS": ""}, **(env or {})))
    assert res.returncode in (0, 1), res.stderr.decode()
    return res.stdout.decode().splitlines()


def test_severities_fixable_mark_and_fix_command_in_the_summary(tmp_path):
    out = lint(tmp_path, SAFE + BLANK)
    assert out[0] == "r.txt:3:10: DJ701 [警告] [可修复] “率先重范”是错别字，应改为“率先垂范”。"
    assert out[3].startswith("r.txt:3:23: DJ201 [错误] 年份未填写")
    assert "[可修复]" not in out[3]
    assert out[-1] == "2 个问题（错误 1，警告 1），涉及 1 个文件；1 个[可修复]：dj-lint --fix r.txt"
    assert not any(w in line for line in out for w in ("[error]", "[warning]", "[info]"))


def test_unsafe_fixes_name_their_flag(tmp_path):
    assert lint(tmp_path, UNSAFE)[-1].endswith("1 个[可修复]：dj-lint --fix --unsafe-fixes r.txt")
    mixed = lint(tmp_path, SAFE + UNSAFE)[-1]
    assert mixed.endswith("2 个[可修复]：1 个用 dj-lint --fix r.txt，1 个还需加 --unsafe-fixes")


def test_the_summary_fix_command_fixes_them(tmp_path):
    command = lint(tmp_path, SAFE + BLANK)[-1].split("：")[-1]
    assert command == "dj-lint --fix r.txt"
    run_cli("--no-config", "--as-of", "2026-11-21", *command.split()[1:], cwd=str(tmp_path))
    assert "率先垂范" in (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert "[可修复]" not in "\n".join(lint(tmp_path, ""))


def test_concise_is_one_line_a_finding(tmp_path):
    out = lint(tmp_path, SAFE + BLANK, "--format", "concise")
    assert out == [
        "r.txt:3:10: DJ701 [警告] [可修复] “率先重范”是错别字，应改为“率先垂范”。",
        "r.txt:3:23: DJ201 [错误] 年份未填写：“____年”，请补全具体年份",
        "2 个问题（错误 1，警告 1），涉及 1 个文件；1 个[可修复]：dj-lint --fix r.txt",
    ]
    assert lint(tmp_path, SAFE, "--format", "concise", "--no-summary") == out[:1]


def test_a_line_that_fits_is_shown_whole(tmp_path):
    long_line = "在新时代党的建设总要求指引下，" * 3 + BLANK  # 134 columns: fits 160
    out = lint(tmp_path, long_line)
    assert out[1] == "    " + long_line and "..." not in out[1]
    col = long_line.index("____")
    assert out[2] == "    " + " " * (2 * col) + "^" * 6


def test_a_line_that_does_not_fit_is_cut_around_the_match(tmp_path):
    long_line = "在新时代党的建设总要求指引下，" * 4 + BLANK + "继续推进。" * 10
    out = lint(tmp_path, long_line, env={"COLUMNS": "64"})
    shown, carets = out[1][4:], out[2][4:]
    assert shown.startswith("...") and shown.endswith("...")
    assert sum(2 if ord(c) > 0x2E7F else 1 for c in shown) <= 60
    start = carets.index("^")
    # The carets sit under "____年": count display columns of what precedes them.
    prefix_cols, i = 0, 0
    while prefix_cols < start:
        prefix_cols += 2 if ord(shown[i]) > 0x2E7F else 1
        i += 1
    assert shown[i:i + 5] == "____年" and carets[start:] == "^" * 6


def test_jobs_2_text_report_equals_jobs_1_with_snippets_worked_out_ahead(tmp_path):
    """Under --jobs the snippets are worked out while the workers lint (and each
    (line, match) once): the text report is byte for byte the --jobs 1 report,
    including a line repeated in many files and a line too long to show whole."""
    long_line = "关于党支部工作的说明，" * 20 + BLANK
    for i in range(24):
        body = "标题\n\n" + (SAFE + BLANK if i % 2 else long_line) + "\n" + UNSAFE * (1 + i % 3) + "\n"
        (tmp_path / f"r{i:02d}.txt").write_text(body * 40, encoding="utf-8")
    outs = []
    for jobs in ("1", "2"):
        res = run_cli("--no-config", "--as-of", "2026-11-21", "--select", "DJ701,DJ706,DJ201", "--jobs", jobs,
                      ".", cwd=str(tmp_path), env={"COLUMNS": "60"})
        assert res.returncode == 1, res.stderr.decode()
        outs.append(res.stdout.decode())
    assert outs[0] == outs[1]
    lines = outs[0].splitlines()
    assert lines.count("    培养带头治富能手20名。培养带头治富能手20名。") > 10
    assert any(line.startswith("    ...") for line in lines)
