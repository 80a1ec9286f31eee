"""A warm start finds the shipped data without importlib.resources and imports no
module it does not use (tempfile, json: each a few million instructions)."""
import os
import subprocess
import sys
import textwrap
from importlib import resources

from dj_lint.packs.loader import shipped_pack_paths
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


# -- what a warm run imports ---------------------------------------------
PROBE = textwrap.dedent("""
    import sys, io, contextlib
    from dj_lint.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        try: main(['--jobs', '1', sys.argv[1]])
        except SystemExit: pass
    print(sorted(m for m in sys.modules if m in ('importlib.resources', 'tempfile', 'json')))
""")


def test_a_warm_run_imports_no_resources_tempfile_or_json(tmp_path):
    clean = os.path.join(ROOT, "tests", "clean")
    doc = tmp_path / "a.txt"  # a clean report whose words near_miss looks up (pinyin readings)
    doc.write_bytes(open(os.path.join(clean, sorted(os.listdir(clean))[0]), "rb").read())
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("DJ_LINT_NO_CACHE", None)
    for _ in range(2):  # the first run builds the cache (and writes it through tempfile)
        out = subprocess.run([sys.executable, "-c", PROBE, str(doc)], env=env,
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
