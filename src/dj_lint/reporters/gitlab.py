"""--format gitlab: GitLab Code Quality report (a JSON array of issues).

Saved as the `codequality` artifact, the findings show in the merge request.
The fingerprint must be stable across runs and unique in the report: it
hashes the file, rule, text and surrounding characters (as the baseline does)
and which occurrence of that key it is — not the line number, so editing
lines above a finding does not make GitLab see it as new.
"""
from __future__ import annotations

from . import json_text

from ..app.baseline import fingerprints
from .paths import ci_path

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def _path(path: str) -> str:
    return ci_path(path)


def render(report, options=None) -> str:
    issues = []
    for f, fp in zip(report.findings, fingerprints(report.findings, report.sources)):
        issues.append({
            "type": "issue",
            "description": f"{f.rule} {f.message}",
            "check_name": f.rule,
            "fingerprint": fp,
            "severity": SEVERITIES[f.severity],
            "categories": ["Style"],
            "location": {"path": _path(f.path),
                         "lines": {"begin": f.line, "end": f.end_line}},
        })
    return json_text.dumps(issues) + "\n"
