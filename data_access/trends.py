"""Named queries of the trend screens (satisfaction, online services, feedback, processing time).

Monthly dossier series come from :func:`data_access.queries.monthly_counters`; this module adds
what it cannot answer: procedure provision per month, feedback per month and category, and the
ranked listings (procedures offered online that still receive mostly paper dossiers, where
unsatisfied ratings concentrate, processing time per procedure). The dossier reads ask the
summary tables first and keep their dossier-table query as the fallback and the reference.
A procedure offered online (Decree 42/2022: full-process or partial online service) and a
full-process one are the procedure counters' conditions (``counter_spec.PROCEDURE_COUNTERS``).
Aggregates are computed in SQL with bound parameters; every listing has a LIMIT and returns
whether it cut the list. A scope ``unit_code`` is any unit: its dossiers include those of
the units below it (the ``unit_ancestors`` closure).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Float, and_, bindparam, case, distinct, func, or_, select, true
from sqlalchemy.engine import Engine
from sqlalchemy.sql.expression import ColumnElement

from data_access import answers
from data_access.answers import DEFAULT_LIMIT
from data_access.counters import counter_columns, relevant, valid_dossier
from data_access.results import read_frame
from data_access.schema import agencies, dossiers, feedback, one_of, procedures, unit_ancestors, units
from data_access.sqlfuncs import month_number
from data_access.summaries.provision import (
    FULL_PROCESS,
    OFFERED_ONLINE,
    summary_mostly_paper,
    summary_provision,
)
from data_access.summaries.read import summary_counts
from timebase.period import Period

d, p, ua, f = dossiers, procedures, unit_ancestors, feedback
#: Below this online share a procedure's dossiers are "mostly paper" (in person or by post).
MOSTLY_PAPER_BELOW = 0.5


def _numeric(frame: pd.DataFrame, skip: tuple[str, ...]) -> pd.DataFrame:
    for col in frame.columns:
        if col not in skip:
            frame[col] = pd.to_numeric(frame[col]).fillna(0)
    return frame


def _bounds() -> tuple[Any, Any, Any]:
    kind = d.c.received_at.type
    return (
        bindparam("start", type_=kind),
        bindparam("end_before", type_=kind),
        bindparam("as_of", type_=kind),
    )


def _params(period: Period, **extra: Any) -> dict[str, Any]:
    return {"start": period.start_at, "end_before": period.end_before, "as_of": period.as_of, **extra}


def _in_scope(unit_column: ColumnElement[Any]) -> Any:
    """Join condition: the row's unit is the scope unit or lies below it."""
    return and_(ua.c.unit_code == unit_column, ua.c.ancestor_code == bindparam("unit_code"))


def _field_filter(field: str | None) -> ColumnElement[bool]:
    return p.c.field == bindparam("field") if field else true()


def first_received_month(engine: Engine) -> dt.date | None:
    """The first day of the first month with a dossier received (the start of "all history")."""
    with engine.connect() as conn:
        value = conn.execute(select(func.min(d.c.received_month))).scalar()
    return None if value is None else dt.date(int(value) // 100, int(value) % 100, 1)


def procedure_fields(engine: Engine) -> list[str]:
    """The fields (lĩnh vực) of the procedures, sorted: the values the field filter accepts."""
    with engine.connect() as conn:
        return sorted(row[0] for row in conn.execute(select(p.c.field).distinct()) if row[0])


def monthly_provision(engine: Engine, unit_code: str, period: Period, by_month: bool = True) -> pd.DataFrame:
    """Per month of receipt (``month``, YYYYMM; omitted when ``by_month`` is False) and field:
    procedures with valid dossiers received in the scope in the period, and of them those offered
    online and full-process (docs/rules.md §6, Decree 42/2022).

    Counts of distinct procedures add up over fields (a procedure has one field) but not over
    months: ask with ``by_month=False`` for a whole period's counts. Read from the procedure
    summaries when they are current (:mod:`data_access.summaries.provision`), else from the
    dossier table (:func:`raw_monthly_provision`).
    """
    fast = summary_provision(engine, unit_code, period, by_month) if answers.USE_SUMMARIES else None
    if fast is None:
        return raw_monthly_provision(engine, unit_code, period, by_month)
    return _numeric(fast, ("field",))


def raw_monthly_provision(
    engine: Engine, unit_code: str, period: Period, by_month: bool = True
) -> pd.DataFrame:
    """:func:`monthly_provision` computed from the dossier table: the reference."""
    start, end_before, as_of = _bounds()
    keys = [d.c.received_month.label("month")] if by_month else []
    stmt = (
        select(
            *keys,
            p.c.field,
            func.count(distinct(d.c.procedure_code)).label("procedures_used"),
            func.count(distinct(case((OFFERED_ONLINE, d.c.procedure_code)))).label("procedures_online"),
            func.count(distinct(case((FULL_PROCESS, d.c.procedure_code)))).label("procedures_full"),
        )
        .select_from(d.join(ua, _in_scope(d.c.unit_code)).join(p, p.c.code == d.c.procedure_code))
        .where(
            valid_dossier, d.c.received_at >= start, d.c.received_at < end_before, d.c.received_at <= as_of
        )
        .group_by(*([d.c.received_month] if by_month else []), p.c.field)
        .order_by(*([d.c.received_month] if by_month else []), p.c.field)
    )
    frame = read_frame(engine, stmt, _params(period, unit_code=unit_code))
    return _numeric(frame, ("field",))


_PAPER_TEXT = ("procedure_code", "procedure_name", "field", "online_level")


def mostly_paper_procedures(
    engine: Engine, unit_code: str, period: Period, field: str | None = None, limit: int = DEFAULT_LIMIT
) -> tuple[pd.DataFrame, bool]:
    """Procedures offered online (full or partial) whose valid dossiers received in the period
    came mostly on paper (online share below :data:`MOSTLY_PAPER_BELOW`), most paper dossiers
    first.

    Columns: procedure_code, procedure_name, field, online_level, received, received_online,
    received_paper. Returns the frame and whether the LIMIT cut it. Read from the procedure
    summaries when they are current (:mod:`data_access.summaries.provision`), else from the
    dossier table (:func:`raw_mostly_paper_procedures`).
    """
    fast = None
    if answers.USE_SUMMARIES:
        fast = summary_mostly_paper(engine, unit_code, period, field, MOSTLY_PAPER_BELOW, limit + 1)
    if fast is None:
        return raw_mostly_paper_procedures(engine, unit_code, period, field, limit)
    return _numeric(fast, _PAPER_TEXT).head(limit), len(fast) > limit


def raw_mostly_paper_procedures(
    engine: Engine, unit_code: str, period: Period, field: str | None = None, limit: int = DEFAULT_LIMIT
) -> tuple[pd.DataFrame, bool]:
    """:func:`mostly_paper_procedures` computed from the dossier table: the reference."""
    start, end_before, as_of = _bounds()
    online = func.sum(case((d.c.channel == "online", 1), else_=0))
    received = func.count()
    stmt = (
        select(
            d.c.procedure_code,
            p.c.name.label("procedure_name"),
            p.c.field,
            p.c.online_level,
            received.label("received"),
            online.label("received_online"),
            (received - online).label("received_paper"),
        )
        .select_from(d.join(ua, _in_scope(d.c.unit_code)).join(p, p.c.code == d.c.procedure_code))
        .where(
            valid_dossier,
            d.c.received_at >= start,
            d.c.received_at < end_before,
            d.c.received_at <= as_of,
            OFFERED_ONLINE,
            _field_filter(field),
        )
        .group_by(d.c.procedure_code, p.c.name, p.c.field, p.c.online_level)
        .having(online < received * bindparam("share", type_=Float))
        .order_by((received - online).desc(), d.c.procedure_code)
        .limit(bindparam("limit"))
    )
    params = _params(period, unit_code=unit_code, field=field, share=MOSTLY_PAPER_BELOW, limit=limit + 1)
    frame = read_frame(engine, stmt, params)
    return _numeric(frame, _PAPER_TEXT).head(limit), len(frame) > limit


#: What a ranked dossier listing can be grouped by: (key column, name column).
_RANKED_BY = {
    "field": (p.c.field, p.c.field),
    "agency": (d.c.agency_code, agencies.c.name),
    "procedure": (d.c.procedure_code, p.c.name),
}


def _ranked(
    engine: Engine,
    unit_code: str,
    period: Period,
    by: str,
    counters: tuple[str, ...],
    order: str,
    field: str | None,
    limit: int,
) -> tuple[pd.DataFrame, bool]:
    """Dossier counters (the shared definitions of ``counters.counter_columns``) per ``by`` in
    the scope, rows with ``order`` > 0, largest ``order`` first, at most ``limit`` rows.
    Read from the summary tables when they can answer (:func:`_ranked_from_summaries`), else
    from the dossier table.
    """
    fast = (
        _ranked_from_summaries(engine, unit_code, period, by, counters, order, field)
        if answers.USE_SUMMARIES
        else None
    )
    if fast is not None:
        return fast.head(limit), len(fast) > limit
    key, name = _RANKED_BY[by]
    start, end_before, as_of = _bounds()
    columns = {c.name: c for c in counter_columns(start, end_before, as_of)}
    source = d.join(ua, _in_scope(d.c.unit_code)).join(p, p.c.code == d.c.procedure_code)
    if by == "agency":
        source = source.join(agencies, agencies.c.code == d.c.agency_code)
    extra = [p.c.time_limit_days.label("time_limit_days")] if by == "procedure" else []
    stmt = (
        select(key.label("key"), name.label("name"), *extra, *(columns[c] for c in counters))
        .select_from(source)
        .where(relevant(start, as_of), _field_filter(field))
        .group_by(key, name, *([p.c.time_limit_days] if extra else []))
        .having(columns[order].element > 0)
        .order_by(columns[order].element.desc(), key)
        .limit(bindparam("limit"))
    )
    frame = read_frame(engine, stmt, _params(period, unit_code=unit_code, field=field, limit=limit + 1))
    frame = _numeric(frame, ("key", "name"))
    return frame.head(limit), len(frame) > limit


def _ranked_from_summaries(
    engine: Engine,
    unit_code: str,
    period: Period,
    by: str,
    counters: tuple[str, ...],
    order: str,
    field: str | None,
) -> pd.DataFrame | None:
    """:func:`_ranked`'s rows (all of them, ranked) from the summaries: the counters of the scope
    unit at its own level per ``by`` (and field, to filter on it), as ``queries.dossier_counts``
    reads them, then named from the reference tables (inner joins, as the dossier-table query:
    an agency missing from the catalogue drops out). None when the summaries cannot answer.
    At 10 M dossiers this took the satisfaction and processing screens' listings from 20–27 s
    to 0.1–2 s.
    """
    with engine.connect() as conn:
        level = conn.execute(
            select(units.c.level).where(units.c.code == bindparam("code")), {"code": unit_code}
        )
        level = level.scalar()
    if level is None:
        return None
    dims = (by,) if by == "field" or not field else (by, "field")
    frame = summary_counts(engine, level, period, dims)
    if frame is None:
        return None
    frame = frame[frame["unit_code"] == unit_code]
    if field:
        frame = frame[frame["field"] == field]
    frame = frame.groupby(by, as_index=False)[list(counters)].sum().rename(columns={by: "key"})
    if by == "field":
        frame.insert(1, "name", frame["key"])
    else:
        table = agencies if by == "agency" else p
        extra = [p.c.time_limit_days] if by == "procedure" else []
        stmt = select(table.c.code.label("key"), table.c.name.label("name"), *extra)
        names = read_frame(
            engine,
            stmt.where(table.c.code.in_(bindparam("keys", expanding=True))),
            {"keys": [str(k) for k in frame["key"]]},
        )
        frame = names.merge(frame, on="key")
    frame = _numeric(frame, ("key", "name"))
    frame = frame[frame[order] > 0].sort_values([order, "key"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True)


def unsatisfied_by(
    engine: Engine,
    unit_code: str,
    period: Period,
    by: str,
    field: str | None = None,
    limit: int = 10,
) -> tuple[pd.DataFrame, bool]:
    """Fields or agencies (``by``) with the most unsatisfied ratings of dossiers finished in the
    period (docs/rules.md §9): key, name, rated, very_satisfied, satisfied, unsatisfied.
    """
    if by not in ("field", "agency"):
        raise ValueError(f"unknown grouping {by!r}")
    counters = ("rated", "very_satisfied", "satisfied", "unsatisfied")
    return _ranked(engine, unit_code, period, by, counters, "unsatisfied", field, limit)


def processing_by_procedure(
    engine: Engine, unit_code: str, period: Period, field: str | None = None, limit: int = 25
) -> tuple[pd.DataFrame, bool]:
    """Procedures with the most dossiers finished in the period, with the working days they took
    and their legal limits (docs/rules.md §4): key (code), name, time_limit_days,
    processing_n, processing_days, limit_days, finished, finished_on_time.
    """
    counters = ("processing_n", "processing_days", "limit_days", "finished", "finished_on_time")
    return _ranked(engine, unit_code, period, "procedure", counters, "processing_n", field, limit)


def monthly_feedback(engine: Engine, level: str, period: Period) -> pd.DataFrame:
    """Feedback (PAKN) received in the period per unit of ``level``, month of receipt and
    category, split by where it stands at ``as_of`` (docs/rules.md §10, due = 15 working days):
    fb_received = fb_on_time + fb_late + fb_open_overdue + fb_open_in_time; fb_rated,
    fb_satisfied (very satisfied or satisfied), fb_unsatisfied ratings of the answers; and the
    parts the registry's feedback rates read, for this cohort: fb_handled (by as_of),
    fb_handled_on_time, fb_open, fb_unsatisfied_or_late.
    """
    start, end_before, as_of = _bounds()
    handled = and_(f.c.handled_at.is_not(None), f.c.handled_at <= as_of)
    is_open = ~handled

    def n(cond: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.sum(case((cond, 1), else_=0))

    month = month_number(f.c.received_at)
    stmt = (
        select(
            ua.c.ancestor_code.label("unit_code"),
            month.label("month"),
            f.c.category,
            func.count().label("fb_received"),
            n(and_(handled, f.c.handled_at <= f.c.due_at)).label("fb_on_time"),
            n(and_(handled, f.c.handled_at > f.c.due_at)).label("fb_late"),
            n(and_(is_open, f.c.due_at < as_of)).label("fb_open_overdue"),
            n(and_(is_open, f.c.due_at >= as_of)).label("fb_open_in_time"),
            n(f.c.rating.is_not(None)).label("fb_rated"),
            n(one_of(f.c.rating, ("very_satisfied", "satisfied"))).label("fb_satisfied"),
            n(f.c.rating == "unsatisfied").label("fb_unsatisfied"),
            n(handled).label("fb_handled"),
            n(and_(handled, f.c.handled_at <= f.c.due_at)).label("fb_handled_on_time"),
            n(is_open).label("fb_open"),
            n(
                or_(
                    f.c.rating == "unsatisfied",
                    and_(handled, f.c.handled_at > f.c.due_at),
                    and_(is_open, f.c.due_at < as_of),
                )
            ).label("fb_unsatisfied_or_late"),
        )
        .select_from(
            f.join(ua, and_(ua.c.unit_code == f.c.unit_code, ua.c.ancestor_level == bindparam("level")))
        )
        .where(f.c.received_at >= start, f.c.received_at < end_before, f.c.received_at <= as_of)
        .group_by(ua.c.ancestor_code, month, f.c.category)
        .order_by(ua.c.ancestor_code, month, f.c.category)
    )
    frame = read_frame(engine, stmt, _params(period, level=level))
    return _numeric(frame, ("unit_code", "category"))
