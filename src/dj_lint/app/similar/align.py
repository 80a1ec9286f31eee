"""Exact passage alignment of one candidate pair, in normalised text.

Seeds are q-grams common to both texts (a sort-join of their hashes); seeds on
one diagonal (same offset between the texts) that follow each other within
``gap`` characters form a run; runs that follow each other in both texts
within ``gap`` characters (a changed word, a few inserted characters) are
chained into one passage. Each stretch of either text belongs to at most one
passage (the longest first), and passages shorter than ``min_len`` in either
text are dropped. Linear in the two texts' lengths plus the seeds.
"""
from __future__ import annotations

from typing import List, Tuple

import numpy as np

Q = 8          # characters per seed
MAX_REPEAT = 8  # a q-gram repeated more often than this in one text is no seed
Passage = Tuple[int, int, int, int]  # a_start, a_end, b_start, b_end (normalised)


MIN_RUN = Q + 4  # a run of fewer characters (5 seeds) is a common phrase, not a passage


def sort_order(h: np.ndarray) -> np.ndarray:
    """The stable sort order of a text's q-gram hashes: computed once per document."""
    return np.argsort(h, kind="stable").astype(np.int32)


def index(h: np.ndarray, order: np.ndarray = None):
    """What alignment needs of one text: (q-gram hashes, their stable sort
    order, the sorted hashes, the distinct ones). Linear given the order."""
    if order is None:
        order = sort_order(h)
    sh = h[order]
    distinct = np.ones(len(sh), dtype=bool)
    distinct[1:] = sh[1:] != sh[:-1]
    return h, order, sh, sh[distinct]


def _common(ua: np.ndarray, ub: np.ndarray) -> int:
    """How many values two sorted arrays of distinct values share."""
    if not len(ua) or not len(ub):
        return 0
    at = np.searchsorted(ub, ua)
    at[at == len(ub)] = 0
    return int((ub[at] == ua).sum())


def _seeds(ha: np.ndarray, order: np.ndarray, sb: np.ndarray):
    """All (i, j) with ha[i] == hb[j], q-grams repeated too often left out."""
    left = np.searchsorted(sb, ha, side="left")
    right = np.searchsorted(sb, ha, side="right")
    counts = right - left
    ok = (counts > 0) & (counts <= MAX_REPEAT)
    ia = np.nonzero(ok)[0]
    if not len(ia):
        return ia, ia
    counts = counts[ia]
    rep_a = np.repeat(ia, counts)
    # For each repeated entry, its rank within its group: 0, 1, ... counts-1.
    firsts = np.repeat(np.cumsum(counts) - counts, counts)
    rank = np.arange(len(rep_a)) - firsts
    jb = order[np.repeat(left[ia], counts) + rank]
    return rep_a, jb


def _runs(ia: np.ndarray, jb: np.ndarray, gap: int) -> List[list]:
    diag = ia - jb
    order = np.lexsort((ia, diag))
    ia, diag = ia[order], diag[order]
    # A run breaks where the diagonal changes or the seeds are more than gap apart.
    brk = np.ones(len(ia), dtype=bool)
    brk[1:] = (diag[1:] != diag[:-1]) | (ia[1:] - ia[:-1] > gap)
    starts = np.nonzero(brk)[0]
    ends = np.append(starts[1:], len(ia)) - 1
    a0, a1, d = ia[starts], ia[ends] + Q, diag[starts]
    keep = a1 - a0 >= MIN_RUN
    a0, a1, d = a0[keep], a1[keep], d[keep]
    runs = np.stack([a0, a1, a0 - d, a1 - d], axis=1).tolist()
    runs.sort()
    return runs


def _chain(runs: List[list], gap: int) -> List[list]:
    chains: List[list] = []
    for run in runs:
        for c in reversed(chains[-8:]):  # only recent chains can be continued
            da, db = run[0] - c[1], run[2] - c[3]
            if -Q < da <= gap and -Q < db <= gap and run[1] > c[1] and run[3] > c[3]:
                c[1], c[3] = run[1], run[3]
                break
        else:
            chains.append(list(run))
    return chains


def _trim(taken: List[Tuple[int, int]], s: int, e: int) -> Tuple[int, int]:
    """(cut at the start, cut at the end) that keep [s, e) clear of taken
    ranges; (-1, -1) when a taken range lies inside it. Neighbouring passages
    overlap by up to Q - 1 characters where their seeds meet."""
    head = tail = 0
    for ts, te in taken:
        if te <= s or ts >= e:
            continue
        if ts <= s and te < e:
            head = max(head, te - s)
        elif ts > s and te >= e:
            tail = max(tail, e - ts)
        else:
            return -1, -1
    return head, tail


def align(a, b, min_len: int, gap: int = 6) -> List[Passage]:
    """Shared passages of two normalised texts given their index() tuples."""
    ha, _, _, ua = a
    hb, order_b, sb, ub = b
    if not len(ha) or not len(hb):
        return []
    # A passage of min_len characters brings min_len - Q + 1 q-grams, nearly all
    # distinct: far fewer in common and no passage can be there (most candidates).
    if _common(ua, ub) < 0.8 * (min_len - Q + 1):
        return []
    ia, jb = _seeds(ha, order_b, sb)
    if not len(ia):
        return []
    chains = _chain(_runs(ia, jb, gap), gap)
    chains.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
    taken_a: List[Tuple[int, int]] = []
    taken_b: List[Tuple[int, int]] = []
    out: List[Passage] = []
    for a0, a1, b0, b1 in chains:
        if a1 - a0 < min_len:
            break  # sorted by length in A: every later chain is shorter
        if b1 - b0 < min_len:
            continue
        ha, ta = _trim(taken_a, a0, a1)
        hb, tb = _trim(taken_b, b0, b1)
        if ha < 0 or hb < 0:
            continue
        head, tail = max(ha, hb), max(ta, tb)
        a0, a1, b0, b1 = a0 + head, a1 - tail, b0 + head, b1 - tail
        if min(a1 - a0, b1 - b0) < min_len:
            continue
        taken_a.append((a0, a1))
        taken_b.append((b0, b1))
        out.append((a0, a1, b0, b1))
    out.sort()
    return out
