"""dj-lint declares ``requires-python >= 3.9``: nothing it runs may need a newer Python.

The suite usually runs on a newer interpreter, which accepts what 3.9 rejects at
import time: a possessive quantifier such as ``{31,}+`` in a stdlib ``re`` pattern
(3.11+; ``regex`` has them on every version) once made ``import dj_lint`` fail on
3.9 and 3.10 with "multiple repeat". These checks fail on any interpreter:

- every source file parses as Python 3.9 (``ast.parse(feature_version=...)``);
- no pattern handed to stdlib ``re`` while importing every module and linting the
  seeds and tests/clean (read from ``re``'s compiler and from pattern_cache's own
  record) holds a possessive quantifier or an atomic group.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

from dj_lint.text import regex_anchors
from dj_lint.text.regex_anchors import newer_re_forms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src", "dj_lint")
FLOOR = (3, 9)

@pytest.mark.parametrize("source, spans, as_3_9", [
    (r"[A-Z]{31,}+", [(5, 11)], r"[A-Z]{31,}"),
    (r"(?>ab|a)c", [(0, 3)], r"(?:ab|a)c"),
    (r"a*+b", [(1, 3)], r"a*b"),
    (r"a++", [(1, 3)], r"a+"),
    (r"a?+", [(1, 3)], r"a?"),
    (r"x{2}+|[xX×]{32,}+(?!y)", [(1, 5), (11, 17)], r"x{2}|[xX×]{32,}(?!y)"),
    (r"a+b*c?", [], None),
    (r"a+?b*?", [], None),
    (r"[*+?{}]+ \++ \{1,2}+ }+", [], None),  # in a class, escaped, or a literal brace
    (r"(?:a)+(?P<n>b)+(?=c)", [], None),
    (r"[]+]+", [], None),
    (r"{+ {}+ {a}+", [], None),
])
def test_newer_re_forms_finds_what_3_9_rejects(source, spans, as_3_9):
    assert newer_re_forms(source) == spans
    rewritten = regex_anchors._without_newer_forms(source)
    assert rewritten == (as_3_9 if spans else source)
    assert not newer_re_forms(rewritten)


def _sources():
    for folder, _, names in os.walk(SRC):
        for name in sorted(names):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def test_every_module_parses_as_python_3_9():
    bad = []
    for path in _sources():
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        try:
            ast.parse(text, filename=path, feature_version=FLOOR)
        except SyntaxError as exc:
            bad.append(f"{os.path.relpath(path, ROOT)}:{exc.lineno}: {exc.msg}")
    assert not bad


_RECORD = r"""
import json, os, pkgutil, re, sys
seen = set()
_compile = re._compile
def _recording(pattern, flags):
    if isinstance(pattern, str):
        seen.add(pattern)
    return _compile(pattern, flags)
re._compile = _recording
import dj_lint
for info in pkgutil.walk_packages(dj_lint.__path__, "dj_lint."):
    if ".rules" in info.name or info.name.endswith("__main__"):
        continue
    try:
        __import__(info.name)
    except ImportError:  # an optional extra (Dask, python-docx ...) not installed
        pass
from dj_lint.engine.linter import lint_text
from dj_lint.text import pattern_cache
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as fh:
        lint_text(fh.read(), path=path)
seen.update(k[1] for k in pattern_cache._USED if k and k[0] == "re")
print(json.dumps(sorted(seen)))
"""


def test_no_stdlib_re_pattern_needs_python_3_11(tmp_path):
    files = []
    for folder in ("seeds", os.path.join("tests", "clean")):
        files += [os.path.join(ROOT, folder, n) for n in sorted(os.listdir(os.path.join(ROOT, folder)))
                  if n.endswith(".txt")]
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), PYTHONPATH=os.path.join(ROOT, "src"))
    out = subprocess.run([sys.executable, "-c", _RECORD, *files], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    patterns = json.loads(out)
    assert len(patterns) > 100  # the record works: dj-lint hands re hundreds of patterns
    newer = {p: newer_re_forms(p) for p in patterns if newer_re_forms(p)}
    assert not newer


def test_rules_with_newer_forms_keep_their_anchors_on_python_3_9():
    """On Python 3.9 and 3.10 the anchor analysis reads a rule's possessive
    quantifiers as greedy ones (the standard parser rejects them): the literals,
    line reach and offsets must be those found from the pattern as it is written."""
    from dj_lint.engine.linter import Linter, shipped_rules
    from test_pattern_scans import _scans

    patterns = {(pat.pattern, int(pat.flags)) for pat, _, _ in _scans(Linter(shipped_rules()))}
    newer = sorted(p for p in patterns if newer_re_forms(p[0]))
    assert len(newer) >= 3  # placeholder.yaml's runs of x: [xX×]{32,}+(*SKIP)(*FAIL)
    for source, flags in newer:
        written = regex_anchors.anchors(source, flags, with_offsets=True)
        assert written is not None
        assert regex_anchors.anchors(regex_anchors._without_newer_forms(source), flags,
                                     with_offsets=True) == written, source
