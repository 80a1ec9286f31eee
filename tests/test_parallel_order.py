"""--jobs: workers take the largest files first, in small chunks, and the
results still come back in the order of the paths, so -j 2 writes exactly
what -j 1 writes (findings, errors and warnings in the same order)."""
from __future__ import annotations

import os

from conftest import run_cli
from dj_lint.app import parallel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "seeds")


def _size_of(path):
    return os.path.getsize(path) if os.path.exists(path) else -1


def test_results_in_path_order_whatever_the_sizes(tmp_path):
    paths = []
    for i in range(40):
        p = tmp_path / f"{i:02d}.txt"
        # Sizes that do not follow the names: the largest files are in the middle.
        p.write_bytes(b"x" * (1000 + 40_000 * (i % 7)))
        paths.append(str(p))
    paths.append(str(tmp_path / "missing.txt"))
    assert parallel.worth_a_pool(paths, 2)
    assert parallel.run_list(paths, _size_of, 2) == [_size_of(p) for p in paths]


def test_jobs_2_writes_what_jobs_1_writes(tmp_path):
    # Seeds of different sizes, a file too large for --max-per-rule and an unreadable path.
    names = sorted(os.listdir(SEEDS))
    for i in range(12):
        with open(os.path.join(SEEDS, names[i % len(names)]), "rb") as src:
            body = src.read()
        (tmp_path / f"f{i:02d}.txt").write_bytes(body * (1 + (i * 5) % 9))
    (tmp_path / "f99.md").write_bytes("# 标题\n\n____年以来。\n".encode("utf-8") * 3000)
    (tmp_path / "f50.txt").write_bytes(b"\x00binary")  # a warning, not a finding
    assert sum(os.path.getsize(tmp_path / n) for n in os.listdir(tmp_path)) > parallel.IN_PROCESS_BYTES
    outs = []
    for jobs in ("1", "2"):
        res = run_cli("--no-config", "--as-of", "2026-12-01", "--format", "json", "--max-per-rule", "20",
                      "--jobs", jobs, ".", cwd=str(tmp_path))
        outs.append((res.returncode, res.stdout, res.stderr))
    assert outs[0][0] == 1
    assert outs[0][1].count(b'"rule"') > 100
    assert "只报告了前 20 处" in outs[0][2].decode() and "f50.txt" in outs[0][2].decode()
    assert outs[0] == outs[1]
