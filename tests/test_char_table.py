"""``multiscan.CharTable`` (where a set's characters stand, from a table of the
Basic Multilingual Plane read by numpy) gives the offsets a class search gives, or
None where it cannot tell; the kinds that read them (letter_mask's candidates,
byte_shift's lost marks) find what their class scans find."""
import random
import re

import numpy  # noqa: F401 - loaded, as near_miss loads it in a default run

from dj_lint.checks import lettermask
from dj_lint.text import multiscan


def _texts(rng, pieces, sizes):
    for n in sizes:
        for share in (0.0, 0.001, 0.02, 0.3):
            yield "".join(rng.choice(pieces) if rng.random() < share else rng.choice("党建工作的一是在，。\n ")
                          for _ in range(n))


def test_positions_are_the_class_search(monkeypatch):
    rng = random.Random(11)
    chars = "XxZ×AB—…储冖"
    table = multiscan.CharTable(chars)
    search = re.compile("[" + re.escape(chars) + "]")
    pieces = list(chars) + ["\ud800", "\udfff", "😀", "\uffff", "a", "1"]
    told = untold = 0
    for step in (1 << 16, 7):
        monkeypatch.setattr(multiscan.CharTable, "STEP", step)
        for text in _texts(rng, pieces, (0, 10, 1999, 2000, 2001, 6000)):
            chars = table.chars_in(text)
            assert chars is None if len(text) < table.LEAST else chars == "".join(search.findall(text))
            got = table.positions(text)
            if got is None:
                untold += 1
                assert len(text) < table.LEAST or "😀" in text or \
                    len(search.findall(text)) > len(text) >> table.DENSITY
                continue
            told += 1
            assert got == [m.start() for m in search.finditer(text)]
    assert told >= 8 and untold >= 8
    # A set with a surrogate or a character beyond the plane is never told.
    assert multiscan.CharTable("a\ud800").positions("a" * 3000) is None
    assert multiscan.CharTable("a😀").positions("a" * 3000) is None


def test_letter_candidates_at_the_letters_are_the_scan():
    rng = random.Random(12)
    pieces = list("XxZ×ABCQ-./@_0aé") + ["XX", "ABC", "X" * 40, "“X”", "😀"]
    told = 0
    for text in [*_texts(rng, pieces, (2000, 5000)), *_texts(rng, pieces[:-1], [8000] * 8)]:
        starts = lettermask._LETTER_TABLE.positions(text)
        expected = [m.span() for m in lettermask.candidates(text)]
        if starts is not None:
            told += bool(expected)
            assert [m.span() for m in lettermask.candidates_at(text, starts)] == expected
    assert told >= 2


def test_the_kinds_find_the_same_with_and_without_tables(monkeypatch):
    """Every kind that reads a CharTable (letter_mask, byte_shift, pairs,
    script_variant) reports the same findings whether the tables tell (any text
    length) or not (none does): the seed documents, with their marks, letters
    and lost characters, each also cut into pieces with their lines shuffled."""
    import pathlib
    from dj_lint.engine.linter import Linter, shipped_rules
    from dj_lint.text.document import Document
    root = pathlib.Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "seeds").glob("*.txt"))]
    rng = random.Random(13)
    for text in list(texts):
        lines = text.split("\n")
        rng.shuffle(lines)
        texts.append("\n".join(lines) + "“他说（见附件" * 3 + "XX同志" + "储冖" * 2)
    kinds = {"letter_mask", "byteshift", "pairs", "script_variant"}
    rules = [r for r in shipped_rules() if r.kind in kinds]
    assert {r.kind for r in rules} == kinds

    def findings(least):
        monkeypatch.setattr(multiscan.CharTable, "LEAST", least)
        linter = Linter(rules)
        return [[f.as_dict() for f in linter.lint(Document(t, path="x.txt"))] for t in texts]

    told = findings(0)
    assert told == findings(10 ** 9)
    assert sum(map(len, told)) > 10
