"""The shared automaton built in a thread (AnchorIndex.build_soon, from Linter.warm
while near_miss builds its arrays) is the automaton built inline: the same anchors
on generated text; a registration while it is being built drops it; a build that
fails in the thread is built again where it is first used, which raises there as
it would without the thread; and no thread outlives warm (a --jobs pool forks next,
and a fork copies no thread)."""
from __future__ import annotations

import random
import threading

import pytest

from dj_lint.text import multiscan
from dj_lint.text.multiscan import AnchorIndex

pytestmark = pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")

_HAN = "党支部委员会组织生活会议民主评议三会一课学习贯彻落实精神工作报告"


def _words(rng, n):
    return list(dict.fromkeys("".join(rng.choice(_HAN) for _ in range(rng.randint(2, 5))) for _ in range(n)))


def _pair(seed, n):
    """(rng, words, index to build inline, index to build in a thread), the two
    with the same anchors: some patterns' and ``n`` generated words."""
    rng = random.Random(seed)
    words = _words(rng, n)
    inline, threaded = AnchorIndex(), AnchorIndex()
    firsts = set()
    for index in (inline, threaded):
        index.register(["党支部", "支委会"], reach=3)
        index.register(["XX", "xx"], one_line=False, breaks=2)
        firsts.add(index.register_words(words))
        index.register(["民主评议"], reach=0)
    assert len(firsts) == 1 and None not in firsts
    return rng, words, inline, threaded


def _texts(rng, words):
    """Lines of random characters, registered words and literals."""
    pieces = list(_HAN + "，。X\ud800😀") + words + ["党支部", "支委会", "XX", "xx", "民主评议"]
    out = []
    for _ in range(20):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
                 for _ in range(rng.randint(1, 8))]
        out.append("\n".join(lines))
    return out


def _present(index, text):
    return {h: list(v) for h, v in index.present(text).items()}


def test_the_automaton_built_in_a_thread_finds_what_one_built_inline_finds():
    rng, words, inline, threaded = _pair(17, 400)
    threaded.build_soon()
    assert threaded._building is not None  # the thread path is the one tested
    threaded.built()
    assert threaded._building is None and threaded._auto is not None
    assert not any(t.name == "dj-lint anchors" for t in threading.enumerate())
    for text in _texts(rng, words):
        assert _present(threaded, text) == _present(inline, text)


def test_a_registration_during_the_build_drops_it():
    """The thread's automaton lacks anchors registered after build_soon: it is
    joined and dropped, and the next use builds one with them."""
    rng, words, inline, threaded = _pair(3, 200)
    threaded.build_soon()
    extra = ["会议民主", "评议三会"]
    assert inline.register_words(extra) == threaded.register_words(extra)
    assert threaded._building is None and threaded._auto is None
    for text in _texts(rng, words) + ["会议民主评议三会"]:
        assert _present(threaded, text) == _present(inline, text)
    assert len(threaded._auto.literals) == len(inline._auto.literals)


def test_a_build_failing_in_the_thread_is_built_again_where_it_is_used(monkeypatch):
    real = multiscan.UnitAutomaton.__init__
    main = threading.main_thread()

    def only_inline(self, literals, dfa=False):
        if threading.current_thread() is not main:
            raise MemoryError("in the thread")
        real(self, literals, dfa)

    monkeypatch.setattr(multiscan.UnitAutomaton, "__init__", only_inline)
    rng, words, inline, threaded = _pair(5, 100)
    threaded.build_soon()
    threaded.built()
    assert threaded._auto is None  # nothing taken from the failed thread
    for text in _texts(rng, words):
        assert _present(threaded, text) == _present(inline, text)


def test_an_error_of_the_build_surfaces_in_the_caller(monkeypatch):
    def failing(self, literals, dfa=False):
        raise MemoryError("no room")

    index = _pair(1, 10)[3]
    monkeypatch.setattr(multiscan.UnitAutomaton, "__init__", failing)
    index.build_soon()
    with pytest.raises(MemoryError, match="no room"):
        index.present("党建工作")


def test_warm_leaves_no_thread_and_the_automaton_built(monkeypatch):
    """Linter.warm builds the shared automaton in a thread (build_soon after the
    kinds' anchors_for_many) and joins it before it returns."""
    from dj_lint.engine import Linter, shipped_rules
    started = []
    real = AnchorIndex.build_soon

    def recording(self):
        real(self)
        started.append(self._building)

    monkeypatch.setattr(AnchorIndex, "build_soon", recording)
    before = set(threading.enumerate())
    linter = Linter(shipped_rules())
    linter.warm()
    assert started and started[0] is not None  # warm did start a thread
    assert not started[0][0].is_alive()
    assert set(threading.enumerate()) <= before
    anchors = linter.ctx.anchors
    assert anchors._building is None and anchors._auto is not None
    assert len(anchors._auto.literals) == len(anchors._index)


def test_warm_joins_the_thread_when_a_kind_fails(monkeypatch):
    from dj_lint.checks.nearmiss import NearMissKind
    from dj_lint.engine import Linter, shipped_rules

    def failing(self):
        raise RuntimeError("arrays")

    monkeypatch.setattr(NearMissKind, "prepare_for_many", failing)
    linter = Linter(shipped_rules())
    with pytest.raises(RuntimeError, match="arrays"):
        linter.warm()
    assert linter.ctx.anchors._building is None
    assert not any(t.name == "dj-lint anchors" for t in threading.enumerate())


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
