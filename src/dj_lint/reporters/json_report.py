"""--format json: one object on stdout, as in design.md."""
from __future__ import annotations

from . import json_text


def render(report, options=None) -> str:
    doc = {
        "version": report.version,
        "as_of": report.as_of,
        "files": report.files,
        "findings": [f.as_dict() for f in report.findings],
        "errors": [e.as_dict() for e in report.errors],
    }
    if report.similar is not None:  # dj-lint similar: pairs, clusters, thresholds
        doc["similar"] = report.similar
    # Undecodable bytes live in the text as lone surrogates; escaping them keeps
    # the output valid JSON that round-trips through json.loads.
    return json_text.dumps(doc) + "\n"
