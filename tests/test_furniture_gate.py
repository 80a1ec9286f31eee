"""furniture_line's shape gate (checks/furniture.py _ShapeGate.line_masks): a
shape is tried only on the lines holding one of its anchors. One-character
anchors are looked for once per line, or with the others in one pass over a
short text (by an NFA, then a DFA); the masks are those of every occurrence
of every anchor, and a line of thousands of brackets changes no finding."""
import bisect
import datetime as dt
import random

from dj_lint.engine import Context, Linter, shipped_rules
from dj_lint.text import multiscan
from dj_lint.text.document import Document


def _linter():
    return Linter([r for r in shipped_rules() if r.id == "DJ325"], Context(as_of=dt.date(2026, 12, 1)))


def _gate(linter):
    (kind,) = [c for c in linter.checks if type(c).__name__ == "FurnitureLineKind"]
    return kind.plan[0][1].gate


def _reference(gate, text, starts, lines):
    """Every occurrence of every anchor, each marking the line it lies in."""
    out = [gate.always] * len(lines)
    anchors = [(lit, mask) for lit, mask in gate.singles] + list(zip(gate.literals, gate.masks))
    for lit, mask in anchors:
        at = text.find(lit)
        while at >= 0:
            i = bisect.bisect_right(starts, at) - 1
            if i >= 0 and at + len(lit) <= lines[i][1]:
                out[i] |= mask
            at = text.find(lit, at + 1)
    return out


def test_gate_masks_are_those_of_every_anchor_occurrence(monkeypatch):
    from dj_lint.checks import furniture
    gate = _gate(_linter())
    assert gate.singles and gate.literals
    # Characters beyond U+FFFF and lone surrogates shift the automaton's UTF-16 offsets;
    # a literal's code units may also stand across characters (not an occurrence).
    across = [("\x00" + lit + "\x00").encode("utf-16-le")[1:-1].decode("utf-16-le", "replace")
              for lit in gate.literals[:20]]
    assert not any(lit in text for text in across for lit in gate.literals)
    pieces = [lit for lit, _ in gate.singles] + gate.literals[:20] + ["党", "学习", " ", "\n", "(" * 50, "\n\n",
                                                                     "\U00020000", "\udc80"] + across
    rng = random.Random(3)
    for round in range(600):
        if round == 150:  # the one-pass automaton as a DFA from here on
            monkeypatch.setattr(furniture, "_DFA_AFTER", 0)
        if round == 300:  # the rest in pieces of a few lines (multiscan.line_pieces), as a long text
            monkeypatch.setattr(multiscan, "_PIECE", 5)
        # Every other text scanned in one pass for all anchors, the others as a long text is.
        monkeypatch.setattr(furniture, "_ONE_PASS", -1 if round % 2 else 1 << 13)
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        spans, pos = [], 0
        for line in text.split("\n"):
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        lines = [span for k, span in enumerate(spans) if k % 3 != 1]  # some lines left out
        starts = [s for s, _ in lines]
        assert gate.line_masks(text, starts, lines) == _reference(gate, text, starts, lines), repr(text)
    assert gate._one_pass.dfa


def test_site_furniture_found_around_lines_of_brackets():
    text = ("当前位置：首页 > 支部风采 > 学习心得\n" + "(" * 5000 + "\n" + "党员学习心得(第2页)\n第2页 / 共5页\n"
            + ">>" * 3000 + "\n本支部认真组织学习，党员们纷纷表示要学以致用。\n")
    got = [(f.line, f.column, f.end_line, f.end_column, f.text) for f in _linter().lint(Document(text, path="t.txt"))]
    assert got == [(1, 1, 1, 22, "当前位置：首页 > 支部风采 > 学习心得"), (4, 1, 4, 10, "第2页 / 共5页")]


def test_white_is_what_regex_reads_as_blank():
    import regex
    from dj_lint.checks import furniture
    assert furniture._WHITE == frozenset(c for c in map(chr, range(0x110000)) if regex.match(r"\s", c))


def _plain_chrome(body, v):
    """_chrome as it was: every body split into tokens."""
    from dj_lint.checks import furniture
    tokens = [t for t in furniture._TOKENS.split(body) if t]
    if not tokens or not any(t.rstrip(":：") in v.chrome_words for t in tokens):
        return False
    return all(t.rstrip(":：") in v.chrome_words or v.chrome_shape.fullmatch(t) for t in tokens)


class _Everything:
    def __contains__(self, ch):
        return True


def _plain_judge(self, text, s, e, i, n, v, weight, pending_value, mask=-1):
    """_judge as it was: the bullet tried on every line, the body copied first."""
    from dj_lint.checks import furniture
    bullet = furniture._BULLET.match(text, s, e)
    body = text[bullet.end() if bullet else s:e]
    if weight >= v.threshold:
        return "notice", False
    if len(body) > v.line_max:
        return None, False
    for reason, pat in v.shapes:
        if mask & 1 and pat.fullmatch(body):
            return reason, False
        mask >>= 1
    if i < v.top or i >= n - v.bottom:
        for reason, pat in v.edge:
            if mask & 1 and pat.fullmatch(body):
                return reason, False
            mask >>= 1
    if len(body) <= v.chrome_max and _plain_chrome(body, v):
        return "chrome", False
    keys = list(v.meta.finditer(body))  # _meta without its colon test
    if keys:
        meta, empty_key = self._meta(body, v)
        if meta:
            return "meta", empty_key
    if pending_value and len(body) <= 60 and not furniture._SENTENCE_END.search(body):
        return "meta", False
    return None, False


def test_findings_equal_those_of_the_plain_scans(monkeypatch):
    """The notice words from the shared anchor pass (none looked for in a text
    where it found none), the lines read from doc.lines (or the regex, for short
    lines on average), the shape masks of the short and bulleted lines only, long
    lines without a notice
    or a bullet not judged, the bullet tried after its character only, a body
    without separators not split for chrome words, metadata looked for only with
    a colon, only the shapes of a mask's set bits tried: the same findings as
    the regex's lines, masks of every line and the former _judge, on generated
    pages; and the same spans as the regex for every line with odd blanks."""
    import regex
    from dj_lint.checks import furniture
    kind = [c for c in _linter().checks if type(c).__name__ == "FurnitureLineKind"][0]
    assert kind._notice_first[0] is not None  # the notice words come from the shared pass
    monkeypatch.setattr(furniture, "_JOINED_LINES", 3)  # short lines joined a few at a time
    rng = random.Random(9)
    pieces = ["当前位置：首页 > 支部风采", "发布时间：2024-05-01", "来源：", "作者：张三", "大小：2MB", "收藏", "分享：",
              "打印", "| ", "• ", "- ", "* ", "第2页 / 共5页", "下载", "版权所有", "本文来源于网络", "学习心得.doc",
              "本站", "本网站", "本文档由用户上传", "网友上传", "侵权请联系删除", "免费下载",
              "党员", "认真学习，", "。", "：", " ", "\u3000", "\t", "\xa0", "\x1c", "\u2028", "摄影：李四", "12",
              "\n", "\n", "\n", "支部" * 30, "\n•" + "\u3000" * 95, "\n-" + " " * 95,
              # a line of each shape and edge shape, tried in order (_judge's masks)
              "\n首页 > 新闻 > 要闻\n", "\n图1.jpg\n", "\n2024-05-01 12:30 阅读\n", "\n（精选5篇）党员心得\n",
              "\n记者 张三 摄\n", "\n下一篇：党员心得\n", "\n阅读全文\n", "\n下载附件（12.3KB）\n",
              "\n客服电话：400-123-4567\n", "\n36\n", "\n党建网首页\n", "\n党员心得范文3\n"]
    plain_lines = lambda doc: [m.span(1) for m in furniture._LINE.finditer(doc.text) if m.start(1) >= 0]  # noqa: E731
    found = 0
    for round_ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        if round_ % 5 == 0:
            text = "\n" * 40 + text  # short lines on average: the regex path
        doc = Document(text, path="t.txt")
        lines = furniture.FurnitureLineKind.line_spans(doc)
        assert lines == plain_lines(doc), repr(text)
        v = kind.plan[0][1]
        assert kind._shared_notice_words(doc.text, v, kind._notice_first[0]) == [
            (v.notice_words[k], s, e) for k, s, e in v.notice_ac.find_in(doc.text, False)], repr(text)
        every = v.gate.line_masks(doc.text, [s for s, _ in lines], lines)
        for (s, e), mask, plain in zip(lines, v.gate.masks_within(doc.text, lines, v.line_max), every):
            long_line = e - s > v.line_max and doc.text[s] not in "•·●▪◆■-*"
            assert mask == (-1 if long_line else plain), repr(text)
        got = [(h.start, h.end, h.fields["reason"]) for h in kind.check(Document(text, path="t.txt"))]
        with monkeypatch.context() as m:
            m.setattr(furniture.FurnitureLineKind, "line_spans", staticmethod(plain_lines))
            m.setattr(kind, "_notice_first", [None] * len(kind.plan))  # the words' own automaton
            m.setattr(kind, "_notice_handles", [None] * len(kind.plan))  # the words looked for in every text
            m.setattr(furniture._ShapeGate, "masks_within",
                      lambda self, text, lines, width: self.line_masks(text, [s for s, _ in lines], lines))
            m.setattr(furniture.FurnitureLineKind, "_judge", _plain_judge)
            m.setattr(furniture, "_BULLET_FIRST", _Everything())  # every line goes to _judge
            want = [(h.start, h.end, h.fields["reason"]) for h in kind.check(Document(text, path="t.txt"))]
        assert got == want, repr(text)
        found += len(got)
    assert found > 150


def test_veto_gate_changes_no_finding(monkeypatch):
    """unless_line patterns search only a line holding a first character of one of
    their anchors (checks/base.py _line_gate, in Veto): the same furniture findings
    as searching every hit's line, on generated pages whose furniture lines are
    vetoed, or nearly."""
    from dj_lint.checks import base
    kind = [c for c in _linter().checks if type(c).__name__ == "FurnitureLineKind"][0]
    vetoes = [veto for _, _, veto in kind.plan if veto]
    assert vetoes and base._line_gate(vetoes[0].line) is not None
    rng = random.Random(17)
    heads = ["篇一", "篇三：", "第二篇", "【篇五】", "范文1：", "范文二:", "上一篇：", "下一页:", "上一篇", "第2页",
             "发布时间：2024-05-01 来源：本站", "更新日期:2023-1-2 12:30 作者：", "发表时间：2024-05-01", ""]
    tails = ["第2页 / 共5页", "发布时间：2024-05-01", "来源：本站", "收藏 分享 打印", "学习心得.doc", "免费下载",
             "本文档由用户上传", "当前位置：首页 > 支部风采", "党员认真学习。", "作者：张三", "12"]
    blanks = ["", " ", "\u3000", "\t", "  "]
    vetoed = found = 0
    for _ in range(400):
        lines = []
        for _ in range(rng.randint(1, 12)):
            lines.append(rng.choice(blanks) + rng.choice(heads) + rng.choice(blanks[:2]) + rng.choice(tails)
                         + rng.choice(blanks))
        text = "\n".join(lines) + rng.choice(["", "\n"])
        got = [(h.start, h.end, h.fields["reason"]) for h in kind.check(Document(text, path="t.txt"))]
        with monkeypatch.context() as m:
            for veto in vetoes:
                m.setattr(veto, "_line_gate", None)
            want = [(h.start, h.end, h.fields["reason"]) for h in kind.check(Document(text, path="t.txt"))]
        with monkeypatch.context() as m:
            m.setattr(kind, "plan", [(r, v, None) for r, v, _ in kind.plan])
            vetoed += len(list(kind.check(Document(text, path="t.txt")))) - len(want)
        assert got == want, repr(text)
        found += len(got)
    assert found > 500 and vetoed > 200, (found, vetoed)


def test_veto_gate_refused_for_what_it_cannot_model():
    """No gate when an unless_line anchor may lie outside the searched line (a
    lookaround, a match over a line break) or when case is ignored. (unless
    patterns no longer matter: the gate spares only the line patterns' searches.)"""
    import regex
    from dj_lint.checks import base
    from dj_lint.text import pattern_cache

    def gate(*line):
        return base._line_gate([pattern_cache.compile(p, f | regex.MULTILINE) for p, f in line])

    assert gate((r"^[ \t　]*上一篇[:：]", 0)) is not None
    assert gate((r"(?<=目录\n)第一", 0)) is None
    assert gate((r"^上一篇(?=[:：])", 0)) is None
    assert gate((r"上一篇\n下一篇", 0)) is None
    assert gate((r"^next page", regex.IGNORECASE)) is None
    assert gate((r"^上一篇", 0), (r"^.*", 0)) is None
    assert gate((r"^.*", 0)) is None


def test_shape_bounds_hold_for_every_line_a_shape_matches():
    """_judge tries a shape only on a line no longer than the shape's widest whole
    match and starting with a character its first class takes (regex_anchors.
    line_bounds): every line a shape matches whole passes both, the lines as long
    as a bound allows among them (a 12-character counter, a 10-character 首页 label)."""
    kind = [c for c in _linter().checks if type(c).__name__ == "FurnitureLineKind"][0]
    v = kind.plan[0][1]
    gate = v.gate
    shapes = v.shapes + v.edge
    bounded = {reason for (reason, _), w in zip(shapes, gate.widths) if w is not None}
    assert {"counter", "chrome"} <= bounded and gate._firsts  # the bounds this test is about
    lines = ["1 2 3 4 5 67", "1 2 3 4 5 678", "12", "36", "首页一二三四五六七八", "首页一二三四五六七八九",
             "党建网首页", "支部新闻：", "站内搜索", "2024-05-01 12:30 阅读", "（精选5篇）党员心得", "党员心得范文3",
             "党员心得8篇", "心得篇8", "下一篇：党员心得", "首页 > 新闻 > 要闻", "当前位置：首页", "图1.jpg",
             "记者 张三 摄", "阅读全文", "下载附件（12.3KB）", "客服电话：400-123-4567", "第2页 / 共5页", "",
             "学习心得.doc", "【4篇】", "篇一：党员心得", "第三篇：学习", "\u3000 12", "一二三"]
    with open(__file__, encoding="utf-8") as fh:  # and every piece of text in this file, cut to lines
        lines += [line.strip() for line in fh.read().split("\n")]
    matched = set()
    for body in lines:
        if len(body) > v.line_max:
            continue
        allowed = v.fits[len(body)] & gate.first_mask(body[:1])
        for k, (reason, pat) in enumerate(shapes):
            if pat.fullmatch(body):
                matched.add((k, len(body) == gate.widths[k]))
                assert allowed >> k & 1, (reason, body)
        assert gate.first_of[body[:1]] == gate.first_mask(body[:1])
    widest = {k for k, at_width in matched if at_width}
    assert {k for k, w in enumerate(gate.widths) if w is not None} <= widest  # each bound met exactly
    firsts = {bit.bit_length() - 1 for bit, _ in gate._firsts}
    assert len(firsts & {k for k, _ in matched}) >= 8  # most first classes met


def _token_loop_chrome(body, v):
    """_chrome as a token loop (before its set test)."""
    from dj_lint.checks.furniture import _SEPARATOR, _TOKENS
    if _SEPARATOR.search(body) is None:
        return bool(body) and body.rstrip(":：") in v.chrome_words
    tokens = [t for t in _TOKENS.split(body) if t]
    if not tokens or not any(t.rstrip(":：") in v.chrome_words for t in tokens):
        return False
    return all(t.rstrip(":：") in v.chrome_words or v.chrome_shape.fullmatch(t) for t in tokens)


def test_chrome_set_test_answers_as_the_token_loop():
    (kind,) = [c for c in _linter().checks if type(c).__name__ == "FurnitureLineKind"]
    v = kind.plan[0][1]
    words = sorted(v.chrome_words)
    pieces = words[:40] + [w + ":" for w in words[:5]] + [w + "：" for w in words[:5]] + [
        "视频(2)", "栏目>>", "12:00/13:00", "工作总结", "学习", "2024", "：", ":", ""]
    seps = [" ", "\t", "\u3000", "|", "｜", "  "]
    rng = random.Random(3)
    bodies = ["", " ", "首页", "首页 工作总结", "首页 | 登录", " | ", "首页：", "学习 心得"]
    for _ in range(20000):
        parts = [rng.choice(pieces) for _ in range(rng.randint(1, 5))]
        body = "".join(p + rng.choice(seps) for p in parts)[:rng.randint(1, 40)]
        bodies.append(body)
    chrome = 0
    for body in bodies:
        want = bool(_token_loop_chrome(body, v))
        assert bool(kind._chrome(body, v)) == want, body
        chrome += want
    assert chrome > 1000


def test_joined_short_lines_get_the_masks_of_their_own_scan(monkeypatch):
    """masks_within's short lines, joined and scanned together, each counted by the
    line breaks before a match (_joined_masks): the masks line_masks gives over the
    text itself, for lines holding a line break of their own ("\\r" cuts lines too:
    the joined lines are then read by their starts), overlapping anchors, characters
    beyond U+FFFF and lone surrogates; long lines without a bullet get -1."""
    from dj_lint.checks import furniture
    gate = _gate(_linter())
    assert gate.by_lines
    used = []
    joined_masks = furniture._ShapeGate._joined_masks
    monkeypatch.setattr(furniture._ShapeGate, "_joined_masks",
                        lambda self, *a: used.append(1) or joined_masks(self, *a))
    pieces = [lit for lit, _ in gate.singles] + gate.literals + ["党", "学习", " ", "\n", "\n", "\n", "\r", "\r\n",
                                                               "\U00020000", "\udc80", "• ", "支部" * 50]
    rng = random.Random(17)
    for round_ in range(800):
        monkeypatch.setattr(furniture, "_JOINED_LINES", rng.choice([1, 2, 3, 1 << 14]))
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        lines = furniture.FurnitureLineKind.line_spans(Document(text, path="t.txt"))
        if not lines:
            continue
        width = rng.choice([8, 90])
        got = gate.masks_within(text, lines, width)
        every = gate.line_masks(text, [s for s, _ in lines], lines)
        want = [plain if e - s <= width or text[s] in furniture._BULLET_FIRST else -1
                for (s, e), plain in zip(lines, every)]
        assert got == want, repr(text)
    assert len(used) > 100


def test_own_automata_built_only_when_read(monkeypatch):
    """The notice words' automaton and the gate's automaton of longer anchors are built
    on first use (a run where the shared pass and the one-pass automaton read every
    text builds neither), as they were built before, also in a pickled copy (--jobs
    under spawn); without ahocorasick-rs there is none."""
    import pickle
    from dj_lint.checks import furniture
    v = furniture.Vocabulary("furniture.yaml")
    assert v._notice_ac is False and v.gate._auto is False
    copy = pickle.loads(pickle.dumps(v))
    for vocabulary in (v, copy):
        assert vocabulary.notice_ac.literals == vocabulary.notice_words and vocabulary.notice_ac.longest
        assert vocabulary.gate.auto.literals == vocabulary.gate.literals
        assert vocabulary.notice_ac is vocabulary.notice_ac and vocabulary.gate.auto is vocabulary.gate.auto
    monkeypatch.setattr(multiscan, "_ac", None)
    assert furniture.Vocabulary("furniture.yaml").notice_ac is None
