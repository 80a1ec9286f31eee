"""The literal anchors of a regular expression, and whether its matches stay on one line.

``anchors(source, flags)`` returns a tuple of literal strings such that every
match of the pattern *contains* one of them, and every match, every lookaround
and every anchor lies within one line (no part of the pattern can match a line
break) — or None when that cannot be shown. Under those two conditions a pattern
run only on the lines where one of its anchors occurs finds exactly what a scan
of the whole text finds (engine: one automaton pass for all rules' anchors, then
each rule in its line-aligned windows; see checks/base.py ``Windows``).

The pattern is read with the standard library's regex parser. ``regex``-only
syntax is mapped first: ``\\p{..}`` becomes a character range that holds no
line break and no literal; anything else the standard parser does not know
(fuzzy matching, ``\\m``, ``\\G``, set operations, ``(?V1)`` …) makes the answer
None, and the rule is scanned in full as before. The analysis is conservative
everywhere: a construct it does not model (a backreference, a conditional
group, ``(?s)``, ``\\Z``) gives None.
"""
from __future__ import annotations

import re
import warnings
from typing import FrozenSet, NamedTuple, Optional, Tuple

try:  # Python 3.11+: the parser moved; the old module name warns when imported
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

# A Unicode property (\p{Han}) becomes a range of private-use code points: it is
# not a literal and holds no line break; \P{..} (its complement) holds one.
_PROP = re.compile(r"(?<!\\)((?:\\\\)*)\\([pP])(\{[^}]*\}|[A-Za-z])")
_IN_CLASS_NEG_PROP = re.compile(r"\[[^\]]*\\P")
_FUZZY = re.compile(r"\{\s*[eisd]\s*[<=]")
_PRIVATE = "\U000F0000-\U000FFFFD"
# A set of single characters is an alternation of anchors up to this size.
_MAX_CLASS = 32
_ICASE = _c.SRE_FLAG_IGNORECASE
_DOTALL = _c.SRE_FLAG_DOTALL
_LF = ord("\n")
_UNBOUNDED = 1 << 30
# The classes (\s, \D, \W …) that hold a line break.
_LF_CATEGORIES = frozenset(getattr(_c, name) for name in (
    "CATEGORY_SPACE", "CATEGORY_NOT_DIGIT", "CATEGORY_NOT_WORD", "CATEGORY_LINEBREAK",
    "CATEGORY_UNI_SPACE", "CATEGORY_UNI_NOT_DIGIT", "CATEGORY_UNI_NOT_WORD", "CATEGORY_UNI_LINEBREAK"))


class _Unsure(Exception):
    """A construct the analysis does not model: no anchors for this pattern."""


def _to_stdlib(source: str) -> str:
    if _FUZZY.search(source) or _IN_CLASS_NEG_PROP.search(source):
        raise _Unsure
    out, pos = [], 0
    for m in _PROP.finditer(source):
        out.append(source[pos:m.start()] + m.group(1))
        # Inside a class the range joins the class; outside it is a class of its own.
        inside = _in_class(source, m.start(2) - 1)
        if m.group(2) == "p":
            out.append(_PRIVATE if inside else f"[{_PRIVATE}]")
        else:
            if inside:
                raise _Unsure
            out.append(f"[^{_PRIVATE}]")
        pos = m.end()
    out.append(source[pos:])
    return "".join(out)


def _drop_lookbehinds(source: str) -> str:
    """The pattern without its lookbehinds. A window starts at a line start and a
    search from there still sees the text before it, so what a lookbehind looks at
    does not matter here; the standard parser rejects variable-width ones anyway."""
    out, i, n, in_class = [], 0, len(source), False
    while i < n:
        if not in_class and source.startswith(("(?<=", "(?<!"), i):
            i = _group_end(source, i)
            continue
        j, in_class = _step(source, i, in_class)
        out.append(source[i:j])
        i = j
    return "".join(out)


def _step(source: str, i: int, in_class: bool) -> Tuple[int, bool]:
    """One token of a pattern from ``i``: (where the next token starts, whether
    it stands inside a [...] class). An escape is one token; a class opens with
    its literal leading ^ and ] ([]...] and [^]...] are classes holding ])."""
    ch = source[i]
    if ch == "\\":
        return i + 2, in_class
    if in_class:
        return i + 1, ch != "]"
    if ch == "[":
        j = i + 1
        if source[j:j + 1] == "^":
            j += 1
        if source[j:j + 1] == "]":
            j += 1
        return j, True
    return i + 1, False


def _group_end(source: str, start: int) -> int:
    """The index after the ``)`` that closes the group opened at ``start``."""
    depth, i, n, in_class = 0, start, len(source), False
    while i < n:
        if not in_class and source[i] == "(":
            depth += 1
        elif not in_class and source[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i, in_class = _step(source, i, in_class)
    raise _Unsure


def _in_class(source: str, at: int) -> bool:
    """Whether position ``at`` is inside a [...] class (escapes honoured)."""
    i, in_class = 0, False
    while i < at:
        i, in_class = _step(source, i, in_class)
    return in_class


def _class_has_lf(items) -> bool:
    negate, hit = False, False
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            hit = hit or av == _LF
        elif op is _c.RANGE:
            hit = hit or av[0] <= _LF <= av[1]
        elif op is _c.CATEGORY:
            hit = hit or av in _LF_CATEGORIES
        else:
            raise _Unsure
    return hit != negate


def _check_lines(items, flags: int, reach: list) -> None:
    """Raise _Unsure unless no consuming part of the pattern can match a line break;
    add to ``reach[0]`` how far past a match its lookaheads can read."""
    for op, av in items:
        if op is _c.LITERAL:
            if av == _LF:
                raise _Unsure
        elif op is _c.NOT_LITERAL:
            if av != _LF:
                raise _Unsure
        elif op is _c.ANY:
            if flags & _DOTALL:
                raise _Unsure
        elif op is _c.IN:
            if _class_has_lf(av):
                raise _Unsure
        elif op is _c.AT:
            if av in (_c.AT_END_STRING, _c.AT_BEGINNING_STRING):
                raise _Unsure  # \Z would see the end of a window as the end of the text
        elif op is _c.BRANCH:
            for alt in av[1]:
                _check_lines(alt, flags, reach)
        elif op is _c.SUBPATTERN:
            group, add, dele, sub = av
            _check_lines(sub, (flags | add) & ~dele, reach)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            _check_lines(av[2], flags, reach)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            reach[0] += _lookahead_reach(av[1], flags)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            _check_lines(av, flags, reach)
        else:  # GROUPREF, GROUPREF_EXISTS, anything new
            raise _Unsure


def _lookahead_reach(sub, flags: int) -> int:
    """An upper bound of how many characters a lookahead reads: its longest match
    plus, for every lookahead nested in it, that one's reach. It may read line
    breaks (a window's scan lets it see that far past the window)."""
    hi = sub.getwidth()[1]
    if hi >= _UNBOUNDED:
        raise _Unsure
    total = [hi]
    _walk_asserts(list(sub), total)
    return total[0]


def _walk_asserts(items, total: list) -> None:
    for op, av in items:
        if op is _c.AT and av in (_c.AT_END_STRING, _c.AT_BEGINNING_STRING):
            raise _Unsure
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            hi = av[1].getwidth()[1]
            if hi >= _UNBOUNDED:
                raise _Unsure
            total[0] += hi
            _walk_asserts(list(av[1]), total)
        elif op is _c.BRANCH:
            for alt in av[1]:
                _walk_asserts(list(alt), total)
        elif op is _c.SUBPATTERN:
            _walk_asserts(list(av[3]), total)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            _walk_asserts(list(av[2]), total)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            _walk_asserts(list(av), total)
        elif op in (_c.GROUPREF, _c.GROUPREF_EXISTS, getattr(_c, "GROUPREF_IGNORE", None)):
            raise _Unsure


def _cased(ch: str) -> bool:
    return ch.lower() != ch or ch.upper() != ch or ch.casefold() != ch


def _quality(lits: FrozenSet[str]) -> tuple:
    # The shortest literal decides how often the set hits; fewer literals scan less.
    return (min(len(s) for s in lits), -len(lits))


# Single characters too common in Chinese text to narrow a scan down: any Han
# character, everyday punctuation, digits, spaces.
_COMMON = frozenset("，。、；：？！“”‘’（）《》【】—…·　 \t0123456789")


def useful(literals) -> bool:
    """Whether a set of anchors narrows a scan: none is one common character."""
    for lit in literals:
        if len(lit) == 1 and (lit in _COMMON or "\u3400" <= lit <= "\u9fff"):
            return False
    return True


def _best(cands):
    cands = [c for c in cands if c]
    if not cands:
        return None
    good = [c for c in cands if useful(c)]
    return max(good or cands, key=_quality)


def _seq(items, flags: int) -> Optional[FrozenSet[str]]:
    """Anchors of a sequence: the best of its mandatory parts. Consecutive literal
    characters (zero-width assertions between them consume nothing) form one literal."""
    cands, run = [], []
    for op, av in items:
        if op is _c.LITERAL and not (flags & _ICASE and _cased(chr(av))):
            run.append(chr(av))
            continue
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        if run:
            cands.append(frozenset(["".join(run)]))
            run = []
        cands.append(_node(op, av, flags))
    if run:
        cands.append(frozenset(["".join(run)]))
    return _best(cands)


def _node(op, av, flags: int) -> Optional[FrozenSet[str]]:
    if op is _c.SUBPATTERN:
        group, add, dele, sub = av
        return _seq(sub, (flags | add) & ~dele)
    if op is _c.BRANCH:
        out = set()
        for alt in av[1]:
            got = _seq(alt, flags)
            if not got:
                return None
            out |= got
        return frozenset(out)
    if op is _c.IN:
        chars = set()
        for sop, sav in av:
            if sop is not _c.LITERAL or (flags & _ICASE and _cased(chr(sav))):
                return None
            chars.add(chr(sav))
        return frozenset(chars) if 0 < len(chars) <= _MAX_CLASS else None
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        lo, _, sub = av
        if lo < 1:
            return None
        if len(sub) == 1 and sub[0][0] is _c.LITERAL and not (flags & _ICASE and _cased(chr(sub[0][1]))):
            return frozenset([chr(sub[0][1]) * min(lo, 4)])  # X{2,}: XX
        return _seq(sub, flags)
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _seq(av, flags)
    return None


class Anchors(NamedTuple):
    literals: Tuple[str, ...]
    # How many characters past a match its lookaheads may read (a window's scan
    # reaches that far beyond the window's last line).
    reach: int
    # False: a match may run over a line break, so only a whole document without
    # any of the literals can be skipped (no line windows).
    one_line: bool = True


def anchors(source: str, flags: int = 0) -> Optional[Anchors]:
    """Literals one of which every match contains (None when that cannot be shown),
    and whether the consumed text of every match stays on one line."""
    try:
        with warnings.catch_warnings():
            # A FutureWarning (a possible nested set) means regex may read the class otherwise.
            warnings.simplefilter("error")
            parsed = _p.parse(_to_stdlib(_drop_lookbehinds(source)), flags & (_ICASE | _DOTALL))
        flags = parsed.state.flags
        found = _seq(list(parsed), flags)
    except (_Unsure, re.error, RecursionError, OverflowError, ValueError, TypeError, Warning):
        return None
    if not found or any(not s or "\n" in s for s in found):
        return None
    reach = [0]
    try:
        _check_lines(list(parsed), flags, reach)
    except (_Unsure, RecursionError):
        return Anchors(tuple(sorted(found)), 0, False)
    return Anchors(tuple(sorted(found)), reach[0])


def cached_anchors(source: str, flags: int = 0) -> Optional[Anchors]:
    """``anchors(source, flags)``, kept between runs in the build cache
    (text/build_cache.py ``memo``): keyed by the pattern's exact source and
    flags, and the cache's key covers this module's code, so an entry is never
    used for another pattern or by another version of the analysis. Parsing
    some 150 patterns again at every start cost about 0.06 s."""
    from . import build_cache
    flags = int(flags)
    return build_cache.memo("regex-anchors", (source, flags), lambda: anchors(source, flags))
