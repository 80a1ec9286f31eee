"""Rule files are validated strictly: one clear line naming file, rule and field."""
import re
import textwrap

import pytest

from dj_lint.packs.loader import RuleError, load_pack, load_rules

GOOD = """
- id: DJX01
  name: test-rule
  category: placeholder
  severity: error
  kind: pattern
  pattern: 'XX市'
  message: 请填写市名：“{text}”
  examples:
    bad:
      - text: 'XX市教研室'
        match: 'XX市'
    good:
      - '东湖市教研室'
"""


def write(tmp_path, body, name="user.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return str(p)


def error_of(tmp_path, body):
    path = write(tmp_path, body)
    with pytest.raises(RuleError) as exc:
        load_pack(path)
    # The line (FILE:7:) is asserted in test_bad_input.py; here file, rule and field.
    return re.sub(r"^FILE:\d+: ", "FILE: ", str(exc.value).replace(path, "FILE"))


def test_good_rule_loads(tmp_path):
    (rule,) = load_pack(write(tmp_path, GOOD))
    assert (rule.id, rule.kind, rule.options) == ("DJX01", "pattern", {"pattern": "XX市"})


def test_unknown_field_is_named(tmp_path):
    body = GOOD.replace("pattern: 'XX市'", "pattren: 'XX市'")
    assert error_of(tmp_path, body) == "FILE: DJX01: unknown field 'pattren'"


@pytest.mark.parametrize("old,new,message", [
    ("kind: pattern", "kind: patern", "FILE: DJX01: unknown kind 'patern'"),
    ("category: placeholder", "category: spelling", "FILE: DJX01: unknown category 'spelling'"),
    ("severity: error", "severity: fatal", "FILE: DJX01: unknown severity 'fatal'"),
    ("pattern: 'XX市'", "pattern: 'XX(市'", "FILE: DJX01: field 'pattern': regex does not compile"),
    ("pattern: 'XX市'", "pattern: '\\b党建'", "FILE: DJX01: field 'pattern': '\\b' next to a Han character"),
    ("pattern: 'XX市'", "pattern: 'XX市'\n  prefilter: 'XX(市'", "FILE: DJX01: field 'prefilter': re does not compile"),
    ("message: 请填写市名：“{text}”", "message: 请填写{city}", "FILE: DJX01: field 'message': unknown placeholder '{city}'"),
    ("  name: test-rule\n", "", "FILE: DJX01: missing field 'name'"),
])
def test_bad_fields_are_named(tmp_path, old, new, message):
    assert old in GOOD
    assert error_of(tmp_path, GOOD.replace(old, new)).startswith(message)


def test_rule_without_examples_cannot_load(tmp_path):
    body = GOOD[:GOOD.index("  examples:")]
    assert error_of(tmp_path, body) == "FILE: DJX01: missing field 'examples'"
    no_good = GOOD[:GOOD.index("    good:")]
    assert error_of(tmp_path, no_good) == "FILE: DJX01: examples: needs at least one 'good' example"


def test_duplicate_id_in_one_file(tmp_path):
    path = write(tmp_path, GOOD + GOOD)
    with pytest.raises(RuleError, match="DJX01: duplicate id"):
        load_rules([path])


def test_malformed_yaml_names_file_and_line(tmp_path):
    msg = error_of(tmp_path, GOOD.replace("  severity: error", "  severity: [error"))
    assert msg.startswith("FILE:") and "YAML" in msg
    line = int(msg.split(":")[1])
    assert 4 <= line <= 8


def test_a_later_file_overrides_a_rule_by_id(tmp_path):
    first = write(tmp_path, GOOD, "a.yaml")
    second = write(tmp_path, GOOD.replace("severity: error", "severity: info"), "b.yaml")
    (rule,) = load_rules([first, second])
    assert rule.severity == "info"


def test_invalid_typed_value_is_a_rule_error_not_a_crash(tmp_path):
    body = GOOD.replace("  severity: error", "  severity: error\n  description: 2012-13-08")
    msg = error_of(tmp_path, body)
    assert msg.startswith("FILE: YAML 值错误")
