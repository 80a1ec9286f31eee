"""star_run: only the runs that can be kept are classified (checks/starrun.py
_Wanted), and the findings are those of classifying every run."""
import datetime as dt
import random

import pytest

from dj_lint.checks.starrun import StarRunKind
from dj_lint.engine import Context, Linter, select_rules, shipped_rules
from dj_lint.text.document import Document


def _kind():
    linter = Linter(select_rules(shipped_rules(), ["mask", "placeholder"]), Context(as_of=dt.date(2026, 11, 21)))
    (kind,) = [c for c in linter.checks if isinstance(c, StarRunKind)]
    return linter, kind


def _verdicts(kind, doc, spans):
    p = kind.prepared[0]
    placeholders = set()
    got = [kind._classify(doc, p, start, end, placeholders) for start, end in spans]
    return [v for v in got if v is not None]


def test_wanted_runs_give_the_verdicts_of_all_runs():
    _, kind = _kind()
    p = kind.prepared[0]
    assert p["wanted"] is not None
    rnd = random.Random(17)
    # Stars beside Han characters, digits (ASCII, full-width, circled), CJK and
    # ASCII punctuation, underscores, Latin letters, spaces and line breaks.
    alphabet = ["*", "*", "**", "***", "＊", "_", "__", "a", " ", "\n", "党", "员", "年", "次", "市",
                "书记", "2", "２", "②", "，", "。", "“", "”", "(", "的", "`", "支部"]
    checked = kept = 0
    for _ in range(400):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40)))
        if checked % 2:
            text += "\n" + "学习" * 400  # few stars for the length: the other way to scan
        doc = Document(text, path="t.md")
        if p["chain"].search(doc.text):
            continue  # a run split by a line break: every run is classified
        everything = _verdicts(kind, doc, [m.span() for m in p["run"].finditer(doc.text)])
        doc = Document(text, path="t.md")
        assert _verdicts(kind, doc, p["wanted"].spans(doc.text)) == everything, text
        checked += 1
        kept += len(everything)
    assert checked > 200 and kept > 100


def _star_findings(linter, kind, text):
    ids = {r.id for r in kind.rules}
    return [(f.line, f.column, f.end_line, f.end_column, f.rule, f.text)
            for f in linter.lint(Document(text, path="t.txt")) if f.rule in ids]


def test_flood_of_stars_and_underscores_keeps_the_runs_in_text():
    linter, kind = _kind()
    text = "_*_***_**__*****_" * 50 + "\n本月召开支部会议*次，“**”同志发言。\n" + "*_**" * 50
    assert _star_findings(linter, kind, text) == [
        (2, 9, 2, 10, "DJ206", "*"), (2, 13, 2, 15, "DJ206", "**")]


def test_runs_split_by_a_line_break_are_classified_whole():
    linter, kind = _kind()
    # One run over the break; such a chain makes every run of the text classified.
    text = "联系***\n**书记，\n“**”"
    assert _star_findings(linter, kind, text) == [
        (1, 3, 2, 3, "DJ206", "***\n**"), (3, 2, 3, 4, "DJ206", "**")]


def test_sparse_stars_give_the_spans_and_chains_of_the_scans():
    """Few stars are found one by one (_Wanted.star_positions): their runs and
    whether a line break stands between two stars are what the scans find."""
    _, kind = _kind()
    p = kind.prepared[0]
    wanted = p["wanted"]
    rnd = random.Random(23)
    alphabet = ["*", "**", "＊", "_", "a", " ", "\n", "党", "员", "年", "2", "２", "②", "，", "“", "(", "的", "支部"]
    filler = "学习贯彻，认真落实。\n"
    sparse = 0
    for _ in range(600):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        text = filler * rnd.randint(0, 30) + text + filler * rnd.randint(0, 30)
        stars = wanted.star_positions(text)
        if stars is None:
            continue
        sparse += 1
        assert stars == [k for k, ch in enumerate(text) if ch in "*＊"]
        assert wanted.chained(text, stars) == (p["chain"].search(text) is not None), text
        assert wanted.sparse_spans(text, stars) == wanted.spans(text), text
    assert sparse > 300


def _in_bold_plain(kind, doc, p, start):
    ls, le = doc.line_span(start)
    line, all_bold = kind._bold_line(doc, p, ls, le)
    return line[start - ls] == " " or all_bold


def test_a_run_not_of_two_stars_is_in_bold_only_by_its_line():
    """``_in_bold`` turns away a run whose stars are not exactly ``**`` in a text
    without a backtick, without its line: the answers of reading the line, on
    Markdown bold, code spans, runs of one to four stars of both kinds, and runs
    split by a line break; and whether a character is Han, from the memo."""
    from dj_lint.checks import starrun

    _, kind = _kind()
    rnd = random.Random(29)
    pieces = ["*", "**", "***", "＊", "*＊", "**加粗**", "党", "员", "区", "乡", "`", "`代码*`", " ", "\n", "，", "a"]
    # Lines without a backtick, often all bold.
    lines = ["**加粗**党", "区**加粗**", "**加粗**，**加粗**", "*区", "***党", "党＊", "**区**乡", "**", "*＊"]
    asked = bold = fast = plain_bold = 0
    for k in range(600):
        text = "\n".join(rnd.choice(lines) for _ in range(rnd.randint(1, 6))) if k % 2 else \
            "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 30)))
        doc = Document(text, path="t.txt" if k % 4 < 2 else "t.md")
        for p in kind.prepared:
            for m in p["run"].finditer(doc.text):
                got = kind._in_bold(doc, p, m.start(), m.end())
                assert got == _in_bold_plain(kind, doc, p, m.start()), text
                asked += 1
                bold += got
                fast += "`" not in text and doc.text[m.start():m.end()] != "**"
                plain_bold += got and "`" not in text
    assert asked > 2000 and bold > 500 and fast > 500 and plain_bold > 300, (asked, bold, fast, plain_bold)
    for ch in ["", "党", "a", "*", "\U00020000", "。"]:
        assert starrun._is_han(ch) == (bool(ch) and bool(starrun._HAN.match(ch)))


def _fit_plain(kind, doc, p, start, end):
    """``_fit`` as it was written first: both edges of the run looked at before the
    fills are known (the reference of the lazy edges)."""
    from dj_lint.text import lexicon

    text = doc.text
    if "\n" in text[start:end]:
        return None
    n = end - start
    left, right = text[max(0, start - 30):start], text[end:end + 30]
    free_left = kind._free_edge(doc, p, start, True)
    free_right = kind._free_edge(doc, p, end, False)
    whole = {(f, t) for f, t in lexicon.straddling_fills(left, n, right)
             if (free_left or not t.startswith(f)) and (free_right or not t.endswith(f))}
    if whole:
        fills = {f for f, _ in whole}
        term = max((t for _, t in whole), key=len)
        (fill,) = fills if len(fills) == 1 else (None,)
        if fill is not None:
            for i in range(len(term) - n + 1):
                if term[i:i + n] == fill and text[start - i:start] == term[:i] \
                        and text[end:end + len(term) - i - n] == term[i + n:]:
                    return start - i, start - i + len(term), term
        return start, end, None
    for k in range(1, n):
        if lexicon.straddling_fills(left, k, "") or lexicon.straddling_fills("", k, right):
            return start, end, None
    return None


def test_fit_looks_at_an_edge_only_when_a_fill_asks():
    """``_fit`` looks at the text beside the run (``_free_edge``, a jieba cut) only
    for a fill that starts or ends the term: the same answers as looking at both
    edges first, on Party terms with part of them starred, inside whole words,
    pieces of words and punctuation."""
    from dj_lint.text import lexicon

    _, kind = _kind()
    p = kind.prepared[0]
    rnd = random.Random(31)
    terms = sorted(t for t in lexicon.party_terms() if 3 <= len(t) <= 12)
    beside = ["", "加", "的", "市", "，", "。", "学习", "支部", "坚持", "特大", "我们", "\n", "“"]
    asked = fitted = edged = 0
    for _ in range(1500):
        term = rnd.choice(terms)
        a = rnd.randrange(len(term))
        b = rnd.randint(a + 1, min(len(term), a + 4))
        text = rnd.choice(beside) + term[:a] + "*" * (b - a) + term[b:] + rnd.choice(beside)
        doc = Document(text, path="t.txt")
        start = text.index("*")
        end = start + b - a
        got = kind._fit(doc, p, start, end)
        assert got == _fit_plain(kind, doc, p, start, end), text
        asked += 1
        fitted += got is not None and got[2] is not None
        edged += bool(lexicon.straddling_fills(text[max(0, start - 30):start], end - start, text[end:end + 30]))
    assert asked == 1500 and fitted > 300 and edged > 500, (fitted, edged)


def test_each_rule_reports_the_runs_of_its_role_unless_vetoed():
    """The runs are classified once and each rule reports those of its own role,
    in order, with its hint, through its own veto (本文来自… covers the run of line 2)."""
    linter, kind = _kind()
    assert sorted((r.id, r.options["role"]) for r in kind.rules) == [("DJ206", "placeholder"), ("DJ251", "mask")]
    text = "召开会议*次，加**部队伍，学*****重要思想。\n本文来自支部召开会议*次\n深入学习**平新时代中国特色社会主义思想\n“**”同志\n"
    got = [(f.line, f.column, f.rule, f.text, f.suggestion, f.message)
           for f in linter.lint(Document(text, path="t.txt")) if f.rule in ("DJ206", "DJ251")]
    term = "习近平新时代中国特色社会主义思想"
    assert got == [
        (1, 5, "DJ206", "*", None, "“*”是被星号替代的名称，请填写实际名称"),
        (1, 9, "DJ251", "**", None, "“**”中有文字被网站屏蔽为星号，请核对原文补全"),
        (1, 16, "DJ251", "*****", None, "“*****”中有文字被网站屏蔽为星号，请核对原文补全"),
        (3, 5, "DJ251", "**" + term[2:], term, f"“**{term[2:]}”中有文字被网站屏蔽为星号，可能是“{term}”，请核对原文补全"),
        (4, 2, "DJ206", "**", None, "“**”是被星号替代的名称，请填写实际名称")]


def _bold_line_plain(p, line):
    """_bold_line's answer from the runs regex finds along the line, on every line."""
    from dj_lint.checks import starrun

    line = starrun._CODE.sub(lambda m: " " * len(m.group()), line) if "`" in line else line
    runs = [m.span() for m in starrun._RUN.finditer(line)]
    if not runs or len(runs) % 2 or any(line[a:b] != "**" for a, b in runs):
        return line, False
    covered = {a for s, e in (m.span() for m in p["bold"].finditer(line)) for a in (s, e - 2)}
    return line, all(a in covered for a, _ in runs)


def test_bold_line_turned_away_by_its_stars_as_by_its_runs():
    """_bold_line turns away a line holding a ＊, a count of * that is no multiple of
    four or three * in a row before ``regex`` finds its runs: the answers of the
    runs found on every line, on lines of runs of one to four stars of both
    kinds, bold text and code spans."""
    _, kind = _kind()
    p = kind.prepared[0]
    rnd = random.Random(31)
    pieces = ["*", "**", "***", "****", "＊", "＊＊", "**加粗**", "**区**乡", "党", "员", " ", "`", "`代码*`",
              "`**`", "，", "a"]
    bold = 0
    for _ in range(3000):
        line = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 10)))
        doc = Document(line, path="t.txt")
        want = _bold_line_plain(p, doc.text)
        assert kind._bold_line(doc, p, 0, len(doc.text)) == want, line
        bold += want[1]
    assert bold > 30  # lines all bold are among them


@pytest.mark.parametrize("counted_from", [1 << 16, 100])
def test_star_positions_stop_at_the_first_star_too_many(monkeypatch, counted_from):
    """star_positions finds the stars one by one and gives up at the first one more
    than a text of its length may hold (one in SPARSE characters), or counts them
    first in a long text: None exactly where the stars' count says so, on texts of
    both star characters around that density, empty ones and short ones."""
    from dj_lint.checks import starrun

    monkeypatch.setattr(starrun, "COUNTED_FROM", counted_from)
    _, kind = _kind()
    wanted = kind.prepared[0]["wanted"]
    rnd = random.Random(37)
    dense = 0
    for _ in range(2000):
        size = rnd.choice([0, 1, 5, 63, 64, 65, 128, 300, 1000])
        stars = rnd.randint(0, max(1, 2 * size // starrun.SPARSE + 1))
        chars = ["党"] * max(0, size - stars) + [rnd.choice("*＊") for _ in range(min(stars, size))]
        rnd.shuffle(chars)
        text = "".join(chars)
        count = text.count("*") + text.count("＊")
        got = wanted.star_positions(text)
        if count * starrun.SPARSE > len(text):
            assert got is None, text
            dense += 1
        else:
            assert got == [k for k, ch in enumerate(text) if ch in "*＊"], text
    assert 300 < dense < 1700
