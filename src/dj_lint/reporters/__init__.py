"""Output formats: one function per format, in one registry.

A reporter takes a Report and an options namespace and returns the text to
write; it never sees a rule object.
"""
from . import html, json_report, text

REPORTERS = {
    "text": text.render,
    "json": json_report.render,
    "html": html.render,
}
