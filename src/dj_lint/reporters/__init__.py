"""Output formats: one function per format, in one registry.

A reporter takes a Report and an options namespace and returns the text to
write; it never sees a rule object.
"""
from . import github, gitlab, html, json_report, junit, sarif, text

REPORTERS = {
    "text": text.render,
    "concise": text.render_concise,
    "json": json_report.render,
    "html": html.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
}
