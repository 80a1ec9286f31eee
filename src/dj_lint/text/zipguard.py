"""Bounds on a .docx (a zip archive) checked before any part is decompressed.

A 1 MB zip bomb named ``report.docx`` expands to gigabytes when python-docx
parses its parts; a file that declares tens of thousands of parts costs as much
in bookkeeping. The central directory states each part's uncompressed size, and
``zipfile`` never returns more bytes than a part declares, so checking the
declared sizes bounds what reading the document can cost.
"""
from __future__ import annotations

import io
import zipfile

MAX_PARTS = 5000
MAX_XML_PART = 64 * 1024 * 1024       # document.xml of a several-hundred-page report is ~10 MB
MAX_TOTAL = 512 * 1024 * 1024         # all parts, images included


class ZipTooLarge(Exception):
    """The archive is over a bound; the message says which, in Chinese."""


def check_archive(raw: bytes) -> None:
    """Raise ZipTooLarge (or zipfile.BadZipFile) when ``raw`` is not a zip within bounds."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        infos = z.infolist()
        if len(infos) > MAX_PARTS:
            raise ZipTooLarge(f"包含 {len(infos)} 个部件，超过上限 {MAX_PARTS}")
        total = 0
        for info in infos:
            total += info.file_size
            if info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_XML_PART:
                raise ZipTooLarge(f"部件 {info.filename} 解压后 {info.file_size // (1024 * 1024)} MB，"
                                  f"超过上限 {MAX_XML_PART // (1024 * 1024)} MB")
            if total > MAX_TOTAL:
                raise ZipTooLarge(f"解压后超过 {MAX_TOTAL // (1024 * 1024)} MB 上限")
