"""benchmarks/kinds.py, the per-kind CPU table the speed notes quote, runs on any
folder and lists every kind of the shipped packs once."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_kinds_table_lists_every_kind_once(tmp_path):
    from dj_lint.checks import KINDS
    for i, text in enumerate(["关于2026年支部工作的总结\n一、主要做法\n支部全年组织学习12次。\n",
                              "党支部学习制度\n每月集中学习一次，做好记录。\n"]):
        (tmp_path / f"d{i}.txt").write_text(text, encoding="utf-8")
    out = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "kinds.py"), "--rounds", "1",
                          str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert re.match(r"2 files, 0\.00 MB, 1 rounds .*all kinds \d+\.\d{3} s CPU", lines[0]), lines[0]
    rows = [l.split() for l in lines[2:]]
    names = [r[0] for r in rows]
    assert len(names) == len(set(names))
    assert set(names) == {cls.__name__ for cls in KINDS.values()}
    assert all(re.fullmatch(r"\d+\.\d{3}", r[1]) and r[2].endswith("%") for r in rows)


def test_kinds_table_refuses_a_missing_folder(tmp_path):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "kinds.py"), str(tmp_path / "none")],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 2 and "no folder" in out.stderr
