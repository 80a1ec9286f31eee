"""Hostile write targets (issue 19, point 2): every case is the real command on
real files in a temporary folder.

| target                                   | expected                                         |
| ---------------------------------------- | ------------------------------------------------ |
| ``-o link`` / ``--fix link`` (symlink)   | written through: the link stays, its target new  |
| ``-o`` a FIFO, a directory, a device,    | one Chinese line, exit 2, target untouched,      |
| a socket, a symlink to a FIFO            | no temporary file left, no hang                  |
| ``-o`` in a folder nobody may write      | exit 2, no temporary file                        |
| ``-o`` on a full disk (RLIMIT_FSIZE)     | exit 2, old report intact, no temporary file     |
| ``--fix`` with more fixes than the cap   | one run fixes all, a second run changes nothing  |
| ``--fix`` on a file with a hard link     | fixed, the user told the other name is unchanged |
| ``--fix`` on a file with a user.* xattr  | the attribute kept                               |
"""
import errno
import json
import os
import resource
import shutil
import socket
import stat
import subprocess
import sys

import pytest

BAD = "关于开展学习活动的通知\n\n第一项，参加党员 36 人，完成 10 课时。\n"
FIXED = "关于开展学习活动的通知\n\n第一项，参加党员36人，完成10课时。\n"


def dj_lint(*args, cwd, timeout=120, prefix=(), **kw):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(list(prefix) + [sys.executable, "-m", "dj_lint", "--no-config", *args],
                          cwd=cwd, capture_output=True, timeout=timeout, env=env, **kw)


def leftovers(folder) -> list:
    return [n for n in os.listdir(folder) if n.endswith(".tmp") or ".dj-lint" in n]


def one_error_line(proc) -> str:
    assert proc.returncode == 2, proc.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in proc.stderr
    lines = proc.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# -- symlinks are written through ----------------------------------------------
def test_output_writes_through_a_symlink(tmp_path):
    (tmp_path / "doc.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "report.json"
    real.write_text("old", encoding="utf-8")
    os.symlink("reports/report.json", tmp_path / "link.json")
    proc = dj_lint("--format", "json", "-o", "link.json", "doc.txt", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert os.path.islink(tmp_path / "link.json")
    assert os.readlink(tmp_path / "link.json") == "reports/report.json"
    assert json.loads(real.read_text(encoding="utf-8"))["findings"]
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "reports") == []


def test_output_through_a_dangling_symlink_creates_its_target(tmp_path):
    (tmp_path / "doc.txt").write_text(BAD, encoding="utf-8")
    os.symlink("new.json", tmp_path / "link.json")
    proc = dj_lint("--format", "json", "-o", "link.json", "doc.txt", cwd=tmp_path)
    assert proc.returncode == 1
    assert os.path.islink(tmp_path / "link.json")
    assert json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))["findings"]


def test_fix_writes_through_a_symlink(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "doc.txt"
    target.write_text(BAD, encoding="utf-8")
    os.symlink("real/doc.txt", tmp_path / "doc.txt")
    proc = dj_lint("--fix", "doc.txt", cwd=tmp_path)
    assert b"Traceback" not in proc.stderr
    assert os.path.islink(tmp_path / "doc.txt")
    assert target.read_text(encoding="utf-8") == FIXED
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "real") == []


# -- non-regular targets are refused -------------------------------------------
def _fifo(p):
    os.mkfifo(p)


def _directory(p):
    os.mkdir(p)


def _char_device(p):
    try:  # the same device numbers as /dev/null, made here so a failure harms nothing
        os.mknod(p, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")


def _link_to_fifo(p):
    os.mkfifo(str(p) + ".fifo")
    os.symlink(os.path.basename(str(p)) + ".fifo", p)


@pytest.mark.parametrize("make, kind", [(_fifo, "命名管道"), (_directory, "目录"),
                                        (_char_device, "字符设备"), (_link_to_fifo, "命名管道")])
def test_output_refuses_a_non_regular_target(tmp_path, make, kind):
    (tmp_path / "doc.txt").write_text(BAD, encoding="utf-8")
    target = tmp_path / "out.json"
    make(target)
    before = os.lstat(target)
    proc = dj_lint("--format", "json", "-o", "out.json", "doc.txt", cwd=tmp_path, timeout=60)
    line = one_error_line(proc)
    assert "out.json" in line and kind in line and "不是普通文件" in line
    after = os.lstat(target)
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))
    assert leftovers(tmp_path) == []


def test_output_refuses_a_socket(tmp_path):
    (tmp_path / "doc.txt").write_text(BAD, encoding="utf-8")
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(tmp_path / "out.json"))
        proc = dj_lint("--format", "json", "-o", "out.json", "doc.txt", cwd=tmp_path, timeout=60)
    finally:
        s.close()
    assert "套接字" in one_error_line(proc)
    assert stat.S_ISSOCK(os.lstat(tmp_path / "out.json").st_mode)
    assert leftovers(tmp_path) == []


# -- failures leave no temporary file -------------------------------------------
def _without_dac_override():
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("root without setpriv: a read-only folder does not stop root")
    caps = "-dac_override,-dac_read_search"
    return (setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}", "--")


def test_output_into_an_unwritable_folder(tmp_path):
    prefix = _without_dac_override()
    (tmp_path / "doc.txt").write_text(BAD, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "report.json").write_text("old", encoding="utf-8")
    locked.chmod(0o555)
    try:
        proc = dj_lint("--format", "json", "-o", "locked/report.json", "doc.txt",
                       cwd=tmp_path, prefix=prefix)
        line = one_error_line(proc)
        assert "report.json" in line and "无法写入报告" in line
        assert (locked / "report.json").read_text(encoding="utf-8") == "old"
        assert leftovers(locked) == []
    finally:
        locked.chmod(0o755)


def _small_disk():
    # Python ignores SIGXFSZ: a write past RLIMIT_FSIZE fails with EFBIG, as a full disk would.
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_output_on_a_full_disk_keeps_the_old_report(tmp_path):
    doc = "".join(f"第{i}项，参加党员 {i} 人。\n" for i in range(400))
    (tmp_path / "doc.txt").write_text(doc, encoding="utf-8")
    (tmp_path / "report.json").write_text("old", encoding="utf-8")
    proc = dj_lint("--format", "json", "-o", "report.json", "doc.txt", cwd=tmp_path,
                   preexec_fn=_small_disk)
    line = one_error_line(proc)
    assert "report.json" in line and "无法写入报告" in line
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []


def test_fix_on_a_full_disk_keeps_the_old_file(tmp_path):
    doc = "关于开展学习活动的通知\n\n" + "".join(f"第{i}项，参加党员 {i} 人。\n" for i in range(400))
    (tmp_path / "doc.txt").write_text(doc, encoding="utf-8")
    proc = dj_lint("--fix", "doc.txt", cwd=tmp_path, preexec_fn=_small_disk)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    said = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
    assert "doc.txt" in said and "无法写回" in said and "原文件未改动" in said, said
    assert (tmp_path / "doc.txt").read_text(encoding="utf-8") == doc
    assert leftovers(tmp_path) == []


def test_fix_of_a_symlink_to_a_fifo_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "p.txt")
    proc = dj_lint("--fix", "p.txt", cwd=tmp_path, timeout=60)
    assert b"Traceback" not in proc.stderr
    assert stat.S_ISFIFO(os.lstat(tmp_path / "p.txt").st_mode)
    assert leftovers(tmp_path) == []


# -- --fix against the report cap -----------------------------------------------
def test_fix_applies_every_fixable_finding_whatever_the_cap(tmp_path):
    doc = "关于开展学习活动的通知\n\n" + "".join(
        f"第{i}项，参加党员 {i + 3} 人，完成 {i + 10} 课时。\n" for i in range(60))
    (tmp_path / "doc.txt").write_text(doc, encoding="utf-8")
    # 120 fixable DJ904 findings, two reported per run: more rounds than --fix allows.
    proc = dj_lint("--max-per-rule", "2", "--fix", "doc.txt", cwd=tmp_path)
    assert b"Traceback" not in proc.stderr
    stderr = proc.stderr.decode("utf-8")
    assert "已修复 120 处" in stderr, stderr
    assert "只报告了前" not in stderr  # nothing was left unreported
    fixed = (tmp_path / "doc.txt").read_text(encoding="utf-8")
    assert " 人" not in fixed and " 课时" not in fixed
    assert "第59项，参加党员62人，完成69课时。" in fixed
    again = dj_lint("--max-per-rule", "2", "--fix", "doc.txt", cwd=tmp_path)
    assert "共自动修复 0 处" in again.stderr.decode("utf-8")
    assert (tmp_path / "doc.txt").read_text(encoding="utf-8") == fixed


def test_report_cap_still_applies_without_fix(tmp_path):
    doc = "关于开展学习活动的通知\n\n" + "".join(f"第{i}项，参加党员 {i + 3} 人。\n" for i in range(60))
    (tmp_path / "doc.txt").write_text(doc, encoding="utf-8")
    proc = dj_lint("--max-per-rule", "2", "--format", "json", "doc.txt", cwd=tmp_path)
    found = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "DJ904"]
    assert [(f["line"], f["text"]) for f in found] == [(3, " 3 人"), (4, " 4 人")]
    assert "DJ904 共 60 处，只报告了前 2 处" in proc.stderr.decode("utf-8")


# -- hard links and extended attributes -----------------------------------------
def test_fix_of_a_hard_linked_file_tells_the_user(tmp_path):
    (tmp_path / "doc.txt").write_text(BAD, encoding="utf-8")
    os.link(tmp_path / "doc.txt", tmp_path / "other.txt")
    proc = dj_lint("--fix", "doc.txt", cwd=tmp_path)
    assert b"Traceback" not in proc.stderr
    assert (tmp_path / "doc.txt").read_text(encoding="utf-8") == FIXED
    notes = [ln for ln in proc.stderr.decode("utf-8").splitlines() if "硬链接" in ln]
    assert len(notes) == 1 and "doc.txt" in notes[0] and "2 个硬链接" in notes[0], proc.stderr
    # What the note says is what happened.
    assert (tmp_path / "other.txt").read_text(encoding="utf-8") == BAD
    assert os.stat(tmp_path / "doc.txt").st_nlink == 1
    assert leftovers(tmp_path) == []


def test_fix_keeps_extended_attributes(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(BAD, encoding="utf-8")
    try:
        os.setxattr(path, "user.dj_lint_test", b"kept \xe2\x9c\x93")
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
            pytest.skip(f"{tmp_path} does not take user.* extended attributes: {exc}")
        raise
    os.chmod(path, 0o640)
    proc = dj_lint("--fix", "doc.txt", cwd=tmp_path)
    assert b"Traceback" not in proc.stderr
    assert path.read_text(encoding="utf-8") == FIXED
    assert os.getxattr(path, "user.dj_lint_test") == b"kept \xe2\x9c\x93"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert "扩展属性" not in proc.stderr.decode("utf-8")
