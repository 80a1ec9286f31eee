"""Notes for people on stderr: one line each, made inert.

Every note names data that came from outside (a file name, a document's text, a
rule's message), and such data can carry a line break or a terminal escape. A
note is therefore always one line with ``dj-lint: `` in front and its
control, C1 and bidi characters spelled out, so it can neither drive the
terminal nor start a GitHub Actions workflow command (``::stop-commands::``).
"""
from __future__ import annotations

import sys

from ..text.inert import visible


def note(message: str) -> None:
    """Write ``dj-lint: message`` as one inert line on stderr; never raises."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(f"dj-lint: {visible(message)}\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def warn(message: str) -> None:
    note(f"警告：{message}")
