"""kind: letter_mask — Latin letters a site's word filter put in place of words.

Template sites replace sensitive words by letters: one character class
throughout a document (``镇X委``, ``X的二十大``, ``全面从严治X``: 党 → X),
pinyin initials (``首要ZZ任务``: 政治; ``XJP``), or a quoted letter for a
whole term (``“x”重要思想``). Each candidate letter next to Han text is read
against the lexicon (dj_lint.lexicon): which of the words site filters blank
(its ``filtered`` list) put back in the letter's place gives a Party term
reaching into the context?

- When one word fits at least ``min_document`` occurrences in at least two
  different contexts, the document was filtered throughout: every occurrence
  it fits is reported, the message naming the pattern (``全文 N 处``).
- Otherwise an occurrence is reported alone only when exactly one filtered
  word fits and the term it makes is cut by the letter inside a word
  (``X中央`` → 党中央), or the quoted letter fits exactly one term.
- Pinyin initials (``initials``) are reported where the word they stand for
  makes a lexicon word with the text next to them, or stands for a name.
A letter inside a Latin word, next to a digit (``X光``, ``XXL``, ``3×4``) or
in a run of template letters (``XX市``: a placeholder) is never a candidate.
"""
from __future__ import annotations

from collections import Counter, defaultdict

import regex

from ..model.findings import Hit
from ..model.rules import RuleError
from .base import Kind, Veto
from ..text import lexicon, multiscan, pattern_cache

# The candidates: the matches of ``_PLAIN`` (a ``regex`` pattern). Found with the
# stdlib ``re`` by ``_CAND``, which opens with the class of the first letter, so
# that ``re`` skips to the letters in C (with ``regex``'s leading lookahead, 10 ns a
# character: the corpus's 786 texts with a letter, 47 -> 22 ms): the letter, then
# the lookbehind over it and the character before, the rest of a word of capitals
# or nothing after x/X/×, then the lookahead. No candidate starts inside a run of
# the lookbehind's characters, so a run of 32 or more that is no candidate where
# it starts is matched whole (``_RUN``: 32 characters or more, which no candidate
# is) and the search goes on at its end, instead of at each of its letters: a
# flood of one letter (1 MB of X, benchmarks patho) is one match. ``candidates``
# leaves those runs out; tests compare it with ``_PLAIN``.
_PLAIN = r"(?=[A-Zx×])(?<![A-Za-z0-9×._@/-])([A-Z]{2,5}|[xX×])(?![A-Za-z0-9×_@-])"
_CAND = pattern_cache.compile_re(r"[A-Zx×](?:(?<![A-Za-z0-9×._@/-].)(?:(?<=[A-Z])[A-Z]{1,4}|(?<=[xX×]))"
                                 r"(?![A-Za-z0-9×_@-])|[A-Za-z0-9×._@/-]{31,})")
_RUN = 32


def candidates(text: str):
    """The matches of ``_PLAIN`` in ``text``, in order (an iterator)."""
    return (m for m in _CAND.finditer(text) if m.end() - m.start() < _RUN)


_HAN = pattern_cache.compile(r"\p{Han}")
_WINDOW = 12
# The letters a candidate starts with: a text holding none has no candidate. One class
# search, not a test per letter (28 scans of a document with none, most of them).
_LETTERS = multiscan.CharSet("XxZ×ABCDEFGHIJKLMNOPQRSTUVWY")
# The same letters' positions, where a table tells them (multiscan.CharTable): the
# candidates are then matched there, not found by a scan of the text.
_LETTER_TABLE = multiscan.CharTable(_LETTERS.chars)


def candidates_at(text: str, starts):
    """``candidates(text)`` from ``starts``, the positions of every character that
    starts a match of ``_CAND`` (``_LETTERS``, in order): finditer takes the first
    position from the end of its last match where the pattern matches, no other
    position can start one, and ``match`` sees the text before the position, as
    the scan does (a match is never empty: its letter)."""
    match, pos = _CAND.match, 0
    for p in starts:
        if p >= pos:
            m = match(text, p)
            if m is not None:
                pos = m.end()
                if pos - p < _RUN:
                    yield m


def _han(ch: str) -> bool:
    return bool(ch) and bool(_HAN.match(ch))


class LetterMaskKind(Kind):
    FIELDS = {"min_document": int, "unless": (str, list), "unless_line": (str, list)}
    MESSAGE_FIELDS = ("word", "count", "pattern")

    @classmethod
    def validate(cls, rule):
        if rule.options.get("min_document", 3) < 2:
            raise RuleError("field 'min_document' should be at least 2")
        Veto(rule)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.vetoes = [(rule, Veto(rule, timeout=self.ctx.regex_timeout)) for rule in rules]

    def check(self, doc):
        text = doc.text
        starts = _LETTER_TABLE.positions(text)
        if starts is None:
            if not _LETTERS.any_in(text):
                return
            found = candidates(text)
        elif not starts:
            return
        else:
            found = candidates_at(text, starts)
        cands = [m for m in found if self._next_to_han(text, m.start(), m.end())]
        if not cands:
            return
        initials = list(self._initials(text, cands))
        by_min = {}  # each rule votes with its own min_document (one pass per value)
        for rule, veto in self.vetoes:
            min_doc = rule.options.get("min_document", 3)
            found = by_min.get(min_doc)
            if found is None:
                found = by_min[min_doc] = list(self._classes(text, cands, min_doc)) + initials
            for start, end, word, fields in found:
                if veto and veto.vetoes(doc, start, end):
                    continue
                yield Hit(start, end, rule, word, fields)

    @staticmethod
    def _next_to_han(text, start, end) -> bool:
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if before in "“‘" and after in "”’":
            return True
        return _han(before) or _han(after)

    # -- one character class replaced throughout -------------------------
    def _classes(self, text, cands, min_doc):
        filtered = lexicon.filtered_set()
        singles = [m for m in cands if len(m.group()) == 1][:400]  # bounded work per document
        fits = {}
        for m in singles:
            fits[m.start()] = self._fits(text, m.start(), m.end(), filtered, None)
        votes, contexts = Counter(), defaultdict(set)
        for m in singles:
            for word in {w for w, _ in fits[m.start()]}:
                votes[word] += 1
                contexts[word].add(text[max(0, m.start() - 1):m.end() + 1])
        winner = next((w for w, n in votes.most_common() if n >= min_doc and len(contexts[w]) >= 2), None)
        if winner is not None:
            # Second pass: other letters of the class in the window read as the winner.
            hits = []
            for m in singles:
                got = fits[m.start()] or self._fits(text, m.start(), m.end(), filtered, winner)
                if any(w == winner for w, _ in got):
                    hits.append(m)
            pattern = f"，全文共 {len(hits)} 处用“{singles[0].group()}”代替“{winner}”"
            for m in hits:
                yield m.start(), m.end(), winner, {"word": winner, "count": len(hits), "pattern": pattern}
            return
        for m in singles:
            if text[m.start() - 1:m.start()] == "“":
                terms = lexicon.party_fills(text[max(0, m.start() - _WINDOW):m.start()], None,
                                            text[m.end():m.end() + _WINDOW])
                names = {f for f, t in terms if f in filtered and "“" not in f and "”" not in f}
                if len(names) == 1:
                    word = names.pop()
                    yield m.start(), m.end(), word, {"word": word, "count": 1, "pattern": ""}
                continue
            strad = {w for w, _ in lexicon.straddling_fills(text[max(0, m.start() - _WINDOW):m.start()], None,
                                                            text[m.end():m.end() + _WINDOW]) if w in filtered}
            if len(strad) == 1 and {w for w, _ in fits[m.start()]} == strad:
                word = strad.pop()
                yield m.start(), m.end(), word, {"word": word, "count": 1, "pattern": ""}

    @staticmethod
    def _fits(text, start, end, filtered, winner):
        """{(filtered word, term)} that put in the letter's place make a Party
        term reaching into the context. With ``winner``, other single letters
        of the window are read as that word first (``管X治X``)."""
        left = text[max(0, start - _WINDOW):start]
        right = text[end:end + _WINDOW]
        if winner is not None:
            letter = text[start:end]
            left = regex.sub(rf"(?<![A-Za-z0-9]){regex.escape(letter)}(?![A-Za-z0-9])", winner, left)
            right = regex.sub(rf"(?<![A-Za-z0-9]){regex.escape(letter)}(?![A-Za-z0-9])", winner, right)
        return {(f, t) for f, t in lexicon.party_fills(left, None, right) if f in filtered}

    # -- pinyin initials ------------------------------------------------
    def _initials(self, text, cands):
        table = lexicon.initials()
        for m in cands:
            word = table.get(m.group())
            if word is None:
                continue
            left = text[max(0, m.start() - 4):m.start()]
            right = text[m.end():m.end() + 4]
            name = word in lexicon.fixed_names() or len(word) >= 3
            joined = any(lexicon.is_word(word + right[:k]) for k in range(1, len(right) + 1)) or \
                any(lexicon.is_word(left[-k:] + word) for k in range(1, len(left) + 1)) or \
                any(lexicon.is_party_term(left[-i:] + word + right[:j])
                    for i in range(0, len(left) + 1) for j in range(0, len(right) + 1) if i or j)
            if name or joined:
                yield m.start(), m.end(), word, {"word": word, "count": 1, "pattern": ""}
