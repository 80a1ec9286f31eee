"""Layer 6, engine: runs the checks over a Document, then suppression, dedupe and the cap."""
from .linter import Context, Linter, lint_text, matches_selector, select_rules, shipped_rules

__all__ = ["Context", "Linter", "lint_text", "matches_selector", "select_rules", "shipped_rules"]
