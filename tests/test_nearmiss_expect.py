"""A run of many small files whose text will take near_miss's plain loops past what
its arrays cost has the arrays built before its first document
(``Linter.expect_many`` -> ``NearMissKind.expect_many``), not after the loops
went through that much; a run that stays below keeps the plain loops. The
findings are the same either way."""
from __future__ import annotations

import json
import os

from dj_lint.app import parallel
from dj_lint.checks import nearmiss
from dj_lint.cli.main import main
from dj_lint.engine import Linter
from dj_lint.packs.loader import load_pack
from dj_lint.text.document import Document
from test_nearmiss_keys import TEXTS  # own two-line notes, each with a near miss

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _fresh(monkeypatch):
    monkeypatch.setattr(nearmiss, "_LOOPED", {})
    monkeypatch.setattr(nearmiss, "_COMPILED", {})
    monkeypatch.setattr(nearmiss, "_SCANS", {})


def test_expect_many_builds_the_arrays_only_past_the_loops(monkeypatch):
    rules = [r for r in load_pack(os.path.join(ROOT, "rules", "typo.yaml")) if r.kind == "near_miss"]
    texts = TEXTS * 4

    def lint_many(size):
        _fresh(monkeypatch)
        linter = Linter(rules)
        if size is not None:
            linter.expect_many([size // 2, size - size // 2])  # two documents of these bytes
        built = {type(s._vectors) for s in nearmiss._SCANS.values()}
        found = [[(f.rule, f.line, f.column, f.text, f.suggestion) for f in got]
                 for got in linter.lint_many([Document(t) for t in texts])]
        return found, built, linter.checks[0]

    looped, built, check = lint_many(None)
    assert built == set() and not nearmiss._SCANS and sum(map(len, looped)) >= len(texts)
    budget = nearmiss.AUTOMATON_AFTER * sum(spec["key_chars"] for spec in check.specs)
    # Bytes of Chinese: three a character, each counted once a rule (_past_loops).
    below = int(3 * budget / len(check.specs))
    found, built, _ = lint_many(below - 3)
    assert built == set() and found == looped and not nearmiss._SCANS  # still the loops
    found, built, _ = lint_many(below + 3)
    assert built == {nearmiss._Vectors} and found == looped


def test_a_run_of_many_small_files_gets_the_arrays_first(tmp_path, capsys, monkeypatch):
    # Fewer files than the shipped threshold asks for (about 1,000 two-line notes):
    # the threshold made smaller, the run the same.
    monkeypatch.setattr(nearmiss, "AUTOMATON_AFTER", 0.05)
    for i in range(400):
        (tmp_path / f"n{i:03d}.txt").write_text(TEXTS[i % len(TEXTS)], encoding="utf-8")
    paths = [str(p) for p in tmp_path.iterdir()]
    sizes = [parallel.size_of(p) for p in paths]
    assert parallel.many_documents(sizes) and not parallel.worth_warming(paths, 1, sizes)

    def run(expect: bool):
        _fresh(monkeypatch)
        first = []
        real = nearmiss.NearMissKind.prepare_batch

        def prepare_batch(self, docs):
            if not first:  # what the first batch finds
                first.append({type(s._vectors) for s in nearmiss._SCANS.values()})
            return real(self, docs)

        monkeypatch.setattr(nearmiss.NearMissKind, "prepare_batch", prepare_batch)
        if not expect:
            monkeypatch.setattr(nearmiss.NearMissKind, "expect_many", lambda self, sizes: None)
        rc = main(["--no-config", "--as-of", "2026-12-01", "--format", "json", "--jobs", "1", str(tmp_path)])
        out = json.loads(capsys.readouterr().out)
        monkeypatch.setattr(nearmiss.NearMissKind, "prepare_batch", real)
        monkeypatch.setattr(nearmiss.NearMissKind, "expect_many", EXPECT)
        return rc, out, first[0]

    EXPECT = nearmiss.NearMissKind.expect_many
    rc, out, first = run(True)
    assert rc == 1 and out["files"] == 400 and out["findings"]
    assert first == {nearmiss._Vectors}
    rc_lazy, lazy, first_lazy = run(False)
    assert first_lazy == set()  # the plain loops first
    assert (rc, out) == (rc_lazy, lazy)


def test_one_file_is_judged_by_its_text_not_its_bytes(tmp_path, capsys, monkeypatch):
    """A single file big enough for the run to index many documents' words, but of
    ASCII only (a pathological benchmark file): its bytes are not taken for Chinese
    text, so near_miss does not build its arrays (nor import numpy) for it."""
    path = tmp_path / "parens.txt"
    path.write_text("(" * 100_000, encoding="utf-8")
    assert parallel.many_documents([parallel.size_of(str(path))])
    _fresh(monkeypatch)
    assert main(["--no-config", "--as-of", "2026-12-01", "--jobs", "1", str(path)]) in (0, 1)
    capsys.readouterr()
    assert {type(s._vectors) for s in nearmiss._SCANS.values()} <= {bool}  # never built
