"""kind: brokenline — a sentence split over two lines (hard wraps, PDF/web extraction).

Two lines L and N (N = the next non-empty line; blank lines between them do
not matter) are one broken sentence when

* N starts with a mark that may not begin a line (GB/T 15834 5.1.3:
  ``，。、；：？！）》”``): ``联系一名非党员。\\n)。``; or
* L ends with an opening bracket or quote: ``全体(\\n扩大)会议``; or
* L is running prose cut off: at least ``min_length`` characters, at least one
  clause mark (``prose_marks``) inside, no closing mark at its end
  (``terminal``), and N is not a heading or list item either:
  ``…日常管理及教育教学\\n\\n工作。``.

Headings (``heading`` patterns, matched at the start of the line after any
indentation) are never either half of a soft break; list and sequence items
(``item``: ``一是``, ``首先，``) never the second — they begin a paragraph of
their own, though their own last line may be broken. The first non-empty line
(the title), short lines (captions, two-line titles) and the last line are
never the first half. In Markdown files only breaks across a blank line count:
a hard-wrapped paragraph renders as one. The finding spans the last character of L to the first of N;
the suggestion joins them.
"""
from __future__ import annotations

import re
from itertools import islice

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text import pattern_cache
from .base import Deferring, Kind, compile_all, compile_regex

# Greedy, then back off over trailing spaces only (a lazy body would test $ at every character).
MARKDOWN = (".md", ".markdown")


def _one_of(patterns, field, rule=None):
    """One alternation of all patterns: one match() call per line instead of one per pattern."""
    compile_all(patterns, field)
    return compile_regex("|".join(f"(?:{p})" for p in patterns), field, rule=rule)


class BrokenLineKind(Deferring, Kind):
    FIELDS = {
        "heading": list,
        "item": list,
        "min_length": int,
        "prose_marks": str,
        "terminal": str,
        "line_start": str,
        "open_end": str,
        "defer_to": list,
        "defer_except": list,
        "page_number": str,
        "page_min": int,
    }
    REQUIRED = ("heading", "min_length", "prose_marks", "terminal", "line_start", "open_end")
    MESSAGE_FIELDS = ("before", "after")

    @classmethod
    def validate(cls, rule):
        cls.validate_defer(rule)
        compile_all(rule.options["heading"], "heading")
        compile_all(rule.options.get("item"), "item")
        if "page_number" in rule.options:
            compile_regex(rule.options["page_number"], "page_number")
        if rule.options["min_length"] < 1:
            raise RuleError("field 'min_length' should be at least 1")
        for key in ("prose_marks", "terminal", "line_start", "open_end"):
            if not rule.options[key]:
                raise RuleError(f"field '{key}' should list at least one character")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.plan = [(r, _one_of(r.options["heading"], "heading", r),
                      _one_of(r.options["heading"] + r.options.get("item", []), "item", r),
                      pattern_cache.compile_re("[" + re.escape(r.options["prose_marks"]) + "]")) for r in rules]
        self.pages = {r.id: compile_regex(r.options["page_number"], "page_number")
                      for r in rules if "page_number" in r.options}

    @staticmethod
    def _lines(doc):
        """(first, last) offsets of the visible text of every non-empty line."""
        return doc.visible_spans

    def check(self, doc):
        if getattr(doc, "source_format", "text") == "docx":
            # A Word paragraph is a paragraph, never a hard-wrapped line: the
            # line layout this kind reads does not exist there.
            return
        lines = self._lines(doc)
        markdown = doc.path.lower().endswith(MARKDOWN)
        for rule, headings, items, prose in self.plan:
            yield from self._scan(doc.text, rule, headings, items, prose, lines, markdown)

    def _scan(self, text, rule, headings, items, prose, lines, markdown):
        o = rule.options

        def is_heading(span, pattern=headings):
            return pattern.match(text, span[0], span[1]) is not None

        page = self.pages.get(rule.id)
        line_start, open_end, terminal = o["line_start"], o["open_end"], o["terminal"]
        # Pairs by zip, their options as locals: the loop runs for every line.
        for i, ((l_first, l_last), (n_first, n_last)) in enumerate(zip(lines, islice(lines, 1, None))):
            if markdown and text.count("\n", l_last, n_first) < 2:
                continue  # a hard-wrapped Markdown paragraph renders as one
            end_ch, start_ch = text[l_last - 1], text[n_first]
            if page is not None and end_ch.isalnum() and l_last - l_first >= o["page_min"]:
                # a document site's page split: "…可随\n2、时召开" (the number is DJ331's)
                m = page.match(text, n_first, n_last)
                if m is not None and m.end() < n_last:
                    yield Hit(l_last - 1, m.end() + 1, rule, end_ch + text[m.end()], {
                        "before": text[max(l_first, l_last - 6):l_last],
                        "after": text[m.end():min(n_last, m.end() + 6)],
                    })
                    continue
            if start_ch in line_start:
                broken = True
            elif end_ch in open_end:
                broken = not is_heading(lines[i + 1], items)
            elif end_ch in terminal or i == 0:
                # cheapest test first: most lines end with a terminal mark (1000
                # realworld pages: 5,400 of 8,800 lines, each a count less)
                broken = False
            elif text.count("\n", l_last, n_first) > 2:
                # two or more blank lines between them: a section break, not a wrap
                broken = False
            else:
                broken = (l_last - l_first >= o["min_length"]
                          and prose.search(text, l_first, l_last) is not None
                          and not is_heading(lines[i])
                          and not is_heading(lines[i + 1], items))
            if broken:
                yield Hit(l_last - 1, n_first + 1, rule, end_ch + start_ch, {
                    "before": text[max(l_first, l_last - 6):l_last],
                    "after": text[n_first:min(n_last, n_first + 6)],
                })
