"""Lazy jieba: nothing of it is loaded until a candidate needs words.

Word counts and "is this a word" read the memory-mapped word table
(text/wordfreq.py). Segmentation (``cut``) runs jieba's cutting over that
table too (text/jieba_cut.py, or jieba's own Tokenizer reading the table for
another jieba version), so the dictionary is not loaded for the candidates of
a run; only after ``LIGHT_CUTS`` cuts is it loaded. Loading costs 0.15-0.45 s
and about 70 MB; a cut over the table costs about 0.1-0.17 ms against jieba's
0.06, so the load pays for its time only after some thousands of cuts (the
1,000-file benchmark corpus and the 20 MB file make about 430 each).
Either way the tokens are the same. Without a usable table (no cache folder,
``DJ_LINT_NO_CACHE=1``) jieba loads its dictionary as before.
"""
from __future__ import annotations

import sys
from functools import lru_cache

from . import build_cache, jieba_cut, wordfreq
from .jieba_cache import initialize

LIGHT_CUTS = 5000

_jieba = None  # jieba with its dictionary loaded
_light = None  # cutting over the word table (False: no table)
_cuts = 0


def _import_jieba():
    # jieba imports pkg_resources (~75 ms, a third of its import) only to open
    # its own data files, and falls back to plain open() when that import fails.
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    import logging
    # CRITICAL, not ERROR: jieba logs an English traceback ("Dump cache file
    # failed") when /tmp/jieba.cache belongs to another user of the machine;
    # the run is fine without that cache, and the user can do nothing about it.
    jieba.setLogLevel(logging.CRITICAL)
    return jieba


def _load():
    """jieba, with its dictionary loaded."""
    global _jieba
    if _jieba is None:
        jieba = _import_jieba()
        first = wordfreq.table(build=False) is None  # the first start: the table is written below
        # jieba.initialize(), three times faster from our pickle. The first start
        # writes the word table only; the pickle waits for a run that loads jieba
        # again (most never do), so building the cache stays short.
        initialize(jieba, write=not first)
        _jieba = jieba
        if first:
            wordfreq.write(jieba.dt.FREQ, jieba.dt.total)  # for the next runs
            build_cache.jieba_version()  # which the next runs' cutting will ask
    return _jieba


def is_loaded() -> bool:
    """Whether this run needed words from jieba's dictionary for segmentation."""
    return _jieba is not None or bool(_light)


def _light_cut():
    """A function cutting text over the word table, or None (no table)."""
    global _light
    if _light is None:
        table = wordfreq.table()
        if table is None:
            _light = False
        elif build_cache.jieba_version() == jieba_cut.JIEBA_VERSION:
            # jieba's steps written out: not even jieba's module is imported.
            _light = lambda text: jieba_cut.tokenize(text, table, table.total)  # noqa: E731
        else:  # another jieba: its own code, reading the table
            tok = _import_jieba().Tokenizer()
            tok.FREQ, tok.total, tok.initialized = wordfreq.FreqView(table), table.total, True
            _light = lambda text: list(tok.tokenize(text, HMM=False))  # noqa: E731
    return _light or None


@lru_cache(maxsize=4096)
def cut(text: str):
    """[(word, start, end)] for a short piece of text. HMM off: only dictionary words,
    so the result does not drift with the context of unknown characters."""
    global _cuts
    _cuts += 1
    if _jieba is None and _cuts <= LIGHT_CUTS:
        light = _light_cut()
        if light is not None:
            return tuple(light(text))
    return tuple(_load().tokenize(text, HMM=False))


def in_dictionary(word: str) -> bool:
    return frequency(word) > 0


def frequency(word: str) -> int:
    """jieba's corpus count for a word (0 when it is not in the dictionary)."""
    if _jieba is None:
        table = wordfreq.frequencies()
        if table is not None:
            return table.frequency(word)
    return _load().dt.FREQ.get(word) or 0


# Words written in CJK Unified Ideographs only (U+4E00-U+9FFF), as UTF-8 bytes.
_HAN_UTF8 = rb"(?:\xe4[\xb8-\xbf][\x80-\xbf]|[\xe5-\xe9][\x80-\xbf][\x80-\xbf])"


def han_words(min_len: int, max_len: int, min_count: int):
    """[(word, count)] of every dictionary word of min_len..max_len characters, all
    of them in U+4E00-U+9FFF, counted at least ``min_count`` times (in the
    dictionary's order; from the word table without loading jieba when it can)."""
    table = wordfreq.table() if _jieba is None else None
    if table is not None:
        pattern = _HAN_UTF8 + b"{%d,%d}" % (min_len, max_len)
        entries = table.words(pattern)
    else:
        entries = _load().dt.FREQ.items()
    out = []
    for word, count in entries:
        if count >= min_count and min_len <= len(word) <= max_len \
                and all("\u4e00" <= ch <= "\u9fff" for ch in word):
            out.append((word, count))
    out.sort()
    return out


def two_char_words(second) -> list:
    """[(word, count)] of every two-character dictionary word (count > 0) whose second
    character is in ``second``, in no particular order (from the word table by one
    C-level pass when it can: a cold start then needs no jieba at all)."""
    second = set(second)
    table = wordfreq.table() if _jieba is None else None
    if table is not None:
        import re
        ends = "".join(re.escape(ch) for ch in sorted(second) if len(ch) == 1 and ch not in "\t\n")
        entries = table.text_words(r"[^\t\n][" + ends + "]") if ends else ()
    else:
        entries = _load().dt.FREQ.items()
    return [(w, c) for w, c in entries if c and len(w) == 2 and w[1] in second]


@lru_cache(maxsize=4096)
def pos(word: str) -> str:
    """jieba's part-of-speech tag for a dictionary word ('' when it has none).
    The tags are read from a mapped table (text/wordfreq.py) without loading
    jieba; without a cache folder the same table is read from dict.txt into memory
    (0.5 s); jieba.posseg loads only when dict.txt cannot be read that way."""
    table = wordfreq.tag_table()
    if table is not None:
        return table.get(word) or ""
    _load()
    import jieba.posseg
    return jieba.posseg.dt.word_tag_tab.get(word, "")
