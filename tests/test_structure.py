"""Document structure: the outline parser, type detection, doc_types.yaml
validation, the sections/numbering kinds beyond their examples, and
--explain-doc / --doc-type through the real command."""
import copy
import datetime as dt
import operator

import pytest

from conftest import run_cli, seed_path
from dj_lint import doctypes
from dj_lint.text.document import Document
from dj_lint.text.sources import load_path
from dj_lint.engine import Context, Linter, select_rules, shipped_rules
from dj_lint.packs.loader import RuleError, read_yaml

AS_OF = dt.date(2026, 11, 21)


def lint(doc, doc_type=None):
    rules = select_rules(shipped_rules(), ["structure"])
    ctx = Context(as_of=AS_OF, doc_type=doc_type)
    return [(f.line, f.column, f.rule, f.text) for f in Linter(rules, ctx).lint(doc)], ctx


def summary(body: str, path="example.txt") -> Document:
    head = ("东湖小学党支部2026年党建工作总结\n"
            "2026年，党支部在上级党委的正确领导下，坚持以习近平新时代中国特色社会主义思想为指导，"
            "认真落实全面从严治党主体责任，各项工作取得了新进展。现将一年来的工作总结如下。\n")
    return Document(head + body, path=path)


# -- outline ---------------------------------------------------------------
def test_seed000_signature_found_before_trailing_site_lines():
    o = load_path(seed_path("000")).outline
    assert (o.signature.organisation + 1, o.signature.date + 1) == (43, 45)
    assert [(h.line + 1, h.marker) for h in o.headings] == [(13, "一、"), (31, "二、"), (35, "三、")]


def test_seed001_compiled_articles_restart_numbering_silently():
    doc = load_path(seed_path("001"))
    assert [a + 1 for a, _ in doc.outline.parts] == [1, 12, 20, 28, 42]
    assert lint(doc)[0] == []


def test_seed002_has_no_title_and_is_typed_from_its_opening():
    doc = load_path(seed_path("002"))
    assert doc.outline.title is None
    det = doctypes.detect(doc)
    assert det.type.id == "deeds" and "现有23名党员" in det.reason


def test_seed003_problems_and_plans_found_in_closing_paragraphs():
    doc = load_path(seed_path("003"))
    found = {f.section.name: (f.how, doc.position(f.start)[0]) for f in
             doctypes.find_sections(doctypes.detect(doc).type, doc)}
    assert found["存在问题"] == ("inline", 32)
    assert found["下一步打算"] == ("inline", 33)


def test_find_sections_kept_per_document_equals_finding_them_again():
    """find_sections keeps its answer on the document for one type: asked again, or
    for each type in turn, it answers what working it out afresh answers."""
    import os
    folder = os.path.dirname(seed_path("001"))
    types = doctypes.load_types()
    asked = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt"):
            continue
        doc = load_path(os.path.join(folder, name))
        for t in types + types[:2]:
            for _ in range(2):
                got = doctypes.find_sections(t, doc)
                assert got == doctypes._find_sections(t, doc), (name, t.id)
                got.clear()  # a caller's change to the list is not kept
                asked += 1
    assert asked > 100


def test_outline_is_computed_once():
    doc = load_path(seed_path("003"))
    assert doc.outline is doc.outline


def test_markdown_and_underlined_headings_signal_sections():
    md = summary("## 一、主要工作\n抓学习。\n## 二、存在的问题\n" + "学习不够深入。" * 8
                 + "\n## 三、下一步工作打算\n继续加强学习。\n东湖小学党支部\n2026年12月20日\n")
    assert lint(md)[0] == []
    rst = summary("主要工作\n========\n抓学习，抓制度。\n存在的问题\n==========\n"
                  "学习不够深入。\n下一步打算\n==========\n继续加强学习。\n东湖小学党支部\n2026年12月20日\n")
    assert [h.style for h in rst.outline.headings] == ["rst", "rst", "rst"]
    assert lint(rst)[0] == []


def test_short_problem_sentence_is_not_a_problems_section():
    # "还存在" followed by almost nothing is not a 存在问题 paragraph (min_chars 40).
    doc = summary("一、加强学习\n党支部全年组织集中学习24次，开展专题研讨4次。\n"
                  "二、完善制度\n党支部修订完善了“三会一课”、主题党日等制度。\n"
                  "当然也还存在不足。\n新的一年里，党支部将继续加强政治建设，深化品牌创建。\n东湖小学党支部\n2026年12月20日\n")
    assert lint(doc)[0] == [(1, 1, "DJ602", "东湖小学党支部2026年党建工作总结")]


# -- type detection and override ------------------------------------------
def test_type_from_file_name_when_the_title_says_nothing():
    doc = Document("紧扣主题抓党建\n" + "党支部坚持抓学习、抓制度、抓作风，取得了明显成效。\n" * 6,
                   path="reports/2026年度述职报告.txt")
    det = doctypes.detect(doc)
    assert det.type.id == "duty_report" and "文件名" in det.reason


def test_doc_type_override_changes_the_required_sections():
    doc = load_path(seed_path("003"))
    rules = select_rules(shipped_rules(), ["DJ602"])
    [f] = Linter(rules, Context(as_of=AS_OF, doc_type="research")).lint(doc)
    assert (f.line, f.column, f.text) == (1, 1, "教育党建工作总结")
    assert f.message.startswith("调研报告缺少“调研概况”“基本情况”“存在问题”“对策建议”部分")
    found, _ = lint(doc, doc_type="news")
    assert [r for _, _, r, _ in found if r in ("DJ602", "DJ604")] == []


def test_unknown_configured_doc_type_warns_instead_of_passing_silently():
    found, ctx = lint(load_path(seed_path("003")), doc_type="sumary")
    assert "DJ604" not in [r for _, _, r, _ in found]
    assert any("sumary" in w for w in ctx.warnings)


# -- doc_types.yaml validation ----------------------------------------------
@pytest.fixture
def data():
    return read_yaml(doctypes.data_path())


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d["types"][0].update(titel=["x"]), "types[0]: unknown field 'titel'"),
    (lambda d: d["types"][0]["sections"][0].update(headings=["存在(问题"]), "headings[0]: regex does not compile"),
    (lambda d: d["types"][0]["sections"][0].pop("expect"), "missing field 'expect'"),
    (lambda d: d["types"][0].update(signature="yes"), "field 'signature' should be one of"),
    (lambda d: d["types"][0].update(order=["没有这一部分"]), "order: unknown section '没有这一部分'"),
    (lambda d: d["layout"].update(signature_window="6"), "field 'signature_window' should be int"),
    (lambda d: d["types"][1]["sections"][0].update(inline=[r"\b存在问题"]), "never matches inside Chinese"),
])
def test_bad_doc_types_data_is_rejected_with_its_place(data, mutate, message):
    bad = copy.deepcopy(data)
    mutate(bad)
    with pytest.raises(RuleError) as exc:
        doctypes.parse(bad)
    assert message in str(exc.value) and str(exc.value).startswith("rules/data/doc_types.yaml: ")


def test_shipped_doc_types_data_is_valid(data):
    layout, types = doctypes.parse(data)
    assert [t.id for t in types][:2] == ["self_exam", "duty_report"]


# -- the command line -------------------------------------------------------
def test_explain_doc_shows_type_sections_signature_and_tree():
    r = run_cli("--explain-doc", seed_path("003"))
    out = r.stdout.decode()
    assert r.returncode == 0
    assert "文种：工作总结（summary）" in out
    assert "依据：标题“教育党建工作总结”含“总结”" in out
    assert "✓ 存在问题（必备）：段内关键句，第32行" in out
    assert "落款：（必备）未找到" in out
    assert "        L13 1)、强化领导干部的政治理论学习" in out and "→ 应为“（1）”" in out
    assert "    L32 段内：一是 二是 三是 四是" in out


def test_doc_type_option_is_checked_and_applied():
    r = run_cli("--doc-type", "summery", seed_path("003"))
    assert r.returncode == 2 and "未知的文种" in r.stderr.decode()
    r = run_cli("--explain-doc", seed_path("002"), "--doc-type", "summary")
    out = r.stdout.decode()
    assert "文种：工作总结（summary）" in out and "✗ 存在问题（必备）" in out


def test_headings_from_candidate_lines_equal_headings_from_every_line(monkeypatch):
    """The outline looks only at lines that can be headings (issue 17): the same
    headings and titles come out as when every line is tried, on the seeds,
    tests/clean and own texts with every marker style, Markdown, RST underlines
    and furniture."""
    import os
    from dj_lint.text import structure
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    texts = []
    for folder in ("seeds", os.path.join("tests", "clean")):
        for name in sorted(os.listdir(os.path.join(root, folder))):
            with open(os.path.join(root, folder, name), encoding="utf-8") as fh:
                texts.append((name, fh.read()))
    texts += [
        ("a.md", "# 总结\n\n## 一、主要工作\n正文。\n### （一）学习\n#无空格不是标题\n  ## 缩进的标题\n"),
        ("b.txt", "工作总结\n主要工作\n========\n正文一。\n存在问题\n--------\n正文二\n---\n"),
        ("c.txt", "标题\n  一、缩进的一级\n　　（二）全角缩进\n? 3. 问号开头\n• ①圆圈\n第一部分 总体\n【2】方括号\n"
                  "1.5亿元不是标题\n10、第十项\n一、\n(三)半角括号\n4）右括号\n"),
        ("d.txt", "\r\n".join(["报告", "一、甲", "（一）乙", "1.丙", "二、丁"]) + "\r\n"),
    ]
    # The candidate pass's own marker matches (and the markers' meanings kept by
    # their text) against every line matched again, nothing kept.
    # Word page furniture (blanked lines: the text searched is not the document's)
    # on the first two lines, as a .docx header leaves it.
    from dataclasses import asdict

    def outline_of(text, name, furniture):
        doc = Document(text, path=name)
        if furniture:
            doc.furniture_lines = frozenset({0, 1})
        # The title too: a title line holds no marker, which the candidate pass
        # tells (_Parser.has_marker) and every line tried asks marker() of.
        title = doc.outline.title
        return [asdict(h) for h in doc.outline.headings], title and asdict(title)

    whole = structure._Parser.heading_candidates
    for name, text in texts:
        for furniture in (False, True):
            got = outline_of(text, name, furniture)
            monkeypatch.setattr(structure._Parser, "heading_candidates", lambda self: list(range(len(self.lines))))
            monkeypatch.setattr(structure, "_MARK_INFO", {})
            monkeypatch.setattr(structure, "_MARK_INFO_KEPT", 0)
            ref = outline_of(text, name, furniture)
            monkeypatch.undo()
            assert got == ref, (name, furniture)
    assert len(Document(texts[-4][1], path="a.md").outline.headings) == 4
    # A numbered line, one after a Markdown # and a plain one under the title line.
    for text, title in (("标题\n一、甲\n正文。", ["标题"]), ("标题\n# 一、甲\n正文。", ["标题"]),
                        ("标题\n# 甲\n正文。", ["标题", "# 甲"])):
        outline = Document(text, path="t.txt").outline
        assert [text.split("\n")[i] for i in outline.title.lines] == title, text


def test_layout_any_of_agrees_with_one_alternation():
    """AnyOf tries the ^-anchored patterns at the line start only; a pattern with a
    top-level | (``^a|b``) must still be searched along the line, and a text with a
    line break is searched in full."""
    import regex
    from dj_lint.text.layout import AnyOf
    from dj_lint.text.regex_anchors import anchored_at_start as _anchored
    sources = ["^发布时间[:：]", "^第?\\d{1,2}版$|邮发代号", "^当前位置", "国内统一刊号", "^[|]分隔"]
    patterns = [regex.compile(p, regex.MULTILINE) for p in sources]
    assert [_anchored(p) for p in sources] == [True, False, True, False, True]
    one = regex.compile("|".join(f"(?:{p})" for p in sources), regex.MULTILINE)
    lines = ["发布时间：2026-01-02", "正文里的发布时间：不算", "本报邮发代号12-34", "3版", "第3版 要闻",
             "国内统一刊号CN11", "|分隔", "一个普通的句子。", "", "上一行\n当前位置", "x\u2028当前位置"]
    any_of = AnyOf(patterns)
    assert [any_of.found_in(s) for s in lines] == [one.search(s) is not None for s in lines]
    assert [any_of.found_in(s) for s in lines] == [True, False, True, True, False, True, True, False, False,
                                                   True, False]
    # As the build cache gives it back: the same state (without a run's answers),
    # set an attribute at a time, and the same answers.
    import pickle
    again = pickle.loads(pickle.dumps(any_of))
    assert list(vars(again)) == list(vars(any_of)) and again.first_ok == {}
    # Whether an empty line matches, worked out once.
    assert any_of.matches_empty is False and AnyOf([regex.compile("^$", regex.MULTILINE)]).matches_empty is True
    assert AnyOf([regex.compile("^(篇一|)$", regex.MULTILINE)]).matches_empty is True
    assert [again.found_in(s) for s in lines] == [any_of.found_in(s) for s in lines]


def test_series_items_of_every_shape():
    """Run-in items found by three scans (一是 / 第一，首先、 / ①) are what one
    alternation finds: at most three numerals before 是, only after a break
    (统一是 is a word), never inside a heading's marker."""
    from dj_lint.text.document import Document
    text = ("一、总体情况\n今年，一是抓学习，二是抓队伍；十一是加分项。统一是目标。\n"
            "要点：一二三四是序号。第一，先学；其次、再干。①学②干\n")
    doc = Document(text)
    got = [(text[s.start:s.end], s.family, s.number, s.mark) for s in doc.outline.series]
    assert got == [("一是", "shi", 1, ""), ("二是", "shi", 2, ""), ("十一是", "shi", 11, ""),
                   ("第一，", "di", 1, "，"), ("其次、", "di", 2, "、"), ("①", "circ", 1, ""),
                   ("②", "circ", 2, "")]


def test_max_line_width_bounds_only_patterns_anchored_at_both_ends():
    from dj_lint.text.regex_anchors import max_line_width
    assert max_line_width(r"^(中共)?.{2,40}(委员会|党委)$") == 2 + 40 + 3
    assert max_line_width(r"^\p{Han}{2,4}$") == 4
    assert max_line_width(r"^(a)\1$") == 2
    for unbounded in (r"^汇报人[:：]\s*\S{2,30}$", r"^ab", r"ab$", r"^a$|^b$", r"^a{2,}$", r"(?i)^ab$"):
        assert max_line_width(unbounded) is None, unbounded


def test_last_chars_of_patterns_anchored_at_the_end():
    """The characters a ^...$ match can end with (AnyOf skips such a pattern on a
    line ending with none of them); None wherever that is not certain."""
    from dj_lint.text.regex_anchors import last_chars
    assert last_chars(r"^(中共)?.{2,40}(委员会|党委|总支部?|局)$") == frozenset("会委部支局")
    assert last_chars(r"^\d{4}年\d{1,2}月(\d{1,2}日)?$") == frozenset("日月")
    assert last_chars(r"^第?\d{1,2}版$") == frozenset("版")
    assert last_chars(r"^ab*$") == frozenset("ab")
    assert last_chars(r"^a[xy]{0}$") == frozenset("a")
    for unsure in (r"^a?$", r"^(a|)$", r"^ab", r"ab$|^c$", r"^a\d$", r"^a.$", r"^a\S{2,30}$",
                   r"^[\u4e00-\u9fff]{2,4}$", r"^a\p{Han}$", r"^a[\p{Han}b]$", r"^a[^b]$",
                   r"(?i)^ab$", r"^a(?i:b)$", r"^x(?<=x)$", r"^(a)\1$", r"^a[[:alpha:]]$", r"^a\Z"):
        assert last_chars(unsure) is None, unsure


def test_first_class_of_patterns_anchored_at_the_start():
    """A class of the characters a ^... match can start with (AnyOf skips the start
    patterns on a line starting with none of them); None wherever that is not certain."""
    import regex
    from dj_lint.text.regex_anchors import first_class

    def firsts(source):
        found = first_class(source)
        return None if found is None else {ch for ch in "发更第A5٢x \t[^a" if regex.fullmatch(found, ch)}

    assert firsts(r"^(发布|更新)(时间|日期)[:：]") == {"发", "更"}
    assert firsts(r"^第?\d{1,2}版$") == {"第", "5", "٢"}
    assert firsts(r"^[A-Z]{1,2}\s?") == {"A"}
    assert firsts(r"^\s*x") == {" ", "\t", "x"}
    assert firsts(r"^[^a]") == set("发更第A5٢x \t[^")
    assert firsts(r"^a(?i:b)") == {"a"}
    for unsure in (r"^a?$", r"^(a|)", r"a", r"^a|b", r"^.x", r"^\p{Han}", r"^[\p{Han}a]", r"(?i)^ab",
                   r"^(?i:a)", r"^(?=a)a", r"^\1(a)", r"^[[:alpha:]]"):
        assert first_class(unsure) is None, unsure


def test_a_layout_list_answers_the_same_whether_or_not_it_skips_by_length():
    """AnyOf leaves out a ^...$ pattern on a line longer than it can match: the
    answer for every list and line equals the one of trying every pattern."""
    import random
    from dj_lint.text.layout import LAYOUT_LISTS, load_layout
    layout = load_layout()
    rng = random.Random(7)
    words = ["中共", "某某市", "第一", "党支部", "委员会", "党委", "2024年", "12月", "20日", "汇报人：",
             "张三", "，", "。", "工作", "篇一", "【", "】", " ", "　", "版权所有", "下载后可编辑", "XX",
             "服务热线：", "12345678", "国内统一刊号", "邮发代号", "号", "热", "文档为doc格式", "可编辑修改",
             "精品文档", "感谢您的阅读", "欢迎下载", "所有", "文档", "刊号", "代号"]
    lines = ["".join(rng.choice(words) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    lines += ["某" * n + "委员会" for n in range(1, 60)] + ["某" * n for n in range(1, 8)]
    # Lines ending with each character, and with none, for the lists' end gates.
    ends = ["会", "委", "局", "组", "部", "支", "院", "日", "月", "版", "]", "心", "。", "府", ""]
    lines += ["".join(rng.choice(words) for _ in range(rng.randint(0, 6))) + rng.choice(ends)
              for _ in range(3000)]
    lines += ["2024年12月", "2024 年 1 月 5 日", "二〇二四年十二月", "二〇二四年十二月二十日", "第3版",
              "[某某某某]", "中共某某委员会", "某某街道", "某某有限公司", "述职人：张三", "张三", ""]
    # Lines starting with each start pattern's first characters, and with others (digits
    # of other scripts are \d too), for the lists' first-character gate.
    heads = ["发布时间：", "当前位置：", "主办：", "A1", "B Ⅳ", "第3版", "上一篇：", "相关热词搜索：", "[",
             "(本文作者：某)", "篇一：", "【篇二】", "第一篇：", "２０２４年１２月", "٢٠٢٤年1月", "二〇二四年五月",
             "2024-1-2", "印刷：", "今年", "a", "　", "\t"]
    lines += [rng.choice(heads) + "".join(rng.choice(words) for _ in range(rng.randint(0, 4)))
              + rng.choice(ends) for _ in range(3000)] + heads
    for key in LAYOUT_LISTS:
        any_of = layout[key + "_any"]
        for line in lines:
            everything = (any_of.start is not None and any_of.start.match(line) is not None) or (
                any_of.anywhere is not None and any_of.anywhere.search(line) is not None)
            assert any_of.found_in(line) == everything, (key, line)
    assert layout["title_skip_any"].found_in("上一行\n当前位置：首页")
    org = layout["signature_organisation_any"]
    assert org.short is not None and org.short >= 2 + 40 + 3  # ^(中共)?.{2,40}(委员会|...)$
    assert org.short_ends is not None and "会" in org.short_ends and "。" not in org.short_ends
    assert org.found_in("某" * 40 + "委员会") and not org.found_in("某" * 50 + "委员会")


def test_any_of_pieces_meet_every_anchor_of_the_patterns_searched_along_a_line():
    """A list's patterns searched along a line are searched only in a line holding one
    of its two-character pieces: every anchor of those patterns (every match holds
    one) holds a piece, for the layout lists and the doc-type gates alike, and a
    list that needs more pieces than a few has none."""
    import regex
    from dj_lint import doctypes
    from dj_lint.text.layout import _GATE_PIECES, AnyOf, LAYOUT_LISTS, load_layout
    from dj_lint.text.regex_anchors import cached_anchors
    layout = load_layout()
    _, title_gate, body_gate = doctypes._gates(doctypes.load_types())
    types = doctypes.load_types()
    lists = [layout[key] for key in LAYOUT_LISTS] + [[p for t in types for p in t.title],
                                                     [p for t in types for p in t.body]]
    built = [layout[key + "_any"] for key in LAYOUT_LISTS] + [title_gate, body_gate]
    gated = 0
    for patterns, any_of in zip(lists, built):
        again = AnyOf(patterns)
        assert again.anywhere_pieces == any_of.anywhere_pieces
        pieces = any_of.anywhere_pieces
        if pieces is None:
            continue
        gated += 1
        assert len(pieces) <= _GATE_PIECES and all(1 <= len(piece) <= 2 for piece in pieces)
        for p in patterns:
            if any_of.anywhere is not None and p.pattern in any_of.anywhere.pattern and (
                    any_of.start is None or f"(?:{p.pattern})" not in any_of.start.pattern):
                found = cached_anchors(p.pattern, p.flags & (regex.IGNORECASE | regex.DOTALL))
                assert all(any(piece in lit for piece in pieces) for lit in found.literals), (p.pattern, pieces)
    assert gated >= 3  # title_skip, trailing_skip, the bodies' gate
    assert layout["trailing_skip_any"].anywhere_pieces is not None
    assert AnyOf([regex.compile(w) for w in "甲乙丙丁戊己庚辛壬癸"]).anywhere_pieces is None


class _PlainParser:
    """The outline parser's former whole-line forms, for the comparison below: every
    line with text asked for part boundaries (no gate characters), title() asking
    again, the 落款 lines stripped of blanks by a regex, the RST underlines found by
    ``(?m)^``, 第一，/首先， by one alternation."""

    @staticmethod
    def make():
        import re
        from dj_lint.text import structure
        shi = re.compile(rf"是(?<=[{structure._CN}]是)")
        di = re.compile(rf"(?P<di>第(?P<di_n>[{structure._CN}]{{1,3}})|首先|其次|再次)(?P<di_m>[，,、])")

        class Plain(structure._Parser):
            def nonblank(self):
                found = self.__dict__.get("_nonblank")
                if found is None:
                    text, starts = self.text_and_starts()
                    found = self._nonblank = [structure.bisect.bisect_right(starts, at) - 1
                                              for at in structure._NONBLANK.starts(text)]
                return found

            def title_text(self, s):
                for p in self.layout["title_prefix"]:
                    s = p.sub("", s, count=1)
                return structure._strip(s)

            def title_like(self, i):
                s = structure._strip(self.lines[i])
                t = self.title_text(s)
                like = (0 < len(t) <= structure._TITLE_MAX and not re.search(r"[。；;！!？?，,：:]$", t)
                        and "。" not in t and self.marker(i) is None and not self.any("signature_date", t))
                return t if like else None

            def title(self, lo, hi):
                # The main title's text made again from its line, not taken from title_like.
                found = super().title(lo, hi)
                if found is not None:
                    line = self.lines[found.lines[0]]
                    found.text = self.title_text(line.lstrip(" \t　>?？").rstrip(" \t　"))
                return found

            def lines_matching(self, key, lines):
                hits = [i for i in lines if self.any(key, structure._strip(self.lines[i]))]
                if self.any(key, ""):
                    hits = sorted(set(hits) | {i for i, l in enumerate(self.lines) if not structure._strip(l)})
                return hits

            def parts(self):
                out = super().parts()
                del self._boundaries
                return out

            def heading_candidates(self):
                text, starts = self.text_and_starts()
                found = set(self.doc.style_headings)
                for m in re.finditer(r"(?m)^(?=[^\n])" + structure._HEAD_BODY, text):
                    found.add(structure.bisect.bisect_right(starts, m.start()) - 1)
                for m in re.finditer(r"(?m)^[ \t]*([=\-~^*+#])\1{2,}[ \t]*$", text):
                    found.add(structure.bisect.bisect_right(starts, m.start()) - 2)
                return sorted(i for i in found if 0 <= i < len(self.lines))

            def signature(self, title, heading_lines):
                lo, hi = 0, len(self.lines)
                sig = structure.Signature()
                if title and any(self.layout["title_date"].search(self.lines[i]) for i in title.lines):
                    sig.date_in_title = True
                nonblank = self.nonblank()
                idx = nonblank[structure.bisect.bisect_left(nonblank, lo):structure.bisect.bisect_left(nonblank, hi)]
                while idx and self.any("trailing_skip", structure._strip(self.lines[idx[-1]])):
                    idx.pop()
                skip = set(title.lines if title else []) | set(heading_lines)
                for i in reversed(idx[-self.layout["signature_window"]:]):
                    s = re.sub(r"[ \t　]+", "", self.lines[i])
                    if i in skip:
                        continue
                    if sig.date is None and self.any("signature_date", s):
                        sig.date = i
                    elif sig.organisation is None and self.any("signature_organisation", s):
                        sig.organisation = i
                    else:
                        date_tail = re.search(r"\d{4}年\d{1,2}月\d{1,2}日$", s)
                        if date_tail and sig.date is None and self.any("signature_organisation",
                                                                       s[:date_tail.start()]):
                            sig.date = sig.organisation = i
                return sig

            def series(self, headings, parts=None):
                text = self.doc.text
                parts = self.known_parts() if parts is None else parts
                skip_to = {h.line: (h.end if h.numbered else self.starts[h.line] + len(self.lines[h.line]))
                           for h in headings}
                bounds = sorted({h.line for h in headings} | {lo for lo, _ in parts})
                found = []
                for m in shi.finditer(text):
                    end = m.end()
                    start = end - 2
                    while start > 0 and end - 1 - start < 3 and text[start - 1] in structure._CN:
                        start -= 1
                    if not start or text[start - 1] in structure._SERIES_BREAK:
                        found.append((start, end, "shi", None))
                for m in di.finditer(text):
                    start = m.start()
                    if not start or text[start - 1] in structure._SERIES_BREAK:
                        found.append((start, m.end(), "di", m))
                for m in structure._CIRC.finditer(text):
                    found.append((m.start(), m.end(), "circ", m))
                found.sort(key=operator.itemgetter(0, 1, 2))  # the full order, as before
                out = []
                for start, end, family, m in found:
                    i = structure.bisect.bisect_right(self.starts, start) - 1
                    if i in skip_to and start < skip_to[i]:
                        continue
                    if family == "shi":
                        number, mark = structure.cn_number(text[start:end - 1]), ""
                    elif family == "di":
                        number = (structure.cn_number(m.group("di_n")) if m.group("di_n")
                                  else structure._SEQ_WORDS[m.group("di")])
                        mark = m.group("di_m")
                    else:
                        number, mark = structure.number_of(m.group()), ""
                    out.append((start, end, family, number, mark, i, structure.bisect.bisect_right(bounds, i)))
                return out

        return Plain


def test_outline_equals_that_of_the_whole_line_forms():
    """The lines with text found by compress (or the regex, for short lines on
    average), part boundaries asked only on the lines holding a gate character (篇), title()
    reusing them, title prefixes taken off only with their gate characters and from a
    line at whose start one matches, the title's end read from its last character,
    the 落款 blanks taken out in C, RST underlines led by a line break, 第一，and 首先，
    scanned apart and only in a text holding their first character: the outline is
    the one the former forms give, on generated documents with all of these."""
    import random
    from dataclasses import asdict
    from dj_lint.text import structure
    from dj_lint.text.layout import load_layout
    plain = _PlainParser.make()
    rng = random.Random(11)
    pieces = ["第一篇：", "篇二：", "【篇三】", "篇", "一、", "（二）", "3.", "第一，", "首先，", "其次、", "再次,",
              "第十二、", "一是", "①", "工作总结", "党支部", "中共某某市委员会", "2026年5月1日", "2026 年 5 月",
              "某某街道党工委2026年5月1日", " ", "　", "\t", "===", "---", "~~~~", "#", "## ", "版权所有",
              "。", "，", "学习", "相关阅读：", "\n", "\n", "\n", "\n\n", "范文三：", "事迹材料：", "心得体会",
              "服务热线：12345678", "邮发代号", "；", "!", "> ", "？", "号", "认真开展组织生活会和民主评议党员工作" * 3]
    layout = load_layout()
    compared = 0
    for _ in range(600):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        got = structure._Parser(Document(text), layout).build()
        ref = plain(Document(text), layout).build()
        assert asdict(got) == asdict(ref), repr(text)
        compared += bool(got.headings) + bool(got.series) + got.compilation + (got.signature.date is not None)
    assert compared > 600


def test_series_scans_test_the_break_as_the_whole_line_forms():
    """The list scans test the character before an item themselves (_SHI counts the
    numerals before 是 by the alternative that matched, 第 and 首先 … are led by no
    character but a break): the items the former loops found, on short texts of
    numerals, 是, breaks and other characters, at the text's start and after four
    numerals too."""
    import random
    from dj_lint.text import structure
    from dj_lint.text.layout import load_layout
    plain = _PlainParser.make()
    rng = random.Random(7)
    pieces = list("一二三十是，。\n 　统x①") + ["第一", "第二、", "首先，", "其次、", "再次,", "第十一，"]
    layout = load_layout()
    found = 0
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        doc = Document(text)
        got = structure._Parser(doc, layout).series([], [(0, len(doc.lines))])
        assert got == plain(doc, layout).series([], [(0, len(doc.lines))]), repr(text)
        found += len(got)
    assert found > 2000


def test_marker_branch_read_from_the_last_group():
    """numbered() reads the branch of _MARKER from the group that closed last: the
    branch whose own group holds text, on every marker shape and mark."""
    from dj_lint.text import structure
    shapes = ["第一部分", "第三章", "【1】", "【十二】", "（一）", "(二)、", "（三）.", "（1）", "(2)，", "3)", "4）、",
              "5.", "6．", "7、", "①", "②、", "③.", "一、", "十二.", "三．"]
    for marker in shapes:
        m = structure._MARKER.match(marker + "正文")
        assert m is not None and m.group() == marker, marker
        branch = m.lastgroup if m.lastgroup in ("part", "len") else next(
            g for g in ("pcn", "pnum", "half", "num", "circ", "cn") if m.group(g))
        assert structure._BRANCH_OF_LAST[m.lastgroup] == branch, marker


def test_heading_candidates_keep_only_lines_of_the_document():
    """heading_candidates filters the lines out of range (an underline on the first
    line points at line -1, a Word heading style may name a line past the last)
    only when the sorted candidates' ends say there are such: the same lines as
    filtering every candidate."""
    from dj_lint.text import structure
    from dj_lint.text.document import Document
    from dj_lint.text.layout import load_layout
    plain = _PlainParser.make()
    layout = load_layout()
    texts = ["===\n一、总则\n标题\n===\n", "标题\n---\n", "一、总则\n（一）要求\n", "正文。\n", "",
             "---\n", "===\n===\n==="]
    for text in texts:
        for styles in ({}, {0: 1}, {0: 1, 40: 2}, {3: 1, 99: 2}):
            doc = Document(text)
            doc.style_headings = styles
            got = structure._Parser(doc, layout).heading_candidates()
            assert got == plain(doc, layout).heading_candidates(), (text, styles)
            assert all(0 <= i < len(doc.lines) for i in got) and got == sorted(set(got))


def test_furniture_end_asks_head_lines_up_to_the_first_long_line_of_prose(monkeypatch):
    """furniture_end stops asking title_skip at the first head line that is no
    furniture and longer than 15 characters when no furniture came before it; its
    k0 is the one worked out from every head line's answer (the last furniture
    line, when every line before it is furniture or at most 15 characters long),
    on generated heads of furniture, short lines and long lines of prose."""
    import random
    from dj_lint.text import structure
    from dj_lint.text.layout import load_layout
    layout = load_layout()
    skip_in = layout["title_skip_any"].found_in
    pieces = ["发布时间：2026-01-02", "邮发代号：1-23", "当前位置：首页", "A II", "第3版", "首页", "　新闻中心",
              "关于加强基层党组织建设的实施意见", "坚持以习近平新时代中国特色社会主义思想为指导全面加强党的建设",
              "服务热线：12345678", "号外", "", "十五个字的一行标题这样就正好了吗"]
    rng = random.Random(5)
    stopped = 0
    for _ in range(3000):
        lines = [rng.choice(pieces) for _ in range(rng.randint(1, 14))]
        parser = structure._Parser(Document("\n".join(lines)), layout)
        head = list(range(min(12, len(lines))))
        flags = [skip_in(lines[i].strip(" \t　")) for i in head]
        junk = [k for k, flag in enumerate(flags) if flag]
        want = junk[-1] + 1 if junk and all(flags[k] or len(lines[k].strip(" \t　")) <= 15
                                            for k in range(junk[-1])) else 0
        k0, skip = parser.furniture_end(head)
        assert k0 == want, lines
        assert all(skip[i] == flags[i] for i in skip) and list(skip) == head[:len(skip)], lines
        stopped += len(skip) < len(head)
    assert stopped > 600
    # A document whose first line is a long title: that line alone is asked.
    asked = []
    layout_any = layout["title_skip_any"]
    monkeypatch.setattr(layout_any, "found_in", lambda s: asked.append(s) or type(layout_any).found_in(layout_any, s))
    lines = ["事迹材料：某某市教研室先进基层党组织事迹材料", "", "发布时间：2020-08-28 来源：疫情防控", "正文。"]
    parser = structure._Parser(Document("\n".join(lines)), layout)
    assert parser.furniture_end([0, 2, 3]) == (0, {0: False}) and asked == [lines[0]]


def test_heading_line_starts_equal_those_of_the_plain_scan():
    """_HEAD_OR_RST turns a line away by its first character (the lead's, the
    markers' or an underline's first characters) before trying the lead, and finds
    the heading starts and the RST underlines in one pass: its heading matches
    are those of ``(?m)^(?=[^\\n])`` with the lead and markers (the same groups),
    its underline matches those of ``(?m)^`` with _RST_UNDERLINE's body, on lines
    starting with every lead character, marker, underline and other character."""
    import random
    import re
    from dj_lint.text import structure
    plain = re.compile(r"(?m)^(?=[^\n])" + structure._HEAD_BODY)
    plain_rst = re.compile(r"(?m)^[ \t]*([=\-~^*+#])\1{2,}[ \t]*$")
    rng = random.Random(5)
    heads = [" ", "\t", "　", "?", "？", ">", "＞", "•", "·", "#", "## ", "第一部分", "【1】", "（一）", "(二)、",
             "（1）", "3)", "5.", "6．", "7、", "①", "②、", "一、", "十二.", "三．", "٣.", "x", "关于", "", "\n",
             "===", "---", "~~~~", "^^^", "***", "+++", "###", "==", "-=-", "=== x", "### 一、"]
    rests = ["正文", "一、正文", " 二、", "", "。", "1.", "\n", "===", "\t", " "]
    underlines = 0
    for _ in range(600):
        text = "".join(rng.choice(heads) + rng.choice(heads) + rng.choice(rests) + rng.choice(["\n", ""])
                       if rng.random() < 0.8 else rng.choice(["===", " ---", "~~~~\t", "###", "**"]) + "\n"
                       for _ in range(rng.randint(0, 12)))
        got = [(m.start() + (m.group()[:1] == "\n"), m.end(), m.lastindex, m.lastgroup)
               for m in structure._HEAD_OR_RST.matches(text)]
        heads_got = [g for g in got if g[3] != "rst"]
        assert heads_got == [(m.start(), m.end(), m.lastindex, m.lastgroup) for m in plain.finditer(text)], repr(text)
        rst_got = [g[:2] for g in got if g[3] == "rst"]
        assert rst_got == [(m.start(), m.end()) for m in plain_rst.finditer(text)], repr(text)
        underlines += len(rst_got)
    assert underlines > 100


def _structure_texts():
    import os
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    texts = []
    for folder in ("seeds", os.path.join("tests", "clean")):
        for name in sorted(os.listdir(os.path.join(root, folder))):
            with open(os.path.join(root, folder, name), encoding="utf-8") as fh:
                texts.append(fh.read())
    body = "一、主要工作\n正文。\n"
    for sig in ("中共某某县委员会\n2026年3月1日", "中共某某县委员会 2026年3月1日", "2026 年 3 月 1 日\n某某 党支部",
                "某某党支部\n二〇二六年三月一日\n版权所有", "某某县　委员会\n2026年3月1日",
                "述职人： 张 三\n2026.3.1", "张三\n\n2026年3月"):
        texts.append("关于某某的报告\n" + body + sig + "\n")
    return texts


def test_signature_of_the_joined_window_equals_line_by_line():
    """_Parser.signature strips the blanks of its window's lines joined and stops
    once both lines are found: the same 落款 as each line stripped and tried in turn."""
    from dj_lint.text import structure
    from dj_lint.text.layout import load_layout

    def plain(p, lo, hi, title, heading_lines):
        sig = structure.Signature()
        if title and any(p.layout["title_date"].search(p.lines[i]) for i in title.lines):
            sig.date_in_title = True
        nonblank = p.nonblank()
        idx = [i for i in nonblank if lo <= i < hi]
        while idx and p.layout["trailing_skip_any"].found_in(p.lines[idx[-1]].strip(" \t　")):
            idx.pop()
        skip = set(title.lines if title else []) | set(heading_lines)
        for i in reversed(idx[-p.layout["signature_window"]:]):
            if i in skip:
                continue
            s = "".join(c for c in p.lines[i] if c not in " \t　")
            if sig.date is None and p.layout["signature_date_any"].found_in(s):
                sig.date = i
            elif sig.organisation is None and p.layout["signature_organisation_any"].found_in(s):
                sig.organisation = i
            elif sig.date is None and s.endswith("日"):
                tail = structure._DATE_TAIL.search(s)
                if tail and p.layout["signature_organisation_any"].found_in(s[:tail.start()]):
                    sig.date = sig.organisation = i
        return sig

    found = 0
    for text in _structure_texts():
        outline = Document(text, path="t.txt").outline
        p = structure._Parser(Document(text, path="t.txt"), load_layout())
        ref = plain(p, 0, len(p.lines), outline.title, {h.line for h in outline.headings})
        assert outline.signature == ref, text[:40]
        found += ref.date is not None and ref.organisation is not None
    assert found >= 4


def test_title_lines_sliced_equal_title_lines_tried_one_by_one():
    """Without a part boundary, title() takes its first lines as one slice of the
    lines with text: the same title as when each line is asked whether it is a
    boundary (``_boundaries`` unknown)."""
    from dj_lint.text import structure
    from dj_lint.text.layout import load_layout
    titled = 0
    for text in _structure_texts():
        p = structure._Parser(Document(text, path="t.txt"), load_layout())
        parts = p.parts()
        got = p.title(*parts[0])
        del p._boundaries
        assert got == p.title(*parts[0]), text[:40]
        titled += got is not None
    assert titled >= 6


def test_headings_and_series_before_the_outline_equal_the_outline_s():
    """``Document.headings_and_series`` (the numbering kind's part of the outline,
    parsed without its title and 落款) gives the outline's headings and series
    rows; the outline built after it from the same parser equals one built alone."""
    headed = 0
    for text in _structure_texts():
        alone = Document(text, path="t.txt").outline
        doc = Document(text, path="t.txt")
        headings, series = doc.headings_and_series()
        assert (headings, series) == (alone.headings, alone.series_rows), text[:40]
        assert "_outline_parser" in doc.__dict__
        assert doc.outline == alone, text[:40]
        assert "_outline_parser" not in doc.__dict__  # the parser is dropped once used
        assert doc.headings_and_series() == (alone.headings, alone.series_rows)
        headed += bool(headings)
    assert headed >= 3
