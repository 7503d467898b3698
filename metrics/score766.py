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

from metrics.compute import signed_sums
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


def points(rate: np.ndarray, max_points: float, target: float | None) -> np.ndarray:
    """Max × min(1, rate / target), or max × min(1, rate) without a target; max where the rate
    is N/A (NaN: nothing to judge). The one place a rate becomes points.
    """
    rate = np.maximum(np.asarray(rate, dtype=float), 0.0)
    share = np.minimum(rate / target if target else rate, 1.0)
    return np.where(np.isnan(share), max_points, max_points * share)


@dataclass(frozen=True)
class Scored:
    """Every measured criterion of every row of a counters frame: parts, rate and points."""

    criteria: tuple[Criterion, ...]
    numerators: np.ndarray  # rows × criteria
    denominators: np.ndarray
    rates: np.ndarray  # NaN where the denominator is 0
    points: np.ndarray


def score_frame(frame: pd.DataFrame) -> Scored:
    """Rates and points of each measured criterion for each row of ``frame``, at once."""
    measured = tuple(c for c in CRITERIA if c.metric is not None)
    sum_of = signed_sums(frame)
    shape = (len(frame), len(measured))
    nums, dens, rates, pts = (np.zeros(shape) for _ in range(4))
    for i, c in enumerate(measured):
        metric = get_metric(str(c.metric))
        nums[:, i], dens[:, i] = sum_of(metric.numerator), sum_of(metric.denominator)
        judged = dens[:, i] != 0
        rates[:, i] = np.divide(nums[:, i], dens[:, i], out=np.full(len(frame), np.nan), where=judged)
        pts[:, i] = points(rates[:, i], c.max_points, c.target)
    return Scored(measured, nums, dens, rates, pts)


def scores(frame: pd.DataFrame) -> pd.Series:
    """The estimated score of every row of a counters frame (out of MEASURED_MAX)."""
    return pd.Series(score_frame(frame).points.sum(axis=1), index=frame.index)


def group_points_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``points_<group>`` per row for each group with a measured criterion."""
    scored = score_frame(frame)
    out = pd.DataFrame(index=frame.index)
    for group in dict.fromkeys(c.group for c in scored.criteria):
        columns = [i for i, c in enumerate(scored.criteria) if c.group == group]
        out[f"points_{group}"] = scored.points[:, columns].sum(axis=1)
    return out


def breakdown(counters: pd.Series | dict[str, float]) -> pd.DataFrame:
    """Each criterion for one unit: rate, target, points, numerator, denominator, rule.

    ``counters`` is one row holding the dossier, procedure and feedback counters of the unit.
    """
    scored = score_frame(pd.DataFrame([dict(counters)]))
    position = {c: i for i, c in enumerate(scored.criteria)}
    rows = []
    for c in CRITERIA:
        i = position.get(c)
        rate = None if i is None or np.isnan(scored.rates[0, i]) else float(scored.rates[0, i])
        rows.append(
            dict(
                group=c.group,
                criterion=c.metric,
                rate=rate,
                target=c.target if i is not None else None,
                max_points=c.max_points,
                points=None if i is None else float(scored.points[0, i]),
                numerator=None if i is None else float(scored.numerators[0, i]),
                denominator=None if i is None else float(scored.denominators[0, i]),
                measured=i is not None,
                no_data=i is not None and rate is None,
                rule=c.rule,
            )
        )
    return pd.DataFrame(rows)


def total(counters: pd.Series | dict[str, float]) -> float:
    """The estimated score of one unit: the sum of the measured criteria's points."""
    return float(scores(pd.DataFrame([dict(counters)])).iloc[0])
