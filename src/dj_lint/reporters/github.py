"""--format github: GitHub Actions workflow commands, one annotation a finding.

    ::error file=a.txt,line=3,col=1,endLine=3,endColumn=5,title=DJ201 unfilled-year::message

GitHub shows them on the pull request's changed lines. Values are escaped as
the runner expects: in the message %, CR and LF; in properties also : and ,.
The log is read by people too: any other control, C1 or bidi character (an ESC
in a file name, U+202E in a document) is spelled out (text/inert.py), never
passed to the log viewer raw.
"""
from __future__ import annotations

from ..text.inert import visible
from .paths import ci_path

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(s: str) -> str:
    return visible(s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, props: dict, message: str) -> str:
    joined = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return f"::{level} {joined}::{escape_data(message)}"


def render(report, options=None) -> str:
    lines = []
    for f in report.findings:
        props = {"file": ci_path(f.path), "line": f.line, "col": f.column, "endLine": f.end_line,
                 "endColumn": f.end_column, "title": f"{f.rule} {f.name}"}
        lines.append(_command(LEVELS[f.severity], props, f.message))
    for e in report.errors:
        lines.append(_command("error", {"file": ci_path(e.path), "title": "dj-lint"}, e.message))
    return "".join(line + "\n" for line in lines)
