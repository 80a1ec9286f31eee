"""dj-lint: a linter for Chinese Party-building documents."""

__version__ = "0.1.0"

from .text import codecache as _codecache  # noqa: E402

_codecache.install()
