"""Finding.of, the engine's way to build a Finding without the frozen dataclass
__init__, makes the very object Finding(...) makes."""
from __future__ import annotations

import copy
import dataclasses
import pickle
import sys

import pytest

from dj_lint.model.findings import Finding

ARGS = ("报告.txt", 3, 5, 4, 1, "DJ201", "blank-year", "placeholder", "error",
        "“____年”是没有填写的年份", "____年", "2026年", True, 40, 45, {"paragraph": 2})


def test_of_makes_what_the_constructor_makes():
    made, built = Finding.of(*ARGS), Finding(*ARGS)
    assert made == built and hash(made) == hash(built)
    assert repr(made) == repr(built)
    assert made.__dict__ == built.__dict__
    # A key-sharing dict, as the constructor's: no larger than the constructor's
    # (from Python 3.11; before it a dict filled by subscript stops sharing keys).
    if sys.version_info >= (3, 11):
        assert sys.getsizeof(made.__dict__) <= sys.getsizeof(built.__dict__)
    assert list(made.__dict__) == [f.name for f in dataclasses.fields(Finding)]
    assert dataclasses.asdict(made) == dataclasses.asdict(built)
    assert made.as_dict() == built.as_dict()
    assert made.related is None and made.location == {"paragraph": 2}
    assert pickle.loads(pickle.dumps(made)) == built
    assert copy.deepcopy(made) == built
    assert dataclasses.replace(made, path="b.txt") == dataclasses.replace(built, path="b.txt")


def test_of_is_still_frozen():
    made = Finding.of(*ARGS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.line = 9


def test_hit_of_makes_what_the_constructor_makes():
    from dj_lint.model.findings import Hit
    made, built = Hit.of(7, 8, None, None, {"missing": "”"}), Hit(7, 8, None, None, {"missing": "”"})
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert list(made.__dict__) == [f.name for f in dataclasses.fields(Hit)]
    assert made.__dict__ == built.__dict__
    assert sys.getsizeof(made.__dict__) <= sys.getsizeof(built.__dict__)
    assert pickle.loads(pickle.dumps(made)) == built
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.start = 9


def test_rows_give_back_equal_findings():
    """to_rows/from_rows (how a --jobs worker sends its findings): every field
    comes back, ``related`` and ``location`` too, built as Finding.of builds."""
    from dj_lint.model.findings import from_rows, to_rows
    related = {"path": "b.txt", "line": 1, "column": 2, "end_line": 1, "end_column": 9}
    sent = [Finding.of(*ARGS), Finding(*ARGS[:15], location=None, related=related)]
    back = from_rows(pickle.loads(pickle.dumps(to_rows(sent))))
    assert back == sent
    assert [f.__dict__ for f in back] == [f.__dict__ for f in sent]
    assert back[1].related == related and back[0].location == {"paragraph": 2}
    assert list(back[1].__dict__) == [f.name for f in dataclasses.fields(Finding)]
