"""The one Chinese-numeral reader (text/numerals.py) that dates, headings,
anniversaries and congress ordinals share."""
import pytest

from dj_lint.text.numerals import cn_digits, cn_int, cn_number, cn_numeral


@pytest.mark.parametrize("chars, value", [
    ("五", 5), ("十", 10), ("十二", 12), ("二十", 20), ("三十一", 31), ("12", 12),
    ("一二", None), ("十十", None), ("", None),
])
def test_cn_int(chars, value):
    assert cn_int(chars) == value


@pytest.mark.parametrize("chars, value", [
    ("一百零五", 105), ("一百", 100), ("两百", 200), ("一百一十", 110), ("一百二十三", 123),
    ("九十", 90), ("105", 105), ("二十", 20),
    ("一百零", None), ("一百五", None), ("百百", None), ("一二", None), (" ", None),
])
def test_cn_number_reads_counts_up_to_999(chars, value):
    assert cn_number(chars) == value


def test_digit_by_digit_years_take_every_zero_a_typist_uses():
    assert cn_digits("二〇二四") == cn_digits("二○二四") == cn_digits("二零二四") == 2024
    assert cn_digits("二x二四") is None


@pytest.mark.parametrize("n", range(1, 100))
def test_writer_and_reader_agree(n):
    assert cn_int(cn_numeral(n)) == n == cn_number(cn_numeral(n))
