"""Pure functions that turn counter frames into metric values.

Ratios are always the sum of numerators over the sum of denominators (docs/rules.md §0):
roll the counters up first with :func:`rollup`, then call :func:`compute`. N/A (None) when the
denominator is 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from metrics.registry import DESK_METRICS, METRICS, Metric


def ratio(numerator: float, denominator: float) -> float | None:
    """Numerator / denominator, or None when the denominator is 0."""
    return None if not denominator else numerator / denominator


def signed_sums(frame: pd.DataFrame) -> Callable[[Sequence[str]], np.ndarray]:
    """A function giving the signed sum of named counters (``-name`` subtracts) per row of
    ``frame``, as floats (N/A counts 0, absent columns are skipped): each counter is converted
    once, however many metrics share it. The only place a metric's parts are added up.
    """
    columns = set(frame.columns)
    numeric: dict[str, np.ndarray] = {}

    def sum_of(names: Sequence[str]) -> np.ndarray:
        total = np.zeros(len(frame))
        for name in names:
            sign, col = (-1.0, name[1:]) if name.startswith("-") else (1.0, name)
            if col in columns:
                if col not in numeric:
                    numeric[col] = pd.to_numeric(frame[col]).fillna(0).to_numpy(dtype=float)
                total = total + sign * numeric[col]
        return total

    return sum_of


def signed_sum(frame: pd.DataFrame, names: Sequence[str]) -> pd.Series:
    """The signed sum of the named counters per row of ``frame`` (see :func:`signed_sums`)."""
    return pd.Series(signed_sums(frame)(names), index=frame.index)


def compute(frame: pd.DataFrame, metrics: Iterable[Metric] = (*METRICS, *DESK_METRICS)) -> pd.DataFrame:
    """A copy of ``frame`` with one column per metric whose counters the frame holds (the desk
    metrics only where the desk counters were added).

    Ratio columns hold floats in 0–1 (or None for N/A); count columns hold numbers.
    """
    columns = set(frame.columns)
    sum_of = signed_sums(frame)
    added: dict[str, np.ndarray] = {}
    for metric in metrics:
        needed = {c.lstrip("-") for c in metric.numerator + metric.denominator}
        if not needed <= columns:
            continue
        num = sum_of(metric.numerator)
        if not metric.is_ratio:
            added[metric.name] = num
            continue
        den = sum_of(metric.denominator)
        values = np.full(len(frame), None, dtype=object)
        measured = den != 0
        values[measured] = num[measured] / den[measured]
        added[metric.name] = values
    # One concatenation: inserting ~40 columns one by one re-validated the column index each time
    # (with pandas' Arrow strings, a third of a wall page's server time under load).
    out = frame.copy()
    for name in [n for n in added if n in columns]:
        out[name] = added.pop(name)
    if not added:
        return out
    return pd.concat([out, pd.DataFrame(added, index=frame.index)], axis=1)


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
