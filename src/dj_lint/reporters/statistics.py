"""--statistics: how many findings each rule and each category produced.

Not a format of its own: it follows the text report, and goes to stderr
after a machine-readable one (json, sarif, ...) so that stays valid.
"""
from __future__ import annotations

from collections import Counter

from .text import SEVERITY_NAMES


def render(report) -> str:
    by_rule = Counter((f.rule, f.name, f.category, f.severity) for f in report.findings)
    by_cat = Counter(f.category for f in report.findings)
    width = len(str(len(report.findings)))  # the total is the widest number
    lines = ["按规则统计："]
    for (rule, name, cat, sev), n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"{n:>{width}}  {rule:<6} {SEVERITY_NAMES[sev]:<3} {cat:<11} {name}")
    lines.append("按类别统计：")
    for cat, n in sorted(by_cat.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"{n:>{width}}  {cat}")
    lines.append(f"{len(report.findings):>{width}}  合计")
    return "\n".join(lines) + "\n"
