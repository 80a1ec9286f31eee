"""Heading and SeriesItem fill their frozen instances through an __init__ of
their own (no object.__setattr__ per field): each must make the very object the
frozen dataclass __init__ makes, from the same arguments, with the same
defaults and the same errors."""
from __future__ import annotations

import copy
import dataclasses
import pickle
import sys

import pytest

from dj_lint.text.structure import Heading, SeriesItem


def _generated_init(cls):
    """The __init__ that ``@dataclass(frozen=True)`` writes for ``cls``'s fields."""
    specs = []
    for f in dataclasses.fields(cls):
        kw = {"compare": f.compare, "hash": f.hash, "repr": f.repr}
        if f.default is not dataclasses.MISSING:
            kw["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            kw["default_factory"] = f.default_factory
        specs.append((f.name, f.type, dataclasses.field(**kw)))
    return dataclasses.make_dataclass(cls.__name__, specs, frozen=True).__init__


def _reference(cls, *args, **kwargs):
    made = object.__new__(cls)
    _generated_init(cls)(made, *args, **kwargs)
    return made


CASES = [
    (Heading, (3, 40, 42, 1, 2, "cn", "二、", "主要工作", 0), {}),
    (Heading, (3, 40, 42, 1, 2, "cn", "二.", "主要工作", 0, "二、"), {}),
    (Heading, (3, 40, 42, 2, None, "md", "", "标题", 1), {"suggestion": None}),
    (SeriesItem, (10, 12, "shi", 1, "", 0, 0), {}),
    (SeriesItem, (), {"start": 5, "end": 8, "family": "di", "number": 2, "mark": "，", "line": 1, "scope": 2}),
]


@pytest.mark.parametrize("cls,args,kwargs", CASES)
def test_init_makes_what_the_dataclass_init_makes(cls, args, kwargs):
    made, built = cls(*args, **kwargs), _reference(cls, *args, **kwargs)
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert made.__dict__ == built.__dict__
    assert list(made.__dict__) == [f.name for f in dataclasses.fields(cls)]
    if sys.version_info >= (3, 11):  # before it a dict filled by subscript stops sharing keys
        assert sys.getsizeof(made.__dict__) <= sys.getsizeof(built.__dict__)
    assert dataclasses.asdict(made) == dataclasses.asdict(built)
    assert pickle.loads(pickle.dumps(made)) == built
    assert copy.deepcopy(made) == built
    first = dataclasses.fields(cls)[0].name
    assert dataclasses.replace(made, **{first: 99}) == dataclasses.replace(built, **{first: 99})
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, first, 9)


@pytest.mark.parametrize("cls,args,kwargs", [
    (Heading, (1, 2, 3), {}),
    (SeriesItem, (1, 2, "shi", 1, "", 0, 0, 9), {}),
])
def test_init_refuses_what_the_dataclass_init_refuses(cls, args, kwargs):
    with pytest.raises(TypeError):
        _reference(cls, *args, **kwargs)
    with pytest.raises(TypeError):
        cls(*args, **kwargs)


def test_fuzzy_name_quotes_taken_out_as_by_the_character_walk():
    """fuzzy_name takes the quotes out of a candidate by str.translate: the same
    string as keeping each character that is no quote."""
    import random

    from dj_lint.checks.fuzzyname import _NO_QUOTES, _QUOTES
    rng = random.Random(5)
    alphabet = _QUOTES + "习近平新时代中国特色社会主义思想'`「 \ud800"
    for _ in range(3000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert raw.translate(_NO_QUOTES) == "".join(ch for ch in raw if ch not in _QUOTES)
