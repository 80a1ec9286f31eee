"""Each seed's findings per category equal the hand-reviewed golden file.

Every category has a golden file for every seed (an empty file means: this
seed must have no finding of that category); a missing one fails. To change a
golden file, review the diff and accept it:

    python tests/golden_tool.py diff CATEGORY
    python tests/golden_tool.py accept CATEGORY
"""
import os

import pytest

from dj_lint.model.findings import CATEGORIES
from golden_tool import ROOT, current, diff, golden_path, read_golden, seed_files


def _cases():
    for name in seed_files():
        for category in CATEGORIES:
            yield pytest.param(name, category, id=f"{name[:3]}-{category}")


@pytest.mark.parametrize("seed,category", list(_cases()))
def test_seed_matches_golden(seed, category):
    golden = read_golden(seed, category)
    assert golden is not None, (
        f"{os.path.relpath(golden_path(seed, category), ROOT)} is missing: review "
        f"`python tests/golden_tool.py diff {category} {seed[:3]}`, then accept it")
    assert current(seed, category) == golden[1], diff(seed, category)


def test_accept_prints_the_diff_and_creates_a_missing_file(tmp_path, monkeypatch):
    import golden_tool
    monkeypatch.setattr(golden_tool, "GOLDEN", str(tmp_path))
    seed = seed_files()[0]
    assert golden_tool.read_golden(seed, "typo") is None
    change = golden_tool.accept(seed, "typo")
    assert "missing, would be created" in change
    assert all(f"+{line}" in change for line in current(seed, "typo"))
    assert golden_tool.read_golden(seed, "typo") == ([], current(seed, "typo"))
    assert golden_tool.diff(seed, "typo") == ""
