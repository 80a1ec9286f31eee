"""kind: broken_name — fixed names a word filter or a rewriting tool broke.

Three shapes, all read from the lexicon (dj_lint.lexicon), never from a list
of broken strings:

- ``deleted``: a filtered word (共产党, 党 …) cut out of a fixed name
  (优秀共产党员 → ``优秀员``, 中国共产党章程 → ``《中国章程》``). The rest
  of the name is searched for; it counts only where it is no word itself and
  no word runs across its edges (``优秀员工`` stays clean).
- ``spinner``: a "伪原创" tool swapped a word inside a name for a synonym
  (全国优秀共产党员 → ``国内优秀共产党员``), or wrote a rare word for a common
  one before a noun (``优级中学`` for 高级中学).
- ``spaced``: spaces injected inside a sensitive word to slip past a filter
  (``中国共 产 党``), on a line that is not spaced out as a whole.
"""
from __future__ import annotations

import re

from ..model.findings import Hit
from ..model.rules import RuleError
from ..text import build_cache, lexicon, multiscan, pattern_cache
from .base import Kind, Veto, anchor_index, register_words, shared_words, word_handles

SHAPES = ("deleted", "spinner", "spaced")
_SPACES = " \t\u3000"
_SPACE = f"[{_SPACES}]"
_SPACE_RUN = pattern_cache.compile_re(_SPACE + "+")


class BrokenNameKind(Kind):
    FIELDS = {"shape": str, "rare": int, "unless": (str, list), "unless_line": (str, list)}
    REQUIRED = ("shape",)
    MESSAGE_FIELDS = ("name", "word")

    @classmethod
    def validate(cls, rule):
        if rule.options["shape"] not in SHAPES:
            raise RuleError(f"field 'shape' should be one of {', '.join(SHAPES)}")
        Veto(rule)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.prepared = [(rule, Veto(rule, timeout=self.ctx.regex_timeout)) for rule in rules]
        self._tables = {}
        # The deleted-name rests and the spinner's replacements are anchors of the
        # run's shared automaton, one handle per literal (register_words): their
        # matches come from the pass that finds every rule's anchors, instead of a
        # scan of their own over every text (200 corpus files: about 6 ms).
        self._first = {}
        # Each shape's handles: a text whose shared pass found none of them holds
        # none of the shape's words, which is then not even started (most texts:
        # told in C, without its generator, its tables and a walk of the pass).
        self._handles = {}
        shapes = {rule.options["shape"] for rule in rules}
        words = {}
        if "deleted" in shapes:
            words["deleted"] = self._deleted_table()[2]
        if "spinner" in shapes:
            words["spinner"] = list(self._spinner_table()[0])
        for shape, listed in words.items():
            first = self._first[shape] = register_words(ctx, listed)
            if first is not None:
                self._handles[shape] = word_handles(first, listed)

    def check(self, doc):
        present = None
        for rule, veto in self.prepared:
            shape = rule.options["shape"]
            handles = self._handles.get(shape)
            if handles is not None:
                if present is None:
                    present = anchor_index(self.ctx).present(doc.text)
                if handles.isdisjoint(present):
                    continue
            for start, end, sugg, fields in getattr(self, "_" + shape)(doc, rule):
                if veto and veto.vetoes(doc, start, end):
                    continue
                yield Hit(start, end, rule, sugg, fields)

    # -- a filtered word deleted from a fixed name -------------------------
    def _deleted_table(self):
        if "deleted" not in self._tables:
            table = build_cache.product("broken-name-deleted", _build_deleted_table)
            rests = sorted(table, key=lambda s: (-len(s), s))
            regex = pattern_cache.compile_re(_first_char_alternation(rests)) if table else None
            self._tables["deleted"] = (table, regex, rests)
        return self._tables["deleted"]

    def _deleted(self, doc, rule):
        table, regex, rests = self._deleted_table()
        if regex is None:
            return
        text = doc.text
        first = self._first.get("deleted")
        found = shared_words(self.ctx, text, first, rests) if first is not None else None
        if found is None:  # what the shared pass would give: leftmost-longest, no overlaps
            found = ((rests.index(m.group()), m.start(), m.end()) for m in regex.finditer(text))
        for k, s, e in found:
            rest = rests[k]
            name, word = table[rest]
            if _crosses(text, s, e, rest, lexicon):
                continue
            yield s, e, name, {"name": name, "word": word}

    # -- synonym swaps by rewriting tools ---------------------------------
    def _spinner(self, doc, rule):
        text = doc.text
        by_swap, inside = self._spinner_table()
        rare = rule.options.get("rare", 10)
        first = self._first.get("spinner")
        at = None
        if first is not None:
            # Every occurrence of each replacement, by start: the shared pass's
            # starts of its handle (a look-up each, not a walk of every handle found).
            present = anchor_index(self.ctx).present(text)
            at = [present.get(h, ()) for h in range(first, first + len(by_swap))]
            if any(starts is multiscan.WHOLE for starts in at):
                at = None  # the pass did not keep them
        for k, (out, origs) in enumerate(by_swap.items()):
            for i in (at[k] if at is not None else _occurrences(text, out)):
                e = i + len(out)
                hit = self._swap_at(text, i, e, out, origs, inside, rare, lexicon)
                if hit:
                    yield hit

    def _spinner_table(self):
        """({replacement: the words it stands for}, {word: ((the rest of a fixed
        name it starts, the name), …) in the names' order}), from the lexicon,
        sorted once, not for every document."""
        if "spinner" not in self._tables:
            by_swap = {}
            for orig, outs in lexicon.spinner().items():
                for out in outs:
                    by_swap.setdefault(out, []).append(orig)
            names = lexicon.fixed_names()
            inside = {orig: tuple((name[len(orig):], name) for name in names
                                  if name.startswith(orig) and len(name) > len(orig) + 1)
                      for origs in by_swap.values() for orig in origs}
            self._tables["spinner"] = (by_swap, inside)
        return self._tables["spinner"]

    @staticmethod
    def _swap_at(text, i, e, out, origs, inside, rare, lexicon):
        # Inside a fixed name: 国内优秀共产党员 for 全国优秀共产党员.
        for orig in origs:
            for rest, name in inside[orig]:
                if text.startswith(rest, e):
                    return i, e, orig, {"name": name, "word": orig}
        # A rare word written for a common one before a noun: 优级中学.
        from ..text.segment import frequency
        if frequency(out) >= rare or not all(frequency(o) >= 100 * rare for o in origs):
            return None
        after = text[e:e + 6]
        fitting = [o for o in origs if any(lexicon.is_word(o + after[:k]) for k in range(2, len(after) + 1))]
        if fitting or (after and re.match(r"[\u4e00-\u9fff]", after)):
            sugg = fitting[0] if len(fitting) == 1 else None
            return i, e, sugg, {"name": (sugg or "/".join(origs)), "word": sugg or "/".join(origs)}
        return None

    # -- spaces injected inside a sensitive word ---------------------------
    def _spaced(self, doc, rule):
        if "spaced" not in self._tables:
            words = sorted({w for w in lexicon.filtered_words() + lexicon.fixed_names() if len(w) >= 3},
                           key=lambda w: (-len(w), w))  # one pattern in every run: cached once
            # The words as one ``re`` alternation of literals, looked for in a line
            # with its spaces taken out (_spaced_in): the words with spaces allowed
            # between their characters, a ``regex`` pattern, took 0.7 ms to load
            # from the pattern cache at every start, and 0.39 ms on the gated lines
            # of c100 where this takes 0.1.
            regex = pattern_cache.compile_re(_first_char_alternation(words))
            self._tables["spaced"] = (words, regex, _spaced_gate(words))
        words, regex, gate = self._tables["spaced"]
        text = doc.text
        if gate is None:
            return
        # No match holds a line break, so the matches in a line are those of a scan
        # of that line alone; one with a space holds a word's character, spaces and
        # a next character of a word. Only the lines with such a spot are scanned
        # (the words' alternation tried at every position of every line cost
        # 22 ms on 200 corpus files, the gate 3 ms).
        spots = []
        for space, led in gate:
            if space in text:
                spots.extend(m.start() for m in led.finditer(text))
        if not spots:
            return
        spots.sort()
        done = -1
        for spot in spots:
            if spot < done:
                continue  # this line was scanned
            ls, le = doc.line_span(spot)
            done = le
            yield from self._spaced_in(doc, regex, ls, le)

    @staticmethod
    def _spaced_in(doc, regex, ls, le):
        """The spaced words of the line [ls, le): the matches of the words, spaces
        allowed between their characters, are those of the words in the line with
        its spaces taken out (a match starts and ends at a word's character, so
        the next one is looked for from the same character either way), the ones
        that held a space being longer in the line."""
        text = doc.text
        line = text[ls:le]
        squeezed = line
        for space in _SPACES:  # str.replace in C (str.translate: a dict look-up a character)
            squeezed = squeezed.replace(space, "")
        runs = None
        for m in regex.finditer(squeezed):
            a, b = m.span()
            if runs is None:
                runs = [r.span() for r in _SPACE_RUN.finditer(line)]
                runs.append((len(line), 0))  # past every offset looked up: ends the walks
                j = shift = 0
            # The line offsets of a and b - 1: the space runs that start at or before
            # them taken out. The offsets come in order (the matches do), so each run
            # is passed once for the whole line, not walked again for every match (a
            # 1.7-million-character line of 8,743 runs and 5,846 matches: 25 million
            # steps). ``shift``: the length of the runs before run ``j``.
            while runs[j][0] <= a + shift:
                shift += runs[j][1] - runs[j][0]
                j += 1
            s = ls + a + shift
            while runs[j][0] <= b - 1 + shift:
                shift += runs[j][1] - runs[j][0]
                j += 1
            e = ls + b + shift
            if e - s == b - a:
                continue  # no space inside
            outside = line[:s - ls] + line[e - ls:]
            if _spaced_out(outside):
                continue  # a line spaced out as a whole (a heading's layout)
            word = squeezed[a:b]
            yield s, e, word, {"name": word, "word": word}


_SPACED_PAIR = pattern_cache.compile_re(r"[\u4e00-\u9fff]" + _SPACE + r"+(?=[\u4e00-\u9fff])")


def _spaced_out(text: str) -> bool:
    """Whether ``text`` has two or more Chinese characters followed by spaces and a
    Chinese character (the first two found, not all of a long line counted)."""
    it = _SPACED_PAIR.finditer(text)
    return next(it, None) is not None and next(it, None) is not None


def _occurrences(text, literal):
    """The start of every occurrence of ``literal`` in ``text``, overlapping ones too."""
    start = 0
    while True:
        i = text.find(literal, start)
        if i < 0:
            return
        yield i
        start = i + 1


def _first_char_alternation(literals) -> str:
    """A ``re`` alternation of ``literals`` that finds what ``a|b|…`` finds (at a
    position, the first literal of the list that matches), shaped as
    ``x(?:rest|rest)|y(?:…)`` by first character: ``re`` then tries at a position
    only the literals that start there (on 200 corpus files the broken-name
    table took 10 ms through ``regex``, 5 through a flat ``re`` alternation, 4
    like this). A literal's rest keeps its place among those of its first
    character, so the first match at each position is the same literal."""
    groups: dict = {}
    for lit in literals:
        groups.setdefault(lit[0], []).append(re.escape(lit[1:]))
    return "|".join(f"{re.escape(c)}(?:{'|'.join(rests)})" for c, rests in groups.items())


def _spaced_gate(words):
    """A ``re`` pattern found in every line where a word of ``words`` is written
    with spaces inside: a character a word goes on after, spaces, a character
    a word goes on with; None without words. As one pattern for each kind of
    space, [(space, pattern led by it)], each looked for in a text that holds
    that space: ``re`` skips to a literal first character faster than to a class
    (the corpus: 15.0 -> 5.1 ms). Their matches together are the one pattern's
    (``_SPACE`` first): a match starts at the first space after a word's
    character, so none starts inside another."""
    if not words:
        return None
    before = "".join(sorted({re.escape(c) for w in words for c in w[:-1]}))
    after = "".join(sorted({re.escape(c) for w in words for c in w[1:]}))
    rest = f"(?<=[{before}]{_SPACE}){_SPACE}*[{after}]"
    return [(space, pattern_cache.compile_re(re.escape(space) + rest)) for space in _SPACES]


def _build_deleted_table():
    """{rest of a fixed name once a filtered word is cut out: (name, word)}.
    Kept in the build cache: it asks the dictionary about every pair."""
    table = {}
    for name in lexicon.fixed_names():
        for word in lexicon.filtered_words():
            i = name.find(word)
            rest = name[:i] + name[i + len(word):] if i >= 0 else ""
            # Only a word cut from the inside leaves a broken name: a prefix
            # or suffix (中国共产|党) is what the full name starts with.
            if len(rest) >= 3 and not lexicon.is_word(rest) and 0 < i < len(name) - len(word):
                table.setdefault(rest, (name, word))
    return table


def _crosses(text, s, e, rest, lexicon) -> bool:
    """A word of the lexicon runs across an edge of text[s:e] (``优秀员|工``),
    at an edge that is not itself the edge of a word of ``rest``."""
    for k in (1, 2):
        if not lexicon.is_word(rest[-2:]) and e + k <= len(text) and lexicon.is_word(text[e - 1:e + k]):
            return True
        if not lexicon.is_word(rest[:2]) and s - k >= 0 and lexicon.is_word(text[s - k:s + 1]):
            return True
    return False
