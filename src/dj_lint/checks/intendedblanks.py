"""kind: intended_blanks — a form or a writing guide is blank on purpose.

A document that declares itself a fill-in form, a record template with its
范例, or a writing guide (a short line naming it: ``会议记录格式``,
``表决程序范例``, ``填表说明``, ``怎么写``) leaves its blanks for the reader
to fill. Reporting every ``年  月  日`` and ``×名`` there as an error drowns
the document; instead the findings of the absorbed category are folded into
one ``info`` finding at the first blank, saying how many there are.

The kind yields nothing from ``check``; the engine hands it every hit of the
document afterwards (``absorb``), so it works whatever kinds found the blanks.
"""
from __future__ import annotations

from ..model.findings import CATEGORIES, Hit
from ..model.rules import RuleError
from .base import Kind, compile_all, finditer_anchored, register_anchors


class IntendedBlanksKind(Kind):
    FIELDS = {"declares": (str, list), "absorbs": str, "min_blanks": int}
    REQUIRED = ("declares", "absorbs")
    MESSAGE_FIELDS = ("count", "declared")
    DOCUMENT_LEVEL = True

    @classmethod
    def validate(cls, rule):
        if rule.options["absorbs"] not in CATEGORIES:
            # A misspelt category would absorb nothing, silently.
            raise RuleError(f"field 'absorbs': unknown category '{rule.options['absorbs']}' "
                            f"(known: {', '.join(CATEGORIES)})")
        compile_all(rule.options["declares"], "declares")
        if rule.options.get("min_blanks", 5) < 2:
            raise RuleError("field 'min_blanks' should be at least 2")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        # Each declaring pattern is searched only in the lines holding its literal
        # anchors (the run's shared automaton), not over the whole document.
        self.prepared = [(rule, [(p, register_anchors(ctx, p))
                                 for p in compile_all(rule.options["declares"], "declares", rule=rule)])
                         for rule in rules]

    def check(self, doc):
        return iter(())

    def absorb(self, doc, hits):
        """Replace the hits of the absorbed category by one info hit when the
        document declares itself a form or guide."""
        for rule, patterns in self.prepared:
            category = rule.options["absorbs"]
            blanks = [h for h in hits if h.rule.category == category and h.rule is not rule]
            if len(blanks) < rule.options.get("min_blanks", 5):
                continue
            declared = next((m for p, handle in patterns
                             for m in [next(finditer_anchored(self.ctx, p, handle, doc.text,
                                                              self.ctx.regex_timeout), None)] if m), None)
            if declared is None:
                continue
            first = min(blanks, key=lambda h: (h.start, h.end))
            kept = [h for h in hits if not (h.rule.category == category and h.rule is not rule)]
            label = declared.group().strip()
            kept.append(Hit(first.start, first.end, rule, None, {"count": len(blanks), "declared": label}))
            hits = kept
        return hits
