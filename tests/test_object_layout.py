"""Hits are laid out alike however they are made (Hit(...), Hit with its fields
left out, Hit.of, dataclasses.replace): each with a dict of its own, set whole.
CPython 3.11 specialises an attribute read of such an instance; one made by the
frozen dataclass's ``__init__`` keeps its values in the object, one whose dict
was filled key by key has a dict sharing its keys, and a read meeting two
layouts, or a dict sharing its keys, goes through the generic lookup."""
from __future__ import annotations

import dataclasses
import dis
import pickle
import sys
import types

import pytest

from dj_lint.model.findings import Hit

def _hits():
    return [Hit(1, 2, None), Hit(1, 2, None, "改"), Hit(3, 4, "r", None, {"a": 1}),
            Hit.of(5, 6, "r", None, {}), Hit(start=7, end=8, rule=None, fields={"b": 2}),
            dataclasses.replace(Hit(1, 2, None), start=0)]


def _reads(objs, name):
    """How a function reading ``name`` of each of ``objs`` reads it, looked at after
    each of several passes (a read the interpreter keeps giving up on is seen
    unspecialised at some of them)."""
    code = compile(f"def read(objs):\n    for o in objs:\n        o.{name}\n", "<layout>", "exec")
    read = types.FunctionType(code.co_consts[0], {})
    seen = set()
    for _ in range(16):
        read(objs)
        seen.update(i.opname for i in dis.get_instructions(read, adaptive=True)
                    if i.opname.startswith("LOAD_ATTR"))
    return sorted(seen)


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="CPython 3.11's specialising interpreter")
@pytest.mark.parametrize("name", ["start", "rule", "suggestion", "fields"])
def test_a_hit_read_is_specialised_whichever_way_hits_are_made(name):
    assert _reads(_hits() * 100, name) == ["LOAD_ATTR_WITH_HINT"]


def test_hits_are_the_dataclass_hits():
    for hit in _hits():
        again = Hit(hit.start, hit.end, hit.rule, hit.suggestion, hit.fields)
        assert hit == again and hash(hit) == hash(again) and repr(hit) == repr(again)
        assert list(hit.__dict__) == [f.name for f in dataclasses.fields(Hit)]
        assert pickle.loads(pickle.dumps(hit)) == hit
        with pytest.raises(dataclasses.FrozenInstanceError):
            hit.start = 9
    # Fields left out: a new dict each time, as the dataclass's default_factory.
    a, b = Hit(1, 2, None), Hit(1, 2, None)
    assert a.fields == {} and a.fields is not b.fields
    assert Hit(1, 2, None, None, None).fields is None
