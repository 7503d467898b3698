"""The counters of Biểu 06/VPCP/KSTT per handling unit, agency (and field): one grouped query.

Every counter comes from :mod:`data_access.counter_spec`, rendered by
:mod:`data_access.counters`, so the form classifies a dossier exactly as the wall does:

- ``received`` and ``received_online``: received in the period (the wall's own counters);
- ``carried_over``: open (received, not yet gone) just before the period's first instant — the
  wall's ``open_end`` judged at ``start − 1 µs``;
- ``settled``, ``settled_on_time``: settled in the period (finished, withdrawals included, or
  waiting for a supplement since the request; the wall's counters) and ``settled_early``, on a
  day before the due day (the spec's report counter);
- ``open_end``, ``open_on_time``: open at the period's judging moment (the wall's counters).

A dossier leaves the queue (``gone_at``, the end of "open") exactly when it is settled, so
carried over + received = settled + open at the end holds for every group by construction of
the rules, not of this module: it is what the identity tests check.

The dossier table is read directly (``settled_early`` is not in the summary tables): one
pass over the rows that can count (received by the judging moment, not gone before the period),
grouped by the dossier's unit and agency, and the procedure's field when asked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Engine

from data_access.counter_spec import SPEC, Spec
from data_access.counters import counter_columns, relevant
from data_access.results import result_frame
from data_access.schema import dossiers, procedures
from timebase.period import Period
from vocabulary import FORM_COUNTERS

d, p = dossiers, procedures
#: The wall's counters the form reads, judged in the period.
_PERIOD_COUNTERS = ("received", "received_online", "settled", "settled_on_time", "open_end", "open_on_time")
#: Keys of the rows :func:`form_counts` returns, before the counters.
KEYS = ("unit_code", "agency_code")


def _spec(names: tuple[str, ...], report: bool) -> Spec:
    """The spec restricted to the wall counters ``names`` (and its report counters)."""
    picked = tuple(c for c in SPEC.counters if c.name in names)
    return dataclasses.replace(SPEC, counters=picked + (SPEC.report_counters if report else ()))


def carried_over_moment(period: Period) -> dt.datetime:
    """The moment "carried over" is judged at: the last microsecond before the period (the
    database's timestamps are microseconds, so nothing lies between it and the period's start).
    """
    return period.start_at - dt.timedelta(microseconds=1)


def _statement(by_field: bool) -> Any:
    start, end_before, as_of, before = (
        bindparam(n, type_=d.c.received_at.type) for n in ("start", "end_before", "as_of", "before")
    )
    in_period = counter_columns(start, end_before, as_of, _spec(_PERIOD_COUNTERS, report=True))
    (open_before,) = counter_columns(before, before, before, _spec(("open_end",), report=False))
    keys = [d.c.unit_code, d.c.agency_code, *([p.c.field] if by_field else [])]
    return (
        select(*keys, *in_period, open_before.element.label("carried_over"))
        .select_from(d.join(p, p.c.code == d.c.procedure_code))
        .where(relevant(before, as_of))  # received by the end, not gone before the carried-over moment
        .group_by(*keys)
        .order_by(*keys)
    )


def form_counts(engine: Engine, period: Period, by_field: bool = False) -> pd.DataFrame:
    """:data:`FORM_COUNTERS` per handling unit and agency (and field, with ``by_field``) in
    ``period``; groups where nothing counts are absent. Integers throughout.
    """
    params = {
        "start": period.start_at,
        "end_before": period.end_before,
        "as_of": period.as_of,
        "before": carried_over_moment(period),
    }
    with engine.connect() as conn:
        frame = result_frame(conn.execute(_statement(by_field), params))
    keys = [*KEYS, *(["field"] if by_field else [])]
    if frame.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype=object if c in keys else "int64") for c in [*keys, *FORM_COUNTERS]}
        )
    for name in FORM_COUNTERS:
        frame[name] = pd.to_numeric(frame[name]).fillna(0).astype("int64")
    frame = frame[[*keys, *FORM_COUNTERS]]
    return frame[frame[list(FORM_COUNTERS)].to_numpy().any(axis=1)].reset_index(drop=True)
