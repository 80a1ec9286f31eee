"""kind: title_echo — the document's title printed twice by a template site.

Two shapes (watermarks.md §7):

* ``mode: prefixed`` — the first line is ``类别:标题`` (the site's category
  prepended) and one of the next ``lookahead`` non-blank lines is the title
  again (spaces aside): ``事迹材料:XX市教研室…`` / `` XX 市教研室…``. The first
  line is reported.
* ``mode: bracketed`` — a line ``[标题]`` near the end repeats the first
  line: ``[教育党建工作总结]``. That line is reported.

``prefix`` is the regex for the category part of a prefixed first line;
``echo`` the regex for a bracketed line with a group ``title``.
"""
from __future__ import annotations



from ..model.findings import Hit
from ..model.rules import RuleError
from .base import Kind, compile_regex, necessary_literals
from ..text import pattern_cache

MODES = ("prefixed", "bracketed")
_SPACE = pattern_cache.compile(r"\s+")


def _norm(s: str) -> str:
    return _SPACE.sub("", s)


class TitleEchoKind(Kind):
    FIELDS = {"mode": str, "prefix": str, "echo": str, "lookahead": int}
    REQUIRED = ("mode",)

    @classmethod
    def validate(cls, rule):
        o = rule.options
        if o["mode"] not in MODES:
            raise RuleError("field 'mode' should be prefixed or bracketed")
        need = "prefix" if o["mode"] == "prefixed" else "echo"
        if need not in o:
            raise RuleError(f"field '{need}' is required by mode '{o['mode']}'")
        pat = compile_regex(o[need], need)
        if need == "echo" and "title" not in pat.groupindex:
            raise RuleError("field 'echo' needs a group named 'title'")

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        # Each pattern with the literals one of which every match holds (the colon of
        # a prefix, the bracket of an echo; None: not known): a line without them is
        # not matched, a text without them not looked at (7.5 us a realworld document).
        self.prepared = []
        for r in rules:
            pat = compile_regex(r.options.get("prefix") or r.options["echo"], "pattern", rule=r)
            literals = necessary_literals(pat)
            self.prepared.append((r, pat, literals if literals is not None and len(literals) <= 8 else None))

    def check(self, doc):
        found = doc.next_nonblank_lines(-1, 1)
        if not found:
            return
        first = found[0]
        for rule, pat, literals in self.prepared:
            if rule.options["mode"] == "prefixed":
                hit = self._prefixed(doc, rule, pat, literals, first)
            else:
                hit = self._bracketed(doc, rule, pat, literals, first)
            if hit is not None:
                yield hit

    def _span(self, doc, idx):
        line = doc.lines[idx]
        start = doc.line_starts[idx] + len(line) - len(line.lstrip())
        return start, doc.line_starts[idx] + len(line.rstrip())

    def _prefixed(self, doc, rule, pat, literals, first):
        line = doc.lines[first]
        if not _holds(line, literals):
            return None
        m = pat.match(line.strip())
        if not m:
            return None
        title = _norm(line.strip()[m.end():])
        if len(title) < 4:
            return None
        ahead = rule.options.get("lookahead", 3)
        for idx in doc.next_nonblank_lines(first, ahead):
            if _norm(doc.lines[idx]) == title:
                return Hit(*self._span(doc, first), rule)
        return None

    def _bracketed(self, doc, rule, pat, literals, first):
        if not _holds(doc.text, literals):
            return None
        title = None  # the first line's, once a line is an echo
        # Only the last few non-blank lines: an echo sits at the end.
        for idx in doc.last_nonblank_lines(rule.options.get("lookahead", 3), None, after=first):
            line = doc.lines[idx]
            if not _holds(line, literals):
                continue
            m = pat.fullmatch(line.strip())
            if not m:
                continue
            if title is None:
                title = _norm(doc.lines[first])
                if len(title) < 4:
                    return None
            if _norm(m.group("title")) == title:
                return Hit(*self._span(doc, idx), rule)
        return None


def _holds(text: str, literals) -> bool:
    """Whether ``text`` holds one of ``literals`` (None: may hold a match)."""
    if literals is None:
        return True
    for lit in literals:
        if lit in text:
            return True
    return False
