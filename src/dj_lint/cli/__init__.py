"""Layer 10, command line: argument parsing and the ``dj-lint`` entry point."""
from .main import entry, main, run

__all__ = ["entry", "main", "run"]
