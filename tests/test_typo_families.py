"""Typo families added for real documents: context pairs (DJ748-DJ750) and a word the
document spells in full elsewhere (DJ751). Own sentences; exact positions and texts."""
import os

from dj_lint.engine import Linter
from dj_lint.packs.loader import load_pack
from dj_lint.text.document import Document

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINTER = Linter(load_pack(os.path.join(ROOT, "rules", "typo.yaml")))


def found(text, rules=("DJ748", "DJ749", "DJ750", "DJ751")):
    return [(f.rule, f.line, f.column, f.text, f.suggestion)
            for f in LINTER.lint(Document(text)) if f.rule in rules]


def test_qude_before_result_nouns():
    assert found("一年来所取到的成效有目共睹。") == [("DJ748", 1, 5, "取到", "取得")]
    assert found("到窗口取到证件，取到的数据已录入。") == []


def test_you_introducing_the_speaker():
    assert found("最后，有党委书记作总结讲话。") == [("DJ749", 1, 4, "有", "由")]
    assert found("最后，有两位党委委员发言。会上有几名支部书记发言。") == []


def test_zaizuo_for_those_present():
    assert found("感谢今天在位的各位老党员。") == [("DJ750", 1, 5, "在位", "在座")]
    assert found("他在位期间勤政爱民。") == []


def test_word_spelled_in_full_elsewhere_in_the_document():
    text = "环境保护工作要常抓不懈。\n全镇环保护宣传覆盖每个村。\n"
    assert found(text) == [("DJ751", 2, 3, "环保护", "环境保护")]
    # Without the full form in the document nothing is claimed.
    assert found("全镇环保护宣传覆盖每个村。\n") == []
    # A short form that is a phrase of its own (党|领导 beside 党的领导) stays silent.
    assert found("坚持党的领导，把党领导经济工作的制度落实好。") == []


def test_word_spelled_in_full_found_the_same_by_both_scans(monkeypatch):
    """DJ751 reads the text's own n-grams for the first documents of a run and the
    dictionary's automaton after that: both find exactly the same, here on own texts
    with three-character short forms at the edge of a Han run and inside one."""
    from dj_lint.checks import selfspelling
    texts = [
        "环境保护工作要常抓不懈。\n全镇环保护宣传覆盖每个村。\n",
        "环境保护。\n（环保护）\n",            # a run of three Han characters only: silent
        "马克思主义理论学习。\n学习马思主义原著，读马克主义。\n",
        "土木工程系党支部。土工程系团委。\n水利工程，水工程系。\n",
        "坚持党的领导，把党领导经济工作的制度落实好。",
        "土木工程系、水利工程系都来了。\n土工程系和水工程系在一楼。\n",  # two full words, two short forms
        "土工程系在一楼。\n",                                          # the full word written nowhere: silent
    ]
    linter = Linter(load_pack(os.path.join(ROOT, "rules", "typo.yaml")))

    def run(after):
        monkeypatch.setattr(selfspelling, "INDEXED_AFTER", after)
        out = []
        for text in texts:
            out.append([(f.rule, f.line, f.column, f.text, f.suggestion)
                        for f in linter.lint(Document(text)) if f.rule == "DJ751"])
        return out

    scanned, indexed = run(10 ** 12), run(-1)
    assert scanned == indexed
    assert scanned[0] == [("DJ751", 2, 3, "环保护", "环境保护")]
    assert ("DJ751", 2, 3, "马思主义", "马克思主义") in scanned[2]
    assert scanned[1] == []
    assert [(f[3], f[4]) for f in scanned[5]] == [("土工程", "土木工程"), ("水工程", "水利工程")]
    assert scanned[6] == []


def test_traditional_document_is_read_through_a_fold():
    # 簽定 (traditional) is the variant 签定: found at its own position, text unchanged.
    got = [(f.rule, f.column, f.text, f.suggestion)
           for f in LINTER.lint(Document("與各村簽定責任書，大力宏揚優良傳統。")) if f.rule in ("DJ702", "DJ720")]
    assert got == [("DJ720", 4, "簽定", "签订"), ("DJ702", 12, "宏揚", "弘扬")]
    assert [f for f in LINTER.lint(Document("與各村簽訂責任書，大力弘揚優良傳統。"))
            if f.rule in ("DJ702", "DJ720")] == []


def test_two_character_word_swapped():
    assert found("他像螺陀一样转个不停，在门口徊徘。", ("DJ752",)) == [
        ("DJ752", 1, 3, "螺陀", "陀螺"), ("DJ752", 1, 15, "徊徘", "徘徊")]
    assert found("他像陀螺一样转个不停，在门口徘徊，心里犹豫。", ("DJ752",)) == []


def test_swapped_word_automaton_and_plain_scan_agree(monkeypatch):
    """DJ752 finds the reversed forms with one automaton pass; the per-position set
    lookup it replaced (kept for an environment without ahocorasick-rs) finds the same,
    also where two forms overlap and next to an undecodable byte."""
    from dj_lint.text import multiscan
    texts = ["他像螺陀一样转个不停，在门口徊徘。",
             "徊徘徊徘在门口。螺陀螺陀。",
             "门口\udcff徊徘，\udcfe螺陀\n",
             "陀螺在转，他在徘徊，心里犹豫。"]

    def run():
        linter = Linter(load_pack(os.path.join(ROOT, "rules", "typo.yaml")))
        return [[(f.line, f.column, f.text) for f in linter.lint(Document(t)) if f.rule == "DJ752"]
                for t in texts]

    fast = run()
    monkeypatch.setattr(multiscan, "available", lambda: False)
    assert run() == fast
    assert fast[0] == [(1, 3, "螺陀"), (1, 15, "徊徘")]
    assert fast[2] == [(1, 4, "徊徘"), (1, 8, "螺陀")]
    assert fast[3] == []


def test_script_variant_count_agrees_with_the_character_set():
    """The traditional-only characters are found by a class search over the
    Basic Multilingual Plane plus, in a text with any, the characters beyond it;
    they must be the set's, in the text's order, astral characters (CJK Extension
    B) included."""
    from dj_lint.checks.traditional import _characters, _found
    chars = _characters("traditional_chars.yaml")
    astral = sorted(c for c in chars if c > "\uffff")[:2]
    bmp = [c for c in "們說這個與為會" if c in chars]
    assert astral and len(bmp) >= 5
    texts = ["支部今年学习十二次。", "".join(bmp) + "支部" + "".join(bmp),
             "支部" + "".join(astral) + "学习\U0001F600" + "".join(bmp[:2]), "\U0001F600只有表情",
             "".join(bmp[:3]) + "\U0001F600" + "".join(bmp[3:]), bmp[0] + astral[0] + bmp[1] + "\udc80" + astral[1]]
    for text in texts:
        assert _found("traditional_chars.yaml", text) == [c for c in text if c in chars]
    assert len(_found("traditional_chars.yaml", texts[2])) == 4


def test_script_variant_han_count_by_runs():
    """The Han characters are counted as what deleting the runs of them takes away:
    the count of \\p{Han} matches, on text of Han of every plane and others."""
    import random

    import regex

    from dj_lint.checks.traditional import _HAN_RUNS
    rng = random.Random(6)
    chars = ["党", "們", "〇", "々", "⺀", "\uf900", "\U00020000", "\U0002a6d6", "a", "1", "，", "\u3000",
             "\n", "\udc80", "\U0001F600", "ア", "한"]
    for _ in range(2000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 60)))
        assert len(text) - len(_HAN_RUNS.sub("", text)) == len(regex.findall(r"\p{Han}", text)), text


def test_self_spelling_and_swapped_word_shared_pass_equal_own_automata(monkeypatch):
    """DJ751's short forms and DJ752's reversed forms are anchors of the run's shared
    automaton (register_words / shared_words); a run whose shared index keeps no
    anchors (AnchorIndex(enabled=False)) scans them with the kinds' own automata.
    Both find the same on generated text, also where the shared pass gives up on a
    flood of anchors (a long run of reversed forms) and the kinds fall back."""
    import random

    from dj_lint.checks import selfspelling
    from dj_lint.engine.linter import Context
    from dj_lint.text import multiscan
    if not multiscan.available():
        return
    monkeypatch.setattr(selfspelling, "INDEXED_AFTER", -1)
    rules = load_pack(os.path.join(ROOT, "rules", "typo.yaml"))
    shared = Linter(rules)
    own = Linter(rules, Context(anchors=multiscan.AnchorIndex(enabled=False)))
    kinds = {type(c).__name__: c for c in shared.checks}
    spelling = kinds["SelfSpellingKind"]
    index = spelling._index(4, 6, 20)
    assert index.first is not None
    assert all(first is not None for _, first in kinds["SwappedWordKind"]._shared)
    rng = random.Random(751)
    picks = rng.sample(range(len(index.shorts)), 400)
    pieces = ([index.shorts[i] for i in picks] + [index.full_words(i)[0][0] for i in picks]
              + sorted(_swapped_forms())[:300] + ["。", "\n", "，", "党", "的", "工作", "（", "）"])
    found = {"DJ751": 0, "DJ752": 0}
    for n in range(150):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        if n % 50 == 0:
            text += "螺陀" * 200 + "\n"  # a flood of anchors: the shared pass keeps none
        got = [f.as_dict() for f in shared.lint(Document(text)) if f.rule in found]
        want = [f.as_dict() for f in own.lint(Document(text)) if f.rule in found]
        assert got == want, text
        for f in got:
            found[f["rule"]] += 1
    assert found["DJ751"] > 20 and found["DJ752"] > 20, found


def _swapped_forms():
    from dj_lint.checks.swappedword import _reversed_words
    return _reversed_words("bound_pairs.txt")
