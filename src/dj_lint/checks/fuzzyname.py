"""kind: fuzzy_name — a long canonical formulation written with characters dropped,
its words reordered, or split by quotation marks.

For each canonical name (``names``) the text is searched for a run that begins
with the name's first character and ends with its last two (or begins with its
first two and ends with its last), is at most ``max_missing`` characters shorter
than the name and consists only of the name's own characters (a sub-multiset):
党的战斗力和工作的基础 for 党的全部工作和战斗力的基础, 全面治党 for 全面从严治党.
A run that is the name exactly once quotation marks are removed, with a mark
inside it (全面“从严治党”), is reported as split. Runs with other characters
(insertions, substitutions: 全面从严管党治党, 有中国特色的社会主义) are never
reported — they are often older or longer official wordings.
"""
from __future__ import annotations

import re
from collections import Counter

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text import pattern_cache
from .base import Kind, Veto

_QUOTES = "“”\"‘’「」"
# The quotes taken out of a candidate by str.translate in C (a generator over its
# characters was 9,326 joins on the benchmark corpus, each a Python step a character).
_NO_QUOTES = str.maketrans("", "", _QUOTES)
_STOP = pattern_cache.compile_re(r"[，,。；;：:！？!?、\n（）()《》]")
# (name, max_missing) -> (its pattern, its last two characters' pattern, its characters)
_NAMES: dict = {}


class FuzzyNameKind(Kind):
    FIELDS = {
        "names": list,
        "max_missing": int,
        "unless": (str, list),
        "unless_line": (str, list),
    }
    REQUIRED = ("names",)
    MESSAGE_FIELDS = ("suggestion", "problem")

    @classmethod
    def validate(cls, rule):
        names = rule.options["names"]
        if not names or not all(isinstance(n, str) and len(n) >= 4 for n in names):
            raise RuleError("field 'names' should list names of at least four characters")
        if rule.options.get("max_missing", 2) < 1:
            raise RuleError("field 'max_missing' should be at least 1")
        Veto(rule)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.specs = []
        for rule in rules:
            max_missing = rule.options.get("max_missing", 2)
            # With the tail's literal, with which every match of its pattern starts.
            names = [(name, name[-2:], _compiled(name, max_missing)[1]) for name in rule.options["names"]]
            self.specs.append((rule, names, max_missing, Veto(rule, timeout=ctx.regex_timeout)))

    def check(self, doc):
        text = doc.text
        for rule, names, max_missing, veto in self.specs:
            taken = []
            for name, tail, tail_of in names:
                # Most texts hold no tail of most names (the corpus: 22 of 600): one
                # search in C tells, without the generator of _runs and its set-up
                # (6 names a document, about 1 us each); a text without the tail's
                # literal is told by ``find``, not the regex search (a call of ``re``
                # cost more than the find itself on a short document), and the search
                # starts at its first one (its lookbehind still reads the text before).
                at = text.find(tail)
                if at < 0:
                    continue
                first = tail_of.search(text, at)
                if first is None:
                    continue
                for s, e, problem in self._runs(text, name, max_missing, first.start()):
                    if any(s < te and ts < e for ts, te in taken):
                        continue
                    if veto and veto.vetoes(doc, s, e):
                        continue
                    taken.append((s, e))
                    yield Hit(s, e, rule, name, {"suggestion": name, "problem": problem})

    @staticmethod
    def _tail_pattern(name: str, max_missing: int) -> str:
        """The name's last two characters, as ``_runs`` looks for them: where a
        candidate can end. A candidate holds at least ``len(name) - max_missing``
        characters, all of them the name's or quotes (anything else fails its tests:
        a stop, a character the name lacks), so a tail is looked at only after that
        many less two such characters, checked by a lookbehind after the tail's own
        literal, which ``re`` still searches for first. On the corpus most tails are
        common words (活动, 思想: 51,000 of 59,000) with no such run before them, each
        a Python step before (_runs 67 -> 17 ms). Without the lookbehind when the two
        characters are the same: a tail failing it would let the scan find another
        one overlapping it, which the plain scan skips."""
        tail = re.escape(name[-2:])
        before = len(name) - max_missing - 2
        if before > 0 and name[-2] != name[-1]:
            allowed = "".join(sorted(set(name) | set(_QUOTES)))
            tail += "(?<=[%s]{%d}..)" % (re.escape(allowed), before)
        return tail

    @staticmethod
    def _runs(text, name, max_missing, pos=0):
        """The candidates of ``name`` in ``text`` whose tail is at ``pos`` or after
        (a tail's lookbehind still sees the text before ``pos``)."""
        whole, tail_of, want = _compiled(name, max_missing)
        n = len(name)
        exact = None  # the name's own occurrences, found once a tail is
        seen = set()
        first = name[0]
        for tail in tail_of.finditer(text, pos):
            if exact is None:
                exact = [(m.start(), m.end()) for m in whole.finditer(text)]
            end = tail.end()
            lo = max(0, end - n - 4)
            # Each start that holds the name's first character, in order (str.find
            # skips the others: the tail, such as 主义, is common; the start is rare).
            start = lo - 1
            while True:
                start = text.find(first, start + 1, end - 2)
                if start < 0:
                    break
                if (start, end) in seen:
                    continue
                raw = text[start:end]
                if _STOP.search(raw) or exact and any(s < end and start < e for s, e in exact):
                    continue
                bare = raw.translate(_NO_QUOTES)
                if bare == name:
                    if raw != bare:
                        seen.add((start, end))
                        parts = [x for x in re.split("[" + re.escape(_QUOTES) + "]", raw) if x]
                        yield start, end, "被引号拆成了" + "".join(f"“{x}”" for x in parts)
                    continue
                if not (n - max_missing <= len(bare) < n) or bare[:2] != name[:2] and bare[-2:] != name[-2:]:
                    continue
                if Counter(bare) - want:
                    continue  # a character the name does not have: another wording
                seen.add((start, end))
                yield start, end, f"写成了“{bare}”，有字词遗漏或颠倒"
                break


def _compiled(name: str, max_missing: int):
    """(the name's pattern, its tail's pattern, its characters), compiled once per
    name, not per document."""
    found = _NAMES.get((name, max_missing))
    if found is None:
        tail = FuzzyNameKind._tail_pattern(name, max_missing)
        found = _NAMES[name, max_missing] = (pattern_cache.compile_re(re.escape(name)),
                                             pattern_cache.compile_re(tail), Counter(name))
    return found
