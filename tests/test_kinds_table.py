"""README's "Kinds and their fields" table against the registry: every kind of
dj_lint.checks.KINDS has one row, and the row names every field the loader
accepts for that kind (its FIELDS, packs/loader.py) and no other.

In the fields column a field is a code span outside parentheses: ``shape``
(``deleted``, ``spinner``) names the field ``shape`` and two of its values. The
fields several kinds share (``unless``, ``unless_line`` and the Deferring
mixin's ``defer_to``, ``defer_except``) are named in every row that takes them,
and explained once in the paragraph under the table, which must name them."""
import os
import re

import pytest
from conftest import ROOT

from dj_lint.checks import KINDS
from dj_lint.checks.base import Deferring

README = os.path.join(ROOT, "README.md")
HEADING = "Kinds and their fields:"
SHARED = ("unless", "unless_line", *Deferring.DEFER_FIELDS)
# A code span: a run of backticks, its text, the same run again (``a `b` c``).
_CODE = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _section():
    """(the table's rows as lists of cells, the paragraph after the table)."""
    with open(README, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    assert lines.count(HEADING) == 1, f"README.md should hold the line {HEADING!r} once"
    at = lines.index(HEADING) + 1
    while not lines[at].strip():
        at += 1
    table = []
    while at < len(lines) and lines[at].startswith("|"):
        table.append(lines[at])
        at += 1
    paragraph = []
    while at < len(lines) and not lines[at].strip():
        at += 1
    while at < len(lines) and lines[at].strip():
        paragraph.append(lines[at])
        at += 1
    assert len(table) > 2, "the kinds table has no rows"
    assert [c.strip() for c in _cells(table[0])] == ["kind", "fields", "what it does"]
    return [_cells(line) for line in table[2:]], " ".join(paragraph)


def _cells(line: str) -> list:
    cells = _CELL_SPLIT.split(line.strip())
    assert cells[0] == "" and cells[-1] == "", f"a table row should start and end with '|': {line[:60]}"
    return [c.strip() for c in cells[1:-1]]


def _top_level_code(cell: str) -> list:
    """The code spans of ``cell`` that stand outside parentheses, in order."""
    spans = []

    def hold(m):
        spans.append(m.group(2).strip())
        return f"\0{len(spans) - 1}\0"

    flat = _CODE.sub(hold, cell)  # parentheses inside a code span are no grouping
    depth, top = 0, []
    for piece in re.split(r"([()（）])", flat):
        if piece in ("(", "（"):
            depth += 1
        elif piece in (")", "）"):
            depth = max(0, depth - 1)
        elif depth == 0:
            top.append(piece)
    return [spans[int(k)] for k in re.findall(r"\0(\d+)\0", "".join(top))]


def _rows() -> dict:
    rows, _ = _section()
    out = {}
    for cells in rows:
        assert len(cells) == 3, f"a row of the kinds table should have 3 cells: {cells[:1]}"
        kind, fields, does = cells
        m = re.fullmatch(r"`([a-z_]+)`", kind)
        assert m, f"the kind cell should be the kind's name in backticks, not {kind!r}"
        assert m.group(1) not in out, f"kind '{m.group(1)}' has two rows"
        assert does, f"kind '{m.group(1)}': say what it does"
        out[m.group(1)] = _top_level_code(fields)
    return out


def test_every_registered_kind_has_a_row():
    rows = _rows()
    missing = sorted(set(KINDS) - set(rows))
    assert not missing, f"README's kinds table lacks a row for: {', '.join(missing)}"


def test_no_row_for_a_kind_that_is_not_registered():
    stale = sorted(set(_rows()) - set(KINDS))
    assert not stale, f"README's kinds table has rows for unknown kinds: {', '.join(stale)}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_row_names_every_field_the_kind_accepts(kind):
    named = _rows().get(kind)
    if named is None:
        pytest.fail(f"README's kinds table has no row for '{kind}'")
    accepted = set(KINDS[kind].FIELDS)
    missing = sorted(accepted - set(named))
    assert not missing, f"README's row for '{kind}' does not name the fields: {', '.join(missing)}"
    unknown = sorted(set(named) - accepted)
    assert not unknown, (f"README's row for '{kind}' names fields the loader rejects: {', '.join(unknown)}"
                         " (a value belongs in parentheses after its field)")


def test_shared_fields_are_explained_under_the_table():
    _, paragraph = _section()
    named = {m.group(2).split(":")[0].strip() for m in _CODE.finditer(paragraph)}
    used = {f for cls in KINDS.values() for f in cls.FIELDS}
    for field in SHARED:
        assert field not in used or field in named, (
            f"the paragraph under README's kinds table should explain '{field}'")


def test_parser_reads_values_in_parentheses_as_values():
    cell = "`shape` (`deleted`, `spinner`), `rare`, `x` (``a `(` b``), `y`"
    assert _top_level_code(cell) == ["shape", "rare", "x", "y"]
