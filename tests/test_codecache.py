"""text/codecache.py: dataclasses' methods of dj-lint's classes compiled once and
kept in the cache folder, run the same as when ``exec`` compiles their text."""
import dataclasses
import marshal
import os
import subprocess
import sys

from conftest import ROOT

from dj_lint.text import codecache

SOURCE = "def __create_fn__(x):\n def f(self):\n  return (x, self)\n return f"


def _fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("DJ_LINT_NO_CACHE", raising=False)
    monkeypatch.setattr(codecache, "_CODE", None)
    monkeypatch.setattr(codecache, "_DIRTY", False)
    monkeypatch.setattr(codecache, "_USED", set())


def _run(source, name="dj_lint.example"):
    ns = {}
    codecache.cached_exec(source, {"__name__": name}, ns)
    return ns["__create_fn__"](1)


def test_installed_for_dataclasses():
    assert dataclasses.exec is codecache.cached_exec


def test_compiled_once_written_and_read_back(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    assert _run(SOURCE)("s") == (1, "s")
    assert codecache._DIRTY and SOURCE in codecache._CODE
    codecache._save()
    path = codecache.cache_file()
    assert os.path.dirname(path) == str(tmp_path / "dj-lint") and os.path.exists(path)
    _fresh(monkeypatch, tmp_path)
    assert _run(SOURCE)("t") == (1, "t")
    assert not codecache._DIRTY  # read from the file, nothing compiled
    code = codecache._CODE[SOURCE]
    assert code == compile(SOURCE, "<string>", "exec", dont_inherit=True)
    assert code.co_filename == "<string>"


def test_other_modules_and_non_text_are_passed_through(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    assert _run(SOURCE, name="elsewhere")("s") == (1, "s")
    assert codecache._CODE is None and not codecache._DIRTY
    ns = {}
    codecache.cached_exec(compile(SOURCE, "<x>", "exec"), {"__name__": "dj_lint.x"}, ns)
    assert ns["__create_fn__"](2)("s") == (2, "s") and codecache._CODE is None


def test_no_annotations_future_inherited(monkeypatch, tmp_path):
    # this module does not use it, codecache.py does: the text must not get it.
    _fresh(monkeypatch, tmp_path)
    src = "def __create_fn__():\n def f(a: int): pass\n return f"
    ns = {}
    codecache.cached_exec(src, {"__name__": "dj_lint.x"}, ns)
    assert ns["__create_fn__"]().__annotations__ == {"a": int}


def test_bad_or_untrusted_file_is_ignored(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    path = codecache.cache_file()
    os.makedirs(os.path.dirname(path), mode=0o700)
    bad = marshal.dumps({SOURCE: "not code"})
    with open(path, "wb") as fh:
        fh.write(codecache.MAGIC + codecache._checksum(bad) + bad)
    os.chmod(path, 0o600)
    assert _run(SOURCE)("s") == (1, "s") and codecache._DIRTY  # compiled again
    codecache._save()
    with open(path, "rb") as fh:
        assert _table(fh.read())[SOURCE] == compile(SOURCE, "<string>", "exec", dont_inherit=True)
    os.chmod(path, 0o666)  # writable by others: not read
    _fresh(monkeypatch, tmp_path)
    _run(SOURCE)
    assert codecache._DIRTY


def _table(data: bytes) -> dict:
    head = len(codecache.MAGIC) + codecache._CHECK
    assert data[:len(codecache.MAGIC)] == codecache.MAGIC
    assert data[len(codecache.MAGIC):head] == codecache._checksum(data[head:])
    return marshal.loads(data[head:])


def test_damaged_or_unchecked_file_is_not_run(monkeypatch, tmp_path):
    """Python runs whatever bytecode it is given: a file whose bytes do not match
    their checksum (one byte changed, cut short, or written without the checksum)
    is not read, and its texts are compiled again."""
    _fresh(monkeypatch, tmp_path)
    _run(SOURCE)
    codecache._save()
    path = codecache.cache_file()
    with open(path, "rb") as fh:
        good = fh.read()
    flipped = bytearray(good)
    flipped[-3] ^= 0x01
    for data in (bytes(flipped), good[:-5], good[len(codecache.MAGIC) + codecache._CHECK:]):
        with open(path, "wb") as fh:
            fh.write(data)
        os.chmod(path, 0o600)
        _fresh(monkeypatch, tmp_path)
        assert _run(SOURCE)("s") == (1, "s")
        assert codecache._DIRTY  # compiled again, not read
    with open(path, "wb") as fh:
        fh.write(good)
    _fresh(monkeypatch, tmp_path)
    _run(SOURCE)
    assert not codecache._DIRTY  # the intact file is read


def test_no_cache_reads_and_writes_nothing(monkeypatch, tmp_path):
    _fresh(monkeypatch, tmp_path)
    monkeypatch.setenv("DJ_LINT_NO_CACHE", "1")
    assert _run(SOURCE)("s") == (1, "s")
    codecache._save()
    assert not (tmp_path / "dj-lint").exists()


def test_classes_the_same_from_the_file(tmp_path):
    """Two processes, the first writing the file and the second reading it: the
    same methods (behaviour and code) as dataclasses' own ``exec`` gives."""
    probe = (
        "import dataclasses, sys\n"
        "from dj_lint.text import codecache\n"
        "from dj_lint.model.findings import Finding\n"
        "from dj_lint.doctypes import DocType\n"
        "fns = [Finding.__init__, Finding.__eq__, Finding.__hash__, Finding.__setattr__, DocType.__init__]\n"
        "print(sorted(codecache._CODE) == sorted(codecache._USED), codecache._DIRTY)\n"
        "print([len(f.__code__.co_code) for f in fns])\n")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), PYTHONPATH=os.path.join(ROOT, "src"))
    env.pop("DJ_LINT_NO_CACHE", None)
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    env["DJ_LINT_NO_CACHE"] = "1"
    plain = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.splitlines()[0] == "True True"    # compiled, to be written
    assert second.stdout.splitlines()[0] == "True False"  # all read from the file
    assert first.stdout.splitlines()[1] == second.stdout.splitlines()[1] == plain.stdout.splitlines()[1]
