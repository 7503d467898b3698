"""The cache seam: the only place where pages get data, and the only place that caches it.

Engines live in ``st.cache_resource``; query results in ``st.cache_data`` with a ttl and
``max_entries``. Live figures are keyed by "now" rounded down to the refresh interval, so ten
wall screens cost one query per interval. When the database stops answering, the last good
result of each query is served with the time it was fetched, and the page shows it as stale.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

import settings
from data_access import queries
from data_access.engine import make_engine
from metrics.period import Period, floor_time, local_now

REFRESH_SECONDS = int(settings.get("IOC_REFRESH_SECONDS"))
_TTL = max(60, REFRESH_SECONDS * 10)


class DataUnavailable(Exception):
    """The database cannot answer and no earlier figures exist to show."""


@dataclass(frozen=True)
class Fetched:
    """A query's value, when it was fetched, and the error if this attempt failed."""

    value: Any
    fetched_at: dt.datetime
    error: str | None = None


_last_good: dict[tuple[Any, ...], Fetched] = {}
_last_good_lock = threading.Lock()


@st.cache_resource(show_spinner=False)
def engine(url: str) -> Any:
    """One read-only engine per database URL for the whole server process."""
    return make_engine(url)


def now() -> dt.datetime:
    """Local time in Vietnam, or the frozen clock of the IOC_NOW setting."""
    frozen = str(settings.get("IOC_NOW"))
    if frozen:
        try:
            return dt.datetime.fromisoformat(frozen)
        except ValueError:
            pass
    return local_now()


def live_as_of() -> dt.datetime:
    """Now, rounded down to the refresh interval."""
    return floor_time(now(), REFRESH_SECONDS)


def fetch(name: str, fn: Callable[..., Any], *args: Any) -> Fetched:
    """Run ``fn(*args)``; on failure fall back to the last good value of the same query name.

    To add a query: write ``@st.cache_data(ttl=..., max_entries=...) def _q(url, ...)`` that
    calls ``data_access`` with ``engine(url)``, and a public wrapper returning
    ``fetch("q:<args without as_of>", _q, settings.database_url(), ...)``.
    """
    key = (name, settings.database_url())
    try:
        value = fn(*args)
    except Exception as exc:
        with _last_good_lock:
            previous = _last_good.get(key)
        reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        if previous is None:
            raise DataUnavailable(reason) from exc
        return Fetched(previous.value, previous.fetched_at, reason)
    fetched = Fetched(value, now())
    with _last_good_lock:
        _last_good[key] = fetched
    return fetched


@st.cache_data(ttl=_TTL, max_entries=64, show_spinner=False)
def _unit_counters(url: str, level: str, start: dt.date, end: dt.date, as_of: dt.datetime) -> pd.DataFrame:
    return queries.unit_counters(engine(url), level, Period(start, end, as_of))


def unit_counters(level: str, period: Period) -> Fetched:
    """All counters per unit of ``level`` in ``period`` (see data_access.queries.unit_counters)."""
    url = settings.database_url()
    # The fallback key leaves as_of out: a live period's as_of moves every interval.
    name = f"unit_counters:{level}:{period.start}:{period.end}"
    return fetch(name, _unit_counters, url, level, period.start, period.end, period.as_of)


@st.cache_data(ttl=_TTL, max_entries=16, show_spinner=False)
def _database_meta(url: str) -> dict[str, str]:
    return queries.database_meta(engine(url))


def database_meta() -> Fetched:
    """The database's own facts (is it the sample, the province's name…)."""
    return fetch("meta", _database_meta, settings.database_url())


@st.cache_data(ttl=_TTL, max_entries=16, show_spinner=False)
def _targets(url: str) -> pd.DataFrame:
    return queries.target_rows(engine(url))


def targets() -> Fetched:
    """The targets table."""
    return fetch("targets", _targets, settings.database_url())


@st.cache_data(ttl=_TTL, max_entries=16, show_spinner=False)
def _levels(url: str) -> list[str]:
    return queries.levels_present(engine(url))


def levels() -> Fetched:
    """Unit levels present in the data, top down."""
    return fetch("levels", _levels, settings.database_url())


@st.cache_data(ttl=_TTL, max_entries=8, show_spinner=False)
def _quality(url: str, as_of: dt.datetime) -> tuple[pd.DataFrame, int, int]:
    from data_access import quality

    eng = engine(url)
    counts = quality.quality_counts(eng, as_of)
    counts["excluded"] = counts["reason"].isin(quality.EXCLUDING)
    return counts, quality.excluded_total(eng), quality.table_total(eng)


def quality() -> Fetched:
    """(counts by reason and unit, rows excluded, rows in total) for the data-quality screen."""
    # Keyed by the hour: the check scans the table, and bad rows do not come and go by the minute.
    hour = live_as_of().replace(minute=0, second=0)
    return fetch("quality", _quality, settings.database_url(), hour)
