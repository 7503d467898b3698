"""Trend counters (``queries.monthly_counters``) from the summaries, in two reads for any
number of finished months: the month table (their events and month-end snapshots of dossiers
that have since left the queue), and the dossiers still open now, read once through the partial
index and judged at every month end in the same SQL pass. The live month goes through
:func:`data_access.summaries.read.summary_counts`; the three run at once. Equal to the raw query
month by month (tests/test_summary.py).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection, Engine

from data_access.counter_spec import SPEC, Spec
from data_access.counters import DOSSIER_COUNTERS, queued_open_columns, render
from data_access.parallel import at_once
from data_access.summaries.cells import OPEN_COUNTERS
from data_access.summaries.plan import month_end, ym
from data_access.summaries.read import (
    Part,
    combine,
    d,
    fetch_part,
    frame_part,
    p,
    range_params,
    rolled_up,
    still_open,
    summary_counts,
    table_query,
)
from data_access.summaries.tables import (
    is_current,
    month_table,
    or_none_without_summaries,
)
from timebase.period import Period


def _whole_month_judged_at_end(period: Period) -> bool:
    last_second = dt.datetime.combine(period.end, dt.time(23, 59, 59))
    return period.start.day == 1 and period.end == month_end(period.start) and period.as_of == last_second


@or_none_without_summaries
def summary_monthly(
    engine: Engine, level: str, months: Sequence[Period], by: Sequence[str] = ()
) -> pd.DataFrame | None:
    """``queries.monthly_counters`` from the summaries: finished months in one query of the month
    table (their events and the month-end snapshots) plus the dossiers still open now, read once
    through the partial index and judged at each month end in SQL; other periods (the live
    month) through :func:`summary_counts`. None when the summaries cannot answer.
    """
    past = [p for p in months if _whole_month_judged_at_end(p)]
    if not past or not is_current(engine):
        return None
    params = {"level": level, **range_params([(ym(p.start), ym(p.start)) for p in past])}

    def month_rows() -> Part:
        with engine.connect() as conn:
            return fetch_part(conn, _months_statement(tuple(by), len(past)), params)

    def open_rows() -> Part:
        with engine.connect() as conn:
            return _open_at_month_ends(conn, level, past, by)

    def live(period: Period) -> Part | None:
        counts = summary_counts(engine, level, period, by)
        return None if counts is None else frame_part(counts.assign(month=ym(period.start)))

    others = [period for period in months if period not in past]  # the live month, if any
    parts = at_once(month_rows, open_rows, *[lambda period=period: live(period) for period in others])
    if any(part is None for part in parts):
        return None
    keys = ["unit_code", "month", *by]
    out = combine(parts, ["month", *by])
    return out.sort_values(["month", "unit_code", *by])[[*keys, *DOSSIER_COUNTERS]].reset_index(drop=True)


@functools.lru_cache(maxsize=32)
def _months_statement(by: tuple[str, ...], n: int) -> Any:
    """Events and month-end snapshots of ``n`` bound months per unit (and ``by``) and month."""
    table = month_table(by)
    stmt = table_query(table, table.c.month, by, n, None)
    stmt = stmt.add_columns(table.c.month).group_by(table.c.month)
    return stmt.add_columns(*[func.sum(table.c[c]).label(c) for c in OPEN_COUNTERS])


@functools.lru_cache(maxsize=32)
def _open_ends_statement(by: tuple[str, ...], n: int, spec: Spec = SPEC) -> Any:
    """Open-now dossiers received by ``latest``, counted per unit (then rolled up to the bound
    ``level``) by the open counters of :func:`data_access.counters.queued_open_columns` judged at
    each of ``n`` bound month ends ``a0`` … (labelled ``open_end_0`` …).
    """
    dims = {
        "field": p.c.field,
        "channel": d.c.channel,
        "agency": d.c.agency_code,
        "procedure": d.c.procedure_code,
    }
    latest_type = d.c.received_at.type
    cols = []
    for k in range(n):
        at = bindparam(f"a{k}", type_=d.c.received_at.type)
        cols += queued_open_columns(at, f"_{k}", check_received=True, spec=spec)
    per_unit = (
        select(d.c.unit_code, *[dims[b].label(b) for b in by], *cols)
        .select_from(d.join(p, p.c.code == d.c.procedure_code))
        .where(render(spec.valid), still_open, d.c.received_at <= bindparam("latest", type_=latest_type))
        .group_by(d.c.unit_code, *[dims[b] for b in by])
        .subquery()
    )
    return rolled_up(per_unit, by, cols)


def _open_at_month_ends(conn: Connection, level: str, past: list[Period], by: Sequence[str]) -> Part:
    """Open-now dossiers counted as open, on time or overdue at each period's as_of: one pass of
    the covering partial index of open rows, three sums a month end, in SQL (fetching the open
    rows to judge them in pandas was slower, docs/performance.md).
    """
    params: dict[str, Any] = {"level": level, "latest": max(period.as_of for period in past)}
    params |= {f"a{k}": period.as_of for k, period in enumerate(past)}
    _, rows = fetch_part(conn, _open_ends_statement(tuple(by), len(past)), params)
    nk = 1 + len(by)
    out = []
    for row in rows:
        for k, period in enumerate(past):
            counts = row[nk + 3 * k : nk + 3 * k + 3]
            if any(counts):
                out.append((row[0], ym(period.start), *row[1:nk], *counts))
    return ["unit_code", "month", *by, *OPEN_COUNTERS], out
