"""Clean, modern reports must produce no finding at all from all packs together.

For political wording a false positive is worse than a miss, so every file in
tests/clean/ is a complete, correct report that must stay silent."""
import datetime as dt
import os

import pytest

from dj_lint.text.document import Document
from dj_lint.text.sources import load_path
from dj_lint.engine import Context, Linter, shipped_rules

CLEAN = os.path.join(os.path.dirname(__file__), "clean")


@pytest.mark.parametrize("name", sorted(os.listdir(CLEAN)))
def test_clean_report_has_no_findings(name):
    doc = load_path(os.path.join(CLEAN, name))
    findings = Linter(shipped_rules(), Context(as_of=dt.date(2026, 11, 21))).lint(doc)
    assert [(f.line, f.column, f.rule, f.text) for f in findings] == []
