"""Named aggregate queries: each answers one question and returns a small frame. Outside
:mod:`data_access` they are reached through :mod:`data_access.queries`, the public face.

Aggregation happens in SQL (GROUP BY, bound parameters, no f-strings); nothing here reads a
whole table. Units roll up to any level through the ``unit_ancestors`` closure, so a district's
figures include its communes', and a province with no districts needs nothing special.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Date, and_, bindparam, case, func, inspect, literal, or_, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select

from data_access.counter_spec import PROCEDURE_COUNTERS
from data_access.counters import (
    DOSSIER_COUNTERS,
    counter_columns,
    procedure_condition,
    receipt_condition,
    relevant,
    valid_dossier,
)
from data_access.parallel import at_once
from data_access.results import Columns, columns_frame, count_columns, read_frame
from data_access.schema import (
    LEVELS,
    OPEN_STATUS,
    agencies,
    dossiers,
    feedback,
    meta,
    one_of,
    portal_scores,
    procedures,
    targets,
    unit_ancestors,
    units,
    valid_during,
)
from data_access.summaries.procedures import summary_procedure_columns, summary_procedure_counts
from data_access.summaries.read import summary_count_columns, summary_counts
from data_access.summaries.trend import summary_monthly
from timebase.period import Period

d, p, ua, f = dossiers, procedures, unit_ancestors, feedback

#: Optional extra dimensions of :func:`dossier_counts` and the column each one groups by.
DIMENSIONS = {
    "field": p.c.field,
    "channel": d.c.channel,
    "agency": d.c.agency_code,
    "procedure": d.c.procedure_code,
}
#: Cap on every listing; callers are told when it cut the list.
DEFAULT_LIMIT = 50
#: Read the figures from the summary tables where they can answer (the design). False sends every
#: figure to the dossier table: the reference the summaries are tested equal to, and the
#: benchmark's "raw SQL" approach.
USE_SUMMARIES = True


def period_params(period: Period) -> dict[str, Any]:
    """A period's bound parameters: ``start``, ``end_before`` and ``as_of``."""
    return {"start": period.start_at, "end_before": period.end_before, "as_of": period.as_of}


def dossier_counts(engine: Engine, level: str, period: Period, by: Sequence[str] = ()) -> pd.DataFrame:
    """Dossier counters per unit of ``level`` (and per each dimension of ``by``) in ``period``.

    Columns: ``unit_code``, the dimensions asked for, then :data:`DOSSIER_COUNTERS`. Units of the
    level with no dossiers are absent (the caller joins the unit list when it needs zeros).
    Read from the summary tables when they are current and cover the period
    (:mod:`data_access.summaries.read`), else from the dossier table (:func:`raw_dossier_counts`).
    """
    unknown = [b for b in by if b not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension(s): {unknown}")
    fast = summary_counts(engine, level, period, by) if USE_SUMMARIES else None
    return fast if fast is not None else raw_dossier_counts(engine, level, period, by)


def raw_dossier_counts(engine: Engine, level: str, period: Period, by: Sequence[str] = ()) -> pd.DataFrame:
    """:func:`dossier_counts` computed from the dossier table: the reference the summaries equal."""
    start, end_before, as_of = (
        bindparam("start", type_=d.c.received_at.type),
        bindparam("end_before", type_=d.c.received_at.type),
        bindparam("as_of", type_=d.c.received_at.type),
    )
    dims = [DIMENSIONS[b].label(b) for b in by]
    stmt = (
        select(ua.c.ancestor_code.label("unit_code"), *dims, *counter_columns(start, end_before, as_of))
        .select_from(
            d.join(ua, and_(ua.c.unit_code == d.c.unit_code, ua.c.ancestor_level == bindparam("level"))).join(
                p, p.c.code == d.c.procedure_code
            )
        )
        .where(relevant(start, as_of))
        .group_by(ua.c.ancestor_code, *[DIMENSIONS[b] for b in by])
        .order_by(ua.c.ancestor_code, *[DIMENSIONS[b] for b in by])
    )
    frame = read_frame(engine, stmt, {**period_params(period), "level": level})
    for name in DOSSIER_COUNTERS:
        frame[name] = pd.to_numeric(frame[name]).fillna(0)
    return frame


def procedure_counts(engine: Engine, level: str, period: Period) -> pd.DataFrame:
    """Per unit of ``level`` (or per agency, for ``level="agency"``): procedures with dossiers
    received in the period, and of them those offered online (full or partial), full-process,
    with a fee, and with at least one online payment (docs/rules.md §6 and §11).

    Read from ``summary_procedure_month`` when it is current
    (:mod:`data_access.summaries.procedures`), else from the dossier table
    (:func:`raw_procedure_counts`).
    """
    fast = summary_procedure_counts(engine, level, period) if USE_SUMMARIES else None
    return fast if fast is not None else raw_procedure_counts(engine, level, period)


def raw_procedure_counts(engine: Engine, level: str, period: Period) -> pd.DataFrame:
    """:func:`procedure_counts` computed from the dossier table: the reference."""
    if level == "agency":  # agencies are a level of their own: keyed by who handles the dossier
        key, source = d.c.agency_code, d.join(p, p.c.code == d.c.procedure_code)
    else:
        key = ua.c.ancestor_code
        on_level = and_(ua.c.unit_code == d.c.unit_code, ua.c.ancestor_level == bindparam("level"))
        source = d.join(ua, on_level).join(p, p.c.code == d.c.procedure_code)
    conditions = {
        c.name: receipt_condition(c.receipts) if c.receipts else procedure_condition(c)
        for c in PROCEDURE_COUNTERS
    }
    per_procedure = (
        select(
            key.label("unit_code"),
            d.c.procedure_code,
            *[func.max(case((cond, 1), else_=0)).label(name) for name, cond in conditions.items()],
        )
        .select_from(source)
        .where(
            valid_dossier,
            d.c.received_at >= bindparam("start"),
            d.c.received_at < bindparam("end_before"),
            d.c.received_at <= bindparam("as_of"),
        )
        .group_by(key, d.c.procedure_code)
        .subquery()
    )
    q = per_procedure.c
    stmt = select(
        q.unit_code,
        func.count().label("procedures_used"),
        *[func.sum(q[name]).label(name) for name in conditions],
    ).group_by(q.unit_code)
    frame = read_frame(engine, stmt, {**period_params(period), "level": level})
    for col in frame.columns[1:]:
        frame[col] = pd.to_numeric(frame[col]).fillna(0)
    return frame


@functools.cache
def _feedback_statement() -> Select[Any]:
    """The statement of :func:`feedback_counts`, built once (all its inputs are bound)."""
    start, end_before, as_of = bindparam("start"), bindparam("end_before"), bindparam("as_of")
    received = and_(f.c.received_at >= start, f.c.received_at < end_before, f.c.received_at <= as_of)
    handled_by = and_(f.c.handled_at.is_not(None), f.c.handled_at <= as_of)
    handled_in = and_(handled_by, f.c.handled_at >= start, f.c.handled_at < end_before)
    is_open = and_(f.c.received_at <= as_of, or_(f.c.handled_at.is_(None), f.c.handled_at > as_of))
    late = or_(and_(handled_by, f.c.handled_at > f.c.due_at), and_(is_open, f.c.due_at < as_of))
    # Counted on the feedback received in the period (docs/rules.md §10: its answers' ratings).
    on_receipt = {
        "fb_received": literal(True),
        "fb_rated": f.c.rating.is_not(None),
        "fb_satisfied": one_of(f.c.rating, ("very_satisfied", "satisfied")),
        "fb_unsatisfied": f.c.rating == "unsatisfied",
        "fb_unsatisfied_or_late": or_(f.c.rating == "unsatisfied", late),
    }
    # Counted on the feedback handled in the period or open at the judging moment, wherever received.
    on_state = {
        "fb_handled": handled_in,
        "fb_handled_on_time": and_(handled_in, f.c.handled_at <= f.c.due_at),
        "fb_open": is_open,
        "fb_open_in_time": and_(is_open, f.c.due_at >= as_of),
        "fb_overdue": and_(is_open, f.c.due_at < as_of),
    }

    def branch(where: Any, *, in_period: bool) -> Select[Any]:
        """Rows matching ``where``: the receipt counters only for those received in the period."""
        cols = {k: (case((v, 1), else_=0) if in_period else literal(0)) for k, v in on_receipt.items()}
        cols |= {k: case((v, 1), else_=0) for k, v in on_state.items()}
        return select(f.c.unit_code, *[v.label(k) for k, v in cols.items()]).where(where)

    before, after = f.c.received_at < start, and_(f.c.received_at >= end_before, f.c.received_at <= as_of)
    rows = union_all(
        branch(received, in_period=True),
        # Received before the period: open at as_of, or handled in the period.
        branch(and_(before, f.c.handled_at.is_(None)), in_period=False),
        branch(and_(before, f.c.handled_at > as_of), in_period=False),
        branch(and_(before, handled_in), in_period=False),
        # Received after the period's end (as_of later than the end): open at as_of.
        branch(and_(after, or_(f.c.handled_at.is_(None), f.c.handled_at > as_of)), in_period=False),
    ).subquery()
    names = [*on_receipt, *on_state]
    stmt = (
        select(ua.c.ancestor_code.label("unit_code"), *[func.sum(rows.c[k]).label(k) for k in names])
        .select_from(
            rows.join(ua, and_(ua.c.unit_code == rows.c.unit_code, ua.c.ancestor_level == bindparam("level")))
        )
        .group_by(ua.c.ancestor_code)
    )
    return stmt


#: The feedback counters :func:`feedback_counts` returns, in order (after ``unit_code``).
FEEDBACK_COUNTERS: tuple[str, ...] = tuple(c.name for c in _feedback_statement().selected_columns)[1:]


def feedback_counts(engine: Engine, level: str, period: Period) -> pd.DataFrame:
    """Feedback (PAKN) counters per unit of ``level`` (docs/rules.md §10; due = 15 working days).

    On the feedback received in the period: ``fb_received``, ``fb_rated``, ``fb_satisfied``,
    ``fb_unsatisfied`` and ``fb_unsatisfied_or_late`` (rated unsatisfied, answered after its due
    time, or still open past it at as_of).
    On the feedback handled in the period or open at as_of, wherever received: ``fb_handled``,
    ``fb_handled_on_time``, ``fb_open``, ``fb_open_in_time`` and ``fb_overdue``. Reads the
    period's feedback and the feedback open at as_of or handled in the period, each through an
    index (one branch each, never the whole history).
    """
    return columns_frame(_feedback_columns(engine, level, period))


def _feedback_columns(engine: Engine, level: str, period: Period) -> Columns:
    with engine.connect() as conn:
        return count_columns(conn.execute(_feedback_statement(), {**period_params(period), "level": level}))


def overdue_open_dossiers(
    engine: Engine, as_of: dt.datetime, limit: int = DEFAULT_LIMIT
) -> tuple[pd.DataFrame, bool]:
    """Open dossiers past due at ``as_of``, counted by unit, agency and procedure (no personal
    data, no dossier codes), most overdue first; returns the frame and whether it was cut.

    Touches only open rows through the partial index on open dossiers (docs/rules.md §3).
    """
    frame = read_frame(engine, _overdue_statement(), {"as_of": as_of, "limit": limit + 1})
    cut = len(frame) > limit
    frame = frame.head(limit)
    if not frame.empty:
        frame["oldest_due_at"] = pd.to_datetime(frame["oldest_due_at"])
    return frame, cut


@functools.cache
def _overdue_statement() -> Select[Any]:
    """Built once: the wall asks for it at every refresh (docs/performance.md)."""
    return (
        select(
            d.c.unit_code,
            units.c.name.label("unit_name"),
            d.c.agency_code,
            agencies.c.name.label("agency_name"),
            d.c.procedure_code,
            p.c.name.label("procedure_name"),
            p.c.field,
            func.count().label("overdue"),
            func.min(d.c.due_at).label("oldest_due_at"),
        )
        .select_from(
            d.join(units, units.c.code == d.c.unit_code)
            .join(agencies, agencies.c.code == d.c.agency_code)
            .join(p, p.c.code == d.c.procedure_code)
        )
        .where(
            OPEN_STATUS,  # the predicate of the partial index on open dossiers, as literals
            d.c.due_at < bindparam("as_of"),
            d.c.received_at <= bindparam("as_of"),
        )
        .group_by(
            d.c.unit_code,
            units.c.name,
            d.c.agency_code,
            agencies.c.name,
            d.c.procedure_code,
            p.c.name,
            p.c.field,
        )
        .order_by(func.min(d.c.due_at), func.count().desc(), d.c.unit_code, d.c.procedure_code)
        .limit(bindparam("limit"))
    )


#: The days asked for when no period is given: every unit or agency, whatever its dates.
ALL_TIME = (dt.date.min, dt.date.max)


def _valid(table: Any) -> Any:
    """:func:`schema.valid_during` of ``table`` on the bound days ``valid_start``..``valid_end``."""
    return valid_during(table, bindparam("valid_start", type_=Date()), bindparam("valid_end", type_=Date()))


def _valid_params(period: Period | None) -> dict[str, dt.date]:
    """The bound days of :func:`_valid`: the period's, or all time for None."""
    start, end = (period.start, period.end) if period is not None else ALL_TIME
    return {"valid_start": start, "valid_end": end}


def units_at_level(engine: Engine, level: str, period: Period | None = None) -> pd.DataFrame:
    """The units of ``level`` that existed during ``period`` (all of them, whatever their dates,
    for None): code, name, level, parent_code, lat, lon, ordered by code.
    """
    return read_frame(engine, _units_statement(), {"level": level, **_valid_params(period)})


@functools.cache
def _units_statement() -> Select[Any]:
    return (
        select(units.c.code, units.c.name, units.c.level, units.c.parent_code, units.c.lat, units.c.lon)
        .where(units.c.level == bindparam("level"), _valid(units))
        .order_by(units.c.code)
    )


def levels_present(engine: Engine, period: Period | None = None) -> list[str]:
    """The unit levels that have a unit during ``period`` (any unit ever, for None), from the top
    down: province, then district if any… (no district level after 1 July 2025).
    """
    with engine.connect() as conn:
        present = {row[0] for row in conn.execute(_levels_statement(), _valid_params(period))}
    return [lvl for lvl in LEVELS if lvl in present]


@functools.cache
def _levels_statement() -> Select[Any]:
    return select(units.c.level).where(_valid(units)).distinct()


def agency_names(engine: Engine, period: Period | None = None) -> pd.DataFrame:
    """Code, name, level and unit of the agencies that existed during ``period`` (all, for None)."""
    return read_frame(engine, _agencies_statement(), _valid_params(period))


@functools.cache
def _agencies_statement() -> Select[Any]:
    a = agencies.c
    return select(a.code, a.name, a.level, a.unit_code).where(_valid(agencies)).order_by(a.code)


def target_rows(engine: Engine) -> pd.DataFrame:
    """Every target with its scope, year, value and source (a small table)."""
    stmt = select(targets).order_by(targets.c.metric, targets.c.year)
    return read_frame(engine, stmt)


def official_scores(engine: Engine, period: Period) -> pd.DataFrame:
    """The portal's published points per unit and group for exactly ``period``'s days
    (unit_code, group, points); empty when none were imported, or the database predates them.
    """
    with engine.connect() as conn:
        if not inspect(conn).has_table(portal_scores.name):
            return pd.DataFrame({"unit_code": [], "group": [], "points": []})
    s = portal_scores.c
    stmt = (
        select(s.unit_code, s.score_group.label("group"), s.points)
        .where(
            s.period_start == bindparam("first", type_=Date), s.period_end == bindparam("last", type_=Date)
        )
        .order_by(s.unit_code, s.score_group)
    )
    return read_frame(engine, stmt, {"first": period.start, "last": period.end})


def database_meta(engine: Engine) -> dict[str, str]:
    """The ``meta`` key/value facts (is_sample, province_name, data_until, …)."""
    with engine.connect() as conn:
        return {row.key: row.value for row in conn.execute(select(meta.c.key, meta.c.value))}


def unit_counters(engine: Engine, level: str, period: Period) -> pd.DataFrame:
    """Every unit of ``level`` that existed during ``period`` (:func:`units_at_level`) with all
    its counters (dossier, procedure, feedback) in ``period``.

    The frame that the overview, ranking, map and report all slice: one row per unit, zeros for
    units with nothing in the period; columns unit_code, unit_name, lat, lon, then the counters.
    A unit's figures are those of the dossiers its agencies (and those below it) handle, so a
    period across a change shows the old units with their dossiers and the new ones with theirs;
    a dossier stays with the unit of the agency that handled it, even in a period after that
    unit's end (where only the units above it, which still exist, show it).
    The dossier, procedure and feedback parts are read at once (:func:`parallel.at_once`) as
    NumPy columns and assembled column by column into the one frame (merging frames cost more
    than the queries; docs/performance.md).
    """
    units = _unit_columns(engine, level, period)
    out: dict[str, Any] = {
        "unit_code": units["code"],
        "unit_name": units["name"],
        "parent_code": units["parent_code"],
        "lat": units["lat"],
        "lon": units["lon"],
    }
    parts = at_once(
        lambda: _dossier_columns(engine, level, period),
        lambda: _procedure_columns(engine, level, period),
        lambda: _feedback_columns(engine, level, period),
    )
    n = len(units["code"])
    row_of = {code: i for i, code in enumerate(units["code"])}
    for part in parts:
        at = np.full(n, -1)  # the part's row of each unit; -1: none
        for j, code in enumerate(part["unit_code"]):
            if code in row_of:
                at[row_of[code]] = j
        found = at >= 0
        for name, raw in part.items():
            if name == "unit_code":
                continue
            values = np.asarray(raw)
            if values.dtype.kind not in "iuf":  # an empty part, or a driver's Decimal
                values = pd.to_numeric(pd.Series(raw, dtype=object)).to_numpy().astype(float)
            column = np.zeros(n, dtype=values.dtype)
            column[found] = values[at[found]]
            out[name] = column
    return pd.DataFrame(out)


def _unit_columns(engine: Engine, level: str, period: Period) -> Columns:
    """:func:`units_at_level` as lists (a frame of a dozen rows cost more than its query)."""
    with engine.connect() as conn:
        result = conn.execute(_units_statement(), {"level": level, **_valid_params(period)})
        names, rows = list(result.keys()), result.all()
    return {name: [r[j] for r in rows] for j, name in enumerate(names)}


def _frame_columns(frame: pd.DataFrame) -> Columns:
    return {name: frame[name].tolist() if name == "unit_code" else frame[name].to_numpy() for name in frame}


def _dossier_columns(engine: Engine, level: str, period: Period) -> Columns:
    """:func:`dossier_counts` by unit alone, as columns."""
    fast = summary_count_columns(engine, level, period) if USE_SUMMARIES else None
    return fast if fast is not None else _frame_columns(raw_dossier_counts(engine, level, period))


def _procedure_columns(engine: Engine, level: str, period: Period) -> Columns:
    """:func:`procedure_counts` as columns."""
    fast = summary_procedure_columns(engine, level, period) if USE_SUMMARIES else None
    return fast if fast is not None else _frame_columns(raw_procedure_counts(engine, level, period))


def monthly_counters(
    engine: Engine, level: str, months: Sequence[Period], by: Sequence[str] = ()
) -> pd.DataFrame:
    """Dossier counters per unit of ``level`` for each period of ``months`` (a ``month`` column
    holds YYYYMM), for trends. Each month is judged at its own end (or now, for the current one).
    Read from the summary tables when they can answer (:mod:`data_access.summaries.trend`).
    """
    fast = summary_monthly(engine, level, months, by) if USE_SUMMARIES else None
    if fast is not None:
        return fast
    frames = []
    for period in months:
        frame = dossier_counts(engine, level, period, by)
        frame.insert(1, "month", period.start.year * 100 + period.start.month)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["unit_code", "month", *by, *DOSSIER_COUNTERS])
    return pd.concat(frames, ignore_index=True)
