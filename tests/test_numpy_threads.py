"""near_miss's arrays use no BLAS call: numpy is loaded with OpenBLAS on one
thread (a thread per CPU cost 0.1 s of CPU in every run of 3 MB or more), unless
the user asked for threads through OPENBLAS_NUM_THREADS."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

_PROBE = ("import os\n"
          "from dj_lint.checks import nearmiss\n"
          "nearmiss._numpy()\n"
          "print(os.environ['OPENBLAS_NUM_THREADS'], len(os.listdir('/proc/self/task')))\n")


def _probe(env_value):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    if env_value is not None:
        env["OPENBLAS_NUM_THREADS"] = env_value
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True)
    setting, threads = out.stdout.split()
    return setting, int(threads)


@pytest.mark.skipif(not os.path.isdir("/proc/self/task") or (os.cpu_count() or 1) < 2,
                    reason="counts the process's threads in /proc; needs 2 CPUs for OpenBLAS to start any")
def test_numpy_for_near_miss_starts_no_blas_threads():
    assert _probe(None) == ("1", 1)
    # The user's own setting stands (here: OpenBLAS's threads do start).
    setting, threads = _probe("2")
    assert setting == "2" and threads > 1
