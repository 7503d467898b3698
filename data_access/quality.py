"""Data quality of the dossier table: rows the figures exclude, counted per reason and unit.

The queries exclude these rows themselves (``data_access.counters.valid_dossier`` and the joins
to known units and procedures); this module counts them so the data-quality screen, the note on
every screen and ``cli.py check`` can say how many and why. One GROUP BY per reason, each bound
and limited; nothing reads the table into pandas.

Every check reads only the rows it finds, through indexes, never the whole table (the note under
every screen runs it each hour: at 10 M dossiers the scans took 125 s on SQLite and 14 s on
PostgreSQL): the rows failing a check of their own values through the partial index of suspect
rows (``schema.SUSPECT``); unknown unit and procedure codes by walking the distinct codes of an
index (a recursive "next code after this one": a hundred-odd index probes) and then the rows of
the unknown ones; future dates by a range of each date's index. Duplicate codes cannot occur
under the primary key, so the table is only grouped by code where it has none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import and_, bindparam, case, func, inspect, not_, or_, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.expression import ColumnElement

from data_access.counter_spec import SPEC
from data_access.counters import failing
from data_access.schema import (
    PROCEDURE_KEY,
    SUSPECT,
    dossiers,
    procedures,
    units,
)

d = dossiers


def _codes_in_table(key: Any, name: str) -> Any:
    """The distinct non-null values of ``key`` as a recursive CTE (one index probe a value: the
    least value greater than the last, until none).
    """
    first = select(func.min(key).label("code"))
    codes = first.cte(name, recursive=True)
    following = select(select(func.min(key)).where(key > codes.c.code).scalar_subquery()).where(
        codes.c.code.is_not(None)
    )
    return codes.union_all(following)


def _unknown(key: Any, known: Any, name: str) -> ColumnElement[bool]:
    """``key`` holds a code missing from ``known`` (the codes found by :func:`_codes_in_table`)."""
    codes = _codes_in_table(key, name)
    missing = select(codes.c.code).where(codes.c.code.is_not(None), codes.c.code.not_in(select(known)))
    return key.in_(missing)


def _unknown_unit() -> ColumnElement[bool]:
    return _unknown(d.c.unit_code, units.c.code, "unit_codes")


def _unknown_procedure() -> ColumnElement[bool]:
    return _unknown(PROCEDURE_KEY, procedures.c.code, "procedure_codes")


def _where(condition: ColumnElement[bool]) -> Callable[[Any], Any]:
    """The failing rows' unit codes: the rows meeting ``condition``."""
    return lambda now: select(d.c.unit_code).where(condition)


def _own(condition: ColumnElement[bool]) -> Callable[[Any], Any]:
    """The same for a check of the row's own values, read through the index of suspect rows."""
    return _where(and_(SUSPECT, condition))


def _fails(reason: str) -> Callable[[Any], Any]:
    """The rows failing the check of the validity rule named ``reason`` (declared once, in
    :mod:`data_access.counter_spec`), read through the index of suspect rows.
    """
    return _own(failing(SPEC.checks[reason]))


def _future(now: Any) -> Any:
    """Rows with a date after ``now``: received, else finished, else asked for a supplement after
    it (three disjoint parts, each a range of its date's index, so a row counts once; an OR of
    the three was planned as a scan of the table).
    """
    received, finished = d.c.received_at > now, d.c.finished_at > now
    return union_all(
        select(d.c.unit_code).where(received),
        select(d.c.unit_code).where(finished, not_(received)),
        select(d.c.unit_code).where(
            d.c.supplement_requested_at > now, not_(received), or_(d.c.finished_at.is_(None), not_(finished))
        ),
    )


#: Reason code → the unit codes of the rows failing it (given "now"). Every reason but
#: ``future_date`` and ``duplicate_code`` is excluded by the queries; ``future_date`` rows are
#: counted as "not finished yet" (a finish time in the future has not happened), and
#: ``duplicate_code`` cannot occur while dossier_code is the primary key.
REASONS: dict[str, Callable[[Any], Any]] = {
    "due_before_received": _fails("due_before_received"),
    "finished_before_received": _fails("finished_before_received"),
    "supplement_before_received": _fails("supplement_before_received"),
    "unknown_status": _fails("unknown_status"),
    "unknown_unit": _where(_unknown_unit()),
    "unknown_procedure": _where(_unknown_procedure()),
    "negative_supplements": _fails("negative_supplements"),
    "absurd_supplements": _fails("absurd_supplements"),
    "future_date": _future,
}
EXCLUDING = tuple(r for r in REASONS if r != "future_date")


def _unique_codes(engine: Engine) -> bool:
    """Whether the table's primary key is the dossier code (so no code can repeat); False when
    the backend cannot say (DuckDB's reflection), and the codes are then grouped and counted.
    """
    try:
        with engine.connect() as conn:  # its own: a failed reflection aborts DuckDB's transaction
            return inspect(conn).get_pk_constraint(d.name).get("constrained_columns") == ["dossier_code"]
    except SQLAlchemyError:
        return False


def reason_statement(reason: str) -> Any:
    """Rows failing ``reason`` per stored unit code, most first (bound: ``now``, ``limit``)."""
    rows = REASONS[reason](bindparam("now", type_=d.c.received_at.type)).subquery()
    return (
        select(rows.c.unit_code, func.count().label("rows"))
        .group_by(rows.c.unit_code)
        .order_by(func.count().desc(), rows.c.unit_code)
        .limit(bindparam("limit"))
    )


def excluded_statement() -> Any:
    """The count of :func:`excluded_total`: the suspect rows, then the rows of an unknown unit
    that are not suspect, then those of an unknown procedure that are neither (a row with
    several faults counts once), each part found through its own index.
    """

    def isnt(condition: ColumnElement[bool]) -> ColumnElement[bool]:
        return case((condition, 1), else_=0) == 0  # NULL (no fault proven) counts as not

    parts = [
        SUSPECT,
        and_(_unknown_unit(), isnt(SUSPECT)),
        and_(_unknown_procedure(), isnt(SUSPECT), d.c.unit_code.in_(select(units.c.code))),
    ]
    first, second, third = (select(func.count()).where(p).scalar_subquery() for p in parts)
    return select(first + second + third)


def quality_counts(engine: Engine, now: dt.datetime, limit: int = 500) -> pd.DataFrame:
    """Rows failing each check, by reason and (stored) unit code: columns reason, unit_code, rows."""
    frames = []
    unique = _unique_codes(engine)
    with engine.connect() as conn:
        for reason in REASONS:
            rows = conn.execute(reason_statement(reason), {"now": now, "limit": limit}).all()
            frames.extend({"reason": reason, "unit_code": r[0], "rows": int(r[1])} for r in rows)
        duplicates = 0
        if not unique:
            dup = select(func.count()).select_from(
                select(d.c.dossier_code).group_by(d.c.dossier_code).having(func.count() > 1).subquery()
            )
            duplicates = int(conn.execute(dup).scalar() or 0)
    if duplicates:
        frames.append({"reason": "duplicate_code", "unit_code": "", "rows": duplicates})
    return pd.DataFrame(frames, columns=["reason", "unit_code", "rows"])


def excluded_total(engine: Engine) -> int:
    """Rows the figures exclude (each row once, whatever its number of faults)."""
    with engine.connect() as conn:
        return int(conn.execute(excluded_statement()).scalar() or 0)


def table_total(engine: Engine) -> int:
    """Rows in the dossier table."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(d)).scalar() or 0)
