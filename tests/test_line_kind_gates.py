"""Fast paths of the structural and line kinds against their plain forms, on
generated text (session 10): each fast path must find what the plain scan finds."""
from __future__ import annotations

import copy
import random

import pytest
import regex

from dj_lint.checks import datecheck
from dj_lint.engine.linter import Context, Linter, shipped_rules
from dj_lint.text import multiscan
from dj_lint.text.document import Document


def _kind(linter, name):
    return [c for c in linter.checks if type(c).__name__ == name][0]

# Digits of every sort \d knows (ASCII, full-width, Arabic-Indic, one that only the
# regex module's newer Unicode tables call a digit), blanks, the date's own marks
# and what its lookbehind turns away.
_DATE_PIECES = (list("0123456789") * 3 + ["１", "２", "٣", "\U00010d41"]
                + [" ", "  ", "\t", "\n", "\u3000", "\xa0", "\x1c"]
                + ["月"] * 6 + ["日"] * 4 + ["年", ".", "/", "-", "党", "岁月", "月份"]
                + ["6月", "12 月", "5日", "31 日"] * 3)


def _date_text(rng, size):
    return "".join(rng.choice(_DATE_PIECES) for _ in range(size))


def test_date_checks_of_digits_are_skipped_only_in_a_text_without_a_digit():
    """check() runs bare_digits, lost_month and clock only where the text holds a
    digit (ASCII or any other \\d): the same hits as every rule's check run on its
    own, on texts with digits of every sort or none."""
    kind = _kind(Linter(shipped_rules(), Context()), "DateCheckKind")
    assert {rule.options["check"] for _, rule, of_digits in kind._plan if of_digits} == set(datecheck._OF_DIGITS)
    rng = random.Random(29)
    pieces = ["下午", "晚上", "上午", "点", "时", "日", "，", "\n", "党员", "月"]
    # (Not U+10D41, a digit to regex's newer tables that int() rejects: the checks'
    # int() raises on it, with the gate or without.)
    digits = ["1", "6", "2", "0", "１", "６", "２", "٣", "٢"]
    found = set()
    for _ in range(1500):
        pool = pieces + (rng.choice([digits, digits[4:], []]) * 3)
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        doc = Document(text, path="t.txt")
        want = [(h.rule.id, h.start, h.end) for method, rule, _ in kind._plan for h in method(kind, doc, rule)]
        assert [(h.rule.id, h.start, h.end) for h in kind.check(Document(text, path="t.txt"))] == want, text
        found.update((rule, any(c in text for c in "0123456789")) for rule, _, _ in want)
    # Findings of each check, and some in texts whose only digits are not ASCII.
    assert len({rule for rule, _ in found}) >= 2 and {ascii for _, ascii in found} == {True, False}, found


def test_month_days_before_each_yue_are_the_scans_matches(monkeypatch):
    rng = random.Random(17)
    found = 0
    for sparse in (1, datecheck._SPARSE_MONTHS):  # 1: never the flood's scan
        monkeypatch.setattr(datecheck, "_SPARSE_MONTHS", sparse)
        for _ in range(3000):
            text = _date_text(rng, rng.randint(0, 40))
            if rng.random() < 0.3:  # sparse 月 among long prose
                text = "党" * rng.randint(0, 200) + text + "党" * rng.randint(0, 200)
            want = [(m.span(), m.groupdict()) for m in datecheck._MD.finditer(text)]
            got = [(m.span(), m.groupdict()) for m in datecheck._month_days(text)]
            assert got == want, text
            found += len(want)
    assert found > 1000


def test_blanks_before_is_the_run_of_white_space():
    white = regex.compile(r"\s", datecheck._MD.flags)
    rng = random.Random(5)
    chars = [" ", "\t", "\n", "\u3000", "\x1c", "\x85", "a", "月", "1"]
    for _ in range(2000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 12)))
        lo = rng.randint(0, len(text))
        p = rng.randint(lo, len(text))
        q = p
        while q > lo and white.match(text[q - 1]):
            q -= 1
        assert datecheck._BLANKS_BEFORE.match(text, lo, p).span() == (q, p)


# -- elided_number: units after a preposition or verb from the shared pass ------

_ELIDED_PIECES = (["于", "从", "到", "至", "自", "截至", "截止", "在", "应到", "实到", "出席", "列席", "缺席",
                   "参会", "到会", "建党", "现在", "全文", "需要"] * 2
                  + ["年", "月", "日", "年月日", "月日", "年月", "人", "名", "字", "分钟", "小时", "周年",
                     "人民", "日常", "年底", "名单"] * 2
                  + ["，", "。", "\n", " ", "3", "十", "党支部", "会议", "召开", "材料", "学习"])


def _elided_text(rng):
    return "".join(rng.choice(_ELIDED_PIECES) for _ in range(rng.randint(0, 60)))


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")
def test_elided_units_from_the_shared_pass_are_the_loops_units():
    rules = shipped_rules()
    shared = _kind(Linter(rules, Context()), "ElidedNumberKind")
    plain = _kind(Linter(rules, Context(anchors=multiscan.AnchorIndex(enabled=False))), "ElidedNumberKind")
    shapes = {r.options["shape"] for r in shared.rules if r.id in shared._shared}
    assert shapes == {"date", "count"} and not plain._shared
    rng = random.Random(23)
    found = 0
    for _ in range(1500):
        text = _elided_text(rng)
        want = [(h.rule.id, h.start, h.end) for h in plain.check(Document(text))]
        assert [(h.rule.id, h.start, h.end) for h in shared.check(Document(text))] == want, text
        found += len(want)
    assert found > 500


def test_elided_texts_without_a_unit_character_find_what_the_scans_find(monkeypatch):
    """A text without any of a shape's unit characters (_UNIT_CHARS) is not scanned
    for that shape: what the scans find without the gate, on texts with and without
    units."""
    from dj_lint.checks import elided
    kind = _kind(Linter(shipped_rules(), Context()), "ElidedNumberKind")
    rng = random.Random(29)
    texts = [_elided_text(rng) for _ in range(1500)]
    texts += ["".join(rng.choice(("于", "从", "到", "应到", "建党", "，", "。", "3", "学习", "工作", "\n"))
                      for _ in range(rng.randint(0, 30))) for _ in range(300)]
    gated = [[(h.rule.id, h.start, h.end) for h in kind.check(Document(text))] for text in texts]
    monkeypatch.setattr(elided, "_UNIT_CHARS", {})
    plain = [[(h.rule.id, h.start, h.end) for h in kind.check(Document(text))] for text in texts]
    assert gated == plain and sum(map(len, plain)) > 500


def test_elided_prepositions_ending_with_a_unit_keep_the_loop():
    rules = [r for r in shipped_rules() if r.kind == "elided_number"]
    date = [r for r in rules if r.options["shape"] == "date"][0]
    odd = copy.deepcopy(date)
    odd.options["preps"] = list(odd.options["preps"]) + ["每年"]
    kind = _kind(Linter([odd], Context()), "ElidedNumberKind")
    assert odd.id not in kind._shared


# -- personal_number: patterns that need a long run of digits -------------------

def test_least_digit_run_of_the_shipped_and_of_written_patterns():
    from dj_lint.text.regex_anchors import least_digit_run
    kind = _kind(Linter(shipped_rules(), Context()), "PersonalNumberKind")
    assert {r.id: [need for _, _, need, _ in pats] for r, pats, *_ in kind.plan} == {
        "DJ951": [17], "DJ952": [11, 4], "DJ953": [16, 4]}
    for source, need in [(r"\d{3}-\d{4}", 4), (r"(?:\d\d)+", 2), (r"a?\d{2}(?:\d{3})?\d", 3),
                         (r"\d{2}(?:x|\d)\d", 2), (r"(?:\d{2}x)+\d", 2), (r"(?:\d{2}x){2,}\d{3}", 3),
                         (r"(\d{2}){e<=1}", 0), (r"[^\d]{5}", 0), (r"\d{5}|abc", 0), (r"\d{5}|\d{7}", 5),
                         (r"(?<=\d)\d\b\d(?=x)\d", 3), (r"\p{Nd}{6}", 0), (r"(?r)\d{6}", 0), (r"[0-9٣]{6}", 0),
                         (r"[1-3][0-5]\d", 3), (r"(?:1|2)(?:3|4)", 2), (r"\d{2}(?:ab)*\d{2}", 2)]:
        assert least_digit_run(source) == need, source


def test_least_digit_run_is_never_more_than_a_match_holds():
    from dj_lint.text.regex_anchors import least_digit_run
    pieces = [r"\d", "[0-9]", "[1-5]", "7", "a", r"[\dX]", r"\d{2,3}", r"(?:\d|a)", r"(?:\d\d)?", r"(?:\d{2}-)+",
              r"(?<=\d)", "(?!a)", r"\d*", r"(?:a|\d{3})", r"(?:12|345)", "-?", r"(?:\d-?)+", "[3-a]{2}"]
    rng = random.Random(31)
    run = regex.compile(r"\d+")
    checked = 0
    for _ in range(1500):
        source = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        need = least_digit_run(source)
        pat = regex.compile(source)
        for _ in range(5):
            text = "".join(rng.choice("0123456789aX-٣") for _ in range(rng.randint(0, 30)))
            for m in pat.finditer(text, overlapped=True):
                longest = max(map(len, run.findall(m.group())), default=0)
                assert longest >= need, (source, text, m.group())
                checked += need > 0
    assert checked > 2000


def _personal_text(rng):
    from dj_lint.checks.personal import gb11643_check_char
    pieces = ["党员", "，", "。", "\n", " ", "电话", "卡号", "2026年", "12", "-", "+86 ", "身份证号："]
    out = []
    for _ in range(rng.randint(0, 12)):
        k = rng.random()
        if k < 0.15:
            first = "".join(rng.choice("12345678") + "".join(rng.choice("0123456789") for _ in range(5))
                            + rng.choice(("1949", "1988", "2001")) + rng.choice(("01", "12", "07"))
                            + rng.choice(("01", "28", "31")) + "".join(rng.choice("0123456789") for _ in range(3)))
            out.append(first + gb11643_check_char(first))
        elif k < 0.3:
            out.append("1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9)))
        elif k < 0.4:
            out.append(rng.choice(("62", "4", "5")) + "".join(rng.choice("0123456789") for _ in range(rng.randint(13, 18))))
        elif k < 0.5:
            out.append("".join(rng.choice("0123456789") for _ in range(rng.randint(1, 20))))
        elif k < 0.6:  # written in groups of four (the patterns that need only such a run)
            digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))
            sep = rng.choice(" -")
            out.append(rng.choice(("13", "15", "18")) + digits(1) + sep + digits(4) + sep + digits(4) if rng.random() < 0.5
                       else " ".join([rng.choice(("6222", "4512", "5210"))] + [digits(4) for _ in range(3)]))
        else:
            out.append(rng.choice(pieces))
    return "".join(out)


def test_personal_number_gate_finds_what_the_scans_find(monkeypatch):
    from dj_lint.checks import personal
    kind = _kind(Linter(shipped_rules(), Context()), "PersonalNumberKind")
    rng = random.Random(41)
    texts = [_personal_text(rng) for _ in range(1500)]
    gated = [[(h.rule.id, h.start, h.end) for h in kind.check(Document(t))] for t in texts]
    monkeypatch.setattr(personal, "_MAX_RUNS", 1)  # the gate gives up after two runs
    given_up = [[(h.rule.id, h.start, h.end) for h in kind.check(Document(t))] for t in texts]
    # No pattern gated: each as if it needed no digit at all.
    kind.plan = [(r, [(pat, group, 0, None) for pat, group, *_ in patterns], *rest) for r, patterns, *rest in kind.plan]
    plain = [[(h.rule.id, h.start, h.end) for h in kind.check(Document(t))] for t in texts]
    assert gated == plain
    assert given_up == plain
    assert sum(map(len, plain)) > 500
    # the patterns of numbers written in groups found some (their gate is digit_pair's)
    grouped = [t[s:e] for t, hits in zip(texts, plain) for _, s, e in hits if not t[s:e].isdigit()]
    assert len(grouped) > 50


def test_digit_pair_of_the_shipped_and_of_written_patterns():
    from dj_lint.text.regex_anchors import digit_pair
    kind = _kind(Linter(shipped_rules(), Context()), "PersonalNumberKind")
    assert {r.id: [pair for *_, pair in pats] for r, pats, *_ in kind.plan} == {
        "DJ951": [None], "DJ952": [None, ("- ", 4, "- ")], "DJ953": [None, (" ", 4, " ")]}
    for source, pair in [(r"a\d{4}-\d{4}", ("a", 4, "-")), (r"\d{4}-\d{4}", None), (r"a\d{4}-\d{3}", None),
                         (r"a\d{3}-\d{4}", None), (r"(?i)a\d{4}x\d{4}", None), (r"a(?i:\d{4}x)\d{4}", None),
                         (r"x(?:\d{2}){2}[- ]\d{5}", ("x", 4, "- ")), (r"x\d{4,5}-\d{4}", None),
                         (r"x\d{20}-\d{4}", None), (r"[^a]\d{4}-\d{4}", None), (r"x\d{4}[\s]\d{4}", None),
                         (r"x\d{4}٣\d{4}", None), (r"x\d{4}(?:ab)*-\d{4}", None), (r"x(?:\d{4}-){2}\d{4}", ("x", 4, "-")),
                         (r"(?:x\d{4})+-\d{4}", None), (r"x(?:12|34)\d{2}(?=-)-(?:\d{2}){2,}", ("x", 4, "-")),
                         (r"x(?:12|345)\d{2}-\d{4}", None), (r"x\d{4}-\d{4}{e<=1}", None)]:
        assert digit_pair(source, 4, 17) == pair, source


def test_digit_pair_is_never_more_than_a_match_holds():
    from dj_lint.checks.personal import _paired
    from dj_lint.text.regex_anchors import digit_pair
    rng = random.Random(37)
    digits = lambda n: "".join(rng.choice("0123456789٣") for _ in range(n))
    # (a piece of a pattern, a text it matches)
    pieces = [(r"\d", lambda: digits(1)), ("[0-9]", lambda: rng.choice("0123456789")), ("[1-5]", lambda: rng.choice("12345")),
              ("7", lambda: "7"), ("a", lambda: "a"), ("-", lambda: "-"), ("[- ]", lambda: rng.choice("- ")), (" ", lambda: " "),
              (r"[\dX]", lambda: rng.choice("X1")), (r"\d{2,3}", lambda: digits(rng.randint(2, 3))),
              (r"(?:\d|a)", lambda: rng.choice(["a", digits(1)])), (r"(?:\d\d)?", lambda: rng.choice(["", digits(2)])),
              (r"(?:\d{2}-)+", lambda: (digits(2) + "-") * rng.randint(1, 2)), (r"(?<=\d)", lambda: ""), ("(?!a)", lambda: ""),
              (r"\d*", lambda: digits(rng.randint(0, 4))), (r"(?:a|\d{3})", lambda: rng.choice(["a", digits(3)])),
              (r"(?:12|345)", lambda: rng.choice(["12", "345"])), ("-?", lambda: rng.choice(["", "-"])),
              (r"(?:\d-?)+", lambda: "".join(digits(1) + rng.choice(["", "-"]) for _ in range(rng.randint(1, 4)))),
              (r"\d{2}", lambda: digits(2)), (r"(?:\d{2}){2}", lambda: digits(4)),
              (r"(?: \d{2}){2}", lambda: " " + digits(2) + " " + digits(2))]
    runs = regex.compile(r"\d{2,3}")
    checked = 0
    for _ in range(3000):
        chosen = [rng.choice(pieces) for _ in range(rng.randint(3, 8))]
        source = "".join(piece for piece, _ in chosen)
        pair = digit_pair(source, 2, 3)
        if pair is None:
            continue
        pat = regex.compile(source)
        for _ in range(10):
            text = (rng.choice(["", "a", "1", "12 ", "-"]) + "".join(make() for _, make in chosen)
                    + rng.choice(["", "a", "1", " 3", "-4"]))
            if pat.search(text):
                assert _paired(text, list(runs.finditer(text)), pair), (source, text)
                checked += 1
    assert checked > 3000


# -- furniture and title_repeat: their lines found once ----------------------------

def test_visible_line_spans_are_the_lines_furniture_finds_itself(monkeypatch):
    from dj_lint.checks import base, furniture, titlerepeat
    pieces = ["党员", "学习", "。", " ", "\u3000", "\t", "\xa0", "\x1c", "\x85", "\u2028", "\x0b", "•", "-",
              "\n", "\n", "\n", "\n\n\n"]
    rng = random.Random(47)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 50))) for _ in range(1500)]
    texts += ["\n" * 40 + t for t in texts[:300]]  # short lines on average: furniture's regex path
    shared = [furniture.FurnitureLineKind.line_spans(Document(t)) for t in texts]
    plain = [[m.span(1) for m in furniture._LINE.finditer(t) if m.start(1) >= 0] for t in texts]
    assert shared == plain
    assert sum(map(len, plain)) > 3000
    monkeypatch.setattr(furniture, "VISIBLE_KEPT", -1)  # a text too long to keep: furniture's own paths
    assert [furniture.FurnitureLineKind.line_spans(Document(t)) for t in texts] == plain
    doc = Document("党员\n \x0b学习\n\n  支部 ")
    assert titlerepeat._lines(doc) is base.visible_line_spans(doc)  # found once
    assert base.visible_line_spans(doc) == [(0, 2), (11, 13)]  # not the line led by \x0b


# -- doctypes.detect: one gate for all the types' titles and bodies ----------------

def test_detect_with_the_gates_finds_the_types_the_loops_find(monkeypatch):
    from dj_lint import doctypes
    types = doctypes.load_types()
    assert doctypes._gates(types)[1] is not None and doctypes._gates(types)[2] is not None
    words = ["对照检查材料", "检视剖析", "民主生活会发言提纲", "组织生活会材料", "述职报告", "工作总结", "心得体会", "学习",
             "主题党日活动方案", "支部", "2026年", "会议记录", "讲话", "调研报告", "报告", "材料", "计划", "工作要点",
             "\n", "。", "如下", "对照检查情况报告如下", "现将", "汇报", "我", "是", "某某", "述职", "申请书", "入党"]
    rng = random.Random(53)
    docs = []
    for _ in range(800):
        title = "".join(rng.choice(words) for _ in range(rng.randint(0, 4)))
        body = "".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
        name = "".join(rng.choice(words[:18]) for _ in range(rng.randint(0, 2))) or "a"
        docs.append(Document(title + "\n\n" + body, path=name.replace("\n", "") + ".txt"))
    gated = [(d.type and d.type.id, d.reason) for d in map(doctypes.detect, docs)]
    monkeypatch.setattr(doctypes, "_GATES", (types, None, None))  # no gate: every pattern tried
    plain = [(d.type and d.type.id, d.reason) for d in map(doctypes.detect, docs)]
    assert gated == plain
    assert len({t for t, _ in plain}) >= 4 and sum(t is None for t, _ in plain) > 50
    assert sum(reason.startswith("正文开头") for _, reason in plain) > 20  # found by a body pattern


def test_patterns_that_cannot_be_joined_get_no_gate():
    from dj_lint import doctypes
    import regex as re_
    for source in (r"(a)\1", r"(?P<x>a)(?P=x)", r"(?i)abc", r"a(?x) b", r"(a)?(?(1)a|b)", r"(a)\g<1>"):
        assert doctypes._any_of([re_.compile("述职"), re_.compile(source)]) is None, source
    assert doctypes._any_of([re_.compile(r"(?<=党)(?P<n>支部)"), re_.compile(r"(?:工作)总结")]) is not None


# -- line_block: its required literals from the shared pass ------------------------

_BLOCK_LINES = ["A II", "第3版", "2019年12月31日 星期二", "新闻热线:0371-65830000", "东方今报", "主管主办:河南广播电视台",
                "国内统一刊号:CN41-0092", "邮发代号:35-48", "星期三", "热线", "刊号", "党员认真学习，推动工作落实。",
                "相关文章", "支部书记述职报告范文大全", "今年以来，支部坚持以学促干，组织开展学习教育活动...",
                "围绕中心工作，党支部把学习贯彻落实到基层一线各项工作…", "", " ", "学习心得体会"]


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")
def test_line_block_with_the_shared_pass_finds_what_its_literals_find():
    rules = shipped_rules()
    shared = _kind(Linter(rules, Context()), "LineBlockKind")
    plain = _kind(Linter(rules, Context(anchors=multiscan.AnchorIndex(enabled=False))), "LineBlockKind")
    assert any(p["shared"] is not None for p in shared.prepared)
    assert all(p["shared"] is None for p in plain.prepared)
    rng = random.Random(59)
    found = 0
    for _ in range(1500):
        lines = [rng.choice(_BLOCK_LINES) for _ in range(rng.randint(0, 14))]
        text = "\n".join(lines)
        want = [(h.rule.id, h.start, h.end) for h in plain.check(Document(text))]
        assert [(h.rule.id, h.start, h.end) for h in shared.check(Document(text))] == want, text
        found += len(want)
    assert found > 200


def test_line_block_patterns_compiled_for_one_line_find_what_the_rules_find():
    """line_block searches its ``lines`` and ``filler`` one line at a time, compiled
    without MULTILINE (compile_regex's ``one_line``): in a string without a line
    break, each finds the very match the rule's own MULTILINE pattern finds, at
    the start of a line, in its middle, at its end, and in a long line."""
    import regex as re_
    kind = _kind(Linter(shipped_rules(), Context()), "LineBlockKind")
    pairs = []
    for p in kind.prepared:
        o = p["rule"].options
        sources = list(o["lines"].values()) + ([o["filler"]] if "filler" in o else [])
        compiled = [pat for _, pat in p["lines"]] + ([p["filler"]] if p["filler"] is not None else [])
        assert len(sources) == len(compiled)
        for source, pat in zip(sources, compiled):
            assert not pat.flags & re_.MULTILINE
            pairs.append((re_.compile(source, re_.MULTILINE | re_.V0), pat))
    assert len(pairs) >= 9
    rng = random.Random(67)
    hits = 0
    for _ in range(3000):
        line = "".join(rng.choice(_BLOCK_LINES + ["，", "。", " ", "\u3000", "..."])
                       for _ in range(rng.randint(0, 4)))
        if rng.random() < 0.02:
            line = line + "党员学习" * 3000 + line
        for multiline, one in pairs:
            want = multiline.search(line)
            got = one.search(line)
            assert (got and got.span()) == (want and want.span()), (multiline.pattern, line[:80])
            hits += want is not None
    assert hits > 1000


def test_furniture_without_word_lines_finds_what_the_edge_lists_find():
    """A plain document skips the body and position lists: each line is in the
    body at its own index. The same document marked with a furniture line that
    is none of its lines takes the lists: the same findings."""
    kind = _kind(Linter(shipped_rules(), Context()), "FurnitureLineKind")
    pieces = ["当前位置：首页 > 支部风采", "发布时间：2024-05-01", "来源：", "作者：张三", "收藏", "分享：", "打印",
              "| ", "• ", "第2页 / 共5页", "下载", "版权所有", "学习心得.doc", "本文档由用户上传", "党员", "认真学习，",
              "。", "：", " ", "\u3000", "12", "\n", "\n", "\n", "支部" * 30, "索引号：", "001122/2026-0033"]
    rng = random.Random(61)
    found = 0
    edge_lines = ["12", " 3 ", "党员服务网首页", "支部工作总结范文", "要闻动态", "站内搜索："]
    for _ in range(600):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(0, 40))]
        for _ in range(rng.randint(0, 6)):
            lines.insert(rng.randint(0, len(lines)), rng.choice(edge_lines))
        text = "\n".join(lines)
        want_doc = Document(text, path="t.txt")
        want_doc.furniture_lines = {-1}
        want = [(h.start, h.end, h.fields["reason"]) for h in kind.check(want_doc)]
        assert [(h.start, h.end, h.fields["reason"]) for h in kind.check(Document(text, path="t.txt"))] == want, text
        found += len(want)
    assert found > 300


# -- title_repeat: the noise deleted by a translate table ---------------------

def test_title_repeat_deletes_by_its_table_what_the_noise_pattern_deletes(monkeypatch):
    """_norm's last step, line.translate(_DELETIONS), equals _NOISE.sub("", line): on
    lines of every kind of space, punctuation and symbol next to Han, Latin, digits,
    lone surrogates and astral characters, with the table filled as it goes, full
    (nothing more kept) and empty."""
    from dj_lint.checks import titlerepeat
    rng = random.Random(17)
    pool = [chr(c) for c in range(0x20, 0x3100)] + list("党支部工作总结关于ABCxyz019\ud800\udfff") + [
        "\U0001F600", "\U00020000", "\U0001D400", "\U000E0020", "\u3000", "\x1c", "\x85", "\u2028"]
    lines = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(4000)]
    table = titlerepeat._Deletions()
    assert [line.translate(table) for line in lines] == [titlerepeat._NOISE.sub("", line) for line in lines]
    assert 0 < len(table) and None in table.values()
    monkeypatch.setattr(titlerepeat, "_DELETIONS_KEPT", 0)
    assert [line.translate(titlerepeat._Deletions()) for line in lines[:500]] == [
        titlerepeat._NOISE.sub("", line) for line in lines[:500]]


def test_title_repeat_bmp_noise_pattern_deletes_what_the_noise_pattern_deletes():
    """_norm's stdlib pattern deletes exactly _NOISE's characters below U+10000 (every
    one asked), and _norm still deletes the astral noise (emoji, musical and
    mathematical symbols) the pattern leaves to the table, next to astral letters."""
    from dj_lint.checks import titlerepeat
    bmp = "".join(map(chr, range(0x10000)))
    linter = Linter(shipped_rules())
    kind = _kind(linter, "TitleRepeatKind")
    noise = kind._bmp_noise
    assert [noise.sub("", c) for c in bmp] == [titlerepeat._NOISE.sub("", c) for c in bmp]
    astral = ["\U0001F600", "\U0001D11E", "\U0001D6C1", "\U000E0020", "\U00020000", "\U0001D7D9", "\U00010D41"]
    assert sum(titlerepeat._NOISE.sub("", c) == "" for c in astral) == 3
    no_strip = (None, [])
    rng = random.Random(23)
    pool = list("党支部工作总结ABC019，。、：“”（）") + astral + ["\u0301", "\x85", "\ue000"]
    lines = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    assert [kind._norm(line, no_strip) for line in lines] == [titlerepeat._NOISE.sub("", line) for line in lines]


def test_title_repeat_norm_takes_a_line_of_letters_and_digits_as_it_is():
    """_norm returns a line isalnum() takes without the table: no character it
    takes is in _NOISE's class (every code point asked), and _norm gives what the
    strip patterns and _NOISE.sub give, on lines with and without noise."""
    from dj_lint.checks import titlerepeat
    assert not [c for c in map(chr, range(0x110000)) if c.isalnum() and titlerepeat._NOISE_CHAR.match(c)]
    linter = Linter(shipped_rules())
    kind = _kind(linter, "TitleRepeatKind")
    (_, strip, _, _), = kind.plan
    rng = random.Random(19)
    pool = (list("党支部工作总结关于学习制度ABCxyz019ⅣΩé") + ["\U00020000", "\U0001D7D9", "²", "½", "١"]
            + list(" 　，。、：:.-_()（）《》“”!?·•\u200b\x1c") + [".docx", "_第1页", "（全文2000字）", "作文", "1、"])
    lines = ["".join(rng.choice(pool if rng.random() < 0.5 else pool[:27]) for _ in range(rng.randint(0, 12)))
             for _ in range(4000)]
    plain = []
    for line in lines:
        for pat, _ in strip[1]:
            line = pat.sub("", line)
        plain.append(titlerepeat._NOISE.sub("", line))
    assert [kind._norm(line, strip) for line in lines] == plain
    assert sum(line.isalnum() for line in lines) > 800 and sum(p != line for p, line in zip(plain, lines)) > 1000
