"""The README is checked: every fenced block carries a marker that says how it is
run (tests/readme_blocks.py), and each kind of marker is run here, so the README
cannot drift from the program again.

- ``output``: ``$ command`` then its expected output, run by bash with stdout a pipe
  (so no colour, 160 columns). ``in=scratch`` runs it in the scratch repository below,
  ``in=config`` there with the README's ``.dj-lint.yaml`` written; else in the checkout.
  A line ``...`` stands for any number of lines; in the last line (the summary) any
  number matches any number, so adding a rule does not break the example, but a
  changed format or message does.
- ``commands``: each command line is run by bash in the scratch repository; it must exit
  0 or 1 and never crash. ``pip install .`` lines are what tests/test_install.py does
  (a real install of the checkout into a fresh environment), so they are not repeated.
- ``config``: a configuration file (YAML or TOML), written into the scratch repository
  (with the folders it names) and checked by ``dj-lint --show-config``, which validates
  every key strictly.
- ``rule-pack``: a rule file, loaded as the user's pack (so the loader validates it and
  runs its examples) and explained.
- ``rule-fragment``: part of a rule (its ``fix`` and ``examples``), completed into a
  rule and loaded; each bad example's ``fixed`` is what ``--fix`` really writes.
- ``suppressions``: a Markdown report whose suppressions must silence everything they
  name, with no DJ001 (unused or unknown suppression) left.
- ``json-output`` / ``baseline-file``: the JSON dj-lint writes: the same keys, and the
  example's finding or entries exactly.
- ``ci``: a CI job; each dj-lint command in it is run in the scratch repository.
- ``precommit-*``: tests/test_precommit_readme.py and tests/test_precommit.py.
- ``install``: the install-and-test commands: the first runs verbatim in a copy of the
  checkout (slow: a fresh environment); the second is the line .ci/run executes.
- ``layout``: the package tree: every folder it names exists, and no package is missing.
- ``not-run``: a block that cannot run in a test (a synopsis, machines of a cluster,
  the benchmarks); its ``reason=`` is required, and the files it names must exist.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, SEEDS
from readme_blocks import blocks

KNOWN = {"output", "commands", "config", "rule-pack", "rule-fragment", "suppressions",
         "json-output", "baseline-file", "ci", "install", "layout", "not-run",
         "precommit-local", "precommit-commands", "precommit-remote"}
BLANK = "　____年以来，党总支连续五次被评为先进党组织。\n"
DUTY_REPORT = "2025年度党支部书记述职报告\n一年来，支部扎实工作。\n某某党支部\n2026年1月12日\n"


def marked(name):
    return [pytest.param(b, id=f"README.md:{b.line}") for b in blocks() if b.name == name]


def test_every_block_says_how_it_is_checked():
    for b in blocks():
        assert b.name in KNOWN, f"README.md:{b.line}: add <!-- readme-test: KIND --> above the block"
        if b.name == "not-run":
            assert b.params.get("reason"), f"README.md:{b.line}: not-run needs reason="


def _readme_config():
    return next(b for b in blocks() if b.name == "config" and b.lang == "yaml").text


@pytest.fixture
def scratch(tmp_path):
    """A report repository holding every file the README's examples name."""
    from test_similar import DOC_A, DOC_B  # texts written for the similar tests
    from word_fixture import build_report

    def put(rel, text):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    for name in sorted(os.listdir(SEEDS))[:3]:
        put("reports/" + name, open(os.path.join(SEEDS, name), encoding="utf-8").read())
    put("reports/2024.txt", "2024年度党建工作总结\n" + "\n" * 10 + BLANK)
    build_report(str(tmp_path / "2025年度党建工作总结.docx"))
    shutil.copy(tmp_path / "2025年度党建工作总结.docx", tmp_path / "报告.docx")
    (tmp_path / "材料").mkdir()
    shutil.copy(tmp_path / "2025年度党建工作总结.docx", tmp_path / "材料" / "a.docx")
    put("心得体会.txt", "学习心得体会\n\n通过学习，我深刻认识到理论武装的重要性。\n")
    put("述职报告.txt", DUTY_REPORT)
    for folder in ("a", "archive"):
        put(folder + "/a.txt", DOC_A)
        put(folder + "/b.txt", DOC_B)
    put("templates/范文.txt", DOC_A)
    put("archive/2019/总结.txt", BLANK)
    for folder in ("drafts", "模板", "范文"):
        (tmp_path / folder).mkdir(exist_ok=True)
    rules = next(x for x in blocks() if x.name == "rule-pack" and "house.yaml" in x.text)
    put("team-rules/house.yaml", rules.text)
    return tmp_path


def bash(cmd, cwd):
    env = dict(os.environ, NO_COLOR="1")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env["PATH"]
    for key in ("GITHUB_ACTIONS", "COLUMNS", "FORCE_COLOR", "DASK_SCHEDULER_ADDRESS"):
        env.pop(key, None)
    return subprocess.run(["bash", "-c", cmd], cwd=str(cwd), env=env, capture_output=True,
                          text=True, timeout=600)


def _lines_match(expected, actual):
    numbers = re.compile(r"\d+")
    expected, actual = list(expected), list(actual)
    if expected and actual and expected[-1] != "...":
        expected[-1] = numbers.sub("N", expected[-1])
        actual[-1] = numbers.sub("N", actual[-1])
    i = 0
    for k, line in enumerate(expected):
        if line == "...":
            rest = expected[k + 1:]
            if not rest:
                return True
            while i < len(actual) and actual[i] != rest[0]:
                i += 1
            continue
        if i >= len(actual) or actual[i] != line:
            return False
        i += 1
    return i == len(actual)


@pytest.mark.parametrize("b", marked("output"))
def test_output_examples(b, scratch):
    lines = b.text.rstrip("\n").split("\n")
    assert lines[0].startswith("$ dj-lint ")
    where = b.params.get("in")
    if where == "config":
        (scratch / ".dj-lint.yaml").write_text(_readme_config(), encoding="utf-8")
    res = bash(lines[0][2:], scratch if where else ROOT)
    assert "Traceback" not in res.stderr
    actual = res.stdout.rstrip("\n").split("\n")
    assert _lines_match(lines[1:], actual), res.stdout[-3000:] + res.stderr[-2000:]


@pytest.mark.parametrize("b", marked("commands"))
def test_commands(b, scratch):
    ran = 0
    for line in b.text.splitlines():
        cmd = line.split("#")[0].strip()
        if not cmd:
            continue
        if cmd == "pip install .":
            continue  # tests/test_install.py: a real install of the checkout
        res = bash(cmd, scratch)
        assert res.returncode in (0, 1), (cmd, res.stdout[-1000:], res.stderr[-2000:])
        assert "Traceback" not in res.stderr
        ran += 1
    assert ran


@pytest.mark.parametrize("b", marked("config"))
def test_configuration_examples(b, scratch):
    name = ".dj-lint.yaml" if b.lang == "yaml" else "pyproject.toml"
    (scratch / name).write_text(b.text, encoding="utf-8")
    res = bash("dj-lint --show-config archive/2019/总结.txt", scratch)
    assert res.returncode == 0, res.stderr
    assert "ignore: [" in res.stdout and "obsolete" in res.stdout  # per_file_ignores applied


@pytest.mark.parametrize("b", marked("rule-pack"))
def test_rule_pack_examples(b, scratch):
    (scratch / "pack.yaml").write_text(b.text, encoding="utf-8")
    (scratch / ".dj-lint.yaml").write_text("rules: [pack.yaml]\n", encoding="utf-8")
    ids = [r["id"] for r in yaml.safe_load(b.text) if "kind" in r]
    assert ids
    for rid in ids:
        res = bash(f"dj-lint --explain {rid}", scratch)
        assert res.returncode == 0 and res.stdout.startswith(rid), res.stderr


@pytest.mark.parametrize("b", marked("rule-fragment"))
def test_rule_fragment_fixes_as_it_says(b, scratch):
    fragment = yaml.safe_load("x:\n" + b.text)["x"]
    bad = fragment["examples"]["bad"]
    ex = bad[0]
    pre, post = ex["text"].split(ex["match"], 1)
    replacement = ex["fixed"][len(pre):len(ex["fixed"]) - len(post)]
    rule = {"id": "X900", "name": "readme-fix", "category": "typo", "severity": "warning",
            "kind": "pattern", "pattern": ex["match"], "suggestion": replacement,
            "message": "把“{text}”改为“{suggestion}”", "fix": fragment["fix"],
            "examples": {"bad": bad, "good": [ex["fixed"]]}}
    (scratch / "pack.yaml").write_text(yaml.safe_dump([rule], allow_unicode=True), encoding="utf-8")
    (scratch / ".dj-lint.yaml").write_text("rules: [pack.yaml]\nselect: [X900]\n", encoding="utf-8")
    for ex in bad:
        (scratch / "r.txt").write_text(ex["text"] + "\n", encoding="utf-8")
        res = bash("dj-lint --fix r.txt", scratch)
        assert res.returncode == 0, res.stderr
        assert (scratch / "r.txt").read_text(encoding="utf-8") == ex["fixed"] + "\n"


@pytest.mark.parametrize("b", marked("suppressions"))
def test_suppression_example(b, scratch):
    plain = b.text.replace("<!-- dj-lint-", "<!-- x-")
    (scratch / "plain.md").write_text(plain, encoding="utf-8")
    (scratch / "r.md").write_text(b.text, encoding="utf-8")
    cmd = "dj-lint --format json --no-config --as-of 2026-11-21 {}"
    without = json.loads(bash(cmd.format("plain.md"), scratch).stdout)["findings"]
    assert {f["category"] for f in without} >= {"obsolete", "placeholder"}  # there is something to silence
    assert json.loads(bash(cmd.format("r.md"), scratch).stdout)["findings"] == []


@pytest.mark.parametrize("b", marked("json-output"))
def test_json_example(b, scratch):
    example = json.loads(b.text)
    res = bash(b.params["cmd"].replace("+", " "), scratch)
    real = json.loads(res.stdout)
    assert set(real) == set(example)
    assert real["findings"] == example["findings"]
    assert (real["files"], real["errors"], real["as_of"]) == (example["files"], example["errors"],
                                                              example["as_of"])


@pytest.mark.parametrize("b", marked("baseline-file"))
def test_baseline_example(b, scratch):
    example = json.loads(b.text)
    bash("dj-lint --select DJ201 --write-baseline dj-lint-baseline.json reports/2024.txt", scratch)
    real = json.loads((scratch / "dj-lint-baseline.json").read_text(encoding="utf-8"))
    assert real == example


@pytest.mark.parametrize("b", marked("ci"))
def test_ci_jobs_run_their_dj_lint_commands(b, scratch):
    job = yaml.safe_load(b.text)
    text = json.dumps(job, ensure_ascii=False)
    commands = re.findall(r'"(?:run|script)?:?\s*(dj-lint (?!@)[^"]+)"', text)
    assert commands
    # dj-lint is not on PyPI: the install names a clone and a commit, the placeholders the
    # pre-commit section explains (not installed here: that needs the network in CI).
    installs = re.findall(r'"(?:run: )?(pip install [^"]+?)"', text.replace('\\"', "'"))
    assert installs and all("git+URL_OF_YOUR_DJ_LINT_CLONE@COMMIT" in c for c in installs), installs
    for cmd in commands:
        res = bash(cmd, scratch)
        assert res.returncode in (0, 1), (cmd, res.stderr[-2000:])
        assert "Traceback" not in res.stderr


@pytest.mark.parametrize("b", marked("install"))
def test_install_and_test_commands_are_what_ci_runs(b):
    ci = open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8").read()
    commands = [line for line in b.text.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert commands[1].strip() in ci  # the test command is exactly CI's


@pytest.mark.slow
@pytest.mark.parametrize("b", marked("install"))
def test_install_command_runs_verbatim(b, tmp_path):
    """The first command, in a copy of the checkout (its tracked files, as a clone has)."""
    commands = [line for line in b.text.splitlines() if line.strip() and not line.startswith("#")]
    copy = tmp_path / "dj-lint"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", ROOT, str(copy)], check=True)
    subprocess.run(f"cd {ROOT} && git ls-files -z | xargs -0 cp --parents -t {copy} 2>/dev/null",
                   shell=True)
    # Not the caller's PYTHONPATH: a relative src (PYTHONPATH=src pytest) would put the
    # copy's own src/ before the installed package, which alone has dj_lint.rules.
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "NO_COLOR", "PYTHONPATH")}
    res = subprocess.run(["bash", "-c", commands[0]], cwd=str(copy), env=env, capture_output=True,
                         text=True, timeout=1200)
    assert res.returncode == 1, res.stderr[-3000:]  # the seeds have findings
    assert "seeds/000_" in res.stdout and "个问题" in res.stdout


@pytest.mark.parametrize("b", marked("layout"))
def test_layout_names_every_package(b):
    named = re.findall(r"^\s*([a-z]+)/\s", b.text, re.M)
    pkg = os.path.join(ROOT, "src", "dj_lint")
    real = sorted(d for d in os.listdir(pkg)
                  if os.path.isfile(os.path.join(pkg, d, "__init__.py")) and d != "rules")
    assert sorted(named) == real


@pytest.mark.parametrize("b", marked("not-run"))
def test_not_run_blocks_name_existing_files(b):
    for word in b.text.split():
        if word.endswith(".py"):
            assert os.path.exists(os.path.join(ROOT, word)), word
