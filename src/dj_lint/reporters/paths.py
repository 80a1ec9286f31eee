"""One relative form of a path for CI formats, whatever form it was given in.

`reports/a.txt`, `./reports/a.txt`, `reports/../reports/a.txt` and the absolute
path of the same file are one artifact to a CI server: each becomes the
POSIX path relative to the working folder (the checkout, where CI runs).
A file outside the working folder keeps its absolute POSIX path; a name that
is not a file path (`<stdin>`) is left alone.
"""
from __future__ import annotations

import os


def ci_path(path: str) -> str:
    if path.startswith("<") and path.endswith(">"):
        return path
    absolute = os.path.normpath(os.path.abspath(path))
    cwd = os.getcwd()
    try:
        inside = os.path.commonpath([absolute, cwd]) == cwd
    except ValueError:  # another drive (Windows)
        inside = False
    shown = os.path.relpath(absolute, cwd) if inside else absolute
    return shown.replace(os.sep, "/")
