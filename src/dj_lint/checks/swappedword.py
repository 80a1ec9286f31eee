"""kind: swapped_word — a two-character word written with its characters swapped.

Many two-character words are made of characters that hardly ever stand alone
(陀螺, 蝴蝶, 徘徊, 犹豫: 联绵词 and other bound pairs). Written the wrong way round
(螺陀) they leave two stranded characters that the dictionary does not know as a
word. The words come from a data file (``list``, in rules/data: ``word<TAB>count``,
see tools/make_bound_pairs.py); the text is scanned for their reversed forms with one
automaton pass (ahocorasick-rs; a set lookup per position without it), and jieba is
asked only about a found pair: both characters must be
single-character tokens there (not part of a name or a longer word).
"""
from __future__ import annotations

import os
from functools import lru_cache

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text import build_cache, multiscan
from ..text.data import shipped_data
from .base import Kind, Veto, register_words, shared_words


@lru_cache(maxsize=None)
def _reversed_words(name: str) -> dict:
    """{reversed form: word} of a word list in rules/data; a file of that folder's
    own (which the build cache's key covers) from the build cache: parsing
    bound_pairs.txt's 2,000 lines cost a start 4 M instructions more than unpickling."""
    if os.path.basename(name) != name or name in (".", ".."):
        return _read_reversed(name)
    return build_cache.product("data:reversed:" + name, lambda: _read_reversed(name))


def _read_reversed(name: str) -> dict:
    try:
        with open(shipped_data(name), encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError:
        raise RuleError(f"field 'list': data file '{name}' not found in rules/data") from None
    out = {}
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        word = line.split("\t")[0].strip()
        if len(word) != 2:
            raise RuleError(f"rules/data/{name}: '{word}' should be two characters")
        out[word[::-1]] = word
    return out


class SwappedWordKind(Kind):
    FIELDS = {
        "list": str,
        "unless": (str, list),
        "unless_line": (str, list),
    }
    REQUIRED = ("list",)
    MESSAGE_FIELDS = ("suggestion",)

    @classmethod
    def validate(cls, rule):
        _reversed_words(rule.options["list"])
        Veto(rule)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.specs = [(rule, _reversed_words(rule.options["list"]), Veto(rule, timeout=ctx.regex_timeout))
                      for rule in rules]
        self._automata: dict = {}
        # The reversed forms are anchors of the run's shared automaton, one handle per
        # form (register_words): their occurrences come from the pass that finds every
        # rule's anchors, instead of a pass of their own over every text (200 corpus
        # files: about 0.018 s saved, the shared pass 0.3 ms slower).
        shared: dict = {}  # list name -> (its forms in order, the first handle)
        for rule, _, _ in self.specs:
            name = rule.options["list"]
            if name not in shared:
                forms = sorted(_reversed_words(name))
                shared[name] = (forms, register_words(ctx, forms))
        self._shared = [shared[rule.options["list"]] for rule, _, _ in self.specs]

    def check(self, doc):
        text = doc.text
        for (rule, table, veto), shared in zip(self.specs, self._shared):
            get, free_from = table.get, 0
            for p in self._positions(doc, table, shared):
                if p < free_from:
                    continue  # the second character of a pair just reported
                word = get(text[p:p + 2])
                singles = {s for _, s, e in doc.tokens(p, p + 2) if e - s == 1}
                if p in singles and p + 1 in singles and not (veto and veto.vetoes(doc, p, p + 2)):
                    yield Hit(p, p + 2, rule, word, {"suggestion": word})
                    free_from = p + 2

    def _positions(self, doc, table, shared):
        """Where a reversed form starts, in text order."""
        if not multiscan.available():
            get, text = table.get, doc.text
            return [p for p in range(len(text) - 1) if get(text[p:p + 2]) is not None]
        forms, first = shared
        if first is not None:
            found = shared_words(self.ctx, doc.text, first, forms, longest=False)
            if found is not None:  # every occurrence, by start
                return [s for _, s, _ in found]
        auto = self._automata.get(id(table))
        if auto is None:
            auto = self._automata[id(table)] = multiscan.Automaton(sorted(table))
        # Every form has two characters: ordered by end is ordered by start.
        return [s for _, s, _ in auto.find(doc.scan_text)]
