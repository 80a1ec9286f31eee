"""Run settings travel with the run (engine.Context), never through module globals:
two Linters with different regex time limits in one process each keep their own."""
from dj_lint.checks import base
from dj_lint.engine import Context, Linter, shipped_rules


def _vetoes(value, seen=None):
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, base.Veto):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _vetoes(v, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _vetoes(v, seen)


def test_every_veto_takes_the_run_timeout():
    rules = [r for r in shipped_rules() if r.enabled]
    slow = Linter(rules, Context(regex_timeout=7.5))
    fast = Linter(rules, Context(regex_timeout=0.25))  # built second: must not change `slow`
    for linter, limit in ((slow, 7.5), (fast, 0.25)):
        found = [v for check in linter.checks for v in _vetoes(vars(check))]
        assert found, "no Veto found: the walk over the checks is broken"
        wrong = {type(c).__name__ for c in linter.checks for v in _vetoes(vars(c)) if v.timeout != limit}
        assert not wrong, f"kinds whose Veto ignores Context.regex_timeout: {sorted(wrong)}"


def test_no_module_level_timeout_is_left():
    assert not hasattr(base, "REGEX_TIMEOUT")


def test_a_run_puts_the_garbage_collector_back_as_it_found_it(tmp_path):
    """The command collects the young generation less often and freezes what the
    run built before linting (app/run.py few_collections): a program that calls
    main() itself gets its collector back unchanged, and the run's own objects
    are not left frozen."""
    import gc
    import io
    from contextlib import redirect_stdout

    from dj_lint.app.run import few_collections
    from dj_lint.cli.main import main

    before = gc.get_threshold()
    with few_collections():
        assert gc.get_threshold()[0] == max(200_000, before[0])
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0

    report = tmp_path / "r.txt"
    report.write_text("支部书纪带头讲党课。\n", encoding="utf-8")
    with redirect_stdout(io.StringIO()) as out:
        code = main(["--no-config", "--jobs", "1", str(report)])
    assert code == 1 and "DJ" in out.getvalue()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_warmed_run_puts_the_garbage_collector_back_as_it_found_it(tmp_path, monkeypatch):
    """Linter.warm builds with the collector off and freezes what it built (the run
    freezes it right after, and unfreezes it all at the end): a warmed run, like
    any, gives the collector back unchanged; warm alone leaves it on or off as it
    was."""
    import gc
    import io
    from contextlib import redirect_stdout

    from dj_lint.app import parallel
    from dj_lint.cli.main import main
    from dj_lint.engine import linter as engine_linter

    warmed = []
    real = engine_linter.Linter.warm

    def recording(self):
        warmed.append(gc.isenabled())
        real(self)
        warmed.append(gc.get_freeze_count())

    monkeypatch.setattr(engine_linter.Linter, "warm", recording)
    monkeypatch.setattr(parallel, "worth_warming", lambda paths, jobs, sizes=None: True)
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text("支部书纪带头讲党课。\n", encoding="utf-8")
    before = gc.get_threshold()
    with redirect_stdout(io.StringIO()) as out:
        code = main(["--no-config", "--jobs", "1", str(tmp_path)])
    assert code == 1 and "DJ" in out.getvalue()
    # Warm found the collector on (the command turns it on once the linters are
    # built: cli/main.py run) and froze what it built.
    assert warmed[0] is True and warmed[1] > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0 and gc.isenabled()

    linter = Linter(shipped_rules())
    try:
        gc.disable()
        real(linter)
        assert not gc.isenabled()
        gc.enable()
        real(linter)
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_skipping_an_absorb_without_its_rules_hits_changes_no_finding():
    """The engine skips a kind's absorb on a document without a hit of the rules
    it names (``absorbing``): the findings on the seeds are those of running every
    absorb on every document (an instance's absorbing set to None)."""
    import os

    from conftest import seed_path
    from dj_lint.text.document import Document

    skipping, everything = Linter(shipped_rules()), Linter(shipped_rules())
    named = [c for c in everything.checks if getattr(c, "absorbing", None) is not None]
    assert {type(c).__name__ for c in named} >= {"PatternKind", "PairsKind", "BrokenLineKind", "HardWrapKind"}
    for check in named:
        rules = {r.id for r in check.rules if r.options.get("defer_to") or r.options.get("defer_after")}
        assert rules <= set(check.absorbing()), type(check).__name__
        check.absorbing = None
    folder = os.path.dirname(seed_path("000"))
    texts = [open(os.path.join(folder, n), encoding="utf-8").read() for n in sorted(os.listdir(folder))
             if n.endswith(".txt")]
    texts.append("开展“学习月活动。\n来源：某某网 2024-01-01\n" + "某某" * 30 + "\n")
    assert len(texts) >= 6
    for i, text in enumerate(texts):
        a = skipping.lint(Document(text, path=f"{i}.txt"))
        b = everything.lint(Document(text, path=f"{i}.txt"))
        assert a == b and [f.message for f in a] == [f.message for f in b]


def test_warm_builds_near_miss_arrays_once_for_the_forked_workers():
    """Linter.warm (before --jobs forks) asks each kind to build what pays off over
    many documents: near_miss's automaton and arrays, which the workers inherit."""
    from dj_lint.checks import nearmiss
    from dj_lint.text import multiscan
    if not multiscan.available():  # pragma: no cover - ahocorasick-rs is a dependency
        return
    linter = Linter(shipped_rules())
    kind = next(c for c in linter.checks if type(c).__name__ == "NearMissKind")
    ident = tuple(spec["key"] for spec in kind.specs)
    nearmiss._SCANS.pop(ident, None)
    linter.warm()
    vectors = nearmiss._SCANS[ident]._vectors
    assert vectors is not False and vectors is not None


def test_warm_builds_the_shared_automaton_once_with_the_short_forms(monkeypatch):
    """Kinds prepare for many documents (self_spelling joins its short forms to the
    shared automaton) before warm's lint of a sample, so the automaton is built
    once, with them; the findings on documents after warm are those of a linter
    not warmed."""
    from dj_lint.checks import selfspelling
    from dj_lint.text import multiscan
    from dj_lint.text.document import Document
    if not multiscan.available():  # pragma: no cover - ahocorasick-rs is a dependency
        return
    built = []
    real = multiscan.UnitAutomaton.__init__

    def counting(self, literals, dfa=False):
        built.append(len(literals))
        real(self, literals, dfa)

    monkeypatch.setattr(multiscan.UnitAutomaton, "__init__", counting)
    warmed = Linter(shipped_rules())
    warmed.warm()
    kind = next(c for c in warmed.checks if isinstance(c, selfspelling.SelfSpellingKind))
    shorts = sum(len(index.shorts) for index in kind._indexes.values())
    # furniture's shape gate reads its own literals with a UnitAutomaton too, once it
    # read a long text (and all its anchors with another, once it scanned a short
    # text): not the shared one.
    for check in warmed.checks:
        for _, vocabulary, _ in getattr(check, "plan", ()) if type(check).__name__ == "FurnitureLineKind" else ():
            if vocabulary.gate._auto:
                built.remove(len(vocabulary.gate.literals))
            if vocabulary.gate._one_pass is not None:
                built.remove(len(vocabulary.gate.every))
    assert len(built) == 1 and built[0] > shorts > 10_000
    plain = Linter(shipped_rules())
    for text in ("关于2024年度党支部工作的报告\n一、主要工作\n（一）深入学习贯彻党的二十大精神，坚持以人民为中心。\n",
                 "二是加强支部建设，三是落实三会一课制度。\n党支部书记：张三\n2024年5月1日\n"):
        got = [f.sort_key() for f in warmed.lint(Document(text, path="t.txt"))]
        assert got == [f.sort_key() for f in plain.lint(Document(text, path="t.txt"))]
