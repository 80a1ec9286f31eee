"""--format json: one object on stdout, as in design.md."""
from __future__ import annotations

from . import json_text


def chunks(report, options=None):
    """The report in pieces, findings encoded as they are written (a large
    report is never held as one string); joined, the pieces are ``render``."""
    pairs = [
        ("version", report.version),
        ("as_of", report.as_of),
        ("files", report.files),
        ("findings", json_text.Stream(f.as_dict() for f in report.findings)),
        ("errors", [e.as_dict() for e in report.errors]),
    ]
    if report.similar is not None:  # dj-lint similar: pairs, clusters, thresholds
        pairs.append(("similar", report.similar))
    # Undecodable bytes live in the text as lone surrogates; escaping them keeps
    # the output valid JSON that round-trips through json.loads.
    yield from json_text.chunks(pairs)
    yield "\n"


def render(report, options=None) -> str:
    return "".join(chunks(report, options))
