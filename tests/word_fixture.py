"""A realistic Word report built with python-docx (texts written for the tests).

Title and headings in Word styles, formatted runs (a placeholder split over a
bold and a plain run), a table standing before the 落款, a text box, a
footnote, and a header and footer carrying template leftovers.
"""
import copy

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor

TITLE = "城东街道第三社区党委2025年度党建工作总结"
HEADER = "XX区XX街道党工委 内部资料 ____年"
FOOTER = "本文来源：某某范文网 www.fanwenku88.com"
TEXT_BOX = "社区党员志愿服务队成立于20xx年"
FOOTNOTE = "数据截至20XX年11月底。"
# Two paragraphs that a plain-text reader would take for one broken line.
SPLIT_A = "社区党委坚持以党建引领基层治理，全年组织党员开展志愿服务活动，覆盖辖区居民"
SPLIT_B = "3200余户，群众满意度明显提升。"
SIGN_ORG = "中共城东街道第三社区委员会"
SIGN_DATE = "2025年12月28日"
TABLE = [
    ["项目", "次数", "说明"],
    ["主题党日", "12", "每月一次"],
    ["志愿服务", "36", "20xx年起常态化开展"],
]

_VML_BOX = (
    '<w:r {w} xmlns:v="urn:schemas-microsoft-com:vml">'
    '<w:pict><v:shape id="box1" type="#_x0000_t202" style="width:260pt;height:36pt">'
    '<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>'
    '</v:textbox></v:shape></w:pict></w:r>'
)
_FOOTNOTES = (
    '<w:footnotes {w}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t>'
    '</w:r></w:p></w:footnote></w:footnotes>'
)


def _add_footnote(d, paragraph, text):
    blob = _FOOTNOTES.format(w=nsdecls("w"), text=text).encode("utf-8")
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    ref = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    '<w:footnoteReference w:id="1"/></w:r>')
    paragraph._p.append(ref)


def build_report(path):
    """Write the report to ``path``; returns the path as a string."""
    d = docx.Document()
    title = d.add_paragraph(TITLE, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER

    opening = d.add_paragraph()
    opening.add_run("2025年，社区党委在街道党工委的坚强领导下，")
    strong = opening.add_run("团结带领全体党员")
    strong.bold = True
    opening.add_run("扎实推进各项工作，现将一年来的工作总结如下。")

    d.add_heading("一、主要工作和成效", level=1)
    p = d.add_paragraph()
    blank = p.add_run("____")
    blank.bold = True
    blank.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    p.add_run("年以来，社区党委认真落实“三会一课”制度，")
    italic = p.add_run("全年召开支部委员会12次")
    italic.italic = True
    italic.font.size = Pt(14)
    p.add_run("，党员大会4次。")
    _add_footnote(d, p, FOOTNOTE)

    d.add_paragraph(SPLIT_A)
    d.add_paragraph(SPLIT_B)

    d.add_paragraph("社区党员志愿服务队情况见下框。")
    boxed = d.add_paragraph()  # the box in a paragraph of its own, as Word inserts it
    boxed._p.append(parse_xml(_VML_BOX.format(w=nsdecls("w"), text=TEXT_BOX)))

    d.add_heading("二、存在的问题", level=1)
    d.add_paragraph("一是理论学习的系统性还不够强；二是党建与社区治理融合的载体还不够丰富；"
                    "三是青年党员发挥作用的平台还不够多。")
    d.add_heading("三、下一步工作打算", level=1)
    d.add_paragraph("2026年，社区党委将继续加强党员教育管理，深化网格党建，"
                    "推动党建工作与社区治理深度融合，为辖区居民办好一批民生实事。")

    d.add_paragraph("附：2025年主要活动统计")
    table = d.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    table.style = "Table Grid"
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value

    org = d.add_paragraph(SIGN_ORG)
    org.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = d.add_paragraph(SIGN_DATE)
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    section = d.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = FOOTER
    d.save(str(path))
    return str(path)


def copy_docx(d):
    return copy.deepcopy(d)
