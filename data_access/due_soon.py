"""Open dossiers due soon, counted by unit, agency and procedure (docs/rules.md §3a).

Like the overdue list (``queries.overdue_open_dossiers``) it reads only open rows, through the
partial index on open dossiers (``ix_dossiers_open_due``, led by the due time: the window is one
range of it). An open status excludes a dossier waiting for a supplement: its clock is stopped.
The window's times come from ``metrics.due_soon``; nothing here knows the calendar. Counts only:
no dossier code, no person.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select

from data_access.results import result_frame
from data_access.schema import OPEN_STATUS, agencies, dossiers, procedures, unit_ancestors, units

d, p, ua = dossiers, procedures, unit_ancestors
#: The level whose rows are the agencies themselves (as in the rankings).
AGENCY = "agency"
DEFAULT_LIMIT = 50
#: Columns of :func:`due_soon_dossiers`, in order.
COLUMNS = (
    "unit_code",
    "unit_name",
    "agency_code",
    "agency_name",
    "procedure_code",
    "procedure_name",
    "due_soon",
    "apology_last_day",
    "earliest_due_at",
)


@dataclass(frozen=True)
class DueSoonTimes:
    """The bound times of a due-soon read: open and received by ``as_of``, due at or after it and
    before ``until``; due in [``apology_from``, ``apology_before``) marks the apology's last day.
    """

    as_of: dt.datetime
    until: dt.datetime
    apology_from: dt.datetime
    apology_before: dt.datetime

    def params(self) -> dict[str, dt.datetime]:
        """The bound parameters of the statements below."""
        return {
            "as_of": self.as_of,
            "until": self.until,
            "apology_from": self.apology_from,
            "apology_before": self.apology_before,
        }


def _window() -> Any:
    return and_(
        OPEN_STATUS,  # the predicate of the partial index on open dossiers, as literals
        d.c.due_at >= bindparam("as_of", type_=d.c.due_at.type),
        d.c.due_at < bindparam("until", type_=d.c.due_at.type),
        d.c.received_at <= bindparam("as_of", type_=d.c.received_at.type),
    )


def _apology() -> Any:
    on_day = and_(
        d.c.due_at >= bindparam("apology_from", type_=d.c.due_at.type),
        d.c.due_at < bindparam("apology_before", type_=d.c.due_at.type),
    )
    return func.sum(case((on_day, 1), else_=0))


@functools.cache
def _statement(by_agency: bool, one_unit: bool) -> Select[Any]:
    """Grouped by the unit of the level (``by_agency``: the agency itself), optionally one unit."""
    if by_agency:
        key, key_name = d.c.agency_code, agencies.c.name
        source = d.join(agencies, agencies.c.code == d.c.agency_code)
    else:
        key, key_name = ua.c.ancestor_code, units.c.name
        on_level = and_(ua.c.unit_code == d.c.unit_code, ua.c.ancestor_level == bindparam("level"))
        source = (
            d.join(ua, on_level)
            .join(units, units.c.code == ua.c.ancestor_code)
            .join(agencies, agencies.c.code == d.c.agency_code)
        )
    where = [_window()] + ([key == bindparam("unit")] if one_unit else [])
    return (
        select(
            key.label("unit_code"),
            key_name.label("unit_name"),
            d.c.agency_code,
            agencies.c.name.label("agency_name"),
            d.c.procedure_code,
            p.c.name.label("procedure_name"),
            func.count().label("due_soon"),
            _apology().label("apology_last_day"),
            func.min(d.c.due_at).label("earliest_due_at"),
        )
        .select_from(source.join(p, p.c.code == d.c.procedure_code))
        .where(*where)
        .group_by(key, key_name, d.c.agency_code, agencies.c.name, d.c.procedure_code, p.c.name)
        .order_by(func.min(d.c.due_at), func.count().desc(), key, d.c.agency_code, d.c.procedure_code)
        .limit(bindparam("limit"))
    )


def due_soon_dossiers(
    engine: Engine,
    times: DueSoonTimes,
    level: str = "province",
    unit_code: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> tuple[pd.DataFrame, bool]:
    """Open dossiers due soon, counted per unit of ``level`` (or per agency, for ``"agency"``),
    handling agency and procedure, earliest due first; only ``unit_code``'s when given. Returns
    the frame (:data:`COLUMNS`) and whether ``limit`` cut it.
    """
    stmt = _statement(level == AGENCY, unit_code is not None)
    params: dict[str, Any] = {**times.params(), "level": level, "limit": limit + 1}
    if unit_code is not None:
        params["unit"] = unit_code
    with engine.connect() as conn:
        return _listing(result_frame(conn.execute(stmt, params)), COLUMNS, limit)


def _listing(frame: pd.DataFrame, columns: tuple[str, ...], limit: int) -> tuple[pd.DataFrame, bool]:
    """A listing read with ``limit + 1`` rows: its first ``limit`` rows typed, and whether it was cut."""
    if frame.empty:
        frame = pd.DataFrame({c: [] for c in columns})
    cut = len(frame) > limit
    frame = frame.head(limit).copy()
    for name in ("due_soon", "apology_last_day"):
        frame[name] = pd.to_numeric(frame[name]).fillna(0).astype("int64")
    frame["earliest_due_at"] = pd.to_datetime(frame["earliest_due_at"])
    return frame, cut


@functools.cache
def _total_statement(by_agency: bool, one_unit: bool) -> Select[Any]:
    where = [_window()]
    source: Any = d
    if one_unit and by_agency:
        where.append(d.c.agency_code == bindparam("unit"))
    elif one_unit:  # the unit of the level, as the list groups: a code of another level has none
        on_unit = and_(
            ua.c.unit_code == d.c.unit_code,
            ua.c.ancestor_level == bindparam("level"),
            ua.c.ancestor_code == bindparam("unit"),
        )
        source = d.join(ua, on_unit)
    return (
        select(func.count().label("due_soon"), _apology().label("apology_last_day"))
        .select_from(source)
        .where(*where)
    )


def due_soon_total(
    engine: Engine, times: DueSoonTimes, level: str = "province", unit_code: str | None = None
) -> tuple[int, int]:
    """(dossiers due soon, of them due on the apology's day) in the province, or in ``unit_code``
    of ``level`` (with everything below it; an agency for ``"agency"``): the total of the rows
    :func:`due_soon_dossiers` gives for the same arguments, which a cut list lacks.
    """
    params: dict[str, Any] = {**times.params(), "level": level}
    if unit_code is not None:
        params["unit"] = unit_code
    with engine.connect() as conn:
        row = conn.execute(_total_statement(level == AGENCY, unit_code is not None), params).one()
    return int(row[0] or 0), int(row[1] or 0)


#: Columns of :func:`due_soon_by_agency`, in order.
AGENCY_COLUMNS = ("agency_code", "agency_name", "due_soon", "apology_last_day", "earliest_due_at")


@functools.cache
def _agency_statement() -> Select[Any]:
    return (
        select(
            d.c.agency_code,
            agencies.c.name.label("agency_name"),
            func.count().label("due_soon"),
            _apology().label("apology_last_day"),
            func.min(d.c.due_at).label("earliest_due_at"),
        )
        .select_from(d.join(agencies, agencies.c.code == d.c.agency_code))
        .where(_window())
        .group_by(d.c.agency_code, agencies.c.name)
        .order_by(func.count().desc(), func.min(d.c.due_at), d.c.agency_code)
        .limit(bindparam("limit"))
    )


def due_soon_by_agency(
    engine: Engine, times: DueSoonTimes, limit: int = DEFAULT_LIMIT
) -> tuple[pd.DataFrame, bool]:
    """Open dossiers due soon in the province per handling agency (all its procedures together),
    the most first, then the earliest due: the wall's one-line summary. Returns the frame
    (:data:`AGENCY_COLUMNS`) and whether ``limit`` cut it.
    """
    with engine.connect() as conn:
        frame = result_frame(conn.execute(_agency_statement(), {**times.params(), "limit": limit + 1}))
    return _listing(frame, AGENCY_COLUMNS, limit)
