"""Where the period will end: the range of on-time rates (docs/rules.md §1a) it can close at.

Over the dossiers known at the judging moment, the on-time rate (metric 1, Decision 766/QĐ-TTg
progress criterion; Decree 61/2018/NĐ-CP) of the period at its close lies between
- *at best*: every open dossier not yet past due is finished in time (or still open and within
  its due time at the close): the rate is today's, since metric 1 already counts those as on
  time; and
- *at worst*: none of those due before the close is finished in time; those due after it still
  count as on time (open and within their due time at the close).
Dossiers already late stay late either way; every open dossier stays in the denominator (settled
in the period, or open at its close). Dossiers received after the moment are not foreseen.

Pure: counters in (``data_access.queries.unit_counters`` and
``data_access.outlook.open_due_before_close``), rates out; the rate's parts come from the
registry, so the range's top is exactly the on-time rate shown elsewhere.
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pandas as pd

from metrics.compute import signed_sums
from metrics.registry import get_metric
from metrics.targets import target_for
from timebase.period import Period

#: The counter of open dossiers due before the close (``data_access.outlook.COLUMN``).
DUE_BY_CLOSE = "open_due_by_close"
METRIC = "on_time_rate"


def closing_day(period: Period) -> dt.date:
    """The day the period closes: its last day, except a month to date (from the 1st to the
    judging moment's day, within one month), which closes at the end of its month.
    """
    to_date = period.start.day == 1 and period.end == period.as_of.date()
    if to_date and (period.start.year, period.start.month) == (period.end.year, period.end.month):
        return period.end.replace(day=calendar.monthrange(period.end.year, period.end.month)[1])
    return period.end


def close_before(period: Period) -> dt.datetime:
    """The first moment after the period closes (exclusive)."""
    return dt.datetime.combine(closing_day(period) + dt.timedelta(days=1), dt.time.min)


def is_open(period: Period) -> bool:
    """True while the period has not closed at its judging moment (a range is worth showing); a
    closed period is judged at its last second, 23:59:59 of its last day.
    """
    return period.as_of < close_before(period) - dt.timedelta(seconds=1)


def outlook(counters: pd.DataFrame, due_by_close: pd.DataFrame) -> pd.DataFrame:
    """``counters`` (one row per unit: ``unit_code`` and the on-time rate's counters) with
    ``open_due_by_close`` joined from ``due_by_close`` and the range: ``close_best`` (the rate
    today) and ``close_worst``; None where the rate has no denominator.

    3 settled on time, 1 settled late, 4 open on time of which 2 due before the close, 1 open
    overdue: best = (3 + 4) / (4 + 5) = 7/9 ≈ 77.8 %, worst = (7 − 2) / 9 ≈ 55.6 %.
    """
    due = due_by_close.set_index("unit_code")[DUE_BY_CLOSE] if len(due_by_close) else pd.Series(dtype="int64")
    out = counters.copy()
    out[DUE_BY_CLOSE] = out["unit_code"].map(due).fillna(0).astype("int64").to_numpy()
    metric = get_metric(METRIC)
    sum_of = signed_sums(out)
    num, den = sum_of(metric.numerator), sum_of(metric.denominator)
    worst_num = num - out[DUE_BY_CLOSE].to_numpy(dtype=float)
    best, worst = np.full(len(out), None, dtype=object), np.full(len(out), None, dtype=object)
    measured = den != 0
    best[measured] = num[measured] / den[measured]
    worst[measured] = worst_num[measured] / den[measured]
    out["close_best"], out["close_worst"] = best, worst
    return out


def at_risk(ranges: pd.DataFrame, targets: pd.DataFrame, year: int, level: str) -> pd.DataFrame:
    """The units of ``ranges`` (from :func:`outlook`) whose range falls below their on-time
    target (the unit's own, else its level's, else the general one): ``close_worst`` < target.
    Adds ``target`` and ``cannot_reach`` (even the best case is below it); ordered worst first.
    """
    key = get_metric(METRIC).target_key
    rows = []
    for _, row in ranges.iterrows():
        found = target_for(targets, key, year, unit_code=str(row["unit_code"]), level=level)
        worst, best = row["close_worst"], row["close_best"]
        if found is None or worst is None or pd.isna(worst) or worst >= found[0]:
            continue
        rows.append({**row.to_dict(), "target": found[0], "cannot_reach": best < found[0]})
    if not rows:
        return ranges.head(0).assign(target=pd.Series(dtype=float), cannot_reach=pd.Series(dtype=bool))
    return pd.DataFrame(rows).sort_values(["close_worst", "unit_code"], kind="stable").reset_index(drop=True)
