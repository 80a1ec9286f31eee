"""benchmarks/run.py: the cases a target compares are measured in turn, a run of
each per round, so that the machine's drift meets both sides alike."""
import importlib.util
import itertools
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", os.path.join(ROOT, "benchmarks", "run.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compared_cases_are_measured_in_turn(tmp_path):
    bench = _bench()
    log = tmp_path / "order.txt"
    record = "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + ' ')"
    group = [(name, ["@peer", sys.executable, "-c", record, str(log), name], str(log)) for name in "ab"]
    rows = bench.measure_interleaved(group, 3)
    assert log.read_text() == "a b a b a b "
    assert [r["name"] for r in rows] == ["a", "b"]
    assert all(r["code"] == 0 and r["wall"] > 0 for r in rows)


def test_every_target_compares_cases_of_one_group():
    bench = _bench()
    # The first cases only: the rest need benchmarks/out (make_corpus.py), absent in a clean checkout.
    names = [name for name, _, _ in itertools.islice(bench.cases(), 2)]
    assert names == ["corpus", "corpus-jobs2"]
    assert bench.INTERLEAVED["corpus"] == bench.INTERLEAVED["corpus-jobs2"] \
        == bench.INTERLEAVED["peer: autocorrect-py corpus"]
    assert bench.INTERLEAVED["realworld"] == bench.INTERLEAVED["realworld-jobs2"] \
        == bench.INTERLEAVED["peer: autocorrect-py realworld"]
