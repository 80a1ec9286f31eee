"""The default text format: one finding a line, the source line, a caret line."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..text.inert import escape_char, is_unsafe, visible

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
_COLOURS = {"error": "31", "warning": "33", "info": "36"}
_SNIPPET_WIDTH = 72  # display columns of source shown around a finding
_CONTEXT = 24        # display columns kept before the match when cropping


@lru_cache(maxsize=None)
def width(ch: str) -> int:
    # Cached: the snippets of a large run ask for the same few thousand
    # characters millions of times (a third of the corpus benchmark's time).
    if ch == "\t":
        return 1
    if is_unsafe(ch):  # shown as its escape (\x1b, \u202e), never obeyed
        return len(escape_char(ch))
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _paint(s: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{s}\x1b[0m" if colour else s


def snippet(line: str, start: int, end: int):
    """(source, carets) for line[start:end], cropped to fit a terminal.
    Widths count CJK as two columns so the carets sit under the match."""
    end = max(end, start + 1) if start < len(line) else start
    shown_start = start
    used = 0
    while shown_start > 0 and used < _CONTEXT:
        shown_start -= 1
        used += width(line[shown_start])
    # ASCII dots: "…" is ambiguous-width and would shift the carets in CJK terminals.
    prefix = "..." if shown_start > 0 else ""
    # Column of every character from shown_start on, found in one pass that
    # stops at the width limit (once past the match); sliced, not appended.
    total, stop, lead, mark = 0, shown_start, 0, 0
    for i in range(shown_start, len(line)):
        w = width(line[i])
        if total + w > _SNIPPET_WIDTH and i >= end:
            break
        if i < start:
            lead += w
        elif i < end:
            mark += w
        total += w
        stop = i + 1
    suffix = "..." if stop < len(line) else ""
    body = visible(line[shown_start:stop].replace("\t", " "))
    return prefix + body + suffix, " " * (lead + len(prefix)) + "^" * max(1, mark)


def summary(report) -> str:
    counts = {}
    for f in report.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    files = len({f.path for f in report.findings})
    if not report.findings and report.errors:
        # Never "no problems" for a run that could not read a file.
        return f"{len(report.errors)} 个文件无法读取（见上）；已检查的 {report.files} 个文件中没有问题"
    unread = f"；{len(report.errors)} 个文件无法读取（见上）" if report.errors else ""
    if not report.findings:
        return f"未发现问题，共检查 {report.files} 个文件{unread}"
    parts = "，".join(f"{SEVERITY_NAMES[s]} {counts[s]}" for s in ("error", "warning", "info") if s in counts)
    return f"{len(report.findings)} 个问题（{parts}），涉及 {files} 个文件{unread}"


def similar_summary(similar: dict) -> list:
    """`dj-lint similar`: one line per pair with the share of each side copied."""
    pairs = similar["pairs"]
    lines = [f"共有相同段落的材料：{len(pairs)} 对（比较了 {similar['documents']} 份材料"
             + (f"和 {similar['references']} 份参考范文" if similar["references"] else "")
             + f"，候选 {similar['candidates']} 对）"]
    for p in pairs:
        lines.append(f"  {visible(p['a'])}（{p['share_a']:.0%}）↔ {visible(p['b'])}（{p['share_b']:.0%}）："
                     f"{p['passages']} 段，{p['characters']} 字")
    for i, group in enumerate(c for c in similar["clusters"] if len(c) > 2):
        lines.append(f"  群组 {i + 1}（{len(group)} 份）：" + "、".join(group))
    return lines


def render(report, options=None) -> str:
    colour = bool(getattr(options, "colour", False))
    lines = []
    for f in report.findings:
        sev = _paint(f"[{f.severity}]", _COLOURS[f.severity], colour)
        rid = _paint(f.rule, "1", colour)
        lines.append(f"{visible(f.path)}:{f.line}:{f.column}: {rid} {sev} {visible(f.message)}")
        if f.location:
            # A Word document: where a Word user finds it (no line numbers there).
            lines.append(f"    位置：{visible(f.location['label'])}")
        source = report.sources.get(f.path)
        if source is not None and f.line - 1 < len(source):
            text = source[f.line - 1]
            end = f.end_column - 1 if f.end_line == f.line else len(text)
            shown, carets = snippet(text, f.column - 1, end)
            lines.append("    " + shown)
            lines.append("    " + _paint(carets, _COLOURS[f.severity], colour))
    for e in report.errors:
        lines.append(f"{visible(e.path)}: {_paint('[错误]', '31', colour)} {visible(e.message)}")
    if report.similar is not None and getattr(options, "summary", True):
        lines.extend(similar_summary(report.similar))
    if getattr(options, "summary", True):
        lines.append(summary(report))
    return "\n".join(lines) + "\n"
