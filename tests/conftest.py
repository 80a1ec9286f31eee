import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "seeds")


def seed_path(prefix: str) -> str:
    for name in sorted(os.listdir(SEEDS)):
        if name.startswith(prefix):
            return os.path.join(SEEDS, name)
    raise FileNotFoundError(prefix)


def run_cli(*args, input=None, cwd=None, env=None):
    """Run the real dj-lint command in a subprocess."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    # --format auto turns into GitHub annotations inside GitHub Actions.
    full_env.pop("GITHUB_ACTIONS", None)
    if env:
        full_env.update(env)
    # A relative PYTHONPATH (``PYTHONPATH=src pytest``, as in a worktree) would be
    # read from ``cwd`` and run whatever dj-lint is installed instead of this one.
    if full_env.get("PYTHONPATH"):
        full_env["PYTHONPATH"] = os.pathsep.join(
            os.path.abspath(p) if p else p for p in full_env["PYTHONPATH"].split(os.pathsep))
    return subprocess.run(
        [sys.executable, "-m", "dj_lint", *args], input=input, capture_output=True,
        cwd=cwd or ROOT, env=full_env,
    )


def user_pack(path, kind: str, category: str, rules: list, examples: dict):
    """Load a user's rule pack written to ``path``: ``rules`` (dicts of id, name,
    message and the kind's own fields) of one ``kind`` and ``category``, each with
    ``examples`` and a test source."""
    import yaml

    from dj_lint.packs.loader import load_pack
    full = [{"category": category, "severity": "warning", "kind": kind, "source": "a test",
             **rule, "examples": examples} for rule in rules]
    path.write_text(yaml.safe_dump(full, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_pack(str(path))


@pytest.fixture
def cli():
    return run_cli
