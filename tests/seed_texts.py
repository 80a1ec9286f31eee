"""Texts for the tests that compare a fast path with a plain one: the seeds, and
their lines shuffled into longer texts (a helper module, as readme_blocks.py)."""
from __future__ import annotations

import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shuffled_seed_texts(seed: int, count: int) -> list:
    """The seeds' texts, then ``count`` texts of 30 of their lines drawn by
    ``random.Random(seed)``, joined by line breaks, blank lines, nothing or 。."""
    folder = os.path.join(ROOT, "seeds")
    texts = [open(os.path.join(folder, n), encoding="utf-8").read() for n in sorted(os.listdir(folder))
             if n.endswith(".txt")]
    rng = random.Random(seed)
    lines = [line for t in texts for line in t.split("\n")]
    texts += ["".join(rng.choice(lines) + rng.choice(["\n", "\n\n", "", "。"]) for _ in range(30))
              for _ in range(count)]
    return texts
