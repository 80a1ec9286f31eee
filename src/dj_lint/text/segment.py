"""Lazy jieba: imported and initialised on the first candidate that needs words."""
from __future__ import annotations

import logging
import sys
from functools import lru_cache

from .jieba_cache import initialize

_jieba = None


def _load():
    global _jieba
    if _jieba is None:
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
        # CRITICAL, not ERROR: jieba logs an English traceback ("Dump cache file
        # failed") when /tmp/jieba.cache belongs to another user of the machine;
        # the run is fine without that cache, and the user can do nothing about it.
        jieba.setLogLevel(logging.CRITICAL)
        initialize(jieba)  # jieba.initialize(), three times faster from our pickle
        _jieba = jieba
    return _jieba


def is_loaded() -> bool:
    return _jieba is not None


@lru_cache(maxsize=4096)
def cut(text: str):
    """[(word, start, end)] for a short piece of text. HMM off: only dictionary words,
    so the result does not drift with the context of unknown characters."""
    jieba = _load()
    return tuple(jieba.tokenize(text, HMM=False))


def in_dictionary(word: str) -> bool:
    jieba = _load()
    return bool(jieba.dt.FREQ.get(word))


def frequency(word: str) -> int:
    """jieba's corpus count for a word (0 when it is not in the dictionary)."""
    jieba = _load()
    return jieba.dt.FREQ.get(word) or 0


@lru_cache(maxsize=4096)
def pos(word: str) -> str:
    """jieba's part-of-speech tag for a dictionary word ('' when it has none).
    The tag table loads on the first call (about 0.3 s), only for candidates."""
    _load()
    import jieba.posseg
    return jieba.posseg.dt.word_tag_tab.get(word, "")
