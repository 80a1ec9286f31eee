"""Legacy word-processor files (.doc, .wps, .odt) through LibreOffice.

``soffice --headless --convert-to docx`` writes the converted copy into a
temporary folder (the user's file and folder are never touched); the .docx
bytes are then read like any Word file.  Without LibreOffice the file is an
input error with the fix in one line, never a silent "未发现问题".
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from .document import InputError

# Converting one document takes 2-3 s; a stuck conversion is stopped here.
TIMEOUT = 120
_NAMES = ("soffice", "libreoffice")


def soffice() -> str:
    """The LibreOffice executable, or "" when none is installed.
    ``DJLINT_SOFFICE`` names one explicitly (an empty value: none)."""
    if "DJLINT_SOFFICE" in os.environ:
        return os.environ["DJLINT_SOFFICE"]
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return ""


def _missing(suffix: str) -> InputError:
    return InputError(f"无法读取 {suffix} 文件：需要 LibreOffice 转换，但未安装；"
                      "请在 Word 或 WPS 中另存为 .docx 后再检查（或安装 LibreOffice）")


def convert(path: str, fmt: str = "docx", outdir: str = None) -> str:
    """Convert ``path`` with LibreOffice into ``outdir``; returns the new file's path."""
    exe = soffice()
    suffix = os.path.splitext(path)[1].lower() or "该"
    if not exe:
        raise _missing(suffix)
    src = os.path.abspath(path)
    with tempfile.TemporaryDirectory(prefix="dj-lint-lo-") as profile:
        # A private profile: a LibreOffice the user has open (or a parallel
        # worker) would otherwise hold the profile lock and the call would fail.
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", fmt, "--outdir", outdir, src]
        try:
            subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=TIMEOUT, check=False)
        except FileNotFoundError:
            raise _missing(suffix) from None
        except subprocess.TimeoutExpired:
            raise InputError(f"LibreOffice 转换 {suffix} 文件超过 {TIMEOUT} 秒，已放弃；"
                             "请在 Word 或 WPS 中另存为 .docx 后再检查") from None
    stem = os.path.splitext(os.path.basename(src))[0]
    out = os.path.join(outdir, f"{stem}.{fmt.split(':')[0]}")
    if not os.path.isfile(out):
        raise InputError(f"LibreOffice 未能转换这个 {suffix} 文件（可能已损坏或加密）；"
                         "请在 Word 或 WPS 中另存为 .docx 后再检查")
    return out


def convert_to_docx(path: str) -> bytes:
    """The .docx bytes of a legacy document, converted in a temporary folder."""
    if not os.path.isfile(path):
        raise InputError("文件不存在")
    with tempfile.TemporaryDirectory(prefix="dj-lint-doc-") as tmp:
        out = convert(path, "docx", tmp)
        with open(out, "rb") as fh:
            return fh.read()
