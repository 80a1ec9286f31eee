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
in for a changed rule; it only costs a little disk space.
"""
from __future__ import annotations

import atexit
import os
import pickle
import sys
from typing import Dict, Optional, Tuple

import regex

from .. import __version__
from .cachedir import cache_dir, enabled, read_trusted, touch, write_atomic

MAX_ENTRIES = 20000  # a user pack edited in a loop must not grow the file without end

_PATTERNS: Optional[Dict[Tuple[str, int], object]] = None
_DIRTY = False
_REGISTERED = False
MISSES = 0  # patterns this process compiled itself (tests read it)
_PATTERN_TYPE = type(regex.compile(""))


def cache_file() -> Optional[str]:
    if not enabled():
        return None
    folder = cache_dir()
    if folder is None:
        return None
    py = "%d.%d.%d" % sys.version_info[:3]
    return os.path.join(folder, f"patterns-{__version__}-py{py}-regex{regex.__version__}.pickle")


def _load() -> Dict[Tuple[str, int], object]:
    path = cache_file()
    raw = read_trusted(path) if path else None
    if raw:
        try:
            data = pickle.loads(raw)
            if isinstance(data, dict) and all(
                    isinstance(k, tuple) and len(k) == 2 and isinstance(v, _PATTERN_TYPE)
                    and v.pattern == k[0] for k, v in data.items()):
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


def save() -> None:
    """Write the cache if this run compiled patterns it did not hold."""
    global _DIRTY
    if not _DIRTY or _PATTERNS is None:
        return
    _DIRTY = False
    path = cache_file()
    if path:
        write_atomic(path, pickle.dumps(_PATTERNS, protocol=5))
