"""Which findings carry a fix (the fix itself is planned in app/fix.py)."""
from __future__ import annotations

from typing import Optional


def is_fixable(rule, suggestion: Optional[str], matched: str) -> bool:
    """Whether a hit of ``rule`` with this suggestion has a fix that changes the text."""
    fix = getattr(rule, "fix", None)
    if not fix:
        return False
    if fix.get("action") == "replace":
        return suggestion is not None and suggestion != matched
    # Deleting nothing changes nothing; delete-line removes the line even then.
    return bool(matched) or fix.get("action") == "delete-line"
