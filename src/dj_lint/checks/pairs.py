"""kind: pairs — paired marks (“” ‘’ （） 《》 【】) left unbalanced within a paragraph.

A paragraph is a line (in Markdown files, a block of consecutive non-blank
lines, since a hard-wrapped paragraph renders as one). Each pair type is matched on its own stack, so a
reversed pair (``”…“``) shows as one closer without an opener and one opener
without a closer. Two situations are not reported here because they are
something else:

* a pair opened at the end of one line and closed at the start of the next
  non-empty line is a broken line (kind ``brokenline`` reports the break);
* a quotation running over several paragraphs repeats its opener at the start
  of each paragraph and closes only in the last one (GB/T 15834 4.8.3.4), so
  an unclosed opener that begins a line followed by a line beginning with the
  same opener is correct.

``‘`` ``’`` next to ASCII letters are apostrophes (``don’t``), not quotes; a
closer preceded on its line only by a list number (``marker``: ``1）``) is a
list marker, not half of a pair.
"""
from __future__ import annotations

import bisect
import heapq
import re
from array import array
from itertools import chain, starmap

from ..model.findings import Flood, Hit
from ..model.rules import RuleError
from ..text import multiscan, pattern_cache
from .base import Deferring, Kind, compile_regex

MARKDOWN = (".md", ".markdown")
# A paragraph: one visible line; in Markdown, a block of consecutive non-blank
# lines (a hard-wrapped paragraph renders as one).
# Lines with visible text only (the group is not optional): blank lines cost no Python step.
_BLOCK = pattern_cache.compile_re(r"^[ \t\u3000]*([^\s\u3000][^\n]*(?:\n[ \t\u3000]*[^\s\u3000][^\n]*)*)?",
                    re.MULTILINE)

# How many lines a sentence broken by hard line breaks is followed over, and how
# long a line it passes must be (a wrapped line is full; "二十大" alone is a fragment).
_REACH = 4
_SPAN = re.Match.span
# The two ways through a unit whose marks are all one opener (a paragraph that
# lost its closers, a flood); False for the general way only (tests compare them).
_ONE_OPENER = True
_WRAPPED = 16
# A text longer than this (in characters) has its marks found by runs (_uneven_lines).
_LONG = 1 << 16
_NONEMPTY = pattern_cache.compile_re(r"[^\n]+")


class PairsKind(Deferring, Kind):
    FLOODS = True
    FIELDS = {"pairs": list, "marker": str, "defer_to": list, "defer_after": list, "complete_end": str}
    REQUIRED = ("pairs",)
    MESSAGE_FIELDS = ("missing",)

    @classmethod
    def validate(cls, rule):
        cls.validate_defer(rule)
        for rid in rule.options.get("defer_after", []):
            if not isinstance(rid, str) or not rid:
                raise RuleError("field 'defer_after' should list rule ids")
        if "complete_end" in rule.options and not rule.options["complete_end"]:
            raise RuleError("field 'complete_end' should list at least one character")
        seen = set()
        for i, pair in enumerate(rule.options["pairs"]):
            if not isinstance(pair, str) or len(pair) != 2 or pair[0] == pair[1]:
                raise RuleError(f"field 'pairs[{i}]' should be two different characters, opener then closer")
            if seen & set(pair):
                raise RuleError(f"field 'pairs[{i}]': '{pair}' repeats a character of another pair")
            seen.update(pair)
        if "marker" in rule.options:
            compile_regex(rule.options["marker"], "marker")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.plan = []
        for rule in rules:
            pairs = rule.options["pairs"]
            pairs_chars = "".join(pairs)
            marker = rule.options.get("marker")
            marks = "[" + re.escape(pairs_chars) + "]"
            marks_or_break = "[" + re.escape(pairs_chars) + "\n]"
            self.plan.append((
                rule,
                {p[0]: p[1] for p in pairs},
                {p[1]: p[0] for p in pairs},
                pattern_cache.compile_re(marks),
                pairs,
                compile_regex(marker, "marker", rule=rule) if marker else None,
                pattern_cache.compile_re(marks_or_break),
                # Runs of marks and line breaks, and of marks: ``"".join(findall)``
                # is the sequence of marks with one string a run, not one a mark
                # (100,000 （ in one string, not 100,000). ``X X*``, not ``X+``: a
                # leading class lets ``re`` skip along the text to the next mark in C.
                pattern_cache.compile_re(marks_or_break + marks_or_break + "*"),
                pattern_cache.compile_re(marks + marks + "*"),
                # The marks and line breaks in order as one string, where a table
                # tells them (multiscan.CharTable): what the class's findall gives.
                multiscan.CharTable(pairs_chars + "\n"),
            ))

    def check(self, doc):
        markdown = doc.path.lower().endswith(MARKDOWN)
        # A line of plain text is its visible text (the document's visible_spans,
        # shared with hardwrap, broken_line and title_repeat); Markdown, a block.
        units = [m.span(1) for m in _BLOCK.finditer(doc.text) if m.start(1) >= 0] if markdown \
            else doc.visible_spans
        for plan in self.plan:
            some = range(len(units)) if markdown else self._uneven_lines(doc, units, plan)
            if some:
                yield from self._scan(doc.text, units, plan, some)

    @staticmethod
    def _cancelled(seq, pairs):
        """``seq`` with adjacent pairs stripped until none is left (nothing when
        properly nested)."""
        while True:
            shorter = seq
            for pair in pairs:
                shorter = shorter.replace(pair, "")
            if shorter == seq:
                return seq
            seq = shorter

    def _uneven_lines(self, doc, units, plan):
        """The indices of the units (the visible lines of a plain text) whose marks
        do not all cancel out as adjacent pairs: the only ones ``_unmatched`` can
        report. All lines' marks in one scan of the text, separated by its line
        breaks (no pair holds one, so each line cancels on its own): most texts
        then need no step per line (c100: 67 of 100, r100: 83)."""
        text = doc.text
        # A long text's marks and line breaks by runs (a flood of 100,000 （, a
        # million blank lines: one string); a shorter one's one by one, a little
        # cheaper where marks stand alone (c100 and r100: 1.8 M instructions).
        seq = plan[9].chars_in(text)
        if seq is None:
            seq = "".join((plan[6] if len(text) <= _LONG else plan[7]).findall(text))
        seq = self._cancelled(seq, plan[4])
        if not seq.strip("\n"):
            return ()
        starts, out, line, at = doc.line_starts, [], 0, 0
        for m in _NONEMPTY.finditer(seq):
            line += seq.count("\n", at, m.start())
            at = m.start()
            out.append(bisect.bisect_left(units, (starts[line],)))
        return out

    @staticmethod
    def _apostrophe(text, pos):
        if text[pos] not in "‘’":
            return False
        around = text[pos - 1:pos] + text[pos + 1:pos + 2]
        return any("a" <= c.lower() <= "z" for c in around)

    def _unmatched(self, text, units, plan, some):
        """{unit index: (openers left open, closers without opener)}, units with any
        (only units of ``some`` can have any)."""
        rule, openers, closers, chars, pairs, marker = plan[:6]
        runs = plan[8]
        out = {}
        for i in some:
            start, end = units[i]
            found = runs.findall(text, start, end)
            if not found:
                continue
            # Fast path: strip adjacent pairs until nothing is left (properly nested).
            seq = "".join(found)
            mark = seq[0]
            if _ONE_OPENER and mark in openers and mark not in "‘’" and seq.count(mark) == len(seq):
                # One opener and nothing else (a paragraph that lost all its closers;
                # a flood of 100,000 （): all of them left open, the offsets of each
                # run's marks counted in C rather than by _stacks' step per mark.
                spans = map(_SPAN, runs.finditer(text, start, end))
                out[i] = ((array("q", chain.from_iterable(starmap(range, spans))),), array("q"))
                continue
            if self._cancelled(seq, pairs):
                left, lone = self._stacks(text, start, end, plan)
                if left or lone:
                    out[i] = (left, lone)
        return out

    def _stacks(self, text, start, end, plan):
        rule, openers, closers, chars, pairs, marker = plan[:6]
        # Positions in arrays of machine integers (8 bytes, not 36): a line of a
        # million unclosed “ keeps them all. Each stack holds one opener and
        # stays sorted (appended in text order, popped from its end).
        stacks, lone = {}, array("q")
        apostrophe = self._apostrophe
        for m in chars.finditer(text, start, end):
            pos = m.start()
            ch = text[pos]
            # (_apostrophe's own first test here: a call per mark was a tenth of a
            # flood of 200,000 unclosed brackets)
            if ch in "‘’" and apostrophe(text, pos):
                continue
            if ch in openers:
                stack = stacks.get(ch)
                if stack is None:
                    stack = stacks[ch] = array("q")
                stack.append(pos)
            elif stacks.get(closers[ch]):
                stacks[closers[ch]].pop()
            elif not (marker and marker.fullmatch(text, text.rfind("\n", 0, pos) + 1, pos)):
                lone.append(pos)  # (a closer after a list number, 1）, is a marker)
        return tuple(s for s in stacks.values() if s), lone

    def absorbing(self):
        """Deferring rules, and rules with ``defer_after``: whose hits give absorb work."""
        found = self.__dict__.get("_absorbing")
        if found is None:
            found = self.__dict__["_absorbing"] = frozenset(super().absorbing()) | frozenset(
                r.id for r in self.rules if r.options.get("defer_after"))
        return found

    def absorb(self, doc, hits):
        """Besides ``defer_to``: an opener whose line goes on into a finding of one of
        the ``defer_after`` rules (mojibake that ate the closer: ``深夜?!崩``) yields to it."""
        hits = super().absorb(doc, hits)
        plan = self.__dict__.get("_after_plan")
        if plan is None:  # the same for every document
            after = {r.id: set(r.options["defer_after"]) for r in self.rules if r.options.get("defer_after")}
            plan = self.__dict__["_after_plan"] = (after, set().union(*after.values()))
        after, wanted = plan
        if not after:
            return hits
        later = sorted(h.start for h in hits if h.rule.id in wanted)
        if not later:
            return hits
        drop = set()
        for h in hits:
            if h.rule.id in after and doc.text[h.start] in self._openers(h.rule):
                _, unit_end = doc.line_span(h.start)
                i = bisect.bisect_right(later, h.start)
                if i < len(later) and later[i] < unit_end:
                    drop.add(id(h))
        return [h for h in hits if id(h) not in drop] if drop else hits

    @staticmethod
    def _openers(rule):
        return {p[0] for p in rule.options["pairs"]}

    @staticmethod
    def _run(text, units, i, step, complete):
        """Indices of the units a sentence broken at unit i may continue into (step 1)
        or come from (step -1): always the neighbour; further while no unit on the
        way ends with a mark of `complete_end` and each one passed is a full line,
        at most _REACH units."""
        def ended(u):
            return not complete or text[units[u][1] - 1] in complete

        out = []
        j = i + step
        while 0 <= j < len(units):
            out.append(j)
            k = j + step
            if not 0 <= k < len(units) or len(out) >= _REACH:
                break
            if ended(min(j - step, j)) or ended(min(j, k)) or units[j][1] - units[j][0] < _WRAPPED:
                break
            j = k
        return out

    @staticmethod
    def _in_order(still_open, never_opened, opened, lone):
        """The unit's marks of both kinds by position: merged when it has both, else
        the one kind as it comes (heapq.merge, a generator in Python, cost 0.3 us
        a mark: a line of 200,000 unclosed brackets, with the test on ‘’ in
        ``_stacks``, 0.58 -> 0.45 s CPU; tests/test_pairs_order.py compares both)."""
        if opened and lone:
            return heapq.merge(still_open, never_opened)
        return still_open if opened else never_opened

    def _scan(self, text, units, plan, some):
        """The unit's unmatched marks in text order, as they are found: units are
        disjoint and in order, so merging each unit's two sorted lists gives the
        order of the whole text without holding every hit (5 MB of “ is 1.7
        million) in one list."""
        rule, openers, closers = plan[:3]
        unmatched = self._unmatched(text, units, plan, some)
        # An excerpt cut off mid-sentence (the document's last paragraph does not end
        # with a mark from `complete_end`) may close its quotation in the part that is missing.
        complete = rule.options.get("complete_end")
        cut_off = None
        if complete and units:
            last_start, last_end = units[-1]
            if text[last_end - 1] not in complete:
                cut_off = len(units) - 1
        for i, (opened, lone) in unmatched.items():
            first = units[i][0]
            nxt_first = units[i + 1][0] if i + 1 < len(units) else None
            if i == cut_off:
                # only the quotation still open where the text stops: the last opener of each kind
                opened = tuple(st[:-1] for st in opened if len(st) > 1)
            # The lines a broken sentence runs on to: the next one, and the ones after
            # it while the line before does not end a sentence (a hard-wrapped PDF
            # paragraph: “…金\n句”的模板…如“2025…\n…的重要\n标志’。…落实”。).
            ahead = self._run(text, units, i, 1, complete)
            behind = self._run(text, units, i, -1, complete)
            # Sets of characters: a per-mark scan of the neighbour's list was quadratic.
            nxt_lone = {text[p] for j in ahead for p in unmatched.get(j, ((), ()))[1]}
            if _ONE_OPENER and len(opened) == 1 and not lone:
                # One kind of opener left open and nothing else (a flood: a line of
                # 100,000 （): what still_open gives, without a generator step per
                # mark. The stack is one character's, sorted: its closer is the
                # same for all, and only its first can stand at the unit's start.
                (stack,) = opened
                closer = openers[text[stack[0]]]
                if closer in nxt_lone:
                    continue
                if stack[0] == first and nxt_first is not None and text[nxt_first] == text[first]:
                    stack = stack[1:]
                # (One object for them all: the engine makes the hits it may report.)
                yield Flood.at(stack, 1, rule, None, {"missing": closer})
                continue
            prev_open = {text[st[0]] for j in behind for st in unmatched.get(j, ((), ()))[0]}

            def still_open(opened=opened, first=first, nxt_first=nxt_first, nxt_lone=nxt_lone):
                for pos in heapq.merge(*opened):
                    closer = openers[text[pos]]
                    # closed in the next paragraph (a broken line), or a multi-paragraph quotation
                    if closer in nxt_lone or (
                            pos == first and nxt_first is not None and text[nxt_first] == text[pos]):
                        continue
                    yield pos, closer

            def never_opened(lone=lone, prev_open=prev_open):
                seen = set()
                for pos in lone:
                    ch = text[pos]
                    opener = closers[ch]
                    first_of_kind = ch not in seen
                    seen.add(ch)
                    if first_of_kind and opener in prev_open:
                        continue
                    yield pos, opener

            for pos, missing in self._in_order(still_open(), never_opened(), opened, lone):
                yield Hit.of(pos, pos + 1, rule, None, {"missing": missing})
