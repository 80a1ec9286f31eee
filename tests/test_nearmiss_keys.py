"""near_miss finds its index keys with a plain loop over a short text and with an
automaton once the texts of a run add up to what building it costs
(checks/nearmiss.py ``AUTOMATON_AFTER``; one automaton over the keys of all the
kind's rules): both find exactly the same. Own
sentences, one per edit (substitute, delete, truncate, transpose), and the seeds."""
import os

from dj_lint.checks import nearmiss
from dj_lint.engine import Linter
from dj_lint.packs.loader import load_pack
from dj_lint.text import build_cache
from dj_lint.text.document import Document

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEXTS = [
    "镇党委坚持改近工作作风，同心同得抓落实。\n",
    "会上，三名入党积极分子递交了入申请书，支部认真研究。\n",
    "今年初岁末，社区开展慰问；群众拍手称，说这事办得好。\n",
    "工作要循渐序进，持之恒以，这是一场史无例前的变革。\n",
    "青年团员观看了天平天国历史纪录片。\n坚持实事求事，与时具进。\n",
]


def _found(linter, texts):
    return [[(f.rule, f.line, f.column, f.text, f.suggestion) for f in linter.lint(Document(t))]
            for t in texts]


def test_loop_and_automaton_find_the_same(monkeypatch):
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    seeds = []
    for name in sorted(os.listdir(os.path.join(ROOT, "seeds"))):
        with open(os.path.join(ROOT, "seeds", name), encoding="utf-8") as fh:
            seeds.append(fh.read())

    def run(after, vectors_after=10 ** 12):
        monkeypatch.setattr(nearmiss, "AUTOMATON_AFTER", after)
        monkeypatch.setattr(nearmiss, "VECTORS_AFTER", vectors_after)
        monkeypatch.setattr(nearmiss, "_LOOPED", {})
        monkeypatch.setattr(nearmiss, "_COMPILED", {})
        monkeypatch.setattr(nearmiss, "_SCANS", {})  # no automaton from an earlier test
        linter = Linter(rules)
        (check,) = linter.checks
        assert len(check.specs) == 5
        return _found(linter, TEXTS + seeds), len(nearmiss._SCANS)

    looped, autos = run(10 ** 12)
    assert autos == 0  # the loop only
    scanned, autos = run(-1)
    assert autos == 1  # the automaton from the first text
    assert looped == scanned
    # A text longer than ONE_LIST: each rule reads its own pass of the automaton.
    monkeypatch.setattr(nearmiss._Scan, "ONE_LIST", 10)
    rescanned, autos = run(-1)
    assert autos == 1 and rescanned == scanned
    monkeypatch.setattr(nearmiss._Scan, "ONE_LIST", 1 << 20)
    # The substitute rules' rows tested in arrays (nearmiss._Vectors), the other
    # rules' keys from their own automaton.
    vectored, autos = run(-1, -1)
    assert autos == 1 and vectored == scanned
    assert nearmiss._Vectors in {type(s._vectors) for s in nearmiss._SCANS.values()}
    assert looped[0] == [("DJ740", 1, 6, "改近工作作风", "改进工作作风"),
                         ("DJ740", 1, 13, "同心同得", "同心同德")]
    assert looped[1] == [("DJ742", 1, 15, "入申请书", "入党申请书")]
    assert ("DJ743", 1, 16, "拍手称", "拍手称快") in looped[2]
    assert [f[3] for f in looped[3]] == ["循渐序进", "持之恒以", "史无例前"]
    assert ("DJ741", 1, 8, "天平天国", "太平天国") in looped[4]


def test_a_text_over_vectors_upto_gets_arrays_of_its_own_with_the_same_findings(monkeypatch):
    """A text over VECTORS_UPTO (a lone book-sized file) is checked with arrays built
    for it alone (read a piece at a time, the other rules' keys from the arrays too)
    and dropped after it, unless the process keeps arrays already: the findings are
    those of the plain loops. Texts: the seeds and own slips, joined and repeated."""
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    seeds = [open(os.path.join(ROOT, "seeds", n), encoding="utf-8").read()
             for n in sorted(os.listdir(os.path.join(ROOT, "seeds")))]
    texts = [TEXTS[1], "".join(TEXTS) * 30, "\n".join(seeds[:3]), "\n".join(seeds[3:]) + "".join(TEXTS)]
    built = []
    build = nearmiss._Vectors.build.__func__

    def counted(cls, specs, keep=True):
        built.append(len(specs))
        return build(cls, specs, keep)

    monkeypatch.setattr(nearmiss._Vectors, "build", classmethod(counted))
    monkeypatch.setattr(nearmiss._Vectors, "PIECE", 3_000)  # each long text in several pieces
    # The cached tables held in memory (no cache file: none is left to be written).
    monkeypatch.setattr(build_cache, "_separate_file", lambda name: None)
    monkeypatch.setattr(build_cache, "_SEPARATE", {})
    monkeypatch.setattr(build_cache, "_SEPARATE_DIRTY", {})
    held = build_cache._SEPARATE

    def tables_held():
        return [name for name in held if name.startswith("near-miss-vectors-")]

    def run(after, upto, vectors_after=10 ** 12):
        monkeypatch.setattr(nearmiss, "AUTOMATON_AFTER", after)
        monkeypatch.setattr(nearmiss, "VECTORS_AFTER", vectors_after)
        monkeypatch.setattr(nearmiss, "VECTORS_UPTO", upto)
        monkeypatch.setattr(nearmiss, "_LOOPED", {})
        monkeypatch.setattr(nearmiss, "_COMPILED", {})
        monkeypatch.setattr(nearmiss, "_SCANS", {})
        del built[:]
        return _found(Linter(rules), texts)

    looped = run(10 ** 12, 10 ** 12)
    assert not built and sum(map(len, looped)) > 20
    alone = run(-1, 1_000)
    assert len(built) == 3  # one for each long text, none for the short one
    assert all(s._vectors is False for s in nearmiss._SCANS.values())  # none kept
    assert not tables_held()  # nor their tables in the build cache's memory
    assert alone == looped
    kept = run(-1, 1_000, -1)  # arrays kept from the first (short) text: no others built
    assert len(built) == 1 and kept == looped
    assert len(tables_held()) == 1
    assert nearmiss._Vectors in {type(s._vectors) for s in nearmiss._SCANS.values()}


def test_the_automaton_comes_once_the_loop_has_cost_as_much(monkeypatch):
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.id == "DJ744"]
    monkeypatch.setattr(nearmiss, "_LOOPED", {})
    monkeypatch.setattr(nearmiss, "_COMPILED", {})
    monkeypatch.setattr(nearmiss, "_SCANS", {})
    linter = Linter(rules)
    (spec,) = linter.checks[0].specs
    text = TEXTS[3] * 200
    # What one document's loops count (its characters and key hits, LOOPED_CHAR); a
    # document is looped while what came before and its own characters stay within
    # the keys' characters.
    hits = len(linter.checks[0]._plain_keys(Document(text), spec))
    work = len(text) * nearmiss.LOOPED_CHAR + hits * nearmiss.LOOPED_HIT
    runs = int((spec["key_chars"] - len(text)) // work) + 1
    assert runs >= 2 and hits * nearmiss.LOOPED_HIT > len(text) * nearmiss.LOOPED_CHAR
    for _ in range(runs):
        linter.lint(Document(text))
    assert not nearmiss._SCANS
    found = [f.text for f in linter.lint(Document(text))]
    assert len(nearmiss._SCANS) == 1
    assert found == ["循渐序进", "持之恒以", "史无例前"] * 200


def test_packed_index_answers_what_the_plain_dicts_answer():
    """The index is kept packed by head (nearmiss._pack_index): every key, its
    candidates and the heads' lengths read back as built, and the plain loop over
    the packed index finds what the loop over plain dicts finds."""
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    texts = TEXTS + [open(os.path.join(ROOT, "seeds", n), encoding="utf-8").read()
                     for n in sorted(os.listdir(os.path.join(ROOT, "seeds")))]
    for rule in rules:
        built = nearmiss.NearMissKind._build(rule)
        packed = nearmiss._split_heads(built["packed"])  # kept as two strings in the build cache
        view = nearmiss._PackedIndex(packed, edit=built["edit"])  # each key as its candidates make it
        index = dict(view.items())
        assert len(index) == len(view) > 100
        assert nearmiss._pack_index(index, built["edit"]) == packed  # read back exactly as packed, in its order
        assert list(nearmiss._pack_index(index, built["edit"])) == list(packed)
        assert dict(nearmiss._PackedIndex(nearmiss._pack_index(index)).items()) == index  # keys kept too
        assert built["keys"].split("\n") == sorted(k for k in index if len(k) >= 2)  # the automaton's
        heads = {}
        for k in index:
            heads.setdefault(k[:2], set()).add(len(k))
        heads = {h: tuple(sorted(ls, reverse=True)) for h, ls in heads.items()}
        assert {h: view.heads[h] for h in view.heads} == heads
        assert all(isinstance(c, tuple) and all(isinstance(t, str) and isinstance(k, int) for t, k in c)
                   for c in index.values())
        for key in list(index)[::50]:
            assert key in view and view[key] == index[key] and view.get(key) == index[key]
        for absent in ("", "x", "不存在的键", "改进工作作风啊"):
            assert absent not in view and view.get(absent) is None
        fresh = nearmiss._PackedIndex(nearmiss._split_heads(built["packed"]), edit=built["edit"])
        for text in texts:
            assert fresh.keys_in(text) == list(nearmiss.NearMissKind._keys(text, heads, index))


def test_the_heads_joined_for_the_build_cache_read_back_as_packed():
    """The packed index goes into the build cache as two strings and the ends of the
    heads' strings (nearmiss._join_heads): split again, it is the same dict in the
    same order; an empty index stays empty. Read as it is (_JoinedHeads), each head
    gives the same string, up to SPLIT_AFTER look-ups and past them."""
    packed = nearmiss._pack_index({"循序渐进": (("循序渐进", 0),), "循渐序进": (("循序渐进", 1),),
                                   "持之以恒": (("持之以恒", 2),)})
    joined = nearmiss._join_heads(packed)
    assert all(isinstance(part, str) for part in joined[:2]) and isinstance(joined[2], bytes)
    assert list(nearmiss._split_heads(joined).items()) == list(packed.items())
    assert nearmiss._split_heads(nearmiss._join_heads({})) == {}
    assert dict(nearmiss._JoinedHeads(nearmiss._join_heads({}))) == {}
    words = ["".join(chr(0x4E00 + (k * 7 + i * 13) % 300) for i in range(4 + k % 3)) for k in range(400)]
    index = {w: ((w, k % 4),) for k, w in enumerate(words)}
    for edit in (None, "truncate"):
        packed = nearmiss._pack_index(index, edit)
        view = nearmiss._JoinedHeads(nearmiss._join_heads(packed))
        asked = ["循序", "x", "", "一丁丁", *packed, "\x1f一"] * 2
        assert [view.get(h) for h in asked] == [packed.get(h) for h in asked]
        assert [h in view for h in asked] == [h in packed for h in asked]
        assert view._asked == view.SPLIT_AFTER and view._dict is not None  # past them: the dict
        assert dict(view.items()) == packed and list(view) == list(packed) and view == packed


def test_half_test_regex_answers_what_the_rows_answer():
    """A substitute key with a few rows or more is first asked through one regex
    (nearmiss._half_test) whether any of its rows can pass the half test: at every
    place the key stands in own sentences and the seeds, it answers exactly what
    the rows' own startswith tests answer."""
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml"))
             if r.kind == "near_miss" and r.options["edit"] == "substitute"]
    texts = TEXTS + [open(os.path.join(ROOT, "seeds", n), encoding="utf-8").read()
                     for n in sorted(os.listdir(os.path.join(ROOT, "seeds")))]
    asked = passed = 0
    for rule in rules:
        built = nearmiss.NearMissKind._build(rule)
        prepared = nearmiss._prepare(nearmiss._PackedIndex(nearmiss._split_heads(built["packed"]),
                                                           edit=built["edit"]))
        for key in built["keys"].split("\n"):
            rows = prepared[key]
            if len(rows) < nearmiss._RowsAt.FEW:
                continue
            match, back = nearmiss._half_test(rows)
            for text in texts:
                p = text.find(key)
                while p >= 0:
                    if p >= back:
                        want = any(text.startswith(left, p + a) or text.startswith(right, p + b)
                                   for a, left, b, right, *_ in rows)
                        assert bool(match(text, p - back)) == want, (key, p)
                        asked += 1
                        passed += want
                    p = text.find(key, p + 1)
    assert asked > 1000 and 0 < passed < asked


def test_shape_table_holds_exactly_the_groups_of_the_data_file():
    """The shape-confusion table kept in the build cache (one string per character)
    answers 'b in table[a]' exactly for the characters that share a group with a."""
    groups = []
    with open(os.path.join(ROOT, "rules", "data", "shape_confusion.txt"), encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#") and line.split():
                groups.append(set(line.split()))
    table = nearmiss._shape_table()
    assert table == nearmiss._read_shapes()
    chars = set().union(*groups)
    assert set(table) == chars and len(chars) > 2000
    for a in chars:
        assert set(table[a]) == set().union(*(g for g in groups if a in g))
    assert "党" not in table.get("当", "")


def test_vectors_find_what_the_row_loop_finds():
    """The substitute rules' rows tested in arrays (nearmiss._Vectors.candidates) give
    exactly the (key position, row, window start, differing character) that the
    row loop of _check_substitute reaches past its pure tests and _window's first
    two (no numeral, alike() holds), in its order: own
    sentences, the seeds and generated text with slips of every phrase's characters,
    keys at both ends, line breaks, lone surrogates and characters beyond U+FFFF."""
    import operator
    import random
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml"))
             if r.kind == "near_miss" and r.options["edit"] == "substitute"]
    (check,) = Linter(rules).checks
    vectors = nearmiss._Vectors.build(check.specs)
    assert sorted(vectors.targets) == [0, 1]
    texts = TEXTS + [open(os.path.join(ROOT, "seeds", n), encoding="utf-8").read()
                     for n in sorted(os.listdir(os.path.join(ROOT, "seeds")))]
    rng = random.Random(17)
    targets = sorted({t for targets in vectors.targets.values() for t in targets})
    noise = list("，。\n的一二十") + ["\udc80", "\U00020000", "\ufffd", "a"]
    sounds: dict = {}  # a reading -> the phrases' characters that have it
    for ch in sorted(set("".join(targets))):
        for r in nearmiss._readings(ch):
            sounds.setdefault(r, []).append(ch)
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 12)):
            w = list(rng.choice(targets))
            for _ in range(rng.choice((0, 1, 1, 1, 2))):
                x = rng.randrange(len(w))
                same = [c for r in sorted(nearmiss._readings(w[x])) for c in sounds[r] if c != w[x]]
                w[x] = rng.choice(same if same and rng.random() < 0.5 else
                                  noise + [rng.choice(rng.choice(targets))])
            parts.append("".join(w[rng.randint(0, 1):len(w) - rng.randint(0, 1)] if rng.random() < 0.2 else w))
            parts.append("".join(rng.choice(noise) for _ in range(rng.randint(0, 2))))
        texts.append("".join(parts))
    seen = unlike = 0
    for text in texts:
        got = vectors.candidates(text)
        vectors.HITS = 5  # key hits tested a few at a time: the same
        assert vectors.candidates(text) == got
        del vectors.HITS
        for j, spec in enumerate(check.specs):
            prepared = nearmiss._prepare(spec["index"])
            want = []
            for p, key in spec["index"].keys_in(text):
                for a, left, b, right, target, k, n in prepared[key]:
                    if not (text.startswith(left, p + a) or text.startswith(right, p + b)):
                        continue
                    start = p - k
                    win = text[start:start + n]
                    if start < 0 or len(win) != n:
                        continue
                    diff = list(map(operator.ne, win, target))
                    if diff.count(True) != 1:
                        continue
                    # _window's first tests (_Vectors._alike)
                    i = diff.index(True)
                    if target[i] in nearmiss._NUMERALS or not nearmiss.alike(win[i], target[i], spec["vocab"][target]):
                        unlike += 1
                        continue
                    want.append((p, target, start, i))
            by_row = vectors.targets[j]
            assert [(p, by_row[r], s, i) for p, r, s, i in got[j]] == want
            seen += len(want)
    assert seen > 500 and unlike > 1000, (seen, unlike)


def test_vectors_of_a_long_text_read_in_pieces_find_the_same_candidates():
    """_Vectors.candidates reads a text over PIECE characters a piece at a time, each
    with ``pad`` characters of context on both sides: the candidates (key position,
    row, window start, differing character) are those of the whole text, in order,
    whatever the piece size (down to pieces shorter than a phrase)."""
    from conftest import seed_path
    from dj_lint.engine import shipped_rules
    linter = Linter(shipped_rules())
    kind = next(c for c in linter.checks if type(c).__name__ == "NearMissKind")
    vectors = nearmiss._Vectors.build(kind.specs)
    folder = os.path.dirname(seed_path("000"))
    text = "\n".join(open(os.path.join(folder, n), encoding="utf-8").read() for n in sorted(os.listdir(folder))
                     if n.endswith(".txt"))
    # own slips, some across where pieces are cut
    text += "\n坚持以人民为中心的发展思相，全面从严治党永远在路上，不忘初心、牢记使名。" * 40
    import numpy as np
    for every in (True, False):  # every one-character window, or only those _alike keeps
        if every:
            vectors._alike = lambda padded, row, *_: np.ones(len(row), np.bool_)
        whole = vectors._candidates(text)
        assert sum(map(len, whole.values())) > (50 if every else 10)
        for piece in (5_000, 301, 17):
            vectors.PIECE = piece
            assert vectors.candidates(text) == whole, piece
        del vectors.PIECE
        if every:
            del vectors._alike


def _one_edit(rng, phrases) -> str:
    """One of ``phrases`` with a character deleted, two swapped or the last one cut, or
    as it is (the edits of the delete, transpose and truncate rules)."""
    w = list(rng.choice(phrases))
    edit = rng.random()
    i = rng.randrange(len(w))
    if edit < 0.3:
        del w[i]
    elif edit < 0.5 and i + 1 < len(w):
        w[i], w[i + 1] = w[i + 1], w[i]
    elif edit < 0.7:
        w = w[:-1]
    return "".join(w)


def test_vectors_other_keys_are_the_automatons_less_phrases_written_in_full():
    """The delete, truncate and transpose rules' keys found in arrays
    (nearmiss._Vectors.find) are, for each rule and in order, the automaton's
    longest key at each position (_Scan.keys) less only positions whose key stands
    inside its phrase written in full, where _check_other finds nothing to try:
    own sentences, the seeds and generated text with every edit of the phrases,
    keys at both ends, line breaks, lone surrogates and characters beyond U+FFFF."""
    import random
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    (check,) = Linter(rules).checks
    vectors = nearmiss._Vectors.build(check.specs)
    assert vectors.table["other"] is not None
    others = vectors.others
    texts = TEXTS + [open(os.path.join(ROOT, "seeds", n), encoding="utf-8").read()
                     for n in sorted(os.listdir(os.path.join(ROOT, "seeds")))]
    rng = random.Random(29)
    targets = sorted({t for j, spec in enumerate(check.specs) if spec["edit"] != "substitute"
                      for t in spec["vocab"]})
    noise = list("，。、\n的一") + ["\udc80", "\U00020000", "\ufffd", "a"]
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 12)):
            parts.append(_one_edit(rng, targets))
            parts.append("".join(rng.choice(noise) for _ in range(rng.randint(0, 2))))
        texts.append("".join(parts))
    kept = dropped = 0
    for text in texts:
        doc = Document(text)
        text = doc.text
        cands, keys = vectors.find(text)
        assert cands == vectors.candidates(text)
        found = others.find(doc)
        for j, spec in enumerate(check.specs):
            if spec["edit"] == "substitute":
                assert j not in keys
                continue
            want = others.keys(found, j)
            got = set(keys[j])
            assert keys[j] == [k for k in want if k in got]
            for p, key in want:
                if (p, key) in got:
                    kept += 1
                    continue
                dropped += 1
                ((target, _),) = spec["index"][key]
                assert text.startswith(target, p - target.find(key)) and p >= target.find(key)
    assert kept > 300 and dropped > 300
    # A batch found together (_Vectors.prepare, before Linter.lint_many runs the kind
    # over it): each text's candidates and keys are those it has alone, in arrays of
    # up to PIECE characters (down to one text per array), short and empty texts
    # among them, and key hits tested a few at a time.
    texts = [Document(t).text for t in texts]
    texts[5:5] = ["", "入", "入党申", TEXTS[1][:-1]]
    phrases = sorted({t for targets in vectors.targets.values() for t in targets})
    for _ in range(100):  # one character of substitute rules' phrases wrong, phrases cut at the ends
        w = [list(rng.choice(phrases)) for _ in range(rng.randint(1, 8))]
        for p in w:
            p[rng.randrange(len(p))] = rng.choice(noise + [rng.choice(rng.choice(phrases))])
        texts.append("".join("".join(p) for p in w)[rng.randint(0, 2):])
    # The substitute candidates less those _window's first tests reject (_Vectors._alike):
    # a numeral in the phrase, and pairs of characters that alike() rejects, asked
    # once each and kept (``unlike``) for the next texts.
    import numpy as np

    def first_tests(text, j, cand):
        target = vectors.targets[j][cand[1]]
        tests, got, want = check.specs[j]["vocab"][target], text[cand[2] + cand[3]], target[cand[3]]
        return want not in nearmiss._NUMERALS and bool(nearmiss.alike(got, want, tests))

    vectors._alike = lambda padded, row, *_: np.ones(len(row), np.bool_)  # every candidate
    every = [vectors._candidates(text, others=True) for text in texts]
    del vectors._alike
    vectors.unlike = vectors.unlike[:0]
    alone = [vectors._candidates(text, others=True) for text in texts]
    dropped = 0
    for text, (cands, keys), (want, want_keys) in zip(texts, alone, every):
        kept = {j: [c for c in found if first_tests(text, j, c)] for j, found in want.items()}
        dropped += sum(map(len, want.values())) - sum(map(len, kept.values()))
        assert (cands, keys) == (kept, want_keys)
    assert dropped > 1000 and sum(len(c) for cands, _ in alone for c in cands.values()) > 20
    # what was rejected, sorted, each code once (searchsorted reads it)
    unlike = vectors.unlike.tolist()
    assert len(unlike) > 100 and unlike == sorted(set(unlike))
    for fresh in (True, False, False):
        if fresh:
            vectors.unlike = vectors.unlike[:0]
        for piece, hits in ((1 << 20, 1 << 15), (3000, 7), (10, 1 << 15)):
            vectors.PIECE, vectors.HITS = piece, hits
            vectors.prepare(texts)
            assert len(vectors._prepared) == len({id(t) for t in texts if len(t) <= piece})
            for text, found in zip(texts, alone):
                if len(text) <= piece:
                    assert vectors._prepared[id(text)][1:] == found
                    assert vectors.find(text) == found
            assert not vectors._prepared
        assert vectors.unlike.tolist() == unlike
    # A text over PIECE characters is read a piece at a time, each with ``pad``
    # characters of context on both sides: the candidates and keys of the whole text,
    # in order, whatever the piece size (down to pieces shorter than a phrase).
    vectors.unlike = vectors.unlike[:0]
    long_text = "".join(texts)
    whole = vectors._candidates(long_text, others=True)
    assert sum(map(len, whole[1].values())) > 1000
    for piece in (50_000, 301, 17):
        vectors.PIECE = piece
        assert vectors.find(long_text) == whole, piece


def test_vectors_other_keys_from_slots_shared_by_several_groups(monkeypatch):
    """_Vectors looks up the group of a position's first three characters in a table
    by their hash; a slot that several groups share is looked up by searching the
    sorted codes instead: with 2**15 slots for the 26,000 groups (about half of the
    groups in a shared one) the keys are still the automaton's (the test above, again)."""
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    (check,) = Linter(rules).checks
    slot = nearmiss._Vectors.build(check.specs).slot
    assert (slot == -2).any() and (slot >= 0).any()  # the shipped table has both kinds
    monkeypatch.setattr(nearmiss._Vectors, "BITS", 15)
    slot = nearmiss._Vectors.build(check.specs).slot
    assert len(slot) == 1 << 15 and (slot == -2).sum() > 3000 and (slot >= 0).sum() > 5000
    test_vectors_other_keys_are_the_automatons_less_phrases_written_in_full()


def test_a_batch_prepared_together_finds_what_one_document_at_a_time_finds(monkeypatch):
    """Linter.lint_many lets the kind find the other rules' keys of the whole batch
    at once (NearMissKind.prepare_batch): the findings are those of lint() on each
    document, own sentences and the seeds, and the batch was indeed prepared."""
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    monkeypatch.setattr(nearmiss, "_LOOPED", {})
    monkeypatch.setattr(nearmiss, "_COMPILED", {})
    monkeypatch.setattr(nearmiss, "_SCANS", {})
    texts = TEXTS + [open(os.path.join(ROOT, "seeds", n), encoding="utf-8").read()
                     for n in sorted(os.listdir(os.path.join(ROOT, "seeds")))]
    linter = Linter(rules)
    (check,) = linter.checks
    check.prepare_for_many()
    prepared = []
    real = nearmiss._Vectors._prepare
    monkeypatch.setattr(nearmiss._Vectors, "_prepare", lambda self, group: prepared.append(len(group)) or
                        real(self, group))
    alone = _found(linter, texts)
    assert not prepared
    together = [[(f.rule, f.line, f.column, f.text, f.suggestion) for f in found]
                for found in linter.lint_many([Document(t) for t in texts])]
    assert prepared == [len(texts)]
    assert together == alone and sum(map(len, alone)) > 10


def test_the_kind_keeps_the_codes_of_the_pairs_alike_rejects(monkeypatch):
    """_Vectors._alike keeps each pair of characters that alike() rejects as its
    ``_unlike_code`` in the vectors' sorted int64 array: every code kept decodes to
    a (tests, window character, phrase character) that alike() rejects."""
    import random
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    monkeypatch.setattr(nearmiss, "_LOOPED", {})
    monkeypatch.setattr(nearmiss, "_COMPILED", {})
    monkeypatch.setattr(nearmiss, "_SCANS", {})
    linter = Linter(rules)
    (check,) = linter.checks
    check.prepare_for_many()
    (scan,) = nearmiss._SCANS.values()
    vectors = scan._vectors
    assert vectors
    vectors.unlike = vectors.unlike[:0]
    rng = random.Random(71)
    phrases = sorted({t for targets in vectors.targets.values() for t in targets})
    noise = list("的了和是在有我们他这个上来到时大地为子中你说生国年着就那要下以会可也")
    for _ in range(300):
        p = list(rng.choice(phrases))
        p[rng.randrange(len(p))] = rng.choice(noise)
        linter.lint(Document("支部认真学习，" + "".join(p) + "。"))
    codes = vectors.unlike.tolist()
    assert len(codes) > 20 and codes == sorted(set(codes))
    tests_of = {i: t for t, i in vectors.tests.items()}
    for code in codes:
        tests, got, want = tests_of[code >> 37], chr((code >> 16) & ((1 << 21) - 1)), chr(code & 0xFFFF)
        assert want not in nearmiss._NUMERALS and not nearmiss.alike(got, want, tests), (tests, got, want)


def test_tests_of_a_key_alone_asked_once_find_what_asking_at_every_hit_finds(monkeypatch):
    """_check_other asks _confirm's tests that read a key alone (_rejected_alone: the
    key a phrase or a word, not GB2312, no rare neighbour of the gap, a common last
    character) once a key and candidate in the process (NearMissKind.ALIVE), not
    at every hit as _confirm asks them: the same findings, on own sentences, the
    seeds and generated text with every edit of the delete, truncate and transpose
    rules' phrases among words and punctuation; with candidates both dropped and
    kept by those tests."""
    import random
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    texts = TEXTS + [open(os.path.join(ROOT, "seeds", n), encoding="utf-8").read()
                     for n in sorted(os.listdir(os.path.join(ROOT, "seeds")))]
    (check,) = Linter(rules).checks
    rng = random.Random(43)
    targets = sorted({t for spec in check.specs if spec["edit"] != "substitute" for t in spec["vocab"]})
    around = ["，", "。", "、", "\n", "我们", "认真", "的", "要", "工作", "积极", "推进", "X", "党"]
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 10)):
            parts.append(rng.choice(around) + _one_edit(rng, targets) + rng.choice(around))
        texts.append("".join(parts))

    def run(alive):
        monkeypatch.setattr(nearmiss.NearMissKind, "ALIVE", alive)
        monkeypatch.setattr(nearmiss, "_COMPILED", {})
        linter = Linter(rules)
        return _found(linter, texts), linter.checks[0].specs

    asked, specs = run(True)
    plain, _ = run(False)
    assert asked == plain
    found = [f for per in plain for f in per if f[0] in {"DJ742", "DJ743", "DJ744"}]
    assert len(found) > 300 and {f[0] for f in found} == {"DJ742", "DJ743", "DJ744"}
    alive = [(key, cands) for spec in specs if spec["edit"] != "substitute" for key, cands in spec["alive"].items()]
    assert sum(not c for _, c in alive) > 80 and sum(bool(c) for _, c in alive) > 400


def test_a_batch_past_the_loops_gets_the_arrays_before_its_first_document(monkeypatch):
    """A batch whose texts would take the plain loops past what the automaton costs
    (NearMissKind.prepare_batch) has the arrays built before its first document and
    all its texts found together, the automaton never built; a short batch stays
    with the plain loops. The findings are those of the plain loops alone."""
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    seeds = [open(os.path.join(ROOT, "seeds", n), encoding="utf-8").read()
             for n in sorted(os.listdir(os.path.join(ROOT, "seeds")))]
    texts = TEXTS + seeds + seeds

    def lint_many(texts):
        monkeypatch.setattr(nearmiss, "_LOOPED", {})
        monkeypatch.setattr(nearmiss, "_COMPILED", {})
        monkeypatch.setattr(nearmiss, "_SCANS", {})
        linter = Linter(rules)
        found = [[(f.rule, f.line, f.column, f.text, f.suggestion) for f in got]
                 for got in linter.lint_many([Document(t) for t in texts])]
        return found, linter.checks[0]

    after = nearmiss.AUTOMATON_AFTER
    monkeypatch.setattr(nearmiss, "AUTOMATON_AFTER", 10 ** 12)
    looped, _ = lint_many(texts)
    assert not nearmiss._SCANS and sum(map(len, looped)) > 10
    monkeypatch.setattr(nearmiss, "AUTOMATON_AFTER", after)
    prepared = []
    real = nearmiss._Vectors._prepare
    monkeypatch.setattr(nearmiss._Vectors, "_prepare", lambda self, group: prepared.append(len(group)) or
                        real(self, group))
    together, check = lint_many(texts)
    budget = after * sum(spec["key_chars"] for spec in check.specs)
    assert sum(len(t) for t in texts) * len(check.specs) > budget
    assert prepared == [len(texts)]  # before the first document, not at the one past the loops
    (scan,) = nearmiss._SCANS.values()
    assert isinstance(scan._vectors, nearmiss._Vectors) and scan._automaton is None
    assert together == looped
    short = TEXTS[:2]
    assert sum(len(t) for t in short) * len(check.specs) <= budget
    assert lint_many(short)[0] == looped[:2] and not nearmiss._SCANS and prepared == [len(texts)]
    # Document by document, the arrays come where the automaton came (VECTORS_AFTER):
    # the automaton is never built either.
    monkeypatch.setattr(nearmiss, "_LOOPED", {})
    monkeypatch.setattr(nearmiss, "_SCANS", {})
    linter = Linter(rules)
    alone = [_found(linter, [t])[0] for t in texts]
    (scan,) = nearmiss._SCANS.values()
    assert isinstance(scan._vectors, nearmiss._Vectors) and scan._automaton is None
    assert alone == looped and prepared == [len(texts)]


def test_keys_kept_apart_read_back_as_built(monkeypatch):
    """A shipped rule's keys, and a substitute rule's packed index, are kept in a
    build-cache product of their own (nearmiss._Apart), read only when a run needs
    them: whether built in this process or read back from the cache, they are what
    ``_build`` makes, and the spec holds none of them until then."""
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    assert {r.options["edit"] for r in rules} == set(nearmiss.EDITS)
    for cached in (False, True):
        if cached:
            monkeypatch.undo()  # the build cache as a run reads it
        monkeypatch.setattr(nearmiss, "_COMPILED", {})
        if not cached:  # built here: the cache holds nothing of them, and writes nothing
            for name, empty in (("_PRODUCTS", {}), ("_RAW", {}), ("_CHANGED", set()), ("_SEPARATE", {}),
                                ("_SEPARATE_DIRTY", {})):
                monkeypatch.setattr(build_cache, name, empty)
            monkeypatch.setattr(build_cache, "_separate_file", lambda name: None)
        specs = [nearmiss.NearMissKind._compile(rule, None) for rule in rules]
        for rule, spec in zip(rules, specs):
            built = nearmiss.NearMissKind._build(rule)
            substitute = built["edit"] == "substitute"
            assert "keys" not in spec and (spec["index"]._packed is None) is substitute
            keys = nearmiss._keys_of(spec)
            assert keys == built["keys"] and keys.count("\n") > 100
            assert spec["all_han"] is (nearmiss._KEY_WITHOUT_HAN.search(keys) is None) is True
            index = spec["index"]
            assert index.packed == nearmiss._split_heads(built["packed"])
            key = keys.split("\n")[len(keys) // 40]
            assert key in index and index[key] == nearmiss._PackedIndex(index.packed, edit=built["edit"])[key]
            again = nearmiss.NearMissKind._compile(rule, None)
            assert nearmiss._keys_of(again) is keys and again["index"] is index  # kept


def test_vocabulary_packed_by_its_tests_reads_back_as_built():
    """A rule's vocabulary goes into the build cache as its phrases joined, one string
    for each confirm tests (nearmiss._pack_vocab): read back, every phrase has its
    own tests again."""
    vocab = {"太平天国": ("any",), "实事求是": ("same_sound", "shape"), "与时俱进": ("same_sound", "shape"),
             "戊戌变法": ("any",)}
    packed = nearmiss._pack_vocab(vocab)
    assert len(packed) == 2 and all(isinstance(words, str) for _, words in packed)
    assert nearmiss._unpack_vocab(packed) == vocab and nearmiss._unpack_vocab(nearmiss._pack_vocab({})) == {}
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    for rule in rules:
        vocab = nearmiss.NearMissKind._compile(rule, None)["vocab"]
        assert len(vocab) > 100 and nearmiss._unpack_vocab(nearmiss._pack_vocab(vocab)) == vocab
