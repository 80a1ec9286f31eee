"""The lexicon: jieba's dictionary plus the Party-building vocabulary.

The vocabulary is data with its provenance, ``rules/data/party_terms.yaml``
(terms, fixed names, words that site filters blank out, pinyin initials,
synonym swaps of rewriting tools). Every rule that needs to know whether a
string is a word of the domain asks here, so the list exists once.

    from dj_lint.text import lexicon
    lexicon.is_word("党委")            # jieba word or Party term
    lexicon.is_party_term("主题党日")  # the Party vocabulary only
    lexicon.party_fills("镇", 1, "委会议")  # {('党', '党委'), ...}: what fills a slot
    lexicon.word_fills("进一步加", 2, "部队伍")  # same, from jieba's dictionary too

Loaded once, on first use; a malformed file raises LexiconError naming the
file and the field.
"""
from __future__ import annotations

import bisect
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from . import build_cache, segment
from .data import shipped_data
from .oserrors import os_reason

LABEL = "rules/data/party_terms.yaml"
SECTIONS = ("terms", "names", "filtered", "initials", "spinner")


class LexiconError(ValueError):
    """The vocabulary file is malformed (the message names file and field)."""


def data_path() -> str:
    return shipped_data("party_terms.yaml")


def _strings(value, field: str) -> List[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise LexiconError(f"{LABEL}: '{field}' should be a list of non-empty strings")
    return [s.strip() for s in value]


def _by_source(value, field: str) -> List[str]:
    """``{source: [words]}``: every word is filed under the source it comes from."""
    if not isinstance(value, dict) or not value:
        raise LexiconError(f"{LABEL}: '{field}' should map each source to a list of words")
    out: List[str] = []
    for source, words in value.items():
        out.extend(_strings(words, f"{field}.{source}"))
    return out


def parse(data) -> dict:
    if not isinstance(data, dict):
        raise LexiconError(f"{LABEL}: should be a mapping with {', '.join(SECTIONS)}")
    for key in data:
        if key not in SECTIONS:
            raise LexiconError(f"{LABEL}: unknown field '{key}'")
    initials = data.get("initials") or {}
    if not isinstance(initials, dict) or not all(
            isinstance(k, str) and k.isascii() and k.isalpha() and k.isupper() and isinstance(v, str) and v
            for k, v in initials.items()):
        raise LexiconError(f"{LABEL}: 'initials' should map upper-case letters to a word")
    spinner = data.get("spinner") or {}
    if not isinstance(spinner, dict):
        raise LexiconError(f"{LABEL}: 'spinner' should map a word to the list of its swaps")
    swaps = {k: _strings(v, f"spinner.{k}") for k, v in spinner.items()}
    return {
        "terms": _by_source(data.get("terms"), "terms"),
        "names": _by_source(data.get("names"), "names"),
        "filtered": _strings(data.get("filtered"), "filtered"),
        "initials": dict(initials),
        "spinner": swaps,
    }


@lru_cache(maxsize=1)
def _data() -> dict:
    """The parsed vocabulary, from the build cache when it holds this build."""
    return build_cache.product("data:party_terms.yaml", _read)


def _read() -> dict:
    import yaml
    from .data import _loader  # libyaml when built: a cache build is shorter
    try:
        with open(data_path(), "rb") as fh:
            raw = yaml.load(fh, Loader=_loader(yaml))  # libyaml when built
    except OSError as exc:
        raise LexiconError(f"{LABEL}: 无法读取：{os_reason(exc)}") from None
    except yaml.YAMLError as exc:
        raise LexiconError(f"{LABEL}: YAML 格式错误：{exc}") from None
    return parse(raw)


# -- the vocabulary ------------------------------------------------------
@lru_cache(maxsize=1)
def party_terms() -> FrozenSet[str]:
    """Every term and fixed name of the Party vocabulary."""
    d = _data()
    return frozenset(d["terms"]) | frozenset(d["names"])


@lru_cache(maxsize=1)
def fixed_names() -> Tuple[str, ...]:
    """Fixed names (honours, documents, bodies), longest first (then in code point
    order: the same order in every run, whatever the string hash seed). Sorted
    once: letter_mask asks for every pinyin-initials candidate (27 us a sort)."""
    return tuple(sorted(set(_data()["names"]), key=lambda s: (-len(s), s)))


@lru_cache(maxsize=1)
def filtered_words() -> Tuple[str, ...]:
    """Words that template sites' keyword filters blank out or replace."""
    return tuple(_data()["filtered"])


@lru_cache(maxsize=1)
def filtered_set() -> FrozenSet[str]:
    """``filtered_words`` as a set, made once (letter_mask looks words up in it for
    every document with a candidate)."""
    return frozenset(filtered_words())


def initials() -> Dict[str, str]:
    """Pinyin initials (``XJP``) -> the word they stand for."""
    return dict(_data()["initials"])


def spinner() -> Dict[str, List[str]]:
    """Original word -> what rewriting tools put in its place."""
    return {k: list(v) for k, v in _data()["spinner"].items()}


def is_party_term(s: str) -> bool:
    return s in party_terms()


def is_word(s: str) -> bool:
    """A word of jieba's dictionary or of the Party vocabulary."""
    return bool(s) and (s in party_terms() or segment.frequency(s) > 0)


# -- filling a slot ------------------------------------------------------
def _fits(word: str, left: str, n: Optional[int], right: str, need_context: bool):
    """(fill, word) for every way ``word`` covers a slot of ``n`` unknown
    characters (any length 1-12 when n is None) with its other characters
    equal to the text around the slot."""
    out = set()
    lengths = range(1, min(len(word), 12) + 1) if n is None else (n,)
    for k in lengths:
        for i in range(0, len(word) - k + 1):
            a, f, b = word[:i], word[i:i + k], word[i + k:]
            if need_context and not (a or b):
                continue
            if left.endswith(a) and right.startswith(b):
                out.add((f, word))
    return out


@lru_cache(maxsize=16)
def _split_index(n: Optional[int]):
    """Every way to cut a Party term into (a, fill, b), keyed by the character
    of the context next to each side ('' when that side is empty)."""
    index: Dict[Tuple[str, str], List[Tuple[str, str, str, str]]] = {}
    for term in party_terms():
        lengths = range(1, min(len(term), 12) + 1) if n is None else (n,)
        for k in lengths:
            for i in range(0, len(term) - k + 1):
                a, f, b = term[:i], term[i:i + k], term[i + k:]
                index.setdefault((a[-1:], b[:1]), []).append((a, f, b, term))
    return index


def party_fills(left: str, n: Optional[int], right: str, *, need_context: bool = True) -> Set[Tuple[str, str]]:
    """Fills of a slot from the Party vocabulary: ``{(fill, term)}`` where
    ``left[-i:] + fill + right[:j] == term``. ``n`` is the slot's length in
    characters, or None when one mark stands for a word of any length
    (``“x”重要思想``). With need_context the term must reach past the slot."""
    index = _split_index(n)
    out: Set[Tuple[str, str]] = set()
    keys = [(left[-1:], right[:1]), (left[-1:], ""), ("", right[:1])]
    if not need_context:
        keys.append(("", ""))
    for key in keys:
        if key in (("", ""),) and need_context:
            continue
        for a, f, b, term in index.get(key, ()):
            if left.endswith(a) and right.startswith(b):
                out.add((f, term))
    return out


@lru_cache(maxsize=1)
def _indexes():
    """jieba's words sorted, and sorted reversed, for prefix / suffix ranges."""
    segment._load()
    import jieba
    words = [w for w, f in jieba.dt.FREQ.items() if f and 2 <= len(w) <= 8]
    words.extend(t for t in party_terms() if 2 <= len(t) <= 8)
    fwd = sorted(set(words))
    rev = sorted(w[::-1] for w in fwd)
    return fwd, rev


def _with_prefix(sorted_words: List[str], prefix: str) -> Iterable[str]:
    i = bisect.bisect_left(sorted_words, prefix)
    while i < len(sorted_words) and sorted_words[i].startswith(prefix):
        yield sorted_words[i]
        i += 1


def word_fills(left: str, n: int, right: str, *, reach: int = 3) -> Set[Tuple[str, str]]:
    """Fills of an ``n``-character slot by one word of jieba's dictionary or the
    Party vocabulary that covers the whole slot and at least one character of
    the text next to it: ``{(fill, word)}``."""
    fwd, rev = _indexes()
    out: Set[Tuple[str, str]] = set()
    for i in range(1, min(reach, len(left)) + 1):
        a = left[-i:]
        for w in _with_prefix(fwd, a):
            if len(w) >= i + n and right.startswith(w[i + n:]):
                out.add((w[i:i + n], w))
    for j in range(1, min(reach, len(right)) + 1):
        b = right[:j]
        for r in _with_prefix(rev, b[::-1]):
            w = r[::-1]
            if len(w) == n + j:
                out.add((w[:n], w))
    return out


def edge_fills(left: str, n: int, right: str) -> Tuple[Set[str], Set[str]]:
    """Words that cross one edge of the slot only: the slot's first characters
    completing a word that starts in ``left`` (``加`` + ``强``), and its last
    characters starting a word that ends in ``right`` (``干`` + ``部``).
    Returns (fills of the slot's head, fills of its tail), each shorter than n."""
    fwd, rev = _indexes()
    head: Set[str] = set()
    tail: Set[str] = set()
    for i in range(1, min(3, len(left)) + 1):
        a = left[-i:]
        for w in _with_prefix(fwd, a):
            if i < len(w) < i + n:
                head.add(w[i:])
    for j in range(1, min(3, len(right)) + 1):
        b = right[:j]
        for r in _with_prefix(rev, b[::-1]):
            w = r[::-1]
            if j < len(w) < j + n and right.startswith(w[len(w) - j:]):
                tail.add(w[:len(w) - j])
    return head, tail


def cuts_word(term: str, i: int) -> bool:
    """Position ``i`` of ``term`` falls inside one of its words (jieba), not
    between two: ``习近|平`` does, ``政治|生态`` does not."""
    if not 0 < i < len(term):
        return False
    return not any(s == i for _, s, _ in segment.cut(term))


def straddling_fills(left: str, n: Optional[int], right: str) -> Set[Tuple[str, str]]:
    """``party_fills`` whose term is cut by an edge of the slot inside a word:
    the slot took part of a word away (``**平新时代…`` → 习近平, ``镇X委`` →
    党委), rather than standing for a whole word next to whole words."""
    # A new set each time, as before; the answer is worked out once per context:
    # the benchmark corpus asks 8,805 times about 546 distinct ones (star runs in
    # the same template text), each answer a walk over the vocabulary's cuts.
    return set(_straddling(left, n, right))


@lru_cache(maxsize=4096)
def _straddling(left: str, n: Optional[int], right: str) -> FrozenSet[Tuple[str, str]]:
    """``straddling_fills``, kept per (left, n, right): it depends on nothing else
    (the vocabulary is read once; ``segment.cut`` gives the same tokens always)."""
    out = set()
    for fill, term in party_fills(left, n, right):
        for i in (j for j in range(len(term)) if term.startswith(fill, j)):
            a, b = term[:i], term[i + len(fill):]
            if not (left.endswith(a) and right.startswith(b)):
                continue
            if (a and cuts_word(term, i)) or (b and cuts_word(term, i + len(fill))):
                out.add((fill, term))
    return frozenset(out)
