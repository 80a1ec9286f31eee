"""Batches of files linted together: in one process up to ALONE_BATCH_FILES, under
a pool BATCH_FILES; either way every file is counted once and the findings are
those of the files linted one by one."""
from __future__ import annotations

import json

from conftest import run_cli
from dj_lint.app import run as app_run

# A short report with a blank year and an obsolete formulation on most pages.
_PAGE = "____年党支部工作总结\n今年以来，支部组织学习{n}次，坚持以学促干。\n"


def test_batches_cut_at_the_file_count_and_the_byte_budget(tmp_path):
    paths = []
    for i in range(10):
        p = tmp_path / f"{i}.txt"
        p.write_bytes(b"x" * (app_run.BATCH_BYTES if i == 6 else 10))
        paths.append(str(p))
    assert app_run.batches(paths, 3) == [[0, 1, 2], [3, 4, 5], [6], [7, 8, 9]]
    assert app_run.batches(paths, 4) == [[0, 1, 2, 3], [4, 5], [6], [7, 8, 9]]
    assert app_run.batches(paths) == [[0, 1, 2, 3, 4, 5], [6], [7, 8, 9]]


def test_one_process_run_of_many_files_counts_each_once(tmp_path):
    n = app_run.ALONE_BATCH_FILES * 2 + 5
    assert n > app_run.BATCH_FILES * 2
    for i in range(n):
        (tmp_path / f"p{i:03d}.txt").write_text(_PAGE.format(n=i + 1), encoding="utf-8")
    whole = run_cli("--no-config", "--as-of", "2026-12-01", "--format", "json", "--jobs", "1", str(tmp_path))
    assert whole.returncode == 1, whole.stderr
    data = json.loads(whole.stdout)
    assert data["files"] == n
    one = run_cli("--no-config", "--as-of", "2026-12-01", "--format", "json", "--jobs", "1",
                  str(tmp_path / "p007.txt"))
    found = [f for f in data["findings"] if f["path"].endswith("p007.txt")]
    assert found and found == json.loads(one.stdout)["findings"]
    assert len(data["findings"]) == n * len(found)
