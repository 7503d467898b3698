"""Named queries for the ranking and my-unit screens: agencies as a level of their own, one
subject's months, and the parts of a subject that pull it down.

A *subject* is what a chair answers for: a unit (its dossiers and those of every unit below it,
through the ``unit_ancestors`` closure) or an agency (the dossiers it handles). Every counter is
the shared expression of :mod:`data_access.counters`, so a late dossier here is the one the
ranking counts. Aggregation happens in SQL with bound parameters; listings carry a LIMIT and
say when they were cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ColumnElement, FromClause

from data_access import answers, drilldown_summary
from data_access.answers import (
    DEFAULT_LIMIT,
    agency_names,
    dossier_counts,
    period_params,
    procedure_counts,
    unit_counters,
)
from data_access.counters import DOSSIER_COUNTERS, counter_columns, relevant
from data_access.results import read_frame
from data_access.schema import agencies, dossiers, procedures, unit_ancestors, units
from timebase.period import Period

d, p, ua = dossiers, procedures, unit_ancestors
#: Subject kinds: a unit of the tree, or an agency.
SUBJECT_KINDS = ("unit", "agency")
#: The level name of agencies (ranked as a level of their own).
AGENCY = "agency"
#: Dimensions a subject can be broken down by.
PARTS = ("subunit", "agency", "field", "procedure")
#: Orders of a breakdown listing: by late dossiers or by unsatisfied ratings, most first.
ORDERS = ("late", "unsatisfied")


def _bounds() -> tuple[Any, Any, Any]:
    kind = d.c.received_at.type
    return (
        bindparam("start", type_=kind),
        bindparam("end_before", type_=kind),
        bindparam("as_of", type_=kind),
    )


def _subject_source(kind: str) -> tuple[FromClause, ColumnElement[bool]]:
    """The dossier rows of a subject: the join to reach them and the condition that picks them."""
    if kind == "unit":
        source = d.join(ua, and_(ua.c.unit_code == d.c.unit_code, ua.c.ancestor_code == bindparam("code")))
        return source.join(p, p.c.code == d.c.procedure_code), ua.c.ancestor_code == bindparam("code")
    if kind == "agency":
        return d.join(p, p.c.code == d.c.procedure_code), d.c.agency_code == bindparam("code")
    raise ValueError(f"unknown subject kind {kind!r}; known: {SUBJECT_KINDS}")


def agency_procedure_counts(engine: Engine, period: Period) -> pd.DataFrame:
    """Per agency: procedures with dossiers received in the period, those with a fee and those
    with at least one online payment (the 766 online-payment criterion, docs/rules.md §11).
    """
    return procedure_counts(engine, "agency", period)


def level_counters(engine: Engine, level: str, period: Period) -> pd.DataFrame:
    """Every unit of ``level`` with its counters, or every agency for ``level="agency"``: the
    rows the ranking screen and ``cli.py report`` rank.
    """
    if level == AGENCY:
        return agency_counters(engine, period)
    return unit_counters(engine, level, period)


def agency_counters(engine: Engine, period: Period) -> pd.DataFrame:
    """Every agency that existed during ``period`` as a unit-counters row (unit_code = agency
    code, unit_name, parent_code = the unit whose desk it is, lat/lon empty), zeros for agencies
    with nothing in the period.

    Agencies are a level of their own: their dossiers are counted by who handles them
    (``dossier_counts(level="province", by=("agency",))``), whatever unit received them. Feedback
    (PAKN) is filed against units, not agencies, so agencies carry no feedback counters.
    """
    names = agency_names(engine, period).rename(
        columns={"code": "unit_code", "name": "unit_name", "unit_code": "parent_code"}
    )[["unit_code", "unit_name", "parent_code"]]
    names["lat"] = None
    names["lon"] = None
    counts = dossier_counts(engine, "province", period, by=("agency",))
    counts = counts.drop(columns=["unit_code"]).rename(columns={"agency": "unit_code"})
    counts = counts.groupby("unit_code", as_index=False)[list(DOSSIER_COUNTERS)].sum()
    out = names.merge(counts, on="unit_code", how="left").merge(
        agency_procedure_counts(engine, period), on="unit_code", how="left"
    )
    counter_cols = [
        c for c in out.columns if c not in ("unit_code", "unit_name", "parent_code", "lat", "lon")
    ]
    out[counter_cols] = out[counter_cols].apply(pd.to_numeric).fillna(0)
    return out.reset_index(drop=True)


def subject_months(engine: Engine, kind: str, code: str, months: Sequence[Period]) -> pd.DataFrame:
    """One row of dossier counters per month of ``months`` for one subject (``month`` = YYYYMM).

    Each month is judged at its own end (or now, for the current one), like
    ``answers.monthly_counters``. Read from the summary tables when they can answer
    (:mod:`data_access.drilldown_summary`), else from the subject's rows in the dossier table
    (:func:`raw_subject_months`).
    """
    fast = drilldown_summary.subject_months(engine, kind, code, months) if answers.USE_SUMMARIES else None
    return fast if fast is not None else raw_subject_months(engine, kind, code, months)


def raw_subject_months(engine: Engine, kind: str, code: str, months: Sequence[Period]) -> pd.DataFrame:
    """:func:`subject_months` from the subject's rows in the dossier table (the reference)."""
    source, picked = _subject_source(kind)
    start, end_before, as_of = _bounds()
    stmt = (
        select(*counter_columns(start, end_before, as_of))
        .select_from(source)
        .where(picked, relevant(start, as_of))
    )
    rows = []
    for period in months:
        frame = read_frame(engine, stmt, {**period_params(period), "code": code})
        row = {name: pd.to_numeric(frame.iloc[0][name]) for name in DOSSIER_COUNTERS}
        rows.append({"month": period.start.year * 100 + period.start.month, **row})
    out = pd.DataFrame(rows, columns=["month", *DOSSIER_COUNTERS])
    out[list(DOSSIER_COUNTERS)] = out[list(DOSSIER_COUNTERS)].apply(pd.to_numeric).fillna(0)
    return out


def _part_key(by: str, code: Any) -> tuple[ColumnElement[Any], list[Any]]:
    """The grouping column of a breakdown and the extra joins it needs."""
    if by == "subunit":
        # The child of the subject each dossier's unit sits under (the subject's own desk has none).
        child_link = aliased(ua)
        child = aliased(units)
        joins = [
            (child_link, child_link.c.unit_code == d.c.unit_code),
            (child, and_(child.c.code == child_link.c.ancestor_code, child.c.parent_code == code)),
        ]
        return child.c.code, joins
    if by == "agency":
        return d.c.agency_code, []
    if by == "field":
        return p.c.field, []
    if by == "procedure":
        return d.c.procedure_code, []
    raise ValueError(f"unknown breakdown {by!r}; known: {PARTS}")


def _named(by: str, grouped: Any) -> Any:
    """``grouped`` with a ``name`` for each key (unit, agency or procedure name; a field is its name)."""
    g = grouped.c
    if by == "field":
        return select(g.key, g.key.label("name"), *[g[c] for c in DOSSIER_COUNTERS])
    table, code_col = {
        "subunit": (units, units.c.code),
        "agency": (agencies, agencies.c.code),
        "procedure": (p, p.c.code),
    }[by]
    return select(
        g.key, func.coalesce(table.c.name, g.key).label("name"), *[g[c] for c in DOSSIER_COUNTERS]
    ).select_from(grouped.outerjoin(table, code_col == g.key))


def _grouped(kind: str, by: str) -> Any:
    """Every dossier counter of the subject's rows per part (a subquery with ``key``)."""
    source, picked = _subject_source(kind)
    key, joins = _part_key(by, bindparam("code"))
    for table, on in joins:
        source = source.join(table, on)
    start, end_before, as_of = _bounds()
    return (
        select(key.label("key"), *counter_columns(start, end_before, as_of))
        .select_from(source)
        .where(picked, relevant(start, as_of))
        .group_by(key)
        .subquery()
    )


def subject_parts(
    engine: Engine,
    kind: str,
    code: str,
    period: Period,
    by: str,
    order: str = "late",
    limit: int = DEFAULT_LIMIT,
) -> tuple[pd.DataFrame, bool]:
    """The parts of a subject (sub-units, agencies, fields or procedures) that pull it down most:
    every dossier counter per part, ordered by late dossiers (handled − on time, docs/rules.md
    metric 1) or by unsatisfied ratings (metric 9), most first, at most ``limit`` rows.

    Returns the frame (columns key, name, then the dossier counters) and whether it was cut.
    """
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; known: {ORDERS}")
    fast = (
        drilldown_summary.subject_part_counts(engine, kind, code, period, by)
        if answers.USE_SUMMARIES
        else None
    )
    if fast is not None:
        return _ordered(fast, order, limit)
    return raw_subject_parts(engine, kind, code, period, by, order, limit)


def _ordered(frame: pd.DataFrame, order: str, limit: int) -> tuple[pd.DataFrame, bool]:
    """The parts as :func:`raw_subject_parts` orders and cuts them (late or unsatisfied, most
    first, then by key).
    """
    for name in DOSSIER_COUNTERS:
        frame[name] = pd.to_numeric(frame[name]).fillna(0)
    f = frame
    first = f.settled + f.open_end - f.settled_on_time - f.open_on_time if order == "late" else f.unsatisfied
    ordered = frame.assign(_first=first).sort_values(
        ["_first", "key"], ascending=[False, True], kind="stable"
    )
    cut = len(ordered) > limit
    out = ordered.head(limit).drop(columns="_first")
    return out.reset_index(drop=True), cut


def raw_subject_parts(
    engine: Engine,
    kind: str,
    code: str,
    period: Period,
    by: str,
    order: str = "late",
    limit: int = DEFAULT_LIMIT,
) -> tuple[pd.DataFrame, bool]:
    """:func:`subject_parts` from the subject's rows in the dossier table (the reference)."""
    named = _named(by, _grouped(kind, by)).subquery()
    n = named.c
    late = n.settled + n.open_end - n.settled_on_time - n.open_on_time
    first = late if order == "late" else n.unsatisfied
    stmt = select(named).order_by(first.desc(), n.key).limit(bindparam("limit"))
    frame = read_frame(engine, stmt, {**period_params(period), "code": code, "limit": limit + 1})
    cut = len(frame) > limit
    frame = frame.head(limit).copy()
    for name in DOSSIER_COUNTERS:
        frame[name] = pd.to_numeric(frame[name]).fillna(0)
    frame["key"] = frame["key"].astype(str)
    return frame.reset_index(drop=True), cut
