"""reporters/json_text.dumps is json.dumps(ensure_ascii=False, indent=2), byte for byte."""
from __future__ import annotations

import collections
import json
import os
import random

from dj_lint.engine.linter import lint_text
from dj_lint.reporters import json_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _std(obj, indent=2):
    return json.dumps(obj, ensure_ascii=False, indent=indent)


SCALARS = ["", "a\"b\\c\n\t\x00", "党的二十大", "\udc80\udcff", "😀", 0, -7, 10 ** 30, 1.5, 0.1 + 0.2,
           float("nan"), float("inf"), float("-inf"), True, False, None]


def _random(rng, depth=0):
    if depth > 3 or rng.random() < 0.4:
        return rng.choice(SCALARS)
    if rng.random() < 0.6:
        return {rng.choice(["k", "键", "a\"b", ""]) + str(i): _random(rng, depth + 1)
                for i in range(rng.randint(0, 4))}
    items = [_random(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return items if rng.random() < 0.8 else tuple(items)


def test_random_structures_match_the_standard_library():
    rng = random.Random(17)
    for _ in range(5000):
        obj = _random(rng)
        for indent in (2, 4):
            assert json_text.dumps(obj, indent) == _std(obj, indent)


def test_what_it_does_not_model_goes_to_the_standard_library():
    odd = {"ordered": collections.OrderedDict(b=[1, {}], a=()), 1: "int key", None: 2,
           "sub": type("S", (str,), {})("x"), "n": type("I", (int,), {})(3)}
    assert json_text.dumps(odd) == _std(odd)
    try:
        json_text.dumps({"x": object()})
    except TypeError as exc:
        assert "not JSON serializable" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected TypeError")


def test_a_real_report():
    with open(os.path.join(ROOT, "seeds", sorted(os.listdir(os.path.join(ROOT, "seeds")))[0]),
              encoding="utf-8") as fh:
        findings = [f.as_dict() for f in lint_text(fh.read(), path="seed.txt")]
    assert len(findings) > 10
    doc = {"version": "x", "files": 1, "findings": findings, "errors": []}
    assert json_text.dumps(doc) == _std(doc)
