"""The shared anchor pass (text/multiscan.py AnchorIndex._hits) reads a text in
chunks cut anywhere: an anchor across a cut is found once, and a chunk thick
with anchors sends their patterns to scan the whole text, after which the
remaining chunks are read without the anchors that no longer tell anything."""
from __future__ import annotations

import random

import pytest

from dj_lint.text import multiscan
from dj_lint.text.multiscan import WHOLE, AnchorIndex

pytestmark = pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")


def _index():
    index = AnchorIndex()
    handles = {
        "xx": index.register(["XX", "xx"]),
        "star": index.register(["*"]),           # one character, like DJ212's anchors
        "term": index.register(["十八大", "党支部"]),
        "both": index.register(["XX", "支部书记"]),  # shares XX with "xx"
    }
    assert None not in handles.values()
    return index, handles


def _plain(text, literals_by_handle):
    """Every start of every handle's literals, by str.find (overlapping)."""
    out = {}
    for name, lits in literals_by_handle.items():
        starts = set()
        for lit in lits:
            at = text.find(lit)
            while at >= 0:
                starts.add(at)
                at = text.find(lit, at + 1)
        if starts:
            out[name] = sorted(starts)
    return out


LITS = {"xx": ["XX", "xx"], "star": ["*"], "term": ["十八大", "党支部"], "both": ["XX", "支部书记"]}


def test_anchors_across_chunk_cuts_are_found_once(monkeypatch):
    monkeypatch.setattr(multiscan, "_PIECE", 7)  # cuts inside nearly every anchor
    rng = random.Random(5)
    pieces = ["XX", "x", "学习", "十八大", "党支部书记", "*", "，", "\n", "支部", "X"]
    for _ in range(300):
        index, handles = _index()
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        hits = index._hits(text)
        want = _plain(text, LITS)
        got = {name: sorted(hits[h]) for name, h in handles.items() if h in hits}
        if any(v is WHOLE for v in hits.values()):
            continue  # a chunk thick with anchors: checked below
        assert got == want, text


def test_a_flood_sends_its_patterns_whole_and_the_rest_keep_their_offsets(monkeypatch):
    monkeypatch.setattr(multiscan, "_PIECE", 200)
    index, handles = _index()
    text = "*" * 1000 + "\n党支部书记学习十八大精神。" + "*_" * 300 + "\n十八大"
    hits = index._hits(text)
    assert hits[handles["star"]] is WHOLE
    # Anchors after the flood are still found where they are.
    assert list(hits[handles["term"]]) == [1001, 1008, len(text) - 3]
    assert list(hits[handles["both"]]) == [1002]
    assert handles["xx"] not in hits
    # A second flood, of XX, after the first: both owners of XX scan whole.
    text = "*" * 1000 + "XX" * 500 + "党支部"
    hits = index._hits(text)
    assert hits[handles["star"]] is WHOLE and hits[handles["xx"]] is WHOLE and hits[handles["both"]] is WHOLE
    assert list(hits[handles["term"]]) == [2000]


def _state(index):
    return {k: v for k, v in vars(index).items() if k not in ("_auto", "_cache", "_reduced")}


@pytest.mark.parametrize("words", [
    ["党建工作", "组织生活", "党建工作", "三会一课"],   # a repeated word: two handles, one literal
    ["党建工作", "党", "三会一课"],                    # a single common character narrows nothing
    ["XX同志", "组织生活会"],
])
def test_register_words_is_register_of_each_word(words):
    """AnchorIndex.register_words (one go, for self_spelling's 15,500 words) leaves
    the index as one register() call per word would, and finds the same."""
    from dj_lint.text.multiscan import AnchorIndex
    one, bulk = AnchorIndex(), AnchorIndex()
    for index in (one, bulk):
        index.register(["党支部", "支委会"], reach=3)
    handles = [one.register([w], 0, one_line=False) for w in words]
    first = bulk.register_words(words)
    expected = handles[0] if handles[0] is not None and handles == list(
        range(handles[0], handles[0] + len(handles))) else None
    assert first == expected
    assert _state(bulk) == _state(one)
    text = "党支部召开支委会，研究党建工作和组织生活会，落实三会一课，XX同志参加。\n" * 3
    got_one, got_bulk = one.present(text), bulk.present(text)
    assert {h: list(v) for h, v in got_bulk.items()} == {h: list(v) for h, v in got_one.items()}
    assert len(got_one) >= 3


def _straddle(lit):
    """Characters whose UTF-16-LE bytes hold ``lit``'s (ASCII) at an odd offset:
    "AB" is 41 00 42 00, found inside U+4100 U+4200 U+2000 (00 41 00 42 00 20)."""
    return "".join(chr(ord(c) << 8) for c in lit) + "\u2000"


@pytest.mark.parametrize("astral_literal", [False, True])
def test_unit_automaton_finds_what_the_utf8_automaton_finds(astral_literal):
    """The anchor pass reads UTF-16 code units (UnitAutomaton): the same
    occurrences as the UTF-8 Automaton on the scannable text, in the same order,
    with matches straddling two characters dropped, characters beyond U+FFFF
    (read as U+FFFF, or counted back when a literal has one) and lone
    surrogates in the text; U+FFFD, a literal here, only where the text holds
    it, not where ``scannable`` put it for a lone surrogate; and a run of lone
    surrogates gives no match at all, not even one straddling two of them
    (``\ufeff``'s bytes, had they been read as U+FFFE)."""
    rng = random.Random(11)
    literals = ["AB", "XX", "X", "B\x00", "十八大", "党支部", "\ufffd", "支部书记", "a\u4100", "\ufeff"]
    if astral_literal:
        literals += ["\U0001f600党", "\U00020000"]
    unit, plain = multiscan.UnitAutomaton(literals), multiscan.Automaton(literals)
    pieces = ["AB", _straddle("AB"), _straddle("XX"), "X", "学习", "十八大", "党支部书记", "\ud800",
              "\udcff", "\ufffd", "\U0001f600", "\U00020000", "\uffff", "\n", "a", "\u4100", "B", "\x00",
              "\udcfe" * 3]
    straddled = 0
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        want = [(i, s, e) for i, s, e in plain.find_list(multiscan.scannable(text)) if text[s:e] == literals[i]]
        assert unit.find_list(text) == want, text
        halves = unit.find_halves(text)
        straddled += sum(1 for _, s, _ in halves if s & 1)
        assert [(i, s >> 1, e >> 1) for i, s, e in halves if not s & 1] == want, text
    if not astral_literal:
        assert straddled  # the generated texts do hold matches across characters
    assert unit.find_halves("\udcfe" * 6) == []


@pytest.mark.parametrize("listed", [0, 1 << 14])
def test_anchor_pass_over_astral_and_surrogate_text_finds_every_start(monkeypatch, listed):
    """_hits, chunked, on text with characters beyond U+FFFF, lone surrogates and
    straddling byte pairs, against str.find; offsets kept in arrays and in lists."""
    monkeypatch.setattr(multiscan, "_PIECE", 9)
    monkeypatch.setattr(multiscan, "_LISTED", listed)
    rng = random.Random(7)
    pieces = ["XX", "x", "十八大", "党支部书记", "*", "\n", "\U0001f600", "\ud800", _straddle("XX"), "\uffff"]
    for _ in range(300):
        index, handles = _index()
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        hits = index._hits(text)
        if any(v is WHOLE for v in hits.values()):
            continue
        got = {name: sorted(hits[h]) for name, h in handles.items() if h in hits}
        assert got == _plain(text, LITS), text


def test_text_cache_keeps_what_the_plain_list_kept(monkeypatch):
    """_TextCache (the texts' hits found by id, else by an equal text) against the
    plain definition: the newest texts first, as many as fit in CACHED_TEXTS and
    CACHED_CHARS (the newest always), found by identity or equality; over a random
    stream of new texts, texts asked for again and equal copies."""
    monkeypatch.setattr(multiscan, "CACHED_TEXTS", 6)
    monkeypatch.setattr(multiscan, "CACHED_CHARS", 40)
    rng = random.Random(5)
    cache, plain, made = multiscan._TextCache(), [], []
    for step in range(3000):
        roll = rng.random()
        if made and roll < 0.35:
            text = rng.choice(made[-10:])                    # asked for again
        elif made and roll < 0.5:
            text = "".join(list(rng.choice(made[-10:])))      # an equal copy
        else:
            text = "".join(rng.choice("ab") for _ in range(rng.choice((1, 2, 3, 5, 8, 13, 45))))
            made.append(text)
        want = next((h for t, h in plain if t is text), None)
        if want is None:
            want = next((h for t, h in plain if t == text), None)
        got = cache.get(text)
        assert got is want, step
        if got is None:
            hits = {"step": step}
            cache.put(text, hits)
            kept, size = [(text, hits)], len(text)
            for entry in plain[:multiscan.CACHED_TEXTS - 1]:
                size += len(entry[0])
                if size > multiscan.CACHED_CHARS:
                    break
                kept.append(entry)
            plain = kept
        assert [t for t, _ in reversed(plain)] == [t for t, _ in cache._by_id.values()], step
        assert sum(map(len, (t for t, _ in plain))) == cache._chars


def test_a_text_of_one_chunk_has_the_hits_the_chunked_pass_gives(monkeypatch):
    """_hits_at_once (a text of at most _LISTED characters, read in one chunk: a
    literal of one owner appended without a loop over its owners) gives what the
    chunked pass gives the same text: the same handles, the same offsets in the
    same order (lists), the same WHOLE for a flood; with lone surrogates,
    characters beyond U+FFFF and straddling byte pairs, and literals of one owner
    and of two ("XX" is both "xx"'s and "both"'s)."""
    rng = random.Random(13)
    pieces = ["XX", "x", "十八大", "党支部书记", "*", "**", "\n", "\U0001f600", "\ud800", _straddle("XX"),
              "\uffff", "支部"]
    at_once = 0
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        if rng.random() < 0.1:
            text += "*" * rng.randint(60, 200)  # a flood: its owner scans the whole text
        index, _ = _index()
        calls = []
        one = index._hits_at_once
        monkeypatch.setattr(index, "_hits_at_once", lambda *a: calls.append(1) or one(*a))
        got = index._hits(text)
        at_once += len(calls)
        chunked, _ = _index()
        with monkeypatch.context() as m:
            m.setattr(multiscan, "_LISTED", 0)  # the general pass (offsets in arrays)
            want = chunked._hits(text)
        assert {h: v if v is WHOLE else list(v) for h, v in got.items()} == \
            {h: v if v is WHOLE else list(v) for h, v in want.items()}, text
        assert all(v is WHOLE or type(v) is list for v in got.values())
        assert all(h in got for h in want) and not any(h not in want for h in got)
        if got:
            with pytest.raises(KeyError):
                got[max(got) + 1]  # a plain mapping: no default for a missing handle
    assert at_once > 300


def test_a_text_of_few_characters_is_found_as_by_the_whole_automaton(monkeypatch):
    """AnchorIndex._few_chars: while the shared automaton is not built, a text of at
    most _FEW_CHARS distinct characters is read by an automaton of only the literals
    made of them: the same offsets, in the same order, as the whole automaton of the
    shipped rules gives (one chunk, several chunks, a flood that sends patterns
    whole), and the whole automaton is not built for it."""
    import datetime as dt

    from dj_lint.engine import Context, Linter, shipped_rules

    ctx = Context(as_of=dt.date(2026, 12, 1))
    Linter(shipped_rules(), ctx)
    index = ctx.anchors
    index.present("党" * 100)  # a short text: the whole automaton, built for it
    assert index._auto is not None
    monkeypatch.setattr(multiscan, "_FEW_CHARS_LEAST", 0)  # (and the short texts below too)
    rng = random.Random(3)
    texts = ["(" * 3000 + "\n", "".join(rng.choice("*_") for _ in range(70_000)), "\n" * 40_000,
             "XX年XX月" * 9000, "".join(rng.choice("0123456789.\n") for _ in range(20_000)),
             "关于2024年度党支部工作情况的报告", "（（（）《《" * 500, "___年＿＿" * 3000,
             "(" * 5000 + "党支部XX年" + "(" * 300 + "\n十八大"]  # characters past the head
    for text in texts:
        index._auto, index._reduced, index._cache = None, {}, multiscan._TextCache()
        few = {h: list(v) if v is not WHOLE else v for h, v in index._hits(text).items()}
        assert index._auto is None, text[:20]
        index._take(multiscan.UnitAutomaton(list(index._index)))
        index._reduced, index._cache = {}, multiscan._TextCache()
        whole = {h: list(v) if v is not WHOLE else v for h, v in index._hits(text).items()}
        assert few == whole, text[:20]
        assert list(few) == list(whole)
    assert index._few_chars("党" + "".join(map(chr, range(0x4e00, 0x4e40)))) is None
    assert index._few_chars("(" * 5000 + "".join(map(chr, range(0x4e00, 0x4e40)))) is None
    # The literals made of a text's characters, found by one scan of them joined.
    for chars in [*map(set, texts), set("-]^\\[*()（）XX年月0123456789."), set("\0XX年")]:
        assert index._made_of(chars) == frozenset(i for i, lit in enumerate(index._index) if chars.issuperset(lit))


def test_a_run_of_few_texts_finds_what_the_whole_automaton_finds():
    """AnchorIndex.expect_few (a one-file run): while the shared automaton is not
    built, each of the next few short texts is read by an automaton of only the
    literals whose first two characters stand together in it (``_led_in``): the
    same offsets, in the same order, as the whole automaton of the shipped rules
    (and self_spelling's words) gives, on generated texts that hold anchors of
    one character and longer, at the text's ends, lone surrogates, characters
    beyond U+FFFF and floods; the whole automaton is built only past them."""
    import datetime as dt

    from dj_lint.engine import Context, Linter, shipped_rules

    ctx = Context(as_of=dt.date(2026, 12, 1))
    Linter(shipped_rules(), ctx).anchors_for_many()
    index = ctx.anchors
    literals = list(index._index)
    whole_auto = multiscan.UnitAutomaton(literals)
    rng = random.Random(11)
    singles = [lit for lit in literals if len(lit) == 1]
    assert singles
    pieces = (rng.sample(literals, 400) + singles + ["，", "。", "\n", " ", "\ud800", "\U00020000", "a", "1"]
              + [chr(rng.randint(0x4e00, 0x9fa5)) for _ in range(300)])
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 600))) for _ in range(150)]
    texts += [rng.choice(literals) for _ in range(20)]  # a text that is one literal
    texts += ["XX" * 3000, "*" * 5000 + "党支部", "关于" * 2000, "\U00020000党\ud800支部"]
    for text in texts:
        index._auto, index._reduced, index._cache = None, {}, multiscan._TextCache()
        index.expect_few(1)
        few = {h: list(v) if v is not WHOLE else v for h, v in index._hits(text).items()}
        assert index._auto is None and index._few_texts == 0, text[:20]
        index._take(whole_auto)
        index._cache = multiscan._TextCache()
        whole = {h: list(v) if v is not WHOLE else v for h, v in index._hits(text).items()}
        assert few == whole, text[:20]
        assert list(few) == list(whole)
    # Past the texts expected, the whole automaton is built (once, then kept).
    index._auto, index._reduced, index._cache = None, {}, multiscan._TextCache()
    index.expect_few(2)
    for k, text in enumerate(texts[:4]):
        index._hits(text)
        assert (index._auto is None) == (k < 2)
