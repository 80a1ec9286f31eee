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


def test_decimal_reads_the_digits_regex_knows_and_int_does_not():
    """regex's \\d knows digits of a newer Unicode than Python's int (Garay U+10D40-9,
    Myanmar Extended-C U+116D0-U+116E3: two sets of ten, Pao then Eastern Pwo Karen);
    numerals.decimal reads them by their place, and every other digit as int does."""
    import regex

    from dj_lint.text.numerals import decimal
    assert decimal("2025") == 2025 and decimal("２０") == 20 and decimal("٣") == 3
    if regex.match(r"\d", "\U00010d41") and not "\U00010d41".isdecimal():
        assert decimal("\U00010d40\U00010d49") == 9 and decimal("1\U00010d46") == 16
        assert decimal("\U000116d0") == 0 and decimal("\U000116d9") == 9
        assert decimal("\U000116da") == 0 and decimal("\U000116e3") == 9
    for bad in ("", "²", "①", "x", "1 2"):
        with pytest.raises(ValueError):
            decimal(bad)


def test_dates_and_times_in_newer_digits_never_crash_a_run():
    """A clock time, a date, a title year, a lost 月 written with digits only regex
    knows made int() raise inside date_check and owndate (an internal error, exit 3)."""
    from dj_lint.engine import lint_text
    g = "\U00010d41"  # GARAY DIGIT ONE
    shapes = ["下午{d}{d}点开会。", "{d}月3日召开。", "3月{d}日召开。", "20{d}{d}年工作总结", "于{d}{d}{d}日召开",
              "2025年{d}月", "20{d}{d}-0{d}-1{d}", "2025年10月{d}{d}日至{d}{d}日", "建党{d}{d}周年"]
    for shape in shapes:
        text = "关于学习的总结\n" + shape.replace("{d}", g) + "\n某某党支部\n2025年10月1日\n"
        lint_text(text)  # raises on the previous code
    found = [(f.rule, f.column, f.text) for f in lint_text("下午" + g + "\U00010d46点开会。\n")
             if "16时（或‘下午4时’）" in f.message]
    assert found == [("DJ919", 1, "下午" + g + "\U00010d46点")]
