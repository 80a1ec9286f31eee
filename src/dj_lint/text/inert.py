"""Make document text and file names inert before a person's terminal sees them.

A document (or a file name) can carry terminal control sequences: OSC 52 writes
the user's clipboard, OSC 0 the window title, CSI 2J clears the screen, a raw C1
``\\x9b`` starts a CSI on some terminals, U+202E reverses what follows, and a
line break in a file name starts a new line, which GitHub Actions reads as a
workflow command (``::stop-commands::``). Every human-facing output passes such
data through :func:`visible`, which spells those characters out as escapes
(``\\x1b``, ``\\u202e``, ``\\n``) so they are shown, never obeyed.

Machine-readable formats (JSON, SARIF, JUnit, GitLab) escape through their own
encoders and keep the exact text.
"""
from __future__ import annotations

from . import pattern_cache

# C0 controls but tab, DEL, C1 controls, bidi embeddings/overrides/isolates and
# marks, the Unicode line and paragraph separators, and lone surrogates (bytes
# that did not decode; shown as \udcXX by Python's own backslashreplace anyway).
_UNSAFE = pattern_cache.compile_re(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_KEEP_TAB_NL = pattern_cache.compile_re(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\v": "\\v", "\f": "\\f", "\x1b": "\\x1b"}


def escape_char(ch: str) -> str:
    """The visible spelling of one unsafe character."""
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control, C1, bidi and separator character escaped (tab kept)."""
    if not isinstance(text, str):
        text = str(text)
    return _UNSAFE.sub(lambda m: escape_char(m.group()), text)


def visible_lines(text: str) -> str:
    """Like :func:`visible` but keeps line breaks: for multi-line output such as
    ``--dump-text`` or a diff, whose lines are the document's own lines."""
    return _UNSAFE_KEEP_TAB_NL.sub(lambda m: escape_char(m.group()), text)


def is_unsafe(ch: str) -> bool:
    return _UNSAFE.match(ch) is not None
