"""Where dj-lint's time goes: CPU seconds per check kind, in one process.

    python benchmarks/kinds.py                      # the first 200 files of benchmarks/out/corpus
    python benchmarks/kinds.py --files 50 DIR       # any folder of .txt files
    python benchmarks/kinds.py --profile NearMissKind

Every kind of the shipped rule packs checks every document, kind by kind over
batches of documents as the Linter runs them, each kind timed apart with
``time.thread_time`` (under the budget sampler's ITIMER_PROF, ``process_time``
advances only in 4 ms steps here, so a kind's time per batch came out as 0, 4
or 8 ms); each figure is the smallest of ``--rounds`` passes over
fresh Documents (so a kind pays its own share of what a Document computes
lazily, such as the outline or the shared anchor pass, only when it is the
first to ask for it in the kind order). Start-up, one-time index building (warmed on the first
document), reading files, findings and the report are not in these figures:
``benchmarks/run.py`` measures the whole command. ``--profile KIND`` prints
cProfile's top functions for one kind instead.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "out", "corpus")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="CPU seconds per check kind")
    ap.add_argument("folder", nargs="?", default=CORPUS, help="a folder of text files (default: the benchmark corpus)")
    ap.add_argument("--files", type=int, default=200, help="how many files, in name order (default 200)")
    ap.add_argument("--rounds", type=int, default=3, help="passes; the smallest time of each kind is kept")
    ap.add_argument("--profile", metavar="KIND", help="cProfile one kind (its class name) instead")
    args = ap.parse_args(argv)

    from dj_lint.checks.budget import RegexBudget, SampledBudget, sampling, set_budget
    from dj_lint.engine.linter import Linter, shipped_rules
    from dj_lint.text.document import Document

    if not os.path.isdir(args.folder):
        print(f"no folder {args.folder} (python benchmarks/make_corpus.py writes the corpus)", file=sys.stderr)
        return 2
    names = sorted(n for n in os.listdir(args.folder) if os.path.isfile(os.path.join(args.folder, n)))[:args.files]
    texts = []
    for name in names:
        with open(os.path.join(args.folder, name), "rb") as fh:
            raw = fh.read()
        try:
            texts.append((raw.decode("utf-8"), name))
        except UnicodeDecodeError:
            texts.append((raw.decode("gb18030", "replace"), name))
    size = sum(len(t.encode("utf-8")) for t, _ in texts) / 1e6

    linter = Linter(shipped_rules())
    checks = linter.checks if not args.profile else [c for c in linter.checks if type(c).__name__ == args.profile]
    if not checks:
        print(f"no kind named {args.profile}", file=sys.stderr)
        return 2
    # Budgets charged as the command charges them (checks/budget.py): by the sampler.
    with sampling() as sampled:
        set_budget(SampledBudget(1e9) if sampled else RegexBudget(1e9))
        try:
            return _measure(args, texts, size, linter, checks)
        finally:
            set_budget(None)


def _measure(args, texts, size, linter, checks) -> int:
    from dj_lint.text.document import Document

    warm = Document(texts[0][0], path=texts[0][1]) if texts else None
    for check in linter.checks:  # one-time indexes and tables, as a long run has them
        if warm is not None:
            list(check.check(warm))
    # ... and what a run over 3 MB or more builds before its first file (Linter.warm).
    linter.prepare_for_many()
    # The collector as the command has it while it lints (app/run.py few_collections:
    # what exists now frozen, a collection every 20,000 new objects): under Python's
    # default (700) each collection fell on whichever kind was allocating, and the
    # kinds looked up to 30 % dearer in batches of 16 files than of 48 (s14h4).
    from dj_lint.app.run import few_collections
    with few_collections():
        return _timed(args, texts, size, linter, checks)


def _timed(args, texts, size, linter, checks) -> int:
    from dj_lint.text.document import Document

    if args.profile:
        docs = [Document(t, path=n) for t, n in texts]
        prof = cProfile.Profile()
        prof.enable()
        from dj_lint.app.run import BATCH_FILES
        for lo in range(0, len(docs), BATCH_FILES):  # as Linter.lint_many runs them
            batch = docs[lo:lo + BATCH_FILES]
            for check in checks:
                prepare = getattr(check, "prepare_batch", None) if len(batch) > 1 else None
                if prepare is not None:
                    prepare(batch)
                for doc in batch:
                    list(check.check(doc))
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        return 0

    from dj_lint.app.run import BATCH_FILES

    best: dict = {}
    for _ in range(max(1, args.rounds)):
        docs = [Document(t, path=n) for t, n in texts]
        spent: dict = {}
        # Kind by kind over batches of documents, as Linter.lint_many runs them: the
        # shared anchor pass of a document is paid once, by the first kind that asks.
        for lo in range(0, len(docs), BATCH_FILES):
            batch = docs[lo:lo + BATCH_FILES]
            for check in checks:
                t0 = time.thread_time()
                prepare = getattr(check, "prepare_batch", None) if len(batch) > 1 else None
                if prepare is not None:
                    prepare(batch)
                for doc in batch:
                    list(check.check(doc))
                name = type(check).__name__
                spent[name] = spent.get(name, 0.0) + time.thread_time() - t0
        for name, seconds in spent.items():
            best[name] = min(best.get(name, seconds), seconds)
    total = sum(best.values())
    print(f"{len(texts)} files, {size:.2f} MB, {args.rounds} rounds (smallest of each kept); "
          f"all kinds {total:.3f} s CPU = {total / size if size else 0:.3f} s/MB")
    print(f"{'kind':28s} {'s':>7s} {'share':>6s}")
    for name, spent in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"{name:28s} {spent:7.3f} {spent / total if total else 0:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
