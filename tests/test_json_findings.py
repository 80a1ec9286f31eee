"""--format json writes a plain finding field by field (json_report._finding):
the same text as its ``as_dict`` through the generic encoder, byte for byte."""
from __future__ import annotations

import dataclasses
import json
import os

import pytest

from dj_lint.engine.linter import lint_text
from dj_lint.model.findings import Finding, Report
from dj_lint.reporters import json_report, json_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODD_TEXT = ["", "a\"b\\c\n\t\x00\x1f\x7f", "党的二十大", "\udc80\udcff", "😀", "\u2028\u202e"]


def _seed_findings():
    seeds = os.path.join(ROOT, "seeds")
    out = []
    for name in sorted(os.listdir(seeds))[:6]:
        with open(os.path.join(seeds, name), encoding="utf-8") as fh:
            out += lint_text(fh.read(), path=os.path.join("seeds", name))
    return out


def _variants(f):
    yield f
    for text in ODD_TEXT:
        yield dataclasses.replace(f, path=text or "p", message=text, text=text, suggestion=text,
                                  name=text, fixable=not f.fixable)
    yield dataclasses.replace(f, suggestion=None, line=10 ** 30)
    # Not plain: handed to as_dict and the generic encoder.
    yield dataclasses.replace(f, location={"label": "第 1 段", "part": "body"})
    yield dataclasses.replace(f, related={"path": "b.txt", "line": 2, "column": 1, "end_line": 2,
                                          "end_column": 3})
    for name in ("line", "column", "end_line", "end_column"):
        yield dataclasses.replace(f, **{name: True})
        yield dataclasses.replace(f, **{name: 2.0})
        yield dataclasses.replace(f, **{name: type("I", (int,), {})(3)})
    yield dataclasses.replace(f, suggestion=7)
    yield dataclasses.replace(f, message=None)
    yield dataclasses.replace(f, rule=type("S", (str,), {})("DJ001"))
    yield dataclasses.replace(f, fixable=1)


@pytest.fixture(scope="module")
def findings():
    found = _seed_findings()
    assert len(found) > 50 and any(f.suggestion is None for f in found) and any(f.fixable for f in found)
    return found


def test_a_finding_is_written_as_the_generic_encoder_writes_its_dict(findings):
    for f in findings[:40]:
        for v in _variants(f):
            for nl, step in (("\n    ", "  "), ("\n", "    ")):
                assert json_report._finding(v, nl, step) == json_text.piece(v.as_dict(), nl, step)


def test_plain_findings_take_the_fast_way(findings, monkeypatch):
    monkeypatch.setattr(json_text, "piece", lambda *a: pytest.fail("a plain finding went through as_dict"))
    for f in findings:
        json_report._finding(f, "\n    ", "  ")


def test_the_report_is_json_dumps_of_its_dicts(findings):
    report = Report(findings=findings, errors=[], files=6, as_of="2026-12-01", version="x")
    expected = json.dumps({"version": "x", "as_of": "2026-12-01", "files": 6,
                           "findings": [f.as_dict() for f in findings], "errors": []},
                          ensure_ascii=False, indent=2) + "\n"
    assert json_report.render(report) == expected
