"""--fix, --unsafe-fixes and --diff: exact results of each fix action, overlap and
convergence, byte-exact round trips in every supported encoding and newline style,
atomic writes that fail cleanly, and untouched files keeping their mtime.

The shipped packs declare their own fixes (checked through their `fixed:`
examples in test_examples.py); the rules here are written for these tests so
that every action and safety level is covered whatever the packs contain.
"""
import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT
from golden_tool import SEEDS, seed_files
from dj_lint.text.document import Document
from dj_lint.text.sources import load_path
from dj_lint.engine import Context, Linter, shipped_rules
from dj_lint.app.fix import WriteError, fix_document, fixed_bytes, unified_diff, write_atomic
from dj_lint.packs.loader import NEVER_FIXED, RuleError, parse_rule

PACK = r"""
- id: DJ301
  name: t-watermark-line
  category: watermark
  severity: error
  kind: pattern
  pattern: '本文来自\S*'
  message: 删除网站水印行
  fix: {action: delete-line, safety: safe}
  examples: {bad: [{text: "本文来自某网", match: 本文来自某网}], good: [正文]}
- id: DJ302
  name: t-inline-watermark
  category: watermark
  severity: error
  kind: pattern
  pattern: '（本资料权属[^）]*）'
  message: 删除插入正文的水印
  fix: {action: delete, safety: safe}
  examples: {bad: [{text: "甲（本资料权属某网）乙", match: （本资料权属某网）}], good: [正文]}
- id: DJ701
  name: t-typo
  category: typo
  severity: warning
  kind: terms
  terms: [{座落: 坐落}, {既使: 即使}]
  message: 错别字“{text}”，应为“{suggestion}”
  fix: {action: replace, safety: safe}
  examples: {bad: [{text: 座落于此, match: 座落}], good: [坐落于此]}
- id: DJ801
  name: t-half-width-comma
  category: punctuation
  severity: warning
  kind: pattern
  pattern: '(?<=\p{Han}),(?=\p{Han})'
  suggestion: '，'
  message: 中文之间应使用全角逗号
  fix: {action: replace, safety: safe}
  examples: {bad: [{text: '甲,乙', match: ','}], good: ['甲，乙']}
- id: DJ901
  name: t-percent-space
  category: number
  severity: info
  kind: pattern
  pattern: '(\d) +%'
  suggestion: '\1%'
  message: 百分号前不空格
  fix: {action: replace, safety: unsafe}
  examples: {bad: [{text: '30 %', match: '30 %'}], good: ['30%']}
- id: DJ702
  name: t-no-suggestion
  category: typo
  severity: info
  kind: pattern
  pattern: '某某'
  message: 需要人工确认
  fix: {action: replace, safety: safe}
  examples: {bad: [{text: 某某, match: 某某}], good: [正文]}
- id: DJ703
  name: t-line-break
  category: typo
  severity: info
  kind: pattern
  pattern: '〔断行〕'
  suggestion: "\n"
  message: 应断行
  fix: {action: replace, safety: safe}
  examples: {bad: [{text: 甲〔断行〕乙, match: 〔断行〕}], good: [正文]}
"""
RULES = [parse_rule(item, "test-pack") for item in yaml.safe_load(PACK)]
AS_OF = dt.date(2026, 11, 21)


def linter(rules=RULES):
    return Linter(rules, Context(as_of=AS_OF))


def fixed(text, unsafe=False, rules=RULES):
    return fix_document(Document(text, path="t.txt"), linter(rules), unsafe=unsafe).doc.original


# -- the actions ------------------------------------------------------------
def test_replace_delete_and_unsafe():
    text = "党总支,连续五年座落于此（本资料权属文秘家园）。增长30 %。\n"
    assert fixed(text) == "党总支，连续五年坐落于此。增长30 %。\n"
    assert fixed(text, unsafe=True) == "党总支，连续五年坐落于此。增长30%。\n"


@pytest.mark.parametrize("before,after", [
    ("甲\n本文来自某网\n乙\n", "甲\n乙\n"),                      # a middle line
    ("甲\n\n本文来自某网\n\n乙\n", "甲\n\n乙\n"),                # no doubled blank line
    ("本文来自某网\n\n标题\n", "标题\n"),                        # no blank line at the start
    ("甲\n\n本文来自某网\n", "甲\n"),                            # no blank line at the end
    ("甲\n本文来自某网", "甲"),                                  # last line without terminator
    ("甲\n本文来自甲\n本文来自乙\n乙\n", "甲\n乙\n"),            # adjacent lines merge
    ("甲\n\n本文来自甲\n\n本文来自乙\n\n乙\n", "甲\n\n乙\n"),
    ("本文来自某网", ""),                                        # the whole file
    ("甲\r\n\r\n本文来自某网\r\n\r\n乙\r\n", "甲\r\n\r\n乙\r\n"),  # CRLF
    ("甲\r本文来自某网\r乙", "甲\r乙"),                          # CR
])
def test_delete_line(before, after):
    assert fixed(before) == after


def test_replacement_newline_takes_the_files_style():
    assert fixed("甲〔断行〕乙\r\n丙\r\n") == "甲\r\n乙\r\n丙\r\n"
    assert fixed("甲〔断行〕乙\r丙\r") == "甲\r乙\r丙\r"
    assert fixed("甲〔断行〕乙") == "甲\n乙"


def test_fixable_is_per_finding():
    found = {f.rule: f.fixable for f in linter().lint(Document("某某座落于此，30 %", path="t.txt"))}
    # A replace fix without a suggestion has nothing to put in; unsafe fixes still count.
    assert found == {"DJ702": False, "DJ701": True, "DJ901": True}
    assert fixed("某某") == "某某"


def test_suggestion_equal_to_text_is_not_fixable():
    same = parse_rule(dict(yaml.safe_load(PACK)[4], id="DJ902", suggestion=r"\g<0>"), "t")
    [f] = linter([same]).lint(Document("30 %", path="t.txt"))
    assert f.fixable is False


# -- overlap, convergence, idempotence ---------------------------------------
def test_fix_revealing_another_converges_in_one_run():
    text = "座（本资料权属文秘家园）落于此\n"
    result = fix_document(Document(text, path="t.txt"), linter())
    assert result.doc.original == "坐落于此\n"
    assert (len(result.rounds), result.applied, result.converged) == (2, 2, True)
    assert fixed(result.doc.original) == result.doc.original


def test_overlapping_fixes_are_resolved_deterministically():
    # DJ302 deletes the whole parenthesis; DJ701 would fix 座落 inside it.
    text = "甲（本资料权属座落网）乙\n"
    for rules in (RULES, RULES[::-1]):
        result = fix_document(Document(text, path="t.txt"), linter(rules))
        assert result.doc.original == "甲乙\n"
        assert [e.rule for e in result.rounds[0].edits] == ["DJ302"]
    # The same span from two rules: the smaller rule id wins, in any rule order.
    a = parse_rule(dict(yaml.safe_load(PACK)[3], id="DJ804", pattern="座落", suggestion="坐落"), "t")
    b = parse_rule(dict(yaml.safe_load(PACK)[3], id="DJ805", pattern="座落于", suggestion="位于"), "t")
    for rules in ([a, b], [b, a]):
        assert fixed("座落于此", rules=rules) == "坐落于此"


def test_fixes_that_undo_each_other_stop_with_a_note():
    ab = parse_rule(dict(yaml.safe_load(PACK)[2], id="DJ706", terms=[{"甲": "乙"}]), "t")
    ba = parse_rule(dict(yaml.safe_load(PACK)[2], id="DJ707", terms=[{"乙": "甲"}]), "t")
    result = fix_document(Document("甲", path="t.txt"), linter([ab, ba]))
    assert result.converged is False
    assert "未收敛" in result.notes[-1]


def test_replacement_the_encoding_cannot_hold_is_skipped():
    smile = parse_rule(dict(yaml.safe_load(PACK)[2], id="DJ708", terms=[{"笑脸": "😀"}]), "t")
    doc = Document.from_bytes("一个笑脸，座落".encode("gbk"), path="t.txt", encoding="gbk")
    result = fix_document(doc, linter([smile, RULES[2]]))
    assert result.doc.original == "一个笑脸，坐落"
    assert result.notes == ["t.txt:1:3: DJ708 的修复文本“😀”无法用 gbk 编码，已跳过该修复"]


# -- the rule loader ---------------------------------------------------------
@pytest.mark.parametrize("category", NEVER_FIXED)
def test_categories_that_need_a_human_cannot_declare_a_fix(category):
    item = dict(yaml.safe_load(PACK)[0], category=category)
    with pytest.raises(RuleError) as exc:
        parse_rule(item, "rules/x.yaml")
    assert str(exc.value) == (f"rules/x.yaml: DJ301: fix: a rule of category '{category}' "
                              "needs a human and may not declare a fix")


def test_fixed_example_needs_a_fix():
    item = dict(yaml.safe_load(PACK)[0])
    del item["fix"]
    item["examples"] = {"bad": [{"text": "本文来自某网", "match": "本文来自某网", "fixed": ""}],
                        "good": ["正文"]}
    with pytest.raises(RuleError, match=r"DJ301: examples.bad\[0\]: 'fixed' needs a 'fix'"):
        parse_rule(item, "rules/x.yaml")


def _shipped_fix_examples():
    for rule in shipped_rules():
        if rule.fix:
            for i, ex in enumerate(rule.examples["bad"]):
                yield pytest.param(rule, ex, id=f"{rule.id}-bad{i}")


@pytest.mark.parametrize("rule,example", list(_shipped_fix_examples()))
def test_shipped_fix_resolves_its_bad_example(rule, example):
    """Whether or not the example spells out `fixed:`, one --fix --unsafe-fixes run
    leaves nothing fixable for the rule, and a second run changes nothing."""
    as_of = example.get("as_of")
    ctx = Context(as_of=dt.date.fromisoformat(str(as_of)) if as_of else AS_OF,
                  doc_type=example.get("doc_type"))
    lint = Linter([rule], ctx)
    doc = Document(example["text"], path=example.get("path", "example.txt"))
    result = fix_document(doc, lint, unsafe=True)
    assert result.converged and result.notes == []
    assert [f.text for f in result.findings if f.fixable] == []
    assert result.changed == any(f.fixable for f in result.initial_findings)
    again = fix_document(result.doc, lint, unsafe=True)
    assert again.doc.original == result.doc.original


@pytest.mark.parametrize("seed", seed_files())
def test_fixed_seed_has_nothing_fixable_left(seed):
    """The seeds after --fix (and after --fix --unsafe-fixes): nothing left that the
    same fixes would change, and the bytes still round-trip in the seed's encoding."""
    doc = load_path(os.path.join(SEEDS, seed))
    lint = Linter(shipped_rules(), Context(as_of=AS_OF))
    rules = {r.id: r for r in lint.rules}
    for unsafe in (False, True):
        result = fix_document(doc, lint, unsafe=unsafe)
        assert result.converged and result.notes == []
        left = [(f.line, f.rule, f.text) for f in result.findings if f.fixable
                and (unsafe or rules[f.rule].fix.get("safety", "safe") == "safe")]
        assert left == []
        assert fix_document(result.doc, lint, unsafe=unsafe).rounds == []
        if result.changed:
            assert fixed_bytes(doc, result.doc).decode(doc.encoding) == result.doc.original


# -- the command, on real files ----------------------------------------------
@pytest.fixture
def run(tmp_path):
    """The real dj-lint command in a subprocess, configured to run only the test pack."""
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK, encoding="utf-8")
    config = tmp_path / "dj-lint.yaml"
    config.write_text(yaml.safe_dump({"rules": [pack.name], "select": [r.id for r in RULES]}),
                      encoding="utf-8")

    def _run(*args, input=None):
        env = dict(os.environ, NO_COLOR="1")
        return subprocess.run([sys.executable, "-m", "dj_lint", "--config", str(config),
                               "--as-of", "2026-11-21", *args],
                              input=input, capture_output=True, cwd=ROOT, env=env)
    return _run


BAD = "标题\n\n本文来自某某网\n\n党总支,连续五年座落于此,增长30 %。\n"
GOOD = "标题\n\n党总支，连续五年坐落于此，增长30 %。\n"  # the unsafe 30 % stays


@pytest.mark.parametrize("name,encode", [
    ("gb18030", lambda s: s.encode("gb18030")),
    ("gb18030-undecodable", lambda s: s.encode("gb18030") + b"\xff\x80"),
    ("utf-8-bom", lambda s: b"\xef\xbb\xbf" + s.encode("utf-8")),
    ("utf-16-le-bom", lambda s: b"\xff\xfe" + s.encode("utf-16-le")),
    ("utf-16-be-bom", lambda s: b"\xfe\xff" + s.encode("utf-16-be")),
    ("crlf", lambda s: s.replace("\n", "\r\n").encode("utf-8")),
    ("cr", lambda s: s.replace("\n", "\r").encode("utf-8")),
    ("crlf-no-final-newline", lambda s: s.rstrip("\n").replace("\n", "\r\n").encode("utf-8")),
])
def test_round_trip_is_byte_exact(run, tmp_path, name, encode):
    p = tmp_path / "report.txt"
    p.write_bytes(encode(BAD))
    os.chmod(p, 0o640)
    r = run("--fix", str(p))
    assert r.returncode == 1, r.stderr.decode()  # the unsafe 30 % remains
    assert p.read_bytes() == encode(GOOD)
    assert oct(os.stat(p).st_mode & 0o7777) == oct(0o640)
    assert f"{p}：已修复 4 处" in r.stderr.decode()
    assert r.stdout.decode().startswith(f"{p}:3:17: DJ901 ")
    assert sorted(os.listdir(tmp_path)) == ["dj-lint.yaml", "pack.yaml", "report.txt"]  # no temporary left


def test_unsafe_fixes_and_second_run_changes_nothing(run, tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(BAD, encoding="utf-8")
    r = run("--fix", "--unsafe-fixes", str(p))
    assert r.returncode == 0, r.stdout.decode()
    assert p.read_text(encoding="utf-8") == GOOD.replace("30 %", "30%")
    before = os.stat(p)
    r = run("--fix", "--unsafe-fixes", str(p))
    assert r.returncode == 0 and "共自动修复 0 处" in r.stderr.decode()
    assert os.stat(p).st_mtime_ns == before.st_mtime_ns and os.stat(p).st_ino == before.st_ino


def test_file_without_fixes_keeps_its_mtime(run, tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("党总支连续五年坐落于此。\n某某\n", encoding="utf-8")  # 某某 has no usable fix
    os.utime(p, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    ino = os.stat(p).st_ino
    r = run("--fix", "--unsafe-fixes", str(p))
    assert r.returncode == 1 and "DJ702" in r.stdout.decode()
    assert os.stat(p).st_mtime_ns == 1_600_000_000_000_000_000 and os.stat(p).st_ino == ino


def test_diff_shows_the_change_and_writes_nothing(run, tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(BAD, encoding="utf-8")
    os.utime(p, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    r = run("--diff", str(p))
    assert r.returncode == 1
    name = str(p).lstrip("/")
    assert r.stdout.decode() == (
        f"--- a/{name}\n+++ b/{name}\n@@ -1,5 +1,3 @@\n 标题\n \n-本文来自某某网\n-\n"
        "-党总支,连续五年座落于此,增长30 %。\n+党总支，连续五年坐落于此，增长30 %。\n")
    assert "可自动修复 4 处（1 个文件），未改动任何文件" in r.stderr.decode()
    assert p.read_text(encoding="utf-8") == BAD
    assert os.stat(p).st_mtime_ns == 1_600_000_000_000_000_000
    # --diff wins over --fix; a file with nothing to fix gives exit 0 and no diff.
    assert run("--diff", "--fix", str(p)).returncode == 1 and p.read_text(encoding="utf-8") == BAD
    q = tmp_path / "clean.txt"
    q.write_text(GOOD, encoding="utf-8")
    r = run("--diff", str(q))
    assert (r.returncode, r.stdout) == (0, b"")


def test_diff_marks_a_missing_final_newline():
    assert unified_diff("r.txt", "座落", "坐落") == (
        "--- a/r.txt\n+++ b/r.txt\n@@ -1 +1 @@\n-座落\n\\ No newline at end of file\n"
        "+坐落\n\\ No newline at end of file\n")


def test_json_marks_fixable(run, tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("某某座落于此\n", encoding="utf-8")
    data = json.loads(run("--format", "json", str(p)).stdout)
    assert [(f["rule"], f["fixable"]) for f in data["findings"]] == [("DJ702", False), ("DJ701", True)]
    data = json.loads(run("--fix", "--format", "json", str(p)).stdout)
    assert [(f["rule"], f["fixable"]) for f in data["findings"]] == [("DJ702", False)]


def test_stdin_fix_prints_the_fixed_text(run):
    raw = BAD.replace("\n", "\r\n").encode("gb18030")
    r = run("--fix", "-", "--stdin-filename", "r.txt", input=raw)
    assert r.returncode == 1
    assert r.stdout == GOOD.replace("\n", "\r\n").encode("gb18030")
    assert "r.txt:3:17: DJ901" in r.stderr.decode()
    r = run("--fix", "-", input="坐落\n".encode())
    assert (r.returncode, r.stdout) == (0, "坐落\n".encode())


def test_usage_errors(run, tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(BAD, encoding="utf-8")
    r = run("--unsafe-fixes", str(p))
    assert r.returncode == 2
    assert r.stderr.decode() == "dj-lint: --unsafe-fixes 只能与 --fix 或 --diff 一起使用\n"
    r = run("--fix", "-", str(p), input=b"")
    assert r.returncode == 2 and r.stderr.decode().count("\n") == 1
    assert p.read_text(encoding="utf-8") == BAD


def test_symlink_is_written_through(run, tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(BAD, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(p)
    assert run("--fix", str(link)).returncode == 1
    assert link.is_symlink() and p.read_text(encoding="utf-8") == GOOD


# -- failures leave the file intact -----------------------------------------
def _immutable(path, on=True):
    """chattr +i stops even root (chmod does not); skip where the file system lacks it."""
    if not shutil.which("chattr"):
        pytest.skip("chattr is not installed: cannot make a path unwritable for root")
    r = subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True)
    if on and r.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {r.stderr.decode().strip()}")


@pytest.mark.parametrize("what", ["file", "directory"])
def test_unwritable_target_exits_2_and_leaves_the_file_intact(run, tmp_path, what):
    folder = tmp_path / "reports"
    folder.mkdir()
    p = folder / "r.txt"
    p.write_text(BAD, encoding="utf-8")
    target = p if what == "file" else folder
    _immutable(target)
    try:
        r = run("--fix", str(p))
    finally:
        _immutable(target, on=False)
    assert r.returncode == 2
    assert p.read_text(encoding="utf-8") == BAD
    assert os.listdir(folder) == ["r.txt"]
    [line] = [l for l in r.stdout.decode().splitlines() if l.startswith(f"{p}: [错误]")]
    assert line.startswith(f"{p}: [错误] 无法写回：") and line.endswith("原文件未改动")
    assert "Traceback" not in r.stderr.decode()


def test_file_changed_since_it_was_read_is_not_overwritten(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(b"edited meanwhile")
    with pytest.raises(WriteError, match="被修改"):
        write_atomic(str(p), b"fixed", expected=b"as read")
    assert p.read_bytes() == b"edited meanwhile"
    assert os.listdir(tmp_path) == ["r.txt"]


def test_text_that_does_not_encode_back_exactly_is_never_rewritten():
    # A lone surrogate that is not an escaped byte cannot be written as UTF-16.
    doc = Document("座落\ud800", path="t.txt", encoding="utf-16-le", bom=b"\xff\xfe",
                   raw=b"\xff\xfe" + "座落".encode("utf-16-le") + b"\x00\xd8")
    result = fix_document(doc, linter())
    assert result.doc.original == "坐落\ud800"
    with pytest.raises(WriteError, match="逐字节"):
        fixed_bytes(doc, result.doc)


def test_docx_is_reported_but_never_written(run, tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("党总支,连续五年座落于此。")
    p = tmp_path / "r.docx"
    d.save(str(p))
    before = p.read_bytes()
    r = run("--fix", str(p))
    assert r.returncode == 1
    assert "DJ701" in r.stdout.decode() and "DJ801" in r.stdout.decode()
    assert "只有纯文本文件能自动修复" in r.stderr.decode()
    assert p.read_bytes() == before
