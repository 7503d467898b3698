"""One subject's months and parts read from the summary tables: the fast path of
:mod:`data_access.drilldown`, equal to its queries on the dossier table.

A unit's dossiers are those of its row in ``queries.dossier_counts`` at the unit's own level (both
count a dossier for every unit above its own, through ``unit_ancestors``); an agency's are those
of its column in the province's counts by agency (every dossier lies under the province). A
unit's sub-units are the units whose parent it is, read at their own levels (a province's
children may be districts and, after a boundary reform, communes). The summaries answer in a few
milliseconds whatever the subject; the raw queries read every dossier under it (the whole
province for the province: seconds a month). Each function returns None when the summaries cannot
answer exactly; the caller then runs the raw query, which stays the reference.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Engine

from data_access.counters import DOSSIER_COUNTERS
from data_access.results import read_frame
from data_access.schema import agencies, procedures, units
from data_access.summaries.read import summary_counts
from timebase.period import Period

#: The province level's name in ``unit_ancestors`` (every dossier lies under the province).
PROVINCE = "province"


def unit_level(engine: Engine, code: str) -> str | None:
    """The level of unit ``code`` (None for an unknown code)."""
    stmt = select(units.c.level).where(units.c.code == bindparam("code")).limit(1)
    frame = read_frame(engine, stmt, {"code": code})
    return None if frame.empty else str(frame.iloc[0]["level"])


def _subject_rows(
    engine: Engine, kind: str, code: str, period: Period, by: Sequence[str]
) -> pd.DataFrame | None:
    """The summary counters of the subject in ``period`` (one row per value of ``by``)."""
    if kind == "agency":
        counts = summary_counts(engine, PROVINCE, period, tuple(dict.fromkeys(("agency", *by))))
        return None if counts is None else counts[counts["agency"].astype(str) == code]
    level = unit_level(engine, code)
    counts = None if level is None else summary_counts(engine, level, period, tuple(by))
    return None if counts is None else counts[counts["unit_code"].astype(str) == code]


def subject_months(engine: Engine, kind: str, code: str, months: Sequence[Period]) -> pd.DataFrame | None:
    """``drilldown.subject_months`` from the summaries, or None."""
    rows = []
    for period in months:
        found = _subject_rows(engine, kind, code, period, ())
        if found is None:
            return None
        sums = {name: pd.to_numeric(found[name]).sum() if len(found) else 0 for name in DOSSIER_COUNTERS}
        rows.append({"month": period.start.year * 100 + period.start.month, **sums})
    out = pd.DataFrame(rows, columns=["month", *DOSSIER_COUNTERS])
    out[list(DOSSIER_COUNTERS)] = out[list(DOSSIER_COUNTERS)].apply(pd.to_numeric).fillna(0)
    return out


def _children(engine: Engine, code: str) -> pd.DataFrame:
    stmt = select(units.c.code, units.c.level).where(units.c.parent_code == bindparam("code"))
    return read_frame(engine, stmt, {"code": code})


def _subunit_counts(engine: Engine, code: str, period: Period) -> pd.DataFrame | None:
    children = _children(engine, code)
    frames = []
    for level, group in children.groupby("level"):
        counts = summary_counts(engine, str(level), period)
        if counts is None:
            return None
        codes = set(group["code"].astype(str))
        frames.append(
            counts[counts["unit_code"].astype(str).isin(codes)].rename(columns={"unit_code": "key"})
        )
    if not frames:
        return pd.DataFrame(columns=["key", *DOSSIER_COUNTERS])
    return pd.concat(frames, ignore_index=True)[["key", *DOSSIER_COUNTERS]]


def _names(engine: Engine, by: str, keys: list[str]) -> dict[str, str]:
    """The name of each key: unit, agency or procedure name (a field is its own name)."""
    if by == "field" or not keys:
        return {k: k for k in keys}
    table = {"subunit": units, "agency": agencies, "procedure": procedures}[by]
    stmt = select(table.c.code, table.c.name).where(table.c.code.in_(bindparam("keys", expanding=True)))
    frame = read_frame(engine, stmt, {"keys": keys})
    return dict(zip(frame["code"].astype(str), frame["name"], strict=True))


def subject_part_counts(engine: Engine, kind: str, code: str, period: Period, by: str) -> pd.DataFrame | None:
    """Every dossier counter of the subject per part (columns key, name, then the counters), in
    no order; or None when the summaries cannot answer.
    """
    if by == "subunit":
        if kind != "unit":
            return None
        grouped = _subunit_counts(engine, code, period)
    else:
        found = _subject_rows(engine, kind, code, period, (by,))
        if found is None:
            return None
        grouped = found.groupby(by, as_index=False, dropna=False)[list(DOSSIER_COUNTERS)].sum()
        grouped = grouped.rename(columns={by: "key"})
    if grouped is None:
        return None
    grouped["key"] = grouped["key"].astype(str)
    names = _names(engine, by, list(grouped["key"]))
    grouped.insert(1, "name", [names.get(k, k) for k in grouped["key"]])
    return grouped
