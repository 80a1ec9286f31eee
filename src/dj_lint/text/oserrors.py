"""System errors in the words a person reads: errno -> Chinese.

The operating system's own text (strerror) is English; the report and the
one-line errors are Chinese, so the usual failures are named here and anything
else is shown as 系统错误 with its errno name.
"""
from __future__ import annotations

import errno

REASONS = {
    errno.ENOENT: "目录不存在或文件不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作（只读或不可变）",
    errno.EISDIR: "这是一个目录",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EROFS: "文件系统只读",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.ELOOP: "符号链接循环（或链接层数过多）",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "文件已存在",
    errno.EIO: "输入输出错误",
    errno.EBUSY: "文件正被占用",
    errno.EMFILE: "打开的文件太多",
    errno.ENXIO: "不是可读取的文件（套接字或没有设备的特殊文件）",
}


def os_reason(exc: OSError) -> str:
    """One Chinese phrase for an OSError (the file name is the caller's to add)."""
    if exc.strerror and not exc.strerror.isascii():
        return exc.strerror  # already Chinese and more precise (safe_read's 没有读取权限)
    if exc.errno in REASONS:
        return REASONS[exc.errno]
    name = errno.errorcode.get(exc.errno or 0)
    return f"系统错误 {name}" if name else f"系统错误：{exc}"
