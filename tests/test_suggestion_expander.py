"""A suggestion template filled by model/fixes.py ``expander`` (a ``%`` format of
the groups it names) gives what ``m.expand`` gives, for every kind of template,
and the shipped templates all take that way."""
from __future__ import annotations

import re

import pytest
import regex

from dj_lint.engine.linter import shipped_rules
from dj_lint.model.fixes import expander, template_form

_PATTERNS = [
    r"(?P<a>\d+)(?P<u>[%万])?(?P<sep>[-~])(?P<b>\d+)(?P=u)?",
    r"(?P<hit>(?P<n>二十)届(?P<p>[一二三]中全会))|(?P<other>x)",
]
_TEXTS = ["10-20", "10%-20%", "3万~5万", "二十届三中全会", "x", "1-2 与 3~4"]
_TEMPLATES = [
    "致富", "", "100%", "{a}", r"\g<a>—\g<b>", r"\g<a>\g<u>～\g<b>\g<u>", r"%\g<a>%%",
    r"\g<n>届\g<p>", r"“\g<other>”", r"\g<hit>年", r"\1-\2", r"\g<0>", r"\g<1>",
    r"a\nb", r"\\", r"\g<a>\t", r"\g<missing>", "\\",
]


def _expanded(m, template):
    try:
        return m.expand(template)
    except (IndexError, re.error, regex.error) as exc:
        return type(exc)


@pytest.mark.parametrize("module", [regex, re])
def test_expander_is_m_expand(module):
    checked = 0
    for source in _PATTERNS:
        pat = module.compile(source)
        for text in _TEXTS:
            for m in pat.finditer(text):
                for template in _TEMPLATES:
                    want = _expanded(m, template)
                    if isinstance(want, type):
                        with pytest.raises(want):
                            expander(template, pat.groupindex)(m)
                        continue
                    got = expander(template, pat.groupindex)(m)
                    assert got == want and type(got) is str, (source, text, template)
                    checked += 1
    assert checked > 50


def test_template_forms():
    assert template_form("致富") == ("致富", ())
    assert template_form("100%") == ("100%%", ())
    assert template_form(r"\g<a>—\g<b>") == ("%s—%s", ("a", "b"))
    # Numbered groups and escapes: left to m.expand.
    for template in (r"\1", r"\g<1>", r"a\nb", r"\\", "\\"):
        assert template_form(template) is None


def test_shipped_templates_are_filled_without_m_expand():
    templates = {r.options["suggestion"] for r in shipped_rules()
                 if r.kind == "pattern" and isinstance(r.options.get("suggestion"), str)}
    assert len(templates) > 20
    assert all(template_form(t) is not None for t in templates)
