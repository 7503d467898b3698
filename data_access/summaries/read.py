"""Dossier counters read from the summaries, equal to the raw query of ``queries.dossier_counts``.

For a period [start, end] judged at ``as_of`` (see :mod:`data_access.counters`):

*as_of at a day end* (D 23:59:59, every finished period):
  receipt/settle/finish counters = summary cells of the days [start, min(end, D)] (whole months
  from ``summary_month``, the edges from ``summary_day``); open counters = dossiers that have left
  the queue since and were open at the end of D (``summary_month`` snapshot at the end of the
  previous month + ``summary_day`` changes of D's month up to D, or the snapshot of D's month
  when D is its last day) + dossiers still open now, received by as_of (dossier table, partial
  index on open dossiers).

*as_of within a day, nothing recorded after it* (the live wall: as_of is now, day X = its day):
  every event lies at or before as_of, so the summary cells through X's month end hold exactly
  the period's receipt/settle/finish counters; open counters = dossiers still open now, received
  by as_of (dossier table, covering partial index on open dossiers). Three index lookups (the
  latest receipt, settle and finish times) decide the case.

*as_of within a day, later events recorded* (a past moment, or a clock behind the data):
  summary cells of the days [start, X−1] + the raw counters of the rows *touched* since X
  (received, settled or finished since X, or still open), with the period [max(start, X), end].
  Every dossier open at as_of is touched (it leaves the queue after as_of ≥ X, or never has),
  and an untouched dossier's events all lie before X, so the sum is exact. The touched rows are
  today's and the open ones, found through indexes, in two disjoint parts: today's rows with
  every counter, and the open rows with no event since X, which can only count as open (their
  receipt is before the period part, they have no settle or finish time), so only the three
  open counters are computed for them: the bulk of the rows, at an eighth of the work a row.

By procedure or field only the month tables by procedure or by field apply
(:func:`~data_access.summaries.tables.month_table`; whole months; in the last case a live month
is read from the rows touched since its first day). Anything else returns None: the
caller falls back to the raw query, which stays the reference.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import and_, between, bindparam, case, func, or_, select, true, union
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.expression import ColumnElement

from data_access.counters import (
    DOSSIER_COUNTERS,
    counter_columns,
    queued_open_columns,
    relevant,
    valid_dossier,
)
from data_access.results import Columns, columns_frame
from data_access.schema import OPEN_NOW, dossiers, procedures, unit_ancestors
from data_access.sqlfuncs import no_index_order
from data_access.summaries.cells import EVENT_COUNTERS, FLOAT_COUNTERS, OPEN_COUNTERS
from data_access.summaries.plan import is_day_end, plan, reads
from data_access.summaries.tables import (
    is_current,
    month_table,
    or_none_without_summaries,
    summary_day,
)
from timebase.period import Period

d, p, ua = dossiers, procedures, unit_ancestors
#: Later than any time a dossier holds: the upper end of the "since a day" ranges.
END_OF_TIME = dt.datetime(9999, 12, 31)


def _codes(*conditions: ColumnElement[bool]) -> Any:
    """Codes of the rows matching any condition: one indexed SELECT each, united, so every
    planner reads each branch through its own index (an OR over the table would scan it).
    """
    return union(*[select(d.c.dossier_code).where(c) for c in conditions])


#: Rows still open now, read through the covering partial index ``ix_dossiers_open_now``: with a
#: range on ``received_at`` every planner reads only that index (an IN over the union of two
#: indexed lookups, the earlier form, visited the table twice a row: 4× slower at 10 M).
still_open = OPEN_NOW


def _negated(part: Part, nk: int) -> Part:
    """``part`` with its counters (every column after the ``nk`` keys) negated."""
    columns, rows = part
    return columns, [(*r[:nk], *(None if v is None else -v for v in r[nk:])) for r in rows]


def _summed(col: ColumnElement[Any], when: ColumnElement[bool] | None, name: str) -> ColumnElement[Any]:
    if when is None:
        return func.sum(col).label(name)
    return func.sum(case((when, col), else_=0)).label(name)


def _ranges(bucket: ColumnElement[int], prefix: str, n: int) -> list[ColumnElement[bool]]:
    """``bucket`` in each of ``n`` ranges bound as ``{prefix}{i}_lo`` … ``{prefix}{i}_hi``."""
    return [between(bucket, bindparam(f"{prefix}{i}_lo"), bindparam(f"{prefix}{i}_hi")) for i in range(n)]


def range_params(events: Sequence[tuple[int, int]], opens: Sequence[tuple[int, int]] = ()) -> dict[str, int]:
    """The bound values of :func:`_table_query`'s ranges."""
    out: dict[str, int] = {}
    for prefix, ranges in (("e", events), ("o", opens)):
        for i, (lo, hi) in enumerate(ranges):
            out[f"{prefix}{i}_lo"], out[f"{prefix}{i}_hi"] = lo, hi
    return out


@functools.lru_cache(maxsize=128)
def table_query(
    table: Any,
    bucket: ColumnElement[int],
    by: tuple[str, ...],
    n_events: int,
    opens: tuple[int, tuple[str, ...]] | None,
    shared: bool = False,
) -> Any:
    """SUM of a summary table over bucket ranges: event counters in ``n_events`` ranges, the
    open counters (snapshot or change columns ``opens[1]``) in ``opens[0]`` ranges, rolled up to
    the ``level`` ancestors. The ranges are bound (:func:`range_params`), so one statement,
    built and compiled once, serves every period of the same shape (building it cost more than
    running it on the live wall).

    A counter is filtered by a CASE on its own ranges only when the two sets differ: with
    ``shared`` the open counters read the event ranges (a finished month: its receipts and its
    snapshot at the end; the first days of a month: their receipts and their open changes), and
    with no event ranges the WHERE already is the open ranges. The 26 CASEs took half of the
    query's time on PostgreSQL (docs/performance.md).
    """
    dims = {"channel": table.c.channel, "agency": table.c.agency_code}
    if "procedure_code" in table.c:
        dims |= {"procedure": table.c.procedure_code, "field": p.c.field}
    if "field" in table.c:
        dims["field"] = table.c.field
    joined = table.join(
        ua, and_(ua.c.unit_code == table.c.unit_code, ua.c.ancestor_level == bindparam("level"))
    )
    if "field" in by and "field" not in table.c:
        joined = joined.join(p, p.c.code == table.c.procedure_code)
    cols = []
    n_opens = opens[0] if opens and not shared else 0  # open ranges of their own
    if n_events:
        only_events = or_(*_ranges(bucket, "e", n_events)) if n_opens else None
        cols += [_summed(table.c[c], only_events, c) for c in EVENT_COUNTERS]
    if opens:
        within = or_(*_ranges(bucket, "o", n_opens)) if n_events and n_opens else None
        cols += [_summed(table.c[n], within, o) for n, o in zip(opens[1], OPEN_COUNTERS, strict=True)]
    group = [ua.c.ancestor_code, *[dims[b] for b in by]]
    where = or_(*_ranges(bucket, "e", n_events), *_ranges(bucket, "o", n_opens))
    return (
        select(ua.c.ancestor_code.label("unit_code"), *[dims[b].label(b) for b in by], *cols)
        .select_from(joined)
        .where(where)
        .group_by(*group)
    )


@functools.lru_cache(maxsize=64)
def _raw_query(by: tuple[str, ...], rows: str, names: tuple[str, ...], *, queued: bool = False) -> Any:
    """The raw counter query of ``queries.dossier_counts`` restricted to ``rows`` ("all", or
    "today" / "quiet" of :func:`_today_and_quiet`, bound to ``since``): the counters ``names``,
    or with ``queued`` the three open counters of rows still in the queue received by as_of
    (:func:`data_access.counters.queued_open_columns`). Built once per shape.

    Counted per the dossier's own unit first, then rolled up to the level: the closure join then
    meets a hundred groups, not every row (PostgreSQL misjudged the row count of the inner part
    and nested-looped the closure over each row: 0.5 s at 10 M, now a few ms).
    """
    dims = {
        "field": p.c.field,
        "channel": d.c.channel,
        "agency": d.c.agency_code,
        "procedure": d.c.procedure_code,
    }
    start, end_before, as_of = (
        bindparam(n, type_=d.c.received_at.type) for n in ("start", "end_before", "as_of")
    )
    today, quiet = _today_and_quiet()
    where = {"all": true(), "today": today, "quiet": quiet}[rows]
    if queued:  # rows still in the queue, received by as_of (see queued_open_columns)
        cols = queued_open_columns(as_of)
        keep = and_(valid_dossier, still_open, d.c.received_at <= as_of)
    else:
        cols = [c for c in counter_columns(start, end_before, as_of) if c.name in names]
        keep = relevant(start, as_of)
    # Grouped by ``+unit_code`` on SQLite (sqlfuncs.no_index_order): without statistics it
    # otherwise walked the table in ix_dossiers_unit_received's order (lesson 11).
    per_unit = (
        select(d.c.unit_code, *[dims[b].label(b) for b in by], *cols)
        .select_from(d.join(p, p.c.code == d.c.procedure_code))
        .where(keep, where)
        .group_by(no_index_order(d.c.unit_code), *[dims[b] for b in by])
        .subquery()
    )
    return rolled_up(per_unit, by, cols)


def rolled_up(per_unit: Any, by: Sequence[str], cols: Sequence[Any]) -> Any:
    """``per_unit`` (counters per own unit and ``by``) summed up to each ancestor of the level
    bound as ``level``: the counters of the units of that level.
    """
    q = per_unit.c
    on_level = and_(ua.c.unit_code == q.unit_code, ua.c.ancestor_level == bindparam("level"))
    return (
        select(
            ua.c.ancestor_code.label("unit_code"),
            *[q[b] for b in by],
            *[func.sum(q[c.name]).label(c.name) for c in cols],
        )
        .select_from(per_unit.join(ua, on_level))
        .group_by(ua.c.ancestor_code, *[q[b] for b in by])
    )


def _today_and_quiet() -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Rows received, settled or finished since the bound ``since``; rows with none of that
    (read with ``queued``, which keeps only those still open).
    """
    x = bindparam("since", type_=d.c.received_at.type)
    # A closed range (since ≤ t ≤ the end of time, always true above): without statistics
    # PostgreSQL guesses a third of the table for an open-ended range and scans it, and a
    # fraction of a percent for a closed one, so each branch reads its own index (lesson 11).
    ever = bindparam("end_of_time", value=END_OF_TIME, type_=d.c.received_at.type)
    today = d.c.dossier_code.in_(
        _codes(*[c.between(x, ever) for c in (d.c.received_at, d.c.finished_at, d.c.supplement_requested_at)])
    )
    quiet = and_(
        d.c.received_at < x,
        or_(d.c.finished_at.is_(None), d.c.finished_at < x),
        or_(d.c.supplement_requested_at.is_(None), d.c.supplement_requested_at < x),
    )
    return today, quiet


Part = tuple[list[str], list[tuple[Any, ...]]]  # column names, rows


def fetch_part(conn: Connection, stmt: Any, params: dict[str, Any]) -> Part:
    """A statement's columns and rows as plain tuples (its parts are summed in NumPy: a frame
    each cost more than the query on the live wall).
    """
    result = conn.execute(stmt, params)
    return list(result.keys()), [tuple(r) for r in result.all()]


def frame_part(frame: pd.DataFrame) -> Part:
    """A frame as a :data:`Part` (for callers that hold frames)."""
    return list(frame.columns), list(frame.itertuples(index=False, name=None))


def _nothing_after(conn: Connection, as_of: dt.datetime) -> bool:
    """No receipt, settle or finish time lies after ``as_of`` (three index lookups)."""
    latest = conn.execute(_latest_times()).one()
    return all(t is None or t <= as_of for t in latest)


@functools.cache
def _latest_times() -> Any:
    times = (d.c.received_at, d.c.finished_at, d.c.supplement_requested_at)
    return select(*[select(func.max(c)).scalar_subquery() for c in times])


@or_none_without_summaries
def summary_counts(engine: Engine, level: str, period: Period, by: Sequence[str] = ()) -> pd.DataFrame | None:
    """``queries.dossier_counts`` from the summaries, or None when they cannot answer exactly."""
    parts = _summary_parts(engine, level, period, by)
    return None if parts is None else combine(parts, by)


@or_none_without_summaries
def summary_count_columns(
    engine: Engine, level: str, period: Period, by: Sequence[str] = ()
) -> Columns | None:
    """:func:`summary_counts` as :data:`~data_access.results.Columns` (for a caller that
    assembles several answers: ``queries.unit_counters``).
    """
    parts = _summary_parts(engine, level, period, by)
    return None if parts is None else _combine_columns(parts, by)


def _summary_parts(engine: Engine, level: str, period: Period, by: Sequence[str]) -> list[Part] | None:
    """The fetched parts whose sum is the period's counters, or None when the summaries cannot
    answer exactly.
    """
    if period.as_of < period.start_at:
        return None
    fine = "procedure" in by or "field" in by
    params = {
        "level": level,
        "start": period.start_at,
        "end_before": period.end_before,
        "as_of": period.as_of,
    }
    parts: list[Part] = []
    with engine.connect() as conn:
        if not is_current(conn):
            return None
        settled = not is_day_end(period.as_of) and _nothing_after(conn, period.as_of)
        planned = plan(period, by, settled)
        if planned is None:
            return None
        by_month = month_table(by)
        keys, nk = tuple(by), 1 + len(by)
        for read in reads(planned, fine):
            table = by_month if read.grain == "month" else summary_day
            bucket = table.c.month if read.grain == "month" else table.c.day
            opens = read.opens
            shape = (len(opens.buckets), opens.counters) if opens else None
            shared = opens is not None and opens.buckets == read.events
            stmt = table_query(table, bucket, keys, len(read.events), shape, shared)
            bounds = range_params(read.events, [] if shared or not opens else opens.buckets)
            part = fetch_part(conn, stmt, {**params, **bounds})
            parts.append(part if read.sign > 0 else _negated(part, nk))
        if planned.cut is None:
            parts.append(fetch_part(conn, _raw_query(keys, "all", OPEN_COUNTERS, queued=True), params))
        else:
            since = dt.datetime.combine(planned.cut, dt.time.min)
            live = {**params, "start": max(period.start_at, since), "since": since}
            parts.append(fetch_part(conn, _raw_query(keys, "today", DOSSIER_COUNTERS), live))
            parts.append(fetch_part(conn, _raw_query(keys, "quiet", OPEN_COUNTERS, queued=True), live))
    return parts


def _sort_key(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    """Missing values (None, NaN) last, as pandas sorts them."""

    def missing(v: Any) -> bool:
        return v is None or v != v

    return tuple((missing(v), "" if missing(v) else v) for v in key)


def combine(parts: list[Part], by: Sequence[str]) -> pd.DataFrame:
    """:func:`_combine_columns` as a frame."""
    return columns_frame(_combine_columns(parts, by))


def _combine_columns(parts: list[Part], by: Sequence[str]) -> Columns:
    """Sum the parts per unit and dimension (each part holds a key once: it is grouped by it),
    ordered by the keys; drop groups where nothing counted. Summed in NumPy on the rows as
    fetched: concatenating and grouping frames cost more than the query on a small result.
    """
    keys, names = ["unit_code", *by], list(DOSSIER_COUNTERS)
    nk, slot = len(keys), {}
    blocks = []
    for columns, rows in parts:
        if not rows:
            continue
        at_key = [columns.index(k) for k in keys]
        at_value = [i for i, c in enumerate(columns) if c not in keys]
        if at_key == list(range(nk)):
            found = [r[:nk] for r in rows]
        else:
            found = [tuple(r[i] for i in at_key) for r in rows]
        at = np.fromiter((slot.setdefault(k, len(slot)) for k in found), dtype=np.intp, count=len(rows))
        values = np.array([[r[i] for i in at_value] for r in rows], dtype=float)  # None → NaN
        blocks.append((at, [names.index(columns[i]) for i in at_value], np.nan_to_num(values)))
    if not slot:
        return {k: [] for k in [*keys, *DOSSIER_COUNTERS]}
    sums = np.zeros((len(slot), len(names)))
    for at, cols, values in blocks:
        sums[at[:, None], cols] += values  # keys are unique within a part
    groups = list(slot)
    # Something counted: a count, not a float sum, decides (every day sum goes with a settled
    # count, and a month less its other days can leave a float a hair from zero).
    counts = [j for j, name in enumerate(names) if name not in FLOAT_COUNTERS]
    order = [
        i for i in sorted(range(len(groups)), key=lambda i: _sort_key(groups[i])) if sums[i, counts].any()
    ]
    out: Columns = {k: [groups[i][j] for i in order] for j, k in enumerate(keys)}
    picked = sums[order]
    for j, name in enumerate(names):
        if name in FLOAT_COUNTERS:
            out[name] = np.where(np.abs(picked[:, j]) < 1e-9, 0.0, picked[:, j])
        else:
            out[name] = np.rint(picked[:, j]).astype("int64")
    return out
