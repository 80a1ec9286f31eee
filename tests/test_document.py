"""Decoding, newline styles and exact positions of the Document model."""
import codecs

import pytest

from dj_lint.text.document import BinaryInput, Document, InputError, decode

TEXT = "一、加强学习\n党员36人。\n"


@pytest.mark.parametrize("raw,encoding,bom", [
    (TEXT.encode("utf-8"), "utf-8", b""),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", codecs.BOM_UTF8),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", codecs.BOM_UTF16_LE),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", codecs.BOM_UTF16_BE),
    (TEXT.encode("gb18030"), "gb18030", b""),
    (TEXT.encode("gbk"), "gb18030", b""),
])
def test_decodes_without_being_told(raw, encoding, bom):
    assert decode(raw) == (TEXT, encoding, bom)


def test_forced_encoding_wins():
    raw = "党建".encode("gbk")
    text, enc, _ = decode(raw, "gbk")
    assert (text, enc) == ("党建", "gbk")
    with pytest.raises(InputError):
        decode(raw, "no-such-codec")


def test_forced_utf16_keeps_bom():
    raw = codecs.BOM_UTF16_LE + "党建".encode("utf-16-le")
    assert decode(raw, "utf-16") == ("党建", "utf-16-le", codecs.BOM_UTF16_LE)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_newline_style_is_kept_and_positions_agree(newline):
    original = newline.join(["第一行", "党员 36 人", "末行"])
    doc = Document(original)
    assert doc.newline == newline
    assert doc.text == "第一行\n党员 36 人\n末行"
    start = doc.text.index("36")
    assert doc.position(start) == (2, 4)
    assert doc.original_slice(start, start + 2) == "36"
    # A span across a line break is sliced from the original, terminator included.
    across = doc.original_slice(doc.text.index("行"), doc.text.index("党") + 1)
    assert across == "行" + newline + "党"


def test_undecodable_bytes_stay_in_place():
    raw = "基础。".encode("utf-8") + b"\xff\xfe" + "党建".encode("utf-8")
    doc = Document.from_bytes(raw)
    assert doc.encoding == "utf-8"
    assert doc.text == "基础。\udcff\udcfe党建"
    assert doc.original.encode(doc.encoding, "surrogateescape") == raw


def test_mostly_gbk_with_a_bad_byte_reads_as_gbk():
    raw = "党建工作总结，基础扎实。".encode("gbk") + b"\xff" + "继续努力".encode("gbk")
    doc = Document.from_bytes(raw)
    assert doc.encoding == "gb18030"
    assert "党建工作总结" in doc.text and "\udcff" in doc.text


def test_nul_bytes_mean_binary():
    with pytest.raises(BinaryInput):
        decode(b"PK\x03\x04\x00\x00binary")


def test_columns_count_code_points():
    doc = Document("😀党建XX市\n")
    assert doc.position(doc.text.index("XX")) == (1, 4)


@pytest.mark.parametrize("body", [
    "党建".encode("utf-16-le") + b"\x41",              # dangling odd byte
    "党".encode("utf-16-le") + b"\x00\xd8" + "建".encode("utf-16-le"),  # lone surrogate
])
def test_broken_utf16_never_crashes(body):
    doc = Document.from_bytes(codecs.BOM_UTF16_LE + body)
    assert doc.encoding == "utf-16-le" and doc.text.startswith("党")


def test_a_plain_documents_outline_and_tokens_are_freed_once_linted():
    """Linter._findings frees what the kinds kept on a plain document (its outline,
    its clauses' jieba tokens) before making the findings: they are gone after
    the lint, and asked again they are worked out again, the same."""
    from dj_lint.engine.linter import Linter, shipped_rules
    text = ("关于2024年度党支部工作情况的报告\n一、主要工作\n（一）认真落实“三会一课”制度，"
            "按期召开组织生活会。\n二、存在问题\n理论学习的系统性还不够强。\n")
    fresh = Document(text)
    want_headings = [(h.line, h.level) for h in fresh.outline.headings]
    want_tokens = fresh.tokens(20, 22)
    doc = Document(text)
    found = Linter(shipped_rules()).lint(doc)
    assert "outline" not in doc.__dict__ and doc._token_cache == {}
    assert [(h.line, h.level) for h in doc.outline.headings] == want_headings and want_headings
    assert doc.tokens(20, 22) == want_tokens
    assert Linter(shipped_rules()).lint(Document(text)) == found
