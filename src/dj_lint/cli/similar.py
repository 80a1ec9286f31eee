"""`dj-lint similar PATH... [--reference DIR...]`: documents that share passages."""
from __future__ import annotations

import argparse
import datetime as _dt
import sys
from typing import List, Optional

from ..app.console import note, warn
from .. import __version__
from ..model.findings import FileError, Report
from ..app.cluster import ENV, ClusterError, executor
from ..app.similar.pipeline import Options
from ..app.similar.report import DataError
from ..app.run import UsageError, collect_paths, write_report as write_output
from ..text.sources import load_path
from .output import output_format, use_colour

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{value}")
    return int(value)


def _share(value: str) -> float:
    try:
        share = float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise argparse.ArgumentTypeError(f"应为 0 到 1 之间的比例或百分数（如 0.2 或 20%）：{value}")
    return share


def build_parser() -> argparse.ArgumentParser:
    from ..reporters import REPORTERS
    p = argparse.ArgumentParser(
        prog="dj-lint similar",
        description="找出共有相同段落的材料（相互抄袭，或照搬参考范文），在两份材料中都标出准确位置。",
        epilog=f"集群：--cluster ADDRESS，或环境变量 {ENV}（Dask distributed 调度器地址）。"
               "退出码：0 没有相同段落；1 有；2 用法、输入或集群错误。")
    p.add_argument("paths", nargs="+", metavar="PATH", help="要相互比较的文件或目录")
    p.add_argument("--reference", action="append", default=[], metavar="DIR",
                   help="参考范文（文件或目录）：与之相同的段落报告在 PATH 一侧，范文之间不相互比较")
    p.add_argument("--min-length", type=_positive, default=50, metavar="N",
                   help="相同段落至少多少字才报告（不计标点、空格、换行，数字计 1 字；默认 50）")
    p.add_argument("--min-share", type=_share, default=0.0, metavar="SHARE",
                   help="只报告其中一份材料至少有这一比例与另一份相同的文件对（如 0.2 或 20%%；默认 0）")
    p.add_argument("--boilerplate", action="append", default=[], metavar="FILE",
                   help="另外不计入的通用表述（YAML 列表，每项 text 和 source）")
    p.add_argument("--max-bucket", type=_positive, default=20, metavar="N",
                   help="同一段文字出现在多于 N 份材料中时，每份只与其中第一份（及第一份参考范文）比较，不逐对比较（默认 20）")
    p.add_argument("--cluster", metavar="ADDRESS", default=None,
                   help=f"在 Dask distributed 集群上运行（调度器地址，如 tcp://127.0.0.1:8786；默认读 {ENV}，否则在本进程内）")
    p.add_argument("--format", default="auto", choices=sorted(REPORTERS) + ["auto"], help="输出格式")
    p.add_argument("--output", "-o", metavar="FILE", default=None, help="把报告写入文件而不是标准输出")
    p.add_argument("--encoding", default=None, help="强制使用的文件编码（默认自动识别）")
    p.add_argument("--include", type=lambda v: [x for x in v.split(",") if x], action="extend",
                   default=[], metavar="GLOBS", help="遍历目录时只比较匹配的文件（默认 *.txt,*.md,*.docx）")
    p.add_argument("--exclude", type=lambda v: [x for x in v.split(",") if x], action="extend",
                   default=[], metavar="GLOBS", help="跳过匹配的文件或目录")
    p.add_argument("--no-summary", dest="summary", action="store_false", help="不输出汇总")
    return p


class _Sources(dict):
    """Lines of each file with findings, for snippets, read when a reporter asks
    (read again here: on a cluster the texts stay on the workers; JSON asks for
    none, so 10,000 documents are not held twice)."""

    def __init__(self, paths, encoding):
        super().__init__()
        self._paths, self._encoding = set(paths), encoding

    def get(self, path, default=None):
        if path in self._paths and not super().__contains__(path):
            self._paths.discard(path)
            try:
                self[path] = load_path(path, encoding=self._encoding).lines
            except Exception:  # noqa: BLE001 - a file gone since: no snippet, still a finding
                pass
        return super().get(path, default)

    def __getitem__(self, path):
        value = self.get(path)
        if value is None:
            raise KeyError(path)
        return value


def run(argv: List[str]) -> int:
    from ..reporters import REPORTERS
    from ..app.similar import report as R
    from ..app.similar.run import find

    args = build_parser().parse_args(argv)
    paths = collect_paths(args.paths, args.include, args.exclude)
    if "-" in paths:
        raise UsageError("similar 不能读取标准输入，请给出文件或目录")
    refs = collect_paths(args.reference, args.include, args.exclude) if args.reference else []
    rules, shipped = R.shipped()
    extra = tuple(p for f in args.boilerplate for p in R.user_boilerplate(f))
    opts = Options(min_len=args.min_length, min_share=args.min_share, max_bucket=args.max_bucket,
                   encoding=args.encoding, boilerplate=shipped + extra)
    ex = executor(args.cluster)
    try:
        result = find(paths, refs, opts, ex)
    finally:
        ex.close()
    findings, summary = R.build(result, opts)
    warnings = list(result.warnings)
    errors = [FileError(p, m) for p, m in result.errors]
    failed = {e.path for e in errors}
    report = Report(findings=findings, errors=errors, files=summary["documents"],
                    as_of=_dt.date.today().isoformat(), version=__version__,
                    sources=_Sources({f.path for f in findings} | {f.related["path"] for f in findings},
                                     args.encoding),
                    warnings=warnings, rule_info=R.rule_info(),
                    paths=[p for p in paths if p not in failed], similar=summary)
    fmt = output_format(args.format)
    args.colour = fmt == "text" and not args.output and use_colour()
    write_output(REPORTERS[fmt](report, args), args.output)
    for w in warnings:
        warn(w)
    if errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if findings else EXIT_CLEAN


def main(argv: Optional[List[str]] = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except (ClusterError, DataError) as exc:
        note(f"{exc}")
        return EXIT_USAGE
