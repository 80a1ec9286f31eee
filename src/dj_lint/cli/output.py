"""Where and how the command line writes: the output format and colour."""
from __future__ import annotations

import os
import sys


def output_format(name: str) -> str:
    """--format auto: annotations inside GitHub Actions (as yamllint does), else text."""
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")
