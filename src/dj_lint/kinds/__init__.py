"""The registry of check kinds: one module per kind, one plain dict, no magic."""
from .byteshift import ByteShiftKind
from .doubled import DoubledCharKind
from .enumeration import EnumerationKind
from .lineblock import LineBlockKind
from .numbering import NumberingKind
from .obsolete import ObsoleteKind
from .pattern import PatternKind
from .sections import SectionsKind
from .starrun import StarRunKind
from .suppression import SuppressionKind
from .terms import TermsKind
from .titleecho import TitleEchoKind

KINDS = {
    "byteshift": ByteShiftKind,
    "doubled_char": DoubledCharKind,
    "enumeration": EnumerationKind,
    "line_block": LineBlockKind,
    "numbering": NumberingKind,
    "obsolete": ObsoleteKind,
    "pattern": PatternKind,
    "sections": SectionsKind,
    "star_run": StarRunKind,
    "suppression": SuppressionKind,
    "terms": TermsKind,
    "title_echo": TitleEchoKind,
}
