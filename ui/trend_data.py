"""The cache seam of the trend screens: every query they read, cached with a ttl and a last-good
fallback (``ui.data.fetch``).

Trend figures are keyed by "now" rounded down to :data:`TREND_REFRESH_SECONDS`, not to the live
wall's 30 seconds: a monthly series over years is costly on the raw dossier table, and only the
current month moves. One monthly frame (by field and channel) feeds all the trend screens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

import settings
from data_access import queries
from metrics.trends import month_periods
from timebase.period import Period, floor_time
from ui import data

#: How often trend figures are recomputed (the current month's "as of" moves this often).
TREND_REFRESH_SECONDS = data.TTL_SECONDS["trend"]
#: The one grain of the monthly series, shared by the four screens (one query, many screens).
MONTHLY_BY = ("field", "channel")


def trend_now() -> dt.datetime:
    """Now (or the frozen IOC_NOW), rounded down to the trend refresh interval."""
    return floor_time(data.now(), TREND_REFRESH_SECONDS)


def _url() -> str:
    return settings.database_url()


def _period(start: dt.date, end: dt.date, as_of: dt.datetime) -> Period:
    return Period(start, end, as_of)


@data.cached("trend", 16)
def _first_month(url: str) -> dt.date | None:
    return queries.first_received_month(data.engine(url))


def first_month() -> dt.date | None:
    """The first month with a dossier (the start of "all history")."""
    return data.fetch("tr:first_month", _first_month, _url()).value


@data.cached("trend", 16)
def _fields(url: str) -> list[str]:
    return queries.procedure_fields(data.engine(url))


def fields() -> list[str]:
    """The procedure fields the field filter accepts."""
    return data.fetch("tr:fields", _fields, _url()).value


@data.cached("trend", 64)
def _units(url: str, level: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    period = _period(start, end, dt.datetime.combine(end, dt.time.max))
    return queries.units_at_level(data.engine(url), level, period)


def units(level: str, period: Period) -> pd.DataFrame:
    """Units of ``level`` that existed during ``period``: code, name, level, parent_code, lat, lon."""
    name = f"tr:units:{level}:{period.start}:{period.end}"
    return data.fetch(name, _units, _url(), level, period.start, period.end).value


@data.cached("trend", 8)
def _monthly(url: str, level: str, start: dt.date, end: dt.date, as_of: dt.datetime) -> pd.DataFrame:
    months = month_periods(_period(start, end, as_of))
    return queries.monthly_counters(data.engine(url), level, months, MONTHLY_BY)


def monthly(level: str, period: Period) -> data.Fetched:
    """Dossier counters per unit of ``level``, month, field and channel over ``period``."""
    name = f"tr:monthly:{level}:{period.start}:{period.end}"
    return data.fetch(name, _monthly, _url(), level, period.start, period.end, period.as_of)


@data.cached("trend", 32)
def _counts(url: str, level: str, start: dt.date, end: dt.date, as_of: dt.datetime) -> pd.DataFrame:
    return queries.dossier_counts(data.engine(url), level, _period(start, end, as_of), ("field",))


def counts(level: str, period: Period) -> pd.DataFrame:
    """Dossier counters per unit of ``level`` and field over the whole of ``period``."""
    name = f"tr:counts:{level}:{period.start}:{period.end}"
    return data.fetch(name, _counts, _url(), level, period.start, period.end, period.as_of).value


@data.cached("trend", 16)
def _provision(
    url: str, unit_code: str, start: dt.date, end: dt.date, as_of: dt.datetime, by_month: bool
) -> pd.DataFrame:
    period = _period(start, end, as_of)
    return queries.monthly_provision(data.engine(url), unit_code, period, by_month=by_month)


def provision(unit_code: str, period: Period, by_month: bool = True) -> pd.DataFrame:
    """Procedures used / offered online / full-process in the scope, per month (or the period)
    and field."""
    name = f"tr:provision:{unit_code}:{period.start}:{period.end}:{by_month}"
    args: tuple[Any, ...] = (_url(), unit_code, period.start, period.end, period.as_of, by_month)
    return data.fetch(name, _provision, *args).value


@data.cached("trend", 32)
def _listing(
    url: str, kind: str, unit_code: str, start: dt.date, end: dt.date, as_of: dt.datetime, field: str | None
) -> tuple[pd.DataFrame, bool]:
    engine, period = data.engine(url), _period(start, end, as_of)
    if kind == "paper":
        return queries.mostly_paper_procedures(engine, unit_code, period, field, limit=20)
    if kind == "procedure":
        return queries.processing_by_procedure(engine, unit_code, period, field, limit=25)
    return queries.unsatisfied_by(engine, unit_code, period, kind, field, limit=10)


def listing(kind: str, unit_code: str, period: Period, field: str | None) -> tuple[pd.DataFrame, bool]:
    """A ranked listing and whether it was cut: ``paper`` (procedures offered online still
    receiving mostly paper), ``procedure`` (processing time), ``field`` / ``agency`` (most
    unsatisfied ratings)."""
    name = f"tr:listing:{kind}:{unit_code}:{period.start}:{period.end}:{field}"
    args = (_url(), kind, unit_code, period.start, period.end, period.as_of, field)
    return data.fetch(name, _listing, *args).value


@data.cached("trend", 16)
def _feedback(url: str, level: str, start: dt.date, end: dt.date, as_of: dt.datetime) -> pd.DataFrame:
    return queries.monthly_feedback(data.engine(url), level, _period(start, end, as_of))


def feedback(level: str, period: Period) -> data.Fetched:
    """Feedback per unit of ``level``, month and category over ``period``."""
    name = f"tr:feedback:{level}:{period.start}:{period.end}"
    return data.fetch(name, _feedback, _url(), level, period.start, period.end, period.as_of)
