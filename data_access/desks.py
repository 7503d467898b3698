"""Where dossiers are received (nơi tiếp nhận): the receiving desk as a dimension of its own.

Every figure counts a dossier for the unit of the agency that handles it (docs/rules.md
"Attribution"); the desk where the citizen submitted it is ``dossiers.desk_unit_code``. Two
questions are asked of it, per unit of a level and for dossiers received in the period:

- ``desk_received``: dossiers received at the desks of the unit (and of the units below it),
  whoever handles them: intake by place;
- ``received_outside``: dossiers the unit handles (it or a unit below it: the ``received``
  counter's dossiers) that were received at a desk outside it: a commune desk's dossier handled
  by the district, or, since Decree 118/2025, a desk anywhere in the province.

Rows are those of the ``received`` counter: valid, with a known procedure, received in the
period by as_of. A dossier with no desk recorded counts for neither.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select

from data_access.counters import valid_dossier
from data_access.results import columns_frame, count_columns
from data_access.schema import dossiers, procedures, unit_ancestors
from timebase.period import Period
from vocabulary import DESK_COUNTERS

d, p, ua = dossiers, procedures, unit_ancestors


def _received_in_period() -> Any:
    return and_(
        valid_dossier,
        d.c.received_at >= bindparam("start", type_=d.c.received_at.type),
        d.c.received_at < bindparam("end_before", type_=d.c.received_at.type),
        d.c.received_at <= bindparam("as_of", type_=d.c.received_at.type),
    )


@functools.cache
def _desk_statement() -> Select[Any]:
    """Dossiers received in the period per unit of the level their desk rolls up to."""
    on_level = and_(ua.c.unit_code == d.c.desk_unit_code, ua.c.ancestor_level == bindparam("level"))
    return (
        select(ua.c.ancestor_code.label("unit_code"), func.count().label("desk_received"))
        .select_from(d.join(ua, on_level).join(p, p.c.code == d.c.procedure_code))
        .where(_received_in_period())
        .group_by(ua.c.ancestor_code)
    )


@functools.cache
def _outside_statement() -> Select[Any]:
    """Dossiers a unit of the level handles whose desk is not the unit or below it."""
    handler = ua.alias("handler")
    desk = ua.alias("desk")
    on_level = and_(handler.c.unit_code == d.c.unit_code, handler.c.ancestor_level == bindparam("level"))
    inside = and_(desk.c.unit_code == d.c.desk_unit_code, desk.c.ancestor_code == handler.c.ancestor_code)
    return (
        select(handler.c.ancestor_code.label("unit_code"), func.count().label("received_outside"))
        .select_from(
            d.join(handler, on_level).join(p, p.c.code == d.c.procedure_code).outerjoin(desk, inside)
        )
        .where(_received_in_period(), d.c.desk_unit_code.is_not(None), desk.c.unit_code.is_(None))
        .group_by(handler.c.ancestor_code)
    )


def desk_counts(engine: Engine, level: str, period: Period) -> pd.DataFrame:
    """Per unit of ``level``: ``unit_code``, ``desk_received``, ``received_outside`` in ``period``.

    Units with neither are absent (join the unit list for zeros).
    """
    params = {
        "start": period.start_at,
        "end_before": period.end_before,
        "as_of": period.as_of,
        "level": level,
    }
    with engine.connect() as conn:
        desk = columns_frame(count_columns(conn.execute(_desk_statement(), params)))
        outside = columns_frame(count_columns(conn.execute(_outside_statement(), params)))
    out = desk.merge(outside, on="unit_code", how="outer")
    for name in DESK_COUNTERS:
        out[name] = pd.to_numeric(out[name]).fillna(0).astype("int64")
    return out.sort_values("unit_code", ignore_index=True)
