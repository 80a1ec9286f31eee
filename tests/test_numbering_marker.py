"""numbering.marker_for writes only the style's own marker: the same text (or the
same error) as the former table of every style's marker, for every style and number."""
from __future__ import annotations

import pytest

from dj_lint.checks import numbering
from dj_lint.text.numerals import cn_numeral


def _plain(style, n):
    cn = cn_numeral(n)
    return {"cn": f"{cn}、", "part": f"第{cn}部分", "lenticular": f"【{n}】", "paren-cn": f"（{cn}）",
            "dot": f"{n}.", "dot-fw": f"{n}．", "dun": f"{n}、", "paren-num": f"（{n}）",
            "half-paren": f"（{n}）", "circled": chr(ord("①") + n - 1) if 0 < n <= 20 else str(n)}[style]


def _outcome(f, style, n):
    try:
        return f(style, n)
    except Exception as exc:  # the same failure, if any
        return type(exc)


@pytest.mark.parametrize("style", list(numbering._STYLE_NAMES) + ["unknown"])
def test_marker_for_equals_the_table_of_every_style(style):
    for n in range(-3, 130):
        assert _outcome(numbering.marker_for, style, n) == _outcome(_plain, style, n), (style, n)
