"""kind: enumeration — a numbered formulation followed by its items.

When a label such as “四个意识” is followed by its items — after 即/就是/包括…,
after ：or （, or as a 顿号 list in the next clause — the items must be exactly
the canonical ones (``items``), in the canonical order when ``ordered``.

Pieces are compared after the same normalisation on both sides (``strip``:
quotes, spaces, a leading 增强/树立/坚定…), with ``aliases`` for accepted short
forms. Reading stops at the end of the sentence, at a piece longer than any item
could be, and — once as many pieces as items were read — at a clause break, so
a correct list followed by more text is never taken for an extra item.
"""
from __future__ import annotations

import datetime as _dt
import functools

import regex

from ..model.findings import Hit
from ..model.rules import RuleError
from .base import Kind, Veto, anchor_index, compile_regex, finditer_anchored, register_anchors
from ..text import owndate, pattern_cache

DEFAULT_SPLIT = r"[、，,；;]|以及|和|及|与"
# Words that may stand before the first item or after the last one without being
# part of it: 始终以创新、协调…共享的内在统一来把握发展 lists the five items. They are
# only taken off when what remains is exactly an item (or an accepted alias), so
# they can rescue a correct list but never make a wrong one.
_LEAD = pattern_cache.compile(
    r"^(?:始终|一直|全面|完整|准确|深入|切实|认真|自觉|坚定|坚决|必须|要|就是|即|也|都|"
    r"牢固|牢牢|树立|树牢|坚持|贯彻|践行|落实|把握|按照|围绕|突出|体现|统筹|推进|"
    r"做到|增强|强化|提高|以|用|把|将|在|对|为|从|按)+")
_TRAIL = pattern_cache.compile(r"(?:的|地|来|为|等|这|之|作为|上|中|方面|理念|发展理念)")
DEFAULT_STRIP = (r"^(?:牢固)?(?:树立|增强|强化|坚定|坚持|做到|坚决做到|提高)|"
                 r"[“”\"‘’「」《》\s\u3000]|(?:等)$")
# Connectors that announce the items: 即 / 就是 / 包括 … (a short tail such as
# 总体布局 or 强化一个观念 may stand between label and connector).
_STRONG = pattern_cache.compile(
    r"[^。！？；;\n“”\"‘’（(：:、，,]{0,8}?[。，,]?\s*"
    r"(?:即|也就是|就是|是指|指的是|包括|分别是|具体是|具体为)[：:，,]?\s*")
_COLON = pattern_cache.compile(r"(?:总体布局|战略布局)?\s*[：:（(]\s*")
_NEXT_CLAUSE = pattern_cache.compile(r"(?:总体布局|战略布局)?[，,]\s*")
_END = pattern_cache.compile(r"[。！？；;）)\n]")
_CLAUSE_SEP = pattern_cache.compile(r"[，,；;]")
_REGION_MAX = 160


class EnumerationKind(Kind):
    FIELDS = {
        "label": str,
        "items": list,
        "aliases": dict,
        "ordered": bool,
        "split": str,
        "strip": str,
        "since": (_dt.date, str),
        "require": str,
        "unless": (str, list),
        "unless_line": (str, list),
    }
    REQUIRED = ("label", "items")
    MESSAGE_FIELDS = ("label", "canonical", "found", "problem")

    @classmethod
    def validate(cls, rule):
        o = rule.options
        compile_regex(o["label"], "label")
        if len(o["items"]) < 2 or not all(isinstance(i, str) and i for i in o["items"]):
            raise RuleError("field 'items' should list at least two non-empty items")
        for key in ("split", "strip", "require"):
            if key in o:
                compile_regex(o[key], key)
        for alias, target in (o.get("aliases") or {}).items():
            if target not in o["items"]:
                raise RuleError(f"field 'aliases': '{alias}' points to '{target}', not an item")
        if "since" in o:
            _since(o["since"])
        Veto(rule)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.compiled = []
        # Under --as-of document a rule's ``since`` is compared with each document's
        # own date (as cndate's is), not with the run's: a 2008 report's local
        # 四个意识 is not wrong for its date. The run's date bounds every document's.
        self.per_document = bool(getattr(ctx.as_of, "per_document", False))
        for rule in rules:
            o = rule.options
            since = _since(o["since"]) if "since" in o else None
            if since is not None and since > ctx.as_of:
                continue  # the label had other, local meanings before this date
            strip = compile_regex(o.get("strip", DEFAULT_STRIP), "strip", rule=rule)
            norm = functools.partial(strip.sub, "")  # not a lambda: --jobs under spawn pickles the kinds
            items = [norm(i) for i in o["items"]]
            aliases = {norm(k): norm(v) for k, v in (o.get("aliases") or {}).items()}
            spec = {
                "rule": rule, "strip": strip,
                "label": compile_regex(r"[“\"‘]?(?:" + o["label"] + r")[”\"’]?", "label", rule=rule),
                "handle": None,
                "items": items, "aliases": aliases, "norm": norm,
                "known": set(items) | set(aliases),
                "split": compile_regex(o.get("split", DEFAULT_SPLIT), "split", rule=rule),
                "require": compile_regex(o["require"], "require", rule=rule) if "require" in o else None,
                "max_item": max(len(i) for i in items) + 6,
                # Items that may be split at 顿号 are short; their list starts with one.
                "short": bool(compile_regex(o.get("split", DEFAULT_SPLIT), "split").fullmatch("、")),
                "veto": Veto(rule, timeout=self.ctx.regex_timeout),
                "since": since if self.per_document else None,
            }
            # The label's literal anchors in the run's automaton: a document without
            # them is skipped, one with them is scanned in their lines only.
            spec["handle"] = register_anchors(ctx, spec["label"])
            self.compiled.append(spec)
        self.any_label = (pattern_cache.compile("|".join(f"(?:{r.options['label']})" for r in rules))
                          if rules else None)
        # When every label has its anchors' handle, a document holding none of them is
        # done by one test in C (most short documents), not a Python step for each
        # of the labels (36 shipped).
        self._handles = (frozenset(spec["handle"] for spec in self.compiled)
                         if all(spec["handle"] is not None for spec in self.compiled) else None)

    def check(self, doc):
        present = anchor_index(self.ctx).present(doc.text) if self.compiled else ()
        if self._handles is not None and self._handles.isdisjoint(present):
            return
        as_of = None
        for spec in self.compiled:
            handle = spec["handle"]
            if handle is not None and handle not in present:
                continue
            if spec["since"] is not None:
                if as_of is None:
                    as_of = owndate.effective_as_of(self.ctx, doc)
                if as_of < spec["since"]:
                    continue
            for m in finditer_anchored(self.ctx, spec["label"], handle, doc.text, self.ctx.regex_timeout):
                hit = self._check_label(doc, spec, m)
                if hit is not None:
                    yield hit

    def _check_label(self, doc, spec, m):
        text, pos = doc.text, m.end()
        strong = _STRONG.match(text, pos)
        if strong and self.any_label.search(text, pos, strong.end()):
            strong = None  # the tail names another label: these items are not ours
        form = "strong"
        start = strong.end() if strong else None
        if start is None:
            colon = _COLON.match(text, pos)
            start, form = (colon.end(), "colon") if colon else (None, form)
        if start is None:
            nxt = _NEXT_CLAUSE.match(text, pos)
            if nxt is None:
                return None
            start, form = nxt.end(), "next"
        pieces = self._pieces(doc, spec, start, form)
        if len(pieces) < 2:
            return None
        if spec["require"] and not spec["require"].search(text, pieces[0][1], pieces[-1][2]):
            return None
        found = [spec["aliases"].get(p, p) for p, _, _ in pieces]
        canon = spec["items"]
        if form == "next" and sum(f in canon for f in found) < max(2, (len(canon) + 1) // 2):
            return None  # an unrelated list after the label, not its items
        s, e = pieces[0][1], pieces[-1][2]
        # An item written out later in the same sentence is not missing either
        # (践行“三严三实”，做到严以修身…，谋事要实… reads one clause at a time).
        end_m = _END.search(text, e, min(len(text), e + _REGION_MAX))
        sentence = text[s:end_m.start() if end_m else min(len(text), e + _REGION_MAX)]
        problem = _problem(found, canon, spec["rule"].options.get("ordered", True),
                           spec["norm"](sentence))
        if problem is None:
            return None
        if spec["veto"] and spec["veto"].vetoes(doc, s, e):
            return None
        items = spec["rule"].options["items"]
        joiner = "，" if any("、" in i for i in items) else "、"
        fields = {"label": regex.sub(r"[“”\"‘’]", "", m.group()), "canonical": joiner.join(items),
                  "found": joiner.join(text[a:b] for _, a, b in pieces), "problem": problem}
        return Hit(s, e, spec["rule"], None, fields)

    def _pieces(self, doc, spec, start, form):
        """[(normalised piece, start, end)] of the list that begins at ``start``."""
        text = doc.text
        end_m = _END.search(text, start, min(len(text), start + _REGION_MAX))
        stop = end_m.start() if end_m else min(len(text), start + _REGION_MAX)
        if form == "next":  # only the one clause after the label
            clause = _CLAUSE_SEP.search(text, start, stop)
            stop = clause.start() if clause else stop
        pieces, cursor, sep = [], start, ""
        n = len(spec["items"])
        for m in list(spec["split"].finditer(text, start, stop)) + [None]:
            p_end = m.start() if m else stop
            raw = text[cursor:p_end]
            if len(pieces) >= n and _CLAUSE_SEP.fullmatch(sep or "、"):
                break  # a full list, then a new clause: what follows is not an item
            normal = spec["norm"](raw)
            rescued = None if normal in spec["known"] else _rescue(spec, raw)
            if rescued is not None:
                normal, lead, tail, stop_here = rescued
                pieces.append((normal, cursor + lead, cursor + tail))
                if stop_here or m is None:
                    break
                if len(pieces) == 1 and spec["short"] and _CLAUSE_SEP.fullmatch(m.group()):
                    return []
                cursor, sep = m.end(), m.group()
                continue
            if not normal or len(normal) > spec["max_item"]:
                break
            # In the next-clause form a leading verb (树立…) belongs to the clause, not the list.
            lead = (_leading(spec["strip"], raw) if form == "next" and not pieces
                    else len(raw) - len(raw.lstrip()))
            pieces.append((normal, cursor + lead, cursor + len(raw.rstrip())))
            if m is None:
                break
            if len(pieces) == 1 and spec["short"] and _CLAUSE_SEP.fullmatch(m.group()):
                return []  # short items are listed with 顿号: “增强政治意识，提高…” is prose
            cursor, sep = m.end(), m.group()
        return pieces


def _leading(strip, raw: str) -> int:
    """How many characters the normalisation removes at the start of ``raw``
    (spaces, a quote, a leading verb): the finding starts after them."""
    pos = 0
    while True:
        m = strip.match(raw, pos)
        if m is None or m.end() == pos:
            return pos
        pos = m.end()


def _since(value) -> _dt.date:
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise RuleError("field 'since' should be a date YYYY-MM-DD") from None


def _rescue(spec, raw: str):
    """A piece that is an item once a leading verb or preposition (始终以, 坚持…)
    and a trailing particle with what follows it (的内在统一来把握发展) are taken
    off: (item, start offset, end offset, list ends here), else None. Only exact
    items and aliases are rescued, so a wrong item is never made right."""
    body = raw.rstrip()
    first = len(raw) - len(raw.lstrip())
    known = spec["known"]
    starts = [first]
    m = _LEAD.match(body, first)
    if m:  # every prefix the lead vocabulary covers, longest last
        starts += [k for k in range(first + 1, m.end() + 1) if _LEAD.fullmatch(body, first, k)]
    for k in starts:
        ends = [len(body)] + [j for j in range(len(body) - 1, k, -1) if _TRAIL.match(body, j)]
        for j in ends:
            normal = spec["norm"](body[k:j])
            if normal in known:
                return spec["aliases"].get(normal, normal), k, j, j < len(body)
    return None


def _problem(found, canon, ordered, matched=""):
    """None when the list is right, else a short Chinese description of what is wrong.
    An item that appears word for word in the matched text is never called missing."""
    missing = [c for c in canon if c not in found and c not in matched]
    extra = [f for f in found if f not in canon]
    parts = []
    if missing:
        parts.append("缺少“" + "、".join(missing) + "”")
    if extra:
        parts.append("多出或误作“" + "、".join(extra) + "”")
    if not parts and len(found) != len(set(found)):
        parts.append("有重复项")
    order = [canon.index(f) for f in found if f in canon]
    if not parts and ordered and order != sorted(order):
        parts.append("顺序应为规范顺序")
    return "；".join(parts) if parts else None
