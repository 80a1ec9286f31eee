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
    max_bucket: int = 500      # an LSH bucket shared by more documents is reported, not paired
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
    qhash: tuple = None                # align.index() of the normalised text's q-grams
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
    p.qhash = _align.index(qgram_hashes(cps, _align.Q))
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


def part(records: list, r: int):
    return records[r]


@dataclass
class Buckets:
    pairs: np.ndarray                  # (n, 2) int64, a < b, unique, sorted
    votes: np.ndarray                  # (n,) buckets each pair shares
    crowded: List[Tuple[int, int, int]]  # (documents, first document, window start)


def group(parts: Sequence[Tuple[np.ndarray, np.ndarray, np.ndarray]], max_bucket: int) -> Buckets:
    """Documents sharing an LSH bucket become candidate pairs."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return Buckets(np.zeros((0, 2), np.int64), np.zeros(0, np.int64), [])
    k = np.concatenate([p[0] for p in parts])
    d = np.concatenate([p[1] for p in parts]).astype(np.int64)
    s = np.concatenate([p[2] for p in parts])
    order = np.lexsort((s, d, k))
    k, d, s = k[order], d[order], s[order]
    first = np.ones(len(k), dtype=bool)
    first[1:] = (k[1:] != k[:-1]) | (d[1:] != d[:-1])
    k, d, s = k[first], d[first], s[first]
    starts = np.nonzero(np.r_[True, k[1:] != k[:-1]])[0]
    sizes = np.diff(np.r_[starts, len(k)])
    pairs, crowded = [], []
    for size in np.unique(sizes[sizes >= 2]).tolist():
        at = starts[sizes == size]
        if size > max_bucket:
            crowded.extend((size, int(d[i]), int(s[i])) for i in at.tolist())
            continue
        combo = np.array(list(combinations(range(size), 2)), dtype=np.int64)
        idx = at[:, None, None] + combo[None, :, :]
        pairs.append(d[idx].reshape(-1, 2))
    if pairs:
        allp = np.concatenate(pairs)
        allp.sort(axis=1)
        allp, votes = np.unique(allp, axis=0, return_counts=True)
    else:
        allp, votes = np.zeros((0, 2), np.int64), np.zeros(0, np.int64)
    return Buckets(allp, votes, sorted(set(crowded)))


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


def verify_pair(pa: Prepared, pb: Prepared, opts: Options) -> Optional[PairResult]:
    found = _align.align(pa.qhash, pb.qhash, opts.min_len, opts.gap)
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
    out = []
    for a, b in pairs:
        pa = batch_a.get(a) or batch_b[a]
        pb = batch_b.get(b) or batch_a[b]
        r = verify_pair(pa, pb, opts)
        if r is not None:
            out.append(r)
    return out


def batches(items: list, size: int) -> List[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def absolute(path: str) -> str:
    return os.path.abspath(path)
