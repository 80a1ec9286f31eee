"""A warm start finds the shipped data without importlib.resources, reads a
pyproject.toml's [tool.dj-lint] from the build cache, and imports no module it
does not use (tempfile, json, tomllib: each a few million instructions)."""
import os
import subprocess
import sys
import textwrap
from importlib import resources

import pytest

from dj_lint.config import resolve
from dj_lint.config.resolve import ConfigError, read_config
from dj_lint.packs.loader import shipped_pack_paths
from dj_lint.text import build_cache
from dj_lint.text.data import display_path, rules_root, shipped_data

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# -- the shipped rules folder ---------------------------------------------
def test_rules_root_is_the_folder_importlib_resources_names():
    assert os.path.samefile(rules_root(), str(resources.files("dj_lint.rules")))
    assert rules_root() == os.path.abspath(rules_root())


def test_shipped_paths_are_the_ones_importlib_resources_gives():
    root = resources.files("dj_lint.rules")
    assert shipped_pack_paths() == sorted(str(p) for p in root.iterdir() if p.name.endswith(".yaml"))
    for name in ("doc_types.yaml", "timeline.yaml", "party_terms.yaml", "copy.yaml"):
        assert shipped_data(name) == str(root.joinpath("data", name))
        assert os.path.isfile(shipped_data(name))
    assert display_path(shipped_pack_paths()[0]).startswith("rules/")


# -- pyproject.toml through the build cache --------------------------------
def _plain(path):
    """read_config with the cache's table bypassed: tomllib on every call."""
    text = open(path, encoding="utf-8").read()
    return resolve._parse_toml(path, text)


@pytest.mark.parametrize("text", [
    "[project]\nname = 'dj-lint'\n[project.scripts]\ndj-lint = 'x'\n",      # our name, not our table
    "# [tool.dj-lint]\n[tool.other]\nx = 1\n",                              # only in a comment
    "[tool.dj-lint]\nfail-on = 'info'\nignore = ['DJ201']\n",
    "[tool.'dj-lint']\nfail_on = 'warning'\n",
    '[ "tool" . "dj\\u002dlint" ]\nselect = "DJ201"\n',                      # an escaped key
    "[tool]\ndj-lint = { ignore = ['DJ201'] }\n",
    "tool.dj-lint.as-of = 2026-01-02\n",
])
def test_a_pyproject_reads_as_tomllib_reads_it_cached_or_not(tmp_path, text):
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    table, lines = _plain(str(path))
    for _ in range(2):  # the second read comes from the cache's table
        conf = read_config(str(path), required=False)
        if table is None:
            assert conf is None
        else:
            assert set(conf.values) == {str(k).replace("-", "_") for k in table}
            assert conf.lines == {str(k).replace("-", "_"): lines.get(str(k), 0) for k in table}


def test_an_edited_pyproject_is_read_again(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.dj-lint]\nfail-on = 'info'\n", encoding="utf-8")
    assert read_config(str(path)).values == {"fail_on": "info"}
    path.write_text("[tool.dj-lint]\n\nfail-on = 'error'\n", encoding="utf-8")
    conf = read_config(str(path))
    assert conf.values == {"fail_on": "error"} and conf.lines == {"fail_on": 3}
    path.write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert read_config(str(path), required=False) is None
    with pytest.raises(ConfigError, match="没有"):
        read_config(str(path))


def test_a_pyproject_that_does_not_parse_is_an_error_every_time(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text("[project\nname = 'x'\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="TOML 格式错误"):
            read_config(str(path), required=False)


def test_a_pyprojects_table_is_read_once_per_text(tmp_path, monkeypatch):
    calls = []
    parse = resolve._parse_toml
    monkeypatch.setattr(resolve, "_parse_toml", lambda *a: calls.append(1) or parse(*a))
    text = "[tool.dj-lint]\nfail-on = 'info'\n# %s\n" % tmp_path  # a text no other test has
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "pyproject.toml").write_text(text, encoding="utf-8")
        assert read_config(str(tmp_path / folder / "pyproject.toml")).values == {"fail_on": "info"}
    assert calls == [1]
    assert build_cache.product("pyproject-tool-table", dict)


# -- what a warm run imports ---------------------------------------------
PROBE = textwrap.dedent("""
    import sys, io, contextlib
    from dj_lint.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        try: main(['--jobs', '1', sys.argv[1]])
        except SystemExit: pass
    print(sorted(m for m in sys.modules if m in ('importlib.resources', 'tempfile', 'json', 'tomllib')))
""")


def test_a_warm_run_imports_no_resources_tempfile_json_or_tomllib(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n[tool.dj-lint]\nfail-on = 'info'\n",
                                             encoding="utf-8")
    clean = os.path.join(ROOT, "tests", "clean")
    doc = tmp_path / "a.txt"  # a clean report whose words near_miss looks up (pinyin readings)
    doc.write_bytes(open(os.path.join(clean, sorted(os.listdir(clean))[0]), "rb").read())
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("DJ_LINT_NO_CACHE", None)
    for _ in range(2):  # the first run builds the cache (it reads YAML, JSON and TOML)
        out = subprocess.run([sys.executable, "-c", PROBE, str(doc)], env=env,
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# -- swapped_word's table ------------------------------------------------
def test_swapped_word_table_from_the_build_cache_is_the_parsed_one(tmp_path, monkeypatch):
    from dj_lint.checks import swappedword
    swappedword._reversed_words.cache_clear()
    table = swappedword._reversed_words("bound_pairs.txt")
    assert table == swappedword._read_reversed("bound_pairs.txt") and len(table) > 1000
    assert build_cache.product("data:reversed:bound_pairs.txt", dict) is table
    # A list outside rules/data (which the cache's key does not cover) is read every time.
    outside = tmp_path / "pairs.txt"
    outside.write_text("陀螺\t5\n", encoding="utf-8")
    name = os.path.relpath(outside, os.path.join(rules_root(), "data"))
    built = []
    monkeypatch.setattr(build_cache, "product", lambda *a, **k: built.append(a[0]))
    swappedword._reversed_words.cache_clear()
    assert swappedword._reversed_words(name) == {"螺陀": "陀螺"} and built == []
    swappedword._reversed_words.cache_clear()
