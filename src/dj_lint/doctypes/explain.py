"""``dj-lint --explain-doc FILE``: what the structure checks see in a document.

Prints the detected type and why, the title lines, each section the type
expects (found how and where, or missing), the 落款, and the heading tree
with the in-paragraph lists under each heading.
"""
from __future__ import annotations

from typing import List, Optional

from ..text.owndate import own_date
from . import detect, find_sections, load_types

_HOW = {"heading": "标题", "headings": "一级标题", "opening": "开头段落", "inline": "段内关键句"}


def explain_doc(doc, doc_type: Optional[str] = None) -> str:
    o = doc.outline
    det = detect(doc, doc_type)
    out = [f"文件：{doc.path}",
           f"文种：{det.type.name}（{det.type.id}）" if det.type else "文种：未能确定",
           f"依据：{det.reason}"]
    if o.title:
        out.append("标题：" + " / ".join(f"第{i + 1}行“{doc.lines[i].strip()}”" for i in o.title.lines))
    else:
        out.append(f"标题：无（第{o.first_line + 1}行就是正文）")
    out.append("本文日期：" + _own_date(doc))
    if o.compilation:
        out.append(f"拼合文档：{len(o.parts)} 篇，分别从第 "
                   + "、".join(str(a + 1) for a, _ in o.parts) + " 行开始，各篇序号各自编排")
    if det.type:
        out.append("必备部分：" if det.type.sections else "必备部分：无")
        for f in find_sections(det.type, doc):
            need = "必备" if f.section.required else "建议"
            if f.found:
                line = doc.position(f.start)[0]
                out.append(f"  ✓ {f.section.name}（{need}）：{_HOW[f.how]}，第{line}行“{f.evidence.strip()}”")
            else:
                out.append(f"  ✗ {f.section.name}（{need}）：未找到；应写明{f.section.expect}")
        out.append(f"落款：{_signature(doc, det.type.signature)}")
    out.append("标题层级：")
    out.extend(_tree(doc) or ["  （没有识别出标题）"])
    return "\n".join(out) + "\n"


def _own_date(doc) -> str:
    """The period the document speaks for (text/owndate.py) and where it was read."""
    od = own_date(doc)
    if od is None:
        return "未能确定（没有落款日期、标题年份或“今年是…周年”）：按 --as-of 判断"
    line = doc.position(od.span[0])[0]
    where = f"第{line}行“{doc.text[od.span[0]:od.span[1]]}”"
    note = "" if od.strong else "；只是文中最近的日期，不作为本文日期判断是否陈旧"
    return f"{od.describe()}，{where}{note}"


def _signature(doc, need: str) -> str:
    sig = doc.outline.signature
    parts = []
    if sig.organisation is not None:
        parts.append(f"署名第{sig.organisation + 1}行“{doc.lines[sig.organisation].strip()}”")
    if sig.date is not None:
        parts.append(f"日期第{sig.date + 1}行“{doc.lines[sig.date].strip()}”")
    if sig.date_in_title:
        parts.append("标题中有成文日期")
    label = {"required": "必备", "optional": "可选", "none": "不需要"}[need]
    return f"（{label}）" + ("；".join(parts) if parts else "未找到")


def _tree(doc) -> List[str]:
    o = doc.outline
    lines: List[str] = []
    series_by_line = {}
    for item in o.series:
        series_by_line.setdefault(item.line, []).append(doc.text[item.start:item.end])
    part_starts = {a: k for k, (a, _) in enumerate(o.parts)} if o.compilation else {}
    headings = {h.line: h for h in o.headings}
    current = None  # the heading the next in-paragraph list belongs to
    for i in range(len(doc.lines)):
        if i in part_starts:
            current = None
            lines.append(f"  ── 第{part_starts[i] + 1}篇（第{i + 1}行起）")
        h = headings.get(i)
        if h is not None:
            indent = "  " * (h.level if h.numbered else 1)
            tag = h.marker if h.numbered else ("#" * h.level if h.style == "md" else
                                               f"[Word 标题 {h.level}]" if h.style == "word" else
                                               f"[下划线{h.level}级]")
            note = f"  → 应为“{h.suggestion}”" if h.suggestion else ""
            lines.append(f"{indent}L{i + 1} {tag}{h.text}{note}")
        if h is not None:
            current = h
        if i in series_by_line:
            depth = current.level + 1 if current is not None and current.numbered else 1
            lines.append(f"{'  ' * depth}L{i + 1} 段内：" + " ".join(series_by_line[i]))
    return lines


def type_ids() -> List[str]:
    return [t.id for t in load_types()]
