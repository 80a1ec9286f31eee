"""The shared lexicon: Party vocabulary (data with provenance) plus jieba's dictionary."""
import pytest

from dj_lint.text import lexicon


def test_party_terms_and_jieba_words():
    assert lexicon.is_party_term("主题党日")
    assert lexicon.is_word("主题党日")        # Party vocabulary only
    assert lexicon.is_word("加强")            # jieba's dictionary
    assert not lexicon.is_word("优秀员")      # a name a filter cut apart
    assert "全国优秀共产党员" in lexicon.fixed_names()
    assert lexicon.initials()["ZZ"] == "政治"
    assert "党" in lexicon.filtered_words()


def test_party_fills_same_length_slot():
    fills = {f for f, _ in lexicon.party_fills("村", 1, "委会议")}
    assert "党" in fills and "纪" in fills  # 党委会议 / 纪委: the context decides


def test_party_fills_any_length_slot():
    fills = lexicon.party_fills("贯彻“", None, "”重要思想")
    assert ("三个代表", "“三个代表”重要思想") in fills


def test_word_fills_reach_the_context():
    fills = lexicon.word_fills("坚持全面从严", 1, "党的方针")
    assert ("治", "从严治党") in fills


def test_malformed_data_names_the_field():
    with pytest.raises(lexicon.LexiconError, match="unknown field 'phrase'"):
        lexicon.parse({"terms": {"x": ["党委"]}, "names": {"x": ["党章"]}, "filtered": ["党"], "phrase": []})
    with pytest.raises(lexicon.LexiconError, match="initials"):
        lexicon.parse({"terms": {"x": ["党委"]}, "names": {"x": ["党章"]}, "filtered": ["党"],
                       "initials": {"zz": "政治"}})


def test_straddling_fills_kept_per_context_answer_as_worked_out():
    """straddling_fills answers from what it worked out for the same (left, n,
    right) before: the same as working it out again, for every context, and a new
    set each time (a caller's change to it is not kept)."""
    import random
    rng = random.Random(7)
    terms = sorted(lexicon.party_terms())
    plain = lexicon._straddling.__wrapped__
    asked = []
    for _ in range(400):
        term = rng.choice(terms)
        i = rng.randrange(len(term))
        k = rng.randint(1, len(term) - i)
        left = rng.choice(("", "的", "学习")) + term[:i]
        right = term[i + k:] + rng.choice(("", "，", "工作"))
        n = rng.choice((k, None, k + 1))
        asked.append((left, n, right))
    asked += asked[:100]  # asked again: from what was kept
    found = 0
    for left, n, right in asked:
        got = lexicon.straddling_fills(left, n, right)
        assert got == set(plain(left, n, right)) and type(got) is set
        found += bool(got)
        got.add(("x", "y"))
        assert ("x", "y") not in lexicon.straddling_fills(left, n, right)
    assert found > 50
