"""The dated timeline (rules/data/timeline.yaml) and the facts computed from it.

Congress and plenum ordinals, five-year plans, anniversaries, leaders' titles,
campaigns, slogans and replaced party rules are data; this module turns them into
dated facts (when a formulation stopped being current, what replaced it) that the
time checks consume. Adding the next congress, plenum, plan or campaign is one
line of YAML; nothing here names a year.
"""
from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from typing import Dict, List, Optional

from ..model.rules import RuleError
from . import build_cache
from .data import shipped_data
from .numerals import cn_number
from .oserrors import os_reason

LABEL = "rules/data/timeline.yaml"


def month_date(value, end: bool = False) -> _dt.date:
    """'2010-04' → 2010-04-01 (or, with end=True, the first day of the next month)."""
    if isinstance(value, _dt.date):
        return value
    text = str(value)
    if len(text) == 7:
        y, m = int(text[:4]), int(text[5:])
        if end:
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return _dt.date(y, m, 1)
    return _dt.date.fromisoformat(text)


def _path() -> str:
    return shipped_data("timeline.yaml")


@lru_cache(maxsize=1)
def load() -> Dict[str, list]:
    """The validated timeline, from the build cache when it holds this build."""
    return build_cache.product("data:timeline.yaml", _load)


def _load() -> Dict[str, list]:
    import yaml
    from .data import _loader  # libyaml when built: a cache build is shorter
    try:
        with open(_path(), encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_loader(yaml))  # libyaml when built
    except OSError as exc:
        raise RuleError(f"{LABEL}: 无法读取：{os_reason(exc)}") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"{LABEL}: YAML 格式错误：{exc}") from None
    need = ("congresses", "plenums", "plans", "anniversaries", "leaders", "campaigns",
            "slogans", "party_rules")
    if not isinstance(data, dict) or any(k not in data for k in need):
        raise RuleError(f"{LABEL}: needs the sections {', '.join(need)}")
    return data


# ------------------------------------------------------------------ congresses
def congresses() -> List[dict]:
    """Each congress with its number, dates and the next one's opening (None for the latest)."""
    rows = load()["congresses"]
    out = []
    for i, c in enumerate(rows):
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        out.append({"n": c["n"], "value": cn_number(c["n"]), "opened": month_date(c["opened"]),
                    "next": nxt["n"] if nxt else None,
                    "next_opened": month_date(nxt["opened"]) if nxt else None,
                    "source": c["source"]})
    return out


def latest_congress(as_of: _dt.date) -> Optional[dict]:
    current = [c for c in congresses() if c["opened"] <= as_of]
    return current[-1] if current else None


def plenums(term: str) -> List[_dt.date]:
    return [month_date(d) for d in load()["plenums"].get(term, [])]


# ------------------------------------------------------------------ plans
def plans() -> List[dict]:
    return [dict(p, value=p["n"]) for p in load()["plans"]]


def current_plan(year: int) -> Optional[dict]:
    return next((p for p in plans() if p["start"] <= year <= p["end"]), None)


# ------------------------------------------------------------------ anniversaries
def anniversaries() -> List[dict]:
    return [dict(a, founded=month_date(a["founded"])) for a in load()["anniversaries"]]


# ------------------------------------------------------------------ leaders, campaigns …
def leaders() -> List[dict]:
    return [dict(r, **{"from": month_date(r["from"]), "to": month_date(r["to"])})
            for r in load()["leaders"]]


def campaigns() -> List[dict]:
    return [dict(c, start=month_date(c["start"]), end=month_date(c["end"], end=True))
            for c in load()["campaigns"]]


def slogans() -> List[dict]:
    return [dict(s, **{"from": month_date(s["from"]), "to": month_date(s["to"], end=True)})
            for s in load()["slogans"]]


def party_rules() -> List[dict]:
    return [dict(r, to=month_date(r["to"], end=True)) for r in load()["party_rules"]]


def cn_month(d: _dt.date) -> str:
    return f"{d.year}年{d.month}月"
