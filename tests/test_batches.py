"""Batches of files linted together, up to BATCH_FILES (under a pool the last ones
cut smaller, parallel._tail_split): every file is counted once and the findings
are those of the files linted one by one."""
from __future__ import annotations

import json

from conftest import run_cli
from dj_lint.app import parallel
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
    # The sizes a run stat'ed once give the same cuts; they are not stat'ed again.
    sizes = [parallel.size_of(p) for p in paths]
    assert app_run.batches(paths, 3, sizes=sizes) == [[0, 1, 2], [3, 4, 5], [6], [7, 8, 9]]
    assert app_run.batches(paths[:3], 3, sizes=[app_run.BATCH_BYTES] * 3) == [[0], [1], [2]]


def test_one_process_run_of_many_files_counts_each_once(tmp_path):
    n = app_run.BATCH_FILES * 2 + 5
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


def test_the_smallest_batches_are_cut_into_pieces_claimed_last():
    # Ten batches of 48 files; the four smallest (2, 5, 7, 9) hold about one
    # average batch's bytes between them and are cut into pieces of TAIL_FILES.
    groups = [list(range(48 * g, 48 * g + 48)) for g in range(10)]
    sizes = [900, 800, 100, 700, 950, 150, 850, 200, 600, 250]
    out = parallel._tail_split(groups, sizes)
    assert [i for piece in out for i in piece] == list(range(480))  # consecutive, every path once
    cut = {g for g in range(10) if groups[g][0] in {piece[0] for piece in out} and groups[g] not in out}
    assert cut == {2, 5, 7, 9}
    pieces = [piece for piece in out if piece not in groups]
    assert len(pieces) == 4 * 48 // parallel.TAIL_FILES
    assert all(len(piece) == parallel.TAIL_FILES for piece in pieces)
    # Too few batches to share: left whole.
    assert parallel._tail_split(groups[:3], sizes[:3]) == groups[:3]


def test_a_pool_run_of_many_files_gives_the_one_process_report(tmp_path):
    n = app_run.BATCH_FILES * 3 + 7
    for i in range(n):
        # Enough text for a pool (parallel.IN_PROCESS_BYTES), pages of unequal sizes.
        (tmp_path / f"p{i:03d}.txt").write_text(_PAGE.format(n=i + 1) + "同志们认真学习。" * (400 + 97 * (i % 11)),
                                                encoding="utf-8")
    assert parallel.worth_a_pool([str(p) for p in tmp_path.iterdir()], 2)
    args = ("--no-config", "--as-of", "2026-12-01", "--format", "json", "--max-per-rule", "0")
    one = run_cli(*args, "--jobs", "1", str(tmp_path))
    two = run_cli(*args, "--jobs", "2", str(tmp_path))
    assert one.returncode == two.returncode == 1, two.stderr
    assert json.loads(one.stdout)["files"] == n
    assert two.stdout == one.stdout and two.stderr == one.stderr
