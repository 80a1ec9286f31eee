"""Per-document short cuts of the mid-sized kinds (session 15): title_repeat,
star_run, byteshift, broken_line and doubled_char skip work a cheap test in C
proves to find nothing. Each is compared here with the plain path it skips."""
from __future__ import annotations

import random

import pytest

from dj_lint.engine.linter import Linter, shipped_rules
from dj_lint.text.document import Document


@pytest.fixture(scope="module")
def linter():
    return Linter(shipped_rules())


def _kind(linter, name):
    return next(c for c in linter.checks if type(c).__name__ == name)


TITLE_PIECES = ["社区党支部工作总结", "学习制度", ".docx", ".DOC_第2页", ".pdf", "_范文网", "_第1页",
                "（全文2000字）", "(全文12字)", "作文", "范文", "1、", "12、", "、", "· ", "•\t", "- ", "-",
                "·", "：", ":", "。", " ", "　", "，", "全文", "作", "文", "_", ".", "(", "（", "a", "7"]


def test_title_repeat_norm_equals_every_pattern_applied(linter):
    """_norm skips its patterns on a line without a first character of their literals
    (_strips): the same as applying every pattern, then deleting the noise."""
    from dj_lint.checks.titlerepeat import _NOISE
    kind = _kind(linter, "TitleRepeatKind")
    (_, strip, _, _), = kind.plan
    gate, patterns = strip
    assert gate is not None  # the shipped rule's patterns all have literals

    def plain(line):
        for pat, _ in patterns:
            line = pat.sub("", line)
        return _NOISE.sub("", line)

    rng = random.Random(15)
    lines = ["".join(rng.choice(TITLE_PIECES) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    changed = 0
    for line in lines:
        assert kind._norm(line, strip) == plain(line), line
        changed += plain(line) != _NOISE.sub("", line)
    assert changed > 500  # lines a pattern shortens are among them


STAR_PIECES = ["**区**乡", "＊＊区＊＊乡", "反馈给***的", "反馈给＊＊＊的", "召开会议*次", "召开会议＊次",
               "****年*月**日", "＊＊＊＊年＊月＊＊日", "加**部队伍", "学*****重要思想", "书记＊", "“******”",
               "支部", "党员", "工作。", "\n", "，", " ", "a1", "为实现**生态"]


def _star_hits(kind, text):
    return [(h.start, h.end, h.rule.id, h.suggestion) for h in kind.check(Document(text, path="t.txt"))]


def test_star_run_page_gate_finds_what_the_rules_find(linter, monkeypatch):
    """check() returns at once on a page without any rule's star character: the
    same hits as with the gate open (a star character "" every page holds)."""
    kind = _kind(linter, "StarRunKind")
    assert set(kind.star_chars) == {ch for p in kind.prepared for ch in p["stars"]} == {"*", "＊"}
    rng = random.Random(16)
    texts = []
    for _ in range(300):
        pieces = rng.choices(STAR_PIECES, k=rng.randint(1, 12))
        text = "".join(pieces)
        texts.append(text.replace("*", "＊") if rng.random() < 0.3 else text)
    got = [_star_hits(kind, t) for t in texts]
    monkeypatch.setattr(kind, "star_chars", ("",))
    want = [_star_hits(kind, t) for t in texts]
    assert got == want
    # Pages with full-width stars only, and pages without stars, are among them.
    assert sum(bool(w) for t, w in zip(texts, want) if "*" not in t) > 20
    assert sum(1 for t in texts if "*" not in t and "＊" not in t) > 5


def _broken_plain(kind, doc):
    """BrokenLineKind._scan's pairs as they were judged before session 15 (the
    terminal test inside the last conjunction, after the blank-line count)."""
    text, lines, out = doc.text, doc.visible_spans, []
    for rule, headings, items, prose in kind.plan:
        o = rule.options
        page = kind.pages.get(rule.id)
        for i in range(len(lines) - 1):
            (l_first, l_last), (n_first, n_last) = lines[i], lines[i + 1]
            end_ch, start_ch = text[l_last - 1], text[n_first]
            if page is not None and end_ch.isalnum() and l_last - l_first >= o["page_min"]:
                m = page.match(text, n_first, n_last)
                if m is not None and m.end() < n_last:
                    out.append((l_last - 1, m.end() + 1))
                    continue
            if start_ch in o["line_start"]:
                broken = True
            elif end_ch in o["open_end"]:
                broken = items.match(text, *lines[i + 1]) is None
            elif text.count("\n", l_last, n_first) > 2:
                broken = False
            else:
                broken = (end_ch not in o["terminal"] and i > 0 and l_last - l_first >= o["min_length"]
                          and prose.search(text, l_first, l_last) is not None
                          and headings.match(text, *lines[i]) is None
                          and items.match(text, *lines[i + 1]) is None)
            if broken:
                out.append((l_last - 1, n_first + 1))
    return out


LINE_PIECES = ["组织生活会一般以支委会形式召开，也可结合民主评议党员一并进行", "工作。", "会议", "（", "）。",
               "一、学习内容", "首先，", "\n", "\n", "\n\n", "\n\n\n\n", "  ", "可随\n2、时召开", "，", "；",
               "第一页", "全体(", "扩大)会议", "联系人：张三"]


def test_broken_line_judges_pairs_as_before(linter):
    kind = _kind(linter, "BrokenLineKind")
    rng = random.Random(17)
    found = 0
    for _ in range(400):
        text = "".join(rng.choices(LINE_PIECES, k=rng.randint(2, 30)))
        doc = Document(text, path="t.txt")
        want = _broken_plain(kind, doc)
        assert [(h.start, h.end) for h in kind.check(doc)] == want, text
        found += len(want)
    assert found > 150


def _paired_plain(kind, doc, p):
    """ByteShiftKind._paired as it was before session 15: the balanced pairs
    blanked to their length, then every lone mark walked."""
    text, window = doc.text, p["window"]
    lone = text
    for opener, pat in p["balanced"]:
        if opener in lone:
            lone = pat.sub(lambda m: " " * (m.end() - m.start()), lone)
    for m in p["marks"].finditer(lone):
        j, ch = m.start(), m.group()
        ls, le = doc.line_span(j)
        if ch in p["close_of"]:
            hi = min(le, j + 1 + window)
            nxt = text.find(ch, j + 1, hi)
            yield from kind._lost(doc, p, p["close_of"][ch], j + 1, hi if nxt < 0 else nxt, j, None)
        else:
            lo = max(ls, j - window, text.rfind(ch, ls, j) + 1)
            yield from kind._lost(doc, p, p["open_of"][ch], lo, j, None, j)


def test_byteshift_paired_finds_what_blanking_every_pair_finds(linter):
    """_paired first deletes the balanced pairs in C and returns when no mark is
    left: the same hits as blanking them to their length and walking the marks."""
    kind = _kind(linter, "ByteShiftKind")
    p = kind.prepared[0]
    list(kind.check(Document("入寻351”", path="t.txt")))
    assert p["bigrams"] is not None
    marks = [a + b for a, b in p["close_of"].items()]
    rng = random.Random(18)
    # Words whose G stands for a lost opening or closing mark, of every pair.
    shifted = sorted(key for key, (_, mark, context) in p["bigrams"].items() if context in ("open", "close"))
    assert {mark for key in shifted for mark in [p["bigrams"].get(key)[1]]} == set(p["mark_chars"])
    words = rng.sample(shifted, 300) + ["入寻351", "学习", "支部", "。", "，", "\n", " ", "a"] * 30
    found = lone_free = 0
    for _ in range(1500):
        pieces = []
        for _ in range(rng.randint(1, 12)):
            r = rng.random()
            if r < 0.3:  # a balanced pair, perhaps around other marks
                a, b = rng.choice(marks)
                pieces.append(a + rng.choice(words + [rng.choice(marks)]) + b)
            elif r < 0.5:
                pieces.append(rng.choice("".join(marks)))
            else:
                pieces.append(rng.choice(words))
        doc = Document("".join(pieces), path="t.txt")
        want = [(h.start, h.end, h.suggestion) for h in _paired_plain(kind, doc, p)]
        assert [(h.start, h.end, h.suggestion) for h in kind._paired(doc, p)] == want, doc.text
        found += len(want)
        lone_free += not any(m in _paired_lone(doc.text, p) for m in p["mark_chars"])
    assert found > 100 and lone_free > 100


def _paired_lone(text, p):
    for opener, pat in p["balanced"]:
        if opener in text:
            text = pat.sub(lambda m: " " * (m.end() - m.start()), text)
    return text
