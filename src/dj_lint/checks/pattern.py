"""kind: pattern — one or more regular expressions, with optional vetoes.

If a pattern has a group named ``hit``, only that group is reported (a cheap
way to keep context out of the finding); otherwise the whole match is.
``suggestion`` may use backreferences (``\\1``, ``\\g<name>``).
``prefilter`` is a stdlib ``re`` pattern that finds something in every document
where one of the rule's patterns matches (``_prefilter``).
``requires_line: true`` says more of ``requires``: each match, and all its
lookarounds read, stay on one line holding one of them, so only those lines are
scanned (``_rule_lines``; a line's break is read with it, base.lines_taken).
"""
from __future__ import annotations

import functools
import re
from itertools import starmap
from operator import methodcaller
from typing import Optional

import regex

from ..model.findings import Flood, Hit
from ..model.fixes import expander
from ..model.rules import RuleError
from ..text import build_cache, pattern_cache, regex_anchors
from ..text.pattern_cache import IntFlags
from .base import (_HELD_SCAN, _UNMODELLED_FLAGS, Deferring, Kind, Veto, anchor_index, anchored_taken, as_list,
                   compile_all, current_budget, finditer_anchored, lines_taken, necessary_literals, newline_led,
                   plain_taken, register_anchors, scanned_plainly, short_lines, word_ok)
from .budget import taken

WORD_MODES = (None, "token", "boundary")
# A document shorter than this is scanned by a pattern holding its anchors in one
# window, from the first anchor's line to the last's (AnchorIndex._span), not in
# the windows of each anchor line: working out a pattern's windows (about 2 us)
# and a finditer a window cost more than the rest of a page of ~700 characters
# (the realworld benchmark's documents). Scanned whole at first (PatternKind.check,
# anchor pass precomputed, min of 3, alternating): realworld 8,056 files
# 1.018/0.955 s with windows, 0.919/0.925 at 1000 (0.919/0.912 at 800,
# 0.871/0.908 at 1500); the corpus (documents of 3,400-7,700 characters)
# 0.531/0.516 with windows, 0.533/0.519 at 1500 and 0.620/0.600 at 6000. One
# window at 8000 (callgrind, 200 corpus files): 1,043 -> 1,244 M instructions.
# ObsoleteKind keeps its windows at every length: its long alternations scan
# slowly (rw 0.49 -> 0.51-0.56 s scanned whole).
SMALL_WHOLE = 1000

# A scan with more hits than this yields them as one Flood (see check).
FLOOD = 1024


class PatternKind(Deferring, Kind):
    FLOODS = True
    FIELDS = {
        "pattern": (str, list),
        "unless": (str, list),
        "unless_line": (str, list),
        "suggestion": str,
        "ignorecase": bool,
        "whole_word": str,
        "requires": list,
        "prefilter": str,
        "requires_line": bool,
        # file suffixes where the shape is legitimate markup (an image line in .md)
        "unless_path": list,
        "defer_to": list,
    }
    REQUIRED = ("pattern",)

    @classmethod
    def validate(cls, rule):
        cls.validate_defer(rule)
        flags = regex.IGNORECASE if rule.options.get("ignorecase") else 0
        compile_all(rule.options["pattern"], "pattern", flags)
        Veto(rule, flags)
        if rule.options.get("whole_word") not in WORD_MODES:
            raise RuleError("field 'whole_word' should be 'token' or 'boundary'")
        for field in ("requires", "unless_path"):
            for item in rule.options.get(field, []):
                if not isinstance(item, str) or not item:
                    raise RuleError(f"field '{field}' should list non-empty strings")
        if "prefilter" in rule.options:
            try:
                re.compile(rule.options["prefilter"], re.MULTILINE)
            except re.error as exc:
                raise RuleError(f"field 'prefilter': re does not compile: {exc}") from None
        if rule.options.get("requires_line") and not rule.options.get("requires"):
            raise RuleError("field 'requires_line' needs 'requires'")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.compiled = []
        # Per rule: the handle of its ``requires`` in the run's automaton, or None
        # (``requires`` then tested by ``_any_of``, or none).
        self._needs: list = []
        # Per rule with ``requires_line``: (the handle of its ``requires`` as one-line
        # anchors of the run's automaton, or None; a search for them), else None.
        self._lines: list = []
        for rule in rules:
            flags = regex.IGNORECASE if rule.options.get("ignorecase") else 0
            patterns = compile_all(rule.options["pattern"], "pattern", flags, rule)
            # Each pattern with the handle of its literal anchors in the run's automaton,
            # the number of the group it reports (``hit``, else 0: the whole match; by
            # number, as ``regex`` takes about 1 us more to find a group by its name)
            # and, scanned whole, the test of its anchors too common for the automaton
            # (``_gate``).
            patterns = [(pat, handle, pat.groupindex.get("hit", 0),
                         (_gate(pat) or _members_gate(ctx, pat)) if handle is None else None)
                        for pat, handle in ((pat, register_anchors(ctx, pat, SMALL_WHOLE)) for pat in patterns)]
            # A case-insensitive pattern's literals are looked for without case too
            # (DJ311's ``(?i)`` web address with only ``.Com`` in the text was skipped).
            caseless = any(pat.flags & IntFlags.IGNORECASE for pat, _, _, _ in patterns)
            requires = as_list(rule.options.get("requires"))
            needs = None if caseless else _requires_handle(ctx, requires)
            # The document's tests before any pattern runs: ``requires`` (unless the
            # shared pass answers it) and ``prefilter``.
            test = _any_of(requires, caseless) if needs is None else None
            if "prefilter" in rule.options:
                gate = _prefilter(rule.options["prefilter"])
                test = gate if test is None else functools.partial(_both, test, gate)
            self.compiled.append((rule, patterns, Veto(rule, flags, timeout=self.ctx.regex_timeout), test))
            self._needs.append(needs)
            self._lines.append(_line_test(ctx, requires, caseless) if rule.options.get("requires_line") else None)
        # Which rules a document can concern: those with a pattern scanned whole,
        # and, through the handles of their anchors, those whose anchors it holds.
        # A rule with none of its anchors in the text does nothing in check (each of
        # its patterns is skipped, its ``requires`` not even looked for), so the
        # others are visited, in the rules' order, without walking all of them.
        self._always = sorted(i for i, (_, patterns, _, _) in enumerate(self.compiled)
                              if any(handle is None for _, handle, _, _ in patterns))
        self._by_handle: dict = {}
        for i, (_, patterns, _, _) in enumerate(self.compiled):
            for _, handle, _, _ in patterns:
                if handle is not None:
                    self._by_handle.setdefault(handle, set()).add(i)
        self._options = [(tuple(s.lower() for s in r.options.get("unless_path") or ()), r.options.get("suggestion"),
                          r.options.get("whole_word"), veto if veto else None, needs, lines)
                         for (r, _, veto, _), needs, lines in zip(self.compiled, self._needs, self._lines)]
        # Per rule, all check reads of it in one tuple: (rule, its patterns, its test)
        # and its options as above; one look-up a rule a document.
        self._plans = [(rule, patterns, test) + opts
                       for (rule, patterns, _, test), opts in zip(self.compiled, self._options)]
        # The same with only the patterns scanned whole, read when the text holds no
        # anchor of the kind (_concerned gives _always itself): the others are absent.
        self._whole_plans = [(plan[0], [p for p in plan[1] if p[1] is None]) + plan[2:] for plan in self._plans]
        # Per pattern: (its compiled ``regex`` pattern, its rule's id) when it is
        # ``scanned_plainly``, else False; worked out on its first scan (the led
        # forms and first characters are analysed on first use).
        self._plain: dict = {}
        # Per (pattern, ``suggestion``): the filler (model/fixes.py ``expander``),
        # made once in the run, not at the first match of every document.
        self._fills: dict = {}

    def _concerned(self, present) -> list:
        """Indices of the rules with a pattern scanned whole or an anchor ``present``, in
        order: the first only (a list never changed) when the text holds no anchor of
        the others, as a short page often does (no set made and sorted)."""
        found = None
        by_handle = self._by_handle
        for handle in present:
            rules = by_handle.get(handle)
            if rules:
                if found is None:
                    found = set(self._always)
                found.update(rules)
        return self._always if found is None else sorted(found)

    def check(self, doc):
        text = doc.text
        path = doc.path.lower()
        index = anchor_index(self.ctx)
        present = index.present(text)
        concerned = self._concerned(present)
        plans = self._whole_plans if concerned is self._always else self._plans
        # Under the sampler, each pattern by anchored_taken, without finditer_anchored's
        # look-ups of the budget and the anchor index, and a scan that found nothing
        # (most) is not walked: on 2,000 realworld pages the Python around 27,000
        # scans cost most of what their regex calls did (0.078 against 0.098 s). A
        # pattern scanned by a plain finditer of its windows or of the whole text
        # (most of them) skips even anchored_taken's look-ups (``plain_taken``).
        budget = current_budget()
        sampled = budget is not None and budget.sampled
        plains = self._plain
        for i in concerned:
            rule, patterns, requires, unless_path, template, mode, veto, needs, line_test = plans[i]
            if unless_path and path.endswith(unless_path):
                continue
            if needs is not None and needs not in present:
                continue  # none of its ``requires`` in the text: none of its patterns is scanned
            required = lines = None
            for pat, handle, hit, gate in patterns:
                if handle is not None and handle not in present:
                    continue  # none of its anchors in the text (most patterns, most files)
                if gate is not None and not gate(text):
                    continue  # scanned whole, but none of its common anchors in the text
                # Cheap prefilters: skip the regex when none of the rule's ``requires``
                # occur or its ``prefilter`` finds nothing; tested only once a pattern
                # could match (those the shared pass answers, ``needs``, are known already).
                if required is None:
                    required = requires is None or requires(text)
                if not required:
                    break
                if line_test is not None:
                    # Only the lines holding one of the rule's ``requires``.
                    if lines is None:
                        lines = _rule_lines(index, text, present, line_test)
                    if not lines:
                        break
                    matches = lines_taken(budget, pat, text, lines)
                    if not matches:
                        continue
                elif sampled:
                    plain = plains.get(pat)
                    if plain is None:
                        plain = plains[pat] = (pat.pat, pat.rule_id) if scanned_plainly(index, pat, handle) else False
                    if plain and handle is None:
                        # What plain_taken gives of a pattern scanned whole, without its call.
                        matches = taken(budget, plain[1], plain[0].finditer(text, *_HELD_SCAN))
                    elif plain:
                        matches = plain_taken(budget, index, pat, plain[0], plain[1], handle, text, present)
                    else:
                        matches = anchored_taken(budget, index, pat, handle, text, present)
                    if not matches:
                        continue
                else:
                    matches = finditer_anchored(self.ctx, pat, handle, text, self.ctx.regex_timeout, present)
                if template is None:
                    fill = None
                else:
                    fill = self._fills.get((pat, template))
                    if fill is None:
                        fill = self._fills[pat, template] = expander(template, pat.groupindex)
                try:
                    found = self._scan(doc, matches, veto, fill, mode, hit, rule)
                except TimeoutError:
                    # A runaway pattern (a user's (a+)+$) must not hang the run.
                    self.ctx.warn(f"{rule.origin}: {rule.id}: 正则匹配超过 {self.ctx.regex_timeout:g} 秒，"
                                  f"已停止该规则对 {doc.path} 的检查")
                    continue
                # Hits made one at a time: a flood (250,000 blanks) would hold as many
                # objects at once for the garbage collector to walk, most of them
                # dropped by --max-per-rule (the patho files: 240 MB RSS against 202).
                # Each by Hit itself, from its arguments' tuple in C (starmap): no
                # Python loop here and no Hit.of call a hit (the corpus gives 104,000,
                # DJ110's U+FFFD runs 85,000). A scan of more than FLOOD hits (a
                # page of blanks, 250,000 on a patho file) is one Flood: the engine
                # makes only those --max-per-rule may report (stars_underscores_2mb,
                # callgrind 8,006 -> 6,038 M instructions; c100, r100 the same).
                if len(found) > FLOOD:
                    yield Flood.of(found)
                else:
                    yield from starmap(Hit, found)

    @staticmethod
    def _scan(doc, matches, veto, fill, mode, hit, rule) -> list:
        """Hit's arguments (start, end, ``rule``, suggestion) of one pattern's hits from
        its ``matches``, all found before any is returned (a timeout midway returns
        nothing half-done). A list, not a generator: about 50 scans a document, most
        finding nothing. A match without a word test or a suggestion (DJ110's flood
        of U+FFFD runs) is taken by one comprehension, and then by ``veto.kept``."""
        if not mode and fill is None:
            # An empty span: an empty match, or a ``hit`` group left out (-1, -1).
            found = [(start, end, rule, None) for start, end in map(methodcaller("span", hit), matches)
                     if start != end]
            return found if veto is None or not found else veto.kept(doc, found)
        vetoes = None if veto is None else veto.vetoes
        found = []
        for m in matches:
            start, end = m.span(hit)
            if start < 0 or start == end:
                continue
            if vetoes is not None and vetoes(doc, start, end):
                continue
            if mode and not word_ok(doc, start, end, mode):
                continue
            found.append((start, end, rule, None if fill is None else fill(m)))
        return found


def _requires_handle(ctx, literals) -> Optional[int]:
    """A handle of the run's automaton for ``requires`` (``literals``): the text holds
    one of them exactly when the handle is in the anchor index's ``present``, found
    by the pass every document has, not by a scan of the text a rule (the corpus:
    14,000 such scans, 0.04 s). None when the automaton cannot answer as ``in``
    does: a literal with U+FFFD, which it may read where the text has a lone
    surrogate (UnitAutomaton's last resort), or a surrogate; or one character long,
    which can stand everywhere (``x``) and would be listed at every occurrence;
    or anchors the automaton refuses (``register``). PatternKind on the corpus,
    the anchor pass included, min of 5, alternating: 0.768-0.803 -> 0.737-0.741 s;
    realworld 0.960-0.966 -> 0.934-0.946 s (the pass lists 4% more matches)."""
    if not literals or any(len(lit) < 2 or _UNFIT_LITERAL.search(lit) for lit in literals):
        return None
    return anchor_index(ctx).register(literals, 0, one_line=False)


# What a ``requires`` literal the automaton takes must not hold (``_requires_handle``).
_UNFIT_LITERAL = pattern_cache.compile_re("[\ud800-\udfff\ufffd]")


def _prefilter(source: str):
    """A rule's ``prefilter``, a stdlib ``re`` pattern (MULTILINE), as a function of the
    text: whether it finds something. ``re`` tries a position at a fraction of what
    ``regex`` pays, so a test that a line could hold a match (DJ330's doubled phrase
    without its ``\\p{Han}`` and its skip of blank runs) costs less than the rule's
    own scan where, in most documents, nothing matches. One led by ``^`` is searched
    as ``\\n`` and the rest (``_led_prefilter``)."""
    whole = pattern_cache.compile_re(source, re.MULTILINE)
    led_source = newline_led(source, r"\n")
    if led_source is not None:
        try:
            led = pattern_cache.compile_re(led_source, re.MULTILINE)
        except re.error:  # pragma: no cover - ``^`` then what cannot follow a ``\n``
            return whole.search
        return functools.partial(_led_prefilter, whole.match, led.search)
    return whole.search


def _led_prefilter(match, led, text: str) -> bool:
    """Whether a ``^``-led prefilter finds something in ``text``: at its start
    (``match``, the pattern itself) or after one of its line breaks (``led``, the
    pattern with ``\\n`` for its ``^``, found from a search for the line break in C,
    where ``^`` is tried at every position: on 2,000 realworld pages 0.0063 against
    0.0109 s). A text of lines a few characters long is taken as it comes (True,
    the rule's scan decides): the led search pays an attempt a line break there
    (1 MB of blank lines: 0.04 s, where DJ330's own scan skips such runs at once)."""
    if short_lines(text):
        return True
    return match(text) is not None or led(text) is not None


def _line_test(ctx, literals, caseless: bool):
    """A ``requires_line`` rule's (handle, search): the handle of its ``requires``
    (``literals``) as one-line anchors of the run's automaton (None when caseless,
    or when the automaton cannot take them as ``_requires_handle`` tells), and the
    ``re`` search for any of them (in any case when ``caseless``), for a text whose
    anchors' starts the shared pass did not keep, or without a handle."""
    handle = None
    if not caseless and _requires_handle(ctx, literals) is not None:
        handle = anchor_index(ctx).register(literals, 0, one_line=True)
    source = "|".join(map(re.escape, literals))
    return handle, pattern_cache.compile_re(source, re.IGNORECASE if caseless else 0).search


def _rule_lines(index, text: str, present, line_test) -> list:
    """The windows (base.lines_taken) of the lines holding one of a ``requires_line``
    rule's ``requires``: its one-line anchors' windows from the shared pass, or
    found by its search. DJ311's caseless web address (scanned whole in reverse) and
    DJ804's quotes (scanned whole: its optional lead is tried at every position),
    PatternKind on 100 corpus files (callgrind): 34.4 -> 8.9 and 31.0 -> 5.1 M
    instructions."""
    handle, search = line_test
    if handle is not None:
        windows = index.windows(text, handle, present)
        if windows is not None:
            return windows
    return _lines(search, text)


def _lines(search, text: str) -> list:
    """(start, end, end) of each line where ``search`` finds something (it starts
    there), ``end`` the line's break or the text's end, in order."""
    out = []
    size, pos = len(text), 0
    while pos <= size:
        found = search(text, pos)
        if found is None:
            break
        at = found.start()
        end = text.find("\n", at)
        if end < 0:
            end = size
        out.append((text.rfind("\n", 0, at) + 1, end, end))
        pos = end + 1
    return out


def _both(first, second, text: str) -> bool:
    return first(text) and second(text)


def _gate(pat):
    """For a pattern scanned whole: whether a text holds one of its anchors that the
    automaton did not take, too common to narrow a scan to lines (``useful``), but
    absent from whole documents (DJ909's ``—``/``～`` from all 1000 corpus files,
    DJ901's ``约`` from half), as a function; None without such anchors."""
    literals = necessary_literals(pat)
    return _any_of(literals) if literals else None


# A class of more characters than this (below U+10000) is not given to the
# automaton by ``_members_gate``: each would be one more literal of its build.
_MEMBERS_MOST = 512
# What a member given to the automaton must not be: ASCII (listed at every
# occurrence in a page), a surrogate (read as another character, UnitAutomaton's
# ``_lone``), U+FFFF (stands for the characters beyond it, UnitAutomaton's ``_bmp``).
_UNFIT_MEMBER = pattern_cache.compile_re(r"[\x00-\x7f\ud800-\udfff\uffff]")
_SURROGATES = pattern_cache.compile_re(r"[\ud800-\udfff]")


def _members_gate(ctx, pat):
    """For a pattern scanned whole without literals (``_gate``): whether a text holds
    a character that the first character of each of its matches is one of
    (``_fit_members``), as a function, answered by the shared pass: the class's
    characters below U+10000 as literals of the run's automaton, those beyond and
    surrogates by ``register_astral``. None when that cannot be shown or the class is too large
    or common. DJ328's emoji run (``\\p{Extended_Pictographic}`` after any
    lookbehind, at every position) found nothing in the 100 first corpus files at
    3.4 ns a character, what a search of the bare class costs (``re``'s class of
    its members: 4.6); callgrind, warm cache, c100 3,295.7 -> 3,270.4 M instructions.
    DJ101's undecodable bytes (``[\\udc80-\\udcff]+``, 1.7 ns a character): 3,266.7 -> 3,258.6 M."""
    if pat.flags & (IntFlags.IGNORECASE | _UNMODELLED_FLAGS):
        return None
    found = build_cache.memo("members-gate", pat.pattern, lambda: _fit_members(pat.pattern))
    if found is None:
        return None
    bmp, beyond, lone = found
    index = anchor_index(ctx)
    handles = ((index.register(bmp, 0, one_line=False),) if bmp else ()) + \
        ((index.register_astral(),) if beyond else ()) + ((index.register_astral(lone=True),) if lone else ())
    if None in handles:
        return None
    # A partial, not a closure: --jobs under spawn pickles the kinds.
    # (The context, not its index: the one the kinds read, also after a pickle.)
    return functools.partial(_holds_member, ctx, handles)


def _fit_members(source: str):
    """(the characters below U+10000 but surrogates, whether there are characters
    beyond, whether there are surrogates) that the first character of every match
    of ``source`` is one of (regex_anchors.first_members: ``\\p{..}`` classes,
    narrow ranges), when the automaton may take the first (``_MEMBERS_MOST``,
    ``_UNFIT_MEMBER``, ``useful``); else None. Kept in the build cache: the
    members and their tests cost a run 1.5 M instructions."""
    one = regex_anchors.first_members(source)
    if one is None:
        return None
    chars = pattern_cache.members(one)
    surrogates = _SURROGATES.findall(chars)
    bmp = "".join(c for c in chars if c <= "\uffff" and not "\ud800" <= c <= "\udfff")
    if (not chars or len(bmp) > _MEMBERS_MOST or _UNFIT_MEMBER.search(bmp)
            or not regex_anchors.useful(bmp)):
        return None
    return tuple(bmp), len(bmp) + len(surrogates) < len(chars), bool(surrogates)


def _holds_member(ctx, handles, text: str) -> bool:
    present = anchor_index(ctx).present(text)
    for handle in handles:
        if handle in present:
            return True
    return False


def _any_of(literals, caseless: bool = False):
    """Whether a text holds any of ``literals`` (``requires``), as a function; None
    for none. One character is found fastest by ``in``; longer literals by one
    ``re`` alternation, which reads the text once where ``in`` reads it once a
    literal (the 41 rules' prefilters on 200 corpus files: 0.0176 s by ``in``
    alone, 0.0090 s so). ``caseless``: in any case, all by one alternation."""
    literals = tuple(literals)
    if not literals:
        return None
    if caseless:
        return pattern_cache.compile_re("|".join(map(re.escape, literals)), re.IGNORECASE).search
    chars = tuple(lit for lit in literals if len(lit) <= 1)
    longer = [lit for lit in literals if len(lit) > 1]
    search = pattern_cache.compile_re("|".join(map(re.escape, longer))).search if len(longer) > 1 else None
    one = longer[0] if len(longer) == 1 else None
    # A partial, not a closure: --jobs under spawn pickles the kinds.
    return functools.partial(_any_in, chars, one, search)


def _any_in(chars, one, search, text: str) -> bool:
    for char in chars:
        if char in text:
            return True
    if one is not None:
        return one in text
    return search is not None and search(text) is not None
