"""kind: furniture_line — a line of site chrome rather than document text.

Every non-empty line is judged on its own, from the signals a reader uses
(the vocabulary, shapes and weights live in a data file, ``vocabulary``):

* ``shapes``: the whole line has a furniture shape (breadcrumb, file name,
  page counter, web date, compilation title, photo credit, forum stamp, hotline);
* ``chrome``: a short line made only of widget words (收藏 分享 打印 举报 …);
* ``meta``: key:value publication or file metadata (发布时间: 来源: 大小: …),
  including the value line under a key line left empty;
* ``notice``: the notice words in the line weigh at least ``notice_threshold``
  (download, preview, upload, copyright and takedown notices);
* ``edge_shapes``: shapes that are furniture only in the first ``top_lines``
  or last ``bottom_lines`` lines (a section label, a bare counter).

One finding per line; its span is the line without indentation. A leading
bullet (``• ``, ``- ``) is ignored when judging. ``unless_line`` leaves lines
that a narrower rule already reports to that rule.
"""
from __future__ import annotations

import bisect
from collections import deque
from itertools import accumulate, repeat, starmap

import regex

from ..model.findings import Hit
from ..model.rules import RuleError
from . import vocab
from .base import (Kind, Veto, anchor_index, compile_regex, register_words, shared_words, visible_line_spans,
                   word_handles)
from ..text import multiscan, pattern_cache, regex_anchors
from ..text.pattern_cache import IntFlags
from ..text.regex_anchors import trie_pattern
from ..text.document import VISIBLE_KEPT

# Lines with visible text only (the group is not optional): blank lines cost no Python step.
_LINE = pattern_cache.compile(r"^[ \t\u3000]*(\S(?:[^\n]*\S)?)[ \t\u3000]*$", regex.MULTILINE)
# What ``\s`` of the ``regex`` module matches in a ``str`` (Unicode White_Space; not
# str.isspace, which also holds U+001C-U+001F); tests/test_furniture_gate.py checks it.
_WHITE = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                   "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_STRIP = " \t\u3000"
_BULLET = pattern_cache.compile(r"[•·●▪◆■\-*][ \t\u3000]*")
_BULLET_FIRST = frozenset("•·●▪◆■-*")
_FIRSTS_KEPT = 8192  # _ShapeGate.first_of: the answers kept (a page's lines start with a few dozen characters)
_JOINED_LINES = 1 << 14  # _ShapeGate.masks_within: lines joined and scanned together
# _ShapeGate.line_masks: a text up to this long is scanned for every anchor at once,
# one-character ones too (their matches are at most one a character).
_ONE_PASS = 1 << 13
# _ShapeGate: the one-pass automaton is rebuilt as a DFA once that many characters
# were scanned by it (1 ms to build, 5.5 ns a character saved: even after 180,000).
_DFA_AFTER = 1 << 18
_TOKENS = pattern_cache.compile(r"[ \t\u3000|｜]+")
_SEPARATOR = pattern_cache.compile_re(r"[ \t\u3000|｜]")
_SENTENCE_END = pattern_cache.compile(r"[。！？]")
_WEB_DATE = pattern_cache.compile(r"[ \t\u3000]*\d{4}-\d{1,2}-\d{1,2}")
KEYS = ("chrome_max", "notice_threshold", "top_lines", "bottom_lines", "line_max", "reasons",
        "shapes", "chrome_words", "chrome_shapes", "meta_strong", "meta_weak", "meta_paired", "notice_words",
        "edge_shapes")


def _alternation(patterns, field):
    for p in patterns:
        compile_regex(p, field)
    return compile_regex("|".join(f"(?:{p})" for p in patterns), field)


class _ShapeGate:
    """Which shapes may match each line, from one automaton pass over the text.

    A shape whose every match holds one of a few literals (text/regex_anchors.py)
    cannot match a line without one of them, and is not tried there: on the
    realworld pages the shapes' fullmatch calls, nine a line, were a third of
    the kind's time. A shape without such literals is tried on every line."""

    def __init__(self, shapes):
        self.size = len(shapes)
        by_literal: dict = {}
        self.always = 0
        for k, (_, pat) in enumerate(shapes):
            found = regex_anchors.cached_anchors(pat.pattern, pat.flags & (IntFlags.IGNORECASE | IntFlags.DOTALL))
            if found is None or not multiscan.available():
                self.always |= 1 << k
                continue
            for lit in found.literals:
                by_literal[lit] = by_literal.get(lit, 0) | 1 << k
        # One-character anchors are looked for with str.find, once per line that
        # holds one: a line of 100,000 brackets is one lookup, not 100,000 matches
        # (U+FFFD stays with the automaton, which reads a lone surrogate as one).
        single = [lit for lit in by_literal if len(lit) == 1 and lit != "\ufffd"]
        self.singles = [(lit, by_literal[lit]) for lit in single]
        self.literals = [lit for lit in by_literal if lit not in single]
        self.masks = [by_literal[lit] for lit in self.literals]
        # Scanned in UTF-16 code units (two bytes a Chinese character, three in the
        # UTF-8 that Automaton reads): the 140 literals over the 2,000 realworld
        # files' short lines, 21 -> 13 ms; built in the same 0.2 ms.
        # Built on first use (``auto``): only a text over _ONE_PASS reads it.
        self._auto = False if self.literals else None
        # A short text is scanned once for all the anchors, the one-character ones
        # too: a bracket line there is at most _ONE_PASS matches, and the finds of
        # the 17 characters over the short lines of each realworld page cost more
        # than the matches (the 8,056 pages' line_masks: 52 -> 37 ms; 28 with the
        # DFA). Built on first use, as a DFA after _DFA_AFTER characters.
        self.every = [*self.literals, *(lit for lit, _ in self.singles)]
        self.every_masks = [*self.masks, *(mask for _, mask in self.singles)]
        # No anchor holds a line break: masks_within may read lines joined (_joined_masks).
        self.by_lines = "\n" not in "".join(self.every)
        self._one_pass = None
        self._scanned = 0
        # What a shape's fullmatch of a line needs (regex_anchors.line_bounds): at
        # most so many characters, a first character of a class. A line without it
        # is not tried: the edge counter ``[\d \t　]{1,12}`` has no anchor and was
        # tried on every line at the top and bottom of a page, 5,564 fullmatch calls
        # on the first 1000 realworld pages for 52 counters.
        self.widths = []
        self._firsts = []  # (bit, one-character pattern) of the shapes with a first class
        self.free = 0      # the bits of the shapes without one
        for k, (_, pat) in enumerate(shapes):
            width, first = (regex_anchors.cached_line_bounds(pat.pattern)
                            if not pat.flags & IntFlags.IGNORECASE else (None, None))
            self.widths.append(width)
            if first is None:
                self.free |= 1 << k
            else:
                self._firsts.append((1 << k, pattern_cache.compile(first)))
        self.first_of: dict = {}  # a line's first character ("" for none) -> the bits it admits

    @property
    def auto(self):
        """The automaton of the anchors of two characters or more, or None (none).
        Built on first use, as the notice words' (Vocabulary.notice_ac): the corpus
        documents and realworld pages are all read by the one-pass automaton, and
        an 8 KB file's run spent 0.4 ms building it."""
        if self._auto is False:
            self._auto = multiscan.UnitAutomaton(self.literals)
        return self._auto

    def fits(self, longest: int) -> list:
        """Per length of a line up to ``longest``, the bits of the shapes that may
        match a line that long whole."""
        return [sum(1 << k for k, w in enumerate(self.widths) if w is None or w >= n) for n in range(longest + 1)]

    def first_mask(self, ch: str) -> int:
        """The bits of the shapes that may match whole a line starting with ``ch``
        ("" for an empty line), each character asked of ``regex`` once."""
        got = self.free
        for bit, first in self._firsts:
            if ch and first.fullmatch(ch) is not None:
                got |= bit
        if len(self.first_of) < _FIRSTS_KEPT:
            self.first_of[ch] = got
        return got

    def _one_pass_halves(self, text):
        """``find_halves`` of every anchor over ``text`` (at most _ONE_PASS long)."""
        auto = self._one_pass
        if auto is None or (not auto.dfa and self._scanned > _DFA_AFTER):
            auto = self._one_pass = multiscan.UnitAutomaton(self.every, dfa=self._scanned > _DFA_AFTER)
        self._scanned += len(text)
        return auto.find_halves(text)

    def line_masks(self, text, starts, lines):
        """Per line of ``lines`` (spans, their starts in ``starts``), a bit for each
        shape that may match it."""
        out = [self.always] * len(lines)
        if len(text) <= _ONE_PASS and self.every:
            masks = self.every_masks
            for k, s, e in self._one_pass_halves(text):
                if not s & 1:  # in half characters; an odd start straddles two
                    i = bisect.bisect_right(starts, s >> 1) - 1
                    if i >= 0 and e >> 1 <= lines[i][1]:
                        out[i] |= masks[k]
            return out
        count = len(starts)
        for ch, mask in self.singles:
            at = text.find(ch)
            while at >= 0:
                i = bisect.bisect_right(starts, at) - 1
                if i >= 0 and at < lines[i][1]:
                    out[i] |= mask
                    at = text.find(ch, lines[i][1])  # the rest of the line adds nothing
                else:  # between the lines: on to the next one
                    at = text.find(ch, starts[i + 1]) if i + 1 < count else -1
        if self.auto is None:
            return out
        masks = self.masks
        for k, s, e in self.auto.find_in(text):
            i = bisect.bisect_right(starts, s) - 1
            if i >= 0 and e <= lines[i][1]:
                out[i] |= masks[k]
        return out

    def masks_within(self, text, lines, width):
        """``line_masks`` for the lines whose text after a bullet may be at most
        ``width`` long, the only ones a shape is tried on (_judge); -1 (any shape)
        for the others. Those lines are joined and scanned alone: no anchor holds a
        line break, so each is found in a line's copy as in the line (on 200 corpus
        files, a tenth of the text: 20 -> 3 ms)."""
        short = [k for k, (s, e) in enumerate(lines) if e - s <= width or text[s] in _BULLET_FIRST]
        if len(short) == len(lines):
            return self.line_masks(text, [s for s, _ in lines], lines)
        out = [-1] * len(lines)
        # A block of lines at a time: the copies of a 20 MB file's short lines are
        # never all held at once.
        for lo in range(0, len(short), _JOINED_LINES):
            block = short[lo:lo + _JOINED_LINES]
            # The lines copied and joined by C loops, without a Python step a line.
            joined = "\n".join(map(text.__getitem__, starmap(slice, map(lines.__getitem__, block))))
            # (A line may hold a line break: a text's lines are cut at "\r" too.)
            if len(joined) <= _ONE_PASS and self.every and self.by_lines and joined.count("\n") == len(block) - 1:
                self._joined_masks(joined, block, out)
                continue
            pieces = [text[s:e] for s, e in map(lines.__getitem__, block)]
            starts = [0] + list(accumulate(len(piece) + 1 for piece in pieces[:-1]))
            got = self.line_masks(joined, starts, [(a, a + len(p)) for a, p in zip(starts, pieces)])
            deque(map(out.__setitem__, block, got), 0)
        return out

    def _joined_masks(self, joined, block, out) -> None:
        """``line_masks`` of the lines ``block`` (indexes into ``out``), joined by line
        breaks into ``joined`` (at most _ONE_PASS long, no line holding a line break
        itself), written into ``out``. No anchor holds a line break (``by_lines``),
        so each match lies inside one line, the one after as many line breaks as
        precede it: counted by ``str.count`` from the last match (matches come by
        end), without the lines' starts and spans built, nor a bisect per match
        (the first 100 corpus files: masks_within 30 -> 20 us a document)."""
        always = self.always
        deque(map(out.__setitem__, block, repeat(always)), 0)
        masks, count = self.every_masks, joined.count
        at = line = 0
        for k, s, _ in self._one_pass_halves(joined):
            if s & 1:
                continue  # in half characters; an odd start straddles two
            s >>= 1
            if s > at:  # (a match starting earlier ends later: it holds the last one, on its line)
                line += count("\n", at, s)
                at = s
            out[block[line]] |= masks[k]


class Vocabulary:
    """The compiled contents of one furniture data file."""

    def __init__(self, name: str):
        data = vocab.load(name)
        vocab.require_keys(data, name, KEYS)
        self.reasons = data["reasons"]
        for group in ("shapes", "edge_shapes"):
            for reason in data[group]:
                if reason not in self.reasons:
                    raise RuleError(f"field 'vocabulary': '{name}' {group}.{reason} has no entry in 'reasons'")
        self.shapes = [(r, _alternation(p, f"shapes.{r}")) for r, p in data["shapes"].items()]
        self.edge = [(r, _alternation(p, f"edge_shapes.{r}")) for r, p in data["edge_shapes"].items()]
        self.gate = _ShapeGate(self.shapes + self.edge)
        self.shape_bits = (1 << len(self.shapes)) - 1
        self.edge_bits = (1 << len(self.edge)) - 1
        self.chrome_words = set(str(w) for w in data["chrome_words"])
        self.chrome_shape = _alternation(data["chrome_shapes"], "chrome_shapes")
        strong, weak = [str(k) for k in data["meta_strong"]], [str(k) for k in data["meta_weak"]]
        paired = [str(k) for k in data["meta_paired"]]
        self.strong, self.paired = set(strong), set(paired)
        self.meta = compile_regex(
            r"(?:^|(?<=[ \t\u3000|｜,，;；\d]))(?P<key>" + trie_pattern(strong + weak + paired)
            + r")[ \t\u3000]*[:：]",
            "meta")
        # The key's group by number: ``regex`` finds a group by name about 1 us
        # slower (timeit: m.group('s') 1.7-2.1 us, m.group(1) 0.12 us).
        self.meta_key = self.meta.groupindex["key"]
        self.weights = {str(k): float(v) for k, v in data["notice_words"].items()}
        self.notice = compile_regex(trie_pattern(self.weights), "notice_words")
        # The same words found by one automaton pass (leftmost-longest, what the
        # trie-shaped alternation finds): the regex tries its dozens of first
        # characters at every position of the text, four times slower.
        self.notice_words = list(self.weights)
        # Built on first use (``notice_ac``): with the shared pass, only a text where
        # it found anchors nearly everywhere reads it (an 8 KB file's run spent 0.5 ms
        # building it). False: not built yet (pickled as itself, unlike a sentinel).
        self._notice_ac = False if multiscan.available() else None
        self.chrome_max, self.line_max = int(data["chrome_max"]), int(data["line_max"])
        self.fits = self.gate.fits(self.line_max)  # per body length: the shapes _judge may try
        self.threshold = float(data["notice_threshold"])
        self.top, self.bottom = int(data["top_lines"]), int(data["bottom_lines"])


    @property
    def notice_ac(self):
        """The notice words' own automaton (leftmost-longest), or None without ahocorasick-rs."""
        if self._notice_ac is False:
            self._notice_ac = multiscan.Automaton(self.notice_words, longest=True)
        return self._notice_ac

    @notice_ac.setter
    def notice_ac(self, value):
        self._notice_ac = value


class FurnitureLineKind(Kind):
    FIELDS = {"vocabulary": str, "unless_line": (str, list)}
    REQUIRED = ("vocabulary",)
    MESSAGE_FIELDS = ("reason",)

    @classmethod
    def validate(cls, rule):
        Vocabulary(rule.options["vocabulary"])
        Veto(rule)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.plan = [(r, Vocabulary(r.options["vocabulary"]), Veto(r, timeout=self.ctx.regex_timeout)) for r in rules]
        # Each notice word is also an anchor of the run's shared automaton (one handle
        # per word, in order, as TermsKind does): the pass that finds every rule's
        # anchors finds them too, and no pass of their own is needed (200 corpus
        # files: 7 ms). The handle of each vocabulary's first word, or None.
        self._notice_first = [register_words(ctx, v.notice_words) if v._notice_ac is not None else None
                              for _, v, _ in self.plan]
        # Their handles: a text whose shared pass found none of them has no notice
        # word, and its weights are all 0 without a walk of the pass (three in four
        # realworld pages hold none; the kind on the first 1000 of them, callgrind:
        # 424.5 -> 418.0 M instructions).
        self._notice_handles = [word_handles(first, v.notice_words)
                                for first, (_, v, _) in zip(self._notice_first, self.plan)]

    @staticmethod
    def line_spans(doc):
        """(start, end) of each line with visible text, without its blanks: the spans
        of ``_LINE``'s group. Read from ``doc.lines`` with str.strip's C loops when
        the lines are long on average (200 corpus files: 15.6 -> 3.3 ms); a text of
        short lines (a flood of blank lines) keeps the one regex pass, whose blank
        lines cost no Python step. A line matches when what is left once its blanks
        are stripped starts and ends with a character outside ``\\s``. A text of up
        to VISIBLE_KEPT characters takes the lines title_repeat takes, found once
        (base.visible_line_spans, from the visible_spans other kinds found)."""
        text, lines = doc.text, doc.lines
        if len(text) <= VISIBLE_KEPT:
            return visible_line_spans(doc)
        if len(lines) * 16 > len(text):
            return [m.span(1) for m in _LINE.finditer(text) if m.start(1) >= 0]
        out = []
        for line, at in zip(lines, doc.line_starts):
            a = len(line) - len(line.lstrip(_STRIP))
            b = len(line.rstrip(_STRIP))
            if a < b and line[a] not in _WHITE and line[b - 1] not in _WHITE:
                out.append((at + a, at + b))
        return out

    def check(self, doc):
        text = doc.text
        lines = self.line_spans(doc)
        # A Word document (docx_input): a table cell is data, not a line of a web
        # page (a bare "36" there is a count in the table); a header, footer or
        # note is Word's own furniture, never at the edge of the body text.
        cells, furniture = getattr(doc, "cell_lines", ()), getattr(doc, "furniture_lines", ())
        if cells or furniture:
            line_of = [bisect.bisect_right(doc.line_starts, s) - 1 for s, _ in lines]
            lines = [span for span, k in zip(lines, line_of) if k not in cells]
            edge = [bisect.bisect_right(doc.line_starts, s) - 1 not in furniture for s, _ in lines]
            body = [i for i, at_edge in enumerate(edge) if at_edge]
            position = {i: k for k, i in enumerate(body)}
        else:
            # Every line is in the body, at its own index: no lists to build (three
            # Python steps a line, 55,000 lines on the corpus).
            edge = body = position = None
        starts = [s for s, _ in lines]
        present = None
        for (rule, v, veto), first, handles in zip(self.plan, self._notice_first, self._notice_handles):
            if handles is not None:
                if present is None:
                    present = anchor_index(self.ctx).present(text)
                if handles.isdisjoint(present):
                    weights = [0.0] * len(lines)
                else:
                    weights = self._notice_weights(text, starts, lines, v, self._shared_notice_words(text, v, first))
            else:
                weights = self._notice_weights(text, starts, lines, v)
            masks = v.gate.masks_within(text, lines, v.line_max)
            pending_value = False
            # Not at the edge: an index past the top window, in a count too long for the bottom one.
            outside = (v.top, v.top + v.bottom + 1)
            threshold, width = v.threshold, v.line_max
            for i, (s, e) in enumerate(lines):
                if e - s > width and weights[i] < threshold and text[s] not in _BULLET_FIRST:
                    pending_value = False  # what _judge answers: no notice, too long for the rest
                    continue
                if edge is None:
                    k, n = i, len(lines)
                else:
                    k, n = (position[i], len(body)) if edge[i] else outside
                reason, pending_value = self._judge(text, s, e, k, n, v, weights[i], pending_value, masks[i])
                if reason and not (veto and veto.vetoes(doc, s, e)):
                    # Hit.of, not the frozen dataclass's __init__ (0.6 against 1.5 us a
                    # hit): about two findings a realworld page.
                    yield Hit.of(s, e, rule, None, {"reason": v.reasons[reason]})

    def _shared_notice_words(self, text, v, first):
        """(word, start, end) of the notice words, leftmost-longest and not
        overlapping (what ``v.notice_ac`` finds), from the shared pass; None when it
        did not keep them."""
        found = shared_words(self.ctx, text, first, v.notice_words)
        return None if found is None else [(v.notice_words[k], s, e) for k, s, e in found]

    @staticmethod
    def _notice_weights(text, starts, lines, v, found=None):
        """Per line, the summed weights of the distinct notice words in it (``found``:
        the words' (word, start, end), if already known)."""
        if found is not None:
            pass
        elif v.notice_ac is not None:
            found = ((v.notice_words[k], s, e) for k, s, e in v.notice_ac.find_in(text, False))
        else:
            found = ((m.group(), m.start(), m.end()) for m in v.notice.finditer(text))
        seen = {}
        for word, s, e in found:
            i = bisect.bisect_right(starts, s) - 1
            if i >= 0 and e <= lines[i][1]:
                seen.setdefault(i, set()).add(word)
        weights = [0.0] * len(lines)
        for i, words in seen.items():
            weights[i] = sum(v.weights[w] for w in words)
        return weights

    def _judge(self, text, s, e, i, n, v, weight, pending_value, mask=-1):
        """(reason or None, whether the next line is the value of an empty key)."""
        if weight >= v.threshold:
            return "notice", False
        # The bullet is looked for only after a bullet's character, and a line too
        # long for any reason but a notice is never copied out.
        bullet = _BULLET.match(text, s, e) if text[s] in _BULLET_FIRST else None
        if bullet:
            s = bullet.end()
        if e - s > v.line_max:
            return None, False
        body = text[s:e]
        first = v.gate.first_of.get(body[:1])
        mask &= v.fits[e - s] & (first if first is not None else v.gate.first_mask(body[:1]))
        # Only the shapes whose bit is set, lowest first, as the loops below the
        # edge's: on the realworld pages a judged line has 1.5 such bits, where a
        # step per shape up to the highest one took 3.6.
        m = mask & v.shape_bits
        while m:
            low = m & -m
            reason, pat = v.shapes[low.bit_length() - 1]
            if pat.fullmatch(body):
                return reason, False
            m ^= low
        if i < v.top or i >= n - v.bottom:
            m = mask >> len(v.shapes) & v.edge_bits
            while m:
                low = m & -m
                reason, pat = v.edge[low.bit_length() - 1]
                if pat.fullmatch(body):
                    return reason, False
                m ^= low
        if len(body) <= v.chrome_max and self._chrome(body, v):
            return "chrome", False
        if ":" in body or "：" in body:  # every key is followed by a colon (_meta)
            meta, empty_key = self._meta(body, v)
            if meta:
                return "meta", empty_key
        if pending_value and len(body) <= 60 and not _SENTENCE_END.search(body):
            return "meta", False
        return None, False

    @staticmethod
    def _chrome(body, v):
        if _SEPARATOR.search(body) is None:
            # One token (none for an empty body): chrome exactly when it is a chrome
            # word, what the test below answers without splitting.
            return bool(body) and body.rstrip(":：") in v.chrome_words
        tokens = list(filter(None, _TOKENS.split(body)))
        # Most such lines hold no chrome word at all: told by one C-level set test
        # over the stripped tokens, not a generator step per token (4,300 lines of
        # the 1000 corpus files; none at all: False, as before).
        if v.chrome_words.isdisjoint(map(str.rstrip, tokens, repeat(":："))):
            return False
        return all(t.rstrip(":：") in v.chrome_words or v.chrome_shape.fullmatch(t) for t in tokens)

    @staticmethod
    def _meta(body, v):
        """(is metadata, is a key with an empty value), of a ``body`` holding a colon
        (_judge asks only then: every key is followed by one)."""
        keys = list(v.meta.finditer(body))
        if not keys:
            return False, False
        key = v.meta_key
        counted = [m for m in keys if m.group(key) in v.strong or m.group(key) in v.paired
                   or _WEB_DATE.match(body, m.end())]
        if (len(counted) >= 2 or (counted and _WEB_DATE.match(body))) and not _SENTENCE_END.search(body):
            return True, False
        first = keys[0]
        if first.start() != 0 or first not in counted or first.group(key) in v.paired:
            return False, False
        value = body[first.end():].strip()
        if not value:
            return True, True
        return len(value) <= 30 and not _SENTENCE_END.search(value), False
