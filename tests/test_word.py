"""Word documents as a clerk has them: locations in Word terms, the body in reading
order with its furniture checked, and a reviewed copy with Word comments.

The report is built by tests/word_fixture.py (texts written for these tests)."""
import json
import os
import shutil
import subprocess

import docx
import pytest

from conftest import run_cli
from word_fixture import (FOOTER, FOOTNOTE, HEADER, SIGN_DATE, SIGN_ORG, SPLIT_A, SPLIT_B,
                          TEXT_BOX, TITLE, build_report)
from dj_lint.app.annotate import comments_and_anchors
from dj_lint.text.docx_input import walk

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None,
    reason="no LibreOffice/pdftotext (Debian: apt-get install libreoffice-writer-nogui poppler-utils)")


@pytest.fixture
def report(tmp_path):
    return build_report(tmp_path / "城东社区2025年度党建工作总结.docx")


def _json(*args):
    r = run_cli("--format", "json", *args)
    assert b"Traceback" not in r.stderr, r.stderr.decode()
    return r, json.loads(r.stdout)


def test_text_model_is_word_reading_order(report):
    lines = run_cli("--dump-text", report).stdout.decode().split("\n")
    assert lines[0] == TITLE
    # The table stands where it stands: before the 落款, not after it.
    table_at = lines.index("主题党日")
    assert lines.index(SIGN_ORG) == lines.index(SIGN_DATE) - 1 > table_at
    # The text box follows the paragraph that anchors it.
    assert lines[lines.index("社区党员志愿服务队情况见下框。") + 1:][:2] == ["", TEXT_BOX]
    # Furniture after the body: header, footer, then the footnote.
    assert lines[-4:-1] == [HEADER, FOOTER, " " + FOOTNOTE]


def test_locations_in_word_terms(report):
    r, data = _json("--select", "placeholder,watermark", report)
    by_text = {}
    for f in data["findings"]:
        by_text.setdefault((f["text"], f["location"]["part"]), []).append(f)
    body = by_text[("____年", "body")][0]
    assert body["location"] == {
        "part": "body", "paragraph": 4, "opening": "____年以来，社区党委…",
        "heading": "一、主要工作和成效",
        "label": "第4段“____年以来，社区党委…”，在标题“一、主要工作和成效”下",
    }
    cell = by_text[("20xx年", "table")][0]["location"]
    assert (cell["table"], cell["row"], cell["column"]) == (1, 3, 3)
    assert cell["label"].startswith("表1第3行第3列“20xx年起常态化开展”")
    box = by_text[("20xx年", "textbox")][0]["location"]
    assert box["label"].startswith("第7段处的文本框“社区党员志愿服务队成立于…”")
    # The header's template leftovers and the footer's site address are real findings.
    header = by_text[("____年", "header")][0]["location"]
    assert header["label"] == "页眉（第1节）“XX区XX街道党工委 内…”" and header["section"] == 1
    assert {f["text"] for f in by_text[("XX", "header")]} == {"XX"}
    footer = [f for f in data["findings"] if f["location"]["part"] == "footer"]
    assert [f["text"] for f in footer] == ["www.fanwenku88.com"]
    assert footer[0]["location"]["label"].startswith("页脚（第1节）")
    note = by_text[("20XX年", "footnote")][0]["location"]
    assert note["label"] == "脚注1“数据截至20XX年11月…”"
    # Every position is exact in the text model (--dump-text).
    lines = run_cli("--dump-text", report).stdout.decode().split("\n")
    for f in data["findings"]:
        assert lines[f["line"] - 1][f["column"] - 1:f["end_column"] - 1] == f["text"]


def test_text_sarif_and_html_carry_the_location(report, tmp_path):
    text = run_cli("--select", "DJ201", report).stdout.decode()
    assert "    位置：第4段“____年以来，社区党委…”，在标题“一、主要工作和成效”下\n" in text
    assert "    位置：页眉（第1节）“XX区XX街道党工委 内…”\n" in text
    sarif = json.loads(run_cli("--format", "sarif", "--select", "DJ201", report).stdout)
    loc = sarif["runs"][0]["results"][0]["locations"][0]
    assert loc["message"]["text"].startswith("第4段")
    assert loc["logicalLocations"][0]["properties"]["word"]["paragraph"] == 4
    page = run_cli("--format", "html", "--select", "DJ201", report).stdout.decode()
    assert "第4段“____年以来，社区党委…”" in page


def test_signature_found_after_the_table_and_no_broken_lines(report, tmp_path):
    out = run_cli("--explain-doc", report).stdout.decode()
    assert f"署名第{_line(report, SIGN_ORG)}行“{SIGN_ORG}”" in out
    assert f"日期第{_line(report, SIGN_DATE)}行“{SIGN_DATE}”" in out
    r, data = _json("--select", "structure,DJ808", report)
    assert data["findings"] == []
    # The same two paragraphs as lines of a text file are one broken sentence.
    txt = tmp_path / "same.txt"
    txt.write_text(f"{TITLE}\n\n{SPLIT_A}\n{SPLIT_B}\n", encoding="utf-8")
    r, data = _json("--select", "DJ808", str(txt))
    assert [f["rule"] for f in data["findings"]] == ["DJ808"]


def _line(path, text):
    lines = run_cli("--dump-text", path).stdout.decode().split("\n")
    return lines.index(text) + 1


def _texts(path):
    return [ln.text for ln in walk(docx.Document(path))]


def _check_review(original, reviewed, findings):
    """Every finding has one comment by dj-lint with its message, suggestion and
    rule id, anchored on exactly the finding's text (header/footer/note findings,
    which Word cannot anchor there, on an empty range saying where they are)."""
    d = docx.Document(reviewed)
    comments = comments_and_anchors(d)
    assert len(comments) == len(findings)
    assert all(c["author"] == "dj-lint" for c in comments)
    unmatched = list(comments)
    for f in findings:
        part = f.get("location", {}).get("part", "body")
        want = f["text"] if part not in ("header", "footer", "footnote", "endnote") else ""
        hit = next(c for c in unmatched if f["rule"] in c["text"] and f["message"] in c["text"]
                   and c["anchored"] == want)
        if f["suggestion"]:
            assert f"建议改为：{f['suggestion']}" in hit["text"]
        if not want:
            assert hit["text"].startswith(f["location"]["label"].split("，在标题")[0])
        unmatched.remove(hit)
    # The document's text is unchanged, paragraph for paragraph.
    assert _texts(reviewed) == _texts(original)


def _runs_formatting(path):
    """(character, bold, italic, size, colour) for every character of the body."""
    out = []
    for p in docx.Document(path).paragraphs:
        for r in p.runs:
            for ch in r.text:
                out.append((ch, r.bold, r.italic, r.font.size,
                            str(r.font.color.rgb) if r.font.color and r.font.color.type else None))
    return out


def test_annotate_round_trip(report):
    before = open(report, "rb").read()
    r, data = _json("--annotate", report)
    reviewed = report[:-len(".docx")] + ".审阅.docx"
    assert os.path.exists(reviewed)
    assert "已生成审阅稿" in r.stderr.decode()
    assert open(report, "rb").read() == before  # the original is untouched
    findings = data["findings"]
    assert {f["location"]["part"] for f in findings} >= {"body", "table", "header", "footer", "footnote"}
    _check_review(report, reviewed, findings)
    # Splitting runs at the finding boundaries keeps every character's formatting.
    assert _runs_formatting(reviewed) == _runs_formatting(report)
    # The reviewed copy itself lints the same (comments are not text) and a
    # directory walk does not pick it up twice.
    r2, again = _json(reviewed)
    assert [(f["line"], f["column"], f["rule"]) for f in again["findings"]] == \
        [(f["line"], f["column"], f["rule"]) for f in findings]
    r3, walked = _json(os.path.dirname(report))
    assert walked["files"] == 1


def test_annotate_output_name_and_text_input(tmp_path):
    src = tmp_path / "心得.txt"
    src.write_text("学习体会\n\n____年以来，我认真学习了XX市的有关文件。\n", encoding="utf-8")
    out = tmp_path / "审阅" / "心得批注.docx"
    out.parent.mkdir()
    r, data = _json("--annotate-output", str(out), str(src))
    assert out.exists()
    d = docx.Document(str(out))
    assert [p.text for p in d.paragraphs] == ["学习体会", "", "____年以来，我认真学习了XX市的有关文件。"]
    comments = comments_and_anchors(d)
    assert sorted(c["anchored"] for c in comments) == sorted(f["text"] for f in data["findings"])
    assert len(comments) == len(data["findings"]) >= 2


def test_annotate_markdown_anchors_in_the_file_lines(tmp_path):
    src = tmp_path / "总结.md"
    src.write_text("# 总结\n\n支部**加强____年度学习**，落实*XX*要求。\n", encoding="utf-8")
    r, data = _json("--annotate", str(src))
    d = docx.Document(str(tmp_path / "总结.审阅.docx"))
    assert d.paragraphs[2].text == "支部**加强____年度学习**，落实*XX*要求。"
    assert sorted(c["anchored"] for c in comments_and_anchors(d)) == \
        sorted(f["text"] for f in data["findings"]) == ["XX", "____年"]


@needs_libreoffice
def test_libreoffice_opens_the_reviewed_copy(report, tmp_path):
    run_cli("--annotate", report)
    reviewed = report[:-len(".docx")] + ".审阅.docx"
    outdir = tmp_path / "pdf"
    profile = tmp_path / "profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), reviewed],
                   check=True, capture_output=True, timeout=180)
    pdf = outdir / (os.path.basename(reviewed)[:-len(".docx")] + ".pdf")
    text = subprocess.run([PDFTOTEXT, str(pdf), "-"], check=True, capture_output=True).stdout.decode()
    flat = "".join(text.split())
    for expected in ("一、主要工作和成效", "____年以来，社区党委认真落实", SIGN_ORG, "www.fanwenku88.com"):
        assert expected in flat


def test_lock_files_case_and_walks(report, tmp_path):
    lock = tmp_path / ("~$" + os.path.basename(report)[2:])
    lock.write_bytes(b"\x00" * 162)  # what Word leaves: an owner file, not a document
    upper = tmp_path / "SECOND.DOCX"
    shutil.copy(report, upper)
    r, data = _json("--select", "DJ201", str(tmp_path))
    assert r.returncode == 1 and data["errors"] == []
    assert data["files"] == 2
    assert {os.path.basename(f["path"]) for f in data["findings"]} == {os.path.basename(report), "SECOND.DOCX"}


def test_legacy_format_without_libreoffice_is_an_error_naming_the_fix(tmp_path):
    doc = tmp_path / "旧报告.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    r = run_cli(str(doc), env={"DJLINT_SOFFICE": ""})
    assert r.returncode == 2
    err = r.stdout.decode() + r.stderr.decode()
    assert "另存为 .docx" in err and "未发现问题" not in err


@needs_libreoffice
def test_legacy_doc_is_converted(report, tmp_path):
    outdir = tmp_path / "legacy"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'p'}", "--headless",
                    "--convert-to", "doc", "--outdir", str(outdir), report],
                   check=True, capture_output=True, timeout=180)
    doc = next(outdir.iterdir())
    assert doc.suffix == ".doc"
    r, data = _json("--select", "DJ201", str(doc))
    assert r.returncode == 1
    assert "____年" in {f["text"] for f in data["findings"]}
    assert all("location" in f for f in data["findings"])


def test_table_cells_are_data_not_page_lines(report):
    # A bare count in a table cell is the table's data, not a web page's counter.
    r, data = _json(report)
    cells = [(f["rule"], f["text"]) for f in data["findings"] if f["location"]["part"] == "table"]
    assert cells == [("DJ203", "20xx年")]


def _field(p, code, shown):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    ns = nsdecls("w")
    for xml in (f'<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {ns}><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>',
                f'<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {ns}><w:t>{shown}</w:t></w:r>',
                f'<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>'):
        p._p.append(parse_xml(xml))


def test_page_number_fields_in_a_footer_are_words_own(report, tmp_path):
    d = docx.Document(report)
    p = d.sections[0].footer.add_paragraph()
    p.add_run("第 ")
    _field(p, "PAGE", "1")
    p.add_run(" 页 共 ")
    _field(p, "NUMPAGES \\* MERGEFORMAT", "3")
    p.add_run(" 页")
    path = tmp_path / "页码.docx"
    d.save(str(path))
    lines = run_cli("--dump-text", str(path)).stdout.decode().split("\n")
    assert "第  页 共  页" in lines  # the cached page numbers are not the document's text
    r, data = _json(str(path))
    footer = [f["text"] for f in data["findings"] if f["location"]["part"] == "footer"]
    assert footer == ["www.fanwenku88.com"]
