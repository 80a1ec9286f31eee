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

encode_string = _str  # a string as JSON (ensure_ascii=False), for reporters writing their own

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


class Stream:
    """A list value of ``chunks`` whose items are encoded one at a time as they
    come (a generator of findings is never held as one list of dicts);
    ``encode(item, nl, step)``, if given, encodes an item as ``piece`` does at
    the indent ``nl`` (a caller's faster way for items of its own kind)."""

    def __init__(self, items, encode=None):
        self.items = items
        self.encode = encode


_BATCH = 256  # items per chunk: few writes, little held


def chunks(pairs, indent: int = 2):
    """``dumps(dict(pairs), indent)`` in pieces, for a top-level object whose
    values may be :class:`Stream` lists: joined, the pieces are the same text."""
    step = " " * indent
    inner = "\n" + step
    if not pairs:
        yield "{}"
        return
    lead = "{"
    for k, v in pairs:
        if not isinstance(k, str):
            raise TypeError(f"keys must be str, not {type(k).__name__}")
        head = lead + inner + _str(k) + ": "
        lead = ","
        if isinstance(v, Stream):
            yield head
            yield from _stream_list(v.items, inner, step, v.encode or piece)
        else:
            yield head + _piece(v, inner, step, 1)
    yield "\n}"


def _stream_list(items, nl: str, step: str, encode):
    inner = nl + step
    buf = []
    lead = "["
    for v in items:
        buf.append(lead + inner + encode(v, inner, step))
        lead = ","
        if len(buf) >= _BATCH:
            yield "".join(buf)
            buf = []
    if lead == "[":
        yield "[]"
        return
    buf.append(nl + "]")
    yield "".join(buf)


def piece(v, nl: str, step: str) -> str:
    """An item of a streamed list (``nl``: its indent), as ``json.dumps`` lays it out there."""
    return _piece(v, nl, step, 2)


def _piece(v, nl: str, step: str, depth: int) -> str:
    """One value nested at ``nl``'s indent, as ``json.dumps`` would lay it out there."""
    try:
        return _encode(v, nl, step, depth)
    except (_Fallback, RecursionError):
        # A string's line breaks are escaped in JSON: every raw "\n" of the
        # output is a layout break, and indenting it nests the value.
        return json.dumps(v, ensure_ascii=False, indent=len(step)).replace("\n", nl)


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
