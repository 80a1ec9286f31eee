"""Inline suppression comments, applied by the engine after the checks.

    <!-- dj-lint-disable RULE[,RULE] -->   from here on (until an enable)
    <!-- dj-lint-enable [RULE[,RULE]] -->  end the open regions (those named, or all)
    <!-- dj-lint-disable-next-line RULE -->  only the line after the comment
    <!-- dj-lint-disable-line RULE -->       only the line holding the comment

RULE is an id, a name, a category or an id prefix; no RULE means every rule.
The same HTML-comment syntax works in Markdown and in plain text.

Suppressions must be auditable (ruff reports unused ``noqa``): a directive
that silenced nothing, names an unknown rule, or enables what was never
disabled becomes a hit of the rule whose kind is ``suppression`` (DJ001);
so does a comment that starts like ours but is no directive we know
(``dj-lint-disable-lines``, ``dj-lint disable``): silently ignoring a typo
would leave the finding it meant to silence unexplained.
A directive is only called unused when every rule it names ran in this
pass; otherwise ``--select`` would make correct directives look stale.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple


from ..model.findings import CATEGORIES, Hit
from ..model.selectors import matches_selector
from ..text import pattern_cache

VERBS = ("disable", "enable", "disable-line", "disable-next-line")
# Any comment that opens with "dj-lint" is ours: a known verb is a directive,
# anything else (a typo, a space for the hyphen) is reported as unknown.
_COMMENT = pattern_cache.compile(r"<!--[ \t]*dj-lint(?![A-Za-z0-9_])(?P<rest>(?:[^\n>]*?)?)[ \t]*-->")
_VERB = pattern_cache.compile(r"-(?P<verb>[a-z]+(?:-[a-z]+)*)(?P<args>(?:[ \t]+.*)?)\Z")
_SPLIT = pattern_cache.compile(r"[\s,，、]+")
END = float("inf")


@dataclass
class Directive:
    verb: str
    start: int              # offsets of the whole comment in Document.text
    end: int
    selectors: Tuple[str, ...]   # empty: every rule
    region: Tuple[float, float] = (0, 0)  # offsets of text it silences
    used: set = field(default_factory=set)   # selectors (or "*") that silenced a hit
    problem: Optional[str] = None  # set for enable-without-disable


def _matches(rule, selector: str) -> bool:
    return matches_selector(rule, selector)


def parse(doc) -> List[Directive]:
    """Find the directives and the span of text each one silences."""
    text = doc.text
    if "dj-lint" not in text:
        return []
    out: List[Directive] = []
    open_regions: List[Directive] = []
    for m in _COMMENT.finditer(text):
        v = _VERB.match(m.group("rest"))
        if v is None or v.group("verb") not in VERBS:
            out.append(Directive("unknown", m.start(), m.end(), (), problem=_unknown(m, v)))
            continue
        sels = tuple(s for s in _SPLIT.split(v.group("args").strip()) if s)
        d = Directive(v.group("verb"), m.start(), m.end(), sels)
        if d.verb == "disable-line":
            first, _ = doc.line_span(d.start)
            _, last = doc.line_span(max(d.start, d.end - 1))
            d.region = (first, last + 1)
        elif d.verb == "disable-next-line":
            _, line_end = doc.line_span(max(d.start, d.end - 1))
            nxt = line_end + 1
            d.region = (nxt, doc.line_span(nxt)[1] if nxt <= len(text) else nxt)
        elif d.verb == "disable":
            d.region = (d.end, END)
            open_regions.append(d)
        else:
            closed = [o for o in open_regions if not sels or set(sels) & set(o.selectors)
                      or (not o.selectors and not sels)]
            if not closed:
                d.problem = "前面没有对应的 dj-lint-disable"
            for o in closed:
                o.region = (o.region[0], d.start)
                open_regions.remove(o)
        out.append(d)
    return out


def _unknown(m, v) -> str:
    """Why a comment opening with "dj-lint" is not a directive, with the nearest one."""
    word = v.group("verb") if v is not None else m.group("rest").strip().split(" ")[0].lstrip("-: ")
    import difflib  # here: only a misspelt directive needs it (3 M instructions a start)
    near = difflib.get_close_matches(word.lower(), VERBS, n=1, cutoff=0.6)
    if near:
        return f"不是可识别的指令（是不是要写 dj-lint-{near[0]}？）"
    return "不是可识别的指令（可用：" + "、".join("dj-lint-" + verb for verb in VERBS) + "）"


def _silencer(d: Directive, hit: Hit) -> Optional[str]:
    """The selector of ``d`` that silences ``hit`` ("*" for a bare directive)."""
    if d.verb in ("enable", "unknown") or not (d.region[0] <= hit.start < d.region[1]):
        return None
    if not d.selectors:
        return "*"
    for sel in d.selectors:
        if _matches(hit.rule, sel):
            return sel
    return None


def apply(doc, hits: List[Hit], active: Sequence, known: Sequence,
          directives: Optional[List[Directive]] = None) -> List[Hit]:
    """Drop silenced hits; add one hit of the suppression rule per unused directive.

    ``active`` are the rules that ran on this document, ``known`` every rule
    the configuration knows (so a typo in a directive is reported);
    ``directives``: ``parse(doc)``, if the caller has it."""
    if directives is None:
        directives = parse(doc)
    if not directives:
        return hits
    spans = [(d.start, d.end) for d in directives]
    starts = [s for s, _ in spans]
    kept = []
    for hit in hits:
        # Findings inside our own comments (e.g. as "HTML debris") are not the user's text.
        i = bisect.bisect_right(starts, hit.start) - 1
        if i >= 0 and hit.start < spans[i][1]:
            continue
        silenced = False
        for d in directives:
            sel = _silencer(d, hit)
            if sel is not None:
                d.used.add(sel)
                silenced = True
        if not silenced:
            kept.append(hit)
    reporter = next((r for r in active if r.kind == "suppression"), None)
    if reporter is not None:
        kept.extend(_unused(directives, reporter, active, known))
    return kept


def _unused(directives, reporter, active, known) -> List[Hit]:
    active_ids = {r.id for r in active}
    known = list(known) or list(active)
    judged = [r for r in known if r.kind != "suppression"]

    def ran(selector: Optional[str]) -> bool:
        # A rule switched off (ignore, --select, enabled: false) did not run: a
        # directive naming it may be needed elsewhere and is not called unused.
        wanted = [r for r in judged if selector is None or _matches(r, selector)]
        return all(r.id in active_ids for r in wanted)

    out = []
    for d in directives:
        reason = d.problem
        if reason is None and d.verb not in ("enable", "unknown"):
            unknown = [s for s in d.selectors
                       if s not in CATEGORIES and not any(_matches(r, s) for r in known)]
            if unknown:
                reason = "中的规则“" + "、".join(unknown) + "”不存在"
            elif not d.selectors:
                if "*" not in d.used and ran(None):
                    reason = "没有屏蔽任何问题"
            else:
                idle = [s for s in d.selectors if s not in d.used and ran(s)]
                if idle:
                    reason = "中的“" + "、".join(idle) + "”没有屏蔽任何问题"
        if reason is not None:
            out.append(Hit(d.start, d.end, reporter, None, {"reason": reason}))
    return out
