"""The one Chinese-numeral parser (and writer) every layer above uses.

    cn_int("二十三") == 23      cn_int("十") == 10     cn_int("一二") is None
    cn_digits("二〇〇四") == 2004   (a year written digit by digit; ○/O/0 count as zero)
    cn_numeral(12) == "十二"
    cn_number("一百零五") == 105   (counts up to 999: anniversaries, congress ordinals)

Headings (text/structure.py), heading numbers (checks/numbering.py) and dates
(text/dates.py, checks/cndate.py) all read numbers here, so 〇 and ○ and 十 mean
the same thing everywhere.
"""
from __future__ import annotations

from typing import Optional

# The digits, with the zeros a typist really uses for 〇 (○, 零, a Latin O, 0).
DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "Ｏ": 0, "0": 0, "０": 0,
          "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
WRONG_ZEROS = "○零OＯ0０"  # zeros that are not 〇 in a Chinese date
# What str.translate makes of a year's characters (cndate's zero fix, cn_digits):
# one C call for a Python step per character.
TO_RIGHT_ZERO = str.maketrans(dict.fromkeys(WRONG_ZEROS, "〇"))
# Each digit to its ASCII digit, and the ASCII digits that are not DIGITS to a
# letter: a text that comes out all ASCII digits was all DIGITS.
_TO_ASCII = str.maketrans({**{d: "x" for d in "123456789"}, **{c: str(v) for c, v in DIGITS.items()}})
_WRITE = "〇一二三四五六七八九"


_NEWER_DIGITS: Optional[dict] = None


def decimal(digits: str) -> int:
    """``int(digits)`` for a run of what ``regex``'s ``\\d`` matches. ``regex`` knows a
    newer Unicode than Python's own ``int`` (regex 2026.11: 110 more digits, such as
    U+10D40-U+10D49), so a date or a clock time written with them matched a
    pattern and then made ``int`` raise (an internal error for the user). Those
    digits are read by their place in their run of ten (Unicode encodes every
    set of decimal digits as one contiguous run, 0 to 9). ValueError, as ``int``,
    for anything that is no digit at all."""
    try:
        return int(digits)
    except ValueError:
        pass
    global _NEWER_DIGITS
    if _NEWER_DIGITS is None:
        _NEWER_DIGITS = _newer_digits()
    return int("".join(_NEWER_DIGITS.get(c, c) for c in digits))


def _newer_digits() -> dict:
    """{character: its ASCII digit} for each digit of ``regex``'s ``\\d`` that
    ``int`` does not know (asked only when one turns up)."""
    import regex

    from .codepoints import every_character
    every = every_character()
    digits = {m.start() for m in regex.finditer(r"\d", every)}
    out = {}
    for point in digits:
        if every[point].isdecimal():
            continue
        start = point
        while start - 1 in digits:
            start -= 1
        out[every[point]] = str((point - start) % 10)
    return out


def cn_int(chars: str) -> Optional[int]:
    """A number 0–99 in Chinese (五, 十二, 二十, 三十一) or Arabic digits; None for
    anything else (一二, 十十, 二二十)."""
    if not chars:
        return None
    if chars.isdigit():
        try:
            return int(chars)
        except ValueError:  # ① and other digit-like characters
            return None
    if "十" not in chars:
        return DIGITS.get(chars) if len(chars) == 1 else None
    tens, _, ones = chars.partition("十")
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in DIGITS) or (ones and ones not in DIGITS):
        return None
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)


def cn_digits(chars: str) -> Optional[int]:
    """A number written digit by digit (二〇〇四 → 2004); None if a character is no digit."""
    if not chars:
        return None
    digits = chars.translate(_TO_ASCII)
    return int(digits) if digits.isdigit() and digits.isascii() else None


def cn_numeral(n: int) -> str:
    """1–99 as written in headings and lists: 一, 十, 十二, 二十, 二十三."""
    if n <= 10:
        return "十" if n == 10 else _WRITE[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _WRITE[tens]) + "十" + (_WRITE[units] if units else "")


def cn_number(chars: str) -> Optional[int]:
    """A count up to 999 in Chinese (一百零五, 一百一十, 九十, 十二) or Arabic digits
    (105); None for anything else (一二, 百百, empty)."""
    chars = chars.strip() if chars else ""
    if not chars:
        return None
    if chars.isdigit():
        return cn_int(chars) if len(chars) <= 2 else (int(chars) if chars.isascii() else None)
    hundreds, sep, rest = chars.partition("百")
    if not sep:
        return cn_int(chars)
    if len(hundreds) > 1 or (hundreds and hundreds not in DIGITS):
        return None
    total = (DIGITS[hundreds] if hundreds else 1) * 100
    if not rest:
        return total
    if rest[0] in "零〇○":  # 一百零五
        rest = rest[1:]
        if len(rest) != 1 or rest not in DIGITS:
            return None
        return total + DIGITS[rest]
    if "十" not in rest:  # 一百五 (一百五十 colloquially): not a count we read
        return None
    tens, _, ones = rest.partition("十")
    if len(tens) != 1 or tens not in DIGITS or len(ones) > 1 or (ones and ones not in DIGITS):
        return None  # 一百十: the tens digit is written out after 百
    return total + DIGITS[tens] * 10 + (DIGITS[ones] if ones else 0)
