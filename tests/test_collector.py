"""The garbage collector and the dj-lint command: off from the first import until
the linters are built (the start makes objects that live to the end, and the
collector walked them for nothing), on from there (what the start made frozen):
while the files are linted (app/run.py few_collections), fixed, dumped; and as it
was for a program that calls main() itself."""
from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

from test_fast_exit import in_process

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The command as `python -m dj_lint` starts it, each collection counted, and
# gc.isenabled() and the collections so far noted where the files' lint (or
# --dump-text) begins. The harness's own imports come first, before counting:
# since dj-lint imports json only where it writes JSON, the harness importing it
# after the callback was set counted a collection dj-lint did not cause.
_COUNTED = """
import atexit, gc, importlib, json, runpy, sys
from dj_lint.app import run
# The young generation filled by fewer objects than the command's 200,000, which
# a test's few files never make: whether the collector runs is what is tested.
run.few_collections.__wrapped__.__defaults__ = (20_000,)
command = importlib.import_module("dj_lint.cli.main")
seen, at_lint = [], []
gc.callbacks.append(lambda phase, info: phase == "start" and seen.append(info["generation"]))
def noting(module, name):
    real = getattr(module, name)
    def noted(*args, **kw):
        at_lint.append([name, gc.isenabled(), len(seen)])
        return real(*args, **kw)
    setattr(module, name, noted)
noting(run, "lint_paths")
noting(command, "dump_text")
atexit.register(lambda: print("counted", json.dumps([len(seen), at_lint, gc.isenabled()]), file=sys.stderr))
sys.argv = ["dj-lint"] + sys.argv[1:]
runpy.run_module("dj_lint", run_name="__main__")
"""


def _counted(*args, cwd=ROOT):
    """(exit status, collections, [[what, gc.isenabled(), collections]] where the
    lint or --dump-text began, gc.isenabled() at the end)."""
    got = subprocess.run([sys.executable, "-c", _COUNTED, "--no-config", "--jobs", "1", *args],
                         cwd=cwd, capture_output=True, text=True)
    line = [l for l in got.stderr.splitlines() if l.startswith("counted ")][-1]
    collections, at_lint, after = json.loads(line[len("counted "):])
    return got.returncode, collections, at_lint, after


def test_no_collection_before_the_lint_and_the_collector_on_for_it():
    # One clean report: the start alone made 40 young and 4 older collections before.
    first = sorted(os.listdir(os.path.join(ROOT, "tests", "clean")))[0]
    status, _, at_lint, after = _counted(os.path.join("tests", "clean", first))
    assert status == 0
    assert at_lint == [["lint_paths", True, 0]]
    assert after is False  # as entry() left it for main()


def test_the_collector_runs_while_many_files_are_linted(tmp_path):
    for i in range(60):
        (tmp_path / f"{i:02d}.txt").write_text("党支部工作总结\n" + "今年以来，支部组织学习，坚持以学促干。\n" * (50 + i),
                                                encoding="utf-8")
    status, collections, at_lint, _ = _counted(str(tmp_path))
    assert status == 1 and at_lint == [["lint_paths", True, 0]]
    assert collections >= 1  # young collections while the files were linted


def test_main_in_a_program_puts_the_collector_back():
    before = gc.get_threshold()
    assert gc.isenabled()
    status, report = in_process("--no-config", "--jobs", "1", "seeds")
    assert status == 1 and report
    assert gc.isenabled() and gc.get_threshold() == before
    gc.disable()
    try:
        in_process("--no-config", "--jobs", "1", "seeds")
        assert not gc.isenabled() and gc.get_threshold() == before
    finally:
        gc.enable()


def test_the_collector_runs_while_many_files_are_fixed(tmp_path):
    for i in range(60):
        (tmp_path / f"{i:02d}.txt").write_text("党支部工作总结\n" + "今年以来,支部组织学习，坚持以学促干。\n" * (50 + i),
                                                encoding="utf-8")
    _, collections, at_lint, after = _counted("--diff", str(tmp_path))
    assert at_lint == []  # --fix and --diff lint without lint_paths
    assert collections >= 1
    assert after is False


def test_the_collector_is_on_while_documents_are_dumped(tmp_path):
    (tmp_path / "a.txt").write_text("党支部工作总结\n今年以来，支部组织学习。\n", encoding="utf-8")
    status, _, at_lint, after = _counted("--dump-text", str(tmp_path / "a.txt"))
    assert status == 0
    assert at_lint == [["dump_text", True, 0]]
    assert after is False
