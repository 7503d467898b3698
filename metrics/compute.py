"""Pure functions that turn counter frames into metric values.

Ratios are always the sum of numerators over the sum of denominators (domain.md "Metrics"):
roll the counters up first with :func:`rollup`, then call :func:`compute`. N/A (None) when the
denominator is 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from metrics.registry import DESK_METRICS, METRICS, Metric


def _signed_sum(frame: pd.DataFrame, names: Sequence[str]) -> pd.Series:
    total = pd.Series(0.0, index=frame.index)
    for name in names:
        sign, col = (-1.0, name[1:]) if name.startswith("-") else (1.0, name)
        if col in frame.columns:
            total = total + sign * pd.to_numeric(frame[col]).fillna(0).astype(float)
    return total


def ratio(numerator: float, denominator: float) -> float | None:
    """Numerator / denominator, or None when the denominator is 0."""
    return None if not denominator else numerator / denominator


def value_of(metric: Metric, row: pd.Series | dict[str, float]) -> float | None:
    """The metric's value for one row of counters."""
    frame = pd.DataFrame([dict(row)])
    return compute(frame, [metric]).iloc[0][metric.name]


def compute(frame: pd.DataFrame, metrics: Iterable[Metric] = (*METRICS, *DESK_METRICS)) -> pd.DataFrame:
    """A copy of ``frame`` with one column per metric whose counters the frame holds (the desk
    metrics only where the desk counters were added).

    Ratio columns hold floats in 0–1 (or None for N/A); count columns hold numbers.
    """
    out = frame.copy()
    for metric in metrics:
        needed = {c.lstrip("-") for c in metric.numerator + metric.denominator}
        if not needed <= set(frame.columns):
            continue
        num = _signed_sum(frame, metric.numerator)
        if not metric.is_ratio:
            out[metric.name] = num
            continue
        den = _signed_sum(frame, metric.denominator)
        values = (num / den.where(den != 0)).astype(object)
        out[metric.name] = values.where(den != 0, None)
    return out


def rollup(frame: pd.DataFrame, by: Sequence[str], counters: Sequence[str]) -> pd.DataFrame:
    """Sum ``counters`` over rows sharing the ``by`` columns (all rows when ``by`` is empty)."""
    present = [c for c in counters if c in frame.columns]
    if not by:
        return frame[present].sum().to_frame().T
    return frame.groupby(list(by), as_index=False, sort=True)[present].sum()


def change(current: float | None, previous: float | None) -> float | None:
    """Current minus previous (percentage points for ratios); None if either is N/A."""
    if current is None or previous is None or pd.isna(current) or pd.isna(previous):
        return None
    return float(current) - float(previous)
