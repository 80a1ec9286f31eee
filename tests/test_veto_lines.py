"""Vetoes on the line of a match (checks/base.py Veto): an ``unless_line`` veto
drops every match on its line, and a match that runs over a line break is
judged on both lines; a flood of matches on one line asks for its verdict once.
Exact positions through the whole engine."""
import datetime as dt

from dj_lint.engine import Context, Linter, shipped_rules
from dj_lint.packs.loader import load_rules
from dj_lint.text.document import Document

PACK = """\
- id: USR901
  name: test-pair
  category: typo
  severity: warning
  kind: pattern
  pattern: '甲\\n?乙'
  unless_line: '停'
  unless: '丙甲'
  message: 测试用规则
  examples: {bad: [{text: '甲乙', match: '甲乙'}], good: ['甲乙停', '丙甲乙']}
"""


def _lint(tmp_path, text):
    path = tmp_path / "p.yaml"
    path.write_text(PACK, encoding="utf-8")
    linter = Linter(load_rules([str(path)]), Context(as_of=dt.date(2026, 12, 1), max_per_rule=0))
    return [(f.line, f.column, f.end_line, f.end_column, f.text)
            for f in linter.lint(Document(text, path="t.txt"))]


def test_line_vetoes_line_by_line_and_across_a_break(tmp_path):
    text = "甲乙，甲乙，丙甲乙\n甲乙停\n又甲\n乙停，甲乙\n甲乙"
    assert _lint(tmp_path, text) == [
        (1, 1, 1, 3, "甲乙"), (1, 4, 1, 6, "甲乙"),   # 丙甲乙: overlapped by the unless
        # line 2 holds 停; the match over lines 3-4 and the one on line 4 see 停 on line 4
        (5, 1, 5, 3, "甲乙")]


def test_a_flood_on_one_line_then_a_vetoed_line(tmp_path):
    text = "甲乙_" * 3000 + "\n" + "甲乙停" * 3 + "\n甲乙"
    got = _lint(tmp_path, text)
    assert len(got) == 3001
    assert got[:2] == [(1, 1, 1, 3, "甲乙"), (1, 4, 1, 6, "甲乙")]
    assert got[-2:] == [(1, 8998, 1, 9000, "甲乙"), (3, 1, 3, 3, "甲乙")]


def test_shipped_blanks_flood_with_rule_lines(tmp_path):
    linter = Linter([r for r in shipped_rules() if r.id == "DJ202"], Context(as_of=dt.date(2026, 12, 1)))
    text = "__*" * 2000 + "\n＿＿＿＿\n" + "*__" * 3
    got = [(f.line, f.column, f.end_column) for f in linter.lint(Document(text, path="t.txt"))]
    assert len(got) == 1000  # --max-per-rule
    assert got[:2] == [(1, 1, 3), (1, 4, 6)] and got[-1] == (1, 2998, 3000)
    linter.ctx.max_per_rule = 0
    got = [(f.line, f.column, f.end_column) for f in linter.lint(Document(text, path="t.txt"))]
    assert len(got) == 2003 and got[-3:] == [(3, 2, 4), (3, 5, 7), (3, 8, 10)]


def test_kept_is_vetoes_match_by_match(tmp_path):
    """Veto.kept, which takes a line's verdict for the matches after the first on it
    without asking ``vetoes``, keeps what ``vetoes`` asked for each match keeps: with
    and without an ``unless``, over line breaks, in an idle short document and in
    generated ones (more than _IDLE_MOST characters)."""
    import random

    import regex

    from dj_lint.checks.base import Veto

    line_only = PACK.replace("  unless: '丙甲'\n", "").replace(", '丙甲乙'", "")
    rng = random.Random(7)
    texts = ["甲乙，甲乙，丙甲乙\n甲乙停\n又甲\n乙停，甲乙\n甲乙", "甲乙" * 20]
    texts += ["".join(rng.choice(["甲乙", "甲\n乙", "丙甲乙", "停", "\n", "，", "甲"]) for _ in range(n))
              for n in (50, 900, 3000)]
    for source in (PACK, line_only):
        path = tmp_path / "p.yaml"
        path.write_text(source, encoding="utf-8")
        rule = load_rules([str(path)])[0]
        pat = regex.compile("甲\\n?乙")
        for text in texts:
            doc = Document(text, path="t.txt")
            found = [(m.start(), m.end(), rule, None) for m in pat.finditer(text)]
            one_by_one = Veto(rule)
            expected = [item for item in found if not one_by_one.vetoes(doc, item[0], item[1])]
            assert Veto(rule).kept(doc, found) == expected
            assert len(expected) < len(found) or "停" not in text
