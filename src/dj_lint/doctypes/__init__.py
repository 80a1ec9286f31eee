"""Document types and their required sections: rules/data/doc_types.yaml.

The data file is validated as strictly as a rule pack: an unknown field, a
missing one, a wrong type or a regex that does not compile stops the run with
one line naming the file, the entry and the field.  Detection and section
search live here too; both work on a Document's outline (structure.py).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List, Optional

import regex

from ..model.rules import RuleError
from ..text import build_cache, pattern_cache
from ..text.layout import (_LABEL, AnyOf, _fields, _gate_chars, _regex, _regexes, data_path,  # noqa: F401
                           parse_layout, raw_data)

TYPE_FIELDS = {"id": str, "name": str, "title": list, "unless_title": list, "body": list,
               "signature": str, "sections": list, "order": list}
TYPE_REQUIRED = ("id", "name", "title", "signature", "sections")
SECTION_FIELDS = {"name": str, "expect": str, "required": bool, "when_title": str, "headings": list,
                  "inline": list, "region": str, "min_chars": int, "opening": bool, "min_headings": int}
SIGNATURE = ("required", "optional", "none")
REGIONS = {"head": (0.0, 0.25), "tail": (0.6, 1.0), "any": (0.0, 1.0)}


@dataclass(frozen=True)
class Section:
    name: str
    expect: str
    required: bool
    when_title: Optional[object]
    headings: tuple
    inline: tuple
    region: str
    min_chars: int
    opening: bool
    min_headings: int
    # A few characters one of which every match of ``headings`` holds (None: no such
    # few): a heading without any is not searched (_find_sections).
    heading_chars: Optional[tuple] = None


@dataclass(frozen=True)
class DocType:
    id: str
    name: str
    title: tuple
    unless_title: tuple
    body: tuple
    signature: str
    sections: tuple
    order: tuple


def parse_section(item, where: str) -> Section:
    _fields(item, SECTION_FIELDS, ("name", "expect"), where)
    region = item.get("region", "any")
    if region not in REGIONS:
        raise RuleError(f"{where}: field 'region' should be one of {', '.join(REGIONS)}")
    if not any(item.get(k) for k in ("headings", "inline", "opening", "min_headings")):
        raise RuleError(f"{where}: needs 'headings', 'inline', 'opening' or 'min_headings' to be found by")
    if ("min_chars" in item or "region" in item) and not item.get("inline"):
        raise RuleError(f"{where}: 'region' and 'min_chars' apply to 'inline' only")
    when = _regex(item["when_title"], f"{where}: when_title") if "when_title" in item else None
    headings = _regexes(item.get("headings", []), f"{where}: headings")
    return Section(item["name"], item["expect"], item.get("required", True), when, headings,
                   _regexes(item.get("inline", []), f"{where}: inline"), region,
                   item.get("min_chars", 0), item.get("opening", False), item.get("min_headings", 0),
                   _gate_chars(headings) if headings else None)


def parse_type(item, where: str) -> DocType:
    _fields(item, TYPE_FIELDS, TYPE_REQUIRED, where)
    where = f"{where.rsplit(':', 1)[0]}: {item['id']}"
    if item["signature"] not in SIGNATURE:
        raise RuleError(f"{where}: field 'signature' should be one of {', '.join(SIGNATURE)}")
    sections = tuple(parse_section(s, f"{where}: sections[{i}]") for i, s in enumerate(item["sections"]))
    names = [s.name for s in sections]
    if len(set(names)) != len(names):
        raise RuleError(f"{where}: duplicate section name")
    for name in item.get("order", []):
        if name not in names:
            raise RuleError(f"{where}: order: unknown section '{name}'")
    return DocType(item["id"], item["name"], _regexes(item["title"], f"{where}: title"),
                   _regexes(item.get("unless_title", []), f"{where}: unless_title"),
                   _regexes(item.get("body", []), f"{where}: body"), item["signature"], sections,
                   tuple(item.get("order", [])))


def parse(data, label: str = _LABEL):
    if not isinstance(data, dict):
        raise RuleError(f"{label}: should be a mapping with 'layout' and 'types'")
    for key in data:
        if key not in ("layout", "types"):
            raise RuleError(f"{label}: unknown field '{key}'")
    if not isinstance(data.get("types"), list):
        raise RuleError(f"{label}: 'types' should be a list")
    layout = parse_layout(data.get("layout"), label)
    types = [parse_type(t, f"{label}: types[{i}]") for i, t in enumerate(data["types"])]
    ids = [t.id for t in types]
    if len(set(ids)) != len(ids):
        raise RuleError(f"{label}: duplicate type id")
    return layout, types


_LOADED = None


def _load():
    """(layout, types), from the build cache when it holds this build."""
    global _LOADED
    if _LOADED is None:
        _LOADED = build_cache.product("doc-types", lambda: parse(raw_data()))
    return _LOADED


def load_layout() -> dict:
    return _load()[0]  # the same layout text/layout.py gives the outline parser


def load_types() -> List[DocType]:
    return _load()[1]


def type_by_id(type_id: str) -> Optional[DocType]:
    return next((t for t in load_types() if t.id == type_id), None)


# -- detection --------------------------------------------------------------
@dataclass(frozen=True)
class Detection:
    type: Optional[DocType]
    reason: str


# Whether any type's title (body) pattern occurs at all, one AnyOf for all types:
# most titles and file names name no type (1000 realworld files: 1,608 of 1,846
# looks; 22 searches a document, 5.9 -> 2.1 ms). A list with a pattern that refers
# to a group or sets a flag inline is not joined into one alternation (the
# reference or the flag would change): no gate.
_UNJOINABLE = pattern_cache.compile(r"\\[1-9]|\\g<|\(\?P=|\(\?\(|\(\?(?!P<)[a-zA-Z^-]")
_GATES = (None, None, None)


def _any_of(patterns):
    if not patterns or any(_UNJOINABLE.search(p.pattern) for p in patterns):
        return None
    try:
        return AnyOf(patterns)
    except regex.error:
        return None


def _gates(types):
    """(types, gate of their title patterns, gate of their body patterns); a gate is
    None when there is none."""
    global _GATES
    if _GATES[0] is not types:
        def build():
            return _any_of([p for t in types for p in t.title]), _any_of([p for t in types for p in t.body])
        # The shipped types' gates are kept in the build cache beside the types: made
        # at every run that detects a type, their alternations, gate characters and
        # pieces (anchors parsed again from the sources) cost about 4 ms of CPU.
        title, body = build_cache.product("doc-type-gates", build) if types is load_types() else build()
        _GATES = (types, title, body)
    return _GATES


def _match_title(types, text: str):
    gate = _gates(types)[1]
    if gate is not None and not gate.found_in(text):
        return None, None
    for t in types:
        vetoed = False
        for p in t.unless_title:  # a loop, not any() over a generator: every document, every type
            if p.search(text):
                vetoed = True
                break
        if vetoed:
            continue
        for p in t.title:
            m = p.search(text)
            if m:
                return t, m.group()
    return None, None


def detect(doc, override: Optional[str] = None) -> Detection:
    """The document type: --doc-type / configuration, else title, file name, opening."""
    types = load_types()
    if override:
        t = type_by_id(override)
        return Detection(t, f"由 --doc-type/配置指定为“{override}”" if t else f"未知类型“{override}”")
    outline = doc.outline
    if outline.compilation:
        return Detection(None, f"文档由 {len(outline.parts)} 篇文章拼合而成（“第N篇”），不检查必备部分")
    if outline.title:
        for i in outline.title.lines:
            line = doc.lines[i].strip()
            t, word = _match_title(types, line)
            if t:
                return Detection(t, f"标题“{line}”含“{word}”")
    name = os.path.splitext(os.path.basename(doc.path))[0]
    t, word = _match_title(types, name)
    if t:
        return Detection(t, f"文件名“{name}”含“{word}”")
    head = doc.text[:1000]
    gate = _gates(types)[2]
    for t in types if gate is None or gate.found_in(head) else ():
        for p in t.body:
            m = p.search(head)
            if m:
                return Detection(t, f"正文开头含“{m.group().strip()}”")
    return Detection(None, "标题、文件名和正文开头都不能确定类型，不检查必备部分")


# -- sections ---------------------------------------------------------------
@dataclass(frozen=True)
class Found:
    section: Section
    found: bool
    how: str = ""          # heading / inline / opening / headings
    start: int = -1
    end: int = -1
    evidence: str = ""


def applicable(doctype: DocType, doc) -> List[Section]:
    title = " ".join(doc.lines[i] for i in doc.outline.title.lines) if doc.outline.title else ""
    return [s for s in doctype.sections if s.when_title is None or s.when_title.search(title)]


def find_sections(doctype: DocType, doc) -> List[Found]:
    """Each section of ``doctype`` that applies to ``doc``, found or not. Worked out
    once per document and type: the section and order checks both ask (1,696 of
    the realworld benchmark's documents, 15 us each)."""
    kept = getattr(doc, "__dict__", {}).get("_found_sections")
    if kept is not None and kept[0] is doctype:
        return list(kept[1])
    found = _find_sections(doctype, doc)
    if hasattr(doc, "__dict__"):
        doc.__dict__["_found_sections"] = (doctype, found)
    return list(found)


def _find_sections(doctype: DocType, doc) -> List[Found]:
    sections = applicable(doctype, doc)
    outline = doc.outline
    tops = [h for h in outline.headings if h.number is None or h.level <= 2]  # h.numbered, inline
    # By loops, not any() over a generator per section and heading (SectionsKind's
    # largest step of its own on the realworld pages, after the outline). Each
    # section's first heading is kept for _find (which searched the headings again).
    claimed = set()
    firsts = []
    for s in sections:
        # A heading holding none of the section's gate characters matches none of
        # its patterns: not searched (the heading searches, ``regex`` calls of about
        # a microsecond each, 55 a typed corpus file, were most of find_sections).
        chars = s.heading_chars
        first = None
        for h in tops:
            if chars is not None:
                for ch in chars:
                    if ch in h.text:
                        break
                else:
                    continue
            for p in s.headings:
                if p.search(h.text):
                    claimed.add(h.start)
                    if first is None:
                        first = h
                    break
        firsts.append(first)
    return [_find(s, doc, outline, first, claimed) for s, first in zip(sections, firsts)]


def _find(s: Section, doc, outline, heading, claimed) -> Found:
    """Where section ``s`` is: ``heading``, the first of the top headings any of its
    heading patterns finds (None: none), else by its other means."""
    if heading is not None:
        end = doc.line_span(heading.start)[1]
        return Found(s, True, "heading", heading.start, end, heading.marker + heading.text)
    if s.min_headings:
        level1 = [h for h in outline.headings if h.level == 1 and h.start not in claimed]
        if len(level1) >= s.min_headings:
            return Found(s, True, "headings", level1[0].start, level1[0].end, f"{len(level1)} 个一级标题")
    if s.opening:
        first_heading = outline.headings[0].start if outline.headings else outline.body[1]
        for a, b in outline.paragraphs_within(outline.body[0], first_heading):
            if b - a >= 30:
                return Found(s, True, "opening", a, b, doc.text[a:a + 20])
    lo, hi = outline.body
    f0, f1 = REGIONS[s.region]
    r0, r1 = lo + int((hi - lo) * f0), lo + int((hi - lo) * f1)
    for p in s.inline:
        for m in p.finditer(doc.text, r0, r1):
            para_end = doc.line_span(m.start())[1]
            if para_end - m.end() >= s.min_chars:
                return Found(s, True, "inline", m.start(), m.end(),
                             doc.text[m.start():min(para_end, m.end() + 12)])
    return Found(s, False)
