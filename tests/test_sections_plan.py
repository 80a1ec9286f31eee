"""SectionsKind looks up each rule's method once a run (``_plan``): the same hits,
in the same order, as the method looked up by name a rule a document."""
from __future__ import annotations

import os

from dj_lint.checks.sections import SectionsKind, _is_document
from dj_lint.doctypes import detect
from dj_lint.engine.linter import Linter, shipped_rules
from dj_lint.model.selectors import select_rules
from dj_lint.text.document import Document

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _plain_check(kind, doc):
    if not _is_document(doc):
        return
    detection = None
    for rule in kind.rules:
        need = rule.options["require"]
        if need == "title":
            yield from kind._title(doc, rule)
            continue
        if detection is None:
            detection = detect(doc, kind.ctx.doc_type)
        if detection.type is None:
            continue
        yield from getattr(kind, "_" + need.replace("-", "_"))(doc, rule, detection.type)


def test_each_rule_checked_by_its_own_method():
    ids = ["DJ601", "DJ602", "DJ603", "DJ604", "DJ605"]
    kinds = []
    for chosen in [[i] for i in ids] + [ids, ids[::-1]]:
        kinds += [c for c in Linter(select_rules(shipped_rules(), chosen, [])).checks if isinstance(c, SectionsKind)]
    assert len(kinds) == 7
    texts = []
    for name in sorted(os.listdir(os.path.join(ROOT, "seeds"))):
        with open(os.path.join(ROOT, "seeds", name), encoding="utf-8") as fh:
            texts.append(fh.read())
    # A 述职报告 with its sections out of order and a 落款 of one line, and one
    # without a 落款 or a title.
    body = ("一、存在的问题和不足\n" + "工作中还有差距，学习不够深入，调研不够扎实。" * 3 + "\n"
            "二、履职情况\n" + "认真履行职责，抓好基层党建工作。" * 4 + "\n"
            "三、主要工作\n" + "落实全面从严治党主体责任。" * 4 + "\n")
    texts += ["2026年度个人述职报告\n\n" + body + "\n某某县委办公室\n",
              "2026年度个人述职报告\n\n" + body,
              "认真学习。\n" + body]
    found = set()
    for text in texts:
        doc = Document(text, path="t.txt")
        for kind in kinds:
            got = [(h.start, h.end, h.rule.id, h.fields) for h in kind.check(doc)]
            assert got == [(h.start, h.end, h.rule.id, h.fields) for h in _plain_check(kind, doc)], text[:40]
            found.update(h[2] for h in got)
    assert found == set(ids), found


def _plain_find_sections(doctype, doc):
    """find_sections as it was: every top heading searched by every section's heading
    patterns (no gate characters), and again by _find for the section's first."""
    from dj_lint import doctypes
    sections = doctypes.applicable(doctype, doc)
    outline = doc.outline
    tops = [h for h in outline.headings if (h.level <= 2 if h.numbered else True)]
    claimed = {h.start for s in sections for h in tops if any(p.search(h.text) for p in s.headings)}
    return [doctypes._find(s, doc, outline, next((h for h in tops if any(p.search(h.text) for p in s.headings)),
                                                  None), claimed) for s in sections]


def test_sections_found_with_the_heading_gates_as_by_every_search():
    """A section's heading patterns search only the top headings holding one of its
    gate characters, each heading once: what every section finds, of every type, on
    generated documents of headings with the sections' words and others."""
    import random
    from dj_lint import doctypes
    rng = random.Random(3)
    words = ["存在的问题", "原因分析", "整改措施", "主要工作", "廉洁自律", "下一步打算", "会议概况", "议定事项",
             "基本情况", "对策建议", "指导思想", "主要任务", "实施步骤", "保障措施", "主要做法", "今后打算",
             "工作", "问题", "党建", "加强学习", "其他", "不足之处", "努力方向", "调研", "成效"]
    markers = ["一、", "二、", "（一）", "（二）", "1.", "## ", ""]
    gated = [s.heading_chars is not None for t in doctypes.load_types() for s in t.sections if s.headings]
    assert sum(gated) > len(gated) // 2  # most sections have a gate (履职情况's words need five characters)
    compared = 0
    for _ in range(300):
        lines = ["关于某某的" + rng.choice(words) + "报告", ""]
        for _ in range(rng.randint(0, 12)):
            lines.append(rng.choice(markers) + "".join(rng.choice(words) for _ in range(rng.randint(1, 3))))
            lines.append("正文" * rng.randint(1, 30) + "。")
        text = "\n".join(lines) + "\n"
        for doctype in doctypes.load_types():
            doc = Document(text)
            got = doctypes._find_sections(doctype, doc)
            assert got == _plain_find_sections(doctype, doc), text
            compared += sum(f.how == "heading" for f in got)
    assert compared > 500
