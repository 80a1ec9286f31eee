"""The one date parser: ISO dates from options and data files, and dates as
Chinese documents write them (2024年3月5日, 二〇二四年三月五日).

    iso_date("2024-03-05")                -> date(2024, 3, 5)   (ValueError otherwise)
    cn_date("二〇二四", "三", "五")        -> date(2024, 3, 5)   (None if not a real date)
    cn_date("2024", "3", "5")             -> date(2024, 3, 5)
"""
from __future__ import annotations

import datetime as _dt
from typing import Optional

from .numerals import cn_digits, cn_int


def iso_date(value) -> _dt.date:
    """A YYYY-MM-DD string, or a date/datetime YAML already parsed; ValueError otherwise."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))


def cn_date(year: str, month: str, day: Optional[str] = None) -> Optional[_dt.date]:
    """The date a document writes as year/month/day parts, in Chinese or Arabic
    digits (day None: the first of the month); None when it is no real date."""
    y = int(year) if year.isdigit() and year.isascii() else cn_digits(year)
    m = cn_int(month)
    d = cn_int(day) if day is not None else 1
    if y is None or not m or not d:
        return None
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None
