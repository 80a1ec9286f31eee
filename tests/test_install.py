"""A real, non-editable install into a fresh virtual environment: the rule packs
must load from the installed package, not from the checkout."""
import os
import subprocess
import sys
import venv

import pytest

from conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = os.path.join(env_dir, "bin", "python")
    # Build from a copy of the checkout so the test never writes build/ into it.
    src = tmp_path_factory.mktemp("src")
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", ROOT, str(src / "dj")], check=True)
    # Uncommitted work counts too: overlay the working tree's tracked files.
    subprocess.run(f"cd {ROOT} && git ls-files -z | xargs -0 cp --parents -t {src / 'dj'} 2>/dev/null",
                   shell=True)
    r = subprocess.run([py, "-m", "pip", "install", "-q", str(src / "dj")], capture_output=True)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    return env_dir


def test_installed_command_lints_a_seed_from_outside_the_tree(installed, tmp_path):
    exe = os.path.join(installed, "bin", "dj-lint")
    seed = os.path.join(SEEDS, sorted(os.listdir(SEEDS))[0])
    r = subprocess.run([exe, "--format", "json", seed], cwd=tmp_path, capture_output=True)
    assert r.returncode == 1, r.stderr.decode()
    assert b'"rule": "DJ201"' in r.stdout


def test_packs_come_from_site_packages(installed, tmp_path):
    py = os.path.join(installed, "bin", "python")
    code = "from dj_lint.packs.loader import shipped_pack_paths; print('\\n'.join(shipped_pack_paths()))"
    r = subprocess.run([py, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    paths = r.stdout.split()
    assert paths and all(p.startswith(str(installed)) for p in paths), paths
    assert all("site-packages" in p for p in paths)


def test_python_dash_m_works(installed, tmp_path):
    py = os.path.join(installed, "bin", "python")
    r = subprocess.run([py, "-m", "dj_lint", "--version"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("dj-lint ")


def test_installed_rules_folder_is_the_one_importlib_resources_names(installed, tmp_path):
    # text/data.py finds it from the import spec (importlib.resources costs a start 26 M instructions).
    py = os.path.join(installed, "bin", "python")
    code = ("import os; from importlib import resources; from dj_lint.text.data import rules_root, shipped_data\n"
            "print(os.path.samefile(rules_root(), str(resources.files('dj_lint.rules'))))\n"
            "print(shipped_data('timeline.yaml') == str(resources.files('dj_lint.rules').joinpath('data', 'timeline.yaml')))\n"
            "print(os.path.isfile(shipped_data('timeline.yaml')), 'site-packages' in rules_root())")
    r = subprocess.run([py, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert r.stdout.split() == ["True", "True", "True", "True"], r.stderr
