"""Correct official wording must stay clean: every sentence in tests/clean_sentences/
is linted on its own with every shipped rule, and no typo or formulation finding
may appear. These are the project's own sentences built on the central
formulations in their official wordings (a clerk told that the Party Constitution
is wrong stops trusting every other finding)."""
import datetime as dt
import os

import pytest

from dj_lint.text.document import Document
from dj_lint.engine import Context, Linter, shipped_rules

HERE = os.path.join(os.path.dirname(__file__), "clean_sentences")
WORDING = {"typo", "formulation"}


def _sentences():
    for name in sorted(os.listdir(HERE)):
        with open(os.path.join(HERE, name), encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                line = line.strip()
                if line and not line.startswith("#"):
                    yield pytest.param(line, id=f"{name}:{n}")


_LINTER = None


def _linter():
    global _LINTER
    if _LINTER is None:
        _LINTER = Linter(shipped_rules(), Context(as_of=dt.date(2026, 11, 21)))
    return _LINTER


@pytest.mark.parametrize("text", list(_sentences()))
def test_correct_sentence_has_no_wording_finding(text):
    findings = _linter().lint(Document(text + "\n", path="t.txt"))
    assert [(f.rule, f.text) for f in findings if f.category in WORDING] == []
