"""Findings of category `copy` and the per-pair summary, from a run's Result."""
from __future__ import annotations

from functools import lru_cache
from typing import Dict, List, Tuple

from ...model.findings import Finding
from ...text.data import shipped_data
from ...text.oserrors import os_reason
from .normalise import normalise_phrase
from .pipeline import Span

_LABEL = "rules/data/copy.yaml"
_RULE_FIELDS = {"id", "name", "category", "severity", "message", "description", "source"}


class DataError(Exception):
    """rules/data/copy.yaml or a --boilerplate file is malformed (exit 2)."""


def _read(path: str, label: str):
    import yaml
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except OSError as exc:
        raise DataError(f"{label}: 无法读取：{os_reason(exc)}") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{label}: YAML 格式错误：{exc}") from None


def _phrases(items, label: str) -> List[str]:
    if not isinstance(items, list):
        raise DataError(f"{label}: boilerplate should be a list")
    out = []
    for i, item in enumerate(items):
        text = item.get("text") if isinstance(item, dict) else item
        if not isinstance(text, str) or not text.strip():
            raise DataError(f"{label}: boilerplate[{i}]: needs a non-empty 'text'")
        if isinstance(item, dict) and set(item) - {"text", "source"}:
            raise DataError(f"{label}: boilerplate[{i}]: unknown field '{sorted(set(item) - {'text', 'source'})[0]}'")
        phrase = normalise_phrase(text)
        if phrase:
            out.append(phrase)
    return out


@lru_cache(maxsize=1)
def shipped() -> Tuple[Dict[str, dict], Tuple[str, ...]]:
    """(rules by id, normalised boilerplate phrases) of rules/data/copy.yaml."""
    data = _read(shipped_data("copy.yaml"), _LABEL)
    if not isinstance(data, dict) or set(data) != {"rules", "boilerplate"}:
        raise DataError(f"{_LABEL}: should be a mapping with 'rules' and 'boilerplate'")
    rules = {}
    for rule in data["rules"]:
        unknown = set(rule) - _RULE_FIELDS
        if unknown:
            raise DataError(f"{_LABEL}: {rule.get('id')}: unknown field '{sorted(unknown)[0]}'")
        rules[rule["id"]] = dict(rule)
    return rules, tuple(_phrases(data["boilerplate"], _LABEL))


def user_boilerplate(path: str) -> Tuple[str, ...]:
    data = _read(path, path)
    return tuple(_phrases(data or [], path))


def rule_info() -> Dict[str, dict]:
    return {rid: dict(r) for rid, r in shipped()[0].items()}


def _where(path: str, s: Span) -> dict:
    return {"path": path, "line": s.line, "column": s.column,
            "end_line": s.end_line, "end_column": s.end_column}


def _finding(rule: dict, path: str, here: Span, other_path: str, there: Span,
             length: int, share: float) -> Finding:
    related = _where(other_path, there)
    fields = {"length": length, "related": f"{other_path}:{there.line}:{there.column}",
              "share": f"{share:.0%}"}
    return Finding(
        path=path, line=here.line, column=here.column, end_line=here.end_line,
        end_column=here.end_column, rule=rule["id"], name=rule["name"], category=rule["category"],
        severity=rule["severity"], message=rule["message"].format(**fields), text=here.text,
        start=here.start, end=here.end, related=related,
    )


def _clusters(pairs: List[Tuple[int, int]], n: int) -> List[List[int]]:
    parent = list(range(n))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: Dict[int, List[int]] = {}
    for a, b in pairs:
        for i in (a, b):
            groups.setdefault(root(i), [])
    for i in range(n):
        if root(i) in groups:
            groups[root(i)].append(i)
    return sorted(groups.values())


def build(result, opts) -> Tuple[List[Finding], dict]:
    """(findings, summary) of the pairs that pass --min-share."""
    rules = shipped()[0]
    docs = result.docs
    findings, pairs, kept = [], [], []
    for r in result.pairs:
        if max(r.share_a, r.share_b) < opts.min_share:
            continue
        da, db = docs[r.a], docs[r.b]
        kept.append((r.a, r.b))
        pairs.append({
            "a": da.path, "b": db.path, "reference": da.reference or db.reference,
            "share_a": round(r.share_a, 4), "share_b": round(r.share_b, 4),
            "passages": len(r.passages), "characters": sum(n for _, _, n in r.passages),
        })
        for sa, sb, n in r.passages:
            for this, here, other, there, share in ((da, sa, db, sb, r.share_a), (db, sb, da, sa, r.share_b)):
                if this.reference:
                    continue  # a reference collection is the known source, not under review
                rule = rules["DJ051" if other.reference else "DJ050"]
                findings.append(_finding(rule, this.path, here, other.path, there, n, share))
    findings.sort(key=lambda f: (f.sort_key(), f.related["path"], f.related["line"], f.related["column"]))
    summary = {
        "documents": sum(1 for d in docs if not d.reference and d.error is None and d.warning is None),
        "references": sum(1 for d in docs if d.reference and d.error is None and d.warning is None),
        "candidates": result.candidates,
        "min_length": opts.min_len,
        "min_share": opts.min_share,
        "pairs": pairs,
        "clusters": [[docs[i].path for i in c] for c in _clusters(kept, len(docs))],
    }
    return findings, summary
