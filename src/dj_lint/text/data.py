"""Reading the project's YAML data files (rule packs, document types, vocabularies).

A file that does not parse stops the run with one line naming the file and the place.
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Optional

from ..model.rules import RuleError
from . import build_cache
from .oserrors import os_reason
from .safe_read import read_regular


def _loader(yaml):
    # libyaml is 5-10x faster; fall back quietly where it is not built.
    return getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


@lru_cache(maxsize=1)
def rules_root() -> str:
    """The folder of the shipped rule packs (the package dj_lint.rules), the one whose
    files the build cache's key covers. Taken from the package's import spec, not from
    importlib.resources.files(): importing importlib.resources (tempfile, shutil,
    zipfile...) and its files() cost 26 M instructions per start, this 0.4 M."""
    root = build_cache.rules_folder()
    if root is None:  # pragma: no cover - a broken installation
        raise ModuleNotFoundError("dj_lint.rules is not installed", name="dj_lint.rules")
    return root


def shipped_data(name: str) -> str:
    """The path of rules/data/NAME as installed."""
    return os.path.join(rules_root(), "data", name)


def display_path(path: str) -> str:
    """Shipped packs are shown as rules/NAME.yaml wherever they are installed."""
    if os.path.dirname(os.path.abspath(path)) == os.path.abspath(rules_root()):
        return "rules/" + os.path.basename(path)
    return path


def read_yaml(path: str, label: Optional[str] = None):
    label = label or display_path(path)
    import yaml  # only when a file is parsed: a warm start reads the build cache
    try:
        # A rule file is a regular file: a FIFO named *.yaml would block forever,
        # a device never end.
        raw = read_regular(path)
        if b"\x00" in raw:
            raise RuleError(f"{label}: 文件含有 NUL 字节，不是 YAML 文本")
        return yaml.load(raw, Loader=_loader(yaml))
    except RecursionError:
        raise RuleError(f"{label}: YAML 嵌套层数过多") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark else label
        raise RuleError(f"{where}: YAML 格式错误：{exc.problem}") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"{label}: YAML 格式错误：{exc}") from None
    except (ValueError, TypeError, OverflowError) as exc:
        # PyYAML's constructors raise these for values that look typed but are not
        # (an unquoted 2012-13-08): name the file instead of crashing.
        raise RuleError(f"{label}: YAML 值错误：{exc}（日期等值请加引号）") from None
    except OSError as exc:
        raise RuleError(f"{label}: 无法读取：{os_reason(exc)}") from None
