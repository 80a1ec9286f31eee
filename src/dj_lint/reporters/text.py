"""The text formats people read: `text` (a finding, its source line, a caret line)
and `concise` (one line a finding, for hooks and CI logs).

Everything a person reads is Chinese: severities, the fixable mark, the
summary; rule ids stay as they are. The source line is shown whole when it fits
the width (the terminal's, else $COLUMNS, else 160 columns) and cut around the
match with "..." only when it does not.
"""
from __future__ import annotations

import os
import sys
import unicodedata
from functools import lru_cache
from collections import Counter
from bisect import bisect_left, bisect_right
from itertools import accumulate, compress
from operator import attrgetter, is_
from typing import Optional

from ..model.findings import KeptLines
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
        import shutil  # only for a terminal: with bz2 and lzma, 5 M instructions of every start
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
    if start <= len(line) <= _SUMMED_UPTO and limit >= 6 and sys.modules.get("numpy") is not None:
        sums = _line_sums(line)
        if sums is not None:
            return _summed_snippet(line, sums, start, end, limit)
    if _fits(line, limit):
        # The whole line is shown: the carets only need the widths up to the
        # match's end, summed in C (not a Python step for each character of the line).
        lead = sum(map(width, line[:start]))
        mark = sum(map(width, line[start:end]))
        return visible(line.replace("\t", " ")), " " * lead + "^" * max(1, mark)
    # Keep about a third of the width as context before the match.
    third = limit // 3
    shown_start = start - bisect_right(_running_widths(line, start, third, forward=False), third)
    prefix = "..." if shown_start > 0 else ""
    budget = limit - len(prefix) - 3  # room for the closing "..."
    sums = _running_widths(line, shown_start, budget)
    stop = shown_start + bisect_right(sums, budget)
    # Columns before the match, and of the match, among the characters shown.
    before, through = min(start, stop) - shown_start, min(end, stop) - shown_start
    lead = sums[before - 1] if before > 0 else 0
    mark = (sums[through - 1] if through > 0 else 0) - lead
    suffix = "..." if stop < len(line) else ""
    body = visible(line[shown_start:stop].replace("\t", " "))
    return prefix + body + suffix, " " * (lead + len(prefix)) + "^" * max(1, mark)


# ``snippet`` of a line of at most this many characters, where this process has
# loaded numpy (the near_miss kind does in a run of many files; imported for a
# report alone it would cost 0.05-0.1 s): the running widths of the whole line
# (``_line_sums``), worked out at once from a table of each character's width and
# kept for the line's other findings; every width the snippet needs is then a
# difference of two of them, every cut a bisection. ``width`` through its
# lru_cache, one character at a time, cost about 960 instructions a character
# (each character of a CJK line a new one-character string, hashed for the
# lookup); the 271 snippets of the first 100 benchmark corpus files measured
# 32,000 characters that way, 47.8 M instructions in all (callgrind). Their text
# report rendered (render_file, as recorded from a run) 132.1 -> 108.6 M, the whole
# --jobs 1 run 3296.2 -> 3268.9-3272.3 M.
_SUMMED_UPTO = 4096
# numpy uint16 array, each code point's width by its code unit in UTF-16, or
# _UNSEEN until ``width`` is asked once. A width is at most 6 (an escape): no sum of
# up to _SUMMED_UPTO widths reaches _UNSEEN.
_WIDTH_TABLE: list = []
_UNSEEN = 1 << 15


# (A file's findings on one line come one after the other: a few lines kept are
# enough, and hold little, at most 16 lists of 4,097 numbers.)
@lru_cache(maxsize=16)
def _line_sums(line: str) -> Optional[list]:
    """[0, then the width of line[:i] for each i from 1 to len(line)] (as
    ``accumulate(map(width, line), initial=0)``), or None for a line with a
    character beyond the BMP (two code units: left to ``width``)."""
    np = sys.modules["numpy"]
    if not _WIDTH_TABLE:
        _WIDTH_TABLE.append(np.full(0x10000, _UNSEEN, dtype=np.uint16))
    table = _WIDTH_TABLE[0]
    units = np.frombuffer(line.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    if len(units) != len(line):
        return None
    widths = table.take(units)
    sums = widths.cumsum()
    if len(sums) and sums[-1] >= _UNSEEN:
        for unit in set(units[widths == _UNSEEN].tolist()):
            table[unit] = width(chr(unit))
        sums = table.take(units).cumsum()
    sums = sums.tolist()
    sums.insert(0, 0)
    return sums


def _summed_snippet(line: str, sums: list, start: int, end: int, limit: int):
    """``snippet``'s (source, carets) from the running widths of the whole line
    (``_line_sums``), ``end`` as ``snippet`` made it, ``start`` at most len(line),
    ``limit`` at least 6: the same columns, cut at the same characters."""
    n = len(line)
    if sums[n] <= limit:
        lead = sums[start]
        return visible(line.replace("\t", " ")), " " * lead + "^" * max(1, sums[min(end, n)] - lead)
    # The first character of the at most ``limit // 3`` columns before the match,
    # and the last one of the ``budget`` columns shown from there.
    shown_start = bisect_left(sums, sums[start] - limit // 3, 0, start + 1)
    prefix = "..." if shown_start > 0 else ""
    budget = limit - len(prefix) - 3  # room for the closing "..."
    stop = bisect_right(sums, sums[shown_start] + budget, shown_start) - 1
    lead = sums[min(start, stop)] - sums[shown_start]
    mark = sums[min(end, stop)] - sums[shown_start] - lead
    suffix = "..." if stop < n else ""
    body = visible(line[shown_start:stop].replace("\t", " "))
    return prefix + body + suffix, " " * (lead + len(prefix)) + "^" * max(1, mark)


def _running_widths(line: str, begin: int, limit: int, forward: bool = True) -> list:
    """The running sums of the widths of the characters from ``begin`` on (or,
    not ``forward``, of those before it, from the nearest back), as far as the
    first sum past ``limit``: summed in C, half a limit's worth of characters
    at a time (a character takes a column or more, unless it is a combining
    one), not a Python step a character. The sums only grow, so how many
    characters fit in ``limit`` columns is ``bisect_right(sums, limit)``."""
    step = limit // 2 + 1
    sums: list = []
    total, i = 0, begin
    while i < len(line) if forward else i > 0:
        chunk = line[i:i + step] if forward else line[max(0, i - step):i][::-1]
        i = i + step if forward else i - step
        running = accumulate(map(width, chunk), initial=total)
        next(running)
        sums.extend(running)
        total = sums[-1]
        if total > limit:
            break
    return sums


def _fix_command(report, options, unsafe: bool) -> str:
    paths = [p for p in (getattr(options, "paths", None) or []) if p != "-"] or sorted(
        {f.path for f in report.findings if f.fixable}.union(
            path for path, (_, fixable) in report.unlisted if fixable))
    flags = "--fix --unsafe-fixes" if unsafe else "--fix"
    import shlex  # here: only a report with fixable findings needs it
    return f"dj-lint {flags} " + " ".join(shlex.quote(p) for p in paths)


def _fix_safety(report, rule: str) -> str:
    return (report.rule_info.get(rule) or {}).get("fix_safety") or "safe"


_SEVERITY, _PATH, _FIXABLE, _RULE = (attrgetter("severity"), attrgetter("path"), attrgetter("fixable"),
                                     attrgetter("rule"))


class _Tally:
    """What the summary line counts of the findings a report lists: how many of each
    severity, of each rule among the fixable ones, and the paths they are in.
    Counted as the findings are rendered (``_Renderer.lines``; under --jobs in each
    process for the files it lints, ``render_file``), not in passes over all of
    them at the serial end of a run (48,137 findings of the benchmark corpus:
    four passes in C, 15 ms). A file written already without its counts
    (``written``) is counted from its findings, in C (``count``)."""

    __slots__ = ("severities", "fixable", "paths")

    def __init__(self, findings=()):
        self.severities = dict.fromkeys(SEVERITY_NAMES, 0)
        self.fixable: dict = {}
        self.paths: set = set()
        if findings:
            self.count(findings)

    def count(self, findings) -> None:
        """Counted from ``findings`` themselves, in C (map, Counter)."""
        self.add((Counter(map(_SEVERITY, findings)),
                  Counter(map(_RULE, compress(findings, map(_FIXABLE, findings))))))
        self.paths.update(map(_PATH, findings))

    def add(self, counts: tuple, path: Optional[str] = None) -> None:
        """A file's ``counts`` (``render_file``'s: its severities, its fixable rules)."""
        severities, fixable = counts
        mine = self.severities
        for s, n in severities.items():
            mine[s] = mine.get(s, 0) + n
        mine = self.fixable
        for rule, n in fixable.items():
            mine[rule] = mine.get(rule, 0) + n
        if path is not None:
            self.paths.add(path)


def summary(report, options=None, tally: Optional[_Tally] = None) -> str:
    """The last line of a text report. ``tally``: its findings' counts, if the
    caller counted them (``chunks``); else counted here, in C (map, Counter)."""
    if tally is None:
        tally = _Tally(report.findings)
        for path, counts in report.unlisted:
            tally.add(counts, path)
    counts = tally.severities
    files = len(tally.paths)
    total = len(report.findings) + sum(sum(severities.values()) for _, (severities, _) in report.unlisted)
    if not total and report.errors:
        # Never "no problems" for a run that could not read a file.
        return f"{len(report.errors)} 个文件无法读取（见上）；已检查的 {report.files} 个文件中没有问题"
    unread = f"；{len(report.errors)} 个文件无法读取（见上）" if report.errors else ""
    if not total:
        return f"未发现问题，共检查 {report.files} 个文件{unread}"
    parts = "，".join(f"{SEVERITY_NAMES[s]} {counts[s]}" for s in ("error", "warning", "info") if counts.get(s))
    line = f"{total} 个问题（{parts}），涉及 {files} 个文件{unread}"
    rules = tally.fixable
    fixable = sum(rules.values())
    if fixable:
        unsafe = sum(n for rule, n in rules.items() if _fix_safety(report, rule) == "unsafe")
        line += f"；{fixable} 个{FIXABLE_MARK}："
        if not unsafe:
            line += _fix_command(report, options, False)
        elif unsafe == fixable:
            line += _fix_command(report, options, True)
        else:
            line += (f"{fixable - unsafe} 个用 {_fix_command(report, options, False)}，"
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


# Each file's part of a text report (the lines of all its findings: headline,
# Word place, source, carets), rendered where the file was linted while the other
# files are still being linted: under --jobs in every process for its own files
# (``render_file``), not all in this one after the last file (the serial end of
# a run: 48,137 findings on the benchmark corpus took 0.11 s to render, and
# 0.03 s more to be taken one by one from a table of rendered findings).
# ``adopt`` keeps it here as {id(the file's first finding): (its findings, the
# text, its counts for the summary)} for the style (colour, width, encoding) in _BLOCK_STYLE; ``chunks`` writes the
# text wherever the report lists exactly those findings in a row. The findings
# are kept with their text, so no id can be reused while the entry exists.
_FILES: dict = {}
_BLOCK_STYLE: list = [None]


class _Renderer:
    """The lines the text report shows for findings, in one style (``colour``,
    ``limit`` the display columns of a source line, ``concise``): the headline
    ``path:line:column: RULE [严重程度] [可修复] message``, the Word place, the source
    line and the caret line. Rendered in one loop over the findings, with what
    repeats made once: the painted parts per severity and rule, each path and
    message made visible (``_visible``), each (line, match) snippet
    (``_READY``), and each snippet's two lines with their carets painted, per
    severity (``blocks``). The 48,137 findings of the benchmark corpus took
    0.124 s with three calls and a list per finding (headline, snippet, its
    lines), 0.090 s here (rendering only, min of 7)."""

    def __init__(self, colour: bool, limit: int, concise: bool = False):
        self.colour, self.limit, self.concise = colour, limit, concise
        self.severity = {s: _paint(f"[{name}]", _COLOURS[s], colour) for s, name in SEVERITY_NAMES.items()}
        self.fixable = f" {_paint(FIXABLE_MARK, '32', colour)}"
        self.rules: dict = {}
        # (line, start, end, severity) -> its source and caret lines, indented and painted.
        self.blocks: dict = {}

    def lines(self, out: list, findings: list, i: int, sources, stop=None, batch: int = 0,
              tally: Optional[_Tally] = None) -> int:
        """Append the lines of ``findings`` from ``i`` on to ``out`` (each finding's
        source lines from ``sources``: path -> its lines, or KeptLines); stop at
        the end, before a finding in ``stop`` (the first of a file rendered
        beforehand) or, with ``batch``, after the finding that makes ``out`` hold
        ``batch`` lines. Returns where it stopped. The findings rendered are
        counted into ``tally``."""
        colour, limit, concise = self.colour, self.limit, self.concise
        severities, fixable, rules, blocks = self.severity, self.fixable, self.rules, self.blocks
        if tally is None:
            tally = _Tally()
        counts, fixes, paths = tally.severities, tally.fixable, tally.paths
        shown_get, ready_get, append = _SHOWN.get, _READY.get, out.append
        path = None
        n = len(findings)
        while i < n:
            f = findings[i]
            if stop and id(f) in stop:
                return i
            i += 1
            if f.path != path:
                path = f.path
                paths.add(path)
                shown_path = _visible(path)
                source = sources.get(path)
                count = 0 if source is None else len(source)
                kept = source.kept.get if type(source) is KeptLines else None
            rule = f.rule
            rid = rules.get(rule)
            if rid is None:
                rid = rules[rule] = _paint(rule, "1", colour)
            message = f.message
            shown = shown_get(message)
            if shown is None:
                shown = _visible(message)
            line, severity = f.line, f.severity
            if f.fixable:
                fixes[rule] = fixes.get(rule, 0) + 1
                mark = fixable
            else:
                mark = ""
            append(f"{shown_path}:{line}:{f.column}: {rid} {severities[severity]}{mark} {shown}")
            counts[severity] += 1
            if not concise:
                if f.location:
                    # A Word document: where a Word user finds it (no line numbers there).
                    append(f"{_INDENT}位置：{visible(f.location['label'])}")
                if source is not None and line - 1 < count:
                    text = kept(line - 1) if kept is not None else None
                    if text is None:
                        text = source[line - 1]
                    start = f.column - 1
                    end = f.end_column - 1 if f.end_line == line else len(text)
                    block = blocks.get((text, start, end, severity))
                    if block is None:
                        key = (text, start, end, limit)
                        ready = ready_get(key)
                        if ready is None:
                            ready = snippet(text, start, end, limit)
                            if len(_READY) < _READY_MAX:
                                _READY[key] = ready
                        snip, carets = ready
                        block = f"{_INDENT}{snip}\n{_INDENT}{_paint(carets, _COLOURS[severity], colour)}"
                        if len(blocks) < _READY_MAX:
                            blocks[(text, start, end, severity)] = block
                    append(block)
            if batch and len(out) >= batch:
                break
        return i


def render_file(findings, source, colour: bool = False, limit: Optional[int] = None,
                encoding: Optional[str] = None):
    """One file's findings as the text report shows them (``source``: its lines,
    ``colour`` and ``limit``, the width of a source line, as the report will have
    them; ``limit`` by default the terminal's now): what ``adopt`` takes, (style,
    text, counts: the file's severities and fixable rules, for the summary).
    ``encoding``: the text comes encoded (errors backslashreplace), for a report
    written as bytes (``chunks`` with ``options.report_encoding`` the same)."""
    limit = limit or source_width()
    lines: list = []
    tally = _Tally()
    if findings:
        _renderer(colour, limit).lines(lines, findings, 0, {findings[0].path: source}, tally=tally)
    text = "\n".join(lines) + "\n"
    counts = (tally.severities, tally.fixable)
    if encoding is not None:
        return (colour, limit, encoding), text.encode(encoding, "backslashreplace"), counts
    return (colour, limit, None), text, counts


def _renderer(colour: bool, limit: int) -> "_Renderer":
    renderer = _RENDERERS.get((colour, limit))
    if renderer is None:
        renderer = _RENDERERS[(colour, limit)] = _Renderer(colour, limit)
    return renderer


# render_file's renderer of each style, kept from file to file: what it made once
# (each rule's painted id, each snippet's painted lines) repeats across files. A
# renderer a file painted each rule and each snippet's carets again: on the first
# 300 benchmark corpus files under --jobs 2, 21,100 _paint calls instead of 380.
_RENDERERS: dict = {}


def adopt(findings, rendered) -> None:
    """Keep ``render_file``'s text of ``findings`` (the very objects the report
    will list) for ``chunks``; one rendered in another style (another process's
    terminal width) is not used by ``chunks``: those findings are rendered again."""
    style, text, counts = rendered
    if _BLOCK_STYLE[0] != style:
        _FILES.clear()
        _BLOCK_STYLE[0] = style
    if findings:
        _FILES[id(findings[0])] = (findings, text, counts)


def written(findings, counts: Optional[tuple] = None) -> None:
    """``findings`` (the very objects the report will list), one file's, are
    written already, as ``render_file`` gave them, where the command line wrote
    them while the other files were still being linted: ``chunks`` skips them
    wherever the report lists exactly those findings in a row, and counts them
    for the summary (``counts``, render_file's; else counted from the findings)."""
    if findings:
        _FILES[id(findings[0])] = (findings, None, counts)


def chunks(report, options=None, concise: bool = False):
    """The report in pieces (about a thousand lines, or one file's findings
    rendered beforehand), each shown as it is rendered: a large report is never
    held as one string. Joined, ``render``. With ``options.report_encoding``
    (the command line writes the report as bytes in that encoding), the
    texts of the files rendered beforehand in it come as bytes."""
    colour = bool(getattr(options, "colour", False))
    # The command line fixes the width once for a run whose files are rendered
    # as they are linted (a terminal resized meanwhile changes nothing).
    limit = getattr(options, "report_width", None) or source_width()
    lines: list = []
    shown = False
    renderer = _Renderer(colour, limit, concise)
    tally = _Tally()  # what the summary counts, of the findings as they are listed
    # Files rendered as bytes (``render_file``'s ``encoding``) only for a caller
    # that writes bytes (``options.report_encoding``): their pieces are bytes.
    style = (colour, limit, getattr(options, "report_encoding", None))
    if concise:
        files = {}
    elif _BLOCK_STYLE[0] == style:
        files = _FILES
    else:  # rendered in another style: rendered again here (what is written stays written)
        files = {key: entry for key, entry in _FILES.items() if entry[1] is None}
    for path, counts in report.unlisted:  # written as they were linted, not listed
        tally.add(counts, path)
        shown = True
    findings = report.findings
    i, n = 0, len(findings)
    while i < n:
        ready = files.pop(id(findings[i]), None) if files else None
        if ready is not None and _listed(ready[0], findings, i):
            if ready[1] is None:  # written already (``written``)
                if ready[2] is None:
                    tally.count(ready[0])
                else:
                    tally.add(ready[2], findings[i].path)
                shown = True
                i += len(ready[0])
                continue
            if lines:
                yield "\n".join(lines) + "\n"
                lines.clear()
            yield ready[1]
            tally.add(ready[2], findings[i].path)
            shown = True
            i += len(ready[0])
            continue
        # Up to the next file rendered beforehand (one popped here but not listed
        # whole, as a baseline's cut leaves it, is rendered again).
        i = renderer.lines(lines, findings, i, report.sources, files, _BATCH, tally)
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
        lines.append(summary(report, options, tally))
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
