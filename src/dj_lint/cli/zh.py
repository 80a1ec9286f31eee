"""argparse in Chinese: usage, help headings and usage errors.

argparse looks up every message it prints through its module-level gettext
function `_` (and `ngettext`) when it prints it, so a translation table
installed there turns "invalid choice" and "the following arguments are
required" into Chinese. Option names, choices and values are quoted as given.
A message without a translation (a newer Python's new wording) passes through
unchanged.
"""
from __future__ import annotations

import argparse
import os
import sys

MESSAGES = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "此选项不接受值：%r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 用法错误：%(message)s\n",
    "can't open '%(filename)s': %(error)s": "无法打开 '%(filename)s'：%(error)s",
}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    """Route argparse's messages through the table (idempotent)."""
    argparse._ = _gettext
    argparse.ngettext = _ngettext


def _columns() -> int:
    """``shutil.get_terminal_size().columns``: $COLUMNS, else the width of the
    terminal on ``sys.__stdout__``, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's, its default width found as argparse finds it, without importing
    ``shutil`` for it: ``add_argument`` makes a formatter to check each metavar, so
    every start imported shutil, with bz2 and lzma (about 5 M instructions)."""

    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


class ArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose own messages are Chinese; built after install()."""

    def __init__(self, *args, **kwargs):
        install()
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message):
        # Before Python 3.11 argparse wrote "argument %(argument_name)s: ..." without
        # looking it up through `_`: translated here, as 3.11+ does through the table.
        name, colon, rest = message.partition(": ")
        if colon and name.startswith("argument ") and " " not in name[len("argument "):]:
            message = _gettext("argument %(argument_name)s: %(message)s") % {
                "argument_name": name[len("argument "):], "message": rest}
        super().error(message)
