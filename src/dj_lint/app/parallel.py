"""--jobs N: lint files in worker processes, results merged in path order.

The task (a picklable callable ``task(path) -> result``, typically a partial
over a compiled Linter) is handed to each worker once by the pool initializer:
with ``fork`` the workers inherit the parent's compiled rules without pickling
them; elsewhere (``spawn``) each worker unpickles, i.e. compiles, them once.
Never per file.

Small runs stay in-process: a pre-commit hook on one or two files must not
pay for starting a pool, and below ``IN_PROCESS_BYTES`` the work is shorter
than the start-up of the workers.
"""
from __future__ import annotations

import functools
import os
import signal
from typing import Callable, Iterator, List, Sequence

IN_PROCESS_FILES = 2
IN_PROCESS_BYTES = 512 * 1024

_TASK: Callable = None  # set in each worker by _init


def default_jobs() -> int:
    """The CPUs this process may run on that other work leaves idle, at least one.

    On a busy machine a second worker gains nothing: Linux shares the CPU between
    sessions (autogroup), so two workers split what one would get and the pool's
    start-up is pure loss (measured on a 2-core machine at load 12: -j 2 used 20%
    more CPU and took 10% longer than -j 1). Idle cores are the CPUs minus the
    1-minute load average, rounded."""
    cpus = _cpus()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - no load average (Windows)
        return cpus
    idle = (os.cpu_count() or cpus) - load
    return max(1, min(cpus, round(idle)))


def _cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _total_bytes(paths: Sequence[str], limit: int) -> int:
    total = 0
    for p in paths:
        try:
            total += os.path.getsize(p)
        except OSError:
            continue  # the task reports unreadable files itself
        if total >= limit:
            break
    return total


# A run of many documents holding at least this much text builds in one go, before
# its first file, what a process otherwise builds once it has seen many documents
# (Linter.warm: near_miss's arrays after its first million characters, 3 MB of
# Chinese): 0.2 s less CPU on the 15.5 MB benchmark corpus with --jobs 1 (6.2 -> 6.0 s).
# Only files of up to DOCUMENT_BYTES count: the arrays serve documents, and a
# 20 MB file alone built them for nothing (peak RSS 237 -> 271 MB).
WARM_BYTES = 3 * 1024 * 1024
DOCUMENT_BYTES = 4 * 1024 * 1024


def worth_warming(paths: Sequence[str], jobs: int) -> bool:
    """Whether a run should build its indexes before linting (``Linter.warm``):
    always before a pool forks its workers (they inherit them), and in one
    process when its files of up to ``DOCUMENT_BYTES`` hold ``WARM_BYTES`` or more."""
    if worth_a_pool(paths, jobs):
        return True
    if "-" in paths:
        return False
    total = 0
    for p in paths:
        n = size_of(p)
        if n <= DOCUMENT_BYTES:
            total += n
            if total >= WARM_BYTES:
                return True
    return False


def worth_a_pool(paths: Sequence[str], jobs: int) -> bool:
    if jobs <= 1 or len(paths) <= IN_PROCESS_FILES or "-" in paths:
        return False
    return _total_bytes(paths, IN_PROCESS_BYTES) >= IN_PROCESS_BYTES


def _init(task: Callable) -> None:
    global _TASK
    _TASK = task
    # Ctrl-C reaches the whole process group: the parent alone reports it
    # (exit 130) and stops the pool; workers must not print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _each(task: Callable, paths: List[str]) -> list:
    return [task(path) for path in paths]


def _context():
    import multiprocessing  # only when a pool is really started: 7 ms of every start-up

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def run(paths: Sequence[str], task: Callable, jobs: int) -> Iterator:
    """Yield ``task(path)`` for every path, in the order of ``paths`` (each path a
    batch of its own, largest files first to the workers)."""
    return run_batches(paths, functools.partial(_each, task), jobs, [[i] for i in range(len(paths))])


def size_of(path: str) -> int:
    try:
        return os.path.getsize(path)
    except (OSError, TypeError, ValueError):
        return 0  # the task reports unreadable files itself


def _call_batch(item):
    i, paths = item
    return i, _TASK(paths)


def run_batches(paths: Sequence[str], task: Callable, jobs: int, groups: List[List[int]]) -> Iterator:
    """Yield the result of every path, in the order of ``paths``, where
    ``task(list of paths)`` returns the results of one batch (``groups``: the
    indices of each batch, consecutive, covering ``paths`` in order). Batches
    go to the workers largest first."""
    paths = list(paths)
    if not worth_a_pool(paths, jobs):
        for group in groups:
            yield from task([paths[i] for i in group])
        return
    workers = min(jobs, len(groups))
    sizes = [sum(size_of(paths[i]) for i in group) for group in groups]
    order = sorted(range(len(groups)), key=lambda g: -sizes[g])
    pool = _context().Pool(workers, initializer=_init, initargs=(task,))
    try:
        waiting, upto = {}, 0
        for g, results in pool.imap_unordered(_call_batch, [(g, [paths[i] for i in groups[g]]) for g in order]):
            waiting[g] = results
            while upto in waiting:
                yield from waiting.pop(upto)
                upto += 1
        pool.close()
    finally:
        # On Ctrl-C or any error: stop the workers now instead of waiting for them.
        pool.terminate()
        pool.join()


def run_list(paths: Sequence[str], task: Callable, jobs: int) -> List:
    return list(run(paths, task, jobs))
