"""What the wall screen derives from the figures: alarms, working days late, the hourly strip.

Pure functions, no Streamlit and no SQL. The alarm rules are data (``metrics/alarm_rules.csv``,
read into :data:`ALARM_RULES`: a measure, a level, a fixed limit or a margin under the target), so
a deployment changes them in one place; the targets they refer to come from the targets table
(docs/rules.md §13). docs/screens.md "Alarms" explains them.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from metrics.registry import get_metric
from metrics.targets import target_for
from timebase.workdays import working_days

#: The alarm rules as data: one row per measure and level (``metrics/alarm_rules.csv``).
RULES_FILE = Path(__file__).with_name("alarm_rules.csv")
#: Measures an alarm can watch besides the registry's metrics: name → (numerator, denominator)
#: counters. The overdue share is the open dossiers past due over all open dossiers at the moment
#: the figures are taken (docs/rules.md §3 over the "open at the end" of §1).
DERIVED = {"overdue_share": ("open_overdue", "open_end")}
KINDS = ("limit", "below_target_by")


@dataclass(frozen=True)
class AlarmRule:
    """When a measure at a level turns the wall red.

    ``kind="limit"``: alarm when the value is worse than ``threshold`` (above it for a
    lower-is-better measure). ``kind="below_target_by"``: alarm when the value misses the
    measure's target (targets table, for the level) by more than ``threshold`` (0.02 = 2
    percentage points). A unit whose base (the measure's denominator) is below ``min_base`` is
    not judged (None: the caller's minimum, the ``IOC_MIN_DOSSIERS`` setting): one late dossier
    of two is no alarm.
    """

    measure: str
    level: str
    kind: str
    threshold: float
    min_base: int | None = None


def load_rules(path: Path = RULES_FILE) -> tuple[AlarmRule, ...]:
    """The alarm rules of ``path`` (CSV: measure, level, kind, threshold, min_base, why)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rules = []
    for row in rows:
        if row["kind"] not in KINDS:
            raise ValueError(f"{path.name}: unknown alarm kind {row['kind']!r}")
        if row["measure"] not in DERIVED:
            get_metric(row["measure"])  # raises for an unknown metric
        base = row.get("min_base", "").strip()
        rules.append(
            AlarmRule(
                row["measure"],
                row["level"],
                row["kind"],
                float(row["threshold"]),
                int(base) if base else None,
            )
        )
    return tuple(rules)


ALARM_RULES: tuple[AlarmRule, ...] = load_rules()


@dataclass(frozen=True)
class Alarm:
    """One unit whose measure is past its alarm threshold."""

    measure: str
    level: str
    unit_code: str
    unit_name: str
    value: float
    threshold: float  # the value that would have been no alarm: the limit, or target − margin
    target: float | None  # the target the margin is taken from (``below_target_by`` rules)
    kind: str

    @property
    def excess(self) -> float:
        """How far past the threshold, in the measure's unit (for ordering: worst first)."""
        return abs(self.value - self.threshold)


def higher_is_better(measure: str) -> bool:
    """The direction of a measure (a derived share: lower is better)."""
    return False if measure in DERIVED else get_metric(measure).higher_is_better


def measure_values(frame: pd.DataFrame, measure: str) -> tuple[pd.Series, pd.Series]:
    """(value, base) of ``measure`` per row of ``frame`` (counters and metric columns); value is
    NaN where the base is 0.
    """
    if measure in DERIVED:
        top, bottom = DERIVED[measure]
        num = pd.to_numeric(frame.get(top, 0), errors="coerce").fillna(0).astype(float)
        base = pd.to_numeric(frame.get(bottom, 0), errors="coerce").fillna(0).astype(float)
    else:
        metric = get_metric(measure)
        base = pd.Series(0.0, index=frame.index)
        for column in metric.denominator:
            sign = -1.0 if column.startswith("-") else 1.0
            base = base + sign * pd.to_numeric(frame.get(column.lstrip("-"), 0), errors="coerce").fillna(0)
        value = pd.to_numeric(frame[measure], errors="coerce").astype(float)
        # A count (no denominator) is judged whatever its size.
        return value, base if metric.denominator else pd.Series(float("inf"), index=frame.index)
    return (num / base.where(base > 0)), base


def _limit(rule: AlarmRule, targets: pd.DataFrame, year: int) -> tuple[float, float | None] | None:
    """(threshold, target) of ``rule``; None when it needs a target and there is none."""
    if rule.kind == "limit":
        return rule.threshold, None
    found = target_for(targets, get_metric(rule.measure).target_key, year, level=rule.level)
    if found is None:
        return None
    return found[0] - rule.threshold, found[0]


def evaluate_alarms(
    frames: Mapping[str, pd.DataFrame],
    targets: pd.DataFrame,
    year: int,
    min_base: int = 0,
    rules: Sequence[AlarmRule] = ALARM_RULES,
) -> list[Alarm]:
    """The alarms ``rules`` raise on the unit tables ``frames`` (level → one row per unit with
    ``unit_code``, ``unit_name``, its counters and metric columns), worst first within a
    measure, the province's before its units'. N/A never alarms; a ``below_target_by`` rule
    with no target for the year raises nothing (no target, no alarm); a value exactly at the
    threshold is no alarm.
    """
    raised: list[Alarm] = []
    for rule in rules:
        frame = frames.get(rule.level)
        found = _limit(rule, targets, year)
        if frame is None or frame.empty or found is None:
            continue
        threshold, target = found
        values, base = measure_values(frame, rule.measure)
        needed = rule.min_base if rule.min_base is not None else min_base
        for i in range(len(frame)):
            value = values.iloc[i]
            if pd.isna(value) or base.iloc[i] < max(needed, 1):
                continue
            gap = round(float(value) - threshold, 9)  # 49/50 is 98 %, not 97.99…
            if gap < 0 if higher_is_better(rule.measure) else gap > 0:
                row = frame.iloc[i]
                raised.append(
                    Alarm(
                        rule.measure,
                        rule.level,
                        str(row["unit_code"]),
                        str(row["unit_name"]),
                        float(value),
                        threshold,
                        target,
                        rule.kind,
                    )
                )
    order = {level: i for i, level in enumerate(("province", "district", "commune", "agency"))}
    return sorted(raised, key=lambda a: (a.measure, order.get(a.level, 9), -a.excess))


def alarmed_measures(alarms: Sequence[Alarm], level: str = "province") -> set[str]:
    """The measures in alarm at ``level`` (the wall's tiles are the province's)."""
    return {a.measure for a in alarms if a.level == level}


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
