"""Pure functions behind the trend screens: months of a period, monthly rates, targets over time,
the first month a target was met, rating and channel shares, processing time saved, the feedback
partition.

Every rate is the registry's (docs/rules.md §0: sum of numerators over sum of denominators,
N/A — None — when the denominator is 0): counters are rolled up first, then
:func:`metrics.compute.compute` turns them into rates. Nothing here reads a database or draws.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

import pandas as pd

from metrics.compute import compute, ratio, rollup
from metrics.registry import Metric, get_metric
from metrics.targets import target_for
from timebase.period import Period, make_period


def month_key(day: dt.date) -> int:
    """YYYYMM of a date: the ``month`` column of monthly frames."""
    return day.year * 100 + day.month


def month_start(key: int) -> dt.date:
    """The first day of month ``key`` (YYYYMM)."""
    return dt.date(key // 100, key % 100, 1)


def month_periods(period: Period) -> list[Period]:
    """The calendar months that ``period`` touches, oldest first, each cut to the period.

    Each month is judged at its own end, or at the period's ``as_of`` when that comes first
    (the current month), as :func:`data_access.queries.monthly_counters` expects.
    """
    months: list[Period] = []
    first = period.start.replace(day=1)
    while first <= period.end:
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        months.append(make_period(max(first, period.start), min(last, period.end), period.as_of))
        first = last + dt.timedelta(days=1)
    return months


def counters_of(frame: pd.DataFrame, keys: Sequence[str] = ()) -> list[str]:
    """The numeric counter columns of ``frame`` (everything numeric that is not a key)."""
    skip = {"unit_code", "month", *keys}
    return [c for c in frame.columns if c not in skip and pd.api.types.is_numeric_dtype(frame[c])]


def monthly_rates(
    frame: pd.DataFrame,
    metrics: Sequence[str],
    months: Sequence[int],
    keys: Sequence[str] = (),
) -> pd.DataFrame:
    """Counters summed per month (and per each of ``keys``), then the named registry metrics.

    Every month of ``months`` is present for every key value; a month with nothing in it has
    zero counters, so its rates are None (N/A, never 0%).
    """
    by = ["month", *keys]
    counters = counters_of(frame, keys)
    summed = rollup(frame, by, counters) if len(frame) else pd.DataFrame(columns=[*by, *counters])
    key_values = summed[list(keys)].drop_duplicates() if keys else pd.DataFrame(index=[0])
    grid = pd.DataFrame({"month": list(months)}).merge(key_values, how="cross")
    full = grid.merge(summed, on=by, how="left")
    full[counters] = full[counters].apply(pd.to_numeric).fillna(0)
    out = compute(full, [get_metric(name) for name in metrics])
    return out.sort_values(by).reset_index(drop=True)


def target_by_month(
    targets: pd.DataFrame,
    metric: Metric,
    months: Sequence[int],
    unit_code: str = "",
    level: str = "",
    field: str = "",
) -> list[float | None]:
    """The target that applies in each month (targets are set per year; docs/rules.md §13):
    looked up once a year, not once a month (eight years of history are 95 months).
    """
    by_year: dict[int, float | None] = {}
    for year in sorted({key // 100 for key in months}):
        found = target_for(targets, metric.target_key, year, unit_code, level, field)
        by_year[year] = found[0] if found else None
    return [by_year[key // 100] for key in months]


def target_segments(months: Sequence[int], values: Sequence[float | None]) -> pd.DataFrame:
    """Runs of consecutive months sharing one target: ``start``, ``end`` (YYYYMM), ``target``.

    A chart draws each run as one horizontal rule, so a target that rises in 2030 is drawn as
    two steps, not one misleading line.
    """
    runs: list[dict[str, float | int]] = []
    for key, value in zip(months, values, strict=True):
        if value is None:
            continue
        if runs and runs[-1]["target"] == value and _next_month(int(runs[-1]["end"])) == key:
            runs[-1]["end"] = key
        else:
            runs.append({"start": key, "end": key, "target": value})
    return pd.DataFrame(runs, columns=["start", "end", "target"])


def _next_month(key: int) -> int:
    year, month = divmod(key, 100)
    return key + 1 if month < 12 else (year + 1) * 100 + 1


def first_month_met(
    months: Sequence[int],
    values: Sequence[float | None],
    targets: Sequence[float | None],
    higher_is_better: bool = True,
) -> int | None:
    """The first month (YYYYMM) whose value reached that month's target, when the months of the
    window judged before it all missed theirs; None if none did, or if the first judged month
    already met it.

    A month with no value (N/A) or no target is not judged. A series that meets its target in
    its first judged month has no "first" month in the window (it may have met it for years
    before): annotating the window's start would claim a change that did not happen.
    """
    judged = False
    for key, value, target in zip(months, values, targets, strict=True):
        if value is None or target is None or pd.isna(value):
            continue
        if (value >= target) if higher_is_better else (value <= target):
            return int(key) if judged else None
        judged = True
    return None


def largest_rise(months: Sequence[int], values: Sequence[float | None]) -> tuple[int, float] | None:
    """The month whose value rose most over the previous month with a value, and the rise;
    None when no value ever rose (the online jump of May 2020 in the sample, docs/rules.md).
    """
    best: tuple[int, float] | None = None
    previous: float | None = None
    for key, value in zip(months, values, strict=True):
        if value is None or pd.isna(value):
            continue
        if previous is not None and value - previous > 0 and (best is None or value - previous > best[1]):
            best = (int(key), float(value - previous))
        previous = float(value)
    return best


RATING_ORDER = ("very_satisfied", "satisfied", "unsatisfied")


def rating_distribution(counters: pd.Series | dict[str, float]) -> pd.DataFrame:
    """Each rating's count and share of the ratings received (docs/rules.md §9).

    Shares are None when no rating was received: an empty month is N/A, never 0%.
    """
    rated = float(counters.get("rated", 0) or 0)
    rows = [
        {"rating": name, "count": float(counters.get(name, 0) or 0), "share": None} for name in RATING_ORDER
    ]
    for row in rows:
        row["share"] = ratio(row["count"], rated)
    return pd.DataFrame(rows)


CHANNEL_COUNTERS = {"online": "received_online", "direct": "received_direct", "postal": "received_postal"}


def channel_mix(frame: pd.DataFrame) -> pd.DataFrame:
    """Per month: each channel's dossiers and share of dossiers received (docs/rules.md §5).

    ``frame`` holds one row per month with ``received`` and the ``received_<channel>`` counters.
    """
    rows = []
    for _, row in frame.iterrows():
        for channel, column in CHANNEL_COUNTERS.items():
            count = float(row[column])
            rows.append(
                {
                    "month": int(row["month"]),
                    "channel": channel,
                    "count": count,
                    "share": ratio(count, float(row["received"])),
                }
            )
    return pd.DataFrame(rows, columns=["month", "channel", "count", "share"])


def processing_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Average working days used and allowed, days saved and the share of time saved.

    docs/rules.md §4; Decree 61/2018/NĐ-CP: limits are in working days. Per row of summed
    counters (``processing_n`` finished dossiers, ``processing_days`` working days used,
    ``limit_days`` their legal limits): average used = days / n, average limit = limit / n,
    time saved = 1 − used / limit ("40% shorter than the rule"). N/A when nothing finished.
    """
    out = compute(frame, [get_metric("avg_processing_days"), get_metric("time_saved_share")])
    n = pd.to_numeric(frame["processing_n"]).astype(float)
    limit = pd.to_numeric(frame["limit_days"]).astype(float)
    out["avg_limit_days"] = (limit / n.where(n != 0)).astype(object).where(n != 0, None)
    used = pd.to_numeric(out["avg_processing_days"], errors="coerce")
    allowed = pd.to_numeric(out["avg_limit_days"], errors="coerce")
    out["days_saved"] = (allowed - used).astype(object).where(n != 0, None)
    return out


FEEDBACK_PARTS = ("fb_on_time", "fb_late", "fb_open_overdue", "fb_open_in_time")


def feedback_partition(counters: pd.Series | dict[str, float]) -> dict[str, float | None]:
    """Feedback received in a period split into handled on time, handled late, still open past
    its due date and still open within it, with each part's share of those received.

    docs/rules.md §10: the due date is 15 working days after receipt. The four parts add up
    to the feedback received; shares are None when nothing was received.
    """
    received = float(counters.get("fb_received", 0) or 0)
    out: dict[str, float | None] = {"fb_received": received}
    for part in FEEDBACK_PARTS:
        count = float(counters.get(part, 0) or 0)
        out[part] = count
        out[f"{part}_share"] = ratio(count, received)
    return out
