"""The compiled code of the methods ``dataclasses`` writes for dj-lint's own
classes, kept between runs.

``@dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__`` (and a
frozen class's ``__setattr__``, ``__delattr__`` and ``__hash__``) as source text
and runs it with ``exec``: Python parses and compiles that text at every start.
Our 22 classes made about 100 such calls before a run linted its first file:
about 110 M instructions under callgrind, a seventh of a run on an empty file.
The compiled code of a text is always the same, so it is kept here, in the
user's cache folder (with the trust checks and atomic writes of every cache file,
text/cachedir.py), as one ``marshal`` dict ``{source text: code object}``; a
start reads it and runs each code object instead of compiling its text again.

``install`` puts ``exec`` into the ``dataclasses`` module's namespace, where its
calls find it before the built-in one. It compiles only the texts of classes
defined in dj-lint's own modules (the globals ``dataclasses`` passes name the
class's module), exactly as ``exec`` would compile them (file name
``<string>``, no inherited ``__future__`` flags); any other call goes to the
built-in ``exec`` unchanged. The file name carries Python's version and
optimisation level (``marshal``'s format of code is Python's own); an entry
stands only for the exact text it was compiled from, so a changed class can
never run stale code. A run writes the file at its end when it compiled a text
the file did not hold; ``DJ_LINT_NO_CACHE=1`` reads and writes nothing.

Python does not check the bytecode it is given (a damaged code object can crash
the interpreter), so the file carries the CRC-32 of its ``marshal`` bytes, checked
before they are read, as the build cache does: a damaged or truncated file is
ignored and written again.
"""
from __future__ import annotations

import builtins
import marshal
import sys
import zlib
from typing import Dict, Optional

from .cachedir import path_of, read_trusted, touch, write_atomic

_OWN = "dj_lint."
MAGIC = b"dj-lint code 1\n"
_CHECK = 4  # bytes of CRC-32 after MAGIC
MAX_ENTRIES = 1000  # past this (texts of classes since edited), a write keeps only those this run used
_builtin_exec = builtins.exec
_CODE: Optional[Dict[str, object]] = None
_DIRTY = False
_USED: set = set()


def cache_file() -> Optional[str]:
    return path_of(f"code-{sys.implementation.cache_tag}-{sys.hexversion:x}-O{sys.flags.optimize}.marshal")


def _load() -> Dict[str, object]:
    global _CODE
    _CODE = {}
    path = cache_file()
    data = read_trusted(path) if path else None
    if data is not None:
        table = None
        payload = data[len(MAGIC) + _CHECK:]
        if data[:len(MAGIC)] == MAGIC and data[len(MAGIC):len(MAGIC) + _CHECK] == _checksum(payload):
            try:
                table = marshal.loads(payload)
            except (EOFError, ValueError, TypeError):
                pass
        code_type = type(_load.__code__)
        if isinstance(table, dict) and all(type(k) is str and type(v) is code_type
                                           for k, v in table.items()):
            _CODE = table
            touch(path)
    return _CODE


def _save() -> None:
    global _DIRTY
    path = cache_file()
    if _DIRTY and path and _CODE is not None:
        _DIRTY = False
        table = _CODE if len(_CODE) <= MAX_ENTRIES else {k: _CODE[k] for k in _USED}
        payload = marshal.dumps(table)
        write_atomic(path, MAGIC + _checksum(payload) + payload)


def _checksum(payload: bytes) -> bytes:
    return zlib.crc32(payload).to_bytes(_CHECK, "big")


def cached_exec(source, globals=None, locals=None):
    """``exec`` as ``dataclasses`` calls it; dj-lint's classes' texts compiled once."""
    if globals is None:  # exec's own default: the caller's (dataclasses') globals
        import dataclasses
        globals = vars(dataclasses)
    if type(source) is not str or not str(globals.get("__name__", "")).startswith(_OWN):
        return _builtin_exec(source, globals, locals)
    table = _CODE if _CODE is not None else _load()
    _USED.add(source)
    code = table.get(source)
    if code is None:
        global _DIRTY
        code = table[source] = compile(source, "<string>", "exec", dont_inherit=True)
        if not _DIRTY and cache_file():
            import atexit
            atexit.register(_save)
        _DIRTY = True
    return _builtin_exec(code, globals, locals)


def install() -> None:
    """Have ``dataclasses`` run dj-lint's classes' methods from the cache."""
    import dataclasses
    dataclasses.exec = cached_exec
