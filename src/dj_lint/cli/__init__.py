"""Layer 10, command line: argument parsing and the ``dj-lint`` entry point."""
from .main import main, run

__all__ = ["main", "run"]
