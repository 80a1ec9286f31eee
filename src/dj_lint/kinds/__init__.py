"""The registry of check kinds: one module per kind, one plain dict, no magic."""
from .pattern import PatternKind
from .terms import TermsKind

KINDS = {
    "pattern": PatternKind,
    "terms": TermsKind,
}
