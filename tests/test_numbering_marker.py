"""numbering.marker_for writes only the style's own marker: the same text (or the
same error) as the former table of every style's marker, for every style and number."""
from __future__ import annotations

import dataclasses

import pytest

from dj_lint.checks import numbering
from dj_lint.text.numerals import cn_numeral


def _plain(style, n):
    cn = cn_numeral(n)
    return {"cn": f"{cn}、", "part": f"第{cn}部分", "lenticular": f"【{n}】", "paren-cn": f"（{cn}）",
            "dot": f"{n}.", "dot-fw": f"{n}．", "dun": f"{n}、", "paren-num": f"（{n}）",
            "half-paren": f"（{n}）", "circled": chr(ord("①") + n - 1) if 0 < n <= 20 else str(n)}[style]


def _outcome(f, style, n):
    try:
        return f(style, n)
    except Exception as exc:  # the same failure, if any
        return type(exc)


@pytest.mark.parametrize("style", list(numbering._STYLE_NAMES) + ["unknown"])
def test_marker_for_equals_the_table_of_every_style(style):
    for n in range(-3, 130):
        assert _outcome(numbering.marker_for, style, n) == _outcome(_plain, style, n), (style, n)


def _plain_walk(headings):
    """_walk as it was: the parents and the sorted deeper levels of every heading."""
    last = {}
    for h in headings:
        prev = last.get(h.level)
        parents = [k for k in last if k < h.level]
        deeper = sorted(k for k in last if k > h.level)
        if prev is None and parents and h.level - max(parents) >= 3:
            p = last[max(parents)]
            skipped = "".join(f"“{numbering._LEVEL_NAMES[k]}”" for k in range(p.level + 1, h.level))
            yield "nesting", h, {"problem": f"直接用在“{p.marker}”之下，跳过了{skipped}",
                                 "expected": numbering._LEVEL_NAMES[p.level + 1]}
        elif prev is None and deeper:
            d = last[deeper[0]]
            yield "nesting", h, {"problem": f"出现在同一上级标题下的“{d.marker}”之后，层级顺序颠倒",
                                 "expected": numbering._LEVEL_NAMES[h.level]}
        problem = numbering._sequence_problem(prev, h)
        if problem:
            expected = numbering.marker_for(h.style, 1 if prev is None else prev.number + 1)
            yield "sequence", h, {"problem": problem, "expected": expected}
        last[h.level] = h
        for k in deeper:
            del last[k]


def _plain_mixed(headings):
    """What _mixed reports, worked out level by level over all headings: on a level
    with two styles or more, each heading not in the most common one (the first
    seen of equals)."""
    levels = []
    for h in headings:
        if h.style != "half-paren" and h.level not in levels:
            levels.append(h.level)
    out = []
    for level in levels:
        hs = [h for h in headings if h.level == level and h.style != "half-paren"]
        seen = list(dict.fromkeys(h.style for h in hs))
        if len(seen) > 1:
            main = max(seen, key=lambda style: sum(h.style == style for h in hs))
            out += [(h.start, numbering.marker_for(main, h.number),
                     {"expected": numbering._STYLE_NAMES[main], "problem": numbering._STYLE_NAMES[h.style]})
                    for h in hs if h.style != main]
    return out


def test_walk_and_mixed_equal_their_plain_forms_on_generated_headings():
    """_walk skips the nesting tests for a heading after one of its own level and
    _mixed turns away a document whose every level has one style: the findings
    are those of the plain forms, on random runs of headings of every level and
    style (sequences in order, skipped, repeated, restarted; levels skipped)."""
    import random
    from dj_lint.text.structure import Heading
    styles = {1: ["cn", "part", "lenticular"], 2: ["paren-cn"], 3: ["dot", "dot-fw", "dun"],
              4: ["paren-num", "half-paren"], 5: ["circled"]}
    rng = random.Random(17)
    found = {"nesting": 0, "sequence": 0, "mixed": 0}
    for _ in range(3000):
        headings, numbers = [], {}
        for k in range(rng.randint(0, 14)):
            level = rng.choice([1, 1, 2, 2, 3, 3, 4, 5])
            n = numbers.get(level, 0) + rng.choice([1, 1, 1, 1, 0, 2, -1]) if rng.random() < 0.9 else 1
            n = max(1, n)
            numbers[level] = n
            style = rng.choice(styles[level]) if rng.random() < 0.2 else styles[level][0]
            headings.append(Heading(k, 10 * k, 10 * k + 2, level, n, style, f"m{k}", "正文", 0))
        got = [(c, h.start, f) for c, h, f in numbering._walk(headings)]
        assert got == [(c, h.start, f) for c, h, f in _plain_walk(headings)]
        mixed = [(hit.start, hit.suggestion, hit.fields) for hit in numbering._mixed(headings, "rule")]
        assert mixed == _plain_mixed(headings)
        for c, _, _ in got:
            found[c] += 1
        found["mixed"] += len(mixed)
    assert min(found.values()) > 100, found


def test_a_restart_without_a_new_parent_asks_for_the_next_number():
    """A "一、" after "三、" with no new parent heading: the finding says which
    number continues the sequence ("四、"), not the "一、" the line already has."""
    from dj_lint.engine.linter import Linter, shipped_rules
    from dj_lint.model.selectors import select_rules
    from dj_lint.text.document import Document
    text = "一、加强组织建设\n二、推进作风建设\n三、强化纪律建设\n一、严格监督执纪\n"
    linter = Linter(select_rules(shipped_rules(), ["DJ620"], []))
    found = linter.lint(Document(text, path="t.txt"))
    assert [(f.rule, f.line, f.column, f.text) for f in found] == [("DJ620", 4, 1, "一、")]
    assert found[0].message == "标题序号“一、”重新从头编号，但前面没有新的上级标题，此处应为“四、”，请按顺序编号。"


def _plain_lists(doc, series, by_check):
    """_lists as it was: _list_problem asked of every item."""
    from collections import defaultdict
    seq, mark = by_check.get("list-sequence"), by_check.get("list-marker")
    groups = defaultdict(list)
    for item in series:
        groups[(item.scope, item.family)].append(item)
    out = []
    for (_, family), items in groups.items():
        last = None
        for item in items:
            problem = numbering._list_problem(last.number if last is not None else None, item.number)
            if seq and problem:
                out.append((item.start, item.end, seq, None,
                            {"problem": problem, "expected": numbering._list_marker(item.family, last.number + 1)}))
            last = item
        if mark and family == "di" and len(items) >= 2:
            out += [(item.start, item.end, mark, doc.text[item.start:item.end - 1] + "，", {})
                    for item in items if item.mark == "、"]
    return out


def _outcome_of(make):
    try:
        return make()
    except Exception as exc:  # the same failure, if any
        return type(exc)


def test_lists_equal_their_plain_form_on_generated_series():
    """_lists asks _list_problem only of an item that neither starts nor continues
    its series: the findings (or the failure) are those of asking every item, on
    random series of every family, in order, repeated, skipped, reversed, restarted,
    and with numbers of None (which never fail)."""
    import random
    from dj_lint.text.document import Document
    from dj_lint.text.structure import SeriesItem
    rng = random.Random(23)
    doc = Document("第一、" * 10)
    checks = [{"list-sequence": ["seq"], "list-marker": ["mark"]}, {"list-marker": ["mark"]}]
    found = {"problem": 0, "failure": 0, "none": 0}
    for _ in range(3000):
        series, numbers = [], {}
        for k in range(rng.randint(0, 12)):
            family, scope = rng.choice(["shi", "di", "circ"]), rng.choice([0, 0, 1])
            n = numbers.get((scope, family), 0) + rng.choice([1, 1, 1, 1, 0, 2, -1, -3])
            n = None if rng.random() < 0.1 else (1 if rng.random() < 0.1 else max(1, n))
            numbers[(scope, family)] = n or 0
            found["none"] += n is None
            series.append(SeriesItem(3 * k, 3 * k + 3, family, n, rng.choice(["、", "，", ""]), 0, scope))
        rows = [dataclasses.astuple(item) for item in series]  # what the outline keeps
        for by_check in checks:
            got = _outcome_of(lambda: [(h.start, h.end, h.rule, h.suggestion, h.fields)
                                       for h in numbering._lists(doc, rows, by_check)])
            want = _outcome_of(lambda: _plain_lists(doc, series, {k: v[0] for k, v in by_check.items()}))
            assert got == want, (series, by_check)
            if isinstance(want, type):
                found["failure"] += 1
            elif any(fields for *_, fields in want):
                found["problem"] += 1
    assert found["failure"] == 0 and found["problem"] > 50 and found["none"] > 50, found


def test_an_item_whose_numeral_does_not_parse_is_not_an_internal_error(tmp_path):
    """一二是 reads as a "shi" item with no number; the item after it was compared with
    None and the run ended in an internal error (exit 2). Now neither is judged."""
    from dj_lint.cli import main
    report = tmp_path / "report.txt"
    report.write_text("标题\n\n。一二是某某。三是某某。\n", encoding="utf-8")
    assert main(["--no-config", "--jobs", "1", "--format", "json", str(report)]) in (0, 1)


def _plain_check(kind, doc):
    """NumberingKind.check as it was: the parts' lists and the lists' groups made for
    every document, which checks run asked a document part."""
    from collections import defaultdict
    outline = doc.outline
    by_check = {check: rules[0] for check, rules in kind._by_check.items()}  # one rule each here
    parts = defaultdict(list)
    for h in outline.headings:
        if h.numbered:
            parts[h.part].append(h)
    for headings in parts.values():
        if "sequence" in by_check or "nesting" in by_check:
            for check, h, fields in numbering._walk(headings):
                if check in by_check:
                    yield numbering.Hit(h.start, h.end, by_check[check], fields=fields)
        if "mixed" in by_check:
            yield from numbering._mixed(headings, by_check["mixed"])
    rule = by_check.get("marker")
    if rule:
        for h in outline.headings:
            if h.suggestion:
                yield numbering.Hit(h.start, h.end, rule, h.suggestion, {"problem": numbering._marker_problem(h)})
    if "list-sequence" in by_check or "list-marker" in by_check:
        yield from numbering._lists(doc, outline.series_rows, kind._by_check)


def test_check_equals_its_plain_form_for_every_set_of_checks():
    """check works out once which checks run and skips the parts of a document
    without headings and the lists of one without list items: the same hits, in the
    same order, as the plain check, for each check alone and all together, on
    generated documents with headings only, list items only, both and neither."""
    import random
    from dj_lint.engine.linter import Linter, shipped_rules
    from dj_lint.model.selectors import select_rules
    from dj_lint.text.document import Document
    numbering_ids = ["DJ620", "DJ621", "DJ622", "DJ623", "DJ624", "DJ625"]
    kinds = []
    for ids in [[i] for i in numbering_ids] + [numbering_ids]:
        linter = Linter(select_rules(shipped_rules(), ids, []))
        kinds += [c for c in linter.checks if isinstance(c, numbering.NumberingKind)]
    assert len(kinds) == 7
    rng = random.Random(5)
    heads = ["一、", "三、", "一.", "（一）", "（二）、", "1.", "2、", "3．", "（1）", "2)", "①", "第一篇：", "\n"]
    items = ["一是", "二是", "四是", "第一，", "第二、", "第三、", "首先，", "其次，", "①", "③"]
    prose = ["学习贯彻会议精神", "。", "，", "\n", "\n", "关于开展工作的通知\n"]
    shapes, hits = set(), 0
    for _ in range(400):
        pool = prose + rng.choice([[], heads, items, heads + items])
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        doc = Document(text, path="t.txt")
        shapes.add((bool(doc.outline.headings), bool(doc.outline.series)))
        for kind in kinds:
            got = [(h.start, h.end, h.rule.id, h.suggestion, h.fields) for h in kind.check(doc)]
            want = [(h.start, h.end, h.rule.id, h.suggestion, h.fields) for h in _plain_check(kind, doc)]
            assert got == want, (text, sorted(kind._by_check))
            hits += len(got)
    assert shapes == {(False, False), (False, True), (True, False), (True, True)} and hits > 500, (shapes, hits)


def test_a_fragment_is_told_apart_as_next_nonblank_lines_tells():
    """sections' _is_document finds the first lines with more than whitespace by
    ``filter(str.strip, …)``: the same answer as Document.next_nonblank_lines, on
    texts of every kind of blank (NBSP, the ideographic space, \\r, \\v, \\x1c, U+2028)."""
    import random
    from dj_lint.checks import sections
    from dj_lint.text.document import Document
    rng = random.Random(3)
    pieces = ["\n", "\n", " ", "\t", "　", "\u00a0", "\r", "\x0b", "\x1c", "\u2028", "\u200b", "字", "学习贯彻" * 20]
    answers = set()
    for _ in range(2000):
        doc = Document("".join(rng.choice(pieces) for _ in range(rng.randint(0, 80))), path="t.txt")
        want = len(doc.text) >= sections.MIN_CHARS and len(doc.next_nonblank_lines(-1, sections.MIN_LINES)) >= 5
        assert sections._is_document(doc) == want, repr(doc.text)
        answers.add(want)
    assert answers == {True, False}


def test_two_rules_with_one_check_both_report(tmp_path):
    """A user's pack may hold two numbering rules with the same ``check`` (its own
    copy of one, with another message or severity): each reports. The kind kept one
    rule per check, so only the last one did."""
    from dj_lint.engine.linter import Linter
    from dj_lint.text.document import Document
    from conftest import user_pack
    rules = [{"id": f"X62{n}", "name": f"heading-sequence-{n}", "check": check, "message": "{text} %d" % n}
             for n, check in ((0, "sequence"), (1, "sequence"), (2, "list-marker"), (3, "list-marker"))]
    examples = {"bad": [{"text": "一、甲\n三、乙\n", "match": "三、"}], "good": ["一、甲\n二、乙\n"]}
    linter = Linter(user_pack(tmp_path / "numbering.yaml", "numbering", "structure", rules, examples))
    text = "一、加强组织建设\n三、推进作风建设\n第一、学习。第二、落实。\n"
    got = [(f.rule, f.line, f.column, f.text) for f in linter.lint(Document(text, path="t.txt"))]
    assert got == [("X620", 2, 1, "三、"), ("X621", 2, 1, "三、"),
                   ("X622", 3, 1, "第一、"), ("X623", 3, 1, "第一、"),
                   ("X622", 3, 7, "第二、"), ("X623", 3, 7, "第二、")]
