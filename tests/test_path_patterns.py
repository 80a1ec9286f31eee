"""include, exclude, the keys of per_file_ignores and --include/--exclude share one
meaning: gitignore patterns (pathspec), relative to the configuration's folder (the
working folder for the options). Through the real command, in a scratch repository."""
import json
import textwrap

from conftest import run_cli

BLANK = "____年以来，党总支连续五次被评为先进党组织。\n"
FILES = ("a.txt", "草稿1.txt", "notes.md", "reports/archive/2009.txt", "reports/2024/b.txt",
         "reports/2024/deep/c.txt", "drafts/d.txt", "drafts/sub/e.txt")


def repo(tmp_path, config=None):
    for name in FILES:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BLANK, encoding="utf-8")
    if config:
        (tmp_path / ".dj-lint.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    return tmp_path


def lint(cwd, *args):
    res = run_cli("--format", "json", "--as-of", "2026-11-21", "--select", "DJ201", *args,
                  cwd=str(cwd))
    assert res.returncode in (0, 1), res.stderr.decode()
    return sorted(f["path"] for f in json.loads(res.stdout)["findings"])


def test_per_file_ignores_bare_name_matches_at_any_depth(tmp_path):
    r = repo(tmp_path, """\
        per_file_ignores:
          archive: [placeholder]        # a folder name: everything under any archive/
          "drafts/*.txt": [DJ201]       # anchored; * stays in drafts/ itself
        """)
    assert lint(r, ".") == ["./a.txt", "./drafts/sub/e.txt", "./notes.md", "./reports/2024/b.txt",
                            "./reports/2024/deep/c.txt", "./草稿1.txt"]


def test_per_file_ignores_double_star_and_negation(tmp_path):
    r = repo(tmp_path, """\
        per_file_ignores:
          "reports/**/*.txt": [DJ201]
          "drafts/": [DJ201]
        """)
    assert lint(r, ".") == ["./a.txt", "./notes.md", "./草稿1.txt"]
    # A pattern only means something relative to the configuration's folder.
    assert lint(r / "reports", ".") == []


def test_include_is_a_gitignore_list_with_negation(tmp_path):
    r = repo(tmp_path, """\
        include: ["*.txt", "!草稿*", "!drafts/**"]
        """)
    # *.md is not included; 草稿1.txt and everything in drafts/ are taken back.
    assert lint(r, ".") == ["./a.txt", "./reports/2024/b.txt", "./reports/2024/deep/c.txt",
                            "./reports/archive/2009.txt"]


def test_command_line_include_and_exclude_are_relative_to_the_working_folder(tmp_path):
    r = repo(tmp_path)
    assert lint(r, "--no-config", "--include", "reports/2024/*.txt", ".") == [
        "./reports/2024/b.txt"]
    assert lint(r, "--no-config", "--include", "deep", ".") == ["./reports/2024/deep/c.txt"]
    assert lint(r, "--no-config", "--include", "*.txt", "--exclude", "reports/,草稿*", ".") == [
        "./a.txt", "./drafts/d.txt", "./drafts/sub/e.txt"]


def test_show_config_reports_patterns_that_match_nothing(tmp_path):
    r = repo(tmp_path, """\
        include: ["*.txt", "*.markdown"]
        exclude: [archive, arhcive]
        per_file_ignores:
          "drafts/*.txt": [DJ201]
          "draft/*.txt": [DJ201]
        """)
    res = run_cli("--show-config", "drafts/d.txt", cwd=str(r))
    assert res.returncode == 0, res.stderr.decode()
    lines = res.stdout.decode().splitlines()
    assert "ignore: [DJ201]  # .dj-lint.yaml:3" in lines
    assert "include_unmatched: ['*.markdown']  # 这些 include 模式在 . 下没有匹配任何文件" in lines
    assert "exclude_unmatched: [arhcive]  # 这些 exclude 模式在 . 下没有匹配任何文件" in lines
    assert ("per_file_ignores_unmatched: [draft/*.txt]  # 这些 per_file_ignores 模式在 . 下没有匹配任何文件"
            in lines)
