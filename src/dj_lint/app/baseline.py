"""Baselines: accept today's findings, report only new ones.

An entry is keyed by file, rule, matched text and a few characters either
side of the match, never by line number, so inserting lines above a finding
does not resurrect it. Identical entries are counted: with two accepted
`____年` blanks in one sentence context, a third is new, and after one is
fixed only one stays accepted.

The file is JSON, sorted, one key per line, so a change to it reads well in
a diff. Paths are stored relative to the baseline file's folder, so the
baseline works from any working directory.
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from typing import Dict, List, Optional, Tuple

from ..text.oserrors import os_reason
from ..text.safe_read import read_regular

CONTEXT = 8  # characters kept on each side of the match
FORMAT_VERSION = 1


class BaselineError(Exception):
    """An unreadable or malformed baseline file (exit 2)."""


Key = Tuple[str, str, str, str, str]  # path, rule, text, before, after


def context(finding, lines: Optional[List[str]]) -> Tuple[str, str]:
    """Up to CONTEXT characters before and after the finding, within its lines."""
    if not lines or finding.line - 1 >= len(lines):
        return "", ""
    first = lines[finding.line - 1]
    last = lines[finding.end_line - 1] if finding.end_line - 1 < len(lines) else ""
    start, end = finding.column - 1, finding.end_column - 1
    return first[max(0, start - CONTEXT):start], last[end:end + CONTEXT]


def rel_path(path: str, root: str) -> str:
    """``path`` relative to ``root`` with forward slashes (stdin names stay as they are)."""
    if path.startswith("<"):
        return path
    rel = os.path.relpath(os.path.abspath(path), root)
    return (os.path.abspath(path) if rel.startswith("..") else rel).replace(os.sep, "/")


def key(finding, lines, root: str) -> Key:
    before, after = context(finding, lines)
    return (rel_path(finding.path, root), finding.rule, finding.text, before, after)


def fingerprint(finding, lines, root: str = ".", occurrence: int = 0) -> str:
    """A stable id for a finding (GitLab, SARIF): the baseline key plus which
    occurrence of that key it is, hashed."""
    import json  # here: only --baseline, GitLab and SARIF reports need it (5 M instructions a start)
    raw = json.dumps([*key(finding, lines, os.path.abspath(root)), occurrence], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def fingerprints(findings, sources, root: str = ".") -> List[str]:
    """fingerprint() of each finding, numbering repeated keys in order."""
    seen: Counter = Counter()
    out = []
    for f in findings:
        k = key(f, sources.get(f.path), os.path.abspath(root))
        out.append(fingerprint(f, sources.get(f.path), root, seen[k]))
        seen[k] += 1
    return out


# -- file ---------------------------------------------------------------------
def render(findings, sources, baseline_path: str) -> str:
    root = os.path.dirname(os.path.abspath(baseline_path))
    counts = Counter(key(f, sources.get(f.path), root) for f in findings)
    entries = [{"path": p, "rule": r, "text": t, "before": b, "after": a, "count": n}
               for (p, r, t, b, a), n in sorted(counts.items())]
    doc = {"tool": "dj-lint", "version": FORMAT_VERSION, "entries": entries}
    import json
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def load(baseline_path: str) -> Dict[Key, int]:
    import json
    try:
        doc = json.loads(read_regular(baseline_path).decode("utf-8", "surrogateescape"))
    except RecursionError:
        raise BaselineError(f"{baseline_path}: 基线文件嵌套层数过多，不是 dj-lint 的基线文件") from None
    except FileNotFoundError:
        raise BaselineError(f"{baseline_path}: 基线文件不存在（先用 --write-baseline 生成）") from None
    except OSError as exc:
        raise BaselineError(f"{baseline_path}: 无法读取基线文件：{os_reason(exc)}") from None
    except ValueError as exc:
        raise BaselineError(f"{baseline_path}: 不是 dj-lint 的基线文件（JSON 格式错误：第 "
                            f"{getattr(exc, 'lineno', '?')} 行）") from None
    if not isinstance(doc, dict) or doc.get("tool") != "dj-lint" \
            or not isinstance(doc.get("entries"), list):
        raise BaselineError(f"{baseline_path}: 不是 dj-lint 的基线文件")
    out: Dict[Key, int] = {}
    for i, e in enumerate(doc["entries"]):
        try:
            k = (e["path"], e["rule"], e["text"], e["before"], e["after"])
            if not all(isinstance(x, str) for x in k) or not isinstance(e["count"], int):
                raise TypeError
        except (KeyError, TypeError):
            raise BaselineError(f"{baseline_path}: entries[{i}] 缺少或写错了字段"
                                "（path、rule、text、before、after、count）") from None
        out[k] = out.get(k, 0) + e["count"]
    return out


def filter_new(findings, sources, accepted: Dict[Key, int], baseline_path: str, linted=None):
    """(new findings, number of accepted entries that no longer occur).

    Only entries of the ``linted`` files count as gone: pre-commit lints just
    the changed files, and the others' entries have not gone anywhere."""
    root = os.path.dirname(os.path.abspath(baseline_path))
    left = dict(accepted)
    new = []
    for f in findings:
        k = key(f, sources.get(f.path), root)
        if left.get(k, 0) > 0:
            left[k] -= 1
        else:
            new.append(f)
    seen = None if linted is None else {rel_path(p, root) for p in linted}
    return new, sum(n for k, n in left.items() if seen is None or k[0] in seen)
