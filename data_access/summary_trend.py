"""Trend counters (``queries.monthly_counters``) from the summaries, in two reads for any
number of months: the month table for the finished months (their events and month-end
snapshots of dossiers that have since left the queue), and the dossiers still open now, read
once through the partial index and judged at every month end in numpy. The live month goes
through :func:`data_access.summary_read.summary_counts`. Equal to the raw query month by month
(tests/test_summary.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.engine import Connection, Engine

from data_access.counters import DOSSIER_COUNTERS, valid_dossier
from data_access.results import result_frame
from data_access.summary_cells import OPEN_COUNTERS
from data_access.summary_read import (
    _combine,
    _month_end,
    _part,
    _table_query,
    _ym,
    d,
    frame_part,
    p,
    range_params,
    still_open,
    summary_counts,
    ua,
)
from data_access.summary_tables import is_current, summary_month, summary_procedure_month
from metrics.period import Period


def _whole_month_judged_at_end(period: Period) -> bool:
    last_second = dt.datetime.combine(period.end, dt.time(23, 59, 59))
    return period.start.day == 1 and period.end == _month_end(period.start) and period.as_of == last_second


def summary_monthly(
    engine: Engine, level: str, months: Sequence[Period], by: Sequence[str] = ()
) -> pd.DataFrame | None:
    """``queries.monthly_counters`` from the summaries: finished months in one query of the month
    table (their events and the month-end snapshots) plus the dossiers still open now, read once
    through the partial index and judged at each month end in pandas; other periods (the live
    month) through :func:`summary_counts`. None when the summaries cannot answer.
    """
    past = [p for p in months if _whole_month_judged_at_end(p)]
    if not past or not is_current(engine):
        return None
    frames = []
    for period in months:
        if period not in past:
            live = summary_counts(engine, level, period, by)
            if live is None:
                return None
            frames.append(frame_part(live.assign(month=_ym(period.start))))
    table = summary_procedure_month if ("procedure" in by or "field" in by) else summary_month
    wanted = [_ym(p.start) for p in past]
    stmt = _table_query(table, table.c.month, tuple(by), len(wanted), None)
    stmt = stmt.add_columns(table.c.month).group_by(table.c.month)
    stmt = stmt.add_columns(*[func.sum(table.c[c]).label(c) for c in OPEN_COUNTERS])
    params = {"level": level, **range_params([(m, m) for m in wanted])}
    with engine.connect() as conn:
        frames.append(_part(conn, stmt, params))
        frames.extend(frame_part(f) for f in _open_at_month_ends(conn, level, past, by))
    keys = ["unit_code", "month", *by]
    out = _combine(frames, ["month", *by])
    return out.sort_values(["month", "unit_code", *by])[[*keys, *DOSSIER_COUNTERS]].reset_index(drop=True)


def _open_at_month_ends(
    conn: Connection, level: str, past: list[Period], by: Sequence[str]
) -> list[pd.DataFrame]:
    """Open-now dossiers counted as open, on time or overdue at each period's as_of."""
    dims = {
        "field": p.c.field,
        "channel": d.c.channel,
        "agency": d.c.agency_code,
        "procedure": d.c.procedure_code,
    }
    latest = max(period.as_of for period in past)
    stmt = (
        select(
            ua.c.ancestor_code.label("unit_code"),
            *[dims[b].label(b) for b in by],
            d.c.received_at,
            d.c.due_at,
            d.c.supplement_requests,
        )
        .select_from(
            d.join(ua, and_(ua.c.unit_code == d.c.unit_code, ua.c.ancestor_level == bindparam("level"))).join(
                p, p.c.code == d.c.procedure_code
            )
        )
        .where(valid_dossier, still_open, d.c.received_at <= bindparam("latest", type_=d.c.received_at.type))
    )
    rows = result_frame(conn.execute(stmt, {"level": level, "latest": latest}))
    if rows.empty:
        return []
    keys = ["unit_code", *by]
    grouper = rows.groupby(keys, sort=False)
    codes = grouper.ngroup().to_numpy()
    group_frame = grouper.size().reset_index()[keys]  # groups in ngroup's order (first seen)
    ats = np.array([np.datetime64(period.as_of, "us") for period in past])
    received = pd.to_datetime(rows["received_at"]).to_numpy("datetime64[us]")[:, None]
    due = pd.to_datetime(rows["due_at"]).to_numpy("datetime64[us]")[:, None]
    few = (rows["supplement_requests"] < 2).to_numpy()[:, None]
    open_now = received <= ats  # rows × month ends, all judged at once
    flags = {
        "open_end": open_now,
        "open_on_time": open_now & (due >= ats) & few,
        "open_overdue": open_now & (due < ats),
    }
    sums = {}
    for name, flag in flags.items():
        total = np.zeros((len(group_frame), len(past)), dtype="int64")
        np.add.at(total, codes, flag.astype("int64"))
        sums[name] = total
    return [
        group_frame.assign(month=_ym(period.start), **{n: sums[n][:, k] for n in flags})
        for k, period in enumerate(past)
    ]
