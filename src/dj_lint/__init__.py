"""dj-lint: a linter for Chinese Party-building documents."""

__version__ = "0.1.0"
