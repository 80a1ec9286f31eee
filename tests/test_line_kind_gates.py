"""Fast paths of the structural and line kinds against their plain forms, on
generated text (session 10): each fast path must find what the plain scan finds."""
from __future__ import annotations

import copy
import random

import pytest
import regex

from dj_lint.checks import datecheck
from dj_lint.engine.linter import Context, Linter, shipped_rules
from dj_lint.text import multiscan
from dj_lint.text.document import Document


def _kind(linter, name):
    return [c for c in linter.checks if type(c).__name__ == name][0]

# Digits of every sort \d knows (ASCII, full-width, Arabic-Indic, one that only the
# regex module's newer Unicode tables call a digit), blanks, the date's own marks
# and what its lookbehind turns away.
_DATE_PIECES = (list("0123456789") * 3 + ["１", "２", "٣", "\U00010d41"]
                + [" ", "  ", "\t", "\n", "\u3000", "\xa0", "\x1c"]
                + ["月"] * 6 + ["日"] * 4 + ["年", ".", "/", "-", "党", "岁月", "月份"]
                + ["6月", "12 月", "5日", "31 日"] * 3)


def _date_text(rng, size):
    return "".join(rng.choice(_DATE_PIECES) for _ in range(size))


def test_month_days_before_each_yue_are_the_scans_matches(monkeypatch):
    rng = random.Random(17)
    found = 0
    for sparse in (1, datecheck._SPARSE_MONTHS):  # 1: never the flood's scan
        monkeypatch.setattr(datecheck, "_SPARSE_MONTHS", sparse)
        for _ in range(3000):
            text = _date_text(rng, rng.randint(0, 40))
            if rng.random() < 0.3:  # sparse 月 among long prose
                text = "党" * rng.randint(0, 200) + text + "党" * rng.randint(0, 200)
            want = [(m.span(), m.groupdict()) for m in datecheck._MD.finditer(text)]
            got = [(m.span(), m.groupdict()) for m in datecheck._month_days(text)]
            assert got == want, text
            found += len(want)
    assert found > 1000


def test_blanks_before_is_the_run_of_white_space():
    white = regex.compile(r"\s", datecheck._MD.flags)
    rng = random.Random(5)
    chars = [" ", "\t", "\n", "\u3000", "\x1c", "\x85", "a", "月", "1"]
    for _ in range(2000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 12)))
        lo = rng.randint(0, len(text))
        p = rng.randint(lo, len(text))
        q = p
        while q > lo and white.match(text[q - 1]):
            q -= 1
        assert datecheck._BLANKS_BEFORE.match(text, lo, p).span() == (q, p)


# -- elided_number: units after a preposition or verb from the shared pass ------

_ELIDED_PIECES = (["于", "从", "到", "至", "自", "截至", "截止", "在", "应到", "实到", "出席", "列席", "缺席",
                   "参会", "到会", "建党", "现在", "全文", "需要"] * 2
                  + ["年", "月", "日", "年月日", "月日", "年月", "人", "名", "字", "分钟", "小时", "周年",
                     "人民", "日常", "年底", "名单"] * 2
                  + ["，", "。", "\n", " ", "3", "十", "党支部", "会议", "召开", "材料", "学习"])


def _elided_text(rng):
    return "".join(rng.choice(_ELIDED_PIECES) for _ in range(rng.randint(0, 60)))


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")
def test_elided_units_from_the_shared_pass_are_the_loops_units():
    rules = shipped_rules()
    shared = _kind(Linter(rules, Context()), "ElidedNumberKind")
    plain = _kind(Linter(rules, Context(anchors=multiscan.AnchorIndex(enabled=False))), "ElidedNumberKind")
    shapes = {r.options["shape"] for r in shared.rules if r.id in shared._shared}
    assert shapes == {"date", "count"} and not plain._shared
    rng = random.Random(23)
    found = 0
    for _ in range(1500):
        text = _elided_text(rng)
        want = [(h.rule.id, h.start, h.end) for h in plain.check(Document(text))]
        assert [(h.rule.id, h.start, h.end) for h in shared.check(Document(text))] == want, text
        found += len(want)
    assert found > 500


def test_elided_prepositions_ending_with_a_unit_keep_the_loop():
    rules = [r for r in shipped_rules() if r.kind == "elided_number"]
    date = [r for r in rules if r.options["shape"] == "date"][0]
    odd = copy.deepcopy(date)
    odd.options["preps"] = list(odd.options["preps"]) + ["每年"]
    kind = _kind(Linter([odd], Context()), "ElidedNumberKind")
    assert odd.id not in kind._shared
