"""Paths a walk cannot enter and file names that carry control characters
(issue 19, points 2 and 4), through the real command line.

* an unreadable subfolder is an error of its own (listed in ``errors``, exit 2),
  the rest of the walk is still checked;
* a file inside a folder without search permission is "cannot be reached",
  not "does not exist";
* a newline or an ESC in a file name is shown inert in every format: no raw
  control byte on stdout or stderr, no line starting with the name's tail, the
  machine formats keep the exact name.
"""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

DOC = "____年以来，支部连续五年获评先进。\n"
FORMATS = ("text", "concise", "json", "sarif", "junit", "github", "gitlab", "html")


def dj_lint(*args, cwd, prefix=(), env_extra=None, timeout=120):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.pop("GITHUB_ACTIONS", None)
    env.update(env_extra or {})
    return subprocess.run(list(prefix) + [sys.executable, "-m", "dj_lint", "--no-config", *args],
                          cwd=cwd, capture_output=True, timeout=timeout, env=env)


def unprivileged():
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("root without setpriv: folder permissions do not stop root")
    caps = "-dac_override,-dac_read_search"
    return (setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}", "--")


@pytest.mark.parametrize("mode", [0o000, 0o100, 0o400])
def test_unreadable_subfolder_is_reported_not_skipped(tmp_path, mode):
    prefix = unprivileged()
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "locked").chmod(mode)
    try:
        proc = dj_lint("--format", "json", ".", cwd=tmp_path, prefix=prefix)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert [f["path"] for f in report["findings"]] == ["./ok/a.txt"]
    errors = {e["path"]: e["message"] for e in report["errors"]}
    if mode == 0o400:
        # Readable but not searchable: the folder lists, its file cannot be opened.
        assert list(errors) == ["./locked/b.txt"] and "路径不存在" not in errors["./locked/b.txt"]
    else:
        assert list(errors) == ["./locked"]
        assert "目录无法读取" in errors["./locked"] and "没有权限" in errors["./locked"]


def test_file_in_an_unsearchable_folder_is_not_called_missing(tmp_path):
    prefix = unprivileged()
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "other.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "locked").chmod(0o600)
    try:
        proc = dj_lint("--format", "json", "locked/b.txt", "other.txt", cwd=tmp_path, prefix=prefix)
        missing = dj_lint("locked/nothere.txt", cwd=tmp_path, prefix=prefix)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert [f["path"] for f in report["findings"]] == ["other.txt"]
    (error,) = report["errors"]
    assert error["path"] == "locked/b.txt"
    assert "路径不存在" not in error["message"] and "无法访问" in error["message"]
    assert "没有权限" in error["message"]
    # Behind a folder nobody may search, a missing file cannot be told from a hidden one.
    assert missing.returncode == 2 and "路径不存在" not in missing.stderr.decode("utf-8")


NAMES = ["a\nb.txt", "e\x1b]0;title\x07c.txt", "n\n::error file=x::injected.txt", "r\rs.txt",
         "\x1b[2Jclear.txt", "u\u202eR.txt", "c1\x9bq.txt"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_in_file_names_are_inert_in_every_format(tmp_path, fmt):
    folder = tmp_path / "names"
    folder.mkdir()
    for name in NAMES:
        (folder / name).write_text(DOC, encoding="utf-8")
    proc = dj_lint("--format", fmt, "names", cwd=tmp_path, env_extra={"GITHUB_ACTIONS": "true"})
    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in proc.stderr
    # Machine formats (JSON, SARIF, GitLab, JUnit) keep the exact name through their
    # own escapes: no raw C0 control; C1 and bidi characters are valid data there.
    machine = fmt in ("json", "sarif", "gitlab", "junit")
    unsafe = [b"\x1b", b"\x07", b"\r"] + ([] if machine else ["\x9b".encode("utf-8"), "\u202e".encode("utf-8")])
    for stream in (proc.stdout, proc.stderr):
        for raw in unsafe:
            assert raw not in stream, (fmt, raw)
    text = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
    lines = text.split("\n")
    # No name's tail ever starts a line (where a CI runner would read a command).
    tails = ("b.txt", "::error file=x::injected.txt", "s.txt")
    assert not [ln for ln in lines if ln.startswith(tails)], fmt
    if fmt == "github":
        assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines if ln.startswith("::"))
    else:
        assert not [ln for ln in lines if ln.startswith("::")], fmt
    shown = {os.path.join("names", n) for n in NAMES}
    if fmt == "json":
        assert {f["path"] for f in json.loads(proc.stdout)["findings"]} == shown
    elif fmt == "gitlab":
        assert {f["location"]["path"] for f in json.loads(proc.stdout)} == shown
    elif fmt == "sarif":
        runs = json.loads(proc.stdout)["runs"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in runs[0]["results"]}
        assert len(uris) == len(NAMES)
    elif fmt == "junit":
        ET.fromstring(proc.stdout)
