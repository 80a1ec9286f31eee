"""The user's own cache folder and the trust rules for every file in it.

Everything dj-lint keeps between runs (the build cache, compiled patterns, the
word table, jieba's dictionary) lives in one folder: ``$XDG_CACHE_HOME/dj-lint``,
else ``~/Library/Caches/dj-lint`` on macOS and ``~/.cache/dj-lint`` elsewhere,
created with mode 0700. Some of these files are pickles, and a pickle is code,
so a file is read only when the folder and the file are owned by this user and
nobody else can write them (``private``); it is written through a temporary
file in the same folder and ``os.replace`` (``write_atomic``), so a reader
never sees half a file. ``DJ_LINT_NO_CACHE=1`` (or a platform without
``os.getuid``) turns every cache off: everything is then built in memory.

Hygiene: each file name starts with its family (``build-``, ``patterns-``,
``words-``, ``tags-``, ``jieba-``, ``code-``) and ends with the key it was built for, so a new key
writes a new file and the old one goes stale. Whenever a file is written,
``prune`` removes this folder's own files that were not used for
``MAX_AGE_DAYS`` days and the least recently used beyond ``KEEP`` per family
(several checkouts and virtualenvs may share the folder, so a few are kept),
and temporary files left by a killed run. A file in use is touched once a day
(``touch``), so its modification time says when it was last used.
"""
from __future__ import annotations

import os
import stat
import sys
import time
from typing import Optional

ENV_DISABLE = "DJ_LINT_NO_CACHE"
FAMILIES = {"build-": 16, "patterns-": 8, "words-": 4, "tags-": 4, "jieba-": 4, "code-": 4}
MAX_AGE_DAYS = 30
_DAY = 86400


def enabled() -> bool:
    return not os.environ.get(ENV_DISABLE) and hasattr(os, "getuid")


def cache_dir() -> Optional[str]:
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        base = (os.path.join(home, "Library", "Caches") if sys.platform == "darwin"
                else os.path.join(home, ".cache"))
    if not os.path.isabs(base):
        return None
    return os.path.join(base, "dj-lint")


def path_of(name: str) -> Optional[str]:
    """The path of the cache file ``name``, or None when the cache is off or has
    no folder."""
    if not enabled():
        return None
    folder = cache_dir()
    return os.path.join(folder, name) if folder is not None else None


def private(path: str, is_dir: bool) -> bool:
    """Owned by us, not writable by group or others (a pickle is trusted code)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    kind_ok = stat.S_ISDIR(st.st_mode) if is_dir else stat.S_ISREG(st.st_mode)
    return kind_ok and st.st_uid == os.getuid() and not st.st_mode & 0o022


def trusted(path: str) -> bool:
    """``path`` is a private file in a private folder."""
    return private(os.path.dirname(path), True) and private(path, False)


def read_trusted(path: str) -> Optional[bytes]:
    """The bytes of a trusted file, else None (missing, foreign, shared, unreadable)."""
    if not trusted(path):
        return None
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def touch(path: str) -> None:
    """Mark a file as used (at most once a day: a warm start should not write)."""
    try:
        if time.time() - os.stat(path).st_mtime > _DAY:
            os.utime(path)
    except OSError:
        pass


def write_atomic(path: str, payload: bytes) -> bool:
    """Write ``payload`` to ``path`` through a temporary file; False when the
    folder cannot be made private (then there is simply no cache)."""
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if not private(folder, True):
            return False
        import tempfile  # only when a cache file is written: its import is 3-4 M instructions
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return False
    prune(folder, keep=os.path.basename(path))
    return True


def prune(folder: str, keep: str = "", now: Optional[float] = None) -> None:
    """Remove this cache's own stale files (see the module docstring)."""
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    by_family: dict = {}
    for e in entries:
        try:
            if not e.is_file(follow_symlinks=False):
                continue
            mtime = e.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if e.name.startswith((".tmp-", ".jieba-")) and e.name.endswith((".part", ".tmp")):
            if now - mtime > 3600:  # left by a run killed while writing
                _unlink(e.path)
            continue
        family = next((f for f in FAMILIES if e.name.startswith(f)), None)
        if family is None or e.name == keep:
            continue
        if now - mtime > MAX_AGE_DAYS * _DAY:
            _unlink(e.path)
        else:
            by_family.setdefault(family, []).append((mtime, e.path))
    for family, files in by_family.items():
        files.sort(reverse=True)
        # ``keep`` (just written) counts against its family's allowance.
        allowance = FAMILIES[family] - (1 if keep.startswith(family) else 0)
        for _, path in files[max(allowance, 0):]:
            _unlink(path)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
