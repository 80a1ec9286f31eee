"""Where and how the command line writes: the output format and colour."""
from __future__ import annotations

import os
import sys


def output_format(name: str) -> str:
    """--format auto: annotations inside GitHub Actions (as yamllint does), else text."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_colour(choice: str = "auto") -> bool:
    """--color always/never wins; auto: NO_COLOR turns colour off, FORCE_COLOR on,
    else colour only on a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return sys.stdout.isatty()
