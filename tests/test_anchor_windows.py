"""One automaton pass for every rule's anchors, each rule then run only in the lines
around them (issue 17 point 3): the findings are exactly those of scanning every
rule over the whole text — on the seeds, tests/clean and generated text."""
from __future__ import annotations

import os
import random

import pytest

from dj_lint.checks import obsolete
from dj_lint.checks.obsolete import folded_text
from dj_lint.engine.linter import Context, Linter, shipped_rules
from dj_lint.text import multiscan
from dj_lint.text.document import Document
from dj_lint.text.regex_anchors import anchors

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AS_OF = __import__("datetime").date(2026, 12, 1)

pytestmark = pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")


@pytest.fixture(scope="module")
def linters():
    rules = shipped_rules()
    windowed = Linter(rules, Context(as_of=AS_OF))
    whole = Linter(rules, Context(as_of=AS_OF, anchors=multiscan.AnchorIndex(enabled=False)))
    return windowed, whole


def _same(linters, text: str, path: str) -> int:
    windowed, whole = linters
    got = [f.as_dict() for f in windowed.lint(Document(text, path=path))]
    want = [f.as_dict() for f in whole.lint(Document(text, path=path))]
    assert got == want, path
    return len(want)


def _files(*dirs):
    for d in dirs:
        for name in sorted(os.listdir(os.path.join(ROOT, d))):
            if name.endswith((".txt", ".md")):
                yield os.path.join(d, name)


def test_the_automaton_is_used(linters):
    windowed, whole = linters
    assert windowed.ctx.anchors._handles > 60  # most pattern and obsolete rules have anchors
    assert whole.ctx.anchors._handles == 0
    # No anchor holds the mark the analysis gives a lookbehind (no text holds it).
    assert not [lit for lit in windowed.ctx.anchors._index if "\ufdd0" in lit]


def test_seeds_and_clean_files_find_the_same(linters):
    total = 0
    for rel in _files("seeds", "tests/clean"):
        with open(os.path.join(ROOT, rel), encoding="utf-8") as fh:
            total += _same(linters, fh.read(), rel)
    assert total > 100  # the seeds are full of findings


# Pieces a generated document is made of: shapes the rules look for, written here
# (not copied from any document), with line breaks in awkward places.
PIECES = [
    "认真学习贯彻党的十八大精神", "深入学习贯彻党的十九届四中全会精\n神", "学习贯彻十七届三中全会",
    "精神", "以科学发展观为指导", "正在开展党的群众路线教育实践活动", "XX同志", "xx月xx日",
    "××公司", "2019年", "20XX年", "（此处填写）", "##市", "○○县", "；；", "，，", "“ ", " ”",
    "为期三天", "大约50余人", "约", "\n", "\n\n", "\r\n", "　", "  ", "\t", "\udc81\udc82",
    "（一）", "一、", "1.", "网讯", "第一篇", "&lt;", "?", "<", ">", "�", "\ufeff", "全面建设小康社会",
    "全面从严治党", "不忘初心、牢记使命", "两学一做", "三严三实", "主题教育", "十四五规划",
    "党的二十大", "中国共产党纪律处分条例", "www.example.com", "13800138000", "2005年开展",
    # Shapes whose anchors are built from several parts (spaces next to punctuation or
    # a measure word, doubled punctuation, an ordinal with its comma).
    " 个", "有 名", "” 。", "\t“", "二、 ", "、、", ",,", "；，", "，\u3000", "约有", "20 %",
    # A match that may run over one line break: its windows take the lines around.
    "不忘初心\n牢记使命", "“不忘初心\n牢记使命”主题教育", "正在开展", "主题教育\n",
]


def _generated(rng: random.Random) -> str:
    seeds = [open(os.path.join(ROOT, p), encoding="utf-8").read() for p in _files("seeds")]
    base = rng.choice(seeds)
    out, pos = [], 0
    while pos < len(base):
        step = rng.randint(5, 400)
        out.append(base[pos:pos + step])
        out.append("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 4))))
        pos += step
    return "".join(out)


@pytest.mark.parametrize("seed", range(12))
def test_generated_documents_find_the_same(linters, seed):
    rng = random.Random(seed)
    text = _generated(rng)
    assert _same(linters, text, f"gen{seed}.txt") > 0
    _same(linters, text, f"gen{seed}.md")  # Markdown: the rules read the prose view


def test_windows_shorter_than_a_line_and_at_the_edges(linters):
    # Anchors on the first and last line, no final newline, and one long line.
    for text in ["XX同志\n", "\nXX同志", "XX同志", "学习贯彻党的十八大精神" * 3000,
                 "学习贯彻党的十八大\n精神\n" * 50, ""]:
        _same(linters, text, "edge.txt")


def test_dense_anchors_scan_the_whole_text_with_the_same_findings(linters, monkeypatch):
    """A piece where anchors are nearly everywhere (XX masks, a flood of one term) is
    not walked match by match: its patterns scan the whole text. Same findings; the
    piece size is made small so that one text has dense and sparse pieces."""
    monkeypatch.setattr(multiscan, "_PIECE", 200)
    windowed, _ = linters
    texts = ["XX" * 400 + "\n同志们，学习贯彻党的十八大精神。\n" + "XX同志\n" * 60,
             "学习贯彻党的十八大精神\n" * 40 + "XXXX\n" * 300 + "在XX党委领导下，XX同志说。\n"]
    for text in texts:
        _same(linters, text, "dense.txt")
    hits = windowed.ctx.anchors._hits(texts[0])
    assert multiscan.WHOLE in hits.values()  # the dense branch was taken


def test_a_small_text_is_scanned_in_one_window_once_it_holds_an_anchor(linters):
    """AnchorIndex.register(small=...): a text shorter than that has one window, from
    its first anchor's line to its last's, and still none to scan ([]) without an
    anchor or without the second set; PatternKind registers its patterns so."""
    index = multiscan.AnchorIndex()
    h = index.register(["党委"], 0, also=("正在",), small=100)
    plain = index.register(["党委"], 0)
    over = index.register(["党委"], 0, one_line=False, breaks=1, small=100)
    short, long = "党委正在开会\n" + "其他内容\n" * 3, "党委正在开会\n" + "其他内容\n" * 20
    assert index.windows(short, h) == index.windows(short, plain) == [(0, 6, 6)]
    apart = "其他内容\n" * 6 + "党委正在开会\n" + "其他内容\n" * 2 + "又是党委\n" + "其他内容\n" * 6
    assert index.windows(apart, plain) == [(30, 36, 36), (47, 51, 51)]
    assert index.windows(apart, h) == [(30, 51, 51)]
    assert index.windows(apart, over) == [(25, 51, 56)]  # a line more on each side
    assert index.windows("其他\n党委正在\n其他\n党委\n其他\n", h) == [(3, 13, 13)]  # most of the text
    assert index.windows("党委开会\n", h) == [] and index.windows("正在开会", h) == []
    assert index.windows(long, h) == index.windows(long, plain) == [(0, 6, 6)]


def test_small_texts_find_what_whole_scans_find(linters):
    """Small texts (PatternKind's one window, its patterns without anchors scanned
    by anchored_taken) and texts just over the limit (windows) lint alike."""
    from dj_lint.checks import pattern
    windowed, _ = linters
    assert pattern.SMALL_WHOLE in windowed.ctx.anchors._small
    for n in (pattern.SMALL_WHOLE - 200, pattern.SMALL_WHOLE + 200):  # around the limit
        rng = random.Random(n)
        for _ in range(20):
            text = "".join(rng.choice(PIECES) for _ in range(200))[:n]
            _same(linters, text, "small.txt")


def test_anchor_analysis():
    assert anchors(r"(?<![一二])十八大|第十八次").literals == ("十八大", "第十八次")
    # A variable-width lookbehind is no obstacle: a window's scan still sees the text before it.
    got = anchors(r"(?<=学习[^。\n]{0,24})十八大(?=[^。\n]{0,30}精\n?神)")
    assert got.literals == ("十八大",) and got.reach >= 32
    # Two copies at least: every pair of the class's characters.
    assert anchors(r"[XＸ×]{2,}").literals == tuple(sorted(a + b for a in "XＸ×" for b in "XＸ×"))
    assert anchors(r"X{2,}年").literals == ("XX年",)
    # Matches that may cross a line, unbounded lookaheads, a backreference to a group
    # that may: the literals only gate the whole document (no line windows).
    for source in [r"十八大\s*精神", r"十八大[^，]精神", r"(?s)十八.大", r"十八大(?=(?s:.)*精神)",
                   r"(党\s)\1委", r"十八大\Z", r"十八大(?=[^。]*精神)"]:
        got = anchors(source)
        assert got is not None and not got.one_line, source
    # An unbounded lookahead that consumes no line break reads no further than its line.
    for source in [r"十八大(?=.*精神)", r"十八大(?=[ \t]*$)"]:
        got = anchors(source)
        assert got.one_line and got.reach == 0, source
    # ... plus what a lookahead nested in it may read past the line's end.
    assert anchors(r"十八大(?=[^。\n]*(?=精神))").reach == 2
    assert anchors(r"十八大(?=[^。\n]*(?=[^。]{0,3}精神))").reach == 5
    assert anchors(r"十八大\s*精神").literals == ("十八大",)
    for source in [r"(?i)party", r"\p{Han}+", r"[^，]+", r"[\udc80-\udcff]+"]:
        assert anchors(source) is None, source


def test_anchor_analysis_of_backtracking_verbs():
    """A branch ending in (*SKIP)(*FAIL) never matches: the anchors are those of the
    other branches, as if it were not there (DJ204 skips a long run of x/X/× so);
    (*SKIP)/(*PRUNE) alone read as empty, (*F) as never; other verbs, an escaped
    one and one inside a class as before."""
    plain = r"(?<![A-Za-z0-9])[xX×]{2,}+(?=[ 　]?\p{Han})|(?<=\p{Han}[ 　]?)[xX×]{2,}+(?![A-Za-z0-9])"
    assert anchors(plain + r"|[xX×]{32,}+(*SKIP)(*FAIL)") == anchors(plain) is not None
    assert anchors(r"十八大|第十八次(*F)").literals == ("十八大",)
    assert anchors(r"十八大(*PRUNE)精神").literals == ("十八大精神",)
    assert anchors(r"十八大(*SKIP)|[a-z]{9}(*SKIP)(*FAIL)").literals == ("十八大",)
    assert anchors(r"十八大(*COMMIT)") is None and anchors(r"十八大|第十八次(*F)|[十](*F)").literals == ("十八大",)
    assert anchors(r"十八大[(*F)]").literals == ("十八大(", "十八大)", "十八大*", "十八大F")  # in a class: no verb
    assert anchors(r"十八大\(*F\)").also == ("F",)  # escaped: no verb


def test_an_empty_negative_lookahead_is_read_alike_on_every_python():
    """Python 3.13's standard parser reads ``(?!)`` (what a (*FAIL) becomes) as a
    FAILURE item, older ones as an empty negative lookahead. The analysis reads
    both as the latter (``regex_anchors._parse``), so a branch ending in (*SKIP)(*FAIL)
    is left out on 3.13 too (its run's literals were anchors there). On any
    interpreter: a parse whose empty lookaheads are made FAILURE items, as 3.13
    gives them, at every depth (a branch, a group, a repeat, a lookaround, a
    conditional), is read back as the plain parse."""
    from dj_lint.text import regex_anchors as ra

    source = r"十八大(?!)|(党)?(?:精神(?!)|(?:学习(?!))+|x(?=a(?!)))(?(1)b(?!)|c(?!))"

    def plain(text):  # each (?!) as an empty ASSERT_NOT, whatever this parser does with it
        return repr(ra._p.parse(text.replace("(?!)", "(?!\x00)"))).replace("[(LITERAL, 0)]", "[]")

    def as_313(node):  # each (?!\x00) made a FAILURE item
        if isinstance(node, ra._p.SubPattern):
            for i, item in enumerate(node.data):
                if item[0] is ra._c.ASSERT_NOT and list(item[1][1]) == [(ra._c.LITERAL, 0)]:
                    node.data[i] = (ra._c.FAILURE, ())
                else:
                    as_313(item[1])
        elif isinstance(node, (tuple, list)):
            for part in node:
                as_313(part)

    assert repr(ra._parse(source)) == plain(source)
    read = ra._p.parse(source.replace("(?!)", "(?!\x00)"))
    as_313(read)
    assert "FAILURE" in repr(read)
    ra._failure_as_lookahead(read)
    assert repr(read) == plain(source)


def test_matches_over_a_bounded_number_of_lines(linters):
    """A pattern whose matches run over at most k line breaks gets windows of k lines
    before and after its anchors' lines: same findings as the whole scan with the
    anchor on the first, middle or last line, at the text's edges, next to another."""
    assert anchors(r"不忘初心[、，\s]?牢记使命").breaks == 1
    assert anchors(r"(?s)十八.大.精神").breaks == 2
    assert anchors(r"十八大\s*精神").breaks == 0  # not bounded: the whole text
    item = "“不忘初心\n牢记使命”主题教育"
    for text in [f"正在开展{item}。\n", f"\n\n正在开展{item}", f"我们\n正在开展\n{item}正在深入\n",
                 f"{item}\n" * 5, f"正在开展{item}\n\n\n\n正在开展{item}\n", item]:
        _same(linters, text, "lines.txt")


def test_second_anchor_set():
    """A second set from another top-level part of the pattern (regex_anchors.compound):
    a window holding the first set but none of the second is not scanned."""
    got = anchors(r"(?P<hit>先进性教育|创先争优)[^。\n]{0,8}?(?:正在|方兴未艾)")
    assert got.literals == ("先进性教育", "创先争优") and got.also == ("方兴未艾", "正在")
    # Inside one group around the whole pattern, too.
    assert anchors(r"(?P<hit>(?:这次|此次)[^。\n]{0,4}?十八大)").also == ("此次", "这次")
    # Not a set that the first already implies, a useless one or too many literals.
    assert anchors(r"十八大精神").also == ()
    assert anchors(r"(?:十八大|十九大)[^。\n]{0,4}十八").also == ()
    assert anchors(r"十八大[^。\n]{0,4}[，。]").also == ()
    assert anchors("十八大[^。\\n]{0,4}(?:%s)" % "|".join(f"词{i}" for i in range(9))).also == ()


def test_windows_without_the_second_set_find_the_same(linters):
    """Lines that hold a campaign's name without 正在 after it (and the reverse), lines
    that hold both, matches over a line break, a lookahead to the line's end."""
    item = "党史学习教育"
    lines = [f"{item}。", f"{item}正在深入", f"正在学习。{item}", f"这次{item}", f"{item}\n正在",
             f"当前，{item}进入", f"（一）{item}", f"（二）{item}工作 ", "正在开展", f"“不忘初心\n牢记使命”主题教育正在"]
    rng = random.Random(5)
    for _ in range(30):
        text = "\n".join(rng.choice(lines) for _ in range(rng.randint(1, 40)))
        _same(linters, text, "also.txt")


def test_derived_anchors():
    """Literals built from consecutive parts: classes and alternations multiplied
    out, what a lookahead reads after and a lookbehind before, a backreference."""
    # A class of spaces then one of the words: each space with each word.
    assert anchors(r"(?<=\p{Han})[ \t]+(?:个|名)").literals == (
        "\t个", "\t名", " 个", " 名")
    # The lookbehind's last character and the lookahead's first join the spaces.
    assert anchors(r"(?<=[，。])[ \t]+").literals == tuple(sorted(["，\t", "， ", "。\t", "。 "]))
    assert anchors(r"(?<=\p{Han})[ \t]+(?=“)").literals == ("\t“", " “")
    # An optional part: with and without it.
    assert anchors(r"大约(?:有|为)?[几多]").literals == tuple(sorted(
        "大约" + a + b for a in ("", "有", "为") for b in "几多"))
    # A backreference matches one of the group's texts; a line-safe group keeps it one-line.
    got = anchors(r"(?P<m>[，；])(?P=m)+")
    assert got.literals == ("，，", "，；", "；，", "；；") and got.one_line
    # Ordinals before a list comma: the class's characters each with it.
    assert anchors(r"^[一二三]{1,3}、[ \t]").literals == tuple(sorted(
        a + "、" + b for a in "一二三" for b in " \t"))
    # A lookbehind that is an alternation: each alternative before what follows.
    assert anchors(r"(?<=今天|此刻)在位(?=的)").literals == ("今天在位的", "此刻在位的")
    assert anchors(r"(?<=(?<!不)今天|此刻)在位").literals == ("今天在位", "此刻在位")
    # A pattern that holds the lookbehind marker itself is not analysed.
    assert anchors("(?=\\ufdd0x)ab") is None and anchors("(?=\ufdd0x)ab") is None
    # What a lookahead reads past a line break is not known to be on the match's line.
    assert anchors(r"十八(?=大\n精神)").literals == ("十八大",)
    assert anchors(r"(?<=精神\n十)八大").literals == ("十八大",)
    # Too many combinations (40 x 40): the 40 words, each with the first characters
    # the words after it start with, as many as fit (词0 … 词3: 40 x 4).
    big = "|".join(f"词{i:02d}" for i in range(40))
    assert anchors(f"(?:{big})的(?:{big})").literals == tuple(sorted(
        f"词{i:02d}的词{j}" for i in range(40) for j in range(4)))
    # The same from the other side: the last characters of what comes before.
    tens = "甲乙丙丁戊己庚辛壬癸"
    assert anchors(f"(?<=(?:{big}))[{tens}]").literals == tuple(sorted(
        f"{i}{t}" for i in range(10) for t in tens))


def test_default_jobs_leaves_a_busy_machine_alone(monkeypatch):
    import os
    from dj_lint.app import parallel
    cpus = parallel._cpus()
    assert 1 <= parallel.default_jobs() <= cpus
    total = os.cpu_count() or cpus
    monkeypatch.setattr(os, "getloadavg", lambda: (total + 10.0, 0.0, 0.0))
    assert parallel.default_jobs() == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert parallel.default_jobs() == min(cpus, total)


def test_terms_automaton_finds_what_the_trie_regex_finds(linters):
    windowed, _ = linters
    terms = [c for c in windowed.checks if type(c).__name__ == "TermsKind"][0]
    assert terms.automaton is not None
    texts = [open(os.path.join(ROOT, p), encoding="utf-8").read() for p in _files("seeds", "tests/clean")]
    texts += [_generated(random.Random(s)) for s in range(4)]
    phrases = list(terms.lookup)
    # Phrases that are prefixes of each other, back to back: leftmost-longest decides.
    texts.append("".join(phrases[:200]) + "\udc80" + "".join(reversed(phrases[:200])))
    # The phrases come from the shared anchor pass, not an automaton of their own.
    assert terms._first is not None
    for text in texts:
        doc = Document(text)
        want = [(m.group(), m.start(), m.end()) for m in terms.regex.finditer(doc.text)]
        assert terms._shared_spans(doc) == want
        assert terms._spans(doc) == want


def test_terms_where_the_shared_pass_kept_no_offsets(linters, monkeypatch):
    """A piece of text thick with anchors keeps no offsets (multiscan WHOLE): the
    phrases are then found by the kind's own automaton, with the same result."""
    monkeypatch.setattr(multiscan, "_PIECE", 200)
    windowed, _ = linters
    terms = [c for c in windowed.checks if type(c).__name__ == "TermsKind"][0]
    phrase = next(iter(terms.lookup))
    # A line of XX masks (an anchor at nearly every character) holding the phrase,
    # inside the chunk of 200 characters (multiscan._hits) that is thick with them.
    text = "说明。\n" * 30 + "XX" * 60 + phrase + "XX" * 400 + "\n" + ("其他" + phrase + "。\n") * 30
    doc = Document(text)
    assert terms._shared_spans(doc) is None
    want = [(m.group(), m.start(), m.end()) for m in terms.regex.finditer(doc.text)]
    assert terms._spans(doc) == want and len(want) >= 31


LINE_LED_PATTERNS = [
    # shipped shapes (DJ813, DJ330-like) and edge cases of finditer's rules
    r"(?m)^[ \t\u3000]*(?P<hit>[^\P{Han}〇零一二三四五六七八九十](?:[ \t\u3000]*\n[ \t\u3000]*[^\P{Han}〇零一二三四五六七八九十])+)[ \t\u3000]*$",
    r"^[ \t　]*(?:\d{1,2}、)?(?P<hit>\p{Han}{2,6})$",
    r"(?m)^a\n",          # a match that ends after a line break: the next may start there
    r"(?m)^[ \t]*",       # empty matches
    r"(?m)^(?:a|\n)+",    # a match running over several line starts
    r"(?m)^(?<=\n)b",     # a lookbehind before the line's first character
]


@pytest.mark.parametrize("source", LINE_LED_PATTERNS)
def test_line_start_patterns_led_by_the_line_break_find_what_finditer_finds(source):
    """checks/base.py: a (?m)^ pattern without literal anchors is found through the
    same pattern led by \\n (a literal search), then matched at that line start."""
    import regex

    from dj_lint.checks import base
    from dj_lint.checks.budget import Budgeted
    flags = regex.MULTILINE if not source.startswith("(?m)") else 0
    pat = Budgeted(regex.compile(source, flags), "T1")
    led = base._line_led(pat)
    assert led is not None and led.pattern.count("\n") > source.count("\n")
    rng = random.Random(11)
    pieces = ["a", "b", "\n", "\n\n", " ", "\t", "党", "建", "一", "、", "12、", "工作", "　", "x"]
    texts = ["", "\n", "a", "a\na\nb", "\n\nb", "党\n建\n", "1、党建工作\n"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    for text in texts:
        want = [(m.span(), m.groups()) for m in pat.finditer(text)]
        got = [(m.span(), m.groups()) for m in base._finditer_line_led(pat, led, text)]
        assert got == want, (source, text)


def test_line_start_analysis_reads_negated_properties_in_classes():
    from dj_lint.text.regex_anchors import anchored_at_start
    assert anchored_at_start(r"(?m)^[^\P{Han}〇](?:\n[^\P{Han}])+$")
    assert not anchored_at_start(r"[^\P{Han}]^")
    assert not anchored_at_start(r"^a|[^\P{Han}]")


def test_pattern_kind_visits_only_concerned_rules_with_the_same_hits():
    """PatternKind walks only the rules scanned whole and those whose anchors the
    text holds (``_concerned``): on the seeds and generated texts its hits equal
    those of walking every rule."""
    from conftest import seed_path
    from dj_lint.checks.budget import RegexBudget, set_budget
    from dj_lint.checks.pattern import PatternKind

    linter = Linter(shipped_rules())
    kind = next(c for c in linter.checks if type(c).__name__ == "PatternKind")

    class EveryRule(PatternKind):
        def _concerned(self, present):
            return range(len(self.compiled))

    every = EveryRule(kind.rules, linter.ctx)
    folder = os.path.dirname(seed_path("000"))
    texts = [open(os.path.join(folder, n), encoding="utf-8").read() for n in sorted(os.listdir(folder))
             if n.endswith(".txt")]
    rng = random.Random(5)
    texts += ["".join(rng.choice(t.split("\n")) + "\n" for _ in range(40)) for t in texts for _ in range(4)]
    set_budget(RegexBudget(1e9))
    try:
        for text in texts:
            doc = Document(text, path="a.txt")
            got = [(h.start, h.end, h.rule.id, h.suggestion) for h in kind.check(doc)]
            want = [(h.start, h.end, h.rule.id, h.suggestion) for h in every.check(Document(text, path="a.txt"))]
            assert got == want
            assert len(list(kind._concerned(linter.ctx.anchors.present(text)))) < len(kind.compiled)
    finally:
        set_budget(None)


def _traditional(text: str) -> str:
    """``text`` with each character obsolete's fold maps to replaced by one it folds from."""
    back: dict = {}
    for trad, simple in sorted(obsolete.fold_table().items()):
        back.setdefault(ord(simple), trad)
    return text.translate(back)


@pytest.mark.parametrize("seed", range(6))
def test_folded_texts_find_what_whole_scans_find(linters, seed):
    """A document in traditional script is read by the obsolete kind through its fold,
    its anchors looked for by an index of the kind's own (ObsoleteKind._for_folded),
    not by the shared one: same findings as whole scans, and as the same document
    in simplified script (the fold gives back every character it changed here)."""
    windowed, _ = linters
    rng = random.Random(seed)
    text = "\n".join([_generated(rng)] + [rng.choice(PIECES) for _ in range(40)] +
                     ["正在开展党史学习教育。", "以“三个代表”重要思想为指导", "深入学习党的十八大报告。"])
    hant = _traditional(text)
    assert hant != text
    kind = next(c for c in windowed.checks if type(c).__name__ == "ObsoleteKind")
    assert folded_text(Document(hant)) == folded_text(Document(text)) != hant  # read through the fold
    found = _same(linters, hant, "hant.txt")
    ctx, _, handles = kind._for_folded()
    assert ctx.anchors is not windowed.ctx.anchors and handles  # its own index, with anchors
    ids = {rule.id for rule in kind.rules}

    def spans(t):
        return [(f.rule, f.start, f.end) for f in windowed.lint(Document(t)) if f.rule in ids]
    assert spans(hant) == spans(text) and len(spans(hant)) >= 3 and found


def test_small_text_span_is_that_of_its_first_and_last_anchor_windows():
    """AnchorIndex._span, one-line, worked out from the first and last anchors' lines
    directly: the span the windows of both give (first window's start, last window's
    end and stop), as for a pattern whose matches run over line breaks; anchors in
    any order, on one line or several, at the text's ends, with or without a final
    line break."""
    rng = random.Random(23)
    index = multiscan.AnchorIndex()
    for _ in range(3000):
        text = "".join(rng.choice(["党", "学", "\n", "\n\n", "ab", " "]) for _ in range(rng.randint(1, 40)))
        places = [i for i, ch in enumerate(text) if ch != "\n"]
        if not places:
            continue
        found = rng.sample(places, rng.randint(1, min(4, len(places))))
        for breaks in (0, 1, 2):
            ends = (min(found), max(found))
            out = (multiscan._windows_over_breaks(ends, breaks, text) if breaks
                   else multiscan._line_windows(ends, text))
            assert index._span(text, found, breaks) == [(out[0][0], out[-1][1], out[-1][2])], (text, found)


def test_cut_free_characters_of_a_pattern():
    """Anchors.cuts: the sentence ends no match consumes, nor a lookaround that may
    hold an anchor reads (a negative lookbehind, or a bounded negative lookahead,
    reads them as the whole text's scan does)."""
    everything = "。！？；"
    assert anchors(r"做为").cuts == everything
    assert anchors(r"(?<!。)(?P<m>。)。(?!。)").cuts == "！？；"
    assert anchors(r"(?<![^，])十八大(?![^，]{0,3}精神)").cuts == everything
    assert anchors(r"(?<=\p{Han})十八大").cuts == everything
    assert anchors(r"(?m)十八大$").cuts == everything
    for source in [r"十八大(?=.*精神)", r"十八大[^，]{0,3}精神", r"十八大\W", r"十八大\p{P}", r"十八大$",
                   r"十八大(?![^，]*精神)", r"十八大(?=[^，]{0,3}精神)", r"(?<=[^，])十八大"]:
        assert anchors(source).cuts == "", source


def _one_line(text: str, rng: random.Random) -> str:
    return "".join(rng.choice(["", " ", "。", "！", "；"]) if ch == "\n" and rng.random() < 0.9 else ch
                   for ch in text)


@pytest.mark.parametrize("seed", range(6))
def test_long_lines_cut_at_sentence_ends_find_the_same(linters, seed, monkeypatch):
    """A line longer than AnchorIndex.LONG_LINE has the windows of a pattern that
    runs over no sentence end (Anchors.cuts) cut there: the same findings as whole
    scans (the limit made small here, so that long and short lines mix)."""
    monkeypatch.setattr(multiscan.AnchorIndex, "LONG_LINE", 300)
    monkeypatch.setattr(multiscan.AnchorIndex, "LONG_TEXT", 300)
    windowed, _ = linters
    rng = random.Random(100 + seed)
    text = _one_line(_generated(rng), rng)
    assert _same(linters, text, f"long{seed}.txt") > 0
    windowed.lint(Document(text, path="long.txt"))
    index = windowed.ctx.anchors
    assert index._long and index._cut_points  # the windows were cut


def test_seeds_on_one_line_find_the_same(linters, monkeypatch):
    """The seeds joined into one line of some 27,000 characters, as the 5 MB
    single-line benchmark file is (the text length from which lines are measured
    made that of a long line): each pattern without cuts still has one window,
    the others one per sentence stretch holding an anchor."""
    monkeypatch.setattr(multiscan.AnchorIndex, "LONG_TEXT", multiscan.AnchorIndex.LONG_LINE)
    text = " ".join(open(os.path.join(ROOT, rel), encoding="utf-8").read().replace("\n", " ")
                    for rel in _files("seeds"))
    assert len(text) > multiscan.AnchorIndex.LONG_TEXT
    assert _same(linters, text, "one_line.txt") > 100


def test_cut_windows_are_the_line_windows_of_the_text_with_its_cuts_as_line_breaks():
    """multiscan._cut_windows (the offsets just past each cut by _past, merged as
    AnchorIndex._cut_points_of does) gives the windows _line_windows gives once
    every cut is a line break: each run of adjacent stretches holding an anchor."""
    rng = random.Random(31)
    index = multiscan.AnchorIndex()
    for _ in range(2000):
        text = "".join(rng.choice(["党", "学", "\n", "。", "！", "？；", "ab", " "]) for _ in range(rng.randint(1, 40)))
        cuts = rng.choice(["。！？；", "。", "！？"])
        places = [i for i, ch in enumerate(text) if ch not in "\n" + cuts]
        if not places:
            continue
        found = sorted(rng.sample(places, rng.randint(1, min(6, len(places)))))
        index._windows_hits, index._long, index._cut_points = None, True, {}
        points = index._cut_points_of(text, cuts)
        lined = text.translate({ord(ch): "\n" for ch in cuts})
        assert points == [i + 1 for i, ch in enumerate(lined) if ch == "\n"]
        assert multiscan._cut_windows(found, text, points) == multiscan._line_windows(found, lined), (text, found)
