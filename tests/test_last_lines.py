"""Document.last_lines_start (the window of bare_digits and of cndate's signature
rules) reads the start of the N-th last line with text off the document's
visible_spans; it must be where doc.last_nonblank_lines puts it, on lines of
spaces, tabs, ideographic spaces, other blanks and none, with or without a final
line break, and for a text too long to keep its spans."""
from __future__ import annotations

import random

from dj_lint.checks import datecheck
from dj_lint.text import document
from dj_lint.text.document import Document


def _reference(doc, n):
    lines = doc.last_nonblank_lines(n, " \t\u3000")
    return doc.line_starts[lines[-1]] if lines and len(lines) == n else 0


def _texts():
    rng = random.Random(9)
    pieces = ["", " ", "\t", "\u3000", "  \u3000\t", "\xa0", "\u2028", "20221117", "　二〇二二年十一月十七日",
              "党支部 ", "a\tb", "\udc80"]
    out = ["", "\n", "\n\n\n", "20221117", "文\n\n20221117\n"]
    for _ in range(400):
        lines = [rng.choice(pieces) + rng.choice(pieces) for _ in range(rng.randint(0, 12))]
        out.append("\n".join(lines) + rng.choice(["", "\n", "\n \n"]))
    return out


def test_window_as_the_last_nonblank_lines_give_it(monkeypatch):
    texts = _texts()
    for n in (1, 2, 4, 8):
        got = [Document(t).last_lines_start(n) for t in texts]
        assert got == [_reference(Document(t), n) for t in texts]
        assert len(set(got)) > 5
        monkeypatch.setattr(document, "VISIBLE_KEPT", 0)  # the walk back of a long text
        assert [Document(t).last_lines_start(n) for t in texts] == got
        monkeypatch.undo()


def test_bare_digits_from_the_visible_lines_as_the_window_scan(monkeypatch):
    """bare_digits tries only the last lines whose visible text is eight characters
    (visible_spans); the scan of the window (a text too long to keep its spans)
    finds the same."""
    from dj_lint.engine.linter import Linter, shipped_rules
    linter = Linter(shipped_rules())
    kind = [c for c in linter.checks if type(c).__name__ == "DateCheckKind"][0]
    rules = [r for r in kind.rules if r.options["check"] == "bare_digits"]
    assert rules
    rng = random.Random(4)
    pieces = ["20221117", "20221317", "19991231", "20220230", "２０２２１１１７", "2022111７", "202211170",
              " ", "\t", "\u3000", "\xa0", "党委", "二〇二二年", "\udc80", ""]
    texts = []
    for _ in range(500):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) for _ in range(rng.randint(0, 9))]
        texts.append("\n".join(lines) + rng.choice(["", "\n"]))

    def run():
        return [[(h.start, h.end, h.suggestion) for r in rules for h in kind._bare_digits(Document(t), r)]
                for t in texts]

    got = run()
    assert sum(map(len, got)) > 100
    monkeypatch.setattr(datecheck, "VISIBLE_KEPT", 0)
    assert run() == got
