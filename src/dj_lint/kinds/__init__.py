"""The registry of check kinds: one module per kind, one plain dict, no magic."""
from .doubled import DoubledCharKind
from .enumeration import EnumerationKind
from .numbering import NumberingKind
from .obsolete import ObsoleteKind
from .pattern import PatternKind
from .sections import SectionsKind
from .suppression import SuppressionKind
from .terms import TermsKind

KINDS = {
    "doubled_char": DoubledCharKind,
    "enumeration": EnumerationKind,
    "numbering": NumberingKind,
    "obsolete": ObsoleteKind,
    "pattern": PatternKind,
    "sections": SectionsKind,
    "suppression": SuppressionKind,
    "terms": TermsKind,
}
