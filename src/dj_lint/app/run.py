"""One run of dj-lint: lint (or fix, or show the fix as a diff) a list of paths,
apply or write a baseline, and compute the exit code.

The command line (cli/) parses arguments, asks this module for a Result and
renders its Report with a reporter. Linting, --fix, --diff, baselines and
--statistics all go through ``Run.execute``, so a flag works the same way
whichever mode it is combined with, and a combination that cannot work is
refused up front with a UsageError (exit 2).
"""
from __future__ import annotations

import codecs
import datetime as _dt
import contextlib
import errno
import functools
import gc
import os
import sys
from operator import attrgetter
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from .. import __version__
from ..config.resolve import gitignore_match
from ..model.findings import SEVERITY_RANK, SORT_KEY, FileError, KeptLines, Report, from_rows, to_rows
from ..text.document import BinaryInput, Document, InputError
from ..text.sources import load_path, load_stdin
from . import baseline, parallel
from .atomic import WriteError, write_atomic
from .console import Progress, note, warn

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
DEFAULT_SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".doc", ".wps", ".odt")
# Word's owner files (~$报告.docx) exist while a document is open: never a document.
LOCK_PREFIX = "~$"
REVIEWED_SUFFIX = ".审阅.docx"


class UsageError(Exception):
    """Bad arguments or configuration: one line on stderr, exit 2."""


# -- files -------------------------------------------------------------
def _matches(path: str, globs: List[str]) -> bool:
    """--include: gitignore semantics relative to the working folder, as --exclude."""
    return bool(globs) and gitignore_match(path, os.getcwd(), globs)


def _excluded(path: str, globs: List[str], is_dir: bool = False) -> bool:
    """--exclude: gitignore semantics relative to the working folder."""
    return bool(globs) and gitignore_match(path, os.getcwd(), globs, is_dir)


class Unreadable(str):
    """A path the walk could not enter (a folder without read or search
    permission): it stands in the list of files so that it is reported as an
    error in its place, like a file that cannot be read, never skipped."""

    def __new__(cls, path: str, message: str):
        self = super().__new__(cls, path)
        self.message = message
        return self

    def __reduce__(self):  # --jobs pickles paths
        return (Unreadable, (str(self), self.message))


def _os_reason(exc: OSError) -> str:
    from ..text.oserrors import os_reason
    return os_reason(exc)


def collect_paths(paths: List[str], include: List[str], exclude: List[str],
                  wanted=None, says=None) -> List[str]:
    """Files named on the command line are always linted; directories are walked
    for *.txt and *.md (or --include), sorted, without following symlinks.
    ``wanted(path, named)`` is the configuration's say: False skips the file
    (even a named one), True takes a walked file whatever its suffix.
    ``says(path)``, if given: False when ``wanted`` says None of every walked
    file in ``path``'s folder (then it is not asked of each of them)."""
    out = []
    for given in paths:
        if given == "-":
            out.append("-")
            continue
        try:
            os.lstat(given)
        except FileNotFoundError:
            raise UsageError(f"{given}: 路径不存在") from None
        except OSError as exc:
            # A file in a folder without search permission exists, but cannot be
            # reached; a file used as a folder, a name too long or a loop cannot either.
            hint = "（上级目录不可访问）" if exc.errno in (errno.EACCES, errno.EPERM) else ""
            out.append(Unreadable(given, f"无法访问：{_os_reason(exc)}{hint}"))
            continue
        if not os.path.isdir(given):
            if os.path.basename(given).startswith(LOCK_PREFIX):
                note(f"{given}: Word 打开文档时生成的临时锁文件，已跳过")
                continue
            if wanted is None or wanted(given, True) is not False:
                out.append(given)
            continue
        found = []

        def unreadable(exc: OSError) -> None:
            where = exc.filename if isinstance(exc.filename, str) else given
            found.append(Unreadable(where, f"目录无法读取：{_os_reason(exc)}，其中的文件未检查"))

        for root, dirs, files in os.walk(given, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and not _excluded(os.path.join(root, d), exclude, True))
            # The folder's files, each path made by one concatenation (what
            # os.path.join makes of a plain name), asked of the configuration
            # only where it may have a say on the folder's files (``says``):
            # 2,000 files took 45 M instructions, 22 K a file.
            prefix = os.path.join(root, "")
            say, asked = wanted, says is None
            for name in sorted(files):
                full = prefix + name
                if name.startswith(LOCK_PREFIX) or name.endswith(REVIEWED_SUFFIX):
                    continue  # Word's lock file; a reviewed copy --annotate wrote
                if not asked:  # at the folder's first file that would ask
                    asked = True
                    if say is not None and not says(full):
                        say = None
                verdict = say(full, False) if say is not None else None
                if verdict is False or exclude and _excluded(full, exclude):
                    continue
                if include:
                    if not _matches(full, include):
                        continue
                elif verdict is None and not name.lower().endswith(DEFAULT_SUFFIXES):
                    continue
                found.append(full)
        out.extend(found)
    return out


def load_document(path: str, args) -> Document:
    if isinstance(path, Unreadable):
        raise InputError(path.message)
    if path == "-":
        return load_stdin(args.stdin_filename, args.encoding)
    return load_path(path, encoding=args.encoding)


# -- linting -------------------------------------------------------------
# A file this large (bytes) fixes glibc's mmap threshold first (_large_blocks_mapped).
LARGE_FILE = 4 << 20
_MAPPED = False


def _large_blocks_mapped() -> None:
    """glibc's malloc serves blocks over its mmap threshold (128 KB) from mmap
    and gives them back when freed, but each such free raises the threshold to
    the block's size: once a 20 MB file's bytes are freed, every copy of its
    text up to 20 MB comes from the heap, and the holes those copies leave stay
    resident (about 30 MB of peak RSS on benchmarks/out/big_20mb.txt, 264 ->
    224 MB with the threshold fixed; about 1 s more system time for faulting
    fresh pages there). Fixing the threshold at 1 MB (mallopt, which also stops
    its adjustment) before such a file is read keeps large blocks mapped.
    Only with glibc; done once per process; small files never pay for ctypes."""
    global _MAPPED
    if _MAPPED:
        return
    _MAPPED = True
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return
        import ctypes
        ctypes.CDLL(None).mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD
    except (AttributeError, ValueError, OSError):  # not glibc, or no mallopt
        pass


def _maybe_large(path: str) -> None:
    if _MAPPED or path == "-" or isinstance(path, Unreadable):
        return
    try:
        if os.path.getsize(path) > LARGE_FILE:
            _large_blocks_mapped()
    except OSError:
        pass  # the load reports it


def _any_large(sizes: Optional[List[int]]) -> Optional[bool]:
    """Whether a run's files include a large one, from the sizes it has (None:
    unknown, then each batch asks per file). With the sizes, a batch needs no stat
    of its own per file (one system call a file: 8,056 on the realworld benchmark)."""
    if sizes is None:
        return None
    return any(n > LARGE_FILE for n in sizes)


# Which lines of a file with findings the report needs (``lines_needed``).
ALL_LINES, FINDING_LINES, NO_LINES = "all", "findings", "none"
# None come back because the report has each file's text rendered where it was
# linted (a text report under --jobs without a baseline): the lines where
# findings are were half of what --jobs workers pickled back on the benchmark
# corpus (11.5 of 21.7 MB).
RENDERED = "rendered"


def lines_needed(args) -> str:
    """The HTML page shows whole files (and the other side of a copied passage);
    text snippets, baselines and the fingerprints of GitLab and SARIF read only
    the lines where findings start and end; JSON, JUnit, GitHub and concise
    read none."""
    fmt = getattr(args, "format", None)
    if fmt in ("json", "junit", "github", "concise") and not args.baseline and not args.write_baseline:
        return NO_LINES
    if fmt in ("json", "junit", "github", "concise", "text", "gitlab", "sarif"):
        return FINDING_LINES
    return ALL_LINES


def lint_file(path: str, linter, args, keep: str = ALL_LINES):
    """Lint one file; under --jobs this runs in a worker process, so it returns
    everything the report needs: (findings, error, new warnings, lines, shown path).
    ``keep``: which of the file's lines come back (``lines_needed``)."""
    return lint_batch([path], linter, args, keep)[0]


def _kept_lines(doc, found, keep: str):
    if found and keep == ALL_LINES:
        return doc.source_lines
    if found:
        if keep == NO_LINES:
            return KeptLines(len(doc.source_lines), {})
        # The lines where findings start and end (two passes in C, not a
        # Python step per finding and line).
        numbers = set(map(_LINE, found))
        numbers.update(map(_END_LINE, found))
        return KeptLines.of(doc.source_lines, numbers)
    return None


_LINE, _END_LINE = attrgetter("line"), attrgetter("end_line")


# Files linted together (Linter.lint_many: the kinds run kind by kind over the
# batch): consecutive paths, at most BATCH_FILES of them and BATCH_BYTES in all
# (a larger file is a batch of its own). Larger batches pay: a kind's tables stay
# warm over more documents and near_miss's numpy calls are shared by more (8,056
# realworld pages make batches of about 11,000 characters at 16 files).
# Alternating runs, --jobs 1, CPU seconds, at 16 -> 48 files: benchmark corpus
# 3.66-3.76 -> 3.46-3.60, benchmarks/out/realworld 7.17-7.45 -> 7.12-7.17; 64 was
# about as good, 128 and 256 worse than 16 (realworld 8.6-8.8 and 9.2-9.5 s).
# Under a pool a batch is also the unit the processes share; the last ones are
# cut smaller (parallel._tail_split) to keep the end of a run balanced. --jobs 2
# at 16 -> 48 files, wall seconds, six alternating runs each: corpus 1.94-2.00 ->
# 1.89-1.92, realworld 3.34-3.96 -> 3.17-3.27.
BATCH_FILES = 48
BATCH_BYTES = 1 << 20


def batches(paths: List[str], files: int = BATCH_FILES, sizes: Optional[List[int]] = None) -> List[List[int]]:
    """The indices of ``paths`` cut into consecutive batches of at most ``files``
    (``sizes``: each path's ``parallel.size_of``, if the caller has them)."""
    out: List[List[int]] = []
    current, size = [], 0
    if sizes is None:
        sizes = [parallel.size_of(path) for path in paths]
    for i, n in enumerate(sizes):
        if current and (len(current) >= files or size + n > BATCH_BYTES):
            out.append(current)
            current, size = [], 0
        current.append(i)
        size += n
    if current:
        out.append(current)
    return out


def lint_batch(paths: List[str], linter, args, keep: str = ALL_LINES) -> list:
    """``lint_file`` of each path, in order, the documents linted together
    (Linter.lint_many: the same findings and warnings as one by one). A file that
    cannot be linted has its warning or error at its place among the others'."""
    return [result for result, _ in _lint_batch_rendered(paths, linter, args, keep)]


def _lint_batch_rendered(paths: List[str], linter, args, keep: str, render=None,
                         large: Optional[bool] = None, count_only: bool = False) -> list:
    """``lint_batch``, each file's result with what ``render(findings, lines)``
    gave for it, from all its lines while its document is here (None for a file
    without findings, or without ``render``). With ``keep`` RENDERED no lines
    come back: the report has the rendered text and needs none. ``large``: whether
    the run has a file over LARGE_FILE (None: unknown, each path is looked at).
    ``count_only``: a file rendered comes back with the number of its findings
    in their place (a report that lists none of them: ``lint_paths``' ``unlisted``)."""
    loaded = []  # (path, document or None, warning or None, error or None)
    if large:
        _large_blocks_mapped()  # once a process (a spawned worker too)
    for path in paths:
        if large is None:
            _maybe_large(path)
        try:
            doc = load_document(path, args)
        except BinaryInput as exc:
            loaded.append((path, None, f"{path}: {exc}", None))
            continue
        except InputError as exc:
            loaded.append((path, None, None, FileError(path, str(exc))))
            continue
        # The bytes are only for --fix (which reads files itself): a 20 MB file's
        # bytes would otherwise sit in memory for the whole lint.
        doc.raw = None
        loaded.append((path, doc, None, None))
    # The batch's warnings are gathered apart and go back with each file's result:
    # ``lint_paths`` gives them to the run in path order. Added to the run's own
    # list as they came, a pool's parent put those of the batches it linted itself
    # first, and the warnings came out in a different order from run to run.
    ctx = linter.ctx
    run_warnings, ctx.warnings = ctx.warnings, []
    try:
        return _lint_loaded(loaded, linter, keep, render, count_only)
    finally:
        ctx.warnings = run_warnings


def _lint_loaded(loaded: list, linter, keep: str, render, count_only: bool) -> list:
    found_all = linter.lint_many([doc for _, doc, _, _ in loaded if doc is not None])
    results = []
    for path, doc, warning, error in loaded:
        before = len(linter.ctx.warnings)
        if doc is None:
            if warning is not None:
                linter.ctx.warn(warning)
            results.append((([], error, linter.ctx.warnings[before:], None, None), None))
            continue
        found = next(found_all)
        rendered = render(found, doc.source_lines) if render is not None and found else None
        if count_only and rendered is not None:
            results.append(((len(found), None, linter.ctx.warnings[before:], None, doc.path), rendered))
            continue
        lines = None if keep == RENDERED or not found else _kept_lines(doc, found, keep)
        results.append(((found, None, linter.ctx.warnings[before:], lines, doc.path), rendered))
    return results


def report_encoding(path: Optional[str]) -> Optional[str]:
    """The encoding in which ``write_report`` takes pieces of a report to
    ``path`` (stdout if None) as bytes, identical to the text it would write
    (UTF-8, errors backslashreplace, no newline translation); None if it takes
    only text. Under --jobs each file's report text is then encoded where it is
    linted: this process neither decodes what the workers send nor encodes it
    again at the serial end of a run (17.9 MB on the benchmark corpus)."""
    if path:
        return "utf-8"  # write_atomic's
    stream = sys.stdout
    try:
        same = (codecs.lookup(stream.encoding).name == "utf-8" and stream.errors == "backslashreplace"
                and os.linesep == "\n" and stream.buffer is not None)
    except (AttributeError, LookupError, TypeError):
        return None  # not a text layer over bytes (a StringIO)
    return "utf-8" if same else None


def _encode(results: list) -> list:
    """A batch's results as a --jobs worker sends them: findings as rows of fields
    (``to_rows``; the rest, and a number of findings in their place, pickles as it is)."""
    return [((to_rows(r[0]) if r[0] and type(r[0]) is list else r[0],) + r[1:], rendered)
            for r, rendered in results]


def _decode(results: list) -> list:
    return [((from_rows(r[0]) if r[0] and type(r[0]) is list else r[0],) + r[1:], rendered)
            for r, rendered in results]


@contextlib.contextmanager
def few_collections(young: int = 200_000):
    """The garbage collector while a run lints: on (whoever turned it off), with
    what exists now (rule packs, kinds, the indexes built so
    far) left out of every collection (``gc.freeze``), and the young generation
    collected every ``young`` new objects instead of 700. A run makes millions of
    short-lived matches and hits that reference counting frees; the collector
    only has to find cycles, of which a run makes few. Measured on the 15.5 MB
    benchmark corpus (--jobs 1, gc.callbacks): 0.37 s of collection before, 0.05 s
    after, peak RSS unchanged (120 MB). All is put back on the way out.
    At 20,000 the benchmark corpus still had 11 young collections (0.06-0.07 s,
    gc.callbacks), that found nothing: a batch's documents and hits alive when
    one ran, and the findings kept for the report; at 200,000 it has none (peak
    RSS unchanged: --format json 135.5 MB, benchmarks/out/big_20mb.txt 213 MB with
    a warm cache). What the lint made and still holds (the findings) is frozen on the
    way out as well: that resets the young count, which the previous threshold
    put back would have met at once with a collection walking all of it (21 ms
    at the end of the corpus run), and puts it with the rest in the oldest
    generation (``gc.unfreeze``)."""
    before, enabled = gc.get_threshold(), gc.isenabled()
    gc.freeze()
    gc.set_threshold(max(young, before[0]), *before[1:])
    gc.enable()
    try:
        yield
    finally:
        gc.freeze()
        gc.set_threshold(*before)
        gc.unfreeze()
        if not enabled:
            gc.disable()


def lint_paths(paths: List[str], linter, args, keep: str = ALL_LINES,
               on_file=None, render_file=None, write_file=None,
               unlisted: Optional[list] = None) -> Tuple[list, list, dict, int]:
    """Lint every path (in worker processes under --jobs). For each file with
    findings, ``render_file(findings, lines)`` is called where the file was
    linted (in a worker under --jobs) and ``on_file(findings, what render_file
    gave)`` here as soon as its result is here (in path order in one process;
    under --jobs in the order the files are done: the command line renders its
    report's lines that way, while the processes lint). ``write_file(findings,
    what render_file gave, lines)``, if given (with ``render_file``, for
    ``paths`` in ascending order: the report lists the files as they come), is
    called here in path order: the command line writes each file's part of the
    report then.
    ``unlisted``, a list, if given (with ``write_file``): a file that
    ``write_file`` writes as ``render_file`` gave it is not kept among the findings
    returned; ``write_file`` gets the number of its findings in their place, and
    (its path, ``render_file``'s counts) is appended to ``unlisted``. Under --jobs,
    the workers then send no finding back (pickled and remade here, 24,000
    findings took 0.07 s of CPU on the benchmark corpus with --jobs 2)."""
    findings, errors, sources, files = [], [], {}, 0
    task = functools.partial(lint_file, linter=linter, args=args, keep=keep)
    jobs = getattr(args, "jobs", None) or parallel.default_jobs()
    cluster = getattr(args, "cluster", None) or os.environ.get("DASK_SCHEDULER_ADDRESS")
    on_cluster = bool(cluster and paths and "-" not in paths)
    # Each file's size, once: for warming, cutting the batches and the pool's order
    # (three stats a file before; 8,056 files took 35-40 ms a pass).
    sizes = None if on_cluster or "-" in paths else [parallel.size_of(p) for p in paths]
    if not on_cluster and parallel.worth_warming(paths, jobs, sizes) and hasattr(linter, "warm"):
        linter.warm()  # once here (inherited by every forked worker under --jobs)
    elif sizes is not None and parallel.many_documents(sizes) and hasattr(linter, "expect_many"):
        # The documents coming (a file over DOCUMENT_BYTES is no document the
        # kinds' tables are built for: see parallel.worth_warming).
        linter.expect_many([n for n in sizes if n <= parallel.DOCUMENT_BYTES])
    if len(paths) == 1 and not on_cluster and hasattr(linter, "expect_few"):
        linter.expect_few()  # one document: no shared anchor automaton to build for it
    ordered = True  # each file's findings come sorted; the files so far in path order
    last = None
    with few_collections():
        if on_cluster:
            from .cluster import ClusterError, lint_on_cluster
            try:
                results = [(r, None) for r in lint_on_cluster(cluster, paths, task)]
            except ClusterError as exc:
                raise UsageError(str(exc)) from None
        else:
            groups = batches(paths, sizes=sizes)
            if render_file is not None and not (getattr(args, "baseline", None)
                                                or getattr(args, "write_baseline", None)):
                # The report writes each file's text as rendered (only a
                # baseline's cut would have it render a file again, from its lines).
                keep = RENDERED
            batch_task = functools.partial(_lint_batch_rendered, linter=linter, args=args, keep=keep,
                                           render=render_file, large=_any_large(sizes),
                                           count_only=unlisted is not None and write_file is not None)
            arrived = None
            if on_file is not None:
                def arrived(batch):
                    for (found, error, _, lines, shown), rendered in batch:
                        if found and error is None and shown is not None:
                            on_file(found, rendered)
            results = parallel.run_batches(paths, batch_task, jobs, groups, arrived, (_encode, _decode), sizes)
        # Results come back in path order whatever --jobs or --cluster is, so the output is identical.
        with Progress(len(paths)) as progress:
            for done, ((found, error, warnings, lines, shown), rendered) in enumerate(results, 1):
                for w in warnings:
                    linter.ctx.warn(w)
                if error is not None:
                    errors.append(error)
                elif shown is not None:
                    files += 1
                    if found:
                        counted = type(found) is int  # its number: written, not kept (``unlisted``)
                        if counted:
                            unlisted.append((shown, rendered[2]))
                        else:
                            findings.extend(found)
                            sources[shown] = lines
                        if ordered:
                            ordered = last is None or last < (shown if counted else found[0].path)
                            last = shown if counted else found[-1].path
                        if write_file is not None and not on_cluster:
                            if not ordered:  # the report would sort what was written
                                raise RuntimeError(f"{shown}: written out of order")
                            write_file(found, rendered, lines)
                        if on_cluster and on_file is not None:
                            on_file(found, render_file(found, lines) if render_file else None)
                if progress.enabled:  # (a call a file less in a pipe or a log)
                    progress.step(done)
    # Each file's findings come sorted (Linter.lint_many) and all of them have
    # its path: when the files came in path order, so did the findings (sorting
    # 48,000 findings again took 0.035 s at the serial end of a run).
    if not ordered:
        findings.sort(key=SORT_KEY)
    return findings, errors, sources, files


# -- the run -------------------------------------------------------------
@dataclass
class Result:
    """What the command line shows: ``report`` (None after --diff or
    --write-baseline) or ``diff``; ``notes`` go to stderr after the report."""
    exit_code: int
    report: Optional[Report] = None
    diff: Optional[str] = None
    notes: List[str] = field(default_factory=list)
    # --fix on stdin: stdout carries the fixed text, so the report goes to stderr.
    report_to_stderr: bool = False


def check_flags(args, paths: Optional[List[str]] = None) -> None:
    """Refuse the combinations that cannot work, before any file is touched."""
    fixing = args.fix or args.diff
    if args.unsafe_fixes and not fixing:
        raise UsageError("--unsafe-fixes 只能与 --fix 或 --diff 一起使用")
    if args.baseline and args.write_baseline:
        raise UsageError("--baseline 与 --write-baseline 不能同时使用")
    if fixing and args.write_baseline:
        raise UsageError("--write-baseline 不能与 --fix 或 --diff 同时使用")
    if args.diff and args.baseline:
        raise UsageError("--diff 显示全部可自动修复的修改，不能与 --baseline 同时使用")
    if args.diff and args.statistics:
        raise UsageError("--diff 只输出修改，不能与 --statistics 同时使用（可用 --fix --statistics）")
    if args.write_baseline and args.statistics:
        raise UsageError("--write-baseline 不输出报告，不能与 --statistics 同时使用")
    if getattr(args, "annotate", False) and (fixing or args.unsafe_fixes or args.write_baseline):
        raise UsageError("--annotate 不能与 --fix、--diff 或 --write-baseline 同时使用")
    if paths is not None and args.fix and not args.diff and "-" in paths and len(paths) > 1:
        raise UsageError("--fix 从标准输入读取时只能处理这一个输入（修复后的文本写到标准输出）")


@dataclass
class _FixTally:
    """What --fix and --diff gather over the files of one run."""
    findings: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)
    diffs: list = field(default_factory=list)
    files: int = 0
    fixed_total: int = 0
    fixed_files: int = 0


class Run:
    """One invocation over ``paths`` with a (configured) Linter."""

    def __init__(self, args, linter, paths: List[str], resolver=None):
        self.args, self.linter, self.paths = args, linter, paths
        self.resolver = resolver if resolver is not None else getattr(linter, "resolver", None)
        self.ctx = linter.ctx
        self.fixing = bool(args.fix or args.diff)
        self.on_file = self.render_file = self.write_file = None  # lint_paths' (set by the command line)
        # Whether the report lists the findings of the files write_file wrote as
        # render_file gave them (the command line says when nothing after them needs them).
        self.keep_written = True
        check_flags(args, paths)

    # -- steps --
    def _fix_paths(self):
        st = _FixTally()
        verb = "修复中" if self.args.fix and not self.args.diff else "检查中"
        with few_collections(), Progress(len(self.paths), verb) as progress:
            for done, path in enumerate(self.paths, 1):
                self._fix_path(path, st)
                progress.step(done)
        st.findings.sort(key=SORT_KEY)
        return st.findings, st.errors, st.sources, st.files, st.diffs, st.fixed_total, st.fixed_files

    def _fix_path(self, path: str, st: "_FixTally") -> None:
        args, ctx = self.args, self.ctx
        try:
            doc = load_document(path, args)
        except BinaryInput as exc:
            ctx.warn(f"{path}: {exc}")
            return
        except InputError as exc:
            st.errors.append(FileError(path, str(exc)))
            return
        st.files += 1
        from .fix import fix_one
        result, changed = fix_one(path, doc, self.linter, args, st.errors, st.diffs)
        for message in result.notes:
            ctx.warn(message)
        remaining = result.findings if changed else result.initial_findings
        if changed:
            st.fixed_total += result.applied
            st.fixed_files += 1
            if not args.diff:
                note(f"{doc.path}：已修复 {result.applied} 处")
        if remaining:
            st.findings.extend(remaining)
            st.sources[doc.path] = (result.doc if changed else doc).source_lines

    def _as_of(self) -> _dt.date:
        if self.args.as_of:
            return self.args.as_of
        if self.resolver is not None and self.paths:
            return self.resolver.settings(self.paths[0])[0].as_of
        return self.ctx.as_of

    def _fail_on(self, path: str) -> str:
        if self.resolver is not None:
            return self.resolver.fail_on(path)
        return self.args.fail_on or "info"

    def execute(self) -> Result:
        args = self.args
        _FLUSHED[0] = None  # text written to stdout before this run is flushed at its first bytes
        notes: List[str] = []
        fixed_total = fixed_files = 0
        unlisted = None if self.keep_written else []
        if self.fixing:
            findings, errors, sources, files, diffs, fixed_total, fixed_files = self._fix_paths()
        else:
            findings, errors, sources, files = lint_paths(self.paths, self.linter, args, lines_needed(args),
                                                          self.on_file, self.render_file, self.write_file,
                                                          unlisted)
        if args.diff:
            notes.append(f"可自动修复 {fixed_total} 处（{fixed_files} 个文件），未改动任何文件")
            code = EXIT_USAGE if errors else EXIT_FINDINGS if fixed_files else EXIT_CLEAN
            return Result(code, diff="".join(diffs), notes=notes)
        if args.write_baseline:
            return self._write_baseline(findings, errors, sources)
        failed = {e.path for e in errors}
        linted = [(args.stdin_filename or "<stdin>") if p == "-" else p
                  for p in self.paths if p not in failed]
        if args.baseline:
            findings = self._apply_baseline(findings, sources, linted)
        report = Report(findings=findings, errors=errors, files=files, as_of=self._as_of().isoformat(),
                        version=__version__, sources=sources, warnings=self.ctx.warnings,
                        paths=linted, unlisted=unlisted or [],
                        rule_info=self.resolver.rule_info() if self.resolver is not None else {})
        if args.fix:
            notes.append(f"共自动修复 {fixed_total} 处（{fixed_files} 个文件）")
            if not args.unsafe_fixes:
                rules = {r.id: r for r in self.linter.rules}
                unsafe = sum(1 for f in findings if f.fixable and f.rule in rules
                             and rules[f.rule].fix.get("safety", "safe") == "unsafe")
                if unsafe:
                    notes.append(f"另有 {unsafe} 处可用 --fix --unsafe-fixes 修复（请先用 --diff 查看）")
        if errors:
            code = EXIT_USAGE
        # fail_on may differ per file (configuration), so each finding meets its own threshold.
        elif (any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[self._fail_on(f.path)] for f in findings)
              or any(SEVERITY_RANK[s] >= SEVERITY_RANK[self._fail_on(path)]
                     for path, (severities, _) in report.unlisted for s, n in severities.items() if n)):
            code = EXIT_FINDINGS
        else:
            code = EXIT_CLEAN
        to_stdout = bool(args.fix and "-" in self.paths)
        return Result(code, report=report, notes=notes, report_to_stderr=to_stdout)

    def _write_baseline(self, findings, errors, sources) -> Result:
        path = self.args.write_baseline
        write_report(baseline.render(findings, sources, path), path)
        notes = [f"已把 {len(findings)} 个问题写入基线 {path}"]
        notes += [f"{e.path}: {e.message}" for e in errors]
        return Result(EXIT_USAGE if errors else EXIT_CLEAN, notes=notes)

    def _apply_baseline(self, findings, sources, linted) -> list:
        path = self.args.baseline
        new, gone = baseline.filter_new(findings, sources, baseline.load(path), path, linted)
        if gone:
            note(f"基线中有 {gone} 个问题已不再出现，"
                             f"可用 --write-baseline {path} 更新基线")
        return new


def write_reviewed(paths, findings, failed, args) -> bool:
    """--annotate: a reviewed copy with one Word comment per finding, per file."""
    files = [p for p in paths if p != "-" and p not in failed]
    if args.annotate_output and len(files) > 1:
        raise UsageError("--annotate-output 只能用于一个文件；多个文件的审阅稿各自保存在原文件旁")
    from .annotate import annotate_file, reviewed_path
    ok = True
    for path in files:
        out = reviewed_path(path, args.annotate_output)
        if os.path.abspath(out) == os.path.abspath(path):
            raise UsageError(f"{path}: 审阅稿不能覆盖原文件，请换一个 --annotate-output 文件名")
        mine = [f for f in findings if f.path == path]
        try:
            lines = None
            if not path.lower().endswith((".docx", ".doc", ".wps", ".odt")):
                lines = load_document(path, args).source_lines
            count = annotate_file(path, mine, out, lines)
        except (InputError, OSError, ValueError, WriteError) as exc:
            note(f"{path}: 无法生成审阅稿：{exc}")
            ok = False
            continue
        note(f"已生成审阅稿 {out}（{count} 条批注）")
    return ok


# The stdout whose text layer write_report flushed and then wrote only bytes to
# (through its buffer): no text of the report waits in that layer.
_FLUSHED: list = [None]


def write_report(text, path: Optional[str]) -> None:
    """Write a report (a string, or an iterable of strings written as they
    come) to stdout or, atomically, to ``path``: a failure while the pieces
    are produced leaves ``path`` as it was. A piece may be bytes, already
    encoded as ``report_encoding`` says the destination wants it."""
    if not path:
        stdout = sys.stdout
        # Bytes go to the buffer under the text layer, once that layer is flushed:
        # not again while nothing was written as text since (a streamed report
        # writes each file's part in a call of its own; a flush a file made the
        # buffer write a file at a time: 8,056 small pages to a pipe, 0.3 s more).
        raw = stdout.buffer if _FLUSHED[0] is stdout else None
        for piece in ([text] if isinstance(text, str) else text):
            if isinstance(piece, bytes):
                if raw is None:
                    stdout.flush()  # what the text layer holds comes first
                    raw = stdout.buffer
                    _FLUSHED[0] = stdout
                raw.write(piece)
                continue
            raw = _FLUSHED[0] = None
            # In slices: encoding a 60,000-finding report in one piece doubles its memory.
            for i in range(0, len(piece), 1 << 20):
                stdout.write(piece[i:i + (1 << 20)])
        return
    notes: list = []
    try:
        write_atomic(path, text, notes=notes)
    except WriteError as exc:
        raise UsageError(f"{path}: 无法写入报告：{exc.reason}") from None
    for line in notes:
        warn(line)
