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


def test_a_unit_of_one_opener_gives_what_the_stacks_give(monkeypatch):
    """A unit whose marks are all one opener (a paragraph that lost its closers, a
    flood of （) takes a way without a Python step per mark (pairs._ONE_OPENER),
    its hits yielded as one Flood: the same findings, in the same order, and the
    same counts past the cap, as the general way, also where the next line
    starts with the same opener (a quotation over paragraphs), closes it (a
    broken line), or the text stops mid-quotation (the last opener kept)."""
    rules = [r for r in shipped_rules() if r.kind == "pairs"]
    rng = random.Random(11)
    lines = ["“" * 3 + "学习", "“学习“讲话", "（" * 40, "“" * 500, "”后文。", "学习。”", "（一）学习",
             "‘" * 5, "don’t “stop", "“", "学习（", "1）学习", "学习。", ""]
    texts = ["\n".join(rng.choice(lines) for _ in range(rng.randint(1, 8))) + rng.choice(["", "。", "\n"])
             for _ in range(600)]
    texts += ["（" * 100_000 + "\n" + "“" * 100_000 + "\n", "学（" * 3000 + "\n" + "（（学" * 700]
    linter = Linter(rules)
    fast = _found(linter, texts)
    monkeypatch.setattr(pairs, "_ONE_OPENER", False)
    general = Linter(rules)
    assert _found(general, texts) == fast
    assert sum(map(len, fast)) > 3000
    # Past --max-per-rule (the flood's hits counted, not made): the same counts.
    assert general.ctx.warnings == linter.ctx.warnings and "共 199999 处" in "".join(linter.ctx.warnings)


def test_lines_left_uneven_by_one_scan_are_the_lines_with_findings(monkeypatch):
    """A plain text's lines are looked at only where their marks do not cancel out as
    adjacent pairs (``PairsKind._uneven_lines``, one scan of the whole text): the
    same findings, in the same order, as looking at every line, on texts with
    balanced lines, blank and space-only lines, lines closed on the next one and
    lines around the indented and the CR-ended."""
    rules = [r for r in shipped_rules() if r.kind == "pairs"]
    rng = random.Random(21)
    pieces = PIECES + ["\r\n", "\n　\n", "\n \t", "“学习”", "（一）", "《讲话》“", "】", "\n"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 80))) for _ in range(600)]
    texts += ["学习。\n" * 50 + "“讲话\n" + "学习”。\n" * 3]
    fast = _found(Linter(rules), texts)
    every = [0]

    def every_line(self, doc, units, plan):
        every[0] += 1
        return range(len(units))

    monkeypatch.setattr(pairs.PairsKind, "_uneven_lines", every_line)
    assert _found(Linter(rules), texts) == fast
    assert every[0] == len(texts) and sum(map(len, fast)) > 1000
    assert sum(1 for f in fast if not f) > 10  # texts the scan passes whole
