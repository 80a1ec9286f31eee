"""`dj-lint similar`: shared passages at exact positions, in-process and on a cluster."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, run_cli
from dj_lint.app.similar import pipeline as P
from dj_lint.app.similar import report as R
from dj_lint.app.similar.normalise import codepoints, normalise
from dj_lint.app.similar.run import find
from dj_lint.app.similar.sketch import SketchParams, band_keys, shingle_hashes, window_signatures

sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
import similar_archive  # noqa: E402
import similar_bench  # noqa: E402

# Texts written for these tests.
SHARED = ("全年共召开支部党员大会6次，支委会12次，讲党课4次，组织党员到革命纪念馆开展现场教学2次，"
          "党员参学率达到98%以上，学习笔记人均2万字。")
SHARED_NOISY = ("全年共召开支部党员大会8次, 支委会15次, 讲党课5次,组织党员到革命纪念馆开展现场教学3次，党员参学率\n"
                "达到97%以上，学习笔记人均3万字。")
DOC_A = ("关于2023年度党支部工作的总结\n\n今年以来，党支部以习近平新时代中国特色社会主义思想为指导，"
         "认真落实“三会一课”制度。" + SHARED + "\n\n在组织建设方面，我们严格按照程序发展党员，2023年5月吸收预备党员2名。\n")
DOC_B = ("党支部2024年工作总结\n\n一年来，我们坚持抓好班子带好队伍。" + SHARED_NOISY +
         "\n\n下一步，我们将继续加强自身建设，努力推动各项工作再上新台阶。\n")
DOC_C = "心得体会\n\n通过学习，我深刻认识到理论武装的重要性，今后要在学懂弄通做实上下功夫。\n"


def _write(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _slice(path, f):
    """The file's characters from (line, column) to (end_line, end_column)."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = fh.read().replace("\r\n", "\n").split("\n")
    if f["line"] == f["end_line"]:
        return lines[f["line"] - 1][f["column"] - 1:f["end_column"] - 1]
    parts = [lines[f["line"] - 1][f["column"] - 1:]] + lines[f["line"]:f["end_line"] - 1]
    return "\n".join(parts + [lines[f["end_line"] - 1][:f["end_column"] - 1]])


def _json(*args, cwd=None, env=None):
    out = run_cli("similar", *args, "--format", "json", cwd=cwd, env=env)
    assert out.returncode in (0, 1), out.stderr.decode()
    return json.loads(out.stdout), out.returncode


# -- normalisation -------------------------------------------------------
def test_copy_noise_normalises_away():
    plain = "2023年5月，党支部开展主题党日活动12次；参学率98.5%。二〇二三年十一月总结。"
    noisy = "2024年 6月,党支部开展\n主题党日活动 15 次;参学率97%.2024年十二月总结."
    assert normalise(plain)[0] == normalise(noisy)[0] == "#年#月党支部开展主题党日活动#次参学率#%#年#月总结"


def test_offsets_point_at_the_original_characters():
    text = "ＡＢ党 支部\n开展12次，二〇二三年。"
    norm, offsets = normalise(text)
    assert norm == "ab党支部开展#次#年"
    assert [text[i] for i in offsets] == ["Ａ", "Ｂ", "党", "支", "部", "开", "展", "1", "次", "二", "年"]


def test_boilerplate_is_removed_before_comparing():
    phrases = R.shipped()[1]
    norm, offsets = normalise("我们坚持以习近平新时代中国特色社会主义思想为指导，推进工作。", phrases)
    assert norm == "我们坚持推进工作"


# -- MinHash and LSH ----------------------------------------------------
def test_window_signatures_equal_datasketch_minhash():
    from datasketch import MinHash
    params = SketchParams()
    hv = shingle_hashes(codepoints(normalise(DOC_A)[0]), params)
    starts, sigs = window_signatures(hv, params)
    span = params.window - params.shingle + 1
    assert len(starts) > 3
    for s, sig in zip(starts, sigs):
        m = MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=int)
        m.update_batch(hv[s:s + span].tolist())
        assert (m.hashvalues == sig).all()


def test_band_buckets_equal_datasketch_lsh():
    from datasketch import MinHash, MinHashLSH
    params = SketchParams()
    files, _ = similar_archive.build(12, seed=3)
    lsh = MinHashLSH(num_perm=params.num_perm, params=(params.bands, params.rows))
    records, sigs_by_key = [], {}
    for d, (_, text) in enumerate(files):
        starts, sigs = window_signatures(shingle_hashes(codepoints(normalise(text)[0]), params), params)
        for w, sig in enumerate(sigs):
            key = (d, w)
            sigs_by_key[key] = sig
            lsh.insert(key, MinHash(hashvalues=sig, seed=params.seed, scheme="affine32"))
        keys = band_keys(sigs, params)
        records.append((keys.ravel(), np.full(keys.size, d, np.int32), np.zeros(keys.size, np.int32)))
    expected = set()
    for (d, w), sig in sigs_by_key.items():
        for other, _ in lsh.query(MinHash(hashvalues=sig, seed=params.seed, scheme="affine32")):
            if other != d:
                expected.add((min(d, other), max(d, other)))
    pair, _ = P.group(records, max_bucket=1000)
    got = {(p >> 32, p & 0xFFFFFFFF) for p in np.unique(pair).tolist()}
    assert expected and got == expected


def test_vote_needs_two_windows_of_one_passage():
    opts = P.Options()

    def recs(*rows):
        a, b, sa, sb = (np.array(c) for c in zip(*rows))
        return P._records(a, b, sa, sb)

    # Two windows, each shared by chance, at unrelated places: no candidate.
    assert len(P.vote([recs((0, 1, 10, 500), (0, 1, 40, 90))], opts)) == 0
    # Two windows at the same distance in both documents: one passage, a candidate.
    got = P.vote([recs((0, 1, 10, 500), (0, 1, 30, 520), (2, 3, 5, 5))], opts)
    assert got.tolist() == [[0, 1]]
    # A small edit between them (3 characters more in one copy) still counts.
    assert P.vote([recs((2, 3, 5, 5), (2, 3, 30, 33))], opts).tolist() == [[2, 3]]
    # The same window found in two bands is one window.
    assert len(P.vote([recs((0, 1, 10, 500), (0, 1, 10, 500))], opts)) == 0
    # Two reference documents are never a candidate.
    assert len(P.vote([recs((4, 5, 10, 10), (4, 5, 30, 30))], opts, first_reference=4)) == 0


def test_passage_in_many_documents_is_paired_through_the_first(tmp_path):
    import random
    rng = random.Random(2)
    files = {f"d{i:02d}.txt": similar_archive.paragraph(rng) + "\n" + SHARED + "\n" + similar_archive.paragraph(rng) + "\n"
             for i in range(9)}
    folder = _write(tmp_path / "a", files)
    refs = _write(tmp_path / "r", {"t.txt": "范文\n" + SHARED_NOISY + "\n"})
    paths = sorted(str(p) for p in folder.iterdir())
    opts = P.Options(boilerplate=R.shipped()[1], max_bucket=4)
    result = find(paths, [str(refs / "t.txt")], opts)
    # A star around the first document and the reference, not all 36 + 9 pairs (a few
    # more where the passage's first characters are shared by less than 5 documents).
    star = {(0, i) for i in range(1, 10)} | {(i, 9) for i in range(1, 9)}
    got = {(r.a, r.b) for r in result.pairs}
    assert star <= got and len(got) < len(star) + 6
    findings, summary = R.build(result, opts)
    for path in paths:
        mine = [f for f in findings if f.path == path]
        assert {f.rule for f in mine} == {"DJ050", "DJ051"} and all(SHARED[:-1] in f.text for f in mine)
    assert summary["clusters"] == [paths + [str(refs / "t.txt")]]
    # Below the limit, every pair of documents sharing the passage.
    everyone = find(paths, [], P.Options(boilerplate=R.shipped()[1]))
    assert len(everyone.pairs) == 36


# -- the command --------------------------------------------------------
def test_pair_reported_at_exact_positions_on_both_sides(tmp_path):
    folder = _write(tmp_path / "a", {"a.txt": DOC_A, "b.txt": DOC_B, "c.txt": DOC_C})
    report, rc = _json(str(folder))
    assert rc == 1
    by_path = {os.path.basename(f["path"]): f for f in report["findings"]}
    assert sorted(by_path) == ["a.txt", "b.txt"]
    a, b = by_path["a.txt"], by_path["b.txt"]
    assert a["text"] == SHARED
    assert b["text"] == SHARED_NOISY
    for f in (a, b):
        assert (f["rule"], f["name"], f["category"]) [0:3] == (f["rule"], "copied-passage", "copy")
        assert f["rule"] == "DJ050"
        assert _slice(f["path"], f) == f["text"]
    assert a["related"] == {k: b[k] for k in ("path", "line", "column", "end_line", "end_column")}
    assert b["related"] == {k: a[k] for k in ("path", "line", "column", "end_line", "end_column")}
    assert (a["line"], a["column"], b["line"], b["column"], b["end_line"]) == (3, 43, 3, 18, 4)
    pair = report["similar"]["pairs"][0]
    assert (os.path.basename(pair["a"]), os.path.basename(pair["b"]), pair["passages"]) == ("a.txt", "b.txt", 1)
    assert 0.4 < pair["share_a"] < 0.6 and 0.4 < pair["share_b"] < 0.7


def test_text_report_names_the_other_side_and_the_pair(tmp_path):
    folder = _write(tmp_path / "a", {"a.txt": DOC_A, "b.txt": DOC_B})
    out = run_cli("similar", "a", cwd=str(tmp_path))
    text = out.stdout.decode()
    assert out.returncode == 1
    assert "a/a.txt:3:43: DJ050 [警告] 这段文字（61 字）与 a/b.txt:3:18 处相同" in text
    assert "a/a.txt（50%）↔ a/b.txt（54%）：1 段，61 字" in text


def test_boilerplate_and_short_passages_do_not_count(tmp_path):
    guide = "坚持以习近平新时代中国特色社会主义思想为指导，增强“四个意识”、坚定“四个自信”、做到“两个维护”，"
    one = "关于学习的体会\n" + guide + "结合岗位实际认真做好本职工作，把学习成果转化为推动发展的实际行动。\n"
    two = "党小组学习情况\n" + guide + "大家围绕主题交流发言，查找不足，明确了下一步努力方向。\n"
    folder = _write(tmp_path / "b", {"one.txt": one, "two.txt": two})
    report, rc = _json(str(folder))
    assert rc == 0 and report["findings"] == [] and report["similar"]["pairs"] == []


def test_own_boilerplate_file_and_thresholds(tmp_path, capsys):
    from dj_lint.cli import main
    folder = _write(tmp_path / "a", {"a.txt": DOC_A, "b.txt": DOC_B})
    own = tmp_path / "own.yaml"
    own.write_text("- text: " + SHARED + "\n  source: 本单位的统一表述\n", encoding="utf-8")

    def findings(*args):
        main(["similar", str(folder), "--format", "json", *args])
        return json.loads(capsys.readouterr().out)["findings"]

    assert findings("--boilerplate", str(own)) == []
    assert findings("--min-length", "62") == []
    assert findings("--min-share", "60%") == []
    assert len(findings("--min-share", "0.5")) == 2 == len(findings("--min-length", "61"))


def test_reference_collection_reports_the_archive_side_only(tmp_path):
    archive = _write(tmp_path / "archive", {"b.txt": DOC_B, "c.txt": DOC_C})
    refs = _write(tmp_path / "templates", {"t1.txt": DOC_A, "t2.txt": DOC_A.replace("2023年度", "年度")})
    report, rc = _json(str(archive), "--reference", str(refs))
    assert rc == 1
    assert [(os.path.basename(f["path"]), f["rule"], f["name"]) for f in report["findings"]] == [
        ("b.txt", "DJ051", "template-passage"), ("b.txt", "DJ051", "template-passage")]
    assert sorted(os.path.basename(f["related"]["path"]) for f in report["findings"]) == ["t1.txt", "t2.txt"]
    assert all(p["reference"] for p in report["similar"]["pairs"])


def test_sarif_related_locations_and_html_both_sides(tmp_path):
    folder = _write(tmp_path / "a", {"a.txt": DOC_A, "b.txt": DOC_B})
    sarif = json.loads(run_cli("similar", str(folder), "--format", "sarif").stdout)
    result = sarif["runs"][0]["results"][0]
    related = result["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"].endswith("b.txt")
    assert related["region"]["startLine"] == 3 and related["region"]["startColumn"] == 18
    page = run_cli("similar", str(folder), "--format", "html").stdout.decode()
    data = json.loads(page.split('id="dj-data">')[1].split("</script>")[0])
    first = data["files"][0]["findings"][0]
    assert first["related_text"] == SHARED_NOISY and "共有相同段落的材料（1 对）" in page


def test_generated_archive_precision_recall_and_no_all_pairs(tmp_path):
    files, truth = similar_archive.build(150, seed=11)
    folder = _write(tmp_path / "archive", dict(files))
    opts = P.Options(boilerplate=R.shipped()[1])
    result = find(sorted(str(p) for p in folder.iterdir()), [], opts)
    findings, summary = R.build(result, opts)
    score = similar_bench.evaluate({"findings": [f.as_dict() for f in findings]}, truth, str(folder))
    assert score["recall"] >= 0.95 and score["precision"] >= 0.95, score
    assert result.candidates < 0.15 * 150 * 149 / 2  # candidate pairs, never all pairs


# -- a real local cluster ------------------------------------------------
@pytest.fixture(scope="module")
def cluster():
    """A Dask scheduler and two worker processes on 127.0.0.1, in a child process."""
    code = ("import sys\nfrom distributed import LocalCluster\n"
            "c=LocalCluster(n_workers=2,threads_per_worker=1,processes=True,host='127.0.0.1',"
            "scheduler_port=0,dashboard_address=None)\n"
            "print(c.scheduler_address,flush=True)\nsys.stdin.read()\nc.close()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    address = proc.stdout.readline().strip()
    assert address.startswith("tcp://127.0.0.1:"), address
    yield address
    proc.stdin.close()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_similar_on_a_cluster_equals_in_process(tmp_path, cluster):
    files, _ = similar_archive.build(80, seed=5)
    _write(tmp_path / "archive", dict(files))
    _write(tmp_path / "refs", {"t.txt": files[0][1]})
    args = ("similar", "archive", "--reference", "refs", "--format", "json")
    local = run_cli(*args, cwd=str(tmp_path))
    remote = run_cli(*args, "--cluster", cluster, cwd=str(tmp_path))
    assert local.returncode == remote.returncode == 1
    assert json.loads(local.stdout)["similar"]["pairs"]
    assert remote.stdout == local.stdout


def test_ordinary_lint_on_a_cluster_equals_in_process(cluster):
    seeds = sorted(os.listdir(os.path.join(ROOT, "seeds")))[:4]
    args = ("--format", "json", *(os.path.join("seeds", s) for s in seeds))
    local = run_cli(*args, "--jobs", "1")
    # Dask's own variable names the scheduler when --cluster is not given.
    remote = run_cli(*args, env={"DASK_SCHEDULER_ADDRESS": cluster})
    assert remote.returncode == local.returncode and remote.stdout == local.stdout
    assert json.loads(local.stdout)["findings"]


def test_unreachable_cluster_is_a_usage_error(tmp_path):
    folder = _write(tmp_path / "a", {"a.txt": DOC_A})
    out = run_cli("similar", str(folder), "--cluster", "tcp://127.0.0.1:9",
                  env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"})
    assert out.returncode == 2 and "无法连接集群" in out.stderr.decode()
