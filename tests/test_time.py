"""Time: the document's own date, computed time claims, dates that cannot be right,
and the dated timeline behind them (issue 14). Texts are written for these tests."""
import datetime as dt
import json
import os

import pytest

from dj_lint.engine.linter import Context, Linter, select_rules
from dj_lint.packs.loader import load_pack
from dj_lint.text import owndate, timeline
from dj_lint.text.document import Document
from conftest import ROOT, run_cli


def rules():
    return [r for name in ("obsolete", "number")
            for r in load_pack(os.path.join(ROOT, "rules", name + ".yaml"))]


def lint(text, as_of="2026-12-01", select=("obsolete", "number")):
    rs = select_rules(rules(), list(select))
    ctx = Context(as_of=owndate.parse_as_of(as_of), known_rules=rules())
    doc = Document(text, path="t.txt")
    return [(f.rule, f.line, f.column, f.text) for f in Linter(rs, ctx).lint(doc)]


# -- the document's own date ---------------------------------------------------
def test_own_date_from_title_year_and_signature():
    doc = Document("2025年度党支部书记述职报告\n一年来，支部扎实工作。\n某某党支部\n2026年1月12日\n")
    od = owndate.own_date(doc)
    assert (od.start, od.end, od.source, od.strong) == (
        dt.date(2025, 1, 1), dt.date(2026, 1, 12), "落款和标题", True)
    assert doc.text[od.span[0]:od.span[1]] == "2026年1月12日"


def test_own_date_from_a_this_year_anniversary_claim():
    doc = Document("重温入党誓词活动方案\n今年是我们党成立 90 周年，团支部组织重温誓词。\n")
    od = owndate.own_date(doc)
    assert (od.start.year, od.end.year, od.source) == (2011, 2011, "周年")
    assert doc.text[od.span[0]:od.span[1]] == "今年是我们党成立 90 周年"


def test_latest_dated_event_is_weak():
    od = owndate.own_date(Document("会议纪要\n2019年3月5日，支部召开会议。\n2019年4月8日，支部再次开会。\n"))
    assert (od.end, od.source, od.strong) == (dt.date(2019, 4, 8), "最近日期", False)


def test_explain_doc_shows_the_own_date(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("2025年度党支部书记述职报告\n一年来，支部扎实工作。\n某某党支部\n2026年1月12日\n",
                    encoding="utf-8")
    out = run_cli("--explain-doc", str(path)).stdout.decode()
    assert "本文日期：2025年1月1日至2026年1月12日（依据：落款和标题），第4行“2026年1月12日”" in out


# -- narration of the own period, history, titles --------------------------------
def test_a_report_on_its_own_year_narrates_the_campaign_of_that_year():
    text = ("2025年度党支部书记抓党建述职报告\n"
            "一年来，支部扎实开展深入贯彻中央八项规定精神学习教育，以学习教育为契机转变作风。\n"
            "某某党支部\n2026年1月12日\n")
    assert lint(text) == []
    # The same sentence in a report of 2026 claims the 2025 campaign is still going on.
    assert lint(text.replace("2025年度", "2026年度").replace("2026年1月12日", "2026年11月20日")) == [
        ("DJ404", 2, 11, "深入贯彻中央八项规定精神学习教育")]


def test_a_stale_document_is_still_judged_and_told_once():
    text = ("关于评选表彰优秀共产党员的通知\n各党支部：\n"
            "在建党90周年到来之际，以开展创先争优活动为契机，表彰一批先进典型。\n"
            "中共某某镇委员会\n2011年5月5日\n")
    assert lint(text) == [("DJ414", 3, 2, "建党90周年"),
                          ("DJ404", 3, 16, "创先争优活动")]
    assert lint(text, as_of="2011-06-01") == []


@pytest.mark.parametrize("text", [
    "支部转发了《党史学习教育在基层扎实推进》一文。",
    "2021年6月，支部书记在党课上说：“我们正在开展党史学习教育。”\n这次党史学习教育正在深入。",
    "回顾全面建设小康社会的历程，我们倍感自豪。",
    "他曾在创先争优活动中被评为优秀共产党员，这次创先争优活动让他终生难忘。",
])
def test_history_and_titles_are_not_claims(text):
    assert lint(text, select=("obsolete",)) == []


def test_campaign_material_titled_after_the_campaign_is_a_current_claim():
    text = "请将本人材料命名为《保持共产党员先进性教育活动个人党性分析材料》。"
    assert lint(text, select=("obsolete",)) == [
        ("DJ404", 1, 10, "《保持共产党员先进性教育活动个人党性分析材料》")]


def test_traditional_script_is_read_with_exact_positions():
    text = "發展黨員要嚴格執行《中國共產黨發展黨員工作細則(試行)》。"
    assert lint(text, select=("obsolete",)) == [("DJ412", 1, 10, "《中國共產黨發展黨員工作細則(試行)》")]


# -- computed claims --------------------------------------------------------------
@pytest.mark.parametrize("text,as_of,expected", [
    ("今年是我们党成立102周年。", "2026-06-01", [("DJ413", 1, 1, "今年是我们党成立102周年")]),
    ("今年是我们党成立105周年。", "2026-06-01", []),
    ("今年是新中国成立77周年。", "2026-06-01", []),
    ("今年是改革开放47周年。", "2026-06-01", [("DJ413", 1, 1, "今年是改革开放47周年")]),
    ("今年是“十五五”开局之年。", "2026-03-01", []),
    ("今年是“十五五”开局之年。", "2027-03-01", [("DJ413", 1, 1, "今年是“十五五”开局之年")]),
    ("2021年是建党100周年。", "2026-06-01", []),
])
def test_this_year_claims_are_computed(text, as_of, expected):
    assert lint(text, as_of=as_of) == expected


def test_anniversary_disagreeing_with_the_title_year():
    text = "2023年七一主题党日活动方案\n为庆祝中国共产党成立101周年，再次庆祝建党101周年。\n"
    assert [f for f in lint(text) if f[0] == "DJ913"] == [("DJ913", 2, 4, "中国共产党成立101周年")]


# -- the timeline is data: the next congress is one line --------------------------
def test_next_congress_is_one_line_of_data(monkeypatch):
    data = dict(timeline.load())
    data["congresses"] = data["congresses"] + [
        {"n": "二十一", "opened": dt.date(2027, 10, 15), "source": "test"}]
    monkeypatch.setattr(timeline, "load", lambda: data)
    text = "支部认真学习贯彻党的二十大精神。"
    assert lint(text, as_of="2027-06-01", select=("obsolete",)) == []
    assert lint(text, as_of="2028-01-10", select=("obsolete",)) == [("DJ401", 1, 9, "党的二十大")]


def test_every_timeline_fact_has_a_source():
    data = timeline.load()
    for section in ("congresses", "plans", "anniversaries", "leaders", "campaigns", "slogans",
                    "party_rules"):
        for row in data[section]:
            assert row.get("source"), (section, row)
    assert [c["n"] for c in data["congresses"]][-1] == "二十"
    assert timeline.current_plan(2026)["n"] == "十五五"


# -- dates that cannot be right ----------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("活动时间为2015年6月18日--2011年6月31日。",
     [("DJ915", 1, 6, "2015年6月18日--2011年6月31日"), ("DJ914", 1, 18, "2011年6月31日")]),
    ("2月30日，全体党员参加志愿服务。", [("DJ914", 1, 1, "2月30日")]),
    ("会议于2024年2月29日召开。", []),
    ("请于2015年6月28日（周五）到会。", [("DJ916", 1, 3, "2015年6月28日（周五）")]),
    ("请于2015年6月28日（周日）到会。", []),
    ("  220日，队员递交了入党申请书。", [("DJ918", 1, 3, "220日")]),
    ("全年365日，值班不间断。", []),
    ("支部于11月12日下午16点开会。", [("DJ919", 1, 10, "下午16点")]),
    ("支部于11月12日下午4时开会。", []),
])
def test_dates_that_cannot_be_right(text, expected):
    assert lint(text, select=("number",)) == expected


def test_bare_digit_signature_date_is_fixable():
    text = "特此报告。\n中共某某街道工作委员会\n20221117\n"
    rs = select_rules(rules(), ["DJ917"])
    found = Linter(rs, Context(as_of=dt.date(2026, 12, 1))).lint(Document(text))
    assert [(f.line, f.column, f.text, f.suggestion, f.fixable) for f in found] == [
        (3, 1, "20221117", "2022年11月17日", True)]


# -- --as-of document ---------------------------------------------------------------
def test_as_of_document_judges_each_file_at_its_own_date(tmp_path):
    old = tmp_path / "2008.txt"
    old.write_text("2008年工作总结\n支部认真学习贯彻党的十七大精神。\n某某党支部\n2008年12月20日\n",
                   encoding="utf-8")
    new = tmp_path / "2026.txt"
    new.write_text("2026年工作总结\n支部认真学习贯彻党的十七大精神。\n某某党支部\n2026年11月20日\n",
                   encoding="utf-8")
    r = run_cli("--as-of", "document", "--select", "obsolete", "--format", "json", str(old), str(new))
    report = json.loads(r.stdout)
    assert report["as_of"] == "document"
    assert [(os.path.basename(f["path"]), f["rule"], f["text"]) for f in report["findings"]] == [
        ("2026.txt", "DJ401", "党的十七大")]
    r = run_cli("--as-of", "2026-12-01", "--select", "obsolete", "--format", "json", str(old))
    assert [f["rule"] for f in json.loads(r.stdout)["findings"]] == ["DJ401", "DJ414"]


def test_date_matches_from_candidates_equal_a_scan_of_every_character(monkeypatch):
    """owndate.dates tries DATE only where a match can start (an Arabic 19xx/20xx,
    four Chinese numerals before 年): the matches are those of DATE.finditer over
    the whole text, on generated text dense in near-dates (years inside years,
    digits and dots before a year, numerals around 年, line breaks inside a date)."""
    import random

    from dj_lint.text import owndate
    rng = random.Random(17)
    pieces = ["2025", "1920", "20", "19", "1", "10", "0", "3", "年", "月", "日", "-", ".", "/", " ", "\n",
              "2025年10月", "5日", "2019-02-30", "2020.1.1", "二〇二五年", "十月", "五日", "〇", "一", "十",
              "十二", "三十一", "二", "年度", "第", "，", "党", "１２", "\udcff"]
    def key(ms):
        return [(m.span(), m.groupdict()) for m in ms]
    found = 0
    for sparse in (owndate.SPARSE, 1):  # 1: the candidates even in these dense texts
        monkeypatch.setattr(owndate, "SPARSE", sparse)
        for _ in range(3000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
            want = key(owndate.DATE.finditer(text))
            assert key(owndate._date_matches(text)) == want, text
            found += len(want)
    assert found > 2000


def test_clock_skipped_without_period_words_finds_what_every_text_scan_finds():
    """DJ919 (date_check clock) scans only a text the shared anchor pass finds one of
    its period words in; with an anchor index that keeps nothing (enabled=False) it
    scans every text: the same findings on generated text."""
    import random

    from dj_lint.engine.linter import Context, Linter, shipped_rules
    from dj_lint.text import multiscan
    from dj_lint.text.document import Document
    if not multiscan.available():
        return
    rules = [r for r in shipped_rules() if r.id == "DJ919"]
    gated = Linter(rules)
    plain = Linter(rules, Context(anchors=multiscan.AnchorIndex(enabled=False)))
    assert [c._clock_anchors is not None for c in gated.checks] == [True]
    rng = random.Random(919)
    pieces = ["下午16点", "上午15时", "晚上 9：", "下午", "晚上", "上午", "凌晨", "早", "晨", "午", "16", "9", "3", "点", "时",
              "：", ":", " ", "\n",
              "开会", "，", "。", "在", "１５"]
    found = 0
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        got = [f.as_dict() for f in gated.lint(Document(text))]
        assert got == [f.as_dict() for f in plain.lint(Document(text))], text
        found += len(got)
    assert found > 200


def test_claims_are_looked_for_only_in_texts_with_their_endings(monkeypatch):
    """anniversary_claims skips a text in which one search finds none of the words
    every claim ends with: on texts with and without them, what it finds is what it
    finds when it skips nothing."""
    import random
    import re
    rng = random.Random(3)
    pieces = ["今年是建党", "100", "一百", "周年", "周", "年", "华诞", "祖国", "70", "岁生日", "“十四五”", "开局之年",
              "收官年", "之", "。", "\n", "2021年", "党", "今年是建党100周年", "今年是“十四五”开局之年"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(400)]

    def claims():
        return [owndate.anniversary_claims(Document(t)) for t in texts]

    got = claims()
    assert sum(map(len, got)) > 20 and sum(not c for c in got) > 20
    monkeypatch.setattr(owndate, "_may_claim", lambda text: True)
    assert claims() == got


def test_a_text_may_claim_exactly_when_it_holds_an_ending():
    """owndate._may_claim (年 after one of a few characters, 华诞 and 岁生日 after a
    test for one character of theirs) answers what looking for each ending answers,
    on generated text dense in their pieces."""
    import random
    rng = random.Random(30)
    ends = owndate._ANNIV_ENDS + owndate._PLAN_ENDS
    pieces = list(ends) + sorted({c for e in ends for c in e}) + ["年", "华", "诞", "岁", "生", "日", "党", "。", "\n"]
    held = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        want = any(e in text for e in ends)
        assert owndate._may_claim(text) == want, text
        held += want
    assert 5000 < held < 15000
    for e in ends:  # each ending alone, and not a piece of it
        assert owndate._may_claim("今年是" + e) and not owndate._may_claim(e[:-1] + "。" + e[-1])


def test_claim_patterns_find_what_their_regex_forms_find():
    """The anniversary and plan-year patterns run on the stdlib ``re``, with ``\\s``
    and ``\\d`` written as the classes ``regex`` gives them: on generated text
    (blanks and digits on which the two modules disagree: \\x1c-\\x1f, digits of
    newer Unicode) they find what the ``regex`` patterns they were find."""
    import random

    import regex
    rng = random.Random(1921)
    words = sorted({w for a in timeline.anniversaries() for w in a["words"]}, key=len, reverse=True)
    plans = sorted((p["n"] for p in timeline.plans()), key=len, reverse=True)
    plain_anniv = regex.compile(r"(?P<w>" + "|".join(map(regex.escape, words)) + r")\s*(?:的)?\s*"
                                r"(?P<n>\d{1,3}|[一二三四五六七八九十百零〇]{1,5})\s*(?:周年|华诞|岁生日)")
    plain_plan = regex.compile(r"[“\"‘]?(?P<p>" + "|".join(map(regex.escape, plans)) + r")[”\"’]?"
                               r"(?:规划|计划)?(?:的)?(?P<w>开局之年|起步之年|开局年|收官之年|收官年|决胜之年)")
    owndate.anniversary_claims(Document("今年是建党100周年"))  # builds _CACHE
    anniv, plan = owndate._CACHE["re"][0], owndate._CACHE["plan"]
    pieces = words[:8] + plans[:4] + ["的", "一百", "七十", "100", "9", "٣", "\U00010d41", "\U00016ac3", " ", "\u3000",
                                      "\x1c", "\x1f", "\x85", "\n", "\t", "周年", "华诞", "岁生日", "开局之年", "收官年",
                                      "规划", "“", "”", "。", "年"]

    def key(ms):
        return [(m.span(), m.groupdict()) for m in ms]
    blanks, numbers = [" ", "\u3000", "\x1c", "\x1f", "\x85", "\n", ""], ["一百", "100", "٣", "\U00010d41", "\U00016ac3"]

    def claim():  # a word, blanks, perhaps 的, a number, blanks, an ending: mostly a match
        return (rng.choice(words) + rng.choice(blanks) + rng.choice(["的", ""]) + rng.choice(blanks)
                + rng.choice(numbers) + rng.choice(blanks) + rng.choice(["周年", "华诞", "岁生日"]))
    found, odd = 0, 0
    for _ in range(4000):
        text = "".join(claim() if rng.random() < 0.2 else rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        for fast, plain in ((anniv, plain_anniv), (plan, plain_plan)):
            want = key(plain.finditer(text))
            assert key(fast.finditer(text)) == want, text
            found += len(want)
            odd += sum(any(c in text[a:b] for c in "\x1c\x1f\U00010d41\U00016ac3") for (a, b), _ in want)
    assert found > 1000 and odd > 100


def test_as_of_document_compares_an_enumerations_since_with_each_files_date(tmp_path):
    """enumeration ``since`` (四个意识: 2016-01-29) under ``--as-of document``: a 2008
    report listing its own local 四个意识 is not judged by the later formulation; the
    same list in a 2026 report is. (It was compared with the run's date, so the 2008
    file was flagged too, while cndate's ``since`` already used the file's own date.)"""
    body = "{y}年工作总结\n支部党员增强四个意识，即全局意识、宗旨意识、创新意识、服务意识。\n某某党支部\n{y}年12月20日\n"
    old, new = tmp_path / "2008.txt", tmp_path / "2026.txt"
    old.write_text(body.format(y=2008), encoding="utf-8")
    new.write_text(body.format(y=2026), encoding="utf-8")
    r = run_cli("--as-of", "document", "--select", "DJ501", "--format", "json", str(old), str(new))
    found = [(os.path.basename(f["path"]), f["rule"], f["text"]) for f in json.loads(r.stdout)["findings"]]
    assert found == [("2026.txt", "DJ501", "全局意识、宗旨意识、创新意识、服务意识")]
    r = run_cli("--as-of", "2026-12-01", "--select", "DJ501", "--format", "json", str(old))
    assert [(f["rule"], f["text"]) for f in json.loads(r.stdout)["findings"]] == [
        ("DJ501", "全局意识、宗旨意识、创新意识、服务意识")]


def test_time_claim_kind_runs_only_the_stale_check_on_a_document_without_claims():
    """check() skips this_year and own_date where the document has no claim: the
    same hits as every rule's check run on its own, with and without claims, in
    stale documents and fresh ones (the stale one reported at its 落款 date)."""
    from dj_lint.checks.timeclaims import TimeClaimKind
    rs = select_rules(rules(), ["number", "obsolete"])
    ctx = Context(as_of=owndate.parse_as_of("2026-12-01"), known_rules=rules())
    kind = [c for c in Linter(rs, ctx).checks if isinstance(c, TimeClaimKind)][0]
    assert {rule.options["check"] for _, rule, _ in kind._plan} == {"this_year", "own_date", "stale"}
    texts = ["关于评选表彰优秀共产党员的通知\n各党支部：\n表彰一批先进典型。\n中共某某镇委员会\n2011年5月5日\n",
             "关于评选表彰优秀共产党员的通知\n各党支部：\n在建党90周年到来之际，表彰一批先进典型。\n中共某某镇委员会\n2011年5月5日\n",
             "2023年七一主题党日活动方案\n为庆祝中国共产党成立101周年，再次庆祝建党101周年。\n",
             "今年是我们党成立102周年。", "今年是“十五五”开局之年。", "各支部：\n现将有关事项通知如下。\n", ""]
    found = set()
    for text in texts:
        doc = Document(text, path="t.txt")
        want = [(h.rule.id, h.start, h.end) for _, rule, _ in kind._plan
                for h in getattr(TimeClaimKind, "_" + rule.options["check"])(kind, doc, rule)]
        assert [(h.rule.id, h.start, h.end) for h in kind.check(Document(text, path="t.txt"))] == want, text
        found.update((text, rule) for rule, _, _ in want)
    assert (texts[0], "DJ414") in found and len({rule for _, rule in found}) == 3


def test_this_year_yields_to_any_stale_rule_whatever_their_order(tmp_path):
    """Two stale rules (10 and 3 years) before a this_year rule: a document five years
    old is stale for the second one, which says so; the this_year finding yields to
    it. The kind took the first stale rule's years (10) for that test."""
    from conftest import user_pack
    rules = [{"id": "X414a", "name": "stale-10", "check": "stale", "stale_after_years": 10, "message": "旧文{years}年"},
             {"id": "X414b", "name": "stale-3", "check": "stale", "stale_after_years": 3, "message": "旧文{years}年"},
             {"id": "X413", "name": "this-year", "check": "this_year", "message": "今年{year}"}]
    examples = {"bad": [{"text": "今年是我们党成立102周年。", "match": "今年是我们党成立102周年",
                         "as_of": dt.date(2026, 6, 1)}], "good": ["2021年是建党100周年。"]}
    linter = Linter(user_pack(tmp_path / "claims.yaml", "time_claim", "obsolete", rules, examples),
                    Context(as_of=dt.date(2026, 12, 1)))
    text = "工作总结\n今年是中国共产党成立100周年，支部开展主题党日活动。\n某某党支部\n2021年7月1日\n"
    assert [f.rule for f in linter.lint(Document(text, path="t.txt"))] == ["X414b"]


@pytest.mark.parametrize("text", [
    "关于加强基层党组织建设的工作总结\n今年以来，我们认真学习贯彻党的二十大精神。\n",
    "2019年党建工作总结\n一年来工作如下。\n\n某某党支部\n2019年12月30日\n",
    "2019年党建工作总结\n一年来工作如下。\n",
    "某某党支部\n二〇一九年十二月三十日\n",
    "通知\n会议于2020.3.5召开。\n",
])
def test_signed_own_date_is_own_date_wherever_the_signature_may_say(text):
    """``signed_own_date`` (None for a text without any DATE match, the outline not
    parsed) is ``own_date`` wherever is_stale(signed=True) can tell them apart."""
    od = owndate.own_date(Document(text, path="t.txt"))
    signed = owndate.signed_own_date(Document(text, path="t.txt"))
    assert signed == od or (signed is None and "落款" not in od.source)
    if od is not None and "落款" in od.source:
        assert signed == od
