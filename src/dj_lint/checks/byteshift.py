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

import hashlib
import re
from operator import methodcaller

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text import build_cache, multiscan, pattern_cache
from ..text import segment
from .base import Kind

CONTEXTS = ("stop", "pause", "open", "close", "doubled")
_BIGRAM_CACHE: dict = {}
_START = methodcaller("start")
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


def _generated(codec: str, lead_lo: int, lead_hi: int, punctuation: dict):
    """(``generate``'s table, the digest of what made it): the table kept in the
    build cache (a start then imports no codec), the digest names what is made
    from it (``ByteShiftKind._key``)."""
    key = repr((codec, lead_lo, lead_hi, sorted((k, list(v)) for k, v in punctuation.items())))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return build_cache.product("byteshift-table-" + digest, lambda: generate(codec, lead_lo, lead_hi, punctuation)), digest


class _PackedBigrams:
    """The word list ``{prev + G: (prev + X, P, context)}`` grouped by G: for each G
    (about 1,400), its (X, P, context) and every ``prev`` in one string. Each entry
    follows from its key and G's row, so this holds the same as the dict in a
    twentieth of the objects: unpickling it at start-up costs 1 ms, not 10-15 ms."""

    def __init__(self, rows: dict):
        self.rows = rows  # G -> (prevs, X, P, context)

    @classmethod
    def pack(cls, bigrams: dict) -> "_PackedBigrams":
        prevs: dict = {}
        rows = {}
        for key, (word, mark, context) in bigrams.items():
            g = key[1]
            row = (word[1], mark, context)
            if len(key) != 2 or len(word) != 2 or word[0] != key[0] or rows.setdefault(g, row) != row:
                raise ValueError(f"not a byteshift bigram: {key} {word}")  # generate() makes none
            prevs.setdefault(g, []).append(key[0])
        return cls({g: ("".join(prevs[g]),) + rows[g] for g in rows})

    def get(self, key: str, default=None):
        row = self.rows.get(key[1:]) if len(key) == 2 else None
        if row is None or key[0] not in row[0]:
            return default
        return (key[0] + row[1], row[2], row[3])

    def items(self):
        for g, (prevs, x, mark, context) in self.rows.items():
            for prev in prevs:
                yield prev + g, (prev + x, mark, context)


def _blanked(text: str, balanced, repl) -> str:
    """``text`` with the balanced pairs of each mark (``balanced``: (opener,
    pattern) in order) replaced by ``repl``."""
    for opener, pat in balanced:
        if opener in text:
            text = pat.sub(repl, text)
    return text


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
            table, made_by = _generated(o.get("codec", "gb18030"), lo, hi, o["punctuation"])
            self.prepared.append({
                "rule": rule, "table": table, "made_by": made_by,
                # The shifted characters: not a ``regex`` class of 1,440 of them (which
                # scanned a 1 MB text without any of them in 0.65 s; a set's isdisjoint
                # 10 ms) but a CharSet, one ``re`` class search on its bitmap (200
                # corpus files: 1.1 -> 0.1 ms; 250K characters without any: 7.6 -> 0.5 ms).
                "chars": multiscan.CharSet(table),
                "close_of": {a: b for a, b in o["pairs"]},
                "open_of": {b: a for a, b in o["pairs"]},
                "ratio": float(o.get("min_ratio", 0.7)),
                "window": o.get("window", 40),
                "allow": tuple(o.get("allow", [])),
                "bigrams": None,
            })

    @staticmethod
    def _key(p):
        """(the rule's table and ratio, their digest): what its word list and the
        marks' classes are kept under. The table as the digest of what made it
        (``_generated``): the table follows from that alone, and the repr and
        digest of its 1,440 entries took 1.1 ms, made twice on the serial start
        of a run that warms (--jobs)."""
        key = (p["made_by"], p["ratio"])
        return key, hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32]

    @staticmethod
    def _bigrams(p):
        """{prev + G: (prev + X, P, context)} for every dictionary word prev + X.
        Cached per table and ratio, in the run and in the build cache (whose key
        covers jieba's dictionary): building it walks the whole jieba dictionary."""
        key, digest = ByteShiftKind._key(p)
        if key not in _BIGRAM_CACHE:
            _BIGRAM_CACHE[key] = build_cache.product(
                "byteshift-" + digest, lambda: _PackedBigrams.pack(ByteShiftKind._build_bigrams(p)))
        return _BIGRAM_CACHE[key]

    @staticmethod
    def _build_bigrams(p):
        by_x = {}
        for g, (x, mark, context) in p["table"].items():
            by_x.setdefault(x, []).append((g, mark, context))
        out = {}
        # Every two-character word prev + X (from the word table, without loading jieba).
        for word, f in segment.two_char_words(by_x):
            for g, mark, context in by_x[word[1]]:
                garbled = word[0] + g
                if segment.frequency(garbled):
                    continue
                # A lost 。 or 、 leaves no partner to confirm it: the word must
                # then clearly outweigh G standing alone.
                if context in ("stop", "pause") and f < p["ratio"] * segment.frequency(g):
                    continue
                out[garbled] = (word, mark, context)
        return out

    def _scanners(self, p):
        """Regexes built once the word list is known: the G of a lost 。、——……
        (rare characters once filtered) and, per paired mark, the G that can
        stand for it."""
        bigrams = p["bigrams"]

        def marks_of():
            by_mark = {}
            for key, (_, mark, context) in bigrams.items():
                by_mark.setdefault((context, mark), set()).add(key[1])
            return by_mark

        # Kept next to the word list in the build cache (walking it is 20k steps).
        by_mark = build_cache.product("byteshift-marks-" + self._key(p)[1], marks_of)
        cls = lambda chars: "[" + re.escape("".join(sorted(chars))) + "]"  # noqa: E731
        # Classes of plain characters and one simple pair pattern, scanned over whole
        # texts: the stdlib ``re`` does these two to four times faster than ``regex``
        # (200 corpus files: the G characters 17.8 -> 3.9 ms, the marks 16.1 -> 6.9 ms).
        stop = set().union(*(g for (c, _), g in by_mark.items() if c in ("stop", "pause")))
        p["single"] = frozenset(stop)
        # A lost half of —— / …… leaves the other half right after G: find the mark.
        p["doubled"] = {m: g for (c, m), g in by_mark.items() if c == "doubled"}
        # Both in one class, one scan of the text instead of one each (check): the
        # corpus's ByteShiftKind.check 0.227/0.230 -> 0.192/0.194 s, the realworld
        # files' 0.309-0.314 -> 0.260-0.271 s (3 rounds, load 8, alternating).
        p["either"] = pattern_cache.compile_re(cls(stop | set(p["doubled"]))) if stop or p["doubled"] else None
        # The same characters' positions, where a table tells them (multiscan.CharTable).
        p["either_table"] = multiscan.CharTable(stop | set(p["doubled"]))
        p["paired"] = {m: pattern_cache.compile(cls(g)) for (c, m), g in by_mark.items() if c in ("open", "close")}
        p["balanced"] = [(a, pattern_cache.compile_re(re.escape(a) + "[^" + re.escape(a + b) + "\\n]*" + re.escape(b)))
                         for a, b in p["close_of"].items()]
        marks = "".join(a + b for a, b in p["close_of"].items())
        p["marks"] = pattern_cache.compile_re("[" + re.escape(marks) + "]")
        p["mark_chars"] = marks
        p["marks_table"] = multiscan.CharTable(marks)  # (where a table tells them: _paired)

    def check(self, doc):
        text = doc.text
        for p in self.prepared:
            if not p["chars"].any_in(text):
                continue
            if p["bigrams"] is None:
                p["bigrams"] = self._bigrams(p)
                self._scanners(p)
            # The G of a lost 。、 and the surviving half of a lost —— or …… found by
            # one scan: the first taken as they come, the others after them all.
            doubled = []
            if p["either"] is not None:
                single, marks, rows = p["single"], p["doubled"], p["bigrams"].rows
                starts = p["either_table"].positions(text)
                if starts is None:
                    starts = map(_START, p["either"].finditer(text, 1))
                for i in starts:
                    if not i:
                        continue  # (the class is searched from 1)
                    ch = text[i]
                    if ch in single:
                        # _single's first test (bigrams.get is None) in line: the
                        # G found rarely follow a character of one of its words
                        # (1000 pages: realworld 0 of 1,260, the corpus 602 of 10,826).
                        row = rows.get(ch)
                        hit = self._single(doc, p, i) if row is not None and text[i - 1] in row[0] else None
                        if hit is not None:
                            yield hit
                    if ch in marks and i >= 2:
                        doubled.append(i)
            for at in doubled:
                i = at - 1
                if text[i] in p["doubled"][text[at]]:
                    hit = self._single(doc, p, i)
                    if hit is not None:
                        yield hit
            yield from self._paired(doc, p)

    def _single(self, doc, p, i):
        text = doc.text
        entry = p["bigrams"].get(text[i - 1:i + 1])
        if entry is None:
            return None
        word, mark, context = entry
        if context != "doubled" and text[i + 1:i + 2] in _TRAILING:
            return None
        return self._confirm(doc, p, i, entry, i - 1, i + 1, word + mark)

    def _paired(self, doc, p):
        """Paired marks left without a partner on their line. A closing mark
        with no opener may have lost that opener to a G before it (入寻351”);
        an opener never closed may have lost its closer to a G after it.
        Balanced pairs are blanked first (to their length), so Python only
        walks the lone marks."""
        text, window = doc.text, p["window"]
        # First each balanced pair replaced by one space, all in C: the same marks
        # remain as when it is blanked to its length (the patterns read only their
        # marks and line breaks, and a space is neither). Most texts then hold no
        # lone mark (of 1000 files reaching here: corpus 618 of 987, realworld 815).
        short = _blanked(text, p["balanced"], " ")
        if not any(map(short.__contains__, p["mark_chars"])):
            return  # (a find per mark, in C: cheaper than the class scan below)
        # No pair pattern reads a line break, so a line is blanked as it is in the
        # whole text, and the lines keep their numbers in ``short``: only the lines
        # holding a lone mark there are blanked to their length, by a function (one
        # Python call a pair) that places the marks: the 33 of the first 100 corpus
        # files with a lone mark called it 124 times, not 1,408 (realworld: 30, not
        # 108), after up to five passes over just those lines, not the whole text.
        starts, lines, marks = doc.line_starts, doc.lines, p["marks"]
        k, at, done = 0, 0, -1
        found = p["marks_table"].positions(short)
        for i in map(_START, marks.finditer(short)) if found is None else found:
            k += short.count("\n", at, i)
            at = i
            if k == done:
                continue
            done = k
            ls = starts[k]
            le = ls + len(lines[k])
            lone = _blanked(text[ls:le], p["balanced"], lambda pair: " " * (pair.end() - pair.start()))
            for mark in marks.finditer(lone):
                j, ch = ls + mark.start(), mark.group()
                if ch in p["close_of"]:
                    close = p["close_of"][ch]
                    hi = min(le, j + 1 + window)
                    nxt = text.find(ch, j + 1, hi)
                    yield from self._lost(doc, p, close, j + 1, hi if nxt < 0 else nxt, j, None)
                else:
                    lo = max(ls, j - window, text.rfind(ch, ls, j) + 1)
                    yield from self._lost(doc, p, p["open_of"][ch], lo, j, None, j)

    def _lost(self, doc, p, mark, lo, hi, opener, closer):
        pat = p["paired"].get(mark)
        if pat is None or hi <= lo:
            return
        text = doc.text
        for m in pat.finditer(text, lo, hi):
            i = m.start()
            entry = p["bigrams"].get(text[i - 1:i + 1])
            if entry is None or entry[1] != mark:
                continue
            word = entry[0]
            if closer is not None:  # lost opener: 入寻351” -> 入选“351”
                hit = self._confirm(doc, p, i, entry, i - 1, closer + 1, word + mark + text[i + 1:closer + 1])
            else:  # lost closer: “…基矗 -> “…基础”
                hit = self._confirm(doc, p, i, entry, opener, i + 1, text[opener:i - 1] + word + mark)
            if hit is not None:
                yield hit

    def _confirm(self, doc, p, i, entry, start, end, suggestion):
        text = doc.text
        word, mark, _ = entry
        if any(a in text[max(0, i - 8):i + 8] for a in p["allow"]):
            return None
        # G must stand alone: no jieba word joins it with the following text.
        for w, s, e in doc.tokens(i, i + 1):
            if s <= i < e and e - s > 1:
                return None
        return Hit(start, end, p["rule"], suggestion, {"original": word + mark})
