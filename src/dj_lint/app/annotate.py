"""``--annotate``: a reviewed copy of the document with one Word comment (批注) per finding.

For a .docx (or a .doc/.wps/.odt converted by LibreOffice) the copy is the
document itself; for .txt and .md it is a .docx built from the file's lines,
one paragraph a line, so a clerk can open the review in Word or WPS.

Each comment is anchored on exactly the finding's text: the runs around it are
split at the finding's boundaries (a split run keeps its formatting, and no
character is added, removed or moved), a ``w:commentRangeStart`` goes before
the first character and a ``w:commentRangeEnd`` plus the comment's reference
run after the last one.  Word cannot anchor comments in headers, footers,
footnotes or endnotes: a finding there is commented at the very start of the
body, with a collapsed range, and the comment says where the text is.
"""
from __future__ import annotations

import copy
import os
import re
from typing import List, Optional, Sequence

from .atomic import write_atomic
from ..text.docx_input import W_NS, paragraph_runs, run_pieces, walk, w

AUTHOR = "dj-lint"
INITIALS = "DJ"
SUFFIX = ".审阅.docx"
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters XML 1.0 cannot carry (C0 controls but tab, lone surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def reviewed_path(path: str, output: Optional[str] = None) -> str:
    """Where the reviewed copy of ``path`` goes: ``output``, or 报告.审阅.docx
    beside 报告.docx (报告.txt → 报告.审阅.docx as well)."""
    if output:
        return output
    stem = os.path.splitext(path)[0]
    return stem + SUFFIX


def comment_text(f, where: str = "") -> str:
    head = f"{f.rule} {f.name}（{SEVERITY_NAMES.get(f.severity, f.severity)}）"
    out = [f"{where}：{f.message}" if where else f.message]
    if f.suggestion:
        out.append(f"建议改为：{f.suggestion}")
    out.append(f"{head}；规则说明：dj-lint --explain {f.rule}")
    return "\n".join(out)


# -- splitting runs ----------------------------------------------------------
def _split_run(r, k: int):
    """Split ``w:r`` ``r`` after its k-th character; returns the new second run.

    Both halves keep the run's properties (w:rPr); elements without text stay
    on the side of the boundary where they stood."""
    second = copy.deepcopy(r)
    rpr = w("rPr")
    first_pieces = [(el, s) for el, s in run_pieces(r) if el.tag != rpr]
    second_pieces = [(el, s) for el, s in run_pieces(second) if el.tag != rpr]
    pos = 0
    for (a_el, s), (b_el, _) in zip(first_pieces, second_pieces):
        start, end = pos, pos + len(s)
        pos = end
        if s and end <= k or not s and start <= k:
            second.remove(b_el)
        elif start >= k:
            r.remove(a_el)
        else:  # a w:t holding the boundary
            cut = k - start
            a_el.text, b_el.text = s[:cut], s[cut:]
            a_el.set(_XML_SPACE, "preserve")
            b_el.set(_XML_SPACE, "preserve")
    r.addnext(second)
    return second


def _text_runs(p):
    """(run, start, end) for each run with text in paragraph ``p``."""
    out, pos = [], 0
    for r in paragraph_runs(p):
        n = sum(len(s) for _, s in run_pieces(r))
        if n:
            out.append((r, pos, pos + n))
            pos += n
    return out


def _boundary(p, k: int) -> None:
    for r, a, b in _text_runs(p):
        if a < k < b:
            _split_run(r, k - a)
            return


def _marker(name: str, cid: int):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    return OxmlElement(f"w:{name}", attrs={qn("w:id"): str(cid)})


def _reference_run(cid: int):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle", attrs={qn("w:val"): "CommentReference"})
    rpr.append(style)
    r.append(rpr)
    r.append(OxmlElement("w:commentReference", attrs={qn("w:id"): str(cid)}))
    return r


def _place_start(p, k: int, element) -> None:
    """Put ``element`` right before character k of paragraph p (or at its end)."""
    for r, a, b in _text_runs(p):
        if a == k:
            r.addprevious(element)
            return
    _place_end(p, k, [element])


def _place_end(p, k: int, elements: Sequence) -> None:
    """Put ``elements`` right after character k-1 of paragraph p."""
    runs = _text_runs(p)
    anchor = None
    for r, a, b in runs:
        if b == k:
            anchor = r
    if anchor is None and k == 0:
        first = runs[0][0] if runs else None
        if first is not None:
            for el in elements:
                first.addprevious(el)
            return
    if anchor is None:
        for el in elements:
            p.append(el)
        return
    for el in reversed(elements):
        anchor.addnext(el)


def anchor(d, lines, f, first_body) -> bool:
    """Add one comment for finding ``f``; True when it is anchored on its text."""
    start_line, end_line = f.line - 1, f.end_line - 1
    where = ""
    ok = 0 <= start_line <= end_line < len(lines)
    if ok:
        a, b = lines[start_line], lines[end_line]
        ok = a.anchorable and b.anchorable and f.column - 1 <= len(a.text) and f.end_column - 1 <= len(b.text)
    if not ok:
        # Headers, footers and notes cannot carry a comment in Word.
        line = lines[start_line] if 0 <= start_line < len(lines) else None
        where = line.place.describe() if line is not None else f"第{f.line}行"
    comment = d.comments.add_comment(text=_clean(comment_text(f, where)), author=AUTHOR,
                                     initials=INITIALS)
    cid = comment.comment_id
    if not ok:
        if first_body is None:
            return False
        _place_start(first_body.element, 0, _marker("commentRangeStart", cid))
        _place_end(first_body.element, 0, [_marker("commentRangeEnd", cid), _reference_run(cid)])
        return False
    p_start, p_end = lines[start_line].element, lines[end_line].element
    s, e = f.column - 1, f.end_column - 1
    _boundary(p_start, s)
    _boundary(p_end, e)
    _place_end(p_end, e, [_marker("commentRangeEnd", cid), _reference_run(cid)])
    _place_start(p_start, s, _marker("commentRangeStart", cid))
    return True


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def text_docx(lines: Sequence[str]):
    """A new Word document whose paragraphs are ``lines``, one run each."""
    import docx
    d = docx.Document()
    body = d.element.body
    for p in list(body.iterchildren(w("p"))):
        body.remove(p)
    lines = list(lines)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the file's final newline ends the last paragraph, starts none
    for line in lines:
        p = d.add_paragraph()
        if line:
            p.add_run(_clean(line.replace("\v", "\n")))
    return d


def annotate_document(d, findings) -> int:
    """Comment every finding on python-docx Document ``d``; returns how many
    comments are anchored on their own text."""
    lines = walk(d)
    first_body = next((ln for ln in lines if ln.anchorable and ln.text.strip()), None)
    anchored = 0
    # From the end of the document backwards: earlier positions stay valid
    # (splitting never moves text, but it keeps the XML edits local).
    for f in sorted(findings, key=lambda f: (f.line, f.column, f.end_line, f.end_column)):
        anchored += anchor(d, lines, f, first_body)
    return anchored


def annotate_file(path: str, findings, out: str, source_lines: Optional[List[str]] = None) -> int:
    """Write the reviewed copy of ``path`` to ``out``; returns the number of comments."""
    from ..text.docx_input import LEGACY_SUFFIXES, open_docx
    lower = path.lower()
    if lower.endswith(".docx") or lower.endswith(LEGACY_SUFFIXES):
        if lower.endswith(".docx"):
            with open(path, "rb") as fh:
                raw = fh.read()
        else:
            from ..text.legacy import convert_to_docx
            raw = convert_to_docx(path)
        d = open_docx(raw)
    else:
        d = text_docx(source_lines or [])
    annotate_document(d, findings)
    save_atomic(d, out)
    return len(findings)


def save_atomic(d, out: str) -> None:
    """Save ``d`` to ``out`` through the one atomic writer (app/atomic.py): the
    same symlink, mode and temporary-file rules as ``--fix`` and ``--output``."""
    import io
    buf = io.BytesIO()
    d.save(buf)
    write_atomic(out, buf.getvalue())


# -- reading a reviewed copy back (tests, and anyone checking the result) ------
def comments_and_anchors(d) -> List[dict]:
    """Every comment with the text its range covers, in comment-id order:
    ``{"id", "author", "text", "anchored"}``.  Paragraph breaks inside a range
    read as "\\n", as in the text model."""
    start_tag, end_tag = w("commentRangeStart"), w("commentRangeEnd")
    w_id = f"{{{W_NS}}}id"
    open_ids: dict = {}
    done: dict = {}
    lines = walk(d)
    for n, line in enumerate(lines):
        if not line.anchorable:
            continue
        for cid in open_ids:
            if n and open_ids[cid] is not None:
                open_ids[cid].append("\n")
        for el in line.element.iter(start_tag, end_tag, w("r")):
            if _inside_text_box(el, line.element):
                continue  # read with the text box's own lines
            if el.tag == start_tag:
                open_ids[el.get(w_id)] = []
            elif el.tag == end_tag:
                cid = el.get(w_id)
                if cid in open_ids:
                    done[cid] = "".join(open_ids.pop(cid))
            else:
                s = "".join(t for _, t in run_pieces(el))
                for parts in open_ids.values():
                    parts.append(s)
    out = []
    for c in d.comments:
        cid = str(c.comment_id)
        out.append({"id": c.comment_id, "author": c.author,
                    "text": "\n".join(p.text for p in c.paragraphs), "anchored": done.get(cid)})
    return out


def _inside_text_box(el, p) -> bool:
    node = el.getparent()
    while node is not None and node is not p:
        if node.tag == w("txbxContent"):
            return True
        node = node.getparent()
    return False


