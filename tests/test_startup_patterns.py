"""A warm start compiles none of dj-lint's own patterns: every ``re`` and ``regex``
pattern its modules and kinds make at start-up comes from the pattern cache
(text/pattern_cache.py). A module-level ``re.compile`` of a CJK character class
cost 0.3-8 ms a start; a new one would quietly come back, so the real command
is run twice on a fresh cache, every compilation called from dj-lint's code noted."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The command as `python -m dj_lint` starts it, with both compilers wrapped: a call
# whose nearest caller outside re/ and regex/ is a dj_lint file is noted.
_PROBE = r"""
import atexit, json, os, sys
import regex._main as regex_main
from re import _compiler, _parser
seen = []
INTERNAL = (os.sep + "re" + os.sep, os.sep + "regex" + os.sep)
def own_caller():
    f = sys._getframe(2)
    while f is not None and any(s in f.f_code.co_filename for s in INTERNAL):
        f = f.f_back
    name = f.f_code.co_filename if f is not None else ""
    return "%s:%d" % (os.path.basename(name), f.f_lineno) if os.sep + "dj_lint" + os.sep in name else None
def noting(module, attr, which, only=""):
    real = getattr(module, attr)
    def noted(pattern, *args, **kw):
        where = own_caller()
        if where and where.startswith(only):
            seen.append([which, where, str(pattern)])
        return real(pattern, *args, **kw)
    setattr(module, attr, noted)
noting(_compiler, "compile", "re")
# pattern_cache.compile_re parses and generates the code itself (regex_anchors only
# parses, to read a pattern's literals: no compilation)
noting(_parser, "parse", "re", only="pattern_cache.py")
noting(regex_main, "_compile", "regex")
atexit.register(lambda: print("compiled " + json.dumps(seen), file=sys.stderr))
sys.argv = ["dj-lint"] + sys.argv[1:]
import runpy
runpy.run_module("dj_lint", run_name="__main__")
"""

# Our own short report: a title, numbered headings, a date, plain sentences.
REPORT = """党支部2026年度工作总结

一、主要工作
今年以来，支部坚持每月开展一次主题党日活动，组织党员集中学习12次。
二、存在的不足
个别党员参加学习的主动性还不够强。
三、下一步打算
继续抓好理论学习，推动各项工作落到实处。

某某党支部
2026年12月1日
"""


def _compiled(path, cache):
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    env.pop("DJ_LINT_NO_CACHE", None)
    got = subprocess.run([sys.executable, "-c", _PROBE, "--no-config", "--jobs", "1", str(path)],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    assert got.returncode in (0, 1), got.stderr
    line = [l for l in got.stderr.splitlines() if l.startswith("compiled ")][-1]
    return json.loads(line[len("compiled "):])


@pytest.mark.skipif(sys.version_info < (3, 11),
                    reason="stdlib re patterns come from the cache from Python 3.11 on (pattern_cache.compile_re)")
def test_a_warm_start_compiles_none_of_its_own_patterns(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    cold = _compiled(report, tmp_path / "cache")
    # The probe sees the compilations (else the next assertion could not fail):
    # a cold cache compiles the packs' patterns and the modules' own, the cache's
    # misses included (fuzzy_name's stop class, say).
    assert any(which == "regex" for which, _, _ in cold)
    assert any(which == "re" and where.startswith("pattern_cache.py") and "，" in pattern
               for which, where, pattern in cold)
    assert _compiled(report, tmp_path / "cache") == []
