"""The README's pre-commit set-up, run as written through the real pre-commit.

The block marked ``readme-test: precommit-local`` is written verbatim into a
fresh report repository's .pre-commit-config.yaml, and the commands of the block
``precommit-commands`` are run verbatim by a shell in it. The local hook uses the
dj-lint installed in this environment (language: system), so nothing is
downloaded and the test is fast.
"""
import os
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT
from readme_blocks import block

BAD = "2024年度党建工作总结\n\n____年以来，党总支连续五次被评为先进党组织。\n"
CLEAN = "2024年度党建工作总结\n\n2024年以来，党总支连续五次被评为先进党组织。\n"


def git(*args, cwd, env=None):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                          cwd=cwd, capture_output=True, text=True, env=env)


def env_for(tmp_path):
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), NO_COLOR="1")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    for key in ("GITHUB_ACTIONS", "PRE_COMMIT", "FORCE_COLOR"):
        env.pop(key, None)
    return env


@pytest.fixture
def reports(tmp_path):
    repo = tmp_path / "reports"
    (repo / "2024").mkdir(parents=True)
    git("init", "-q", cwd=str(repo))
    for i in range(12):  # enough files that a parallel hook would split them
        (repo / "2024" / f"{i:02d}.txt").write_text(BAD if i % 3 == 0 else CLEAN, encoding="utf-8")
    (repo / "notes.md").write_text(CLEAN, encoding="utf-8")
    # The repository's own README is excluded by the snippet, even though it has a blank.
    (repo / "README.md").write_text("# 报告库\n\n____年的报告放在 2024/ 下。\n", encoding="utf-8")
    (repo / "tool.py").write_text("# ____年\n", encoding="utf-8")  # not a report
    (repo / ".dj-lint.yaml").write_text("as_of: 2026-11-21\n", encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(block("precommit-local").text, encoding="utf-8")
    git("add", "-A", cwd=str(repo))
    return repo


def test_readme_config_and_manifest_validate(reports, tmp_path):
    env = env_for(tmp_path)
    for cmd in (["validate-config", str(reports / ".pre-commit-config.yaml")],
                ["validate-manifest", os.path.join(ROOT, ".pre-commit-hooks.yaml")]):
        res = subprocess.run([sys.executable, "-m", "pre_commit", *cmd], env=env,
                             capture_output=True, text=True)
        assert res.returncode == 0, res.stdout + res.stderr
    (hook,) = yaml.safe_load(open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), encoding="utf-8"))
    assert hook["require_serial"] is True
    assert set(hook["types_or"]) == {"plain-text", "markdown", "binary"}


def test_readme_snippet_runs_verbatim_and_blocks_the_commit(reports, tmp_path):
    env = env_for(tmp_path)
    commands = block("precommit-commands").text
    res = subprocess.run(["bash", "-c", "set -e\n" + commands], cwd=str(reports), env=env,
                         capture_output=True, text=True, timeout=600)
    out = res.stdout + res.stderr
    assert res.returncode == 1, out  # the hook failed: pre-commit run exits 1
    assert "dj-lint" in out and "Failed" in out
    for i in (0, 3, 6, 9):
        assert f"2024/{i:02d}.txt:3:1: DJ201 " in out, out
    assert "2024/01.txt" not in out  # clean
    assert "README.md" not in out and "tool.py" not in out  # excluded / not a report
    # require_serial: one dj-lint process, so exactly one closing summary.
    summaries = [line for line in out.splitlines() if "个问题" in line and "涉及" in line]
    assert len(summaries) == 1, out
    assert "4 个问题" in summaries[0]
    # `pre-commit install` put the hook in place: a commit of the bad reports is refused.
    # The hook finds dj-lint on PATH, as it would in the user's activated environment.
    res = git("commit", "-q", "-m", "reports", cwd=str(reports), env=env)
    assert res.returncode != 0
    assert "DJ201" in res.stdout + res.stderr
    assert git("rev-parse", "-q", "--verify", "HEAD", cwd=str(reports)).returncode != 0


def test_disable_line_through_the_real_hook(reports, tmp_path):
    """A finding silenced by dj-lint-disable-line passes the hook; a misspelt
    directive does not silence anything and is itself reported."""
    env = env_for(tmp_path)
    for i in range(12):
        os.remove(reports / "2024" / f"{i:02d}.txt")
    quiet = BAD.rstrip("\n") + "<!-- dj-lint-disable-line DJ201 -->\n"
    (reports / "2024" / "ok.txt").write_text(quiet, encoding="utf-8")
    git("add", "-A", cwd=str(reports))
    run = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    res = subprocess.run(run, cwd=str(reports), env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Passed" in res.stdout
    (reports / "2024" / "typo.txt").write_text(quiet.replace("disable-line", "disable-lines"),
                                               encoding="utf-8")
    git("add", "-A", cwd=str(reports))
    res = subprocess.run(run, cwd=str(reports), env=env, capture_output=True, text=True, timeout=600)
    out = res.stdout + res.stderr
    assert res.returncode == 1, out
    assert "2024/typo.txt:3:1: DJ201 " in out
    assert "2024/typo.txt:3:25: DJ001 " in out and "是不是要写 dj-lint-disable-line？" in out
    assert "2024/ok.txt" not in out
