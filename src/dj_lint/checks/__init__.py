"""The registry of check kinds: one module per kind, one plain dict, no magic."""
from .brokenline import BrokenLineKind
from .brokenname import BrokenNameKind
from .byteshift import ByteShiftKind
from .cndate import CnDateKind
from .datecheck import DateCheckKind
from .doubled import DoubledCharKind
from .elided import ElidedNumberKind
from .enumeration import EnumerationKind
from .furniture import FurnitureLineKind
from .hardwrap import HardWrapKind
from .fuzzyname import FuzzyNameKind
from .halfwidth import HalfwidthKind
from .intendedblanks import IntendedBlanksKind
from .lettermask import LetterMaskKind
from .lineblock import LineBlockKind
from .nearmiss import NearMissKind
from .numbering import NumberingKind
from .obsolete import ObsoleteKind
from .pairs import PairsKind
from .pattern import PatternKind
from .personal import PersonalNumberKind
from .sections import SectionsKind
from .spam import JammerKind, SpamTermsKind
from .selfspelling import SelfSpellingKind
from .starrun import StarRunKind
from .suppression import SuppressionKind
from .swappedword import SwappedWordKind
from .terms import TermsKind
from .timeclaims import TimeClaimKind
from .titleecho import TitleEchoKind
from .traditional import ScriptVariantKind
from .titlerepeat import TitleRepeatKind

KINDS = {
    "brokenline": BrokenLineKind,
    "broken_name": BrokenNameKind,
    "byteshift": ByteShiftKind,
    "cndate": CnDateKind,
    "date_check": DateCheckKind,
    "doubled_char": DoubledCharKind,
    "elided_number": ElidedNumberKind,
    "enumeration": EnumerationKind,
    "furniture_line": FurnitureLineKind,
    "fuzzy_name": FuzzyNameKind,
    "halfwidth": HalfwidthKind,
    "hardwrap": HardWrapKind,
    "intended_blanks": IntendedBlanksKind,
    "letter_mask": LetterMaskKind,
    "jammer": JammerKind,
    "line_block": LineBlockKind,
    "near_miss": NearMissKind,
    "numbering": NumberingKind,
    "obsolete": ObsoleteKind,
    "pairs": PairsKind,
    "pattern": PatternKind,
    "personal_number": PersonalNumberKind,
    "script_variant": ScriptVariantKind,
    "self_spelling": SelfSpellingKind,
    "sections": SectionsKind,
    "spam_terms": SpamTermsKind,
    "star_run": StarRunKind,
    "suppression": SuppressionKind,
    "swapped_word": SwappedWordKind,
    "terms": TermsKind,
    "time_claim": TimeClaimKind,
    "title_echo": TitleEchoKind,
    "title_repeat": TitleRepeatKind,
}
