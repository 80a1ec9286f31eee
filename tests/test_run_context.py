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
