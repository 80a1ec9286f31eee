"""--format junit: JUnit XML, one test case per file, one failure per finding.

CI servers (GitLab's test report, Jenkins, Azure) show a clean file as a
passed test and a file with findings as a failed one. A file that could not
be read is a test case with an <error>.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

# XML 1.0 cannot carry control characters or lone surrogates (undecodable bytes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(s: str) -> str:
    return _NOT_XML.sub(lambda m: "\\x%02x" % (ord(m.group()) & 0xFF), s)


def render(report, options=None) -> str:
    by_path = {}
    for p in report.paths:
        by_path.setdefault(p, [])
    for f in report.findings:
        by_path.setdefault(f.path, []).append(f)
    errors = {e.path: e for e in report.errors}
    failures = sum(1 for fs in by_path.values() if fs)
    suites = ET.Element("testsuites", name="dj-lint")
    suite = ET.SubElement(suites, "testsuite", name="dj-lint",
                          tests=str(len(by_path) + len(errors)), failures=str(failures),
                          errors=str(len(errors)), skipped="0")
    for path, found in by_path.items():
        case = ET.SubElement(suite, "testcase", classname="dj-lint", name=clean(path), file=clean(path))
        for f in found:
            fail = ET.SubElement(case, "failure", type=f"{f.rule} {f.name}", message=clean(f.message))
            fail.text = clean(f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.severity}] {f.message}\n"
                              f"“{f.text}”")
    for path, e in errors.items():
        case = ET.SubElement(suite, "testcase", classname="dj-lint", name=clean(path), file=clean(path))
        ET.SubElement(case, "error", type="unreadable", message=clean(e.message))
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
