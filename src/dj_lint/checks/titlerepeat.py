"""kind: title_repeat — the title printed again by the site that served the page.

Template and document sites print a page title, a file name and the document's
own title, so the same title line comes two, three or four times. Lines are
compared after normalising away what the sites add (``strip`` patterns: a file
extension, ``_第1页``, an SEO suffix after ``_``, a word-count banner) and all
spaces and punctuation. The first title-like line of each text is kept; every
later line with the same text is reported. A line that carries a site's
category prefix (``prefix``: ``党课范文:``) is reported even when it comes
first, if the bare title follows (not on the first line, which the prefixed
title_echo mode judges). ``unless_line`` leaves lines to narrower rules. A title split over two lines (``自查报`` /
``告``) is reported as one span.

Title-like: at most ``max_length`` characters, no full stop. Originals are
looked for among the title-like lines above the first line of prose (and the
first ``head_lines`` non-empty lines), so repeated headings or labels inside
the text are left alone.
"""
from __future__ import annotations

import re
from itertools import chain

import regex

from ..model.findings import Hit
from .base import Kind, Veto, compile_all, compile_regex, visible_line_spans
from ..text import build_cache, pattern_cache, regex_anchors
from ..text.pattern_cache import IntFlags

# Lines with visible text only (the group is not optional): blank lines cost no Python step.
# The spans of its matches are the document's visible_spans (its spaces, tabs and
# ideographic spaces stripped, found once for several kinds) whose first and last
# characters are no other white space: check() takes them so.
_LINE = pattern_cache.compile(r"^[ \t\u3000]*(\S(?:[^\n]*\S)?)[ \t\u3000]*$", regex.MULTILINE)
_NOISE = pattern_cache.compile(r"[\s\p{P}\p{S}]+")
_NOISE_CHAR = pattern_cache.compile(r"[\s\p{P}\p{S}]")


class _Deletions(dict):
    """``str.translate``'s table for ``_NOISE.sub("", line)``: a character of the
    class maps to None (deleted), any other to itself, each asked of ``regex`` the
    first time it is met (a title line holds some 18 characters; the sub cost
    about 1 us a line, most of _norm; the table lookups in C about half of that).
    At most _DELETIONS_KEPT characters are kept: others are asked each time."""

    def __missing__(self, code: int):
        kept = None if _NOISE_CHAR.match(chr(code)) else code
        if len(self) < _DELETIONS_KEPT:
            self[code] = kept
        return kept


_DELETIONS_KEPT = 1 << 16
_DELETIONS = _Deletions()


def _bmp_noise():
    """A stdlib ``re`` pattern deleting what _NOISE deletes among the
    characters below U+10000: its class is the BMP characters _NOISE_CHAR matches,
    every one asked once per build (2-3 ms; the build cache's key covers ``regex``'s
    version). ``re`` tests a BMP class by one bitmap lookup a character, where
    ``str.translate`` made an int and a dict lookup of each (a 23-character title:
    2.6 -> 1.3 us; timeit). Astral characters are left: ``re`` would try each of them
    against a list of ranges, so _norm hands the rare line still holding a character
    that is no letter or digit to the table."""
    def build():
        return pattern_cache.class_of("".join(_NOISE_CHAR.findall("".join(map(chr, range(0x10000))))))
    return pattern_cache.compile_re("[" + build_cache.product("title-repeat-bmp-noise", build) + "]+")


def _lines(doc) -> list:
    """The spans of _LINE's matches in ``doc.text``, from its visible_spans."""
    return visible_line_spans(doc)


def _literals(pat):
    """Literals one of which every match of ``pat`` holds (text/regex_anchors.py), or None."""
    found = regex_anchors.cached_anchors(pat.pattern, pat.flags & (IntFlags.IGNORECASE | IntFlags.DOTALL))
    return found.literals if found is not None and len(found.literals) <= 8 else None


def _strips(patterns) -> tuple:
    """(gate, [(pattern, its literals)]): ``gate`` the ``re`` search of a class of
    the first characters of all the literals, or None when a pattern has none.
    A line without any of those characters holds none of the literals, so no
    pattern deletes anything from it (nor from what an earlier one left: each
    left it as it was). Half the title lines are such (1000 realworld pages: 2,199
    of 4,455 lines normalised): one class search instead of the ~16 ``in``
    tests of the loop in _norm."""
    strip = [(pat, _literals(pat)) for pat in patterns]
    if any(literals is None or "" in literals for _, literals in strip):
        return None, strip
    firsts = sorted({lit[0] for _, literals in strip for lit in literals})
    if not firsts:
        return None, strip
    return pattern_cache.compile_re("[" + "".join(map(re.escape, firsts)) + "]").search, strip


class TitleRepeatKind(Kind):
    FIELDS = {"unless_line": (str, list), "strip": list, "prefix": str, "head_lines": int, "max_length": int, "min_length": int}
    REQUIRED = ("strip", "prefix")

    @classmethod
    def validate(cls, rule):
        compile_all(rule.options["strip"], "strip")
        compile_regex(rule.options["prefix"], "prefix")
        Veto(rule)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.plan = []
        self._bmp_noise = _bmp_noise()
        for r in rules:
            prefix = compile_regex(r.options["prefix"], "prefix", rule=r)
            self.plan.append((r, _strips(compile_all(r.options["strip"], "strip", rule=r)),
                              (prefix, _literals(prefix)), Veto(r, timeout=self.ctx.regex_timeout)))

    def check(self, doc):
        text = doc.text
        lines = _lines(doc)
        for rule, strip, prefix, veto in self.plan:
            for hit in self._scan(text, lines, rule, strip, prefix):
                if not (veto and veto.vetoes(doc, hit.start, hit.end)):
                    yield hit

    def _norm(self, line, strip):
        gate, patterns = strip
        if gate is None or gate(line) is not None:
            for pat, literals in patterns:
                # A pattern that needs a literal the line (as it now stands) lacks deletes nothing
                # (a loop, not any() over a generator: 4 calls a document, 16 literals each).
                if literals is not None:
                    for lit in literals:
                        if lit in line:
                            break
                    else:
                        continue
                line = pat.sub("", line)
        # (else no literal, no pattern deletes: _strips.) A line of letters and digits
        # only holds no noise (no character isalnum() takes is in _NOISE's class: the
        # tests ask every code point), and isalnum() tells it in C without the
        # table's lookup of each character (some 700 instructions a character).
        # Else the BMP noise goes first, in C; what is left is nearly always letters
        # and digits, and the table deletes the rest (the astral noise): deleting a
        # set of characters in two steps deletes them all.
        if line.isalnum():
            return line
        line = self._bmp_noise.sub("", line)
        return line if line.isalnum() else line.translate(_DELETIONS)

    def _scan(self, text, lines, rule, strip, prefix):
        o = rule.options
        head, max_len, min_len = o.get("head_lines", 15), o.get("max_length", 80), o.get("min_length", 4)
        norm = self._norm
        # originals: the title-like lines (not too long, and not a sentence) above
        # the first line of prose, among the first ``head_lines``
        count = 0
        for s, e in lines[:head]:
            if e - s > max_len or text.find("。", s, e) >= 0:
                break
            count += 1
        if count < 2:
            # One original at most, and no other in the head to repeat it or carry its
            # prefix: only a title-like line below (not too long, no full stop) can be
            # a copy or a split title's second line. Without one (a short note: a title
            # and a paragraph) nothing is reported, and nothing is normalised.
            for s, e in lines[count:] if count else ():
                if e - s <= max_len and text.find("。", s, e) < 0:
                    break
            else:
                return
        norms = [norm(text[s:e], strip) for s, e in lines[:count]]
        head = count
        seen = {}  # an original's text -> its line (the first with it)
        reported = set()
        for i, n in enumerate(norms):
            if not n or len(n) < min_len:
                continue
            if n in seen:
                reported.add(i)
            else:
                seen[n] = i
        if not seen:
            return  # nothing to be a copy of (the loops below would report nothing)
        # Below the head a line matters only if it is title-like and its text can
        # equal an original, alone or with the next line (a split title). Normalising
        # only deletes characters, so such a line holds an original's first or last
        # character; the others are never compared, which saves normalising every
        # line of prose. Its length is looked at first, then each of those few
        # characters is looked for by ``in`` (isdisjoint over the line made a string
        # of each of its characters). Only the lines with a text are kept (``below``,
        # by line, in order): the loops below walk those, not every line of the text.
        ends = {n[0] for n in seen} | {n[-1] for n in seen}
        below = {}
        for i in range(head, len(lines)):
            s, e = lines[i]
            if e - s <= max_len:
                line = text[s:e]
                for ch in ends:
                    if ch in line:
                        if "。" not in line:
                            n = norm(line, strip)
                            if n:
                                below[i] = n
                                if len(n) >= min_len and n in seen:
                                    reported.add(i)
                        break
        # category-prefixed copies: 党课范文:标题 before or after the bare 标题
        # (a prefixed first line is DJ315's, the duplicated-title rule); the prefix
        # is matched only on a line that holds one of its literals (the colon)
        prefix, literals = prefix
        for i in range(1, head):
            if not norms[i] or i in reported:
                continue
            s, e = lines[i]
            if literals is not None:
                for lit in literals:
                    if text.find(lit, s, e) >= 0:
                        break
                else:
                    continue
            m = prefix.match(text, s, e)
            if m:
                bare = norm(text[m.end():e], strip)
                if len(bare) >= min_len and bare in seen and seen[bare] != i:
                    reported.add(i)
        # a copy split over two lines: 自查报 / 告 (both lines with a text)
        for i, a in chain(enumerate(norms), below.items()):
            if a and len(a) >= min_len and i not in reported:
                b = norms[i + 1] if i + 1 < head else below.get(i + 1)
                if b and seen.get(a + b, i) < i:
                    yield Hit(lines[i][0], lines[i + 1][1], rule)
        for i in sorted(reported):
            yield Hit(lines[i][0], lines[i][1], rule)
