"""Compiled ``regex`` patterns kept between runs.

Compiling the shipped packs' patterns is most of a warm start (about 0.6 s for
some 800 patterns); a compiled ``regex`` pattern pickles with its compiled code
and unpickles in C without parsing again (stdlib ``re`` would recompile). The
pickle is one dict ``{(source, flags): (the pattern pickled, its flags, its group
names)}`` in the user's own cache folder: a pattern is unpickled when a run
first compiles it, and a rule's pattern (``deferred``) only when first used,
its source, flags and group names known before that. With the trust checks of every cache file (text/cachedir.py): read only
from a folder and file this user owns that nobody else can write, written
atomically, any problem (truncated, foreign, wrong shape) means "no cache".
The file name carries dj-lint's, Python's and ``regex``'s versions, so a new
``regex`` never reads another's compiled code. An entry is used only for the
exact source and flags it was compiled from, so a stale entry can never stand
in for a changed rule. Stale entries are not kept for ever, though: every start
loads the whole file, and a folder used across rule and code edits had grown to
1.45 MB against 0.57 MB of live entries (+61 M instructions, +4.5 %, for a clean
8 KB file under callgrind). So each entry carries the build (text/build_cache.py
key) that last used it, the file names the last ``KEEP_BUILDS`` builds that ran
with it, and a write keeps only the entries of those builds. A run writes at its
end when it compiled something or when its build is not among those named (the
first run after an edit; checkouts that share the folder each get a place).
``compile_re`` does
the same for the stdlib ``re`` (whose patterns do not pickle) by keeping what
its compiler produces for a source and handing that to ``_sre.compile``.
"""
from __future__ import annotations

import _sre
import atexit
from array import array
import pickle
import re
import sys
from typing import Dict, Optional, Tuple

import regex

from .. import __version__
from .cachedir import path_of, read_trusted, touch, write_atomic

FORMAT = 5  # 2: also stdlib re entries (compile_re); 3: the build that last used each entry;
            # 4: an re entry's code in an array; 5: each regex pattern pickled on its own
MAX_ENTRIES = 20000  # a user pack edited in a loop must not grow the file without end
KEEP_BUILDS = 2      # builds whose entries a write keeps (two checkouts or virtualenvs may share the folder)

_PATTERNS: Optional[Dict[Tuple[str, int], object]] = None
_DIRTY = False
_REGISTERED = False
_BUILD_OF: Dict[tuple, str] = {}  # entry -> the build that last used it, as read or last written
_BUILDS: Tuple[str, ...] = ()     # the builds the file names, most recent first
_USED: set = set()                # entries this process looked up or compiled
MISSES = 0  # patterns this process compiled itself (tests read it)
_PATTERN_TYPE = regex.Pattern


class IntFlags:
    """regex's flags as plain ints, for the flags tests of start-up: an int and a
    ``RegexFlag`` (an ``enum.IntFlag``) combined by ``|`` or ``&`` run enum's
    ``__ror__`` or ``__rand__`` in Python (about 8,000 instructions each, and the
    rules' patterns made some 1,900 of them at every start: 15 M instructions)."""
    IGNORECASE = int(regex.IGNORECASE)
    DOTALL = int(regex.DOTALL)
    MULTILINE = int(regex.MULTILINE)
    REVERSE = int(regex.REVERSE)
    VERBOSE = int(regex.VERBOSE)
    WORD = int(regex.WORD)
    V0 = int(regex.V0)


def cache_file() -> Optional[str]:
    py = "%d.%d.%d" % sys.version_info[:3]
    # FORMAT: dj-lints that read another layout never share (and so never rewrite) this file.
    return path_of(f"patterns-{FORMAT}-{__version__}-py{py}-regex{regex.__version__}.pickle")


def _valid(k, v) -> bool:
    if isinstance(k, tuple) and len(k) == 2:
        # (source, flags) -> (the pattern pickled, its flags, its group names): unpickled
        # when first compiled (``_unpickled``), which checks that it is the source's
        return (isinstance(k[0], str) and isinstance(v, tuple) and len(v) == 3 and isinstance(v[0], bytes)
                and isinstance(v[1], int) and isinstance(v[2], dict))
    # ("re", source, flags) -> the stdlib compiler's output for that source (compile_re)
    return (isinstance(k, tuple) and len(k) == 3 and k[0] == "re" and isinstance(k[1], str)
            and isinstance(v, tuple) and len(v) == 5 and isinstance(v[0], int)
            and isinstance(v[1], array) and v[1].typecode == "I" and isinstance(v[2], int) and isinstance(v[3], dict)
            and isinstance(v[4], tuple))


def _load() -> Dict[Tuple[str, int], object]:
    """The file's patterns (kept aside: the build of each, the builds it names)."""
    global _BUILD_OF, _BUILDS
    path = cache_file()
    raw = read_trusted(path) if path else None
    if raw:
        _register()  # at the end: tag what this build used, drop the entries of old builds
        try:
            data = pickle.loads(raw)
            if (isinstance(data, tuple) and len(data) == 3 and isinstance(data[0], dict)
                    and isinstance(data[1], dict) and isinstance(data[2], tuple)
                    and all(_valid(k, v) for k, v in data[0].items())
                    and all(isinstance(b, str) for b in data[1].values())
                    and all(isinstance(b, str) for b in data[2])):
                touch(path)
                _BUILD_OF, _BUILDS = data[1], data[2]
                return data[0]
        except Exception:  # truncated, foreign or from another build: rebuild
            pass
    return {}


def _register() -> None:
    global _REGISTERED
    if not _REGISTERED:
        _REGISTERED = True
        atexit.register(_at_exit)


def compile(source: str, flags: int = 0):
    """``regex.compile(source, flags)``, from the cache when it holds this pattern."""
    global _PATTERNS, _DIRTY, MISSES
    if _PATTERNS is None:
        _PATTERNS = _load()
    key = (source, flags)
    _USED.add(key)
    found = _PATTERNS.get(key)
    if found is not None:
        if type(found) is not tuple:
            return found
        found = _unpickled(key, found)
        if found is not None:
            return found
    compiled = regex.compile(source, flags)  # regex.error propagates to the caller
    MISSES += 1
    if len(_PATTERNS) < MAX_ENTRIES:
        _PATTERNS[key] = compiled
        _DIRTY = True
        _register()  # patterns compiled after start-up are kept too
    return compiled


def _unpickled(key: tuple, stored: tuple):
    """The pattern of a file's entry (``_valid``), now in _PATTERNS, or None (the
    entry dropped) when it does not unpickle to a pattern of the key's source,
    with the flags and group names the entry gave."""
    try:
        pat = pickle.loads(stored[0])
    except Exception:
        pat = None
    if (not isinstance(pat, _PATTERN_TYPE) or pat.pattern != key[0] or pat.flags != stored[1]
            or pat.groupindex != stored[2]):
        del _PATTERNS[key]
        return None
    _PATTERNS[key] = pat
    return pat


class Deferred:
    """A pattern of the cache not unpickled yet (``deferred``): its source, flags
    and group names, as the pattern's own, and ``load()`` for the pattern."""
    __slots__ = ("pattern", "flags", "_groupindex", "_key_flags")

    def __init__(self, source: str, key_flags: int, flags: int, groupindex: dict):
        self.pattern, self.flags, self._groupindex, self._key_flags = source, flags, groupindex, key_flags

    @property
    def groupindex(self) -> dict:
        return dict(self._groupindex)  # (a pattern gives a new dict each time)

    def load(self):
        return compile(self.pattern, self._key_flags)


def deferred(source: str, flags: int = 0):
    """``compile(source, flags)``, or a ``Deferred`` while the cache holds that
    pattern still pickled: for a rule's pattern, which a run searches only in a
    text that holds its anchors (a run of one small file unpickled the shipped
    rules' 279 charged patterns at its start and searched with 5 to 22 of them)."""
    global _PATTERNS
    if _PATTERNS is None:
        _PATTERNS = _load()
    key = (source, flags)
    found = _PATTERNS.get(key)
    if type(found) is tuple:
        _USED.add(key)
        return Deferred(source, flags, found[1], found[2])
    return compile(source, flags)


def load_used() -> None:
    """Unpickle now every pattern this run has asked for (a ``deferred`` one too):
    before a pool forks its workers (Linter.warm), once for them all, not in each
    worker at its first search."""
    for key in list(_USED):
        found = _PATTERNS.get(key) if _PATTERNS is not None and len(key) == 2 else None
        if type(found) is tuple:
            _unpickled(key, found)


def _stored(value):
    """An entry as the file holds it: a regex pattern pickled on its own (``_valid``)."""
    if isinstance(value, _PATTERN_TYPE):
        return (pickle.dumps(value, protocol=5), value.flags, dict(value.groupindex))
    return value


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
        # The code in an array of 32-bit words (SRE's own code unit): it pickles as
        # its bytes, where a tuple of ints (the opcodes are an int subclass, made
        # plain) was unpickled an int at a time, at every start (the shipped rules'
        # 160 entries; callgrind, a run on an empty file: 735 -> 729 M instructions).
        return (int(flags | p.state.flags), array("I", code), int(p.state.groups - 1),
                {str(k): int(i) for k, i in groupindex.items()}, tuple(indexgroup))
    except Exception:
        return None


def compile_re(source: str, flags: int = 0):
    """``re.compile(source, flags)`` for the stdlib ``re``, whose compiled patterns
    do not pickle: the cache keeps the compiler's output instead (the SRE code,
    checked by ``_sre`` itself before use, see ``_sre.compile``'s validation), so
    a warm start skips parsing and compiling. Same pattern object either way."""
    global _PATTERNS, _DIRTY
    if _PATTERNS is None:
        _PATTERNS = _load()
    key = ("re", source, int(flags))
    _USED.add(key)
    parts = _PATTERNS.get(key)
    if parts is not None and sys.version_info >= (3, 11):
        try:
            return _sre.compile(source, parts[0], parts[1].tolist(), parts[2], dict(parts[3]), parts[4])
        except Exception:  # not this interpreter's code after all: compile below
            pass
    if sys.version_info >= (3, 11):
        # Compiled from the parts that are kept, as a warm start does: one parse and
        # one code generation, where re.compile and then _re_parts did both twice
        # (half of compile_re's time in a first run, which compiles every pattern).
        parts = _re_parts(source, int(flags))
        if parts is not None:
            try:
                compiled = _sre.compile(source, parts[0], parts[1].tolist(), parts[2], dict(parts[3]), parts[4])
            except Exception:  # not this interpreter's code after all: re compiles it
                parts = None
        if parts is not None:
            if len(_PATTERNS) < MAX_ENTRIES:
                _PATTERNS[key] = parts
                _DIRTY = True
                _register()
            return compiled
    return re.compile(source, flags)  # re.error propagates to the caller


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
    from . import build_cache

    def build():
        from .codepoints import every_character
        return class_of("".join(regex.findall(escape, every_character())))

    return build_cache.product("regex-class:" + escape, build)


def members(one_char: str) -> str:
    """Every character the one-character ``regex`` pattern ``one_char`` matches, in
    order (regex_anchors.first_members), asked of all code points once per build
    as ``regex_class`` does."""
    from . import build_cache

    def build():
        from .codepoints import every_character
        return "".join(regex.findall(one_char, every_character()))

    return build_cache.product("regex-members:" + one_char, build)


def save() -> None:
    """Write the cache if this run compiled patterns it did not hold."""
    if _DIRTY and _PATTERNS is not None:
        _write()


def _at_exit() -> None:
    """Write the cache if this run compiled patterns it did not hold, if its build
    is not among those the file names (the first run after an edit), or if it
    used an entry the last write left out (that write came before the use)."""
    from . import build_cache
    if _PATTERNS is None or (not _DIRTY and build_cache.known_key() is None):
        return  # nothing compiled, and no build keyed (--version, --help)
    if (_DIRTY or build_cache.key()[:16] not in _BUILDS
            or any(k not in _BUILD_OF for k in _USED if k in _PATTERNS)):
        _write()


def kept(build: str) -> Tuple[dict, Dict[tuple, str], Tuple[str, ...]]:
    """What a write keeps: the entries this run used (now ``build``'s) and those
    of the last ``KEEP_BUILDS`` builds; the build of each; those builds."""
    builds = (build,) + tuple(b for b in _BUILDS if b != build)[:KEEP_BUILDS - 1]
    build_of = {}
    for k in _PATTERNS or {}:
        b = build if k in _USED else _BUILD_OF.get(k)
        if b in builds:
            build_of[k] = b
    return {k: _stored(_PATTERNS[k]) for k in build_of}, build_of, builds


def _write() -> None:
    global _DIRTY, _BUILD_OF, _BUILDS
    _DIRTY = False
    path = cache_file()
    try:
        if path:
            from . import build_cache
            data = kept(build_cache.key()[:16])
            write_atomic(path, pickle.dumps(data, protocol=5))
            _BUILD_OF, _BUILDS = data[1], data[2]
    except Exception:  # never a traceback at exit: the next run simply compiles again
        pass
