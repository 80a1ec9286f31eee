"""What every check kind shares: the interface, regex compilation, vetoes."""
from __future__ import annotations

import bisect
import re
import time
import weakref
from itertools import chain
from typing import Iterator, List, Optional

import regex

from ..model.findings import Hit
from ..model.rules import Rule, RuleError
from ..text import multiscan, pattern_cache, regex_anchors
from ..text.pattern_cache import IntFlags
from ..text.document import VISIBLE_KEPT
# The regex budget (checks/budget.py); its names are kept here for the kinds.
from .budget import (Budgeted, RegexBudget, SampledBudget, budgeted, current_budget,  # noqa: F401
                     pulled, sampling, set_budget, taken)
from .budget import _CHUNK, _LOCAL, _pulled_rest

_BARE_B = pattern_cache.compile_re(r"(?<!\\)(?:\\\\)*\\[bB]")
_HAN = pattern_cache.compile(r"\p{Han}")
# A rule that backtracks for longer than this on one document is stopped and
# reported instead of hanging the run. The Linter sets it from --regex-timeout
# (Context.regex_timeout); read at call time, so every kind's Veto obeys it.
# The default time limit of one regex search; a run passes its own (--regex-timeout)
# through Context.regex_timeout to every Kind and Veto it builds.
DEFAULT_REGEX_TIMEOUT = 5.0


class Kind:
    """A check kind compiles all its rules once and scans Documents.

    Optional hooks the engine looks for (engine/linter.py):

    - ``absorb(doc, hits) -> hits``: judge every kind's hits of a document as a
      whole, after all kinds have checked it (deferring rules, intended blanks);
    - ``absorbing() -> rule ids``: whose hits give ``absorb`` something to do; the
      engine skips ``absorb`` on a document without any (absent: called on every
      document with a hit; a document without any hit has nothing to judge); the
      ids are asked for once, at the first document;
    - ``anchors_for_many()``: register now the anchors of the shared automaton
      that pay off only over many documents (``Linter.warm`` calls it of every
      kind first; the automaton is built at its first use, after the next hook);
    - ``prepare_for_many()``: build now what pays off only over many documents
      (``Linter.warm``, before ``--jobs`` forks its workers, who inherit it);
    - ``expect_many(sizes)``: documents of these sizes (bytes) are coming in this
      process, too few to ``warm`` for (``Linter.expect_many``, after every kind's
      ``anchors_for_many``): build now what they will make worth building;
    - ``prepare_batch(docs)``: do at once, for a batch of two or more documents,
      work its ``check`` of each would do alone (``Linter.lint_many`` calls it
      before checking them; the findings must be those of one at a time).
    """
    FIELDS: dict = {}
    REQUIRED: tuple = ()
    MESSAGE_FIELDS: tuple = ()
    # Document-level kinds (sections, signature) are not scoped by inline context.
    DOCUMENT_LEVEL = False
    # True: ``check`` may yield a ``Flood`` (many hits of one rule as one object)
    # besides hits; the engine makes of it the hits it may report.
    FLOODS = False

    def __init__(self, rules: List[Rule], ctx):
        self.rules = rules
        self.ctx = ctx

    @classmethod
    def validate(cls, rule: Rule) -> None:
        """Raise RuleError('field ...: why') for a bad rule. Called at load time."""

    def check(self, doc) -> Iterator[Hit]:  # pragma: no cover - interface
        raise NotImplementedError


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def compile_regex(source, field: str, flags: int = 0, rule=None, one_line: bool = False):
    """Compile with the ``regex`` module, rejecting ``\\b`` next to a Han character:
    there is no word boundary inside a run of Han characters, so such a rule
    would silently never match. With ``rule``, every call on the pattern counts
    against that rule's regex budget (a kind's __init__ passes it).

    Rules' patterns are MULTILINE (``^``/``$`` at every line). ``one_line``: a
    pattern that is only ever searched in one line, a string without ``\\n``,
    is compiled without MULTILINE: the same matches there (``^`` and ``$`` at
    its ends, and ``regex`` takes only ``\\n`` as a line break), and a search
    of a ``^``-led pattern tries the line's start alone, not every position
    after it (a line of 1.7M characters: 0.05-0.09 s a pattern, against none)."""
    if not isinstance(source, str):
        raise RuleError(f"field '{field}' should be a regular expression string")
    # Only a source that writes ``\b`` or ``\B`` at all is searched (the search tries
    # every position: the shipped rules' 509 sources, 23 M instructions a start).
    for m in _BARE_B.finditer(source) if "\\b" in source or "\\B" in source else ():
        before = source[m.start() - 1:m.start()] if m.start() else ""
        after = source[m.end():m.end() + 1]
        if _HAN.match(before or " ") or _HAN.match(after or " "):
            raise RuleError(
                f"field '{field}': '\\b' next to a Han character never matches inside Chinese text;"
                " use whole_word (jieba boundaries) or lookarounds instead")
    try:
        # A charged pattern is unpickled from the cache when first used (Budgeted).
        pat = (pattern_cache.compile if rule is None else pattern_cache.deferred)(
            source, int(flags) | (0 if one_line else IntFlags.MULTILINE) | IntFlags.V0)
    except regex.error as exc:
        raise RuleError(f"field '{field}': regex does not compile: {exc}") from None
    return budgeted(pat, rule)


def compile_all(values, field: str, flags: int = 0, rule=None) -> list:
    return [compile_regex(v, field, flags, rule) for v in as_list(values)]


class Veto:
    """``unless`` patterns veto a match they overlap; ``unless_line`` patterns veto
    every match on a line where they occur anywhere."""

    def __init__(self, rule: Rule, flags: int = 0, timeout: float = DEFAULT_REGEX_TIMEOUT):
        self.timeout = timeout
        self.overlap = compile_all(rule.options.get("unless"), "unless", flags, rule)
        self.line = compile_all(rule.options.get("unless_line"), "unless_line", flags, rule)
        # Per line, each veto pattern is run once and its result kept for the
        # other matches on that line: on a 5 MB single line, scanning the line
        # again for every match was quadratic. Reset for each new document.
        self._doc = None
        self._cache: dict = {}
        # (line start, line end, whether a line pattern vetoes it) of the last
        # match's line: a flood of matches on one line (250,000 blanks) asks for
        # the same line again and again.
        self._last = None
        # Whether the tracked document holds none of the literals one of which
        # every veto match needs (``_gate``): then no match of it is vetoed, and
        # its lines are not searched. The realworld pages: 1,005 of 1,435 vetoes
        # asked by PatternKind and ObsoleteKind (1000 files) were so, most of them
        # DJ809's (a space beside a quote mark or after a colon, in pages with none).
        # Only in a document under _IDLE_MOST characters: the test reads the whole
        # text, where the searches read the lines of the hits (see _IDLE_MOST).
        self._idle = False
        self._gate = _UNSET  # worked out on the first document (validate() needs none)
        # A line none of whose characters starts an anchor of the line patterns
        # is not searched by them (``_line_gate``; worked out on first use); nor
        # by an overlap pattern, each with a gate of its own (``_overlap_gates``).
        self._line_gate = _UNSET
        self._overlap_gates = _UNSET

    def __bool__(self):
        return bool(self.overlap or self.line)

    _UNPICKLED = ("_doc", "_cache", "_last", "_idle", "_gate", "_line_gate", "_overlap_gates")

    def __getstate__(self):  # --jobs and --cluster may pickle rules; the caches stay behind
        return {k: v for k, v in self.__dict__.items() if k not in self._UNPICKLED}

    def __setstate__(self, state):
        # Set here, not carried in the state: _UNSET is this module's own object,
        # and an unpickled copy of it would not be it (on a --cluster worker the
        # gates were then called as functions: TypeError).
        self.__dict__.update(state)
        self._doc, self._cache, self._last = None, {}, None
        self._idle, self._gate, self._line_gate, self._overlap_gates = False, _UNSET, _UNSET, _UNSET

    def _line_result(self, doc, kind: str, pat, ls: int, le: int):
        self._track(doc)
        return self._result(doc, kind, pat, ls, le)

    def _result(self, doc, kind: str, pat, ls: int, le: int):
        """``_line_result`` of the document already tracked (``vetoes`` tracks it
        once per match, not once per pattern)."""
        key = (kind, id(pat), ls, le)
        found = self._cache.get(key)
        if found is None:
            if kind == "line":
                found = pat.search(doc.text, ls, le, timeout=self.timeout) is not None
            else:
                spans = [m.span() for m in pat.finditer(doc.text, ls, le, timeout=self.timeout)]
                found = ([s for s, _ in spans], [e for _, e in spans])
            self._cache[key] = found
        return found

    def _track(self, doc) -> None:
        # A weak reference: the cache must not keep a 20 MB document alive after its lint.
        if self._doc is None or self._doc() is not doc:
            self._doc, self._cache, self._last = weakref.ref(doc), {}, None
            self._idle = False
            text = doc.text
            if len(text) < _IDLE_MOST:
                gate = self._gate
                if gate is _UNSET:
                    gate = self._gate = _literals_test([*self.line, *self.overlap])
                self._idle = gate is not None and not gate(text)

    def kept(self, doc, found: list) -> list:
        """The items of ``found`` (start, end, ...: a non-empty span first) that
        ``vetoes`` keeps. Without ``unless`` patterns a line's verdict is all there
        is, and a match on the line of the one before takes it without a call: a
        flood of 250,000 blanks on one line (DJ202) asked ``vetoes`` for each."""
        vetoes = self.vetoes
        if self.overlap:
            return [item for item in found if not vetoes(doc, item[0], item[1])]
        out = []
        ls = top = 0  # the last verdict's line, [ls, top): none yet (every span ends past 0)
        lined = False
        for item in found:
            start, end = item[0], item[1]
            if ls <= start and end <= top:
                if not lined:
                    out.append(item)
                continue
            if not vetoes(doc, start, end):
                out.append(item)
            # ``_last`` holds the line of this match when it was worked out on its
            # line (None: the document is idle, or the match spans lines).
            last = self._last
            if last is None:
                ls = top = 0
            else:
                ls, top, lined = last[0], last[1] + 1, last[2]
        return out

    def vetoes(self, doc, start: int, end: int) -> bool:
        last = self._last
        if last is not None and last[0] <= start and max(start, end - 1) <= last[1] and self._doc() is doc:
            # The match lies on the last match's line: the same (ls, le) as below.
            ls, le, lined = last
            if lined:
                return True
        else:
            self._track(doc)
            if self._idle:
                return False  # none of its patterns can match in this document
            ls, le = doc.line_span(start)
            one_line = max(start, end - 1) <= le
            if not one_line:  # on one line, its last character's line is this one
                le = doc.line_span(end - 1)[1]
            lined = False
            gate = self._line_gate
            if gate is _UNSET:
                gate = self._line_gate = _line_gate(self.line)
            if gate is None or gate(doc.text, ls, le) is not None:
                for pat in self.line:
                    if self._result(doc, "line", pat, ls, le):
                        lined = True
                        break
            self._last = (ls, le, lined) if one_line else None
            if lined:
                return True
        # Each overlap pattern searched, through the regex budget, only where the
        # hit's lines hold a first character of its anchors: the star_run rules'
        # unless (本文来自...) was asked 6,834 times on the 1000 corpus files, each
        # on a line of its own, and vetoed none; of DJ701's three, the one for a
        # title in 《》 stands on most of the lines the terms rules ask about.
        gates = self._overlap_gates
        if gates is _UNSET:
            gates = self._overlap_gates = [_line_gate([pat]) for pat in self.overlap]
        for pat, gate in zip(self.overlap, gates):
            if gate is not None:
                key = (gate, ls, le)  # (a key of three: no _result's key is one)
                held = self._cache.get(key)
                if held is None:
                    held = self._cache[key] = gate(doc.text, ls, le) is not None
                if not held:
                    continue
            starts, ends = self._result(doc, "overlap", pat, ls, le)
            # finditer's matches do not overlap, so their ends rise with their
            # starts: the last match starting before `end` reaches furthest.
            i = bisect.bisect_left(starts, end)
            if i and ends[i - 1] > start:
                return True
        return False


_UNSET = object()
# Veto._idle is worked out only in a document shorter than this: the test reads
# the whole text once, the searches it saves read only the lines of the hits. The
# vetoes' time in PatternKind and ObsoleteKind (perf_counter around each call,
# mean of 4 passes each way): realworld, 8,056 pages of 389-937 characters,
# 0.109 -> 0.067 s (DJ809's 10,070 calls 0.077 -> 0.047); with the test in every
# document the corpus (2,621-13,208 characters) went 0.056 -> 0.078 s, DJ406's
# many literals read over whole documents (0.007 -> 0.026).
_IDLE_MOST = 1500


_LOOKAROUND = pattern_cache.compile_re(r"\(\?<?[=!]")


def _line_gate(patterns):
    """The ``search`` of a class of the first characters of every pattern's anchors
    (text/regex_anchors.py), or None: a match holds one of its pattern's anchors,
    so a line without any of those characters has no match of the patterns, and
    their searches (through the regex budget) are not made. None when an anchor
    may lie outside the searched line (a lookaround: regex's lookbehind reads
    before the search's start; a match over a line break), case is ignored or
    the flags are not modelled. The furniture rule's unless_line: about 4.4 us a
    hit for its three searches, 1,974 hits on 1000 realworld files, 40 vetoed,
    818 with one of the characters on their line."""
    firsts = set()
    for pat in patterns:
        if pat.flags & (IntFlags.IGNORECASE | _UNMODELLED_FLAGS) or _LOOKAROUND.search(pat.pattern):
            return None
        found = regex_anchors.cached_anchors(pat.pattern, pat.flags & IntFlags.DOTALL)
        if (found is None or not found.literals or not found.one_line or found.reach
                or any(not lit or "\n" in lit for lit in found.literals)):
            return None
        firsts.update(lit[0] for lit in found.literals)
    if not firsts:
        return None
    return pattern_cache.compile_re("[" + "".join(sorted(re.escape(c) for c in firsts)) + "]").search


def _literals_test(patterns):
    """Whether a text holds one of the ``necessary_literals`` of any of
    ``patterns``, as a function: a text holding none has no match of any of them,
    in any part of it (each match holds one, or reads it through a lookaround on a
    line it touches). None when a pattern has no such literals. One character is
    found by ``in``, longer literals by one ``re`` alternation, compiled through the
    pattern cache: DJ406's 120 literals were compiled again by each process whose
    documents reach its veto (the whole command on the first 1000 realworld files:
    11,407 -> 11,378 M instructions, callgrind)."""
    literals = set()
    for pat in patterns:
        found = necessary_literals(pat)
        if not found or "" in found:
            return None
        literals.update(found)
    chars = tuple(sorted(lit for lit in literals if len(lit) == 1))
    longer = sorted(lit for lit in literals if len(lit) > 1)
    search = pattern_cache.compile_re("|".join(map(re.escape, longer))).search if longer else None

    def test(text: str) -> bool:
        for char in chars:
            if char in text:
                return True
        return search is not None and search(text) is not None
    return test


def spans_overlap(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def word_ok(doc, start: int, end: int, mode: Optional[str]) -> bool:
    """Check a candidate against jieba boundaries: 'token' means the match is one
    word, 'boundary' that it starts and ends between words."""
    if not mode:
        return True
    if mode == "token":
        return doc.is_token(start, end)
    return doc.on_token_boundaries(start, end)


# regex flags the anchor analysis (text/regex_anchors.py) does not model.
_UNMODELLED_FLAGS = int(regex.VERBOSE | regex.V1 | regex.REVERSE | regex.BESTMATCH
                         | regex.ENHANCEMATCH | regex.POSIX | regex.FULLCASE | regex.WORD)


def anchor_index(ctx) -> "multiscan.AnchorIndex":
    """The run's shared anchor automaton (Context.anchors), or one of the caller's own."""
    index = getattr(ctx, "anchors", None)
    if index is None:
        index = multiscan.AnchorIndex()
        try:
            ctx.anchors = index
        except AttributeError:  # pragma: no cover - a read-only context
            pass
    return index


# A pattern's scans try single positions when its anchors' offsets span at most
# _AT_SPAN characters, in a window where there are fewer of them than one in _AT_COST
# characters (else the window is scanned). callgrind, the pattern and obsolete kinds
# on the first 200 corpus files: 5,518 M instructions without; span 0: 5,515 M, 2:
# 5,454 M, 4: 5,448 M, 8: 5,448 M (all windows); at span 4, one in 2: 5,454 M,
# 4: 5,453 M, 8: 5,452 M, 16: 5,454 M, 32: 5,478 M.
_AT_SPAN = 4
_AT_COST = 8


def register_anchors(ctx, pat, small: int = 0, near: bool = False) -> Optional[int]:
    """Register a compiled pattern's literal anchors with the run's automaton,
    with where its matches start from them (regex_anchors ``offsets``): a handle
    for ``scan_windows``, or None (the pattern is scanned whole). ``small``: a text
    shorter than that is scanned whole once it holds an anchor (AnchorIndex.register).
    ``near``: a pattern that does not try single positions (``at``) tries only the
    points around its anchors where a match may start, when regex_anchors.near can
    show where they are (``_in_windows_near``)."""
    if pat.flags & _UNMODELLED_FLAGS:
        return None
    found = regex_anchors.cached_anchors(pat.pattern, pat.flags & (IntFlags.IGNORECASE | IntFlags.DOTALL), near_too=near)
    if not found:
        return None
    offsets = found.offsets
    # Single positions: a one-line pattern (its anchors on its line) whose matches
    # are never empty (finditer_anchored's ``_in_windows_at``), led by a lookbehind,
    # which a scan tries at every position before it can look for anything else
    # (DJ401/DJ402's ``(?<=学习…{0,24})``). Elsewhere regex's own scan beats a call
    # per position: the kinds' check on the corpus, the same process alternating
    # with and without, min of 8: all such patterns, ObsoleteKind 0.285 -> 0.265 s
    # but PatternKind 0.532 -> 0.548; lookbehind-led ones only (33), 0.293 -> 0.262
    # and 0.543 -> 0.535.
    # Not with a backtracking verb: after (*SKIP) a scan goes on past positions that
    # a match at each of them would try.
    at = offsets if (offsets is not None and found.one_line and found.least > 0
                     and offsets[1] - offsets[0] <= _AT_SPAN
                     and regex_anchors.lookbehind_led(pat.pattern) and "(*" not in pat.pattern) else None
    around = None
    if near and at is None:
        around = regex_anchors.cached_near(pat.pattern, pat.flags & (IntFlags.IGNORECASE | IntFlags.DOTALL))
        if around is not None:
            around = (around[0], around[1], _lead_search(around[2]), around[3])
    return anchor_index(ctx).register(found.literals, found.reach, found.one_line, found.breaks,
                                      found.also, at, small, around, found.cuts)


_LEAD_SEARCHES: dict = {}


def _lead_search(source: str):
    """The search method of the stdlib pattern ``source`` (regex_anchors.near's
    ``lead``), compiled once a process: a kind registers its patterns again with
    an index of its own (the obsolete kind's folded texts)."""
    search = _LEAD_SEARCHES.get(source)
    if search is None:
        if len(_LEAD_SEARCHES) >= 4096:  # a process that compiles rules again and again
            _LEAD_SEARCHES.clear()
        search = _LEAD_SEARCHES[source] = pattern_cache.compile_re(source).search
    return search


def necessary_literals(pat) -> Optional[tuple]:
    """Literals one of which every match of a compiled pattern holds, or reads through
    a lookaround on a line it touches (regex_anchors.anchors; none of them cased when
    the pattern ignores case), so a text holding none of them has no match: the
    anchors ``register_anchors`` gives the automaton, also when they are too common
    for it (``约``, ``—``). None when none can be shown."""
    if pat.flags & _UNMODELLED_FLAGS:
        return None
    found = regex_anchors.cached_anchors(pat.pattern, pat.flags & (IntFlags.IGNORECASE | IntFlags.DOTALL))
    return found.literals if found else None


def register_words(ctx, words) -> Optional[int]:
    """Each of ``words`` (literals) as an anchor of the run's shared automaton, one
    handle per word in order: the handle of the first, or None when they did not
    get consecutive handles (no automaton, a word that does not narrow a scan)."""
    if not words:
        return None
    return anchor_index(ctx).register_words(words)


def word_handles(first: Optional[int], words) -> Optional[frozenset]:
    """The handles ``register_words`` gave ``words`` (from ``first``; None: none): a
    text whose shared pass (``AnchorIndex.present``) holds none of them holds none
    of the words, and a kind can skip them without a walk of the pass."""
    return None if first is None else frozenset(range(first, first + len(words)))


def shared_words(ctx, text: str, first: int, words, longest: bool = True):
    """(index in ``words``, start, end) of the words registered by ``register_words``
    (handles from ``first``), from the occurrences the shared pass found in
    ``text``: with ``longest``, the leftmost-longest ones that do not overlap (what
    a ``longest`` Automaton or a regex alternation of the words, longest first,
    finds): by start, the longest first, each taken when it starts at or after
    the end of the last one taken; else every occurrence, by start. None when the
    pass did not keep the occurrences (anchors nearly everywhere)."""
    last = first + len(words)
    present = anchor_index(ctx).present(text)
    items = present.items()
    if len(words) < len(present):
        # Fewer words than handles in the text (a corpus file holds some 50): the
        # words' handles looked up in C, not every handle of the text compared.
        items = [(handle, present[handle]) for handle in filter(present.__contains__, range(first, last))]
    found = []
    for handle, starts in items:
        if first <= handle < last:
            if starts is multiscan.WHOLE:
                return None
            k = handle - first
            found.extend((s, -len(words[k]), k) for s in starts)
    found.sort()
    if not longest:
        return [(k, s, s - negative_length) for s, negative_length, k in found]
    out, end = [], 0
    for s, negative_length, k in found:
        if s >= end:
            end = s - negative_length
            out.append((k, s, end))
    return out


# regex's \s: what str.isspace() takes but for the four separators \x1c-\x1f.
_SPACE = pattern_cache.compile(r"\s")


def visible_line_spans(doc) -> list:
    r"""The spans of ``^[ \t\u3000]*(\S(?:[^\n]*\S)?)[ \t\u3000]*$``'s group
    (``regex``, multiline) in ``doc.text``: the document's visible_spans whose first
    and last characters are no other white space. The lines furniture and
    title_repeat walk, found once a document (each found them apart: 1000 corpus
    files, 16 and 7.5 ms), kept as visible_spans is kept (the same span tuples)."""
    found = doc.__dict__.get("_visible_line_spans")
    if found is None:
        text, found = doc.text, []
        for s, e in doc.visible_spans:
            first, last = text[s], text[e - 1]
            if (first.isspace() and _SPACE.match(first)) or (last.isspace() and _SPACE.match(last)):
                continue  # the pattern takes no such line
            found.append((s, e))
        if len(text) <= VISIBLE_KEPT:
            doc.__dict__["_visible_line_spans"] = found
    return found


_NO_KW: dict = {}  # a scan without keywords (never changed)
# ``regex`` releases the GIL while it matches a str unless told not to
# (``concurrent=False``), and pays for it on every call and every match a
# ``finditer`` yields: about 1,200 instructions (callgrind: ``match`` of a
# lookbehind-led pattern at a position 3,500 -> 2,300; ``finditer`` of a
# 300-character window 7,900 -> 7,700 without a match, 9,800 -> 7,800 with
# one, 13,300 -> 9,300 with three). Given by position: a keyword costs
# more than it saves (``match``: 4,100 -> 4,600). The scans here run in the
# thread that lints, which has nothing to hand the GIL to meanwhile; the
# budget sampler's signal still stops a runaway match (regex checks for
# signals either way). Also given to a Budgeted pattern (its exact budget's
# ``timeout=`` comes as a keyword after them).
_HELD_SCAN = (None, None, False, False)  # finditer's pos, endpos, overlapped, concurrent


def finditer_anchored(ctx, pat, handle, text: str, timeout: float, present=None, **kw):
    """``pat.finditer(text)``, only in the lines that hold one of the pattern's anchors
    when it has a handle. Same matches: every match holds an anchor and its consumed
    text stays on one line, or runs over a bounded number of line breaks
    (text/regex_anchors.py; the window then takes as many lines around its anchors'
    lines), each window starts at a line start (the search still sees the text before
    it) and ends ``reach`` characters past its last line, so lookaheads read what they
    read in the whole text; a match starting past the line break that ends the
    window's last anchor line is left to the window of its own anchor. The time
    limit covers all windows together. ``present``: the anchor index's ``present``
    of this very text, when the caller has it. An iterator."""
    budget = _LOCAL.slot.budget if isinstance(pat, Budgeted) else None
    if budget is None or not budget.sampled:
        return _finditer_anchored(ctx, pat, handle, text, timeout, present, kw)
    return iter(anchored_taken(budget, anchor_index(ctx), pat, handle, text, present, kw))


def anchored_taken(budget, index, pat, handle, text: str, present=None, kw=_NO_KW):
    """``finditer_anchored`` of a Budgeted pattern under a sampled ``budget``, ``index``
    the run's anchor index, its matches as ``budget.taken`` gives them: a list when
    fewer than a chunk (empty, so false, when none: most scans), else an iterator.
    For a caller that scans many patterns of one document (PatternKind), which looks
    the budget and the index up once, and skips the walk of a scan that found nothing.
    Under the sampler, one activation of the rule for the regex calls of all the
    windows, not a generator and an activation per window: about 50 scans a
    document, most finding nothing, and this Python around them was half of the
    pattern kinds' time."""
    rule_id = pat.rule_id
    if rule_id in budget.stopped:
        return ()  # what taken would give
    windows = None
    if handle is not None:
        windows = index.windows(text, handle, present)
        if windows is not None and not windows:
            return ()
    led = _LED_OF.get(pat, _UNSEEN)
    if led is not None:  # most patterns have no led form: no call
        led = _led_here(pat, text, kw)
    if windows is not None:
        extra = index._reach[handle] + 1
        if led is not None:
            return taken(budget, rule_id, _in_windows_led(pat.pat, led.pat, text, windows, extra))
        at = index._at[handle]
        if at is not None and (not kw or kw == _NOT_OVERLAPPED):
            return taken(budget, rule_id, _in_windows_at(pat.pat, text, windows, extra,
                                                         index.starts(text, handle, present), at))
        near = index._near[handle]
        if near is not None and (not kw or kw == _NOT_OVERLAPPED):
            return taken(budget, rule_id, _in_windows_near(pat.pat, text, windows, extra,
                                                           index.starts(text, handle, present), near))
        return _pulled_windows(budget, rule_id, pat.pat, text, windows, extra, kw)
    # Scanned whole.
    if led is not None:
        return taken(budget, rule_id, _finditer_line_led(pat.pat, led.pat, text))
    near = index._near[handle] if handle is not None else None
    if near is not None and (not kw or kw == _NOT_OVERLAPPED):
        # Windows too dense, or matches that may run over lines: the whole text is
        # one window, still searched only around the anchors (unless they are
        # nearly everywhere: their starts were not kept).
        hits = index.present(text) if present is None else present
        if hits.get(handle) is not multiscan.WHOLE:
            size = len(text)
            return taken(budget, rule_id, _in_windows_near(pat.pat, text, ((0, size, size),), 0,
                                                           index.starts(text, handle, hits), near))
    first = _FIRST_OF.get(pat, _UNSEEN)
    if first is _UNSEEN:
        first = _first_chars(pat)
    if first is not None and len(text) >= _FIRST_LEAST and (not kw or kw == _NOT_OVERLAPPED):
        starts = _char_starts(text, first, min(len(text) >> _FIRST_DENSITY, _FIRST_MOST))
        if starts is not None:
            return taken(budget, rule_id, _at_starts(pat.pat, text, starts))
    # What pat.finditer gives under a sampled budget (Budgeted._finditer_sampled).
    return taken(budget, rule_id, pat.pat.finditer(text, **kw) if kw else pat.pat.finditer(text, *_HELD_SCAN))


def scanned_plainly(index, pat, handle) -> bool:
    """Whether ``anchored_taken`` scans the Budgeted ``pat`` (``handle`` the handle of
    its anchors in ``index``, or None) by a plain ``finditer``: of its windows (no
    form led by the line break, ``_line_led``; no single positions or points near
    its anchors, ``at`` and ``near``), or, scanned whole, of the whole text (no
    first characters either, ``_first_chars``). Such a scan is ``plain_taken``'s.
    Fixed for a pattern and its handle: a caller keeps the answer. A windowed
    pattern's first characters are not asked for (analysed, they cost a parse)."""
    led = _LED_OF.get(pat, _UNSEEN)
    if led is _UNSEEN:
        led = _line_led(pat)
    if led is not None:
        return False
    if handle is not None:
        return index._at[handle] is None and index._near[handle] is None
    first = _FIRST_OF.get(pat, _UNSEEN)
    if first is _UNSEEN:
        first = _first_chars(pat)
    return first is None


def plain_taken(budget, index, pat, bare, rule_id: str, handle, text: str, present):
    """``anchored_taken(budget, index, pat, handle, text, present)`` of a pattern
    ``scanned_plainly`` (``bare`` its compiled ``regex`` pattern, ``rule_id`` its
    rule's id) without the look-ups that tell its way: the same matches, as
    ``taken`` gives them. A windowed pattern whose windows are too dense goes to
    anchored_taken (its whole-text ways). The realworld pages (~700 characters)
    have a dozen such scans each, most finding nothing; a whole text's scan cost
    10,700 instructions through anchored_taken, 8,600 so (callgrind, 20,000 calls)."""
    if handle is None:
        return taken(budget, rule_id, bare.finditer(text, *_HELD_SCAN))
    if rule_id in budget.stopped:
        return ()
    windows = index.windows(text, handle, present)
    if windows is None:
        return anchored_taken(budget, index, pat, handle, text, present)
    if not windows:
        return ()
    return _pulled_windows(budget, rule_id, bare, text, windows, index._reach[handle] + 1, _NO_KW)


def short_lines(text: str) -> bool:
    """Whether ``text``'s lines are a few characters long (8 on average or fewer),
    where a scan led by the line break pays an attempt a line break and a plain scan
    is faster (1 MB of blank lines: 0.05 against 0.015 s). Kept for the last text
    asked about: PatternKind asks of every led pattern and ``^``-led prefilter of a
    document, and counting the line breaks of a corpus document (7,139 characters)
    took 6 us. The text is held until another is asked about, as the anchor
    index's cache of the last documents' texts holds it (by its id alone, a text
    freed and another at its address would get its answer)."""
    seen = _SHORT_LINES
    if seen[0] is not text:
        seen[0], seen[1] = text, text.count("\n") * 8 >= len(text)
    return seen[1]


_SHORT_LINES = [None, False]  # short_lines' last text and its answer


def _led_here(pat, text: str, kw):
    """``pat`` led by ``\n`` (``_line_led``) when its scan of ``text`` tries line starts
    only: a pattern whose matches start at line starts tries only those, found by
    its led form in C, not ``^`` at every position: in its windows too (DJ404's
    numbered-item frame scanned 2.1 MB of windows of the corpus at 15 ns a
    character, 0.019 -> 0.004 s; DJ331 alike) and where its windows are too dense.
    None where lines are a few characters long (1 MB of blank lines: the led form
    pays a match attempt per line break)."""
    led = _LED_OF.get(pat, _UNSEEN)
    if led is _UNSEEN:
        led = _line_led(pat)
    if led is None or (kw and kw != _NOT_OVERLAPPED):
        return None
    return None if short_lines(text) else led


# -- patterns led by a class of a few characters --------------------------------------
# ``regex`` looks for a class (``[（(]``, ``[\[【]``) at 2.5-3 ns a character, where
# str.find looks for one character at 0.3: a pattern scanned whole whose matches all
# start with one of a few characters (regex_anchors.first_chars) is tried only where
# they stand, by ``match``, unless they stand more often than one in
# 2**_FIRST_DENSITY characters (a call a position costs about 0.4 us). The three
# shipped ones (DJ314, DJ212's bracketed X, DJ333's bracketed site name) on the
# 1000 corpus files alone: 0.0166 -> 0.0050, 0.0169 -> 0.0066, 0.0155 -> 0.0044 s.
# Not in a text under _FIRST_LEAST characters, where the calls cost what the scan
# does (the realworld pages of ~700). (A pattern led by one literal is left to
# regex, whose literal search is fast: DJ907's ``0``, 0.0034 -> 0.0125 s so.)
_FIRST_OF: dict = {}
_FIRST_DENSITY = 7
_FIRST_LEAST = 2000
# ... and never more than this many positions held at once (a list of ints, 36
# bytes each: a 20 MB file must stay under 250 MB).
_FIRST_MOST = 1 << 16


def _first_chars(pat) -> Optional[str]:
    """regex_anchors.first_chars of a Budgeted pattern (None for flags the analysis
    does not model, or a case-insensitive one), kept per pattern."""
    first = None
    if not pat.flags & (_UNMODELLED_FLAGS | IntFlags.IGNORECASE):
        first = regex_anchors.cached_first_chars(pat.pattern)
    if len(_FIRST_OF) >= 4096:  # a process that compiles rules again and again
        _FIRST_OF.clear()
    _FIRST_OF[pat] = first
    return first


def _char_starts(text: str, chars: str, most: int):
    """Where ``chars`` stand in ``text``, in order; None past ``most`` of them."""
    out = []
    find = text.find
    for char in chars:
        i = find(char)
        while i >= 0:
            out.append(i)
            if len(out) > most:
                return None
            i = find(char, i + 1)
    if len(chars) > 1:
        out.sort()
    return out


def _at_starts(pat, text: str, starts):
    """``pat.finditer(text)`` of a bare pattern whose every match starts with a
    character at one of ``starts`` (all such positions, in order): finditer takes
    the first position from the end of its last match where the pattern matches,
    and no other position can start one; ``match`` sees the text before the
    position, as the scan does. Its matches are never empty (the class consumes)."""
    match = pat.match
    pos = 0
    for p in starts:
        if p >= pos:
            m = match(text, p, None, False)
            if m is not None:
                yield m
                pos = m.end()


def _pulled_windows(budget, rule_id: str, pat, text: str, windows, extra: int, kw):
    """``taken(budget, rule_id, _in_windows(pat, text, windows, extra, kw))``
    without the generator, its islice and two calls while the matches are fewer
    than a chunk (most scans find none): the same matches, taken under one
    activation of the rule up to the same chunk of _CHUNK (a list), after which
    the rest comes from a generator in chunks as ``taken`` gives them."""
    size = len(text)
    out = []
    previous = budget.active
    try:
        budget.active = rule_id
        for k, (ws, we, stop) in enumerate(windows):
            # Without keywords by a plain call: ``**kw`` of an empty dict still takes
            # the slower call path (0.46 us a window).
            it = pat.finditer(text, ws, min(size, stop + extra), **kw) if kw else \
                pat.finditer(text, ws, min(size, stop + extra), False, False)
            for m in it:
                if m.start() > we:
                    break
                out.append(m)
                if len(out) == _CHUNK:
                    rest = _windows_rest(it, we, pat, text, windows, k + 1, extra, kw)
                    return chain(out, _pulled_rest(budget, rule_id, rest))
    except TimeoutError:
        budget.stopped.add(rule_id)
        return ()
    finally:
        budget.active = previous
    return out


def lines_taken(budget, pat, text: str, lines):
    """The matches of the Budgeted ``pat`` in ``text`` when every one of them, and
    all its lookarounds read, stay on one of ``lines`` ((start, end, end) of a line,
    ``end`` its line break or the text's end, in order; PatternKind's
    ``line_prefilter``): each line is scanned up to and with its line break, so a
    lookahead at the line's end reads the break as the whole text's scan does, and
    a lookbehind reads the text before the line (regex's ``pos`` hides nothing).
    The matches come in the whole scan's order: a REVERSE pattern's from the last
    line back. Under a sampled ``budget``, as ``taken`` gives them; else an iterator
    charged by the Budgeted pattern itself (an exact budget, or none)."""
    reverse = pat.flags & IntFlags.REVERSE
    if budget is not None and budget.sampled:
        if pat.rule_id in budget.stopped:
            return ()
        if reverse:
            return taken(budget, pat.rule_id, _in_windows_reverse(pat.pat, text, lines))
        return _pulled_windows(budget, pat.rule_id, pat.pat, text, lines, 1, _NO_KW)
    if reverse:
        return _in_windows_reverse(pat, text, lines)
    return _in_windows(pat, text, lines, 1, _NO_KW)


def _in_windows_reverse(pat, text: str, windows):
    """``_in_windows`` (``extra`` 1) of a REVERSE pattern, whose scan runs from the
    end: the windows from the last, each scanned backwards."""
    size = len(text)
    for ws, we, stop in reversed(windows):
        for m in pat.finditer(text, ws, min(size, stop + 1), False, False):
            if m.start() <= we:
                yield m


def _windows_rest(it, we: int, pat, text: str, windows, k: int, extra: int, kw):
    """The matches of ``_in_windows`` after ``_pulled_windows``'s first chunk: the
    rest of ``it`` (the window ending at ``we``), then the windows from ``k``."""
    for m in it:
        if m.start() > we:
            break
        yield m
    yield from _in_windows(pat, text, windows[k:], extra, kw)


def _in_windows(pat, text: str, windows, extra: int, kw):
    """The matches of a bare pattern in ``windows`` (finditer_anchored)."""
    size = len(text)
    for ws, we, stop in windows:
        for m in pat.finditer(text, ws, min(size, stop + extra), **kw):
            if m.start() > we:
                break
            yield m


def _in_windows_at(pat, text: str, windows, extra: int, starts, at):
    """``_in_windows`` of a bare pattern whose every match is not empty and holds an
    anchor that starts from lo to hi characters after it (``at``): only the
    positions hi to lo before the anchors (``starts``, in order) are tried, each by
    ``match``, in order. ``finditer`` takes the first position from the end of its
    last match where the pattern matches, and a one-line pattern matches at no
    position but those of the anchors on its line (trying more would do no harm).
    Not for an empty match: ``finditer`` would not take a second one there."""
    lo, hi = at
    size, n, i = len(text), len(starts), 0
    match, width = pat.match, (hi - lo + 1) * _AT_COST
    for ws, we, stop in windows:
        end = min(size, stop + extra)
        while i < n and starts[i] - lo < ws:
            i += 1  # no position of theirs in the window (a window left out by ``also``)
        j = bisect.bisect_right(starts, we, i)
        if (j - i) * width > we - ws:
            # Anchors too dense for a call at each of their positions: the window's scan.
            i = j
            for m in pat.finditer(text, ws, end, False, False):
                if m.start() > we:
                    break
                yield m
            continue
        pos = ws  # where the next match may start
        while i < j:
            a = starts[i]
            i += 1
            q, last = max(pos, a - hi), min(we, a - lo)
            while q <= last:
                m = match(text, q, end, False)
                if m is None:
                    q += 1
                else:
                    yield m
                    q = m.end()
            if q > pos:
                pos = q


def _in_windows_near(pat, text: str, windows, extra: int, starts, near):
    """``_in_windows`` of a bare pattern whose every match is not empty, holds an
    anchor that starts from lo to hi characters after it, and starts with one of the
    literals ``lead`` finds (``near``: (lo, hi, lead, longest), AnchorIndex.register;
    ``lead`` a stdlib search, the literals at most ``longest`` characters long): in
    a window, only the points of the stretches [a - hi, a - lo] around its anchors
    at ``a`` (``starts``, in order; joined where they meet) where one of the
    literals starts are tried, in order from where the last match ended, each by
    ``match`` up to the window's end, as the window's scan tries it; no match starts
    elsewhere. A long paragraph with a few anchors is not scanned whole by a pattern
    that ``regex`` cannot skip through fast (the obsolete kind's campaign patterns
    scan 16-210 ns a character, and the corpus' windows are paragraphs of
    1,000-2,000 characters); ``re`` finds the literals at a few ns a character."""
    lo, hi, lead, longest = near
    match = pat.match
    size, n, i = len(text), len(starts), 0
    for ws, we, stop in windows:
        end = min(size, stop + extra)
        while i < n and starts[i] < ws + lo:
            i += 1  # serves no match starting in the window
        top = we + hi  # nor does an anchor past this
        pos, j = ws, i  # where the next match may start; the next anchor
        while j < n and starts[j] <= top:
            first, last = starts[j] - hi, starts[j] - lo
            j += 1
            while j < n and starts[j] <= top and starts[j] - hi <= last + 1:
                last = starts[j] - lo
                j += 1
            q, last = max(first, pos), min(last, we)
            limit = min(size, last + longest)  # a literal that starts by ``last`` ends by this
            while q <= last:
                found = lead(text, q, limit)
                if found is None:
                    break
                q = found.start()
                if q > last:
                    break
                m = match(text, q, end, False)
                if m is None:
                    q += 1
                else:
                    yield m
                    pos = q = m.end()


def _in_windows_led(pat, led, text: str, windows, extra: int):
    """``_in_windows`` of a bare pattern whose every match starts at a line start,
    ``led`` its form led by the line break (``_finditer_line_led`` in each window:
    windows start at line starts)."""
    size = len(text)
    for ws, we, stop in windows:
        end = min(size, stop + extra)
        for m in _finditer_line_led(pat, led, text, ws, end):
            if m.start() > we:
                break
            yield m


# ``overlapped=False`` is finditer's default: a scan given it is a plain scan.
_NOT_OVERLAPPED = {"overlapped": False}


def _finditer_anchored(ctx, pat, handle, text: str, timeout: float, present, kw):
    """finditer_anchored without a sampled budget (no budget, or an exact one)."""
    if isinstance(pat, Budgeted):
        timeout = None  # its rule's regex budget governs (a spent budget ends the scan)
    index = anchor_index(ctx)
    windows = index.windows(text, handle, present) if handle is not None else None
    if windows is None:
        # The led form pays a match attempt per line break: not worth it where
        # lines are a few characters long (1 MB of blank lines: 0.05 against 0.015 s).
        led = _line_led(pat) if handle is None and isinstance(pat, Budgeted) and not kw else None
        if led is not None and text.count("\n") * 8 >= len(text):
            led = None
        if led is not None:
            yield from _finditer_line_led(pat, led, text)
        else:
            yield from pat.finditer(text, timeout=timeout, **kw)
        return
    deadline = None if timeout is None else time.monotonic() + timeout
    size, extra = len(text), index.reach(handle) + 1
    for ws, we, stop in windows:
        left = None
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("regex timed out")
        for m in pat.finditer(text, ws, min(size, stop + extra), timeout=left, **kw):
            if m.start() > we:
                break
            yield m


_UNSEEN = object()
_MINE = object()


# -- patterns anchored at line starts ------------------------------------------------
# ``(?m)^X`` without a literal anchor is scanned whole, and ``regex`` tries ``^`` at
# every position (DJ813, a word laid out one character a line, was a fifth of the
# pattern kind's time on the corpus). The same pattern led by the line break,
# ``\n^X``, is found by a literal search in C, 16 times faster: it finds where the
# next match starts, and the pattern itself matches there.
_LED: dict = {}
# The same answer by the Budgeted object itself (identity, no tuple to build or
# hash, no attribute read through Budgeted.__getattr__): asked for every pattern
# scanned whole on every document, 2 microseconds each time by the key above.
_LED_OF: dict = {}
_LEADING_FLAGS = pattern_cache.compile_re(r"(?:\(\?[a-zA-Z]+\))*")


def newline_led(source: str, newline: str = "\n") -> Optional[str]:
    """``source`` with the ``^`` that leads it (after any inline flags) replaced by
    ``newline``: a MULTILINE pattern found from a search for a line break, where a
    search for ``^`` tries every position; None when ``^`` does not lead it. Used
    for ``regex`` rules (``_line_led``: the character itself, as the tests check)
    and ``re`` prefilters (pattern.py: the escape ``\\n``, which also holds under (?x))."""
    flags = _LEADING_FLAGS.match(source).end()
    if not source.startswith("^", flags):
        return None
    return source[:flags] + newline + source[flags + 1:]


def _line_led(pat) -> Optional["Budgeted"]:
    """``pat`` led by ``\n`` (charged to the same rule), when every match of ``pat``
    starts at a line start: ``^`` first, outside any alternation, in MULTILINE
    mode, where only ``\n`` ends a line (no (?w)), with the default matching
    rules (no V1, REVERSE or fuzzy modes). None otherwise."""
    led = _LED_OF.get(pat, _UNSEEN)
    if led is not _UNSEEN:
        return led
    key = (pat.pattern, pat.flags, pat.rule_id)
    if key in _LED:
        if len(_LED_OF) >= 4096:  # a process that compiles rules again and again
            _LED_OF.clear()
        led = _LED_OF[pat] = _LED[key]
        return led
    led = None
    source = pat.pattern
    led_source = newline_led(source)
    if (pat.flags & IntFlags.MULTILINE and not pat.flags & (_UNMODELLED_FLAGS | IntFlags.WORD)
            and led_source is not None and regex_anchors.cached_anchored_at_start(source)):
        try:
            led = Budgeted(pattern_cache.compile(led_source, pat.flags), pat.rule_id)
        except regex.error:  # pragma: no cover - the pattern compiled as it was
            led = None
    if len(_LED_OF) >= 4096:  # a process that compiles rules again and again
        _LED_OF.clear()
    _LED[key] = _LED_OF[pat] = led
    return led


def _finditer_line_led(pat, led, text: str, pos: int = 0, size: Optional[int] = None):
    """``pat.finditer(text, pos, size)`` (a pattern whose every match starts at a
    line start), each next match start found by ``led``: ``finditer`` resumes at
    the end of a match and takes the first line start from there where the pattern
    matches; ``led.search`` from that end finds the first line break followed by
    such a line start. An empty match leaves the rest to ``finditer`` itself."""
    if size is None:
        size = len(text)
    while pos <= size:
        m = pat.match(text, pos, size, False) if pos == 0 or text[pos - 1] == "\n" else None
        if m is None:
            found = led.search(text, pos, size, False)
            if found is None:
                return
            m = pat.match(text, found.start() + 1, size, False)
            if m is None:  # pragma: no cover - the same pattern at the same line start
                yield from pat.finditer(text, pos, size)
                return
        if m.end() == m.start():
            rest = pat.finditer(text, m.start(), size)
            yield from rest
            return
        yield m
        pos = m.end()


class Deferring:
    """Mixin for kinds whose rules may carry ``defer_to: [category, ...]``.

    A finding of such a rule yields to the findings of the listed categories
    (or rules, by id) when it describes the same debris: one of them overlaps or touches it, or
    one of them covers at least half of a line it touches (a furniture line, a
    jammer line, a photo caption). A space after the colon of ``来源: 新华社``
    or a "broken line" after a site-name line is no second defect: the reader
    deletes the whole line. Runs as ``absorb``, after every kind has checked.
    """
    DEFER_FIELDS = {"defer_to": list, "defer_except": list}

    @staticmethod
    def validate_defer(rule, field: str = "defer_to") -> None:
        for what in rule.options.get(field, []):
            if not isinstance(what, str) or not what:
                raise RuleError(f"field '{field}' should list categories or rule ids")
        for what in rule.options.get("defer_except", []):
            if not isinstance(what, str) or not what:
                raise RuleError("field 'defer_except' should list rule ids")

    def _deferral(self):
        """(rule id -> what it defers to, everything deferred to, defer_except ids):
        the same for every document, worked out once."""
        found = self.__dict__.get("_deferral_plan")
        if found is None:
            deferring = {r.id: frozenset(r.options["defer_to"]) for r in self.rules if r.options.get("defer_to")}
            wanted = frozenset().union(*deferring.values())
            kept = frozenset().union(*(r.options.get("defer_except", ()) for r in self.rules))
            found = self.__dict__["_deferral_plan"] = (deferring, wanted, kept)
        return found

    def absorbing(self):
        """The rule ids whose hits give ``absorb`` something to do: the engine skips
        it on a document without any."""
        return self._deferral()[0].keys()

    @staticmethod
    def _defer_label(rule, deferring, wanted, kept):
        """What a finding of ``rule`` is to the deferring rules: ``_MINE`` (one of
        theirs), its category or its id (when asked for by id) if it can make one
        yield, or None."""
        from . import KINDS
        if rule.id in deferring:
            return _MINE
        if not (rule.category in wanted or rule.id in wanted) or rule.id in kept:
            return None
        if getattr(KINDS.get(rule.kind), "DOCUMENT_LEVEL", False):
            return None
        return rule.category if rule.category in wanted else rule.id

    def absorb(self, doc, hits):
        deferring, wanted, kept = self._deferral()
        if not deferring:
            return hits
        # A deferring rule's own findings never make another one yield (no chains);
        # a document-level finding (a whole text in traditional script) only points
        # at the title line and says nothing about that line's debris.
        # (defer_except: rules whose finding a deferring finding is about on purpose)
        # One pass over the hits sorts them, with one lookup per hit.
        labels = self.__dict__.setdefault("_defer_labels", {})  # rule id -> _MINE, label or None
        mine, others = [], []
        for h in hits:
            rule = h.rule
            label = labels.get(rule.id, _UNSEEN)
            if label is _UNSEEN:
                label = labels[rule.id] = self._defer_label(rule, deferring, wanted, kept)
            if label is None:
                continue
            if label is _MINE:
                mine.append(h)
            else:
                others.append((h.start, h.end, label))
        if not mine or not others:
            return hits
        text, starts = doc.text, doc.line_starts
        seen_lines: dict = {}

        def visible(idx):
            """(start, end) of line idx without its indentation and trailing blanks
            (once per line: a 5 MB line with thousands of findings was copied and
            stripped for each of them, 12 s)."""
            found = seen_lines.get(idx)
            if found is not None:
                return found
            s = starts[idx]
            e = starts[idx + 1] - 1 if idx + 1 < len(starts) else len(text)
            line = text[s:e]
            body = line.strip(" \t\u3000\r")
            if not body:
                found = (s, s)
            else:
                s += len(line) - len(line.lstrip(" \t\u3000\r"))
                found = (s, s + len(body))
            seen_lines[idx] = found
            return found

        # The lines a deferring finding is judged on: its first and its last.
        mine_lines = {}
        for h in mine:
            mine_lines[id(h)] = {bisect.bisect_right(starts, h.start) - 1,
                                 bisect.bisect_right(starts, max(h.start, h.end - 1)) - 1}
        judged = set().union(*mine_lines.values())
        # Only a finding that meets (touches or overlaps) a deferring finding or the
        # visible text of a judged line can make one yield (the tests below ask
        # nothing else of it): the others, most of a document's, are dropped by one
        # bisect into those spans, merged, before the work below (two line lookups
        # and a set step each). On the benchmark corpus the two deferring kinds with
        # work judge 3,041 findings against 21,708 others; their absorb calls
        # replayed: 47-48 -> 36 ms.
        targets = sorted([visible(idx) for idx in judged] + [(h.start, h.end) for h in mine])
        lows, highs = [], []
        for a, b in targets:
            if highs and a <= highs[-1]:
                if b > highs[-1]:
                    highs[-1] = b
            else:
                lows.append(a)
                highs.append(b)
        near = []
        for other in others:
            i = bisect.bisect_right(lows, other[1])
            if i and highs[i - 1] >= other[0]:
                near.append(other)
        if not near:
            return hits
        others = near
        others.sort()
        # Per (category, judged line): characters of the line's visible text those findings cover.
        covered: dict = {}
        by_cat: dict = {}
        for g_start, g_end, cat in others:
            by_cat.setdefault(cat, []).append((g_start, g_end))
            first = bisect.bisect_right(starts, g_start) - 1
            last = bisect.bisect_right(starts, max(g_start, g_end - 1)) - 1 if g_end - g_start > 1 else first
            for idx in (judged.intersection(range(first, last + 1)) if last > first else
                        ((first,) if first in judged else ())):
                vs, ve = visible(idx)
                n = min(ve, g_end) - max(vs, g_start)
                if n > 0:
                    covered[cat, idx] = covered.get((cat, idx), 0) + n
        # Per category: starts, and the furthest end reached by any finding up to each.
        reach = {}
        for cat, spans in by_cat.items():
            ends, top = [], -1
            for _, e in spans:
                if e > top:
                    top = e
                ends.append(top)
            reach[cat] = ([s for s, _ in spans], ends)
        # The width of each judged line's visible text, once per line (not per
        # finding judged on it); with nothing covered no line is half covered.
        widths = {}
        for idx in judged:
            vs, ve = visible(idx)
            widths[idx] = max(1, ve - vs)
        drop = set()
        for h in mine:
            cats = deferring[h.rule.id]
            lines = mine_lines[id(h)]
            if covered and any(covered.get((cat, idx), 0) * 2 >= widths[idx] for idx in lines for cat in cats):
                drop.add(id(h))
                continue
            for cat in cats & reach.keys():
                c_starts, c_reach = reach[cat]
                i = bisect.bisect_left(c_starts, h.end + 1)  # findings starting at or before end
                if i and c_reach[i - 1] >= h.start:          # ... and ending at or after start
                    drop.add(id(h))
                    break
        return [h for h in hits if id(h) not in drop] if drop else hits
