"""Data quality of the dossier table: rows the figures exclude, counted per reason and unit.

The queries exclude these rows themselves (``data_access.counters.valid_dossier`` and the joins
to known units and procedures); this module counts them so the data-quality screen, the note on
every screen and ``cli.py check`` can say how many and why. One GROUP BY per reason, each bound
and limited; nothing reads the table into pandas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, exists, func, not_, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.expression import ColumnElement

from data_access.counters import MAX_SUPPLEMENTS, valid_dossier
from data_access.schema import STATUSES, dossiers, procedures, units

d = dossiers

_unknown_unit = not_(exists().where(units.c.code == d.c.unit_code))
_unknown_procedure = not_(exists().where(procedures.c.code == d.c.procedure_code))


def _future(now: Any) -> ColumnElement[bool]:
    return or_(d.c.received_at > now, d.c.finished_at > now, d.c.supplement_requested_at > now)


#: Reason code → condition. Every reason but ``future_date`` and ``duplicate_code`` is excluded by
#: the queries; ``future_date`` rows are counted as "not finished yet" (a finish time in the future
#: has not happened), and ``duplicate_code`` cannot occur while dossier_code is the primary key.
REASONS: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "due_before_received": lambda now: d.c.due_at < d.c.received_at,
    "finished_before_received": lambda now: d.c.finished_at < d.c.received_at,
    "supplement_before_received": lambda now: d.c.supplement_requested_at < d.c.received_at,
    "unknown_status": lambda now: d.c.status.not_in(STATUSES),
    "unknown_unit": lambda now: _unknown_unit,
    "unknown_procedure": lambda now: _unknown_procedure,
    "negative_supplements": lambda now: d.c.supplement_requests < 0,
    "absurd_supplements": lambda now: d.c.supplement_requests > MAX_SUPPLEMENTS,
    "future_date": _future,
}
EXCLUDING = tuple(r for r in REASONS if r != "future_date")


def quality_counts(engine: Engine, now: dt.datetime, limit: int = 500) -> pd.DataFrame:
    """Rows failing each check, by reason and (stored) unit code: columns reason, unit_code, rows."""
    frames = []
    with engine.connect() as conn:
        for reason, condition in REASONS.items():
            stmt = (
                select(d.c.unit_code, func.count().label("rows"))
                .where(condition(bindparam("now", type_=d.c.received_at.type)))
                .group_by(d.c.unit_code)
                .order_by(func.count().desc(), d.c.unit_code)
                .limit(limit)
            )
            rows = conn.execute(stmt, {"now": now}).all()
            frames.extend({"reason": reason, "unit_code": r[0], "rows": int(r[1])} for r in rows)
        dup = select(func.count()).select_from(
            select(d.c.dossier_code).group_by(d.c.dossier_code).having(func.count() > 1).subquery()
        )
        duplicates = int(conn.execute(dup).scalar() or 0)
    if duplicates:
        frames.append({"reason": "duplicate_code", "unit_code": "", "rows": duplicates})
    return pd.DataFrame(frames, columns=["reason", "unit_code", "rows"])


def excluded_total(engine: Engine) -> int:
    """Rows the figures exclude (each row once, whatever its number of faults)."""
    stmt = select(func.count()).where(or_(not_(valid_dossier), _unknown_unit, _unknown_procedure))
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar() or 0)


def table_total(engine: Engine) -> int:
    """Rows in the dossier table."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(d)).scalar() or 0)
