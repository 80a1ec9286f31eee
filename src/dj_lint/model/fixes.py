"""Which findings carry a fix (the fix itself is planned in app/fix.py), and
the suggestions a rule's template makes from a match."""
from __future__ import annotations

import functools
from operator import itemgetter, methodcaller
from typing import Callable, Optional, Tuple


def is_fixable(rule, suggestion: Optional[str], matched: str) -> bool:
    """Whether a hit of ``rule`` with this suggestion has a fix that changes the text."""
    fix = getattr(rule, "fix", None)
    if not fix:
        return False
    if fix.get("action") == "replace":
        return suggestion is not None and suggestion != matched
    # Deleting nothing changes nothing; delete-line removes the line even then.
    return bool(matched) or fix.get("action") == "delete-line"


@functools.lru_cache(maxsize=None)
def template_form(template: str) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """A suggestion template (``m.expand``'s) as a ``%`` format and the names of
    the groups that fill its ``%s`` in turn, when it holds nothing but literal
    text and named references (``\\g<name>``); None for anything else (numbered
    references, escapes: expanded by ``m.expand``). Read without a regular
    expression: a warm start compiles none of its own."""
    first, *refs = template.split("\\g<")
    if "\\" in first:
        return None
    pieces, names = [first.replace("%", "%%")], []
    for ref in refs:
        name, closed, rest = ref.partition(">")
        if not closed or not name.isidentifier() or "\\" in rest:
            return None
        names.append(name)
        pieces.append(rest.replace("%", "%%"))
    return "%s".join(pieces), tuple(names)


def expander(template: str, groupindex) -> Callable:
    """``m.expand(template)`` as a function of a match ``m`` of a pattern with these
    named groups (its ``groupindex``): a literal template is the suggestion
    itself, one of ``template_form`` a ``%`` format of the groups it names
    (``m.expand`` compiled the template again at every call: 8,000 instructions
    a suggestion), anything else ``m.expand``."""
    form = template_form(template)
    if form is None or not all(name in groupindex for name in form[1]):
        return methodcaller("expand", template)
    fmt, names = form
    if not names:
        return lambda m: template
    # Group n is item n - 1 of ``m.groups("")`` ("" for a group that took no part).
    pick = itemgetter(*(groupindex[name] - 1 for name in names))
    return lambda m: fmt % pick(m.groups(""))
