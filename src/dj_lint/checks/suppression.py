"""kind: suppression — reports inline suppression comments that do nothing.

The directives themselves are applied by the engine (dj_lint.suppress) after
every other check has run, because only then is it known which directive
silenced a finding. This kind carries the rule (severity, message, whether
it is selected) and finds nothing on its own; suppress.apply() emits its hits
with the field ``reason``.
"""
from __future__ import annotations

from .base import Kind


class SuppressionKind(Kind):
    FIELDS: dict = {}
    MESSAGE_FIELDS = ("reason",)

    def check(self, doc):
        return iter(())
