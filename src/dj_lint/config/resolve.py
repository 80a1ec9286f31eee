"""Configuration: `.dj-lint.yaml` or `[tool.dj-lint]` in `pyproject.toml`.

Layers, later wins: built-in defaults → the configuration file nearest to each
linted file (walking up from its folder) → the command line. `--config PATH`
uses one file for every input, `--no-config` none. Rules are compiled once per
distinct effective configuration: Linter objects are cached by their settings.

Every key is checked; an unknown key or a bad value stops the run with one
line naming the file, the line and the key (exit 2).
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import hashlib
import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ..engine.linter import Context, Linter, matches_selector, select_rules, shipped_rules
from ..model.findings import CATEGORIES, SEVERITIES
from ..text import build_cache
from ..text.dates import iso_date
from ..doctypes.explain import type_ids
from ..packs.loader import load_rules
from ..text.owndate import parse_as_of
from ..text.oserrors import os_reason
from ..text.safe_read import read_regular

YAML_NAMES = (".dj-lint.yaml", ".dj-lint.yml")
# A path ending so names its folder, not a file in it (config_for looks at its parent).
_NOT_NAMES = ("", ".", "..")
PYPROJECT = "pyproject.toml"
SECTION = "dj-lint"


class ConfigError(Exception):
    """A bad configuration file. str() is the one line shown to the user."""


class _Bad(Exception):
    """A bad value; the caller adds file, line and key."""


# -- value checks --------------------------------------------------------
def _str_list(value) -> Tuple[str, ...]:
    """A list of strings, or one comma-separated string (`ignore: DJ201,DJ5`)."""
    if isinstance(value, str):
        value = [v for v in re.split(r"[,，\s]+", value) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _Bad("应为字符串列表")
    return tuple(value)


def _severity(value) -> str:
    if value not in SEVERITIES:
        raise _Bad(f"应为 {'、'.join(SEVERITIES)} 之一，而不是 {value!r}")
    return value


def _severity_map(value) -> Tuple[Tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise _Bad("应为“规则或类别: 级别”的映射")
    return tuple(sorted((str(k), _severity(v)) for k, v in value.items()))


def _date(value) -> _dt.date:
    try:
        return parse_as_of(str(value)) if str(value).strip() == "document" else iso_date(value)
    except ValueError:
        raise _Bad(f"日期格式应为 YYYY-MM-DD 或 document，而不是 {value!r}") from None


def _text(value) -> str:
    if not isinstance(value, str) or not value:
        raise _Bad("应为非空字符串")
    return value


def _per_file(value) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise _Bad("应为“通配符: 规则列表”的映射")
    return tuple((str(k), _str_list(v)) for k, v in value.items())


KEYS = {
    "select": _str_list, "ignore": _str_list, "severity": _severity_map,
    "rules": _str_list, "as_of": _date, "doc_type": _text,
    "include": _str_list, "exclude": _str_list, "per_file_ignores": _per_file,
    "fail_on": _severity,
}


# -- one configuration file ---------------------------------------------
@dataclass
class ConfigFile:
    path: str                      # absolute path of the file
    values: Dict[str, object]      # validated, keys normalised to snake_case
    lines: Dict[str, int]          # key -> line in the file (1-based)

    @property
    def root(self) -> str:
        """Paths and globs in the file are relative to its folder."""
        return os.path.dirname(self.path)

    def where(self, key: str) -> str:
        line = self.lines.get(key.replace("-", "_"))
        return f"{shown(self.path)}:{line}" if line else shown(self.path)

    def error(self, key: str, why: str) -> ConfigError:
        return ConfigError(f"{self.where(key)}: 配置项 '{key}'：{why}")


def shown(path: str) -> str:
    """A path as the user will recognise it: relative to the working folder if inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


@functools.lru_cache(maxsize=1)
def _yaml_loader():
    """A SafeLoader whose dates stay strings, so a bad one (2026-13-01) is reported
    by _date with its key. Made (and yaml imported) only when a YAML file is read."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return _Loader


def _yaml_table(path: str, text: str):
    import yaml
    _Loader = _yaml_loader()
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ConfigError(f"{shown(path)}:{mark.line + 1 if mark else '?'}: YAML 格式错误：{exc.problem}") from None
    except yaml.YAMLError as exc:  # e.g. a NUL or other unprintable character
        raise ConfigError(f"{shown(path)}: YAML 格式错误：{exc}") from None
    except RecursionError:
        raise ConfigError(f"{shown(path)}: YAML 嵌套层数过多") from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(f"{shown(path)}:1: 配置文件应为“键: 值”的映射")
    lines = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        if key in lines:
            raise ConfigError(f"{shown(path)}:{key_node.start_mark.line + 1}: 配置项 '{key}' 重复")
        lines[key] = key_node.start_mark.line + 1
    return data, lines


def _toml_lines(text: str) -> Dict[str, int]:
    """Line of each key of [tool.dj-lint] (tomllib keeps no positions)."""
    lines, inside = {}, False
    header = re.compile(r'^\s*\[\s*tool\s*\.\s*(?:"dj-lint"|dj-lint)\s*(?:\.\s*"?([\w-]+)"?\s*)?\]')
    for no, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("["):
            m = header.match(line)
            inside = bool(m) and not m.group(1)
            if m and m.group(1):
                lines.setdefault(m.group(1), no)
            continue
        m = re.match(r'^\s*"?([\w-]+)"?\s*=', line)
        if inside and m:
            lines.setdefault(m.group(1), no)
    return lines


def _parse_toml(path: str, text: str):
    """(tool.dj-lint's value or None, line of each of its keys) of a TOML text."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown(path)}: TOML 格式错误：{exc}") from None
    except RecursionError:
        raise ConfigError(f"{shown(path)}: TOML 嵌套层数过多") from None
    tool = data.get("tool", {})
    table = tool.get(SECTION) if isinstance(tool, dict) else None
    return table, (_toml_lines(text) if isinstance(table, dict) else {})


def _toml_table(path: str, text: str, required: bool):
    # Nearly every run reads a pyproject.toml (the working folder's, any above a
    # linted file; most without our table): tomllib's import and parse were 12-13 M
    # instructions of a warm start. The outcome is kept in the build cache, keyed by
    # the text's digest (a text that does not parse raises: parsed again every time).
    # A text test for the table cannot skip the parse: dj-lint's own pyproject.toml
    # names "dj-lint" as project, script and in a "# [tool.dj-lint]" comment.
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    table, lines = build_cache.memo("pyproject-tool-table", digest, lambda: _parse_toml(path, text), limit=256)
    if table is None:
        if required:
            raise ConfigError(f"{shown(path)}: 没有 [tool.{SECTION}] 配置节")
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{shown(path)}: tool.{SECTION} 应为配置节（[tool.{SECTION}]），不是单个值")
    return table, lines


def read_config(path: str, required: bool = True) -> Optional[ConfigFile]:
    """Read and check one file. A pyproject.toml without [tool.dj-lint] is not
    a configuration (None) unless it was named with --config."""
    path = os.path.abspath(path)
    try:
        text = read_regular(path).decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"{shown(path)}: 无法读取配置文件：{os_reason(exc)}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown(path)}: 无法读取配置文件：第 {exc.start + 1} 个字节起不是 UTF-8 文本"
                          "（请以 UTF-8 编码保存）") from None
    if path.endswith(".toml"):
        found = _toml_table(path, text, required)
        if found is None:
            return None
        raw, lines = found
    else:
        raw, lines = _yaml_table(path, text)
    conf = ConfigFile(path, {}, {})
    for key, value in raw.items():
        norm = str(key).replace("-", "_")
        conf.lines[norm] = lines.get(str(key), 0)
        if norm not in KEYS:
            raise conf.error(str(key), f"未知的配置项（可用：{'、'.join(KEYS)}）")
        try:
            conf.values[norm] = KEYS[norm](value)
        except _Bad as exc:
            raise conf.error(str(key), str(exc)) from None
    return conf


# -- rules of a configuration -------------------------------------------
def _pack_files(conf: ConfigFile) -> Tuple[str, ...]:
    out = []
    for entry in conf.values.get("rules", ()):
        full = os.path.normpath(os.path.join(conf.root, entry))
        if os.path.isdir(full):
            # Regular files only: a FIFO named *.yaml would block the run.
            out.extend(os.path.join(full, n) for n in sorted(os.listdir(full))
                       if n.endswith((".yaml", ".yml")) and os.path.isfile(os.path.join(full, n)))
        elif os.path.isfile(full):
            out.append(full)
        else:
            raise conf.error("rules", f"找不到规则文件或目录 {entry}")
    return tuple(out)


def build_rules(packs: Tuple[str, ...]) -> list:
    """Shipped rules, then the user's packs (see ruleset.load_rules)."""
    return sorted(load_rules(packs, base=shipped_rules()), key=lambda r: r.id)


def known_selector(rules, selector: str) -> bool:
    return selector in CATEGORIES or any(matches_selector(r, selector) for r in rules)


def _override(rule, severity: Tuple[Tuple[str, str], ...]):
    """The most specific entry wins: id or name, then id prefix, then category."""
    best, rank = None, 0
    for key, level in severity:
        r = (3 if key in (rule.id, rule.name) else 1 if key == rule.category
             else 2 if matches_selector(rule, key) else 0)
        if r > rank:
            best, rank = level, r
    return rule if best in (None, rule.severity) else dataclasses.replace(rule, severity=best)


# -- path globs ------------------------------------------------------------
@functools.lru_cache(maxsize=256)
def _gitignore(globs: Tuple[str, ...]):
    import pathspec
    return pathspec.GitIgnoreSpec.from_lines(globs)


def _relative(path: str, root: str) -> str:
    full = os.path.abspath(path)
    rel = os.path.relpath(full, root).replace(os.sep, "/")
    # Outside the root only unanchored patterns (a bare name, *.md) can match.
    return full.replace(os.sep, "/").lstrip("/") if rel.startswith("../") else rel


def gitignore_match(path: str, root: str, globs, is_dir: bool = False) -> bool:
    """The one path matcher, for ``include``, ``exclude``, the keys of
    ``per_file_ignores`` and ``--include``/``--exclude``: gitignore semantics
    (pathspec, as pre-commit and git) relative to ``root`` (the configuration's
    folder, or the working folder for the options). A bare name or ``*.md``
    matches at any depth, a pattern with a slash is anchored at root, ``*``
    stays inside one folder and ``**`` crosses folders, a folder pattern
    (``drafts`` or ``drafts/``) takes everything under it, ``!pattern`` takes a
    path back; the last match wins."""
    rel = _relative(path, root)
    return _gitignore(tuple(globs)).match_file(rel + "/" if is_dir else rel)


def unmatched_patterns(root: str, globs, limit: int = 200_000) -> List[str]:
    """The patterns (exclude, include, per_file_ignores) that match no file or
    folder under root (a typo, or a folder since renamed). Hidden folders are
    skipped, as a directory walk does."""
    import pathspec
    left = {g: pathspec.GitIgnoreSpec.from_lines([g.lstrip("!")]) for g in globs}
    seen = 0
    for here, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_here = os.path.relpath(here, root).replace(os.sep, "/")
        names = [(d, True) for d in dirs] + [(f, False) for f in files]
        for name, is_dir in names:
            rel = name if rel_here == "." else f"{rel_here}/{name}"
            for g in [g for g, spec in left.items() if spec.match_file(rel + "/" if is_dir else rel)]:
                del left[g]
            seen += 1
        if not left or seen > limit:
            break
    return [g for g in globs if g in left]


# -- effective settings ------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    """The effective configuration for one file (hashable: it keys the Linter cache)."""
    packs: Tuple[str, ...] = ()
    select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    severity: Tuple[Tuple[str, str], ...] = ()
    as_of: _dt.date = field(default_factory=_dt.date.today)
    doc_type: Optional[str] = None
    fail_on: str = "info"

    def linter_key(self):
        return (self.packs, self.select, self.ignore, self.severity, self.as_of, self.doc_type)


class Resolver:
    """Finds each file's configuration, merges the command line, caches Linters."""

    def __init__(self, args):
        self.args = args
        self._dirs: Dict[str, Optional[ConfigFile]] = {}
        self._heads: Dict[str, str] = {}  # a path's folder as given -> its absolute path
        self._rules: Dict[tuple, list] = {}
        self._linters: Dict[tuple, Linter] = {}
        self._settings: Dict[str, Tuple[Settings, dict]] = {}
        self._path_linters: Dict[str, Linter] = {}
        self._by_config: Dict[int, Tuple[Settings, dict]] = {}  # id(ConfigFile), held in _dirs
        self._config_linters: Dict[int, Linter] = {}  # id(ConfigFile) without per-file ignores
        self._folder_linters: Dict[str, Linter] = {}  # a folder as given (to its last os.sep) -> one of those
        self.fixed = None
        # Kept before the CLI fills in its default: only an explicit --fail-on beats the file.
        self.cli_fail_on = getattr(args, "fail_on", None)
        if getattr(args, "config", None) and getattr(args, "no_config", False):
            raise ConfigError("--config 与 --no-config 不能同时使用")
        if getattr(args, "config", None):
            if os.path.isdir(args.config):
                raise ConfigError(f"{args.config}: 这是一个目录，--config 要的是配置文件"
                                  "（.dj-lint.yaml 或 pyproject.toml）")
            if not os.path.lexists(args.config):
                raise ConfigError(f"{args.config}: 配置文件不存在")
            self.fixed = read_config(args.config, required=True)
            self._check(self.fixed)

    # -- finding files --------------------------------------------------
    def config_for(self, path: str) -> Optional[ConfigFile]:
        if getattr(self.args, "no_config", False):
            return None
        if self.fixed is not None:
            return self.fixed
        head, name = os.path.split(path)
        if not name or name in (".", ".."):
            return self._lookup(os.path.dirname(os.path.abspath(path)))
        # A file's folder by the folder as given: dirname(abspath(head/name)) is
        # abspath(head) for a plain name. Asked twice a file (walk, settings); an
        # abspath each was 0.9 % of a run over the 8,056 realworld benchmark files.
        folder = self._heads.get(head)
        if folder is None:
            folder = self._heads[head] = os.path.abspath(head or os.curdir)
        return self._lookup(folder)

    def _lookup(self, folder: str) -> Optional[ConfigFile]:
        if folder in self._dirs:
            return self._dirs[folder]
        conf = None
        for name in YAML_NAMES + (PYPROJECT,):
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                conf = read_config(candidate, required=name != PYPROJECT)
                if conf is not None:
                    self._check(conf)
                    break
        if conf is None:
            parent = os.path.dirname(folder)
            conf = self._lookup(parent) if parent != folder else None
        self._dirs[folder] = conf
        return conf

    def _check(self, conf: ConfigFile) -> None:
        """Selectors must name a known rule or category: a typo must not silently
        switch nothing off."""
        rules = self.rules(_pack_files(conf))
        for key in ("select", "ignore"):
            for sel in conf.values.get(key, ()):
                if not known_selector(rules, sel):
                    raise conf.error(key, f"没有匹配 '{sel}' 的规则或类别")
        for sel, _ in conf.values.get("severity", ()):
            if not known_selector(rules, sel):
                raise conf.error("severity", f"没有匹配 '{sel}' 的规则或类别")
        doc_type = conf.values.get("doc_type")
        if doc_type is not None:
            if doc_type not in type_ids():
                raise conf.error("doc_type", f"未知的文种 '{doc_type}'（可选：{'、'.join(type_ids())}）")
        for glob, sels in conf.values.get("per_file_ignores", ()):
            for sel in sels:
                if not known_selector(rules, sel):
                    raise conf.error("per_file_ignores", f"{glob}: 没有匹配 '{sel}' 的规则或类别")

    def wanted(self, path: str, explicit: bool) -> Optional[bool]:
        """The configuration's say on linting ``path``: False when excluded (named
        files too: pre-commit names every file), True when its ``include``
        matches a walked file, None when it has no opinion."""
        conf = self.config_for(path)
        if conf is None:
            return None
        if gitignore_match(path, conf.root, conf.values.get("exclude", ())):
            return False
        include = conf.values.get("include")
        if explicit or not include:
            return None
        return gitignore_match(path, conf.root, include)

    def says(self, path: str) -> bool:
        """False when ``wanted`` says None of every walked file in ``path``'s
        folder: its configuration (the same for all of them) has neither
        ``exclude`` nor ``include``, or there is none."""
        conf = self.config_for(path)
        return conf is not None and bool(conf.values.get("exclude") or conf.values.get("include"))

    # -- settings and linters -------------------------------------------
    def rules_here(self) -> list:
        """Every rule the configuration of the working folder knows (--list-rules)."""
        conf = self.config_for(os.path.join(os.getcwd(), "-"))
        return self.rules(_pack_files(conf) if conf else ())

    def rules(self, packs: Tuple[str, ...]) -> list:
        if packs not in self._rules:
            self._rules[packs] = build_rules(packs)
        return self._rules[packs]

    def settings(self, path: str) -> Tuple[Settings, dict]:
        """(settings, origin of each key) for one file."""
        key = os.path.abspath(path)
        if key not in self._settings:
            conf = self.config_for(path)
            if conf is None or not conf.values.get("per_file_ignores"):
                # The same for every file of that configuration (only a
                # per-file ignore looks at the path): merged once, not per file
                # (4 us each: 0.03 s on the 8,056 files of benchmarks/out/realworld).
                merged = self._by_config.get(id(conf))
                if merged is None:
                    merged = self._by_config[id(conf)] = self._merge(path, conf)
                self._settings[key] = merged
            else:
                self._settings[key] = self._merge(path, conf)
        return self._settings[key]

    def _merge(self, path: str, conf: Optional[ConfigFile]):
        args, values = self.args, conf.values if conf else {}
        origin = {k: (conf.where(k) if k in values else "默认") for k in KEYS} if conf else \
            {k: "默认" for k in KEYS}
        cli = {"select": tuple(args.select), "as_of": args.as_of,
               "doc_type": getattr(args, "doc_type", None), "fail_on": self.cli_fail_on}
        merged = {k: values.get(k) for k in KEYS}
        for k, v in cli.items():
            if v:  # the command line overrides the file
                merged[k], origin[k] = v, "命令行"
        ignore = list(values.get("ignore", ()))
        for glob, sels in values.get("per_file_ignores", ()):
            if gitignore_match(path, conf.root, (glob,)):
                ignore.extend(s for s in sels if s not in ignore)
                origin["ignore"] = conf.where("per_file_ignores") if origin["ignore"] == "默认" \
                    else origin["ignore"] + "，" + conf.where("per_file_ignores")
        if args.ignore:  # --ignore adds to the file's list rather than replacing it
            ignore.extend(s for s in args.ignore if s not in ignore)
            origin["ignore"] = "命令行" if origin["ignore"] == "默认" else origin["ignore"] + "，命令行"
        settings = Settings(
            packs=_pack_files(conf) if conf else (), select=merged["select"] or (),
            ignore=tuple(ignore), severity=merged["severity"] or (),
            as_of=merged["as_of"] or _dt.date.today(), doc_type=merged["doc_type"],
            fail_on=merged["fail_on"] or "info")
        return settings, origin

    def linter_for(self, path: str) -> Linter:
        # Asked twice for every file (once when the run starts, once when it is
        # linted): by the path as given, not through settings' absolute path and
        # key (7.5 us a call, 0.12 s on the 8,056 files of benchmarks/out/realworld).
        linter = self._path_linters.get(path)
        if linter is None:
            linter = self._path_linters[path] = self._linter_for(path)
        return linter

    def _linter_for(self, path: str) -> Linter:
        # A configuration without per-file ignores gives every file the same
        # settings: its linter is found by the configuration alone, without the
        # settings' absolute path and key made for each file (2,000 small files:
        # 4,303 -> 4,284 M instructions, callgrind, the whole run). And the files
        # of one folder share their configuration (config_for reads the folder
        # only): a file's linter is that of the folder as given, once one of its
        # files found it so (2,000 files: 11 K instructions a file when they
        # were first asked for, before the run), where a separator is only ever
        # os.sep (on POSIX: ntpath also splits at "/" and after a drive).
        cut = path.rfind(os.sep) + 1
        prefix = path[:cut] if os.altsep is None and path[cut:] not in _NOT_NAMES else None
        if prefix is not None:
            linter = self._folder_linters.get(prefix)
            if linter is not None:
                return linter
        conf = self.config_for(path)
        alike = conf is None or not conf.values.get("per_file_ignores")
        if alike:
            linter = self._config_linters.get(id(conf))
            if linter is not None:
                if prefix is not None:
                    self._folder_linters[prefix] = linter
                return linter
        settings, _ = self.settings(path)
        key = settings.linter_key()
        linter = self._linters.get(key)
        if linter is None:
            known = self.rules(settings.packs)
            rules = [_override(r, settings.severity) for r in known]
            ctx = Context(as_of=settings.as_of, doc_type=settings.doc_type,
                          regex_timeout=getattr(self.args, "regex_timeout", None) or 5.0,
                          max_per_rule=getattr(self.args, "max_per_rule", 1000),
                          known_rules=known)
            linter = Linter(select_rules(rules, settings.select, settings.ignore), ctx)
            self._linters[key] = linter
        if alike:
            self._config_linters[id(conf)] = linter
            if prefix is not None:
                self._folder_linters[prefix] = linter
        return linter

    def fail_on(self, path: str) -> str:
        return self.settings(path)[0].fail_on

    def linters(self) -> List[Linter]:
        return list(self._linters.values())

    def rule_info(self) -> Dict[str, dict]:
        """Metadata of every rule that ran, for SARIF and friends (plain dicts)."""
        info = {}
        for linter in self.linters():
            for r in linter.rules:
                info.setdefault(r.id, {
                    "id": r.id, "name": r.name, "category": r.category,
                    "severity": r.severity, "message": r.message,
                    "description": (r.description or "").strip(),
                    "source": (r.source or "").strip(), "fixable": r.fixable,
                    "fix_safety": (r.fix or {}).get("safety", "safe") if r.fix else None,
                })
        return dict(sorted(info.items()))


class ConfiguredLinter:
    """Stands where the CLI (and --fix, and --jobs workers) expects one Linter:
    lints each document with the Linter of its own effective configuration."""

    def __init__(self, resolver: Resolver, paths=()):
        self.resolver = resolver
        self.ctx = Context()  # gathers the warnings of every Linter used
        # Compile every configuration now: bad config files stop the run before
        # any output, and --jobs workers inherit the compiled rules.
        for path in paths:
            if path != "-":
                resolver.linter_for(path)

    @property
    def rules(self) -> list:
        by_id = {}
        for linter in self.resolver.linters():
            for r in linter.rules:
                by_id.setdefault(r.id, r)
        return [by_id[k] for k in sorted(by_id)]

    def warm(self) -> None:
        """Linter.warm for every configuration, before --jobs forks its workers."""
        for linter in self.resolver.linters():
            linter.warm()

    def expect_many(self, sizes) -> None:
        """Linter.expect_many for every configuration."""
        for linter in self.resolver.linters():
            linter.expect_many(sizes)

    def expect_few(self) -> None:
        """Linter.expect_few for every configuration."""
        for linter in self.resolver.linters():
            linter.expect_few()

    def lint(self, doc, keep_fixable: bool = False):
        return next(self.lint_many([doc], keep_fixable))

    def lint_many(self, docs, keep_fixable: bool = False):
        """Linter.lint_many over each run of consecutive documents that share a
        configuration; findings yielded in order, warnings gathered as they come."""
        i = 0
        while i < len(docs):
            linter = self.resolver.linter_for(docs[i].path)
            j = i + 1
            while j < len(docs) and self.resolver.linter_for(docs[j].path) is linter:
                j += 1
            before = len(linter.ctx.warnings)
            for found in linter.lint_many(docs[i:j], keep_fixable=keep_fixable):
                for w in linter.ctx.warnings[before:]:
                    self.ctx.warn(w)
                before = len(linter.ctx.warnings)
                yield found
            i = j


# -- --show-config ----------------------------------------------------------
def show(resolver: Resolver, path: str) -> str:
    """The effective configuration for ``path`` as YAML, each key with its origin."""
    conf = resolver.config_for(path)
    settings, origin = resolver.settings(path)
    origin = dict(origin)
    values = {
        "config": shown(conf.path) if conf else None,
        "excluded": resolver.wanted(path, True) is False,
        "select": list(settings.select), "ignore": list(settings.ignore),
        "severity": dict(settings.severity),
        "rules": [shown(p) for p in settings.packs],
        "as_of": settings.as_of, "doc_type": settings.doc_type,
        "include": list(conf.values.get("include", ())) if conf else [],
        "exclude": list(conf.values.get("exclude", ())) if conf else [],
        "per_file_ignores": {g: list(s) for g, s in conf.values.get("per_file_ignores", ())} if conf else {},
        "fail_on": settings.fail_on,
    }
    if origin["as_of"] == "默认":
        origin["as_of"] = "默认（今天）"
    origin["config"] = "--config" if resolver.fixed else ("--no-config" if conf is None and
                                                            getattr(resolver.args, "no_config", False)
                                                            else "从文件所在目录向上查找")
    origin["excluded"] = conf.where("exclude") if values["excluded"] else "默认"
    for key in ("include", "exclude", "per_file_ignores"):
        if conf and values[key]:
            patterns = list(values[key])  # per_file_ignores: its keys
            values[key + "_unmatched"] = unmatched_patterns(conf.root, patterns)
            origin[key + "_unmatched"] = (f"这些 {key} 模式在 {shown(conf.root) or '.'} 下没有匹配任何文件"
                                          if values[key + "_unmatched"] else f"每个 {key} 模式都匹配到了文件")
    import yaml
    out = [f"# dj-lint 对 {path} 生效的配置（每项后的注释是它的来源）"]
    for key, value in values.items():
        dumped = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=True,
                                width=10 ** 6).strip()
        out.append(f"{dumped[1:-1]}  # {origin[key]}")
    return "\n".join(out) + "\n"
