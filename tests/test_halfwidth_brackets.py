"""Half-width brackets in Chinese context (checks/halfwidth.py paren_candidates):
a line with one kind of bracket only, or with very many, is judged in bulk; the
brackets that count are those of the bracket-by-bracket reading."""
import random

from dj_lint.checks import halfwidth
from dj_lint.checks.halfwidth import paren_candidates


def _reference(text):
    """Pair the brackets of each line one by one (the plain reading)."""
    def touches(pos):
        return halfwidth._touches(text, pos)

    found, start = [], 0
    for line in text.split("\n"):
        stack = []
        for i, ch in enumerate(line):
            pos = start + i
            if ch == "(":
                stack.append(pos)
            elif ch == ")":
                if stack:
                    open_pos = stack.pop()
                    before = text[open_pos - 1:open_pos]
                    glued = before == "]" or (before.isascii() and before.isalnum())
                    if halfwidth._HAN_RE.search(text, open_pos + 1, pos) or (
                            not glued and (touches(open_pos) or touches(pos))):
                        found.extend((open_pos, pos))
                elif touches(pos):
                    found.append(pos)
        found.extend(p for p in stack if touches(p))
        start += len(line) + 1
    return sorted(found)


def test_lone_and_many_brackets():
    text = "会议(一)\n(((党员(\nf(x)(((" + "(" * 40 + "支部)\n)）" + ")" * 5 + "。"
    assert paren_candidates(text) == _reference(text)
    # line 2: the ( before 党 and the ( after 员; line 3: the last ( before 支部 and
    # its pair; line 4: the ) before ）, the ) after it and the ) before 。
    assert [(p, text[p - 1:p + 2]) for p in paren_candidates(text)] == [
        (2, "议(一"), (4, "一)\n"), (8, "((党"), (11, "员(\n"), (59, "((支"), (62, "部)\n"),
        (64, "\n)）"), (66, "）))"), (70, "))。")]


def test_brackets_match_the_bracket_by_bracket_reading():
    rnd = random.Random(17)
    pieces = ["(", "(", ")", ")", "党", "员", "x", "1", "]", "，", " ", "\n", "(" * 40, ")" * 35, "（"]
    for _ in range(500):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 30)))
        assert paren_candidates(text) == _reference(text), repr(text)


def test_flat_pairs_in_one_search_match_the_bracket_by_bracket_reading(monkeypatch):
    """A text whose brackets are all pairs with none between them (``_FLAT_COUNTS``)
    gives what pairing them line by line gives."""
    rnd = random.Random(23)
    plain = ["党", "员", "x", "A", "1", "]", "，", "。", "（", "）", "“", " ", "\n", "\U00020000", "-"]
    paired = []
    monkeypatch.setattr(halfwidth, "_paired_candidates",
                        lambda text: paired.append(text) or [-1])  # never taken for a flat text
    flat = 0
    for _ in range(3000):
        parts = []
        for _ in range(rnd.randint(1, 12)):
            inner = "".join(rnd.choice(plain) for _ in range(rnd.choice((0, 1, 1, 2, 3))))
            parts.append("(" + inner + ")" if rnd.random() < 0.5 else inner)
        text = "".join(parts)
        got = paren_candidates(text)
        if paired and paired[-1] is text:
            continue  # a ( and ) on different lines: not flat
        assert got == _reference(text), repr(text)
        flat += bool(got)
    assert flat > 1500


def test_the_document_finding_points_at_the_first_mark_a_bracket_too():
    """DJ802's one finding says "这里是第一处": at the first half-width mark that
    counts, here a bracket, before the first comma and the first full stop (it
    was put at the comma whenever the text also held a full stop)."""
    from dj_lint.engine.linter import lint_text
    text = ("会议(扩大)召开了，大家认真学习。接着又说了很多话,然后散会了. 还有一句话, "
            "以及另一句话; 最后一句话: 结束了! 真的结束了? 是的, 结束了.\n")
    found = [f for f in lint_text(text) if f.rule == "DJ802"]
    assert [(f.line, f.column, f.text) for f in found] == [(1, 3, "(")]
    assert "第一处" in found[0].message
    # Without the brackets (and two commas more, to keep the count) the comma.
    plain = text.replace("(扩大)", "扩大").replace("是的, ", "是的, 好, 好, ")
    found = [f for f in lint_text(plain) if f.rule == "DJ802"]
    assert [(f.line, f.column, f.text) for f in found] == [(1, plain.index(",") + 1, ",")]


def test_clause_marks_found_mark_by_mark_are_those_of_the_one_class():
    """The clause marks that count are found by one literal-led pattern per mark
    (``_CLAUSE_EACH``): the same offsets as the one class pattern ``_CLAUSE``, the
    same counts and first offsets (each mark's pattern searched to its first, the
    rest counted from there on), and the same first mark of any set of marks."""
    rnd = random.Random(23)
    pieces = [",", ";", ":", "?", "!", "党", "员", "x", "A", "1", "%", ")", " ", "\n", "“", "”", "（", "》",
              "/", "]", "会议,", "19.1%,财政", "北京, China", "18:30", "http://a"]
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40))) for _ in range(800)]
    total = 0
    for text in texts:
        plain = [m.start() for m in halfwidth._CLAUSE.finditer(text)]
        total += len(plain)
        assert sorted(halfwidth.clause_candidates(text)) == plain
        counts = {}
        for p in plain:
            counts[text[p]] = counts.get(text[p], 0) + 1
        plain_firsts = {}
        for p in plain:
            plain_firsts.setdefault(text[p], p)
        assert halfwidth.clause_counts(text) == (counts, plain_firsts)
        firsts = plain_firsts
        for marks in (",", ",;", ":?!", halfwidth._CLAUSE_MARKS, ",.()"):
            first = next((p for p in plain if text[p] in marks), None)
            assert halfwidth.first_clause(firsts, marks) == first
    assert total > 500
