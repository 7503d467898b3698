"""The online-services screen's procedure reads from the procedure summaries, equal to their
dossier-table queries in :mod:`data_access.trends` (the reference):

- *provision*: procedures with dossiers received in a scope (a unit and the units below it) in
  the period, per field (and month), and of them those offered online and full-process. A
  procedure is used when its receipts in the period (or in the period's part of a month) are
  more than none: the receipts per procedure come from the parts of
  :func:`data_access.summaries.procedures.receipt_parts` (day and month cells, the rest of a
  day cut by as_of from the rows), grouped by month as well: each cell lies in one month.
- *mostly paper*: procedures offered online whose receipts in the period came mostly on paper.
  The day table holds no channel, so the same parts read the days from the dossier rows
  (through the index on ``received_at``) and only whole months from the month cells.

Exact, never an estimate: tests/test_summary_online.py compares both with the reference.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
from sqlalchemy import Float, bindparam, func, select, true, union_all
from sqlalchemy.engine import Engine

from data_access.counter_spec import PROCEDURE_COUNTERS
from data_access.counters import count_if, procedure_condition
from data_access.results import result_frame
from data_access.schema import procedures
from data_access.summaries.procedures import Shape, part_statements, receipt_parts
from data_access.summaries.tables import is_current, or_none_without_summaries
from timebase.period import Period

p = procedures
_PROCEDURE = {c.name: c for c in PROCEDURE_COUNTERS}
#: A procedure offered online (full or partial) and a full-process one: the procedure counters'
#: own conditions (``counter_spec.PROCEDURE_COUNTERS``).
OFFERED_ONLINE = procedure_condition(_PROCEDURE["procedures_online"])
FULL_PROCESS = procedure_condition(_PROCEDURE["procedures_full"])


@functools.lru_cache(maxsize=32)
def _provision_statement(shape: Shape, by_month: bool) -> Any:
    """Procedures used, online and full-process per (month and) field, from the parts."""
    parts = union_all(*part_statements("scope", shape, (), by_month)).subquery()
    months = [parts.c.month] if by_month else []
    used = (
        select(*months, parts.c.procedure_code)
        .group_by(*months, parts.c.procedure_code)
        .having(func.sum(parts.c.n) > 0)
        .subquery()
    )
    keys = [used.c.month] if by_month else []
    return (
        select(
            *keys,
            p.c.field,
            func.count().label("procedures_used"),
            count_if(OFFERED_ONLINE).label("procedures_online"),
            count_if(FULL_PROCESS).label("procedures_full"),
        )
        .select_from(used.join(p, p.c.code == used.c.procedure_code))
        .group_by(*keys, p.c.field)
        .order_by(*keys, p.c.field)
    )


@or_none_without_summaries
def summary_provision(
    engine: Engine, unit_code: str, period: Period, by_month: bool = True
) -> pd.DataFrame | None:
    """``trends.monthly_provision`` from the summaries, or None when they are not current."""
    if period.as_of < period.start_at:
        return None
    shape, bound = receipt_parts(period)
    with engine.connect() as conn:
        if not is_current(conn):
            return None
        result = conn.execute(_provision_statement(shape, by_month), {**bound, "unit_code": unit_code})
        return result_frame(result)


@functools.lru_cache(maxsize=32)
def _paper_statement(shape: Shape, by_field: bool) -> Any:
    """Procedures offered online (of the bound ``field``) with their receipts and online receipts,
    the online part below the bound ``share``, most paper first, at most the bound ``limit``.
    """
    parts = union_all(*part_statements("scope", shape, ("received_online",))).subquery()
    per = (
        select(
            parts.c.procedure_code,
            func.sum(parts.c.n).label("received"),
            func.sum(parts.c.received_online).label("received_online"),
        )
        .group_by(parts.c.procedure_code)
        .subquery()
    )
    q = per.c
    paper = q.received - q.received_online
    return (
        select(
            q.procedure_code,
            p.c.name.label("procedure_name"),
            p.c.field,
            p.c.online_level,
            q.received,
            q.received_online,
            paper.label("received_paper"),
        )
        .select_from(per.join(p, p.c.code == q.procedure_code))
        .where(
            OFFERED_ONLINE,
            p.c.field == bindparam("field") if by_field else true(),
            q.received_online < q.received * bindparam("share", type_=Float),
        )
        .order_by(paper.desc(), q.procedure_code)
        .limit(bindparam("limit"))
    )


@or_none_without_summaries
def summary_mostly_paper(
    engine: Engine, unit_code: str, period: Period, field: str | None, share: float, limit: int
) -> pd.DataFrame | None:
    """``trends.mostly_paper_procedures``' rows (at most ``limit``) from the summaries, or None
    when they are not current.
    """
    if period.as_of < period.start_at:
        return None
    shape, bound = receipt_parts(period, day_cells=False)
    params = {**bound, "unit_code": unit_code, "share": share, "limit": limit}
    if field:
        params["field"] = field
    with engine.connect() as conn:
        if not is_current(conn):
            return None
        return result_frame(conn.execute(_paper_statement(shape, bool(field)), params))
