"""A run of more text than self_spelling's INDEXED_AFTER, too little to warm for,
registers the kinds' extra anchors before its first document
(``Linter.anchors_for_many``): the shared anchor automaton is built once, not
first from the rules' anchors and again with self_spelling's words, and the
findings are those of the lazy way."""
from __future__ import annotations

import json

from dj_lint.app import parallel
from dj_lint.checks import selfspelling
from dj_lint.cli.main import main
from dj_lint.text import multiscan

# A page of ordinary report text, about 1,200 bytes, with a blank and an old slogan.
_PAGE = ("____年第{n}党支部工作总结\n"
         + "今年以来，支部坚持以学促干，组织党员集中学习理论，深入基层开展调查研究，"
           "推动各项工作落到实处，群众满意度持续提升。\n" * 8
         + "继续深入开展创先争优活动。\n")


def _run(folder, capsys, monkeypatch, register: bool):
    built = []
    real = multiscan.UnitAutomaton

    class Counting(real):
        def __init__(self, literals, *a, **k):
            if len(literals) > 5000:  # over all the anchors (a reduced one serves a few rules)
                built.append(len(literals))
            super().__init__(literals, *a, **k)

    monkeypatch.setattr(multiscan, "UnitAutomaton", Counting)
    if not register:
        monkeypatch.setattr(parallel, "MANY_BYTES", 10 ** 12)
    rc = main(["--no-config", "--as-of", "2026-12-01", "--format", "json", "--jobs", "1", str(folder)])
    out = json.loads(capsys.readouterr().out)
    monkeypatch.undo()
    return rc, out, built


def test_a_run_past_the_index_threshold_builds_the_automaton_once(tmp_path, capsys, monkeypatch):
    for i in range(30):
        (tmp_path / f"p{i:02d}.txt").write_text(_PAGE.format(n=i + 1), encoding="utf-8")
    text_chars = sum(len(p.read_text(encoding="utf-8")) for p in tmp_path.iterdir())
    assert text_chars > selfspelling.INDEXED_AFTER  # self_spelling reaches its index
    assert not parallel.worth_warming([str(p) for p in tmp_path.iterdir()], 1)
    rc, once, built = _run(tmp_path, capsys, monkeypatch, register=True)
    assert rc == 1 and once["files"] == 30 and once["findings"]
    assert len(built) == 1, built
    rc_lazy, lazy, built_lazy = _run(tmp_path, capsys, monkeypatch, register=False)
    assert len(built_lazy) == 2, built_lazy  # the lazy way: rules' anchors, then with the words
    assert built[0] == built_lazy[1]
    assert (rc, once) == (rc_lazy, lazy)


def test_a_small_run_keeps_the_small_automaton(tmp_path, capsys, monkeypatch):
    for i in range(2):
        (tmp_path / f"p{i}.txt").write_text(_PAGE.format(n=i + 1), encoding="utf-8")
    assert not parallel.many_documents([parallel.size_of(str(p)) for p in tmp_path.iterdir()])
    rc, out, built = _run(tmp_path, capsys, monkeypatch, register=True)
    rc_lazy, lazy, built_lazy = _run(tmp_path, capsys, monkeypatch, register=False)
    assert built == built_lazy and len(built) == 1
    assert (rc, out) == (rc_lazy, lazy)


def test_a_run_of_one_file_builds_no_whole_automaton(tmp_path, capsys, monkeypatch):
    """One file (Linter.expect_few): its text is read by an automaton of the anchors
    it may hold (AnchorIndex._led_in), with the findings of the whole automaton's."""
    (tmp_path / "one.txt").write_text(_PAGE.format(n=1), encoding="utf-8")
    rc, out, built = _run(tmp_path, capsys, monkeypatch, register=True)
    assert rc == 1 and out["findings"] and built == []
    monkeypatch.setattr(multiscan.AnchorIndex, "expect_few", lambda self, texts=0: None)
    rc_whole, whole, built_whole = _run(tmp_path, capsys, monkeypatch, register=True)
    assert len(built_whole) == 1 and (rc, out) == (rc_whole, whole)
