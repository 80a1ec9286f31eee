"""Punctuation findings on debris: a mark, space or line break that belongs to a
line another category already reports (page furniture, jammer noise, mojibake)
yields to that finding; an excerpt cut off mid-sentence keeps its last quotation.
All texts are written for these tests."""
import datetime as dt
import re

import pytest

from dj_lint.text.document import Document
from dj_lint.engine import Context, Linter, shipped_rules

AS_OF = dt.date(2026, 11, 21)
LINTER = None


def lint_all(text, path="t.txt"):
    global LINTER
    if LINTER is None:
        LINTER = Linter(shipped_rules(), Context(as_of=AS_OF))
    return LINTER.lint(Document(text, path=path))


def found(text, *ids):
    return [(f.rule, f.line, f.column, f.text) for f in lint_all(text) if f.rule in ids]


def test_space_in_a_site_info_line_goes_with_the_line():
    text = ("学习贯彻全会精神座谈会召开\n"
            "发布时间: 2026-04-12 来源: 市委组织部 作者: 张华\n"
            "座谈会上，大家结合工作实际谈体会, 讲打算。\n")
    on_line = [f for f in lint_all(text) if f.line == 2]
    assert "DJ809" not in {f.rule for f in on_line}
    assert "watermark" in {f.category for f in on_line}
    # the same space in a sentence is still reported, exactly where it is
    assert found(text, "DJ809") == [("DJ809", 3, 18, " ")]


def test_a_jammer_line_is_not_half_of_a_sentence():
    text = ("党员先进事迹材料\n"
            "她始终坚守在抗疫一线，带领护理团队完成了大量的隔离病区防控任务，每天的工作\n"
            "q7 K& x2 W# {9 L; h& y4 Z$ e\n"
            "直到深夜才结束。\n")
    assert found(text, "DJ808") == []
    assert "watermark" in {f.category for f in lint_all(text) if f.line == 3}


def test_broken_line_between_prose_lines_is_still_reported():
    text = ("党员先进事迹材料\n"
            "她始终坚守在抗疫一线，带领护理团队完成了大量的隔离病区防控任务，每天的工作\n"
            "直到深夜才结束。\n")
    assert found(text, "DJ808") == [("DJ808", 2, 37, "作\n直")]


def test_cut_off_excerpt_keeps_only_the_last_open_quotation():
    text = ("主题党日活动小结\n"
            "支部开展“学习月活动。会上，书记强调：“要把学习成果转化为推动工作的实际成效，切实\n")
    assert found(text, "DJ807") == [("DJ807", 2, 5, "“")]
    # a complete last paragraph: both openers are unbalanced
    done = text.replace("切实\n", "切实抓好落实。\n")
    assert found(done, "DJ807") == [("DJ807", 2, 5, "“"), ("DJ807", 2, 20, "“")]


def test_closer_lost_in_mojibake_is_reported_as_garble_only():
    text = ("支部书记在会上说：“这是每名党员应尽的责任?!会后大家纷纷表示赞同。\n"
            "大家一致表示要以实际行动践行初心使命。\n")
    assert found(text, "DJ807") == []
    assert found(text, "DJ114") == [("DJ114", 1, 22, "?!")]


def test_quotation_over_the_lines_of_a_hard_wrapped_sentence_is_balanced():
    text = ("学习心得\n"
            "他在笔记中摘录了一段话，如“理论学习要\n"
            "往深里走、往心里走，做到学懂弄通\n"
            "做实”。此类记录在抽查中较为常见。\n")
    assert found(text, "DJ807") == []
    # a sentence that ended before the next line starts: the quote is unclosed
    ended = text.replace("学懂弄通\n", "学懂弄通。\n")
    assert found(ended, "DJ807") == [("DJ807", 2, 14, "“"), ("DJ807", 4, 3, "”")]


# -- a paragraph hard-wrapped at the page width: one finding a paragraph ----------
WRAPPED = ("党支部学习情况报告\n"
           "今年以来，党支部坚持把理论学习摆在首位，按照上\n"
           "级党委的统一部署，认真组织党员学习党的创新理\n"
           "论，及时传达学习会议精神，做到学习有计划、有\n"
           "记录、有检查。\n"
           "一、存在的问题\n"
           "对照检查发现，个别党员学习的主动性还不够强，\n"
           "满足于读原文、记笔记，联系实际思考问题不深，\n"
           "学习成果转化为推动工作的实际成效还不明显。\n")


def test_wrapped_paragraphs_are_reported_once_each_with_the_line_count():
    found_ = [f for f in lint_all(WRAPPED) if f.category == "punctuation"]
    assert [(f.rule, f.line, f.column, f.end_line, f.end_column) for f in found_] == [
        ("DJ812", 2, 23, 5, 2), ("DJ812", 7, 22, 9, 2)]
    first = found_[0]
    assert first.text == "上\n级党委的统一部署，认真组织党员学习党的创新理\n论，及时传达学习会议精神，做到学习有计划、有\n记"
    assert first.suggestion == "上级党委的统一部署，认真组织党员学习党的创新理论，及时传达学习会议精神，做到学习有计划、有记"
    assert "断成了 4 行（3 处" in first.message


def test_the_same_paragraphs_one_a_line_are_clean():
    joined = WRAPPED.replace("上\n级", "上级").replace("理\n论", "理论").replace("有\n记", "有记")
    joined = joined.replace("强，\n满", "强，满").replace("深，\n学", "深，学")
    assert [f for f in lint_all(joined) if f.category == "punctuation"] == []


def test_a_word_spelled_one_character_a_line():
    text = "东湖市实验中学团委\n工\n作\n计\n划\n二〇二六年三月\n"
    assert found(text, "DJ813") == [("DJ813", 2, 1, "工\n作\n计\n划")]


def test_a_document_sites_page_split_inside_a_word():
    first = ("1、支部每季度至少召开一次组织生活会，会前广泛征求党员群众意见，认真查摆问题，深刻剖析原因，"
             "会上认真开展批评和自我批评，会后及时制定整改清单并整改落实，整改情况在一定范围内公开，"
             "接受党员群众监督，整改不到位的要说明原因并限期完成；遇有重要情况，经支部委员会研究同意，可随")
    text = first + "\n\n2、时召开组织生活会，由支部书记主持。\n"
    found_ = found(text, "DJ808", "DJ331")
    n = len(first)
    assert found_ == [("DJ331", 1, 1, "1、"), ("DJ808", 1, n, "随\n\n2、时"), ("DJ331", 3, 1, "2、")]
    assert [f.suggestion for f in lint_all(text) if f.rule == "DJ808"] == ["随时"]


def test_display_width_counts_wide_characters_twice_in_every_plane():
    """hardwrap's width (one regex in C) equals the per-character East Asian Width sum."""
    import random
    import unicodedata
    from dj_lint.checks.hardwrap import display_width
    rng = random.Random(17)
    pools = [(0, 0x110000), (0x20, 0x3100), (0x4E00, 0xA000), (0xD800, 0xE000), (0xFF00, 0xFFF0), (0x1F300, 0x1FA00)]
    for _ in range(3000):
        s = "".join(chr(rng.randrange(*rng.choice(pools))) for _ in range(rng.randrange(0, 30)))
        assert display_width(s) == sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s), s
    assert display_width("党建ａ1 。") == 2 + 2 + 2 + 1 + 1 + 2


def test_furniture_notice_words_automaton_agrees_with_the_trie_regex():
    """The notice words are found by one automaton pass (leftmost-longest); the
    trie-shaped regex it replaces must give every line the same weight, also where
    words overlap (本网 / 本网站) or one holds another (文档由 / 本文档)."""
    from dj_lint.checks.furniture import FurnitureLineKind, Vocabulary
    from dj_lint.text import multiscan
    if not multiscan.available():
        pytest.skip("ahocorasick-rs is not installed")
    v = Vocabulary("furniture.yaml")
    text = ("本网站所有文档由会员分享上传\n支部今年学习十二次。\n本文档由网友上传，本站只提供存储空间\n"
            "本网本网站站长\n")
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    starts = [s for s, _ in lines]
    fast = FurnitureLineKind._notice_weights(text, starts, lines, v)
    v.notice_ac = None  # the regex path, as without ahocorasick-rs
    slow = FurnitureLineKind._notice_weights(text, starts, lines, v)
    assert fast == slow
    assert fast[1] == 0 and fast[0] >= v.threshold and fast[2] >= v.threshold


def test_jammer_run_pattern_matches_the_plain_form():
    """The jammer's run pattern opens with its first character for speed; it must
    find exactly what the plain lookbehind form finds."""
    import random
    from dj_lint.checks.spam import _RUN
    plain = re.compile(r"(?<![!-~])(?:[!-~]{1,2} ){3,}[!-~]{1,2}(?![!-~])")
    rng = random.Random(2026)
    found = 0
    for _ in range(5000):
        s = "".join(rng.choice("ab  +$党\n") for _ in range(rng.randint(0, 30)))
        want = [m.span() for m in plain.finditer(s)]
        assert [m.span() for m in _RUN.finditer(s)] == want, s
        found += len(want)
    assert found > 50


def test_hard_wrap_widths_counted_by_the_narrow_class_match_east_asian_width():
    """hard_wrap counts a line's narrow characters with one class of the BMP (a
    text without characters beyond it): the class must say 'narrow' exactly
    where unicodedata says neither W nor F, for every code point of the BMP."""
    import unicodedata

    from dj_lint.checks.hardwrap import display_width, learn_widths, narrow_bmp
    learn_widths("x")
    narrow = narrow_bmp()
    wrong = [hex(c) for c in range(0x10000)
             if (narrow.match(chr(c)) is not None) == (unicodedata.east_asian_width(chr(c)) in "WF")]
    assert wrong == []
    line = "一、Ａ组 abc　（2024）"
    assert 2 * len(line) - len(narrow.findall(line)) == display_width(line) == 22


def test_furniture_shapes_skipped_by_the_anchor_gate_could_not_have_matched():
    """furniture_line tries a shape on a line only when the line holds one of the
    shape's literal anchors: every line is judged as when every shape is tried."""
    import random

    from dj_lint.checks.furniture import FurnitureLineKind, Vocabulary, _LINE
    v = Vocabulary("furniture.yaml")
    samples = ["当前位置：首页 > 党建工作 > 正文", "首页>新闻中心>通知公告", "学习材料.docx", "封面图.jpg（示意）",
               "第 2 页 / 共 5 页", "3/12", "（8）", "约 3000 字", "全文共2800字，阅读需要7分钟", "【接上页】",
               "2024-05-01 10:20 阅读 350", "述职报告范文（精选6篇）", "篇一：支部工作总结", "通讯员 李明 摄",
               "上一篇：关于开展活动的通知", "展开全文", "……此处隐藏3000字……", "本帖最后由 某某 于 2020 编辑",
               "下载附件 (12 KB)", "010-12345678（电话）", "400-800-1234", "客服QQ：12345678", "服务时间：9:00-18:00",
               "党建新闻", "站内搜索：", "某某党建网首页", "首页党建", " 12 ", "工作总结范文大全", "心得体会范文 3",
               "支部全年组织集中学习12次。", "一、主要工作", "2024年12月20日", "某某党支部"]
    rng = random.Random(3)
    lines = samples + ["".join(rng.choice(samples)[:rng.randint(1, 12)] for _ in range(rng.randint(1, 4)))
                       for _ in range(2000)]
    text = "\n".join(lines)
    spans = [m.span(1) for m in _LINE.finditer(text) if m.start(1) >= 0]
    starts = [s for s, _ in spans]
    masks = v.gate.line_masks(text, starts, spans)
    kind = FurnitureLineKind.__new__(FurnitureLineKind)
    reasons = set()
    for k, ((s, e), mask) in enumerate(zip(spans, masks)):
        gated = kind._judge(text, s, e, 0, 1, v, 0.0, False, mask)
        every = kind._judge(text, s, e, 0, 1, v, 0.0, False)
        assert gated == every, text[s:e]
        reasons.add(every[0])
    assert {"breadcrumb", "file", "image", "counter", "date", "compilation", "caption", "chrome",
            "notice", "forum", "contact"} <= reasons


def test_jammer_runs_found_from_their_inner_space_as_in_the_whole_text():
    """spam.runs starts _RUN's search two characters before the first " T T" of
    the text (none: no search): the same runs as the search over the whole text,
    on generated text of one- to three-character ASCII tokens, spaces, Han
    characters and line breaks."""
    import random

    from dj_lint.checks import spam
    rng = random.Random(31)
    pieces = ["a", "Z", "9", "!", "@", "#", "-", "~", "ab", "x1", "abc", " ", " ", " ", "  ", "党", "。", "\n", "\t"]
    found = 0
    tokens = [p for p in pieces if p.strip() and p.isascii()]
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(0, 8)):
            if rng.random() < 0.3:  # a run, or nearly: tokens and single spaces
                parts.append(" ".join(rng.choice(tokens) for _ in range(rng.randint(2, 7))))
            else:
                parts.append(rng.choice(pieces))
        text = "".join(parts)
        want = [m.span() for m in spam._RUN.finditer(text)]
        assert [m.span() for m in spam.runs(text)] == want, repr(text)
        found += bool(want)
    assert found > 300
