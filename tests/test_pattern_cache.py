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
        patterns, build_of, builds = pickle.load(fh)
    assert len(builds) == 1 and build_of.keys() == patterns.keys() and set(build_of.values()) == set(builds)
    # (source, flags) -> a compiled regex pattern pickled on its own, with its flags
    # and group names; ("re", source, flags) -> what the stdlib compiler produced for
    # that source (pattern_cache.compile_re).
    compiled = {k: (pickle.loads(v[0]), v[1], v[2]) for k, v in patterns.items() if len(k) == 2}
    assert len(compiled) > 100
    assert all(p.pattern == source and p.flags == flags and p.groupindex == names
               for (source, _), (p, flags, names) in compiled.items())
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
        patterns, build_of, builds = pickle.load(fh)
    # Every key now maps to a pattern that never matches (with the key's own flags and
    # group names): used, it would find nothing.
    planted = {key: (pickle.dumps(regex.compile("(?!)", key[1]), protocol=5), flags, names)
               for key, (_, flags, names) in ((k, v) for k, v in patterns.items() if len(k) == 2)}
    with open(path, "wb") as fh:
        pickle.dump((planted, {k: v for k, v in build_of.items() if k in planted}, builds), fh, protocol=5)
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
        assert len(pickle.load(fh)[0]) > 100


def test_a_new_build_tags_what_it_used_and_drops_entries_of_builds_past_the_last_few(tmp_path):
    from dj_lint.text import pattern_cache
    first = probe(tmp_path)
    (path,) = cache_files(tmp_path)
    with open(path, "rb") as fh:
        patterns, build_of, (build,) = pickle.load(fh)
    used = next(k for k in patterns if len(k) == 2)  # an entry every run asks for
    stale, other = ("stale(?#oldest build)", 0), ("kept(?#another recent build)", 0)
    patterns[stale], patterns[other] = (pattern_cache._stored(regex.compile(stale[0])),
                                        pattern_cache._stored(regex.compile(other[0])))
    build_of.update({used: "oldest", stale: "oldest", other: "recent"})
    # As if this build had never run: the file names others, the oldest last.
    with open(path, "wb") as fh:
        pickle.dump((patterns, build_of, ("recent", "b2", "b3", "oldest")), fh, protocol=5)
    assert probe(tmp_path) == first.replace("compiled-new", "all-cached")  # nothing compiled
    with open(path, "rb") as fh:
        after, after_build_of, after_builds = pickle.load(fh)
    assert after_builds == (build, "recent")
    assert stale not in after and other in after and after_build_of[other] == "recent"
    assert after_build_of[used] == build  # the oldest build's entry this run used: this build's now
    assert after_build_of.keys() == after.keys() and set(after_build_of.values()) <= set(after_builds)
    inode = os.stat(path).st_ino
    probe(tmp_path)  # this build is named now and used nothing the file lacks: no write
    assert os.stat(path).st_ino == inode


def test_regex_class_holds_exactly_what_regex_matches():
    """pattern_cache.regex_class: a ``re`` class of every code point ``regex`` matches
    with the escape, none other (the two modules' own \\s and \\d differ)."""
    import re

    from dj_lint.text import pattern_cache
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    for escape in (r"\s", r"\d"):
        body = pattern_cache.regex_class(escape)
        assert re.findall("[" + body + "]", every) == regex.findall(escape, every), escape


@pytest.mark.skipif(sys.version_info < (3, 11), reason="compile_re keeps the SRE parts from Python 3.11 on")
def test_stdlib_patterns_compiled_from_their_parts_equal_re_compile(tmp_path, monkeypatch):
    """compile_re compiles a stdlib pattern once, from the parts it keeps (the SRE
    code), cold as warm: for every ``re`` pattern a first run compiles, the pattern
    it gives equals re.compile's (a Pattern compares its source, flags and code)
    and finds the same. An error in a source is still re's error."""
    import re

    from dj_lint.text import pattern_cache

    probe(tmp_path)
    (path,) = cache_files(tmp_path)
    with open(path, "rb") as fh:
        patterns = pickle.load(fh)[0]
    sources = [(k[1], k[2]) for k in patterns if len(k) == 3]
    assert len(sources) > 50
    text = "第一条 2025年10月1日，党委（扩大）会议: A-3 “四个意识” ____ XX 一、二、 \n  ok? 12.5% 。"
    monkeypatch.setattr(pattern_cache, "_PATTERNS", {})
    monkeypatch.setattr(pattern_cache, "_register", lambda: None)  # this test's entries are not written
    for source, flags in sources:
        cold = pattern_cache.compile_re(source, flags)
        assert pattern_cache._PATTERNS[("re", source, flags)] is not None
        warm = pattern_cache.compile_re(source, flags)
        want = re.compile(source, flags)
        assert cold == want and warm == want, source
        assert cold.groupindex == want.groupindex and cold.groups == want.groups
        assert [m.span() for m in cold.finditer(text)] == [m.span() for m in want.finditer(text)]
    with pytest.raises(re.error):
        pattern_cache.compile_re("(unclosed")


def test_a_deferred_pattern_is_the_cached_one_when_first_used(tmp_path, monkeypatch):
    """pattern_cache.deferred: while the cache holds a pattern still pickled, a rule's
    charged pattern (checks/budget.Budgeted) answers its source, flags and group
    names without unpickling it, and its first search unpickles the very pattern
    ``compile`` gives, with the matches of ``regex.compile``'s; a pattern the cache
    lacks is compiled at once."""
    from dj_lint.checks.budget import Budgeted
    from dj_lint.text import pattern_cache

    source, flags = r"(?P<year>\d{4})年(?P<month>\d{1,2})月", regex.MULTILINE | regex.V0
    want = regex.compile(source, flags)
    monkeypatch.setattr(pattern_cache, "_register", lambda: None)  # nothing written
    monkeypatch.setattr(pattern_cache, "_PATTERNS", {(source, flags): pattern_cache._stored(want)})
    late = pattern_cache.deferred(source, flags)
    assert isinstance(late, pattern_cache.Deferred)
    charged = Budgeted(late, "DJ000")
    assert (charged.pattern, charged.flags, charged.groupindex) == (want.pattern, want.flags, want.groupindex)
    assert type(pattern_cache._PATTERNS[(source, flags)]) is tuple  # not unpickled yet
    text = "2024年10月，2025年1月"
    assert [m.groupdict() for m in charged.finditer(text)] == [m.groupdict() for m in want.finditer(text)]
    loaded = pattern_cache._PATTERNS[(source, flags)]
    assert charged.pat is loaded and pattern_cache.compile(source, flags) is loaded
    assert (loaded.pattern, loaded.flags, loaded.groupindex) == (want.pattern, want.flags, want.groupindex)
    again = pickle.loads(pickle.dumps(charged)).pat  # --jobs under spawn
    assert (again.pattern, again.flags) == (want.pattern, want.flags)
    # A source the cache does not hold: compiled now, no Deferred.
    now = pattern_cache.deferred("党委", flags)
    assert isinstance(now, regex.Pattern) and now.pattern == "党委"


def test_warm_unpickles_the_deferred_patterns_before_a_fork(monkeypatch):
    """pattern_cache.load_used (Linter.warm, before a pool forks): every pattern the
    run asked for, a deferred one too, is unpickled once in the parent; a charged
    pattern made before then finds it there at its first use."""
    from dj_lint.checks.budget import Budgeted
    from dj_lint.text import pattern_cache

    sources = [(r"第[一二三四五六七八九十]+条", regex.V0), (r"(?P<n>\d+)%", regex.MULTILINE | regex.V0)]
    monkeypatch.setattr(pattern_cache, "_register", lambda: None)  # nothing written
    monkeypatch.setattr(pattern_cache, "_USED", set())
    monkeypatch.setattr(pattern_cache, "_PATTERNS", {
        key: pattern_cache._stored(regex.compile(*key)) for key in sources + [("不问", 0)]})
    charged = [Budgeted(pattern_cache.deferred(*key), "DJ000") for key in sources]
    assert all(type(pattern_cache._PATTERNS[key]) is tuple for key in sources)
    pattern_cache.load_used()
    loaded = [pattern_cache._PATTERNS[key] for key in sources]
    assert all(isinstance(p, regex.Pattern) for p in loaded)
    assert type(pattern_cache._PATTERNS[("不问", 0)]) is tuple  # never asked for: left pickled
    assert [c.pat for c in charged] == loaded and all(c.pat is p for c, p in zip(charged, loaded))
