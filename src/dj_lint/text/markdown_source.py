"""Markdown read as Markdown: the prose a reader sees, with exact source positions.

The file is parsed with markdown-it-py (CommonMark).  What is notation, not
prose, is taken out of the text the checks see:

* emphasis and strike markers (``**…**``, ``*…*``, ``__…__``, ``_…_``, ``~~…~~``),
* code spans and code blocks (fenced and indented), whole,
* link targets (``[label](url "title")`` keeps ``label``; ``[label][ref]`` keeps
  ``label``), autolinks, images, link reference definitions,
* raw HTML (inline and blocks) except dj-lint's own suppression comments,
* front matter, thematic breaks, bullet-list markers and escaping backslashes.

Everything else stays character for character, and every line break stays, so
line numbers are those of the file.  ``prose_view`` returns the text plus, for
each of its characters, the offset in the source it came from; the Document
maps positions through it, so a finding's line, column and text are exact in
the original file.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from . import pattern_cache

MARKDOWN_SUFFIXES = (".md", ".markdown")
# dj-lint-disable / -enable comments (suppress.py) must stay visible to it.
_SUPPRESSION = pattern_cache.compile_re(r"<!--\s*dj-lint")
_SUPPRESSION_COMMENT = pattern_cache.compile_re(r"<!--\s*dj-lint.*?-->", re.S)
_EMPHASIS = {"strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"}

_PARSER = None


def _parser():
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.front_matter import front_matter_plugin
        md = MarkdownIt("commonmark").use(front_matter_plugin).enable("strikethrough")
        # Escapes and entities as their own tokens (text_special), so every text
        # token is a verbatim slice of the source.
        md.disable("text_join")
        _PARSER = md
    return _PARSER


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)


class _Masker:
    def __init__(self, src: str):
        self.src = src
        self.keep = bytearray(b"\x01") * len(src)
        starts = [0]
        i = src.find("\n")
        while i != -1:
            starts.append(i + 1)
            i = src.find("\n", i + 1)
        self.starts = starts + [len(src) + 1]

    def drop(self, a: int, b: int) -> None:
        for i in range(max(0, a), min(b, len(self.src))):
            if self.src[i] != "\n":
                self.keep[i] = 0

    def line_span(self, first: int, last: int) -> Tuple[int, int]:
        """Offsets of source lines [first, last)."""
        lo = self.starts[min(first, len(self.starts) - 1)]
        hi = self.starts[min(last, len(self.starts) - 1)] - 1
        return min(lo, len(self.src)), min(max(lo, hi), len(self.src))

    def drop_lines(self, first: int, last: int) -> None:
        self.drop(*self.line_span(first, last))

    # -- inline ---------------------------------------------------------
    def _closing_paren(self, i: int, hi: int) -> int:
        """Given src[i] == "(", the offset after its matching ")" (or i+1)."""
        depth, j, src = 0, i, self.src
        in_angle = False
        while j < hi:
            ch = src[j]
            if ch == "\\":
                j += 2
                continue
            if in_angle:
                in_angle = ch != ">"
            elif ch == "<" and j == i + 1:
                in_angle = True
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return i + 1

    def _link_tail(self, close: int, hi: int) -> int:
        """``]`` at ``close``: the offset after ``](target)`` / ``][ref]`` / ``]``."""
        src = self.src
        j = close + 1
        if j < hi and src[j] == "(":
            return self._closing_paren(j, hi)
        if j < hi and src[j] == "[":
            end = src.find("]", j, hi)
            if end != -1:
                return end + 1
        return j

    def inline(self, token, lo: int, hi: int) -> None:
        src = self.src
        cur = lo
        in_autolink = False
        for child in token.children or []:
            kind = child.type
            if in_autolink and kind != "link_close":
                continue  # its text lies inside the <…> already dropped
            if kind == "text":
                if child.content:
                    p = src.find(child.content, cur, hi)
                    if p != -1:
                        cur = p + len(child.content)
            elif kind == "text_special":
                p = src.find(child.markup, cur, hi) if child.markup else -1
                if p != -1:
                    if child.info == "escape":
                        self.drop(p, p + 1)  # the backslash; the escaped mark stays
                    cur = p + len(child.markup)
            elif kind in ("softbreak", "hardbreak"):
                p = src.find("\n", cur, hi)
                if p != -1:
                    if kind == "hardbreak" and p > 0 and src[p - 1] == "\\":
                        self.drop(p - 1, p)
                    cur = p + 1
            elif kind in _EMPHASIS:
                p = src.find(child.markup, cur, hi)
                if p != -1:
                    self.drop(p, p + len(child.markup))
                    cur = p + len(child.markup)
            elif kind == "code_inline":
                p = src.find(child.markup, cur, hi)
                if p != -1:
                    q = p + len(child.markup)
                    while True:
                        q = src.find(child.markup, q, hi)
                        if q == -1 or src[q + len(child.markup):q + len(child.markup) + 1] != "`":
                            break
                        q += len(child.markup) + 1
                    end = q + len(child.markup) if q != -1 else p + len(child.markup)
                    self.drop(p, end)
                    cur = end
            elif kind == "link_open":
                if child.markup == "autolink":
                    p = src.find("<", cur, hi)
                    q = src.find(">", p, hi) if p != -1 else -1
                    if q != -1:
                        self.drop(p, q + 1)
                        cur = q + 1
                    in_autolink = True
                else:
                    p = src.find("[", cur, hi)
                    if p != -1:
                        self.drop(p, p + 1)
                        cur = p + 1
            elif kind == "link_close":
                if child.markup == "autolink":
                    in_autolink = False
                    continue
                p = src.find("]", cur, hi)
                if p != -1:
                    end = self._link_tail(p, hi)
                    self.drop(p, end)
                    cur = end
            elif kind == "image":
                p = src.find("![", cur, hi)
                if p != -1:
                    close = src.find("]", p + 2 + len(child.content), hi)
                    end = self._link_tail(close, hi) if close != -1 else p + 2
                    self.drop(p, end)
                    cur = end
            elif kind == "html_inline":
                p = src.find(child.content, cur, hi)
                if p != -1:
                    if not _SUPPRESSION.match(child.content):
                        self.drop(p, p + len(child.content))
                    cur = p + len(child.content)

    # -- blocks -----------------------------------------------------------
    def bullet(self, line: int, marker: str) -> None:
        lo, hi = self.line_span(line, line + 1)
        src = self.src
        j = lo
        while j < hi and src[j] in " \t>":
            j += 1
        if j < hi and src[j] == marker:
            self.drop(j, j + 1)

    def run(self, tokens) -> None:
        for tok in tokens:
            if tok.map is None:
                continue
            first, last = tok.map
            if tok.type in ("front_matter", "fence", "code_block", "hr"):
                self.drop_lines(first, last)
            elif tok.type == "html_block":
                lo, hi = self.line_span(first, last)
                self.drop(lo, hi)
                for m in _SUPPRESSION_COMMENT.finditer(self.src, lo, hi):
                    self.keep[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            elif tok.type == "list_item_open" and tok.markup in "-*+":
                self.bullet(first, tok.markup)
            elif tok.type == "inline":
                self.inline(tok, *self.line_span(first, last))


def _reference_definitions(masker: _Masker, tokens) -> None:
    """Lines of link reference definitions (``[a]: http://…``) leave no token:
    drop paragraph-free lines that look like one and that the parser consumed."""
    covered = set()
    for tok in tokens:
        if tok.map is not None and tok.level == 0:
            covered.update(range(*tok.map))
    ref = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
    for n, start in enumerate(masker.starts[:-1]):
        end = masker.starts[n + 1] - 1
        line = masker.src[start:end]
        if n not in covered and ref.match(line):
            masker.drop(start, end)


def prose_view(src: str) -> Optional[Tuple[str, List[int]]]:
    """(text, source offset of each character of text) — or None when nothing
    in ``src`` is Markdown notation (the text is then the source itself)."""
    try:
        tokens = _parser().parse(src)
    except Exception:  # a parser bug must not lose the file: read it as plain text
        return None
    masker = _Masker(src)
    masker.run(tokens)
    _reference_definitions(masker, tokens)
    if all(masker.keep):
        return None
    keep = masker.keep
    omap = [i for i in range(len(src)) if keep[i]]
    text = "".join(src[i] for i in omap)
    return text, omap
