"""Hostile input (issue 19): each case is the real command on a real file that
failed before and must now end in inert output, no lost byte, bounded cost, or a
one-line error with the documented exit code (2 input/usage, 3 internal, never 1
for a crash)."""
import codecs
import json
import os
import subprocess
import sys
import zipfile

import pytest
import yaml

EXIT_USAGE, EXIT_INTERNAL = 2, 3
BLANK = "本支部于____年召开党员大会。\n"   # one DJ202/DJ201-style placeholder finding


def dj_lint(*args, cwd, timeout=120, stdout=subprocess.PIPE, **kw):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "dj_lint", *args], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, timeout=timeout, env=env, **kw)


def one_line_error(proc, code):
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == code, (proc.returncode, err)
    assert "Traceback" not in err, err
    assert err.count("\n") == 1 and err.startswith("dj-lint: "), err
    return err


# -- output is inert --------------------------------------------------------
HOSTILE = ("本支部\x1b]52;c;aGk=\x07在\x1b[2J于____年召开\u202e大会\x9b31m。\n")


def test_control_sequences_in_text_report_are_escaped(tmp_path):
    (tmp_path / "a.txt").write_text(HOSTILE, encoding="utf-8")
    proc = dj_lint("--no-config", "a.txt", cwd=tmp_path)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 1
    for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert raw not in out
    assert "aGk=\\x07" in out and "\\x1b[2J" in out and "\\u202e" in out and "\\x9b" in out


def test_caret_sits_under_the_blank_after_escapes(tmp_path):
    (tmp_path / "a.txt").write_text("甲\x1b乙____年\n", encoding="utf-8")
    out = dj_lint("--no-config", "a.txt", cwd=tmp_path).stdout.decode("utf-8").splitlines()
    source, carets = out[1], out[2]
    assert source == "    甲\\x1b乙____年"
    # 4 indent + 甲(2) + \x1b(4) + 乙(2) = 12 columns before the blank
    assert carets.index("^") == 12


def test_file_name_with_workflow_command_cannot_start_a_line(tmp_path):
    name = "a\n::stop-commands::tok\n.txt"
    (tmp_path / name).write_text(BLANK, encoding="utf-8")
    proc = dj_lint("--no-config", name, cwd=tmp_path)
    for stream in (proc.stdout, proc.stderr):
        for line in stream.decode("utf-8").splitlines():
            assert not line.startswith("::"), line
    assert "a\\n::stop-commands::tok\\n.txt:1:" in proc.stdout.decode("utf-8")


# -- no byte lost -----------------------------------------------------------
@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF32_LE, "utf-32-le"),
                                       (codecs.BOM_UTF32_BE, "utf-32-be")])
def test_utf32_is_read_and_fixed_as_utf32(tmp_path, bom, codec):
    text = "党员 36 人参加。\r\n第二行\r\n"
    path = tmp_path / "a.txt"
    path.write_bytes(bom + text.encode(codec))
    proc = dj_lint("--no-config", "--format", "json", "a.txt", cwd=tmp_path)
    found = json.loads(proc.stdout)["findings"]
    assert any(f["text"] == " 36" or f["text"].strip() == "36" or " " in f["text"] for f in found), found
    dj_lint("--no-config", "--fix", "--unsafe-fixes", "a.txt", cwd=tmp_path)
    data = path.read_bytes()
    assert data.startswith(bom)
    fixed = data[len(bom):].decode(codec)  # strict: still valid UTF-32
    assert fixed.endswith("第二行\r\n") and "\r\n" in fixed


# -- bounded time and memory ------------------------------------------------
def test_docx_zip_bomb_is_refused_quickly(tmp_path):
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<a>" + b" " * (200 * 1024 * 1024) + b"</a>")
    assert os.path.getsize(tmp_path / "bomb.docx") < 1024 * 1024
    proc = dj_lint("--no-config", "bomb.docx", cwd=tmp_path, timeout=60)
    assert proc.returncode == EXIT_USAGE
    assert "压缩炸弹" in proc.stdout.decode("utf-8")


def test_docx_fifo_and_device_are_refused(tmp_path):
    os.mkfifo(tmp_path / "p.docx")
    os.symlink("/dev/zero", tmp_path / "z.docx")
    proc = dj_lint("--no-config", "p.docx", "z.docx", cwd=tmp_path, timeout=60)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == EXIT_USAGE
    assert out.count("不是普通文件") == 2


def test_fifo_in_rules_folder_is_not_opened(tmp_path):
    (tmp_path / "r").mkdir()
    os.mkfifo(tmp_path / "r" / "p.yaml")
    (tmp_path / ".dj-lint.yaml").write_text("rules: [r]\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(BLANK, encoding="utf-8")
    proc = dj_lint("a.txt", cwd=tmp_path, timeout=60)
    assert proc.returncode == 1


def _user_rule(tmp_path, **override):
    rule = {"id": "USR001", "name": "user-term", "category": "typo", "severity": "warning",
            "message": "请核对“{text}”", "kind": "terms", "terms": ["测试词语"],
            "examples": {"bad": [{"text": "这是测试词语", "match": "测试词语"}], "good": ["没有"]}}
    rule.update(override)
    (tmp_path / "user.yaml").write_text(yaml.safe_dump([rule], allow_unicode=True), encoding="utf-8")
    (tmp_path / ".dj-lint.yaml").write_text("rules: [user.yaml]\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(BLANK, encoding="utf-8")


def test_message_format_spec_is_refused(tmp_path):
    _user_rule(tmp_path, message="{text:>1000000000}")
    err = one_line_error(dj_lint("a.txt", cwd=tmp_path), EXIT_USAGE)
    assert "USR001" in err and "format spec" in err


def test_very_long_terms_phrase_loads(tmp_path):
    long = "党" * 1500
    _user_rule(tmp_path, terms=[long], examples={"bad": [{"text": long, "match": long}], "good": ["无"]})
    proc = dj_lint("a.txt", cwd=tmp_path, timeout=120)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr


# -- one-line errors with the right exit code -------------------------------
@pytest.mark.parametrize("name,content", [
    (".dj-lint.yaml", b"fail_on: error\x00\n"),
    (".dj-lint.yaml", b"a: " + b"[" * 20000 + b"]" * 20000 + b"\n"),
    ("pyproject.toml", b'[tool]\ndj-lint = "x"\n'),
])
def test_bad_configuration_is_one_line_exit_2(tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "a.txt").write_text(BLANK, encoding="utf-8")
    one_line_error(dj_lint("a.txt", cwd=tmp_path), EXIT_USAGE)


def test_pyproject_with_scalar_tool_is_not_a_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text("tool = 5\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(BLANK, encoding="utf-8")
    proc = dj_lint("a.txt", cwd=tmp_path)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr


def test_deeply_nested_baseline_is_one_line_exit_2(tmp_path):
    (tmp_path / "b.json").write_text("[" * 1000000 + "]" * 1000000, encoding="utf-8")
    (tmp_path / "a.txt").write_text(BLANK, encoding="utf-8")
    one_line_error(dj_lint("--no-config", "--baseline", "b.json", "a.txt", cwd=tmp_path), EXIT_USAGE)


def test_stdout_full_or_closed_is_exit_2(tmp_path):
    (tmp_path / "a.txt").write_text(BLANK, encoding="utf-8")
    with open("/dev/full", "w") as full:
        err = one_line_error(dj_lint("--no-config", "a.txt", cwd=tmp_path, stdout=full), EXIT_USAGE)
    assert "无法输出报告" in err
    proc = subprocess.run([sys.executable, "-m", "dj_lint", "--no-config", "a.txt"], cwd=tmp_path,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          preexec_fn=lambda: os.close(1))
    one_line_error(proc, EXIT_USAGE)


def test_sarif_with_non_utf8_file_name(tmp_path):
    name = os.fsdecode(b"n\xff\xfe.txt")
    (tmp_path / "s").mkdir()
    with open(os.path.join(os.fsencode(tmp_path / "s"), b"n\xff\xfe.txt"), "w", encoding="utf-8") as fh:
        fh.write(BLANK)
    proc = dj_lint("--no-config", "--format", "sarif", "s", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]]
    assert uris and set(uris) == {"s/n%FF%FE.txt"}
    assert name  # the name really is not UTF-8


def test_internal_error_exit_code_is_documented():
    proc = subprocess.run([sys.executable, "-m", "dj_lint", "--help"], capture_output=True)
    assert "3 dj-lint 内部错误" in proc.stdout.decode("utf-8")
