"""A standing fuzz and fault suite (issue 19).

Two parts, both deterministic (a seeded generator, so a failure replays):

- documents: DJ_LINT_FUZZ_DOCS generated hostile documents (default 10,000 in CI;
  set more by hand, e.g. ``DJ_LINT_FUZZ_DOCS=200000 pytest tests/test_fuzz_hostile.py``)
  are linted in-process; every finding's position must hold, and every reporter
  must render the whole batch: the text report inert (no raw control, C1 or bidi
  character, no line starting a GitHub workflow command), JSON, SARIF and GitLab
  valid JSON, JUnit well-formed XML.
- file names: DJ_LINT_FUZZ_NAMES files with hostile names (line breaks, ESC,
  ``::`` commands, bidi overrides, bytes that are not UTF-8) are linted by the real
  command in every format; outputs must parse and nothing may start a line with
  ``::`` outside ``--format github``'s own annotations.

Each part asserts how many cases it ran, so a suite that silently ran nothing fails.
"""
import json
import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from types import SimpleNamespace

from dj_lint.engine.linter import lint_text
from dj_lint.model.findings import Report
from dj_lint.reporters import REPORTERS
from test_fuzz import check_findings

DOCS = int(os.environ.get("DJ_LINT_FUZZ_DOCS", "10000"))
NAMES = int(os.environ.get("DJ_LINT_FUZZ_NAMES", "300"))
SEED = int(os.environ.get("DJ_LINT_FUZZ_SEED", "20261201"))

# Pieces of real reports, and the hostile material the campaign used.
REPORT = ["党支部", "党员大会", "____年", "20xx年", "XX镇", "**区", "第X次", "二〇XX年", "学*****思想",
          "三会一课", "四个意识", "一、", "（二）", "3.", "“", "”", "《", "》", "，", "。", "；", "(",
          ")", "……", "——", "版权所有", "www.example.cn", "第1页 共3页", "13800138000",
          "2015年6月31日", "下午16点", "十三五", "十七大精神", "&nbsp;", "</p>", "锟斤拷", "\u3000", " "]
HOSTILE = ["\x1b]52;c;aGk=\x07", "\x1b]0;title\x07", "\x1b[2J", "\x9b31m", "\u202e", "\u2066",
           "\u200f", "\x00", "\x08", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffd",
           "<!--<script>", "</script>", "]]>", "\"}", "\\", "::error::x", "\n::stop-commands::t\n",
           "%0A::warning::", "\udcff", "\udc80", "\U0001F600", "\u0301", "{text}", "{0}"]
NEWLINES = ["\n", "\r\n", "\r"]
UNSAFE = [chr(c) for c in range(0x20) if c not in (9, 10)] + [chr(c) for c in range(0x7F, 0xA0)] \
    + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def make_doc(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 40)):
        r = rng.random()
        if r < 0.45:
            parts.append(rng.choice(REPORT))
        elif r < 0.7:
            parts.append(rng.choice(HOSTILE))
        elif r < 0.85:
            parts.append("".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(1, 8))))
        elif r < 0.93:
            parts.append(rng.choice(NEWLINES))
        else:
            parts.append(chr(rng.randint(0, 0x2FFFF)) if rng.random() < 0.5
                         else "".join(rng.choice("*X×#_0123456789 ") for _ in range(rng.randint(1, 6))))
    return "".join(ch for ch in "".join(parts) if not 0xD800 <= ord(ch) <= 0xDBFF)


def test_generated_documents_never_break_linting_or_reporters():
    rng = random.Random(SEED)
    findings, sources, ran = [], {}, 0
    for i in range(DOCS):
        text = make_doc(rng)
        found = lint_text(text, path=f"fuzz/{i}.txt")
        check_findings(text, found)
        ran += 1
        if found:
            findings.extend(found)
            sources[f"fuzz/{i}.txt"] = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if len(findings) > 20000 or i == DOCS - 1:
            _render_all(findings, sources)
            findings, sources = [], {}
    assert ran == DOCS and DOCS >= 1


def _render_all(findings, sources):
    findings.sort(key=lambda f: f.sort_key())
    report = Report(findings=findings, errors=[], files=len(sources), as_of="2026-12-01",
                    version="fuzz", sources=sources, paths=sorted(sources))
    options = SimpleNamespace(colour=False, summary=True, output=None)
    text = REPORTERS["text"](report, options)
    bad = [c for c in UNSAFE if c in text]
    assert not bad, [hex(ord(c)) for c in bad]
    assert not any(line.startswith("::") for line in text.split("\n"))
    for fmt in ("json", "sarif", "gitlab"):
        json.loads(REPORTERS[fmt](report, options))
    ET.fromstring(REPORTERS["junit"](report, options).encode("utf-8"))


def _hostile_name(rng: random.Random, i: int) -> bytes:
    pieces = [b"\n", b"\x1b[2J", b"\x1b]0;t\x07", b"::stop-commands::tok", b"\xe2\x80\xae", b"\xff",
              b"\xfe", b"\x85", b" ", b"%0A", b"<>&\"'", b"\xe6\x8a\xa5\xe5\x91\x8a", b"-", b"\t",
              b"::error file=x::y"]
    name = b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
    return name + b"_%d.txt" % i


def test_hostile_file_names_in_every_format(tmp_path):
    rng = random.Random(SEED)
    folder = os.fsencode(tmp_path / "names")
    os.mkdir(folder)
    made = 0
    for i in range(NAMES):
        with open(os.path.join(folder, _hostile_name(rng, i)), "wb") as fh:
            fh.write(make_doc(rng).encode("utf-8", "surrogatepass") + "于____年召开。\n".encode("utf-8"))
        made += 1
    assert made == NAMES and len(os.listdir(folder)) == NAMES
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["GITHUB_ACTIONS"] = "true"  # the case where a line starting with :: is a command
    for fmt in ("text", "json", "sarif", "junit", "gitlab", "github", "html"):
        proc = subprocess.run([sys.executable, "-m", "dj_lint", "--no-config", "--format", fmt,
                               "names"], cwd=tmp_path, capture_output=True, env=env, timeout=600)
        assert proc.returncode == 1, (fmt, proc.stderr[-2000:])
        out = proc.stdout.decode("utf-8", "surrogateescape")
        err = proc.stderr.decode("utf-8", "surrogateescape")
        assert "Traceback" not in err, err[-2000:]
        lines = out.split("\n") + err.split("\n")
        if fmt == "github":
            # Only the report's own annotations, one per finding, start with "::".
            commands = [ln for ln in lines if ln.startswith("::")]
            assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in commands), \
                [ln for ln in commands if not ln.startswith(("::error ", "::warning ", "::notice "))][:3]
        else:
            assert not any(ln.startswith("::") for ln in lines), fmt
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(out)
        elif fmt == "junit":
            ET.fromstring(proc.stdout)
        elif fmt == "text":
            assert not [c for c in UNSAFE if c in out + err]
