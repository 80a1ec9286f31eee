"""Rule objects: the validated form of one rule from a pack (see packs/loader.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


class RuleError(Exception):
    """A broken rule file. str() is the one line shown to the user."""


def check_template(template: str, field_name: str, allowed) -> None:
    """Refuse a ``str.format`` template of a rule (its ``message``, a kind's
    ``hint``) that would fail or misbehave when a finding fills it: braces out
    of balance, a placeholder not in ``allowed``, or one with a format spec
    ({text:>1000000000} would expand every finding without bound) or a
    conversion (!r shows Python's repr)."""
    import string
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise RuleError(f"field '{field_name}': {exc}") from None
    names = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion:
            raise RuleError(f"field '{field_name}': placeholder '{{{name}}}' may not carry a format spec or conversion")
        names.append(name)
    for name in names:
        if name not in allowed:
            raise RuleError(f"field '{field_name}': unknown placeholder '{{{name}}}'")


# Fields every rule may carry, with their type checks.
COMMON_FIELDS = {
    "id": str, "name": str, "category": str, "severity": str, "message": str,
    "kind": str, "description": str, "source": str, "examples": dict,
    "enabled": bool, "fix": dict, "tags": list, "same_span_defer_to": list,
}
REQUIRED_FIELDS = ("id", "name", "category", "severity", "message", "kind", "examples")
FIX_ACTIONS = ("replace", "delete", "delete-line")
FIX_SAFETY = ("safe", "unsafe")
# These need a human: a blank to fill, a masked word, a missing section, an outdated slogan.
NEVER_FIXED = ("placeholder", "mask", "structure", "obsolete")


@dataclass
class Rule:
    id: str
    name: str
    category: str
    severity: str
    message: str
    kind: str
    options: Dict[str, Any]
    examples: Dict[str, Any]
    origin: str = "<memory>"
    description: str = ""
    source: str = ""
    enabled: bool = True
    fix: Optional[Dict[str, Any]] = None
    tags: List[str] = field(default_factory=list)
    # Categories or rule ids this rule's finding gives way to when one of theirs
    # has exactly the same span (engine/linter.py, after every kind has checked).
    same_span_defer_to: List[str] = field(default_factory=list)

    def __hash__(self):
        return hash(self.id)

    def __eq__(self, other):
        return isinstance(other, Rule) and other.id == self.id

    @property
    def fixable(self) -> bool:
        return bool(self.fix)
