"""A pattern rule's ``prefilter`` (stdlib ``re``) lets its patterns run only on a
document where it finds something: it must find something wherever they match,
and its led search (``^`` as a line break) must answer as its plain search does."""
import random
import re

from dj_lint.checks.base import compile_all
from dj_lint.checks.pattern import _prefilter
from dj_lint.engine import Context, Linter, shipped_rules
from dj_lint.packs.loader import load_pack
from dj_lint.text.document import Document

# Pieces of lines that come near DJ330's doubled phrase and past the places where
# ``re`` and ``regex`` read a class differently: \x1c-\x1f are spaces to ``re`` only,
# U+10D40 a digit to ``regex`` only.
_PHRASES = ["组织生活会制度", "主题党日", "党课讲稿", "学习", "学习强国", "支部\x1c学习", "AB党建CD",
            "中国共产党", "ab党cdefgh", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"]
_LEADS = ["", " ", "\t", "　", "  　", "1、", "12、", "\U00010d40、", "\U00010d41\U00010d42、", "١٢、", "一、",
          " 3、", "123、"]
_GAPS = ["", "", " ", "\t", "　", " \t　 ", "\x1c", "，"]
_TAILS = ["", "：走进红色教育基地", "。一、每月学习一次。", "党", " 再学习", "\x1f"]


def _line(rng):
    phrase = rng.choice(_PHRASES)
    if rng.random() < 0.3:
        phrase = phrase[:rng.randint(1, len(phrase))]
    second = phrase if rng.random() < 0.7 else rng.choice(_PHRASES)
    return rng.choice(_LEADS) + phrase + rng.choice(_GAPS) + second + rng.choice(_TAILS)


def _text(rng):
    lines = [_line(rng) if rng.random() < 0.6 else rng.choice(["", "正文一段话，没有重复。", "\n" * 33])
             for _ in range(rng.randint(1, 6))]
    return "\n".join(lines)


# DJ813's lines of one character: Han ones (beyond the BMP and among the symbols of
# U+3000-U+303F too), the numerals it leaves, other characters past ASCII and blanks.
_SINGLES = ["工", "作", "计", "划", "党", "𠀀", "豈", "々", "〆", "〡", "⺀", "〇", "一", "十", "千", "，", "　", "Ａ",
            "a", "1", "。"]
_BLANKS = ["", "", " ", "\t", "　", " 　\t"]


def _vertical_text(rng):
    lines = [rng.choice(_BLANKS) + rng.choice(_SINGLES) + rng.choice(_BLANKS) if rng.random() < 0.75
             else rng.choice(["", "正文一段话。", "工作", " ", "\n" * 3]) for _ in range(rng.randint(1, 8))]
    return "\n".join(lines)


# The texts each rule with a prefilter is tried on: they must reach its matches.
_TEXTS = {"DJ330": _text, "DJ813": _vertical_text}


def test_every_prefilter_finds_something_where_its_rule_matches():
    rng = random.Random(330)
    rules = [r for r in shipped_rules() if r.kind == "pattern" and "prefilter" in r.options]
    assert {r.id for r in rules} == _TEXTS.keys()
    for rule in rules:
        texts = [_TEXTS[rule.id](rng) for _ in range(4000)]
        patterns = compile_all(rule.options["pattern"], "pattern")
        gate = _prefilter(rule.options["prefilter"])
        plain = re.compile(rule.options["prefilter"], re.MULTILINE).search
        matched = 0
        for text in texts + [ex if isinstance(ex, str) else ex["text"]
                             for side in ("bad", "good") for ex in rule.examples.get(side, [])]:
            if any(any(m.end() > m.start() for m in pat.finditer(text)) for pat in patterns):
                matched += 1
                assert gate(text) and plain(text), (rule.id, text)
        assert matched > 300, rule.id  # the texts reach the rule's matches


def test_a_prefilter_led_by_a_caret_finds_what_its_search_finds():
    rng = random.Random(17)
    sources = [r"^ab", r"(?i)^ab|cd", r"^$", r"^[ \t]*x(?=y)", r"^(?:a|b)c", r"(?m)^b{2}"]
    sources += [r.options["prefilter"] for r in shipped_rules() if r.id in _TEXTS]
    alphabet = ["a", "b", "c", "x", "y", "A", "B", " ", "\t", "\n", "学习", "学习学习", "1、"]
    for source in sources:
        gate, search = _prefilter(source), re.compile(source, re.MULTILINE).search
        found = 0
        # A line of one character past ASCII for DJ813's, only there (the others' counts stay).
        pieces = alphabet + ["党", "\n党"] if "x7f" in source else alphabet
        for _ in range(3000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
            expected = search(text) is not None
            if text.count("\n") * 8 >= len(text):
                assert gate(text)  # lines too short for the led search: the rule decides
                continue
            assert bool(gate(text)) == expected, (source, text)
            found += expected
        assert found > 20, source


RULE = """
- id: DJX01
  name: test-rule
  category: placeholder
  severity: error
  kind: pattern
  pattern: '(?<=编号)X+'
  requires: ['X']
  prefilter: '^编号'
  message: 请填写编号：“{text}”
  examples:
    bad:
      - text: '编号XX'
        match: 'XX'
    good:
      - '编号12'
"""


def test_patterns_run_only_where_the_prefilter_and_requires_find_something(tmp_path):
    path = tmp_path / "user.yaml"
    path.write_text(RULE, encoding="utf-8")
    linter = Linter(load_pack(str(path)), Context())
    found = lambda text: [f.text for f in linter.lint(Document(text, path="t.txt"))]  # noqa: E731
    assert found("编号XX，见编号X") == ["XX", "X"]
    assert found("第二行\n编号XX") == ["XX"]
    assert found("见编号XX") == []  # no line starts with 编号: the pattern is not tried
    assert found("编号12") == []
