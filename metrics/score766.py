"""The 766 score estimated from local data, under a named rule set (docs/rules.md §11).

Decision 766/QĐ-TTg (23/6/2022) scores service quality out of 100 in six groups. Two rule sets:

- ``portal-2026`` (the default): the formulas the national portal scores with in 2026
  (shared/portal-766-2026.md, rebuilt from the portal's own scores): progress 20 × on-time
  rate; online services 12, full at 50 %; online payment 6A + min(2, 2,5B) + 2,5C; electronic
  results 6 × rate, digitised components 4 (full at 80 %), reuse min(2, 2 × rate / 80 %);
  dossier satisfaction min(6, 6 × r / 90 %), feedback on time and feedback satisfaction 6 × rate.
  A criterion with nothing to judge scores 0, except the two feedback criteria (6 each when a
  unit has no feedback) — dossier satisfaction scores 0 when no dossier was rated.
- ``decision-766-2022``: the earlier estimate: points = max × min(1, rate / target), digitisation's
  22 points split over three rates, any criterion with nothing to judge at its maximum.

What the dossier data cannot measure (transparency; personal-storage sync, population data and
certified copies in digitisation; 2 payment points in 2022) is "not measured here" and out of the
maximum. Under both sets a unit that handled no dossier in the period has no score (N/A, not
ranked). The national portal's own score is authoritative.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from metrics.compute import signed_sums
from metrics.registry import get_metric
from vocabulary import GROUP_MAX

#: Dossiers handled in the period (metric 1's denominator): none → no score.
HANDLED: tuple[str, ...] = ("settled", "open_end")


@dataclass(frozen=True, kw_only=True)
class Criterion:
    """One scored criterion: points = max × min(1, rate / full_at) (max × min(1, rate) without
    ``full_at``); ``empty`` points when there is nothing to judge (the metric's denominator, or
    the counters of ``judged_on``, sum to 0).
    """

    group: str
    metric: str | None  # None: not measurable from the dossier database
    max_points: float
    full_at: float | None = None
    empty: float = 0.0
    judged_on: tuple[str, ...] = ()
    rule: str


@dataclass(frozen=True)
class RuleSet:
    """A named set of criteria and the maximum of each group."""

    name: str
    criteria: tuple[Criterion, ...]
    group_max: dict[str, float] = field(hash=False)

    @property
    def measured(self) -> tuple[Criterion, ...]:
        """The criteria the dossier data can measure."""
        return tuple(c for c in self.criteria if c.metric is not None)

    def measured_group_max(self, group: str) -> float:
        """The most a group can score here: its maximum, or less when part of it is not measured."""
        found = sum(c.max_points for c in self.measured if c.group == group)
        return min(self.group_max[group], found)

    @property
    def scored_groups(self) -> tuple[str, ...]:
        """Groups with at least one measured criterion, in declaration order."""
        return tuple(dict.fromkeys(c.group for c in self.measured))

    @property
    def measured_max(self) -> float:
        """The maximum of the estimate: the measurable part of the 100 points."""
        return sum(self.measured_group_max(g) for g in self.scored_groups)


_R766 = "766/QĐ-TTg"
_PORTAL = "portal-766-2026"

PORTAL_2026 = RuleSet(
    "portal-2026",
    (
        Criterion(group="transparency", metric=None, max_points=18.0, rule=f"{_PORTAL}: catalogue data"),
        Criterion(group="progress", metric="on_time_rate", max_points=20.0, rule=f"{_PORTAL}: 20 × rate"),
        Criterion(
            group="online",
            metric="full_process_online_share",
            max_points=12.0,
            full_at=0.50,
            rule=f"{_PORTAL}: full at 50 %",
        ),
        Criterion(group="payment", metric="online_payment_share", max_points=6.0, rule=f"{_PORTAL}: 6 × A"),
        Criterion(
            group="payment",
            metric="fee_procedures_paid_online",
            max_points=2.0,
            full_at=0.80,
            rule=f"{_PORTAL}: min(2; 2,5 × B)",
        ),
        Criterion(group="payment", metric="fee_procedures_used", max_points=2.5, rule=f"{_PORTAL}: 2,5 × C"),
        Criterion(group="digitisation", metric="e_result_rate", max_points=6.0, rule=f"{_PORTAL}: 6 × rate"),
        Criterion(
            group="digitisation",
            metric="digitized_rate",
            max_points=4.0,
            full_at=0.80,
            rule=f"{_PORTAL}: full at 80 %",
        ),
        Criterion(
            group="digitisation",
            metric="reuse_rate",
            max_points=2.0,
            full_at=0.80,
            rule=f"{_PORTAL}: min(2; 2 × rate / 80 %)",
        ),
        Criterion(
            group="digitisation",
            metric=None,
            max_points=10.0,
            rule=f"{_PORTAL}: certified copies, personal storage, population data",
        ),
        Criterion(
            group="satisfaction",
            metric="satisfaction_766",
            max_points=6.0,
            full_at=0.90,
            judged_on=("rated",),
            rule=f"{_PORTAL} 5.4: min(6; 6 × r / 90 %); no rating → 0",
        ),
        Criterion(
            group="satisfaction",
            metric="feedback_on_time_rate",
            max_points=6.0,
            empty=6.0,
            rule=f"{_PORTAL}: 6 × rate; no feedback → 6",
        ),
        Criterion(
            group="satisfaction",
            metric="feedback_satisfaction",
            max_points=6.0,
            empty=6.0,
            rule=f"{_PORTAL} 5.3: 6 × rate; no feedback → 6",
        ),
    ),
    GROUP_MAX,
)


def _max_when_empty(
    group: str, metric: str | None, max_points: float, target: float | None, rule: str
) -> Criterion:
    return Criterion(
        group=group, metric=metric, max_points=max_points, full_at=target, empty=max_points, rule=rule
    )


_DIGI = 22.0 / 3.0
DECISION_2022 = RuleSet(
    "decision-766-2022",
    (
        _max_when_empty("transparency", None, 18.0, None, f"{_R766} group 1: needs catalogue data"),
        _max_when_empty("progress", "on_time_rate", 20.0, 0.98, f"{_R766} group 2; target ≥ 98%"),
        _max_when_empty("online", "full_process_online_share", 12.0, 0.50, f"{_R766} group 3; target 50%"),
        _max_when_empty("payment", "online_payment_share", 6.0, 0.80, f"{_R766} group 4 (×6); target 80%"),
        _max_when_empty("payment", "procedures_paid_online_share", 2.0, 0.80, f"{_R766} group 4 (×2)"),
        _max_when_empty("payment", None, 2.0, None, f"{_R766} group 4: 2 of 10 points not described"),
        _max_when_empty("digitisation", "e_result_rate", _DIGI, 0.80, f"{_R766} group 5; target 80%"),
        _max_when_empty("digitisation", "digitized_rate", _DIGI, 0.80, f"{_R766} group 5; target 80%"),
        _max_when_empty("digitisation", "reuse_rate", _DIGI, 0.80, f"{_R766} group 5; target 80%"),
        _max_when_empty("satisfaction", "feedback_on_time_rate", 6.0, None, f"{_R766} group 6: PAKN on time"),
        _max_when_empty("satisfaction", "feedback_satisfaction", 6.0, None, f"{_R766} group 6: PAKN answers"),
        _max_when_empty("satisfaction", "satisfaction_rate", 6.0, 0.90, f"{_R766} group 6; target 90%"),
    ),
    GROUP_MAX,
)

RULE_SETS: dict[str, RuleSet] = {r.name: r for r in (PORTAL_2026, DECISION_2022)}
DEFAULT = PORTAL_2026


def rule_set(name: str | None) -> RuleSet:
    """The rule set called ``name`` (the default when empty); KeyError for an unknown name."""
    return RULE_SETS[name] if name else DEFAULT


def points(rate: np.ndarray, max_points: float, full_at: float | None) -> np.ndarray:
    """Max × min(1, rate / full_at), or max × min(1, rate) without ``full_at``; NaN where the
    rate is N/A. The one place a rate becomes points.
    """
    rate = np.maximum(np.asarray(rate, dtype=float), 0.0)
    return max_points * np.minimum(rate / full_at if full_at else rate, 1.0)


@dataclass(frozen=True)
class Scored:
    """Every measured criterion of every row of a counters frame: parts, rate and points."""

    criteria: tuple[Criterion, ...]
    numerators: np.ndarray  # rows × criteria
    denominators: np.ndarray
    rates: np.ndarray  # NaN where the denominator is 0
    empty: np.ndarray  # True where the criterion had nothing to judge
    points: np.ndarray
    scored: np.ndarray  # per row: False when the unit handled nothing (no score)


def score_frame(frame: pd.DataFrame, rules: RuleSet = DEFAULT) -> Scored:
    """Rates and points of each measured criterion for each row of ``frame``, at once."""
    measured = rules.measured
    sum_of = signed_sums(frame)
    shape = (len(frame), len(measured))
    nums, dens, rates, pts = (np.zeros(shape) for _ in range(4))
    empty = np.zeros(shape, dtype=bool)
    for i, c in enumerate(measured):
        metric = get_metric(str(c.metric))
        nums[:, i], dens[:, i] = sum_of(metric.numerator), sum_of(metric.denominator)
        judged = dens[:, i] != 0
        rates[:, i] = np.divide(nums[:, i], dens[:, i], out=np.full(len(frame), np.nan), where=judged)
        empty[:, i] = ~judged | (sum_of(c.judged_on) == 0 if c.judged_on else False)
        pts[:, i] = np.where(empty[:, i], c.empty, points(rates[:, i], c.max_points, c.full_at))
    return Scored(measured, nums, dens, rates, empty, pts, sum_of(HANDLED) > 0)


def scores(frame: pd.DataFrame, rules: RuleSet = DEFAULT) -> pd.Series:
    """The estimated score of every row of a counters frame (out of ``rules.measured_max``);
    NaN for a unit that handled nothing.
    """
    scored = score_frame(frame, rules)
    return pd.Series(np.where(scored.scored, scored.points.sum(axis=1), np.nan), index=frame.index)


def group_points_frame(frame: pd.DataFrame, rules: RuleSet = DEFAULT) -> pd.DataFrame:
    """``points_<group>`` per row for each scored group (NaN where the unit has no score)."""
    scored = score_frame(frame, rules)
    out = pd.DataFrame(index=frame.index)
    for group in rules.scored_groups:
        columns = [i for i, c in enumerate(scored.criteria) if c.group == group]
        out[f"points_{group}"] = np.where(scored.scored, scored.points[:, columns].sum(axis=1), np.nan)
    return out


def breakdown(counters: pd.Series | dict[str, float], rules: RuleSet = DEFAULT) -> pd.DataFrame:
    """Each criterion for one unit: rate, threshold, points, numerator, denominator, rule, and
    whether it had nothing to judge (``no_data``).
    """
    scored = score_frame(pd.DataFrame([dict(counters)]), rules)
    position = {id(c): i for i, c in enumerate(scored.criteria)}
    rows = []
    for c in rules.criteria:
        i = position.get(id(c))
        measured = i is not None
        rate = None if i is None or np.isnan(scored.rates[0, i]) else float(scored.rates[0, i])
        rows.append(
            dict(
                group=c.group,
                criterion=c.metric,
                rate=rate,
                target=c.full_at if measured else None,
                max_points=c.max_points,
                points=float(scored.points[0, i]) if i is not None and scored.scored[0] else None,
                numerator=None if i is None else float(scored.numerators[0, i]),
                denominator=None if i is None else float(scored.denominators[0, i]),
                measured=measured,
                no_data=bool(scored.empty[0, i]) if i is not None else False,
                rule=c.rule,
            )
        )
    return pd.DataFrame(rows)


def total(counters: pd.Series | dict[str, float], rules: RuleSet = DEFAULT) -> float | None:
    """The estimated score of one unit (None when it handled nothing)."""
    value = float(scores(pd.DataFrame([dict(counters)]), rules).iloc[0])
    return None if np.isnan(value) else value


def official_totals(official: pd.DataFrame) -> pd.Series:
    """The portal's published total per unit (the sum of its groups), from rows of
    (unit_code, group, points).
    """
    if official.empty:
        return pd.Series(dtype=float)
    return official.groupby("unit_code")["points"].sum().astype(float)


def compare_with_official(
    counters: pd.Series | dict[str, float], official: pd.DataFrame, rules: RuleSet = DEFAULT
) -> pd.DataFrame:
    """Per group of one unit: the portal's published points, the estimate and the gap (estimate
    − official; None where either is missing), and a last row for the groups the estimate measures.

    ``official`` holds that unit's rows of (group, points).
    """
    published = dict(zip(official["group"], official["points"].astype(float), strict=True))
    estimate = group_points_frame(pd.DataFrame([dict(counters)]), rules).iloc[0]
    rows = []
    for group in rules.group_max:
        mine = estimate.get(f"points_{group}")
        mine = None if mine is None or pd.isna(mine) else float(mine)
        theirs = published.get(group)
        gap = None if mine is None or theirs is None else mine - theirs
        rows.append(dict(group=group, official=theirs, estimate=mine, gap=gap))
    table = pd.DataFrame(rows, columns=["group", "official", "estimate", "gap"])
    both = table.dropna(subset=["official", "estimate"])
    total = dict(
        group="measured",
        official=float(both["official"].sum()) if len(both) else None,
        estimate=float(both["estimate"].sum()) if len(both) else None,
        gap=float(both["gap"].sum()) if len(both) else None,
    )
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)
