"""A long document without Chinese text (a line of brackets, a flood of stars)
builds none of the word automata that only Chinese text can need: near_miss's
keys and self_spelling's short forms all hold Han characters. A Chinese document
linted after it is judged as usual."""
import datetime as dt

from dj_lint.checks import nearmiss
from dj_lint.checks.nearmiss import NearMissKind
from dj_lint.checks.selfspelling import SelfSpellingKind
from dj_lint.engine import Context, Linter, select_rules, shipped_rules
from dj_lint.text.document import Document


def test_no_word_automaton_for_a_text_without_han():
    linter = Linter(select_rules(shipped_rules(), ["typo"]), Context(as_of=dt.date(2026, 12, 1)))
    (near,) = [c for c in linter.checks if isinstance(c, NearMissKind)]
    (spelling,) = [c for c in linter.checks if isinstance(c, SelfSpellingKind)]
    nearmiss._SCANS.clear()
    nearmiss._LOOPED.clear()
    text = "(" * 60000 + "\n" + "*_" * 30000 + "\nabc 123,\n"
    assert [f.rule for f in linter.lint(Document(text, path="t.txt")) if f.rule in
            {r.id for r in near.rules + spelling.rules}] == []
    assert nearmiss._SCANS == {} and spelling._indexes == {}
    # Then a Chinese report: both kinds find their typos, at their places.
    text = "水利工程系党支部举办讲座。\n水工程系团委承办。\n支部围绕改建工作作风开展专题学习。\n"
    got = [(f.line, f.column, f.end_column, f.text, f.suggestion)
           for f in linter.lint(Document(text, path="t.txt"))]
    assert (2, 1, 4, "水工程", "水利工程") in got
    assert (3, 5, 11, "改建工作作风", "改进工作作风") in got
