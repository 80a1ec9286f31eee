"""--jobs: workers take the largest files first, in small chunks, and the
results still come back in the order of the paths, so -j 2 writes exactly
what -j 1 writes (findings, errors and warnings in the same order)."""
from __future__ import annotations

import os

import pytest
from conftest import run_cli
from dj_lint.app import parallel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "seeds")


def _size_of(path):
    return os.path.getsize(path) if os.path.exists(path) else -1


def test_results_in_path_order_whatever_the_sizes(tmp_path):
    paths = []
    for i in range(40):
        p = tmp_path / f"{i:02d}.txt"
        # Sizes that do not follow the names: the largest files are in the middle.
        p.write_bytes(b"x" * (1000 + 40_000 * (i % 7)))
        paths.append(str(p))
    paths.append(str(tmp_path / "missing.txt"))
    assert parallel.worth_a_pool(paths, 2)
    assert parallel.run_list(paths, _size_of, 2) == [_size_of(p) for p in paths]


_PARENT = os.getpid()


def _pid_after_a_while(path):
    import time
    time.sleep(0.01)  # long enough for the forked worker to claim batches too
    return path, os.getpid()


def _many_paths(tmp_path, n=40):
    paths = []
    for i in range(n):
        p = tmp_path / f"{i:02d}.txt"
        p.write_bytes(b"x" * (20_000 + 1_000 * i))
        paths.append(str(p))
    assert parallel.worth_a_pool(paths, 2)
    return paths


def test_this_process_lints_beside_its_workers(tmp_path):
    """With --jobs 2 one worker is forked and this process claims batches too:
    every path once, in order, linted by exactly two processes."""
    paths = _many_paths(tmp_path)
    got = parallel.run_list(paths, _pid_after_a_while, 2)
    assert [p for p, _ in got] == paths
    pids = {pid for _, pid in got}
    assert _PARENT in pids and len(pids) == 2


def _switch_interval(path):
    import sys
    import time
    time.sleep(0.01)
    return path, os.getpid(), sys.getswitchinterval()


def test_a_pool_hands_the_gil_over_sooner_and_puts_it_back(tmp_path):
    """While a pool runs, this process's switch interval is SWITCH_SECONDS (its
    threads reading the pipes wait less for the GIL); the workers' and, after
    the run, this process's are as they were."""
    import sys
    before = sys.getswitchinterval()
    got = parallel.run_list(_many_paths(tmp_path), _switch_interval, 2)
    assert {s for _, pid, s in got if pid == _PARENT} == {parallel.SWITCH_SECONDS}
    assert {s for _, pid, s in got if pid != _PARENT} == {before}
    assert sys.getswitchinterval() == before


def test_a_pipe_is_widened_where_the_system_allows():
    import multiprocessing
    import sys
    if not sys.platform.startswith("linux"):
        pytest.skip("pipe sizes are Linux's")
    with open("/proc/sys/fs/pipe-max-size") as f:
        if int(f.read()) < parallel.PIPE_BYTES:
            pytest.skip("pipes may not be that large here")
    import fcntl
    reader, writer = multiprocessing.Pipe(duplex=False)
    try:
        parallel._widen(writer)
        assert fcntl.fcntl(writer.fileno(), getattr(fcntl, "F_GETPIPE_SZ", 1032)) == parallel.PIPE_BYTES
    finally:
        reader.close()
        writer.close()


def _die_in_a_worker(path):
    if os.getpid() != _PARENT:
        os._exit(9)
    import time
    time.sleep(0.01)
    return path


def test_a_worker_that_dies_stops_the_run_with_an_error(tmp_path):
    """A worker killed mid-run (out of memory, kill -9) must not hang the run nor
    lose its batches silently."""
    import pytest
    with pytest.raises(parallel.WorkerDied, match="退出码 9"):
        parallel.run_list(_many_paths(tmp_path), _die_in_a_worker, 2)


def _fail_in_a_worker(path):
    if os.getpid() != _PARENT:
        raise ValueError(f"cannot read {os.path.basename(path)}")
    import time
    time.sleep(0.01)
    return path


def test_an_error_in_a_worker_is_raised_here(tmp_path):
    import pytest
    with pytest.raises(ValueError, match="cannot read"):
        parallel.run_list(_many_paths(tmp_path), _fail_in_a_worker, 2)


def test_jobs_2_writes_what_jobs_1_writes(tmp_path):
    # Seeds of different sizes, a file too large for --max-per-rule and an unreadable path.
    names = sorted(os.listdir(SEEDS))
    for i in range(12):
        with open(os.path.join(SEEDS, names[i % len(names)]), "rb") as src:
            body = src.read()
        (tmp_path / f"f{i:02d}.txt").write_bytes(body * (1 + (i * 5) % 9))
    (tmp_path / "f99.md").write_bytes("# 标题\n\n____年以来。\n".encode("utf-8") * 3000)
    (tmp_path / "f50.txt").write_bytes(b"\x00binary")  # a warning, not a finding
    assert sum(os.path.getsize(tmp_path / n) for n in os.listdir(tmp_path)) > parallel.IN_PROCESS_BYTES
    outs = []
    for jobs in ("1", "2"):
        res = run_cli("--no-config", "--as-of", "2026-12-01", "--format", "json", "--max-per-rule", "20",
                      "--jobs", jobs, ".", cwd=str(tmp_path))
        outs.append((res.returncode, res.stdout, res.stderr))
    assert outs[0][0] == 1
    assert outs[0][1].count(b'"rule"') > 100
    assert "只报告了前 20 处" in outs[0][2].decode() and "f50.txt" in outs[0][2].decode()
    assert outs[0] == outs[1]


def test_a_batch_gives_what_one_file_at_a_time_gives():
    """Linter.lint_many runs the kinds kind by kind over a batch; each document's
    findings and the warnings, in order, must be those of lint() one by one."""
    import datetime as dt
    from dj_lint.engine import Context, Linter, shipped_rules
    from dj_lint.text.document import Document
    texts = [
        "关于2026年度支部工作的总结\n今年召开支部大会4次，____年以来组织学习。\n" * 6,
        "学习心得\n<!-- dj-lint-disable DJ201 -->\n____年以来，我认真学习。\n",
        "",
        "党支部XX同志：\r\n\r\n  现将有关事项通知如下：于年月日前报送材料。\r\n",
        "我们要深入学习贯彻党的二十大精神，坚持以人民为中心的发展思想。\n" * 3,
    ]
    names = [f"doc{i}.txt" for i in range(len(texts))]

    def linter():
        return Linter(shipped_rules(), Context(as_of=dt.date(2026, 12, 1), max_per_rule=2))

    one = linter()
    alone = [one.lint(Document(t, path=n)) for t, n in zip(texts, names)]
    many = linter()
    together = list(many.lint_many([Document(t, path=n) for t, n in zip(texts, names)]))
    assert together == alone
    assert sum(map(len, alone)) > 5
    assert many.ctx.warnings == one.ctx.warnings
    assert any("只报告了前 2 处" in w for w in one.ctx.warnings)


def test_a_binary_file_inside_a_batch_warns_in_path_order(tmp_path):
    """Files are read a batch at a time; a file that cannot be linted still has its
    warning and error where its path is, among the other files' warnings."""
    (tmp_path / "a.txt").write_text("总结\n____年以来，支部坚持学习。\n" * 4, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00binary")
    (tmp_path / "c.txt").write_text("总结\n____年以来，支部坚持学习。\n" * 4, encoding="utf-8")
    together = run_cli("--no-config", "--as-of", "2026-12-01", "--format", "json", "--max-per-rule", "1",
                       "--jobs", "1", ".", cwd=str(tmp_path))
    alone = [run_cli("--no-config", "--as-of", "2026-12-01", "--format", "json", "--max-per-rule", "1",
                     "--jobs", "1", "./" + name, cwd=str(tmp_path)) for name in ("a.txt", "b.txt", "c.txt")]
    warnings = [line for r in alone for line in r.stderr.decode().splitlines() if line.startswith("dj-lint: 警告")]
    got = [line for line in together.stderr.decode().splitlines() if line.startswith("dj-lint: 警告")]
    assert got == warnings and len(got) >= 3
    assert "b.txt" in got[1]


def test_a_large_run_warms_up_in_one_process_too(tmp_path):
    """A run over WARM_BYTES or more builds its indexes before the first file even
    with --jobs 1 (Linter.warm); a small one, stdin and a pool's run as before."""
    small = tmp_path / "small.txt"
    small.write_bytes("学习心得\n".encode("utf-8") * 10)
    assert not parallel.worth_warming([str(small)] * 3, 1)
    names = sorted(n for n in os.listdir(SEEDS) if n.endswith(".txt"))
    paths = []
    for i, name in enumerate(names):
        with open(os.path.join(SEEDS, name), "rb") as src:
            body = src.read()
        p = tmp_path / f"big{i}.txt"
        p.write_bytes(body * (parallel.WARM_BYTES // (len(names) * len(body)) + 1))
        paths.append(str(p))
    assert all(os.path.getsize(p) < parallel.WARM_BYTES for p in paths)
    assert sum(map(os.path.getsize, paths)) >= parallel.WARM_BYTES
    assert parallel.worth_warming(paths, 1)
    assert not parallel.worth_warming(paths + ["-"], 1)
    # One long file is no run of many documents: near_miss's arrays would serve none of it.
    dump = tmp_path / "dump.txt"
    with open(dump, "wb") as fh:
        fh.truncate(parallel.DOCUMENT_BYTES + 1)
    assert os.path.getsize(dump) >= parallel.WARM_BYTES
    assert not parallel.worth_warming([str(dump)], 1)
    assert not parallel.worth_warming([str(dump), str(small)], 1)
    assert parallel.worth_warming([str(dump)] + paths, 1)
    # Warmed (all files in one run) or not (each file alone, under WARM_BYTES): the same findings.
    args = ("--no-config", "--as-of", "2026-12-01", "--format", "json", "--jobs", "1")
    together = run_cli(*args, *paths)
    alone = [run_cli(*args, p) for p in paths]
    assert together.returncode == 1 and together.stderr == b""
    import json
    found = json.loads(together.stdout)["findings"]
    assert len(found) > 1000
    assert found == [f for res in alone for f in json.loads(res.stdout)["findings"]]


def test_workers_started_by_spawn_find_the_same(tmp_path):
    """Where a process cannot fork (Windows), the workers are spawned: each
    unpickles the compiled kinds (no closure or lambda may hide in them) and must
    find what --jobs 1 finds."""
    import subprocess
    import sys
    names = sorted(n for n in os.listdir(SEEDS) if n.endswith(".txt"))
    for i in range(6):
        with open(os.path.join(SEEDS, names[i % len(names)]), "rb") as src:
            (tmp_path / f"s{i}.txt").write_bytes(src.read() * (4 + 2 * i))
    assert sum(os.path.getsize(tmp_path / n) for n in os.listdir(tmp_path)) > parallel.IN_PROCESS_BYTES
    spawned = ("import multiprocessing, sys\n"
               "from dj_lint.app import parallel\n"
               "parallel._context = lambda: multiprocessing.get_context('spawn')\n"
               "from dj_lint.cli.main import main\n"
               "if __name__ == '__main__':\n"
               "    sys.exit(main(sys.argv[1:]))\n")
    args = ["--no-config", "--as-of", "2026-12-01", "--format", "json", "."]
    two = subprocess.run([sys.executable, "-c", spawned, "--jobs", "2", *args], cwd=tmp_path,
                         capture_output=True, timeout=300)
    one = run_cli("--jobs", "1", *args, cwd=str(tmp_path))
    assert two.stderr.decode() == one.stderr.decode() == ""
    assert (two.returncode, two.stdout) == (one.returncode, one.stdout)
    assert one.returncode == 1 and one.stdout.count(b'"rule"') > 50


def _batch_sizes(paths):
    return [(p, len(paths)) for p in paths]


def test_the_last_batches_are_cut_into_pieces(tmp_path):
    """Batches go out largest first; the smallest, claimed last, are cut into
    pieces of TAIL_FILES files so the processes end together. Every path once,
    in order."""
    paths = _many_paths(tmp_path, 64)
    groups = [list(range(i, i + 8)) for i in range(0, 64, 8)]
    got = list(parallel.run_batches(paths, _batch_sizes, 2, groups))
    assert [p for p, _ in got] == paths
    sizes = {p: n for p, n in got}
    # The smallest files (the first, by _many_paths) went in pieces: the two
    # smallest batches hold about one average batch's bytes. The largest went whole.
    assert parallel.TAIL_FILES == 4
    assert [sizes[p] for p in paths[:16]] == [4] * 16
    assert [sizes[p] for p in paths[16:]] == [8] * 48


@pytest.mark.parametrize("colour", ["never", "always"])
def test_a_pooled_text_report_is_the_in_process_one(tmp_path, colour):
    """Under a pool, each file's findings are rendered as its results come in
    (reporters/text.py prepare): the text report, colours, Word places and
    snippets included, is byte for byte the --jobs 1 one."""
    from word_fixture import build_report
    names = sorted(n for n in os.listdir(SEEDS) if n.endswith(".txt"))
    for i in range(8):
        with open(os.path.join(SEEDS, names[i % len(names)]), "rb") as src:
            (tmp_path / f"t{i}.txt").write_bytes(src.read() * (3 + i))
    build_report(str(tmp_path / "w.docx"))
    assert sum(os.path.getsize(tmp_path / n) for n in os.listdir(tmp_path)) > parallel.IN_PROCESS_BYTES
    outs = [run_cli("--no-config", "--as-of", "2026-12-01", "--color", colour, "--jobs", jobs, ".",
                    cwd=str(tmp_path)) for jobs in ("1", "2")]
    assert outs[0].stdout == outs[1].stdout and outs[0].returncode == outs[1].returncode == 1
    text = outs[0].stdout.decode()
    assert "位置：" in text and text.count("^") > 100
    assert ("\x1b[" in text) == (colour == "always")


def _pooled_text_files(tmp_path):
    names = sorted(n for n in os.listdir(SEEDS) if n.endswith(".txt"))
    for i in range(6):
        with open(os.path.join(SEEDS, names[i % len(names)]), "rb") as src:
            (tmp_path / f"t{i}.txt").write_bytes(src.read() * (4 + i))
    # Undecodable bytes: lone surrogates in the findings' snippets, escaped alike.
    (tmp_path / "t9.txt").write_bytes("____年以来，".encode("utf-8") * 20 + b"\xff\xfe\n" + b"x" * 600_000)
    assert sum(os.path.getsize(tmp_path / n) for n in os.listdir(tmp_path)) > parallel.IN_PROCESS_BYTES


def test_a_pooled_text_report_as_bytes_or_as_text_is_the_in_process_one(tmp_path):
    """Under a pool the files' texts come encoded where they are linted when the
    report is written as UTF-8 bytes (run.report_encoding: --output, or a UTF-8
    stdout), as text otherwise (stdout in another encoding): the same bytes as
    --jobs 1 either way."""
    _pooled_text_files(tmp_path)
    flags = ("--no-config", "--as-of", "2026-12-01")
    for env in (None, {"PYTHONIOENCODING": "gb18030"}):
        outs = [run_cli(*flags, "--jobs", jobs, ".", cwd=str(tmp_path), env=env) for jobs in ("1", "2")]
        assert outs[0].returncode == outs[1].returncode == 1
        assert outs[0].stdout == outs[1].stdout and outs[0].stdout.count(b"^") > 100
    assert outs[0].stdout != run_cli(*flags, "--jobs", "1", ".", cwd=str(tmp_path)).stdout  # gb18030 indeed
    target = tmp_path.parent / "report.txt"
    res = run_cli(*flags, "--jobs", "2", "-o", str(target), ".", cwd=str(tmp_path))
    assert res.returncode == 1 and res.stdout == b""
    assert target.read_bytes() == run_cli(*flags, "--jobs", "1", ".", cwd=str(tmp_path)).stdout


def test_a_streamed_pooled_report_keeps_counts_not_findings(tmp_path):
    """A text report streamed under a pool lists none of the findings it wrote
    (Report.unlisted: each file's counts; the workers send back no finding), unless
    --statistics or --annotate reads them: the report, its summary, the exit code
    (each --fail-on) and stderr are --jobs 1's."""
    _pooled_text_files(tmp_path)
    flags = ("--no-config", "--as-of", "2026-12-01")
    for extra in ((), ("--fail-on", "error"), ("--fail-on", "error", "--select", "DJ808,DJ621"),
                  ("--fail-on", "warning", "--select", "DJ808"), ("--select", "DJ808", "--statistics")):
        outs = [run_cli(*flags, *extra, "--jobs", jobs, ".", cwd=str(tmp_path)) for jobs in ("1", "2")]
        assert outs[0].stdout == outs[1].stdout and outs[0].stderr == outs[1].stderr
        assert outs[0].returncode == outs[1].returncode
        assert "个问题" in outs[0].stdout.decode().splitlines()[-1] or "--statistics" in extra
    assert [o.returncode for o in outs] == [1, 1]


def test_a_pooled_run_hands_the_report_each_written_file_s_counts(tmp_path):
    """lint_paths with ``unlisted``: a file written as rendered under a pool comes
    back as its path and counts, the counts of its findings."""
    from collections import Counter
    from dj_lint.app.run import FINDING_LINES, lint_paths
    from dj_lint.cli.main import build_parser
    from dj_lint.config.resolve import ConfiguredLinter, Resolver
    from dj_lint.reporters import text as text_reporter
    _pooled_text_files(tmp_path)
    paths = sorted(str(p) for p in tmp_path.iterdir())
    held = {}
    for jobs in ("1", "2"):
        args = build_parser().parse_args(["--no-config", "--as-of", "2026-12-01", "--jobs", jobs, *paths])
        linter = ConfiguredLinter(Resolver(args), paths)
        written, unlisted = [], [] if jobs == "2" else None
        found, errors, _, files = lint_paths(paths, linter, args, FINDING_LINES, None, text_reporter.render_file,
                                             lambda found, rendered, lines: written.append(found), unlisted)
        assert not errors and files == len(paths)
        if jobs == "1":
            for f in found:
                held.setdefault(f.path, []).append(f)
        else:
            assert found == [] and [path for path, _ in unlisted] == list(held)
            assert written == [len(held[path]) for path in held]
            for path, (severities, fixable) in unlisted:
                assert {s: n for s, n in severities.items() if n} == Counter(f.severity for f in held[path])
                assert fixable == Counter(f.rule for f in held[path] if f.fixable)


def test_a_report_written_as_bytes_only_where_they_are_the_text(monkeypatch, tmp_path):
    import io
    import sys

    from dj_lint.app.run import report_encoding, write_report
    assert report_encoding("report.txt") == "utf-8"
    for stream, expected in ((io.StringIO(), None),
                             (io.TextIOWrapper(io.BytesIO(), "gb18030", "backslashreplace"), None),
                             (io.TextIOWrapper(io.BytesIO(), "utf-8", "strict"), None),
                             (io.TextIOWrapper(io.BytesIO(), "UTF8", "backslashreplace"), "utf-8")):
        monkeypatch.setattr(sys, "stdout", stream)
        assert report_encoding(None) == (expected if os.linesep == "\n" else None)
    # Text and bytes pieces, written in their order.
    pieces = ["甲\n", "乙".encode("utf-8"), "丙".encode("utf-8"), "丁\udc80\n", "戊".encode("utf-8")]
    write_report(iter(pieces), None)
    stream.flush()
    assert stream.buffer.getvalue() == "甲\n乙丙丁\\udc80\n戊".encode("utf-8")
    write_report(iter(pieces), str(tmp_path / "r.txt"))
    assert (tmp_path / "r.txt").read_bytes() == stream.buffer.getvalue()


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_batch_is_handed_over_once_as_it_arrives(tmp_path, jobs):
    """on_arrival gets every batch's results once: in path order in one process,
    as the batches are done under a pool; the results are still yielded in order."""
    paths = _many_paths(tmp_path, 48)
    groups = [list(range(i, i + 6)) for i in range(0, 48, 6)]
    arrived = []
    got = list(parallel.run_batches(paths, _batch_sizes, jobs, groups, arrived.extend))
    assert [p for p, _ in got] == paths
    assert sorted(p for p, _ in arrived) == paths and len(arrived) == len(paths)
    if jobs == 1:
        assert [p for p, _ in arrived] == paths


def test_a_single_batch_is_linted_here(tmp_path):
    """Files over the pool's threshold that make one batch: no worker is started."""
    paths = []
    for i in range(3):
        (tmp_path / f"{i}.txt").write_bytes(b"x" * 200_000)
        paths.append(str(tmp_path / f"{i}.txt"))
    assert parallel.worth_a_pool(paths, 2)
    got = list(parallel.run_batches(paths, lambda batch: [_pid_after_a_while(p) for p in batch], 2,
                                    [list(range(len(paths)))]))
    assert {pid for _, pid in got} == {_PARENT}


def _pid_batch(paths):
    return [_pid_after_a_while(path) for path in paths]


def test_a_codec_encodes_only_what_a_worker_sends(tmp_path):
    """``codec``: a worker's batches cross the pipe encoded and are decoded here;
    this process's own batches are neither."""
    paths = _many_paths(tmp_path)

    def decode(results):
        assert all(pid != _PARENT for _, pid in results)  # only a worker's batches come here
        return [(path, ("decoded", pid)) for path, pid in results]

    got = list(parallel.run_batches(paths, _pid_batch, 2, [[i] for i in range(len(paths))],
                                    codec=(_encode_in_worker, decode)))
    assert [p for p, _ in got] == paths
    mine = [how for _, how in got if how == _PARENT]
    theirs = [how for _, how in got if how != _PARENT]
    assert mine and theirs
    assert all(how[0] == "decoded" and how[1][0] == "encoded" and how[1][1] != _PARENT for how in theirs)


def _encode_in_worker(results):
    assert all(pid == os.getpid() != _PARENT for _, pid in results)
    return [(path, ("encoded", pid)) for path, pid in results]


def _claim_all(turns, out):
    got = []
    while True:
        k = turns.claim()
        if k >= turns.count:
            break
        got.append(k)
    out.send(got)
    out.close()


@pytest.mark.parametrize("count", [0, 1, 300, 20_000])
def test_each_turn_is_claimed_once_by_one_of_the_processes(count):
    """A pool's turns (parallel._Turns): each number from 0 up is claimed by
    exactly one process, in order within each, then every claim says none is
    left; under fork from a pipe (20,000 turns do not fit in its default 64 KB),
    else from a shared counter."""
    ctx = parallel._context()
    turns = parallel._Turns(ctx, count)
    procs, readers = [], []
    for _ in range(2):
        reader, writer = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_claim_all, args=(turns, writer), daemon=True)
        proc.start()
        writer.close()
        procs.append(proc)
        readers.append(reader)
    mine = []
    while True:
        k = turns.claim()
        if k >= count:
            break
        mine.append(k)
    claimed = [mine] + [reader.recv() for reader in readers]
    for proc in procs:
        proc.join()
    assert turns.claim() == count  # none left, asked again
    turns.close()
    assert all(got == sorted(got) for got in claimed)
    assert sorted(k for got in claimed for k in got) == list(range(count))


def test_turns_that_do_not_fit_in_a_pipe_are_counted_instead(monkeypatch):
    monkeypatch.setattr(parallel, "_widen", lambda conn: None)
    ctx = parallel._context()
    small, large = parallel._Turns(ctx, 16_384), parallel._Turns(ctx, 16_385)
    if ctx.get_start_method() == "fork":
        assert small._fd is not None and small._counter is None
    assert large._fd is None and large._counter is not None
    assert [small.claim() for _ in range(3)] == [large.claim() for _ in range(3)] == [0, 1, 2]
    small.close()
