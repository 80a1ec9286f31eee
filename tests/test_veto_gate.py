"""A veto whose patterns' necessary literals are all absent from a document vetoes
nothing there without searching its lines (checks/base.py ``Veto._idle``): the
gated veto must answer as the ungated one (``_gate`` None, every line searched)
for every shipped rule's vetoes and hand-made ones, on generated text."""
import random
import types

import regex

from dj_lint.checks import base
from dj_lint.engine import shipped_rules
from dj_lint.text.document import Document


def _pair(options, flags=0, rule_id="T1", off=("_gate",)):
    rule = types.SimpleNamespace(options=options, id=rule_id)
    gated, plain = base.Veto(rule, flags), base.Veto(rule, flags)
    for gate in off:  # _gate None: never idle; no gates at all: the plain path
        setattr(plain, gate, [None] * len(plain.overlap) if gate == "_overlap_gates" else None)
    return gated, plain


def _agree(gated, plain, text, rng, spans=12):
    doc = Document(text, path="t.txt")
    idle = 0
    for _ in range(spans):
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.randint(0, 6))
        got = gated.vetoes(doc, start, end)
        assert got == plain.vetoes(doc, start, end), (text, start, end)
        idle += gated._idle
    return idle


HAND = [
    ({"unless": "丙甲"}, 0),
    ({"unless_line": "停", "unless": "(?<=乙)甲"}, 0),
    ({"unless": "甲(?=乙丙)"}, 0),
    ({"unless_line": "(?i)abc", "unless": "x[yz]"}, 0),
    ({"unless": "ab"}, regex.IGNORECASE),
    ({"unless": "[“\"]\\s*甲"}, 0),
]
PIECES = ["甲", "乙", "丙", "停", "\n", " ", "“", "”", ":", "：", "ab", "AB", "abc", "Abc", "x", "y", "z",
          "党", "\u3000", "\t"]


def test_hand_made_vetoes_gated_as_plain():
    rng = random.Random(17)
    idle = 0
    for options, flags in HAND:
        gated, plain = _pair(options, flags)
        for _ in range(1500):
            text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))
            idle += _agree(gated, plain, text, rng)
    assert idle > 1000  # the gate is exercised, not only the plain path


def _shipped_pairs(off=("_gate",)):
    """(gated, plain) vetoes of every shipped rule with some, and pieces of text to
    make documents from: their literals, their rules' examples and ``PIECES``."""
    pairs, pieces = [], list(PIECES)
    for rule in shipped_rules():
        options = rule.options
        if not (options.get("unless") or options.get("unless_line")):
            continue
        flags = regex.IGNORECASE if options.get("ignorecase") else 0
        gated, plain = _pair({k: options.get(k) for k in ("unless", "unless_line")}, flags, rule.id, off)
        if not gated:
            continue
        pairs.append((gated, plain))
        for pat in [*gated.line, *gated.overlap]:
            pieces.extend(base.necessary_literals(pat) or ())
        for bad in (rule.examples or {}).get("bad", []):
            text = bad.get("text") if isinstance(bad, dict) else bad
            if isinstance(text, str):
                pieces.append(text)
        for good in (rule.examples or {}).get("good", []):
            if isinstance(good, str):
                pieces.append(good)
    assert len(pairs) >= 15
    return pairs, pieces


def test_shipped_vetoes_gated_as_plain():
    rng = random.Random(18)
    pairs, pieces = _shipped_pairs()
    idle = 0
    for _ in range(40):
        # Pieces of the examples and the vetoes' literals, plus plain filler, so
        # that some documents hold a veto's literals and others none.
        text = "".join(rng.choice(pieces if rng.random() < 0.3 else PIECES) for _ in range(rng.randint(1, 40)))
        for gated, plain in pairs:
            idle += _agree(gated, plain, text, rng, spans=6)
    assert idle > 500


def test_idle_gate_skips_the_line_searches():
    gated, _ = _pair({"unless_line": "停", "unless": "丙甲"})
    doc = Document("甲乙甲乙\n甲乙", path="t.txt")
    assert gated.vetoes(doc, 0, 2) is False and gated._idle and not gated._cache
    doc = Document("甲乙停\n甲乙", path="t.txt")
    assert gated.vetoes(doc, 0, 2) is True and not gated._idle


def test_long_documents_are_not_gated():
    gated, plain = _pair({"unless": "丙甲"})
    rng = random.Random(19)
    for n in (base._IDLE_MOST - 1, base._IDLE_MOST, base._IDLE_MOST + 7):
        text = ("甲乙" * n)[:n]
        doc = Document(text, path="t.txt")
        assert gated.vetoes(doc, 0, 2) is False
        assert gated._idle == (n < base._IDLE_MOST)
        _agree(gated, plain, text, rng)


def test_a_pickled_veto_works_out_its_gates_again():
    """--cluster (and --jobs where processes are spawned) pickle the rules' vetoes.
    A veto pickled after use must answer as a fresh one: its gates are worked out
    again where it is unpickled (the module's _UNSET marker, carried in the state,
    came back as another object, and the gates were then called: TypeError)."""
    import pickle
    rule = types.SimpleNamespace(options={"unless_line": "^上一篇", "unless": "甲乙"}, id="T1")
    used = base.Veto(rule, regex.MULTILINE)
    small, long_text = "上一篇：甲乙丙\n正文甲乙。\n", "正文。\n" * 600 + "上一篇：丙\n"
    for text in (small, long_text):
        doc = Document(text, path="t.txt")
        assert used.vetoes(doc, 0, 2) == (text is small)
    assert used._line_gate is not base._UNSET
    copy = pickle.loads(pickle.dumps(used))
    assert copy._gate is base._UNSET and copy._line_gate is base._UNSET and copy._doc is None
    fresh = base.Veto(rule, regex.MULTILINE)
    for text in (small, long_text, "无关的一行。\n" * 3):
        doc = Document(text, path="t.txt")
        for start in range(0, len(text), 3):
            assert copy.vetoes(doc, start, start + 2) == fresh.vetoes(doc, start, start + 2), (text, start)


def test_overlap_gate_answers_as_the_searches():
    """unless patterns search a hit's lines only when they hold a first character of
    one of the patterns' anchors (``Veto._overlap_gates``, one a pattern): the same answers as
    searching every hit's lines, for the shipped rules' vetoes and hand-made ones,
    in documents too long to be idle (the gate is what answers there)."""
    rng = random.Random(23)
    pairs, pieces = _shipped_pairs(off=("_gate", "_overlap_gates"))
    for options, flags in HAND:
        pairs.append(_pair(options, flags, off=("_gate", "_overlap_gates")))
    spared = 0
    for _ in range(60):
        lines = ["".join(rng.choice(pieces if rng.random() < 0.2 else PIECES) for _ in range(rng.randint(0, 12)))
                 for _ in range(rng.randint(1, 30))]
        text = "\n".join(lines)
        doc = Document(text, path="t.txt")
        for gated, plain in pairs:
            for _ in range(8):
                start = rng.randrange(len(text) + 1)
                end = min(len(text), start + rng.randint(0, 8))
                assert gated.vetoes(doc, start, end) == plain.vetoes(doc, start, end), (text, start, end)
            if gated._doc is not None and gated._doc() is doc:  # the lines a gate spared
                spared += sum(1 for key, held in gated._cache.items() if len(key) == 3 and not held)
    assert spared > 500, spared

