"""Character shingles → MinHash signatures (datasketch) → LSH band keys.

A document is not sketched as a whole: a 60-character paragraph copied into a
3,000-character report changes the report's Jaccard similarity by 2 %, which
no threshold can tell from chance. Instead every document is cut into short
*windows* of the normalised text, and each window gets a MinHash signature.

Windows start at content-defined anchors (winnowing, Schleimer et al. 2003:
the minimum shingle hash of every run of ``w`` shingles), so the same passage
yields the same anchors in both documents whatever precedes it. With window
length ``W`` and ``2w - 1 + W <= L``, every passage of ``L`` normalised
characters contains two whole windows at the same anchors in both documents
(the minima of two disjoint runs of ``w`` shingles), i.e. two window pairs
with Jaccard similarity 1, each colliding in every LSH band, at the same
distance from each other in both documents. A candidate pair needs two such
windows (pipeline.vote): a short formulaic phrase two reports share by chance
holds one window, and two such phrases at different places do not stand at the
same distance in both.

The MinHash family is datasketch's (``MinHash(num_perm, seed)``: its affine
permutations and premix); signatures are computed for all windows of a
document at once with numpy and equal ``MinHash.update_batch`` on the
window's shingle hashes (tests/test_similar.py checks this). Banding hashes
``r`` consecutive signature values into one 64-bit key per band, exactly the
bucket equality of datasketch's ``MinHashLSH``; keys are grouped by sorting,
which shards over a cluster (a shuffle by key) and needs a tenth of the memory
of ``MinHashLSH``'s dict of sets.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_BASE = np.uint64(0x100000001B3)       # FNV-64 prime: polynomial base for q-grams
_MIX = np.uint64(0x9E3779B97F4A7C15)   # golden-ratio constant: combines band values


@dataclass(frozen=True)
class SketchParams:
    shingle: int = 4        # characters per shingle
    window: int = 24        # characters per MinHash window (W)
    winnow: int = 13        # shingles per winnowing run (2w - 1 + W <= L)
    num_perm: int = 32
    bands: int = 4
    rows: int = 8
    seed: int = 1
    passage: int = 50       # characters of the shortest passage to find (L)

    @property
    def min_extent(self) -> int:
        """Characters from the first window's start to the last one's end that
        the windows of every passage of ``passage`` characters span at least:
        the anchors of the first and the last run of ``winnow`` shingles that
        lie inside it are at least ``L - W - 2w + 2`` apart."""
        return max(self.window + 1, self.passage - 2 * self.winnow + 2)

    @classmethod
    def for_length(cls, min_len: int) -> "SketchParams":
        window = max(8, round(min_len * 0.48))
        # 2w - 1 + W well below L: every passage spans min_extent (34 of 50) characters
        # of windows, which a chance phrase of two windows rarely does.
        return cls(window=window, winnow=max(2, (min_len - window + 1) // 3), passage=min_len)


def qgram_hashes(cps: np.ndarray, q: int) -> np.ndarray:
    """64-bit polynomial hash of every q-gram of a code-point array."""
    n = len(cps) - q + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(q):
            h = h * _BASE + cps[j:j + n].astype(np.uint64)
        # A final avalanche so that low bits (used as 32-bit shingle hashes) mix all characters.
        h ^= h >> np.uint64(33)
        h *= np.uint64(0xFF51AFD7ED558CCD)
        h ^= h >> np.uint64(33)
    return h


def shingle_hashes(cps: np.ndarray, params: SketchParams) -> np.ndarray:
    """32-bit hash of every shingle: the values fed to MinHash."""
    return (qgram_hashes(cps, params.shingle) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int):
    from datasketch import MinHash
    m = MinHash(num_perm=num_perm, seed=seed)
    a, b = m.permutations
    return m.scheme, a, b


def permuted(hv: np.ndarray, params: SketchParams) -> np.ndarray:
    """(n, num_perm) matrix: datasketch's permutation of each shingle hash."""
    from datasketch.minhash import _fmix
    scheme, a, b = _permutations(params.num_perm, params.seed)
    if scheme != "affine32":  # pragma: no cover - a datasketch that changed its default
        raise RuntimeError(f"datasketch MinHash scheme {scheme!r} is not supported")
    with np.errstate(over="ignore"):
        mixed = _fmix(hv.astype(np.uint32).reshape(-1, 1), 32)
        return mixed * a + b


def anchors(hv: np.ndarray, params: SketchParams) -> np.ndarray:
    """Winnowing: the rightmost minimum of every run of ``winnow`` shingle hashes."""
    w = params.winnow
    if len(hv) <= w:
        return np.zeros(1, dtype=np.int64) if len(hv) else np.zeros(0, dtype=np.int64)
    view = sliding_window_view(hv[::-1], w)
    # argmin on the reversed array finds the rightmost minimum of each run.
    right = len(hv) - 1 - (np.arange(len(view)) + view.argmin(axis=1))
    return np.unique(right)


def window_signatures(hv: np.ndarray, params: SketchParams) -> tuple:
    """(anchor positions, (n_windows, num_perm) MinHash hash values)."""
    span = params.window - params.shingle + 1  # shingles per window
    if len(hv) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, params.num_perm), dtype=np.uint32)
    starts = anchors(hv, params)
    # A window that would run past the end starts earlier: the text's last window.
    starts = np.unique(np.minimum(starts, max(0, len(hv) - span)))
    phv = permuted(hv, params)
    if len(hv) < span:
        return starts[:1], phv.min(axis=0, keepdims=True)
    idx = starts[:, None] + np.arange(span)[None, :]
    return starts, phv[idx].min(axis=1)


def band_keys(sigs: np.ndarray, params: SketchParams) -> np.ndarray:
    """(n_windows, bands) 64-bit keys: band i hashes values [i*r, (i+1)*r)."""
    n = len(sigs)
    keys = np.zeros((n, params.bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(params.bands):
            k = np.full(n, np.uint64(band + 1) * _MIX, dtype=np.uint64)
            for j in range(band * params.rows, (band + 1) * params.rows):
                k = (k ^ sigs[:, j].astype(np.uint64)) * _BASE
                k ^= k >> np.uint64(29)
            keys[:, band] = k
    return keys
