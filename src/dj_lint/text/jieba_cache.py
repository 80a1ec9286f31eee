"""A faster start for jieba: its prefix dictionary kept as a pickle.

``jieba.initialize()`` rebuilds its 500,000-entry prefix dictionary from a
``marshal`` file on every run: about 0.45 s. The same dictionary loads from a
protocol-5 pickle in about 0.15 s. The pickle lives in the user's own cache
folder (text/cachedir.py: read only from a folder and a file this user owns
and nobody else can write, written atomically). It is keyed on the SHA-256 of
jieba's dict.txt, so virtualenvs with the same dictionary share one file; any
problem falls back to ``jieba.initialize()``. Only segmentation needs it:
word counts come from the lighter word table (text/wordfreq.py).
"""
from __future__ import annotations

import os
import pickle
from typing import Optional

from .cachedir import cache_dir, enabled, read_trusted

FORMAT = 2


def _cache_file(jieba) -> Optional[str]:
    from .wordfreq import dict_digest
    folder = cache_dir()
    if folder is None or jieba.dt.dictionary is not None:  # a custom dictionary: not ours
        return None
    digest = dict_digest()
    if digest is None:
        return None
    version = getattr(jieba, "__version__", "0")
    return os.path.join(folder, f"jieba-{version}-{FORMAT}-{digest.hex()[:32]}.pickle")


def initialize(jieba, write: bool = True) -> None:
    """``jieba.initialize()``, from the pickle when there is a trustworthy one
    (written after a load without one, when ``write``)."""
    if not enabled():
        jieba.initialize()
        return
    path = _cache_file(jieba)
    raw = read_trusted(path) if path else None
    if raw:
        try:
            freq, total = pickle.loads(raw)
            if isinstance(freq, dict) and isinstance(total, int) and freq:
                dt = jieba.dt
                with dt.lock:
                    dt.FREQ, dt.total, dt.initialized = freq, total, True
                return
        except Exception:  # a truncated or foreign file: rebuild it below
            pass
    jieba.initialize()
    if path and write:
        _write(path, (jieba.dt.FREQ, jieba.dt.total))


def _write(path: str, data) -> None:
    from .cachedir import write_atomic
    write_atomic(path, pickle.dumps(data, protocol=5))
