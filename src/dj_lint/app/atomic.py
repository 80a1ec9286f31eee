"""The one atomic writer: fixed files (--fix), reports (--output) and baselines.

A temporary file in the target's directory, fsync, the original's mode, owner
and extended attributes, then ``os.replace``: a reader never sees half a file,
a failure (or a kill) leaves the old one, and the temporary file is removed on
every failure path. A symlink is written through (the link stays, its target
changes); a target that is not a regular file (a device such as /dev/stdout, a
FIFO, a directory, a socket) is refused, never replaced. A file with more than
one hard link gets a new inode (that is what makes the write atomic): the
other names keep the old content, and the caller is told so (``notes``).
"""
from __future__ import annotations

import errno
import os
import stat
from typing import Iterable, Optional, Union


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


_KINDS = ((stat.S_ISDIR, "目录"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
          (stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISSOCK, "套接字"))


def _not_regular(st) -> Optional[str]:
    if stat.S_ISREG(st.st_mode):
        return None
    return next((name for test, name in _KINDS if test(st.st_mode)), "特殊文件")


def _copy_xattrs(src: str, dst_fd: int) -> list:
    """Copy the extended attributes of ``src`` onto ``dst_fd``; the names that failed."""
    if not hasattr(os, "listxattr"):
        return []
    try:
        names = os.listxattr(src)
    except OSError:
        return []
    failed = []
    for name in names:
        try:
            os.setxattr(dst_fd, name, os.getxattr(src, name))
        except OSError:
            failed.append(name)
    return failed


def write_atomic(path: str, data: Union[bytes, str, Iterable[str]], expected: Optional[bytes] = None,
                 notes: Optional[list] = None) -> None:
    """Replace ``path``'s content with ``data`` atomically, keeping its mode; a new
    file gets the ordinary mode (0666 less the umask). ``str`` data is written as
    UTF-8 in slices, so a huge report is never held twice in memory; an
    iterable of ``str`` (a streamed report; a piece may be bytes, already
    UTF-8) is written piece by piece as it comes, and an error raised while it is produced leaves the target untouched.

    ``expected`` is the content read at lint time: a file changed since then
    (an editor saved it) is left alone rather than overwritten.

    ``notes`` (a list) receives one line per thing the user should know that
    did not stop the write: hard links now pointing at the old content,
    extended attributes that could not be carried over.
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
        kind = _not_regular(st) if st is not None else None
        if kind:
            raise WriteError(f"无法写入：目标是{kind}，不是普通文件，未改动", f"目标是{kind}，不是普通文件")
        if expected is not None:
            # Non-blocking: a FIFO put in the file's place must not hang the read.
            rfd = os.open(target, os.O_RDONLY | os.O_NONBLOCK)
            with os.fdopen(rfd, "rb") as fh:
                if _not_regular(os.fstat(fh.fileno())) or fh.read(len(expected) + 1) != expected:
                    raise WriteError("文件在检查期间被修改，未写回")
        if st is not None and not os.access(target, os.W_OK):
            # os.replace would bypass a read-only file's mode; honour it instead.
            raise WriteError("无法写回：文件不可写（只读或不可变），原文件未改动", "文件不可写")
        dst = os.stat(directory)
        if not stat.S_ISDIR(dst.st_mode):
            raise WriteError("无法写入：所在目录不是目录", "所在目录不是目录")
        import tempfile  # only when a file is written back (--fix): 3-4 M instructions to import
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".",
                                   suffix=".dj-lint.tmp", dir=directory)
    except OSError as exc:
        raise WriteError(f"无法写回：{_reason(exc)}，原文件未改动", _reason(exc)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if st is not None:
                lost = _copy_xattrs(target, fh.fileno())
                if lost and notes is not None:
                    notes.append(f"{path}: 未能保留扩展属性 {', '.join(lost)}")
            if isinstance(data, (bytes, bytearray, memoryview)):
                fh.write(data)
            else:
                for piece in ([data] if isinstance(data, str) else data):
                    if isinstance(piece, bytes):  # a piece already encoded so
                        fh.write(piece)
                        continue
                    for i in range(0, len(piece), 1 << 20):
                        fh.write(piece[i:i + (1 << 20)].encode("utf-8", "backslashreplace"))
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
        # The target must still be what was checked: a FIFO or a device put
        # there meanwhile is not replaced by a regular file.
        try:
            now = os.stat(target)
        except FileNotFoundError:
            now = None
        if (now is None) != (st is None) or (now is not None and (
                _not_regular(now) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino))):
            raise WriteError("无法写入：目标在写入期间被替换，未改动", "目标在写入期间被替换")
        os.replace(tmp, target)
        if st is not None and st.st_nlink > 1 and notes is not None:
            notes.append(f"{path}: 该文件有 {st.st_nlink} 个硬链接，写回后只有这个名字指向新内容，"
                         "其他硬链接仍是原内容")
    except OSError as exc:
        _unlink(tmp)
        raise WriteError(f"无法写回：{_reason(exc)}，原文件未改动", _reason(exc)) from None
    except BaseException:  # WriteError, KeyboardInterrupt ...
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
