"""line_block's ``_scattered`` keeps each line's name as a block grows from its
seed instead of classifying the block's lines again to list them: the same
blocks as the plain reading (grow, then classify every line of the block), on
generated texts of masthead lines, fillers, prose and blank lines."""
import random

from dj_lint.checks import lineblock
from dj_lint.engine import Linter, shipped_rules
from dj_lint.text.document import Document


def _plain(kind, doc, p, lines):
    classify = kind._classify
    done = -1
    for seed in kind._seeds(doc, p):
        if seed <= done or classify(p, lines[seed]) is None:
            continue
        lo = seed
        while lo > 0 and (not lines[lo - 1].strip() or classify(p, lines[lo - 1]) is not None):
            lo -= 1
        hi = seed
        while hi + 1 < len(lines) and (not lines[hi + 1].strip() or classify(p, lines[hi + 1]) is not None):
            hi += 1
        done = hi
        yield [(k, classify(p, lines[k])) for k in range(lo, hi + 1) if lines[k].strip()]


def test_blocks_grown_once_are_the_plain_blocks():
    rules = [r for r in shipped_rules() if r.kind == "line_block"]
    (kind,) = [c for c in Linter(rules).checks if isinstance(c, lineblock.LineBlockKind)]
    scattered = [p for p in kind.prepared if p["anchor"] == "any"]
    assert scattered
    rng = random.Random(3)
    pieces = ["A2", "第3版", "2019年12月31日 星期二", "新闻热线:0371-65830000", "东方今报", "主管主办:河南广播电视台",
              "国内统一刊号:CN41-0092", "邮发代号:35-48", "", "  ", "正文第一段，讲学习。", "星期天休息。", "读者热线"]
    blocks = 0
    for _ in range(400):
        text = "\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        doc = Document(text, path="t.txt")
        for p in scattered:
            got = list(kind._scattered(doc, p, doc.lines))
            assert got == list(_plain(kind, doc, p, doc.lines))
            blocks += sum(len(b) > 1 for b in got)
    assert blocks > 200
