"""Masks and placeholders read against the lexicon, on texts written for these tests."""
import datetime as dt

from dj_lint.text.document import Document
from dj_lint.engine import Context, Linter, select_rules, shipped_rules


def lint(text, categories=("mask", "placeholder")):
    linter = Linter(select_rules(shipped_rules(), list(categories)), Context(as_of=dt.date(2026, 11, 21)))
    return [(f.line, f.column, f.end_column, f.rule, f.category, f.text, f.suggestion)
            for f in linter.lint(Document(text, path="t.txt"))]


def test_one_class_replaced_throughout_is_named_once_per_occurrence():
    text = ("村X总支召开会议。\n"
            "X总支书记带头讲党课，村X员都参加，坚持全面从严治X。")
    got = lint(text)
    assert [(g[0], g[1], g[3], g[5], g[6]) for g in got] == [
        (1, 2, "DJ252", "X", "党"), (2, 1, "DJ252", "X", "党"), (2, 13, "DJ252", "X", "党"),
        (2, 26, "DJ252", "X", "党")]
    linter = Linter(select_rules(shipped_rules(), ["mask"]), Context(as_of=dt.date(2026, 11, 21)))
    messages = {f.message for f in linter.lint(Document(text, path="t.txt"))}
    assert messages == {"“X”疑为被网站屏蔽的“党”，全文共 4 处用“X”代替“党”，请核对原文恢复"}


def test_latin_letters_stay_clean():
    assert lint("机房有Windows XP电脑，拍X光片，订XXL号工作服，3×4的展板，x轴。") == []


def test_initials_and_a_quoted_letter():
    got = lint("牢记首要ZZ任务，学习“x”重要思想。")
    assert [(g[1], g[5], g[6]) for g in got] == [(5, "ZZ", "政治"), (13, "x", "三个代表")]


def test_word_deleted_from_a_fixed_name_but_not_a_longer_word():
    got = lint("表彰优秀员5名，评出优秀员工8名。")
    assert [(g[1], g[3], g[5], g[6]) for g in got] == [(3, "DJ253", "优秀员", "优秀共产党员")]


def test_spinner_swap_inside_an_honour():
    got = lint("她被授予国内优秀共产党员称号。")
    assert [(g[1], g[3], g[5], g[6]) for g in got] == [(5, "DJ255", "国内", "全国")]


def test_stars_for_numbers_dates_and_names_are_placeholders():
    got = lint("全年开展活动*次，**岁的老党员，时间是****年*月**日，支部书记*带头。")
    assert [(g[1], g[4], g[5]) for g in got] == [
        (7, "placeholder", "*"), (10, "placeholder", "**"), (21, "placeholder", "****"),
        (26, "placeholder", "*"), (28, "placeholder", "**"), (36, "placeholder", "*")]


def test_star_inside_a_word_is_a_mask_and_adjective_slots_agree():
    got = lint("特大**灾难后，特大**灾害后，为实现**生态畜牧建设。")
    assert [(g[1], g[4]) for g in got] == [(3, "mask"), (11, "mask"), (20, "placeholder")]


def test_party_term_suggested_when_exactly_one_fits():
    got = lint("以**平新时代中国特色社会主义思想为指导。")
    assert got == [(1, 2, 18, "DJ251", "mask", "**平新时代中国特色社会主义思想", "习近平新时代中国特色社会主义思想")]


def test_letters_where_numbers_belong():
    got = lint("开展培训[X]次，x月下旬召开会议，执行《建设标准（202X版）》，文号（x党发xx12号）。")
    assert [(g[5], g[3]) for g in got] == [("[X]", "DJ212"), ("x", "DJ212"), ("202X", "DJ213"), ("xx", "DJ213")]


def test_a_form_that_declares_itself_gets_one_info_finding():
    text = ("党小组会议记录格式\n"
            "会议时间：    年  月  日\n"
            "应到×名，实到×名，缺席×名。\n"
            "请×××同志发言，×名赞成。\n")
    linter = Linter(select_rules(shipped_rules(), ["placeholder"]), Context(as_of=dt.date(2026, 11, 21)))
    got = linter.lint(Document(text, path="t.txt"))
    assert [(f.line, f.column, f.rule, f.severity, f.text) for f in got] == [(2, 10, "DJ215", "info", "年  月  日")]
    assert "“党小组会议记录格式”" in got[0].message and "6 处空白" in got[0].message


def test_the_same_blanks_in_a_report_are_errors():
    text = "会议于    年  月  日召开，应到×名，实到×名，缺席×名。\n请×××同志发言，×名赞成。\n"
    assert {g[3] for g in lint(text)} == {"DJ204", "DJ210", "DJ212"}


def test_numbers_deleted_from_their_slots():
    got = lint("请于年月日前上报，活动从日到日举行。\n年5月8日，为庆祝建党周年，支部会议应到人。")
    assert [(g[0], g[1], g[3], g[5]) for g in got] == [
        (1, 2, "DJ216", "于年月日"), (1, 12, "DJ216", "从日"), (1, 14, "DJ216", "到日"),
        (2, 1, "DJ216", "年"), (2, 10, "DJ217", "建党周年"), (2, 19, "DJ218", "应到人")]


def test_elided_slots_from_units_after_a_preposition_equal_every_unit_tried():
    """elided_number turns away a unit that follows no preposition (date) or
    attendance verb (人, 名) before calling _slot; _slot on every unit finds the
    same spans, on generated text."""
    import random

    from dj_lint.checks.elided import _UNITS, _YEAR_FIRST
    from dj_lint.engine.linter import Linter, shipped_rules
    rules = [r for r in shipped_rules() if r.kind == "elided_number"]
    kind = next(c for c in Linter(rules).checks if type(c).__name__ == "ElidedNumberKind")
    assert {r.options["shape"] for r in kind.rules} == {"date", "anniversary", "count"}
    rng = random.Random(26)
    pieces = ["于", "从", "到", "至", "截至", "在", "应到", "实到", "出席", "年", "月", "日", "年月日", "周年",
              "人", "名", "字", "分钟", "小时", "，", "。", "\n", "建党", "会议", "共", "3", "十", "讲话", "学习"]
    found = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        for rule in kind.rules:
            shape = rule.options["shape"]
            got = list(kind._spans(text, shape, rule))
            want = [m.span() for m in _YEAR_FIRST.finditer(text)] if shape == "date" else []
            for m in _UNITS[shape].finditer(text):
                span = kind._slot(text, m.start(), m.end(), shape, rule)
                if span:
                    want.append(span)
            assert got == want, (text, shape)
            found += len(got)
    assert found > 300


def test_letter_candidates_skip_long_runs_as_the_plain_pattern_finds():
    """letter_mask's candidates (a stdlib ``re`` pattern led by the letters' class,
    which takes a run of 32 or more of its lookbehind's characters whole where no
    candidate starts): the same matches as the plain pattern on generated text of
    letters, digits, the lookbehind's punctuation and Han characters, runs short
    and long."""
    import random

    import regex

    from dj_lint.checks import lettermask
    plain = regex.compile(lettermask._PLAIN)
    rng = random.Random(5)
    pieces = ["X", "x", "×", "Z", "XJP", "a", "7", ".", "/", "@", "-", "_", "党", "市", "“", "”", " ", "\n"]
    skipped = 0
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 30)):
            p = rng.choice(pieces)
            parts.append(p * (rng.choice((1, 1, 2, 5, 31, 32, 33, 80)) if rng.random() < 0.3 else 1))
        text = "".join(parts)
        want = [(m.span(), m.group(1)) for m in plain.finditer(text)]
        assert [(m.span(), m.group()) for m in lettermask.candidates(text)] == want, text
        skipped += bool(regex.search(r"[A-Za-z0-9×._@/-]{32}", text))
    assert skipped > 50
    flood = "党" + "X" * 5000 + "市X委，XJP" + "x" * 40 + "县"
    assert [m.span() for m in lettermask.candidates(flood)] == [m.span() for m in plain.finditer(flood)]


def test_template_letter_patterns_find_what_they_find_without_the_skip():
    """DJ204 and DJ214 skip a long run of x/X/× where no match starts
    ((*SKIP)(*FAIL)), DJ204 also taking its runs whole (possessive): on generated
    text of runs short and long next to Han characters, titles, punctuation, spaces,
    Latin letters and digits, the same matches as each pattern written plainly (DJ204
    as it was before), and the same anchors for the shared automaton."""
    import os
    import random

    import regex

    from dj_lint.packs.loader import load_pack
    from dj_lint.text.regex_anchors import anchors
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    flags = regex.MULTILINE | regex.V0
    skip = "|[xX×]{32,}+(*SKIP)(*FAIL)"
    pairs = []
    for rule in load_pack(os.path.join(root, "rules", "placeholder.yaml")):
        given = rule.options.get("pattern") or []
        for source in [given] if isinstance(given, str) else given:
            if "(*SKIP)" in source:
                assert source.endswith(skip)
                plain = source[:-len(skip)].replace("{2,}+", "{2,}")
                assert anchors(source) == anchors(plain) is not None
                pairs.append((rule.id, regex.compile(source, flags), regex.compile(plain, flags)))
    assert sorted({rid for rid, _, _ in pairs}) == ["DJ204", "DJ214"] and len(pairs) == 4
    assert pairs[0][2].pattern == (r"(?<![A-Za-z0-9×@._-])[xX×]{2,}(?=[ 　]?\p{Han})"
                                   r"|(?<=\p{Han}[ 　]?)[xX×]{2,}(?![A-Za-z0-9×@._-])")
    rng = random.Random(11)
    pieces = ["X", "x", "×", "市", "新", "主任郭", "《", "，", " ", "　", "A", "7", ".", "@", "\n", "党委"]
    found = {rid: 0 for rid, _, _ in pairs}
    for _ in range(500):
        text = "".join(rng.choice(pieces) * (rng.choice((1, 2, 3, 31, 32, 40)) if rng.random() < 0.4 else 1)
                       for _ in range(rng.randint(1, 25)))
        for rid, fast, plain in pairs:
            want = [m.span() for m in plain.finditer(text)]
            assert [m.span() for m in fast.finditer(text)] == want, (rid, text)
            found[rid] += len(want)
    assert min(found.values()) > 50, found


def test_doubled_title_pattern_skips_blank_runs_with_the_same_matches():
    """DJ330 skips a run of 32 or more blank lines to its last line break
    ((*SKIP)(*FAIL)): on generated text of doubled titles, other lines and runs of
    blank lines short and long, the same matches as the pattern without the skip,
    scanned plainly and led by the line break (checks/base.py _line_led, as the
    pattern kind scans a document of long lines), and the same anchor analysis."""
    import os
    import random

    import regex

    from dj_lint.checks import base
    from dj_lint.packs.loader import load_pack
    from dj_lint.text import regex_anchors
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    (rule,) = [r for r in load_pack(os.path.join(root, "rules", "watermark.yaml")) if r.id == "DJ330"]
    source = rule.options["pattern"]
    skip = r"|\n{32,}(?=\n)(*SKIP)(*FAIL))"
    assert source.startswith("^(?:") and source.endswith(skip)
    plain = "^" + source[len("^(?:"):-len(skip)]
    assert regex_anchors.anchors(source) == regex_anchors.anchors(plain)
    assert regex_anchors.anchored_at_start(source) and regex_anchors.anchored_at_start(plain)
    flags = regex.MULTILINE | regex.V0
    fast, slow = (base.budgeted(regex.compile(s, flags), rule) for s in (source, plain))
    led_fast, led_slow = base._line_led(fast), base._line_led(slow)
    assert led_fast is not None and led_slow is not None
    rng = random.Random(3)
    lines = ["组织生活会制度组织生活会制度", "主题党日 主题党日：走进红色教育基地", "1、支部学习制度支部学习制度",
             "一、支部学习制度", "学习学习再学习。", "  ", "\u3000党课讲稿 党课讲稿"]
    found = 0
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 12)):
            parts.append(rng.choice(lines) if rng.random() < 0.6 else "\n" * rng.choice((1, 2, 31, 32, 33, 34, 70)))
        text = "\n".join(parts) + rng.choice(("", "\n", "\n" * 40))
        want = [m.span() for m in slow.pat.finditer(text)]
        assert [m.span() for m in fast.pat.finditer(text)] == want, text
        assert [m.span() for m in base._finditer_line_led(fast.pat, led_fast.pat, text)] == want, text
        assert [m.span() for m in base._finditer_line_led(slow.pat, led_slow.pat, text)] == want
        found += len(want)
    assert found > 200


def test_each_letter_mask_rule_votes_with_its_own_min_document(tmp_path):
    """Two letter_mask rules with different ``min_document``: a letter standing for 党
    twice is a pattern for the rule asking for 2, not for the one asking for 4 (the
    kind read the first rule's value for both: X252 found no pattern)."""
    from conftest import user_pack

    rules = [{"id": f"X25{n}", "name": f"letter-mask-{n}", "min_document": n,
              "message": "“{text}”疑为“{word}”{pattern}"} for n in (4, 2)]
    examples = {"bad": [{"text": "全乡X委坚持学习X的二十大精神，各级X组织全面从严治X。", "match": ["X"] * 4}],
                "good": ["机房有两台Windows XP电脑。"]}
    linter = Linter(user_pack(tmp_path / "masks.yaml", "letter_mask", "mask", rules, examples),
                    Context(as_of=dt.date(2026, 11, 21)))
    text = "村X总支召开会议，坚持全面从严治X。"
    got = [(f.rule, f.column, f.text, f.message) for f in linter.lint(Document(text, path="t.txt"))]
    # X252 reads the two as one pattern; X254 (4 needed) only reads each on its own.
    assert got == [("X252", 2, "X", "“X”疑为“党”，全文共 2 处用“X”代替“党”"), ("X254", 2, "X", "“X”疑为“党”"),
                   ("X252", 17, "X", "“X”疑为“党”，全文共 2 处用“X”代替“党”"), ("X254", 17, "X", "“X”疑为“党”")]
