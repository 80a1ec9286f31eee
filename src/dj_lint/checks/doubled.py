"""kind: doubled_char — a Han character typed twice by mistake (``教育系系统``).

Chinese is full of legitimate doubles: reduplication (常常、看看、谢谢、人人),
AABB forms (干干净净), measure-word chains (一个个), and two words that merely
meet on the same character (工作|作风、大学|学生、教研组|组长). So a candidate
``AA`` is reported only when the jieba dictionary says the double makes no sense:

1. the exact context is on the rule's ``allow`` list (YAML) — skipped without
   loading jieba, so the frequent reduplications cost nothing;
2. ``AABB`` / ``AA`` inside a run of doubles is skipped, numerals are skipped;
3. jieba segments the clause (only around the candidate); if one token holds
   both characters the double is a word and is left alone;
4. otherwise it is reported when
   - both halves are one-character tokens and the character is one of the
     rule's ``slip_chars`` (function words: ``的的``、``在在``), or
   - one side is a rare dictionary compound (frequency ≤ ``rare_freq``) that is
     a common word (frequency ≥ ``common_freq``) plus the doubled character —
     jieba's only way to read ``教育系系统`` is ``教育系|系统``, and 教育系 is rare
     while 教育 is common: the writer meant 教育系统.
"""
from __future__ import annotations

import re
import sys

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text.segment import frequency
from .base import Kind, Veto
from ..text import multiscan, pattern_cache

_DOUBLE = pattern_cache.compile_re(r"([\u3400-\u4dbf\u4e00-\u9fff])\1")
# ``_DOUBLE``'s matches, found by testing the class only where a character repeats
# (the lookbehind reads the second, equal to the first), not at every character:
# the same starts, since a pair of any other character fails where it starts and the
# scan goes on at the next one, as ``_DOUBLE``'s does (DOTALL: a line break is no Han
# character either, and ``.`` is then one test less). The 8,056 realworld files
# (700 characters each) 0.079 -> 0.043 s (min of 5, machine idle).
_SCAN = pattern_cache.compile_re(r"(.)\1(?<=[\u3400-\u4dbf\u4e00-\u9fff])", re.DOTALL)
_HAN = pattern_cache.compile_re(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Doubled numerals are counting or dates (二二得四, 一一对应), never slips worth a finding.
_NUMERALS = set("〇○零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾")


def _allow_table(entries):
    """{doubled pair: [(entry, offset of the pair in the entry)]}."""
    table: dict = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, str):
            raise RuleError(f"field 'allow[{i}]' should be text")
        m = _DOUBLE.search(entry)
        if not m:
            raise RuleError(f"field 'allow[{i}]': '{entry}' contains no doubled character")
        table.setdefault(m.group(), []).append((entry, m.start()))
    return table


class DoubledCharKind(Kind):
    FIELDS = {
        "allow": list,
        "slip_chars": str,
        "rare_freq": int,
        "common_freq": int,
        "unless": (str, list),
        "unless_line": (str, list),
    }
    REQUIRED = ("slip_chars", "rare_freq", "common_freq")
    MESSAGE_FIELDS = ("context", "fixed")

    @classmethod
    def validate(cls, rule):
        _allow_table(rule.options.get("allow", []))
        Veto(rule)
        for key in ("rare_freq", "common_freq"):
            if rule.options[key] < 0:
                raise RuleError(f"field '{key}' should not be negative")
        if rule.options["rare_freq"] >= rule.options["common_freq"]:
            raise RuleError("field 'rare_freq' should be below 'common_freq'")
        bad = [ch for ch in rule.options["slip_chars"] if not _HAN.match(ch)]
        if bad:
            raise RuleError(f"field 'slip_chars': '{bad[0]}' is not a Han character")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.compiled = [(rule, _allow_table(rule.options.get("allow", [])), Veto(rule, timeout=self.ctx.regex_timeout))
                         for rule in rules]

    def check(self, doc):
        text = doc.text
        candidates = [p for p in doubles(text) if text[p] not in _NUMERALS and not _in_run(text, p)]
        for rule, allow, veto in self.compiled:
            for p in candidates:
                if _allowed(text, p, allow):
                    continue
                words = _verdict(doc, p, rule.options)
                if words is None or (veto and veto.vetoes(doc, p, p + 2)):
                    continue
                left, right = words
                fields = {"context": left + right, "fixed": left + right[1:]}
                yield Hit(p, p + 2, rule, text[p], fields)


# With numpy already loaded (near_miss loads it for a run of 1 MB or more; it is
# never imported for this), a text of at least VECTOR_FROM characters has its
# doubles found by comparing its UTF-16 code units with their neighbours, a piece of
# PIECE characters at a time (transient arrays under 1 MB even for a flood of
# equal neighbours, ``****``): 300 corpus files, 26 -> 4.3 ms, where ``re`` tries
# the class and the back reference at every character. From 1,024 characters
# (``_SCAN`` costs as much as the arrays at about 1,000): the corpus's 62 texts of
# 2,000-4,095 characters 1.5 -> 0.55 ms; the realworld files (300-900) stay with ``_SCAN``.
VECTOR_FROM = 1024
PIECE = 1 << 16


def doubles(text: str) -> list:
    """The starts of ``_DOUBLE``'s matches in ``text``, in order."""
    if text.isascii():
        return []  # no Han character (isascii is a flag of the string: no scan)
    np = sys.modules.get("numpy")
    if np is not None and len(text) >= VECTOR_FROM:
        found = _vector_doubles(np, text)
        if found is not None:
            return found
    return [m.start() for m in _SCAN.finditer(text)]


def _vector_doubles(np, text: str):
    """``doubles`` by arrays, or None for a text with a character beyond U+FFFF or
    a lone surrogate (not one code unit a character)."""
    pairs = []
    for at in range(0, len(text), PIECE):
        piece = text[at:at + PIECE + 1]  # one more: the last character's neighbour
        # A whole document's code units as the shared anchor pass encoded them
        # (multiscan.utf16: big-endian, read here as the machine's own 16-bit
        # integers, which compare equal alike; the few kept are swapped back).
        raw = multiscan.utf16(piece, keep=False) if piece is text else None
        swapped = raw is not None and multiscan.UNITS_SWAPPED
        if raw is None:
            try:
                raw = piece.encode("utf-16-le")
            except UnicodeEncodeError:
                return None
        if len(raw) != 2 * len(piece):
            return None
        units = np.frombuffer(raw, dtype=np.uint16)
        same = np.flatnonzero(units[1:] == units[:-1])
        unit = units[same].byteswap() if swapped else units[same]
        same = same[((unit >= 0x3400) & (unit <= 0x4DBF)) | ((unit >= 0x4E00) & (unit <= 0x9FFF))]
        if len(same):
            pairs.extend((same + at).tolist())
    # A match takes two characters and the scan goes on after them: of a run of
    # the same character (AAA), the pair at its second character is no match.
    out, last = [], -2
    for p in pairs:
        if p >= last + 2:
            out.append(p)
            last = p
    return out


def _is_double(text: str, i: int) -> bool:
    return 0 <= i and i + 1 < len(text) and text[i] == text[i + 1] and bool(_HAN.match(text[i]))


def _in_run(text: str, p: int) -> bool:
    """AABB (干干净净), the BB of it, and longer runs of doubles are reduplication."""
    return _is_double(text, p + 2) or _is_double(text, p - 2)


def _allowed(text: str, p: int, allow: dict) -> bool:
    for entry, k in allow.get(text[p:p + 2], ()):
        if p - k >= 0 and text.startswith(entry, p - k):
            return True
    return False


def _verdict(doc, p: int, opts):
    """(left word, right word) when the double at p is a slip, else None."""

    left = right = None
    for word, s, e in doc.tokens(p, p + 2):
        if s <= p < e:
            left = (word, s, e)
        if s <= p + 1 < e:
            right = (word, s, e)
    if left is None or right is None or left == right:
        return None  # one token holds both characters: a word such as 天天 or 兢兢业业
    lw, rw = left[0], right[0]
    if len(lw) == 1 and len(rw) == 1:
        return (lw, rw) if lw in opts["slip_chars"] else None
    rare, common = opts["rare_freq"], opts["common_freq"]
    # 教育系|系统: a rare compound made of a common word plus the doubled character.
    if len(lw) >= 3 and len(rw) >= 2 and frequency(lw) <= rare and frequency(lw[:-1]) >= common:
        return lw, rw
    if len(rw) >= 3 and len(lw) >= 2 and frequency(rw) <= rare and frequency(rw[1:]) >= common:
        return lw, rw
    return None
