"""Drive the stages of pipeline.py on an executor and collect the result."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import pipeline as P
from ..cluster import Local


@dataclass
class Result:
    docs: List[P.Prepared]              # every input, by index (no text when on a cluster)
    pairs: List[P.PairResult]           # verified pairs, sorted by (a, b)
    candidates: int                     # pairs the LSH proposed
    crowded: List[Tuple[int, str, str]] = field(default_factory=list)  # (docs, path, passage)
    errors: List[Tuple[str, str]] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)


def _light(batch: Dict[int, P.Prepared]) -> List[P.Prepared]:
    """What the client needs of a prepared batch: no texts, hashes or keys."""
    return [P.Prepared(index=p.index, path=p.path, reference=p.reference, length=p.length,
                       error=p.error, warning=p.warning) for p in batch.values()]


def find(paths: Sequence[str], references: Sequence[str], opts: P.Options, ex=None) -> Result:
    ex = ex or Local()
    items = [(i, path, P.absolute(path), False) for i, path in enumerate(paths)]
    seen = set(paths)
    for path in references:
        if path not in seen:
            seen.add(path)
            items.append((len(items), path, P.absolute(path), True))
    groups = P.batches(items, opts.batch_size)
    prepared = ex.map(P.prepare_batch, groups, opts)
    parts = ex.parts
    split = [ex.submit(P.split, b, parts) for b in prepared]
    grouped = [ex.submit(P.group, [ex.submit(P.part, s, r) for s in split], opts.max_bucket)
               for r in range(parts)]
    light = ex.map(_light, prepared)
    buckets, light = ex.gather(grouped), ex.gather(light)
    docs = [p for chunk in light for p in chunk]
    reference = np.array([d.reference for d in docs], dtype=bool)
    cand = np.concatenate([b.pairs for b in buckets])
    if len(cand):
        # Votes of one pair may come from several partitions: add them up.
        cand, inverse = np.unique(cand, axis=0, return_inverse=True)
        votes = np.bincount(inverse.ravel(), weights=np.concatenate([b.votes for b in buckets]))
        cand = cand[(votes >= opts.sketch.min_votes) & ~(reference[cand[:, 0]] & reference[cand[:, 1]])]
    # Pairs grouped by the batches holding their documents: one task per batch pair.
    by_batches = defaultdict(list)
    size = opts.batch_size
    for a, b in cand.tolist():
        by_batches[(a // size, b // size)].append((a, b))
    tasks = [ex.submit(P.verify, prepared[ba], prepared[bb], pairs, opts)
             for (ba, bb), pairs in sorted(by_batches.items())]
    pairs = sorted((r for chunk in ex.gather(tasks) for r in chunk), key=lambda r: (r.a, r.b))
    result = Result(docs=docs, pairs=pairs, candidates=len(cand))
    for d in docs:
        if d.error:
            result.errors.append((d.path, d.error))
        if d.warning:
            result.warnings.append(d.warning)
    crowded = sorted(c for b in buckets for c in b.crowded)
    result.crowded = _describe_crowded(crowded, docs, opts)
    return result


def _describe_crowded(crowded, docs, opts, limit: int = 5):
    """The passages of buckets too crowded to pair, in words (one per first document)."""
    out, seen = [], set()
    for size, index, start in sorted(crowded, key=lambda c: (-c[0], c[1], c[2])):
        if (index, start) in seen or len(out) >= limit:
            continue
        seen.add((index, start))
        d = docs[index]
        p = P.prepare_one(index, d.path, P.absolute(d.path), d.reference, opts)
        if p.doc is None:
            continue
        end = min(p.length, start + opts.sketch.window)
        sp = P.span(p, start, end)
        out.append((size, f"{d.path}:{sp.line}:{sp.column}", sp.text))
    return out
