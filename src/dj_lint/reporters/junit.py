"""--format junit: JUnit XML, one test case per finding, one passing case per clean file.

Jenkins, Azure DevOps, CircleCI and GitLab count and list test cases: with one
case per finding each finding is one failure a reviewer can see and track
(classname = the file, name = rule, name and position). A file without
findings is one passing case, so the file count shows too; a file that could
not be read is a case with an <error>.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..text.inert import visible
from .paths import ci_path

# XML 1.0 cannot carry control characters or lone surrogates (undecodable bytes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def clean(s: str) -> str:
    return _NOT_XML.sub(lambda m: "\\x%02x" % (ord(m.group()) & 0xFF), s)


def _case(suite, path: str, name: str, line=None) -> ET.Element:
    attrs = {"classname": clean(path), "name": clean(name), "file": clean(path)}
    if line is not None:
        attrs["line"] = str(line)
    return ET.SubElement(suite, "testcase", attrs)


def _finding_case(suite, f) -> None:
    path = ci_path(f.path)
    case = _case(suite, path, f"{f.rule} {f.name} ({f.line}:{f.column})", f.line)
    fail = ET.SubElement(case, "failure", type=clean(f"{f.rule} {f.name}"), message=clean(f.message))
    # The body is for people (and may be echoed into a CI log): data in it is made
    # inert, so a line break in a file name or a matched text cannot start a line.
    fail.text = clean(f"{visible(path)}:{f.line}:{f.column}: {f.rule} [{SEVERITY_NAMES[f.severity]}] "
                      f"{visible(f.message)}\n“{visible(f.text)}”")


def render(report, options=None) -> str:
    with_findings = {f.path for f in report.findings}
    errors = {e.path: e for e in report.errors}
    clean_files = [p for p in dict.fromkeys(report.paths)
                   if p not in with_findings and p not in errors]
    suites = ET.Element("testsuites", name="dj-lint")
    suite = ET.SubElement(suites, "testsuite", name="dj-lint",
                          tests=str(len(report.findings) + len(clean_files) + len(errors)),
                          failures=str(len(report.findings)), errors=str(len(errors)), skipped="0")
    for f in report.findings:
        _finding_case(suite, f)
    for path in clean_files:
        _case(suite, ci_path(path), "dj-lint")
    for path, e in errors.items():
        case = _case(suite, ci_path(path), "dj-lint")
        ET.SubElement(case, "error", type="unreadable", message=clean(e.message))
    for key in ("tests", "failures", "errors"):
        suites.set(key, suite.get(key))
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
