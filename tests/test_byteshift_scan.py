"""byte_shift finds the G of a lost 。、 and the surviving half of a lost —— or ……
by one scan (``ByteShiftKind.check``): the same hits, in the same order, as a scan
for each (all the first, then all the second), on generated text."""
import random

from dj_lint.checks.byteshift import ByteShiftKind
from dj_lint.engine import Linter
from dj_lint.engine.linter import shipped_rules
from dj_lint.text.document import Document


def _two_scans(kind, doc, p):
    """The lone G and doubled-mark hits of the former ``check``: a scan for each."""
    text = doc.text
    for i in range(1, len(text)):
        if text[i] in p["single"]:
            hit = kind._single(doc, p, i)
            if hit is not None:
                yield hit
    for at in range(2, len(text)):
        if text[at] in p["doubled"] and text[at - 1] in p["doubled"][text[at]]:
            hit = kind._single(doc, p, at - 1)
            if hit is not None:
                yield hit


def test_one_scan_gives_the_two_scans_hits():
    rules = [r for r in shipped_rules() if r.kind == "byteshift"]
    kind = next(c for c in Linter(rules).checks if isinstance(c, ByteShiftKind))
    p = kind.prepared[0]
    list(kind.check(Document("改选了基矗。", path="t.txt")))
    assert p["bigrams"] is not None and p["single"] and p["doubled"]
    singles = sorted(p["single"])
    doubled = sorted((g, m) for m, gs in p["doubled"].items() for g in gs)
    rng = random.Random(9)
    words = ["基", "改", "入", "学习", "。", "，", "“", "”", "\n", " ", "矗", "——", "……", "a"]
    checked = found = 0
    for _ in range(1500):
        pieces = rng.choices(("single", "doubled", "word"), (25, 15, 60), k=rng.randint(1, 25))
        text = "".join(rng.choice(singles) if kind_ == "single" else rng.choice(words) if kind_ == "word"
                       else (lambda g, m: g + m * rng.choice((1, 2)))(*rng.choice(doubled)) for kind_ in pieces)
        doc = Document(text, path="t.txt")
        want = list(_two_scans(kind, doc, p)) + list(kind._paired(doc, p))
        got = list(kind.check(doc))
        assert [(h.start, h.end, h.suggestion) for h in got] == [(h.start, h.end, h.suggestion) for h in want]
        checked += 1
        found += bool(got)
    assert found > 10
