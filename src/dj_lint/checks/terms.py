"""kind: terms — lists of literal phrases, each optionally with a suggestion.

All phrases of all terms rules are compiled into one trie-shaped alternation
with the stdlib ``re`` (measured fastest for many literals, see design.md) and
the text is scanned once; each match is then mapped back to its rule.

An entry is a phrase (``- 版权所有``), a one-pair mapping (``- 座落: 坐落``)
or a mapping with ``term`` and ``suggestion``.
"""
from __future__ import annotations

from ..text import pattern_cache

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text import multiscan
from ..text.regex_anchors import trie_pattern
from .base import Kind, Veto, register_words, shared_words, word_ok
from .pattern import WORD_MODES
from .traditional import folded


def parse_terms(entries):
    """[(phrase, suggestion or None)] from the YAML list."""
    out = []
    for i, e in enumerate(entries):
        if isinstance(e, str):
            out.append((e, None))
        elif isinstance(e, dict) and "term" in e:
            extra = set(e) - {"term", "suggestion", "note"}
            if extra:
                raise RuleError(f"field 'terms[{i}]': unknown field '{sorted(extra)[0]}'")
            out.append((e["term"], e.get("suggestion")))
        elif isinstance(e, dict) and len(e) == 1:
            (k, v), = e.items()
            out.append((k, v))
        else:
            raise RuleError(f"field 'terms[{i}]' should be a phrase or 'wrong: right'")
        phrase, sugg = out[-1]
        if not isinstance(phrase, str) or not phrase:
            raise RuleError(f"field 'terms[{i}]': empty phrase")
        if sugg is not None and not isinstance(sugg, str):
            raise RuleError(f"field 'terms[{i}]': suggestion should be text")
    return out


class TermsKind(Kind):
    FIELDS = {
        "terms": list,
        "unless": (str, list),
        "unless_line": (str, list),
        "whole_word": str,
        # also match on the text folded from traditional to simplified script, one
        # character for one (rules/data/hant_fold_full.yaml), so positions stay exact
        "fold_traditional": bool,
    }
    REQUIRED = ("terms",)

    @classmethod
    def validate(cls, rule):
        terms = parse_terms(rule.options["terms"])
        seen = set()
        for phrase, _ in terms:
            if phrase in seen:
                raise RuleError(f"field 'terms': duplicate phrase '{phrase}'")
            seen.add(phrase)
        Veto(rule)
        if rule.options.get("whole_word") not in WORD_MODES:
            raise RuleError("field 'whole_word' should be 'token' or 'boundary'")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.lookup = {}
        for rule in rules:
            veto = Veto(rule, timeout=self.ctx.regex_timeout)
            for phrase, sugg in parse_terms(rule.options["terms"]):
                # The first rule listing a phrase owns it; packs should not overlap.
                self.lookup.setdefault(phrase, (rule, sugg, veto))
        self.regex = pattern_cache.compile_re(trie_pattern(self.lookup)) if self.lookup else None
        # The same leftmost-longest, non-overlapping matches from one automaton pass
        # (built at its first search: only a folded text or a flood of phrases needs it).
        self.automaton = (multiscan.Automaton(list(self.lookup), longest=True, lazy=True)
                          if self.lookup and multiscan.available() else None)
        self.folds = any(rule.options.get("fold_traditional") for rule in rules)
        # Each phrase is also an anchor of the run's shared automaton (one handle per
        # phrase, in order): the pass that finds every rule's anchors finds the
        # phrases too, and this kind needs no pass of its own. Registered in one call
        # (register_words), not one ``register`` a phrase: 6.6 M instructions a start.
        self._first = register_words(ctx, self.automaton.literals) if self.automaton is not None else None

    def _spans(self, doc):
        if self._first is not None:
            got = self._shared_spans(doc)
            if got is not None:
                return got
        if self.automaton is not None:
            phrases = self.automaton.literals
            return [(phrases[i], s, e) for i, s, e in self.automaton.find(doc.scan_text, overlapping=False)]
        return [(m.group(), m.start(), m.end()) for m in self.regex.finditer(doc.text)]

    def _shared_spans(self, doc):
        """The leftmost-longest, non-overlapping phrases from the occurrences the
        shared automaton found (``shared_words``), or None when the pass did not
        keep them (anchors nearly everywhere)."""
        phrases = self.automaton.literals
        found = shared_words(self.ctx, doc.text, self._first, phrases)
        return None if found is None else [(phrases[i], s, e) for i, s, e in found]

    def check(self, doc):
        if self.regex is None:
            return
        seen = set()
        for phrase, start, end in self._spans(doc):
            rule, sugg, veto = self.lookup[phrase]
            seen.add((start, end))
            if veto and veto.vetoes(doc, start, end):
                continue
            if not word_ok(doc, start, end, rule.options.get("whole_word")):
                continue
            yield Hit(start, end, rule, sugg)
        if not self.folds:
            return
        folded = _folded(doc)
        if folded is None:
            return
        # A document in traditional script: the same phrases on the folded text (簽定 is
        # 签定); the finding keeps the original characters at the same positions. Found
        # by the kind's automaton, which finds what the trie regex finds (as ``_spans``):
        # the regex took 170 us on a folded page of 700 characters, the automaton 6 us.
        if self.automaton is not None:
            phrases = self.automaton.literals
            found = ((phrases[i], s, e) for i, s, e in self.automaton.find_in(folded, overlapping=False))
        else:
            found = ((m.group(), m.start(), m.end()) for m in self.regex.finditer(folded))
        for phrase, start, end in found:
            rule, sugg, veto = self.lookup[phrase]
            if (start, end) in seen or not rule.options.get("fold_traditional"):
                continue
            if veto and (veto.vetoes(doc, start, end)):
                continue
            if not word_ok(doc, start, end, rule.options.get("whole_word")):
                continue
            yield Hit(start, end, rule, sugg)


FOLD_FULL = "hant_fold_full.yaml"


def fold_full_table() -> dict:
    """Traditional -> simplified, one character for one (rules/data/hant_fold_full.yaml)."""
    from . import vocab
    return vocab.fold_table(FOLD_FULL)


def _folded(doc):
    """The document folded to simplified script, or None when nothing changes."""
    text = folded(doc, FOLD_FULL)
    return None if text is doc.text else text
