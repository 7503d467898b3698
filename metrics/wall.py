"""What the wall screen derives from the figures: alarms, working days late, the hourly strip.

Pure functions, no Streamlit and no SQL. The alarm thresholds are data (:data:`ALARM_THRESHOLDS`),
so a deployment changes them in one place; the targets they refer to come from the targets table
(docs/rules.md §13).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.registry import get_metric
from metrics.targets import target_for
from timebase.workdays import working_days

#: When the wall turns red. A metric name maps to ``"target"`` (alarm when the value misses the
#: metric's target from the targets table, in the metric's own direction) or to a number (alarm
#: when the value is worse than that number: above it for a lower-is-better metric, below it for
#: a higher-is-better one). Defaults: the on-time rate (docs/rules.md §1) below its target, and
#: any dossier overdue in progress (metric 3).
ALARM_THRESHOLDS: dict[str, str | float] = {
    "on_time_rate": "target",
    "overdue_in_progress": 0,
}


@dataclass(frozen=True)
class Alarm:
    """One metric past its alarm threshold."""

    metric: str
    value: float
    threshold: float
    from_target: bool
    source: str


def _threshold(
    spec: str | float, metric_name: str, targets: pd.DataFrame, year: int
) -> tuple[float, bool, str] | None:
    if spec == "target":
        found = target_for(targets, get_metric(metric_name).target_key, year)
        return (found[0], True, found[1]) if found else None
    return float(spec), False, ""


def evaluate_alarms(
    values: Mapping[str, float | None],
    targets: pd.DataFrame,
    year: int,
    thresholds: Mapping[str, str | float] = ALARM_THRESHOLDS,
) -> list[Alarm]:
    """The alarms raised by ``values`` (metric name → value; None = N/A, never an alarm).

    A ``"target"`` threshold with no target row for the year raises nothing: no target, no alarm.
    """
    raised = []
    for name, spec in thresholds.items():
        value = values.get(name)
        if value is None or pd.isna(value):
            continue
        found = _threshold(spec, name, targets, year)
        if found is None:
            continue
        limit, from_target, source = found
        worse = value < limit if get_metric(name).higher_is_better else value > limit
        if worse:
            raised.append(Alarm(name, float(value), limit, from_target, source))
    return raised


def working_days_late(due_at: pd.Series, as_of: dt.datetime) -> pd.Series:
    """Working days a dossier has been overdue at ``as_of``: the Vietnamese working days after
    its due day, up to and including ``as_of``'s day (the clock of Decree 61/2018/NĐ-CP counts
    working days; timebase.workdays holds the calendar).

    Due Friday 13/11/2026 17:00, seen on Monday 23/11/2026: 16, 17, 18, 19, 20 and 23/11 → 6.
    Seen on Saturday 14/11: no working day has passed since the due day → 0.
    """
    wd = working_days()
    due_days = pd.to_datetime(due_at).to_numpy("datetime64[D]")
    due_index = np.searchsorted(wd, due_days, side="right") - 1
    today_index = np.searchsorted(wd, np.datetime64(as_of.date(), "D"), side="right") - 1
    return pd.Series(np.maximum(today_index - due_index, 0), index=due_at.index, dtype="int64")


def hourly_strip(
    frame: pd.DataFrame, columns: tuple[str, ...] = ("received", "received_online")
) -> pd.DataFrame:
    """One row per hour 0–23 with the counts of ``frame`` (hours with no dossier get 0)."""
    hours = pd.DataFrame({"hour": range(24)})
    if frame.empty:
        return hours.assign(**{c: 0 for c in columns})
    merged = hours.merge(frame[["hour", *columns]], on="hour", how="left")
    merged[list(columns)] = merged[list(columns)].fillna(0).astype("int64")
    return merged
