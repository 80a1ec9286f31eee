"""Start-up tables kept packed in the build cache answer exactly what the plain
dicts they replace answered: pypinyin's per-character readings (near_miss) and
byteshift's word list. Every entry is compared, and lookups of absent keys."""
import json
import os
import pickle

from dj_lint.checks import byteshift, nearmiss
from dj_lint.engine import Linter
from dj_lint.engine.linter import shipped_rules


def _pypinyin_table() -> dict:
    """pypinyin's per-character readings, as its pinyin_dict.json holds them."""
    import importlib.util
    spec = importlib.util.find_spec("pypinyin")
    path = os.path.join(list(spec.submodule_search_locations)[0], "pinyin_dict.json")
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def test_packed_pinyin_readings_equal_pypinyins_table():
    table = _pypinyin_table()
    packed = pickle.loads(pickle.dumps(nearmiss._PackedReadings.pack(table), protocol=5))
    assert len(packed.codes) == len(table) > 40000
    for key, readings in table.items():
        assert packed.get(key, "") == readings
    for absent in ("65", "0", "12294", str(0x10FFFF), "not a number"):
        assert absent not in table and packed.get(absent, "-") == "-"
    assert packed.get(str(ord("党")), "") == table[str(ord("党"))] and "dǎng" in packed.get(str(ord("党")))


def test_pinyin_readings_kept_are_all_a_hit_may_need():
    """near_miss keeps pypinyin's readings of U+4E00-U+9FFF only (nearmiss._readings_kept):
    every phrase character is there, and no GB2312 character outside it has a
    reading (a window outside GB2312 is never a hit, whatever alike() says)."""
    table = _pypinyin_table()
    kept = nearmiss._readings_kept(table)
    assert kept == {k: v for k, v in table.items() if "\u4e00" <= chr(int(k)) <= "\u9fff"} and len(kept) > 20000
    for key in set(table) - set(kept):
        assert not nearmiss._gb2312(chr(int(key))), key
    assert all(nearmiss._HAN_RUN.fullmatch(chr(int(k))) for k in kept)
    # What alike() reads is the kept table: 党 still reads dang, and an outside
    # character (U+20000) none.
    assert nearmiss._readings("党") == frozenset({"dang"}) and nearmiss._readings("\U00020000") == frozenset()


def test_packed_byteshift_word_list_equals_the_dict():
    rule = [r for r in shipped_rules() if r.kind == "byteshift"][0]
    kind = Linter([rule]).checks[0]
    p = kind.prepared[0]
    words = byteshift.ByteShiftKind._build_bigrams(p)
    assert len(words) > 10000
    packed = pickle.loads(pickle.dumps(byteshift._PackedBigrams.pack(words), protocol=5))
    assert dict(packed.items()) == words
    for key, entry in words.items():
        assert packed.get(key) == entry
    prevs = sorted({k[0] for k in words})[:300]
    gs = sorted({k[1] for k in words})
    for a in prevs:
        for g in gs:
            assert packed.get(a + g) == words.get(a + g)
    for odd in ("", "基", "基础。", "础矗"[::-1]):
        assert packed.get(odd) == words.get(odd)
    # What the kind holds at run time is this packed table.
    assert isinstance(kind._bigrams(p), byteshift._PackedBigrams)
