"""kinds: spam_terms and jammer — spam planted in a hijacked page.

``spam_terms`` reads a vocabulary file (``vocabulary``) with ``always`` words
(reported wherever they stand), ``marked`` words (ordinary words too, reported
only with a spam marker: ASCII letters or digits glued on, or one of the
``markers`` right after) and the ``markers``. The finding covers the brand
with the letters, digits and markers glued to it: ``永利总站ylzz55``.

``jammer`` finds the random ASCII pairs an anti-copy plug-in scatters through
a forum post (``+ n1 `, o" [$ l0``): a run of at least ``min_tokens`` tokens of
one or two printable ASCII characters separated by single spaces, with at least
``min_symbols`` different punctuation symbols among them. Counted lists
(``1 2 3 4 5``), initials and formulas lack the symbols.
"""
from __future__ import annotations

from ..model.findings import Hit
from ..model.rules import RuleError
from . import vocab
from ..text.regex_anchors import trie_pattern
from .base import Kind, Veto, anchor_index, budgeted
from ..text import multiscan, pattern_cache

_ALNUM = "[A-Za-z0-9]"


class SpamTermsKind(Kind):
    FIELDS = {"vocabulary": str, "unless": (str, list), "unless_line": (str, list)}
    REQUIRED = ("vocabulary",)

    @classmethod
    def validate(cls, rule):
        cls._compile(rule)
        Veto(rule)

    @staticmethod
    def _compile(rule):
        name = rule.options["vocabulary"]
        data = vocab.load(name)
        vocab.require_keys(data, name, ("always", "marked", "markers"))
        for key in ("always", "marked", "markers"):
            if not isinstance(data[key], list) or not all(isinstance(w, str) and w for w in data[key]):
                raise RuleError(f"field 'vocabulary': '{name}' {key} should list words")
        markers = trie_pattern(data["markers"])
        # Bounded repeats: a 20,000-letter line must not make the scan quadratic.
        glue = f"(?:{_ALNUM}|{markers}){{0,16}}"
        always = f"(?<!{_ALNUM}){_ALNUM}{{0,12}}(?:{trie_pattern(data['always'])}){glue}"
        marked = (f"(?<!{_ALNUM}){_ALNUM}{{1,12}}(?:{trie_pattern(data['marked'])}){glue}"
                  f"|(?:{trie_pattern(data['marked'])})(?:{_ALNUM}|{markers}){{1,16}}")
        return pattern_cache.compile(f"(?:{always})|(?:{marked})"), data["always"] + data["marked"]

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.plan = []
        for r in rules:
            pat, words = self._compile(r)
            # Every match holds one of the words: a document without any is skipped
            # (the full pattern, which opens with optional letters, is tried at every
            # position of the text). Whether it holds one comes from the run's shared
            # anchor pass, the words being one handle's anchors; without that pass,
            # from an automaton pass of the kind's own (6 us a realworld document).
            handle = anchor_index(ctx).register(words, 0, one_line=False)
            gate = multiscan.Automaton(words) if handle is None and multiscan.available() else None
            self.plan.append((r, budgeted(pat, r), handle, gate, Veto(r, timeout=self.ctx.regex_timeout)))

    def check(self, doc):
        present = None
        for rule, pat, handle, gate, veto in self.plan:
            if handle is not None:
                if present is None:
                    present = anchor_index(self.ctx).present(doc.text)
                if handle not in present:
                    continue
            elif gate is not None and not gate.any_in(doc.text):
                continue
            for m in pat.finditer(doc.text):
                if not (veto and veto.vetoes(doc, m.start(), m.end())):
                    yield Hit(m.start(), m.end(), rule)


# A run of 1-2 character ASCII tokens separated by single spaces, not inside a
# longer ASCII word: ``(?<![!-~])(?:[!-~]{1,2} ){3,}[!-~]{1,2}(?![!-~])`` written
# to open with its first character (the lookbehind then looks one further back),
# so that ``re`` skips along the text to an ASCII character instead of trying the
# lookbehind at every position (four times faster; same matches).
_RUN = pattern_cache.compile_re(r"[!-~](?<![!-~][!-~])[!-~]? (?:[!-~]{1,2} ){2,}[!-~]{1,2}(?![!-~])")
_SYMBOL = pattern_cache.compile_re(r"[!-/:-@\[-`{-~]")
# Every run holds a space, its second token and a space, then a character of its
# third: one or two characters past the run's start. ``re`` finds that literal-led
# pattern in C at a few ns a space; most texts have none (702 of the 1000 corpus
# files), and no run starts more than two characters before the first one. The
# corpus: _RUN over every text 40.3 ms, this search 2.3 ms.
_RUN_INNER = pattern_cache.compile_re(r" [!-~]{1,2} [!-~]")


def runs(text: str):
    """The matches of ``_RUN`` in ``text``, in order (an iterator)."""
    inner = _RUN_INNER.search(text)
    if inner is None:
        return iter(())
    # (the lookbehind reads before the search's start, as in the whole text)
    return _RUN.finditer(text, max(0, inner.start() - 2))


class JammerKind(Kind):
    FIELDS = {"min_tokens": int, "min_symbols": int}
    REQUIRED = ()

    @classmethod
    def validate(cls, rule):
        for key in ("min_tokens", "min_symbols"):
            if rule.options.get(key, 1) < 1:
                raise RuleError(f"field '{key}' should be at least 1")

    def check(self, doc):
        for rule in self.rules:
            min_tokens = rule.options.get("min_tokens", 5)
            min_symbols = rule.options.get("min_symbols", 3)
            for m in runs(doc.text):
                run = m.group()
                if run.count(" ") + 1 >= min_tokens and len(set(_SYMBOL.findall(run))) >= min_symbols:
                    yield Hit(m.start(), m.end(), rule)
