"""The date kinds read their regex groups by number, resolved once from each
pattern's names (``regex`` finds a group by name about 1 us slower): the exact
values every group feeds, for each branch and check, as read by name before."""
from __future__ import annotations

import datetime
import random

import pytest

from dj_lint.checks.cndate import _groups
from dj_lint.engine.linter import Context, Linter, shipped_rules
from dj_lint.text import owndate, pattern_cache
from dj_lint.text.document import Document
from dj_lint.text.numerals import DIGITS, TO_RIGHT_ZERO, WRONG_ZEROS, cn_digits


@pytest.fixture(scope="module")
def linter():
    return Linter(shipped_rules(), Context(as_of=datetime.date(2026, 12, 1)))


def _kind(linter, name):
    return [c for c in linter.checks if type(c).__name__ == name][0]


@pytest.mark.parametrize("text, want, day", [
    ("2024年5月6日", (2024, 5, 6), True),
    ("2024-05-06", (2024, 5, 6), True),
    ("2024.5.6", (2024, 5, 6), True),
    ("2024年5月", (2024, 5, None), False),
    ("二〇二四年五月六日", (2024, 5, 6), True),
    ("二〇二四年十二月", (2024, 12, None), False),
])
def test_parse_date_reads_each_branch(text, want, day):
    m = owndate.DATE.match(text)
    assert owndate.parse_date(m) == want
    assert owndate.has_day(m) is day
    assert owndate.has_day(m) is (m.group("d") is not None or m.group("cd") is not None)


TEXT = ("活动方案\n支部于2011年6月31日、2月30日召开会议，活动时间为2015年6月18日—2011年6月20日，"
        "集中学习2024年6月18日至6月3日，2024年6月18日至5日，请于2015年6月28日（周五）到会，"
        "二〇一五年六月二十八日（星期五）报到，下午16点集合，上午15时出发，\n220日召开大会。\n"
        "正文。\n某某党支部\n20221117\n")


def test_date_checks_read_every_group(linter):
    got = [(h.rule.id, TEXT[h.start:h.end], h.suggestion, h.fields)
           for h in _kind(linter, "DateCheckKind").check(Document(TEXT))]
    assert got == [
        ("DJ914", "2011年6月31日", None, {"date": "2011年6月31日", "expected": "2011年6月只有30天"}),
        ("DJ914", "2月30日", None, {"date": "2月30日", "expected": "2月最多29天"}),
        ("DJ915", "2015年6月18日—2011年6月20日", None, {"date": "2015年6月18日—2011年6月20日"}),
        ("DJ915", "2024年6月18日至6月3日", None, {"date": "2024年6月18日至6月3日"}),
        ("DJ915", "2024年6月18日至5日", None, {"date": "2024年6月18日至5日"}),
        ("DJ916", "2015年6月28日（周五）", None, {"date": "2015年6月28日", "weekday": "周日", "expected": "周日"}),
        ("DJ916", "二〇一五年六月二十八日（星期五）", None,
         {"date": "二〇一五年六月二十八日", "weekday": "星期日", "expected": "星期日"}),
        ("DJ917", "20221117", "2022年11月17日", {"expected": "2022年11月17日"}),
        ("DJ918", "220日", "2月20日", {"expected": "2月20日"}),
        ("DJ919", "下午16点", None, {"expected": "16时（或‘下午4时’）"}),
        ("DJ919", "上午15时", None, {"expected": "15时"}),
    ]


def test_cndate_groups_with_and_without_hit(linter):
    with_hit = pattern_cache.compile(r"x(?P<hit>(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d))")
    assert _groups(with_hit) == (1, 2, 3, 4)
    assert _groups(pattern_cache.compile(r"(?P<y>\d{4})年")) == (0, 1, None, None)  # 0: the whole match
    text = "通知\n正文二零一二年的工作，二○○八年。\n某某党委\n二○○四年五月六日\n"
    got = [(h.rule.id, text[h.start:h.end], h.suggestion) for h in _kind(linter, "CnDateKind").check(Document(text))]
    assert got == [("DJ911", "二○○四年五月六日", "2004年5月6日"),
                   ("DJ912", "二零一二", "二〇一二"), ("DJ912", "二○○八", "二〇〇八")]


@pytest.mark.parametrize("body, want", [
    ("来源：新华网", (False, False)),
    ("作者：张三 来源：人民网", (True, False)),
    ("发布时间：2024-05-06 来源：本站", (True, False)),
    ("浏览次数：12", (True, False)),
    ("点击：这是一段很长的正文内容。", (False, False)),
])
def test_furniture_meta_reads_the_key(linter, body, want):
    kind = _kind(linter, "FurnitureLineKind")
    v = kind.plan[0][1]
    assert v.meta.groupindex["key"] == v.meta_key
    assert kind._meta(body, v) == want


def _plain_cn_digits(chars):
    try:
        return int("".join(str(DIGITS[c]) for c in chars)) if chars else None
    except KeyError:
        return None


def test_cn_digits_by_translate_as_digit_by_digit():
    rng = random.Random(5)
    alphabet = list(DIGITS) + list("0123456789０１２３①⑤十年 a") + ["\u0660"]
    texts = ["", "二〇〇四", "2004", "二00四", "二O〇4", "二〇〇四年"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(20000)]
    for text in texts:
        assert cn_digits(text) == _plain_cn_digits(text), text
    assert cn_digits(None) is None


def test_zero_fix_by_translate():
    for year in ("二○一二", "二零一二", "二0一二", "二O一二", "二Ｏ一二", "二０一二", "二〇一二"):
        assert year.translate(TO_RIGHT_ZERO) == "".join("〇" if c in WRONG_ZEROS else c for c in year)
