"""Compiled ``regex`` patterns kept between runs.

Compiling the shipped packs' patterns is most of a warm start (about 0.6 s for
some 800 patterns); a compiled ``regex`` pattern pickles with its compiled code
and unpickles in C without parsing again (stdlib ``re`` would recompile). The
pickle is one dict ``{(source, flags): Pattern}`` in the user's own cache folder,
with the trust checks of every cache file (text/cachedir.py): read only
from a folder and file this user owns that nobody else can write, written
atomically, any problem (truncated, foreign, wrong shape) means "no cache".
The file name carries dj-lint's, Python's and ``regex``'s versions, so a new
``regex`` never reads another's compiled code. An entry is used only for the
exact source and flags it was compiled from, so a stale entry can never stand
in for a changed rule; it only costs a little disk space. ``compile_re`` does
the same for the stdlib ``re`` (whose patterns do not pickle) by keeping what
its compiler produces for a source and handing that to ``_sre.compile``.
"""
from __future__ import annotations

import _sre
import atexit
import os
import pickle
import re
import sys
from typing import Dict, Optional, Tuple

import regex

from .. import __version__
from .cachedir import cache_dir, enabled, read_trusted, touch, write_atomic

FORMAT = 2  # 2: also stdlib re entries (compile_re)
MAX_ENTRIES = 20000  # a user pack edited in a loop must not grow the file without end

_PATTERNS: Optional[Dict[Tuple[str, int], object]] = None
_DIRTY = False
_REGISTERED = False
MISSES = 0  # patterns this process compiled itself (tests read it)
_PATTERN_TYPE = regex.Pattern


def cache_file() -> Optional[str]:
    if not enabled():
        return None
    folder = cache_dir()
    if folder is None:
        return None
    py = "%d.%d.%d" % sys.version_info[:3]
    # FORMAT: dj-lints that read another layout never share (and so never rewrite) this file.
    return os.path.join(folder, f"patterns-{FORMAT}-{__version__}-py{py}-regex{regex.__version__}.pickle")


def _valid(k, v) -> bool:
    if isinstance(k, tuple) and len(k) == 2:
        return isinstance(v, _PATTERN_TYPE) and v.pattern == k[0]
    # ("re", source, flags) -> the stdlib compiler's output for that source (compile_re)
    return (isinstance(k, tuple) and len(k) == 3 and k[0] == "re" and isinstance(k[1], str)
            and isinstance(v, tuple) and len(v) == 5 and isinstance(v[0], int)
            and isinstance(v[1], tuple) and isinstance(v[2], int) and isinstance(v[3], dict)
            and isinstance(v[4], tuple))


def _load() -> Dict[Tuple[str, int], object]:
    path = cache_file()
    raw = read_trusted(path) if path else None
    if raw:
        try:
            data = pickle.loads(raw)
            if isinstance(data, dict) and all(_valid(k, v) for k, v in data.items()):
                touch(path)
                return data
        except Exception:  # truncated, foreign or from another build: rebuild
            pass
    return {}


def compile(source: str, flags: int = 0):
    """``regex.compile(source, flags)``, from the cache when it holds this pattern."""
    global _PATTERNS, _DIRTY, MISSES, _REGISTERED
    if _PATTERNS is None:
        _PATTERNS = _load()
    key = (source, flags)
    found = _PATTERNS.get(key)
    if found is not None:
        return found
    compiled = regex.compile(source, flags)  # regex.error propagates to the caller
    MISSES += 1
    if len(_PATTERNS) < MAX_ENTRIES:
        _PATTERNS[key] = compiled
        _DIRTY = True
        if not _REGISTERED:
            _REGISTERED = True
            atexit.register(save)  # patterns compiled after start-up are kept too
    return compiled


def _re_parts(source: str, flags: int):
    """What ``re``'s compiler hands to ``_sre.compile`` for this source: the
    final flags, the code, the group count and names (CPython 3.11+ internals;
    None where they differ, and then nothing is cached)."""
    try:
        from re import _compiler, _parser
        p = _parser.parse(source, flags)
        code = _compiler._code(p, flags)
        groupindex = dict(p.state.groupdict)
        indexgroup = [None] * p.state.groups
        for k, i in groupindex.items():
            indexgroup[i] = k
        # Plain ints: the compiler's opcodes are an int subclass that does not pickle.
        return (int(flags | p.state.flags), tuple(int(c) for c in code), int(p.state.groups - 1),
                {str(k): int(i) for k, i in groupindex.items()}, tuple(indexgroup))
    except Exception:
        return None


def compile_re(source: str, flags: int = 0):
    """``re.compile(source, flags)`` for the stdlib ``re``, whose compiled patterns
    do not pickle: the cache keeps the compiler's output instead (the SRE code,
    checked by ``_sre`` itself before use, see ``_sre.compile``'s validation), so
    a warm start skips parsing and compiling. Same pattern object either way."""
    global _PATTERNS, _DIRTY, _REGISTERED
    if _PATTERNS is None:
        _PATTERNS = _load()
    key = ("re", source, int(flags))
    parts = _PATTERNS.get(key)
    if parts is not None and sys.version_info >= (3, 11):
        try:
            return _sre.compile(source, parts[0], list(parts[1]), parts[2], dict(parts[3]), parts[4])
        except Exception:  # not this interpreter's code after all: compile below
            pass
    compiled = re.compile(source, flags)  # re.error propagates to the caller
    if sys.version_info >= (3, 11) and len(_PATTERNS) < MAX_ENTRIES:
        parts = _re_parts(source, int(flags))
        if parts is not None and parts[0] == compiled.flags and parts[2] == compiled.groups:
            _PATTERNS[key] = parts
            _DIRTY = True
            if not _REGISTERED:
                _REGISTERED = True
                atexit.register(save)
    return compiled


def class_of(chars: str) -> str:
    """A character class body for ``re`` holding exactly ``chars``, in ranges
    (thousands of CJK code points are a few hundred ranges)."""
    codes = sorted(map(ord, chars))
    out, lo, hi = [], codes[0], codes[0]
    for c in codes[1:] + [-1]:
        if c == hi + 1:
            hi = c
            continue
        out.append(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else ""))
        lo = hi = c
    return "".join(out)


def regex_class(escape: str) -> str:
    """A class body for ``re`` holding exactly the characters ``regex`` matches with
    the class escape ``escape`` (``\\s``, ``\\d``): a pattern moved to ``re`` keeps
    what it matched, though the two modules define these apart (``re``'s ``\\s``
    also takes \\x1c-\\x1f, ``regex``'s ``\\d`` knows more digits of newer Unicode).
    All code points asked once per build (the build cache's key covers ``regex``'s
    version); their text decoded from UTF-32 in C (``"".join(map(chr, ...))`` made
    1.1 M strings: 1.9 against 0.5 s on a loaded machine)."""
    from array import array

    from . import build_cache

    def build():
        codes = array("I", range(sys.maxunicode + 1))
        if codes.itemsize == 4:
            every = codes.tobytes().decode("utf-32-" + ("le" if sys.byteorder == "little" else "be"), "surrogatepass")
        else:
            every = "".join(map(chr, codes))
        return class_of("".join(regex.findall(escape, every)))

    return build_cache.product("regex-class:" + escape, build)


def save() -> None:
    """Write the cache if this run compiled patterns it did not hold."""
    global _DIRTY
    if not _DIRTY or _PATTERNS is None:
        return
    _DIRTY = False
    path = cache_file()
    try:
        if path:
            write_atomic(path, pickle.dumps(_PATTERNS, protocol=5))
    except Exception:  # never a traceback at exit: the next run simply compiles again
        pass
