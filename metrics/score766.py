"""The 766-style score, estimated from local data (domain.md metric 11).

Decision 766/QĐ-TTg (23/6/2022) scores service quality out of 100 in six groups. Per criterion:
points = max × min(1, rate / target) where a target exists, else max × rate. The dossier
database cannot measure everything: transparency (18 points) needs catalogue data, and the
online-payment group names only 8 of its 10 points; those are shown "not measured here", so the
estimate is out of :data:`MEASURED_MAX` (80). The national portal's own score is authoritative.

Conventions where domain.md is silent, stated so a reader can challenge them:
- digitisation's 22 points are split equally over its three components of metric 8;
- a unit with no PAKN gets the 12 PAKN points (the 766 convention, domain.md); by the same
  convention any criterion with nothing to judge (zero denominator) earns its maximum, flagged
  ``no_data`` so the screen can say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.compute import _signed_sum, signed_sums
from metrics.registry import get_metric


@dataclass(frozen=True)
class Criterion:
    """One scored criterion: its group, metric, maximum points and target (None = no target)."""

    group: str
    metric: str | None  # None: not measurable from the dossier database
    max_points: float
    target: float | None
    rule: str


_DIGI = 22.0 / 3.0
CRITERIA: tuple[Criterion, ...] = (
    Criterion("transparency", None, 18.0, None, "766 group 1: needs catalogue data"),
    Criterion("progress", "on_time_rate", 20.0, 0.98, "766 group 2; target ≥ 98% (domain.md)"),
    Criterion("online_services", "full_process_online_share", 12.0, 0.50, "766 group 3; target 50%"),
    Criterion("online_payment", "online_payment_share", 6.0, 0.80, "766 group 4 (×6); target 80%"),
    Criterion("online_payment", "procedures_paid_online_share", 2.0, 0.80, "766 group 4 (×2); target 80%"),
    Criterion("online_payment", None, 2.0, None, "766 group 4: 2 of 10 points not given in domain.md"),
    Criterion("digitisation", "e_result_rate", _DIGI, 0.80, "766 group 5; target 80%"),
    Criterion("digitisation", "digitized_rate", _DIGI, 0.80, "766 group 5; target 80%"),
    Criterion("digitisation", "reuse_rate", _DIGI, 0.80, "766 group 5; target 80%"),
    Criterion("satisfaction", "feedback_on_time_rate", 6.0, None, "766 group 6: PAKN on time"),
    Criterion("satisfaction", "feedback_satisfaction", 6.0, None, "766 group 6: PAKN satisfaction"),
    Criterion("satisfaction", "satisfaction_rate", 6.0, 0.90, "766 group 6; target 90%"),
)
GROUP_MAX: dict[str, float] = {
    "transparency": 18.0,
    "progress": 20.0,
    "online_services": 12.0,
    "online_payment": 10.0,
    "digitisation": 22.0,
    "satisfaction": 18.0,
}
MEASURED_MAX: float = sum(c.max_points for c in CRITERIA if c.metric is not None)


def points(rate: float | None, max_points: float, target: float | None) -> float:
    """Max × min(1, rate / target), or max × rate without a target; max when rate is N/A."""
    if rate is None or pd.isna(rate):
        return max_points
    if target:
        return max_points * min(1.0, max(0.0, rate) / target)
    return max_points * min(1.0, max(0.0, rate))


def breakdown(counters: pd.Series | dict[str, float]) -> pd.DataFrame:
    """Each criterion for one unit: rate, target, points, numerator, denominator, rule.

    ``counters`` is one row holding the dossier, procedure and feedback counters of the unit.
    """
    row = pd.DataFrame([dict(counters)])
    rows = []
    for c in CRITERIA:
        if c.metric is None:
            rows.append(
                dict(
                    group=c.group,
                    criterion=None,
                    rate=None,
                    target=None,
                    max_points=c.max_points,
                    points=None,
                    numerator=None,
                    denominator=None,
                    measured=False,
                    no_data=False,
                    rule=c.rule,
                )
            )
            continue
        metric = get_metric(c.metric)
        num = float(_signed_sum(row, metric.numerator).iloc[0])
        den = float(_signed_sum(row, metric.denominator).iloc[0])
        rate = num / den if den else None
        rows.append(
            dict(
                group=c.group,
                criterion=c.metric,
                rate=rate,
                target=c.target,
                max_points=c.max_points,
                points=points(rate, c.max_points, c.target),
                numerator=num,
                denominator=den,
                measured=True,
                no_data=rate is None,
                rule=c.rule,
            )
        )
    return pd.DataFrame(rows)


def total(counters: pd.Series | dict[str, float]) -> float:
    """The estimated score: the sum of the measured criteria's points (out of MEASURED_MAX)."""
    return float(breakdown(counters)["points"].sum(skipna=True))


def group_points(counters: pd.Series | dict[str, float]) -> dict[str, float | None]:
    """Points per group (None for a group nothing of which is measured here)."""
    table = breakdown(counters)
    out: dict[str, float | None] = {}
    for group, rows in table.groupby("group", sort=False):
        measured = rows[rows["measured"]]
        out[str(group)] = float(measured["points"].sum()) if len(measured) else None
    return out


def scores(frame: pd.DataFrame) -> pd.Series:
    """The estimated score of every row of a counters frame (vectorised :func:`total`)."""
    signed_sum = signed_sums(frame)
    result = np.zeros(len(frame))
    for c in CRITERIA:
        if c.metric is None:
            continue
        metric = get_metric(c.metric)
        num, den = signed_sum(metric.numerator), signed_sum(metric.denominator)
        rate = np.maximum(np.divide(num, den, out=np.full(len(frame), np.nan), where=den != 0), 0)
        share = np.minimum(rate / c.target if c.target else rate, 1)
        result += np.where(np.isnan(share), c.max_points, c.max_points * share)  # N/A: nothing to judge → max
    return pd.Series(result, index=frame.index)
