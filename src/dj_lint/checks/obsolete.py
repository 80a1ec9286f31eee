"""kind: obsolete — dated formulations used as if they were still current.

A rule lists ``entries``: each names a formulation (``item``, matched by the
regex ``match`` or literally), the date from which it is no longer current
(``obsolete_from``), what replaced it and the source of the dates. The rule's
``pattern`` supplies the *current-use* context around the slot ``{item}``
(学习贯彻…精神, 以…为指导, 正在开展…); the slot is filled with all entries.

Entries come from the rule (``entries``) or are computed from the dated
timeline (``timeline: congresses|plenums|plans|leaders|campaigns|slogans|
party_rules``, rules/data/timeline.yaml): the next congress or campaign is one
line of data there.

Time is judged against the run's as-of date (or, under ``--as-of document``,
the document's own date). What keeps history quiet:
  * the sentence names a closed past year inside the entry's window
    (``2005年开展…时``, not ``2006年以来``, which reaches into the present), or
    a date in the same or the previous paragraph does (reported speech);
  * the sentence is phrased as history (回顾, 曾, 当年, 期间 …: ``history``);
  * the document's own period (owndate.py) reaches into the entry's window and
    the document is not stale: a ``2025年度`` report narrates its own year;
  * the formulation stands inside a cited title 《…》 (unless the rule's pattern
    itself takes the 《, as for a superseded regulation cited as in force).
Documents a site converted to traditional script are read through a
one-to-one character fold (rules/data/hant_fold.yaml), so positions stay exact.
"""
from __future__ import annotations

import datetime as _dt
from bisect import bisect_left, bisect_right
from operator import methodcaller

import regex

from ..text import owndate, timeline
from ..text.dates import iso_date
from ..text.numerals import decimal
from ..model.findings import Hit
from ..model.rules import RuleError
from .base import (Veto, Kind, anchor_index, anchored_taken, as_list, compile_all, compile_regex,
                   current_budget, finditer_anchored, register_anchors)
from ..text import multiscan, pattern_cache
from ..text.pattern_cache import IntFlags
from .traditional import folded

SLOT = "{item}"
ENTRY_FIELDS = {"item": str, "match": str, "obsolete_from": (_dt.date, str),
                "replaced_by": str, "period": str, "source": str, "note": str,
                "current_from": (_dt.date, str)}
FAMILIES = ("congresses", "plenums", "plans", "leaders", "campaigns", "slogans", "party_rules")
# Phrasing that tells history (issue: 以来, 回顾, 曾); 以来 is handled by the patterns.
# ``(?<![不未何])曾`` written ``曾(?<![不未何]曾)`` (the same test of the character
# before 曾): every branch then starts with a character, and stdlib ``re`` skips to
# the next of them by a class search, where ``regex`` tested each position of the
# sentence against the set of first characters (the 1000 corpus files' 7,239 hits:
# 14.9 -> 7.0 thousand instructions a search, callgrind).
_HISTORY = pattern_cache.compile_re(r"回顾|曾(?<![不未何]曾)(?:经|在|于|是|被|多次|先后|参与|参加|开展|组织)"
                                    r"|当年|那时|彼时|时任|期间|时期")
_PARA_DATE = pattern_cache.compile(r"(?<!\d)((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月")
# Number (as characters) before an ordinal: 二十七大 is not 十七大.
_CN_DIGIT = "[一二三四五六七八九十]"
_NOT_AFTER_DIGIT = f"(?<!{_CN_DIGIT})"
ENTRY_REQUIRED = ("item", "obsolete_from", "source")
# Where a sentence ends: the historical-year test never looks past these.
_SENTENCE_END = pattern_cache.compile_re(r"[。！？!?\n]")
# The last sentence end before a match, in one call: a greedy run to the match
# (``match``'s endpos), which the engine gives back a character at a time until
# one stands before it. (Walking every sentence end in the 200 characters before
# it took 4 µs a hit; regex's reverse search ``(?r)``, the 1000 corpus files'
# 7,239 hits, 1.8 µs with the search after the match; stdlib ``re`` both, 1.1.)
_LAST_SENTENCE_END = pattern_cache.compile_re(r"(?s).*[。！？!?\n]")
# A closed year: 2005年 but not 2006年以来 / 2006年来 / 2006年度以来 (those reach into the present).
_CLOSED_YEAR = pattern_cache.compile(r"((?:19|20)\d\d)年(?!度?以来|来)")
_SENTENCE_MAX = 200
# False: every pattern is scanned with its entries' groups (the reference the tests compare with).
UNGROUPED_SCANS = True


def _date(value, where: str) -> _dt.date:
    try:
        return iso_date(value)
    except ValueError:
        raise RuleError(f"field '{where}' should be a date YYYY-MM-DD") from None


def _entries(rule):
    entries = list(rule.options.get("entries") or [])
    family = rule.options.get("timeline")
    if family is not None:
        if family not in FAMILIES:
            raise RuleError(f"field 'timeline' should be one of {', '.join(FAMILIES)}")
        entries = _from_timeline(family) + entries
    if not entries:
        raise RuleError("field 'entries' should list at least one entry (or name a 'timeline')")
    out = []
    for i, e in enumerate(entries):
        where = f"entries[{i}]"
        if not isinstance(e, dict):
            raise RuleError(f"field '{where}' should be a mapping")
        for key, value in e.items():
            if key not in ENTRY_FIELDS:
                raise RuleError(f"field '{where}': unknown field '{key}'")
            if not isinstance(value, ENTRY_FIELDS[key]):
                raise RuleError(f"field '{where}.{key}' has the wrong type")
        for key in ENTRY_REQUIRED:
            if key not in e:
                raise RuleError(f"field '{where}': missing field '{key}'")
        compile_regex(e.get("match", regex.escape(e["item"])), f"{where}.match")
        e = dict(e, obsolete_from=_date(e["obsolete_from"], f"{where}.obsolete_from"))
        if "current_from" in e:
            e["current_from"] = _date(e["current_from"], f"{where}.current_from")
        out.append(e)
    return out


def _from_timeline(family: str) -> list:
    """Entries computed from rules/data/timeline.yaml (dates as ISO strings)."""
    return globals()["_tl_" + family]()


def _tl_congresses():
    out = []
    for c in timeline.congresses():
        if c["next"] is None:
            continue
        n = c["n"]
        out.append({"item": f"党的{n}大", "match": f"{_NOT_AFTER_DIGIT}{n}大|第{n}次全国代表大会",
                    "obsolete_from": c["next_opened"].isoformat(), "current_from": c["opened"].isoformat(),
                    "replaced_by": f"党的{c['next']}大", "source": f"timeline.yaml congresses: {c['source']}"})
    return out


def _tl_plenums():
    out = []
    for c in timeline.congresses():
        dates = timeline.plenums(c["n"])
        if c["next"] is None or not dates:
            continue
        n = c["n"]
        match = (f"{_NOT_AFTER_DIGIT}{n}届(?:[一二三四五六七]中[、和及与]?)+全会|{_NOT_AFTER_DIGIT}{n}届历次全会"
                 f"|{_NOT_AFTER_DIGIT}{n}届中央委员会第[一二三四五六七]次全体会议")
        out.append({"item": f"{n}届", "match": match, "obsolete_from": c["next_opened"].isoformat(),
                    "current_from": dates[0].isoformat(),
                    "replaced_by": f"党的{c['next']}大已选出新一届中央委员会",
                    "source": f"timeline.yaml plenums {n}; congresses {c['next']}"})
    return out


def _tl_plans():
    out = []
    for p in timeline.plans():
        n = p["n"]
        if n == "十五":  # also 十五大 and the number 15: only with 计划/规划
            match = f"{_NOT_AFTER_DIGIT}(?<!\\d)[“\"‘]?十五[”\"’]?(?:计划|规划)"
        else:
            match = f"{_NOT_AFTER_DIGIT}[“\"‘]?{n}[”\"’]?(?:规划|计划)?"
        out.append({"item": f"“{n}”{p['word']}", "match": match,
                    "obsolete_from": f"{p['end'] + 1}-01-01", "current_from": f"{p['start']}-01-01",
                    "period": f"{p['start']}—{p['end']}年", "source": f"timeline.yaml plans: {p['source']}"})
    return out


def _tl_leaders():
    out = []
    for r in timeline.leaders():
        forms = [r["name"] + r["title"]] + ([r["short"] + r["title"]] if r.get("short") else [])
        out.append({"item": r["name"] + r["title"], "match": "|".join(forms),
                    "obsolete_from": r["to"].isoformat(), "current_from": r["from"].isoformat(),
                    "replaced_by": r["name"] + "同志", "source": f"timeline.yaml leaders: {r['source']}"})
    return out


def _tl_campaigns():
    return [{"item": c["name"], "match": c["match"], "obsolete_from": c["end"].isoformat(),
             "current_from": c["start"].isoformat(),
             "period": f"{timeline.cn_month(c['start'])}至{_last_month(c['end'])}",
             "source": f"timeline.yaml campaigns: {c['source']}"} for c in timeline.campaigns()]


def _tl_slogans():
    return [{"item": s["name"], "match": s["match"], "obsolete_from": s["to"].isoformat(),
             "current_from": s["from"].isoformat(), "replaced_by": s["current"],
             "period": f"{timeline.cn_month(s['from'])}至{_last_month(s['to'])}",
             "source": f"timeline.yaml slogans: {s['source']}"} for s in timeline.slogans()]


def _tl_party_rules():
    return [{"item": r["name"], "match": r["match"], "obsolete_from": r["to"].isoformat(),
             "replaced_by": r["current"], "source": f"timeline.yaml party_rules: {r['source']}"}
            for r in timeline.party_rules()]


def _last_month(first_after: _dt.date) -> str:
    d = first_after - _dt.timedelta(days=1)
    return f"{d.year}年{d.month}月"


def _timeline_current(family: str):
    """The current formulation over time, for the {current} field."""
    if family in ("congresses", "plenums"):
        return [(c["opened"], f"党的{c['n']}大和{c['n']}届历次全会精神") for c in timeline.congresses()]
    if family == "plans":
        return [(_dt.date(p["start"], 1, 1), f"“{p['n']}”{p['word']}（{p['start']}—{p['end']}年）")
                for p in timeline.plans()]
    return []


FOLD = "hant_fold.yaml"


def fold_table():
    """Traditional → simplified, one character for one (rules/data/hant_fold.yaml)."""
    from . import vocab
    return vocab.fold_table(FOLD)


def folded_text(doc) -> str:
    """The text with traditional characters folded; the text itself (same object)
    when it has none — str.translate looks every character up."""
    return folded(doc, FOLD)


def _current(rule):
    out = list(_timeline_current(rule.options["timeline"])) if rule.options.get("timeline") else []
    for i, c in enumerate(as_list(rule.options.get("current"))):
        if not isinstance(c, dict) or set(c) != {"since", "text"}:
            raise RuleError(f"field 'current[{i}]' should be {{since: date, text: …}}")
        out.append((_date(c["since"], f"current[{i}].since"), str(c["text"])))
    return sorted(out)


def _compile(rule, entries, grouped: bool = True):
    """One regex per rule: the context pattern with the slot filled by one
    named group per entry, so a match maps straight back to its entry; with
    ``grouped`` False, the entries without their groups (the same matches)."""
    alternation = "|".join((f"(?P<e{i}>" if grouped else "(?:") + f"{_entry_source(e)})"
                           for i, e in enumerate(entries))
    out = []
    for source in as_list(rule.options["pattern"]):
        if not isinstance(source, str) or source.count(SLOT) != 1:
            raise RuleError("field 'pattern' should contain the slot {item} exactly once")
        out.append(compile_regex(source.replace(SLOT, f"(?P<item>{alternation})"), "pattern", rule=rule))
    return out


def _entry_source(entry) -> str:
    """The regex an entry's formulation is matched by."""
    return entry.get("match", regex.escape(entry["item"]))


def _month(d: _dt.date) -> str:
    return f"{d.year}年{d.month}月"


class ObsoleteKind(Kind):
    FIELDS = {
        "entries": list,
        "pattern": (str, list),
        "current": list,
        "unless": (str, list),
        "unless_line": (str, list),
        "unless_sentence": (str, list),
        "past_year_is_history": bool,
        "timeline": str,
        "history_words": bool,
        "stale_after_years": int,
    }
    REQUIRED = ("pattern",)
    MESSAGE_FIELDS = ("item", "since", "replaced_by", "period", "current")

    @classmethod
    def validate(cls, rule):
        entries = _entries(rule)
        _compile(rule, entries)
        _current(rule)
        Veto(rule)
        compile_all(rule.options.get("unless_sentence"), "unless_sentence")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.compiled = []
        self._latest: dict = {}  # as-of date -> the latest congress's pattern (or None)
        self._now: dict = {}  # (rule id, as-of date) -> the rule's {current} then
        for rule in rules:
            entries = _entries(rule)
            # Entries not yet outdated at the as-of date cannot fire: skip the rule entirely
            # when none is, so a run --as-of 2004 pays nothing for 2017 rules.
            if not getattr(ctx.as_of, "per_document", False) and not any(
                    e["obsolete_from"] <= ctx.as_of for e in entries):
                continue
            # Each pattern with its anchors' handle, the number of the group it reports
            # and those of its entries' groups (e0, e1, ...), read off the match's spans.
            # A rule of several entries scans each pattern without the entries' groups,
            # and takes each match again at its start by the grouped pattern (``full``;
            # None: the pattern itself), which tells the entry: groups change no match,
            # and ``regex`` scans faster without them (DJ407's ``(?<!二)十七大`` …
            # alternation over whole corpus texts: 47 -> 2 ms, DJ402's 62 -> 7).
            # callgrind, the kind on the first 200 corpus files 749 -> 716 M
            # instructions, 1500 realworld files 438 -> 421 M.
            # ``near``: a scan tries only the points around its anchors where one of
            # the literals every match starts with stands (base._in_windows_near), not
            # whole windows (the corpus' paragraphs of 1,000-2,000 characters, which
            # the campaign patterns scan at 16-210 ns a character). callgrind, the
            # kind's check alone: the first 200 corpus files 468 -> 394 M
            # instructions, the first 1000 realworld files 242 -> 156 M.
            # ``which``: the entry of an ungrouped scan's match told by the entries alone
            # over its item's span (EntryOf), not by the grouped pattern again from the
            # match's start; with the group the scan reports and its item's group.
            grouped = _compile(rule, entries)
            scans = _compile(rule, entries, grouped=False) if UNGROUPED_SCANS and len(entries) > 1 else grouped
            patterns = []
            for scan, pat in zip(scans, grouped):
                reported = "hit" if "hit" in pat.groupindex else "item"
                which = None if scan is pat else EntryOf.of(scan, entries)
                patterns.append((scan, register_anchors(ctx, scan, near=True), pat.groupindex[reported],
                                 tuple(pat.groupindex[f"e{i}"] for i in range(len(entries))),
                                 None if scan is pat else pat,
                                 which, scan.groupindex[reported], scan.groupindex["item"]))
            # Each entry's message fields but {current}, made once.
            entries = [(e, {"item": e["item"], "since": _month(e["obsolete_from"]),
                            "replaced_by": e.get("replaced_by", ""), "period": e.get("period", "")})
                       for e in entries]
            veto = Veto(rule, timeout=self.ctx.regex_timeout)
            # What _hit asks of the rule for every match, read once: its veto, whether a
            # past year or history words tell history, whether it is a congress rule.
            tests = (veto.vetoes if veto else None, rule.options.get("past_year_is_history", True),
                     rule.options.get("history_words", True),
                     rule.options.get("timeline") in ("congresses", "plenums"))
            self.compiled.append((rule, entries, patterns, tests,
                                  self._sentence_veto(rule),
                                  _current(rule), _handles_of(patterns)))
        # Every rule's handles, for the documents that hold none of them (None: a
        # pattern is scanned whole).
        self._handles = _all_handles(self.compiled)
        # The same, with the handles of the kind's own anchor index, for folded texts
        # (``_for_folded``; made for the first one).
        self._folded = None

    def _for_folded(self):
        """(context, compiled, every rule's handles) for a text read through the fold:
        the patterns' anchors in an index of this kind's own. No other kind reads a
        folded text, and the shared index's pass over it looked for every kind's 7,226
        literals (and walked their matches) to tell this kind's 1,859: the 636
        traditional realworld pages made unique, in the kind's turn, 163 -> 49 us a
        page, the kind 0.465 -> 0.397 s; benchmarks/out/realworld, 0.36-0.47 ->
        0.32-0.39 s (alternating, load 6). Built for the first such page (4 ms)."""
        if self._folded is None:
            ctx = _Anchors(multiscan.AnchorIndex(enabled=anchor_index(self.ctx).enabled))
            compiled = []
            for c in self.compiled:
                patterns = [(p[0], register_anchors(ctx, p[0], near=True)) + p[2:] for p in c[2]]
                compiled.append(c[:2] + (patterns,) + c[3:-1] + (_handles_of(patterns),))
            self._folded = (ctx, compiled, _all_handles(compiled))
        return self._folded

    @staticmethod
    def _sentence_veto(rule):
        patterns = compile_all(rule.options.get("unless_sentence"), "unless_sentence", rule=rule)
        return SentenceVeto(patterns) if patterns else None

    def check(self, doc):
        text = folded_text(doc)
        if text is doc.text:
            ctx, compiled, handles = self.ctx, self.compiled, self._handles
        else:
            ctx, compiled, handles = self._for_folded()
        index = anchor_index(ctx)
        present = index.present(text)
        # The handles this text holds, found in C: most pages hold none (the realworld
        # pages: 4,876 of 8,056) and are done without a step per rule and pattern;
        # the rest skip the rules none of whose patterns has an anchor here.
        found = None
        if handles is not None:
            found = handles.intersection(present)
            if not found:
                return
        as_of = owndate.effective_as_of(self.ctx, doc)
        # Under the sampler, each pattern by anchored_taken, as PatternKind scans: the
        # budget and the anchor index looked up once a document, not by
        # finditer_anchored for each scan, and a scan that found nothing (most) is
        # not walked.
        budget = current_budget()
        sampled = budget is not None and budget.sampled
        seen = set()
        for rule, entries, patterns, tests, sentence_veto, current, handles in compiled:
            if found is not None and handles.isdisjoint(found):
                continue
            now = None
            for pat, handle, group, numbers, full, which, scan_group, item_group in patterns:
                if handle is not None and handle not in present:
                    continue  # none of its anchors in the text
                if sampled:
                    matches = anchored_taken(budget, index, pat, handle, text, present)
                    if not matches:
                        continue
                else:
                    matches = finditer_anchored(ctx, pat, handle, text, self.ctx.regex_timeout, present,
                                                overlapped=False)
                for m in matches:
                    if full is None:
                        at = _entry_taken(m, numbers)
                        start, end = m.span(group)
                    else:
                        at = None if which is None else which(text, *m.span(item_group))
                        if at is not None:
                            start, end = m.span(scan_group)
                        else:
                            # What a scan of the grouped pattern found here: the first match
                            # at this start (the window scans find what a whole scan does).
                            m = full.match(text, m.start())
                            if m is None:
                                continue  # its rule out of time (every hit of it is dropped)
                            at = _entry_taken(m, numbers)
                            start, end = m.span(group)
                    if now is None:  # (for a rule that matched here, not one whose anchors stand here)
                        now = self._current_at(rule, current, as_of)
                    hit = self._hit(doc, text, rule, entries[at], start, end, tests, sentence_veto,
                                    now, as_of)
                    if hit is not None and (rule.id, hit.start) not in seen:
                        seen.add((rule.id, hit.start))
                        yield hit

    def _current_at(self, rule, current, as_of) -> str:
        """The rule's {current} at ``as_of`` (the last text of ``current`` in force
        then), worked out once per date and rule, not for every document with a hit."""
        key = (rule.id, as_of)
        now = self._now.get(key)
        if now is None:
            texts = [t for since, t in current if since <= as_of]
            now = self._now[key] = texts[-1] if texts else ""
        return now

    def _hit(self, doc, text, rule, taken, start, end, tests, sentence_veto, current, as_of):
        entry, fields = taken
        if entry["obsolete_from"] > as_of:
            return None
        if start < 0 or start == end:
            return None
        vetoes, history, history_words, congress = tests
        if vetoes is not None and vetoes(doc, start, end):
            return None
        s_start, s_end = sentence_span(text, start, end)
        if sentence_veto is not None and sentence_veto(text, s_start, s_end):
            return None
        if congress and self._names_latest_congress(text, s_start, s_end, as_of):
            return None  # a list of congresses up to the current one, not a claim
        if history and names_past_year(text, s_start, s_end, entry["obsolete_from"]):
            return None
        if history and dated_paragraph(text, start, entry):
            return None
        if history_words and _HISTORY.search(text, s_start, s_end):
            return None
        if text[start] != "《" and in_title(text, start, end):
            return None
        if self._own_period_covers(doc, rule, entry, as_of):
            return None
        # By Hit.of, not the frozen dataclass's __init__ (the same object): 0.9 against
        # 1.3 us a hit, and the corpus gives 6,760.
        return Hit.of(start, end, rule, None, {**fields, "current": current})

    def _names_latest_congress(self, text: str, start: int, end: int, as_of) -> bool:
        """Whether the sentence names the congress that is the latest at ``as_of``.
        Which one that is, and its pattern, are worked out once per date and run
        (timeline.latest_congress builds the whole list of congresses each time)."""
        pat = self._latest.get(as_of, False)
        if pat is False:
            latest = timeline.latest_congress(as_of)
            pat = self._latest[as_of] = None if latest is None else _latest_pattern(latest["n"])
        return pat is not None and pat.search(text, start, end) is not None

    def _own_period_covers(self, doc, rule, entry, as_of) -> bool:
        """A document that speaks for a period reaching into the entry's window, and is
        not stale, narrates its own time."""
        od = owndate.own_date(doc)
        if od is None or od.source not in ("落款", "标题", "落款和标题"):
            return False
        if owndate.is_stale(od, as_of, rule.options.get("stale_after_years", 2)):
            return False
        begin = entry.get("current_from") or _dt.date(1900, 1, 1)
        return od.covers(begin, entry["obsolete_from"])


def _latest_pattern(n: str):
    """``{_NOT_AFTER_DIGIT}{n}(?:大|届)`` for stdlib ``re``: the lookbehind after the
    number (``{n}(?<![一…十]{n})``, the same test of the character before it), so
    the search skips to the number as a literal (``regex`` looked at every
    position of the sentence for the lookbehind: 3.5 -> 1.3 thousand
    instructions a search)."""
    return pattern_cache.compile_re(f"{n}(?<!{_CN_DIGIT}{n})(?:大|届)")


def _entry_taken(m, numbers) -> int:
    """The first entry whose group (``numbers``: e0, e1, ...) took part in a match of
    a grouped pattern (1.3 µs a match by m.group(f"e{i}"))."""
    if len(numbers) == 1:
        return 0
    regs = m.regs
    for i, g in enumerate(numbers):
        if regs[g][0] >= 0:
            return i


# What may make an entry's match depend on the text past its end, or the choice
# among the entries on more than the item's span (EntryOf): a lookahead, an
# assertion of an end or a boundary, a backreference, a conditional, a recursion,
# a backtracking verb; in the context pattern, flags scoped to a group (the slot
# may stand in it).
_READS_PAST_END = pattern_cache.compile(r"\(\?[=!]|\$|\\[bBzZmMgG1-9]|\(\?(?:\(|P[=>]|[R&0-9+-])|\(\*")
_PICKS_BY_MORE = pattern_cache.compile(r"\(\?[a-zA-Z^-]+:|\\[gG1-9]|\(\?(?:\(|P[=>]|[R&0-9+-])|\(\*")


class EntryOf:
    """Which of a rule's entries a match of its ungrouped pattern took, told by the
    entries alone: ``which(text, start, end)``, the item's span, gives the first
    entry that matches exactly that span (its lookbehinds read the text before it),
    or None (then the grouped pattern is matched again from the match's start).
    The grouped pattern's match is the same match by the same path, and tries the
    entries in order at the item's start with the same context: the first of them
    that can end where the item ends is the one it took. Made only where that holds
    as written: entries that read nothing past their end and a pattern that picks
    among them by nothing but where the item ends (``_READS_PAST_END``,
    ``_PICKS_BY_MORE``), compiled with the scan's flags.

    The 1000 corpus files' 7,239 matches were each matched again by the grouped
    pattern, lookbehind and lookahead contexts and all, through the rule's budget:
    3.5 us, a tenth of the kind's check. A class, not a closure: --jobs may pickle
    the kinds."""
    __slots__ = ("pat", "firsts")

    def __init__(self, pat, firsts):
        self.pat = pat
        self.firsts = firsts  # each entry's group number, in order

    @classmethod
    def of(cls, scan, entries):
        sources = [_entry_source(e) for e in entries]
        if any(_READS_PAST_END.search(s) for s in sources) or _PICKS_BY_MORE.search(scan.pattern):
            return None
        pat = pattern_cache.compile("|".join(f"(?P<e{i}>{s})" for i, s in enumerate(sources)), scan.flags)
        return cls(pat, [pat.groupindex[f"e{i}"] for i in range(len(sources))])

    def __call__(self, text: str, start: int, end: int):
        if start < 0:
            return None
        m = self.pat.fullmatch(text, start, end)
        if m is None:
            return None
        # The entry's own group closes last; a group inside it would still fall
        # in its range.
        return bisect_right(self.firsts, m.lastindex) - 1


def _handles_of(patterns):
    """The handles of a rule's patterns (None: one is scanned whole, whatever the text holds)."""
    handles = [p[1] for p in patterns]
    return None if None in handles else frozenset(handles)


def _all_handles(compiled):
    """Every rule's handles (None: a pattern is scanned whole)."""
    return None if any(c[-1] is None for c in compiled) else frozenset().union(*(c[-1] for c in compiled))


class _Anchors:
    """What finditer_anchored asks of a context (its ``anchors``), for an index of the
    kind's own. A class, not a closure: --jobs may pickle the kinds."""
    __slots__ = ("anchors",)

    def __init__(self, anchors):
        self.anchors = anchors


class SentenceVeto:
    """Whether one of a rule's ``unless_sentence`` patterns matches in
    text[start:end] (``veto(text, start, end)``). A pattern that is an alternation
    of plain literals (二十大|二十届, all the shipped ones) is looked for by
    ``str.find``: a ``regex`` search cost 3.6 µs a hit of DJ403/DJ407/DJ410 on the
    1000 corpus files, the finds 0.3. A class, not a closure: --jobs may pickle
    the kinds."""

    def __init__(self, patterns):
        self.patterns = patterns
        self.literals = _literal_alternatives(patterns)

    def __call__(self, text: str, start: int, end: int) -> bool:
        literals = self.literals
        if literals is None:
            return any(p.search(text, start, end) for p in self.patterns)
        find = text.find
        for lit in literals:
            if find(lit, start, end) >= 0:
                return True
        return False


def _literal_alternatives(patterns):
    """The literals of ``patterns`` when each is an alternation of plain literals
    (a match anywhere is an occurrence of one of them), else None."""
    literals = []
    for pat in patterns:
        parts = pat.pattern.split("|")
        if pat.flags & (IntFlags.IGNORECASE | IntFlags.VERBOSE) or not all(p and regex.escape(p) == p for p in parts):
            return None
        literals.extend(parts)
    return tuple(dict.fromkeys(literals))


def sentence_span(text: str, start: int, end: int):
    """The sentence holding [start, end): bounded by 。！？ or a line break."""
    lo = max(0, start - _SENTENCE_MAX)
    m = _LAST_SENTENCE_END.match(text, lo, start)
    left = m.end() if m else lo
    hi = min(len(text), end + _SENTENCE_MAX)
    m = _SENTENCE_END.search(text, end, hi)
    return left, (m.start() if m else hi)


def names_past_year(text: str, start: int, end: int, obsolete_from: _dt.date) -> bool:
    """True when the sentence is dated by a closed year before the entry went out
    of date: it reports what was done then, it does not claim it is current."""
    if text.find("年", start, end) < 0:
        return False  # 7 in 10 of the corpus' hits: 0.2 µs, not the scan's 0.6
    for m in _CLOSED_YEAR.finditer(text, start, end):
        if _dt.date(decimal(m.group(1)), 1, 1) < obsolete_from:
            return True
    return False


def in_title(text: str, start: int, end: int) -> bool:
    """True when [start, end) stands inside a cited title 《…》 on its line."""
    lo = max(0, start - 60)
    open_at = text.rfind("《", lo, start)
    if open_at < 0 or text.rfind("》", open_at, start) >= 0 or "\n" in text[open_at:start]:
        return False
    close = text.find("》", end, end + 60)
    return close >= 0 and "\n" not in text[end:close]


_PARA_AHEAD = 5000


def dated_paragraph(text: str, start: int, entry) -> bool:
    """Reported speech: a year-month in this or the previous paragraph, inside the
    entry's window, dates what is said there."""
    hi = _paragraph_end(text, start)
    floor = max(0, start - _PARA_BACK)
    # Every date it looks for ends in 月: none from as far back as the window may
    # reach, no date, and no walk back over the paragraphs (the 1000 corpus files:
    # 6,222 of 7,239 hits; realworld 2,332 of 2,862).
    if text.find("月", floor, hi) < 0:
        return False
    lo = _paragraph_start(text, start, floor)
    if text.find("月", lo, hi) < 0:
        return False
    return dated_in(text, lo, hi, entry)


_PARA_BACK = 600


def paragraph_window(text: str, start: int):
    """(lo, hi): from the start of the paragraph before the one holding ``start``
    (at most _PARA_BACK characters back) to the end of its line (at most _PARA_AHEAD on)."""
    return _paragraph_start(text, start, max(0, start - _PARA_BACK)), _paragraph_end(text, start)


def _paragraph_start(text: str, start: int, floor: int) -> int:
    lo, seen, i = start, 0, start
    while i > floor and seen < 2:
        j = text.rfind("\n", floor, i - 1)
        if j < 0:
            lo = floor
            break
        if text[j + 1:i].strip():
            seen += 1
        lo, i = j + 1, j + 1
    return lo


def _paragraph_end(text: str, start: int) -> int:
    # Bounded ahead as it is behind: on a 5 MB single line every hit scanned
    # to the line's end (quadratic).
    hi = text.find("\n", start, start + _PARA_AHEAD)
    return min(len(text), start + _PARA_AHEAD) if hi < 0 else hi


def dated_in(text: str, lo: int, hi: int, entry) -> bool:
    """Whether text[lo:hi] holds a year-month inside the entry's window."""
    begin = entry.get("current_from")
    for year, month in _para_dates(text, lo, hi):
        try:
            d = _dt.date(decimal(year), decimal(month), 1)
        except ValueError:
            continue
        if (begin is None or d >= begin.replace(day=1)) and d < entry["obsolete_from"]:
            return True
    return False


# The text dated_in last read, how many characters its scans read there, and its
# year-months found once, or None (_para_dates): one tuple, replaced whole, so that
# a thread never reads one text's dates for another's.
_DATES: tuple = (None, 0, None)


def _para_dates(text: str, lo: int, hi: int):
    """(year, month) of each _PARA_DATE match of text[lo:hi], in order. A match is
    fixed by its start (four digits after no digit, the spaces, 年, one or two
    digits, the spaces, 月: no part can give back a character) and none starts
    inside another, so the matches of the slice are those of the whole text that
    lie inside it (the lookbehind sees the text before ``lo`` either way). Once the
    slices read in a text add up to more than the text, its matches are found
    once and each slice takes its own by bisection: on a 5 MB line without a
    break, each hit read the 5,600 characters around it (a text of at most
    _DATES_LEAST characters: its slices scanned as they come)."""
    global _DATES
    if len(text) <= _DATES_LEAST:
        return map(_GROUPS, _PARA_DATE.finditer(text, lo, hi))
    held, read, dates = _DATES
    if held is not text:
        read, dates = 0, None
    if dates is None:
        read += hi - lo
        if read <= len(text):
            _DATES = (text, read, None)
            return map(_GROUPS, _PARA_DATE.finditer(text, lo, hi))
        found = [(m.start(), m.end(), m.group(1), m.group(2)) for m in _PARA_DATE.finditer(text)]
        dates = ([date[0] for date in found], found)
        _DATES = (text, read, dates)
    starts, found = dates
    return [(year, month) for _, end, year, month in found[bisect_left(starts, lo):bisect_left(starts, hi)]
            if end <= hi]


_GROUPS = methodcaller("groups")
# A shorter text's slices are scanned as they come (a corpus document's few).
_DATES_LEAST = 1 << 16
