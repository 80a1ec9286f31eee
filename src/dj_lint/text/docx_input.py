"""Reading .docx files into the text model that every check sees.

The text model is the document's paragraphs in reading order — body paragraphs,
then table cells row by row (headers and footers only when asked) — joined
with newlines, so ``line`` is the paragraph number and ``column`` the character
in it. ``dj-lint --dump-text`` prints exactly this model.
"""
from __future__ import annotations

import re
import zipfile
from typing import Dict, List, Tuple

from .document import Document, InputError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Word's heading styles, English and Chinese UI names ("Heading 2", "标题 2").
_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)


def _paragraph_text(p) -> str:
    # A manual line break inside a paragraph must not start a new "line":
    # Word itself represents it as a vertical tab.
    return p.text.replace("\r\n", "\v").replace("\n", "\v").replace("\r", "\v")


def _heading_level(p):
    try:
        name = p.style.name if p.style is not None else ""
    except (KeyError, ValueError, AttributeError):  # a style the file does not define
        return None
    m = _HEADING_STYLE.match(name or "")
    if m:
        return int(m.group(1))
    return 0 if (name or "").lower() in ("title", "标题") else None


def _table_paragraphs(table):
    seen = set()
    for row in table.rows:
        for cell in row.cells:
            # Merged cells appear once per grid column they span: read them once.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            yield from cell.paragraphs
            for inner in cell.tables:
                yield from _table_paragraphs(inner)


def read_docx(raw: bytes, path: str, headers: bool = False) -> Tuple[str, Dict[int, int]]:
    """(text, {line index: heading level}) of a .docx file given as bytes."""
    if raw.startswith(_OLE_MAGIC):
        raise InputError("无法读取 .docx：文件已加密，或是旧版 .doc 格式（请在 Word 中另存为未加密的 .docx）")
    try:
        import docx  # python-docx, imported only when a .docx is read
        from io import BytesIO
        d = docx.Document(BytesIO(raw))
        paragraphs: List = list(d.paragraphs)
        for table in d.tables:
            paragraphs.extend(_table_paragraphs(table))
        if headers:
            for section in d.sections:
                for part in (section.header, section.footer):
                    paragraphs.extend(part.paragraphs)
        lines, levels = [], {}
        for i, p in enumerate(paragraphs):
            lines.append(_paragraph_text(p))
            level = _heading_level(p)
            if level is not None:
                levels[i] = level
    except InputError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"无法读取 .docx：文件已损坏或不是 Word 文档（{type(exc).__name__}）") from None
    except Exception as exc:  # lxml and python-docx raise many things on broken parts
        raise InputError(f"无法读取 .docx：{type(exc).__name__}") from None
    return "\n".join(lines), levels


def load_docx(path: str, display: str = None, headers: bool = False) -> Document:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise InputError(f"无法读取：{exc.strerror or exc}") from None
    text, levels = read_docx(raw, path, headers=headers)
    doc = Document(text, path=display or path, encoding="docx", raw=None)
    doc.source_format = "docx"
    doc.style_headings = levels
    return doc
