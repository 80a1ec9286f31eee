"""The README's code blocks, found by the marker written above each of them.

A fenced block preceded by a line ``<!-- readme-test: NAME [key=value ...] -->``
is checked by a test that asks for NAME (tests/test_readme.py and
tests/test_precommit_readme.py). tests/test_readme.py also asserts that every
fenced block of the README carries such a marker, so a new example cannot be
added without saying how it is checked.
"""
from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from conftest import ROOT

README = os.path.join(ROOT, "README.md")
_MARKER = re.compile(r"^\s*<!--\s*readme-test:\s*(?P<name>[\w-]+)(?P<params>[^>]*?)\s*-->\s*$")
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<lang>[\w+-]*)\s*$")


@dataclass
class Block:
    name: Optional[str]      # None: no marker above the block
    lang: str
    text: str
    line: int                # 1-based line of the opening fence
    params: Dict[str, str] = field(default_factory=dict)


def blocks(path: str = README) -> List[Block]:
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i, marker = [], 0, None
    while i < len(lines):
        m = _MARKER.match(lines[i])
        if m:
            # key=value or key="a value with spaces"
            params = dict(p.split("=", 1) for p in shlex.split(m.group("params")) if "=" in p)
            marker = (m.group("name"), params)
            i += 1
            continue
        f = _FENCE.match(lines[i])
        if f:
            indent, fence = f.group("indent"), f.group("fence")
            body, j = [], i + 1
            while j < len(lines) and lines[j].strip() != fence:
                body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j])
                j += 1
            name, params = marker if marker else (None, {})
            out.append(Block(name, f.group("lang"), "\n".join(body) + "\n", i + 1, params))
            marker, i = None, j + 1
            continue
        if lines[i].strip():
            marker = None  # a marker applies only to the block right below it
        i += 1
    return out


def block(name: str) -> Block:
    found = [b for b in blocks() if b.name == name]
    assert len(found) == 1, f"README.md: expected one block marked readme-test: {name}, found {len(found)}"
    return found[0]
