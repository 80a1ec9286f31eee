"""Autofix: ``--fix``, ``--unsafe-fixes`` and ``--diff``.

A rule declares ``fix: {action, safety}``; this module turns its findings into
edits and writes the file back without changing anything else:

* ``replace`` puts the finding's suggestion in place of its span (a finding
  without a suggestion, or whose suggestion equals its text, is not fixable);
  ``delete`` removes the span; ``delete-line`` removes the whole line(s)
  holding the span with their line terminator. Adjacent deleted lines are
  merged into one block. So that no gap is left behind, a block whose last
  line has no terminator takes the preceding line break instead, and a block
  with a blank line (or the start of the file) before it and a blank line
  after it also takes that one following blank line; a block at the end of
  the file after a blank line takes that preceding blank line.
* Edits are planned on ``Document.text`` (newline-normalised), sorted by
  (start, rule id, end, replacement); an edit overlapping one already
  accepted is left for the next round. Rounds repeat (re-linting each time,
  since a fix may reveal another finding) until nothing is left to fix, at
  most ``MAX_ROUNDS`` times, so one run converges and a second run is a no-op.
* Edits are applied to ``Document.original`` through original offsets, a
  ``\\n`` in a replacement becomes the file's own line break, and the text is
  encoded with the file's codec and ``surrogateescape`` (undecodable bytes
  survive) behind the same BOM. A file whose unchanged text would not encode
  back to its exact bytes is never written. The write is atomic: a temporary
  file in the same directory, fsync, the original's mode, then ``os.replace``.
  A file with nothing to fix is not opened for writing at all.
"""
from __future__ import annotations

import difflib
import errno
import os
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ..text.document import BinaryInput, Document, InputError

MAX_ROUNDS = 20


# -- which findings carry a fix --------------------------------------------
def is_fixable(rule, suggestion: Optional[str], matched: str) -> bool:
    """Whether a hit of ``rule`` with this suggestion has a fix that changes the text."""
    fix = getattr(rule, "fix", None)
    if not fix:
        return False
    if fix.get("action") == "replace":
        return suggestion is not None and suggestion != matched
    # Deleting nothing changes nothing; delete-line removes the line even then.
    return bool(matched) or fix.get("action") == "delete-line"


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` (normalised offsets) with ``replacement``."""
    start: int
    end: int
    replacement: str
    rule: str          # the smallest rule id among the findings it fixes
    count: int = 1     # how many findings it fixes

    def key(self):
        return (self.start, self.rule, self.end, self.replacement)


@dataclass
class Round:
    doc: Document          # the document the edits apply to
    findings: list         # its findings
    edits: List[Edit]      # the accepted edits, sorted by start


@dataclass
class FixResult:
    doc: Document                      # the fixed document (the input if nothing applied)
    findings: list                     # findings remaining on ``doc``
    rounds: List[Round] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)   # fixes skipped, and why
    converged: bool = True

    @property
    def applied(self) -> int:
        return sum(e.count for r in self.rounds for e in r.edits)

    @property
    def initial_findings(self) -> list:
        return self.rounds[0].findings if self.rounds else self.findings

    @property
    def changed(self) -> bool:
        return self.doc.original != (self.rounds[0].doc.original if self.rounds else self.doc.original)


# -- planning --------------------------------------------------------------
def _line_end(text: str, pos: int) -> int:
    """End of the line starting at or holding ``pos``, including its ``\\n``."""
    nl = text.find("\n", pos)
    return len(text) if nl == -1 else nl + 1


def _blank(text: str, start: int, end: int) -> bool:
    return not text[start:end].strip()


def _line_block(doc: Document, start: int, end: int) -> Tuple[int, int]:
    """Whole lines holding [start, end), with the last line's terminator."""
    ls = doc.line_span(start)[0]
    return ls, _line_end(doc.text, doc.line_span(max(start, end - 1))[0])


def _settle_block(text: str, ls: int, le: int) -> Tuple[int, int]:
    """Widen a deleted block so it leaves no stray line break or doubled blank line."""
    if le == len(text) and not text.endswith("\n"):
        # Last line without terminator: take the line break before it instead.
        return max(0, ls - 1), le
    prev = text.rfind("\n", 0, max(0, ls - 1)) + 1 if ls else 0
    before_blank = ls == 0 or _blank(text, prev, ls)
    if le < len(text):
        nxt = _line_end(text, le)
        if before_blank and _blank(text, le, nxt) and text[nxt - 1:nxt] == "\n":
            return ls, nxt
    elif ls and before_blank:
        return prev, le
    return ls, le


def _delete_line_edits(text: str, blocks: List[Tuple[int, int, str]]) -> List[Edit]:
    merged: List[List] = []
    for ls, le, rid in sorted(blocks):
        if merged and ls <= merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], le)
            last[2] = min(last[2], rid)
            last[3] += 1
        else:
            merged.append([ls, le, rid, 1])
    out = []
    for ls, le, rid, count in merged:
        s, e = _settle_block(text, ls, le)
        out.append(Edit(s, e, "", rid, count))
    return out


def _encodable(doc: Document, s: str) -> bool:
    try:
        s.encode(doc.encoding, "surrogateescape")
        return True
    except (UnicodeError, LookupError):
        return False


def plan(doc: Document, findings, rules: Dict[str, object], unsafe: bool = False,
         notes: Optional[List[str]] = None) -> List[Edit]:
    """The non-overlapping edits that fix ``findings`` on ``doc``, sorted by start."""
    candidates: List[Edit] = []
    blocks: List[Tuple[int, int, str]] = []
    for f in findings:
        rule = rules.get(f.rule)
        if not f.fixable or rule is None or not rule.fix:
            continue
        if rule.fix.get("safety", "safe") == "unsafe" and not unsafe:
            continue
        action = rule.fix.get("action")
        if action == "delete-line":
            blocks.append((*_line_block(doc, f.start, f.end), f.rule))
            continue
        repl = f.suggestion if action == "replace" else ""
        if not _encodable(doc, repl):
            if notes is not None:
                msg = (f"{f.path}:{f.line}:{f.column}: {f.rule} 的修复文本“{repl}”"
                       f"无法用 {doc.encoding} 编码，已跳过该修复")
                if msg not in notes:
                    notes.append(msg)
            continue
        candidates.append(Edit(f.start, f.end, repl, f.rule))
    candidates.extend(_delete_line_edits(doc.text, blocks))
    # In (start, rule id) order, an edit overlapping one already taken waits for the
    # next round; so does one starting where the last one starts (two insertions at
    # one point have no order). One pass: every edit taken starts at or before this one.
    accepted: List[Edit] = []
    reach, last_start = -1, None
    for edit in sorted(candidates, key=Edit.key):
        if edit.start < reach or edit.start == last_start:
            continue
        accepted.append(edit)
        reach, last_start = max(reach, edit.end), edit.start
    return accepted


# -- applying --------------------------------------------------------------
def apply(doc: Document, edits: List[Edit]) -> Document:
    """A new Document: ``edits`` applied to the original text, nothing else changed."""
    newline = doc.newline or "\n"
    parts, pos = [], 0
    for e in sorted(edits, key=Edit.key):
        s, t = doc.original_offset(e.start), doc.original_offset(e.end, e.end > e.start)
        parts.append(doc.original[pos:s])
        parts.append(e.replacement.replace("\n", newline) if newline != "\n" else e.replacement)
        pos = t
    parts.append(doc.original[pos:])
    new = Document("".join(parts), path=doc.path, encoding=doc.encoding, bom=doc.bom)
    return new


def fix_document(doc: Document, linter, unsafe: bool = False,
                 max_rounds: int = MAX_ROUNDS) -> FixResult:
    """Lint, fix, re-lint until nothing fixable is left (or ``max_rounds``)."""
    rules = _rules_for(linter, doc.path)
    result = FixResult(doc, [])
    seen = {doc.original}
    current = doc
    for _ in range(max_rounds):
        findings = linter.lint(current)
        edits = plan(current, findings, rules, unsafe, result.notes)
        if not edits:
            result.doc, result.findings = current, findings
            return result
        result.rounds.append(Round(current, findings, edits))
        current = apply(current, edits)
        if current.original in seen:  # two fixes undoing each other
            break
        seen.add(current.original)
    result.doc, result.findings = current, linter.lint(current)
    result.converged = False
    result.notes.append(f"{doc.path}: 修复在 {len(result.rounds)} 轮后仍未收敛，请检查规则的修复是否互相冲突")
    return result


def _rules_for(linter, path: str) -> dict:
    """The rules that lint ``path``: with a configuration, those of its own Linter."""
    resolver = getattr(linter, "resolver", None)
    found = resolver.linter_for(path).rules if resolver is not None else linter.rules
    return {r.id: r for r in found}


# -- writing ---------------------------------------------------------------
class WriteError(Exception):
    """A fixed file that could not be written back; str() is one line."""


_REASONS = {
    errno.EACCES: "没有写权限", errno.EPERM: "不允许写入（只读或不可变）",
    errno.EROFS: "文件系统只读", errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额",
}


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno, exc.strerror or str(exc))


def encode(doc: Document) -> bytes:
    return doc.bom + doc.original.encode(doc.encoding, "surrogateescape")


def fixed_bytes(before: Document, after: Document) -> bytes:
    """The bytes to write, after checking the unchanged text would round-trip exactly."""
    if getattr(before, "source_format", "text") != "text" or before.raw is None:
        raise WriteError("只能修复纯文本文件，未改动")
    try:
        same = encode(before) == before.raw
    except UnicodeError:
        same = False
    if not same:
        raise WriteError(f"无法按 {before.encoding} 逐字节写回原文，未改动")
    try:
        return encode(after)
    except UnicodeError:
        raise WriteError(f"修复后的文本无法用 {before.encoding} 编码，未改动") from None


def write_atomic(path: str, data: bytes, expected: Optional[bytes] = None) -> None:
    """Replace ``path``'s content with ``data`` atomically, keeping its mode.

    ``expected`` is the content read at lint time: a file changed since then
    (an editor saved it) is left alone rather than overwritten.
    """
    target = os.path.realpath(path)  # write through a symlink, never replace it
    directory = os.path.dirname(target) or "."
    try:
        st = os.stat(target)
        if expected is not None:
            with open(target, "rb") as fh:
                if fh.read() != expected:
                    raise WriteError("文件在检查期间被修改，未写回")
        if not os.access(target, os.W_OK):
            # os.replace would bypass a read-only file's mode; honour it instead.
            raise WriteError("无法写回：文件不可写（只读或不可变），原文件未改动")
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".",
                                   suffix=".dj-lint.tmp", dir=directory)
    except OSError as exc:
        raise WriteError(f"无法写回：{_reason(exc)}，原文件未改动") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except OSError:
            pass  # only root may give a file away; the mode is what matters
        os.replace(tmp, target)
    except OSError as exc:
        _unlink(tmp)
        raise WriteError(f"无法写回：{_reason(exc)}，原文件未改动") from None
    except BaseException:
        _unlink(tmp)
        raise
    _fsync_dir(directory)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- diff ------------------------------------------------------------------
def _lines(text: str) -> List[str]:
    # Split at \n only: str.splitlines also breaks at \x0b, \u2028 ...
    lines = text.split("\n")
    out = [l + "\n" for l in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of two normalised texts, with a/ and b/ file headers."""
    name = path.lstrip("/")
    out = []
    for line in difflib.unified_diff(_lines(before), _lines(after), f"a/{name}", f"b/{name}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


# -- the command -----------------------------------------------------------
def run_fix(paths: List[str], linter, args) -> int:
    """``--fix`` / ``--diff`` over ``paths``; returns the exit code."""
    from .. import __version__
    from ..cli.main import (EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, UsageError, apply_baseline,
                      load_document, use_colour, write_output)
    from ..model.findings import SEVERITY_RANK, FileError, Report
    from ..reporters import REPORTERS

    if not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes 只能与 --fix 或 --diff 一起使用")
    if getattr(args, "write_baseline", None):
        raise UsageError("--write-baseline 不能与 --fix 或 --diff 同时使用")
    to_stdout = args.fix and not args.diff and "-" in paths
    if to_stdout and len(paths) > 1:
        raise UsageError("--fix 从标准输入读取时只能处理这一个输入（修复后的文本写到标准输出）")
    ctx = linter.ctx
    resolver = getattr(linter, "resolver", None)
    findings, errors, sources, files, shown = [], [], {}, 0, []
    fixed_total, fixed_files, diffs = 0, 0, []
    for path in paths:
        try:
            doc = load_document(path, args)
        except BinaryInput as exc:
            ctx.warn(f"{path}: {exc}")
            continue
        except InputError as exc:
            errors.append(FileError(path, str(exc)))
            continue
        files += 1
        shown.append(doc.path)
        result, changed = _fix_one(path, doc, linter, args, errors, diffs)
        for note in result.notes:
            ctx.warn(note)
        remaining = result.findings if changed else result.initial_findings
        if changed:
            fixed_total += result.applied
            fixed_files += 1
            if not args.diff:
                sys.stderr.write(f"dj-lint: {doc.path}：已修复 {result.applied} 处\n")
        if remaining:
            findings.extend(remaining)
            sources[doc.path] = (result.doc if changed else doc).source_lines
    output = getattr(args, "output", None)
    if args.diff:
        write_output("".join(diffs), output)
        sys.stderr.write(f"dj-lint: 可自动修复 {fixed_total} 处（{fixed_files} 个文件），"
                         "未改动任何文件\n")
    else:
        findings.sort(key=lambda f: f.sort_key())
        if getattr(args, "baseline", None):
            findings = apply_baseline(findings, sources, args)
        report = Report(findings=findings, errors=errors, files=files,
                        as_of=_as_of(linter, args, paths).isoformat(), version=__version__,
                        sources=sources, warnings=ctx.warnings, paths=shown,
                        rule_info=resolver.rule_info() if resolver is not None else {})
        args.colour = args.format == "text" and not to_stdout and not output and use_colour()
        text = REPORTERS[args.format](report, args)
        if to_stdout and not output:
            sys.stderr.write(text)  # stdout carries the fixed text
        else:
            write_output(text, output)
        sys.stderr.write(f"dj-lint: 共自动修复 {fixed_total} 处（{fixed_files} 个文件）\n")
        if not args.unsafe_fixes:
            rules = {r.id: r for r in linter.rules}
            unsafe = sum(1 for f in findings if f.fixable and f.rule in rules
                         and rules[f.rule].fix.get("safety", "safe") == "unsafe")
            if unsafe:
                sys.stderr.write(f"dj-lint: 另有 {unsafe} 处可用 --fix --unsafe-fixes 修复（请先用 --diff 查看）\n")
    for w in ctx.warnings:
        sys.stderr.write(f"dj-lint: 警告：{w}\n")
    if errors:
        return EXIT_USAGE
    if args.diff:
        return EXIT_FINDINGS if fixed_files else EXIT_CLEAN
    # fail_on may differ per file (configuration): each finding meets its own threshold.
    fail_on = resolver.fail_on if resolver is not None else (lambda path: args.fail_on or "info")
    if any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on(f.path)] for f in findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _as_of(linter, args, paths):
    if getattr(args, "as_of", None):
        return args.as_of
    resolver = getattr(linter, "resolver", None)
    if resolver is not None and paths:
        return resolver.settings(paths[0])[0].as_of
    return linter.ctx.as_of


def _fix_one(path: str, doc: Document, linter, args, errors: list, diffs: list):
    """Fix one document; returns (result, changed): ``changed`` is True when the
    fixed text was written (or, with --diff, would be)."""
    from ..model.findings import FileError

    if getattr(doc, "source_format", "text") != "text":
        # A Word file's text model is not its bytes: report, never rewrite.
        found = linter.lint(doc)
        if any(f.fixable for f in found):
            linter.ctx.warn(f"{doc.path}: 只有纯文本文件能自动修复，Word 文件中的问题请手工修改")
        return FixResult(doc, found), False
    result = fix_document(doc, linter, unsafe=args.unsafe_fixes)
    data = doc.raw
    if result.changed:
        try:
            data = fixed_bytes(doc, result.doc)
        except WriteError as exc:
            errors.append(FileError(doc.path, str(exc)))
            return result, False
    if args.diff:
        if result.changed:
            diffs.append(unified_diff(doc.path, doc.source, result.doc.source))
        return result, result.changed
    if path == "-":
        # Like ruff: the (fixed) text goes to stdout, even when nothing changed.
        sys.stdout.flush()
        sys.stdout.buffer.write(data if data is not None else encode(doc))
        sys.stdout.buffer.flush()
        return result, result.changed
    if not result.changed:
        return result, False
    try:
        write_atomic(path, data, expected=doc.raw)
    except WriteError as exc:
        errors.append(FileError(doc.path, str(exc)))
        return result, False
    return result, True
