"""Where the work runs: in this process, or on a Dask distributed cluster.

Why Dask distributed (and not Ray or Spark): it is pure Python from PyPI
(``pip install 'dj-lint[cluster]'`` brings the scheduler and the worker with
it, no JVM as Spark needs, no separate runtime as Ray ships), its futures take
any picklable function and value, so the very functions that run in-process
run on the workers, and data stays on the worker that made it until a task
needs it elsewhere — the prepared documents never pass through the client.
A cluster is a scheduler address (``tcp://host:8786``); Dask's own
``DASK_SCHEDULER_ADDRESS`` variable names it when ``--cluster`` is not given.
Workers read the files themselves, by absolute path: on a real cluster the
archive must be on a file system they share (on a local cluster it is).

An executor has three verbs: ``submit`` (run one function; a value or a
future), ``map`` (one task per item) and ``gather`` (values of what was
submitted). The in-process executor just calls the function.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Iterable, List, Optional

ENV = "DASK_SCHEDULER_ADDRESS"


class ClusterError(Exception):
    """The cluster cannot be reached or Dask is not installed (exit 2)."""


def address(given: Optional[str]) -> Optional[str]:
    return given or os.environ.get(ENV) or None


class Local:
    """Everything in this process, in order."""
    # The band keys are grouped in 8 slices one after the other: the sorting
    # needs an eighth of the memory (10,000 documents: 1.5 GB -> 0.8 GB peak).
    parts = 8

    def submit(self, fn: Callable, *args, **kwargs) -> Any:
        return fn(*args, **kwargs)

    def map(self, fn: Callable, items: Iterable, *args, **kwargs) -> List:
        return [fn(item, *args, **kwargs) for item in items]

    def gather(self, values):
        return values

    def close(self) -> None:
        pass


class Dask:
    """Tasks on a Dask distributed scheduler; values stay on the workers."""

    def __init__(self, address: str):
        try:
            from distributed import Client
        except ImportError:
            raise ClusterError("使用 --cluster 需要安装 Dask：pip install 'dj-lint[cluster]'") from None
        try:
            # Connect time limit: Dask's own distributed.comm.timeouts.connect (30 s;
            # DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s shortens it).
            self.client = Client(address, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"无法连接集群 {address}：{exc}") from None
        workers = self.client.scheduler_info().get("workers", {})
        # Enough partitions that every worker thread has a share of the buckets.
        threads = sum(w.get("nthreads", 1) for w in workers.values()) or 1
        self.parts = max(2, 2 * threads)

    def submit(self, fn: Callable, *args, **kwargs):
        return self.client.submit(fn, *args, pure=False, **kwargs)

    def map(self, fn: Callable, items: Iterable, *args, **kwargs) -> List:
        return [self.client.submit(fn, item, *args, pure=False, **kwargs) for item in items]

    def gather(self, futures):
        return self.client.gather(futures)

    def close(self) -> None:
        self.client.close()


def executor(given: Optional[str]):
    addr = address(given)
    return Dask(addr) if addr else Local()


# -- the ordinary lint on a cluster: dj-lint --cluster ADDRESS archive/ -------------
def _lint_remote(task: Callable, items) -> list:
    """On a worker: lint files by absolute path, report them by the path given."""
    import dataclasses
    out = []
    for shown, real in items:
        found, error, warnings, lines, path = task(real)
        if shown != real:
            found = [dataclasses.replace(f, path=shown) for f in found]
            if error is not None:
                error = dataclasses.replace(error, path=shown)
            warnings = [shown + w[len(real):] if w.startswith(real + ":") else w for w in warnings]
            path = shown if path is not None else None
        out.append((found, error, warnings, lines, path))
    return out


def lint_on_cluster(addr: str, paths: List[str], task: Callable, batch: int = 32):
    """Yield ``task(path)`` results for every path, in the order of ``paths``.

    The task (the compiled rules and the options) goes to every worker once;
    files go in batches; results come back in path order, so the report is
    byte for byte the one of an in-process run."""
    ex = Dask(addr)
    try:
        shared = ex.client.scatter(task, broadcast=True, hash=False)
        futures = [ex.client.submit(_lint_remote, shared,
                                    [(p, os.path.abspath(p)) for p in paths[i:i + batch]], pure=False)
                   for i in range(0, len(paths), batch)]
        for future in futures:
            yield from future.result()
    finally:
        ex.close()
