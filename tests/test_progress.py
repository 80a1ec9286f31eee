"""Progress on stderr: only when stderr is a terminal and the run lasts (about a
second; DJ_LINT_PROGRESS_AFTER sets it, 0 here so the test does not depend on the
machine's speed). Run through a real pseudo-terminal (the pty module) for stderr,
with stdout a pipe, so the report is seen to stay untouched."""
import os
import pty
import select
import subprocess
import sys

from conftest import ROOT, SEEDS

SEED_FILES = sorted(os.listdir(SEEDS))


def run(args, tty, env_extra, cwd=ROOT):
    env = dict(os.environ, NO_COLOR="1", COLUMNS="120", **env_extra)
    env.pop("GITHUB_ACTIONS", None)
    env.setdefault("TERM", "xterm")
    cmd = [sys.executable, "-m", "dj_lint", *args]
    if not tty:
        res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=600)
        return res.returncode, res.stdout, res.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=slave,
                            stdin=subprocess.DEVNULL)
    os.close(slave)
    err = b""
    out = []
    while True:
        ready, _, _ = select.select([master, proc.stdout], [], [], 600)
        if master in ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's last writer is gone
                chunk = b""
            if chunk:
                err += chunk
            elif proc.poll() is not None:
                break
        if proc.stdout in ready:
            chunk = proc.stdout.read1(65536)
            if chunk:
                out.append(chunk)
            elif proc.poll() is not None:
                # stdout closed; drain the terminal until it is closed too
                continue
        if not ready and proc.poll() is not None:
            break
    os.close(master)
    proc.wait(timeout=60)
    return proc.returncode, b"".join(out), err


ARGS = ["-j", "1", "--no-config", "--as-of", "2026-11-21", "seeds/"]


def test_progress_on_a_terminal_and_the_report_unchanged():
    code, out, err = run(ARGS, tty=True, env_extra={"DJ_LINT_PROGRESS_AFTER": "0"})
    text = err.decode("utf-8")
    n = len(SEED_FILES)
    # Redrawn in place: carriage return, the count, erase to the end of the line.
    assert f"\r检查中 1/{n} 个文件（{100 // n}%）\x1b[K" in text, text[:500]
    assert f"\r检查中 {n}/{n} 个文件（100%）\x1b[K" in text
    # Erased when the run ends: nothing of it is left on the screen.
    assert text.endswith("\r\x1b[K"), text[-200:]
    plain_code, plain_out, plain_err = run(ARGS, tty=False, env_extra={"DJ_LINT_PROGRESS_AFTER": "0"})
    assert (code, out) == (plain_code, plain_out)
    assert code == 1 and b"\x1b" not in out


def test_no_progress_when_stderr_is_not_a_terminal():
    code, out, err = run(ARGS, tty=False, env_extra={"DJ_LINT_PROGRESS_AFTER": "0"})
    assert code == 1
    assert b"\r" not in err and b"\x1b" not in err and "检查中".encode() not in err


def test_no_progress_for_one_file_or_a_dumb_terminal():
    one = ["--no-config", "seeds/" + SEED_FILES[0]]
    _, _, err = run(one, tty=True, env_extra={"DJ_LINT_PROGRESS_AFTER": "0"})
    assert "检查中".encode() not in err
    _, _, err = run(ARGS, tty=True, env_extra={"DJ_LINT_PROGRESS_AFTER": "0", "TERM": "dumb"})
    assert "检查中".encode() not in err


def test_no_progress_before_the_delay():
    # The default delay is about a second; a delay far above the run's length shows nothing.
    _, _, err = run(ARGS, tty=True, env_extra={"DJ_LINT_PROGRESS_AFTER": "600"})
    assert "检查中".encode() not in err


def test_fix_shows_its_own_progress_and_notes_start_a_clean_line(tmp_path):
    for i in range(4):
        (tmp_path / f"{i}.txt").write_text("2024年度党建工作总结\n\n认真学习,努力工作。\n", encoding="utf-8")
    code, out, err = run(["--fix", "--no-config", "--select", "punctuation", "."], tty=True,
                         env_extra={"DJ_LINT_PROGRESS_AFTER": "0"}, cwd=str(tmp_path))
    text = err.decode("utf-8")
    assert "\r修复中 4/4 个文件（100%）\x1b[K" in text, text
    # Each note erases the progress line first, so what is left on screen starts with it.
    notes = [line.split("\r\x1b[K")[-1] for line in text.split("\n") if "已修复" in line]
    assert notes == [f"dj-lint: ./{i}.txt：已修复 1 处\r" for i in range(4)], text
    assert code == 0 and out == b"" or b"\x1b" not in out
