"""broken_name: the spaced words are looked for only in the lines the gate finds
(checks/brokenname.py _spaced_gate), and the deleted-word table is one ``re``
alternation grouped by first character; both find what the plain scans find."""
import random
import re

import regex

from dj_lint.checks.brokenname import BrokenNameKind, _first_char_alternation
from dj_lint.engine import Context, Linter, shipped_rules
from dj_lint.text import lexicon
from dj_lint.text.document import Document


def _kind():
    linter = Linter(shipped_rules(), Context())
    (kind,) = [c for c in linter.checks if isinstance(c, BrokenNameKind)]
    return kind


def _rule(kind, shape):
    (rule,) = [r for r in kind.rules if r.options["shape"] == shape]
    return rule


def _plain_spaced(kind, doc):
    """The words' alternation over the whole text, every match judged (the scan before the gate,
    through ``regex`` and a flat alternation of the words, longest first)."""
    words, _, _ = kind._tables["spaced"]
    text, space = doc.text, "[ \t\u3000]"
    pattern = regex.compile("|".join(space.join(map(re.escape, w)).replace(space, space + "*") for w in words))
    out = []
    for m in pattern.finditer(text):
        s, e = m.span()
        if not re.search(space, m.group()) or "\n" in m.group():
            continue
        ls, le = doc.line_span(s)
        line = text[ls:le]
        outside = line[:s - ls] + line[e - ls:]
        if len(re.findall(r"[\u4e00-\u9fff]" + space + r"+(?=[\u4e00-\u9fff])", outside)) >= 2:
            continue
        word = re.sub(space, "", m.group())
        out.append((s, e, word, {"name": word, "word": word}))
    return out


def test_spaced_words_found_in_gated_lines_are_those_of_the_whole_scan():
    kind = _kind()
    rule = _rule(kind, "spaced")
    words = [w for w in lexicon.filtered_words() + lexicon.fixed_names() if len(w) >= 3]
    rng = random.Random(5)
    pieces = [" ", "\u3000", "\t", "  ", "\n", "的", "在", "。", "党", "中国", "员工"]
    found = 0
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.5:
                w = rng.choice(words)
                # Spaces inside at random places (sometimes none, sometimes a line break).
                parts.append("".join(c + (rng.choice([" ", "\u3000", "\t", "", "", "\n", "  ", " \u3000\t"]) if rng.random() < 0.4 else "")
                                     for c in w))
            else:
                parts.append(rng.choice(pieces))
        doc = Document("".join(parts), path="t.txt")
        got = list(kind._spaced(doc, rule))
        assert got == _plain_spaced(kind, doc), doc.text
        found += len(got)
    assert found > 100


def test_first_char_alternation_finds_what_the_flat_alternation_finds():
    rng = random.Random(8)
    alphabet = "中国共产党员优秀章程关于"
    for _ in range(200):
        literals = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(12)},
                          key=lambda s: (-len(s), s))
        if rng.random() < 0.5:
            rng.shuffle(literals)  # any order: the first literal of the list wins at a position
        flat = regex.compile("|".join(map(re.escape, literals)))
        grouped = re.compile(_first_char_alternation(literals))
        text = "".join(rng.choice(alphabet + "的\n") for _ in range(200))
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_deleted_and_spaced_names_are_reported():
    kind = _kind()
    text = "表彰优秀员和先进基层组织。\n热烈庆祝中国共 产 党成立一百周年。\n第 一 章 中 国 共 产 党\n"
    got = [(text[h.start:h.end], h.suggestion) for h in kind.check(Document(text, path="t.txt"))]
    assert ("优秀员", "优秀共产党员") in got and ("中国共 产 党", "中国共产党") in got
    assert not any(t.startswith("中 国") for t, _ in got)  # a line spaced out as a whole


def test_shared_pass_finds_what_the_own_scans_find(monkeypatch):
    """The deleted-name rests and the spinner's replacements come from the run's
    shared automaton (register_words / shared_words): the findings are those of
    the kind's own scans (the rests' alternation, str.find for each replacement),
    also where a shape is skipped because the pass found none of its words."""
    kind = _kind()
    assert kind._first.get("deleted") is not None and kind._first.get("spinner") is not None
    table, _, rests = kind._deleted_table()
    by_swap, inside = kind._spinner_table()
    rng = random.Random(12)
    name_rests = [rest for names in inside.values() for rest, _ in names]  # 国内|优秀共产党员
    pieces = rests + list(by_swap) + name_rests + ["国内国内", "全国性", "优级中学", "优秀员工", "党", "的", "。", "\n", "中国", "优秀"]
    found = 0
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        got = [(h.start, h.end, h.rule.id, h.suggestion) for h in kind.check(Document(text, path="t.txt"))]
        with monkeypatch.context() as m:
            m.setattr(kind, "_first", {})
            m.setattr(kind, "_handles", {})
            want = [(h.start, h.end, h.rule.id, h.suggestion) for h in kind.check(Document(text, path="t.txt"))]
        assert got == want, text
        found += len(got)
    assert found > 200
