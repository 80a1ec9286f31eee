"""owndate.days_in_month answers as calendar.monthrange (which it no longer
imports) for every month of 2,401 years, leap centuries included."""
import calendar

import pytest

from dj_lint.text import owndate


def test_every_month_of_four_centuries_and_more():
    for y in range(-400, 2801, 1):
        for m in range(1, 13):
            assert owndate.days_in_month(y or None, m) == calendar.monthrange(y or 2000, m)[1], (y, m)


@pytest.mark.parametrize("m", [0, 13, -1])
def test_no_month_outside_one_to_twelve(m):
    with pytest.raises(ValueError):
        owndate.days_in_month(2024, m)
