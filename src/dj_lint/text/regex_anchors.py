"""The literal anchors of a regular expression, and over how many lines its matches run.

``anchors(source, flags)`` returns a tuple of literal strings such that every
match of the pattern *contains* one of them (or, through a lookaround, reads it
on a line the match touches), and how many line breaks a match consumes at most
— or None when no literal can be shown. A pattern run only on the lines where
one of its anchors occurs (and, for a match that may run over k line breaks, k
lines before and after) finds exactly what a scan of the whole text finds
(engine: one automaton pass for all rules' anchors, then each rule in its
line-aligned windows; see multiscan.AnchorIndex.windows and checks/base.py
``finditer_anchored``).

The literals come from consecutive parts of the pattern joined together: the
small sets of texts that classes, alternations, optional parts and
backreferences match are multiplied out, and a lookahead (lookbehind) adds what
the text holds after (before) that point on the same line (``_Info``).

The pattern is read with the standard library's regex parser. ``regex``-only
syntax is mapped first: ``\\p{..}`` becomes a character range that holds no
line break and no literal, a lookbehind becomes a marked lookahead; anything
else the standard parser does not know (fuzzy matching, ``\\m``, ``\\G``, set
operations, ``(?V1)`` …) makes the answer None, and the rule is scanned in full
as before. The analysis is conservative everywhere: a construct it does not
model (a conditional group, ``\\Z``, a repeat of a line break without bound)
gives no literal or an unbounded number of lines.
"""
from __future__ import annotations

import re
import sys
import warnings
from functools import lru_cache
from typing import FrozenSet, Iterable, NamedTuple, Optional, Tuple

try:  # Python 3.11+: the parser moved; the old module name warns when imported
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

from . import pattern_cache

# A Unicode property (\p{Han}) becomes a range of private-use code points: it is
# not a literal and holds no line break; \P{..} (its complement) holds one.
_PROP = pattern_cache.compile_re(r"(?<!\\)((?:\\\\)*)\\([pP])(\{[^}]*\}|[A-Za-z])")
_IN_CLASS_NEG_PROP = pattern_cache.compile_re(r"\[[^\]]*\\P")
_FUZZY = pattern_cache.compile_re(r"\{\s*[eisd]\s*[<=]")
_PRIVATE = "\U000F0000-\U000FFFFD"
# A set of single characters is an alternation of anchors up to this size.
_MAX_CLASS = 32
_ICASE = _c.SRE_FLAG_IGNORECASE
_DOTALL = _c.SRE_FLAG_DOTALL
_LF = ord("\n")
_UNBOUNDED = 1 << 30


def _parse(source: str, flags: int = 0):
    """``source`` read by the standard parser, an empty negative lookahead ``(?!)``
    (what ``_verbs`` writes for (*FAIL)) kept as one: the parser of Python 3.13
    reads it as FAILURE, an item the analysis does not model, so a pattern's
    never-matching ``[xX×]{32,}+(*SKIP)(*FAIL)`` branch was not left out (``_never``)
    and added its run's literals (``XXXX``...) to four patterns' anchors, or made
    them multi-line. Same findings, but on 3.13 more windows: c100 +84 M
    instructions (+2.3 %). Both items are zero-width to ``getwidth``."""
    parsed = _p.parse(source, flags)
    if _READS_FAILURE and "!)" in source:  # (?!) or (?<!)
        _failure_as_lookahead(parsed)
    return parsed


_READS_FAILURE = sys.version_info >= (3, 13)
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))


def _failure_as_lookahead(sub) -> None:
    """Each FAILURE item under the parsed ``sub`` replaced by an empty ``ASSERT_NOT``."""
    for i, (op, av) in enumerate(sub):
        if op is _c.FAILURE:
            sub[i] = (_c.ASSERT_NOT, (1, _p.SubPattern(sub.state)))
        elif op is _c.BRANCH:
            for alt in av[1]:
                _failure_as_lookahead(alt)
        elif op is _c.SUBPATTERN:
            _failure_as_lookahead(av[3])
        elif op in _REPEATS or op is _c.GROUPREF_EXISTS:
            for part in av[1:] if op is _c.GROUPREF_EXISTS else av[2:]:
                if part is not None:
                    _failure_as_lookahead(part)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            _failure_as_lookahead(av[1])
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            _failure_as_lookahead(av)


class _Unsure(Exception):
    """A construct the analysis does not model: no anchors for this pattern."""


def _to_stdlib(source: str, shape_only: bool = False) -> str:
    """``source`` in the standard library's syntax. ``shape_only``: only the
    pattern's structure matters (where ``^`` stands), so a ``\\P{..}`` inside a
    class may become any class item."""
    if _FUZZY.search(source) or (_IN_CLASS_NEG_PROP.search(source) and not shape_only):
        raise _Unsure
    if "(*" in source:
        source = _verbs(source)
    out, pos = [], 0
    for m in _PROP.finditer(source):
        out.append(source[pos:m.start()] + m.group(1))
        # Inside a class the range joins the class; outside it is a class of its own.
        inside = _in_class(source, m.start(2) - 1)
        if m.group(2) == "p":
            out.append(_PRIVATE if inside else f"[{_PRIVATE}]")
        else:
            if inside and not shape_only:
                raise _Unsure
            out.append(_PRIVATE if inside else f"[^{_PRIVATE}]")
        pos = m.end()
    out.append(source[pos:])
    source = "".join(out)
    if sys.version_info < (3, 11):
        source = _without_newer_forms(source)
    return source


# A brace quantifier ({2}, {2,}, {,3}, {2,3}); any other brace is a literal in ``re``.
_BRACES = pattern_cache.compile_re(r"\{\d*(?:,\d*)?\}")


def newer_re_forms(source: str) -> list:
    """The (start, end) spans in a pattern of the forms the standard parser reads
    only from Python 3.11: a possessive quantifier (``*+``, ``++``, ``?+``,
    ``{m,n}+``: the quantifier and its ``+``) and the opening ``(?>`` of an atomic
    group. Escapes and character classes are skipped; a brace that opens no
    quantifier is a literal, and a literal followed by ``+`` is an ordinary repeat."""
    found, i, n = [], 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class runs to its first unescaped "]" that is not its first member
            i += 1
            if i < n and source[i] == "^":
                i += 1
            if i < n and source[i] == "]":
                i += 1
            while i < n and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
            i += 1
            continue
        if source.startswith("(?>", i):
            found.append((i, i + 3))
            i += 3
            continue
        if c in "*+?" and not (c == "?" and i > 0 and source[i - 1] == "("):
            if source.startswith("+", i + 1):
                found.append((i, i + 2))
                i += 1  # the "+" is taken
        elif c == "{":
            m = _BRACES.match(source, i)
            if m and m.end() > i + 2:
                if source.startswith("+", m.end()):
                    found.append((i, m.end() + 1))
                i = m.end() - 1
        i += 1
    return found


def _without_newer_forms(source: str) -> str:
    """``source`` with possessive quantifiers read as greedy ones and atomic groups
    as plain groups, for a standard parser older than Python 3.11's. A match of the
    pattern is a match of this one (possession only prunes backtracking), so the
    literals and line reach found for this one hold for the pattern: the rules that
    use these forms keep their anchors on Python 3.9 and 3.10."""
    out, pos = [], 0
    for start, end in newer_re_forms(source):
        token = source[start:end]
        out.append(source[pos:start] + ("(?:" if token == "(?>" else token[:-1]))
        pos = end
    out.append(source[pos:])
    return "".join(out)


# A backtracking verb of ``regex``: (*SKIP), (*PRUNE), (*FAIL) or (*F).
_VERB = pattern_cache.compile_re(r"(?<!\\)((?:\\\\)*)\(\*([A-Z]*)\)")


def _verbs(source: str) -> str:
    """``source`` with its backtracking verbs in the standard syntax: (*FAIL) and
    (*F) never match, ``(?!)``; (*SKIP) and (*PRUNE) only move where the search
    goes on after a failure, and are read as matching the empty string, which is
    right where the text they skip starts no match (``[xX×]{32,}+(*SKIP)(*FAIL)``:
    a run no match starts inside of; the branch never matches and is left out,
    ``_never``). Any other verb: not modelled."""
    out, pos = [], 0
    for m in _VERB.finditer(source):
        if _in_class(source, m.start(2) - 2):
            continue
        verb = m.group(2)
        if verb not in ("SKIP", "PRUNE", "FAIL", "F"):
            raise _Unsure
        out.append(source[pos:m.start()] + m.group(1) + ("(?!)" if verb in ("FAIL", "F") else ""))
        pos = m.end()
    out.append(source[pos:])
    return "".join(out)


def _never(items) -> bool:
    """Whether a sequence of parsed items can never match: it holds ``(?!)``."""
    return any(op is _c.ASSERT_NOT and not list(av[1]) for op, av in items)


# A lookbehind becomes a lookahead whose body starts with this character, which
# no pattern holds: the standard parser accepts it at any width, the groups in it
# keep their numbers, and the analysis knows it for a lookbehind.
_BEHIND = "\ufdd0"
_BEHIND_ESCAPED = pattern_cache.compile_re(r"\\(?:u|U0000|x\{0*)(?i:fdd0)")


def _mark_lookbehinds(source: str) -> str:
    """The pattern with each lookbehind ``(?<=X)`` / ``(?<!X)`` written as
    ``(?=\ufdd0(?:X))`` / ``(?!\ufdd0(?:X))``. A window starts at a line start and
    a search from there still sees the text before it, so a lookbehind never hides
    a match; the standard parser rejects variable-width ones, and a positive one
    tells what the text ends with where it stands (``_node``). The body is wrapped
    in a group so that the marker stands before all of an alternation."""
    if _BEHIND in source or _BEHIND_ESCAPED.search(source):
        raise _Unsure
    return _mark(source)


def _mark(source: str) -> str:
    out, i, n, in_class = [], 0, len(source), False
    while i < n:
        if not in_class and source.startswith(("(?<=", "(?<!"), i):
            end = _group_end(source, i)
            out.append("(?" + source[i + 3] + _BEHIND + "(?:" + _mark(source[i + 4:end - 1]) + "))")
            i = end
            continue
        j, in_class = _step(source, i, in_class)
        out.append(source[i:j])
        i = j
    return "".join(out)


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


def _in_class(source: str, at: int) -> bool:
    """Whether position ``at`` is inside a [...] class (escapes honoured)."""
    i, in_class = 0, False
    while i < at:
        i, in_class = _step(source, i, in_class)
    return in_class


def _class_has_lf(items) -> bool:
    return _class_has(items, _LF)


def _is_lookbehind(op, av) -> bool:
    if op not in (_c.ASSERT, _c.ASSERT_NOT):
        return False
    body = list(av[1])
    return bool(body) and body[0] == (_c.LITERAL, ord(_BEHIND))


def _line_breaks(items, flags: int, reach: list, groups: dict) -> int:
    """The most line breaks a match of these parts consumes (raise _Unsure when
    that is not bounded or not known); add to ``reach[0]`` how far past a match
    its lookaheads can read. ``groups``: the same count for the groups met so far
    (a backreference consumes what its group consumed)."""
    total = 0
    for op, av in items:
        if op is _c.LITERAL:
            total += av == _LF
        elif op is _c.NOT_LITERAL:
            total += av != _LF
        elif op is _c.ANY:
            total += bool(flags & _DOTALL)
        elif op is _c.IN:
            total += _class_has_lf(av)
        elif op is _c.AT:
            if av in (_c.AT_END_STRING, _c.AT_BEGINNING_STRING):
                raise _Unsure  # \Z would see the end of a window as the end of the text
        elif op is _c.BRANCH:
            total += max(_line_breaks(alt, flags, reach, groups) for alt in av[1])
        elif op is _c.SUBPATTERN:
            group, add, dele, sub = av
            n = _line_breaks(sub, (flags | add) & ~dele, reach, groups)
            if group is not None:
                groups[group] = n
            total += n
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            n = _line_breaks(av[2], flags, reach, groups)
            if n and av[1] >= _UNBOUNDED:
                raise _Unsure
            total += n * av[1]
        elif _is_lookbehind(op, av):
            continue  # reads before the match: a window's scan sees that text
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            reach[0] += _lookahead_reach(av[1], flags)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            total += _line_breaks(av, flags, reach, groups)
        elif op is _c.GROUPREF and av in groups:
            total += groups[av]
        else:  # GROUPREF to a group not met yet, GROUPREF_EXISTS, anything new
            raise _Unsure
    return total


def _lookahead_reach(sub, flags: int) -> int:
    """An upper bound of how many characters a lookahead reads: its longest match
    plus, for every lookahead nested in it, that one's reach. It may read line
    breaks (a window's scan lets it see that far past the window)."""
    hi = sub.getwidth()[1]
    if hi >= _UNBOUNDED:
        # Unbounded, as ``[ \t]*$``: one that consumes no line break reads no
        # further than the end of its line, which ends the window or one of its lines
        # (plus what lookaheads nested in it read past that end).
        nested = [0]
        if _line_breaks(list(sub), flags, nested, {}) == 0:
            return nested[0]
        raise _Unsure
    total = [hi]
    _walk_asserts(list(sub), total)
    return total[0]


def _walk_asserts(items, total: list) -> None:
    for op, av in items:
        if op is _c.AT and av in (_c.AT_END_STRING, _c.AT_BEGINNING_STRING):
            raise _Unsure
        if _is_lookbehind(op, av):
            continue
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
        elif op in (_c.GROUPREF_EXISTS, getattr(_c, "GROUPREF_IGNORE", None)):
            raise _Unsure


def _unfit(ch: str, flags: int) -> bool:
    """Whether ``ch`` cannot stand in a literal: a lone surrogate (the automaton
    reads a text with U+FFFD in its place), or a cased letter under IGNORECASE."""
    return "\ud800" <= ch <= "\udfff" or bool(flags & _ICASE and _cased(ch))


def _cased(ch: str) -> bool:
    return ch.lower() != ch or ch.upper() != ch or ch.casefold() != ch


def _quality(lits: FrozenSet[str]) -> tuple:
    # The shortest literal decides how often the set hits; fewer literals scan less.
    return (min(map(len, lits)), -len(lits))


# Single characters too common in Chinese text to narrow a scan down: any Han
# character, everyday punctuation, digits, spaces.
_COMMON = frozenset("，。、；：？！“”‘’（）《》【】—…·　 \t0123456789")


def useful(literals) -> bool:
    """Whether a set of anchors narrows a scan: none is one common character."""
    for lit in literals:
        if len(lit) == 1 and (lit in _COMMON or "\u3400" <= lit <= "\u9fff"):
            return False
    return True


# Literal sets built as products (a class of 3 spaces then one of 15 measure
# words: 45 two-character literals) stop growing at this size.
_MAX_SET = 256
_EMPTY = frozenset([""])


class _Info(NamedTuple):
    """What the analysis knows of a part of a pattern, as sets of literals:
    ``full``: every text the part matches is one of them (None: not a small set);
    ``pre`` / ``suf``: the text starts / ends there with one of them ({""}: no
    knowledge) — a lookahead makes ``pre`` read past the part's end, a lookbehind
    makes ``suf`` read before its start, never across a line break (no literal
    holds one); ``inner``: one of them lies in the text the part matches or its
    lookarounds read on its line (None: nothing known)."""
    full: Optional[FrozenSet[str]]
    pre: FrozenSet[str]
    suf: FrozenSet[str]
    inner: Optional[FrozenSet[str]]


def _info(full, pre, suf, inner) -> _Info:
    """An _Info whose ``pre`` / ``suf`` literals stop at a line break: only the
    piece on the line where the text starts (ends) is known to be there."""
    return _Info(full, _cut(pre, 0), _cut(suf, -1), inner)


def _cut(lits, keep: int) -> FrozenSet[str]:
    if not lits:
        return _EMPTY
    if not any("\n" in s for s in lits):
        return lits
    return frozenset(s.split("\n")[keep] for s in lits)


_NOTHING = _Info(None, _EMPTY, _EMPTY, None)
_ZERO_WIDTH = _Info(_EMPTY, _EMPTY, _EMPTY, None)


def _literal_set(lits) -> _Info:
    lits = frozenset(lits)
    return _info(lits, lits, lits, None)


def _product(a, b) -> Optional[FrozenSet[str]]:
    """Every literal of ``a`` followed by every literal of ``b`` (None when too many)."""
    if a is None or b is None or len(a) * len(b) > _MAX_SET:
        return None
    return frozenset(x + y for x in a for y in b)


def _power(a, lo: int, hi: int) -> Optional[FrozenSet[str]]:
    """The texts of ``lo`` to ``hi`` repetitions of ``a`` (None when too many)."""
    if a is None or hi > _MAX_SET:
        return None
    out, step = set(), _EMPTY
    for k in range(hi + 1):
        if k >= lo:
            out |= step
            if len(out) > _MAX_SET:
                return None
        if k < hi:
            step = _product(step, a)
            if step is None:
                return None
    return frozenset(out)


def _better(*cands) -> Optional[FrozenSet[str]]:
    """The most selective of several sets that are all true of the same text: no
    empty literal, useful ones first, then by ``_quality`` (``_rank``)."""
    cands = [c for c in cands if c and "" not in c]
    return max(cands, key=_rank) if cands else None


_RANKS: dict = {}


def _rank(lits: FrozenSet[str]) -> tuple:
    """(useful, _quality) of a set, kept: the same sets meet again and again
    while the parts of a pattern are joined."""
    got = _RANKS.get(lits)
    if got is None:
        if len(_RANKS) > 10000:
            _RANKS.clear()
        got = _RANKS[lits] = (useful(lits),) + _quality(lits)
    return got


def _edge(info: _Info, side: str) -> FrozenSet[str]:
    """What the part's text starts (``pre``) or ends (``suf``) with, at best."""
    return _cut(_better(getattr(info, side), info.full), 0 if side == "pre" else -1)


def _trimmed(a, b, left: bool) -> Optional[FrozenSet[str]]:
    """``_product(a, b)``, or when that has too many literals, the product with the
    literals of ``b`` cut to their first k characters (``left``: those of ``a`` to
    their last k), for the largest k that fits: a text that starts with a literal
    starts with its prefix, one that ends with it ends with its suffix."""
    got = _product(a, b)
    if got is not None or a is None or b is None:
        return got
    side = a if left else b
    for k in range(max(map(len, side)) - 1, 0, -1):
        cut = frozenset(x[-k:] for x in side) if left else frozenset(x[:k] for x in side)
        got = _product(cut, b) if left else _product(a, cut)
        if got is not None:
            return got
    return None


def _concat(a: _Info, b: _Info) -> _Info:
    """``a`` then ``b``: where ``a`` ends, ``b`` starts (lookarounds consume nothing)."""
    pre = a.pre if a.full is None else _better(a.pre, _trimmed(a.full, b.pre, False))
    suf = b.suf if b.full is None else _better(b.suf, _trimmed(a.suf, b.full, True))
    across = _product(a.suf, b.pre)
    if across is None:  # too many pairs: each side's literals cut in turn
        inner = _better(a.inner, b.inner, _trimmed(a.suf, b.pre, False), _trimmed(a.suf, b.pre, True))
    else:  # what both ways give, made once (shipped patterns' anchors: 2.19 -> 1.98 G instructions)
        inner = _better(a.inner, b.inner, across)
    return _info(_product(a.full, b.full), pre, suf, inner)


def _anchor_of(info: _Info) -> Optional[FrozenSet[str]]:
    """The best literal set every match of the part holds."""
    return _better(info.inner, info.pre, info.suf, info.full)


def _seq(items, flags: int, groups: dict) -> _Info:
    return _joined([_node(op, av, flags, groups) for op, av in items])


def _joined(nodes) -> _Info:
    """The analyses of parts one after another joined (``_concat``)."""
    out = _ZERO_WIDTH
    for info in nodes:
        out = _concat(out, info)
    return out


def _unwrapped(items, flags: int) -> Tuple[list, int, list]:
    """(the parts under the groups that wrap a whole sequence, (?P<hit>...), their
    flags, those groups from the outside in as (op, av, the flags they stand under))."""
    wrappers = []
    while len(items) == 1 and items[0][0] is _c.SUBPATTERN:
        op, av = items[0]
        wrappers.append((op, av, flags))
        _, add, dele, sub = av
        items, flags = list(sub), (flags | add) & ~dele
    return items, flags, wrappers


def _node(op, av, flags: int, groups: dict) -> _Info:
    if op is _c.LITERAL:
        return _NOTHING if _unfit(chr(av), flags) else _literal_set([chr(av)])
    if op is _c.SUBPATTERN:
        group, add, dele, sub = av
        info = _seq(sub, (flags | add) & ~dele, groups)
        if group is not None:
            groups[group] = info.full
        return info
    if op is _c.BRANCH:
        # A branch that never matches adds nothing to what the matches hold.
        alts = [_seq(alt, flags, groups) for alt in av[1] if not _never(alt)] or [_NOTHING]
        fulls = [a.full for a in alts]
        full = None if None in fulls else frozenset().union(*fulls)
        if full is not None and len(full) > _MAX_SET:
            full = None
        anchors = [_anchor_of(a) for a in alts]
        inner = None if None in anchors else frozenset().union(*anchors)
        return _info(full, frozenset().union(*(_edge(a, "pre") for a in alts)),
                     frozenset().union(*(_edge(a, "suf") for a in alts)), inner)
    if op is _c.IN:
        chars = set()
        for sop, sav in av:
            if sop is _c.LITERAL:
                chars.add(chr(sav))
            elif sop is _c.RANGE and sav[1] - sav[0] < _MAX_CLASS:
                chars.update(map(chr, range(sav[0], sav[1] + 1)))
            else:
                return _NOTHING
        if not 0 < len(chars) <= _MAX_CLASS or any(_unfit(ch, flags) for ch in chars):
            return _NOTHING
        return _literal_set(chars)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        x = _seq(sub, flags, groups)
        full = _power(x.full, lo, hi) if hi < _UNBOUNDED else None
        if lo < 1:
            return _info(full, _EMPTY, _EMPTY, None)
        # lo copies at least: the first starts the text, the last ends it, and two
        # copies meet where the first ends.
        least = _power(x.full, min(lo, 4), min(lo, 4))
        inner = _better(x.inner, least, _product(x.suf, x.pre) if lo >= 2 else None)
        return _info(full, _better(x.pre, least), _better(x.suf, least), inner)
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _seq(av, flags, groups)
    if op is _c.GROUPREF:
        # The same text as the group; under IGNORECASE it may differ in case.
        full = groups.get(av)
        return _NOTHING if full is None or flags & _ICASE else _literal_set(full)
    if op is _c.ASSERT:
        direction, sub = av
        body = list(sub)
        if body and body[0] == (_c.LITERAL, ord(_BEHIND)):
            # A lookbehind: the text before this point ends with what it matches.
            info = _seq(body[1:], flags, dict(groups))
            return _info(_EMPTY, _EMPTY, _edge(info, "suf"), None)
        # A lookahead: the text from this point starts with what it matches.
        info = _seq(body, flags, dict(groups))
        return _info(_EMPTY, _edge(info, "pre"), _EMPTY, None)
    if op in (_c.AT, _c.ASSERT_NOT):
        return _ZERO_WIDTH
    return _NOTHING


def _line_pieces(lits: FrozenSet[str]) -> Optional[FrozenSet[str]]:
    """Each literal cut to its longest piece without a line break (a match that
    holds the literal holds that piece); None if one is left empty."""
    if not any("\n" in s for s in lits):
        return lits
    out = frozenset(max(s.split("\n"), key=len) for s in lits)
    return None if "" in out else out


class Anchors(NamedTuple):
    literals: Tuple[str, ...]
    # How many characters past a match its lookaheads may read (a window's scan
    # reaches that far beyond the window's last line).
    reach: int
    # False: a match may run over a line break; its windows take ``breaks`` lines
    # before and after each anchor's line, or, with ``breaks`` 0 (not bounded), only
    # a whole document without any of the literals can be skipped.
    one_line: bool = True
    breaks: int = 0
    # A second set, from another part of the pattern: every match also holds one of
    # these on a line it touches, so a window without any of them is not scanned
    # (``compound``; empty: none found).
    also: Tuple[str, ...] = ()
    # (lo, hi): every match holds an occurrence of one of ``literals`` that starts
    # from ``lo`` to ``hi`` characters after the match's start (negative: before
    # it, read by a lookbehind), on the line of a point of the match, so no match
    # starts before the first anchor of its window less ``hi`` (``offsets``). None:
    # not known.
    offsets: Optional[Tuple[int, int]] = None
    # The fewest characters a match consumes (0: it may be empty).
    least: int = 0
    # Those of CUTS that no match consumes and no lookaround that may hold an
    # anchor reads, of a one-line pattern without ``also``: a match and its anchor
    # stand between two of them on its line (``cut_free``).
    cuts: str = ""


# Sentence ends a long line's windows may be cut at (multiscan.AnchorIndex.windows).
CUTS = "。！？；"


# A match over more lines than this is scanned in the whole text.
_MAX_BREAKS = 4


def anchors(source: str, flags: int = 0, with_offsets: Optional[bool] = None) -> Optional[Anchors]:
    """Literals one of which every match contains (None when that cannot be shown),
    and whether the consumed text of every match stays on one line (or over how
    many line breaks at most it may run). ``offsets`` are worked out for a pattern
    led by a lookbehind, the only ones that use them (``with_offsets`` True: for
    any pattern, as the tests ask)."""
    return _anchors(source, flags, with_offsets)[0]


def _anchors(source: str, flags: int, with_offsets: Optional[bool]) -> Tuple[Optional[Anchors], Optional[_Info]]:
    """(``anchors(source, flags, with_offsets)``, the analysis of the whole pattern,
    ``_seq`` of its parsed items, which ``near`` reads for its lead; None when the
    pattern is not read)."""
    try:
        with warnings.catch_warnings():
            # A FutureWarning (a possible nested set) means regex may read the class otherwise.
            warnings.simplefilter("error")
            parsed = _parse(_to_stdlib(_mark_lookbehinds(source)), flags & (_ICASE | _DOTALL))
        flags = parsed.state.flags
        # ``_seq`` of the whole, with the parts under its wrapping groups kept for
        # ``compound``, which analysed them again (a group's ``_seq`` of one part is
        # ``_concat(_ZERO_WIDTH, ...)`` of it). With ``near`` reading this analysis,
        # callgrind: a first run's anchors and near of the shipped patterns 4.02 ->
        # 2.70 G instructions; a cold run's main process 16.57 -> 15.02 G
        # (tests/test_anchor_build.py: the same answers as the plain way).
        items, inner_flags, wrappers = _unwrapped(list(parsed), flags)
        groups: dict = {}
        nodes = [_node(op, av, inner_flags, groups) for op, av in items]
        # The analyses of the wrapping groups, from the inside out.
        chain = [_joined(nodes)]
        for _ in wrappers:
            chain.append(_concat(_ZERO_WIDTH, chain[-1]))
        info = chain[-1]
    except (_Unsure, re.error, RecursionError, OverflowError, ValueError, TypeError, Warning):
        return None, None
    found = _better(*(_line_pieces(c) for c in (info.inner, info.pre, info.suf, info.full) if c))
    if not found:
        return None, info
    reach = [0]
    try:
        breaks = _line_breaks(list(parsed), flags, reach, {})
    except (_Unsure, RecursionError):
        breaks = _MAX_BREAKS + 1
    also = compound(nodes, found)
    if breaks > _MAX_BREAKS:
        return Anchors(tuple(sorted(found)), 0, False, 0, also), info
    cuts = cut_free(list(parsed), flags, source) if breaks == 0 and not also else ""
    near, least = None, 0
    # The offsets serve only a pattern led by a lookbehind (checks/base.py
    # register_anchors): worked out for every pattern, they took the first run's
    # analysis of the 153 pattern and obsolete patterns from 0.21 to 0.33 s.
    if with_offsets is None:
        with_offsets = lookbehind_led(source)
    if useful(found) and with_offsets:  # else no windows (multiscan.AnchorIndex.register)
        try:
            near = offsets(list(parsed), flags, re.compile("|".join(map(re.escape, found))), parsed.state,
                           _seeded(source, items, inner_flags, nodes, wrappers, chain))
            least = min(parsed.getwidth()[0], _UNBOUNDED)
        except (_Unsure, RecursionError, OverflowError, ValueError, TypeError, KeyError, IndexError):
            near, least = None, 0
    return Anchors(tuple(sorted(found)), reach[0], breaks == 0, breaks, also, near, least, cuts), info


def cut_free(items, flags: int, source: str) -> str:
    """Those of CUTS that no part of the parsed pattern ``items`` (of ``source``)
    can match, but for a lookbehind that must not match (it reads the text before
    a window's start, which a scan sees) and a bounded lookahead that must not
    (``reach`` covers it): no match consumes them, and what a lookaround that may
    hold an anchor reads runs from a point of the match without them. A match of a
    one-line pattern then stands, with its anchor, between two of them (or a line
    start or end) and its scan may start after the one before its anchor, as it
    may at the start of the anchor's line. Empty when a part is not modelled."""
    import regex  # only here: the analysis of a first run

    cuts = CUTS
    for m in re.finditer(r"\\[pP](\{[^}]*\}|[A-Za-z])", source):
        # A \p{..} reads as a class of private code points (``_to_stdlib``): the
        # property's own characters are left out here.
        prop = regex.compile("\\p" + m.group(1))
        cuts = "".join(ch for ch in cuts if not prop.match(ch))
    try:
        return "".join(ch for ch in cuts if not _may_read(items, flags, ord(ch)))
    except (_Unsure, RecursionError):
        return ""


# The classes (\d, \s, \w and line breaks) as stdlib patterns that test a character.
_CATEGORY_TEST = {getattr(_c, name): test for names, test in (
    (("CATEGORY_DIGIT", "CATEGORY_UNI_DIGIT"), r"\d"), (("CATEGORY_SPACE", "CATEGORY_UNI_SPACE"), r"\s"),
    (("CATEGORY_WORD", "CATEGORY_UNI_WORD"), r"\w"), (("CATEGORY_LINEBREAK", "CATEGORY_UNI_LINEBREAK"), r"\n"),
    (("CATEGORY_NOT_DIGIT", "CATEGORY_UNI_NOT_DIGIT"), r"\D"), (("CATEGORY_NOT_SPACE", "CATEGORY_UNI_NOT_SPACE"), r"\S"),
    (("CATEGORY_NOT_WORD", "CATEGORY_UNI_NOT_WORD"), r"\W"),
    (("CATEGORY_NOT_LINEBREAK", "CATEGORY_UNI_NOT_LINEBREAK"), r"[^\n]")) for name in names}


def _class_has(items, code: int) -> bool:
    """Whether a parsed class holds the character ``code`` (one without case)."""
    negate, hit = False, False
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            hit = hit or av == code
        elif op is _c.RANGE:
            hit = hit or av[0] <= code <= av[1]
        elif op is _c.CATEGORY and av in _CATEGORY_TEST:
            hit = hit or re.match(_CATEGORY_TEST[av], chr(code)) is not None
        else:
            raise _Unsure
    return hit != negate


def _may_read(items, flags: int, code: int) -> bool:
    """Whether a part of ``items`` may match the character ``code`` (``cut_free``)."""
    for op, av in items:
        if op is _c.LITERAL:
            found = av == code
        elif op is _c.NOT_LITERAL or op is _c.ANY:
            found = op is _c.ANY or av != code
        elif op is _c.IN:
            found = _class_has(av, code)
        elif op is _c.AT:
            # ``\Z`` (and ``$`` but for MULTILINE's) may take the end of a window's
            # scan for the text's end.
            if av in (_c.AT_END_STRING, _c.AT_BEGINNING_STRING) or (av is _c.AT_END and not flags & re.MULTILINE):
                raise _Unsure
            found = False
        elif op is _c.BRANCH:
            found = any(_may_read(alt, flags, code) for alt in av[1])
        elif op is _c.SUBPATTERN:
            found = _may_read(av[3], (flags | av[1]) & ~av[2], code)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            found = _may_read(av[2], flags, code)
        elif op is _c.ASSERT_NOT and (_is_lookbehind(op, av) or av[1].getwidth()[1] < _UNBOUNDED):
            found = False  # reads the text as a scan of the whole text does
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            found = _may_read(av[1], flags, code)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            found = _may_read(av, flags, code)
        elif op is _c.GROUPREF:
            found = False  # what its group matched, read above
        else:  # a conditional group, anything new
            raise _Unsure
        if found:
            return True
    return False


_LEADING_FLAGS = pattern_cache.compile_re(r"(?:\(\?[a-zA-Z]+\))*")
# What every backreference of the stdlib's syntax holds (and some other texts).
_BACKREF = pattern_cache.compile_re(r"\\[1-9]|\(\?P=")


def _seeded(source: str, items, flags: int, nodes, wrappers, chain) -> Optional[dict]:
    """``offsets``' memo holding the analyses ``_anchors`` made: of the parts under
    the wrapping groups and of those groups (``chain``: from the inside out).
    ``offsets`` analyses a part without the groups before it, which gives the same
    answer only when no part refers back to a group: None (an empty memo) then.
    Callgrind, a first run's anchors and near of the shipped patterns (26 with
    offsets): 2.70 -> 2.19 G instructions."""
    if _BACKREF.search(source):
        return None
    memo = {(id(av), op, flags): (info, av) for (op, av), info in zip(items, nodes)}
    for (op, av, outer), info in zip(reversed(wrappers), chain):
        memo[(id(av), op, outer)] = (info, av)
    return memo


def lookbehind_led(source: str) -> bool:
    """Whether a pattern begins (after its inline flags) with a positive lookbehind."""
    return source[_LEADING_FLAGS.match(source).end():].startswith("(?<=")


# A second set is looked for in a window with str.find, one call per literal.
_MAX_ALSO = 8


def compound(nodes, found: FrozenSet[str]) -> Tuple[str, ...]:
    """A second set of literals every match holds besides ``found``: the best anchor
    of one of the pattern's top-level parts (each part is matched by every match)
    that is useful, small and not already implied by ``found`` (one of its literals
    inside every literal of ``found``). A line holding ``found``'s anchors but none
    of these cannot hold a match: 正在 after a campaign's name, 这次/此次 before it.
    ``nodes``: the analyses of the pattern's parts under the groups that wrap it all
    (``_unwrapped``), one after another."""
    cands = []
    for info in nodes:
        got = _line_pieces(_anchor_of(info) or frozenset())
        if (got and "" not in got and len(got) <= _MAX_ALSO and useful(got) and got != found
                and not all(any(b in a for b in got) for a in found)):
            cands.append(got)
    return tuple(sorted(max(cands, key=_rank))) if cands else ()


# Pairs of a part's last and the next part's first literals tried for an anchor
# straddling the point between them (``_straddle``).
_MAX_PAIRS = 4096


def offsets(items, flags: int, lits, state, memo=None) -> Optional[Tuple[int, int]]:
    """(lo, hi) such that every match of the sequence ``items`` holds an occurrence
    of one of the anchors (``lits``: a compiled alternation of them) that starts
    from ``lo`` to ``hi`` characters after the match's start, on the line of a point
    of the match; None when that cannot be shown. The sequence is cut before each
    of its parts in turn, while what comes before the cut has a bounded width: the
    text there ends with one of the first half's ``suf`` literals and goes on with
    one of the second half's ``pre`` literals (lookarounds included, never over a
    line break), and every such pair must hold an anchor (``_straddle``). When no
    cut gives one, a part after such a cut (a group, an alternation, a repeat
    taken at least once) may have offsets of its own. The narrowest span wins."""
    # Each part analysed once, without the groups of the parts before it (a
    # backreference then knows nothing: the answer is only more cautious), and
    # kept in ``memo`` for the parts the recursion meets again.
    if memo is None:
        memo = {}
    nodes = []
    for op, av in items:
        key = (id(av), op, flags)
        info = memo.get(key)
        if info is None:
            info = memo[key] = (_node(op, av, flags, {}), av)  # av held: its id stays its own
        nodes.append(info[0])
    n = len(items)
    afters = [_ZERO_WIDTH] * (n + 1)  # the analysis of items[k:]
    for k in range(n - 1, -1, -1):
        afters[k] = _concat(nodes[k], afters[k + 1])
    before = _ZERO_WIDTH  # of items[:k]
    widths = []
    best = None
    for k in range(n + 1):
        if k:
            before = _concat(before, nodes[k - 1])
        lo_w, hi_w = _width(items[:k], state)
        if hi_w >= _UNBOUNDED:
            break
        widths.append((lo_w, hi_w))
        got = _straddle(_edge(before, "suf"), _edge(afters[k], "pre"), lits)
        if got is not None:
            best = _narrower(best, (lo_w + got[0], hi_w + got[1]))
    if best is None:
        # Only then into the parts: a part's analysis is made again at each level of
        # the recursion (into every part of every shipped pattern: 1.05 s at the
        # first start, against 0.19 s for the rest of ``anchors``; this way 0.7 s).
        for k, (lo_w, hi_w) in enumerate(widths[:n]):
            got = _part_offsets(items[k][0], items[k][1], flags, lits, state, memo)
            if got is not None:
                best = _narrower(best, (lo_w + got[0], hi_w + got[1]))
    return best


def _narrower(best, got):
    """The one of two (lo, hi) spans that is narrower (then ends earlier)."""
    if best is None or (got[1] - got[0], got[1]) < (best[1] - best[0], best[1]):
        return got
    return best


def _width(items, state) -> Tuple[int, int]:
    """The fewest and the most characters a match of ``items`` consumes (``state``:
    the parsed pattern's, which knows its groups' widths)."""
    if not items:
        return 0, 0
    lo, hi = _p.SubPattern(state, list(items)).getwidth()
    return lo, hi


def _part_offsets(op, av, flags: int, lits, state, memo) -> Optional[Tuple[int, int]]:
    """``offsets`` of one part, from where its match starts."""
    if op is _c.SUBPATTERN:
        _, add, dele, sub = av
        return offsets(list(sub), (flags | add) & ~dele, lits, state, memo)
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return offsets(list(av), flags, lits, state, memo)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        # The first of at least one copy starts where the repeat starts.
        return offsets(list(av[2]), flags, lits, state, memo) if av[0] >= 1 else None
    if op is _c.BRANCH:
        lo = hi = None
        for alt in av[1]:
            if _never(alt):
                continue  # a branch that never matches starts no match ((*SKIP)(*FAIL))
            got = offsets(list(alt), flags, lits, state, memo)
            if got is None:
                return None
            lo = got[0] if lo is None else min(lo, got[0])
            hi = got[1] if hi is None else max(hi, got[1])
        return (lo, hi) if lo is not None else None
    return None


def _straddle(before, after, lits) -> Optional[Tuple[int, int]]:
    """Where an anchor starts, from a point where the text ends with one of
    ``before`` and goes on with one of ``after``: (lo, hi) of the first occurrence
    of one of ``lits`` in each such pair joined (None: a pair without one)."""
    if len(before) * len(after) > _MAX_PAIRS or (before == _EMPTY and after == _EMPTY):
        return None
    search = lits.search  # the first occurrence of any of them
    lo = hi = None
    for x in before:
        for y in after:
            found = search(x + y)
            if found is None:
                return None
            rel = found.start() - len(x)
            lo = rel if lo is None else min(lo, rel)
            hi = rel if hi is None else max(hi, rel)
    return (lo, hi) if lo is not None else None


def anchored_at_start(source: str) -> bool:
    """Whether every match of ``source`` starts at a line start: the pattern (read
    by the same parser as ``anchors``) opens with ``^`` outside any alternation
    (``^a|b`` matches ``b`` anywhere). False whenever that cannot be shown."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = list(_parse(_to_stdlib(source, shape_only=True)))
    except (_Unsure, re.error, RecursionError, OverflowError, ValueError, TypeError, Warning):
        return False
    return bool(parsed) and parsed[0] == (_c.AT, _c.AT_BEGINNING)


# A pattern led by a class of at most this many characters has its first characters
# told (``first_chars``).
_MAX_FIRST = 8


def first_chars(source: str) -> Optional[str]:
    """The characters every match of ``source`` starts with, when the pattern opens
    with a class of a few plain characters (``[（(]``, ``[\\[【]``), outside any
    alternation and not repeated; or with a lookaround, which ``regex`` tries at
    every position before it can look for anything else, when the first character
    a match consumes, read through what consumes nothing (lookarounds, ``^``,
    ``\\b``), optional and repeated parts and alternations, is one of a few plain
    characters, none a digit or a Han character (``_dense``): ``(?<=\\p{Han})[ \\t]+``.
    None otherwise, or when that cannot be shown (read by the same parser as
    ``anchors``; a case-insensitive pattern is the caller's to leave out). Not for
    a pattern with a backtracking verb: after (*SKIP) a scan goes on past positions
    that a match at each would try (``[ab]a(*SKIP)(*FAIL)|[ab]`` finds no match at
    1 in ``aab``)."""
    if "(*" in source:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = _parse(_to_stdlib(source))
            items = list(parsed)
            if items and items[0][0] in (_c.ASSERT, _c.ASSERT_NOT) and not parsed.state.flags & _ICASE:
                chars, nullable = _edge_of_seq(items, _chars_of, False, _MAX_FIRST, zero_width=True)
                if nullable or len(chars) < 2 or any(_dense(ch) for ch in chars):
                    return None
                return "".join(sorted(chars))
    except (_Unsure, re.error, RecursionError, OverflowError, ValueError, TypeError, Warning):
        return None
    if not items or items[0][0] is not _c.IN:
        return None
    items = items[0][1]
    if not items or len(items) > _MAX_FIRST or any(op is not _c.LITERAL for op, _ in items):
        return None  # a negated class, a range, a category (\\d, \\s), a property
    chars = "".join(sorted({chr(av) for _, av in items}))
    return chars if "\n" not in chars else None


def _dense(ch: str) -> bool:
    """Whether a lookaround-led pattern's first character stands too often in
    Chinese documents for a call at each: a digit (DJ203's
    ``(?<![0-9A-Za-z])(?:19|20)``, 200 corpus files: 2.2 -> 8.1 M instructions
    so), a Han character (DJ901's ``大|约``: 5.2 -> 14.6 M), or a line break."""
    return ch in "0123456789\n" or "\u3400" <= ch <= "\u9fff"


def near(source: str, flags: int = 0) -> Optional[Tuple[int, int, str, int]]:
    """(lo, hi, lead, longest) of a pattern whose matches are never empty: every
    match holds one of its anchors starting from ``lo`` to ``hi`` characters after
    the match's start (``Anchors.offsets``), so no match starts outside [a - hi,
    a - lo] around an anchor at ``a``; and the text at a match's start starts with
    one of the literals that ``lead`` matches (a stdlib ``re`` source that finds
    where one of them starts: their ``trie_pattern``, cut where one ends; the
    longest ``longest`` characters), so no match starts where none of them does.
    None when one of them cannot be shown, when one of the literals is a common
    character (``useful``), under IGNORECASE, or with a backtracking verb (after
    (*SKIP) a scan goes on past positions that an attempt at each of them would
    try). The lead was the literals' plain alternation, which ``re`` tried one
    literal after another at every point whose character starts one, and which
    was longer to keep compiled (the obsolete kind's leads: up to 240 literals
    with long shared prefixes, 3,075 characters against the trie's 1,954):
    callgrind, warm cache, the first 100 corpus files 3,517.0 -> 3,508.2 M
    instructions, 100 realworld pages 2,185.2 -> 2,179.6 M, 2,000 two-line
    files 3,730.0 -> 3,726.6 M."""
    if "(*" in source or flags & _ICASE:
        return None
    found, info = _WITH_OFFSETS.pop((source, flags), (_UNKNOWN, None))
    if found is _UNKNOWN:
        found, info = _anchors(source, flags, with_offsets=True)
    if found is None or found.offsets is None or found.least <= 0:
        return None
    lead = _edge(info, "pre")
    if "" in lead or not useful(lead):
        return None
    return found.offsets + (trie_pattern(lead, starts_only=True), max(map(len, lead)))


def trie_pattern(words: Iterable[str], starts_only: bool = False) -> str:
    """A stdlib ``re`` alternation of ``words`` shaped like a trie: at each
    position the engine tries one branch per next character instead of every
    word (design.md measures this as the fastest way to find many literals with
    the stdlib ``re``). Longer words win over their prefixes; with
    ``starts_only``, nothing is matched past the end of a word, for a search
    that wants only where one starts (``near``'s lead).

    Kept in the build cache (``memo``, keyed by the words and ``starts_only``):
    the kinds make theirs at every start (terms' 628 phrases, spam's and
    furniture's words: about 3,500 ``re.escape`` calls)."""
    from . import build_cache
    words = tuple(words)
    return build_cache.memo("trie-patterns", (words, starts_only), lambda: _trie_pattern(words, starts_only))


def _trie_pattern(words: Iterable[str], starts_only: bool) -> str:
    trie: dict = {}
    for w in words:
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node) -> str:
        end = "" in node
        if end and starts_only:
            return ""  # a word ends here: a match already
        branches = [chain(ch, child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and not end:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if end else body

    def chain(ch, node) -> str:
        # A run of single-child nodes is written out in a loop, not by recursion:
        # a long phrase must not exhaust Python's stack.
        out = [re.escape(ch)]
        while len(node) == 1 and "" not in node:
            (ch, node), = node.items()
            out.append(re.escape(ch))
        return "".join(out) + emit(node)

    return emit(trie)


def cached_near(source: str, flags: int = 0) -> Optional[Tuple[int, int, str, int]]:
    """``near(source, flags)``, kept in the build cache as ``cached_anchors`` is."""
    from . import build_cache
    flags = int(flags)
    return build_cache.memo("regex-near", (source, flags), lambda: near(source, flags))


def cached_anchors(source: str, flags: int = 0, near_too: bool = False) -> Optional[Anchors]:
    """``anchors(source, flags)``, kept between runs in the build cache
    (text/build_cache.py ``memo``): keyed by the pattern's exact source and
    flags, and the cache's key covers this module's code, so an entry is never
    used for another pattern or by another version of the analysis. Parsing
    some 150 patterns again at every start cost about 0.06 s. ``near_too``: the
    caller asks ``cached_near`` next. A run that analyses the pattern then
    works out its anchors with their offsets, which ``near`` reads, once for
    both (``without_offsets``): the obsolete kind's 26 such patterns took
    0.27 s, then 0.125 s again for the anchors alone, of a first run."""
    from . import build_cache
    flags = int(flags)
    if not near_too:
        return build_cache.memo("regex-anchors", (source, flags), lambda: anchors(source, flags))

    def both():
        found, info = _anchors(source, flags, with_offsets=True)
        if len(_WITH_OFFSETS) >= 4096:  # a process that compiles rules again and again
            _WITH_OFFSETS.clear()
        _WITH_OFFSETS[(source, flags)] = found, info
        return without_offsets(found, source)
    return build_cache.memo("regex-anchors", (source, flags), both)


# Anchors with their offsets that ``cached_anchors(near_too=True)`` worked out,
# and the analysis of the whole pattern, until ``near`` takes them: it read the
# pattern again for its lead, 0.07 s of a first run.
_WITH_OFFSETS: dict = {}
_UNKNOWN = object()


def without_offsets(found: Optional[Anchors], source: str) -> Optional[Anchors]:
    """``anchors(source, flags)`` from ``anchors(source, flags, with_offsets=True)``:
    they differ only in the offsets and the least width, worked out by default
    for a pattern led by a lookbehind alone (tests/test_anchor_near.py compares
    both ways for every shipped pattern)."""
    if found is None or lookbehind_led(source):
        return found
    return found._replace(offsets=None, least=0)


def cached_first_chars(source: str) -> Optional[str]:
    """``first_chars(source)``, kept between runs in the build cache as
    ``cached_anchors`` is. Asked once a process for each pattern scanned whole
    (checks/base.py), it parsed the pattern again at every start (the obsolete
    kind's campaign patterns are 1,500 characters each). With
    ``cached_anchored_at_start``, the whole command, callgrind: the first 1000
    realworld files 11,525 -> 11,452 M instructions, seed 000 1,487 -> 1,474 M."""
    from . import build_cache
    return build_cache.memo("first-chars", source, lambda: first_chars(source))


def cached_anchored_at_start(source: str) -> bool:
    """``anchored_at_start(source)``, kept in the build cache like ``cached_first_chars``."""
    from . import build_cache
    return build_cache.memo("anchored-at-start", source, lambda: anchored_at_start(source))


def max_line_width(source: str) -> Optional[int]:
    """The longest line ``source`` can match whole, when it is anchored at both ends
    (``^`` first and ``$`` last, outside any alternation): a longer line without a
    line break cannot match at all. None when there is no such bound, or when that
    cannot be shown (read by the same parser as ``anchors``; case-insensitive
    patterns are left out, case folding being the ``regex`` module's own)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = _parse(_to_stdlib(source))
            items = list(parsed)
            width = parsed.getwidth()[1]
    except (_Unsure, re.error, RecursionError, OverflowError, ValueError, TypeError, Warning):
        return None
    if len(items) < 2 or items[0] != (_c.AT, _c.AT_BEGINNING) or items[-1] != (_c.AT, _c.AT_END):
        return None
    if parsed.state.flags & _ICASE or width >= _c.MAXREPEAT - 1:
        return None
    return width


def line_bounds(source: str) -> Tuple[Optional[int], Optional[str]]:
    """(``max_line_width``, ``first_class``) of ``source`` matched whole against a
    line (``fullmatch`` of a string without a line break), which is what
    ``^(?:source)$`` matches there: a longer line, or one whose first character
    the class does not match, is not matched whole. None for what cannot be shown."""
    whole = f"^(?:{source})$"
    return max_line_width(whole), first_class(whole)


def cached_line_bounds(source: str) -> Tuple[Optional[int], Optional[str]]:
    """``line_bounds(source)``, kept in the build cache as ``cached_anchors`` is."""
    from . import build_cache
    return build_cache.memo("line-bounds", source, lambda: line_bounds(source))


# At most this many characters in ``last_chars``'s answer (a class by category, \d,
# or a range such as \u4e00-\u9fff gives none).
_LAST_MAX = 256


def last_chars(source: str) -> Optional[FrozenSet[str]]:
    """The characters a match of ``source`` can end with, when every match ends at
    a line end (``$`` last, outside any alternation) and holds at least one
    character: a line without a line break that ends with none of them is not
    matched whole. None when that cannot be shown (read by the same parser as
    ``anchors``; case-insensitive patterns, classes by category (``\\d``, ``\\S``,
    ``.``), negated classes, lookarounds and backreferences are left out)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = _parse(_to_stdlib(source))
            items = list(parsed)
            if len(items) < 2 or items[-1] != (_c.AT, _c.AT_END) or parsed.state.flags & _ICASE:
                return None
            chars, nullable = _last_of_seq(items[:-1])
    except (_Unsure, re.error, RecursionError, OverflowError, ValueError, TypeError, Warning):
        return None
    return frozenset(chars) if chars and not nullable else None


def _last_of_seq(items) -> Tuple[set, bool]:
    """(the characters a match of ``items`` can end with, whether it can be empty)."""
    return _edge_of_seq(items, _chars_of, True, _LAST_MAX)


def _chars_of(op, av) -> set:
    """The characters one item (a literal or a class of literals and narrow ranges) matches."""
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.IN:
        chars = set()
        for o, a in av:
            if o is _c.LITERAL:
                chars.add(chr(a))
            elif o is _c.RANGE and a[1] - a[0] < _LAST_MAX:
                chars.update(map(chr, range(a[0], a[1] + 1)))
            else:  # NEGATE, CATEGORY, a wide range (\p{..})
                raise _Unsure
        return chars
    raise _Unsure  # NOT_LITERAL


def _edge_of_seq(items, leaf, from_end: bool, most: Optional[int] = None,
                 zero_width: bool = False) -> Tuple[set, bool]:
    """(what ``leaf`` says of each one-character item that can come first, or last
    with ``from_end``, in a match of ``items``; whether such a match can be empty).
    ``leaf(op, av)`` reads a literal, a negated literal or a class, and raises
    _Unsure for what it cannot tell; so does this for anything else (``.``,
    lookarounds, backreferences, case-insensitive groups), and for more than
    ``most`` answers. With ``zero_width``, what consumes nothing (lookarounds, ``^``,
    ``\\b``) is passed over: nothing it holds is matched as a first or last character."""
    out: set = set()
    for op, av in (reversed(list(items)) if from_end else items):
        atoms, nullable = _edge_of(op, av, leaf, from_end, most, zero_width)
        out |= atoms
        if most is not None and len(out) > most:
            raise _Unsure
        if not nullable:
            return out, False
    return out, True


def _edge_of(op, av, leaf, from_end: bool, most: Optional[int], zero_width: bool) -> Tuple[set, bool]:
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN):
        return leaf(op, av), False
    if zero_width and op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
        return set(), True
    if op is _c.SUBPATTERN:
        _, add_flags, _, sub = av
        if add_flags & _ICASE:
            raise _Unsure
        return _edge_of_seq(sub, leaf, from_end, most, zero_width)
    if op is _c.BRANCH:
        out, nullable = set(), False
        for alt in av[1]:
            atoms, empty = _edge_of_seq(alt, leaf, from_end, most, zero_width)
            out |= atoms
            nullable = nullable or empty
        return out, nullable
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)):
        lo, hi, sub = av
        if hi == 0:
            return set(), True
        atoms, nullable = _edge_of_seq(sub, leaf, from_end, most, zero_width)
        return atoms, nullable or lo == 0
    raise _Unsure  # AT, ANY, CATEGORY outside a class, lookarounds, GROUPREF, ATOMIC_GROUP ...


def first_class(source: str) -> Optional[str]:
    """A one-character ``regex`` pattern that matches the first character of every
    match of ``source``, when every match starts at a line start (``^`` first,
    outside any alternation) and holds at least one character: a line whose first
    character it does not match is not matched from its start. Written back from
    the parsed items (literals, ranges, classes such as ``\\d``: ``regex`` itself then
    says what they match). None when that cannot be shown (``.``, a ``\\p{..}``,
    lookarounds, backreferences, case-insensitive parts, a match that may be empty)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = _parse(_to_stdlib(source))
            items = list(parsed)
            if len(items) < 2 or items[0] != (_c.AT, _c.AT_BEGINNING) or parsed.state.flags & _ICASE:
                return None
            atoms, nullable = _first_of_seq(items[1:])
    except (_Unsure, re.error, RecursionError, OverflowError, ValueError, TypeError, Warning):
        return None
    if nullable or not atoms:
        return None
    return "|".join(sorted(atoms))


def first_members(source: str) -> Optional[str]:
    """A one-character ``regex`` pattern (one-character classes joined by ``|``) that
    matches the first character of every match of ``source``, read through what
    consumes nothing (lookarounds, ``^``, ``\\b``), optional and repeated parts
    and alternations, when a match cannot be empty: a text holding none of the
    characters it matches holds no match. Literals, narrow ranges and ``\\p{..}``
    (each written back as itself: ``regex`` then says what it holds); None when
    that cannot be shown (``.``, ``\\P{..}``, a negated class or literal, ``\\d``,
    backreferences, case-insensitive parts, backtracking verbs). DJ328's emoji
    run: ``(?<=\\p{Han}[^\\n]{0,20})(?:(?![©®™‼⁉])\\p{Extended_Pictographic}...``
    gives ``[\\p{Extended_Pictographic}]``."""
    if "(*" in source or _FUZZY.search(source):
        return None
    names: dict = {}  # private code point -> the \\p{..} it stands for
    out, pos = [], 0
    for m in _PROP.finditer(source):
        if m.group(2) == "P":
            return None
        code = _PRIVATE_FIRST + len(names)
        names[code] = "\\p" + m.group(3)
        out.append(source[pos:m.start()] + m.group(1) + "\\U%08x" % code)
        pos = m.end()
    out.append(source[pos:])
    stdlib = "".join(out)
    if sys.version_info < (3, 11):
        stdlib = _without_newer_forms(stdlib)

    def text_of(code: int) -> str:
        return names.get(code) or _char_text(code)

    def leaf(op, av) -> set:
        if op is _c.LITERAL:
            return {"[" + text_of(av) + "]"}
        if op is not _c.IN:
            raise _Unsure  # NOT_LITERAL
        parts = []
        for o, a in av:
            if o is _c.LITERAL:
                parts.append(text_of(a))
            elif o is _c.RANGE and a[1] - a[0] < _LAST_MAX:
                parts.append(_char_text(a[0]) + "-" + _char_text(a[1]))
            else:  # NEGATE, CATEGORY, a wide range
                raise _Unsure
        return {"[" + "".join(parts) + "]"}

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = _parse(stdlib)
            if parsed.state.flags & _ICASE:
                return None
            atoms, nullable = _edge_of_seq(list(parsed), leaf, False, _MAX_FIRST, zero_width=True)
    except (_Unsure, re.error, RecursionError, OverflowError, ValueError, TypeError, Warning):
        return None
    if nullable or not atoms:
        return None
    return "|".join(sorted(atoms))


# Classes by category as ``regex`` writes them (it then says what they match).
_CATEGORY_TEXT = {getattr(_c, name): text for name, text in (
    ("CATEGORY_DIGIT", r"\d"), ("CATEGORY_NOT_DIGIT", r"\D"), ("CATEGORY_SPACE", r"\s"),
    ("CATEGORY_NOT_SPACE", r"\S"), ("CATEGORY_WORD", r"\w"), ("CATEGORY_NOT_WORD", r"\W"))}
_PRIVATE_FIRST, _PRIVATE_LAST = 0xF0000, 0x10FFFF


def _char_text(code: int) -> str:
    if _PRIVATE_FIRST <= code <= _PRIVATE_LAST:
        raise _Unsure  # a \p{..} written as a private-use range (_to_stdlib)
    return "\\U%08x" % code


def _first_of_seq(items) -> Tuple[set, bool]:
    """(one-character patterns, one of which matches the first character of a match
    of ``items``; whether such a match can be empty)."""
    return _edge_of_seq(items, _class_text_of, False)


def _class_text_of(op, av) -> set:
    """One item (a literal, a negated literal, a class) written back as a
    one-character ``regex`` pattern."""
    if op is _c.LITERAL:
        return {_char_text(av)}
    if op is _c.NOT_LITERAL:
        return {"[^" + _char_text(av) + "]"}
    parts, negate = [], ""
    for o, a in av:
        if o is _c.NEGATE:
            negate = "^"
        elif o is _c.LITERAL:
            parts.append(_char_text(a))
        elif o is _c.RANGE:
            parts.append(_char_text(a[0]) + "-" + _char_text(a[1]))
        elif o is _c.CATEGORY and a in _CATEGORY_TEXT:
            parts.append(_CATEGORY_TEXT[a])
        else:
            raise _Unsure
    return {"[" + negate + "".join(parts) + "]"}


# -- least_digit_run (checks/personal.py's gate) ---------------------------------
_BRACED_LETTER = pattern_cache.compile_re(r"\{[^}]*[A-Za-z][^}]*\}")
_DIGIT_CODES = range(ord("0"), ord("9") + 1)
# (every character a digit, least length, least digit run at the start, at the end,
# anywhere) of a node that matches anything: no run is promised.
_DIGITS_ANY = (False, 0, 0, 0, 0)
_DIGITS_ZERO = (True, 0, 0, 0, 0)


def least_digit_run(source: str) -> int:
    """How many consecutive digits (``\\d``) every match of the pattern ``source``
    holds at least, read from its parse by the stdlib's parser (0 when it cannot
    parse it). A lower bound: a node it does not model counts as a non-digit, and
    an optional one as absent; a zero-width node (a lookaround, an anchor)
    separates no characters."""
    tree = _digit_parse(source)
    return _digit_seq(list(tree))[4] if tree is not None else 0


@lru_cache(maxsize=64)
def _digit_parse(source: str):
    """The stdlib parser's tree of ``source`` (None for regex-only syntax: no gate),
    kept for the two analyses of one pattern."""
    if _BRACED_LETTER.search(source):  # regex's fuzzy matching ({e<=1}), \p{...}: not modelled
        return None
    try:
        with warnings.catch_warnings():  # the stdlib's FutureWarning on [[ is not the user's business
            warnings.simplefilter("ignore")
            return _parse(source)
    except Exception:
        return None


def digit_pair(source: str, least: int, most: int) -> Optional[Tuple[str, int, str]]:
    """``(before, n, between)``: every match of ``source`` holds one of the characters
    ``before``, a run of exactly n digits (``least <= n <= most``), one of the
    characters ``between``, then at least ``least`` digits; None when no such pair
    is promised. A text scanned with ``\\d{least,most}`` then has two runs one
    after the other, the first n digits long, ``before`` ahead of it and
    ``between`` after it (personal.py's gate for numbers written in groups,
    ``138 0013 8000``, which a run of four digits, a year's, does not tell apart).
    A lower bound as least_digit_run: an unmodelled node breaks the pair; the
    characters are ASCII non-digit literals, and a pattern with case folding has none."""
    tree = _digit_parse(source)
    if tree is None or tree.state.flags & _c.SRE_FLAG_IGNORECASE:
        return None
    tokens = []
    for token in _pair_tokens(list(tree)):  # adjacent runs of digits as one
        if token[0] == "D" and tokens and tokens[-1][0] == "D":
            _, n, exact = tokens.pop()
            token = ("D", n + token[1], exact and token[2])
        tokens.append(token)
    for before, first, between, second in zip(tokens, tokens[1:], tokens[2:], tokens[3:]):
        if (before[0] == between[0] == "S" and first[0] == second[0] == "D" and first[2]
                and least <= first[1] <= most and second[1] >= least):
            return before[1], first[1], between[1]
    return None


def _pair_tokens(items) -> list:
    """The nodes one after another as tokens: ("D", n, exact) a run of n digits (at
    least n when not exact), ("S", chars) one of these non-digit characters, ("X",)
    anything else (perhaps nothing); zero-width nodes are left out."""
    out = []
    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        if op in (_c.LITERAL, _c.IN):
            chars = _separator_chars(op, av)
            out.append(("D", 1, True) if _one_char_digit(op, av) else ("S", chars) if chars else ("X",))
        elif op is _c.SUBPATTERN:
            out.extend([("X",)] if av[1] & _c.SRE_FLAG_IGNORECASE else _pair_tokens(list(av[3])))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            out.extend(_pair_tokens(list(av)))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)):
            lo, hi, sub = av
            inner = _pair_tokens(list(sub))
            if lo and inner and all(t[0] == "D" and t[2] for t in inner):
                out.append(("D", lo * sum(t[1] for t in inner), lo == hi))
            else:
                out.extend(inner * min(lo, 4))
                if hi != lo or lo > 4:
                    out.append(("X",))
        elif op is _c.BRANCH:
            alts = [_pair_tokens(list(b)) for b in av[1]]
            if all(alt and all(t[0] == "D" for t in alt) for alt in alts):
                sizes = {sum(t[1] for t in alt) for alt in alts}
                exact = len(sizes) == 1 and all(t[2] for alt in alts for t in alt)
                out.append(("D", min(sizes), exact))
            else:
                out.append(("X",))
        else:
            out.append(("X",))
    return out


def _separator_chars(op, av) -> str:
    """The characters of a literal or a class of literals, all ASCII non-digits ("" otherwise)."""
    codes = [av] if op is _c.LITERAL else [a for o, a in av if o is _c.LITERAL] if all(
        o is _c.LITERAL for o, _ in av) else []
    if not codes or any(c > 127 or c in _DIGIT_CODES for c in codes):
        return ""
    return "".join(map(chr, codes))


def _one_char_digit(op, av) -> bool:
    if op is _c.LITERAL:
        return av in _DIGIT_CODES
    if op is _c.IN:
        for item_op, item in av:
            if item_op is _c.LITERAL and item in _DIGIT_CODES:
                continue
            if item_op is _c.RANGE and item[0] in _DIGIT_CODES and item[1] in _DIGIT_CODES:
                continue
            if item_op is _c.CATEGORY and item is _c.CATEGORY_DIGIT:
                continue
            return False
        return bool(av)
    return False


def _digit_node(op, av):
    if op in (_c.LITERAL, _c.IN):
        return (True, 1, 1, 1, 1) if _one_char_digit(op, av) else (False, 1, 0, 0, 0)
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return _DIGITS_ZERO
    if op is _c.SUBPATTERN:
        return _digit_seq(list(av[3]))
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _digit_seq(list(av))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)):
        lo, _, sub = av
        inner = _digit_seq(list(sub))
        if lo == 0:
            return _DIGITS_ZERO if inner[0] else _DIGITS_ANY
        if inner[0]:
            n = lo * inner[1]
            return (True, n, n, n, n)
        return (False, lo * inner[1], inner[2], inner[3],
                max(inner[4], inner[3] + inner[2] if lo >= 2 else 0))
    if op is _c.BRANCH:
        alts = [_digit_seq(list(b)) for b in av[1]]
        return (all(a[0] for a in alts), min(a[1] for a in alts), min(a[2] for a in alts),
                min(a[3] for a in alts), min(a[4] for a in alts))
    return _DIGITS_ANY


def _digit_seq(items):
    """``_digit_node``'s tuple for nodes one after another."""
    every, length, head, run, best = True, 0, 0, 0, 0
    for op, av in items:
        n_every, n_length, n_head, n_tail, n_best = _digit_node(op, av)
        length += n_length
        if n_every:
            run += n_length
            if every:
                head += n_length
        else:
            best = max(best, run + n_head, n_best)
            if every:
                head += n_head
                every = False
            run = n_tail
    best = max(best, run)
    if every:
        return True, length, length, length, length
    return False, length, head, run, best
