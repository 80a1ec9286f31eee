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
        ("findings", json_text.Stream(report.findings, _finding)),
        ("errors", [e.as_dict() for e in report.errors]),
    ]
    if report.similar is not None:  # dj-lint similar: pairs, clusters, thresholds
        pairs.append(("similar", report.similar))
    # Undecodable bytes live in the text as lone surrogates; escaping them keeps
    # the output valid JSON that round-trips through json.loads.
    yield from json_text.chunks(pairs)
    yield "\n"


_str = json_text.encode_string

# A plain finding's layout at an indent (``nl``, ``step``), as ``json.dumps`` lays
# it out there: a ``%`` format of its values, in the class's order.
_LAYOUTS: dict = {}
_FIELDS = (("path", "%s"), ("line", "%d"), ("column", "%d"), ("end_line", "%d"), ("end_column", "%d"),
           ("rule", "%s"), ("name", "%s"), ("category", "%s"), ("severity", "%s"), ("message", "%s"),
           ("text", "%s"), ("suggestion", "%s"), ("fixable", "%s"))


def _layout(nl: str, step: str) -> str:
    inner = (nl + step).replace("%", "%%")
    layout = _LAYOUTS[nl, step] = (
        "{" + ",".join(f'{inner}"{name}": {spec}' for name, spec in _FIELDS) + nl.replace("%", "%%") + "}")
    return layout


def _finding(f, nl: str, step: str) -> str:
    """``json_text.piece(f.as_dict(), nl, step)``, written field by field when
    every field is plain, by one ``%`` format of its values (a dict and the
    encoder's generic walk per finding: the findings of 200 benchmark corpus
    files, 9,275, took 592 -> 291 million instructions to write, callgrind; an
    f-string of the same pieces 2.7 us a finding, the format 2.2 us, 48,125
    findings of the benchmark corpus); anything else through ``as_dict``: a Word
    place or another side, a position or ``fixable`` not of its plain type, a
    text field that is no string (``_str`` refuses it; a str subclass is
    written alike either way)."""
    line, column, end_line, end_column, fixable = f.line, f.column, f.end_line, f.end_column, f.fixable
    if (f.location is None and f.related is None and (fixable is True or fixable is False)
            and type(line) is type(column) is type(end_line) is type(end_column) is int):
        suggestion = f.suggestion
        layout = _LAYOUTS.get((nl, step)) or _layout(nl, step)
        try:
            return layout % (
                _str(f.path), line, column, end_line, end_column, _str(f.rule), _str(f.name),
                _str(f.category), _str(f.severity), _str(f.message), _str(f.text),
                "null" if suggestion is None else _str(suggestion), "true" if fixable else "false")
        except TypeError:
            pass
    return json_text.piece(f.as_dict(), nl, step)


def render(report, options=None) -> str:
    return "".join(chunks(report, options))
