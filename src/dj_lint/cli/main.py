"""The dj-lint command line."""
from __future__ import annotations

import argparse
import datetime as _dt
import functools
import gc
import itertools
import os
import sys
from typing import List, Optional

from .. import __version__
from ..text.owndate import parse_as_of
from ..app.baseline import BaselineError
from ..app.run import (EXIT_CLEAN, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, Run, UsageError, check_flags,
                       collect_paths, load_document, report_encoding, write_report, write_reviewed)
from ..config.resolve import ConfigError, ConfiguredLinter, Resolver, known_selector, show
from ..doctypes.explain import explain_doc, type_ids
from ..model.rules import RuleError
from ..reporters import REPORTERS, render_pieces, statistics
from ..app import parallel
from ..text.dates import iso_date
from .output import output_format, use_colour
from ..text.document import InputError
from ..text import build_cache, wordfreq
from ..text.inert import visible
from ..text.oserrors import os_reason
from ..app.console import note, warn

def _date(value: str) -> _dt.date:
    try:
        return parse_as_of(value) if value.strip() == "document" else iso_date(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD 或 document：{value}") from None


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{value}")
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"应为正数（秒）：{value}")
    return seconds


def _csv(value: str) -> List[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _doc_type(value: str) -> str:
    if value not in type_ids():
        raise argparse.ArgumentTypeError(f"未知的文种：{value}（可选：{'、'.join(type_ids())}）")
    return value


def build_parser() -> argparse.ArgumentParser:
    from .zh import ArgumentParser
    p = ArgumentParser(
        prog="dj-lint",
        description="检查党建材料中的模板残留、过时提法、错别字等问题。",
        epilog="退出码：0 无问题；1 有达到 --fail-on 级别的问题；2 用法、配置或输入错误；"
               "3 dj-lint 内部错误（请报告，加 --debug 可看详情）；130 被中断。",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="文件或目录；- 表示标准输入")
    p.add_argument("--version", action="version", version=f"dj-lint {__version__}",
                   help="显示版本号并退出")
    p.add_argument("--color", "--colour", dest="color", default="auto",
                   choices=["auto", "always", "never"],
                   help="彩色输出：auto（默认，终端上才用；NO_COLOR 关闭，FORCE_COLOR 打开）、always、never")
    p.add_argument("--format", default="auto", choices=sorted(REPORTERS) + ["auto"],
                   help="输出格式（默认 auto：在 GitHub Actions 中为 github，否则为 text）")
    p.add_argument("--select", type=_csv, action="extend", default=[], metavar="RULES",
                   help="只启用这些规则（编号、名称、类别或编号前缀，逗号分隔）")
    p.add_argument("--ignore", type=_csv, action="extend", default=[], metavar="RULES",
                   help="停用这些规则（编号、名称、类别或编号前缀，逗号分隔）")
    p.add_argument("--fail-on", default=None, choices=["error", "warning", "info"],
                   help="达到此级别的问题使退出码为 1（默认 info，或配置文件的 fail_on）")
    p.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD|document",
                   help="判断提法是否过时所依据的日期（默认今天）；document：按每个文件自身的日期判断")
    p.add_argument("--encoding", default=None, help="强制使用的文件编码（默认自动识别）")
    p.add_argument("--include", type=_csv, action="extend", default=[], metavar="GLOBS",
                   help="遍历目录时只检查匹配的文件（gitignore 写法，相对当前目录；"
                        "默认 *.txt,*.md,*.docx 及 .doc/.wps/.odt）")
    p.add_argument("--exclude", type=_csv, action="extend", default=[], metavar="GLOBS",
                   help="跳过匹配的文件或目录（gitignore 写法，相对当前目录）")
    p.add_argument("--stdin-filename", default=None, metavar="NAME",
                   help="从标准输入读取时在输出中使用的文件名")
    p.add_argument("--list-rules", action="store_true", help="列出所有规则")
    p.add_argument("--explain", metavar="RULE", help="说明一条规则：用途、依据和示例")
    p.add_argument("--doc-type", type=_doc_type, default=None, metavar="TYPE",
                   help="指定文种（summary、plan、deeds、duty_report、self_exam、reflection、research、"
                        "minutes、news），不再自动判断")
    p.add_argument("--explain-doc", metavar="FILE", default=None,
                   help="显示对该文件判断出的文种及依据、必备部分和解析出的标题层级，不做检查")
    p.add_argument("--no-summary", dest="summary", action="store_false", help="不输出汇总行")
    p.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                   help="并行检查文件的进程数（默认为空闲的 CPU 数，机器繁忙时为 1；1 表示不另起进程）")
    p.add_argument("--cluster", metavar="ADDRESS", default=None,
                   help="在 Dask distributed 集群上检查（调度器地址，如 tcp://127.0.0.1:8786；"
                        "默认读环境变量 DASK_SCHEDULER_ADDRESS）")
    p.add_argument("--regex-timeout", type=_seconds, default=5.0, metavar="SECONDS",
                   help="单条规则对单个文件的正则匹配累计时限（CPU 时间，超过 1 MB 的文件按每 MB 计），超时即停止该规则并给出警告（默认 5 秒）")
    p.add_argument("--max-per-rule", type=int, default=1000, metavar="N",
                   help="每条规则在每个文件中最多报告 N 处，其余只给出警告（默认 1000；0 表示不限）")
    p.add_argument("--dump-text", action="store_true",
                   help="输出文件的文本模型（.docx 为按段落编号的正文），不做检查")
    p.add_argument("--output", "-o", metavar="FILE", default=None, help="把报告写入文件而不是标准输出")
    p.add_argument("--fix", action="store_true", help="就地应用安全的自动修复，然后报告剩余问题")
    p.add_argument("--unsafe-fixes", action="store_true", help="与 --fix/--diff 一起使用：也应用不安全的修复")
    p.add_argument("--diff", action="store_true", help="以统一差异格式显示 --fix 将做的修改，不改动文件")
    p.add_argument("--config", metavar="FILE", default=None,
                   help="使用这个配置文件（.dj-lint.yaml 或 pyproject.toml），不再逐级查找")
    p.add_argument("--no-config", action="store_true", help="不读取任何配置文件")
    p.add_argument("--show-config", metavar="FILE", default=None,
                   help="显示对该文件生效的配置及每项的来源，不做检查")
    p.add_argument("--baseline", metavar="FILE", default=None, help="只报告基线文件中没有的新问题")
    p.add_argument("--write-baseline", metavar="FILE", default=None,
                   help="把当前全部问题写入基线文件（接受现状），不输出报告")
    p.add_argument("--statistics", action="store_true", help="报告之后按规则和类别统计问题数量")
    p.add_argument("--annotate", action="store_true",
                   help="另存一份带 Word 批注的审阅稿（报告.docx → 报告.审阅.docx，原文件不动；"
                        ".txt/.md 也生成 .docx），每个问题一条批注")
    p.add_argument("--annotate-output", metavar="FILE", default=None,
                   help="审阅稿的文件名（只检查一个文件时；默认在原文件旁加“.审阅.docx”）")
    p.add_argument("--debug", action="store_true", help="内部错误时显示完整的调用栈（用于报告问题）")
    return p


# -- commands ----------------------------------------------------------
def list_rules(rules) -> str:
    lines = []
    for r in sorted(rules, key=lambda r: r.id):
        lines.append(f"{r.id:<7} {r.category:<12} {r.severity:<8} {r.name}")
    return "\n".join(lines) + "\n"


def explain(rules, wanted: str) -> str:
    """A rule (id in any case, or name) or a category; the nearest rule on a miss."""
    # Imported here: only --explain needs it (difflib and its own patterns, 1-2 ms a start).
    from ..reporters.ruledoc import NoSuchRule, explain as explain_text
    try:
        return explain_text(rules, wanted)
    except NoSuchRule as exc:
        raise UsageError(str(exc)) from None


def dump_text(paths: List[str], args) -> int:
    """Print the text model each finding's line and column refer to."""
    status = EXIT_CLEAN
    for path in paths:
        try:
            doc = load_document(path, args)
        except InputError as exc:
            note(f"{path}: {exc}")
            status = EXIT_USAGE
            continue
        sys.stdout.write(doc.text if doc.text.endswith("\n") or not doc.text else doc.text + "\n")
    return status


def run(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    resolver = Resolver(args)
    # Code that reads args directly (--fix) sees concrete values; per-file
    # thresholds come from resolver.fail_on().
    args.format, args.fail_on = output_format(args.format), args.fail_on or "info"
    if args.explain_doc:  # needs the document types only, not the rule packs
        try:
            doc = load_document(args.explain_doc, args)
        except InputError as exc:
            raise UsageError(f"{args.explain_doc}: {exc}") from None
        doc_type = args.doc_type or resolver.settings(args.explain_doc)[0].doc_type
        sys.stdout.write(explain_doc(doc, doc_type))
        return EXIT_CLEAN
    if args.paths and build_cache.cold():
        wordfreq.write_in_background()  # on the other core while the packs compile
    rules = resolver.rules_here()
    if args.list_rules:
        from ..engine.linter import select_rules
        for sel in args.select + args.ignore:
            if not known_selector(rules, sel):
                raise UsageError(f"--select/--ignore: 没有匹配 '{sel}' 的规则或类别")
        sys.stdout.write(list_rules(select_rules(rules, args.select, args.ignore)))
        return EXIT_CLEAN
    if args.explain:
        sys.stdout.write(explain(rules, args.explain))
        return EXIT_CLEAN
    if args.show_config:
        sys.stdout.write(show(resolver, args.show_config))
        return EXIT_CLEAN
    if not args.paths:
        raise UsageError("请给出要检查的文件或目录（或用 - 读取标准输入），用 --help 查看用法")
    for sel in args.select + args.ignore:
        if not known_selector(rules, sel):
            raise UsageError(f"--select/--ignore: 没有匹配 '{sel}' 的规则或类别")
    if args.annotate_output:
        args.annotate = True
    check_flags(args)
    paths = collect_paths(args.paths, args.include, args.exclude, wanted=resolver.wanted,
                          says=resolver.says)
    # One Linter per distinct effective configuration, compiled here, once.
    linter = ConfiguredLinter(resolver, paths)
    # The start is over (main keeps the collector off until here): what comes
    # next reads documents (Word files build object graphs with cycles) and
    # writes reports, --dump-text and --annotate too, with the collector on.
    # What the start made lives to the end: frozen first, or the first young
    # collection would walk all of it (its count ran on while the collector was
    # off). Linter.warm and the lint (few_collections) manage the collector for
    # themselves; few_collections unfreezes it all at its end.
    gc.freeze()
    gc.enable()
    if args.dump_text:
        return dump_text(paths, args)
    if not paths:
        note("没有找到要检查的文件（目录中没有 *.txt、*.md 或 Word 文档 *.docx）")
    run = Run(args, linter, paths, resolver)
    # Streamed in one process too: each file's part rendered right after its lint
    # and written in blocks (_Stream), the report keeping none of its findings nor
    # lines (KeptLines). That cost more time than the report held to the end when
    # each file's part was a write of its own (8,056 small pages to a pipe, 6.53-6.59
    # against 6.27-6.36 s of CPU); in blocks it costs less. --jobs 1, warm cache,
    # callgrind, whole run: c100 3498.6 -> 3486.4 M, r100 2003.5 -> 2000.2 M,
    # s24_small 5176.7 -> 5172.7 M; benchmark corpus to a file, 14 alternated runs
    # on a busy machine, CPU median 3.02 -> 2.98 s (means alike), peak RSS 143.6 ->
    # 116.6 MB; benchmarks/out/realworld 151.4 -> 110.8 MB; 2,000 two-line files,
    # 8 alternated runs, CPU median 1.04 -> 0.87 s. Not a single file (never a
    # pool either), which has nothing to stream: its part rendered whole
    # (render_file) is held beside its findings, where the held report renders it
    # in pieces as it writes (benchmarks/out/big_20mb.txt to a file: peak RSS
    # 243 MB streamed, 215 MB held).
    pool = args.format == "text" and parallel.worth_a_pool(paths, getattr(args, "jobs", None)
                                                           or parallel.default_jobs())
    streamed = args.format == "text" and len(paths) > 1 and _streamed(args, paths)
    if streamed or pool and not args.diff:
        # The files' findings are rendered where they are linted (each --jobs
        # process its own files), while the processes lint, not all here after
        # the last file (a pool never reads stdin, so the report goes to stdout
        # or --output, coloured alike); streamed, each file's part is written
        # here as it comes (``_streamed``), in one process as under a pool.
        from ..reporters import text as text_report
        # One width for the whole report, rendered where each file is linted
        # (the workers send back no lines to render it again from).
        args.report_width = text_report.source_width()
        # Encoded there too, when the report is written as bytes (report_encoding).
        args.report_encoding = report_encoding(args.output)
        style = dict(colour=_report_colour(args, to_stderr=False), limit=args.report_width,
                     encoding=args.report_encoding)
        run.render_file = functools.partial(text_report.render_file, **style)
        if streamed:
            run.write_file = _Stream(text_report.written)
            # The report then lists none of the findings written: only their counts
            # come back (--statistics and --annotate read the findings themselves).
            run.keep_written = bool(args.statistics or args.annotate)
        else:
            run.on_file = text_report.adopt
    result = run.execute()
    if run.write_file is not None:
        run.write_file.flush()  # the streamed files' last block, before the rest of the report
    if result.diff is not None:
        write_report(result.diff, args.output)
    elif result.report is not None:
        fmt = args.format
        args.colour = _report_colour(args, result.report_to_stderr)
        # In pieces, each written as it is rendered (text and JSON): a large
        # run's report is never held whole in memory.
        out = render_pieces(fmt, result.report, args)
        if args.statistics:
            # After a machine-readable report the table goes to stderr: stdout stays valid.
            stats = statistics.render(result.report)
            if fmt in ("text", "concise") and not result.report_to_stderr:
                out = itertools.chain(out, [stats])
            else:
                sys.stderr.write(stats)
        if result.report_to_stderr and not args.output:
            for piece in out:
                sys.stderr.write(piece)  # stdout carries the fixed text
        else:
            write_report(out, args.output)
    for message in result.notes:
        note(message)
    for w in linter.ctx.warnings:
        warn(w)
    if args.annotate and result.report is not None:
        # After the report: one reviewed .docx per file (app/annotate.py).
        if not write_reviewed(paths, result.report.findings, {e.path for e in result.report.errors}, args):
            return EXIT_USAGE
    if _KEPT is not None:
        _KEPT.append((result, run, linter, resolver))
    return result.exit_code


def _streamed(args, paths: List[str]) -> bool:
    """Whether the text report is written file by file while the files are
    linted: each file's part written as it comes (in path order), not all held
    until the last file is linted. Only to stdout (--output is replaced whole,
    atomically), not to a terminal (where the progress line is drawn), for files
    given in ascending order (the report lists findings by path: files given
    otherwise are sorted after the lint), without a baseline (which leaves out
    findings only the whole run knows) nor --fix or --diff. The text is the same;
    a run that fails half-way has written the files before. Each file's part is
    rendered where it is linted (under a pool, in the worker), and the report
    keeps no line of any file."""
    if args.fix or args.diff or args.output or args.baseline or args.write_baseline or "-" in paths:
        return False
    if not all(map(str.__lt__, paths, paths[1:])):
        return False
    try:
        return not sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class _Stream:
    """A streamed text report's writer (``Run.write_file``): each file's part, as
    rendered where it was linted, with its counts for the summary. The parts go
    out in blocks of about _BLOCK characters or bytes, not a write a file: 8,056
    small pages to a pipe took 0.3 s more CPU (user and system) with a write
    each, for the same instructions."""
    _BLOCK = 1 << 20

    def __init__(self, written):
        self.written = written
        self.held: list = []
        self.size = 0

    def __call__(self, found, rendered, lines) -> None:
        """``found``: the file's findings, or their number (``Run.keep_written``
        False: the report lists none of them, and counts them itself);
        ``rendered``: ``render_file``'s (style, text, counts)."""
        text = rendered[1]
        self.held.append(text)
        self.size += len(text)
        if self.size >= self._BLOCK:
            self.flush()
        if type(found) is not int:
            self.written(found, rendered[2])

    def flush(self) -> None:
        """Write what is held, each run of pieces of one type (str or bytes) joined:
        the buffer under stdout writes a piece of more than its 8 KB at once."""
        if self.held:
            held, self.held, self.size = self.held, [], 0
            runs = (list(run) for _, run in itertools.groupby(held, type))
            write_report([run[0][:0].join(run) for run in runs], None)


def _report_colour(args, to_stderr: bool) -> bool:
    """Whether the report is coloured: a text or concise report to the terminal
    (not to --output, not to stderr after --fix on stdin), as --color says."""
    return args.format in ("text", "concise") and not args.output and not to_stderr and use_colour(args.color)


_say = note

# Set by ``entry``, whose process ends right after ``main``: what a run made (its
# report, the findings, the linters and their rules) is kept here, not freed
# object by object as ``run`` returns, which the operating system does at once
# when the process ends. The benchmark corpus, --jobs 1: 18-19 ms of CPU to free
# them (48,125 findings, the report's lines, the compiled rules and tables). A
# program that calls main() itself has them freed as usual.
_KEPT: Optional[list] = None


def main(argv: Optional[List[str]] = None) -> int:
    # A command makes mostly short-lived objects that reference counting frees:
    # the young generation is collected every 20,000 new objects instead of 700
    # (app/run.py few_collections measures what the collector costs a run). And
    # none at all before the files are linted: the start (the rule packs from the
    # build cache, the Linter, the indexes a large run builds first) makes
    # hundreds of thousands of objects that live to the end, and the collector
    # walked them for nothing: measured with gc.callbacks, one older-generation
    # collection of 3-9 ms after the rules load, and 4 to 11 young ones of 6-32 ms
    # in all while Linter.warm builds. run() turns it on once the linters are
    # built; everything is put back for a program that called main() itself.
    enabled, before = gc.isenabled(), gc.get_threshold()
    gc.disable()
    gc.set_threshold(max(20_000, before[0]), *before[1:])
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*before)
        if enabled:
            gc.enable()
        else:
            gc.disable()


def _main(argv: Optional[List[str]] = None) -> int:
    # Undecodable input bytes survive as lone surrogates; print them escaped.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):  # pragma: no cover
            pass
    if sys.stdout is None:  # started with stdout closed (`dj-lint a.txt >&-`)
        _say("标准输出已关闭，无法输出报告")
        return EXIT_USAGE
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv
    try:
        if argv[:1] == ["similar"]:  # `dj-lint similar ...` (a file named similar: ./similar)
            # Imported on demand, not to dodge a cycle: similar needs numpy, a plain lint never does.
            from .similar import main as similar_main
            gc.enable()  # a long run over an archive: the collector as usual
            status = similar_main(argv[1:])
        else:
            status = run(argv)
        sys.stdout.flush()
        return status
    except (UsageError, RuleError, ConfigError, BaselineError) as exc:
        # Some library messages (YAML's) run over several lines: the first says it.
        _say(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return EXIT_USAGE
    except BrokenPipeError:
        return _broken_pipe()
    except OSError as exc:
        # Writing the report failed (/dev/full, a closed or broken stdout).
        _say(f"无法输出报告：{os_reason(exc)}")
        _quiet_stdout()
        return EXIT_USAGE
    except MemoryError:
        _say("内存不足，已停止（输入过大）")
        return EXIT_INTERNAL
    except parallel.WorkerDied as exc:
        _say(str(exc))  # killed from outside or out of memory: no bug to report
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        _say("已中断")
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        # Never exit 1 (the findings code) on a crash, so CI cannot mistake one for findings.
        if debug:
            import traceback
            traceback.print_exc()
        _say(f"内部错误：{type(exc).__name__}: {exc}（请报告此问题；加 --debug 查看调用栈）")
        return EXIT_INTERNAL


def entry() -> None:
    """The ``dj-lint`` command (console script, ``python -m dj_lint``): ``main()``, then
    the process ends without the interpreter's teardown. Freeing every object of
    a run one by one (the compiled rules, the tables, the modules) cost 0.03-0.05 s
    of a 0.25 s start; the operating system frees the memory at once. Everything
    a normal exit does that matters still happens first: stdout and stderr are
    flushed and the atexit handlers run (the cache writes, multiprocessing's and
    logging's clean-ups, weakref finalizers). A flush that fails, or ``main``
    raising SystemExit (``--help``, a usage error), takes the normal way out.
    What the run made is not freed when it returns (``_KEPT``) either."""
    global _KEPT
    _KEPT = []
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - the normal exit reports it as before
        raise SystemExit(status)
    import atexit
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001
        raise SystemExit(status)
    os._exit(status if isinstance(status, int) else EXIT_INTERNAL)


def _quiet_stdout() -> None:
    try:
        sys.stdout = open(os.devnull, "w")
    except OSError:  # pragma: no cover
        pass


def _broken_pipe() -> int:
    # The reader (head, less) went away: not our error.
    _quiet_stdout()
    return EXIT_CLEAN
