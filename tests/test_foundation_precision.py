"""Precision and mechanism tests for the placeholder, mask, watermark and garble packs.

Look-alikes of placeholders, masks, watermarks and mojibake that a correct
document may contain must stay silent with all four packs together; the
byte-shift table must follow from the GBK mechanism; undecodable bytes are
reported where they stand while the rest of the file is still checked."""
import datetime as dt
import json

import pytest

from dj_lint.text.document import Document
from dj_lint.text.sources import load_path
from dj_lint.engine import Context, Linter, select_rules, shipped_rules
from dj_lint.checks.byteshift import generate

CATEGORIES = ["placeholder", "mask", "watermark", "garble"]


def lint(text, path="report.txt", select=CATEGORIES):
    linter = Linter(select_rules(shipped_rules(), select), Context(as_of=dt.date(2026, 11, 21)))
    return linter.lint(Document(text, path=path))


def found(text, **kw):
    return [(f.rule, f.text) for f in lint(text, **kw)]


NEGATIVES = [
    # Markdown
    "这是**加粗**的文字，**市委书记**亲自部署。",
    "- **入党申请书 / 思想汇报**: 用 `此致\\s*敬礼` 结尾",
    "第一部分\n\n___\n\n第二部分\n\n***\n\n第三部分",
    "> 引用：不忘初心，牢记使命。",
    "#### 市级示范点建设",
    # Latin letters, arithmetic, identifiers
    "统一订购XXL号的工作服，机房还有两台Windows XP电脑。",
    "计算2*3与4**2的值，比较a<b与b>c。",
    "变量 __init__ 与 my__var 不是空格，联系邮箱xxx@school.cn。",
    "拍摄X光片3张，型号ZZ-100的设备。",
    # Legitimate sources and official addresses (watermarks.md §8, §13)
    "来源：求是网",
    "登录共产党员网www.12371.cn观看专题片，详见市政府网站www.dongh.gov.cn。",
    "文章转自人民网cpc.people.com.cn，学校官网www.dhsyzx.edu.cn已开设党建专栏。",
    "本通知发布时间为2026年3月1日，请各支部按时报送。",
    "第一篇章：不忘初心。全书共分三篇，第一篇讲理论。",
    "尊重著作权人的版权所有权益，依法使用教学资源。",
    "认真阅读原文、学习原著、领悟原理。",
    # Real words that look like byte-shift garble (watermarks.md §12.1)
    "一座纪念碑矗立在广场中央，他感到一阵眩晕，党员干部深入群众寻找问题根源。",
    "城市常住人口持续增长，市常委会审议通过。学校开展“一校一品”活动，做到家校联手共同帮教。",
    "为夯实基础、提高质量打下了坚实的基础。追寻红色足迹，探寻发展之路。",
    # Dates and numbers
    "二○○四年五月六日",
    "现岗党员 36 人，离退休党员 39 人，全市现共有中小学校45所。",
    "作为 个人，我要加强学习。",
    "各项经费（单位：万元）如下。召开会议（时间待定）。",
    "材料共12页，第3页为附表。",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alikes_stay_silent(text):
    assert found(text) == []


@pytest.mark.parametrize("text", NEGATIVES[:5])
def test_markdown_look_alikes_stay_silent_in_md_files(text):
    assert found(text, path="notes.md") == []


def test_star_rules_share_one_classifier():
    """DJ206 (placeholder) and DJ251 (mask) split the star runs between them only
    if they classify alike: their classifier fields must be identical."""
    by_id = {r.id: r for r in shipped_rules()}
    keys = ("cjk_punctuation", "name_suffixes", "openers", "min_run", "units", "titles", "unless", "stars")
    a, b = by_id["DJ206"].options, by_id["DJ251"].options
    assert [a.get(k) for k in keys] == [b.get(k) for k in keys]
    assert (a["role"], b["role"]) == ("placeholder", "mask")


def test_every_star_run_is_placeholder_or_mask_exactly_once():
    text = ("**区**乡是一个位于**西北山区的纯农业乡。进一步加**部队伍管理，"
            "还基本解决了****吃水问题，以自主、合作、**学习方式为主。")
    got = [(f.category, f.text) for f in lint(text, select=["DJ206", "DJ251"])]
    assert got == [("placeholder", "**"), ("placeholder", "**"), ("placeholder", "**"),
                   ("mask", "**"), ("placeholder", "****"), ("mask", "**")]


@pytest.mark.parametrize("original,garbled", [
    ("基础。", "矗"), ("基础、", "储"), ("基础“", "窗"), ("基础”", "幢"), ("基础《", "炊"), ("基础》", "捶"),
    ("改选。", "眩"), ("评选、", "癣"), ("入选“", "寻"), ("反馈。", "溃"), ("争取。", "龋"),
    ("动摇。", "遥"), ("立场。", "常"), ("全省。", "剩"), ("省、", "盛"), ("稳住。", "祝"),
    ("缩小。", "校"), ("懈怠。", "担"), ("详尽。", "荆"), ("毛病。", "玻"), ("大小、", "孝"),
])
def test_byte_shift_table_follows_the_gbk_mechanism(original, garbled):
    """The table of watermarks.md §12.1, regenerated from the codec alone."""
    table = generate("gb18030", 0xB0, 0xF7, {"stop": "。", "pause": "、", "open": "“《", "close": "”》"})
    x, mark, _ = table[garbled]
    assert original.endswith(x + mark)


def test_byte_shift_suggests_the_original_at_its_place():
    text = "打下了坚实的基矗“五个好”创建活动的考核。\n6名优秀教师入寻351”人才工程。"
    got = [(f.line, f.column, f.text, f.suggestion) for f in lint(text, select=["DJ102"])]
    assert got == [(1, 7, "基矗", "基础。"), (2, 7, "入寻351”", "入选“351”")]


def test_undecodable_bytes_reported_where_they_stand(tmp_path):
    raw = "XX市教研室\n党建工作".encode("gb18030") + b"\xff\xfe" + "总结\n完成\xff".encode("utf-8")[:-2]
    path = tmp_path / "broken.txt"
    path.write_bytes(raw)
    doc = load_path(str(path))
    findings = Linter(select_rules(shipped_rules(), CATEGORIES)).lint(doc)
    bad = [(f.line, f.column, f.end_column, len(f.text)) for f in findings if f.rule == "DJ101"]
    assert bad and all(line == 2 for line, *_ in bad)
    # The rest of the file is still checked: the placeholder on line 1 is found.
    assert ("DJ204", 1, 1) in [(f.rule, f.line, f.column) for f in findings]


def test_undecodable_bytes_through_the_cli(tmp_path, cli):
    path = tmp_path / "broken.txt"
    path.write_bytes("党建工作".encode("utf-8") + b"\xb5\xb3" + "总结，其余正常。\n".encode("utf-8"))
    res = cli("--select", "DJ101", "--format", "json", str(path))
    assert res.returncode == 1, res.stderr.decode()
    data = json.loads(res.stdout)
    assert [(f["line"], f["column"], f["end_column"]) for f in data["findings"]] == [(1, 5, 7)]


def test_clean_seed_like_paragraph_has_no_false_mask():
    # Stars inside a watermark sentence belong to that watermark, not to the mask rule.
    text = "因此学校党支部狠抓了党员的理论学习。本篇文章来自资料管理**。"
    assert found(text) == [("DJ304", "本篇文章来自资料管理**。")]


def test_byteshift_charset_gate_equals_set_disjointness():
    """byte_shift skips a text without any shifted character by a CharSet (one class
    search); a frozenset's isdisjoint, the plain test, says the same on generated
    text with and without such characters (astral and surrogate ones included)."""
    import random

    from dj_lint.engine.linter import Linter, shipped_rules
    rules = [r for r in shipped_rules() if r.kind == "byteshift"]
    kind = next(c for c in Linter(rules).checks if type(c).__name__ == "ByteShiftKind")
    rng = random.Random(1440)
    for p in kind.prepared:
        plain = frozenset(p["table"])
        shifted = sorted(plain)
        pieces = rng.sample(shifted, 20) + ["党的建设", "，", "\n", "a", "\U00020000", "\udcff", "一"]
        seen = set()
        for _ in range(2000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
            want = not plain.isdisjoint(text)
            assert p["chars"].any_in(text) == want, text
            seen.add(want)
        assert seen == {True, False}
