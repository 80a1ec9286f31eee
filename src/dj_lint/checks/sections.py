"""kind: sections — document-level structure: title, required sections, 落款.

The document type comes from ``ctx.doc_type`` (``--doc-type`` / configuration)
or is detected from the title lines, the file name and the opening
(doctypes.detect); the sections each type requires live in
rules/data/doc_types.yaml.  Unknown type: only the title check applies.

``require`` chooses what a rule checks:

- ``title``: the document opens with body text, no title line;
- ``section``: a required section of the detected type is missing;
- ``order``: two found sections stand in the wrong order (the type's ``order``);
- ``signature``: a type that requires a 落款 has neither 署名 nor date at its end;
- ``signature-part``: the 落款 has only one of the two.

Missing things have no place of their own, so they point at the title line
(design.md), or at the first clause when there is no title.  A fragment (fewer
than MIN_LINES non-empty lines or MIN_CHARS characters) is not a document: a
pasted paragraph has no title or 落款 to miss.
"""
from __future__ import annotations

from itertools import islice

from ..doctypes import detect, find_sections
from ..model.findings import Hit
from ..model.rules import RuleError
from .base import Kind

REQUIRES = ("title", "section", "order", "signature", "signature-part")
# A whole report, not a snippet: the shortest clean report is ~10 lines / 400 chars.
MIN_LINES = 5
MIN_CHARS = 200


class SectionsKind(Kind):
    FIELDS = {"require": str}
    REQUIRED = ("require",)
    MESSAGE_FIELDS = ("section", "expect", "doc_type", "before", "missing")
    DOCUMENT_LEVEL = True

    @classmethod
    def validate(cls, rule):
        if rule.options["require"] not in REQUIRES:
            raise RuleError(f"field 'require' should be one of {', '.join(REQUIRES)}")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        # Each rule with the method that checks it (None for the title), looked up
        # once a run instead of a getattr and two string operations a rule a document.
        self._plan = [(rule, None if need == "title" else getattr(self, "_" + need.replace("-", "_")))
                      for rule in rules for need in (rule.options["require"],)]

    def check(self, doc):
        if not _is_document(doc):
            return
        detection = None
        for rule, method in self._plan:
            if method is None:
                yield from self._title(doc, rule)
                continue
            if detection is None:
                detection = detect(doc, self.ctx.doc_type)
                if self.ctx.doc_type and detection.type is None:
                    # A misspelt doc_type in the configuration must not pass silently.
                    self.ctx.warn(f"未知的文种“{self.ctx.doc_type}”，已跳过必备部分和落款检查")
            if detection.type is None:
                continue
            yield from method(doc, rule, detection.type)

    @staticmethod
    def _title(doc, rule):
        o = doc.outline
        if o.title is None and not o.compilation:
            yield Hit(o.anchor[0], o.anchor[1], rule)

    @staticmethod
    def _section(doc, rule, doctype):
        # One finding names every missing section: they would all share the title's span.
        missing = [f.section for f in find_sections(doctype, doc) if f.section.required and not f.found]
        if missing:
            a, b = doc.outline.anchor
            names = "".join(f"“{s.name}”" for s in missing)
            expect = "；".join(f"{s.name}——{s.expect}" if len(missing) > 1 else s.expect for s in missing)
            yield Hit(a, b, rule, fields={"section": names, "expect": expect, "doc_type": doctype.name})

    @staticmethod
    def _order(doc, rule, doctype):
        # Only sections with their own heading have a firm place; a keyword sentence
        # (“针对还存在的问题，下一步……”) may legitimately sit anywhere.
        found = {f.section.name: f for f in find_sections(doctype, doc) if f.how == "heading"}
        placed = [found[n] for n in doctype.order if n in found]
        for before, f in zip(placed, placed[1:]):
            if f.start < before.start:
                yield Hit(f.start, f.end, rule, fields={"section": f.section.name,
                                                        "before": before.section.name,
                                                        "doc_type": doctype.name})

    @staticmethod
    def _signature(doc, rule, doctype):
        sig = doc.outline.signature
        if doctype.signature == "required" and not sig.date_in_title \
                and sig.organisation is None and sig.date is None:
            a, b = doc.outline.anchor
            yield Hit(a, b, rule, fields={"doc_type": doctype.name})

    @staticmethod
    def _signature_part(doc, rule, doctype):
        sig = doc.outline.signature
        if doctype.signature != "required" or sig.complete:
            return
        if (sig.organisation is None) == (sig.date is None):
            return
        line = sig.organisation if sig.organisation is not None else sig.date
        missing = "成文日期" if sig.date is None else "署名（单位或个人）"
        start = doc.line_starts[line]
        text = doc.lines[line]
        lead = len(text) - len(text.lstrip(" \t　"))
        yield Hit(start + lead, start + len(text.rstrip(" \t　")), rule,
                  fields={"missing": missing, "doc_type": doctype.name})


def _is_document(doc) -> bool:
    if len(doc.text) < MIN_CHARS:
        return False
    # The first MIN_LINES lines that hold more than whitespace (``str.strip`` leaves
    # them non-empty, the test of Document.next_nonblank_lines), found by ``filter``
    # in C: next_nonblank_lines's regex search and bisect a line cost 2.3 us a
    # realworld page, this 0.5 us.
    return len(list(islice(filter(str.strip, doc.lines), MIN_LINES))) >= MIN_LINES
