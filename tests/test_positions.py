"""For every finding on every seed, the original file's text at the reported
(line, column)-(end_line, end_column) is exactly the finding's text."""
import os
import re

import pytest

from dj_lint.text.document import Document
from dj_lint.text.sources import load_path
from dj_lint.engine import Context, Linter, shipped_rules
from golden_tool import AS_OF, SEEDS, seed_files


def slice_by_position(original: str, f) -> str:
    # Lines end at \r\n, \r or \n only (not at the other characters str.splitlines knows).
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", original)
    start = sum(len(l) for l in lines[:f.line - 1]) + f.column - 1
    end = sum(len(l) for l in lines[:f.end_line - 1]) + f.end_column - 1
    return original[start:end]


@pytest.mark.parametrize("seed", seed_files())
def test_finding_text_is_at_its_position(seed):
    doc = load_path(os.path.join(SEEDS, seed))
    findings = Linter(shipped_rules(), Context(as_of=AS_OF)).lint(doc)
    assert findings, "every seed has findings"
    for f in findings:
        assert slice_by_position(doc.original, f) == f.text, f
