"""Targets as data (docs/rules.md §13): the most specific row for a metric, scope and year wins."""

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
    # Plain Python over the table's rows (a hundred or so): the same filter in pandas compared
    # Arrow strings column by column on every call, and a wall page asks for a dozen targets.
    scope = {"unit_code": unit_code or "", "level": level or "", "field": field or ""}
    columns = ("metric", "year", "unit_code", "level", "field", "value", "source")
    best: tuple[tuple[int, int], float, str] | None = None
    for m, y, unit, lvl, fld, value, source in zip(*(table[c].tolist() for c in columns), strict=True):
        if m != metric or y > year:
            continue
        if (
            unit not in ("", scope["unit_code"])
            or lvl not in ("", scope["level"])
            or fld not in ("", scope["field"])
        ):
            continue
        rank = ((unit != "") * 4 + (fld != "") * 2 + (lvl != "") * 1, y)
        if best is None or rank > best[0]:  # ties: the first row in table order, as a stable sort
            best = (rank, float(value), str(source))
    return None if best is None else (best[1], best[2])
