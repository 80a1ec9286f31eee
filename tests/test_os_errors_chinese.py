"""System errors reach people in Chinese: the operating system's own text
(strerror, "No such file or directory") never does. Every case runs the real
command; the unreadable cases drop to the user nobody when the tests run as
root (root reads any file)."""
import errno
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile

import pytest

from conftest import run_cli

ENGLISH = [os.strerror(e) for e in (errno.ENOENT, errno.EACCES, errno.EISDIR, errno.ENOTDIR,
                                    errno.ENAMETOOLONG, errno.ELOOP, errno.ENXIO)]


def no_english(text):
    assert not any(s in text for s in ENGLISH), text
    assert "Errno" not in text and "codec" not in text, text


def err(res):
    out = res.stderr.decode() + res.stdout.decode()
    no_english(out)
    return out


def test_config_that_is_a_directory(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "a.txt").write_text("正文。\n", encoding="utf-8")
    res = run_cli("--config", "conf", "a.txt", cwd=str(tmp_path))
    assert res.returncode == 2
    assert err(res) == "dj-lint: conf: 这是一个目录，--config 要的是配置文件（.dj-lint.yaml 或 pyproject.toml）\n"


def test_config_that_is_not_utf8(tmp_path):
    (tmp_path / ".dj-lint.yaml").write_bytes("ignore: [标点]\n".encode("gb18030"))
    (tmp_path / "a.txt").write_text("正文。\n", encoding="utf-8")
    res = run_cli("a.txt", cwd=str(tmp_path))
    assert res.returncode == 2
    assert err(res) == ("dj-lint: .dj-lint.yaml: 无法读取配置文件：第 10 个字节起不是 UTF-8 文本"
                        "（请以 UTF-8 编码保存）\n")


def test_path_through_a_file_and_a_name_too_long(tmp_path):
    (tmp_path / "a.txt").write_text("正文。\n", encoding="utf-8")
    # Reported as a file that could not be read, beside the others (exit 2).
    res = run_cli("--no-summary", "a.txt/b.txt", cwd=str(tmp_path))
    assert res.returncode == 2
    assert err(res) == "a.txt/b.txt: [错误] 无法访问：路径中有一段不是目录\n"
    long = "报" * 100 + ".txt"  # 300 bytes: past NAME_MAX
    res = run_cli("--no-summary", long, cwd=str(tmp_path))
    assert res.returncode == 2
    assert err(res) == f"{long}: [错误] 无法访问：文件名太长\n"
    res = run_cli("没有/a.txt", cwd=str(tmp_path))
    assert err(res) == "dj-lint: 没有/a.txt: 路径不存在\n"


def test_documents_that_cannot_be_read(tmp_path):
    for name in ("s.txt", "s.docx"):
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(tmp_path / name))
        sock.close()
    os.symlink("loop.md", tmp_path / "loop.md")
    res = run_cli("--no-summary", "s.txt", "s.docx", "loop.md", cwd=str(tmp_path))
    assert res.returncode == 2
    assert err(res).splitlines() == [
        "s.txt: [错误] 无法读取：不是可读取的文件（套接字或没有设备的特殊文件）",
        "s.docx: [错误] 无法读取：不是可读取的文件（套接字或没有设备的特殊文件）",
        "loop.md: [错误] 无法读取：符号链接循环（或链接层数过多）",
    ]


def test_baseline_and_report_targets(tmp_path):
    (tmp_path / "a.txt").write_text("正文。\n", encoding="utf-8")
    (tmp_path / "base").mkdir()
    res = run_cli("--baseline", "base", "a.txt", cwd=str(tmp_path))
    assert err(res) == "dj-lint: base: 无法读取基线文件：这是一个目录，不是文件\n"
    (tmp_path / "b.json").write_text("{\n", encoding="utf-8")
    res = run_cli("--baseline", "b.json", "a.txt", cwd=str(tmp_path))
    assert err(res) == "dj-lint: b.json: 不是 dj-lint 的基线文件（JSON 格式错误：第 2 行）\n"
    res = run_cli("-o", "没有/out.txt", "a.txt", cwd=str(tmp_path))
    assert res.returncode == 2
    assert err(res) == "dj-lint: 没有/out.txt: 无法写入报告：目录不存在或文件不存在\n"


def _as_nobody():
    if os.geteuid() != 0:
        return []  # already an ordinary user: chmod 000 is enough
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: root reads files whatever their mode")
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    # The venv itself may sit in a folder nobody cannot read (python -m venv "$(mktemp -d)"
    # makes it 0700): then this test cannot run as nobody at all, which says nothing of dj-lint.
    probe = subprocess.run([*prefix, sys.executable, "-c", "import dj_lint"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("the user nobody cannot import dj_lint from this interpreter "
                    "(its venv or checkout is not readable by other users)")
    return prefix


@pytest.fixture
def open_dir():
    # pytest's tmp_path sits under a 0700 folder the user nobody cannot enter.
    path = tempfile.mkdtemp(prefix="dj-lint-p18-")
    os.chmod(path, 0o755)
    yield pathlib.Path(path)
    shutil.rmtree(path, ignore_errors=True)


def test_unreadable_document_config_and_rule_pack(open_dir):
    prefix = _as_nobody()
    tmp_path = open_dir
    for name, text in (("a.txt", "正文。\n"), ("b.txt", "正文。\n"),
                       ("conf.yaml", "rules: [pack.yaml]\n"), ("pack.yaml", "[]\n"),
                       ("ok.yaml", "ignore: [DJ805]\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name in ("b.txt", "pack.yaml"):
        os.chmod(tmp_path / name, 0)
    os.chmod(tmp_path / "conf.yaml", 0o644)

    def run(*args):
        # HOME not writable by nobody, and /tmp/jieba.cache (jieba's fallback) may
        # belong to root: jieba's English "Dump cache file failed" must stay quiet.
        env = dict(os.environ, NO_COLOR="1", HOME=str(tmp_path))
        env.pop("GITHUB_ACTIONS", None)
        return subprocess.run([*prefix, sys.executable, "-m", "dj_lint", *args], cwd=str(tmp_path),
                              capture_output=True, env=env)

    res = run("--config", "ok.yaml", "--no-summary", "a.txt", "b.txt")
    assert res.returncode == 2
    assert err(res) == "b.txt: [错误] 没有读取权限\n"
    res = run("--config", "conf.yaml", "a.txt")
    assert res.returncode == 2
    # The configuration names the pack relative to itself; the message shows where it looked.
    assert err(res) == f"dj-lint: {tmp_path / 'pack.yaml'}: 无法读取：没有读取权限\n"
    os.chmod(tmp_path / "ok.yaml", 0)
    res = run("--config", "ok.yaml", "a.txt")
    assert err(res) == "dj-lint: ok.yaml: 无法读取配置文件：没有读取权限\n"
