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
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src", "dj_lint")
FLOOR = (3, 9)

_QUANTIFIER_BRACES = re.compile(r"\{\d*(?:,\d*)?\}")


def newer_re_forms(source: str) -> list:
    """Offsets in a stdlib ``re`` pattern of forms ``re`` has only from Python 3.11:
    a possessive quantifier (``*+ ++ ?+ {m,n}+``) or an atomic group ``(?>...)``.
    Escapes and character classes are skipped; a brace that opens no quantifier is
    a literal, and a literal followed by ``+`` is fine."""
    found, i, n = [], 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class: up to its first unescaped "]" that is not its first member
            i += 1
            if i < n and source[i] == "^":
                i += 1
            if i < n and source[i] == "]":
                i += 1
            while i < n and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
            i += 1
            continue
        if source.startswith("(?>", i):
            found.append(i)
        elif c in "*+?" and not (c == "?" and i > 0 and source[i - 1] == "("):
            if source.startswith("+", i + 1):
                found.append(i)
                i += 1  # the "+" taken
        elif c == "{":
            m = _QUANTIFIER_BRACES.match(source, i)
            if m and m.end() > i + 2 and source.startswith("+", m.end()):
                found.append(i)
            if m:
                i = m.end() - 1
        i += 1
    return found


@pytest.mark.parametrize("source, offsets", [
    (r"[A-Z]{31,}+", [5]),
    (r"(?>ab|a)c", [0]),
    (r"a*+b", [1]),
    (r"a++", [1]),
    (r"a?+", [1]),
    (r"x{2}+", [1]),
    (r"a+b*c?", []),
    (r"a+?b*?", []),
    (r"[*+?{}]+ \++ \{1,2}+ }+", []),  # in a class, escaped, or a literal brace
    (r"(?:a)+(?P<n>b)+(?=c)", []),
    (r"[]+]+", []),
    (r"{+", []),
])
def test_newer_re_forms_finds_what_3_9_rejects(source, offsets):
    assert newer_re_forms(source) == offsets


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
