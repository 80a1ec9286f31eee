"""The shipped pre-commit hook, installed by the real `pre-commit try-repo`.

A temporary report repository holds a bad report (an unfilled year) and a
clean one; the hook must fail on the first, naming the rule, and pass on the
second. try-repo installs dj-lint from this checkout into its own virtual
environment (from PyPI), so this test is slow and needs the package index.

try-repo uses the checkout's HEAD commit when the working tree is clean (CI).
When it is dirty, try-repo itself commits only the modified tracked files
into a shadow repository, leaving out new files that are not yet committed
(a new module, the hook manifest itself). So for a dirty tree this test
commits a copy of the whole working tree, new files included, and points
try-repo at that; either way the hook under test is the code on disk.
try-repo installs into a fresh temporary store on every call; PRE_COMMIT_HOME
keeps anything else pre-commit writes out of the user's cache.
"""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

BAD = "2024年度党建工作总结\n\n____年以来，党总支连续五次被评为先进党组织。\n"
TIMEOUT = 1200  # a cold install downloads the dependencies


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def hook_repo(tmp_path) -> str:
    """ROOT when its working tree is clean, else a one-commit copy of that tree."""
    if not git("status", "--porcelain", "--untracked-files=normal", cwd=ROOT).strip():
        return ROOT
    snap = tmp_path / "dj-lint-snapshot"
    git("clone", "--quiet", "--no-local", ROOT, str(snap), cwd=str(tmp_path))
    changed = git("ls-files", "-z", "--modified", "--others", "--exclude-standard", cwd=ROOT)
    for rel in filter(None, changed.split("\0")):
        src, dst = os.path.join(ROOT, rel), snap / rel
        if os.path.isfile(src):
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    for rel in filter(None, git("ls-files", "-z", "--deleted", cwd=ROOT).split("\0")):
        (snap / rel).unlink(missing_ok=True)
    git("add", "-A", cwd=str(snap))
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty",
        "-m", "working tree snapshot", cwd=str(snap))
    return str(snap)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    base = tmp_path_factory.mktemp("precommit")
    repo = base / "reports"
    repo.mkdir()
    git("init", "-q", cwd=str(repo))
    (repo / "bad.txt").write_text(BAD, encoding="utf-8")
    shutil.copy(os.path.join(ROOT, "tests", "clean", "2026_summary.txt"), repo / "clean.txt")
    # The hook reads the report repository's configuration: judge as of the clean test's date.
    (repo / ".dj-lint.yaml").write_text("as_of: 2026-11-21\n", encoding="utf-8")
    git("add", "bad.txt", "clean.txt", ".dj-lint.yaml", cwd=str(repo))
    return base, repo, hook_repo(base)


def try_repo(reports, *files):
    base, repo, source = reports
    env = dict(os.environ, PRE_COMMIT_HOME=str(base / "pre-commit-home"), NO_COLOR="1")
    env.pop("GITHUB_ACTIONS", None)
    env.pop("VIRTUAL_ENV", None)
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", source, "dj-lint",
           "--verbose", "--files", *files]
    return subprocess.run(cmd, cwd=str(repo), env=env, capture_output=True, text=True,
                          timeout=TIMEOUT)


def test_hook_fails_on_the_bad_report_with_the_rule_id(reports):
    res = try_repo(reports, "bad.txt")
    out = res.stdout + res.stderr
    assert res.returncode == 1, out
    assert "dj-lint" in out and "Failed" in out
    assert "bad.txt:3:1: DJ201 " in out


def test_hook_passes_on_the_clean_report(reports):
    res = try_repo(reports, "clean.txt")
    out = res.stdout + res.stderr
    assert res.returncode == 0, out
    assert "Passed" in out
    assert "DJ" not in out, out


def test_readme_remote_snippet_with_a_real_commit(reports):
    """The README's git-URL snippet, its two placeholders (named in the block's
    marker) replaced by a clone of this checkout and that clone's HEAD commit."""
    from readme_blocks import block
    base, _, source = reports
    snippet = block("precommit-remote")
    sha = git("rev-parse", "HEAD", cwd=source).strip()
    config = snippet.text.replace(snippet.params["repo"], source).replace(snippet.params["rev"], sha)
    repo = base / "remote-form"
    repo.mkdir()
    git("init", "-q", cwd=str(repo))
    (repo / "bad.txt").write_text(BAD, encoding="utf-8")
    (repo / "README.md").write_text("# 报告库\n\n____年的报告。\n", encoding="utf-8")
    (repo / ".dj-lint.yaml").write_text("as_of: 2026-11-21\n", encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git("add", "-A", cwd=str(repo))
    env = dict(os.environ, PRE_COMMIT_HOME=str(base / "pre-commit-home"), NO_COLOR="1")
    env.pop("GITHUB_ACTIONS", None)
    env.pop("VIRTUAL_ENV", None)
    res = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=str(repo),
                         env=env, capture_output=True, text=True, timeout=TIMEOUT)
    out = res.stdout + res.stderr
    assert res.returncode == 1, out
    assert "bad.txt:3:1: DJ201 " in out and "README.md" not in out
