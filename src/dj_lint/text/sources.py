"""Where a Document's text comes from: a file path (plain text or .docx) or stdin.

Document itself does no I/O; these functions read the bytes and build it.
"""
from __future__ import annotations

import sys
from typing import Optional

from .document import Document, InputError
from .oserrors import os_reason
from .safe_read import read_bytes

# Word formats (docx_input.LEGACY_SUFFIXES too): docx_input, with its zip and XML
# modules, is imported only for them.
WORD_SUFFIXES = (".docx", ".doc", ".wps", ".odt")


def load_path(path: str, encoding: Optional[str] = None, display: Optional[str] = None) -> Document:
    """The Document of a file: .docx through its text model, anything else decoded."""
    if path.lower().endswith(WORD_SUFFIXES):
        from .docx_input import load_docx
        return load_docx(path, display)
    try:
        # Not open().read(): a FIFO would block forever, /dev/zero never end.
        raw = read_bytes(path)
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件") from None
    except PermissionError:
        raise InputError("没有读取权限") from None
    except FileNotFoundError:
        raise InputError("文件不存在") from None
    except OSError as exc:
        raise InputError(f"无法读取：{os_reason(exc)}") from None
    return Document.from_bytes(raw, path=display or path, encoding=encoding)


def load_stdin(name: Optional[str] = None, encoding: Optional[str] = None) -> Document:
    return Document.from_bytes(sys.stdin.buffer.read(), path=name or "<stdin>", encoding=encoding)
