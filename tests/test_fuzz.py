"""Property tests: whatever the text, linting never raises and every finding
points at exactly its own text (as tests/test_positions.py checks on the seeds).

Texts are built from pieces a real report is made of — Party-building phrases,
placeholders, masks, full- and half-width punctuation, numbers, dates — mixed
with arbitrary Unicode, control characters, undecodable bytes (the lone
surrogates U+DC80–U+DCFF that surrogateescape decoding produces) and every
newline style (\\r\\n, \\r, \\n) in one text.
"""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dj_lint.text.document import BinaryInput, Document
from dj_lint.engine import lint_text
from test_positions import slice_by_position

PHRASES = [
    "中共东湖市委员会", "2026年度党建工作总结", "党支部", "党员", "习近平新时代中国特色社会主义思想",
    "三个代表", "科学发展观", "两个确立", "四个意识", "四个自信", "两个维护", "十五五", "十六大",
    "党的二十大", "三会一课", "全面从严治党", "存在问题", "下一步打算", "一、", "（二）", "3.",
    "____年", "20xx年", "XX市", "**区", "####", "学*****重要思想", "***", "二○○四年五月六日",
    "2026年12月20日", "约300余名", "30 %", "13800138000", "110101199003071234", "www.example.com",
    "版权所有", "相关热词搜索：", "第一篇：", "发布时间：2020-08-28 来源：", "&nbsp;", "</p>", "锟斤拷",
    "“", "”", "（", "）", "(", ")", "《", "》", "，", "。", "；", "：", "！", "？", ",", ".", ";",
    ":", "!", "?", "、", "……", "——", " ", "\u3000", "\t", "的的", "了了", "坐落", "座落",
]
NEWLINES = ["\n", "\r\n", "\r", "\n\n", "\r\r\n"]
CONTROL = [chr(c) for c in range(0, 32) if chr(c) not in "\r\n"] + [
    "\x7f", "\x85", "\u200b", "\u2028", "\u2029", "\ufeff", "\ufffd", "\u0301"]
SURROGATE_ESCAPES = st.integers(0xDC80, 0xDCFF).map(chr)
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ANY = st.characters(blacklist_categories=("Cs",))

piece = st.one_of(
    st.sampled_from(PHRASES), st.sampled_from(PHRASES), st.sampled_from(NEWLINES),
    st.sampled_from(CONTROL), SURROGATE_ESCAPES, st.text(CJK, max_size=12),
    st.text(ANY, max_size=6), st.from_regex(r"[0-9一二三四五六七八九十○零]{1,6}[年月日号%％]?", fullmatch=True),
)
texts = st.lists(piece, max_size=60).map("".join)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def split_lines(text: str):
    """Lines as positions count them: broken at \\r\\n, \\r and \\n only."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def check_findings(original: str, findings) -> None:
    lines = split_lines(original)
    for f in findings:
        assert 1 <= f.line <= f.end_line <= len(lines), f
        assert 1 <= f.column <= len(lines[f.line - 1]) + 1, f
        assert 1 <= f.end_column <= len(lines[f.end_line - 1]) + 1, f
        assert (f.line, f.column) <= (f.end_line, f.end_column), f
        assert slice_by_position(original, f) == f.text, f


@FAST
@given(texts)
def test_lint_text_never_raises_and_positions_hold(text):
    check_findings(text, lint_text(text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(ANY, max_size=200))
def test_arbitrary_unicode(text):
    check_findings(text, lint_text(text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300),
                 texts.map(lambda t: t.encode("utf-8", "surrogateescape")),
                 texts.map(lambda t: t.encode("gb18030", "ignore"))))
def test_any_bytes_decode_and_lint(raw):
    try:
        doc = Document.from_bytes(raw, path="fuzz.txt")
    except BinaryInput:
        assert b"\x00" in raw
        return
    check_findings(doc.original, lint_text(doc.original, path="fuzz.txt"))
