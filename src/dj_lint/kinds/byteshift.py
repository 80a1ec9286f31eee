"""kind: byteshift — GBK text whose A1A1 byte pairs were deleted off-boundary.

Some sites strip the ideographic space U+3000 by deleting every GBK byte pair
``A1 A1``, character boundaries or not (watermarks.md §12.1). A character X
whose second byte is A1 followed by punctuation P whose first byte is A1
collapses into one wrong character G = GBK(lead byte of X, second byte of P)
and P disappears: 基础。 → 基矗, 改选。 → 改眩, 入选“351” → 入寻351”.

The candidate table is generated from that mechanism with the codec (no list
of bigrams to maintain): G → (X, P) for every lead byte in ``lead_bytes``
and every punctuation mark listed in the rule. A candidate ``prev + G`` is
kept only when jieba knows ``prev + X`` as a word, does not know ``prev + G``,
``G`` is no part of a word with what follows (矗立, 眩晕, 寻找 stay), the word
is at least ``min_ratio`` times as frequent as G on its own (for a lost 。 or
、, which leave nothing else to confirm them), and the context fits the lost mark: an opening mark needs its closing partner later on the
line (入寻351”), a closing mark its opener before, a doubled mark (——, ……)
its surviving half right after G; a full stop or a pause mark is not
followed by another closing or pause mark.

The word list is built lazily from the jieba dictionary on the first
document that holds any G, then cached for the run.
"""
from __future__ import annotations

import re

from ..findings import Hit
from ..ruleset import RuleError
from .base import Kind

CONTEXTS = ("stop", "pause", "open", "close", "doubled")
_TRAILING = set("，。、；：！？）》」』】〕”’,.;:!?)")


def generate(codec: str, lead_lo: int, lead_hi: int, punctuation: dict):
    """{G: (X, P, context)} from the byte mechanism alone."""
    table = {}
    for context, marks in punctuation.items():
        for mark in marks:
            pb = mark.encode(codec)
            for lead in range(lead_lo, lead_hi + 1):
                try:
                    x = bytes([lead, 0xA1]).decode(codec)
                    g = bytes([lead, pb[1]]).decode(codec)
                except UnicodeDecodeError:
                    continue
                table[g] = (x, mark, context)
    return table


class ByteShiftKind(Kind):
    FIELDS = {
        "codec": str,
        "lead_bytes": list,
        "punctuation": dict,
        "pairs": list,
        "min_ratio": (int, float),
        "window": int,
        "allow": list,
    }
    REQUIRED = ("punctuation", "pairs")
    MESSAGE_FIELDS = ("original",)

    @classmethod
    def validate(cls, rule):
        o = rule.options
        codec = o.get("codec", "gb18030")
        try:
            "。".encode(codec)
        except LookupError:
            raise RuleError(f"field 'codec': unknown codec '{codec}'") from None
        lo, hi = cls._leads(o)
        if not (0x81 <= lo <= hi <= 0xFE):
            raise RuleError("field 'lead_bytes' should be [low, high] within 0x81..0xFE")
        for context, marks in o["punctuation"].items():
            if context not in CONTEXTS:
                raise RuleError(f"field 'punctuation': unknown context '{context}' ({', '.join(CONTEXTS)})")
            for mark in marks:
                b = mark.encode(codec, "replace")
                if len(b) != 2 or b[0] != 0xA1:
                    raise RuleError(f"field 'punctuation': '{mark}' does not start with byte A1 in {codec}")
        for pair in o["pairs"]:
            if not isinstance(pair, str) or len(pair) != 2:
                raise RuleError("field 'pairs' should list two-character strings (opening, closing)")

    @staticmethod
    def _leads(o):
        lead = o.get("lead_bytes", [0xB0, 0xF7])
        if not (isinstance(lead, list) and len(lead) == 2 and all(isinstance(v, int) for v in lead)):
            raise RuleError("field 'lead_bytes' should be [low, high]")
        return lead[0], lead[1]

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.prepared = []
        for rule in rules:
            o = rule.options
            lo, hi = self._leads(o)
            table = generate(o.get("codec", "gb18030"), lo, hi, o["punctuation"])
            self.prepared.append({
                "rule": rule, "table": table,
                "chars": re.compile("[" + re.escape("".join(sorted(table))) + "]"),
                "close_of": {a: b for a, b in o["pairs"]},
                "open_of": {b: a for a, b in o["pairs"]},
                "ratio": float(o.get("min_ratio", 0.7)),
                "window": o.get("window", 40),
                "allow": tuple(o.get("allow", [])),
                "bigrams": None,
            })

    @staticmethod
    def _bigrams(p):
        """{prev + G: (prev + X, P, context)} for every dictionary word prev + X."""
        from ..segment import _load
        freq = _load().dt.FREQ
        by_x = {}
        for g, (x, mark, context) in p["table"].items():
            by_x.setdefault(x, []).append((g, mark, context))
        out = {}
        for word, f in freq.items():
            if not f or len(word) != 2 or word[1] not in by_x:
                continue
            for g, mark, context in by_x[word[1]]:
                garbled = word[0] + g
                if freq.get(garbled):
                    continue
                # A lost 。 or 、 leaves no partner to confirm it: the word must
                # then clearly outweigh G standing alone.
                if context in ("stop", "pause") and f < p["ratio"] * freq.get(g, 0):
                    continue
                out[garbled] = (word, mark, context)
        return out

    def check(self, doc):
        text = doc.text
        for p in self.prepared:
            if not p["chars"].search(text):
                continue
            if p["bigrams"] is None:
                p["bigrams"] = self._bigrams(p)
            bigrams = p["bigrams"]
            for m in p["chars"].finditer(text, 1):
                i = m.start()
                entry = bigrams.get(text[i - 1:i + 1])
                if entry is not None:
                    hit = self._confirm(doc, p, i, entry)
                    if hit is not None:
                        yield hit

    def _confirm(self, doc, p, i, entry):
        text = doc.text
        word, mark, context = entry
        nxt = text[i + 1:i + 2]
        start, end = i - 1, i + 1
        if context in ("stop", "pause") and nxt in _TRAILING:
            return None
        if context == "doubled" and nxt != mark:
            return None
        if context == "open":
            close = p["close_of"].get(mark)
            j = self._find_partner(text, i + 1, close, mark, p["window"], forward=True)
            if j is None:
                return None
            end = j + 1
            suggestion = word + mark + text[i + 1:end]
        elif context == "close":
            opener = p["open_of"].get(mark)
            j = self._find_partner(text, i - 1, opener, mark, p["window"], forward=False)
            if j is None:
                return None
            start = j
            suggestion = text[j:i - 1] + word + mark
        else:
            suggestion = word + mark
        if any(a in text[max(0, i - 8):i + 8] for a in p["allow"]):
            return None
        # G must stand alone: no jieba word joins it with the following text.
        for w, s, e in doc.tokens(i, i + 1):
            if s <= i < e and e - s > 1:
                return None
        return Hit(start, end, p["rule"], suggestion, {"original": word + mark})

    @staticmethod
    def _find_partner(text, pos, partner, same, window, forward):
        """Index of the partner mark on the same line, with no mark of the lost kind between."""
        rng = range(pos, min(len(text), pos + window)) if forward else range(pos - 1, max(-1, pos - 1 - window), -1)
        for j in rng:
            ch = text[j]
            if ch == "\n" or ch == same:
                return None
            if ch == partner:
                return j
        return None
