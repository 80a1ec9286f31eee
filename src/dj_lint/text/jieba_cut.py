"""jieba's default cutting without HMM, over any word-count mapping.

The same steps as ``jieba.Tokenizer.tokenize(text, HMM=False)`` in jieba
0.42.1 (MIT licence, https://github.com/fxsjy/jieba, jieba/__init__.py:
``cut``, ``get_DAG``, ``calc``, ``__cut_DAG_NO_HMM``), written out so that
cutting a few clauses needs neither jieba's import (its HMM model tables) nor
its dictionary: ``freq`` is the memory-mapped word table (text/wordfreq.py).
segment.py uses it only when the installed jieba is the version it follows;
tests/test_build_cache.py checks it token for token against jieba itself.
"""
from __future__ import annotations

import re
from math import log
from . import pattern_cache

JIEBA_VERSION = "0.42.1"

_RE_HAN = pattern_cache.compile_re("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
_RE_SKIP = pattern_cache.compile_re("(\r\n|\\s)", re.U)
_RE_ENG = pattern_cache.compile_re("[a-zA-Z0-9]", re.U)


_MISSING = object()


def _dag(sentence: str, freq) -> list:
    """jieba's DAG with each edge's count: dag[k] = [(end, count), ...] (the count
    read once here is the one ``calc`` reads again in jieba)."""
    # The word table keeps every answer in a dict: read it inline, not through a
    # method call per fragment (most of the time of a cut).
    memo = getattr(freq, "_memo", None)
    mget = memo.get if isinstance(memo, dict) else None
    get = freq.get
    dag = []
    n = len(sentence)
    for k in range(n):
        ends = []
        i = k
        frag = sentence[k]
        first = _MISSING
        while i < n:
            if mget is not None:
                count = mget(frag, _MISSING)
                if count is _MISSING:
                    count = get(frag)
            else:
                count = get(frag)
            if first is _MISSING:
                first = count
            if count is None:
                break
            if count:
                ends.append((i, count))
            i += 1
            frag = sentence[k:i + 1]
        if not ends:
            ends.append((k, first))
        dag.append(ends)
    return dag


def _route(sentence: str, dag: list, total: int) -> list:
    n = len(sentence)
    route = [None] * n + [(0, 0)]
    logtotal = log(total)
    for idx in range(n - 1, -1, -1):
        route[idx] = max((log(count or 1) - logtotal + route[x + 1][0], x) for x, count in dag[idx])
    return route


def _cut_block(sentence: str, freq, total: int):
    route = _route(sentence, _dag(sentence, freq), total)
    x = 0
    n = len(sentence)
    buf = ""
    while x < n:
        y = route[x][1] + 1
        word = sentence[x:y]
        if _RE_ENG.match(word) and len(word) == 1:
            buf += word
            x = y
        else:
            if buf:
                yield buf
                buf = ""
            yield word
            x = y
    if buf:
        yield buf


def _cut(sentence: str, freq, total: int):
    for blk in _RE_HAN.split(sentence):
        if not blk:
            continue
        if _RE_HAN.match(blk):
            yield from _cut_block(blk, freq, total)
        else:
            for x in _RE_SKIP.split(blk):
                if _RE_SKIP.match(x):
                    yield x
                else:
                    yield from x


def tokenize(sentence: str, freq, total: int):
    """[(word, start, end)], as ``jieba.tokenize(sentence, HMM=False)``."""
    out = []
    start = 0
    for w in _cut(sentence, freq, total):
        out.append((w, start, start + len(w)))
        start += len(w)
    return out
