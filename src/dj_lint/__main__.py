"""``python -m dj_lint``, and the ``dj-lint`` command (pyproject's console script)."""
import gc


def entry() -> None:
    """``cli.entry`` with the garbage collector off from the first import on:
    importing the command line's modules made 40 young and 3 older collections
    (5-17 ms by gc.callbacks) of objects that live to the end. cli/main.py
    ``main`` keeps it off until the files are linted."""
    gc.disable()
    from .cli import entry as command
    command()


if __name__ == "__main__":  # not when --jobs under spawn imports it again in a worker
    entry()
