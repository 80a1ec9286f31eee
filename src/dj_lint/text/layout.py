"""The page layout the outline parser needs: the ``layout:`` part of
rules/data/doc_types.yaml (title lines to skip, part boundaries, signature lines).

It lives in the text layer because every Document's outline (structure.py) uses
it; the document types themselves (the ``types:`` part) are read by doctypes/.
"""
from __future__ import annotations

import regex

from . import build_cache, pattern_cache
from .pattern_cache import IntFlags
from .regex_anchors import anchored_at_start, cached_anchors, first_class, last_chars, max_line_width
from .data import read_yaml, shipped_data
from ..model.rules import RuleError

_LABEL = "rules/data/doc_types.yaml"
LAYOUT_LISTS = ("title_skip", "title_prefix", "part_boundary", "trailing_skip",
                "signature_organisation", "signature_date")
_HAN_B = pattern_cache.compile(r"(?<!\\)(?:\\\\)*\\b")
_RAW = None
_LAYOUT = None


def data_path() -> str:
    return shipped_data("doc_types.yaml")


def raw_data():
    """The parsed YAML of doc_types.yaml, read once per process."""
    global _RAW
    if _RAW is None:
        _RAW = read_yaml(data_path(), _LABEL)
    return _RAW


def _regex(value, where: str):
    if not isinstance(value, str) or not value:
        raise RuleError(f"{where}: should be a non-empty regular expression")
    if _HAN_B.search(value):
        raise RuleError(f"{where}: '\\b' never matches inside Chinese text")
    try:
        return pattern_cache.compile(value, regex.MULTILINE)
    except regex.error as exc:
        raise RuleError(f"{where}: regex does not compile: {exc}") from None


def _regexes(values, where: str) -> tuple:
    if not isinstance(values, list):
        raise RuleError(f"{where}: should be a list of regular expressions")
    return tuple(_regex(v, f"{where}[{i}]") for i, v in enumerate(values))


def _fields(item, allowed: dict, required, where: str) -> None:
    if not isinstance(item, dict):
        raise RuleError(f"{where}: should be a mapping")
    for key, value in item.items():
        if key not in allowed:
            raise RuleError(f"{where}: unknown field '{key}'")
        if not isinstance(value, allowed[key]) or (allowed[key] is int and isinstance(value, bool)):
            raise RuleError(f"{where}: field '{key}' should be {allowed[key].__name__}")
    for key in required:
        if key not in item:
            raise RuleError(f"{where}: missing field '{key}'")


class AnyOf:
    """Whether any pattern of a layout list occurs in one line.

    The patterns anchored at the line start are tried there only (one
    alternation, ``match``); the others are searched for (another alternation).
    One alternation of all of them cannot skip along the line to a literal, so a
    line of prose cost about ten times more (title_skip over the first lines of
    200 benchmark files: 0.050 -> 0.005 s).
    """

    def __init__(self, patterns):
        # (?w) lets ^ match after other line breaks too: such a pattern is searched for.
        start = [p.pattern for p in patterns if anchored_at_start(p.pattern) and not p.flags & IntFlags.WORD]
        anywhere = [p.pattern for p in patterns if p.pattern not in start]
        self.start = _alternation(start)
        self.anywhere = _alternation(anywhere)
        # A start pattern that ends with $ and matches at most so many characters
        # (``^.{2,40}(委员会|党委)$``) cannot match a longer line: on such a line only
        # the other start patterns are tried (measured: 7.7 µs a line for the
        # 落款 organisation list on the realworld pages, most of it spent
        # backtracking through long lines of prose).
        widths = {p: max_line_width(p) for p in start}
        bounded = [w for w in widths.values() if w is not None]
        self.short = max(bounded) if bounded else None
        self.start_long = _alternation([p for p in start if widths[p] is None]) if bounded else self.start
        # On such a line, a start pattern that ends with $ after one of a few characters
        # (the organisation list's 委员会, 党委, 局 …) cannot match a line that ends with
        # none of them: only the other start patterns are tried there (the 落款's
        # short lines of prose took 6 µs each, backtracking through ``.{2,40}``).
        ends = {p: last_chars(p) if widths[p] is not None else None for p in start}
        gated = [e for e in ends.values() if e is not None]
        self.short_ends = frozenset().union(*gated) if gated else None
        self.start_open = _alternation([p for p in start if ends[p] is None]) if gated else self.start
        # Every start pattern's first character, as one class ``regex`` matches against
        # a line's first character, each character's answer kept: a line of prose
        # starts with none of title_skip's 发更第主出承印当, A-Z and digits, and the
        # alternation's match cost 0.4 µs a line (18 head lines a document).
        firsts = [first_class(p) for p in start]
        self.firsts = (pattern_cache.compile("|".join(f"(?:{f})" for f in firsts))
                       if firsts and None not in firsts else None)
        self.first_ok: dict = {}
        self.chars = _gate_chars(patterns)
        # The patterns searched for are searched only in a line holding one of their
        # gate characters (title_skip: 热 or 号; the first lines of 200 corpus files
        # searched 6,400 times for 2 ms, now a few dozen).
        self.anywhere_chars = _gate_chars([p for p in patterns if p.pattern not in start])
        # ... and then only in a line holding one of a few two-character pieces of those
        # anchors: a line of prose holds 号 now and then, but seldom 刊号 or 代号, and the
        # alternation's search along it cost 12 us (title_skip on 2,650 of the realworld
        # pages' 63,600 head lines); trailing_skip's anchors (版权, 下载, 感谢 ...) need more
        # than a few characters, so its search ran on every line (3.2 us a call).
        self.anywhere_pieces = _gate_pieces([p for p in patterns if p.pattern not in start], 2, _GATE_PIECES)
        # A piece is looked for only in a line holding its characters, the last one
        # first: CPython's ``in`` finds one character about ten times faster than two
        # (a line of 365 characters: 0.1 against 1.0 us). trailing_skip's five pieces
        # cost 2.9 us a call on the realworld pages, the doc types' body gate 6.9 us.
        self.anywhere_needles = (tuple(_needles(piece) for piece in self.anywhere_pieces)
                                 if self.anywhere_pieces is not None else None)
        # Whether an empty line is matched: the outline asks it of part_boundary for
        # every document (a found_in call each).
        self.matches_empty = self.found_in("")

    def found_in(self, s: str) -> bool:
        if self.start is not None:
            if "\n" in s:
                hit = self.start.search(s)
            elif self.firsts is not None and (ok := self.first_ok.get(s[:1])) is not True and (
                    ok is False or not self._first_ok(s[:1])):
                hit = None
            elif self.short is None or len(s) <= self.short:
                pat = self.start if self.short_ends is None or s[-1:] in self.short_ends else self.start_open
                hit = pat.match(s) if pat is not None else None
            else:
                hit = self.start_long.match(s) if self.start_long is not None else None
            if hit is not None:
                return True
        if self.anywhere is None:
            return False
        chars = self.anywhere_chars
        if chars is not None:
            for ch in chars:
                if ch in s:
                    break
            else:
                return False
        pieces = self.anywhere_needles
        if pieces is not None:
            for needles in pieces:
                for needle in needles:
                    if needle not in s:
                        break
                else:
                    break  # the piece is there
            else:
                return False
        return self.anywhere.search(s) is not None

    def _first_ok(self, ch: str) -> bool:
        """Whether a line starting with ``ch`` ("" for an empty line) may be matched
        by a start pattern (``firsts``), each character asked of ``regex`` once."""
        ok = self.first_ok.get(ch)
        if ok is None:
            ok = bool(ch) and self.firsts.fullmatch(ch) is not None
            if len(self.first_ok) < _FIRSTS_KEPT:
                self.first_ok[ch] = ok
        return ok

    def __getstate__(self):  # the build cache pickles the layout: without a run's answers
        state = dict(self.__dict__)
        state["first_ok"] = {}
        return state

    __setstate__ = build_cache.set_state  # attribute reads stay specialised


# Characters whose answer an AnyOf keeps (a document's lines start with a few hundred).
_FIRSTS_KEPT = 8192

# At most this many characters gate a list: more would cost more finds than they save.
_GATE_CHARS = 4
# At most this many two-character pieces gate the patterns searched along a line
# (str.find of a piece costs about what the search's alternation costs per ~8 pieces).
_GATE_PIECES = 8


def _needles(piece: str) -> tuple:
    """What ``found_in`` looks for to find ``piece``: its characters, the last one
    first, then the piece itself when it is longer than one."""
    return tuple(dict.fromkeys(piece[::-1])) + ((piece,) if len(piece) > 1 else ())


def _gate_chars(patterns):
    """A few characters one of which every match of every pattern holds, or None:
    a line without any of them matches none (``_Parser.lines_holding`` finds the
    lines that hold one with ``str.find``). Each match holds one of its pattern's
    anchors (text/regex_anchors.py), so a set of characters that meets every
    anchor will do; chosen greedily, the character in most anchors first."""
    return _gate_pieces(patterns, 1, _GATE_CHARS)


def _gate_pieces(patterns, width: int, most: int):
    """Up to ``most`` pieces of at most ``width`` characters, one of which every
    match of every pattern holds, or None (``_gate_chars`` with longer pieces: a
    piece of an anchor, or the whole anchor when it is shorter)."""
    literals = set()
    for p in patterns:
        found = cached_anchors(p.pattern, p.flags & (IntFlags.IGNORECASE | IntFlags.DOTALL))
        if found is None:
            return None
        literals.update(found.literals)
    pieces = []
    while literals:
        counts: dict = {}
        for lit in literals:
            for piece in {lit[i:i + width] for i in range(max(len(lit) - width, 0) + 1)}:
                counts[piece] = counts.get(piece, 0) + 1
        best = min(counts, key=lambda piece: (-counts[piece], piece))
        pieces.append(best)
        literals = {lit for lit in literals if best not in lit}
        if len(pieces) > most:
            return None
    return tuple(pieces) if pieces else None


def _alternation(sources):
    if not sources:
        return None
    return pattern_cache.compile("|".join(f"(?:{p})" for p in sources), regex.MULTILINE)


def parse_layout(data, label: str = _LABEL) -> dict:
    where = f"{label}: layout"
    allowed = {k: list for k in LAYOUT_LISTS}
    allowed.update(title_date=str, signature_window=int)
    _fields(data, allowed, tuple(allowed), where)
    out = {k: _regexes(data[k], f"{where}: {k}") for k in LAYOUT_LISTS}
    # The parser asks "any of them?" once per line.
    out.update({k + "_any": AnyOf(out[k]) for k in LAYOUT_LISTS})
    # Each title prefix is taken off only a title holding one of its gate characters.
    out["title_prefix_chars"] = tuple(_gate_chars([p]) for p in out["title_prefix"])
    out["title_date"] = _regex(data["title_date"], f"{where}: title_date")
    # The title lines are searched only when they hold its gate characters (a
    # ``regex`` search of each title line cost about 1.5 us a document).
    out["title_date_any"] = AnyOf((out["title_date"],))
    if data["signature_window"] < 1:
        raise RuleError(f"{where}: field 'signature_window' should be at least 1")
    out["signature_window"] = data["signature_window"]
    return out


def _build_layout() -> dict:
    data = raw_data()
    return parse_layout(data.get("layout") if isinstance(data, dict) else None, _LABEL)


def load_layout() -> dict:
    """The parsed layout, from the build cache when it holds this build."""
    global _LAYOUT
    if _LAYOUT is None:
        _LAYOUT = build_cache.product("layout", _build_layout)
    return _LAYOUT
