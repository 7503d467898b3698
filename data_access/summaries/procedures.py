"""Procedure counters (``queries.procedure_counts``) read from the procedure summaries.

A procedure is *used* by a unit in a period when at least one valid dossier of it was received
there in the period (docs/rules.md §6 and §11); it has a fee, or was paid online, when at least
one such dossier had a fee, or a fee paid online. Those are "count > 0" tests, so they follow
from additive counts of the period's receipts per unit (or agency) and procedure, assembled
from cells: the whole days of the period from ``summary_procedure_day``, or, when the period is
most of its months, the cells of those months (``summary_procedure_month``) less the days of
them outside the period. Only a day cut by as_of (a period judged within a day) reads rows,
through the index on ``received_at``: the part of that day after as_of (none on the live
wall, where as_of is now), subtracted from the day's cell. Exact, never an estimate: the test
suite compares it with the raw query on random histories, for every kind of period.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pandas as pd
from sqlalchemy import and_, bindparam, case, func, select, true, union_all
from sqlalchemy.engine import Engine

from data_access.counter_spec import PROCEDURE_COUNTERS, PROCEDURE_RECEIPTS
from data_access.counters import count_if, procedure_condition, receipt_condition, valid_dossier
from data_access.results import Columns, columns_frame, count_columns
from data_access.schema import dossiers, procedures, unit_ancestors
from data_access.summaries.plan import ONE_DAY, next_month, ym, ymd
from data_access.summaries.tables import (
    is_current,
    or_none_without_summaries,
    summary_procedure_day,
    summary_procedure_month,
)
from timebase.period import Period

d, p, ua, spm = dossiers, procedures, unit_ancestors, summary_procedure_month


def _keyed(agency: bool, table: Any) -> tuple[Any, Any]:
    """The unit (or agency) key of ``table``'s rows at the bound ``level`` and the source."""
    if agency:
        return table.c.agency_code, table
    on_level = and_(ua.c.unit_code == table.c.unit_code, ua.c.ancestor_level == bindparam("level"))
    return ua.c.ancestor_code, table.join(ua, on_level)


def _bounds(i: int, type_: Any = None) -> tuple[Any, Any]:
    return bindparam(f"q{i}_lo", type_=type_), bindparam(f"q{i}_hi", type_=type_)


def _cells(agency: bool, table: Any, bucket: Any, i: int, sign: int) -> Any:
    """Receipts, fees and online payments per key and procedure in the cells of ``table`` whose
    ``bucket`` (a day YYYYMMDD or month YYYYMM) lies in the bound range ``i``, times ``sign``.
    """
    key, source = _keyed(agency, table)
    signed = (lambda col: func.sum(col)) if sign > 0 else (lambda col: -func.sum(col))
    first, last = _bounds(i)
    return (
        select(
            key.label("unit_code"),
            table.c.procedure_code,
            signed(table.c.received).label("n"),
            *[signed(table.c[name]).label(name) for name in PROCEDURE_RECEIPTS],
        )
        .select_from(source)
        .where(bucket.between(first, last))
        .group_by(key, table.c.procedure_code)
    )


def _rows(agency: bool, i: int, sign: int) -> Any:
    """The same from the valid dossiers received in the bound range ``i`` [low, high) (the rest
    of a day after as_of: none on the live wall): one range of the index on ``received_at``.
    """
    key, source = _keyed(agency, d)
    source = source.join(p, p.c.code == d.c.procedure_code)
    low, high = _bounds(i, d.c.received_at.type)

    def count(cond: Any) -> Any:
        return func.sum(case((cond, sign), else_=0))

    return (
        select(
            key.label("unit_code"),
            d.c.procedure_code,
            count(true()).label("n"),
            *[count(receipt_condition(name)).label(name) for name in PROCEDURE_RECEIPTS],
        )
        .select_from(source)
        .where(valid_dossier, d.c.received_at >= low, d.c.received_at < high)
        .group_by(key, d.c.procedure_code)
    )


Shape = tuple[tuple[str, int], ...]  # (source, sign) of each part: "rows", "day" or "month"


@functools.lru_cache(maxsize=64)
def _part_statements(agency: bool, shape: Shape) -> tuple[Any, ...]:
    """The statements of the parts of ``shape``, part ``i`` bound to range ``i`` (built once)."""
    spd = summary_procedure_day
    tables = {"day": (spd, spd.c.day), "month": (spm, spm.c.month)}
    return tuple(
        _rows(agency, i, sign) if source == "rows" else _cells(agency, *tables[source], i, sign)
        for i, (source, sign) in enumerate(shape)
    )


def receipt_plan(level: str, period: Period, own_days: bool | None = None) -> tuple[Shape, dict[str, Any]]:
    """The parts whose sum per key and procedure is the period's receipts (see module doc), and
    their bound ranges: the period's own days when they are fewer than the other days of its
    months (or as ``own_days`` says: both ways give the same sums).
    """
    # Receipts in the period: received_at in [start, after), ``after`` the earlier of end_before
    # and the first instant after as_of (timestamps carry microseconds at most).
    after = min(period.end_before, period.as_of + dt.timedelta(microseconds=1))
    first, cut = period.start, after.date()
    cut_at = dt.datetime.combine(cut, dt.time.min)
    partial = after > cut_at  # day ``cut`` counts up to ``after`` only: its cell less the rest
    last = cut if partial else cut - ONE_DAY  # the last day with receipts in the period
    lower, upper = first.replace(day=1), next_month(last)
    parts: list[tuple[str, int, Any, Any]] = [("rows", -1, after, cut_at + ONE_DAY)] if partial else []
    if own_days is None:
        own_days = (last - first).days + 1 <= (first - lower).days + (upper - last).days - 1
    if own_days:
        parts.append(("day", 1, ymd(first), ymd(last)))
    else:
        parts.append(("month", 1, ym(lower), ym(last)))
        if first > lower:
            parts.append(("day", -1, ymd(lower), ymd(first - ONE_DAY)))
        if last + ONE_DAY < upper:
            parts.append(("day", -1, ymd(last + ONE_DAY), ymd(upper - ONE_DAY)))
    bound = {"level": level}
    for i, (_, _, lo, hi) in enumerate(parts):
        bound[f"q{i}_lo"], bound[f"q{i}_hi"] = lo, hi
    return tuple((source, sign) for source, sign, _, _ in parts), bound


@functools.lru_cache(maxsize=64)
def _counts_statement(agency: bool, shape: Shape) -> Any:
    """Procedures used (and online, full, with a fee, paid online) per key, from the parts."""
    parts = union_all(*_part_statements(agency, shape)).subquery()
    per_procedure = (
        select(
            parts.c.unit_code,
            parts.c.procedure_code,
            *[func.sum(parts.c[name]).label(name) for name in PROCEDURE_RECEIPTS],
        )
        .group_by(parts.c.unit_code, parts.c.procedure_code)
        .having(func.sum(parts.c.n) > 0)
        .subquery()
    )
    q = per_procedure.c

    return (
        select(
            q.unit_code,
            func.count().label("procedures_used"),
            *[
                count_if(q[c.receipts] > 0 if c.receipts else procedure_condition(c)).label(c.name)
                for c in PROCEDURE_COUNTERS
            ],
        )
        .select_from(per_procedure.join(p, p.c.code == q.procedure_code))
        .group_by(q.unit_code)
        .order_by(q.unit_code)
    )


def summary_procedure_counts(engine: Engine, level: str, period: Period) -> pd.DataFrame | None:
    """``queries.procedure_counts`` from the summaries, or None when they are not current."""
    columns = summary_procedure_columns(engine, level, period)
    return None if columns is None else columns_frame(columns)


@or_none_without_summaries
def summary_procedure_columns(engine: Engine, level: str, period: Period) -> Columns | None:
    """:func:`summary_procedure_counts` as :data:`~data_access.results.Columns`."""
    if period.as_of < period.start_at:
        return None
    shape, bound = receipt_plan(level, period)
    with engine.connect() as conn:
        if not is_current(conn):
            return None
        return count_columns(conn.execute(_counts_statement(level == "agency", shape), bound))
