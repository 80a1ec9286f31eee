"""The build cache (text/build_cache.py), the word table (text/wordfreq.py) and
jieba's cutting over it (text/jieba_cut.py), through the real command with a
private cache folder: a cold run, a warm run and a run without any cache print
the same report; a warm run writes nothing; a tampered, shared or foreign cache
is never used, and is rebuilt."""
import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = sorted(os.path.join("seeds", n) for n in os.listdir(os.path.join(ROOT, "seeds")) if n.endswith(".txt"))[:1]
ARGS = ["--no-config", "--format", "json", "--as-of", "2026-11-21", "--jobs", "1", *SEEDS, "tests/clean"]

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership checks")


def private_env(cache_home, *extra_env) -> dict:
    """This environment with the cache in ``cache_home`` (and caching on)."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    env.pop("DJ_LINT_NO_CACHE", None)
    env.update(extra_env)
    return env


def python(code, *args, cache_home):
    """``python -c code args`` with a private cache; its standard output."""
    out = subprocess.run([sys.executable, "-c", code, *args], env=private_env(cache_home),
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def run(cache_home, *extra_env, args=ARGS):
    env = private_env(cache_home, *extra_env)
    proc = subprocess.run([sys.executable, "-m", "dj_lint", *args], cwd=ROOT, env=env,
                          capture_output=True)
    assert proc.returncode in (0, 1), proc.stderr.decode("utf-8", "replace")
    return proc.stdout


def files(cache_home, family):
    folder = cache_home / "dj-lint"
    found = sorted(folder.glob(family + "*")) if folder.is_dir() else []
    if family == "build-":  # the main file; separate products add build-<key>-<name>.pickle
        found = [p for p in found if re.fullmatch(r"build-[0-9a-f]{32}\.pickle", p.name)]
    return found


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The report with every cache off."""
    return run(tmp_path_factory.mktemp("nocache"), ("DJ_LINT_NO_CACHE", "1"))


@pytest.fixture(scope="module")
def built(tmp_path_factory, reference):
    """A cache folder after one cold run (copied into each test that tampers with it)."""
    home = tmp_path_factory.mktemp("built")
    assert run(home) == reference
    return home


def warm_copy(built, tmp_path):
    shutil.copytree(built / "dj-lint", tmp_path / "dj-lint")  # modes kept: 0700 / 0600
    return tmp_path


def test_cold_and_warm_runs_print_what_a_run_without_cache_prints(tmp_path, reference, built):
    assert json.loads(reference)["findings"]  # the comparison means something
    warm_copy(built, tmp_path)  # the fixture's cold run printed the reference too
    (build,) = files(tmp_path, "build-")
    (words,) = files(tmp_path, "words-")
    assert os.stat(build).st_mode & 0o777 == 0o600
    assert os.stat(build.parent).st_mode & 0o777 == 0o700
    stamps = {p: p.stat().st_mtime_ns for p in files(tmp_path, "")}
    assert run(tmp_path) == reference  # warm
    assert {p: p.stat().st_mtime_ns for p in files(tmp_path, "")} == stamps  # nothing rewritten


def _plant(path, products_edit):
    """Rewrite a build file with edited products and a matching digest."""
    from dj_lint.text import build_cache
    key, products = build_cache.unpack(path.read_bytes())
    products_edit(products)
    path.write_bytes(build_cache.encode(products, key))


def test_a_private_cache_is_what_a_warm_run_uses(tmp_path, built):
    warm_copy(built, tmp_path)
    (build,) = files(tmp_path, "build-")
    _plant(build, lambda products: products.update({"shipped-rules": []}))
    assert json.loads(run(tmp_path))["findings"] == []  # proves the products are read


@pytest.mark.parametrize("tamper", ["flipped byte", "truncated", "other key", "group-writable",
                                    "world-writable", "not a file"])
def test_a_tampered_or_shared_build_cache_is_ignored_and_rebuilt(tmp_path, reference, built, tamper):
    warm_copy(built, tmp_path)
    (build,) = files(tmp_path, "build-")
    # Each tampering carries products that would empty the report if they were used.
    _plant(build, lambda products: products.update({"shipped-rules": []}))
    if tamper == "flipped byte":
        raw = bytearray(build.read_bytes())
        raw[-10] ^= 0x01
        build.write_bytes(bytes(raw))
    elif tamper == "truncated":
        build.write_bytes(build.read_bytes()[:-100])
    elif tamper == "other key":
        from dj_lint.text import build_cache
        _, products = build_cache.unpack(build.read_bytes())
        build.write_bytes(build_cache.encode(products, "0" * 64))
    elif tamper == "group-writable":
        os.chmod(build, 0o620)
    elif tamper == "world-writable":
        os.chmod(build, 0o602)
    else:
        build.unlink()
        build.mkdir()
    assert run(tmp_path) == reference
    if tamper != "not a file":
        # Rebuilt in place, private again, with the real products.
        assert os.stat(build).st_mode & 0o777 == 0o600
        from dj_lint.text import build_cache
        assert build_cache.unpack(build.read_bytes())[1]["shipped-rules"]


def test_pattern_anchors_come_from_the_build_cache(tmp_path, reference, built):
    """The anchors of every pattern (text/regex_anchors.py) are kept in the build
    file, each equal to a fresh analysis of its source and flags, and a warm run
    reads them from there (planted ones that match nowhere empty the anchored rules)."""
    from dj_lint.text import build_cache, regex_anchors
    warm_copy(built, tmp_path)
    (build,) = files(tmp_path, "build-")
    key, products = build_cache.unpack(build.read_bytes())
    table = products["regex-anchors"]
    assert len(table) > 100 and any(v is not None for v in table.values())
    for (source, flags), found in table.items():
        assert found == regex_anchors.anchors(source, flags), source
    planted = {k: regex_anchors.Anchors(("\x00",), 0) if v else v for k, v in table.items()}
    build.write_bytes(build_cache.encode(dict(products, **{"regex-anchors": planted}), key))
    fewer = json.loads(run(tmp_path))["findings"]
    assert len(fewer) < len(json.loads(reference)["findings"])


def test_a_product_that_does_not_unpickle_is_built_again(tmp_path, reference, built):
    """Each product is pickled on its own in the file and unpickled when first used:
    one that fails (digest right, bytes wrong) is rebuilt, and the file rewritten."""
    from dj_lint.text import build_cache
    warm_copy(built, tmp_path)
    (build,) = files(tmp_path, "build-")
    key, products = build_cache.unpack(build.read_bytes())
    rules = products.pop("shipped-rules")
    build.write_bytes(build_cache.encode(products, key, {"shipped-rules": b"not a pickle"}))
    assert run(tmp_path) == reference
    assert build_cache.unpack(build.read_bytes())[1]["shipped-rules"] == rules


def test_a_shared_cache_folder_is_not_used(tmp_path, reference, built):
    warm_copy(built, tmp_path)
    os.chmod(tmp_path / "dj-lint", 0o777)
    for build in files(tmp_path, "build-"):
        _plant(build, lambda products: products.update({"shipped-rules": []}))
    assert run(tmp_path) == reference
    os.chmod(tmp_path / "dj-lint", 0o700)


def test_a_tampered_word_table_is_ignored(tmp_path, reference, built):
    warm_copy(built, tmp_path)
    (words,) = files(tmp_path, "words-")
    raw = bytearray(words.read_bytes())
    raw[20] ^= 0x01  # inside the dictionary digest
    words.write_bytes(bytes(raw))
    assert run(tmp_path) == reference
    words.write_bytes(raw[:1000])  # sizes no longer agree
    assert run(tmp_path) == reference


PROBE = """
import json, sys
from dj_lint.text import segment
words = sys.argv[1].split()
out = {"freq": [segment.frequency(w) for w in words], "in": [segment.in_dictionary(w) for w in words],
       "cut": [segment.cut(w) for w in words], "pos": [segment.pos(w) for w in words]}
out["table"] = segment.wordfreq.table() is not None
out["jieba_loaded"] = segment._jieba is not None
out["posseg_loaded"] = "jieba.posseg" in sys.modules
print(json.dumps(out, ensure_ascii=False))
"""
WORDS = "学习 党建 优秀共产党员 学习贯彻党的二十大精神 制做 部分学校还制做了标语。 x 𠀀 abc123测试 不存在的词语"


def probe(cache_home, *extra_env):
    out = subprocess.run([sys.executable, "-c", PROBE, WORDS], env=private_env(cache_home, *extra_env),
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_word_counts_and_cuts_from_the_table_equal_jiebas(tmp_path):
    reference = probe(tmp_path / "none", ("DJ_LINT_NO_CACHE", "1"))
    # Without a cache: jieba's dictionary for counts and cuts, dict.txt read into memory
    # for the tags (what jieba.posseg would build, without importing it).
    assert reference["jieba_loaded"] and not reference["table"] and not reference["posseg_loaded"]
    assert reference["pos"][0] == "v" and reference["pos"][-1] == ""  # 学习; not a word
    first = probe(tmp_path)  # writes the table from jieba's dict.txt, without jieba
    assert first["table"] and not first["jieba_loaded"]
    warm = probe(tmp_path)
    assert warm["table"] and not warm["jieba_loaded"]  # no dictionary load at all
    assert not first["posseg_loaded"] and not warm["posseg_loaded"]  # tags from the tag table
    for got in (first, warm):
        for key in ("freq", "in", "cut", "pos"):
            assert got[key] == reference[key]
    # A tag table that does not hold what it claims is not used: it is written again.
    (tags,) = files(tmp_path, "tags-")
    whole = tags.read_bytes()
    tags.write_bytes(whole[:5000])
    cut_short = probe(tmp_path)
    assert cut_short["pos"] == reference["pos"] and tags.read_bytes() == whole


def test_tag_table_holds_jieba_posseg_tag_of_every_word(tmp_path):
    """The mapped tags equal jieba.posseg's word_tag_tab, word for word."""
    code = ("import json, sys\n"
            "from dj_lint.text import wordfreq\n"
            "import jieba.posseg\n"
            "tab = jieba.posseg.dt.word_tag_tab\n"
            "t = wordfreq.tag_table()\n"
            "bad = [w for w, tag in tab.items() if t.get(w) != tag]\n"
            "from dj_lint.text import build_cache\n"
            "same = wordfreq.read_tags(build_cache.jieba_dict_path()) == tab  # the no-cache path\n"
            "print(json.dumps([len(tab), bad[:5], t.get('并非词典里的词'), same]))\n")
    count, bad, missing, same = json.loads(python(code, cache_home=tmp_path))
    assert count > 300_000 and bad == [] and missing is None and same


def test_the_word_table_read_from_dict_txt_holds_jiebas_entries():
    """wordfreq.read_dict reads dict.txt as jieba's gen_pfdict does (every word, every
    prefix with count 0, the same total), and the table written from it answers
    every entry as jieba's FREQ does; byteshift's two-character words from the table
    equal those from jieba's dictionary."""
    from dj_lint.text import build_cache, segment, wordfreq
    jieba = segment._load()
    with open(build_cache.jieba_dict_path(), "rb") as fh:
        raw = fh.read()
    freq, total = wordfreq.read_dict(raw)
    assert freq == jieba.dt.FREQ and total == jieba.dt.total
    assert wordfreq.read_dict(b"\xe5\x85\x9a 5 n\n\n") is None  # an empty line: jieba rejects it too
    assert wordfreq.read_dict(b"\xe5\x85\x9a\xe5\x91\x98 5 n\n\xe5\x85\x9a 2 n\n\xe5\x85\x9a 3 n\n") == (
        {"党": 3, "党员": 5}, 10)  # a later line wins, the total adds every line
    payload = wordfreq.encode(freq, total, b"\0" * 32)
    table = wordfreq.Table(payload, len(wordfreq.MAGIC) + 32 + wordfreq._HEAD.size, wordfreq.BUCKETS, total)
    for word, count in list(freq.items())[::7]:
        assert table.get(word) == count
    for absent in ("不存在的词语", "x", "党建工作要常抓", "\t"):
        assert table.get(absent) == freq.get(absent)
    seconds = set("础选员部")
    from_table = sorted(w for w in table.text_words(r"[^\t\n][础选员部]"))
    from_jieba = sorted((w, c) for w, c in freq.items() if len(w) == 2 and w[1] in seconds)
    assert from_table == from_jieba and len(from_table) > 100


def test_jieba_cut_follows_jieba_token_for_token():
    from dj_lint.text import jieba_cut, segment
    jieba = segment._load()
    freq = jieba.dt.FREQ
    clauses = []
    for name in SEEDS + [os.path.join("tests", "clean", n) for n in sorted(os.listdir(os.path.join(ROOT, "tests", "clean")))]:
        with open(os.path.join(ROOT, name), encoding="utf-8") as fh:
            clauses.extend(c for c in re.split(r"[。！？\n]", fh.read()) if c)
    clauses += ["abc 123\r\n测试 ＡＢＣ", "COVID-19疫情", "5.5%的增长", "#标签&符号_下划线", "\t \u3000", "𠀀𠀁字"]
    assert len(clauses) > 200
    for c in clauses:
        assert jieba_cut.tokenize(c, freq, jieba.dt.total) == list(jieba.tokenize(c, HMM=False)), c
    # Over the mapped word table (read through its memo inline), token for token too.
    from dj_lint.text import wordfreq
    path = wordfreq.cache_file()
    table = wordfreq._open(path, wordfreq.dict_digest()) if path else None
    if table is not None:
        for c in clauses:
            assert jieba_cut.tokenize(c, table, table.total) == list(jieba.tokenize(c, HMM=False)), c


def test_prune_keeps_the_recent_files_of_each_family(tmp_path):
    from dj_lint.text import cachedir
    folder = tmp_path / "dj-lint"
    folder.mkdir()
    now = time.time()
    for i in range(20):
        p = folder / f"build-{i:02d}.pickle"
        p.write_bytes(b"x")
        os.utime(p, (now - i * 60, now - i * 60))
    old = folder / "words-old.bin"
    old.write_bytes(b"x")
    os.utime(old, (now - 40 * 86400, now - 40 * 86400))
    old_tags = folder / "tags-old.bin"
    old_tags.write_bytes(b"x")
    os.utime(old_tags, (now - 40 * 86400, now - 40 * 86400))
    stray = folder / ".tmp-abc.part"
    stray.write_bytes(b"x")
    os.utime(stray, (now - 7200, now - 7200))
    mine = folder / "notes.txt"  # not ours: never touched
    mine.write_bytes(b"x")
    cachedir.prune(str(folder), keep="build-19.pickle", now=now)
    left = sorted(p.name for p in folder.iterdir())
    builds = [n for n in left if n.startswith("build-")]
    assert len(builds) == cachedir.FAMILIES["build-"]
    assert "build-19.pickle" in builds and "build-00.pickle" in builds and "build-18.pickle" not in builds
    assert "words-old.bin" not in left and ".tmp-abc.part" not in left and "notes.txt" in left
    assert "tags-old.bin" not in left


def test_word_suffixes_known_without_importing_docx_input_match_it():
    from dj_lint.text import docx_input, sources
    assert set(sources.WORD_SUFFIXES) == {".docx", *docx_input.LEGACY_SUFFIXES}


def test_a_text_run_imports_no_reporter_docx_fix_or_yaml_it_does_not_use(tmp_path):
    code = ("import sys, io, contextlib\n"
            "from dj_lint.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: main(['--no-config', sys.argv[1]])\n"
            "    except SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m in ('yaml', 'dj_lint.text.docx_input', 'dj_lint.app.fix',"
            " 'dj_lint.reporters.html', 'dj_lint.reporters.junit', 'dj_lint.app.annotate', 'jieba',"
            " 'difflib', 'shlex', 'calendar')))\n")  # difflib, shlex: only a misspelt directive, a fixable finding
    doc = os.path.join(ROOT, "tests", "clean", sorted(os.listdir(os.path.join(ROOT, "tests", "clean")))[0])
    for _ in range(2):  # the first run builds the cache (and may read YAML and jieba)
        out = python(code, doc, cache_home=tmp_path)
    assert out.strip() == "[]"


WRITER = """
import json, os, signal, sys
from dj_lint.text import wordfreq
built_here = []
own_build = wordfreq._build
wordfreq._build = lambda *a: built_here.append(1) or own_build(*a)  # counts this process's builds
if sys.argv[1] != "inline":
    wordfreq.write_in_background()
pid = wordfreq._WRITER
if sys.argv[1] == "kill" and pid:
    os.kill(pid, signal.SIGKILL)
found = wordfreq.table()
print(json.dumps({"child": pid is not None, "built_here": len(built_here), "table": found is not None,
                  "freq": found.frequency("党建") if found else None, "path": wordfreq.cache_file()}))
"""


def test_the_word_table_written_by_a_child_process_is_the_one_written_in_process(tmp_path):
    """A first run starts writing the word table in a forked child (cli/main.py) while
    the packs compile; the table it leaves is the same file, and a child that dies
    before writing it costs nothing but time (table() writes it)."""
    def write(mode):
        home = tmp_path / mode
        got = json.loads(python(WRITER, mode, cache_home=home))
        assert got["table"] and got["freq"] > 0
        with open(got["path"], "rb") as fh:
            return got, fh.read()

    inline, expected = write("inline")
    assert not inline["child"] and inline["built_here"] == 1
    background, raw = write("background")
    assert background["child"] and background["built_here"] == 0  # the child wrote it
    assert raw == expected
    killed, raw = write("kill")
    assert killed["child"] and raw == expected  # killed at once: almost always written here
    again = json.loads(python(WRITER, "background", cache_home=tmp_path / "background"))
    assert not again["child"] and again["built_here"] == 0  # a table already there: no child


def test_a_cold_run_leaves_the_word_table_a_warm_run_reads(tmp_path, reference):
    assert run(tmp_path) == reference
    (words,) = files(tmp_path, "words-")
    first = words.read_bytes()
    assert run(tmp_path) == reference and words.read_bytes() == first


COUNTS = """
import json, os, signal, sys
from dj_lint.text import segment, wordfreq
words = sys.argv[1].split()
wordfreq.write_in_background()
pid = wordfreq._WRITER
os.kill(pid, signal.SIGSTOP)  # the child is surely still writing while we ask
early = [segment.frequency(w) for w in words]
scan = wordfreq._COUNTS
full = wordfreq._Scan(scan.raw).counts()
sample = list(full)[::97]
probe = sample[::10] + [w[:-1] for w in sample[::10]] + ["", "党 委", "学习\\n", "\\ud800", "\\u3000"]
scanned = [wordfreq._Scan(scan.raw).frequency(w) for w in probe]
for w in probe[:wordfreq.SCANNED_LOOKUPS]:  # this run's searches used up: the dict answers
    wordfreq.frequencies().frequency(w)
then = wordfreq.frequencies()
os.kill(pid, signal.SIGCONT)
table = wordfreq.table()  # waits for the child
late = [segment.frequency(w) for w in words]
print(json.dumps({"early": early, "late": late, "scan": type(scan).__name__, "then": type(then).__name__,
                  "after": wordfreq._COUNTS is None,
                  "same": all(full.get(w, 0) == table.frequency(w) for w in sample + [w[:-1] for w in sample]),
                  "scanned": scanned == [table.frequency(w) for w in probe], "probed": len(probe),
                  "sampled": len(sample)}))
"""


def test_counts_read_while_the_child_writes_the_table_are_the_tables(tmp_path):
    """A first run's early lookups read dict.txt instead of waiting for the child
    writing the table (wordfreq.counts_while_writing): first by searching its bytes
    (_Scan), after SCANNED_LOOKUPS from all its counts in a dict; both give the
    table's answers, for words, prefixes that are no words, and strings that are
    neither (empty, with a space or a line break, a lone surrogate)."""
    got = json.loads(python(COUNTS, WORDS, cache_home=tmp_path))
    assert got["scan"] == "_Scan" and got["then"] == "_Counts" and got["after"]
    assert got["sampled"] > 3000 and got["probed"] > 700
    assert got["early"] == got["late"] and got["same"] and got["scanned"]
    assert got["early"][0] > 0 and got["early"][-1] == 0  # 学习; not a word


def test_forget_drops_a_separate_product_unless_it_waits_to_be_written(monkeypatch):
    from dj_lint.text import build_cache
    monkeypatch.setattr(build_cache, "_SEPARATE", {"read": 1, "built": 2})
    monkeypatch.setattr(build_cache, "_SEPARATE_DIRTY", {"built": 2})
    build_cache.forget("read")
    build_cache.forget("built")
    build_cache.forget("never")
    assert build_cache._SEPARATE == {"built": 2}


def test_doc_type_gates_come_from_the_build_cache(tmp_path, built):
    """The shipped doc types' title and body gates (doctypes._gates) are kept in the
    build file and answer every line as gates built afresh do."""
    from dj_lint import doctypes
    from dj_lint.text import build_cache
    warm_copy(built, tmp_path)
    (build,) = files(tmp_path, "build-")
    _, products = build_cache.unpack(build.read_bytes())
    kept = products["doc-type-gates"]
    types = doctypes.load_types()
    fresh = (doctypes._any_of([p for t in types for p in t.title]),
             doctypes._any_of([p for t in types for p in t.body]))
    lines = ["某某支部2025年度党建工作总结", "个人述职述廉报告", "关于开展专题学习的实施方案",
             "先进党支部事迹材料", "学习心得体会", "会议记录", "今天下午三点召开会议。", "", "总结",
             "一、主要做法", "现将半年来的工作总结如下：", "本报讯（通讯员）近日，", "述职如下：",
             "根据上级要求，结合工作实际，制定本方案。"]
    for gate, new in zip(kept, fresh):
        assert gate is not None and new is not None
        answers = [gate.found_in(line) for line in lines]
        assert answers == [new.found_in(line) for line in lines]
        assert True in answers and False in answers  # the lines tell gates apart
