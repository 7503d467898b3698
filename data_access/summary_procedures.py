"""Procedure counters (``queries.procedure_counts``) read from ``summary_procedure_month``.

A procedure is *used* by a unit in a period when at least one valid dossier of it was received
there in the period (domain.md metrics 6 and 11); it has a fee, or was paid online, when at least
one such dossier had a fee, or a fee paid online. Those are "count > 0" tests, so they follow
from additive counts: the month cells of every month the period touches give the receipts,
fees and online payments per unit, agency and procedure, and the dossiers of those months that
lie outside the period (before its start, after its end or after as_of) are subtracted. For a
whole month or month to date judged now the subtracted part is empty; only a span that starts
or ends mid-month reads rows, through the index on ``received_at``, never the period's own rows.
Exact, never an estimate: the test suite compares it with the raw query on random histories.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import and_, bindparam, case, func, select, union_all
from sqlalchemy.engine import Engine

from data_access.counters import valid_dossier
from data_access.results import result_frame
from data_access.schema import dossiers, one_of, procedures, unit_ancestors
from data_access.summary_tables import is_current, summary_procedure_month
from metrics.period import Period

d, p, ua, spm = dossiers, procedures, unit_ancestors, summary_procedure_month


def _month_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, 1)


def _next_month(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year + day.month // 12, day.month % 12 + 1, 1)


def _summary_part(level: str) -> Any:
    """Receipts, fees and online payments per key and procedure over the covered months."""
    if level == "agency":
        key, source = spm.c.agency_code, spm
    else:
        key = ua.c.ancestor_code
        on_level = and_(ua.c.unit_code == spm.c.unit_code, ua.c.ancestor_level == bindparam("level"))
        source = spm.join(ua, on_level)
    return (
        select(
            key.label("unit_code"),
            spm.c.procedure_code,
            func.sum(spm.c.received).label("n"),
            func.sum(spm.c.fee_required).label("fee"),
            func.sum(spm.c.paid_online).label("paid"),
        )
        .select_from(source)
        .where(spm.c.month.between(bindparam("m_first"), bindparam("m_last")))
        .group_by(key, spm.c.procedure_code)
    )


def _outside_part(level: str, low: str, high: str) -> Any:
    """Minus the valid dossiers received in [``low``, ``high``) (bound names): one index range."""
    if level == "agency":
        key, source = d.c.agency_code, d.join(p, p.c.code == d.c.procedure_code)
    else:
        key = ua.c.ancestor_code
        on_level = and_(ua.c.unit_code == d.c.unit_code, ua.c.ancestor_level == bindparam("level"))
        source = d.join(ua, on_level).join(p, p.c.code == d.c.procedure_code)
    fee = d.c.fee_required.is_(True)

    def minus(cond: Any) -> Any:
        return func.sum(case((cond, -1), else_=0))

    return (
        select(
            key.label("unit_code"),
            d.c.procedure_code,
            (-func.count()).label("n"),
            minus(fee).label("fee"),
            minus(and_(fee, d.c.paid_online.is_(True))).label("paid"),
        )
        .select_from(source)
        .where(
            valid_dossier,
            d.c.received_at >= bindparam(low, type_=d.c.received_at.type),
            d.c.received_at < bindparam(high, type_=d.c.received_at.type),
        )
        .group_by(key, d.c.procedure_code)
    )


def summary_procedure_counts(engine: Engine, level: str, period: Period) -> pd.DataFrame | None:
    """``queries.procedure_counts`` from the summaries, or None when they are not current or
    the period is so short that reading its own rows costs less than subtracting the rest.
    """
    if period.as_of < period.start_at or not is_current(engine):
        return None
    last_day = min(period.end, period.as_of.date())
    lower, upper = _month_start(period.start), _next_month(last_day)
    # In the period: received_at ≥ start, < end_before and ≤ as_of. After it: from the earlier
    # of end_before and the first instant after as_of (timestamps carry microseconds at most).
    after = min(period.end_before, period.as_of + dt.timedelta(microseconds=1))
    outside = (period.start_at - lower) + max(dt.timedelta(0), min(upper, period.as_of) - after)
    if outside > min(upper, period.as_of) - period.start_at:
        return None  # a short span: its own rows are fewer than the rest of its months'
    parts = union_all(
        _summary_part(level),
        _outside_part(level, "lower", "start"),
        _outside_part(level, "after", "upper"),
    ).subquery()
    per_procedure = (
        select(
            parts.c.unit_code,
            parts.c.procedure_code,
            func.sum(parts.c.fee).label("fee"),
            func.sum(parts.c.paid).label("paid"),
        )
        .group_by(parts.c.unit_code, parts.c.procedure_code)
        .having(func.sum(parts.c.n) > 0)
        .subquery()
    )
    q = per_procedure.c

    def n(cond: Any) -> Any:
        return func.sum(case((cond, 1), else_=0))

    stmt = (
        select(
            q.unit_code,
            func.count().label("procedures_used"),
            n(one_of(p.c.online_level, ("full", "partial"))).label("procedures_online"),
            n(p.c.online_level == "full").label("procedures_full"),
            n(q.fee > 0).label("procedures_with_fee"),
            n(q.paid > 0).label("procedures_paid_online"),
        )
        .select_from(per_procedure.join(p, p.c.code == q.procedure_code))
        .group_by(q.unit_code)
        .order_by(q.unit_code)
    )
    params = {
        "level": level,
        "m_first": lower.year * 100 + lower.month,
        "m_last": last_day.year * 100 + last_day.month,
        "lower": lower,
        "start": period.start_at,
        "after": after,
        "upper": upper,
    }
    with engine.connect() as conn:
        result = conn.execute(stmt, params)
        frame = result_frame(result)
    for col in frame.columns[1:]:
        frame[col] = pd.to_numeric(frame[col]).fillna(0).astype("int64")
    return frame if not frame.empty else frame.astype({"unit_code": object})
