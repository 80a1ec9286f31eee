"""Fields a kind fills or reads only while it lints are checked when the rule
loads: a bad value stops the run at once with one line naming the rule and the
field, instead of a crash in the middle of a lint or a rule that silently finds
nothing. Each case starts from a shipped rule of the kind and changes one field."""
import os

import pytest
import yaml

from dj_lint.engine.linter import lint_text
from dj_lint.packs.loader import RuleError, load_pack

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shipped(kind):
    """The first shipped rule of ``kind``, as its YAML mapping."""
    for name in sorted(os.listdir(os.path.join(ROOT, "rules"))):
        if name.endswith(".yaml"):
            with open(os.path.join(ROOT, "rules", name), encoding="utf-8") as f:
                for item in yaml.safe_load(f) or []:
                    if item.get("kind") == kind:
                        return item
    raise AssertionError(f"no shipped {kind} rule")


def load_changed(tmp_path, kind, **changes):
    """The shipped rule with ``changes`` (a field set to None is left out)."""
    item = {k: v for k, v in dict(shipped(kind), **changes).items() if v is not None}
    path = tmp_path / "user.yaml"
    path.write_text(yaml.safe_dump([item], allow_unicode=True), encoding="utf-8")
    return item["id"], str(path)


def error_of(tmp_path, kind, **changes):
    rid, path = load_changed(tmp_path, kind, **changes)
    with pytest.raises(RuleError) as exc:
        load_pack(path)
    message = str(exc.value)
    assert message.startswith(path + ":"), message
    return message.split(f"{rid}: ", 1)[1]


@pytest.mark.parametrize("kind,changes,message", [
    # star_run's hint is filled with the reconstructed phrase: any other name
    # raised KeyError out of Linter.lint on the first masked phrase it rebuilt.
    ("star_run", {"hint": "，可能是“{word}”"}, "field 'hint': unknown placeholder '{word}'"),
    ("star_run", {"hint": "，可能是“{phrase!r}”"},
     "field 'hint': placeholder '{phrase}' may not carry a format spec or conversion"),
    ("star_run", {"hint": "，可能是“{phrase”"}, "field 'hint': expected '}' before end of string"),
    # The check's default max_length is 6: min_length 7 alone could never find anything.
    ("self_spelling", {"min_length": 7, "max_length": None}, "field 'max_length' should not be below min_length"),
    ("intended_blanks", {"absorbs": "placeholdr"}, "field 'absorbs': unknown category 'placeholdr'"),
    # near_miss had one lexicon and read any value as it.
    ("near_miss", {"lists": [{"lexicon": "nonsense", "confirm": ["same_sound"]}]}, "field 'lists[0]' should be {file: name} or {lexicon: party}"),
    ("near_miss", {"lists": [{"lexicon": "party", "file": "x.txt", "confirm": ["same_sound"]}]},
     "field 'lists[0]' should be {file: name} or {lexicon: party}"),
])
def test_a_bad_value_is_refused_when_the_rule_loads(tmp_path, kind, changes, message):
    assert error_of(tmp_path, kind, **changes).startswith(message)


@pytest.mark.parametrize("kind,changes", [
    ("star_run", {"hint": "，应为“{phrase}”"}),
    ("star_run", {"hint": "没有占位的提示"}),
    ("self_spelling", {"min_length": 6, "max_length": None}),
    ("self_spelling", {"min_length": 7, "max_length": 7}),
    ("intended_blanks", {"absorbs": "mask"}),
    ("near_miss", {"lists": [{"lexicon": "party", "confirm": ["same_sound"]}]}),
])
def test_a_good_value_loads(tmp_path, kind, changes):
    _, path = load_changed(tmp_path, kind, **changes)
    (rule,) = load_pack(path)
    for field, value in changes.items():
        assert rule.options.get(field) == value


def test_unless_path_in_any_letter_case(tmp_path):
    """A pattern rule's ``unless_path`` endings are compared with the lower-cased
    path: an ending written in capitals used to match no path at all."""
    def findings(ending, name):
        _, path = load_changed(tmp_path, "pattern", id="DJX01", pattern="样例词",
                               unless_path=[ending], requires=None, requires_line=None,
                               prefilter=None, suggestion=None, whole_word=None,
                               examples={"bad": [{"text": "一个样例词", "match": "样例词"}], "good": ["无"]})
        return [f.rule for f in lint_text("这是样例词。\n", load_pack(path), path=name)]
    assert findings(".TXT", "a.txt") == []
    assert findings(".txt", "A.TXT") == []
    assert findings(".txt", "a.md") == ["DJX01"]


def test_unless_path_lists_strings(tmp_path):
    assert error_of(tmp_path, "pattern", unless_path=[3]) == "field 'unless_path' should list non-empty strings"
