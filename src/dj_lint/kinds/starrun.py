"""kind: star_run — runs of ``*`` in Chinese text, told apart as placeholder or mask.

Template sites hide whole names with stars (``**区**乡``, ``反馈给***的``: a
placeholder) and their keyword filters blank out parts of words
(``加**部队伍``, ``特大**灾难``: a mask). One classifier decides for every run
(watermarks.md §9/§10) and a rule reports the runs of its ``role``, so the
placeholder rule and the mask rule split the runs between them and never
report the same one twice.

A run is a placeholder when
  1. it stands between CJK punctuation / line ends with no Han character
     next to it (``“******”``), or
  2. a name suffix or function word follows it (``市 党委 系统 的 等``) and a
     function character, punctuation, a line start or an earlier placeholder
     precedes it, or it is at least ``min_run`` long, or
  3. it is at least ``min_run`` long and a function character precedes it
     (``解决了****吃水``), or
  4. jieba sees whole words on both sides (``为实现**生态畜牧``: a name was
     dropped between two words).
Otherwise it splits a word and is a mask. A mask that exactly one canonical
phrase (``phrases``) fits, stars as same-length wildcards, gets that phrase
as its suggestion and is reported over the phrase's span; every other run is
reported as the stars alone.
"""
from __future__ import annotations

import weakref

import regex

from ..findings import Hit
from ..ruleset import RuleError
from .base import Kind, Veto

ROLES = ("placeholder", "mask")
# The fields that decide placeholder vs mask; rules equal in these share verdicts.
CLASSIFIER_FIELDS = ("stars", "cjk_punctuation", "name_suffixes", "openers", "min_run", "phrases")
_HAN = regex.compile(r"\p{Han}")
_CODE = regex.compile(r"`[^`\n]+`")
_RUN = regex.compile(r"[*＊]+")


def _is_han(ch: str) -> bool:
    return bool(ch) and bool(_HAN.match(ch))


class StarRunKind(Kind):
    FIELDS = {
        "role": str,
        "stars": str,
        "cjk_punctuation": str,
        "name_suffixes": list,
        "openers": str,
        "min_run": int,
        "phrases": list,
        "hint": str,
        "unless": (str, list),
        "unless_line": (str, list),
    }
    REQUIRED = ("role", "name_suffixes", "openers")
    # hint: the rule's ``hint`` template filled with the reconstructed phrase, or "".
    MESSAGE_FIELDS = ("count", "hint")

    @classmethod
    def validate(cls, rule):
        o = rule.options
        if o["role"] not in ROLES:
            raise RuleError("field 'role' should be 'placeholder' or 'mask'")
        if not all(isinstance(s, str) and s for s in o["name_suffixes"]):
            raise RuleError("field 'name_suffixes' should list non-empty strings")
        for p in o.get("phrases", []):
            if not isinstance(p, str) or len(p) < 3:
                raise RuleError("field 'phrases' should list phrases of at least 3 characters")
        if o.get("min_run", 3) < 2:
            raise RuleError("field 'min_run' should be at least 2")
        Veto(rule)

    def __init__(self, rules, ctx):
        super().__init__(rules, ctx)
        self.prepared = []
        for rule in rules:
            o = rule.options
            stars = o.get("stars", "*＊")
            cls_ = "[" + regex.escape(stars) + "]"
            self.prepared.append({
                "rule": rule,
                "stars": stars,
                # A run may be split by one line break (``组织*\n**和``).
                "run": regex.compile(cls_ + "+(?:\n" + cls_ + "+)?"),
                "bold": regex.compile(r"(?<!\*)\*\*(?=[^\s*])([^*\n]{2,40}?)(?<=[^\s*])\*\*(?!\*)"),
                "punct": set(o.get("cjk_punctuation", "，。、；：！？“”‘’（）《》【】")),
                "suffixes": sorted(o["name_suffixes"], key=len, reverse=True),
                "openers": set(o["openers"]),
                "min_run": o.get("min_run", 3),
                "phrases": o.get("phrases", []),
                "fit_index": {},
                "veto": Veto(rule),
                "key": repr([o.get(k) for k in CLASSIFIER_FIELDS]),
            })

    def check(self, doc):
        text = doc.text
        # The placeholder and the mask rule share one classifier: classify each
        # run once per set of classifier fields, then let every rule pick its role.
        verdicts = {}
        for p in self.prepared:
            if not any(s in text for s in p["stars"]):
                continue
            if p["key"] not in verdicts:
                placeholders = set()
                verdicts[p["key"]] = [self._classify(doc, p, m.start(), m.end(), placeholders)
                                      for m in p["run"].finditer(text)]
            for verdict in verdicts[p["key"]]:
                if verdict is None or verdict[0] != p["rule"].options["role"]:
                    continue
                role, start, end, count, suggestion = verdict
                if p["veto"] and p["veto"].vetoes(doc, start, end):
                    continue
                template = p["rule"].options.get("hint", "")
                hint = template.format(phrase=suggestion) if suggestion and template else ""
                yield Hit(start, end, p["rule"], suggestion, {"count": count, "hint": hint})

    # -- classification ----------------------------------------------
    def _classify(self, doc, p, start, end, placeholders):
        text = doc.text
        before = text[start - 1] if start > 0 else "\n"
        after = text[end] if end < len(text) else "\n"
        count = end - start - text.count("\n", start, end)
        han_before, han_after = _is_han(before), _is_han(after)
        if self._in_bold(doc, p, start, end):
            return None
        edge = lambda ch: ch == "\n" or ch in p["punct"]  # noqa: E731
        if not (han_before or han_after):
            # ``4**2``, a ``***`` rule line: not text. Between CJK marks: a blank name.
            if before in p["punct"] and after in p["punct"] and count >= 2:
                return self._emit(p, "placeholder", start, end, count, None, placeholders)
            return None
        if not (han_before or edge(before)) or not (han_after or edge(after)):
            return None
        if count == 1 and not (han_before and han_after):
            return None
        phrase = self._fit(text, p, start, end)
        if phrase is None and self._placeholder(doc, p, start, end, count, before, placeholders):
            return self._emit(p, "placeholder", start, end, count, None, placeholders)
        if phrase is not None:
            s, e, sugg = phrase
            return self._emit(p, "mask", s, e, count, sugg, placeholders)
        return self._emit(p, "mask", start, end, count, None, placeholders)

    @staticmethod
    def _emit(p, role, start, end, count, suggestion, placeholders):
        if role == "placeholder":
            placeholders.add(end)
        return role, start, end, count, suggestion

    def _placeholder(self, doc, p, start, end, count, before, placeholders) -> bool:
        text = doc.text
        suffix = any(text.startswith(s, end) for s in p["suffixes"])
        opened = before == "\n" or before in p["openers"] or before in p["punct"]
        # ``**区**乡``: the second run follows a placeholder and its one-character suffix.
        chained = (start - 1) in placeholders
        long_run = count >= p["min_run"]
        if suffix and (opened or chained or long_run):
            return True
        if long_run and opened:
            return True
        return self._between_words(doc, start, end)

    @staticmethod
    def _between_words(doc, start, end) -> bool:
        text = doc.text
        left, right = text[max(0, start - 2):start], text[end:end + 2]
        if len(left) < 2 or len(right) < 2 or not all(_is_han(c) for c in left + right):
            return False
        from ..segment import in_dictionary
        return in_dictionary(left) and in_dictionary(right)

    def _in_bold(self, doc, p, start, end) -> bool:
        """Markdown ``**加粗**``: every star run on the line pairs up into bold spans
        (so ``**区**乡…位于**西北`` is no bold text), or the run is inside `code`."""
        ls, le = doc.line_span(start)
        line, all_bold = self._bold_line(doc, p, ls, le)
        if line[start - ls] == " ":
            return True  # the run itself is inside `code`
        return all_bold

    def _bold_line(self, doc, p, ls, le):
        """(line with `code` blanked, whether all its runs are bold), once per line:
        per run, a line of 2 MB of stars was scanned once for each of its runs."""
        cache = getattr(self, "_bold_cache", None)
        if cache is None or cache[0]() is not doc:  # weak: the document may go after its lint
            cache = self._bold_cache = (weakref.ref(doc), {})
        key = (ls, le, p["bold"].pattern)
        if key not in cache[1]:
            # Stars inside `code` (a regex's \s*) are no emphasis marks.
            line = _CODE.sub(lambda m: " " * len(m.group()), doc.text[ls:le]) if "`" in doc.text[ls:le] \
                else doc.text[ls:le]
            runs = [m.span() for m in _RUN.finditer(line)]
            if not runs or len(runs) % 2 or any(line[a:b] != "**" for a, b in runs):
                all_bold = False
            else:
                spans = [m.span() for m in p["bold"].finditer(line)]
                covered = {a for s, e in spans for a in (s, e - 2)}
                all_bold = all(a in covered for a, _ in runs)
            cache[1][key] = (line, all_bold)
        return cache[1][key]

    @staticmethod
    def _fit(text, p, start, end):
        """(span start, span end, phrase) when exactly one canonical phrase fits."""
        if "\n" in text[start:end]:
            return None
        n = end - start
        index = p["fit_index"].get(n)
        if index is None:
            # (char left of the stars, char right of them) -> [(phrase, offset)]
            index = p["fit_index"][n] = {}
            for phrase in p["phrases"]:
                for i in range(len(phrase) - n + 1):
                    if i + (len(phrase) - i - n) >= 2:
                        key = (phrase[i - 1:i], phrase[i + n:i + n + 1])
                        index.setdefault(key, []).append((phrase, i))
        lc, rc = text[start - 1:start], text[end:end + 1]
        fits = set()
        for key in ((lc, rc), ("", rc), (lc, "")):
            for phrase, i in index.get(key, ()):
                left, right = phrase[:i], phrase[i + n:]
                if start >= len(left) and text[start - len(left):start] == left \
                        and text[end:end + len(right)] == right:
                    fits.add((start - len(left), end + len(right), phrase))
        return fits.pop() if len(fits) == 1 else None
