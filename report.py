"""``cli.py report``: every unit of a level (or every agency) with its metrics, as JSON or CSV.

One object per unit of the level (a unit's dossiers are those its agencies and the units below
it handle; rules.md "Attribution") or per agency (``--level agency``, ranked as the ranking
screen ranks them), plus one for the whole province; rates are fractions 0–1, null where the
denominator is 0. Units also carry the receiving desk's figures (``desk_received``,
``received_outside``, ``received_outside_share``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

import settings
from data_access.queries import (
    AGENCY,
    desk_counts,
    level_counters,
    levels_present,
    make_engine,
    unit_counters,
)
from exports.cells import neutral_frame
from metrics import score766
from metrics.registry import DESK_METRICS, METRICS
from metrics.tables import unit_metrics, with_desk_counts
from timebase.period import PeriodError, make_period


class ReportError(Exception):
    """A problem the user can fix: bad arguments or an unreachable database."""


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ReportError(f"{what} must be a date like 2026-10-31, not {text[:40]!r}") from None


def report_rows(url: str, level: str, start: str, end: str, as_of: str | None) -> list[dict]:
    """The report as a list of dicts (units of the level, ranked, then the province)."""
    first, last = _date(start, "--start"), _date(end, "--end")
    try:
        when = dt.datetime.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise ReportError(
            f"--as-of must be an ISO time like 2026-10-31T23:59:59, not {as_of[:40]!r}"
        ) from None
    try:
        period = make_period(first, last, when)
    except PeriodError as exc:
        raise ReportError(str(exc)) from None
    try:
        engine = make_engine(url)
        # Only the levels with a unit during the period, and agencies.
        present = [x for x in levels_present(engine, period) if x != "province"] + [AGENCY]
        if level not in present:
            raise ReportError(
                f"level {level[:40]!r} is not in this database during {first}..{last};"
                f" choose one of: {', '.join(present)}"
            )
        counters = level_counters(engine, level, period)
        province = unit_counters(engine, "province", period)
        if level != AGENCY:
            counters = with_desk_counts(counters, desk_counts(engine, level, period))
        province = with_desk_counts(province, desk_counts(engine, "province", period))
        rules = score766.rule_set(str(settings.get("IOC_SCORE_RULES")))
        table = _with_points(
            unit_metrics(counters, int(settings.get("IOC_MIN_DOSSIERS")), rules=rules), rules
        )
        province = _with_points(unit_metrics(province, rules=rules), rules)
    except (SQLAlchemyError, FileNotFoundError) as exc:
        raise ReportError(f"cannot read the database: {str(exc).splitlines()[0]}") from None
    table = table.sort_values(["rank", "unit_code"], na_position="last")
    rows = [_row(r, level) for _, r in table.iterrows()]
    rows += [_row(r, "province", ranked=False) for _, r in province.iterrows()]
    return rows


def _with_points(table: pd.DataFrame, rules: score766.RuleSet) -> pd.DataFrame:
    """``table`` with each scored group's points and the score's maximum under ``rules``."""
    out = pd.concat([table, score766.group_points_frame(table, rules)], axis=1)
    out["score_max"] = rules.measured_max
    return out


def _clean(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar → Python
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return value
    return value


def _row(r: pd.Series, level: str, ranked: bool = True) -> dict:
    out: dict[str, object] = {"unit_code": r["unit_code"], "unit_name": r["unit_name"], "level": level}
    for m in (*METRICS, *DESK_METRICS):
        if m.name in r.index:
            value = _clean(r[m.name])
            out[m.name] = int(value) if m.fmt == "count" and value is not None else value
    score = _clean(r["score_766"])
    out["score_766"] = None if score is None else round(float(score), 4)  # None: nothing handled
    for name in (c for c in r.index if str(c).startswith("points_")):
        points = _clean(r[name])
        out[name] = None if points is None else round(float(points), 4)
    out["score_max"] = float(r["score_max"])
    out["rank"] = _clean(r["rank"]) if ranked else None
    out["rank"] = int(out["rank"]) if out["rank"] is not None else None
    out["small"] = bool(r["small"]) if ranked else False
    return out


def run_report(url: str | None, level: str, start: str, end: str, as_of: str | None, fmt: str) -> str:
    """The report text in ``fmt`` ('json' or 'csv')."""
    rows = report_rows(url or settings.database_url(), level, start, end, as_of)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    buf = io.StringIO()
    neutral_frame(pd.DataFrame(rows)).to_csv(buf, index=False)  # no cell starts a formula
    return buf.getvalue()
