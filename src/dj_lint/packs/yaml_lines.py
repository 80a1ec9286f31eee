"""Line numbers for rule-file errors, computed only when there is an error.

Loading a pack uses plain ``yaml.load`` (libyaml, no node marks kept) because
start-up time matters; when a rule turns out to be bad, the file is composed
once more into nodes to find the line of the rule and of the offending key, so
the message names file, line, rule and key: ``rules/x.yaml:12: DJ201: unknown
field 'patern'``.
"""
from __future__ import annotations

import re
from typing import Optional

import yaml

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

# The key a loader message is about: "field 'x'", "unknown field 'x'", "unknown kind …".
_FIELD = re.compile(r"field '([^'.\[\]]+)")
_TOP_KEY = re.compile(r"^(?:unknown |duplicate )?(kind|category|severity|examples|fix|id)\b")


def _items(root):
    """The sequence node holding the rules (a list, or the list under `rules:`)."""
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "rules":
                root = value
                break
    return root.value if isinstance(root, yaml.SequenceNode) else []


def key_of(message: str) -> Optional[str]:
    m = _FIELD.search(message)
    if m and not message.startswith("missing"):
        return m.group(1)
    m = _TOP_KEY.match(message)
    return m.group(1) if m else None


def rule_line(path: str, index: int, message: str = "") -> Optional[int]:
    """1-based line of rule ``index`` in ``path``, or of the key ``message`` is about."""
    try:
        with open(path, "rb") as fh:
            root = yaml.compose(fh, Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return None
    items = _items(root)
    if not 0 <= index < len(items):
        return None
    item = items[index]
    key = key_of(message)
    if key and isinstance(item, yaml.MappingNode):
        for k, _ in item.value:
            if k.value == key:
                return k.start_mark.line + 1
    return item.start_mark.line + 1


def with_line(message: str, path: str, label: str, index: int) -> str:
    """``label: RULE: why`` → ``label:LINE: RULE: why`` (unchanged if no line is found)."""
    prefix = label + ": "
    if not message.startswith(prefix):
        return message
    line = rule_line(path, index, message[len(prefix):].split(": ", 1)[-1])
    return f"{label}:{line}: {message[len(prefix):]}" if line else message
