"""Typo families added for real documents: context pairs (DJ748-DJ750) and a word the
document spells in full elsewhere (DJ751). Own sentences; exact positions and texts."""
import os

from dj_lint.engine import Linter
from dj_lint.packs.loader import load_pack
from dj_lint.text.document import Document

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINTER = Linter(load_pack(os.path.join(ROOT, "rules", "typo.yaml")))


def found(text, rules=("DJ748", "DJ749", "DJ750", "DJ751")):
    return [(f.rule, f.line, f.column, f.text, f.suggestion)
            for f in LINTER.lint(Document(text)) if f.rule in rules]


def test_qude_before_result_nouns():
    assert found("一年来所取到的成效有目共睹。") == [("DJ748", 1, 5, "取到", "取得")]
    assert found("到窗口取到证件，取到的数据已录入。") == []


def test_you_introducing_the_speaker():
    assert found("最后，有党委书记作总结讲话。") == [("DJ749", 1, 4, "有", "由")]
    assert found("最后，有两位党委委员发言。会上有几名支部书记发言。") == []


def test_zaizuo_for_those_present():
    assert found("感谢今天在位的各位老党员。") == [("DJ750", 1, 5, "在位", "在座")]
    assert found("他在位期间勤政爱民。") == []


def test_word_spelled_in_full_elsewhere_in_the_document():
    text = "环境保护工作要常抓不懈。\n全镇环保护宣传覆盖每个村。\n"
    assert found(text) == [("DJ751", 2, 3, "环保护", "环境保护")]
    # Without the full form in the document nothing is claimed.
    assert found("全镇环保护宣传覆盖每个村。\n") == []
    # A short form that is a phrase of its own (党|领导 beside 党的领导) stays silent.
    assert found("坚持党的领导，把党领导经济工作的制度落实好。") == []
