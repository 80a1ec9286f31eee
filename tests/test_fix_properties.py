"""Property tests of --fix: for any text, a fix changes only the spans it reports
(whole flagged lines for delete-line), keeps every other character and line break,
and fix(fix(x)) == fix(x).

The rules are a small pack written here (every action, both safeties, fixes that
overlap and fixes that reveal others) plus every shipped rule that declares a fix;
the generated texts are lines built from fragments those rules match and from
their bad examples, ended by line breaks of all three styles.
"""
import datetime as dt

import regex
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dj_lint.text.document import Document
from dj_lint.engine import Context, Linter, shipped_rules
from dj_lint.app.fix import fix_document
from dj_lint.packs.loader import parse_rule

PACK = r"""
- id: DJ391
  name: p-watermark-line
  category: watermark
  severity: error
  kind: pattern
  pattern: '本文来自\S*'
  message: 删除网站水印行
  fix: {action: delete-line}
  examples: {bad: [{text: 本文来自某网, match: 本文来自某网}], good: [正文]}
- id: DJ392
  name: p-inline-watermark
  category: watermark
  severity: error
  kind: pattern
  pattern: '（本资料权属[^）\n]*）'
  message: 删除插入正文的水印
  fix: {action: delete}
  examples: {bad: [{text: 甲（本资料权属某网）乙, match: （本资料权属某网）}], good: [正文]}
- id: DJ791
  name: p-typo
  category: typo
  severity: warning
  kind: terms
  terms: [{座落: 坐落}, {座落于: 位于}]
  message: 错别字
  fix: {action: replace}
  examples: {bad: [{text: 座落, match: 座落}], good: [坐落]}
- id: DJ792
  name: p-doubled
  category: typo
  severity: warning
  kind: pattern
  pattern: '(\p{Han})\1'
  suggestion: '\1'
  message: 字重复
  fix: {action: replace, safety: unsafe}
  examples: {bad: [{text: 甲甲, match: 甲甲}], good: [甲乙]}
- id: DJ891
  name: p-comma
  category: punctuation
  severity: warning
  kind: pattern
  pattern: '(?<=\p{Han}),(?=\p{Han})'
  suggestion: '，'
  message: 全角逗号
  fix: {action: replace}
  examples: {bad: [{text: '甲,乙', match: ','}], good: ['甲，乙']}
- id: DJ892
  name: p-break
  category: punctuation
  severity: info
  kind: pattern
  pattern: '〔断行〕'
  suggestion: "\n"
  message: 断行
  fix: {action: replace}
  examples: {bad: [{text: 甲〔断行〕乙, match: 〔断行〕}], good: [正文]}
- id: DJ893
  name: p-no-suggestion
  category: punctuation
  severity: info
  kind: pattern
  pattern: '某某'
  message: 人工确认
  fix: {action: replace}
  examples: {bad: [{text: 某某, match: 某某}], good: [正文]}
"""
OWN = [parse_rule(item, "property-pack") for item in yaml.safe_load(PACK)]
SHIPPED_FIXES = [r for r in shipped_rules() if r.fix and r.id not in {o.id for o in OWN}]
RULES = OWN + SHIPPED_FIXES
LINTER = Linter(RULES, Context(as_of=dt.date(2026, 11, 21)))
BY_ID = {r.id: r for r in RULES}

INLINE = [
    "座落", "座", "落", "于", "本文来自", "（本资料权属", "）", ",", "，", "甲", "乙", "党", "30 %",
    " ", "　", "〔断行〕", "某某", "\udc80", "。",
]
EXAMPLES = sorted({b["text"] for r in SHIPPED_FIXES for b in r.examples["bad"]})
LINES = st.one_of(
    st.lists(st.sampled_from(INLINE), max_size=6).map("".join),
    st.sampled_from(["", "", "本文来自某网", "　", "（本资料权属某网）"]),
    st.sampled_from(EXAMPLES or [""]),
)
# Lines with every terminator style (mixed within a file too), the last one optional.
TEXTS = st.builds(
    lambda lines, last: "".join(l + nl for l, nl in lines) + last,
    st.lists(st.tuples(LINES, st.sampled_from(["\n", "\n", "\r\n", "\r"])), max_size=8),
    LINES,
)
NEWLINE = regex.compile(r"\r\n|\r|\n")


def _check_round(rnd, after, unsafe):
    """``after`` is ``rnd.doc`` with exactly ``rnd.edits`` applied, and each edit is
    the fix of a reported finding."""
    before = rnd.doc
    out, pos, prev = after.original, 0, 0
    newline = before.newline or "\n"
    for e in rnd.edits:
        s, t = before.original_offset(e.start), before.original_offset(e.end)
        keep = before.original[prev:s]
        assert out[pos:pos + len(keep)] == keep
        pos += len(keep)
        width = len(e.replacement) + e.replacement.count("\n") * (len(newline) - 1)
        assert NEWLINE.sub("\n", out[pos:pos + width]) == e.replacement
        pos, prev = pos + width, t
        _check_traced(e, before, rnd.findings, unsafe)
    assert out[pos:] == before.original[prev:]


def _check_traced(edit, doc, findings, unsafe):
    fixes = [f for f in findings if f.fixable and (unsafe or BY_ID[f.rule].fix.get("safety") != "unsafe")]
    if BY_ID[edit.rule].fix["action"] != "delete-line":
        assert any((f.rule, f.start, f.end) == (edit.rule, edit.start, edit.end)
                   and (f.suggestion if BY_ID[f.rule].fix["action"] == "replace" else "") == edit.replacement
                   for f in fixes), edit
        return
    # A deleted block holds only flagged lines and blank lines.
    assert edit.replacement == ""
    flagged = [f for f in fixes if BY_ID[f.rule].fix["action"] == "delete-line"]
    pos = edit.start
    while pos < edit.end:
        ls, le = doc.line_span(pos)
        # Only the characters of the line that the edit removes (a block may start
        # at the line break ending the line before it).
        if doc.text[max(ls, edit.start):min(le, edit.end)].strip():
            assert ls >= edit.start and any(f.start <= le and f.end >= ls for f in flagged), \
                doc.text[ls:le]
        pos = le + 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.booleans())
def test_fix_changes_only_reported_spans_and_is_idempotent(text, unsafe):
    result = fix_document(Document(text, path="p.txt"), LINTER, unsafe=unsafe)
    assert result.converged, result.notes
    docs = [r.doc for r in result.rounds] + [result.doc]
    for rnd, after in zip(result.rounds, docs[1:]):
        _check_round(rnd, after, unsafe)
    again = fix_document(result.doc, LINTER, unsafe=unsafe)
    assert again.doc.original == result.doc.original
    assert again.rounds == []


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_safe_fixes_never_apply_unsafe_rules(text):
    result = fix_document(Document(text, path="p.txt"), LINTER, unsafe=False)
    for rnd in result.rounds:
        for e in rnd.edits:
            assert BY_ID[e.rule].fix.get("safety", "safe") == "safe"
