"""The dj-lint command ends without the interpreter's teardown (cli.main.entry):
what a normal exit does that matters still happens — the whole report reaches
stdout through a pipe, the exit status is main()'s, atexit handlers run (the
build cache is written by a first run), a usage error and --help exit as before."""
import contextlib
import io
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = ["--no-config", "--format", "json", "--as-of", "2026-11-21", "--jobs", "1", "seeds", "tests/clean"]


def command(*args, env=None, **kw):
    full = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "dj_lint", *args], cwd=ROOT, capture_output=True, env=full, **kw)


def in_process(*args):
    from dj_lint.cli import main
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out):
            status = main(list(args))
    finally:
        os.chdir(cwd)
    return status, out.getvalue()


def test_the_whole_report_and_the_status_of_main(tmp_path):
    status, report = in_process(*ARGS)
    assert status == 1 and len(report) > 10000
    got = command(*ARGS, env={"XDG_CACHE_HOME": str(tmp_path)})
    assert got.returncode == 1 and got.stdout.decode("utf-8") == report and got.stderr == b""
    # The first run built the cache: its atexit handlers ran before the process ended.
    written = {p.name.split("-")[0] for p in (tmp_path / "dj-lint").iterdir()}
    assert {"build", "patterns", "words"} <= written
    again = command(*ARGS, env={"XDG_CACHE_HOME": str(tmp_path)})
    assert again.returncode == 1 and again.stdout == got.stdout
    clean = command("--no-config", "tests/clean", env={"XDG_CACHE_HOME": str(tmp_path)})
    assert clean.returncode == 0 and clean.stdout


def test_usage_errors_help_and_a_reader_that_goes_away():
    assert command("--no-such-flag").returncode == 2
    helped = command("--help")
    assert helped.returncode == 0 and b"dj-lint" in helped.stdout
    # `dj-lint ... | head -c 100`: the reader leaves early; no traceback, not an error.
    proc = subprocess.Popen([sys.executable, "-m", "dj_lint", *ARGS], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait() in (0, 1) and b"Traceback" not in err
