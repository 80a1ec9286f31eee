"""kind: line_block — a run of junk lines reported once, as one block.

Newspaper page furniture (版次, date and weekday, 新闻热线, 刊号, 邮发代号 …) and
the related-article lists template sites append come as several lines in a
row; one finding per block reads better than one per line
(watermarks.md §5, §7). Each non-blank line is matched against the named
``lines`` patterns; a ``filler`` line (the newspaper's name) may sit between
two junk lines; blank lines never break a block. A block is reported when it
has at least ``min_lines`` junk lines, holds at least one line of a
``strong`` pattern (if given) and the ``require`` counts. ``anchor`` limits
blocks to the start or the end of the document.
"""
from __future__ import annotations

import bisect

from ..model.findings import Hit
from ..model.rules import RuleError
from .base import Kind, anchor_index, compile_regex, register_words, shared_words

ANCHORS = ("any", "start", "end")


class LineBlockKind(Kind):
    FIELDS = {
        "lines": dict,
        "filler": str,
        "min_lines": int,
        "strong": list,
        "require": dict,
        "anchor": str,
        "requires": list,
    }
    REQUIRED = ("lines",)

    @classmethod
    def validate(cls, rule):
        o = rule.options
        if not o["lines"]:
            raise RuleError("field 'lines' should name at least one pattern")
        for name, pat in o["lines"].items():
            compile_regex(pat, f"lines.{name}")
        if "filler" in o:
            compile_regex(o["filler"], "filler")
        for name in list(o.get("strong", [])) + list(o.get("require", {})):
            if name not in o["lines"]:
                raise RuleError(f"field 'strong/require': '{name}' is not a pattern in 'lines'")
        if o.get("anchor", "any") not in ANCHORS:
            raise RuleError("field 'anchor' should be any, start or end")
        if o.get("min_lines", 2) < 1:
            raise RuleError("field 'min_lines' should be at least 1")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.prepared = []
        for rule in rules:
            o = rule.options
            self.prepared.append({
                "rule": rule,
                # Searched in one line at a time (doc.lines: no \n in any).
                "lines": [(n, compile_regex(p, n, rule=rule, one_line=True)) for n, p in o["lines"].items()],
                "filler": compile_regex(o["filler"], "filler", rule=rule, one_line=True) if "filler" in o else None,
                "min": o.get("min_lines", 2), "strong": set(o.get("strong", [])),
                "require": o.get("require", {}), "anchor": o.get("anchor", "any"),
                "requires": tuple(o.get("requires", [])),
                "combined": compile_regex("|".join(f"(?:{v})" for v in o["lines"].values()), "lines", rule=rule),
                # The ``requires`` literals as words of the run's shared automaton: whether a
                # text holds one, and where, from the pass every document pays already,
                # not from an ``in`` and a str.find loop per literal (1000 corpus files:
                # the ``in`` tests of both rules 20 ms). The first word's handle, or
                # None (no automaton, or a literal that narrows nothing, such as …).
                "shared": register_words(ctx, list(o.get("requires", []))),
            })

    def check(self, doc):
        for p in self.prepared:
            if p["requires"] and not self._holds_required(doc.text, p):
                continue
            for block in self._blocks(doc, p):
                yield Hit(block[0], block[1], p["rule"])

    def _holds_required(self, text, p) -> bool:
        first = p["shared"]
        if first is None:
            return any(r in text for r in p["requires"])
        present = anchor_index(self.ctx).present(text)
        return not present.keys().isdisjoint(range(first, first + len(p["requires"])))

    def _classify(self, p, line):
        for name, pat in p["lines"]:
            if pat.search(line):
                return name
        if p["filler"] is not None and p["filler"].search(line):
            return ""
        return None

    def _runs(self, p, lines, order):
        """Runs of junk lines [(index, name)] in document order; name "" = filler."""
        run = []
        for idx in order:
            line = lines[idx]
            if not line.strip():
                continue
            name = self._classify(p, line)
            if name is None:
                yield sorted(run)
                run = []
                if p["anchor"] != "any":
                    return  # anchored: only the first run from that end counts
                continue
            run.append((idx, name))
        yield sorted(run)

    def _seeds(self, doc, p):
        """Line indices that may hold junk: lines with a ``requires`` literal
        (str.find, fast) or, without literals, lines the combined regex hits."""
        text, found = doc.text, set()
        shared = shared_words(self.ctx, text, p["shared"], p["requires"], longest=False) \
            if p["requires"] and p["shared"] is not None else None
        if shared is not None:
            found = {s for _, s, _ in shared}
        elif p["requires"]:
            for lit in p["requires"]:
                i = text.find(lit)
                while i != -1:
                    found.add(i)
                    i = text.find(lit, i + 1)
        else:
            found = {m.start() for m in p["combined"].finditer(text)}
        return sorted({bisect.bisect_right(doc.line_starts, i) - 1 for i in found})

    def _scattered(self, doc, p, lines):
        """anchor: any — grow a block up and down from each seed line through
        junk, filler and blank lines."""
        done = -1
        classify = self._classify
        for seed in self._seeds(doc, p):
            if seed <= done:
                continue
            name = classify(p, lines[seed])
            if name is None:
                continue
            # Each line's name kept as the block grows: the block's lines were all
            # classified again to list them (DJ317 and DJ319 on the 1000 corpus files:
            # 6,485 -> 4,494 calls of _classify, each a search per pattern).
            above, below = [], []  # (index, name) of the lines with text, from the seed outwards
            lo = seed
            while lo > 0:
                if lines[lo - 1].strip():
                    found = classify(p, lines[lo - 1])
                    if found is None:
                        break
                    above.append((lo - 1, found))
                lo -= 1
            hi = seed
            while hi + 1 < len(lines):
                if lines[hi + 1].strip():
                    found = classify(p, lines[hi + 1])
                    if found is None:
                        break
                    below.append((hi + 1, found))
                hi += 1
            done = hi
            above.reverse()
            yield above + [(seed, name)] + below

    def _blocks(self, doc, p):
        starts = doc.line_starts
        lines = doc.lines
        if p["anchor"] == "any":
            blocks = self._scattered(doc, p, lines)
        else:
            order = range(len(lines) - 1, -1, -1) if p["anchor"] == "end" else range(len(lines))
            blocks = self._runs(p, lines, order)
        for run in blocks:
            # Fillers count only between junk lines.
            while run and run[-1][1] == "":
                run.pop()
            while run and run[0][1] == "":
                run.pop(0)
            names = [n for _, n in run if n]
            if len(names) < p["min"]:
                continue
            if p["strong"] and not p["strong"] & set(names):
                continue
            if any(names.count(n) < k for n, k in p["require"].items()):
                continue
            first, last = run[0][0], run[-1][0]
            start = starts[first] + (len(lines[first]) - len(lines[first].lstrip()))
            end = starts[last] + len(lines[last].rstrip())
            yield start, end
