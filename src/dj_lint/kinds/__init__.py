"""The registry of check kinds: one module per kind, one plain dict, no magic."""
from .doubled import DoubledCharKind
from .pattern import PatternKind
from .suppression import SuppressionKind
from .terms import TermsKind

KINDS = {
    "doubled_char": DoubledCharKind,
    "pattern": PatternKind,
    "suppression": SuppressionKind,
    "terms": TermsKind,
}
