"""kind: pairs — paired marks (“” ‘’ （） 《》 【】) left unbalanced within a paragraph.

A paragraph is a line. Each pair type is matched on its own stack, so a
reversed pair (``”…“``) shows as one closer without an opener and one opener
without a closer. Two situations are not reported here because they are
something else:

* a pair opened at the end of one line and closed at the start of the next
  non-empty line is a broken line (kind ``brokenline`` reports the break);
* a quotation running over several paragraphs repeats its opener at the start
  of each paragraph and closes only in the last one (GB/T 15834 4.8.3.4), so
  an unclosed opener that begins a line followed by a line beginning with the
  same opener is correct.

``‘`` ``’`` next to ASCII letters are apostrophes (``don’t``), not quotes.
"""
from __future__ import annotations

import bisect
import re

from ..findings import Hit
from ..ruleset import RuleError
from .base import Kind

_SPACE = " \t\u3000"

class PairsKind(Kind):
    FIELDS = {"pairs": list}
    REQUIRED = ("pairs",)
    MESSAGE_FIELDS = ("missing",)

    @classmethod
    def validate(cls, rule):
        seen = set()
        for i, pair in enumerate(rule.options["pairs"]):
            if not isinstance(pair, str) or len(pair) != 2 or pair[0] == pair[1]:
                raise RuleError(f"field 'pairs[{i}]' should be two different characters, opener then closer")
            if seen & set(pair):
                raise RuleError(f"field 'pairs[{i}]': '{pair}' repeats a character of another pair")
            seen.update(pair)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.plan = []
        for rule in rules:
            pairs = rule.options["pairs"]
            openers = {p[0]: p[1] for p in pairs}
            closers = {p[1]: p[0] for p in pairs}
            chars = re.compile("[" + re.escape("".join(pairs)) + "]")
            # Anchored at line starts: unanchored, every position of a line
            # without marks would rescan the rest of the line.
            lines_re = re.compile("^[^\n]*" + chars.pattern + "[^\n]*", re.MULTILINE)
            self.plan.append((rule, openers, closers, chars, lines_re, pairs))

    def check(self, doc):
        for plan in self.plan:
            yield from self._scan(doc, plan)

    @staticmethod
    def _apostrophe(text, pos):
        if text[pos] not in "‘’":
            return False
        around = text[pos - 1:pos] + text[pos + 1:pos + 2]
        return any("a" <= c.lower() <= "z" for c in around)

    def _unmatched(self, doc, plan):
        """{line index: (openers left open, closers without opener)}, lines with any."""
        text, starts = doc.text, doc.line_starts
        rule, openers, closers, chars, lines_re, pairs = plan
        out = {}
        for m in lines_re.finditer(text):
            # Fast path: strip adjacent pairs until nothing is left (properly nested).
            seq = "".join(chars.findall(m.group()))
            while True:
                shorter = seq
                for pair in pairs:
                    shorter = shorter.replace(pair, "")
                if shorter == seq:
                    break
                seq = shorter
            if seq:
                left, lone = self._line_stacks(text, m.start(), m.end(), openers, closers, chars)
                if left or lone:
                    out[bisect.bisect_right(starts, m.start()) - 1] = (left, lone)
        return out

    def _line_stacks(self, text, start, end, openers, closers, chars):
        stacks, lone = {}, []
        for m in chars.finditer(text, start, end):
            pos = m.start()
            ch = text[pos]
            if self._apostrophe(text, pos):
                continue
            if ch in openers:
                stacks.setdefault(ch, []).append(pos)
            elif stacks.get(closers[ch]):
                stacks[closers[ch]].pop()
            else:
                lone.append(pos)
        return sorted(p for s in stacks.values() for p in s), lone

    @staticmethod
    def _neighbour(doc, line, step):
        """Index and first visible offset of the next (step 1) or previous (step -1)
        non-empty line, or (None, None)."""
        lines, i = doc.lines, line + step
        while 0 <= i < len(lines):
            body = lines[i]
            stripped = body.lstrip(_SPACE)
            if stripped.rstrip(_SPACE):
                return i, doc.line_starts[i] + len(body) - len(stripped)
            i += step
        return None, None

    def _scan(self, doc, plan):
        text = doc.text
        rule, openers, closers = plan[:3]
        unmatched = self._unmatched(doc, plan)
        report = []
        for line, (opened, lone) in unmatched.items():
            first = self._neighbour(doc, line - 1, 1)[1]  # this line's first visible offset
            nxt, nxt_first = self._neighbour(doc, line, 1)
            prev = self._neighbour(doc, line, -1)[0]
            nxt_lone = unmatched.get(nxt, ((), ()))[1]
            prev_open = unmatched.get(prev, ((), ()))[0]
            for pos in opened:
                closer = openers[text[pos]]
                # closed on the next line (a broken line), or a multi-paragraph quotation
                if any(text[p] == closer for p in nxt_lone) or (
                        pos == first and nxt_first is not None and text[nxt_first] == text[pos]):
                    continue
                report.append((pos, closer))
            for pos in lone:
                opener = closers[text[pos]]
                first_of_kind = next(p for p in lone if text[p] == text[pos]) == pos
                if first_of_kind and any(text[p] == opener for p in prev_open):
                    continue
                report.append((pos, opener))
        for pos, missing in sorted(report):
            yield Hit(pos, pos + 1, rule, None, {"missing": missing})
