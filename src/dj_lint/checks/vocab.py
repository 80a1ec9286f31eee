"""Vocabulary data files shared by kinds: rules/data/<name>, loaded once per process.

A rule names its file (``vocabulary: furniture.yaml``); the file says where its
words came from. A name with a path separator is a user's own file.
"""
from __future__ import annotations

import os

from ..model.rules import RuleError
from ..text import build_cache
from ..text.data import read_yaml, shipped_data

_CACHE: dict = {}


def data_path(name: str) -> str:
    if os.sep in name or "/" in name:
        return name
    return shipped_data(name)


def load(name: str, expect=dict):
    """The parsed YAML of a data file (cached); RuleError when missing or malformed."""
    if not isinstance(name, str) or not name:
        raise RuleError("field 'vocabulary' should name a data file")
    path = data_path(name)
    if path not in _CACHE:
        if not os.path.exists(path):
            raise RuleError(f"field 'vocabulary': data file '{name}' not found")
        label = "rules/data/" + name if path != name else name
        # A shipped file's contents are part of the build cache's key: keep it parsed.
        data = (build_cache.product("data:" + name, lambda: read_yaml(path, label)) if path != name
                else read_yaml(path, label))
        if not isinstance(data, expect):
            raise RuleError(f"field 'vocabulary': '{name}' should be a {expect.__name__}")
        _CACHE[path] = data
    return _CACHE[path]


def require_keys(data: dict, name: str, keys) -> None:
    for key in keys:
        if key not in data:
            raise RuleError(f"field 'vocabulary': '{name}' lacks '{key}'")


_FOLDS: dict = {}


def fold_table(name: str) -> dict:
    """A one-character-for-one fold (traditional -> simplified) from rules/data/<name>,
    as a str.translate table; parsed once, kept in the build cache (whose key covers
    the data file), so no YAML is read on a warm start."""
    if name not in _FOLDS:
        _FOLDS[name] = build_cache.product("fold:" + name, lambda: _read_fold(name))
    return _FOLDS[name]


def _read_fold(name: str) -> dict:
    label = "rules/data/" + name
    data = read_yaml(data_path(name), label) or {}
    table = {}
    for tok in str(data.get("pairs", "")).split():
        if len(tok) != 2:
            raise RuleError(f"{label}: '{tok}' should be two characters")
        table[ord(tok[0])] = tok[1]
    return table
