"""The fast paths of the regex-pattern kinds' scans find what the plain paths find:
finditer_anchored under the sampler (budget.pulled, one activation a scan) against
the plain and exact-budget scans, the one-line windows against the general ones,
PatternKind's ``requires`` test against ``in``, and ObsoleteKind's sentence and
paragraph helpers against their plain forms — on the seeds and generated text."""
from __future__ import annotations

import datetime as dt
import os
import random
import re

import pytest
import regex

from dj_lint.checks import base, budget, obsolete, pattern
from dj_lint.engine.linter import Context, Linter, shipped_rules
from dj_lint.text import multiscan, regex_anchors
from seed_texts import shuffled_seed_texts

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _texts():
    texts = shuffled_seed_texts(7, 40)
    texts += ["", "\n", "党\n" * 50, "1、" + "a" * 300]
    return texts


def _scans(linter):
    """(pattern, handle, keywords) of every PatternKind and ObsoleteKind pattern."""
    for kind in linter.checks:
        if type(kind).__name__ == "PatternKind":
            for _, patterns, _, _ in kind.compiled:
                for pat, handle, _, _ in patterns:
                    yield pat, handle, {}
        elif type(kind).__name__ == "ObsoleteKind":
            for _, _, patterns, *_ in kind.compiled:
                for pat, handle, *_ in patterns:
                    yield pat, handle, {"overlapped": False}


def _sampled(ctx, pat, handle, text, **kw):
    """(span, groups) of finditer_anchored's matches under a sampled budget, as the command scans."""
    budget.set_budget(budget.SampledBudget(1e9))
    try:
        return [(m.span(), m.groups()) for m in base.finditer_anchored(ctx, pat, handle, text, 5.0, **kw)]
    finally:
        budget.set_budget(None)


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")
def test_sampled_scans_find_what_plain_and_exact_scans_find():
    linter = Linter(shipped_rules(), Context(as_of=dt.date(2026, 12, 1)))
    ctx = linter.ctx
    scans = list(_scans(linter))
    assert sum(handle is None for _, handle, _ in scans) > 5 and sum(h is not None for _, h, _ in scans) > 50
    seen = 0
    try:
        for text in _texts():
            present = ctx.anchors.present(text)
            for pat, handle, kw in scans:
                budget.set_budget(None)
                want = [(m.span(), m.groups()) for m in base.finditer_anchored(ctx, pat, handle, text, 5.0, **kw)]
                budget.set_budget(budget.RegexBudget(1e9))
                exact = [(m.span(), m.groups()) for m in base.finditer_anchored(ctx, pat, handle, text, 5.0, **kw)]
                budget.set_budget(budget.SampledBudget(1e9))
                got = [(m.span(), m.groups())
                       for m in base.finditer_anchored(ctx, pat, handle, text, 5.0, present, **kw)]
                assert got == want == exact, (pat.pattern, text[:80])
                seen += len(want)
    finally:
        budget.set_budget(None)
    assert seen > 100


def test_pattern_kind_finds_under_the_sampler_what_it_finds_without():
    """PatternKind.check under a sampled budget scans by base.anchored_taken and
    skips the walk of a scan that found nothing: the same hits as without a budget
    and under an exact one (finditer_anchored), on the seeds and generated text,
    long and short, with lines of a few characters now and then (no led scans)."""
    from dj_lint.text.document import Document
    linter = Linter(shipped_rules(), Context(as_of=dt.date(2026, 12, 1)))
    kind = next(c for c in linter.checks if type(c).__name__ == "PatternKind")
    rng = random.Random(17)
    texts = _texts()
    lines = [line for t in texts for line in t.split("\n")]
    texts += ["\n".join(rng.choice(lines)[:rng.choice([3, 12, 60, 400])] for _ in range(rng.randint(1, 25)))
              for _ in range(150)]
    seen = 0
    try:
        for text in texts:
            got = {}
            for name, spent in (("none", None), ("exact", budget.RegexBudget(1e9)),
                                ("sampled", budget.SampledBudget(1e9))):
                budget.set_budget(spent)
                got[name] = [(h.start, h.end, h.rule.id, h.suggestion)
                             for h in kind.check(Document(text, path="a.txt"))]
            assert got["sampled"] == got["none"] == got["exact"], text[:80]
            seen += len(got["none"])
    finally:
        budget.set_budget(None)
    assert seen > 500


def test_windowed_scans_past_a_chunk_find_what_plain_scans_find():
    """base._pulled_windows takes a scan's first chunk without a generator and
    goes on by one after _CHUNK matches, in the middle of a window or at its end:
    the same matches as a plain scan, for counts around and past a chunk."""
    index = multiscan.AnchorIndex()
    if not multiscan.available():
        pytest.skip("ahocorasick-rs not installed")

    class Ctx:
        anchors = index
    pats = [budget.Budgeted(regex.compile(s, regex.MULTILINE), f"W{i}")
            for i, s in enumerate([r"Q[ab]?", r"(?<![a])Qb*(?=[ab]|$)", r"[ab]Q"])]
    handles = [base.register_anchors(Ctx, pat) for pat in pats]
    assert all(h is not None for h in handles)
    rest = base._windows_rest
    used = []

    def counting(*args):
        used.append(1)
        return rest(*args)
    base._windows_rest = counting
    rng = random.Random(11)
    sizes = set()
    try:
        for n in range(1500):
            # Lines with and without Q (windows apart), and long runs of Q on one line.
            pieces = ["Q", "Qa", "Qb", "a", "b", "xyz" * 20, "\n", "\n", "QQQQQQQQ"]
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 50 if n % 2 else 600)))
            for pat, handle in zip(pats, handles):
                want = [(m.span(), m.groups()) for m in pat.pat.finditer(text)]
                got = _sampled(Ctx, pat, handle, text)
                assert got == want, (pat.pattern, text)
                sizes.add(len(want))
    finally:
        base._windows_rest = rest
    assert used and {budget._CHUNK - 1, budget._CHUNK, budget._CHUNK + 1} <= sizes and max(sizes) > 3 * budget._CHUNK


def test_first_chars_of_a_class_led_pattern():
    first = regex_anchors.first_chars
    assert first(r"[（(](?=\p{Han})\p{Han}{4,20}") == "(（"
    assert first(r"[\[［【〔]\s*[xX×＊*]{1,3}") == "[【〔［"
    assert first(r"[ab]|c") == "abc" and first(r"(?:a|b)x") == "ab"
    # Led by a lookaround: the first character a match consumes, through what
    # consumes nothing, optional and repeated parts and alternations.
    assert first(r"(?<=\p{Han})(?<![图表])[ \t\u3000]+(?P<n>\d+)") == "\t \u3000"
    assert first(r"(?<=a)[bc]") == "bc" and first(r"(?!x)(?:(?<=y)b+)?c") == "bc"
    assert first(r"(?<=a)(?:b|c\b|(?=d)e)") == "bce" and first(r"(?<![#＃])[#＃]{2,}") == "#＃"
    # Not known: a range, a property, a category, a negated or repeated class, an
    # alternation first, a literal first (regex finds it fast); led by a
    # lookaround, a match that may be empty, one character, a digit, a Han
    # character, a line break, a property or a case-insensitive part first.
    for source in [r"[a-c]x", r"[\p{Han}(]", r"[\d(]", r"[^ab]", r"[ab]+", r"[ab]?c",
                   r"[ab]x|c", r"0[ab]", r"[\n(]", r"[ab]{0,2}c", r"[ab]a(*SKIP)(*FAIL)|[ab]",
                   r"(?<=a)b?", r"(?<=a)b", r"(?<=a)(?:b|c)?d*", r"(?<![\d.])(?:19|20)\d{2}", r"(?<=a)[大约]",
                   r"(?<=a)[\nb]", r"(?<=a)(?:\p{Han}|b)", r"(?<=a)(?i:b|c)", r"(?i)(?<=a)[bc]", r"(?=a)\w",
                   r"(?<=a)[bc](*SKIP)(*FAIL)|(?<=a)[bc]"]:
        assert first(source) is None, source


def test_cached_shapes_are_the_analysis_itself():
    """base asks the build cache for first_chars and anchored_at_start (parsed once
    per build, not at every start): what it keeps is what the analysis says, for
    every shipped scan and the shapes above, asked twice (computed, then kept)."""
    linter = Linter(shipped_rules(), Context(as_of=dt.date(2026, 12, 1)))
    sources = [pat.pattern for pat, _, _ in _scans(linter)]
    sources += [r"[（(](?=\p{Han})\p{Han}{4,20}", r"[ab]|c", r"[ab]x|c", r"^[ \t]*[（(]x", r"^a|b", "^"]
    assert any(regex_anchors.first_chars(s) for s in sources)
    assert any(regex_anchors.anchored_at_start(s) for s in sources)
    for _ in range(2):
        for source in sources:
            assert regex_anchors.cached_first_chars(source) == regex_anchors.first_chars(source), source
            assert regex_anchors.cached_anchored_at_start(source) == regex_anchors.anchored_at_start(source), source


def test_class_led_scans_find_what_plain_scans_find():
    """base._at_starts: a pattern scanned whole whose matches start with one of a
    few characters is tried only where they stand (by str.find), unless they are
    too many: the same matches as finditer, around and past the density limit."""
    index = multiscan.AnchorIndex()

    class Ctx:
        anchors = index
    sources = [r"[（(](?=\p{Han})(?<=^[^\n。]{0,8}[（(])\p{Han}{2,4}\d{1,2}[)）](?=[ \t]*$)",
               r"[\[【]\s*[xX]{1,2}\s*[\]】]", r"[ab][^\n]{0,3}?b", r"[ab](?<=ab)b*",
               # led by lookarounds (regex_anchors.first_chars reads through them)
               r"(?<=\p{Han})(?<![图表])[ \t]+(?P<n>[xX]+|\))", r"(?<![ab])(?:(?<=[。（])[ab]+)?[（(]b*",
               r"(?!ab)(?<=[^\n])[ab]{2}"]
    pats = [budget.Budgeted(regex.compile(s, regex.MULTILINE), f"F{i}") for i, s in enumerate(sources)]
    assert all(base._first_chars(p) for p in pats)
    at_starts = base._at_starts
    used = []

    def counting(*args):
        used.append(1)
        return at_starts(*args)
    base._at_starts = counting
    rng = random.Random(13)
    seen = 0
    try:
        for n in range(400):
            # Prose with a few clusters of the leading characters (matches that end
            # where the next one starts), sparse or, now and then, past the limit.
            clusters = ["(", "（", ")", "）", "(党建12)(党建12)\n", "（党建党建3） \n", "[x]【X】", "[ xx ]", "\n",
                        "a", "b", "ab", "abab", "aabb", "ab\nab", " ", "\t", "  x", "图 x", "。ab(", "（bb（bb"]
            rate = 0.01 if n % 5 else 0.3
            text = "".join(rng.choice(clusters) if rng.random() < rate else "学习贯彻党的精神。"
                           for _ in range(rng.randint(150, 400)))
            for pat in pats:
                want = [(m.span(), m.groups()) for m in pat.pat.finditer(text)]
                got = _sampled(Ctx, pat, None, text)
                assert got == want, (pat.pattern, text)
                seen += len(want)
    finally:
        base._at_starts = at_starts
    assert seen > 1000 and len(used) > 200


def test_no_single_positions_for_a_pattern_with_a_backtracking_verb():
    """After (*SKIP) finditer goes on past positions that a match at each would try:
    such a pattern is scanned in its windows, not at single positions."""
    index = multiscan.AnchorIndex()
    if not multiscan.available():
        pytest.skip("ahocorasick-rs not installed")

    class Ctx:
        anchors = index
    pat = budget.Budgeted(regex.compile(r"(?<=x)[ab]a(*SKIP)(*FAIL)|(?<=[xa])[ab]", regex.MULTILINE), "V1")
    handle = base.register_anchors(Ctx, pat)
    assert handle is not None and index._at[handle] is None
    text = "zzzz\n" * 20 + "xaab" + "z" * 200 + "\n" + "zzzz\n" * 200  # anchors sparse on their line
    assert pat.pat.match(text, 102) is not None  # what a single position would take
    want = [m.span() for m in pat.pat.finditer(text)]
    budget.set_budget(budget.SampledBudget(1e9))
    try:
        assert [m.span() for m in base.finditer_anchored(Ctx, pat, handle, text, 5.0)] == want == [(103, 104)]
    finally:
        budget.set_budget(None)


def test_pulled_takes_every_item_in_order_and_a_timeout_stops_the_rule():
    spent = budget.SampledBudget(1e9)
    for n in (0, 1, budget._CHUNK - 1, budget._CHUNK, budget._CHUNK + 1, 5 * budget._CHUNK + 3):
        assert list(budget.pulled(spent, "T1", iter(range(n)))) == list(range(n))
    assert spent.active is None and not spent.stopped

    def runaway(after):
        yield from range(after)
        assert spent.active == "T2"  # the regex work runs under the rule's activation
        raise TimeoutError("regex budget of T2 spent")

    got = list(budget.pulled(spent, "T2", runaway(3 * budget._CHUNK + 5)))
    assert got == list(range(3 * budget._CHUNK))  # the chunk cut short is dropped
    assert "T2" in spent.stopped and spent.active is None
    assert list(budget.pulled(spent, "T2", iter(range(5)))) == []  # a stopped rule finds nothing


def test_a_runaway_pattern_in_windows_stops_its_rule_under_the_sampler():
    """budget.py: the SIGPROF sampler cuts a runaway call short inside the windows'
    single activation, the rule stops, and the scan ends without an exception."""
    index = multiscan.AnchorIndex()
    if not multiscan.available():
        pytest.skip("ahocorasick-rs not installed")

    class Ctx:
        anchors = index
    pat = budget.Budgeted(regex.compile(r"党(?:a|aa)+$"), "R1")
    handle = base.register_anchors(Ctx, pat)
    assert handle is not None
    text = "党" + "a" * 40 + "!\n" + "x\n" * 100
    with budget.sampling() as sampled:
        if not sampled:
            pytest.skip("no sampler here")
        spent = budget.SampledBudget(0.05)
        budget.set_budget(spent)
        try:
            assert list(base.finditer_anchored(Ctx, pat, handle, text, 5.0)) == []
        finally:
            budget.set_budget(None)
    assert "R1" in spent.stopped


def test_line_windows_are_the_general_windows_without_breaks():
    rng = random.Random(3)
    singles = 0
    for _ in range(5000):
        text = "".join(rng.choice(["a", "b", "\n", "ab", "\n\n", "党"]) for _ in range(rng.randint(0, 40)))
        found = sorted(i for i in range(len(text)) if text[i] != "\n" and rng.random() < 0.3)
        singles += len(found) == 1  # the one-anchor path of _line_windows
        assert (multiscan._line_windows(found, text)
                == multiscan._windows_over_breaks(found, 0, text)), (text, found)
    assert singles > 100


def test_requires_test_is_any_literal_in_the_text():
    rng = random.Random(4)
    alphabet = ["a", "b", "网", "(", "（", ".c", "om", "\ufffd", "x"]
    for _ in range(3000):
        literals = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(0, 5))]
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        test = pattern._any_of(literals)
        assert (test is None) == (not literals)
        if test is not None:
            assert test(text) == any(lit in text for lit in literals), (literals, text)


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")
def test_requires_by_the_automaton_is_any_literal_in_the_text():
    """A ``requires`` the shared pass answers (``_requires_handle``): its handle is
    present exactly when ``in`` finds one of the literals, with lone surrogates,
    U+FFFD, characters beyond U+FFFF and texts longer than one of the pass's chunks;
    literals it cannot answer for as ``in`` does get no handle."""
    from types import SimpleNamespace
    rng = random.Random(8)
    alphabet = ["a", "b", "网", "(", ".c", "om", "\ufffd", "\udcd0", "\U0001f600", "\n", "党建"]
    index = multiscan.AnchorIndex()
    ctx = SimpleNamespace(anchors=index)
    cases = []
    for _ in range(300):
        literals = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 4))]
        handle = pattern._requires_handle(ctx, literals)
        if any(len(lit) < 2 or "\ufffd" in lit or "\udcd0" in lit for lit in literals):
            assert handle is None, literals
        elif handle is not None:
            cases.append((literals, handle))
    assert len(cases) > 50
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20))) for _ in range(300)]
    texts += ["x" * 65530 + "".join(rng.choice(alphabet) for _ in range(20)) + "y" * 70000 for _ in range(3)]
    for text in texts:
        present = index.present(text)
        for literals, handle in cases:
            assert (handle in present) == any(lit in text for lit in literals), (literals, text[-40:])
    assert pattern._requires_handle(ctx, ["党"]) is None and pattern._requires_handle(ctx, []) is None


def test_sentence_start_and_dated_paragraph_match_their_plain_forms():
    rng = random.Random(5)
    pieces = ["党", "建", "。", "！", "?", "\n", "\n\n", "2019年", "3月", "2019年3月", "１", "二〇一九年", " "]
    entry = {"obsolete_from": dt.date(2022, 10, 16), "current_from": dt.date(2017, 10, 18)}
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 80)))
        start = rng.randrange(len(text))
        end = rng.randint(start, len(text))
        lo = max(0, start - obsolete._SENTENCE_MAX)
        left = lo
        for m in obsolete._SENTENCE_END.finditer(text, lo, start):
            left = m.end()
        assert obsolete.sentence_span(text, start, end)[0] == left, (text, start)
        assert obsolete.dated_paragraph(text, start, entry) == _dated_paragraph_plain(text, start, entry)


def _dated_paragraph_plain(text, start, entry):
    """obsolete.dated_paragraph without its 月 prefilter."""
    return obsolete.dated_in(text, *obsolete.paragraph_window(text, start), entry)


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")
def test_handles_with_the_same_anchors_share_windows_as_if_alone():
    """AnchorIndex keeps the windows of handles with the same literals and breaks
    for the text at hand: each gets what an index of its own would give it."""
    shapes = [(["党建", "支部"], dict(breaks=0)), (["党建", "支部"], dict(also=("工作",))),
              (["支部", "党建"], dict(one_line=False, breaks=1)), (["支部", "党建"], dict(one_line=False, breaks=1, also=("会",))),
              (["党建"], dict())]
    shared = multiscan.AnchorIndex()
    handles = [shared.register(lits, **kw) for lits, kw in shapes]
    alone = []
    for lits, kw in shapes:
        index = multiscan.AnchorIndex()
        alone.append((index, index.register(lits, **kw)))
    assert len({shared._same[h] for h in handles}) == 3
    rng = random.Random(9)
    pieces = ["党建", "支部", "工作", "会", "\n", "\n\n", "x", "。"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        for h, (index, own) in zip(handles, alone):
            assert shared.windows(text, h) == index.windows(text, own), (text, h)


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")
def test_line_led_scans_in_windows_find_what_plain_scans_find():
    """finditer_anchored under the sampler tries a ``(?m)^`` pattern only at the line
    starts of its windows (and of a text whose windows are too dense), by its led
    form: the same matches as the plain scan of the whole text, empty ones too."""
    rng = random.Random(11)
    index = multiscan.AnchorIndex()

    class Ctx:
        anchors = index
    sources = [r"(?m)^[ \t]*(?P<hit>Qb*)(?=[aQ]|$)", r"(?m)^(?=[ab]{0,3}Q)", r"(?m)^a?Q[^\n]{0,3}\n?b?",
               r"(?m)^[ \t]*(?:\d、)?(?P<hit>QZ[ab]{0,2})(?![a])"]
    pats = [budget.Budgeted(regex.compile(s), f"L{i}") for i, s in enumerate(sources)]
    handles = [base.register_anchors(Ctx, pat) for pat in pats]
    assert all(h is not None for h in handles) and all(base._line_led(p) is not None for p in pats)
    led_windows = base._in_windows_led
    used = []

    def counting(*args):
        used.append(1)
        return led_windows(*args)
    base._in_windows_led = counting
    seen = 0
    try:
        for n in range(3000):
            pieces = ["Q", "QZ", "a", "b", " ", "\t", "1、", "\n", "\n", "\n\n"] + ["xyzxyzxyzxyzxyz"] * 5
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60 if n % 3 else 400)))
            for pat, handle in zip(pats, handles):
                want = [(m.span(), m.groups()) for m in pat.pat.finditer(text)]
                got = _sampled(Ctx, pat, handle, text, overlapped=False)
                assert got == want, (pat.pattern, text)
                seen += len(want)
    finally:
        base._in_windows_led = led_windows
    assert seen > 1000 and len(used) > 1000


def test_gate_of_a_pattern_scanned_whole_passes_every_text_it_matches():
    """PatternKind skips a pattern scanned whole in a text holding none of its
    common anchors (pattern._gate): on the seeds, generated text and every pattern
    rule's examples, a text the gate refuses has no match of the pattern; and the
    gate does refuse texts (DJ909's dash, DJ901's 约)."""
    linter = Linter(shipped_rules(), Context(as_of=dt.date(2026, 12, 1)))
    kind = next(k for k in linter.checks if type(k).__name__ == "PatternKind")
    gated = [(rule.id, pat, gate) for rule, patterns, _, _ in kind.compiled
             for pat, handle, _, gate in patterns if gate is not None]
    assert {"DJ909", "DJ901"} <= {rid for rid, _, _ in gated}
    texts = _texts()
    for rule in shipped_rules():
        if rule.kind == "pattern":
            texts += [ex if isinstance(ex, str) else ex["text"]
                      for which in ("bad", "good") for ex in rule.examples[which]]
    rng = random.Random(5)
    texts += ["".join(rng.choice(["约", "大约", "3", "10", "余", "多", "—", "～", "%", "人", "左右", "节", " ", "\n"])
                      for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    refused = matched = 0
    for rid, pat, gate in gated:
        for text in texts:
            found = pat.pat.search(text) is not None
            matched += found
            if not gate(text):
                refused += 1
                assert not found, (rid, pat.pattern, text)
    assert refused > 1000 and matched > 100


def test_dj901_patterns_match_as_their_former_alternation_of_both_words():
    """rules/number.yaml DJ901 writes ``(?:大|(?<!X))约`` for ``(?:大约|(?<!X)约)``
    (regex then searches the required 约 first): the same matches on generated text."""
    rule = next(r for r in shipped_rules() if r.id == "DJ901")
    sources = rule.options["pattern"]
    head = "(?:大|(?<![节制预公条相简契合婚违守践赴履盟邀隐规特签续解缔订立应爽毁失背负租聘密誓]))约"
    assert len(sources) == 2 and all(s.startswith(head) for s in sources)
    former = ["(?:大约|(?<![节制预公条相简契合婚违守践赴履盟邀隐规特签续解缔订立应爽毁失背负租聘密誓])约)"
              + s[len(head):] for s in sources]
    rng = random.Random(9)
    pieces = ["约", "大约", "大", "节", "签", "有", "为", "3", "10", "2.5", "三百", "余", "多", "人", "左右",
              "课时", "，", "\n", " "]
    seen = 0
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        for now, before in zip(sources, former):
            want = [m.span() for m in regex.finditer(before, text, regex.MULTILINE)]
            assert [m.span() for m in regex.finditer(now, text, regex.MULTILINE)] == want, (now, text)
            seen += len(want)
    assert seen > 100


def test_line_led_patterns_with_a_backtracking_verb_find_what_finditer_finds():
    """base._finditer_line_led matches a line-start pattern at each line start its
    led search finds; after (*SKIP) finditer itself goes on past the positions it
    skipped, which the led scan does not know. So every shipped line-led pattern
    with a backtracking verb (DJ330's blank-line runs) must find what finditer
    finds, on the seeds' lines between runs of line breaks of every length: a
    rule whose skip jumps over a line start where another branch matches fails here."""
    linter = Linter(shipped_rules(), Context(as_of=dt.date(2026, 12, 1)))
    verbed = []
    for pat, _, _ in _scans(linter):
        led = base._line_led(pat)
        if led is not None and "(*" in pat.pattern:
            verbed.append((pat, led))
    assert "DJ330" in {pat.rule_id for pat, _ in verbed}
    rng = random.Random(5)
    lines = [line for t in _texts()[:5] for line in t.split("\n") if line.strip()]
    texts = _texts()
    for _ in range(200):
        parts = []
        for _ in range(rng.randint(1, 10)):
            parts.append(rng.choice(lines)[:rng.choice((4, 12, 40, 200))])
            parts.append("\n" * rng.choice((1, 2, 3, 31, 32, 33, 34, 70)) + rng.choice(("", " ", "\u3000")))
        texts.append("".join(parts))
    budget.set_budget(None)
    for text in texts:
        for pat, led in verbed:
            want = [(m.span(), m.groups()) for m in pat.pat.finditer(text)]
            assert [(m.span(), m.groups()) for m in base._finditer_line_led(pat.pat, led.pat, text)] == want, \
                (pat.rule_id, text[:80])


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")
def test_plain_taken_finds_what_anchored_taken_finds():
    """base.plain_taken, PatternKind's shortcut under the sampler for a pattern
    scanned by a plain finditer (``scanned_plainly``), finds what anchored_taken
    and the plain scan find, of its windows and of whole texts (small, long, with
    dense windows, past a chunk); most shipped patterns take it, and none with a
    led form, single positions, points near its anchors or first characters."""
    linter = Linter(shipped_rules(), Context(as_of=dt.date(2026, 12, 1)))
    ctx, index = linter.ctx, linter.ctx.anchors
    kind = next(c for c in linter.checks if type(c).__name__ == "PatternKind")
    scans = [(pat, handle) for _, patterns, _, _ in kind.compiled for pat, handle, _, _ in patterns]
    plain = [(pat, handle) for pat, handle in scans if base.scanned_plainly(index, pat, handle)]
    assert len(plain) > len(scans) // 2
    assert any(h is None for _, h in plain) and any(h is not None for _, h in plain)
    for pat, handle in scans:
        if (pat, handle) in plain:
            assert base._LED_OF[pat] is None
            assert handle is None or (index._at[handle] is None and index._near[handle] is None)
            assert handle is not None or base._FIRST_OF[pat] is None
    rng = random.Random(29)
    texts = _texts()
    lines = [line for t in texts for line in t.split("\n")]
    texts += ["".join(rng.choice(lines)[:300] + "\n" for _ in range(8)) for _ in range(20)]
    texts += ["党员 2024年以来 xx\n" * 120, "\ue000" * 70 + "\n" + "\ufffd" * 3]
    seen = 0
    try:
        for text in texts:
            present = index.present(text)
            for pat, handle in plain:
                spent = budget.SampledBudget(1e9)
                budget.set_budget(spent)
                want = [(m.span(), m.groups()) for m in base.anchored_taken(spent, index, pat, handle, text, present)]
                got = [(m.span(), m.groups())
                       for m in base.plain_taken(spent, index, pat, pat.pat, pat.rule_id, handle, text, present)]
                budget.set_budget(None)
                bare = [(m.span(), m.groups()) for m in base.finditer_anchored(ctx, pat, handle, text, 5.0)]
                assert got == want == bare, (pat.pattern, text[:80])
                seen += len(got)
    finally:
        budget.set_budget(None)
    assert seen > 300


def test_pattern_scan_without_vetoes_takes_what_the_general_loop_takes():
    """PatternKind._scan takes the matches of a pattern without vetoes, a word test
    or a suggestion by one comprehension: the same hits' arguments as its general
    loop (forced here by a suggestion's filler that gives none), with empty matches and a
    ``hit`` group left out (-1, -1) skipped, and a flood past a chunk."""
    from dj_lint.text.document import Document
    rule = object()
    cases = [(r"\ufffd+|x*", 0, "ab\ufffd\ufffdc\ufffd" * 50 + "xx"), (r"a(?P<hit>b)?", 1, "ab a ab aa b" * 30),
             (r"(?<=\p{Han})(?P<hit>[ \t]*)\d", 1, "党 1党2 x 3" * 40), (r"\d", 0, "")]
    for source, hit, text in cases:
        pat = regex.compile(source)
        doc = Document(text, path="a.txt")
        fast = pattern.PatternKind._scan(doc, list(pat.finditer(text)), None, None, None, hit, rule)
        slow = pattern.PatternKind._scan(doc, list(pat.finditer(text)), None, lambda m: None, None, hit, rule)
        assert fast == slow, source
        assert all(s < e and r is rule and sug is None for s, e, r, sug in fast)
        assert fast or not text


@pytest.mark.parametrize("cap, keep_fixable", [(1000, False), (7, False), (0, False), (1000, True)])
def test_a_pattern_flood_reports_and_counts_what_its_hits_one_by_one_do(monkeypatch, cap, keep_fixable):
    """A scan of more than pattern.FLOOD hits is yielded as one Flood: the findings
    and the warning's count past --max-per-rule are those of its hits yielded one
    by one (FLOOD raised past any scan), with and without a cap, and with --fix."""
    from dj_lint.text.document import Document
    rng = random.Random(11)
    marks = ["____", "＿＿＿", "***", "（ ）", "XX"]
    lines = []
    for i in range(200):
        lines.append("".join(rng.choice(marks) + rng.choice(["年", "月", "党支部", "，", ""]) for _ in range(40)))
    text = "第一部分\n" + "\n".join(lines) + "\n"
    got, most = [], pattern.FLOOD
    for flood in (most, 10 ** 9):
        monkeypatch.setattr(pattern, "FLOOD", flood)
        ctx = Context(max_per_rule=cap)
        linter = Linter(shipped_rules(), ctx)
        found = linter.lint(Document(text, "floods.txt"), keep_fixable=keep_fixable)
        got.append(([f.as_dict() for f in found], list(ctx.warnings)))
    assert got[0] == got[1]
    assert len(got[0][0]) >= (7 if cap == 7 else 1025)
    if cap:  # some rule past the cap had a flood's worth of hits
        counts = [int(n) for w in got[0][1] for n in re.findall(r"共 (\d+) 处", w)]
        assert max(counts) > most
