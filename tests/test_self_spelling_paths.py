"""self_spelling's two ways to its keys give the same keys: the n-gram sets of
the text (``_keys_scanned``, a short run's first documents) and the dictionary's
index of short forms (``_keys_indexed``). A run that registered the short forms
before its first document takes the index from that document on, so the two must
agree for the findings not to depend on where a file stands in the run."""
from __future__ import annotations

import datetime as dt
import random

import pytest

from dj_lint.checks.selfspelling import SelfSpellingKind
from dj_lint.engine import Context, Linter, select_rules, shipped_rules
from dj_lint.text import multiscan, segment

from seed_texts import shuffled_seed_texts


def _in_confirm_order(keys: dict) -> dict:
    """The keys with each short form's full words in the order ``_confirm`` tries them."""
    return {short: sorted(cands, key=lambda c: -segment.frequency(c[0])) for short, cands in keys.items()}


@pytest.mark.skipif(not multiscan.available(), reason="no automaton: the index is never used")
def test_the_scanned_and_the_indexed_keys_agree():
    linter = Linter(select_rules(shipped_rules(), ["typo"]), Context(as_of=dt.date(2026, 12, 1)))
    (kind,) = [c for c in linter.checks if isinstance(c, SelfSpellingKind)]
    texts = shuffled_seed_texts(17, 20)
    # Texts that write a full word and, elsewhere, its short form (a key each).
    rng = random.Random(5)
    for _, _, (lo, hi, min_count, _) in kind.specs:
        index = kind._index(lo, hi, min_count)
        picks = rng.sample(range(len(index.shorts)), 40)
        texts += ["".join(f"各单位{full}工作扎实。\n{index.shorts[i]}工作继续推进。\n"
                          for full, _ in index.full_words(i)) for i in picks]
    found = 0
    for text in texts:
        for _, _, (lo, hi, min_count, _) in kind.specs:
            scanned = kind._keys_scanned(text, lo, hi, min_count)
            indexed = kind._keys_indexed(text, lo, hi, min_count)
            assert _in_confirm_order(indexed) == _in_confirm_order(scanned)
            found += len(scanned)
    assert found >= 40
