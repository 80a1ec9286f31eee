"""Precision, recall, time and memory of `dj-lint similar` on generated archives.

    python benchmarks/similar_bench.py --docs 1000,10000 [--cluster] [--out benchmarks/out/similar]

For each size: generate the archive (similar_archive.py, cached), run the real
command (in-process, and with --cluster on a local Dask cluster of two worker
processes on 127.0.0.1), and report wall time, peak memory (the sum of the
resident sets of every process involved: dj-lint, and the scheduler and
workers in cluster mode, sampled every 0.1 s) and passage-level precision and
recall against truth.json. It also reports the CPU seconds of all those
processes: on a shared machine wall time counts the other users' load too.
Passage-level scoring:

- a true passage is one copy of a shared paragraph in one document
  (document, span); it is found when a `copy` finding in that document covers
  at least half of its span and its `related` names a document that really
  holds the same paragraph (recall);
- a finding is correct when at least half of its span lies in spans of
  paragraphs its document really shares with the related document (precision);
- pair recall, stricter, for pairs: a true passage is (document, other
  document, span), found when a finding there names that other document. A
  passage held by more than --max-bucket documents is paired with its first
  document only, not with all others (a star, linear), so pair recall counts
  those passages' pairs as missing: it is printed, not a target.
"""
from __future__ import annotations

import argparse
import bisect
import json
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from itertools import combinations

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import similar_archive  # noqa: E402


def _offsets(path: str):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return lambda line, col: starts[line - 1] + col - 1


def evaluate(report: dict, truth: dict, archive: str) -> dict:
    occurrences = defaultdict(list)  # paragraph id -> [(doc, start, end)]
    for doc, spans in truth.items():
        for s, e, pid in spans:
            occurrences[pid].append((doc, s, e))
    expected = defaultdict(list)  # (doc, other) -> [(start, end)]
    for occ in occurrences.values():
        for (da, sa, ea), (db, sb, eb) in combinations(occ, 2):
            if da != db:
                expected[(da, db)].append((sa, ea))
                expected[(db, da)].append((sb, eb))
    found = defaultdict(list)
    cache = {}
    for f in report["findings"]:
        if f["category"] != "copy":
            continue
        doc, other = os.path.basename(f["path"]), os.path.basename(f["related"]["path"])
        if doc not in cache:
            cache[doc] = _offsets(os.path.join(archive, doc))
        off = cache[doc]
        found[(doc, other)].append((off(f["line"], f["column"]), off(f["end_line"], f["end_column"])))

    def overlap(a, spans):
        return sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in spans)

    # Passage recall: each copy of a shared paragraph in a document, found when a
    # finding there covers half of it and names a document that shares that paragraph.
    holders = {pid: {doc for doc, _, _ in occ} for pid, occ in occurrences.items()}
    by_doc = defaultdict(list)
    for (doc, other), spans in found.items():
        by_doc[doc].extend((other, s, e) for s, e in spans)
    copies = recalled_copies = 0
    for pid, occ in occurrences.items():
        if len(holders[pid]) < 2:
            continue
        for doc, s, e in occ:
            copies += 1
            spans = [(fs, fe) for other, fs, fe in by_doc.get(doc, ()) if other != doc and other in holders[pid]]
            recalled_copies += overlap((s, e), spans) * 2 >= e - s
    true_total = sum(len(v) for v in expected.values())
    recalled = sum(1 for key, spans in expected.items() for s in spans
                   if overlap(s, found.get(key, [])) * 2 >= s[1] - s[0])
    found_total = sum(len(v) for v in found.values())
    correct = sum(1 for key, spans in found.items() for s in spans
                  if overlap(s, expected.get(key, [])) * 2 >= s[1] - s[0])
    return {"true_passages": copies, "found_passages": found_total,
            "recall": recalled_copies / copies if copies else 1.0,
            "precision": correct / found_total if found_total else 1.0,
            "pair_passages": true_total,
            "pair_recall": recalled / true_total if true_total else 1.0}


def _tree(pids, cpu: dict) -> int:
    """Resident bytes of the process trees; records each process's CPU seconds in ``cpu``."""
    import psutil
    total = 0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            procs = [proc] + proc.children(recursive=True)
        except psutil.Error:
            continue
        for p in procs:
            try:
                total += p.memory_info().rss
                t = p.cpu_times()
                cpu[p.pid] = max(cpu.get(p.pid, 0.0), t.user + t.system)
            except psutil.Error:
                pass
    return total


def measure(cmd, watch_pids=()) -> tuple:
    """(seconds, peak bytes, CPU seconds of the command and the watched process
    trees, exit code). On a shared machine the CPU seconds are the cost; the
    wall time also counts the other users' load."""
    before: dict = {}
    _tree(watch_pids, before)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, done, cpu = [0], threading.Event(), {}

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree([proc.pid, *watch_pids], cpu))
            done.wait(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    import resource
    own = resource.getrusage(resource.RUSAGE_CHILDREN)
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    t.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _tree(watch_pids, cpu)
    # The command's own CPU from the kernel (exact); the cluster's from samples.
    used = (after.ru_utime + after.ru_stime) - (own.ru_utime + own.ru_stime)
    used += sum(v - before.get(pid, 0.0) for pid, v in cpu.items() if pid != proc.pid)
    if proc.returncode not in (0, 1):
        sys.stderr.write(err.decode("utf-8", "replace"))
    return seconds, peak[0], used, proc.returncode


def start_cluster(port: int):
    """A local Dask cluster: scheduler and two single-threaded worker processes, loopback only."""
    code = ("import sys,time\nfrom distributed import LocalCluster\n"
            "c=LocalCluster(n_workers=2,threads_per_worker=1,processes=True,host='127.0.0.1',"
            f"scheduler_port={port},dashboard_address=None)\n"
            "print(c.scheduler_address,flush=True)\nsys.stdin.read()\nc.close()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return proc, proc.stdout.readline().strip()


def run_size(n: int, out: str, dj: list, cluster, seed: int) -> list:
    folder = os.path.join(out, f"docs{n}")
    archive = os.path.join(folder, "archive")
    if not os.path.exists(os.path.join(folder, "truth.json")):
        similar_archive.write(folder, n, seed)
    with open(os.path.join(folder, "truth.json"), encoding="utf-8") as fh:
        truth = json.load(fh)
    rows = []
    modes = [("in-process", [], ())]
    if cluster is not None:
        modes.append(("local cluster (2 workers)", ["--cluster", cluster[1]], (cluster[0].pid,)))
    reports = {}
    for mode, extra, watch in modes:
        target = os.path.join(folder, f"report-{'cluster' if extra else 'local'}.json")
        cmd = dj + ["similar", archive, "--format", "json", "-o", target] + extra
        seconds, peak, cpu, rc = measure(cmd, watch)
        with open(target, "rb") as fh:
            raw = fh.read()
        reports[mode] = raw
        report = json.loads(raw)
        score = evaluate(report, truth, archive)
        rows.append({"docs": n, "mode": mode, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_mb": round(peak / 1e6),
                     "pairs": len(report["similar"]["pairs"]),
                     "candidates": report["similar"]["candidates"], **score})
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    if len(reports) == 2:
        same = len(set(reports.values())) == 1
        print(json.dumps({"docs": n, "identical_reports": same}), flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", default="1000", help="comma-separated archive sizes")
    ap.add_argument("--cluster", action="store_true", help="also run on a local Dask cluster")
    ap.add_argument("--out", default=os.path.join(HERE, "out", "similar"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--port", type=int, default=8791)
    args = ap.parse_args()
    dj = [sys.executable, "-m", "dj_lint"]
    cluster = start_cluster(args.port) if args.cluster else None
    try:
        for n in [int(x) for x in args.docs.split(",")]:
            run_size(n, args.out, dj, cluster, args.seed)
    finally:
        if cluster is not None:
            cluster[0].stdin.close()
            cluster[0].wait(timeout=60)


if __name__ == "__main__":
    main()
