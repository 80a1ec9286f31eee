"""The engine's fast paths make what the plain ones make: Linter._findings' own
findings of a plain text file (vs Linter.finding for each), the sort keys
computed in C (vs Finding.sort_key), the backward clause search (vs a walk over
every clause end), and the lines a report keeps (vs one line per finding)."""
from __future__ import annotations

import random
from array import array

import pytest

from dj_lint.app import run as run_mod
from dj_lint.engine import linter as linter_mod
from dj_lint.engine.linter import Context, Linter, _Pending, shipped_rules
from dj_lint.checks.budget import RegexBudget
from dj_lint.model.findings import SORT_KEY, Finding, Flood, Hit, KeptLines
from dj_lint.text import document as document_mod
from dj_lint.text.document import Document

# Characters of ordinary report prose, clause ends, blanks and line breaks.
_ALPHABET = "党的建设工作会议学习贯彻落实年月日一二三，。、：；“”（）()[]!? \u3000\t\n\n\nXX__"


def _text(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(size))


def _docs(rng: random.Random):
    """Generated documents: plain files, files with \\r\\n or \\r line breaks (the
    fast path), and Markdown, which goes through Linter.finding."""
    out = []
    for i in range(12):
        text = _text(rng, rng.choice((0, 1, 30, 400, 3000)))
        out.append(Document(text, path=f"gen{i}.txt"))
    out.append(Document(_text(rng, 500).replace("\n", "\r\n"), path="crlf.txt"))
    out.append(Document(_text(rng, 500).replace("\n", "\r"), path="cr.txt"))
    mixed = "".join(rng.choice(("\r\n", "\r", "\n")) if ch == "\n" else ch for ch in _text(rng, 800))
    out.append(Document(mixed, path="mixed.txt"))
    out.append(Document("# 标题\n\n**重要**：" + _text(rng, 300), path="notes.md"))
    out.append(Document("\n\n\n", path="blank.txt"))
    return out


def _hits(rng: random.Random, doc: Document, rules, n: int):
    size = len(doc.text)
    hits = []
    for _ in range(n):
        start = rng.randint(0, size)
        # Empty spans, spans to a line break, across lines, to the end of the text.
        end = min(size, start + rng.choice((0, 0, 1, 2, 5, 40, 200)))
        rule = rng.choice(rules)
        suggestion = rng.choice((None, "", "改", doc.text[start:end]))
        fields = rng.choice(({}, {"missing": "”"}, {"item": "X", "since": "2020"}))
        hits.append(Hit(start, end, rule, suggestion, fields))
        if rng.random() < 0.1:  # the same span again (deduplicated)
            hits.append(Hit(start, end, rule, rng.choice((None, "又")), fields))
    return hits


def _findings(linter, doc, hits, cap, keep_fixable):
    p = _Pending(doc, RegexBudget(1e9), cap, keep_fixable)
    for hit in hits:
        p.take(hit)
    return linter._findings(p)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("cap,keep_fixable", [(0, False), (1000, False), (3, False), (3, True)])
def test_fast_findings_are_the_plain_ones(monkeypatch, seed, cap, keep_fixable):
    rules = shipped_rules()
    linter = Linter(rules, Context(max_per_rule=cap))
    rng = random.Random(seed)
    plain_kept = 0
    for doc in _docs(rng):
        hits = _hits(rng, doc, rules[:: max(1, len(rules) // 25)], 60)
        monkeypatch.setattr(linter_mod, "FAST_FINDINGS", True)
        fast = _findings(linter, doc, hits, cap, keep_fixable)
        fast_warnings = list(linter.ctx.warnings)
        monkeypatch.setattr(linter_mod, "FAST_FINDINGS", False)
        plain = _findings(linter, doc, hits, cap, keep_fixable)
        assert [f.as_dict() for f in fast] == [f.as_dict() for f in plain]
        assert [(f.start, f.end) for f in fast] == [(f.start, f.end) for f in plain]
        assert fast == plain and linter.ctx.warnings == fast_warnings
        plain_kept += len(plain)
    assert plain_kept > 100


def test_fast_findings_of_a_real_lint(monkeypatch):
    """The shipped kinds over generated text, with the fast path and without."""
    rng = random.Random(7)
    linter = Linter(shipped_rules())
    texts = ["关于2024年度XX党支部工作情况的报告\n一、主要工作\n" + _text(rng, 2000) + "\n____年__月__日\n"
             for _ in range(4)]
    got = {}
    for fast in (True, False):
        monkeypatch.setattr(linter_mod, "FAST_FINDINGS", fast)
        docs = [Document(t, path=f"r{i}.txt") for i, t in enumerate(texts)]
        got[fast] = [[f.as_dict() for f in found] for found in linter.lint_many(docs)]
    assert got[True] == got[False] and sum(map(len, got[True])) > 10


@pytest.mark.parametrize("stream_cap", [0, 3])
def test_cap_warnings_of_each_rule_past_the_cap(stream_cap):
    """A rule past --max-per-rule has its warning whether its hits were counted
    while streaming (_Pending's cap) or only here (a file with suppression
    comments streams uncapped); rules at or under the cap have none."""
    rules = shipped_rules()
    doc = Document("党的建设工作会议学习贯彻落实\n" * 20, path="cap.txt")
    for n_a, n_b, warned in ((10, 2, [rules[0].id]), (3, 4, [rules[1].id]), (3, 3, []),
                             (5, 7, [rules[0].id, rules[1].id])):
        linter = Linter(rules, Context(max_per_rule=3))
        hits = [Hit(i, i + 1, rules[0], None, {}) for i in range(n_a)]
        hits += [Hit(i, i + 2, rules[1], None, {}) for i in range(n_b)]
        found = _findings(linter, doc, hits, stream_cap, False)
        assert len(found) == min(n_a, 3) + min(n_b, 3)
        assert linter.ctx.warnings == [f"cap.txt: {rid} 共 {n} 处，只报告了前 3 处（--max-per-rule 0 可全部报告）"
                                       for rid, n in sorted([(rules[0].id, n_a), (rules[1].id, n_b)])
                                       if rid in warned]


def test_messages_made_once_are_the_templates(monkeypatch):
    """A message of a hit without fields, kept by (template, text, suggestion)
    and used again for the next such hit, is the one its template makes for it:
    the same findings as with nothing kept (``_MESSAGES_MAX`` 0)."""
    rules = [r for r in shipped_rules() if "{text}" in r.message or "{suggestion}" in r.message][::5]
    assert any("{suggestion}" in r.message for r in rules)
    rng = random.Random(13)
    doc = Document(_text(rng, 3000) + "\r\n{text}改\r{suggestion}\n", path="m.txt")
    size = len(doc.text)
    hits = []
    for _ in range(400):
        start = rng.randint(max(0, size - 30), size) if rng.random() < 0.3 else rng.randint(0, size)
        end = min(size, start + rng.choice((0, 1, 2, 5, 30)))
        # The same rule, span and text with other suggestions; fields now and then.
        suggestion = rng.choice((None, "", "改", "{text}", doc.text[start:end]))
        fields = rng.choice(({}, {}, {}, {"suggestion": "x", "item": "X"}))
        hits.append(Hit(start, end, rng.choice(rules), suggestion, fields))
    linter = Linter(rules)
    linter_mod._MESSAGES.clear()
    found = [linter.finding(doc, hit) for hit in hits + hits]
    assert len(linter_mod._MESSAGES) > 50
    monkeypatch.setattr(linter_mod, "_MESSAGES_MAX", 0)
    linter_mod._MESSAGES.clear()
    plain = [linter.finding(doc, hit) for hit in hits + hits]
    assert not linter_mod._MESSAGES
    assert [f.message for f in found] == [f.message for f in plain] and found == plain


def test_an_absorb_is_skipped_only_on_a_document_without_its_rules_hits():
    """_finish knows the rules with hits from the heaps (one a rule) and the hits
    kept apart, without a look at each hit, until an absorb drops or adds hits:
    an absorb that names its rules (``absorbing``) runs exactly when one of them
    has a hit among those it would see, capped or not, under --fix or not."""
    # A rule with a replacing fix: under --fix its hits with another text are kept
    # apart from the heaps, and a rule may have no other hits.
    fixing = next(r for r in shipped_rules() if (r.fix or {}).get("action") == "replace")
    rules = shipped_rules()[::40] + [fixing]
    rng = random.Random(17)
    for cap, keep_fixable in ((0, False), (1000, False), (2, False), (2, True)):
        for doc in _docs(rng):
            hits = _hits(rng, doc, rules[:-1], rng.choice((0, 3, 20)))
            if doc.text and rng.random() < 0.7:
                hits.append(Hit(0, 1, fixing, "改" if doc.text[0] != "改" else "党", {}))
            wanted = [set(rng.sample([r.id for r in rules], 2)) for _ in range(3)]
            wanted[1] = {fixing.id}
            seen, ran = [], []
            linter = Linter(rules, Context(max_per_rule=cap))

            def look(doc, out):
                seen.append({h.rule.id for h in out})
                return out

            def drop(doc, out):  # a new list without the first rule's hits
                return [h for h in out if h.rule is not rules[0]]

            def named(i):
                def absorb(doc, out):
                    ran.append(i)
                    seen.append({h.rule.id for h in out})
                    return out
                return absorb, frozenset(wanted[i])

            linter._absorbers = [(look, None), named(0), named(1), (drop, None), named(2)]
            _findings(linter, doc, hits, cap, keep_fixable)
            if not hits:
                # Nothing to fold: a document without a hit (nor a suppression
                # comment) is judged by no absorb at all.
                assert ran == [] and seen in ([], [set()]), (cap, keep_fixable, doc.path)
                continue
            present = seen[0]
            expected = [i for i in (0, 1) if wanted[i] & present]
            if wanted[2] & (present - {rules[0].id}):
                expected.append(2)
            assert ran == expected, (cap, keep_fixable, doc.path)


def test_sort_keys_are_finding_sort_key():
    rng = random.Random(3)
    findings = [Finding.of(rng.choice("ab"), rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3),
                           rng.randint(1, 3), rng.choice(("DJ1", "DJ2")), "n", "typo", "info", "m", "t",
                           None, False, 0, 0, None) for _ in range(300)]
    for f in findings:
        assert SORT_KEY(f) == f.sort_key()
        assert (f.path,) + linter_mod._ORDER(f) == f.sort_key()
    assert sorted(findings, key=SORT_KEY) == sorted(findings, key=lambda f: f.sort_key())


def _clause_left_plain(text: str, start: int) -> int:
    lo = max(0, start - document_mod._CLAUSE_MAX)
    left = lo
    for m in document_mod._CLAUSE_END.finditer(text, lo, start):
        left = m.end()
    return left


def test_clause_span_searches_back_like_a_walk():
    rng = random.Random(5)
    for size in (0, 1, 39, 41, 500, 5000):
        doc = Document(_text(rng, size) + "\ud800" * (size % 2), path="c.txt")
        text = doc.text
        for _ in range(300):
            start = rng.randint(0, len(text))
            end = min(len(text), start + rng.randint(0, 5))
            assert doc.clause_span(start, end)[0] == _clause_left_plain(text, start)


@pytest.mark.parametrize("keep", [run_mod.NO_LINES, run_mod.FINDING_LINES])
def test_kept_lines_are_those_of_the_findings(keep):
    rng = random.Random(11)
    doc = Document(_text(rng, 3000), path="k.txt")
    n = len(doc.source_lines)
    found = [Finding.of("k.txt", a, 1, b, 1, "DJ1", "n", "typo", "info", "m", "t", None, False, 0, 0, None)
             for a, b in ((rng.randint(1, n), rng.randint(1, n)) for _ in range(40))]
    kept = run_mod._kept_lines(doc, found, keep)
    numbers = set() if keep == run_mod.NO_LINES else {m for f in found for m in (f.line, f.end_line)}
    plain = KeptLines.of(doc.source_lines, numbers)
    assert len(kept) == len(plain) == n and kept.kept == plain.kept
    assert run_mod._kept_lines(doc, [], keep) is None


def _give_way_plain(hits, yielding):
    """_give_way as a walk over every hit (what it did before picking them out in C)."""
    mine = [h for h in hits if h.rule.id in yielding]
    spans = {(h.start, h.end) for h in mine}
    at = {}
    for h in hits:
        if (h.start, h.end) in spans:
            at.setdefault((h.start, h.end), []).append(h.rule)
    dropped = set()
    for h in mine:
        wanted = yielding[h.rule.id]
        for other in at[h.start, h.end]:
            if other.id == h.rule.id or not (other.category in wanted or other.id in wanted):
                continue
            back = yielding.get(other.id)
            if back and (h.rule.category in back or h.rule.id in back):
                continue
            dropped.add(id(h))
            break
    return [h for h in hits if id(h) not in dropped]


def test_give_way_picks_out_what_the_plain_walk_does():
    rules = shipped_rules()[::30]
    rng = random.Random(23)
    doc = Document(_text(rng, 400), path="g.txt")
    for _ in range(200):
        names = [r.id for r in rules] + sorted({r.category for r in rules})
        yielding = {r.id: frozenset(rng.sample(names, rng.randint(1, 3)))
                    for r in rng.sample(rules, rng.randint(1, 4))}
        hits = _hits(rng, doc, rules, rng.choice((0, 1, 5, 40)))
        # Spans shared by several rules, and starts shared by other spans.
        hits += [Hit(h.start, h.end if rng.random() < 0.7 else h.end + 1, rng.choice(rules), None, {})
                 for h in hits[: len(hits) // 2]]
        assert linter_mod._give_way(hits, yielding) == _give_way_plain(hits, yielding)
        assert [id(h) for h in linter_mod._give_way(hits, yielding)] == \
               [id(h) for h in _give_way_plain(hits, yielding)]


class _Replay:
    """A kind whose check yields the given hits of each document."""

    def __init__(self, hits_of):
        self.hits_of = hits_of

    def check(self, doc):
        return iter(self.hits_of.get(doc.path, ()))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("cap,raw_most", [(1000, 1 << 14), (3, 1 << 14), (3, 7), (1000, 5)])
def test_hits_kept_as_they_come_are_those_taken_one_by_one(monkeypatch, seed, cap, raw_most):
    """Linter._run keeps a document's hits as they come (_Pending.raw) and
    settles them at the end; the findings and warnings are those of taking each
    hit one by one (_Pending.take), with rules past the cap, the same span twice
    with other suggestions (the heap order decides which is reported) and more
    hits than _RAW_MOST (taken one by one from there on)."""
    monkeypatch.setattr(linter_mod, "_RAW_MOST", raw_most)
    rules = shipped_rules()
    rng = random.Random(seed)
    for doc in _docs(rng):
        kinds = [_hits(rng, doc, rules[:: max(1, len(rules) // 25)], rng.choice((0, 1, 4, 30)))
                 for _ in range(3)]
        got = []
        for streamed in (True, False):
            linter = Linter(rules, Context(max_per_rule=cap))
            p = linter._pending(doc, cap, False, False)
            if streamed:
                assert p.raw is not None
                for hits in kinds:
                    linter._run(_Replay({doc.path: hits}), [p])
            else:
                for hits in kinds:
                    for hit in hits:
                        p.take(hit)
            found = linter._findings(p)
            got.append(([f.as_dict() for f in found], list(linter.ctx.warnings)))
        assert got[0] == got[1]


class _FloodReplay(_Replay):
    """A kind whose check yields the given hits and floods (``Kind.FLOODS``)."""
    FLOODS = True


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("cap,raw_most,keep_fixable", [(3, 1 << 14, False), (3, 7, False), (1000, 1 << 14, False),
                                                       (0, 1 << 14, False), (3, 1 << 14, True)])
def test_a_flood_gives_what_its_hits_one_by_one_give(monkeypatch, seed, cap, raw_most, keep_fixable):
    """A kind may yield many hits of one rule as one ``Flood``, of which the engine
    makes only the hits it may report and counts the rest (_Pending.unflooded): the
    findings and warnings (the rule's exact count past the cap) are those of its
    hits yielded one by one, with other hits of the same rule before, between
    and after floods, other rules' hits, no cap (a file with suppression
    comments) and every fixable hit kept (--fix)."""
    monkeypatch.setattr(linter_mod, "_RAW_MOST", raw_most)
    rules = shipped_rules()
    rng = random.Random(seed)
    floods = 0
    for doc in _docs(rng):
        size = len(doc.text)
        if size < 20:
            continue
        rule = rng.choice(rules)
        items = _hits(rng, doc, [rule, rng.choice(rules)], rng.choice((0, 4, 30)))
        for _ in range(rng.randint(1, 3)):
            starts = sorted(rng.sample(range(size - 2), min(size - 2, rng.choice((1, 3, 4, 5, 60)))))
            flood = Flood.at(array("q", starts), rng.choice((0, 1, 2)), rule, rng.choice((None, "改")),
                          {"missing": "”"})
            items.insert(rng.randint(0, len(items)), flood)
            floods += len(flood) > cap + 1
        one_by_one = [h for item in items for h in (item.hits() if isinstance(item, Flood) else [item])]
        got = []
        for kind in (_FloodReplay({doc.path: items}), _Replay({doc.path: one_by_one})):
            linter = Linter(rules, Context(max_per_rule=cap))
            p = linter._pending(doc, cap, keep_fixable, False)
            linter._run(kind, [p])
            found = linter._findings(p)
            got.append(([f.as_dict() for f in found], list(linter.ctx.warnings)))
        assert got[0] == got[1]
    assert floods or cap == 1000
