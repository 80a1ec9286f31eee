"""Compiled rule patterns from the user's cache: written on the first run, used
(with identical findings) after, never read from a file others could write or a
corrupted one. A planted pattern for a rule's exact source proves a cache hit."""
import os
import pickle
import subprocess
import sys

import pytest
import regex

TEXT = "党委班子要加强学习，做到学思用贯通。\n"
PROBE = ("import sys; from dj_lint.engine import lint_text; "
         "from dj_lint.text import pattern_cache; "
         "print([(f.rule, f.line, f.column, f.text) for f in lint_text(sys.argv[1])], "
         "'compiled-new' if pattern_cache._DIRTY or pattern_cache.MISSES else 'all-cached')")

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership checks")


def probe(cache_home, text=TEXT):
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    env.pop("DJ_LINT_NO_CACHE", None)
    out = subprocess.run([sys.executable, "-c", PROBE, text], env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def cache_files(cache_home):
    folder = cache_home / "dj-lint"
    return sorted(folder.glob("patterns-*.pickle")) if folder.is_dir() else []


def test_second_run_reads_the_cache_and_finds_the_same(tmp_path):
    first = probe(tmp_path)
    (path,) = cache_files(tmp_path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    with open(path, "rb") as fh:
        patterns = pickle.load(fh)
    # (source, flags) -> a compiled regex pattern; ("re", source, flags) -> what the
    # stdlib compiler produced for that source (pattern_cache.compile_re).
    compiled = {k: p for k, p in patterns.items() if len(k) == 2}
    assert len(compiled) > 100
    assert all(p.pattern == source for (source, _), p in compiled.items())
    assert all(k[0] == "re" and isinstance(v, tuple) for k, v in patterns.items() if len(k) == 3)
    assert first.endswith("compiled-new")
    second = probe(tmp_path)
    assert second.endswith("all-cached")
    assert second.replace("all-cached", "") == first.replace("compiled-new", "")


def test_a_cache_whose_entry_does_not_match_its_key_is_rejected(tmp_path):
    normal = probe(tmp_path / "fresh")
    probe(tmp_path)
    (path,) = cache_files(tmp_path)
    with open(path, "rb") as fh:
        patterns = pickle.load(fh)
    # Every key now maps to a pattern that never matches: used, it would find nothing.
    planted = {key: regex.compile("(?!)", key[1]) for key in patterns if len(key) == 2}
    with open(path, "wb") as fh:
        pickle.dump(planted, fh, protocol=5)
    assert probe(tmp_path).replace("all-cached", "compiled-new") == normal


def test_a_cache_others_may_write_is_ignored(tmp_path):
    normal = probe(tmp_path / "fresh")
    probe(tmp_path)
    (path,) = cache_files(tmp_path)
    os.chmod(path, 0o666)
    assert probe(tmp_path).replace("all-cached", "compiled-new") == normal


def test_a_corrupt_cache_is_ignored_and_rebuilt(tmp_path):
    normal = probe(tmp_path / "fresh")
    probe(tmp_path)
    (path,) = cache_files(tmp_path)
    path.write_bytes(b"\x80\x05garbage")
    assert probe(tmp_path).replace("all-cached", "compiled-new") == normal
    with open(path, "rb") as fh:
        assert len(pickle.load(fh)) > 100


def test_regex_class_holds_exactly_what_regex_matches():
    """pattern_cache.regex_class: a ``re`` class of every code point ``regex`` matches
    with the escape, none other (the two modules' own \\s and \\d differ)."""
    import re

    from dj_lint.text import pattern_cache
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    for escape in (r"\s", r"\d"):
        body = pattern_cache.regex_class(escape)
        assert re.findall("[" + body + "]", every) == regex.findall(escape, every), escape
