"""Output formats: one function per format, in one registry.

A reporter takes a Report and an options namespace and returns the text to
write; it never sees a rule object. ``render_pieces`` gives the same text in
pieces, rendered as they are written, for the formats a large run makes large
(text, JSON). Each reporter's module is imported the first time its format is
asked for (the HTML and JUnit ones pull in html and xml modules a text run
never needs).
"""
from collections.abc import Mapping
from importlib import import_module

_FORMATS = {
    "text": ("text", "render"),
    "concise": ("text", "render_concise"),
    "json": ("json_report", "render"),
    "html": ("html", "render"),
    "github": ("github", "render"),
    "sarif": ("sarif", "render"),
    "junit": ("junit", "render"),
    "gitlab": ("gitlab", "render"),
}


class _Registry(Mapping):
    """{format: render function}, importing a reporter's module on first use."""

    def __getitem__(self, name):
        module, func = _FORMATS[name]
        return getattr(import_module(f"{__name__}.{module}"), func)

    def __iter__(self):
        return iter(_FORMATS)

    def __len__(self):
        return len(_FORMATS)


REPORTERS = _Registry()

# Formats whose text can be written piece by piece as it is rendered:
# format -> (module, generator function); joined, the pieces are the render.
_STREAMED = {
    "text": ("text", "chunks"),
    "concise": ("text", "chunks_concise"),
    "json": ("json_report", "chunks"),
}


def render_pieces(name: str, report, options=None):
    """The report in the format ``name`` as an iterable of strings: pieces
    produced as they are written for the streamed formats, one string otherwise."""
    if name in _STREAMED:
        module, func = _STREAMED[name]
        return getattr(import_module(f"{__name__}.{module}"), func)(report, options)
    return [REPORTERS[name](report, options)]
