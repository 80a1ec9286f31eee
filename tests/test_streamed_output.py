"""Large runs in little memory: text and JSON reports are written piece by
piece as they are rendered, and a file's lines come back from linting only
when the format shows them (KeptLines). Both must change nothing in what is
written: the pieces join to the same text, and a report built from the kept
lines equals one built from every line."""
from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import random

import pytest

from conftest import run_cli
from dj_lint.app.run import (ALL_LINES, FINDING_LINES, NO_LINES, RENDERED, _lint_batch_rendered, lint_paths,
                             lines_needed, write_report)
from dj_lint.cli.main import build_parser
from dj_lint.config.resolve import ConfiguredLinter, Resolver
from dj_lint.model.findings import KeptLines, Report
from dj_lint.reporters import REPORTERS, json_text, render_pieces, text as text_reporter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "seeds")


def _std(obj):
    return json.dumps(obj, ensure_ascii=False, indent=2)


def test_json_chunks_join_to_json_dumps():
    rng = random.Random(5)
    values = ["", "党的\n二十大", "\udc80", 0, 1.5, None, True, [], {}, [1, [2, {"a": []}]],
              {"k": "v", "n": {"m": [None]}}]
    for _ in range(300):
        pairs = []
        for i in range(rng.randint(0, 5)):
            if rng.random() < 0.4:
                items = [rng.choice(values) if rng.random() < 0.5 else {"rule": "DJ201", "line": i, "text": "__"}
                         for _ in range(rng.randint(0, 600))]
                pairs.append((f"s{i}", items, json_text.Stream(iter(items))))
            else:
                v = rng.choice(values)
                pairs.append((f"k{i}", v, v))
        joined = "".join(json_text.chunks([(k, s) for k, _, s in pairs]))
        assert joined == _std({k: v for k, v, _ in pairs})


def test_json_chunks_hand_odd_items_to_the_standard_library():
    import collections
    odd = [collections.OrderedDict(b=[1, {}], a=()), {1: "int key"}, type("S", (str,), {})("x")]
    joined = "".join(json_text.chunks([("items", json_text.Stream(odd)), ("n", 1)]))
    assert joined == _std({"items": odd, "n": 1})


def _lint(paths, keep, *flags):
    args = build_parser().parse_args(["--no-config", "--as-of", "2026-12-01", "--jobs", "1", *flags, *paths])
    args.colour = False
    resolver = Resolver(args)
    linter = ConfiguredLinter(resolver, paths)
    findings, errors, sources, files = lint_paths(paths, linter, args, keep)
    report = Report(findings=findings, errors=errors, files=files, as_of="2026-12-01", version="x",
                    sources=sources, warnings=[], paths=list(paths), rule_info=resolver.rule_info())
    return report, args


@pytest.fixture(scope="module")
def seed_paths():
    return [os.path.join(SEEDS, n) for n in sorted(os.listdir(SEEDS))]


def test_kept_lines_render_as_every_line(seed_paths):
    full, args = _lint(seed_paths, ALL_LINES)
    kept, _ = _lint(seed_paths, FINDING_LINES)
    assert len(full.findings) > 100
    for path, lines in kept.sources.items():
        assert isinstance(lines, KeptLines) and len(lines) == len(full.sources[path])
        assert len(lines.kept) < len(full.sources[path])  # not the whole file
    for fmt in ("text", "concise", "json", "gitlab", "sarif", "github", "junit"):
        assert REPORTERS[fmt](kept, args) == REPORTERS[fmt](full, args), fmt
    none, _ = _lint(seed_paths, NO_LINES)
    assert all(not lines.kept for lines in none.sources.values())
    assert REPORTERS["json"](none, args) == REPORTERS["json"](full, args)
    # A line that was not kept is an error, never a silently wrong snippet.
    some = next(iter(none.sources.values()))
    with pytest.raises(LookupError):
        some[0]


def test_each_format_keeps_what_it_shows():
    def need(*argv):
        return lines_needed(build_parser().parse_args([*argv, "x.txt"]))
    assert need("--format", "json") == NO_LINES
    assert need("--format", "concise") == NO_LINES
    assert need("--format", "json", "--baseline", "b.json") == FINDING_LINES
    assert need("--format", "text") == FINDING_LINES
    assert need("--format", "sarif") == FINDING_LINES
    assert need("--format", "html") == ALL_LINES


def test_text_pieces_join_to_the_same_report_whatever_their_size(seed_paths, monkeypatch):
    report, args = _lint(seed_paths, FINDING_LINES)
    whole = REPORTERS["text"](report, args)
    assert whole.count("\n") > 3 * len(report.findings)
    for batch in (1, 7, 10 ** 9):
        monkeypatch.setattr(text_reporter, "_BATCH", batch)
        pieces = list(render_pieces("text", report, args))
        assert len(pieces) > 1 or batch == 10 ** 9
        assert "".join(pieces) == whole
    args.summary = False
    empty = Report(findings=[], errors=[], files=0, as_of="2026-12-01", version="x")
    assert "".join(render_pieces("text", empty, args)) == "\n"


def test_a_failure_while_streaming_leaves_the_output_file_as_it_was(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("old report\n", encoding="utf-8")

    def pieces():
        yield "{\n"
        yield "  half"
        raise RuntimeError("rendering failed")

    with pytest.raises(RuntimeError):
        write_report(pieces(), str(out))
    assert out.read_text(encoding="utf-8") == "old report\n"
    assert sorted(os.listdir(tmp_path)) == ["report.json"]  # no temporary file left behind
    write_report(iter(["党", "建\n"]), str(out))
    assert out.read_text(encoding="utf-8") == "党建\n"


def test_cli_output_file_equals_stdout_for_streamed_formats(tmp_path):
    for fmt in ("json", "text"):
        res = run_cli("--no-config", "--as-of", "2026-12-01", "--format", fmt, SEEDS)
        assert res.returncode == 1
        target = tmp_path / f"out.{fmt}"
        again = run_cli("--no-config", "--as-of", "2026-12-01", "--format", fmt, "-o", str(target), SEEDS)
        assert again.returncode == 1 and again.stdout == b""
        assert target.read_bytes() == res.stdout
    assert json.loads(res.stdout.decode("utf-8") if fmt == "json" else (tmp_path / "out.json").read_text())


def test_a_large_file_fixes_the_mmap_threshold_once(tmp_path):
    import subprocess
    import sys
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text("党建工作。\n", encoding="utf-8")
    large.write_bytes(b"x" * (4 * 1024 * 1024 + 1))
    code = ("import sys; from dj_lint.app import run; run._maybe_large(sys.argv[1]); a = run._MAPPED; "
            "run._maybe_large(sys.argv[2]); print(a, run._MAPPED)")
    out = subprocess.run([sys.executable, "-c", code, str(small), str(large)], capture_output=True, text=True)
    assert out.stdout.split() == ["False", "True"], out.stderr


def _by_file(report):
    files = {}
    for f in report.findings:
        files.setdefault(f.path, []).append(f)
    return files


def test_files_rendered_beforehand_give_the_same_text_report(seed_paths, monkeypatch):
    """Under --jobs each file's findings are rendered where it was linted
    (render_file) and handed to the report (adopt): the report is the one rendered
    finding by finding, also for a file whose findings a baseline cut, and each
    file's text is written as rendered (no finding of it rendered again)."""
    report, args = _lint(seed_paths, FINDING_LINES)
    whole = REPORTERS["text"](report, args)
    files = _by_file(report)
    assert len(files) == len(seed_paths)
    rendered = {path: text_reporter.render_file(found, report.sources[path]) for path, found in files.items()}
    again = []
    real = text_reporter._Renderer.lines

    def lines(self, out, findings, i, *a):
        stop = real(self, out, findings, i, *a)
        again.extend(findings[i:stop])
        return stop

    monkeypatch.setattr(text_reporter._Renderer, "lines", lines)
    for path, found in files.items():
        text_reporter.adopt(found, rendered[path])
    assert "".join(render_pieces("text", report, args)) == whole
    assert again == [] and text_reporter._FILES == {}
    # A finding left out of one file (as --baseline does): that file's findings
    # are rendered again, the others' texts used as they are.
    cut = next(iter(files.values()))
    report.findings.remove(cut[1])
    expected = REPORTERS["text"](report, args)
    again.clear()
    for path, found in files.items():
        text_reporter.adopt(found, rendered[path])
    assert "".join(render_pieces("text", report, args)) == expected
    assert again == [f for f in cut if f is not cut[1]]  # the other files as rendered
    assert text_reporter._FILES == {}


def test_the_summary_counted_as_findings_are_rendered_is_the_one_counted_from_them(seed_paths):
    """chunks counts the summary's figures (severities, fixable rules and their
    safety, files) as it lists the findings, from each file rendered beforehand
    (render_file) and from those it renders itself: the line it ends with is the
    one counted from the report's findings, whatever mix of them is rendered where
    (random severities and fixable marks; some files rendered beforehand, some
    written already with render_file's counts or without (counted
    from their findings), some not listed at all (Report.unlisted: their counts
    only), one of them cut as a baseline cuts it)."""
    import dataclasses

    report, args = _lint(seed_paths, FINDING_LINES)
    rng = random.Random(17)
    rules = sorted({f.rule for f in report.findings})
    for _ in range(6):
        report.findings[:] = [dataclasses.replace(f, severity=rng.choice(["error", "warning", "info"]),
                                                  fixable=rng.random() < 0.3)
                              for f in report.findings if rng.random() < 0.9]
        report.rule_info = {r: {"fix_safety": rng.choice(["safe", "unsafe"])} for r in rules}
        files = _by_file(report)
        where = {path: rng.choice(["rendered", "written", "unlisted", "written uncounted", "here"]) for path in files}
        for path, found in files.items():
            if where[path] == "rendered":
                text_reporter.adopt(found, text_reporter.render_file(found, report.sources[path]))
        for path, found in files.items():  # (after adopt, which may clear _FILES for its style)
            if where[path] == "written":
                text_reporter.written(found, text_reporter.render_file(found, report.sources[path])[2])
            elif where[path] == "written uncounted":
                text_reporter.written(found)
        if files and rng.random() < 0.5:
            cut = rng.choice([found for path, found in files.items() if where[path] != "unlisted"] or [[None]])
            if cut[0] is not None:
                report.findings.remove(cut[0])
        expected = text_reporter.summary(report, args)
        listed = dataclasses.replace(report, findings=[f for f in report.findings if where[f.path] != "unlisted"],
                                     unlisted=[(path, text_reporter.render_file(found, None)[2])
                                               for path, found in files.items() if where[path] == "unlisted"])
        last = "".join(render_pieces("text", listed, args)).splitlines()[-1]
        assert last == expected == text_reporter.summary(listed, args)
        assert text_reporter._FILES == {}


def test_files_rendered_in_another_style_are_rendered_again(seed_paths, monkeypatch):
    report, args = _lint(seed_paths[:2], FINDING_LINES)
    whole = REPORTERS["text"](report, args)
    for path, found in _by_file(report).items():
        # Coloured, or for a narrower terminal than the report's: not this report's text.
        text_reporter.adopt(found, text_reporter.render_file(found, report.sources[path], colour=True))
    assert "".join(render_pieces("text", report, args)) == whole
    monkeypatch.setenv("COLUMNS", "50")
    for path, found in _by_file(report).items():
        text_reporter.adopt(found, text_reporter.render_file(found, report.sources[path]))
    monkeypatch.setenv("COLUMNS", "")
    assert "".join(render_pieces("text", report, args)) == whole


def test_findings_come_sorted_by_path_whatever_order_the_files_are_given_in(seed_paths):
    """lint_paths sorts only when the files were not given in path order (each
    file's findings come sorted from the linter): the same findings either way."""
    ordered, _ = _lint(seed_paths, FINDING_LINES)
    shuffled, _ = _lint(list(reversed(seed_paths)), FINDING_LINES)
    assert [f.path for f in ordered.findings] != [] and shuffled.findings == ordered.findings
    key = [(f.path, f.line, f.column, f.rule, f.end_line, f.end_column) for f in ordered.findings]
    assert key == sorted(key)


def test_files_rendered_where_linted_send_back_no_lines(seed_paths):
    """A text report under --jobs renders each file where it is linted, from all
    its lines; with keep RENDERED no lines come back (what workers pickled was
    half lines), and the text is the one rendered from the lines kept for it."""
    report, args = _lint(seed_paths, FINDING_LINES)
    resolver = Resolver(args)
    linter = ConfiguredLinter(resolver, seed_paths)
    got = _lint_batch_rendered(seed_paths, linter, args, RENDERED, text_reporter.render_file)
    files = _by_file(report)
    assert len(got) == len(seed_paths) == len(files)
    for (found, error, _, lines, shown), rendered in got:
        assert error is None and lines is None and found == files[shown]
        assert rendered == text_reporter.render_file(files[shown], report.sources[shown])
        assert rendered[1].count("^") >= len(found)


def test_the_report_width_fixed_by_the_command_line_is_the_reports(seed_paths, monkeypatch):
    """chunks renders at options.report_width when the command line fixed it
    (the width the files were rendered at as they were linted), not at the
    terminal's width when the report is written."""
    report, args = _lint(seed_paths[:2], FINDING_LINES)
    monkeypatch.setenv("COLUMNS", "50")
    narrow = REPORTERS["text"](report, args)
    monkeypatch.setenv("COLUMNS", "")
    wide = REPORTERS["text"](report, args)
    assert narrow != wide
    args.report_width = 50 - len(text_reporter._INDENT)
    assert REPORTERS["text"](report, args) == narrow


def test_a_run_that_knows_its_sizes_stats_each_file_once(tmp_path):
    """lint_paths has every file's size (one stat a file): its batches use them
    (``large``) instead of a stat of their own per file, and a run with a large
    file fixes the mmap threshold before any batch; a batch without sizes
    (``large`` None: the cluster, stdin) still looks at each path."""
    import subprocess
    import sys
    small = [tmp_path / f"s{i}.txt" for i in range(3)]
    for p in small:
        p.write_text("党建工作总结\n支部认真学习。\n", encoding="utf-8")
    code = """if True:
        import os, sys
        from dj_lint.app import run
        from dj_lint.cli.main import build_parser
        from dj_lint.config.resolve import ConfiguredLinter, Resolver
        calls = []
        real = os.path.getsize
        def getsize(p):
            calls.append(p)
            return real(p)
        os.path.getsize = getsize
        paths = sys.argv[1:]
        args = build_parser().parse_args(["--no-config", "--jobs", "1", *paths])
        linter = ConfiguredLinter(Resolver(args), paths)
        run.lint_paths(paths, linter, args)
        print(len(calls), run._MAPPED)
        del calls[:]
        run._lint_batch_rendered(paths, linter, args, run.ALL_LINES, large=None)
        print(len(calls), run._MAPPED)
        run._lint_batch_rendered(paths, linter, args, run.ALL_LINES, large=True)
        print(len(calls), run._MAPPED)
    """
    out = subprocess.run([sys.executable, "-c", code, *map(str, small)], capture_output=True, text=True)
    assert out.stdout.split() == ["3", "False", "3", "False", "3", "True"], out.stderr
    assert run_any_large([1, 4 * 1024 * 1024 + 1]) is True and run_any_large([1, 2]) is False
    assert run_any_large(None) is None


def run_any_large(sizes):
    from dj_lint.app.run import _any_large
    return _any_large(sizes)


def test_files_written_as_linted_and_the_rest_of_the_report_join_to_the_whole(seed_paths, monkeypatch):
    """A streamed text report (cli/main.py ``_streamed``): each file's part is
    written as lint_paths hands it over, rendered where it was linted, in path
    order (here in one process: one batch); the report then writes only what
    follows (the summary), rendering no finding again, also when its style is not
    the one the files were rendered in, and also when it lists none of those
    findings (``unlisted``: their counts only)."""
    report, args = _lint(seed_paths, FINDING_LINES)
    whole = REPORTERS["text"](report, args)
    resolver = Resolver(args)
    for style_matches, unlisted in ((True, None), (False, None), (True, []), (False, [])):
        written = []

        def write_file(found, rendered, lines):
            assert lines is None  # rendered where linted: no line comes back
            assert type(found) is (list if unlisted is None else int)
            written.append(rendered[1])
            if unlisted is None:
                text_reporter.written(found, rendered[2])

        linter = ConfiguredLinter(resolver, seed_paths)
        findings, errors, sources, files = lint_paths(seed_paths, linter, args, FINDING_LINES, None,
                                                      text_reporter.render_file, write_file, unlisted)
        assert len(written) == len(seed_paths) and all(lines is None for lines in sources.values())
        assert (findings == []) == (unlisted is not None)
        streamed = Report(findings=findings, errors=errors, files=files, as_of="2026-12-01", version="x",
                          sources=sources, warnings=[], paths=list(seed_paths), rule_info=resolver.rule_info(),
                          unlisted=unlisted or [])
        style = (False, text_reporter.source_width(), None) if style_matches else ("another", 1, None)
        monkeypatch.setattr(text_reporter, "_BLOCK_STYLE", [style])
        rest = "".join(render_pieces("text", streamed, args))
        assert "".join(written) + rest == whole
        assert rest.count("\n") == 1 and text_reporter._FILES == {}
        for found in _by_file(streamed).values():
            text_reporter.written(found)
        args.summary = False  # nothing follows the files: nothing more is written
        assert "".join(render_pieces("text", streamed, args)) == ""
        args.summary = True


def test_only_a_report_to_stdout_of_files_in_path_order_is_streamed(monkeypatch):
    from dj_lint.cli.main import _streamed

    def streamed(*argv):
        args = build_parser().parse_args(list(argv))
        return _streamed(args, args.paths)
    assert streamed("a.txt", "b.txt", "c/d.txt")
    assert not streamed("b.txt", "a.txt")
    assert not streamed("a.txt", "a.txt")
    assert not streamed("-")
    assert not streamed("-o", "out.txt", "a.txt")
    assert not streamed("--baseline", "b.json", "a.txt")
    assert not streamed("--write-baseline", "b.json", "a.txt")
    assert not streamed("--fix", "a.txt")
    assert not streamed("--diff", "a.txt")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert not streamed("a.txt")  # a terminal: the progress line is drawn on it


@pytest.fixture
def streamed_parts(monkeypatch):
    """The counts of each file's part a streamed report writes (cli/main.py
    ``_Stream``), in order, as the command runs in this process."""
    cli_main = importlib.import_module("dj_lint.cli.main")
    parts = []
    real = cli_main._Stream.__call__

    def counted(self, found, rendered, lines):
        parts.append(found)
        return real(self, found, rendered, lines)
    monkeypatch.setattr(cli_main._Stream, "__call__", counted)
    return parts


def _main_to_string(argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = importlib.import_module("dj_lint.cli.main").main(argv)
    return status, out.getvalue()


def test_one_process_streams_a_text_report_to_stdout_as_a_pool_does(seed_paths, tmp_path, streamed_parts):
    """--jobs 1 to stdout (not a terminal) writes each file's part as soon as it
    is linted (cli/main.py ``_Stream``), as a pool does: the same report as the
    one --output holds to the end, and the same exit status."""
    parts = streamed_parts
    argv = ["--no-config", "--as-of", "2026-12-01", "--jobs", "1", *seed_paths]
    streamed, out = _main_to_string(argv)
    assert len(parts) > 1 and all(type(found) is int for found in parts)  # counts only: nothing kept
    written = len(parts)
    held = tmp_path / "report.txt"
    assert importlib.import_module("dj_lint.cli.main").main(argv + ["--output", str(held)]) == streamed == 1
    assert len(parts) == written  # --output: not streamed
    assert out == held.read_text(encoding="utf-8") and len(out) > 10000


def test_one_file_is_not_streamed(seed_paths, tmp_path, streamed_parts):
    """A single file has nothing to stream: its report is held and written in
    pieces (render_pieces), not rendered whole beside its findings (the 20 MB
    benchmark file's peak RSS, 243 -> 213 MB); the same text either way."""
    parts = streamed_parts
    argv = ["--no-config", "--as-of", "2026-12-01", "--jobs", "1"]
    status, one = _main_to_string(argv + seed_paths[:1])
    assert status == 1 and parts == []
    held = tmp_path / "report.txt"
    assert importlib.import_module("dj_lint.cli.main").main(argv + seed_paths[:1] + ["--output", str(held)]) == 1
    assert len(one) > 1000 and one == held.read_text(encoding="utf-8")
    assert _main_to_string(argv + seed_paths[:2])[0] == 1
    assert len(parts) == 2  # two files are streamed


def test_files_given_out_of_order_give_the_report_in_path_order():
    names = sorted(os.listdir(SEEDS))
    ascending = run_cli("--no-config", "--as-of", "2026-12-01", *[os.path.join(SEEDS, n) for n in names])
    descending = run_cli("--no-config", "--as-of", "2026-12-01", *[os.path.join(SEEDS, n) for n in reversed(names)])
    assert ascending.returncode == descending.returncode == 1
    # (All but the summary, whose --fix command names the files as they were given.)
    report = ascending.stdout.splitlines()[:-1]
    assert report == descending.stdout.splitlines()[:-1] and len(report) > 100


def test_a_streamed_report_goes_out_in_blocks_in_order(capsysbinary, monkeypatch):
    """cli._Stream holds the files' parts and writes them joined, in blocks, in
    the order they came (str and bytes pieces alike), each file whose findings
    the report lists marked written."""
    import importlib
    cli_main = importlib.import_module("dj_lint.cli.main")
    marked = []
    monkeypatch.setattr(cli_main._Stream, "_BLOCK", 10)
    stream = cli_main._Stream(lambda found, counts: marked.append((found, counts)))
    stream(["a"], ((False, 80, None), "一二三四", 2), None)  # 4 characters: held
    stream(["b"], ((False, 80, "utf-8"), "五六七八九十".encode("utf-8"), 7), None)  # 22: a block
    assert capsysbinary.readouterr().out == "一二三四五六七八九十".encode("utf-8")
    stream(3, ((False, 80, None), "尾", 1), None)  # counted only (Report.unlisted)
    assert capsysbinary.readouterr().out == b""
    stream.flush()
    assert capsysbinary.readouterr().out == "尾".encode("utf-8")
    assert marked == [(["a"], 2), (["b"], 7)]


def test_a_batch_keeps_its_warnings_apart_from_the_runs(tmp_path):
    """A batch's warnings go back with each file's result and are not added to
    the run's list while it lints: lint_paths adds them in path order. A pool's
    parent lints batches too; when they went straight into the run's list,
    its batches' warnings came first and their order changed from run to run."""
    paths = []
    for i in range(3):
        p = tmp_path / f"f{i}.txt"
        p.write_text("党建工作总结\n" + "".join(f"第{n}条：____________。\n" for n in range(4)), encoding="utf-8")
        paths.append(str(p))
    args = build_parser().parse_args(["--no-config", "--jobs", "1", "--max-per-rule", "1", *paths])
    linter = ConfiguredLinter(Resolver(args), paths)
    linter.ctx.warnings[:] = ["earlier"]
    got = _lint_batch_rendered(paths, linter, args, ALL_LINES)
    assert linter.ctx.warnings == ["earlier"]
    per_file = [warnings for (_, _, warnings, _, _), _ in got]
    assert all(len(w) == 1 and w[0].startswith(path + ": ") for w, path in zip(per_file, paths)), per_file
    linter = ConfiguredLinter(Resolver(args), paths)
    linter.ctx.warnings[:] = ["earlier"]
    lint_paths(list(reversed(paths)), linter, args)
    assert linter.ctx.warnings == ["earlier"] + [w[0] for w in reversed(per_file)]
