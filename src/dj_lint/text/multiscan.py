"""One pass of a multi-pattern automaton (ahocorasick-rs) over a text.

``ahocorasick-rs`` finds thousands of literals at once in Rust, with offsets in
code points (the offsets of ``str``). It takes ``str`` through UTF-8, which has
no encoding for a lone surrogate (an undecodable byte kept by
``surrogateescape``), so such characters are first replaced by U+FFFD: one
code point for one, every offset unchanged, and no literal contains either.

Without the package (an old virtualenv), ``available()`` is False and callers
keep their plain scan: the findings are the same, only slower.
"""
from __future__ import annotations

import re
from typing import List, Sequence, Tuple

try:
    import ahocorasick_rs as _ac
except ImportError:  # pragma: no cover - exercised only without the dependency
    _ac = None

_SURROGATE = re.compile("[\ud800-\udfff]")


def available() -> bool:
    return _ac is not None


def scannable(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (same length)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)


class Automaton:
    """All occurrences of a fixed list of literals (none empty, none with a surrogate)."""

    def __init__(self, literals: Sequence[str]):
        self.literals = list(literals)
        self._ac = _ac.AhoCorasick(self.literals, matchkind=_ac.MatchKind.Standard) if self.literals else None

    def find(self, text: str, overlapping: bool = True) -> List[Tuple[int, int, int]]:
        """(literal index, start, end) of every occurrence, ordered by end then start
        (overlapping) — ``text`` must already be :func:`scannable`."""
        if self._ac is None:
            return []
        return self._ac.find_matches_as_indexes(text, overlapping=overlapping)

    def __getstate__(self):  # --jobs under spawn pickles kinds: rebuild, do not pickle Rust
        return {"literals": self.literals}

    def __setstate__(self, state):
        self.__init__(state["literals"])
