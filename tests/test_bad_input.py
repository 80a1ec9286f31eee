"""The bad-input table (issue 7): every row is the real command on real files.

| input                                 | expected                                        |
| ------------------------------------- | ----------------------------------------------- |
| path does not exist                   | exit 2, one line on stderr                      |
| directory without *.txt / *.md        | a clear message, exit 0                         |
| unreadable file                       | listed in `errors`, the others checked, exit 2  |
| FIFO nobody writes to, /dev/zero      | no hang: empty / stopped with an error          |
| binary file (NUL bytes)               | skipped with a warning                          |
| undecodable bytes                     | `garble` findings, the rest still checked       |
| empty / whitespace-only file          | fine: exit 0, nothing reported                  |
| symlink loop                          | no hang                                         |
| malformed YAML rule file or config    | file, line and key named, exit 2                |
| catastrophic user regex               | stopped by --regex-timeout, warned, run goes on |
| Ctrl-C                                | exit 130, no traceback                          |
| a 5 MB single line                    | finishes                                        |
| --format json                         | valid JSON whatever went wrong                  |

Unreadable files as root: root ignores `chmod 000`, so the permission test
runs the command under `setpriv` with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
dropped (root then obeys file modes). Independently of privileges, a Unix
socket named `x.txt` is a file on which open() really fails (ENXIO).
"""
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time

import pytest

from conftest import ROOT, seed_path

CLEAN = os.path.join(ROOT, "tests", "clean", "2026_summary.txt")
SEED = seed_path("000")  # has ____ placeholders: DJ201 findings on line 11


def dj_lint(*args, cwd, timeout=120, prefix=(), **kw):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    return subprocess.run(list(prefix) + [sys.executable, "-m", "dj_lint", "--no-config", *args],
                          cwd=cwd, capture_output=True, timeout=timeout, env=env, **kw)


def as_json(proc) -> dict:
    return json.loads(proc.stdout.decode("utf-8"))


def no_traceback(proc):
    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")


def copy(src, dst):
    shutil.copyfile(src, dst)
    return str(dst)


# -- paths ------------------------------------------------------------------
def test_missing_path_is_one_line_and_exit_2(tmp_path):
    proc = dj_lint("nope.txt", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == b""
    lines = proc.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and "nope.txt" in lines[0] and "不存在" in lines[0]


def test_directory_without_matching_files_says_so_and_exits_0(tmp_path):
    (tmp_path / "scan.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "notes.pdf").write_bytes(b"x")
    # Word's owner file of an open document is never a document (issue 16).
    (tmp_path / "~$notes.docx").write_bytes(b"\x00" * 162)
    proc = dj_lint(".", cwd=tmp_path)
    assert proc.returncode == 0
    assert "没有找到要检查的文件" in proc.stderr.decode("utf-8")
    no_traceback(proc)


def _seed_and_unreadable(tmp_path, make_unreadable, prefix=()):
    copy(SEED, tmp_path / "a.txt")
    make_unreadable(tmp_path / "b.txt")
    proc = dj_lint("--format", "json", ".", cwd=tmp_path, prefix=prefix)
    no_traceback(proc)
    assert proc.returncode == 2
    report = as_json(proc)
    assert [e["path"] for e in report["errors"]] == ["./b.txt"]
    # The readable file is still checked.
    assert ("./a.txt", 11, 2, "DJ201") in {(f["path"], f["line"], f["column"], f["rule"])
                                          for f in report["findings"]}
    return report["errors"][0]["message"]


def test_file_without_read_permission_is_listed_in_errors(tmp_path):
    prefix = ()
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if not setpriv:
            pytest.skip("root without setpriv: chmod 000 does not stop root")
        caps = "-dac_override,-dac_read_search"
        prefix = (setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}", "--")

    def unreadable(p):
        p.write_text("____年以来\n", encoding="utf-8")
        p.chmod(0)

    assert "没有读取权限" in _seed_and_unreadable(tmp_path, unreadable, prefix)


def test_file_that_cannot_be_opened_is_listed_in_errors(tmp_path):
    socks = []

    def unix_socket(p):  # open() on a socket fails with ENXIO, for root too
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(p))
        socks.append(s)

    try:
        assert "不是可读取的文件" in _seed_and_unreadable(tmp_path, unix_socket)
    finally:
        for s in socks:
            s.close()


def test_fifo_without_writer_and_endless_device_do_not_hang(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    copy(CLEAN, tmp_path / "ok.txt")
    proc = dj_lint("--format", "json", ".", cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert as_json(proc)["files"] == 2  # the FIFO reads as an empty document
    if os.path.exists("/dev/zero"):
        proc = dj_lint("--format", "json", "/dev/zero", cwd=tmp_path, timeout=60)
        assert proc.returncode == 2
        (err,) = as_json(proc)["errors"]
        assert err["path"] == "/dev/zero" and "不是普通文件" in err["message"]


# -- contents ---------------------------------------------------------------
def test_binary_file_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "scan.txt").write_bytes(b"PK\x03\x04\x00\x00____\x00\xff")
    copy(CLEAN, tmp_path / "ok.txt")
    proc = dj_lint("--format", "json", ".", cwd=tmp_path)
    assert proc.returncode == 0
    report = as_json(proc)
    assert report["files"] == 1 and report["findings"] == [] and report["errors"] == []
    stderr = proc.stderr.decode("utf-8")
    assert "scan.txt" in stderr and "NUL" in stderr and "警告" in stderr


def test_undecodable_bytes_are_garble_findings_and_the_rest_is_checked(tmp_path):
    good = "中共东湖市委员会\n".encode("utf-8")
    (tmp_path / "r.txt").write_bytes(good + "学习".encode("utf-8") + b"\xff\xfe"
                                     + "贯彻\n____年以来，支部连续五年获评先进。\n".encode("utf-8"))
    proc = dj_lint("--format", "json", "r.txt", cwd=tmp_path)
    no_traceback(proc)
    findings = as_json(proc)["findings"]
    garble = [f for f in findings if f["category"] == "garble" and f["line"] == 2]
    assert garble, findings
    # Two undecodable bytes right after 学习 (columns 3 and 4 of line 2).
    assert garble[0]["column"] == 3 and garble[0]["text"].startswith("\udcff")
    assert ("DJ201", 3, 1) in {(f["rule"], f["line"], f["column"]) for f in findings}


@pytest.mark.parametrize("content", [b"", b"   \n\t\n\r\n  ", "\u3000\u3000\n".encode("utf-8")],
                         ids=["empty", "whitespace", "ideographic-space"])
def test_empty_and_whitespace_only_files_are_fine(tmp_path, content):
    (tmp_path / "blank.txt").write_bytes(content)
    proc = dj_lint("--format", "json", "blank.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = as_json(proc)
    assert report["files"] == 1 and report["findings"] == [] and report["errors"] == []


def test_symlink_loops_do_not_hang(tmp_path):
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    (tmp_path / "sub").mkdir()
    os.symlink("..", tmp_path / "sub" / "up")  # a directory loop: never followed
    copy(CLEAN, tmp_path / "sub" / "ok.txt")
    proc = dj_lint("--format", "json", ".", cwd=tmp_path, timeout=60)
    no_traceback(proc)
    assert proc.returncode == 2
    report = as_json(proc)
    assert report["files"] == 1
    assert sorted(e["path"] for e in report["errors"]) == ["./a.txt", "./b.txt"]
    assert all("符号链接循环" in e["message"] for e in report["errors"])


def test_five_mb_single_line_finishes(tmp_path):
    with open(SEED, encoding="utf-8") as fh:
        flat = fh.read().replace("\n", "")
    data = (flat * (5_000_000 // len(flat.encode("utf-8")) + 1)).encode("utf-8")[:5_000_000]
    (tmp_path / "line.txt").write_bytes(data.decode("utf-8", "ignore").encode("utf-8"))
    t0 = time.monotonic()
    proc = dj_lint("--format", "json", "line.txt", cwd=tmp_path, timeout=300)
    no_traceback(proc)
    assert proc.returncode == 1
    findings = as_json(proc)["findings"]
    assert {f["line"] for f in findings} == {1}
    assert any(f["rule"] == "DJ201" for f in findings)
    assert time.monotonic() - t0 < 120


# -- rules and configuration -------------------------------------------------
USER_RULE = """\
- id: USR001
  name: runaway-pattern
  category: typo
  severity: warning
  kind: pattern
  pattern: '(a+)+$'
  message: 测试用规则
  examples:
    bad: [{text: 'aaa', match: 'aaa'}]
    good: ['bbb']
"""


def _config(tmp_path, pack_text, name="user.yaml"):
    (tmp_path / name).write_text(pack_text, encoding="utf-8")
    (tmp_path / ".dj-lint.yaml").write_text(f"rules: [{name}]\n", encoding="utf-8")


def dj_lint_with_config(*args, cwd, timeout=120):
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "dj_lint", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=timeout)


def test_malformed_yaml_in_user_rule_file_names_file_and_line(tmp_path):
    _config(tmp_path, USER_RULE.replace("  kind: pattern\n", "  kind: [pattern\n"))
    copy(CLEAN, tmp_path / "ok.txt")
    proc = dj_lint_with_config("ok.txt", cwd=tmp_path)
    assert proc.returncode == 2
    (line,) = proc.stderr.decode("utf-8").splitlines()
    assert "user.yaml:6:" in line and "YAML" in line


def test_bad_key_in_user_rule_file_names_file_line_and_key(tmp_path):
    _config(tmp_path, USER_RULE.replace("  pattern:", "  patern:"))
    copy(CLEAN, tmp_path / "ok.txt")
    proc = dj_lint_with_config("ok.txt", cwd=tmp_path)
    assert proc.returncode == 2
    (line,) = proc.stderr.decode("utf-8").splitlines()
    assert "user.yaml:6: USR001: unknown field 'patern'" in line


def test_bad_key_in_config_names_file_line_and_key(tmp_path):
    (tmp_path / ".dj-lint.yaml").write_text("as_of: 2026-11-21\nfail-onn: error\n", encoding="utf-8")
    copy(CLEAN, tmp_path / "ok.txt")
    proc = dj_lint_with_config("ok.txt", cwd=tmp_path)
    assert proc.returncode == 2
    (line,) = proc.stderr.decode("utf-8").splitlines()
    assert ".dj-lint.yaml:2" in line and "fail-onn" in line


def test_load_pack_names_line_of_the_bad_key(tmp_path):
    from dj_lint.packs.loader import RuleError, load_pack

    path = tmp_path / "pack.yaml"
    path.write_text(USER_RULE + USER_RULE.replace("USR001", "USR002").replace(
        "severity: warning", "severity: fatal"), encoding="utf-8")
    with pytest.raises(RuleError) as exc:
        load_pack(str(path))
    assert str(exc.value) == f"{path}:14: USR002: unknown severity 'fatal' (error, warning, info)"


def test_catastrophic_user_regex_is_stopped_and_the_run_completes(tmp_path):
    _config(tmp_path, USER_RULE)
    body = "____年以来，支部连续五年获评先进。\n" + "a" * 20000 + "!\n"
    (tmp_path / "r.txt").write_text(body, encoding="utf-8")
    copy(SEED, tmp_path / "s.txt")
    t0 = time.monotonic()
    proc = dj_lint_with_config("--regex-timeout", "0.5", "--format", "json", "r.txt", "s.txt",
                               cwd=tmp_path, timeout=120)
    elapsed = time.monotonic() - t0
    no_traceback(proc)
    assert proc.returncode == 1
    stderr = proc.stderr.decode("utf-8")
    assert "USR001" in stderr and "0.5 秒" in stderr and "r.txt" in stderr
    found = {(f["path"], f["rule"]) for f in as_json(proc)["findings"]}
    # Only the runaway rule stopped, and only where it ran away.
    assert {("r.txt", "DJ201"), ("s.txt", "DJ201")} <= found
    assert elapsed < 60


# -- Ctrl-C -------------------------------------------------------------------
def _holds_open(pid_root: int, target: str) -> bool:
    """Whether the process or one of its children has ``target`` open."""
    pids = [pid_root]
    try:
        with open(f"/proc/{pid_root}/task/{pid_root}/children") as fh:
            pids += [int(p) for p in fh.read().split()]
    except OSError:
        pass
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                    return True
        except OSError:
            continue
    return False


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to see the run's progress")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_without_traceback(tmp_path, jobs):
    """The run blocks reading a FIFO that has a writer (so it is surely mid-run),
    then the whole process group gets SIGINT, as from a terminal."""
    with open(SEED, encoding="utf-8") as fh:
        text = fh.read()
    for i in range(4):  # > 512 KB in all, so --jobs 2 really starts a pool
        (tmp_path / f"r{i}.txt").write_text(text * 20, encoding="utf-8")
    fifo = str(tmp_path / "r2b.txt")
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR)  # a writer that never finishes
    try:
        os.write(writer, "____年以来\n".encode("utf-8"))
        # SIGINT as a terminal gives it: a background job of a non-interactive shell
        # (`pytest &` in a script) starts with SIGINT ignored, which the child would
        # inherit, and then rightly ignore the interrupt.
        proc = subprocess.Popen([sys.executable, "-m", "dj_lint", "--no-config", "--jobs", jobs, "."],
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + 60
        while not _holds_open(proc.pid, fifo):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(writer)
    assert proc.returncode == 130, err.decode("utf-8", "replace")
    assert b"Traceback" not in err
    assert "已中断" in err.decode("utf-8")


# -- JSON ---------------------------------------------------------------------
def test_json_stays_valid_with_errors_binary_and_undecodable_input(tmp_path):
    copy(SEED, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "c.txt").write_bytes("标题\n".encode("utf-8") + b"\x81\xff\"\\\n" + "“引号”\n".encode("utf-8"))
    os.symlink("missing.txt", tmp_path / "d.txt")
    proc = dj_lint("--format", "json", ".", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2
    report = as_json(proc)
    assert report["files"] == 2
    assert [e["path"] for e in report["errors"]] == ["./d.txt"]
    assert any(f["path"] == "./a.txt" for f in report["findings"])
    for f in report["findings"]:
        assert set(f) >= {"path", "line", "column", "end_line", "end_column", "rule", "text"}


def test_a_flooding_rule_is_capped_per_file_with_a_warning(tmp_path):
    """100,000 unclosed brackets: the first N findings of that rule are reported,
    the rest are summed up in one warning, and --max-per-rule 0 lifts the cap."""
    import json as _json
    from conftest import run_cli
    p = tmp_path / "flood.txt"
    # (a full stop ends the text: an excerpt cut off mid-sentence keeps its last opener)
    p.write_text("东湖市实验中学党总支工作总结\n" + "（" * 3000 + "。\n", encoding="utf-8")
    r = run_cli("--format", "json", "--select", "DJ807", "--max-per-rule", "50", str(p))
    found = _json.loads(r.stdout)["findings"]
    assert len(found) == 50
    assert [(f["line"], f["column"]) for f in found[:2]] == [(2, 1), (2, 2)]
    assert "DJ807 共 3000 处，只报告了前 50 处" in r.stderr.decode()
    r = run_cli("--format", "json", "--select", "DJ807", "--max-per-rule", "0", str(p))
    assert len(_json.loads(r.stdout)["findings"]) == 3000


def test_undecodable_reading_chosen_by_the_fewer_bad_bytes():
    """A file neither UTF-8 nor GB18030 decodes cleanly keeps the reading with fewer
    bad bytes, counted by a class search (text/document.py ``_ESCAPED``): the same
    choice as counting character by character, on generated mixtures of UTF-8,
    GB18030 and stray bytes."""
    import random

    from dj_lint.text.document import decode
    rng = random.Random(13)
    parts = ["党的建设".encode("utf-8"), "党的建设".encode("gb18030"), b"abc\n", bytes([0x80]), bytes([0xff]),
             bytes([0xe5, 0x85]), bytes([0x81]), "“引号”".encode("gb18030")]
    chosen = set()
    for _ in range(400):
        raw = b"".join(rng.choice(parts) for _ in range(rng.randint(1, 30)))
        text, name, bom = decode(raw)
        if name not in ("utf-8", "gb18030") or raw.decode(name, "surrogateescape") != text:
            continue
        try:
            raw.decode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        try:
            raw.decode("gb18030")
            continue
        except UnicodeDecodeError:
            pass
        counts = [sum(1 for ch in raw.decode(n, "surrogateescape") if "\udc80" <= ch <= "\udcff")
                  for n in ("utf-8", "gb18030")]
        want = "utf-8" if counts[0] <= counts[1] else "gb18030"
        assert (name, bom) == (want, b""), raw
        chosen.add(name)
    assert chosen == {"utf-8", "gb18030"}
