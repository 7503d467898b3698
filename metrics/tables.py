"""Unit tables: counters per unit → every metric, the 766-style score and the rank.

Pure: takes the frame ``data_access.queries.unit_counters`` returns and adds columns. The
overview, the ranking screen and ``cli.py report`` all go through :func:`unit_metrics`, so a
figure is computed in one place whichever screen shows it.
"""

from __future__ import annotations

import pandas as pd

from metrics import score766
from metrics.compute import compute
from metrics.registry import METRICS
from metrics.standing import ranks
from vocabulary import DESK_COUNTERS

ID_COLUMNS = ("unit_code", "unit_name", "parent_code", "lat", "lon")


def counter_columns(frame: pd.DataFrame) -> list[str]:
    """The additive counter columns of a unit-counters frame."""
    metric_names = {m.name for m in METRICS} | {"score_766", "rank", "small"}
    return [
        c
        for c in frame.columns
        if c not in ID_COLUMNS and c not in metric_names and pd.api.types.is_numeric_dtype(frame[c])
    ]


def unit_metrics(
    counters: pd.DataFrame,
    min_dossiers: int = 0,
    rank_by: str = "score_766",
    rules: score766.RuleSet = score766.DEFAULT,
) -> pd.DataFrame:
    """Every metric per unit, the estimated 766 score, and competition ranks by ``rank_by``.

    A unit whose ranking denominator (dossiers handled, for the score and for counts; the
    metric's own denominator otherwise) is below ``min_dossiers`` is flagged ``small`` and not
    ranked.
    """
    out = compute(counters)
    out["score_766"] = score766.scores(counters, rules) if len(counters) else pd.Series(dtype=float)
    out["small"], out["rank"] = ranks(out, rank_by, min_dossiers)
    return out


def with_desk_counts(counters: pd.DataFrame, desks: pd.DataFrame) -> pd.DataFrame:
    """``counters`` (one row per unit) with the receiving desk's counters added (``desks``: one
    row per unit with them), zeros where a unit has none.
    """
    out = counters.drop(columns=[c for c in DESK_COUNTERS if c in counters.columns]).merge(
        desks[["unit_code", *DESK_COUNTERS]], on="unit_code", how="left"
    )
    for name in DESK_COUNTERS:
        out[name] = out[name].fillna(0).astype("int64")
    return out
