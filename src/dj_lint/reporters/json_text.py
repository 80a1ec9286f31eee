"""``json.dumps(obj, ensure_ascii=False, indent=N)``, byte for byte, faster.

With ``indent`` the standard library drops its C encoder and walks the data
in pure Python, one generator per container. Reports are lists of flat
mappings: here every string goes through the C ``encode_basestring`` and
each container is joined once, so a 50,000-finding report renders several
times faster. Anything outside plain JSON data (a custom object, a non-string
key, a circular list) is handed to ``json.dumps`` itself, so behaviour and
errors stay the standard library's.
"""
from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring as _str  # C versions when available

_FLOAT_REPR = float.__repr__
_INT_REPR = int.__repr__
_INF = float("inf")


class _Fallback(Exception):
    pass


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == _INF:
        return "Infinity"
    if o == -_INF:
        return "-Infinity"
    return _FLOAT_REPR(o)


_ENCODERS: dict = {}
# Exact types only: a subclass (an OrderedDict value, a str subclass) takes the general path.
_SCALARS = frozenset((str, int, float, bool, type(None)))
_KEYS = frozenset((str,))


def _flat_encoder(inner: str):
    enc = _ENCODERS.get(inner)
    if enc is None:
        if c_make_encoder is None:  # pragma: no cover - no C accelerator
            enc = json.JSONEncoder(ensure_ascii=False, separators=("," + inner, ": ")).iterencode
        else:
            enc = c_make_encoder(None, _no_default, _str, None, ": ", "," + inner, False, False, True)
        _ENCODERS[inner] = enc
    return enc


def _no_default(o):
    raise _Fallback


def dumps(obj, indent: int = 2) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=indent)``."""
    try:
        return _encode(obj, "\n", " " * indent, 0)
    except (_Fallback, RecursionError):
        return json.dumps(obj, ensure_ascii=False, indent=indent)


def _encode(o, nl: str, step: str, depth: int) -> str:
    if isinstance(o, str):
        return _str(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return _INT_REPR(o)
    if isinstance(o, float):
        return _float(o)
    if depth > 200:
        raise _Fallback  # let json report a circular structure its own way
    inner = nl + step
    if isinstance(o, dict):
        if not o:
            return "{}"
        if _SCALARS.issuperset(map(type, o.values())) and _KEYS.issuperset(map(type, o)):
            # Flat (a finding): one call of the C encoder with the line break and
            # indent as its item separator.
            flat = "".join(_flat_encoder(inner)(o, 0))
            return "{" + inner + flat[1:-1] + nl + "}"
        parts = []
        for k, v in o.items():
            if not isinstance(k, str):
                raise _Fallback
            parts.append(_str(k) + ": " + _encode(v, inner, step, depth + 1))
        return "{" + inner + ("," + inner).join(parts) + nl + "}"
    if isinstance(o, (list, tuple)):
        if not o:
            return "[]"
        return "[" + inner + ("," + inner).join(
            [_encode(v, inner, step, depth + 1) for v in o]) + nl + "]"
    raise _Fallback
