"""What pulls a unit down: each part's shortfall and the share of the unit's shortfall it explains.

A rate where higher is better (docs/rules.md §1 and §9) falls short of 100% by the dossiers (or
ratings) counted in its denominator but not in its numerator. That count is the **shortfall**:

- on-time rate (metric 1, Decision 766/QĐ-TTg progress criterion): handled − on time
  = (settled + open at the end) − (settled on time + open within due) = the **late dossiers**
  (settled late, two or more supplement requests, or open past due);
- satisfaction (metric 9, Resolution 76/NQ-CP): rated − (very satisfied + satisfied)
  = the **unsatisfied ratings**.

Counts add up, rates do not: a part's **share of the unit's shortfall** is its shortfall over the
unit's shortfall (e.g. 12 of the district's 40 late dossiers = 30%), so the shares of disjoint
parts add up to at most 100% and a commune with 3 dossiers cannot explain more than 3 late ones.
The rate shown beside a part is the registry's ratio of sums for that part, never a mean of ratios;
a part whose denominator is below the minimum is flagged ``small``.
"""

from __future__ import annotations

import pandas as pd

from metrics.compute import compute, signed_sum
from metrics.registry import Metric, get_metric


def _ratio_metric(name: str) -> Metric:
    metric = get_metric(name)
    if not metric.is_ratio or not metric.higher_is_better:
        raise ValueError(f"{name} is not a ratio where higher is better; it has no shortfall")
    return metric


def shortfall(counters: pd.DataFrame, metric_name: str) -> pd.Series:
    """Denominator − numerator of ``metric_name`` per row: what keeps the rate below 100%."""
    metric = _ratio_metric(metric_name)
    return signed_sum(counters, metric.denominator) - signed_sum(counters, metric.numerator)


def base(counters: pd.DataFrame, metric_name: str) -> pd.Series:
    """The metric's denominator per row (dossiers handled, ratings received)."""
    return signed_sum(counters, _ratio_metric(metric_name).denominator)


def share(part: float, whole: float) -> float | None:
    """``part`` / ``whole``, None when the whole has no shortfall at all."""
    return None if not whole else float(part) / float(whole)


def shortfall_table(
    parts: pd.DataFrame, unit: pd.Series | dict[str, float], metric_name: str, min_dossiers: int = 0
) -> pd.DataFrame:
    """Each part (a row of counters with ``key`` and ``name``) against the unit it belongs to.

    Columns: key, name, ``shortfall`` (count), ``base`` (the metric's denominator), ``rate``
    (the metric for the part, a ratio of sums), ``share`` (of the unit's shortfall, None when
    the unit has none) and ``small`` (base below ``min_dossiers``). Sorted by shortfall, largest
    first; parts with no shortfall are dropped, since they pull nothing down.
    """
    columns = ["key", "name", "shortfall", "base", "rate", "share", "small"]
    if parts.empty:
        return pd.DataFrame(columns=columns)
    whole = float(shortfall(pd.DataFrame([dict(unit)]), metric_name).iloc[0])
    out = pd.DataFrame(
        {
            "key": parts["key"].astype(str),
            "name": parts["name"],
            "shortfall": shortfall(parts, metric_name),
            "base": base(parts, metric_name),
            "rate": compute(parts, [get_metric(metric_name)])[metric_name],
        }
    )
    out = out[out["shortfall"] > 0].copy()
    out["share"] = [share(v, whole) for v in out["shortfall"]]
    out["small"] = out["base"] < min_dossiers
    return out.sort_values(["shortfall", "key"], ascending=[False, True]).reset_index(drop=True)[columns]
