"""kind: elided_number — a number deleted from its slot, nothing marking it.

Some sites strip digits from a page, and a template's blanks can be emptied
without leaving ``__``: ``于年月日前``, ``从日到日``, ``建党周年``,
``应到人，实到人``. Such a slot is found from its grammar, not from a list of
phrases: a date unit right after a preposition of time, ``周年`` right after
a word that is no numeral, a person count right after an attendance verb,
``字``/``分钟`` right after a word that takes a count — each time with the
unit standing as a word of its own (jieba), so ``日常``, ``年底``, ``日本``
or ``年内`` are never read as units.

shape: date | anniversary | count (one shape per rule).
"""
from __future__ import annotations


from ..model.findings import Hit
from ..model.rules import RuleError
from .base import Kind, Veto, register_words, shared_words
from ..text import lexicon, pattern_cache
from ..text.segment import cut, pos

SHAPES = ("date", "anniversary", "count")
_UNITS = {
    "date": pattern_cache.compile(r"年月日|月日|年月|[年月日]"),
    "anniversary": pattern_cache.compile(r"周年"),
    "count": pattern_cache.compile(r"[人名字]|分钟|小时"),
}
_YEAR_FIRST = pattern_cache.compile(r"(?m)(?:^|(?<=[，。；：,;:\s]))(?<![0-9０-９〇○零一二三四五六七八九][ \t\u3000]*)年(?=\d{1,2}月)")
_NUMERAL = pattern_cache.compile(r"[0-9０-９〇○零一二三四五六七八九十百千万两几多余]$")
_ANNIV_END = pattern_cache.compile(r"[，。；：、,.;:）)\s]|之际|以来|纪念|$")
_AFTER_END = pattern_cache.compile(r"[，。；：、,.;:）)\s]|其中|前|后|$")
_HAN = pattern_cache.compile(r"\p{Han}")
# A character every match of a shape's units holds (and _YEAR_FIRST's 年): a text
# without any has no slot of the shape, and is not scanned (a short note: three
# scans and the shared pass's words asked for nothing).
_UNIT_CHARS = {"date": "年月日", "anniversary": "周", "count": "人名字分小"}
# The units of a count that need no verb before them: each stands wherever it
# occurs (no other unit holds one of their characters).
_FREE_COUNT_UNITS = ("字", "分钟", "小时")


class ElidedNumberKind(Kind):
    FIELDS = {"shape": str, "preps": list, "count_verbs": list, "unless": (str, list), "unless_line": (str, list)}
    REQUIRED = ("shape",)

    @classmethod
    def validate(cls, rule):
        if rule.options["shape"] not in SHAPES:
            raise RuleError(f"field 'shape' should be one of {', '.join(SHAPES)}")
        for field in ("preps", "count_verbs"):
            if not all(isinstance(w, str) and w for w in rule.options.get(field, [])):
                raise RuleError(f"field '{field}' should list non-empty strings")
        Veto(rule)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.prepared = [(rule, Veto(rule, timeout=self.ctx.regex_timeout)) for rule in rules]
        # Each preposition (verb) followed by each unit character it can stand before,
        # as words of the run's shared automaton: the units after one are read from
        # the pass that finds every rule's anchors, instead of a Python step for each
        # of a text's 年, 月, 日, 人 and 名 (1000 corpus files: 24,000 date units and
        # 29,000 count units, for 0 and 867 slots). By rule id: (first handle, words),
        # or no entry (no automaton, or a word the test in _spans cannot model: one
        # longer than its window of 8 characters, or a preposition ending with a unit,
        # after which a unit need not start a match of _UNITS).
        self._shared = {}
        for rule in rules:
            shape = rule.options["shape"]
            if shape == "date":
                heads, units = rule.options.get("preps", []), "年月日"
                if any(p[-1] in units for p in heads):
                    continue
            elif shape == "count":
                heads, units = rule.options.get("count_verbs", []), "人名"
            else:
                continue
            if not heads or any(len(w) > 8 for w in heads):
                continue
            words = list(dict.fromkeys(w + u for w in heads for u in units))
            first = register_words(ctx, words)
            if first is not None:
                self._shared[rule.id] = (first, words)

    def check(self, doc):
        text = doc.text
        for rule, veto in self.prepared:
            shape = rule.options["shape"]
            for start, end in self._spans(text, shape, rule):
                if veto and veto.vetoes(doc, start, end):
                    continue
                yield Hit(start, end, rule, None, {})

    def _words(self, rule, field):
        """A rule's ``preps`` or ``count_verbs`` as a tuple (for str.endswith), made once."""
        words = self.__dict__.setdefault("_word_tuples", {})
        found = words.get((rule.id, field))
        if found is None:
            found = words[rule.id, field] = tuple(rule.options.get(field, []))
        return found

    def _spans(self, text, shape, rule):
        chars = _UNIT_CHARS.get(shape)
        if chars is not None:
            for ch in chars:
                if ch in text:
                    break
            else:
                return
        if shape == "date":
            for m in _YEAR_FIRST.finditer(text):
                yield m.start(), m.end()
        # _slot's first test, made here without a call or a slice for each unit
        # (text.endswith(words, a, s) is text[a:s].endswith(words)): most of a
        # text's 年, 月, 日, 人 and 名 follow no preposition or verb (200 corpus
        # files: some 11,000 units; _spans under cProfile 40 -> 23 ms).
        slot, ends = self._slot, text.endswith
        spans = self._shared_units(text, shape, rule)
        if spans is not None:
            for s, e in spans:
                span = slot(text, s, e, shape, rule)
                if span:
                    yield span
            return
        if shape == "date":
            preps = self._words(rule, "preps")
            for m in _UNITS[shape].finditer(text):
                s = m.start()
                if ends(preps, max(0, s - 8), s):
                    span = slot(text, s, m.end(), shape, rule)
                    if span:
                        yield span
            return
        verbs = self._words(rule, "count_verbs") if shape == "count" else None
        for m in _UNITS[shape].finditer(text):
            s, e = m.span()
            if verbs is not None and text[s:e] in "人名" and not ends(verbs, max(0, s - 8), s):
                continue
            span = slot(text, s, e, shape, rule)
            if span:
                yield span

    def _shared_units(self, text, shape, rule):
        """The (start, end) of the units the loops of ``_spans`` hand to ``_slot``, in
        order, from the shared pass: a unit right after a preposition (verb) ends
        one of the rule's words. A date unit there starts a match of _UNITS (the
        character before it is no unit), which is the unit; a 人 or 名 is one. The
        units needing no verb are found with str.find (literals that cannot overlap
        one another). None when the pass has not found the words."""
        entry = self._shared.get(rule.id)
        if entry is None:
            return None
        found = shared_words(self.ctx, text, entry[0], entry[1], longest=False)
        if found is None:
            return None
        # Most documents have no such word: no comprehension is run over nothing.
        after = sorted({e - 1 for _, _, e in found}) if found else ()
        if shape == "date":
            unit = _UNITS["date"].match
            return [unit(text, s).span() for s in after] if after else []
        spans = [(s, s + 1) for s in after] if after else []
        find = text.find
        for lit in _FREE_COUNT_UNITS:
            at = find(lit)
            while at >= 0:
                spans.append((at, at + len(lit)))
                at = find(lit, at + len(lit))
        spans.sort()
        return spans

    def _slot(self, text, s, e, shape, rule):
        left = text[max(0, s - 8):s]
        if not left:
            return None
        # A date slot follows a preposition of time, a head count an attendance
        # verb: the text must end with one before it is worth segmenting (most
        # 年, 月, 日, 人 and 名 of a text follow neither). Tested first: one C call
        # turns most units away.
        if shape == "date" and not left.endswith(self._words(rule, "preps")):
            return None
        if shape == "count" and text[s:e] in "人名" and not left.endswith(self._words(rule, "count_verbs")):
            return None
        if not _HAN.match(left[-1]) or _NUMERAL.search(left):
            return None
        tokens = cut(left)
        if not tokens or tokens[-1][2] != len(left):
            return None
        prev = tokens[-1][0]
        # The unit stands alone: no word runs on from it (日常, 年底, 人民, 字典).
        unit = text[s:e]
        if any(lexicon.is_word(unit + text[e:e + k]) for k in (1, 2)):
            return None
        if shape == "date" and lexicon.is_word(prev + unit):
            return None  # 今日, 昨日: one word
        after = text[e:e + 2]
        if shape == "date":
            # A slot inside the sentence: an excerpt cut after ``在年`` says nothing.
            if prev in rule.options.get("preps", []) and after[:1] not in ("", "\n") and not after[:1].isdigit():
                return s - len(prev), e
            return None
        if shape == "anniversary":
            if len(prev) >= 2 and pos(prev) != "m" and _ANNIV_END.match(after):
                return s - len(prev), e
            return None
        if not _AFTER_END.match(after):
            return None
        if text[s:e] in "人名":
            verb = next((v for v in rule.options.get("count_verbs", []) if left.endswith(v)), None)
            return (s - len(verb), e) if verb else None
        if len(prev) >= 2 and pos(prev)[:1] in ("v", "n"):
            return s - len(prev), e
        return None
