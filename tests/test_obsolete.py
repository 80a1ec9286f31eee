"""The obsolete kind: findings depend on the as-of date, historical sentences stay
quiet, messages name what is current, and broken rules are rejected by field."""
import datetime as dt
import json
import os
import subprocess
import sys
import textwrap

import pytest

from dj_lint.text.document import Document
from dj_lint.text.sources import load_path
from dj_lint.engine import Context, Linter, select_rules
from dj_lint.packs.loader import RuleError, load_pack
from conftest import ROOT, run_cli, seed_path



def my_rules():
    """Only this pack's rule files: other packs in progress must not break these tests."""
    return [r for name in ("obsolete", "formulation")
            for r in load_pack(os.path.join(ROOT, "rules", name + ".yaml"))]


def lint(text, as_of="2026-11-21", select=("obsolete",)):
    rules = select_rules(my_rules(), list(select))
    ctx = Context(as_of=dt.date.fromisoformat(as_of), known_rules=my_rules())
    return Linter(rules, ctx).lint(Document(text, path="t.txt"))


def brief(findings):
    return [(f.rule, f.text) for f in findings]


# -- time ----------------------------------------------------------------
TEMPLATE_2006 = ("新的一年里，我们将以邓小平理论和“三个代表”重要思想为指导，"
                 "认真贯彻落实党的十六届四中、五中全会精神，努力拼搏。")


def test_same_sentence_is_current_in_2006_and_outdated_in_2026():
    assert lint(TEMPLATE_2006, as_of="2006-03-01") == []
    assert brief(lint(TEMPLATE_2006)) == [
        ("DJ403", "以邓小平理论和“三个代表”重要思想为指导"),
        ("DJ402", "党的十六届四中、五中全会"),
    ]


def test_boundary_day_of_a_congress():
    text = "深入学习贯彻党的十八大精神。"
    assert lint(text, as_of="2017-10-17") == []
    assert brief(lint(text, as_of="2017-10-18")) == [("DJ401", "党的十八大")]


def test_message_names_what_is_current_at_the_as_of_date():
    text = "认真学习贯彻党的十七大精神。"
    [f2026] = lint(text)
    assert "当前应学习贯彻党的二十大和二十届历次全会精神" in f2026.message
    assert "2012年11月起已由党的十八大接续" in f2026.message
    [f2020] = lint(text, as_of="2020-05-01")
    assert "当前应学习贯彻党的十九大和十九届历次全会精神" in f2020.message


def test_document_dated_2006_is_still_judged_against_as_of():
    """The decision documented in rules/obsolete.yaml: the document's own date does
    not excuse it; a report dated 2006 linted in 2026 is a reused template, and it is
    told once (DJ414) that its date is stale."""
    doc = ("教育党建工作总结\n"
           "2006年以来，局党委认真贯彻落实党的十六届五中全会精神。\n"
           "结合深入开展保持共产党员先进性教育活动，扎实推进各项工作。\n"
           "市教育局党委\n2006年12月20日\n")
    assert brief(lint(doc)) == [("DJ402", "党的十六届五中全会"),
                                ("DJ404", "保持共产党员先进性教育活动"),
                                ("DJ414", "2006年12月20日")]
    assert lint(doc, as_of="2006-03-01") == []


@pytest.mark.parametrize("text", [
    "2005年开展保持共产党员先进性教育活动时，全局党员受到了深刻教育。",
    "回顾党的十八大以来的非凡历程，我们倍感振奋。",
    "“十四五”期间取得的成绩来之不易。",
    "2021年，支部认真学习贯彻党的十九大和十九届历次全会精神。",
    "深入开展了保持共产党员先进性教育活动。",
    "时任总书记胡锦涛同志在大会上作报告。",
    "我们圆满完成了“十四五”规划确定的目标任务。",
])
def test_historical_mentions_are_not_flagged(text):
    assert lint(text) == []


def test_a_year_after_the_window_does_not_make_it_historical():
    assert brief(lint("2026年，支部认真学习贯彻党的十九大精神。")) == [("DJ401", "党的十九大")]
    assert brief(lint("2023年以来，支部深入开展党史学习教育。")) == [("DJ404", "党史学习教育")]


def test_five_year_plan_is_outdated_from_the_first_day_after_its_period():
    text = "今年是“十四五”规划收官之年。"
    assert lint(text, as_of="2025-12-31") == []
    # "今年是…收官之年" is the computed this-year claim (DJ413), not a second DJ406.
    assert brief(lint(text, as_of="2026-01-01")) == [("DJ413", "今年是“十四五”规划收官之年")]
    assert brief(lint("全面完成“十四五”规划确定的目标任务。", as_of="2026-01-01")) == [
        ("DJ406", "“十四五”规划")]


# -- seeds ---------------------------------------------------------------
def test_seed_000_findings_with_positions():
    doc = load_path(seed_path("000"))
    rules = select_rules(my_rules(), ["obsolete"])
    found = Linter(rules, Context(as_of=dt.date(2026, 11, 21), known_rules=rules)).lint(doc)
    assert [(f.line, f.column, f.rule, f.text) for f in found][:4] == [
        (13, 6, "DJ403", "以 “ 三个代表 ” 为指导"),
        (17, 20, "DJ401", "党的十六大"),
        (17, 26, "DJ402", "十六届三中全会"),
        (17, 36, "DJ405", "胡锦涛总书记"),
    ]
    assert all(not f.fixable for f in found)


def test_cli_as_of_changes_the_result():
    path = seed_path("003")
    old = run_cli("--select", "obsolete", "--as-of", "2006-03-01", "--format", "json", path)
    new = run_cli("--select", "obsolete", "--as-of", "2026-11-21", "--format", "json", path)
    assert old.returncode == 0, old.stderr
    assert new.returncode == 1, new.stderr
    report = json.loads(new.stdout)
    assert report["as_of"] == "2026-11-21"
    assert {f["rule"] for f in report["findings"]} == {"DJ402", "DJ403", "DJ404", "DJ410"}


def test_obsolete_and_formulation_packs_never_load_jieba():
    code = textwrap.dedent(f"""
        import datetime as dt
        from dj_lint.text import segment
        from dj_lint.text.document import Document
        from dj_lint.text.sources import load_path
        from dj_lint.engine import Context, Linter
        from dj_lint.packs.loader import load_pack
        rules = load_pack("rules/obsolete.yaml") + load_pack("rules/formulation.yaml")
        linter = Linter(rules, Context(as_of=dt.date(2026, 11, 21), known_rules=rules))
        n = sum(len(linter.lint(load_path(p))) for p in {[seed_path(p) for p in ("000", "001", "002", "003", "004")]!r})
        print(n, segment.is_loaded())
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    count, loaded = out.stdout.split()
    assert int(count) > 25 and loaded == "False"


# -- validation ------------------------------------------------------------
RULE = """
- id: DJ499
  name: test-rule
  category: obsolete
  severity: warning
  kind: obsolete
  message: “{{text}}”已过时
  pattern: '{pattern}'
  entries:
    - {entry}
  examples:
    bad: [{{text: 学习十七大精神, match: 十七大}}]
    good: [学习二十大精神]
"""


@pytest.mark.parametrize("pattern,entry,error", [
    ("学习{item}", "{item: 十七大, source: x}", "missing field 'obsolete_from'"),
    ("学习{item}", "{item: 十七大, obsolete_from: 2012-11-08}", "missing field 'source'"),
    ("学习{item}", "{item: 十七大, obsolete_from: \'2012-13-08\', source: x}", "entries[0].obsolete_from"),
    ("学习{item}", "{item: 十七大, obsolete_from: 2012-11-08, source: x, when: y}", "unknown field 'when'"),
    ("学习十七大", "{item: 十七大, obsolete_from: 2012-11-08, source: x}", "slot {item} exactly once"),
    ("学习{item}(", "{item: 十七大, obsolete_from: 2012-11-08, source: x}", "does not compile"),
])
def test_broken_rules_are_rejected_with_the_field(tmp_path, pattern, entry, error):
    path = tmp_path / "bad.yaml"
    path.write_text(RULE.format(pattern=pattern, entry=entry), encoding="utf-8")
    with pytest.raises(RuleError) as exc:
        load_pack(str(path))
    assert "DJ499" in str(exc.value) and error in str(exc.value)


def test_every_obsolete_entry_has_a_date_and_a_source():
    """Listed or computed from rules/data/timeline.yaml, every entry is dated and sourced."""
    from dj_lint.checks.obsolete import _entries
    rules = load_pack(os.path.join(ROOT, "rules", "obsolete.yaml"))
    assert len(rules) >= 10
    for rule in rules:
        assert not rule.fixable
        if rule.kind != "obsolete":
            continue
        entries = _entries(rule)
        assert entries, rule.id
        for entry in entries:
            assert entry["source"] and entry["obsolete_from"], (rule.id, entry["item"])


# -- fast paths against their plain forms ----------------------------------
def _random_texts(seed, pieces, count=3000, most=40):
    import random
    rng = random.Random(seed)
    for _ in range(count):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, most)))
        start = rng.randint(0, len(text))
        yield text, start, rng.randint(start, len(text))


def test_sentence_veto_of_literals_finds_what_the_regex_search_finds():
    """unless_sentence made of plain literals is looked for by str.find; a pattern
    that is not (a class, a group) keeps the regex search. Both as regex finds."""
    from dj_lint.checks.base import compile_all
    from dj_lint.checks.obsolete import SentenceVeto
    sources = ["新时代中国特色社会主义思想|二十大|二十届", "二十大"]
    fast = SentenceVeto(compile_all(sources, "unless_sentence"))
    assert fast.literals == ("新时代中国特色社会主义思想", "二十大", "二十届")
    for source in ("二十[大届]", "(?:二十大)", "二十大|", "a b"):
        assert SentenceVeto(compile_all([source], "unless_sentence")).literals is None
    pieces = ["二十", "大", "届", "新时代", "中国特色社会主义思想", "党", "。"]
    for text, start, end in _random_texts(6, pieces):
        want = any(p.search(text, start, end) for p in fast.patterns)
        assert fast(text, start, end) == want, (text, start, end)


def test_names_past_year_finds_what_its_scan_finds():
    """names_past_year looks for 年 before it scans for years."""
    from dj_lint.checks import obsolete
    pieces = ["2005", "2019", "年", "年来", "以来", "度", "党", "。", "1"]
    since = dt.date(2012, 11, 14)
    for text, start, end in _random_texts(7, pieces):
        want = any(dt.date(int(m.group(1)), 1, 1) < since
                   for m in obsolete._CLOSED_YEAR.finditer(text, start, end))
        assert obsolete.names_past_year(text, start, end, since) == want, (text, start, end)


def test_history_and_latest_congress_searches_find_what_their_regex_forms_find():
    """_HISTORY and the latest congress's pattern are stdlib ``re`` searches with
    their lookbehinds after the first characters: the same matches as the
    ``regex`` forms with the lookbehind first, from any start, in any bounds."""
    import regex
    from dj_lint.checks import obsolete
    history = regex.compile(r"回顾|(?<![不未何])曾(?:经|在|于|是|被|多次|先后|参与|参加|开展|组织)"
                            r"|当年|那时|彼时|时任|期间|时期")
    pieces = ["曾", "经", "在", "不", "未", "何", "多次", "先后", "参与", "回顾", "回", "顾", "当年", "那时",
              "彼时", "时任", "期间", "时期", "时", "期", "党", "。"]
    for text, start, end in _random_texts(8, pieces):
        got, want = obsolete._HISTORY.search(text, start, end), history.search(text, start, end)
        assert (got and got.span()) == (want and want.span()), (text, start, end)
    for n in ("二十", "十九", "十"):
        latest = regex.compile(f"(?<![一二三四五六七八九十]){n}(?:大|届)")
        pieces = ["二十", "十九", "十", "一", "九", "大", "届", "党", "二"]
        for text, start, end in _random_texts(9, pieces):
            got, want = obsolete._latest_pattern(n).search(text, start, end), latest.search(text, start, end)
            assert (got and got.span()) == (want and want.span()), (n, text, start, end)


def test_ungrouped_scans_find_what_the_grouped_patterns_find(monkeypatch):
    """A rule of several entries scans its patterns without the entries' groups and
    takes each match again by the grouped pattern: the same findings, each with its
    own entry's date and replacement in the message, as scans of the grouped
    patterns themselves (UNGROUPED_SCANS False)."""
    import random
    from dj_lint.checks import obsolete
    rules = select_rules(my_rules(), ["obsolete"])
    ctx = dict(as_of=dt.date(2026, 11, 21), known_rules=my_rules())
    fast = Linter(rules, Context(**ctx))
    monkeypatch.setattr(obsolete, "UNGROUPED_SCANS", False)
    plain = Linter(rules, Context(**ctx))
    kinds = [c for c in fast.checks if isinstance(c, obsolete.ObsoleteKind)]
    assert any(full is not None for c in kinds for r in c.compiled for *_, full in r[2])
    pieces = ["学习", "贯彻", "深入学习", "党的", "十六大", "十七大", "十九大", "二十大", "十六届四中、五中全会",
              "十九届四中全会", "精神", "报告", "对", "以", "为指导", "三个代表", "“三个代表”重要思想", "邓小平理论和",
              "科学发展观", "正在", "深入开展", "创先争优", "活动", "党史学习教育", "保持共产党员先进性教育活动", "这次",
              "学习实践科学发展观", "新党章", "和", "胡锦涛总书记", "江主席", "“十五”计划", "围绕", "“十四五”规划",
              "收官之年", "全面建设小康社会", "为", "脱贫攻坚", "以胡锦涛同志为总书记的党中央", "贯彻落实科学发展观",
              "。", "，", "\n", "2005年", "回顾"]
    rng = random.Random(17)
    found = set()
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        got = [f.as_dict() for f in fast.lint(Document(text, path="t.txt"))]
        want = [f.as_dict() for f in plain.lint(Document(text, path="t.txt"))]
        assert got == want, text
        found.update((f["rule"], f["message"]) for f in got)
    assert len({rule for rule, _ in found}) >= 8 and len(found) > 15, sorted(found)


def _obsolete_texts():
    """The seeds, their lines shuffled into longer texts, and short texts of the
    rules' own pieces: many hits of every rule, most of them findings."""
    import random
    from seed_texts import shuffled_seed_texts
    texts = shuffled_seed_texts(11, 30)
    rng = random.Random(11)
    pieces = ["学习", "贯彻", "深入学习", "党的", "十六大", "十七大", "二十七大", "十九大", "二十大", "十六届四中、五中全会",
              "十九届四中全会", "精神", "报告", "对", "以", "为指导", "三个代表", "“三个代表”重要思想", "邓小平理论和",
              "科学发展观", "正在", "深入开展", "创先争优", "活动", "党史学习教育", "保持共产党员先进性教育活动", "这次",
              "学习实践科学发展观", "不忘初心，\n牢记使命主题教育", "胡锦涛总书记", "江主席", "“十五”计划", "“十四五”规划",
              "全面建设小康社会", "脱贫攻坚", "以胡锦涛同志为总书记的党中央", "贯彻落实科学发展观", "《", "》",
              "。", "，", "\n", "2005年", "2010年3月", "回顾", "曾经"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    return texts


def test_obsolete_kind_finds_under_the_sampler_what_it_finds_without():
    """ObsoleteKind.check under a sampled budget (as the command runs) scans by
    base.anchored_taken and skips the walk of a scan that found nothing: the same
    hits, message fields and all, as without a budget and under an exact one
    (finditer_anchored)."""
    from dj_lint.checks import budget, obsolete
    rules = select_rules(my_rules(), ["obsolete"])
    linter = Linter(rules, Context(as_of=dt.date(2026, 11, 21), known_rules=my_rules()))
    kind = next(c for c in linter.checks if isinstance(c, obsolete.ObsoleteKind))
    seen = set()
    try:
        for text in _obsolete_texts():
            got = {}
            for name, spent in (("none", None), ("exact", budget.RegexBudget(1e9)),
                                ("sampled", budget.SampledBudget(1e9))):
                budget.set_budget(spent)
                got[name] = [(h.start, h.end, h.rule.id, h.fields)
                             for h in kind.check(Document(text, path="t.txt"))]
            assert got["sampled"] == got["none"] == got["exact"], text[:80]
            seen.update((rule, fields["item"]) for _, _, rule, fields in got["none"])
    finally:
        budget.set_budget(None)
    assert len({rule for rule, _ in seen}) >= 8 and len(seen) > 15, sorted(seen)


ENTRY_RULES = """
- id: DJ491
  name: prefix-entry
  category: obsolete
  severity: warning
  kind: obsolete
  message: “{text}”已过时
  pattern: '开展{item}活动'
  entries:
    - {item: 学习, obsolete_from: 2010-01-01, source: x}
    - {item: 学习教育, obsolete_from: 2011-01-01, source: x}
  examples:
    bad: [{text: 开展学习教育活动, match: 学习教育}]
    good: [开展学习教育]
- id: DJ492
  name: lookbehind-entry
  category: obsolete
  severity: warning
  kind: obsolete
  message: “{text}”已过时
  pattern: '(?:贯彻|学习)二?{item}(?:精神)?'
  entries:
    - {item: 十七大a, match: '(?<!二)十七大', obsolete_from: 2012-11-08, source: x}
    - {item: 党的十七大, match: '党的十七大|十七大精神', obsolete_from: 2013-01-01, source: x}
    - {item: 十七大b, match: '十七大', obsolete_from: 2014-01-01, source: x}
  examples:
    bad: [{text: 学习十七大精神, match: 十七大}]
    good: [学习二十大精神]
- id: DJ493
  name: lookahead-entry
  category: obsolete
  severity: warning
  kind: obsolete
  message: “{text}”已过时
  pattern: '学习{item}'
  entries:
    - {item: 十七大c, match: '十七大(?=精神)', obsolete_from: 2012-11-08, source: x}
    - {item: 十七大d, match: '十七大', obsolete_from: 2013-01-01, source: x}
  examples:
    bad: [{text: 学习十七大精神, match: 十七大}]
    good: [学习二十大精神]
- id: DJ494
  name: scoped-flags
  category: obsolete
  severity: warning
  kind: obsolete
  message: “{text}”已过时
  pattern: '学习(?i:{item})'
  entries:
    - {item: ab, obsolete_from: 2012-11-08, source: x}
    - {item: AB, obsolete_from: 2013-01-01, source: x}
  examples:
    bad: [{text: 学习AB, match: AB}]
    good: [学习二十大精神]
"""


def _entry_rules(tmp_path):
    """Rules whose entries overlap: one that matches a prefix of the next one's
    match (学习 / 学习教育), one that its lookbehind rules out where another takes
    the same text ((?<!二)十七大 / 十七大), alternatives that end in several places
    (党的十七大 / 十七大精神); and rules EntryOf declines (a lookahead in an entry,
    flags scoped around the slot)."""
    path = tmp_path / "entries.yaml"
    path.write_text(ENTRY_RULES, encoding="utf-8")
    return load_pack(str(path))


def test_entry_of_tells_the_entry_the_grouped_pattern_takes(tmp_path):
    """EntryOf tells the entry of an ungrouped scan's match from the item's span
    alone: the entry that matching the grouped pattern again from the match's start
    gives, for every match of the shipped rules' patterns in the texts and of rules
    whose entries overlap; declined (None) where an entry has a lookahead or flags
    are scoped around the slot, and then the findings are still those of the
    grouped scans (UNGROUPED_SCANS False)."""
    from dj_lint.checks import obsolete
    mine = _entry_rules(tmp_path)
    ctx = Context(as_of=dt.date(2026, 11, 21), known_rules=my_rules() + mine)
    linter = Linter(select_rules(my_rules(), ["obsolete"]) + mine, ctx)
    kind = next(c for c in linter.checks if isinstance(c, obsolete.ObsoleteKind))
    which_of = {c[0].id: [p[5] for p in c[2]] for c in kind.compiled}
    assert which_of["DJ493"] == [None] and which_of["DJ494"] == [None]
    assert all(which_of[r] != [None] for r in ("DJ401", "DJ404", "DJ491", "DJ492"))
    texts = _obsolete_texts() + ["开展学习活动开展学习教育活动", "贯彻二十七大精神，学习十七大精神，学习党的十七大，学习二十七大。",
                                 "学习十七大精神学习十七大。学习ab学习AB学习Ab"]
    taken = {}
    for text in texts:
        for rule, entries, patterns, *_ in kind.compiled:
            for scan, _, _, numbers, full, which, _, item_group in patterns:
                if which is None:
                    continue
                for m in scan.finditer(text):
                    want = obsolete._entry_taken(full.match(text, m.start()), numbers)
                    assert which(text, *m.span(item_group)) == want, (rule.id, text, m.span())
                    taken.setdefault(rule.id, set()).add(want)
    assert taken["DJ491"] == {0, 1} and taken["DJ492"] == {0, 1, 2}, taken
    assert len(taken) >= 10 and sum(map(len, taken.values())) > 20, taken
    plain = Linter(select_rules(my_rules(), ["obsolete"]) + mine, ctx)
    for c in plain.checks:
        if isinstance(c, obsolete.ObsoleteKind):
            c.compiled = [r[:2] + ([p[:5] + (None,) + p[6:] for p in r[2]],) + r[3:] for r in c.compiled]
    for text in texts[-3:] + texts[::7]:
        got = [f.as_dict() for f in linter.lint(Document(text, path="t.txt"))]
        assert got == [f.as_dict() for f in plain.lint(Document(text, path="t.txt"))], text


def test_paragraph_dates_of_a_slice_are_those_of_the_whole_text_inside_it(monkeypatch):
    """obsolete._para_dates: the year-months of text[lo:hi] by a scan of the slice,
    or, once the slices read add up to more than the text, from the whole text's
    matches that lie inside the slice: the same, at every slice edge."""
    import random

    from dj_lint.checks import obsolete as ob
    monkeypatch.setattr(ob, "_DATES_LEAST", 0)
    rng = random.Random(11)
    pieces = ["2019年", "2019 年", "20191年", "１2019年", "2020年1", "2月", "12月", " 月", "月", "年",
              "1", "０", "9", " ", "\n", "党", "。", "2019年3月", "2021年 11 月", "19", "20"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        for _ in range(8):
            lo = rng.randint(0, len(text))
            hi = rng.randint(lo, len(text))
            want = [m.groups() for m in ob._PARA_DATE.finditer(text, lo, hi)]
            monkeypatch.setattr(ob, "_DATES", (None, 0, None))
            assert list(ob._para_dates(text, lo, hi)) == want  # the slice scanned
            monkeypatch.setattr(ob, "_DATES", (text, len(text) + 1, None))
            assert list(ob._para_dates(text, lo, hi)) == want, (text, lo, hi)  # the whole text's
