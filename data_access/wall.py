"""Queries of the wall screen and of the demo simulator that makes it move.

Read side: dossiers received in a day, by hour (the intake strip). The most overdue open dossiers
are :func:`data_access.queries.overdue_open_dossiers`. Write side (``python cli.py simulate``):
the rows the simulator copies, finishes or rates, and :func:`save_dossiers`, which goes through
the same upsert and derived columns as every other path into the database.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.engine import Engine

from data_access.counters import valid_dossier
from data_access.load import agency_units, derive_dossier_columns, upsert
from data_access.results import columns_frame, count_columns, read_frame
from data_access.schema import FINISHED_STATUSES, OPEN_STATUSES, dossiers, procedures, unit_ancestors
from data_access.sqlfuncs import hour_number
from data_access.summaries.maintain import absorb_pending

d, p, ua = dossiers, procedures, unit_ancestors


def intake_by_hour(engine: Engine, day: dt.date, as_of: dt.datetime, level: str = "province") -> pd.DataFrame:
    """Dossiers received on ``day`` up to ``as_of``, per hour of receipt (0–23).

    Columns ``hour``, ``received``, ``received_online``; hours without a dossier are absent.
    The rows counted are exactly those of the ``received`` counter (valid rows whose unit rolls up
    to a unit of ``level`` and whose procedure is known), so the hours of a day add up to the
    day's "received" figure (docs/rules.md §5's denominator).
    """
    hour = hour_number(d.c.received_at)
    start = dt.datetime.combine(day, dt.time.min)
    stmt = (
        select(
            hour.label("hour"),
            func.count().label("received"),
            func.sum(case((d.c.channel == "online", 1), else_=0)).label("received_online"),
        )
        .select_from(
            d.join(ua, and_(ua.c.unit_code == d.c.unit_code, ua.c.ancestor_level == bindparam("level"))).join(
                p, p.c.code == d.c.procedure_code
            )
        )
        .where(
            valid_dossier,
            d.c.received_at >= bindparam("start", type_=d.c.received_at.type),
            d.c.received_at < bindparam("end_before", type_=d.c.received_at.type),
            d.c.received_at <= bindparam("as_of", type_=d.c.received_at.type),
        )
        .group_by(hour)
        .order_by(hour)
    )
    params = {"level": level, "start": start, "end_before": start + dt.timedelta(days=1), "as_of": as_of}
    with engine.connect() as conn:
        columns = count_columns(conn.execute(stmt, params))
    # The hour as an integer too (SQLite and PostgreSQL hand it back as int, float or Decimal).
    columns["hour"] = np.nan_to_num(np.array(columns["hour"], dtype=float)).astype(np.int64)
    return columns_frame(columns)


def recent_dossiers(engine: Engine, limit: int) -> pd.DataFrame:
    """The ``limit`` most recently received dossiers (all columns) with their procedure's time
    limit in working days: the mix the simulator draws new dossiers from.
    """
    stmt = (
        select(d, p.c.time_limit_days)
        .join(p, p.c.code == d.c.procedure_code)
        .order_by(d.c.received_at.desc(), d.c.dossier_code)
        .limit(bindparam("limit"))
    )
    return read_frame(engine, stmt, {"limit": limit})


def open_dossiers(engine: Engine, limit: int) -> pd.DataFrame:
    """Up to ``limit`` open dossiers (all columns), the earliest due first."""
    stmt = (
        select(d)
        .where(d.c.status.in_(OPEN_STATUSES))
        .order_by(d.c.due_at, d.c.dossier_code)
        .limit(bindparam("limit"))
    )
    return read_frame(engine, stmt, {"limit": limit})


def unrated_finished(engine: Engine, since: dt.datetime, limit: int) -> pd.DataFrame:
    """Up to ``limit`` dossiers finished since ``since`` without a rating (all columns), latest
    first: those a citizen may still rate.
    """
    stmt = (
        select(d)
        .where(
            d.c.status.in_(FINISHED_STATUSES),
            d.c.rating.is_(None),
            d.c.finished_at >= bindparam("since", type_=d.c.finished_at.type),
        )
        .order_by(d.c.finished_at.desc(), d.c.dossier_code)
        .limit(bindparam("limit"))
    )
    return read_frame(engine, stmt, {"since": since, "limit": limit})


def save_dossiers(engine: Engine, rows: pd.DataFrame) -> int:
    """Insert or update dossier rows (derived columns recomputed) in one transaction, then bring
    the summary tables up to date with them (the writer's call :func:`absorb_pending` asks for).
    """
    if rows.empty:
        return 0
    with engine.begin() as conn:
        saved = upsert(conn, dossiers, derive_dossier_columns(rows, agency_units(conn)))
    absorb_pending(engine)
    return saved
