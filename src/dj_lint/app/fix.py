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
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ..text.document import Document
from ..model.findings import FileError
from .atomic import WriteError, write_atomic

MAX_ROUNDS = 20


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
        # Every fixable finding, whatever --max-per-rule: one run fixes them all.
        findings = linter.lint(current, keep_fixable=True)
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


# -- one file ---------------------------------------------------------------
def fix_one(path: str, doc: Document, linter, args, errors: list, diffs: list):
    """Fix one document; returns (result, changed): ``changed`` is True when the
    fixed text was written (or, with --diff, would be)."""
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
    notes: list = []
    try:
        write_atomic(path, data, expected=doc.raw, notes=notes)
    except WriteError as exc:
        errors.append(FileError(doc.path, str(exc)))
        return result, False
    for line in notes:  # hard links left on the old content, xattrs not kept
        linter.ctx.warn(line)
    return result, True
