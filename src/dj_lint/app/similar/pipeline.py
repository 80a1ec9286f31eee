"""The stages of `dj-lint similar`, as plain functions over batches.

    prepare (per batch of files)  read, decode, normalise, q-gram hashes,
                                  window signatures, LSH band keys
    split   (per batch)           band keys cut into R partitions by key
    group   (per partition)       buckets → candidate document pairs
    verify  (per pair of batches) exact alignment of every candidate pair,
                                  passages mapped back to exact positions

Every stage is deterministic and its output does not depend on how the
files are batched or the keys partitioned, so an executor may run the stages
in this process or as tasks on a cluster (see cluster.py) with identical
results. Never all pairs: only documents that share a bucket are aligned.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import align as _align
from .normalise import codepoints, normalise
from .sketch import SketchParams, band_keys, qgram_hashes, shingle_hashes, window_signatures


@dataclass(frozen=True)
class Options:
    min_len: int = 50          # normalised characters a passage needs to count
    min_share: float = 0.0     # a pair counts if this share of either document is copied
    max_bucket: int = 20       # an LSH bucket shared by more documents pairs them with its first one
    gap: int = 6               # characters of difference bridged inside one passage
    encoding: Optional[str] = None
    boilerplate: Tuple[str, ...] = ()
    batch_size: int = 200

    @property
    def sketch(self) -> SketchParams:
        return SketchParams.for_length(self.min_len)


@dataclass
class Prepared:
    index: int
    path: str
    reference: bool
    doc: object = None                 # dj_lint Document (None when unreadable)
    offsets: np.ndarray = None         # normalised index -> Document.text offset
    qhash: np.ndarray = None           # 32-bit hashes of the normalised text's q-grams
    qorder: np.ndarray = None          # their stable sort order (align.sort_order)
    length: int = 0                    # normalised characters (boilerplate excluded)
    keys: np.ndarray = None            # (windows, bands) LSH band keys
    starts: np.ndarray = None          # normalised offset of each window
    error: Optional[str] = None        # unreadable: the message
    warning: Optional[str] = None      # skipped (binary): the message


@dataclass(frozen=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    text: str


@dataclass
class PairResult:
    a: int
    b: int
    share_a: float
    share_b: float
    passages: List[Tuple[Span, Span, int]] = field(default_factory=list)


# -- prepare -----------------------------------------------------------
def _load(path: str, encoding: Optional[str]):
    from ...text.sources import load_path
    return load_path(path, encoding=encoding)


def prepare_one(index: int, shown: str, real: str, reference: bool, opts: Options) -> Prepared:
    from ...text.document import BinaryInput, InputError
    p = Prepared(index=index, path=shown, reference=reference)
    try:
        doc = _load(real, opts.encoding)
    except BinaryInput as exc:
        p.warning = f"{shown}: {exc}"
        return p
    except InputError as exc:
        p.error = str(exc)
        return p
    doc.raw = None
    doc.path = shown
    norm, offsets = normalise(doc.text, opts.boilerplate)
    cps = codepoints(norm)
    params = opts.sketch
    starts, sigs = window_signatures(shingle_hashes(cps, params), params)
    p.doc, p.offsets, p.length = doc, offsets, len(norm)
    # 32 bits: a false seed needs a collision within one pair, and a passage needs runs of seeds.
    p.qhash = (qgram_hashes(cps, _align.Q) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    p.qorder = _align.sort_order(p.qhash)
    p.keys, p.starts = band_keys(sigs, params), starts.astype(np.int32)
    return p


def prepare_batch(items: Sequence[Tuple[int, str, str, bool]], opts: Options) -> Dict[int, Prepared]:
    return {i: prepare_one(i, shown, real, ref, opts) for i, shown, real, ref in items}


# -- banding -----------------------------------------------------------
def split(batch: Dict[int, Prepared], parts: int) -> List[Tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Band-key records (key, document, window start) cut into ``parts`` by key."""
    keys, docs, starts = [], [], []
    for p in batch.values():
        if p.keys is None or not len(p.keys):
            continue
        k = p.keys.ravel()
        keys.append(k)
        docs.append(np.full(len(k), p.index, dtype=np.int32))
        starts.append(np.repeat(p.starts, p.keys.shape[1]))
    if not keys:
        empty = (np.zeros(0, np.uint64), np.zeros(0, np.int32), np.zeros(0, np.int32))
        return [empty] * parts
    k, d, s = np.concatenate(keys), np.concatenate(docs), np.concatenate(starts)
    which = (k % np.uint64(parts)).astype(np.int64)
    return [(k[which == r], d[which == r], s[which == r]) for r in range(parts)]


def strip(batch: Dict[int, Prepared]) -> Dict[int, Prepared]:
    """The batch without its band keys (in the partitions now): what verify needs."""
    from dataclasses import replace
    return {i: replace(p, keys=None, starts=None) for i, p in batch.items()}


def part(records: list, r: int):
    return records[r]


@lru_cache(maxsize=64)
def _combos(size: int) -> np.ndarray:
    return np.array(list(combinations(range(size), 2)), dtype=np.int64).reshape(-1, 2)


def _records(a: np.ndarray, b: np.ndarray, sa: np.ndarray, sb: np.ndarray):
    """Pair-window records packed in two int64 columns: (a << 32 | b, sa << 32 | sb)."""
    pair = (a.astype(np.int64) << 32) | b.astype(np.int64)
    pos = (sa.astype(np.int64) << 32) | sb.astype(np.int64)
    return pair, pos


def _unique_records(pair: np.ndarray, pos: np.ndarray):
    order = np.lexsort((pos, pair))
    pair, pos = pair[order], pos[order]
    keep = np.ones(len(pair), dtype=bool)
    keep[1:] = (pair[1:] != pair[:-1]) | (pos[1:] != pos[:-1])
    return pair[keep], pos[keep]


_EMPTY = (np.zeros(0, np.int64), np.zeros(0, np.int64))


def group(parts: Sequence[Tuple[np.ndarray, np.ndarray, np.ndarray]], max_bucket: int,
          first_reference: Optional[int] = None) -> Tuple[np.ndarray, np.ndarray]:
    """Documents sharing an LSH bucket: pair-window records (pair, position).

    A record says that documents a < b hold a window each (starting at sa in a,
    sb in b) that fall into one bucket. A bucket of at most ``max_bucket``
    documents gives every pair of them; a larger one (a template used by
    hundreds of documents, or a formulaic phrase many reports share by
    chance) gives each document paired with the bucket's first document (and
    with its first reference document, if any): a star, not all pairs, so the
    records grow linearly with the documents. A copied passage brings several
    windows to the same buckets, so its documents are paired through the same
    first document again and again; a chance phrase is one window (see vote).
    """
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return _EMPTY
    k = np.concatenate([p[0] for p in parts])
    d = np.concatenate([p[1] for p in parts]).astype(np.int32)
    s = np.concatenate([p[2] for p in parts]).astype(np.int32)
    order = np.lexsort((s, d, k))
    k, d, s = k[order], d[order], s[order]
    del order
    first = np.ones(len(k), dtype=bool)
    first[1:] = (k[1:] != k[:-1]) | (d[1:] != d[:-1])
    k, d, s = k[first], d[first], s[first]
    starts = np.nonzero(np.r_[True, k[1:] != k[:-1]])[0]
    del k, first
    sizes = np.diff(np.r_[starts, len(d)])
    cols = ([], [], [], [])

    def add(ia, ib):
        for c, v in zip(cols, (d[ia], d[ib], s[ia], s[ib])):
            c.append(v)

    small = (sizes >= 2) & (sizes <= max_bucket)
    for size in np.unique(sizes[small]).tolist():
        at = starts[sizes == size]
        idx = at[:, None, None] + _combos(size)[None, :, :]
        add(idx[..., 0].ravel(), idx[..., 1].ravel())
    big = sizes > max_bucket
    if big.any():
        at, sz = starts[big], sizes[big]
        n = sz - 1
        lead = np.repeat(at, n)
        rank = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        add(lead, lead + rank + 1)
        if first_reference is not None:
            # Documents before the first reference in each crowded bucket (sorted by document).
            nonref = np.r_[0, np.cumsum(d < first_reference)]
            plain = nonref[at + sz] - nonref[at]
            for a0, m, size in zip(at.tolist(), plain.tolist(), sz.tolist()):
                if 0 < m < size:  # the first document is no reference, but one is there
                    members = np.arange(a0 + 1, a0 + m)  # the first document is paired already
                    add(members, np.full(len(members), a0 + m))
                    add(np.array([a0]), np.array([a0 + m]))
    if not cols[0]:
        return _EMPTY
    a, b, sa, sb = (np.concatenate(c) for c in cols)
    return _unique_records(*_records(a, b, sa, sb))


def split_pairs(records: Tuple[np.ndarray, np.ndarray], parts: int):
    """Pair-window records cut into ``parts`` by pair."""
    pair, pos = records
    which = ((pair * 0x9E3779B1) >> 7) % parts if parts > 1 else np.zeros(len(pair), np.int64)
    return [(pair[which == r], pos[which == r]) for r in range(parts)]


def vote(parts: Sequence[Tuple[np.ndarray, np.ndarray]], opts: "Options",
         first_reference: Optional[int] = None) -> np.ndarray:
    """Candidate pairs (n, 2), sorted: pairs with windows in common that lie
    on (nearly) one diagonal, i.e. at the same distance from each other in
    both documents as the windows of one copied passage do, and that span at
    least ``min_extent`` characters from the first one's start to the last
    one's end. Every passage of ``min_len`` characters has such windows (see
    SketchParams.min_extent); a formulaic phrase two reports share by chance
    holds one window or two close together, and two chance phrases at
    different places do not stand at the same distance in both.
    """
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return np.zeros((0, 2), np.int64)
    pair, pos = _unique_records(np.concatenate([p[0] for p in parts]),
                                np.concatenate([p[1] for p in parts]))
    sa, sb = pos >> 32, pos & 0xFFFFFFFF
    del pos
    diag = sa - sb
    order = np.lexsort((sa, diag, pair))
    pair, sa, diag = pair[order], sa[order], diag[order]
    del order
    # Chains: records of one pair, each on nearly the diagonal of the one before
    # and at most min_len characters further on.
    brk = np.ones(len(pair), dtype=bool)
    brk[1:] = ((pair[1:] != pair[:-1]) | (np.abs(diag[1:] - diag[:-1]) > opts.gap)
               | (np.abs(sa[1:] - sa[:-1]) > opts.min_len))
    st = np.nonzero(brk)[0]
    params = opts.sketch
    extent = np.maximum.reduceat(sa, st) - np.minimum.reduceat(sa, st) + params.window
    long = (extent >= params.min_extent) & (np.diff(np.r_[st, len(pair)]) >= 2)
    cand = np.unique(pair[st[long]])
    out = np.stack([cand >> 32, cand & 0xFFFFFFFF], axis=1)
    if first_reference is not None and len(out):
        out = out[out[:, 0] < first_reference]  # two references are never compared
    return out


# -- verification ------------------------------------------------------
def _is_trailing_punct(ch: str) -> bool:
    return unicodedata.category(ch) in ("Po", "Pe", "Pf")


def span(p: Prepared, s: int, e: int) -> Span:
    """Normalised [s, e) → exact positions in the document (closing punctuation kept)."""
    doc = p.doc
    start, end = int(p.offsets[s]), int(p.offsets[e - 1]) + 1
    text = doc.text
    while end < len(text) and _is_trailing_punct(text[end]):
        end += 1
    line, col = doc.position(start)
    end_line, end_col = doc.position(end)
    return Span(line, col, end_line, end_col, start, end, doc.original_slice(start, end))


def verify_pair(pa: Prepared, pb: Prepared, opts: Options, cache: Optional[dict] = None) -> Optional[PairResult]:
    cache = {} if cache is None else cache
    for p in (pa, pb):
        if p.index not in cache:
            cache[p.index] = _align.index(p.qhash, p.qorder)
    found = _align.align(cache[pa.index], cache[pb.index], opts.min_len, opts.gap)
    if not found:
        return None
    result = PairResult(pa.index, pb.index, 0.0, 0.0)
    cov_a = cov_b = 0
    for a0, a1, b0, b1 in found:
        cov_a += a1 - a0
        cov_b += b1 - b0
        result.passages.append((span(pa, a0, a1), span(pb, b0, b1), min(a1 - a0, b1 - b0)))
    result.share_a = cov_a / max(1, pa.length)
    result.share_b = cov_b / max(1, pb.length)
    return result


def verify(batch_a: Dict[int, Prepared], batch_b: Dict[int, Prepared],
           pairs: Sequence[Tuple[int, int]], opts: Options) -> List[PairResult]:
    out, cache = [], {}  # alignment indexes, made once per document per task
    for a, b in pairs:
        pa = batch_a.get(a) or batch_b[a]
        pb = batch_b.get(b) or batch_a[b]
        r = verify_pair(pa, pb, opts, cache)
        if r is not None:
            out.append(r)
    return out


def batches(items: list, size: int) -> List[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def absolute(path: str) -> str:
    return os.path.abspath(path)
