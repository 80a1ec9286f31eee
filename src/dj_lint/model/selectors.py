"""Rule selectors (--select, --ignore, suppression comments, configuration)."""
from __future__ import annotations

from typing import Iterable, List, Sequence

from .findings import CATEGORIES
from .rules import Rule


def matches_selector(rule: Rule, selector: str) -> bool:
    """A selector is a category, a rule id, a rule name, or an id prefix (DJ2)."""
    return (selector == rule.category or selector == rule.id or selector == rule.name
            or (selector not in CATEGORIES and rule.id.startswith(selector)))


def select_rules(rules: Iterable[Rule], select: Sequence[str] = (),
                 ignore: Sequence[str] = ()) -> List[Rule]:
    out = []
    for r in rules:
        if not r.enabled:
            continue
        if select and not any(matches_selector(r, s) for s in select):
            continue
        if any(matches_selector(r, s) for s in ignore):
            continue
        out.append(r)
    return out
