"""The typo pack (rules/typo.yaml) on real sentences: the seeds' typos are found
exactly, correct text that merely contains a wrong form across a word boundary
stays silent, and jieba is only loaded when a candidate needs it."""
import os
import subprocess
import sys

import pytest

from dj_lint.text.document import Document
from dj_lint.engine import Linter
from dj_lint.checks.terms import parse_terms
from dj_lint.packs.loader import RuleError, load_pack, parse_rule

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACK = os.path.join(ROOT, "rules", "typo.yaml")
RULES = load_pack(PACK)
LINTER = Linter(RULES)


def found(text):
    return [(f.rule, f.text, f.suggestion) for f in LINTER.lint(Document(text))]


# (sentence from a seed or typical of the genre, expected findings)
POSITIVES = [
    ("领导干部以身作则，率先重范，发挥人格的魅力。", [("DJ701", "率先重范", "率先垂范")]),
    ("我们选择了创建信息化环境做为促进教研事业跨越式发展的突破口。",
     [("DJ704", "做为", "作为")]),
    ("部分学校还制做了永久宣传标语。", [("DJ702", "制做", "制作")]),
    ("由于铜加工园部分座落我镇。", [("DJ702", "座落", "坐落")]),
    ("到目前为此，完成工业园区征地1295亩。", [("DJ701", "到目前为此", "到目前为止")]),
    ("在重大问题上集思广议、集体决定。", [("DJ701", "集思广议", "集思广益")]),
    ("支部严格把好筛选观和选拔关。", [("DJ707", "筛选观", "筛选关")]),
    ("组织开展全市教育系系统“双语”培训活动。", [("DJ730", "系系", "系")]),
    ("我们要结合自己本质工作和自己文化结构特点。", [("DJ740", "本质工作", "本职工作")]),
    ("把5名治富有本领、年富力强的后备干部推上岗位。", [("DJ706", "治富", "致富")]),
    ("培置扶持舍饲圈养羊大户52户。", [("DJ702", "培置", "培植")]),
    ("党委书记认真布署，大力宏扬优良传统。",
     [("DJ702", "布署", "部署"), ("DJ702", "宏扬", "弘扬")]),
    ("我们以经完成了全年任务，自已也受到了教育。",
     [("DJ702", "以经", "已经"), ("DJ702", "自已", "自己")]),
    ("党员倍受鼓舞，学校座落在山脚下。",
     [("DJ702", "倍受鼓舞", "备受鼓舞"), ("DJ702", "座落在", "坐落在")]),
    ("我在在新的岗位上继续努力。", [("DJ730", "在在", "在")]),
    ("截止目前，已整改问题12个。", [("DJ710", "截止", "截至")]),
    ("县委巡查组反馈意见后，人民检查院派员列席。",
     [("DJ708", "县委巡查", "县委巡察"), ("DJ708", "检查院", "检察院")]),
    ("整个活动开展的有条不紊，工作与教学有机的结合起来。",
     [("DJ714", "的", "得"), ("DJ715", "的", "地")]),
]

# Correct text in which a wrong form appears across a word boundary, a legitimate
# reduplication, or a standard dictionary form. None may be reported.
NEGATIVES = [
    "学校坐落在山脚下，我们选择作为突破口，制作宣传标语，带头致富。",
    "这是做好工作的本质要求，为此我们把学习当做为人民服务的本领。",
    "党委书记要求全体党员带头学习，会议纪要按时印发。",
    "这座落成于1990年的大楼，以机制做保障，叫做风雨无阻。",
    "他激动得不能自已，来自已经退休的老党员的来信。",
    "坚持以经济建设为中心，以经过审核的名单为准。",
    "推进正规化建设，严格守纪律，文章显示成效明显。",
    "究竟争取到多少资金，毕竟争论还在继续。",
    "得知已经完成任务，而己方损失不大，法律已经明确规定。",
    "准备加强学习，具备加快发展的条件，既便于群众办事，又方便管理。",
    "平安祥和的节日气氛，恢复盖章审批，预防害虫侵袭。",
    "原因该如何查找，情感概念很抽象，遗憾动人。",
    "协调世界时间，转换界面，反应界面。",
    "转变工作作风，大学学生、教研组组长和党委会会议都很重视。",
    "常常、天天、人人、谢谢、看看、研究研究、干干净净、一个个、兢兢业业、实实在在。",
    "二二得四，一一对应，张婷婷同志，达到目的的手段。",
    "加大大树进镇力度，固定资产产生的效益，职工工资按时发放，区党工委委员参加。",
    "学习上防止时冷时热、一暴十寒。",
    "要多做为民服务的实事，多做为群众办实事的工作，做为期三天的培训准备。",
    "坚持法治富民，整治富营养化水体。",
    "把好世界观、人生观、价值观这个总开关，把好政治关。",
    "截至目前，报名于5月底截止，截止日期另行通知。",
    "帮助困难群众渡过难关，让老人度过了温暖的春节。",
    "及时反映情况，密切关注不良反应情况。",
    "这就象征着新的开始，形象、现象、想象都很生动。",
    "搭帐篷，挂蚊帐，阅读名著手稿，取得显著力度。",
    "“再接再励”是错别字，应写作“再接再厉”。",
    "我们开展的扎实有效的主题教育，保持认真的学习态度，全面的学习了解机制。",
    "发挥了积极的作用，深入的推进着力点在基层。",
]


@pytest.mark.parametrize("text,expected", POSITIVES, ids=[p[0][:8] for p in POSITIVES])
def test_typo_found(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", NEGATIVES, ids=[n[:8] for n in NEGATIVES])
def test_correct_text_stays_silent(text):
    assert found(text) == []


def test_doubled_char_message_names_the_word():
    (f,) = LINTER.lint(Document("组织开展全市教育系系统培训。"))
    assert f.message == "“教育系系统”中“系系”疑似重复输入，应为“教育系统”。"
    assert (f.line, f.column, f.end_column) == (1, 9, 11)


def test_pack_has_at_least_150_pairs_each_with_a_suggestion():
    pairs = [(p, s) for r in RULES if r.kind == "terms" for p, s in parse_terms(r.options["terms"])]
    assert len(pairs) >= 150
    assert all(s for _, s in pairs)
    assert all(r.category == "typo" and r.id.startswith("DJ7") for r in RULES)


def test_variant_forms_are_info_and_not_fixable():
    (rule,) = [r for r in RULES if r.id == "DJ720"]
    assert rule.severity == "info" and not rule.fixable


def test_no_jieba_without_candidates():
    """A document with no candidate (only allow-listed doubles) never loads jieba."""
    code = (
        "from dj_lint.text.document import Document\n"
        "from dj_lint.engine import Linter\n"
        "from dj_lint.packs.loader import load_pack\n"
        "from dj_lint.text import segment\n"
        f"L = Linter(load_pack({PACK!r}))\n"
        "assert L.lint(Document('我们常常学习，天天进步，人人参与，坚定不移推进改革。' * 50)) == []\n"
        "print(segment.is_loaded())\n"
        "L.lint(Document('部分学校还制做了标语。'))\n"
        "print(segment.is_loaded())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def _doubled_rule(**over):
    rule = {"id": "DJ799", "name": "x", "category": "typo", "severity": "warning",
            "kind": "doubled_char", "message": "{text}", "slip_chars": "的",
            "rare_freq": 50, "common_freq": 1000,
            "examples": {"bad": [{"text": "的的", "match": "的的"}], "good": ["的"]}}
    rule.update(over)
    return rule


@pytest.mark.parametrize("over,problem", [
    ({"allow": ["常用"]}, "field 'allow[0]': '常用' contains no doubled character"),
    ({"rare_freq": 2000}, "field 'rare_freq' should be below 'common_freq'"),
    ({"slip_chars": "的a"}, "field 'slip_chars': 'a' is not a Han character"),
    ({"slip_char": "的"}, "unknown field 'slip_char'"),
])
def test_doubled_char_rule_errors_name_the_field(over, problem):
    with pytest.raises(RuleError) as exc:
        parse_rule(_doubled_rule(**over), "rules/x.yaml")
    assert str(exc.value) == f"rules/x.yaml: DJ799: {problem}"
