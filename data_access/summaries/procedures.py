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

The same parts serve the online screen (:mod:`data_access.summaries.provision`): keyed by one
scope unit instead of a level, grouped by month too, and with other receipt counters, read
from the dossier rows for the days when the day table does not hold them.
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
from data_access.sqlfuncs import month_number, month_of_day
from data_access.summaries.plan import ONE_DAY, next_month, ym, ymd
from data_access.summaries.tables import (
    is_current,
    or_none_without_summaries,
    summary_procedure_day,
    summary_procedure_month,
)
from timebase.period import Period

d, p, ua, spm = dossiers, procedures, unit_ancestors, summary_procedure_month


#: Whose receipts a part sums: the units of the bound ``level`` (each its own key and those
#: below it), the agencies (``agency_code``), or the one bound ``unit_code`` with the units
#: below it (``scope``, the trend screens' scope).
KEYINGS = ("level", "agency", "scope")


def _keyed(keying: str, table: Any) -> tuple[Any, Any]:
    """The key of ``table``'s rows for ``keying`` (see :data:`KEYINGS`) and the source."""
    if keying == "agency":
        return table.c.agency_code, table
    if keying == "scope":
        wanted = ua.c.ancestor_code == bindparam("unit_code")
    else:
        wanted = ua.c.ancestor_level == bindparam("level")
    return ua.c.ancestor_code, table.join(ua, and_(ua.c.unit_code == table.c.unit_code, wanted))


def _bounds(i: int, type_: Any = None) -> tuple[Any, Any]:
    return bindparam(f"q{i}_lo", type_=type_), bindparam(f"q{i}_hi", type_=type_)


def _cells(keying: str, grain: str, i: int, sign: int, names: tuple[str, ...], by_month: bool) -> Any:
    """Receipts (``n``) and the receipt counters ``names`` per key (and month, with ``by_month``)
    and procedure in the cells of the ``grain`` table ("day" or "month") whose bucket (a day
    YYYYMMDD or month YYYYMM) lies in the bound range ``i``, times ``sign``.
    """
    if grain == "day":
        table = summary_procedure_day
        bucket, month = table.c.day, month_of_day(table.c.day)
    else:
        table, bucket, month = spm, spm.c.month, spm.c.month
    key, source = _keyed(keying, table)
    signed = (lambda col: func.sum(col)) if sign > 0 else (lambda col: -func.sum(col))
    first, last = _bounds(i)
    months = [month] if by_month else []
    return (
        select(
            key.label("unit_code"),
            *[m.label("month") for m in months],
            table.c.procedure_code,
            signed(table.c.received).label("n"),
            *[signed(table.c[name]).label(name) for name in names],
        )
        .select_from(source)
        .where(bucket.between(first, last))
        .group_by(key, *months, table.c.procedure_code)
    )


def _rows(keying: str, i: int, sign: int, names: tuple[str, ...], by_month: bool) -> Any:
    """The same from the valid dossiers received in the bound range ``i`` [low, high) (the rest
    of a day after as_of: none on the live wall; or days whose counters the day table lacks):
    one range of the index on ``received_at``.
    """
    key, source = _keyed(keying, d)
    source = source.join(p, p.c.code == d.c.procedure_code)
    low, high = _bounds(i, d.c.received_at.type)
    months = [month_number(d.c.received_at)] if by_month else []

    def count(cond: Any) -> Any:
        return func.sum(case((cond, sign), else_=0))

    return (
        select(
            key.label("unit_code"),
            *[m.label("month") for m in months],
            d.c.procedure_code,
            count(true()).label("n"),
            *[count(receipt_condition(name)).label(name) for name in names],
        )
        .select_from(source)
        .where(valid_dossier, d.c.received_at >= low, d.c.received_at < high)
        .group_by(key, *months, d.c.procedure_code)
    )


Shape = tuple[tuple[str, int], ...]  # (source, sign) of each part: "rows", "day" or "month"


@functools.lru_cache(maxsize=64)
def part_statements(
    keying: str, shape: Shape, names: tuple[str, ...] = PROCEDURE_RECEIPTS, by_month: bool = False
) -> tuple[Any, ...]:
    """The statements of the parts of ``shape`` (see :func:`receipt_parts`), part ``i`` bound to
    range ``i``: receipts ``n`` and the receipt counters ``names`` per key (:data:`KEYINGS`),
    month with ``by_month`` (each cell and row lies in one month, so the parts add up month by
    month too) and procedure. Built once per shape.
    """
    return tuple(
        _rows(keying, i, sign, names, by_month)
        if source == "rows"
        else _cells(keying, source, i, sign, names, by_month)
        for i, (source, sign) in enumerate(shape)
    )


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min)


def receipt_plan(level: str, period: Period, own_days: bool | None = None) -> tuple[Shape, dict[str, Any]]:
    """:func:`receipt_parts` with the ``level`` bound: the parts of the level's units."""
    shape, bound = receipt_parts(period, own_days)
    return shape, {"level": level, **bound}


def receipt_parts(
    period: Period, own_days: bool | None = None, day_cells: bool = True
) -> tuple[Shape, dict[str, Any]]:
    """The parts whose sum per key and procedure is the period's receipts (see module doc), and
    their bound ranges: the period's own days when they are fewer than the other days of its
    months (or as ``own_days`` says: both ways give the same sums). Without ``day_cells`` the
    days are read from the dossier rows (for a counter the day table does not hold).
    """
    # Receipts in the period: received_at in [start, after), ``after`` the earlier of end_before
    # and the first instant after as_of (timestamps carry microseconds at most).
    after = min(period.end_before, period.as_of + dt.timedelta(microseconds=1))
    first, cut = period.start, after.date()
    cut_at = _midnight(cut)
    partial = after > cut_at  # day ``cut`` counts up to ``after`` only: its cell less the rest
    last = cut if partial else cut - ONE_DAY  # the last day with receipts in the period
    lower, upper = first.replace(day=1), next_month(last)
    parts: list[tuple[str, int, Any, Any]] = [("rows", -1, after, cut_at + ONE_DAY)] if partial else []

    def days(sign: int, a: dt.date, b: dt.date) -> tuple[str, int, Any, Any]:
        if day_cells:
            return ("day", sign, ymd(a), ymd(b))
        return ("rows", sign, _midnight(a), _midnight(b + ONE_DAY))

    if own_days is None:
        own_days = (last - first).days + 1 <= (first - lower).days + (upper - last).days - 1
    if own_days:
        parts.append(days(1, first, last))
    else:
        parts.append(("month", 1, ym(lower), ym(last)))
        if first > lower:
            parts.append(days(-1, lower, first - ONE_DAY))
        if last + ONE_DAY < upper:
            parts.append(days(-1, last + ONE_DAY, upper - ONE_DAY))
    bound = {}
    for i, (_, _, lo, hi) in enumerate(parts):
        bound[f"q{i}_lo"], bound[f"q{i}_hi"] = lo, hi
    return tuple((source, sign) for source, sign, _, _ in parts), bound


@functools.lru_cache(maxsize=64)
def _counts_statement(keying: str, shape: Shape) -> Any:
    """Procedures used (and online, full, with a fee, paid online) per key, from the parts."""
    parts = union_all(*part_statements(keying, shape)).subquery()
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
        keying = "agency" if level == "agency" else "level"
        return count_columns(conn.execute(_counts_statement(keying, shape), bound))
