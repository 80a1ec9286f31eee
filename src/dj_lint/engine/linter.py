"""load document → run checks → findings. The engine never prints."""
from __future__ import annotations

import datetime as _dt
import gc
import heapq
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import attrgetter, itemgetter
from typing import Iterator, List, Optional, Sequence

from . import suppress
from ..text import multiscan, pattern_cache
from ..text.document import Document
from ..model.findings import Finding, Flood, Hit
from ..model.fixes import is_fixable
from ..model.selectors import matches_selector, select_rules  # noqa: F401 (re-exported)
from ..checks import KINDS
from ..checks.budget import RegexBudget, SampledBudget, budget_local, sampling
from ..packs.loader import Rule, load_shipped


@dataclass
class Context:
    """Run-wide settings a kind may consult."""
    as_of: _dt.date = field(default_factory=_dt.date.today)
    doc_type: Optional[str] = None
    regex_timeout: float = 5.0
    # At most this many findings of one rule in one file (0: no limit). Past a few
    # hundred, more of the same helps no reader, and a flood (an unclosed “ in a
    # 1 MB file) would otherwise cost all the time and memory of the run.
    max_per_rule: int = 1000
    # Problems that are not findings (a rule stopped by its time limit, ...).
    warnings: List[str] = field(default_factory=list)
    # Every rule the configuration knows, selected or not: lets suppress.py tell
    # a misspelt rule in a dj-lint-disable comment from one this run skipped.
    known_rules: Sequence[Rule] = ()
    # Every kind's literal anchors in one automaton: one pass per document finds them
    # all, then each rule runs only in the lines around its own (text/multiscan.py).
    anchors: multiscan.AnchorIndex = field(default_factory=multiscan.AnchorIndex)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


class _SafeFields(dict):
    def __missing__(self, key):
        return "{" + key + "}"


class Linter:
    """Compiles every rule once (grouped by kind) and lints documents."""

    def __init__(self, rules: Sequence[Rule], ctx: Optional[Context] = None):
        self.ctx = ctx or Context()
        self.rules = list(rules)
        by_kind = defaultdict(list)
        for rule in self.rules:
            by_kind[rule.kind].append(rule)
        self.checks = [KINDS[name](group, self.ctx) for name, group in sorted(by_kind.items())]
        self._rows: dict = {}  # _plain_findings' rows, by hit (see there)
        pattern_cache.save()

    def warm(self) -> None:
        """Build now what the first documents would build lazily (the anchor automaton,
        each kind's indexes, jieba's dictionary, the rules' patterns still pickled
        in the cache), so that worker processes forked after this inherit it
        instead of each building its own copy (--jobs).

        What it builds lives as long as the linter and holds no garbage: the
        collector is off while it builds (its young generation filled four times,
        10 ms of collections that found 239 objects), and what exists when it is
        done is frozen (``gc.freeze``), as a run freezes it right after (app/run.py
        few_collections, which unfreezes it all at the end) and as Python advises
        before a fork; else the first collection after warm walked it all. Warm and
        the run up to the pool's fork, main thread CPU, benchmark corpus, 6 runs
        each: 107-131 (median 112) -> 93-99 ms (median 97). A caller of warm alone
        gives it back with ``gc.unfreeze()``."""
        from ..text import segment
        warnings = list(self.ctx.warnings)
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.prepare_for_many()
            self.lint(Document(_WARM_TEXT, path="<warm>"))
            segment.frequency("党")
            pattern_cache.load_used()
        finally:
            gc.freeze()
            if collecting:
                gc.enable()
            self.ctx.warnings[:] = warnings

    def anchors_for_many(self) -> None:
        """Many documents are coming, but not enough to ``warm`` for: each kind's
        ``anchors_for_many`` only (self_spelling's words join the shared automaton),
        so that the automaton, built lazily by the first kind to ask, is built once.
        Left lazy, a run of more than self_spelling's ``INDEXED_AFTER`` characters
        built it twice: first from the rules' 7,226 anchors, then again with the
        12,628 words once self_spelling had seen that much text, and scanned the
        first documents again (callgrind, whole run of the first 100 corpus files,
        warm cache: 125 M instructions of 5,984 M)."""
        for check in self.checks:
            hook = getattr(check, "anchors_for_many", None)
            if hook is not None:
                hook()

    def expect_many(self, sizes) -> None:
        """Documents of these ``sizes`` (bytes) are coming, in one process: many,
        but not enough to ``warm`` for. The anchors first (``anchors_for_many``),
        then each kind's ``expect_many(sizes)``: a kind that builds its tables once a
        process has seen enough text (near_miss's arrays) may build them now, if
        that text will come."""
        self.anchors_for_many()
        for check in self.checks:
            hook = getattr(check, "expect_many", None)
            if hook is not None:
                hook(sizes)

    def expect_few(self) -> None:
        """Only one document is coming (a run of one file, as a pre-commit hook or
        an editor runs it): the shared anchor automaton is not built for it, its
        texts are read by automata of the anchors they may hold
        (multiscan.AnchorIndex.expect_few)."""
        self.ctx.anchors.expect_few()

    def prepare_for_many(self) -> None:
        """What a kind builds only once a process has seen many documents
        (self_spelling's words in the shared automaton, near_miss's arrays): built
        here once, not in every worker; and before the first lint, so that the
        shared automaton, built at its first use, is built once, with those words
        (it took 0.04 s each time). The anchors first (each kind's
        ``anchors_for_many``), then each kind's own tables (``prepare_for_many``).
        The automaton is not built in a thread meanwhile: ahocorasick-rs 1.0.3
        holds the GIL while it builds (its pattern iterator reads Python objects),
        so a thread only interleaved with this one (a build beside 0.04 s of Python
        work: 0.133 s threaded against 0.106 s one after the other)."""
        for hook in ("anchors_for_many", "prepare_for_many"):
            for check in self.checks:
                prepare = getattr(check, hook, None)
                if prepare is not None:
                    prepare()

    def _run(self, check, pending: List["_Pending"]) -> None:
        """One kind's hits on each document, into its ``_Pending`` as they come (a
        kind's regex of its own running out of time stops that kind on that file,
        with a warning). Each document's budget is installed for its own turn, and
        none is left installed after the last: one function call per kind and
        batch instead of three per kind and document (8,056 small files run 33
        kinds each: 265,000 turns, 0.25 -> 0.1 us each). The hits of a
        document that keeps them as they come (``_Pending.raw``) are added in C,
        at most ``_RAW_MOST`` of them; the rest, if any, are taken one by one."""
        ctx, run, local = self.ctx, check.check, budget_local()
        floods = getattr(check, "FLOODS", False)
        try:
            for p in pending:
                ctx.warnings = p.warnings
                local.budget = p.budget
                raw = p.raw
                try:
                    if raw is not None:
                        hits = run(p.doc) if not floods else p.unflooded(run(p.doc))
                        # Most turns have no hit: the loop only asks for one.
                        for hit in hits:
                            raw.append(hit)
                            raw.extend(islice(hits, _RAW_MOST - len(raw)))
                            if len(raw) >= _RAW_MOST:
                                p.spill(hits)
                            break
                    else:
                        take = p.take
                        for hit in run(p.doc) if not floods else p.unflooded(run(p.doc)):
                            take(hit)
                except TimeoutError:
                    ctx.warn(f"{p.doc.path}: {type(check).__name__}: 正则匹配超过 "
                             f"{ctx.regex_timeout:g} 秒，已停止该类检查")
        finally:
            local.budget = None

    def _pending(self, doc: Document, cap: int, keep_fixable: bool, sampled: bool) -> "_Pending":
        # One regex budget per rule on this document (checks/budget.py): all a
        # rule's patterns, vetoes and kind-compiled regexes are charged to it.
        # --regex-timeout seconds, per MB for a file over 1 MB (a sound rule's
        # time grows with the text; a runaway one's grows far faster).
        seconds = self.ctx.regex_timeout * max(1.0, len(doc.text) / 1e6)
        budget = SampledBudget(seconds) if sampled else RegexBudget(seconds)
        return _Pending(doc, budget, cap, keep_fixable)

    def _finish(self, p: "_Pending") -> List[Hit]:
        doc, budget = p.doc, p.budget
        present = p.settle()
        out, heaps = p.out, p.heaps
        # The rules with hits, while ``out`` is the list made here, are known without
        # a look at each hit: those counted in C (``settle``), or those of the hits
        # kept apart (all of them without a cap, the fixable ones under --fix) and
        # one a heap (a set of each hit's rule id: 0.019 s for the 8,056 benchmark
        # realworld files).
        apart = len(out)
        for heap in heaps.values():
            out.extend(map(_HIT, heap))
        if not heaps:
            heaps = None
        if budget.stopped:
            present = heaps = None
            out = [h for h in out if h.rule.id not in budget.stopped]
            for rule in self.rules:
                if rule.id in budget.stopped:
                    self.ctx.warn(f"{rule.origin}: {rule.id}: 正则匹配累计超过 {budget.seconds:g} 秒"
                                  f"（--regex-timeout，每条规则每个文件），已停止该规则对 {doc.path} 的检查")
        # Kinds that judge the other kinds' hits as a whole (a form's intended
        # blanks fold into one finding) see them last; one that says whose hits
        # give it something to do (``absorbing``) is skipped on a document without
        # any (most documents, for the deferring kinds).
        absorbers = self.__dict__.get("_absorbers")
        if absorbers is None:
            # Looked up at the first document, not per document (two getattr a kind:
            # 66 a document), nor in __init__ (a test sets an instance's absorbing);
            # each kind's rule ids (``absorbing``, the same for every document)
            # asked for once, not at every document (three calls a document).
            absorbers = self._absorbers = [
                (check.absorb, _absorbing(check)) for check in self.checks
                if getattr(check, "absorb", None) is not None]
        for absorb, absorbing in absorbers:
            if absorbing is not None:
                if present is None:
                    present = {h.rule.id for h in (out if heaps is None else out[:apart])}
                    if heaps is not None:
                        present.update(heaps)
                if present.isdisjoint(absorbing):
                    continue
            found = absorb(doc, out)
            if found is not out:
                present = heaps = None  # hits dropped or added: look again when asked
            out = found
        return out

    def lint(self, doc: Document, keep_fixable: bool = False) -> List[Finding]:
        """Findings of ``doc``, at most --max-per-rule of each rule (the first in
        the text); ``keep_fixable``: every fixable one as well (--fix)."""
        return next(self.lint_many([doc], keep_fixable))

    def lint_many(self, docs: Sequence[Document], keep_fixable: bool = False) -> Iterator[List[Finding]]:
        """``lint`` of each document, yielded in order, with the kinds run kind by
        kind over the whole batch instead of document by document: a kind's
        tables, automata and compiled patterns stay in the CPU's caches for the
        batch (about a fifth less CPU on the benchmark corpus in batches of 16).
        Findings and warnings are those of ``lint`` on each document in turn: a
        document's warnings are gathered apart while the kinds run and given to
        the context just before its findings are yielded."""
        cap = self.ctx.max_per_rule
        shared = self.ctx.warnings
        # The regex budgets are charged by a CPU-time sampler while the kinds run,
        # where one can run (checks/budget.py); exactly, call by call, elsewhere.
        with sampling() as sampled:
            pending = []
            for doc in docs:
                # A suppression comment may silence any hit, and one that silences
                # nothing is reported: with comments, every hit is looked at first.
                directives = suppress.parse(doc)
                p = self._pending(doc, cap if cap and not directives else 0, keep_fixable, sampled)
                p.directives = directives  # parsed once (_findings applies them)
                pending.append(p)
            try:
                for check in self.checks:
                    # A kind may do part of its work for the whole batch at once.
                    prepare = getattr(check, "prepare_batch", None) if len(pending) > 1 else None
                    if prepare is not None:
                        prepare([p.doc for p in pending])
                    self._run(check, pending)
            finally:
                self.ctx.warnings = shared
        for p in pending:
            for w in p.warnings:
                self.ctx.warn(w)
            p.warnings = []
            yield self._findings(p)

    def _findings(self, p: "_Pending") -> List[Finding]:
        doc = p.doc
        counts = p.counts
        directives = p.directives
        if directives is None:
            directives = p.directives = suppress.parse(doc)
        plain = FAST_FINDINGS and getattr(doc, "_omap", True) is None and doc.word_places is None
        # No hit, no rule counted or stopped and no suppression comment (most small
        # files): no hits to judge as a whole (``_finish``) nor to silence.
        hits = (suppress.apply(doc, self._finish(p), self.rules, self.ctx.known_rules or shipped_rules(),
                               directives)
                if directives or counts or p.raw or p.out or p.heaps or p.budget.stopped else None)
        if not hits and not counts:
            # No finding and no rule counted past the cap (a clean file): nothing
            # to order, place or warn about; a plain file's analysis freed as
            # ``_plain_findings`` frees it.
            if plain:
                doc.release_analysis()
            return []
        cap = self.ctx.max_per_rule
        yielding = self._same_span_plan()
        if yielding:
            hits = _give_way(hits, yielding)
        # A plain text file (no Markdown view, not from Word): each finding is made
        # here, as ``finding`` makes it, without its method calls per finding
        # (doc.position twice, doc.location); 48,000 findings on the benchmark
        # corpus. Anything else goes through ``finding`` (``plain`` above).
        if cap or plain:
            # In (start, rule, end) order: the first findings in the text are the
            # ones kept when a rule floods (each rule's hits in span order), and a
            # plain file's findings made in it are in ``_ORDER`` already. The
            # hits of one span and rule are then neighbours.
            hits = sorted(hits, key=_HIT_ORDER)
        # A rule past the cap (more hits in all than the cap first, then counted
        # in C: most documents have neither) has its hits counted one by one;
        # otherwise a plain file's loop below skips a hit equal to the one before.
        per_rule: dict = {}
        if cap and len(hits) > cap and max(Counter(map(_RULE_ID, hits)).values()) > cap:
            hits, per_rule = _capped(hits, cap, p.keep_fixable, doc.text)
        elif not plain:
            hits = _unique(hits)
        if plain:
            findings = self._plain_findings(doc, hits)
        else:
            findings = [self.finding(doc, hit) for hit in hits]
        # A rule past the cap: looked for in C first (most documents have none; the
        # walk over every rule of a document cost ~5 us a document).
        if cap and (max(per_rule.values(), default=0) > cap or max(counts.values(), default=0) > cap):
            for rule_id in sorted(set(per_rule) | set(counts)):  # a stable order on stderr
                count = max(per_rule.get(rule_id, 0), counts.get(rule_id, 0))
                if count > cap:
                    self.ctx.warn(f"{doc.path}: {rule_id} 共 {count} 处，只报告了前 {cap} 处"
                                  "（--max-per-rule 0 可全部报告）")
        # Finding.sort_key without the path (one document's): compared in C. A plain
        # file's findings made from hits in (start, rule, end) order are in it
        # already: positions grow with offsets, one position an offset.
        if not plain:
            findings.sort(key=_ORDER)
        return findings

    def _plain_findings(self, doc: Document, hits: List[Hit]) -> List[Finding]:
        """``finding`` of each of ``hits`` (in ``_HIT_ORDER``; one of the same span
        and rule as the one before is skipped) in a plain text file, with its
        positions worked out here."""
        # What the kinds kept on the document is freed before the findings are
        # made (a plain file's findings read no outline: no Word places).
        doc.release_analysis()
        text, path, starts = doc.text, doc.path, doc.source_line_starts
        lines = len(starts)
        made = self._made
        # Line breaks other than \n (a tenth of the corpus' files): the finding's
        # text is the original's, at the same lines and columns.
        original = doc.original
        ostarts = None if original is text else doc.original_line_starts
        findings = []
        append = findings.append
        of = Finding.of
        # What a finding takes from its rule, message and fixability, by (rule id,
        # matched text, suggestion, the hit's field names and values), for this
        # linter's rules: worked out by ``_made`` at the first such hit, taken
        # from here for the next (no call of ``_made`` nor ``is_fixable``). The
        # original text in a message is the matched one with its line breaks
        # shown alike (↵), so a message is also that of the matched text.
        rows = self._rows
        last_start = last_end = last_rule = None
        for hit in hits:
            start, end, rule = hit.start, hit.end, hit.rule.id
            if start == last_start and end == last_end and rule == last_rule:
                continue
            last_start, last_end, last_rule = start, end, rule
            # doc.position(start) and doc.position(end): the end is on the start's
            # line unless it lies at or past the next line's start.
            idx = bisect_right(starts, start) - 1
            line_start = starts[idx]
            if idx + 1 < lines and end >= starts[idx + 1] or end < line_start:
                end_idx = bisect_right(starts, end) - 1
            else:
                end_idx = idx
            matched = text[start:end]
            end_col = end - starts[end_idx]
            shown = matched if ostarts is None else \
                original[ostarts[idx] + start - line_start:ostarts[end_idx] + end_col]
            suggestion, fields = hit.suggestion, hit.fields
            # (A hit without fields of its own, 2,200 of the 4,600 of 100 benchmark
            # corpus files, keyed here without a call.)
            key = _keyed((rule, matched, suggestion), fields) if fields else (rule, matched, suggestion)
            row = rows.get(key) if key is not None else None
            # (The very rule object: another of the same id would be another rule.)
            if row is not None and row[0] is hit.rule:
                _, name, category, severity, message, fixable = row
                append(of(path, idx + 1, start - line_start + 1, end_idx + 1, end_col + 1, rule, name,
                          category, severity, message, shown, suggestion, fixable, start, end, None))
                continue
            found = made(path, hit, idx + 1, start - line_start + 1, end_idx + 1, end_col + 1,
                         shown, matched, None)
            if key is not None and len(rows) < _ROWS_MAX:
                rows[key] = (hit.rule, found.name, found.category, found.severity, found.message,
                             found.fixable)
            append(found)
        return findings

    def _same_span_plan(self) -> dict:
        """Rule id -> the categories and rule ids it gives way to at the same span
        (a rule's ``same_span_defer_to``), worked out once."""
        plan = self.__dict__.get("_same_span")
        if plan is None:
            plan = self._same_span = {r.id: frozenset(r.same_span_defer_to)
                                      for r in self.rules if r.same_span_defer_to}
        return plan

    @staticmethod
    def finding(doc: Document, hit: Hit) -> Finding:
        line, col = doc.position(hit.start)
        end_line, end_col = doc.position(hit.end, end=hit.end > hit.start)
        # The original text from the same two positions (doc.original_slice would
        # compute both again).
        matched = doc.text[hit.start:hit.end]
        if doc.original is doc.text:
            text = matched
        else:
            starts = doc.original_line_starts
            text = doc.original[starts[line - 1] + col - 1:starts[end_line - 1] + end_col - 1]
        return Linter._made(doc.path, hit, line, col, end_line, end_col, text, matched,
                            doc.location(hit.start))

    @staticmethod
    def _made(path, hit: Hit, line: int, col: int, end_line: int, end_col: int, text: str,
              matched: str, location) -> Finding:
        """The finding of ``hit`` at these positions (``text``: the original's
        characters there, ``matched``: the normalised text's): its message filled
        in, whether it is fixable."""
        rule, suggestion = hit.rule, hit.suggestion
        # A message is one line in every format: a matched line break shows as ↵
        # (the finding's own `text` keeps the exact characters).
        one_line = (text.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵")
                    if "\n" in text or "\r" in text else text)
        template, fields = rule.message, hit.fields
        # A message is that of its template, text, suggestion and the hit's own
        # fields, made once (``_MESSAGES``); fields of other types than str and int
        # (an equal key may format otherwise: 1.0 and 1, 0.0 and -0.0) are
        # formatted each time.
        key = _keyed((template, one_line, suggestion), fields)
        message = _MESSAGES.get(key) if key is not None else None
        if message is None:
            message = template.format_map(_SafeFields(fields or (), text=one_line,
                                                      suggestion=suggestion if suggestion is not None else ""))
            if key is not None and len(_MESSAGES) < _MESSAGES_MAX:
                _MESSAGES[key] = message
        return Finding.of(
            path, line, col, end_line, end_col, rule.id, rule.name, rule.category,
            rule.severity, message, text, suggestion,
            is_fixable(rule, suggestion, matched), hit.start, hit.end, location)


# Messages by (template, text, suggestion, the hit's field names and values): the
# same few recur across files (the 48,126 findings of the benchmark corpus have
# 1,571 keys); one string for each is made once, and not again for each finding
# (nor hashed again by the text report, which makes each message visible once).
# The 26,209 findings with fields of their own (1,436 keys) took 1.7 us each to
# format, 1.1 us by the cache.
_MESSAGES: dict = {}
_MESSAGES_MAX = 100_000
# Linter._plain_findings' rows kept (a key and six fields each) by one linter.
_ROWS_MAX = 50_000
# Field values whose equal ones format alike (``_made``'s key).
_KEYED_TYPES = frozenset((str, int))


def _keyed(head: tuple, fields) -> Optional[tuple]:
    """``head`` and a hit's fields as one key (their names, then their values: as
    long a key, as many fields), or None when a field is of another type than str
    and int (an equal key may format otherwise: 1.0 and 1, 0.0 and -0.0)."""
    if not fields:
        return head
    if _KEYED_TYPES.issuperset(map(type, fields.values())):
        return (*head, *fields, *fields.values())
    return None


# False: every finding through ``Linter.finding`` (the reference the tests compare with).
FAST_FINDINGS = True

# Sort keys compared in C: a hit's start, rule and end; a document's findings in
# Finding.sort_key order (its path left out: the same for all of them). A hit's
# key is made by a function: its specialised field reads beat attrgetter's
# generic ones (sorting 46 hits 15.4 -> 13.0 us).
def _HIT_ORDER(h):
    return h.start, h.rule.id, h.end


_RULE_ID = attrgetter("rule.id")
_HIT = itemgetter(3)  # of a _Pending heap's item
# Hits a document keeps as they come (_Pending.raw) before they are taken one by one.
_RAW_MOST = 1 << 14
_ORDER = attrgetter("line", "column", "rule", "end_line", "end_column")


def _give_way(hits: List[Hit], yielding: dict) -> List[Hit]:
    """``hits`` without those of a rule with ``same_span_defer_to`` that have a
    hit of a listed category or rule at exactly their span: two findings on the
    same text, where one says it all (a file-name line reported as a repeated
    title and as page furniture; a site's page-chunk number read as a heading
    number out of sequence). Runs after suppression comments, so a suppressed
    finding makes no other give way. Two findings that would give way to each
    other both stay. A yielded hit past --max-per-rule was never kept, so the
    count in that warning may include it."""
    # The hits of yielding rules, then those at their starts, picked out by
    # comprehensions (970 of the 1,000 benchmark corpus files have a yielding
    # rule's hit): the interpreter's specialised reads of a hit's fields take
    # about half the time of attrgetter's generic ones (itertools.compress over
    # map(attrgetter) was slower than this by 2.6 us per 46 hits).
    mine = [h for h in hits if h.rule.id in yielding]
    if not mine:
        return hits
    spans = {(h.start, h.end) for h in mine}
    starts = {h.start for h in mine}
    at = defaultdict(list)
    for h in hits:
        if h.start in starts and (h.start, h.end) in spans:
            at[h.start, h.end].append(h.rule)
    dropped = set()
    for h in mine:
        rule = h.rule
        wanted = yielding[rule.id]
        for other in at[h.start, h.end]:
            if other.id == rule.id or not (other.category in wanted or other.id in wanted):
                continue
            back = yielding.get(other.id)
            if back and (rule.category in back or rule.id in back):
                continue  # each would give way to the other: both stay
            dropped.add(id(h))
            break
    if not dropped:
        return hits
    return [h for h in hits if id(h) not in dropped]


def _absorbing(check) -> Optional[frozenset]:
    """The rule ids whose hits give ``check``'s absorb something to do (its
    ``absorbing``), or None: it runs on every document."""
    absorbing = getattr(check, "absorbing", None)
    return None if absorbing is None else frozenset(absorbing())


def _unique(hits: List[Hit]) -> List[Hit]:
    """``hits`` without a later one of the same rule and span (the first kept)."""
    seen = set()
    out = []
    for hit in hits:
        key = (hit.rule.id, hit.start, hit.end)
        if key not in seen:
            seen.add(key)
            out.append(hit)
    return out


def _capped(hits: List[Hit], cap: int, keep_fixable: bool, text: str):
    """(``_unique(hits)`` with at most ``cap`` of each rule, the first, and every
    fixable one with ``keep_fixable``; how many of each rule there were, not
    counting those fixable ones)."""
    per_rule: dict = {}
    out = []
    for hit in _unique(hits):
        rule = hit.rule
        if not (keep_fixable and is_fixable(rule, hit.suggestion, text[hit.start:hit.end])):
            count = per_rule[rule.id] = per_rule.get(rule.id, 0) + 1
            if count > cap:
                continue
        out.append(hit)
    return out, per_rule


class _Pending:
    """One document's hits while the kinds run (Linter.hits, Linter.lint_many):
    all of them, or with ``cap`` the first ``cap`` of each rule in text order,
    kept as they stream in a max-heap per rule; ``keep_fixable`` keeps every
    fixable hit whatever the cap; ``counts`` how many each rule had.

    With a cap (and not ``keep_fixable``) the hits are first only kept as they
    come, in ``raw`` (added by ``Linter._run`` in C): ``settle`` then makes of
    them what ``take`` would have made, and only a document with a rule past
    the cap or two hits of one rule and span (whose order in a heap decides
    which is reported) is taken one by one (``spill``). So is one with more
    than ``_RAW_MOST`` hits, as they come: a flood holds no more hits than
    that, besides each rule's first ``cap``. No rule of the benchmark corpus
    is past the cap, and 212 of the 8,056 realworld pages have a span twice.
    Callgrind, the engine and text report alone over the recorded hits of 500
    realworld pages: 566.0 -> 547.4 M instructions."""
    __slots__ = ("doc", "budget", "cap", "keep_fixable", "counts", "out", "heaps", "seq", "warnings", "raw",
                 "directives")

    def __init__(self, doc, budget, cap, keep_fixable):
        self.doc, self.budget, self.cap, self.keep_fixable = doc, budget, cap, keep_fixable
        self.counts: dict = {}
        self.out: List[Hit] = []
        self.heaps: dict = {}  # rule id -> max-heap [(-start, -end, -seq, hit)] of the first `cap`
        self.seq = 0
        self.warnings: List[str] = []  # lint_many: this document's, until its turn
        self.raw: Optional[List[Hit]] = [] if cap and not keep_fixable else None
        self.directives = None  # the document's suppression comments, once parsed

    def spill(self, hits=()) -> None:
        """``take`` each hit kept in ``raw`` and then each of ``hits``; no hit is
        kept in ``raw`` any more."""
        raw, self.raw = self.raw, None
        take = self.take
        for hit in chain(raw or (), hits):
            take(hit)

    def unflooded(self, hits):
        """``hits`` with each ``Flood`` among them made into its hits, those that
        matter: with a cap (and not ``keep_fixable``) its first ``cap`` + 1, the
        rest counted as ``take`` counts them. ``take`` keeps none of them: the
        rule's first ``cap`` hits in the text are the flood's first or earlier
        ones. One hit past the cap keeps the rule past it in ``settle``, which
        then takes each hit made, counting it. A flood of 200,000 unclosed
        brackets made and took 1,001 hits, not 200,000."""
        most = self.cap + 1 if self.cap and not self.keep_fixable else None
        for hit in hits:
            if type(hit) is not Flood:
                yield hit
                continue
            if most is not None and len(hit) > most:
                rule_id = hit.rule.id
                self.counts[rule_id] = self.counts.get(rule_id, 0) + len(hit) - most
            yield from hit.hits(most)

    def settle(self):
        """Once the kinds are done: the hits in ``raw`` as ``take`` would have kept
        them: in ``out``, with no rule past the cap (nothing to count) and one hit
        of each rule and span, and the ids of their rules returned; else in the
        heaps (``spill``), and None returned."""
        raw = self.raw
        if raw is None:
            return None
        self.raw = None
        if not raw:
            # (hits may have been taken one by one all the same: ``take``)
            return None if self.out or self.heaps else frozenset()
        # (Counted only when a rule may be past the cap: a Counter costs more than
        # the rest together.)
        # (Each hit's fields read by a comprehension, not by attrgetter in C: the
        # interpreter's specialised attribute reads are about twice as fast as
        # attrgetter's generic lookups on a hit and its rule.)
        keys = {(h.start, h.end, h.rule.id) for h in raw}
        if len(raw) > self.cap and max(Counter(map(_RULE_ID, raw)).values()) > self.cap or \
                len(keys) < len(raw):
            self.raw = raw
            self.spill()
            return None
        self.out = raw
        return {key[2] for key in keys}

    def take(self, hit: Hit) -> None:
        if not self.cap:
            self.out.append(hit)
            return
        rule_id = hit.rule.id
        if self.keep_fixable and is_fixable(hit.rule, hit.suggestion, self.doc.text[hit.start:hit.end]):
            self.out.append(hit)
            return
        self.counts[rule_id] = self.counts.get(rule_id, 0) + 1
        heap = self.heaps.get(rule_id)
        if heap is None:
            heap = self.heaps[rule_id] = []
        self.seq += 1
        if len(heap) >= self.cap:
            # A flood (200,000 unclosed brackets) arrives in text order: a hit at or
            # after the last one kept is only counted, with no tuple built for it.
            top = heap[0]
            if hit.start > -top[0] or (hit.start == -top[0] and hit.end >= -top[1]):
                return
            heapq.heapreplace(heap, (-hit.start, -hit.end, -self.seq, hit))
            return
        heapq.heappush(heap, (-hit.start, -hit.end, -self.seq, hit))


# A few lines of ordinary report prose (written for this purpose) for Linter.warm.
_WARM_TEXT = ("关于2024年度党支部工作情况的报告\n"
              "一、主要工作\n"
              "（一）深入学习贯彻党的二十大精神，坚持以习近平新时代中国特色社会主义思想为指导，"
              "全年组织集中学习12次，开展主题党日活动6次。\n"
              "（二）认真落实“三会一课”制度，按期召开组织生活会和专题民主生活会。\n"
              "二、存在问题\n"
              "理论学习的系统性还不够强，联系实际还不够紧密。\n"
              "XX党支部\n2024年12月20日\n")

_SHIPPED: Optional[List[Rule]] = None


def shipped_rules() -> List[Rule]:
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = load_shipped()
    return _SHIPPED


def lint_text(text: str, rules: Optional[Sequence[Rule]] = None, path: str = "<text>",
              ctx: Optional[Context] = None) -> List[Finding]:
    """Lint a string with the shipped rules (or the given ones)."""
    global _DEFAULT_LINTER
    if rules is None and ctx is None:
        # Compiling every pack costs far more than linting a paragraph: reuse it.
        if _DEFAULT_LINTER is None or _DEFAULT_LINTER.ctx.as_of != _dt.date.today():
            _DEFAULT_LINTER = Linter(shipped_rules())
        linter = _DEFAULT_LINTER
    else:
        linter = Linter(shipped_rules() if rules is None else rules, ctx)
    return linter.lint(Document(text, path=path))


_DEFAULT_LINTER: Optional[Linter] = None
