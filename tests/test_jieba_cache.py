"""jieba's dictionary from our pickle: written once, used after, and never read
from a file or folder someone else could have written (a pickle is code)."""
import os
import pickle
import subprocess
import sys

import pytest

# segment._load() first: word counts and short cuts otherwise come from the
# word table (text/wordfreq.py), and this file tests jieba's own dictionary pickle.
PROBE = ("from dj_lint.text import segment; segment._load(); "
         "print(segment.in_dictionary('学习'), segment.in_dictionary('党建'), "
         "[w for w, _, _ in segment.cut('学习贯彻党的二十大精神')])")
NORMAL = "True True ['学习', '贯彻', '党', '的', '二十大', '精神']"


def probe(cache_home):
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    env.pop("DJ_LINT_NO_CACHE", None)
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def pickles(cache_home):
    folder = cache_home / "dj-lint"
    return sorted(folder.glob("jieba-*.pickle")) if folder.is_dir() else []


pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership checks")


def test_the_second_run_that_loads_jieba_writes_a_private_pickle_and_later_runs_agree(tmp_path):
    # The first start writes the lighter word table only (text/wordfreq.py),
    # to keep building the cache short; the next run that loads jieba writes its pickle.
    assert probe(tmp_path) == NORMAL
    assert pickles(tmp_path) == [] and list((tmp_path / "dj-lint").glob("words-*.bin"))
    assert probe(tmp_path) == NORMAL
    (path,) = pickles(tmp_path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(path.parent).st_mode & 0o777 == 0o700
    assert probe(tmp_path) == NORMAL


def _plant(tmp_path, mode):
    """Replace the pickle with a tiny dictionary that only knows 党建."""
    probe(tmp_path)
    probe(tmp_path)
    (path,) = pickles(tmp_path)
    with open(path, "wb") as fh:
        pickle.dump(({"党": 1, "党建": 5}, 6), fh, protocol=5)
    os.chmod(path, mode)


def test_a_private_pickle_is_what_gets_loaded(tmp_path):
    _plant(tmp_path, 0o600)
    assert probe(tmp_path).startswith("False True")


def test_a_pickle_others_may_write_is_ignored(tmp_path):
    _plant(tmp_path, 0o666)
    assert probe(tmp_path) == NORMAL


def test_a_corrupt_pickle_is_rebuilt(tmp_path):
    probe(tmp_path)
    probe(tmp_path)
    (path,) = pickles(tmp_path)
    path.write_bytes(b"\x80\x05garbage")
    assert probe(tmp_path) == NORMAL
    assert probe(tmp_path) == NORMAL
