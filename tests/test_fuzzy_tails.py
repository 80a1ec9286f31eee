"""fuzzy_name looks at a name's tail only where enough of the name's own characters
(or quotes) stand before it (checks/fuzzyname.py ``_tail_pattern``): the same
candidates as looking at every tail, on generated text of the names' characters
dropped, swapped, split by quotes and mixed with stops and other characters."""
import random
import re
from collections import Counter

from dj_lint.checks import fuzzyname
from dj_lint.checks.fuzzyname import FuzzyNameKind, _NO_QUOTES, _QUOTES, _STOP

NAMES = ["全面从严治党", "党的全部工作和战斗力的基础", "以人民为中心的发展思想",
         "中国特色社会主义进入新时代", "天下为公公", "甲乙丙丁"]


def plain_runs(text, name, max_missing):
    """The candidates of every tail (the kind's loop before the tail pattern)."""
    whole, tail_of, want = re.compile(re.escape(name)), re.compile(re.escape(name[-2:])), Counter(name)
    n = len(name)
    exact = [(m.start(), m.end()) for m in whole.finditer(text)]
    seen = set()
    first = name[0]
    for tail in tail_of.finditer(text):
        end = tail.end()
        lo = max(0, end - n - 4)
        start = lo - 1
        while True:
            start = text.find(first, start + 1, end - 2)
            if start < 0:
                break
            if (start, end) in seen:
                continue
            raw = text[start:end]
            if _STOP.search(raw) or exact and any(s < end and start < e for s, e in exact):
                continue
            bare = raw.translate(_NO_QUOTES)
            if bare == name:
                if raw != bare:
                    seen.add((start, end))
                    parts = [x for x in re.split("[" + re.escape(_QUOTES) + "]", raw) if x]
                    yield start, end, "被引号拆成了" + "".join(f"“{x}”" for x in parts)
                continue
            if not (n - max_missing <= len(bare) < n) or bare[:2] != name[:2] and bare[-2:] != name[-2:]:
                continue
            if Counter(bare) - want:
                continue
            seen.add((start, end))
            yield start, end, f"写成了“{bare}”，有字词遗漏或颠倒"
            break


def _variant(rng, name):
    w = list(name)
    for _ in range(rng.randint(0, 3)):
        edit = rng.random()
        i = rng.randrange(len(w))
        if edit < 0.4 and len(w) > 2:
            del w[i]
        elif edit < 0.6 and i + 1 < len(w):
            w[i], w[i + 1] = w[i + 1], w[i]
        elif edit < 0.8:
            w.insert(i, rng.choice(_QUOTES))
        else:
            w.insert(i, rng.choice("，。\n的党中国是X"))
    return "".join(w)


def test_tails_with_the_names_characters_before_them_give_every_candidate():
    rng = random.Random(17)
    found = 0
    for _ in range(1500):
        names = rng.sample(NAMES, 2)
        parts = []
        for _ in range(rng.randint(1, 10)):
            name = rng.choice(names)
            parts.append(rng.choice([name, _variant(rng, name), name[rng.randint(0, 3):],
                                     "".join(rng.sample(name, len(name)))]))
            parts.append("".join(rng.choice("，。、\n的了在“”X ") for _ in range(rng.randint(0, 3))))
        text = "".join(parts)
        for name in names:
            for max_missing in (1, 2, 3, len(name)):
                want = list(plain_runs(text, name, max_missing))
                assert list(FuzzyNameKind._runs(text, name, max_missing)) == want, (text, name, max_missing)
                # check() starts the scan at the first tail its search finds, or not at all.
                first = fuzzyname._compiled(name, max_missing)[1].search(text)
                got = list(FuzzyNameKind._runs(text, name, max_missing, first.start())) if first else []
                assert got == want, (text, name, max_missing)
                found += len(want)
    assert found > 1000


def test_the_tail_pattern_skips_only_where_a_lookbehind_is_sound():
    fuzzyname._NAMES.clear()
    assert FuzzyNameKind._tail_pattern("全面从严治党", 2) != re.escape("治党")
    assert FuzzyNameKind._tail_pattern("全面从严治党", 4) == re.escape("治党")  # nothing required before
    assert FuzzyNameKind._tail_pattern("天下为公公", 1) == re.escape("公公")  # overlapping tails
