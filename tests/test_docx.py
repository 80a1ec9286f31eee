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
        "项目", "说明", "基础数据", "20xx年完成", "版权所有 某某文库",
    ]


def test_findings_point_into_paragraphs_and_table_cells(report_docx):
    r = run_cli("--format", "json", "--select", "placeholder", report_docx)
    found = {(f["line"], f["column"], f["text"]) for f in json.loads(r.stdout)["findings"]}
    assert (3, 1, "____年") in found or (3, 1, "____") in found
    assert any(line == 8 and col == 1 and text.startswith("20xx") for line, col, text in found)
    # The header is page furniture, after the body: line 9, checked like the body.
    assert all(line <= 9 for line, _, _ in found)


def test_word_heading_style_is_recorded(report_docx):
    from dj_lint.text.document import Document
    from dj_lint.text.sources import load_path
    doc = load_path(report_docx)
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


def test_word_heading_styles_find_sections_without_numbering(tmp_path):
    """A 工作总结 whose section headings are Word headings with no numbering text:
    the sections are found from the styles, so no section is reported missing."""
    d = docx.Document()
    d.add_heading("东湖市实验中学党支部2026年度党建工作总结", level=0)
    d.add_paragraph("2026年，党支部坚持以习近平新时代中国特色社会主义思想为指导，认真履行管党治党责任，"
                    "全年召开支部委员会12次、党员大会4次，党员教师在教学一线发挥了先锋模范作用。")
    for title, body in [("主要工作和成效", "全年开展主题党日活动12次，组织党员志愿服务36次，完成年度各项任务。"),
                        ("存在的问题", "一是理论学习的系统性还不够强；二是党建与业务融合的载体还不够丰富。"),
                        ("下一步工作打算", "2027年，党支部将围绕学校中心工作，进一步加强党员教育管理。")]:
        d.add_heading(title, level=1)
        d.add_paragraph(body * 3)
    d.add_paragraph("中共东湖市实验中学党支部")
    d.add_paragraph("2026年12月20日")
    path = tmp_path / "总结.docx"
    d.save(str(path))
    from dj_lint.text.document import Document
    from dj_lint.text.sources import load_path
    doc = load_path(str(path))
    styled = [h.text for h in doc.outline.headings if h.style == "word"]
    assert styled == ["主要工作和成效", "存在的问题", "下一步工作打算"]
    r = run_cli("--format", "json", "--select", "structure", str(path))
    assert json.loads(r.stdout)["findings"] == []
