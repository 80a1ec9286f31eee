"""A warm start finds the shipped data without importlib.resources."""
import os
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
