"""kind: obsolete — dated formulations used as if they were still current.

A rule lists ``entries``: each names a formulation (``item``, matched by the
regex ``match`` or literally), the date from which it is no longer current
(``obsolete_from``), what replaced it and the source of the dates. The rule's
``pattern`` supplies the *current-use* context around the slot ``{item}``
(学习贯彻…精神, 以…为指导, 正在开展…); the slot is filled with all entries.

Time is judged against the run's as-of date (``ctx.as_of``), never against the
date a document carries: a report dated 2006 linted in 2026 is a copied
template, and its 十六届五中全会精神 is outdated for whoever reuses it. What
keeps a historical sentence quiet is the sentence itself: one that names a
closed past year inside the entry's window (``2005年开展…时``, not
``2006年以来``, which reaches into the present) is a report of the past.
"""
from __future__ import annotations

import datetime as _dt

import regex

from ..model.findings import Hit
from ..model.rules import RuleError
from .base import Veto, Kind, as_list, compile_all, compile_regex

SLOT = "{item}"
ENTRY_FIELDS = {"item": str, "match": str, "obsolete_from": (_dt.date, str),
                "replaced_by": str, "period": str, "source": str, "note": str}
ENTRY_REQUIRED = ("item", "obsolete_from", "source")
# Where a sentence ends: the historical-year test never looks past these.
_SENTENCE_END = regex.compile(r"[。！？!?\n]")
# A closed year: 2005年 but not 2006年以来 / 2006年来 / 2006年度以来 (those reach into the present).
_CLOSED_YEAR = regex.compile(r"((?:19|20)\d\d)年(?!度?以来|来)")
_SENTENCE_MAX = 200


def _date(value, where: str) -> _dt.date:
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise RuleError(f"field '{where}' should be a date YYYY-MM-DD") from None


def _entries(rule):
    entries = rule.options["entries"]
    if not entries:
        raise RuleError("field 'entries' should list at least one entry")
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
        out.append(dict(e, obsolete_from=_date(e["obsolete_from"], f"{where}.obsolete_from")))
    return out


def _current(rule):
    out = []
    for i, c in enumerate(as_list(rule.options.get("current"))):
        if not isinstance(c, dict) or set(c) != {"since", "text"}:
            raise RuleError(f"field 'current[{i}]' should be {{since: date, text: …}}")
        out.append((_date(c["since"], f"current[{i}].since"), str(c["text"])))
    return sorted(out)


def _compile(rule, entries):
    """One regex per rule: the context pattern with the slot filled by one
    named group per entry, so a match maps straight back to its entry."""
    alternation = "|".join(f"(?P<e{i}>{e.get('match', regex.escape(e['item']))})"
                           for i, e in enumerate(entries))
    out = []
    for source in as_list(rule.options["pattern"]):
        if not isinstance(source, str) or source.count(SLOT) != 1:
            raise RuleError("field 'pattern' should contain the slot {item} exactly once")
        out.append(compile_regex(source.replace(SLOT, f"(?P<item>{alternation})"), "pattern"))
    return out


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
    }
    REQUIRED = ("entries", "pattern")
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
        for rule in rules:
            entries = _entries(rule)
            # Entries not yet outdated at the as-of date cannot fire: skip the rule entirely
            # when none is, so a run --as-of 2004 pays nothing for 2017 rules.
            if not any(e["obsolete_from"] <= ctx.as_of for e in entries):
                continue
            current = [text for since, text in _current(rule) if since <= ctx.as_of]
            self.compiled.append((rule, entries, _compile(rule, entries), Veto(rule),
                                  compile_all(rule.options.get("unless_sentence"), "unless_sentence"),
                                  current[-1] if current else ""))

    def check(self, doc):
        for rule, entries, patterns, veto, sentence_veto, current in self.compiled:
            history = rule.options.get("past_year_is_history", True)
            for pat in patterns:
                for m in pat.finditer(doc.text, overlapped=False, timeout=self.ctx.regex_timeout):
                    hit = self._hit(doc, rule, entries, m, veto, sentence_veto, history, current)
                    if hit is not None:
                        yield hit

    def _hit(self, doc, rule, entries, m, veto, sentence_veto, history, current):
        index = next(i for i in range(len(entries)) if m.group(f"e{i}") is not None)
        entry = entries[index]
        if entry["obsolete_from"] > self.ctx.as_of:
            return None
        start, end = m.span("hit") if "hit" in m.re.groupindex else m.span("item")
        if start < 0 or start == end:
            return None
        if veto and veto.vetoes(doc, start, end):
            return None
        s_start, s_end = sentence_span(doc.text, start, end)
        if any(p.search(doc.text, s_start, s_end) for p in sentence_veto):
            return None
        if history and names_past_year(doc.text, s_start, s_end, entry["obsolete_from"]):
            return None
        fields = {"item": entry["item"], "since": _month(entry["obsolete_from"]),
                  "replaced_by": entry.get("replaced_by", ""), "period": entry.get("period", ""),
                  "current": current}
        return Hit(start, end, rule, None, fields)


def sentence_span(text: str, start: int, end: int):
    """The sentence holding [start, end): bounded by 。！？ or a line break."""
    lo = max(0, start - _SENTENCE_MAX)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end, min(len(text), end + _SENTENCE_MAX))
    return left, (m.start() if m else min(len(text), end + _SENTENCE_MAX))


def names_past_year(text: str, start: int, end: int, obsolete_from: _dt.date) -> bool:
    """True when the sentence is dated by a closed year before the entry went out
    of date: it reports what was done then, it does not claim it is current."""
    for m in _CLOSED_YEAR.finditer(text, start, end):
        if _dt.date(int(m.group(1)), 1, 1) < obsolete_from:
            return True
    return False
