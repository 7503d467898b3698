"""Open dossiers that fall due before a period closes: the counter behind "where the period will
end" (docs/rules.md §1a; the projection itself is ``metrics.outlook``).

``open_due_before_close`` counts, per unit of a level (or per agency), the dossiers that the
on-time rate counts as open and not yet past due at the judging moment (counter
``open_on_time`` of ``data_access.counter_spec``, rendered from the same declaration) whose due
time is before the period's close. Those are the dossiers whose fate decides the closing figure.
Read in two parts: the rows still in the queue now, through the partial index on open dossiers,
and the few that have left it since the moment (only for a moment in the past), through the
finish and supplement indexes.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pandas as pd
from sqlalchemy import and_, between, bindparam, func, or_, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select

from data_access.counter_spec import SPEC
from data_access.counters import gone_at, render, valid_dossier
from data_access.results import result_frame
from data_access.schema import OPEN_NOW, dossiers, unit_ancestors

d, ua = dossiers, unit_ancestors
AGENCY = "agency"
#: Later than any time a dossier holds: the upper end of the "left since" ranges.
END_OF_TIME = dt.datetime(9999, 12, 31)
COLUMN = "open_due_by_close"


def _open_on_time(as_of: Any) -> Any:
    """The condition of the ``open_on_time`` counter at ``as_of`` (due at or after it, few
    supplement requests by then), rendered from the counter declaration.
    """
    [counter] = [c for c in SPEC.counters if c.name == "open_on_time"]
    return render(counter.condition, as_of)


@functools.cache
def _statement(by_agency: bool) -> Select[Any]:
    as_of = bindparam("as_of", type_=d.c.received_at.type)
    close = bindparam("close_before", type_=d.c.due_at.type)
    ever = bindparam("end_of_time", value=END_OF_TIME, type_=d.c.received_at.type)
    counted = and_(valid_dossier, d.c.received_at <= as_of, _open_on_time(as_of), d.c.due_at < close)
    finished_since = between(d.c.finished_at, as_of, ever)
    asked_since = and_(
        between(d.c.supplement_requested_at, as_of, ever),
        or_(d.c.finished_at.is_(None), d.c.finished_at < as_of),  # not already in the branch above
    )
    rows = union_all(  # three disjoint parts, each read through its own index
        select(d.c.unit_code, d.c.agency_code).where(OPEN_NOW, counted),  # still open: gone_at NULL
        select(d.c.unit_code, d.c.agency_code).where(finished_since, gone_at > as_of, counted),
        select(d.c.unit_code, d.c.agency_code).where(asked_since, gone_at > as_of, counted),
    ).subquery()
    if by_agency:
        return select(rows.c.agency_code.label("unit_code"), func.count().label(COLUMN)).group_by(
            rows.c.agency_code
        )
    on_level = and_(ua.c.unit_code == rows.c.unit_code, ua.c.ancestor_level == bindparam("level"))
    return (
        select(ua.c.ancestor_code.label("unit_code"), func.count().label(COLUMN))
        .select_from(rows.join(ua, on_level))
        .group_by(ua.c.ancestor_code)
    )


def open_due_before_close(
    engine: Engine, level: str, as_of: dt.datetime, close_before: dt.datetime
) -> pd.DataFrame:
    """Per unit of ``level`` (or agency, for ``"agency"``): ``unit_code`` and the dossiers open
    and on time at ``as_of`` whose due time is before ``close_before`` (the period's end,
    exclusive). Units with none are absent; nothing when the period has already closed.
    """
    if as_of >= close_before:
        return pd.DataFrame({"unit_code": pd.Series([], dtype=object), COLUMN: pd.Series([], dtype="int64")})
    params = {"as_of": as_of, "close_before": close_before, "level": level}
    with engine.connect() as conn:
        frame = result_frame(conn.execute(_statement(level == AGENCY), params))
    if frame.empty:
        return pd.DataFrame({"unit_code": pd.Series([], dtype=object), COLUMN: pd.Series([], dtype="int64")})
    frame[COLUMN] = pd.to_numeric(frame[COLUMN]).fillna(0).astype("int64")
    return frame
