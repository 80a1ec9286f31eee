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
    parts, first_ref = ex.parts, len(paths)
    # Band keys shuffled by key: documents sharing a bucket -> pair-window records;
    # those shuffled by pair: pairs with two windows of one passage -> candidates.
    split = [ex.submit(P.split, b, parts) for b in prepared]
    light = ex.map(_light, prepared)
    prepared = [ex.submit(P.strip, b) for b in prepared]
    grouped = [ex.submit(P.group, [ex.submit(P.part, s, r) for s in split], opts.max_bucket, first_ref)
               for r in range(parts)]
    del split
    resplit = [ex.submit(P.split_pairs, g, parts) for g in grouped]
    del grouped
    voted = [ex.submit(P.vote, [ex.submit(P.part, s, r) for s in resplit], opts, first_ref)
             for r in range(parts)]
    del resplit
    cand, light = ex.gather(voted), ex.gather(light)
    docs = [p for chunk in light for p in chunk]
    cand = np.concatenate(cand) if cand else np.zeros((0, 2), np.int64)
    cand = cand[np.lexsort((cand[:, 1], cand[:, 0]))]
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
    return result
