""".docx input: fixtures are built with python-docx at test time."""
import json
import os

import docx
import pytest

from conftest import run_cli


def make_docx(path, body, table=None, heading=None, header=None):
    d = docx.Document()
    if heading:
        d.add_heading(heading, level=1)
    for para in body:
        d.add_paragraph(para)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    if header:
        d.sections[0].header.paragraphs[0].text = header
    d.save(str(path))
    return str(path)


@pytest.fixture
def report_docx(tmp_path):
    return make_docx(
        tmp_path / "2025年度党建工作总结.docx",
        ["2025年度党建工作总结", "____年以来，党总支认真履职。", "全年召开会议12次。"],
        table=[["项目", "说明"], ["基础数据", "20xx年完成"]],
        heading="一、主要工作",
        header="版权所有 某某文库",
    )


def test_dump_text_is_the_position_model(report_docx):
    r = run_cli("--dump-text", report_docx)
    assert r.returncode == 0
    assert r.stdout.decode().splitlines() == [
        "一、主要工作", "2025年度党建工作总结", "____年以来，党总支认真履职。", "全年召开会议12次。",
        "项目", "说明", "基础数据", "20xx年完成",
    ]


def test_findings_point_into_paragraphs_and_table_cells(report_docx):
    r = run_cli("--format", "json", "--select", "placeholder", report_docx)
    found = {(f["line"], f["column"], f["text"]) for f in json.loads(r.stdout)["findings"]}
    assert (3, 1, "____年") in found or (3, 1, "____") in found
    assert any(line == 8 and col == 1 and text.startswith("20xx") for line, col, text in found)
    # Headers are excluded by default: the 版权所有 line is not in the text model.
    assert all(line <= 8 for line, _, _ in found)


def test_word_heading_style_is_recorded(report_docx):
    from dj_lint.document import Document
    doc = Document.from_path(report_docx)
    assert doc.source_format == "docx"
    assert doc.style_headings == {0: 1}


def test_directory_walk_includes_docx(report_docx, tmp_path):
    r = run_cli("--format", "json", "--select", "DJ201", str(tmp_path))
    assert json.loads(r.stdout)["files"] == 1


def test_corrupt_docx_is_an_error_entry_not_a_traceback(tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    enc = tmp_path / "locked.docx"
    enc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    good = tmp_path / "ok.txt"
    good.write_text("东湖市教研室\n", encoding="utf-8")
    r = run_cli("--format", "json", str(tmp_path))
    assert r.returncode == 2
    assert b"Traceback" not in r.stderr
    data = json.loads(r.stdout)
    errors = {os.path.basename(e["path"]): e["message"] for e in data["errors"]}
    assert set(errors) == {"broken.docx", "locked.docx"}
    assert "损坏" in errors["broken.docx"] and "加密" in errors["locked.docx"]
    assert data["files"] == 1


def test_text_that_merely_looks_gb_encoded_is_read_as_text(tmp_path):
    # A valid .docx whose text is full of the characters GBK mojibake produces.
    path = make_docx(tmp_path / "gb.docx", ["锟斤拷烫烫烫的说明文字。", "高楼矗立，基础扎实。"])
    r = run_cli("--dump-text", path)
    assert r.stdout.decode().splitlines() == ["锟斤拷烫烫烫的说明文字。", "高楼矗立，基础扎实。"]
