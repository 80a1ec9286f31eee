"""Rule packs: YAML files validated strictly into Rule objects.

A typo in a rule file must never silently disable a rule, so every field is
checked and any problem stops the run with one line naming file, rule and field.
"""
from __future__ import annotations

import dataclasses
import os
from typing import Any, Dict, Iterable, List

from ..text import build_cache, pattern_cache

from ..checks import KINDS
from ..model.findings import CATEGORIES, SEVERITIES
from ..text.data import display_path, read_yaml, rules_root
from ..model.rules import (COMMON_FIELDS, FIX_ACTIONS, FIX_SAFETY, NEVER_FIXED, REQUIRED_FIELDS,
                           Rule, RuleError, check_template)


def shipped_pack_paths() -> List[str]:
    """The rule packs installed with the package (dj_lint.rules)."""
    root = rules_root()
    return sorted(os.path.join(root, name) for name in os.listdir(root) if name.endswith(".yaml"))


def load_pack(path: str) -> List[Rule]:
    label = display_path(path)
    data = read_yaml(path, label)
    if data is None:
        return []
    if isinstance(data, dict) and "rules" in data:
        data = data["rules"]
    if not isinstance(data, list):
        raise RuleError(f"{label}: 规则文件应为规则列表")
    rules = []
    for i, item in enumerate(data):
        try:
            rules.append(parse_rule(item, label, i))
        except RuleError as exc:
            # Only now pay for a second, mark-keeping parse to name the line.
            from .yaml_lines import with_line
            raise RuleError(with_line(str(exc), path, label, i)) from None
    return rules


def load_rules(paths: Iterable[str], base: Iterable[Rule] = ()) -> List[Rule]:
    """Load packs in order on top of ``base``: a later rule with an id already seen
    replaces it, and an entry of just ``{id, enabled: false}`` switches it off."""
    by_id: Dict[str, Rule] = {r.id: r for r in base}
    for path in paths:
        seen_here = set()
        for rule in load_pack(path):
            if rule.id in seen_here:
                raise RuleError(f"{rule.origin}: {rule.id}: duplicate id")
            seen_here.add(rule.id)
            if not rule.kind and not rule.enabled:
                if rule.id not in by_id:
                    raise RuleError(f"{rule.origin}: {rule.id}: enabled: false 指向不存在的规则")
                by_id[rule.id] = dataclasses.replace(by_id[rule.id], enabled=False)
            else:
                by_id[rule.id] = rule
    return list(by_id.values())


def check_unique(rule_lists: Iterable[List[Rule]]) -> None:
    """Shipped packs must not share ids across files."""
    seen: Dict[str, str] = {}
    for rules in rule_lists:
        for r in rules:
            if r.id in seen:
                raise RuleError(f"{r.origin}: {r.id}: duplicate id (also in {seen[r.id]})")
            seen[r.id] = r.origin


def load_shipped() -> List[Rule]:
    """The shipped packs, validated: from the build cache when it holds this build
    (its key covers the pack files' contents and dj-lint's code), else parsed and
    validated here and kept for the next start."""
    return list(build_cache.product("shipped-rules", _load_shipped))


def _load_shipped() -> List[Rule]:
    packs = [load_pack(p) for p in shipped_pack_paths()]
    check_unique(packs)
    pattern_cache.save()  # the next start unpickles what this one compiled
    return [r for pack in packs for r in pack]


def _fail(label, rid, msg):
    raise RuleError(f"{label}: {rid}: {msg}")


def parse_rule(item: Any, label: str, index: int = 0) -> Rule:

    if not isinstance(item, dict):
        raise RuleError(f"{label}: rule #{index + 1}: 应为映射(mapping)")
    rid = item.get("id")
    if not isinstance(rid, str) or not rid:
        raise RuleError(f"{label}: rule #{index + 1}: missing field 'id'")
    if set(item) == {"id", "enabled"} and item["enabled"] is False:
        # A user pack's `{id: DJ201, enabled: false}` switches off an earlier rule
        # with that id; the loader (config.py) checks that the id exists.
        return Rule(id=rid, name="", category="", severity="", message="", kind="",
                    options={}, examples={}, origin=label, enabled=False)
    kind_name = item.get("kind")
    if kind_name is not None and kind_name not in KINDS:
        _fail(label, rid, f"unknown kind '{kind_name}' (known: {', '.join(sorted(KINDS))})")
    kind = KINDS.get(kind_name)
    allowed = dict(COMMON_FIELDS)
    if kind is not None:
        allowed.update(kind.FIELDS)
    for key in item:
        if key not in allowed:
            _fail(label, rid, f"unknown field '{key}'")
    for key in REQUIRED_FIELDS:
        if key not in item:
            _fail(label, rid, f"missing field '{key}'")
    for key, value in item.items():
        expected = allowed[key]
        if expected is not Any and not isinstance(value, expected):
            names = expected.__name__ if isinstance(expected, type) else "/".join(t.__name__ for t in expected)
            _fail(label, rid, f"field '{key}' should be {names}")
    if item["category"] not in CATEGORIES:
        _fail(label, rid, f"unknown category '{item['category']}'")
    if item["severity"] not in SEVERITIES:
        _fail(label, rid, f"unknown severity '{item['severity']}' (error, warning, info)")
    options = {k: v for k, v in item.items() if k in kind.FIELDS}
    for key in getattr(kind, "REQUIRED", ()):
        if key not in options:
            _fail(label, rid, f"missing field '{key}' (required by kind '{kind_name}')")
    rule = Rule(
        id=rid, name=item["name"], category=item["category"], severity=item["severity"],
        message=item["message"], kind=kind_name, options=options, examples=item["examples"],
        origin=label, description=item.get("description", ""), source=item.get("source", ""),
        enabled=item.get("enabled", True), fix=item.get("fix"), tags=item.get("tags", []),
        same_span_defer_to=item.get("same_span_defer_to", []),
    )
    for what in rule.same_span_defer_to:
        if not isinstance(what, str) or not what or what == rid:
            _fail(label, rid, "field 'same_span_defer_to' should list categories or other rules' ids")
    _check_message(rule, kind)
    _check_examples(rule)
    _check_fix(rule)
    try:
        kind.validate(rule)
    except RuleError as exc:
        _fail(label, rid, str(exc))
    return rule


def _check_message(rule: Rule, kind) -> None:
    allowed = {"text", "suggestion"} | set(getattr(kind, "MESSAGE_FIELDS", ()))
    try:
        check_template(rule.message, "message", allowed)
    except RuleError as exc:
        _fail(rule.origin, rule.id, str(exc))


def _check_examples(rule: Rule) -> None:
    ex = rule.examples
    for key in ex:
        if key not in ("bad", "good"):
            _fail(rule.origin, rule.id, f"examples: unknown field '{key}'")
    bad, good = ex.get("bad"), ex.get("good")
    if not bad or not isinstance(bad, list):
        _fail(rule.origin, rule.id, "examples: needs at least one 'bad' example")
    if not good or not isinstance(good, list):
        _fail(rule.origin, rule.id, "examples: needs at least one 'good' example")
    for i, b in enumerate(bad):
        if not isinstance(b, dict) or "text" not in b or "match" not in b:
            _fail(rule.origin, rule.id, f"examples.bad[{i}]: needs 'text' and 'match'")
        for key in b:
            if key not in ("text", "match", "suggestion", "fixed", "as_of", "doc_type", "path", "escapes"):
                _fail(rule.origin, rule.id, f"examples.bad[{i}]: unknown field '{key}'")
    for i, g in enumerate(good):
        if isinstance(g, dict):
            for key in g:
                if key not in ("text", "as_of", "doc_type", "path", "escapes"):
                    _fail(rule.origin, rule.id, f"examples.good[{i}]: unknown field '{key}'")
        elif not isinstance(g, str):
            _fail(rule.origin, rule.id, f"examples.good[{i}]: should be text")


def _check_fix(rule: Rule) -> None:
    for i, b in enumerate(rule.examples["bad"]):
        if "fixed" in b and (rule.fix is None or not isinstance(b["fixed"], str)):
            _fail(rule.origin, rule.id, f"examples.bad[{i}]: 'fixed' needs a 'fix' on the rule and should be text")
    if rule.fix is None:
        return
    if rule.category in NEVER_FIXED:
        _fail(rule.origin, rule.id, f"fix: a rule of category '{rule.category}' needs a human and may not declare a fix")
    for key in rule.fix:
        if key not in ("action", "safety"):
            _fail(rule.origin, rule.id, f"fix: unknown field '{key}'")
    if rule.fix.get("action") not in FIX_ACTIONS:
        _fail(rule.origin, rule.id, f"fix.action should be one of {', '.join(FIX_ACTIONS)}")
    if rule.fix.get("safety", "safe") not in FIX_SAFETY:
        _fail(rule.origin, rule.id, "fix.safety should be safe or unsafe")
