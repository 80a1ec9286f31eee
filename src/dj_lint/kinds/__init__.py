"""The registry of check kinds: one module per kind, one plain dict, no magic."""
from .pattern import PatternKind
from .suppression import SuppressionKind
from .terms import TermsKind

KINDS = {
    "pattern": PatternKind,
    "suppression": SuppressionKind,
    "terms": TermsKind,
}
