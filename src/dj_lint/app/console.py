"""Notes for people on stderr: one line each, made inert.

Every note names data that came from outside (a file name, a document's text, a
rule's message), and such data can carry a line break or a terminal escape. A
note is therefore always one line with ``dj-lint: `` in front and its
control, C1 and bidi characters spelled out, so it can neither drive the
terminal nor start a GitHub Actions workflow command (``::stop-commands::``).
"""
from __future__ import annotations

import os
import sys
import time

from ..text.inert import visible

# A run shorter than this prints no progress at all: a hook on three files
# must not flicker. DJ_LINT_PROGRESS_AFTER (seconds) changes it (0: at once).
PROGRESS_AFTER = 1.0
ENV_AFTER = "DJ_LINT_PROGRESS_AFTER"
_REDRAW = 0.1


class Progress:
    """``检查中 120/300 个文件（40%）`` on one stderr line, redrawn in place.

    Only when stderr is a terminal (never in a pipe, a log file or a hook's
    captured output) and only once the run has lasted PROGRESS_AFTER
    seconds. The line is erased before any note and when the run ends, so it
    never mixes with the report or the notes."""

    def __init__(self, total: int, verb: str = "检查中", stream=None):
        self.total, self.verb = total, verb
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.monotonic()
        self.after = _after()
        self.drawn_at = 0.0
        self.shown = False
        self.pid = os.getpid()  # a forked worker inherits the object: it never draws
        self.enabled = total > 1 and _is_terminal(self.stream)

    def __enter__(self):
        global _ACTIVE
        _ACTIVE = self
        return self

    def __exit__(self, *exc):
        global _ACTIVE
        self.clear()
        _ACTIVE = None
        return False

    def step(self, done: int) -> None:
        if not self.enabled or os.getpid() != self.pid:
            return
        now = time.monotonic()
        if now - self.start < self.after or now - self.drawn_at < _REDRAW and done < self.total:
            return
        self.drawn_at = now
        percent = done * 100 // self.total
        self._write(f"\r{self.verb} {done}/{self.total} 个文件（{percent}%）\x1b[K")
        self.shown = True

    def clear(self) -> None:
        if self.shown and os.getpid() == self.pid:
            self._write("\r\x1b[K")
            self.shown = False

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False


_ACTIVE = None


def _after() -> float:
    try:
        return max(0.0, float(os.environ.get(ENV_AFTER, PROGRESS_AFTER)))
    except ValueError:
        return PROGRESS_AFTER


def _is_terminal(stream) -> bool:
    if stream is None or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def note(message: str) -> None:
    """Write ``dj-lint: message`` as one inert line on stderr; never raises."""
    stream = sys.stderr
    if stream is None:
        return
    if _ACTIVE is not None:
        _ACTIVE.clear()  # a note starts at the line's beginning, never after the progress
    try:
        stream.write(f"dj-lint: {visible(message)}\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def warn(message: str) -> None:
    note(f"警告：{message}")
