"""traditional.Fold: whether a document holds a character a fold changes, read off
the document's list of traditional-only characters (shared with script_variant),
and the fold through a str indexed by code point, must answer as the table's own
character set and ``str.translate`` with the table do, also for characters beyond
U+FFFF (folded by the full table), lone surrogates and tables that fold
characters outside the traditional-only vocabulary."""
from __future__ import annotations

import random
import sys

import pytest

from dj_lint.checks import obsolete, terms, traditional
from dj_lint.checks.traditional import VOCABULARY, Fold
from dj_lint.text.document import Document


def _texts(table, n=300):
    rng = random.Random(17)
    folded = sorted(map(chr, table))
    astral = [c for c in folded if c > "\uffff"]
    others = sorted(traditional._characters(VOCABULARY) - set(folded))[:50]
    plain = list("党的建设学习贯彻二十大精神，。\n 1a《》") + ["\U0001F600", "\U00020000", "\udc80", "\uffff"]
    out = ["", "学习贯彻党的二十大精神\n", "學習貫徹黨的二十大精神\n", "".join(astral[:3]) + "党"]
    for _ in range(n):
        pools = [plain] + [p for p in (folded, astral, others) if p and rng.random() < 0.3]
        out.append("".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 40))))
    return out


def _check(table):
    fold, chars = Fold(table), frozenset(map(chr, table))
    texts = _texts(table)
    assert any(not chars.isdisjoint(t) for t in texts) and any(chars.isdisjoint(t) for t in texts)
    for text in texts:
        assert fold.holds(Document(text)) == (not chars.isdisjoint(text)), text
        assert fold.apply(text) == text.translate(table), text
    return fold


@pytest.mark.parametrize("with_numpy", [True, False])
def test_shipped_folds_agree_with_their_tables(with_numpy, monkeypatch):
    """Fold.apply looks the points up in a numpy array when numpy is loaded, else
    translates through the str of the plane: both as the table's translate."""
    if with_numpy:
        import numpy  # noqa: F401 - loaded: apply takes it
    else:
        monkeypatch.delitem(sys.modules, "numpy", raising=False)
    small, full = _check(obsolete.fold_table()), _check(terms.fold_full_table())
    assert small.shared and full.shared and any(point > 0xFFFF for point in full.table)
    assert isinstance(small._by_point, str) and isinstance(full._by_point, str)  # the fast fold
    assert (small._points is not None) == with_numpy
    # A point beyond the plane in a text the small table folds (no such point in it):
    # the array has no entry there, and translate keeps the character.
    assert small.apply("學\U0001F600習\udc80") == "学\U0001F600习\udc80"


def test_a_fold_of_other_characters_searches_by_itself():
    table = dict(obsolete.fold_table())
    table[ord("a")] = "b"
    table[0x2000B] = "x"
    assert not _check(table).shared


def test_folded_texts_as_the_tables_make_them():
    for text in _texts(terms.fold_full_table(), 100):
        doc = Document(text)
        small = text.translate(obsolete.fold_table())
        assert obsolete.folded_text(doc) == small
        assert (obsolete.folded_text(doc) is doc.text) == (small == text)
        full = text.translate(terms.fold_full_table())
        assert terms._folded(doc) == (full if full != text else None)
