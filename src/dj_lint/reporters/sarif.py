"""--format sarif: SARIF 2.1.0, for GitHub code scanning and other viewers.

One run; tool.driver.rules carries the metadata of every rule that ran
(from Report.rule_info, plain dicts filled by the CLI), each result points at
its rule by ruleId and ruleIndex. Columns count Unicode code points, which
the run declares with columnKind, so viewers place CJK text correctly.
"""
from __future__ import annotations

import os
import re
from urllib.parse import quote

from ..app.baseline import fingerprints
from . import json_text
from .paths import ci_path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


SRCROOT = "%SRCROOT%"


def artifact_location(path: str) -> dict:
    """A file under the working folder (the checkout) is a URI relative to
    %SRCROOT%, whatever form the path was given in (reporters.paths.ci_path);
    one outside it is an absolute file: URI. Non-ASCII names are percent-encoded."""
    shown = ci_path(path)
    if shown.startswith("/") or os.path.isabs(shown):
        return {"uri": _file_uri(shown)}
    return {"uri": _quote(shown), "uriBaseId": SRCROOT}


def _quote(path: str) -> str:
    # The file name's own bytes (os.fsencode undoes surrogateescape), so a name
    # that is not valid UTF-8 becomes a valid, exact percent-encoded URI.
    return quote(os.fsencode(path), safe="/")


def _file_uri(path: str) -> str:
    return "file://" + _quote(path)


def _rule(info: dict) -> dict:
    # Without a description, the message template (its {fields} elided) says what the rule finds.
    # The short description is always the rule's name: viewers list rules by it.
    description = info.get("description") or re.sub(r"\{\w+\}", "…", info["message"])
    short = info["name"]
    help_lines = [f"提示：{info['message']}"]
    if info.get("description"):
        help_lines.append(f"说明：{info['description']}")
    if info.get("source"):
        help_lines.append(f"依据：{info['source']}")
    help_lines.append(f"查看示例：dj-lint --explain {info['id']}")
    return {
        "id": info["id"],
        "name": info["name"],
        "shortDescription": {"text": short},
        "fullDescription": {"text": description},
        "help": {"text": "\n".join(help_lines)},
        "defaultConfiguration": {"level": LEVELS[info["severity"]]},
        "properties": {"category": info["category"], "tags": [info["category"]]},
    }


def _location(path: str, f=None) -> dict:
    loc = {"physicalLocation": {"artifactLocation": artifact_location(path)}}
    if f is not None:
        loc["physicalLocation"]["region"] = {
            "startLine": f.line, "startColumn": f.column,
            "endLine": f.end_line, "endColumn": f.end_column,
            "snippet": {"text": f.text},
        }
        if f.location:
            # A Word document: where a Word user finds it, as a logical location.
            loc["message"] = {"text": f.location["label"]}
            loc["logicalLocations"] = [{"name": f.location["label"], "kind": "element",
                                        "properties": {"word": f.location}}]
    return loc


def _related(where: dict) -> dict:
    loc = {"id": 1, "physicalLocation": {"artifactLocation": artifact_location(where["path"]),
                                         "region": {"startLine": where["line"],
                                                    "startColumn": where["column"],
                                                    "endLine": where["end_line"],
                                                    "endColumn": where["end_column"]}}}
    loc["message"] = {"text": "相同段落在另一份材料中的位置"}
    return loc


def render(report, options=None) -> str:
    info = dict(report.rule_info)
    for f in report.findings:  # a finding whose rule the CLI did not describe
        info.setdefault(f.rule, {"id": f.rule, "name": f.name, "category": f.category,
                                 "severity": f.severity, "message": f.message})
    ids = sorted(info)
    index = {rid: i for i, rid in enumerate(ids)}
    results = []
    for f, fp in zip(report.findings, fingerprints(report.findings, report.sources)):
        result = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": LEVELS[f.severity],
            "message": {"text": f.message},
            "locations": [_location(f.path, f)],
            "partialFingerprints": {"djLintContext/v1": fp},
        }
        if f.related is not None:  # copy: the same passage in the other document
            result["relatedLocations"] = [_related(f.related)]
        results.append(result)
    notifications = [{"level": "error", "message": {"text": e.message},
                      "locations": [_location(e.path)]} for e in report.errors]
    run = {
        "tool": {"driver": {"name": "dj-lint", "version": report.version,
                            "rules": [_rule(info[rid]) for rid in ids]}},
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {SRCROOT: {"uri": _file_uri(os.getcwd().rstrip("/")) + "/"}},
        "invocations": [{"executionSuccessful": not report.errors,
                         "toolExecutionNotifications": notifications}],
        "results": results,
    }
    if report.similar is not None:
        run["properties"] = {"similar": report.similar}
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json_text.dumps(doc) + "\n"
