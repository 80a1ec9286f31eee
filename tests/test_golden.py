"""Each seed's findings per category equal the hand-reviewed golden file.

Every category has a golden file for every seed (an empty file means: this
seed must have no finding of that category)."""
import os

import pytest

from dj_lint.model.findings import CATEGORIES
from golden_tool import GOLDEN, current, golden_path, seed_files


def _cases():
    for name in seed_files():
        for category in CATEGORIES:
            if os.path.exists(golden_path(name, category)):
                yield pytest.param(name, category, id=f"{name[:3]}-{category}")


@pytest.mark.parametrize("seed,category", list(_cases()))
def test_seed_matches_golden(seed, category):
    with open(golden_path(seed, category), encoding="utf-8") as fh:
        expected = [l for l in fh.read().splitlines() if l.strip() and not l.startswith("#")]
    assert current(seed, category) == expected
