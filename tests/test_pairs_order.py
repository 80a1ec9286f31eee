"""The pairs kind (unclosed brackets and quotes) lists a unit's marks of one kind
as they come and merges them by position only when the unit has both
(``PairsKind._in_order``): the same findings, in the same order, as merging
always, on generated text of brackets, quotes, apostrophes in Latin words,
list markers and line breaks."""
import heapq
import random

from dj_lint.checks import pairs
from dj_lint.engine import Linter, shipped_rules
from dj_lint.text.document import Document

PIECES = ["（", "）", "(", ")", "“", "”", "‘", "’", "《", "》", "【", "】", "学习", "。", "\n", "\n\n",
          "don’t", "1）", "一、", " ", "“重要讲话”"]


def _found(linter, texts):
    return [[(f.rule, f.line, f.column, f.message) for f in linter.lint(Document(t, path="t.txt"))]
            for t in texts]


def test_marks_listed_alone_or_merged_give_the_same_findings(monkeypatch):
    rules = [r for r in shipped_rules() if r.kind == "pairs"]
    assert rules
    rng = random.Random(7)
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 60))) for _ in range(400)]
    texts += ["（" * 3000, "）" * 3000 + "\n" + "（" * 10, "“" * 2000 + "”" * 500]
    fast = _found(Linter(rules), texts)
    alone = [0]

    def merged(still_open, never_opened, opened, lone):
        if not (opened and lone):
            alone[0] += 1
        return heapq.merge(still_open, never_opened)

    monkeypatch.setattr(pairs.PairsKind, "_in_order", staticmethod(merged))
    assert _found(Linter(rules), texts) == fast
    assert alone[0] > 100 and sum(map(len, fast)) > 1000
