"""The text formats people read: `text` (a finding, its source line, a caret line)
and `concise` (one line a finding, for hooks and CI logs).

Everything a person reads is Chinese: severities, the fixable mark, the
summary; rule ids stay as they are. The source line is shown whole when it fits
the width (the terminal's, else $COLUMNS, else 160 columns) and cut around the
match with "..." only when it does not.
"""
from __future__ import annotations

import os
import shlex
import shutil
import sys
import unicodedata
from functools import lru_cache
from collections import Counter
from itertools import compress
from operator import attrgetter, is_
from typing import Optional

from ..text.inert import escape_char, is_unsafe, visible

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
FIXABLE_MARK = "[可修复]"
_COLOURS = {"error": "31", "warning": "33", "info": "36"}
_INDENT = "    "
_PIPE_WIDTH = 160    # display columns of source shown when no terminal says otherwise
_MIN_WIDTH = 40
_BATCH = 1000  # lines per piece of a streamed report


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


def source_width() -> int:
    """Display columns available for a source line after the indent."""
    if sys.stdout.isatty():
        columns = shutil.get_terminal_size((_PIPE_WIDTH + len(_INDENT), 24)).columns
    else:
        env = os.environ.get("COLUMNS", "")
        columns = int(env) if env.isdigit() and int(env) > 0 else _PIPE_WIDTH + len(_INDENT)
    return max(_MIN_WIDTH, columns - len(_INDENT))


@lru_cache(maxsize=256)
def _fits(line: str, limit: int) -> bool:
    # Cached: every finding on a line asks again (the 5 MB single-line benchmark
    # file: thousands of findings on its one line, 2.5% of that run's time).
    used = 0
    for ch in line:  # stops as soon as the limit is passed: a 5 MB line costs nothing
        used += width(ch)
        if used > limit:
            return False
    return True


def snippet(line: str, start: int, end: int, limit: int = _PIPE_WIDTH):
    """(source, carets) for line[start:end] within ``limit`` display columns.
    Widths count CJK as two columns so the carets sit under the match. The line is
    cut (with ASCII "...", since "…" is ambiguous-width) only when it does not fit."""
    end = max(end, start + 1) if start < len(line) else start
    if _fits(line, limit):
        shown_start, prefix = 0, ""
        budget = limit
    else:
        # Keep about a third of the width as context before the match.
        shown_start, used = start, 0
        while shown_start > 0 and used + width(line[shown_start - 1]) <= limit // 3:
            shown_start -= 1
            used += width(line[shown_start])
        prefix = "..." if shown_start > 0 else ""
        budget = limit - len(prefix) - 3  # room for the closing "..."
    total, stop, lead, mark = 0, shown_start, 0, 0
    for i in range(shown_start, len(line)):
        w = width(line[i])
        if total + w > budget:
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


def _fix_command(report, options, unsafe: bool) -> str:
    paths = [p for p in (getattr(options, "paths", None) or []) if p != "-"] or sorted(
        {f.path for f in report.findings if f.fixable})
    flags = "--fix --unsafe-fixes" if unsafe else "--fix"
    return f"dj-lint {flags} " + " ".join(shlex.quote(p) for p in paths)


def _fix_safety(report, rule: str) -> str:
    return (report.rule_info.get(rule) or {}).get("fix_safety") or "safe"


_SEVERITY, _PATH, _FIXABLE, _RULE = (attrgetter("severity"), attrgetter("path"), attrgetter("fixable"),
                                     attrgetter("rule"))


def summary(report, options=None) -> str:
    # Counted in C (map, Counter): on the serial end of a run of 48,000 findings.
    counts = Counter(map(_SEVERITY, report.findings))
    files = len(set(map(_PATH, report.findings)))
    if not report.findings and report.errors:
        # Never "no problems" for a run that could not read a file.
        return f"{len(report.errors)} 个文件无法读取（见上）；已检查的 {report.files} 个文件中没有问题"
    unread = f"；{len(report.errors)} 个文件无法读取（见上）" if report.errors else ""
    if not report.findings:
        return f"未发现问题，共检查 {report.files} 个文件{unread}"
    parts = "，".join(f"{SEVERITY_NAMES[s]} {counts[s]}" for s in ("error", "warning", "info") if s in counts)
    line = f"{len(report.findings)} 个问题（{parts}），涉及 {files} 个文件{unread}"
    fixable = list(compress(report.findings, map(_FIXABLE, report.findings)))
    if fixable:
        rules = Counter(map(_RULE, fixable))
        unsafe = sum(n for rule, n in rules.items() if _fix_safety(report, rule) == "unsafe")
        line += f"；{len(fixable)} 个{FIXABLE_MARK}："
        if not unsafe:
            line += _fix_command(report, options, False)
        elif unsafe == len(fixable):
            line += _fix_command(report, options, True)
        else:
            line += (f"{len(fixable) - unsafe} 个用 {_fix_command(report, options, False)}，"
                     f"{unsafe} 个还需加 --unsafe-fixes")
    return line


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


class _Headlines:
    """``path:line:column: RULE [严重程度] [可修复] message`` of each finding, with the
    painted parts made once per severity and rule, and each path and message made
    visible once (48,000 findings on the benchmark corpus: the report is written
    after the last file, on the serial end of every run)."""

    def __init__(self, colour: bool):
        self.colour = colour
        self.severity = {s: _paint(f"[{name}]", _COLOURS[s], colour) for s, name in SEVERITY_NAMES.items()}
        self.fixable = f" {_paint(FIXABLE_MARK, '32', colour)}"
        self.rules: dict = {}

    def __call__(self, f) -> str:
        rid = self.rules.get(f.rule)
        if rid is None:
            rid = self.rules[f.rule] = _paint(f.rule, "1", self.colour)
        mark = self.fixable if f.fixable else ""
        return f"{_visible(f.path)}:{f.line}:{f.column}: {rid} {self.severity[f.severity]}{mark} {_visible(f.message)}"


# Paths and messages made visible once: a file's findings share its path, and a
# rule's messages repeat across files (each --jobs process has its own, filled
# by ``render_file`` for the files it lints).
_SHOWN: dict = {}


def _visible(text: str) -> str:
    shown = _SHOWN.get(text)
    if shown is None:
        shown = visible(text)
        if len(_SHOWN) < _READY_MAX:
            _SHOWN[text] = shown
    return shown


# Snippets by (line, start, end, limit), worked out once: reports built from one
# template repeat the same line with the same finding in many files (under
# --jobs, each process for the files it lints: ``render_file``).
_READY: dict = {}
_READY_MAX = 200_000


def _snippet_of(f, source, limit):
    """(source line, carets) of finding ``f``, or None without its line."""
    if source is None or f.line - 1 >= len(source):
        return None
    text = source[f.line - 1]
    end = f.end_column - 1 if f.end_line == f.line else len(text)
    key = (text, f.column - 1, end, limit)
    ready = _READY.get(key)
    if ready is None:
        ready = snippet(text, f.column - 1, end, limit)
        if len(_READY) < _READY_MAX:
            _READY[key] = ready
    return ready


# Each file's part of a text report (the lines of all its findings: headline,
# Word place, source, carets), rendered where the file was linted while the other
# files are still being linted: under --jobs in every process for its own files
# (``render_file``), not all in this one after the last file (the serial end of
# a run: 48,137 findings on the benchmark corpus took 0.11 s to render, and
# 0.03 s more to be taken one by one from a table of rendered findings).
# ``adopt`` keeps it here as {id(the file's first finding): (its findings, the
# text)} for the style (colour, width) in _BLOCK_STYLE; ``chunks`` writes the
# text wherever the report lists exactly those findings in a row. The findings
# are kept with their text, so no id can be reused while the entry exists.
_FILES: dict = {}
_BLOCK_STYLE: list = [None]


def render_file(findings, source, colour: bool = False, limit: Optional[int] = None):
    """One file's findings as the text report shows them (``source``: its lines,
    ``colour`` and ``limit``, the width of a source line, as the report will have
    them; ``limit`` by default the terminal's now): what ``adopt`` takes, (style, text)."""
    limit = limit or source_width()
    headline = _Headlines(colour)
    lines = []
    for f in findings:
        lines.extend(_lines_of(f, headline, source, limit, colour, False))
    return (colour, limit), "\n".join(lines) + "\n"


def adopt(findings, rendered) -> None:
    """Keep ``render_file``'s text of ``findings`` (the very objects the report
    will list) for ``chunks``; one rendered in another style (another process's
    terminal width) is not used by ``chunks``: those findings are rendered again."""
    style, text = rendered
    if _BLOCK_STYLE[0] != style:
        _FILES.clear()
        _BLOCK_STYLE[0] = style
    if findings:
        _FILES[id(findings[0])] = (findings, text)


def _lines_of(f, headline, source, limit: int, colour: bool, concise: bool) -> list:
    lines = [headline(f)]
    if f.location and not concise:
        # A Word document: where a Word user finds it (no line numbers there).
        lines.append(f"{_INDENT}位置：{visible(f.location['label'])}")
    if not concise:
        shown_source = _snippet_of(f, source, limit)
        if shown_source is not None:
            snip, carets = shown_source
            lines.append(_INDENT + snip)
            lines.append(_INDENT + _paint(carets, _COLOURS[f.severity], colour))
    return lines


def chunks(report, options=None, concise: bool = False):
    """The report in pieces (about a thousand lines, or one file's findings
    rendered beforehand), each shown as it is rendered: a large report is never
    held as one string. Joined, ``render``."""
    colour = bool(getattr(options, "colour", False))
    # The command line fixes the width once for a run whose files are rendered
    # as they are linted (a terminal resized meanwhile changes nothing).
    limit = getattr(options, "report_width", None) or source_width()
    lines: list = []
    shown = False
    headline = _Headlines(colour)
    files = _FILES if not concise and _BLOCK_STYLE[0] == (colour, limit) else {}
    sources, path, source = report.sources, None, None
    findings = report.findings
    i, n = 0, len(findings)
    while i < n:
        f = findings[i]
        ready = files.pop(id(f), None) if files else None
        if ready is not None and _listed(ready[0], findings, i):
            if lines:
                yield "\n".join(lines) + "\n"
                lines.clear()
            yield ready[1]
            shown = True
            i += len(ready[0])
            continue
        if f.path != path:
            path, source = f.path, sources.get(f.path)
        lines.extend(_lines_of(f, headline, source, limit, colour, concise))
        i += 1
        if len(lines) >= _BATCH:
            yield "\n".join(lines) + "\n"
            lines.clear()
            shown = True
    if not concise:
        _FILES.clear()  # texts of findings the report left out (a baseline's), or of another style
    for e in report.errors:
        lines.append(f"{visible(e.path)}: {_paint('[错误]', '31', colour)} {visible(e.message)}")
    if report.similar is not None and getattr(options, "summary", True):
        lines.extend(similar_summary(report.similar))
    if getattr(options, "summary", True):
        lines.append(summary(report, options))
    if lines or not shown:
        yield "\n".join(lines) + "\n"


def _listed(found: list, findings: list, i: int) -> bool:
    """Whether ``findings`` lists exactly the objects of ``found`` from ``i`` on."""
    k = len(found)
    return len(findings) - i >= k and all(map(is_, found, findings[i:i + k]))


def render(report, options=None, concise: bool = False) -> str:
    return "".join(chunks(report, options, concise))


def chunks_concise(report, options=None):
    return chunks(report, options, concise=True)


def render_concise(report, options=None) -> str:
    return render(report, options, concise=True)
