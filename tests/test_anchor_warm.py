"""The shared automaton and Linter.warm: warm leaves the automaton built once, with
every anchor the kinds register for many documents (self_spelling's words), and no
thread behind it (a --jobs pool forks next, and a fork copies no thread); an empty
text builds nothing."""
from __future__ import annotations

import threading

import pytest

from dj_lint.text import multiscan
from dj_lint.text.multiscan import AnchorIndex

pytestmark = pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")


def test_warm_builds_the_automaton_once_with_every_anchor(monkeypatch):
    from dj_lint.engine import Linter, shipped_rules
    taken = []
    real = AnchorIndex._take

    def recording(self, auto):
        taken.append(len(auto.literals))
        real(self, auto)

    monkeypatch.setattr(AnchorIndex, "_take", recording)
    before = set(threading.enumerate())
    linter = Linter(shipped_rules())
    linter.warm()
    anchors = linter.ctx.anchors
    # self_spelling's words joined before the first build: the shared automaton was
    # built once, with all of them (not 7,226 anchors first, then 19,853 with them).
    assert taken == [len(anchors._index)]
    assert anchors._auto is not None and len(anchors._auto.literals) == len(anchors._index)
    assert set(threading.enumerate()) <= before


def test_an_empty_text_builds_no_automaton():
    """An empty text holds no anchor: asking about it builds nothing (an empty file's
    run built the whole shared automaton for it), and the answers are those of
    any text without anchors."""
    index = AnchorIndex()
    first = index.register_words(["党员", "干部"])
    handle = index.register(["学习"], 0)
    assert index.present("") == {} and index.absent("", first) and index.absent("", handle)
    assert index.windows("", handle) == [] and index.windows("", first) == []
    assert index._auto is None  # nothing built for it
    assert first in index.present("党员") and index._auto is not None  # built for a text with characters
    assert index.present("") == {} and index.windows("", handle) == []
