"""Reading .docx files into the text model that every check sees.

The text model is the document as Word shows it, one paragraph a line:

* the body in reading order — paragraphs, and each table where it stands, cell
  by cell, row by row (a table before the 落款 stays before it);
* the paragraphs of a text box right after the paragraph that anchors it;
* then the page furniture: each section's own headers and footers, then
  footnotes and endnotes.  Furniture is checked like the body (a watermark in a
  footer is real) but the outline (title, headings, 落款) ignores it.

Every line carries a :class:`WordPlace`, so a finding can say where it is in
Word terms: 第N段 with the paragraph's opening words, 表N第R行第C列,
页眉/页脚（第N节）, 脚注N, and the nearest heading.

The same walk serves ``--annotate`` (annotate.py): :func:`walk` yields the
paragraph elements in text-model order, and :func:`run_pieces` is the one
definition of how a run's XML becomes characters.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Tuple

from .document import Document, InputError
from .legacy import convert_to_docx
from .oserrors import os_reason
from .safe_read import read_regular
from .zipguard import ZipTooLarge, check_archive

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Word's heading styles, English and Chinese UI names ("Heading 2", "标题 2").
_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
ENDNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


_P, _R, _T, _TBL, _TR, _TC = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc")
_SDT, _SDT_CONTENT, _CUSTOM_XML = w("sdt"), w("sdtContent"), w("customXml")
_TXBX = w("txbxContent")
_ALT, _CHOICE, _FALLBACK = f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice", f"{{{MC_NS}}}Fallback"
# Inline containers whose runs are part of the paragraph's visible text.
# Deleted text (w:del, w:moveFrom) is not: Word shows the document as accepted.
_INLINE_CONTAINERS = {w(t) for t in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml",
                                     "sdt", "sdtContent", "moveTo", "dir", "bdo")}
_BREAK_TYPES = (None, "textWrapping")
# A manual line break inside a paragraph must not start a new "line" of the
# text model: it is kept as a vertical tab, as Word itself represents it.
LINE_BREAK = "\v"


# -- runs ----------------------------------------------------------------
def run_pieces(r) -> Iterator[Tuple[object, str]]:
    """(child element, its characters) for each child of a ``w:r``, in order.

    Mirrors python-docx's ``Run.text`` (w:t, w:tab, w:ptab, w:br, w:cr,
    w:noBreakHyphen) except that a line break is ``\\v``.  Children without text
    (w:rPr, w:drawing, w:fldChar, w:instrText …) give "".
    """
    for el in r:
        tag = el.tag
        if tag == _T:
            yield el, el.text or ""
        elif tag in (w("tab"), w("ptab")):
            yield el, "\t"
        elif tag == w("br"):
            yield el, LINE_BREAK if el.get(w("type")) in _BREAK_TYPES else ""
        elif tag == w("cr"):
            yield el, LINE_BREAK
        elif tag == w("noBreakHyphen"):
            yield el, "-"
        else:
            yield el, ""


def run_text(r) -> str:
    return "".join(s for _, s in run_pieces(r))


# Fields whose shown result is a page count Word recomputes on every page: the
# cached digits ("第 1 页") are not the document's text.
_PAGE_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES"}


def _all_runs(node) -> Iterator[object]:
    for child in node:
        tag = child.tag
        if tag == _R:
            yield child
        elif tag == w("fldSimple"):
            instr = (child.get(w("instr")) or "").split()
            if not instr or instr[0].upper() not in _PAGE_FIELDS:
                yield from _all_runs(child)
        elif tag in _INLINE_CONTAINERS:
            yield from _all_runs(child)
        elif tag == _ALT:
            choice = child.find(_CHOICE)
            if choice is not None:
                yield from _all_runs(choice)


def paragraph_runs(p) -> Iterator[object]:
    """The ``w:r`` elements whose text is the paragraph's visible text, in order
    (the result of a page-number field left out)."""
    depth, page_field, instr = 0, False, []
    for r in _all_runs(p):
        char = r.find(w("fldChar"))
        kind = char.get(w("fldCharType")) if char is not None else None
        if kind == "begin":
            depth += 1
            if depth == 1:
                instr = []
            continue
        if kind == "separate" and depth == 1:
            words = "".join(instr).split()
            page_field = bool(words) and words[0].upper() in _PAGE_FIELDS
            continue
        if kind == "end":
            depth = max(0, depth - 1)
            if depth == 0:
                page_field = False
            continue
        if depth == 1 and not page_field:
            code = r.find(w("instrText"))
            if code is not None:
                instr.append(code.text or "")
        if page_field:
            continue
        yield r


def paragraph_text(p) -> str:
    return "".join(run_text(r) for r in paragraph_runs(p))


def _text_boxes(p) -> List[object]:
    """The outermost text-box contents anchored in paragraph ``p`` (the Choice of
    an mc:AlternateContent only: its Fallback repeats the same box)."""
    out = []
    for box in p.iter(_TXBX):
        node, inner = box.getparent(), False
        while node is not None and node is not p:
            if node.tag in (_FALLBACK, _TXBX):
                inner = True
                break
            node = node.getparent()
        if not inner:
            out.append(box)
    return out


# -- places ---------------------------------------------------------------
_PART_NAMES = {
    "header": "页眉", "footer": "页脚", "first_page_header": "首页页眉",
    "first_page_footer": "首页页脚", "even_page_header": "偶数页页眉",
    "even_page_footer": "偶数页页脚",
}
FURNITURE = ("header", "footer", "footnote", "endnote")
_OPENING = 12


def opening(text: str) -> str:
    s = " ".join(text.replace(LINE_BREAK, " ").split())
    return s if len(s) <= _OPENING else s[:_OPENING] + "…"


@dataclass
class WordPlace:
    """Where one line of the text model is in Word."""
    part: str                       # body, table, textbox, header, footer, footnote, endnote
    paragraph: Optional[int] = None  # 第N段: N-th non-empty body paragraph
    table: Optional[int] = None
    row: Optional[int] = None
    column: Optional[int] = None
    section: Optional[int] = None
    variant: str = ""               # header, first_page_header, … for page furniture
    note: Optional[int] = None      # 脚注/尾注 number
    opening: str = ""

    @property
    def furniture(self) -> bool:
        return self.part in FURNITURE

    def describe(self) -> str:
        quote = f"“{self.opening}”" if self.opening else ""
        if self.part == "table":
            return f"表{self.table}第{self.row}行第{self.column}列{quote}"
        if self.part in ("header", "footer"):
            return f"{_PART_NAMES.get(self.variant, _PART_NAMES[self.part])}（第{self.section}节）{quote}"
        if self.part in ("footnote", "endnote"):
            return f"{'脚注' if self.part == 'footnote' else '尾注'}{self.note}{quote}"
        if self.part == "textbox":
            where = f"第{self.paragraph}段处的" if self.paragraph else ""
            return f"{where}文本框{quote}"
        if self.paragraph:
            return f"第{self.paragraph}段{quote}"
        return f"空段落{quote}"

    def as_dict(self, heading: Optional[str] = None) -> dict:
        out = {"part": self.part}
        for key in ("paragraph", "table", "row", "column", "section", "note"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.variant:
            out["variant"] = self.variant
        out["opening"] = self.opening
        out["heading"] = heading
        label = self.describe()
        if heading and not self.furniture:
            label += f"，在标题“{heading}”下"
        out["label"] = label
        return out


@dataclass
class WordLine:
    element: object      # the w:p element
    text: str
    place: WordPlace
    level: Optional[int] = None   # Word heading-style level (0 = Title)
    anchorable: bool = True       # in the main document part (comments can anchor here)


def _heading_level(p, styles) -> Optional[int]:
    ppr = p.find(w("pPr"))
    style_id = None
    if ppr is not None:
        ps = ppr.find(w("pStyle"))
        if ps is not None:
            style_id = ps.get(w("val"))
    if not style_id:
        return None
    name = styles.get(style_id, style_id)
    m = _HEADING_STYLE.match(name or "")
    if m:
        return int(m.group(1))
    return 0 if (name or "").lower() in ("title", "标题") else None


def _style_names(d) -> Dict[str, str]:
    try:
        return {s.style_id: s.name for s in d.styles if s.style_id}
    except Exception:  # a broken styles part: headings by style are then unknown
        return {}


class _Walker:
    def __init__(self, styles):
        self.styles = styles
        self.lines: List[WordLine] = []
        self.body_paragraphs = 0
        self.tables = 0

    def paragraph(self, p, place: WordPlace, anchorable: bool = True):
        text = paragraph_text(p)
        if place.part == "body":
            if text.strip():
                self.body_paragraphs += 1
                place.paragraph = self.body_paragraphs
        place.opening = opening(text)
        self.lines.append(WordLine(p, text, place, _heading_level(p, self.styles), anchorable))
        for box in _text_boxes(p):
            inner = WordPlace("textbox", paragraph=self.body_paragraphs or None,
                              section=place.section, variant=place.variant, note=place.note)
            if place.furniture:
                inner = WordPlace(place.part, section=place.section, variant=place.variant,
                                  note=place.note)
            self.blocks(box, inner, anchorable)

    def blocks(self, container, template: WordPlace, anchorable: bool = True, table=None):
        for child in container:
            tag = child.tag
            if tag == _P:
                if table is not None:
                    place = WordPlace("table", table=table[0], row=table[1], column=table[2])
                else:
                    place = WordPlace(template.part, section=template.section,
                                      variant=template.variant, note=template.note,
                                      paragraph=template.paragraph if template.part == "textbox" else None)
                self.paragraph(child, place, anchorable)
            elif tag == _TBL:
                self.table(child, template, anchorable, table)
            elif tag in (_SDT, _SDT_CONTENT, _CUSTOM_XML):
                self.blocks(child, template, anchorable, table)
            elif tag == _ALT:
                choice = child.find(_CHOICE)
                if choice is not None:
                    self.blocks(choice, template, anchorable, table)

    def table(self, tbl, template: WordPlace, anchorable: bool, outer=None):
        if outer is None and template.part in ("body",):
            self.tables += 1
        number = outer[0] if outer is not None else (self.tables if template.part == "body" else None)
        for r, tr in enumerate(_children(tbl, _TR), 1):
            for c, tc in enumerate(_children(tr, _TC), 1):
                merged = tc.find(f"{w('tcPr')}/{w('vMerge')}")
                if merged is not None and merged.get(w("val")) in (None, "continue"):
                    continue  # the cell above, vertically merged, already read
                if template.part == "body" or outer is not None:
                    cell = outer if outer is not None else (number, r, c)
                    self.blocks(tc, template, anchorable, cell)
                else:
                    self.blocks(tc, template, anchorable, None)


def _children(el, tag) -> List[object]:
    """Direct children with ``tag``, looking through content controls."""
    out = []
    for child in el:
        if child.tag == tag:
            out.append(child)
        elif child.tag in (_SDT, _SDT_CONTENT, _CUSTOM_XML):
            out.extend(_children(child, tag))
    return out


def _note_part(d, reltype):
    from lxml import etree
    for rel in d.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            part = rel.target_part
            element = getattr(part, "element", None) or getattr(part, "_element", None)
            if element is not None:
                return element
            try:
                return etree.fromstring(part.blob)
            except etree.XMLSyntaxError:
                return None
    return None


def walk(d) -> List[WordLine]:
    """Every paragraph of a python-docx Document in text-model order."""
    walker = _Walker(_style_names(d))
    walker.blocks(d.element.body, WordPlace("body"))
    for n, section in enumerate(d.sections, 1):
        for variant in ("header", "first_page_header", "even_page_header",
                        "footer", "first_page_footer", "even_page_footer"):
            part = getattr(section, variant)
            if part.is_linked_to_previous:
                continue  # no definition of its own: shown from an earlier section
            kind = "header" if variant.endswith("header") else "footer"
            walker.blocks(part._element, WordPlace(kind, section=n, variant=variant), False)
    for kind, reltype, tag in (("footnote", FOOTNOTES_RT, "footnote"),
                               ("endnote", ENDNOTES_RT, "endnote")):
        root = _note_part(d, reltype)
        if root is None:
            continue
        number = 0
        for note in root.iter(w(tag)):
            if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            number += 1
            walker.blocks(note, WordPlace(kind, note=number), False)
    return walker.lines


def open_docx(raw: bytes):
    """A python-docx Document from bytes, or InputError with a line a clerk understands."""
    if raw.startswith(_OLE_MAGIC):
        raise InputError("无法读取 .docx：文件已加密，或是旧版 .doc 格式（请在 Word 中另存为未加密的 .docx）")
    try:
        check_archive(raw)  # bounds before anything is decompressed (zip bombs)
    except ZipTooLarge as exc:
        raise InputError(f"无法读取 .docx：{exc}，疑似压缩炸弹，已拒绝") from None
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(f"无法读取 .docx：文件已损坏或不是 Word 文档（{type(exc).__name__}）") from None
    try:
        import docx  # python-docx, imported only when a .docx is read
        from io import BytesIO
        return docx.Document(BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"无法读取 .docx：文件已损坏或不是 Word 文档（{type(exc).__name__}）") from None
    except Exception as exc:  # lxml and python-docx raise many things on broken parts
        raise InputError(f"无法读取 .docx：{type(exc).__name__}") from None


def read_lines(raw: bytes) -> List[WordLine]:
    d = open_docx(raw)
    try:
        return walk(d)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"无法读取 .docx：{type(exc).__name__}") from None


def read_docx(raw: bytes, path: str = "", headers: bool = True) -> Tuple[str, Dict[int, int]]:
    """(text, {line index: heading level}) of a .docx file given as bytes."""
    lines = read_lines(raw)
    if not headers:
        lines = [ln for ln in lines if not ln.place.furniture]
    levels = {i: ln.level for i, ln in enumerate(lines) if ln.level is not None and not ln.place.furniture}
    return "\n".join(ln.text for ln in lines), levels


def docx_document(raw: bytes, display: str) -> Document:
    lines = read_lines(raw)
    doc = Document("\n".join(ln.text for ln in lines), path=display, encoding="docx", raw=None)
    doc.source_format = "docx"
    doc.style_headings = {i: ln.level for i, ln in enumerate(lines)
                          if ln.level is not None and not ln.place.furniture}
    doc.word_places = [ln.place for ln in lines]
    doc.furniture_lines = frozenset(i for i, ln in enumerate(lines) if ln.place.furniture)
    doc.cell_lines = frozenset(i for i, ln in enumerate(lines) if ln.place.part == "table")
    return doc


LEGACY_SUFFIXES = (".doc", ".wps", ".odt")


def load_docx(path: str, display: str = None, headers: bool = True) -> Document:
    if path.lower().endswith(LEGACY_SUFFIXES):
        raw = convert_to_docx(path)
    else:
        try:
            # A regular file only: a FIFO named *.docx would block, /dev/zero never end.
            raw = read_regular(path)
        except OSError as exc:
            raise InputError(f"无法读取：{os_reason(exc)}") from None
    return docx_document(raw, display or path)
