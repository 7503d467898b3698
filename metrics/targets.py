"""Targets as data (domain.md "Targets"): the most specific row for a metric, scope and year wins."""

from __future__ import annotations

import pandas as pd


def target_for(
    table: pd.DataFrame,
    metric: str | None,
    year: int,
    unit_code: str = "",
    level: str = "",
    field: str = "",
) -> tuple[float, str] | None:
    """(value, source) of the target for ``metric`` in ``year``, or None if none applies.

    A row applies when each scope column (unit_code, level, field) is empty or equal to the
    asked value; among those, a unit-specific row beats a level row beats a general one, a
    field-specific row beats a general one, and the latest year not after ``year`` is taken.
    """
    if metric is None or table is None or table.empty:
        return None
    rows = table[(table["metric"] == metric) & (table["year"] <= year)]
    for col, wanted in (("unit_code", unit_code), ("level", level), ("field", field)):
        rows = rows[(rows[col] == "") | (rows[col] == (wanted or ""))]
    if rows.empty:
        return None
    ranked = rows.assign(
        _specific=(rows["unit_code"] != "") * 4 + (rows["field"] != "") * 2 + (rows["level"] != "") * 1
    ).sort_values(["_specific", "year"], ascending=[False, False])
    best = ranked.iloc[0]
    return float(best["value"]), str(best["source"])
