"""One regex time budget per rule and document (issue 19, point 3).

Every regex a rule runs — its patterns, its vetoes (``unless``, ``unless_line``)
and whatever its kind compiles from it (line_block's lines, cndate's pattern,
enumeration's label/split/strip, ...) — is charged to one budget of
``--regex-timeout`` seconds per file. A runaway rule stops alone, named in a
warning; the other rules, shipped or the user's, still report. All through the
real command line.
"""
import json
import os
import subprocess
import sys
import time

RUNAWAY = "(?:a|aa)+$"   # exponential backtracking on a line of a's ending in another letter

PACK = f"""\
- id: USR010
  name: ten-runaway-patterns
  category: typo
  severity: warning
  kind: pattern
  pattern: {json.dumps([RUNAWAY.replace("+$", "+" + "?" * 0 + f"(?:x{{0,{i}}})$") for i in range(10)])}
  message: 测试用规则
  examples: {{bad: [{{text: 'aaaa', match: 'aaaa'}}], good: ['bbbb']}}
- id: USR011
  name: runaway-line-block
  category: watermark
  severity: warning
  kind: line_block
  min_lines: 1
  lines:
    junk: '{RUNAWAY}'
  message: 测试用规则
  examples: {{bad: [{{text: 'aaaa', match: 'aaaa'}}], good: ['bbbb']}}
- id: USR012
  name: runaway-unless
  category: typo
  severity: warning
  kind: pattern
  pattern: 'aaaa'
  unless: '{RUNAWAY}'
  message: 测试用规则
  examples: {{bad: [{{text: 'aaaa', match: 'aaaa'}}], good: ['bbbb']}}
- id: USR013
  name: normal-rule
  category: typo
  severity: warning
  kind: pattern
  pattern: '支部书纪'
  suggestion: 支部书记
  message: “{{text}}”应为“支部书记”
  examples: {{bad: [{{text: '支部书纪', match: '支部书纪'}}], good: ['支部书记']}}
- id: USR014
  name: runaway-cndate
  category: number
  severity: warning
  kind: cndate
  pattern: '(?P<y>(?:a|aa)+)(?P<m>x)?(?P<d>y)?$'
  convert: arabic
  scope: anywhere
  message: 测试用规则
  examples: {{bad: [{{text: 'aaaa', match: 'aaaa'}}], good: ['bbbb']}}
"""

DOC = ("____年以来，支部连续五年获评先进。\n"
       "支部书纪带头讲党课。\n"
       + "a" * 36 + "!\n")


def run(tmp_path, *args, timeout=240):
    (tmp_path / "user.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / ".dj-lint.yaml").write_text("rules: [user.yaml]\n", encoding="utf-8")
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "dj_lint", *args], cwd=tmp_path, env=env,
                          capture_output=True, timeout=timeout)
    return proc, time.monotonic() - t0


def test_runaway_rules_of_every_kind_stop_alone_and_the_others_report(tmp_path):
    (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
    proc, elapsed = run(tmp_path, "--regex-timeout", "0.5", "--format", "json", "doc.txt")
    stderr = proc.stderr.decode("utf-8")
    assert b"Traceback" not in proc.stderr, stderr
    assert proc.returncode == 1, stderr
    found = {(f["rule"], f["line"], f["column"], f["text"]) for f in json.loads(proc.stdout)["findings"]}
    # The normal user rule and a shipped rule of the same kind (pattern) still report.
    assert ("USR013", 2, 1, "支部书纪") in found
    assert any(r == "DJ201" and line == 1 for r, line, _, _ in found)
    # Each runaway rule is named, once, and reports nothing.
    for rule_id in ("USR010", "USR011", "USR012", "USR014"):
        lines = [ln for ln in stderr.splitlines() if rule_id in ln]
        assert len(lines) == 1, (rule_id, stderr)
        assert "0.5 秒" in lines[0] and "doc.txt" in lines[0] and "user.yaml" in lines[0]
        assert not any(r == rule_id for r, *_ in found)
    # Ten runaway patterns share one budget: not ten times the time limit.
    # (4 rules x 0.5 s, the interpreter's start and the shipped packs; a shared machine.)
    assert elapsed < 60, elapsed


def test_budget_is_per_file(tmp_path):
    """A rule stopped on one file still runs on the next one."""
    (tmp_path / "a.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "b.txt").write_text("支部书纪带头讲党课。\n" + "aaaa 正常的一行。\n", encoding="utf-8")
    proc, _ = run(tmp_path, "--regex-timeout", "0.5", "--format", "json", "a.txt", "b.txt")
    assert b"Traceback" not in proc.stderr
    found = {(f["path"], f["rule"]) for f in json.loads(proc.stdout)["findings"]}
    assert ("b.txt", "USR012") in found and ("b.txt", "USR013") in found
    assert ("a.txt", "USR012") not in found
    stderr = proc.stderr.decode("utf-8")
    assert "a.txt" in stderr and "b.txt" not in stderr


def test_a_flood_of_one_mark_stays_bounded_in_memory(tmp_path):
    """3 MB of “ (a million unclosed quotes): hits are capped per rule as they
    stream, the pairs kind keeps positions in machine arrays. Before: about
    600 MB peak; now about 250 MB, most of it the interpreter and the packs."""
    import resource
    (tmp_path / "q.txt").write_text("“" * 1_000_000, encoding="utf-8")
    script = ("import resource, subprocess, sys; "
              "p = subprocess.run([sys.executable, '-m', 'dj_lint', '--no-config', '--format', 'json', 'q.txt'], "
              "capture_output=True); "
              "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, timeout=600)
    code, peak_kb = proc.stdout.split()
    assert code == b"1"
    assert int(peak_kb) < 450_000, f"peak RSS {int(peak_kb) // 1024} MB"


# -- how the budget is charged (checks/budget.py) ---------------------------------
# In the command (the main thread) a SIGPROF sampler charges the budget; anywhere
# else the thread's clock is read around each call. Both stop a runaway rule alone.
import signal
import threading

import regex

from dj_lint.checks.budget import (Budgeted, RegexBudget, SampledBudget, can_sample, sampling,
                                   set_budget)
from dj_lint.engine.linter import Context, Linter
from dj_lint.packs.loader import load_pack
from dj_lint.text.document import Document

RUNAWAY_LINE = "a" * 36 + "!"


def _lint_runaway(seconds=0.3):
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "user.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(PACK)
        rules = [r for r in load_pack(path) if r.id in ("USR010", "USR013")]
    ctx = Context()
    ctx.regex_timeout = seconds
    linter = Linter(rules, ctx)
    t0 = time.process_time()
    found = linter.lint(Document("支部书纪带头讲党课。\n" + RUNAWAY_LINE + "\n", path="doc.txt"))
    return found, time.process_time() - t0, list(linter.ctx.warnings)


def test_the_sampler_stops_a_runaway_rule_alone_on_the_main_thread():
    assert can_sample()
    found, cpu, warnings = _lint_runaway()
    assert [(f.rule, f.line, f.column, f.text) for f in found] == [("USR013", 1, 1, "支部书纪")]
    assert len([w for w in warnings if "USR010" in w]) == 1, warnings
    assert cpu < 5, cpu  # ten exponential patterns, one budget of 0.3 s between them
    # The program's SIGPROF is as it was: no handler, no timer.
    assert signal.getsignal(signal.SIGPROF) == signal.SIG_DFL
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_off_the_main_thread_the_budget_is_charged_exactly():
    out = {}

    def work():
        out["can"] = can_sample()
        out["result"] = _lint_runaway()

    t = threading.Thread(target=work)
    t.start()
    t.join(120)
    assert out["can"] is False
    found, cpu, warnings = out["result"]
    assert [(f.rule, f.line, f.column, f.text) for f in found] == [("USR013", 1, 1, "支部书纪")]
    assert len([w for w in warnings if "USR010" in w]) == 1, warnings


def test_a_program_that_uses_sigprof_itself_keeps_it():
    ticks = []
    previous = signal.signal(signal.SIGPROF, lambda signum, frame: ticks.append(1))
    try:
        assert not can_sample()
        with sampling() as sampled:
            assert sampled is False
        found, _, warnings = _lint_runaway()
        assert [f.rule for f in found] == ["USR013"]
        assert any("USR010" in w for w in warnings)
        assert signal.getsignal(signal.SIGPROF) is not signal.SIG_DFL  # still the program's
    finally:
        signal.signal(signal.SIGPROF, previous)


def test_a_sampled_budget_cuts_one_runaway_call_short_and_stops_its_rule():
    pat = Budgeted(regex.compile(RUNAWAY), "R1")
    other = Budgeted(regex.compile("a+"), "R2")
    with sampling() as sampled:
        assert sampled
        budget = SampledBudget(0.2)
        set_budget(budget)
        try:
            t0 = time.process_time()
            assert pat.search(RUNAWAY_LINE) is None  # cut short: the rule finds nothing
            assert time.process_time() - t0 < 2
            assert budget.stopped == {"R1"} and budget.active is None
            assert budget.spent["R1"] >= 0.2
            assert list(pat.finditer("aaaa")) == []  # stopped: nothing more, at once
            assert other.search("xaay").span() == (1, 3)  # another rule is not touched
        finally:
            set_budget(None)


def test_an_exact_budget_charges_every_call():
    pat = Budgeted(regex.compile("a+"), "R1")
    budget = RegexBudget(5.0)
    set_budget(budget)
    try:
        assert [m.span() for m in pat.finditer("aa b aaa")] == [(0, 2), (5, 8)]
        assert pat.search("xa").span() == (1, 2)
    finally:
        set_budget(None)
    assert 0 < budget.spent["R1"] < 1 and not budget.stopped
