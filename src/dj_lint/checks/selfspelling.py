"""kind: self_spelling — a word the document itself spells in full, written elsewhere
with one character dropped.

A document that writes 土木工程系 on one line and 土工程系 on another has dropped a
character: the document is its own dictionary. The full form must be a dictionary
word of ``min_length`` or more characters (jieba, corpus count >= ``min_count``) that
occurs in the document; the short form is that word with one inner character left
out, is not a word itself, and leaves its neighbour of the gap stranded as a
single-character token that is not a common word of its own (土|工程系). A common
short form made of two words (党|领导 beside 党的领导) stays silent: the dropped
character may not be a function word (的, 之, 和) and the stranded character must be
rarer than ``max_orphan_count`` in jieba's corpus.
"""
from __future__ import annotations

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text import build_cache, multiscan, pattern_cache
from .base import Kind, Veto, register_words, shared_words

_HAN_RUN = pattern_cache.compile_re(r"[\u4e00-\u9fff]{4,}")
_NUMERALS = set("〇○零一二三四五六七八九十百千万亿两")
# jieba's count of a character standing alone above which it is a function word (的, 之).
_FUNCTION_FREQ = 30000
# Characters of text this process has looked at before the dictionary's index is worth
# building (0.03-0.04 s once, from the build cache, then a pass of the automaton per
# document at about 0.05 us a character instead of the n-gram sets at about 4.5 us):
# a pre-commit run of one report (an 8 KB file holds some 3,000 characters) never builds it.
INDEXED_AFTER = 8_000

# The default length range of a short form, in characters. The check and the
# rule's validation read the same defaults: with validation's old default of 8,
# min_length: 7 alone was accepted and then never found anything (7 > 6).
MIN_LENGTH, MAX_LENGTH = 4, 6


class SelfSpellingKind(Kind):
    FIELDS = {
        "min_length": int,
        "max_length": int,
        "min_count": int,
        "max_orphan_count": int,
        "unless": (str, list),
        "unless_line": (str, list),
    }
    MESSAGE_FIELDS = ("suggestion", "why")

    @classmethod
    def validate(cls, rule):
        o = rule.options
        if o.get("min_length", MIN_LENGTH) < MIN_LENGTH:
            raise RuleError(f"field 'min_length' should be at least {MIN_LENGTH}")
        if o.get("max_length", MAX_LENGTH) < o.get("min_length", MIN_LENGTH):
            raise RuleError("field 'max_length' should not be below min_length")
        Veto(rule)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        # Each rule with its options, read once, not for every document.
        self.specs = [(rule, Veto(rule, timeout=ctx.regex_timeout), _options(rule)) for rule in rules]
        self.seen = 0        # characters of text looked at so far in this process
        self._indexes = {}   # (min_length, max_length, min_count) -> _Index

    def check(self, doc):
        for rule, veto, options in self.specs:
            yield from self._check(doc, rule, veto, *options)

    def _check(self, doc, rule, veto, lo, hi, min_count, max_orphan):
        text = doc.text
        self.seen += len(text)
        if text.isascii() or _HAN_RUN.search(text) is None:
            # Both ways below find short forms only in a run of four Han characters
            # or more: a text without one (brackets, stars) builds no index. (An
            # ASCII text, a flag read at once, is not searched: 2 MB of stars were.)
            return
        # A run that registered the short forms before its first document
        # (anchors_for_many) has the index already: its first documents take it
        # too, not the n-gram sets (r100: 11 pages, about 2 % of the run).
        if (self.seen > INDEXED_AFTER or (lo, hi, min_count) in self._indexes) and multiscan.available():
            keys = self._keys_indexed(text, lo, hi, min_count)
        else:
            keys = self._keys_scanned(text, lo, hi, min_count)
        if not keys:
            return
        # Imported here, where a candidate needs it: the import statement alone was
        # some 1.5 us a document (most documents have no key).
        from ..text import segment
        taken = []
        for short in sorted(keys):
            start = text.find(short)
            while start >= 0:
                end = start + len(short)
                hit = self._confirm(doc, rule, veto, segment, start, end, keys[short], max_orphan, taken)
                if hit is not None:
                    taken.append((start, end))
                    yield hit
                start = text.find(short, start + 1)

    @staticmethod
    def _keys_scanned(text, lo, hi, min_count):
        """{short form: [(full word, index of the dropped character)]} from the
        text's own n-grams (for the first documents of a run)."""
        from ..text import segment
        runs = [m.group() for m in _HAN_RUN.finditer(text)]
        if not runs:
            return {}
        # Without the dictionary first: a window of the text that, less one inner
        # character, is also written somewhere in the text (jieba loads only then).
        fulls, shorts = set(), set()
        for run in runs:
            for n in range(lo - 1, min(hi, len(run)) + 1):
                for a in range(len(run) - n + 1):
                    (fulls if n >= lo else shorts).add(run[a:a + n])
                    if n < hi:
                        shorts.add(run[a:a + n])
        keys = {}
        for w in sorted(fulls):
            for k in range(1, len(w) - 1):
                ch = w[k]
                if ch in _NUMERALS or ch == w[k - 1] or ch == w[k + 1]:
                    continue
                short = w[:k] + w[k + 1:]
                if short not in shorts:
                    continue
                if segment.frequency(w) < min_count or segment.frequency(ch) >= _FUNCTION_FREQ:
                    continue
                if segment.in_dictionary(short):
                    continue
                keys.setdefault(short, []).append((w, k))
        return keys

    def _keys_indexed(self, text, lo, hi, min_count):
        """The same keys from the dictionary's side: the short forms of every
        dictionary word that could be spelled short, found in one automaton pass,
        then a substring search whether the text also writes their full words
        (short forms are rare in a text, full words common: an automaton over both
        found some 13 full words for each short one). The short forms are anchors
        of the run's shared automaton (register_words): their occurrences come
        from the pass that finds every rule's anchors, not a pass of their own
        (200 corpus files: the shared pass 0.0375 -> 0.046 s, against 0.040 s for
        the own pass it saves); the own automaton is left for a text whose shared
        pass did not keep the occurrences (anchors nearly everywhere)."""
        index = self._index(lo, hi, min_count)
        shorts = index.shorts
        found = None
        if index.first is not None:
            found = shared_words(self.ctx, text, index.first, shorts, longest=False)
        if found is None:
            found = index.automaton().find(multiscan.scannable(text))
        keep = set()
        for i, s, e in found:
            if e - s < 4:
                # Short forms count only inside a run of four Han characters or more.
                before = text[s - 1] if s else ""
                after = text[e] if e < len(text) else ""
                if not ("\u4e00" <= before <= "\u9fff" or "\u4e00" <= after <= "\u9fff"):
                    continue
            keep.add(i)
        keys = {}
        for i in keep:
            cands = [(w, k) for w, k in index.full_words(i) if w in text]
            if cands:
                keys[shorts[i]] = cands
        return keys

    def _index(self, lo, hi, min_count):
        key = (lo, hi, min_count)
        index = self._indexes.get(key)
        if index is None:
            shorts, fulls = build_cache.product(
                f"self-spelling-shorts-{lo}-{hi}-{min_count}",
                lambda: _build_index(lo, hi, min_count), separate=True)
            shorts, fulls = (shorts.split("\n"), fulls.split("\n")) if shorts else ([], [])
            first = register_words(self.ctx, shorts)
            index = self._indexes[key] = _Index(shorts, fulls, first)
        return index

    def anchors_for_many(self) -> None:
        """Many documents are coming (``Linter.warm``): the short forms join the
        shared automaton now, which warm then builds once (inherited by --jobs
        workers), not in the middle of the run when the index is first wanted."""
        if not multiscan.available():
            return
        for _, _, (lo, hi, min_count, _) in self.specs:
            self._index(lo, hi, min_count)

    @staticmethod
    def _confirm(doc, rule, veto, segment, start, end, cands, max_orphan, taken):
        if any(s < end and start < e for s, e in taken):
            return None
        tokens = doc.tokens(start, end)
        singles = {s for w, s, e in tokens if e - s == 1}
        bounds = {s for _, s, _ in tokens} | {e for _, _, e in tokens}
        for full, k in sorted(cands, key=lambda c: -segment.frequency(c[0])):
            # The neighbours of the gap: one of them stands alone and is no word of its own.
            gap = (start + k - 1, start + k)
            if not any(g in singles and segment.frequency(doc.text[g]) < max_orphan for g in gap):
                continue
            if start not in bounds:
                continue  # 土工程 must begin a word of the sentence, not end inside one
            if veto and veto.vetoes(doc, start, end):
                return None
            return Hit(start, end, rule, full, {"suggestion": full, "why": f"漏了“{full[k]}”"})
        return None


def _options(rule) -> tuple:
    """(min_length, max_length, min_count, max_orphan_count) of a rule, defaults filled in."""
    o = rule.options
    return (o.get("min_length", MIN_LENGTH), o.get("max_length", MAX_LENGTH), o.get("min_count", 20),
            o.get("max_orphan_count", 30000))


class _Index:
    """The short forms of one (min_length, max_length, min_count), their full words,
    the handle of the first in the shared automaton (None: not there) and an
    automaton of their own, built only when a text needs it."""

    def __init__(self, shorts, fulls, first):
        """``fulls``: for each of ``shorts``, its full words joined by commas."""
        self.shorts, self.fulls, self.first = list(shorts), fulls, first
        self._automaton = None

    def full_words(self, i: int) -> list:
        """The (full word, k) of short form ``i`` (k: the index of the character it
        lacks, where the full word first differs from it), in the dictionary's order."""
        short = self.shorts[i]
        return [(w, next((k for k, (a, b) in enumerate(zip(short, w)) if a != b), len(short)))
                for w in self.fulls[i].split(",")]

    def automaton(self):
        if self._automaton is None:
            self._automaton = multiscan.Automaton(self.shorts)
        return self._automaton

    def __getstate__(self):  # --jobs under spawn: the automaton is rebuilt when wanted
        return {"shorts": self.shorts, "fulls": self.fulls, "first": self.first, "_automaton": None}


def _build_index(lo, hi, min_count):
    """(short forms, their full words): the dictionary words of lo..hi Han characters
    counted min_count times or more, each less one inner character k that is no
    numeral, differs from both neighbours and is no function word, when the word
    less it is not a word itself; for each short form, its full words in the
    dictionary's order of the words (``_Index.full_words`` finds each one's k: as
    k differs from the next character, it is where the two first differ).
    Each as one string, a line a short form (the full words joined by commas): the
    cache held them as 12,628 short forms and as many tuples of (word, k) tuples,
    about 50 M instructions to unpickle at the start of every run of many files."""
    from ..text import segment
    where: dict = {}  # short form -> its (full word, k)
    for w, _ in segment.han_words(lo, hi, min_count):
        for k in range(1, len(w) - 1):
            ch = w[k]
            if ch in _NUMERALS or ch == w[k - 1] or ch == w[k + 1]:
                continue
            if segment.frequency(ch) >= _FUNCTION_FREQ:
                continue
            short = w[:k] + w[k + 1:]
            if segment.in_dictionary(short):
                continue
            where.setdefault(short, []).append((w, k))
    return "\n".join(where), "\n".join(",".join(w for w, _ in cands) for cands in where.values())
