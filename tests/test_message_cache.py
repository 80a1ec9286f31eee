"""A finding's message made once per (template, text, suggestion, fields) and
kept (engine/linter.py ``_MESSAGES``) is the template formatted for that very
hit, whatever the hits before it: fields whose equal values format otherwise
(1 and True, 0.0 and -0.0) are never taken for each other."""
from __future__ import annotations

import dataclasses
import itertools

from dj_lint.engine import linter as linter_mod
from dj_lint.engine.linter import Linter, _SafeFields, shipped_rules
from dj_lint.model.findings import Hit

_TEMPLATES = ["“{text}”应为“{suggestion}”", "{n}处（{problem}）{text}", "{missing}与{n}", "无字段"]
_FIELDS = [None, {}, {"n": 1}, {"n": True}, {"n": 1.0}, {"n": 0.0}, {"n": -0.0}, {"n": "1"},
           {"n": 1, "problem": "缺"}, {"problem": "缺", "n": 1}, {"n": [1]}, {"n": {"a": 1}},
           {"text": "字段里的", "n": 2}, {"suggestion": "字段里的"}, {"n": 10 ** 30}]


def _plain(template, fields, text, suggestion):
    return template.format_map(_SafeFields(fields or (), text=text,
                                           suggestion=suggestion if suggestion is not None else ""))


def test_messages_are_formatted_for_each_hit(monkeypatch):
    monkeypatch.setattr(linter_mod, "_MESSAGES", {})
    base = shipped_rules()[0]
    rules = [dataclasses.replace(base, message=t) for t in _TEMPLATES]
    cases = list(itertools.product(rules, _FIELDS, ("原文", "跨\n行"), (None, "", "改")))
    for _ in range(2):  # cold, then every key met before
        for rule, fields, text, suggestion in cases:
            hit = Hit(0, len(text), rule, suggestion, fields)
            found = Linter._made("a.txt", hit, 1, 1, 1, len(text) + 1, text, text, None)
            assert found.message == _plain(rule.message, fields, text.replace("\n", "↵"), suggestion), \
                (rule.message, fields, text, suggestion)
    # Keyed by fields of str and int only: those of other types are formatted each time.
    assert linter_mod._MESSAGES
    assert all(type(v) in (str, int) for key in linter_mod._MESSAGES for v in key[3:])
