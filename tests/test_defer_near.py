"""Deferring.absorb drops, before its per-finding work, the findings that meet no
deferring finding and no judged line's visible text: it must drop exactly what
the full walk over every other finding drops (``_reference`` below, the method
as it was before that filter), on generated documents and hits."""
from __future__ import annotations

import bisect
import random

import pytest

from dj_lint.checks import base
from dj_lint.engine.linter import Linter, shipped_rules
from dj_lint.model.findings import Hit
from dj_lint.text.document import Document

_ALPHABET = "党的建设工作会议学习来源：新华社年月日，。 \u3000\t\r\n\n\n"


def _reference(self, doc, hits):
    """Deferring.absorb without the filter: every other finding walked."""
    deferring, wanted, kept = self._deferral()
    if not deferring:
        return hits
    mine, others = [], []
    for h in hits:
        label = self._defer_label(h.rule, deferring, wanted, kept)
        if label is None:
            continue
        if label is base._MINE:
            mine.append(h)
        else:
            others.append((h.start, h.end, label))
    if not mine or not others:
        return hits
    others.sort()
    text, starts = doc.text, doc.line_starts

    def visible(idx):
        s = starts[idx]
        e = starts[idx + 1] - 1 if idx + 1 < len(starts) else len(text)
        line = text[s:e]
        body = line.strip(" \t\u3000\r")
        if not body:
            return s, s
        s += len(line) - len(line.lstrip(" \t\u3000\r"))
        return s, s + len(body)

    mine_lines = {id(h): {bisect.bisect_right(starts, h.start) - 1,
                          bisect.bisect_right(starts, max(h.start, h.end - 1)) - 1} for h in mine}
    judged = set().union(*mine_lines.values())
    covered, by_cat = {}, {}
    for g_start, g_end, cat in others:
        by_cat.setdefault(cat, []).append((g_start, g_end))
        first = bisect.bisect_right(starts, g_start) - 1
        last = bisect.bisect_right(starts, max(g_start, g_end - 1)) - 1 if g_end - g_start > 1 else first
        for idx in judged.intersection(range(first, last + 1)):
            vs, ve = visible(idx)
            n = min(ve, g_end) - max(vs, g_start)
            if n > 0:
                covered[cat, idx] = covered.get((cat, idx), 0) + n
    drop = set()
    for h in mine:
        lines = mine_lines[id(h)]
        if any(covered.get((cat, idx), 0) * 2 >= max(1, visible(idx)[1] - visible(idx)[0])
               for idx in lines for cat in deferring[h.rule.id]):
            drop.add(id(h))
            continue
        for cat in deferring[h.rule.id]:
            if any(s <= h.end and e >= h.start for s, e in by_cat.get(cat, ())):
                drop.add(id(h))
                break
    return [h for h in hits if id(h) not in drop] if drop else hits


@pytest.fixture(scope="module")
def deferring_kinds():
    linter = Linter(shipped_rules())
    kinds = [k for k in linter.checks if isinstance(k, base.Deferring) and k._deferral()[0]]
    assert kinds
    return kinds, linter.rules


def _cases(kinds, rules, seed):
    """(kind, document, hits): the kind's own rules' hits among those of the rules
    they yield to and of any other rule, over generated text."""
    rng = random.Random(seed)
    text = "".join(rng.choice(_ALPHABET) for _ in range(rng.choice((20, 300, 2000))))
    doc = Document(text, path="gen.txt")
    size = len(doc.text)
    for kind in kinds:
        deferring, wanted, _ = kind._deferral()
        mine = [r for r in rules if r.id in deferring]
        others = [r for r in rules if r not in mine]
        wanted_rules = [r for r in others if r.category in wanted or r.id in wanted] or others
        hits = []
        for _ in range(rng.choice((2, 10, 60))):
            rule = rng.choice((rng.choice(mine), rng.choice(wanted_rules), rng.choice(others)))
            start = rng.randint(0, size)
            # Empty spans, one character, up to a whole line and more, across lines.
            end = min(size, start + rng.choice((0, 1, 1, 2, 3, 8, 30, 120)))
            hits.append(Hit(start, end, rule, None, {}))
        yield kind, doc, hits


@pytest.mark.parametrize("seed", range(40))
def test_absorb_drops_what_the_full_walk_drops(deferring_kinds, seed):
    kinds, rules = deferring_kinds
    for kind, doc, hits in _cases(kinds, rules, seed):
        got = kind.absorb(doc, list(hits))
        want = _reference(kind, doc, list(hits))
        assert [id(h) for h in got] == [id(h) for h in want]


def test_generated_cases_make_findings_yield_both_ways(deferring_kinds):
    """The cases above make deferring findings yield, both to a finding that meets
    them and to a half-covered line that none meets (else the comparison would
    prove little)."""
    kinds, rules = deferring_kinds
    met = half_covered = 0
    for seed in range(40):
        for kind, doc, hits in _cases(kinds, rules, seed):
            kept = {id(h) for h in _reference(kind, doc, list(hits))}
            deferring, wanted, _ = kind._deferral()
            for h in hits:
                if id(h) in kept:
                    continue
                if any(g.start <= h.end and g.end >= h.start and g is not h
                       and (g.rule.category in deferring[h.rule.id] or g.rule.id in deferring[h.rule.id])
                       for g in hits):
                    met += 1
                else:
                    half_covered += 1
    assert met > 20 and half_covered > 5
