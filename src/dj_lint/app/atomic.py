"""The one atomic writer: fixed files (--fix), reports (--output) and baselines.

A temporary file in the target's directory, fsync, the original's mode, then
``os.replace``: a reader never sees half a file, and a failure leaves the old one.
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from typing import Optional, Union


class WriteError(Exception):
    """A file that could not be written; str() is one line, ``reason`` the cause alone."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason or message


_REASONS = {
    errno.EACCES: "没有写权限", errno.EPERM: "不允许写入（只读或不可变）",
    errno.EROFS: "文件系统只读", errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额",
}


def _reason(exc: OSError) -> str:
    from ..text.oserrors import os_reason
    return _REASONS.get(exc.errno) or os_reason(exc)


def write_atomic(path: str, data: Union[bytes, str], expected: Optional[bytes] = None) -> None:
    """Replace ``path``'s content with ``data`` atomically, keeping its mode; a new
    file gets the ordinary mode (0666 less the umask). ``str`` data is written as
    UTF-8 in slices, so a huge report is never held twice in memory.

    ``expected`` is the content read at lint time: a file changed since then
    (an editor saved it) is left alone rather than overwritten.
    """
    target = os.path.realpath(path)  # write through a symlink, never replace it
    directory = os.path.dirname(target) or "."
    try:
        try:
            st = os.stat(target)
        except FileNotFoundError:
            if expected is not None:
                raise
            st = None
        if expected is not None:
            with open(target, "rb") as fh:
                if fh.read() != expected:
                    raise WriteError("文件在检查期间被修改，未写回")
        if st is not None and not os.access(target, os.W_OK):
            # os.replace would bypass a read-only file's mode; honour it instead.
            raise WriteError("无法写回：文件不可写（只读或不可变），原文件未改动", "文件不可写")
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".",
                                   suffix=".dj-lint.tmp", dir=directory)
    except OSError as exc:
        raise WriteError(f"无法写回：{_reason(exc)}，原文件未改动", _reason(exc)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, str):
                for i in range(0, len(data), 1 << 20):
                    fh.write(data[i:i + (1 << 20)].encode("utf-8", "backslashreplace"))
            else:
                fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        else:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass  # only root may give a file away; the mode is what matters
        os.replace(tmp, target)
    except OSError as exc:
        _unlink(tmp)
        raise WriteError(f"无法写回：{_reason(exc)}，原文件未改动", _reason(exc)) from None
    except BaseException:
        _unlink(tmp)
        raise
    _fsync_dir(directory)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
