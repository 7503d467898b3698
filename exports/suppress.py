"""Small-cell suppression for everything that leaves the dashboard as a file (issue 6).

Exports hold aggregates only, and a unit-level cell counting fewer dossiers (or feedback items)
than the minimum (setting ``IOC_MIN_CELL``, default 5) is suppressed so that no citizen can be
singled out. The rules, applied per unit (or per unit and month):

- a **count** cell with 1 to min−1 dossiers shows as "<5"; zero stays 0 (an empty cell names no one);
- a **rate** is suppressed ("ẩn") when the dossiers behind it (its denominator) are a suppressed
  count, or when its numerator is one: the rate times the shown base would give that small count
  back;
- in a **channel mix** each channel count is a cell; when exactly one channel of a unit is
  suppressed, the smallest other channel of that unit is suppressed too (complementary
  suppression), because the total minus the shown channels would otherwise give the hidden one
  back. The smallest, zeros included (a postal 0 beside 3 in person protects the 3: the reader
  learns only that the two make 3), and online kept whenever another channel can serve: the
  online share is the figure the chart and its target are about. With three channels and a
  published total the complement is often large (65 in person beside 2 postal): the chart then
  shows the two as one merged segment (their sum is the total minus the rest, public anyway),
  so no share vanishes, and says once under the chart what was merged and why.

A rate whose denominator is 0 is N/A (None), as everywhere in the dashboard, not suppressed.
Known limit: the complement of a rate (dossiers *not* on time) is not checked; a late count is
about an agency's work, not a person.
"""

from __future__ import annotations

import pandas as pd

from metrics.compute import compute
from metrics.registry import Metric

#: Counter columns that are sums of working days, not counts of dossiers.
DAY_SUMS = frozenset({"processing_days", "limit_days"})
#: Counter columns that count procedures (a catalogue fact), not dossiers.
PROCEDURE_COUNTS = frozenset(
    {
        "procedures_used",
        "procedures_online",
        "procedures_full",
        "procedures_with_fee",
        "procedures_paid_online",
        "procedures_fee_listed",
    }
)
#: The dossiers behind a metric whose own denominator is not a dossier count.
FALLBACK_BASE: dict[str, tuple[str, ...]] = {
    "time_saved_share": ("processing_n",),
    "online_provision": ("received",),
    "full_process_provision": ("received",),
    "procedures_paid_online_share": ("fee_required",),
    "fee_procedures_paid_online": ("fee_required",),
    "fee_procedures_used": ("fee_required",),
}
CHANNELS: tuple[str, ...] = ("online", "direct", "postal")


def is_count_part(name: str) -> bool:
    """True for a counter that counts dossiers or feedback items."""
    name = name.lstrip("-")
    return name not in DAY_SUMS and name not in PROCEDURE_COUNTS


def is_small(count: pd.Series, min_cell: int) -> pd.Series:
    """Cells with 1 to ``min_cell``−1 items (NaN and 0 are not small)."""
    values = pd.to_numeric(count, errors="coerce")
    return ((values > 0) & (values < min_cell)).fillna(False).astype(bool)


def _signed(frame: pd.DataFrame, parts: tuple[str, ...]) -> pd.Series:
    total = pd.Series(0.0, index=frame.index)
    for part in parts:
        sign, col = (-1.0, part[1:]) if part.startswith("-") else (1.0, part)
        if col in frame.columns:
            total = total + sign * pd.to_numeric(frame[col]).fillna(0).astype(float)
    return total


def base_count(frame: pd.DataFrame, metric: Metric) -> pd.Series:
    """The dossiers (or feedback items) behind ``metric`` in each row of a counters frame."""
    if not metric.is_ratio:
        return _signed(frame, metric.numerator)
    parts = tuple(p for p in metric.denominator if is_count_part(p))
    return _signed(frame, parts or FALLBACK_BASE.get(metric.name, ("received",)))


def numerator_count(frame: pd.DataFrame, metric: Metric) -> pd.Series | None:
    """The count a ratio's numerator reveals, or None when its numerator is not a dossier count."""
    parts = tuple(p for p in metric.numerator if is_count_part(p))
    if not metric.is_ratio or not parts or len(parts) != len(metric.numerator):
        return None
    return _signed(frame, parts)


def metric_cells(counters: pd.DataFrame, metric: Metric, min_cell: int) -> pd.DataFrame:
    """Per row of ``counters``: ``base`` (dossiers behind the figure), ``value`` (None when N/A
    or suppressed), ``base_hidden`` and ``hidden`` (the value is suppressed).
    """
    values = compute(counters, [metric])[metric.name].astype(object)
    base = base_count(counters, metric)
    base_hidden = is_small(base, min_cell)
    hidden = base_hidden.copy()
    numerator = numerator_count(counters, metric)
    if numerator is not None:
        hidden = hidden | is_small(numerator, min_cell)
    values = values.where(~hidden & values.notna(), None)
    return pd.DataFrame(
        {"base": base, "value": values, "base_hidden": base_hidden, "hidden": hidden}, index=counters.index
    )


def channel_cells(counters: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Per row of ``counters``: ``n_<channel>``, ``share_<channel>`` (None when hidden or N/A),
    ``hidden_<channel>``, ``complement_<channel>`` (hidden only to protect another cell),
    ``received`` and ``received_hidden``; primary and complementary suppression.
    """
    out = pd.DataFrame(index=counters.index)
    total = pd.to_numeric(counters["received"]).fillna(0).astype(float)
    out["received"] = total
    out["received_hidden"] = is_small(total, min_cell)
    counts = {c: pd.to_numeric(counters[f"received_{c}"]).fillna(0).astype(float) for c in CHANNELS}
    hidden = {c: is_small(counts[c], min_cell) | out["received_hidden"] for c in CHANNELS}
    complement = {c: pd.Series(False, index=out.index) for c in CHANNELS}
    lone = sum(hidden[c].astype(int) for c in CHANNELS) == 1
    for idx in out.index[lone]:
        others = [c for c in CHANNELS if not hidden[c].loc[idx]]
        smallest = min(others, key=lambda c: (c == "online", counts[c].loc[idx], CHANNELS.index(c)))
        hidden[smallest].loc[idx] = complement[smallest].loc[idx] = True
    for c in CHANNELS:
        share = (counts[c] / total.where(total > 0)).astype(object)
        out[f"n_{c}"] = counts[c]
        out[f"hidden_{c}"] = hidden[c]
        out[f"complement_{c}"] = complement[c]
        out[f"share_{c}"] = share.where(~hidden[c] & share.notna(), None)
    return out
