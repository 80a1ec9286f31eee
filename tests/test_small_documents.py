"""The per-document short cuts of the line and date kinds (session 9, many small
documents): each kind skips work where nothing can match, and finds exactly what
its plain path finds — compared here on generated text full of the shapes they
look for, with the shared anchor pass on and off."""
from __future__ import annotations

import copy
import datetime
import os
import random

import pytest

from dj_lint.engine.linter import Context, Linter, shipped_rules
from dj_lint.text import multiscan
from dj_lint.text.document import VISIBLE_LINE, Document

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AS_OF = datetime.date(2026, 12, 1)

# Shapes the kinds look for, written here, with line breaks in awkward places.
PIECES = [
    "二○一二年五月六日", "二零一二年", "二0一二年", "一九九八年", "二〇二六年十二月三十一日", "十月一日",
    "年五月", "二○○四年十一月二十六日\n", "\n二零零九年三月八日  \n", "\u3000二○一八年七月一日\u3000\n",
    "2023年", "2020年", "三十年", "一二三四年", "十二月", "月十日",
    "\n", "\n\n", "　", "  ", "\t", "。", "，", "：", ":", "、", "1、", "·", "-",
    "党课范文：", "工作总结.docx", "_第1页", "（全文2000字）", "作文", "范文",
    "社区党支部工作总结\n", "社区党支部\n工作总结\n", "学习制度\n",
]


def _seeds():
    out = []
    for d in ("seeds", "tests/clean"):
        for name in sorted(os.listdir(os.path.join(ROOT, d))):
            if name.endswith(".txt"):
                with open(os.path.join(ROOT, d, name), encoding="utf-8") as fh:
                    out.append(fh.read())
    return out


def generated(rng: random.Random, seeds) -> str:
    base = rng.choice(seeds)
    base = base[:rng.choice((60, 400, 2000, len(base)))]
    out, pos = [], 0
    while pos < len(base):
        step = rng.randint(3, 200)
        out.append(base[pos:pos + step])
        out.append("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 5))))
        pos += step
    if rng.random() < 0.5:  # a 落款 date at the end, in Chinese numerals
        out.append(rng.choice(PIECES[:10]) + rng.choice(("", "\n", "\n\n  ")))
    return "".join(out)


@pytest.fixture(scope="module")
def linters():
    rules = shipped_rules()
    shared = Linter(rules, Context(as_of=AS_OF))
    plain = Linter(rules, Context(as_of=AS_OF, anchors=multiscan.AnchorIndex(enabled=False)))
    return shared, plain


def _kind(linter, name):
    return [c for c in linter.checks if type(c).__name__ == name][0]


def _hits(kind, text):
    return [(h.rule.id, h.start, h.end, h.suggestion) for h in kind.check(Document(text))]


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")
def test_cndate_skips_documents_without_its_anchors_with_the_same_hits(linters):
    shared, plain = linters
    fast, slow = _kind(shared, "CnDateKind"), _kind(plain, "CnDateKind")
    assert all(handle is not None for _, _, handle, *_ in fast.plan)
    assert all(handle is None for _, _, handle, *_ in slow.plan)
    seeds = _seeds()
    rng = random.Random(9)
    found = 0
    for _ in range(300):
        text = generated(rng, seeds)
        want = _hits(slow, text)
        assert _hits(fast, text) == want, text
        found += len(want)
    assert found > 100


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")
def test_terms_in_a_traditional_text_found_by_the_automaton_as_by_the_regex(linters):
    """A document in traditional script is scanned again folded to simplified script:
    by the kind's automaton, with the hits the trie regex gives."""
    from dj_lint.checks.terms import fold_full_table
    shared, _ = linters
    terms = _kind(shared, "TermsKind")
    assert terms.automaton is not None and terms.folds
    plain = copy.copy(terms)
    plain.automaton, plain._first = None, None  # the regex, on the text and the folded text
    back = {}
    for trad, simp in fold_full_table().items():
        back.setdefault(ord(simp), trad)  # simplified -> a traditional form
    phrases = sorted(terms.lookup)
    seeds = _seeds()
    rng = random.Random(5)
    folded_hits = 0
    for _ in range(40):
        text = generated(rng, seeds) + "".join(
            rng.choice(phrases) + rng.choice(("", "，", "\n", "\udc80")) for _ in range(rng.randint(0, 40)))
        text = text.translate(back)
        want = _hits(plain, text)
        assert _hits(terms, text) == want
        folded_hits += sum(1 for _, s, e, _ in want if text[s:e] not in terms.lookup)
    assert folded_hits > 50


def test_hardwrap_bounds_decide_what_the_widths_decide():
    """_no_page (bounds: a line of n characters is n to 2n columns) stops a document
    exactly when the page found from every line's width would stop it."""
    from dj_lint.checks import hardwrap
    rng = random.Random(3)
    chars = ["党", "，", "Ａ", "a", "1", " ", "\u3000", "ｱ", "\udcff", "\U0001F600", "\U00020000", "·"]
    lengths = [0, 1, 7, 14, 15, 16, 19, 20, 21, 29, 30, 31, 39, 40, 41, 59, 60, 61, 64, 65, 66,
               119, 120, 121, 129, 130, 131, 250]
    stops = 0
    for _ in range(3000):
        pool = chars if rng.random() < 0.3 else chars[:9]  # with or without characters beyond the BMP
        weights = [rng.random() for _ in pool]
        # Mixed lines, and lines all wide or all narrow (at the very ends of their bounds).
        text = "\n".join("".join(rng.choices(pool, weights, k=rng.choice(lengths))) if rng.random() < 0.6
                         else rng.choice(("党", "a")) * rng.choice(lengths) for _ in range(rng.randint(3, 14)))
        low = rng.choice([10, 20, 30, 40])
        o = {"min_width": low, "max_width": rng.choice([low, 60, 120, 130]), "min_lines": rng.choice([1, 3, 5])}
        lines = [m.span() for m in VISIBLE_LINE.finditer(text)]
        sized = sorted(w for w in (hardwrap.display_width(text[s:e]) for s, e in lines) if w >= low)
        want = len(sized) < o["min_lines"] or sized[(3 * len(sized)) // 4] > o["max_width"]
        assert hardwrap._no_page(text, lines, o, hardwrap.learn_widths(text)) == want, (text, o)
        stops += want
    assert 300 < stops < 2700


def test_hardwrap_findings_with_and_without_the_bounds(monkeypatch):
    from dj_lint.checks import hardwrap
    (kind,) = [c for c in Linter(shipped_rules()).checks if isinstance(c, hardwrap.HardWrapKind)]
    seeds = _seeds()
    rng = random.Random(4)
    words = ["加强党的建设", "全面从严治党", "坚持", "学习", "，", "、", "2024", "年", "abc", " ", "\U00020000"]
    texts = []
    for _ in range(60):
        width = rng.choice([8, 15, 20, 30, 60])
        base = generated(rng, seeds) if rng.random() < 0.5 else "".join(
            rng.choice(words) for _ in range(rng.randint(20, 300)))
        # Hard-wrapped at about ``width`` characters, now and then a short line or a blank one.
        out, pos = [], 0
        while pos < len(base):
            step = max(1, width + rng.randint(-3, 3) if rng.random() < 0.8 else rng.randint(1, 200))
            out.append(base[pos:pos + step] + ("\n" if rng.random() < 0.1 else ""))
            pos += step
        texts.append("\n".join(out))
    found = 0
    for text in texts:
        got = [(h.start, h.end, h.rule.id, h.suggestion) for h in kind.check(Document(text, path="t.txt"))]
        with monkeypatch.context() as m:
            m.setattr(hardwrap, "_no_page", lambda *a: False)
            want = [(h.start, h.end, h.rule.id, h.suggestion) for h in kind.check(Document(text, path="t.txt"))]
        assert got == want
        found += len(want)
    assert found > 20


def _title_repeat_plain(kind, doc):
    """TitleRepeatKind as it was written before its short cuts (session 8): every line
    judged title-like, the prefix matched on every head line."""
    from dj_lint.checks.titlerepeat import _LINE
    from dj_lint.model.findings import Hit
    text = doc.text
    lines = [m.span(1) for m in _LINE.finditer(text) if m.start(1) >= 0]
    out = []
    for rule, strip, (prefix, _), veto in kind.plan:
        o = rule.options
        head, max_len, min_len = o.get("head_lines", 15), o.get("max_length", 80), o.get("min_length", 4)
        titled = [e - s <= max_len and text.find("。", s, e) < 0 for s, e in lines]
        head = min(head, next((i for i, ok in enumerate(titled) if not ok), len(titled)))
        norms = [kind._norm(text[s:e], strip) if ok else None for (s, e), ok in zip(lines[:head], titled)]
        keys = {n for n in norms if n and len(n) >= min_len}
        ends = {n[0] for n in keys} | {n[-1] for n in keys}
        for (s, e), ok in zip(lines[head:], titled[head:]):
            if not ok:
                norms.append(None)
            elif ends and not ends.isdisjoint(text[s:e]):
                norms.append(kind._norm(text[s:e], strip))
            else:
                norms.append("")
        seen, reported = {}, set()
        for i, n in enumerate(norms):
            if not n or len(n) < min_len:
                continue
            if n in seen:
                reported.add(i)
                continue
            if i < head:
                seen[n] = i
        for i, (s, e) in enumerate(lines[:head]):
            m = prefix.match(text, s, e) if i else None
            if norms[i] and m and i not in reported:
                bare = kind._norm(text[m.end():e], strip)
                if len(bare) >= min_len and bare in seen and seen[bare] != i:
                    reported.add(i)
        hits = []
        for i in range(len(lines) - 1):
            a, b = norms[i], norms[i + 1]
            if i in reported or not a or not b or len(a) < min_len:
                continue
            if seen.get(a + b, i) < i:
                hits.append(Hit(lines[i][0], lines[i + 1][1], rule))
        hits += [Hit(lines[i][0], lines[i][1], rule) for i in sorted(reported)]
        out += [h for h in hits if not (veto and veto.vetoes(doc, h.start, h.end))]
    return [(h.rule.id, h.start, h.end) for h in out]


TITLES = ["社区党支部2026年工作总结", "关于开展主题党日活动的实施方案", "机关支部学习制度", "自查报告"]


def test_title_repeat_finds_what_its_plain_form_finds(linters):
    shared, _ = linters
    kind = _kind(shared, "TitleRepeatKind")
    seeds = _seeds()
    rng = random.Random(11)
    found = 0
    for _ in range(400):
        title = rng.choice(TITLES)
        cut = rng.randint(1, len(title) - 1)
        heads = [title, title + rng.choice((".docx", ".doc_第1页", "_范文网", "（全文2000字）", "作文")),
                 rng.choice(("党课范文：", "总结:", "1、", "· ")) + title, title[:cut] + "\n" + title[cut:],
                 rng.choice(("上传人：略", "首页 > 党课", "", "  ", "第1页 / 共2页")), "正文第一句。" + title,
                 title + "。", title + "，" * 70]
        top = "\n".join(rng.choice(heads) for _ in range(rng.randint(0, 8)))
        # A short note now and then: a title and sentences only (nothing normalised).
        body = generated(rng, seeds) if rng.random() < 0.8 else "。\n".join(["正文第一句"] * rng.randint(1, 3)) + "。"
        text = top + "\n" + body + "\n" + "\n".join(rng.choice(heads) for _ in range(rng.randint(0, 3)))
        doc = Document(text)
        want = _title_repeat_plain(kind, doc)
        assert [(h.rule.id, h.start, h.end) for h in kind.check(doc)] == want, text
        found += len(want)
    assert found > 200


@pytest.mark.skipif(not multiscan.available(), reason="ahocorasick-rs not installed")
def test_spam_terms_gate_by_the_shared_pass_finds_the_same(linters):
    """spam_terms skips a document without any of its words: told by the shared
    anchor pass, or (without it) by the kind's own automaton; the same hits."""
    from dj_lint.checks import vocab
    shared, plain = linters
    fast, slow = _kind(shared, "SpamTermsKind"), _kind(plain, "SpamTermsKind")
    assert all(handle is not None and gate is None for _, _, handle, gate, _ in fast.plan)
    assert all(handle is None and gate is not None for _, _, handle, gate, _ in slow.plan)
    data = vocab.load(fast.plan[0][0].options["vocabulary"])
    words = data["always"] + data["marked"] + data["markers"]
    seeds = _seeds()
    rng = random.Random(12)
    found = 0
    for _ in range(200):
        text = generated(rng, seeds)
        if rng.random() < 0.6:
            at = rng.randint(0, len(text))
            glue = rng.choice(("", "ab12", "88", " ", "\n", rng.choice(words)))
            text = text[:at] + rng.choice(words) + glue + text[at:]
        want = _hits(slow, text)
        assert _hits(fast, text) == want, text
        found += len(want)
    assert found > 40


def _title_echo_plain(kind, doc):
    """TitleEchoKind as it was written before its literal gates (session 8)."""
    from dj_lint.checks.titleecho import _norm
    from dj_lint.model.findings import Hit
    found = doc.next_nonblank_lines(-1, 1)
    if not found:
        return []
    first, out = found[0], []
    for rule, pat, _ in kind.prepared:
        hit = None
        if rule.options["mode"] == "prefixed":
            line = doc.lines[first]
            m = pat.match(line.strip())
            title = _norm(line.strip()[m.end():]) if m else ""
            if len(title) >= 4:
                for idx in doc.next_nonblank_lines(first, rule.options.get("lookahead", 3)):
                    if _norm(doc.lines[idx]) == title:
                        hit = Hit(*kind._span(doc, first), rule)
                        break
        else:
            title = _norm(doc.lines[first])
            if len(title) >= 4:
                for idx in doc.last_nonblank_lines(rule.options.get("lookahead", 3), None, after=first):
                    m = pat.fullmatch(doc.lines[idx].strip())
                    if m and _norm(m.group("title")) == title:
                        hit = Hit(*kind._span(doc, idx), rule)
                        break
        if hit is not None:
            out.append((hit.rule.id, hit.start, hit.end))
    return out


def test_title_echo_finds_what_its_plain_form_finds(linters):
    shared, _ = linters
    kind = _kind(shared, "TitleEchoKind")
    assert all(literals for _, _, literals in kind.prepared)
    seeds = _seeds()
    rng = random.Random(13)
    found = 0
    for _ in range(400):
        title = rng.choice(TITLES + ["自查", "党课"])
        first = rng.choice((title, "事迹材料:" + title, "党课范文：" + title, "第一篇:" + title, "  " + title + " ",
                            "总结：", ""))
        echo = rng.choice(("[" + title + "]", "[ " + title + " ]", "【" + title + "】", title, "[短]", "[]"))
        body = generated(rng, seeds)[:rng.choice((0, 50, 300))]
        parts = [first] + rng.sample([title, " " + title, echo, "", "正文。"], 2) + [body] + \
            [rng.choice((echo, "", "  ")) for _ in range(rng.randint(0, 4))]
        doc = Document("\n".join(parts))
        want = _title_echo_plain(kind, doc)
        assert [(h.rule.id, h.start, h.end) for h in kind.check(doc)] == want, parts
        found += len(want)
    assert found > 40


def test_title_repeat_lines_are_the_visible_spans_without_other_white_space():
    """TitleRepeatKind takes the document's visible_spans whose edges are not regex's
    white space for the spans of its _LINE pattern: the same spans, on lines edged
    with every kind of space; and regex's \\s takes no character str.isspace() leaves."""
    import regex

    from dj_lint.checks import titlerepeat
    from dj_lint.checks.titlerepeat import _LINE
    ws = regex.compile(r"\s")
    assert not [c for c in map(chr, range(0x110000)) if ws.match(c) and not c.isspace()]
    rng = random.Random(14)
    edges = [" ", "\t", "\u3000", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u200b", "\u3000\xa0"]
    inner = ["党", "a", "，", " ", "\u3000", "\xa0", "\x1c"]
    linter = Linter(shipped_rules())
    (kind,) = [c for c in linter.checks if isinstance(c, titlerepeat.TitleRepeatKind)]
    for _ in range(3000):
        text = "\n".join(rng.choice(("", rng.choice(edges))) + "".join(rng.choices(inner, k=rng.randint(0, 5)))
                         + rng.choice(("", rng.choice(edges))) for _ in range(rng.randint(0, 6)))
        doc = Document(text)
        assert titlerepeat._lines(doc) == [m.span(1) for m in _LINE.finditer(text)], repr(text)
        list(kind.check(doc))  # the kind runs on such lines
