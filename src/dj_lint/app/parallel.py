"""--jobs N: lint files in worker processes, results merged in path order.

The task (a picklable callable ``task(paths) -> results``, typically a partial
over a compiled Linter) is handed to each worker once, when it starts: with
``fork`` the workers inherit the parent's compiled rules without pickling them;
elsewhere (``spawn``) each worker unpickles, i.e. compiles, them once. Never per
file. The parent lints too (``run_batches``).

Small runs stay in-process: a pre-commit hook on one or two files must not
pay for starting a pool, and below ``IN_PROCESS_BYTES`` the work is shorter
than the start-up of the workers.
"""
from __future__ import annotations

import functools
import os
import pickle
import signal
import sys
import threading
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

IN_PROCESS_FILES = 2
IN_PROCESS_BYTES = 512 * 1024

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


def worth_warming(paths: Sequence[str], jobs: int, sizes: Optional[Sequence[int]] = None) -> bool:
    """Whether a run should build its indexes before linting (``Linter.warm``):
    always before a pool forks its workers (they inherit them), and in one
    process when its files of up to ``DOCUMENT_BYTES`` hold ``WARM_BYTES`` or more.
    ``sizes``: each path's ``size_of``, if the caller has them."""
    if worth_a_pool(paths, jobs, sizes):
        return True
    if "-" in paths:
        return False
    total = 0
    for n in (sizes if sizes is not None else map(size_of, paths)):
        if n <= DOCUMENT_BYTES:
            total += n
            if total >= WARM_BYTES:
                return True
    return False


# A run whose files hold at least this many bytes has more than 8,000 characters
# (a character is at most 3 bytes in UTF-8 within the BMP): self_spelling's
# INDEXED_AFTER, past which its words join the shared anchor automaton (one
# large file as well: it is past INDEXED_AFTER by its own first check). Such a
# run registers them before its first document (Linter.anchors_for_many), so the
# automaton is built once. Below it a run may never reach the index, and the
# bigger automaton would be built for nothing.
MANY_BYTES = 3 * 8_000


def many_documents(sizes: Sequence[int]) -> bool:
    """Whether the files of a run (their sizes) hold enough text to register the
    words of the kinds that index after many characters (see ``MANY_BYTES``)."""
    total = 0
    for n in sizes:
        total += n
        if total >= MANY_BYTES:
            return True
    return False


def worth_a_pool(paths: Sequence[str], jobs: int, sizes: Optional[Sequence[int]] = None) -> bool:
    if jobs <= 1 or len(paths) <= IN_PROCESS_FILES or "-" in paths:
        return False
    if sizes is not None:
        return sum(sizes) >= IN_PROCESS_BYTES
    return _total_bytes(paths, IN_PROCESS_BYTES) >= IN_PROCESS_BYTES


def _context():
    import multiprocessing  # only when a pool is really started: 7 ms of every start-up

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def run(paths: Sequence[str], task: Callable, jobs: int) -> Iterator:
    """Yield ``task(path)`` for every path, in the order of ``paths`` (each path a
    batch of its own, largest files first)."""
    return run_batches(paths, functools.partial(_each, task), jobs, [[i] for i in range(len(paths))])


def _each(task: Callable, paths: List[str]) -> list:
    return [task(path) for path in paths]


def size_of(path: str) -> int:
    try:
        return os.path.getsize(path)
    except (OSError, TypeError, ValueError):
        return 0  # the task reports unreadable files itself


def run_batches(paths: Sequence[str], task: Callable, jobs: int, groups: List[List[int]],
                on_arrival: Optional[Callable] = None, codec: Optional[Tuple[Callable, Callable]] = None,
                sizes: Optional[Sequence[int]] = None) -> Iterator:
    """Yield the result of every path, in the order of ``paths``, where
    ``task(list of paths)`` returns the results of one batch (``groups``: the
    indices of each batch, consecutive, covering ``paths`` in order).
    ``on_arrival(results)``, if given, is called with each batch's results as
    soon as this process has them: in path order in one process, in the order
    the batches are done under a pool (where the first path's batch may be among
    the last done, and the results wait for it before they are yielded).

    With a pool, this process is one of the ``jobs`` that lint: it forks
    ``jobs - 1`` workers, and each of them and this process claims the next
    batch, largest first, from their shared turns (``_Turns``) until none is left. A worker
    sends its results through a pipe; a thread here reads the pipe (so a worker
    never waits for this process to finish a batch of its own), and the results
    are unpickled and yielded in path order. ``codec`` (encode, decode), if given:
    a worker sends ``encode(results)``, and this process takes ``decode`` of
    what came (a form that pickles faster; its own batches are never encoded).

    Why not ``multiprocessing.Pool``: measured on the 15.5 MB benchmark corpus
    with --jobs 2, its parent used 0.41 s of CPU while two workers linted, taking
    it from them on a 2-core machine: 0.15 s in its worker-handler thread, which
    wakes whenever a result is waiting in the pipe and spins until the result
    thread has read it, and 0.17 s unpickling all results (21.7 MB). Here nothing
    spins, and this process's own half of the results is never pickled.
    ``concurrent.futures.ProcessPoolExecutor`` does not spin, but it cannot stop
    a busy worker on Ctrl-C or an error (it waits for the batch to end: seconds
    for a large file); here the workers are terminated at once."""
    paths = list(paths)
    if not worth_a_pool(paths, jobs, sizes) or len(groups) < 2:  # one batch: nothing to share
        for group in groups:
            results = task([paths[i] for i in group])
            if on_arrival is not None:
                on_arrival(results)
            yield from results
        return
    # One stat a file, unless the caller has them (``sizes``: 8,056 stats took
    # 35-40 ms on the realworld benchmark, on the serial start of a run).
    size = list(sizes) if sizes is not None else [size_of(p) for p in paths]
    groups = _tail_split(groups, [sum(size[i] for i in group) for group in groups])
    group_sizes = [sum(size[i] for i in group) for group in groups]
    order = sorted(range(len(groups)), key=lambda g: -group_sizes[g])
    yield from _Pool(paths, task, groups, order, min(jobs, len(groups)) - 1, on_arrival, codec).results()


# The batches claimed last are cut into pieces of at most this many files (see
# ``_tail_split``).
TAIL_FILES = 4


def _tail_split(groups: List[List[int]], sizes: List[int]) -> List[List[int]]:
    """``groups`` with the smallest of them, about one average batch's worth of
    bytes, cut into pieces of ``TAIL_FILES`` files: they are claimed last, and a
    process that takes a whole batch at the end lints alone while the others
    wait for it. Pieces, not single files: a batch of one file pays a kind's
    per-batch costs alone (near_miss's numpy calls, for one, are shared by no
    other document). On
    the benchmark corpus in batches of 48 files, the two processes of --jobs 2
    still ended within 0.01 s of each other; cut as before, two average batches
    into single files, 154 pieces instead of 41 cost 0.06 s of wall time.
    Still consecutive, still covering every path in order."""
    if len(groups) < 4:
        return groups
    budget = sum(sizes) // len(groups)
    cut = set()
    for g in sorted(range(len(groups)), key=lambda g: sizes[g]):
        if budget <= 0:
            break
        cut.add(g)
        budget -= sizes[g]
    out: List[List[int]] = []
    for g, group in enumerate(groups):
        if g in cut:
            out.extend(group[k:k + TAIL_FILES] for k in range(0, len(group), TAIL_FILES))
        else:
            out.append(group)
    return out


# What a worker sends: (batch index, results); a batch that raised: (-1, the
# exception); then, when there is nothing left to claim, _DONE.
_DONE = None


class _Turns:
    """The turns of a pool's batches, 0 to ``count`` - 1, each claimed by one of its
    processes (this one and its workers); past the last, ``count``.

    Under fork: a pipe holding every turn's number in 4 bytes, written before the
    workers are forked and closed for writing, so a claim is one read of 4 bytes
    (the kernel serialises the reads of a pipe, and every number is there before
    the first read: each read takes one whole number, the next), and once all
    are taken a read finds the pipe empty with no writer left. A
    ``multiprocessing.Value`` counter and its lock cost 3.4-3.8 ms of the serial
    start of every --jobs run, before its fork (sharedctypes, its heap's arena,
    the lock's semaphore). That counter is still what a spawned pool shares (a
    worker there inherits no pipe), and a fork's too when the numbers do not fit
    in a pipe (over 16,384 batches, unless the pipe can be widened)."""

    def __init__(self, ctx, count: int):
        self.count = count
        self._fd = _turn_pipe(count) if ctx.get_start_method() == "fork" else None
        self._counter = ctx.Value("l", 0) if self._fd is None else None

    def claim(self) -> int:
        if self._fd is not None:
            raw = os.read(self._fd, 4)
            return int.from_bytes(raw, "little") if len(raw) == 4 else self.count
        with self._counter.get_lock():
            k = self._counter.value
            self._counter.value = k + 1
        return k

    def close(self) -> None:
        """This process's end of the pipe (the workers' go with them)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _turn_pipe(count: int) -> Optional[int]:
    """The read end of a pipe holding the numbers 0 to ``count`` - 1 (4 bytes
    each, little-endian) and closed for writing, or None when they do not fit."""
    data = b"".join([k.to_bytes(4, "little") for k in range(count)])
    reader, writer = os.pipe()
    try:
        if len(data) > 1 << 16:
            _widen(writer)
        os.set_blocking(writer, False)  # a pipe too small: a short write, never a wait
        written = os.write(writer, data) if data else 0
    except OSError:
        written = -1
    finally:
        os.close(writer)
    if written != len(data):
        os.close(reader)
        return None
    return reader


def _work(task: Callable, paths: List[str], groups: List[List[int]], order: List[int],
          turns: _Turns, out, encode: Optional[Callable]) -> None:
    """A worker process: lint the batches it claims, send each one's results."""
    # Ctrl-C reaches the whole process group: the parent alone reports it
    # (exit 130) and stops the workers; they must not print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while True:
            k = turns.claim()
            if k >= len(order):
                break
            g = order[k]
            try:
                results = task([paths[i] for i in groups[g]])
                message = (g, encode(results) if encode is not None else results)
            except Exception as exc:  # noqa: BLE001 - re-raised in the parent
                message = (-1, _picklable(exc))
            out.send(message)
            if message[0] < 0:
                return
        out.send(_DONE)
    finally:
        out.close()


def _picklable(exc: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - an exception that cannot cross processes
        return RuntimeError(f"{type(exc).__name__}: {exc}")


# The pipe a worker sends its results through holds this much (Linux; the
# default 64 KB elsewhere), and while a pool runs the GIL's switch interval is
# SWITCH_SECONDS (Python's default: 5 ms). A batch's results are up to 1.1 MB on
# the benchmark corpus (48 files, 1 MB of text): the reading thread here needs
# the GIL between two reads of the pipe, this process (linting) hands it over
# only after the switch interval, and meanwhile the worker, its pipe full, waits
# in send. With --jobs 2 at load 5, the worker's time in send: 0.32-0.42 s of
# wall (0.03 of CPU) -> 0.12-0.17 s; a child sending 30 messages of 1.05 MB to a
# busy parent: 0.25-0.33 s in send -> 0.10-0.12 s.
PIPE_BYTES = 1 << 20
SWITCH_SECONDS = 0.0005


def _widen(conn) -> None:
    """A pipe (a connection, or a file descriptor) made to hold PIPE_BYTES."""
    try:
        import fcntl

        fcntl.fcntl(conn if isinstance(conn, int) else conn.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031),
                    PIPE_BYTES)
    except (ImportError, OSError, ValueError):  # not Linux, or above /proc/sys/fs/pipe-max-size
        pass


class WorkerDied(RuntimeError):
    """A worker process ended without finishing its batches (killed, out of memory)."""


class _Pool:
    def __init__(self, paths, task, groups, order, workers: int, on_arrival=None, codec=None):
        self.paths, self.task, self.groups, self.order = paths, task, groups, order
        self.encode, self.decode = codec or (None, None)
        self.on_arrival = on_arrival or (lambda results: None)
        self.workers = max(1, workers)
        self.ctx = _context()
        self.turns = _Turns(self.ctx, len(order))
        import queue  # only when a pool is really started

        self.inbox = queue.SimpleQueue()  # (worker number, pickled message or None at its end)
        self.empty = queue.Empty
        self.procs = []

    def _start(self) -> None:
        readers = []
        for _ in range(self.workers):
            reader, writer = self.ctx.Pipe(duplex=False)
            _widen(writer)
            proc = self.ctx.Process(target=_work, daemon=True,
                                    args=(self.task, self.paths, self.groups, self.order, self.turns, writer,
                                          self.encode))
            proc.start()
            writer.close()
            self.procs.append(proc)
            readers.append(reader)
        # Threads only once every worker is forked: a fork copies no other thread.
        for n, reader in enumerate(readers):
            threading.Thread(target=self._read, args=(n, reader), daemon=True).start()

    def _read(self, n: int, reader) -> None:
        # recv_bytes waits and reads without the GIL; unpickling is left to the
        # main thread, when it wants the results.
        try:
            while True:
                self.inbox.put((n, reader.recv_bytes()))
        except (EOFError, OSError):
            self.inbox.put((n, None))
        finally:
            reader.close()

    def _take(self, item, waiting: dict, done: set) -> None:
        n, raw = item
        message = pickle.loads(raw) if raw is not None else None
        if raw is None:
            if n not in done:
                self.procs[n].join(1)
                raise WorkerDied(f"并行检查的子进程意外退出（退出码 {self.procs[n].exitcode}，"
                                 "可能是内存不足或被终止），已停止；可用 --jobs 1 重试")
            return
        if message is _DONE:
            done.add(n)
            return
        g, results = message
        if g < 0:
            raise results
        if self.decode is not None:
            results = self.decode(results)
        self.on_arrival(results)
        waiting[g] = results

    def results(self) -> Iterator:
        try:
            self._start()
        except BaseException:
            self.turns.close()
            raise
        finished = False
        # The reading threads need the GIL between two reads of a pipe: this
        # process, linting, hands it over after the switch interval, and a
        # worker sending a batch larger than the pipe waits meanwhile.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, SWITCH_SECONDS))
        try:
            waiting, done, upto, mine = {}, set(), 0, True
            groups = self.groups
            while upto < len(groups):
                while True:  # take what the workers have sent meanwhile
                    try:
                        self._take(self.inbox.get_nowait(), waiting, done)
                    except self.empty:
                        break
                if upto in waiting:
                    yield from waiting.pop(upto)
                    upto += 1
                    continue
                if mine:
                    k = self.turns.claim()
                    if k < len(self.order):
                        g = self.order[k]
                        results = waiting[g] = self.task([self.paths[i] for i in groups[g]])
                        self.on_arrival(results)
                        continue
                    mine = False
                self._take(self.inbox.get(), waiting, done)
            finished = True
        finally:
            sys.setswitchinterval(interval)
            self.turns.close()
            if not finished:
                # On Ctrl-C or any error (or a consumer that stops early): stop the
                # workers now instead of waiting for their batches.
                for proc in self.procs:
                    if proc.is_alive():
                        proc.terminate()
                for proc in self.procs:
                    proc.join()
        # Every result is here: the workers are not waited for. One that has
        # nothing left to claim exits on its own, and freeing its memory (the
        # benchmark corpus: 10-30 ms, after its last batch) is no longer on the
        # serial end of the run; multiprocessing reaps it (is_alive here, the
        # next pool's start, or at exit).
        for proc in self.procs:
            proc.is_alive()


def run_list(paths: Sequence[str], task: Callable, jobs: int) -> List:
    return list(run(paths, task, jobs))
