"""The cache seam: the only place where pages get data, and the only place that caches it.

Engines live in ``st.cache_resource``; query results in ``st.cache_data`` with a ttl and
``max_entries``. Live figures are keyed by "now" rounded down to the refresh interval, so ten
wall screens cost one query per interval. When the database stops answering, the last good
result of each query is served with the time it was fetched, and the page shows it as stale.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import make_url
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

import settings
from data_access import queries
from data_access.queries import file_identity, make_engine
from timebase.period import Period, configured_now, floor_time

REFRESH_SECONDS = int(settings.get("IOC_REFRESH_SECONDS"))
log = logging.getLogger("ioc.data")
#: How long a cached answer is kept, by kind: live figures (ten refreshes, at least a minute),
#: trend figures (keyed by "now" rounded to 15 minutes), closed months (they change only by an
#: import), hourly checks and files read from disk.
TTL_SECONDS: dict[str, int] = {
    "live": max(60, REFRESH_SECONDS * 10),
    "trend": 900,
    "closed": 6 * 3600,
    "hourly": 3600,
}


def cached(kind: str, entries: int) -> Callable[[Callable[..., Any]], Any]:
    """The one way the dashboard caches a query's answer: ``st.cache_data`` with the ttl of
    ``kind`` (:data:`TTL_SECONDS`) and at most ``entries`` answers kept, no spinner. Every cached
    reader in ``ui`` goes through it, so the caching policy is read and changed here.
    """
    return st.cache_data(ttl=TTL_SECONDS[kind], max_entries=entries, show_spinner=False)


class DataUnavailable(Exception):
    """The database cannot answer and no earlier figures exist to show."""


@dataclass(frozen=True)
class Fetched:
    """A query's value, when it was fetched, and the error if this attempt failed."""

    value: Any
    fetched_at: dt.datetime
    error: str | None = None


#: The last good value of each query, served while its database is failing. Keys carry the
#: period asked for, so a wall screen adds a few a day (the new day's periods); the map keeps the
#: most recently fetched LAST_GOOD_MAX and forgets the rest, so weeks on the wall do not grow it.
LAST_GOOD_MAX = 512
_last_good: dict[tuple[Any, ...], Fetched] = {}
_last_good_lock = threading.Lock()


def _keep_good(key: tuple[Any, ...], fetched: Fetched) -> None:
    """Remember ``fetched`` as the newest entry; forget the entries fetched longest ago beyond
    :data:`LAST_GOOD_MAX` (the dict keeps insertion order: re-inserting moves a key to the end).
    Call with ``_last_good_lock`` held."""
    _last_good.pop(key, None)
    _last_good[key] = fetched
    _forget_oldest(_last_good)


def _forget_oldest(entries: dict[tuple[Any, ...], Any]) -> None:
    """Drop the entries inserted longest ago beyond :data:`LAST_GOOD_MAX`."""
    while len(entries) > LAST_GOOD_MAX:
        del entries[next(iter(entries))]


@st.cache_resource(show_spinner=False)
def engine(url: str) -> Any:
    """One read-only engine per database URL for the whole server process."""
    identity = file_identity(url)  # before the first connection: a change in between reopens
    opened = make_engine(url, pool_size=int(settings.get("IOC_POOL_SIZE")))
    with _file_lock:
        _opened[url] = (opened, identity)
        _gone.discard(url)
    return opened


#: SQLite: each engine's file identity when it was opened (see ``data_access.engine.file_identity``).
#: The path is looked at again at most once every FILE_CHECK_SECONDS (a stat: microseconds; a
#: page's dozen fetches share one), so a replaced or deleted file is noticed at the next refresh.
FILE_CHECK_SECONDS = 1.0
_opened: dict[str, tuple[Any, tuple[int, int] | None]] = {}
_file_checked: dict[str, float] = {}
#: Bumped at each reopen: a query that ran across one may hold the old file's answer.
_generation: dict[str, int] = {}
#: URLs whose file was found deleted, until an engine opens the file again.
_gone: set[str] = set()
_file_lock = threading.Lock()


def check_database_file(url: str) -> None:
    """Reopen the database when its SQLite file was rebuilt, replaced or deleted since the engine
    opened it: the pooled connections would go on reading the old file (its inode lives on while
    they hold it) and the wall would show its figures as current. Disposes every engine and
    clears every cached query. A replaced file's last good figures are forgotten (they belong to
    no database there is); a deleted file's stay on screen under the red warning, at once
    (``ui.chrome.freshness``), and every query fails ("database file not found") until it is back.
    """
    now_ = time.monotonic()
    with _file_lock:
        watched = url in _opened or url in _gone
        if not watched or now_ - _file_checked.get(url, -FILE_CHECK_SECONDS) < FILE_CHECK_SECONDS:
            return
        _file_checked[url] = now_
        identity = file_identity(url)
        back = url in _gone and identity is not None
        if url in _gone or identity == _opened[url][1]:
            if back:  # a file is there again: try it at once, not after the back-off
                _gone.discard(url)
                _reset_backoff(url)
            return
        gone = identity is None
        if gone:
            _gone.add(url)
        stale = [eng for eng, _ in _opened.values()]
        _opened.clear()
        _generation[url] = _generation.get(url, 0) + 1
    log.warning("the database file of %s was replaced or removed: reopening it", _shown(url))
    for eng in stale:  # connections in use close when they are returned
        eng.dispose()
    engine.clear()
    st.cache_data.clear()
    if gone:  # the last figures stay on screen under a red warning (ui.chrome.freshness)
        return
    with _last_good_lock:  # replaced: the old file's figures are no one's
        for key in [k for k in (*_last_good, *_failures) if k[1] == url]:
            _last_good.pop(key, None)
            _failures.pop(key, None)


def _reset_backoff(url: str) -> None:
    with _last_good_lock:
        for key in [k for k in _failures if k[1] == url]:
            del _failures[key]


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the configured database"


def now() -> dt.datetime:
    """Local time in Vietnam, or the frozen clock of the IOC_NOW setting."""
    return configured_now()


def live_as_of() -> dt.datetime:
    """Now, rounded down to the refresh interval."""
    return floor_time(now(), REFRESH_SECONDS)


#: Back-off after a failed query: the first retry after IOC_RETRY_MIN_SECONDS, doubling to RETRY_MAX,
#: so a down database is not hammered by every screen and every refresh; reset on success.
RETRY_MAX = 60.0
_failures: dict[tuple[Any, ...], tuple[int, float]] = {}


def describe_failure(exc: BaseException) -> str:
    """A sentence (from the catalogue key ``db_<kind>``) saying what is wrong, for the screen."""
    text = str(exc).lower()
    if isinstance(exc, FileNotFoundError):
        return "db_missing_file"
    if "password authentication failed" in text or "access denied" in text or "no password" in text:
        return "db_auth"
    if "no such table" in text or ("does not exist" in text and ("relation" in text or "table" in text)):
        return "db_no_tables"
    if "database" in text and "does not exist" in text:
        return "db_no_database"
    if "connection" in text or "could not connect" in text or "timeout" in text or "refused" in text:
        return "db_unreachable"
    return "db_other"


def _in_backoff(key: tuple[Any, ...]) -> bool:
    failures = _failures.get(key)
    return failures is not None and time.monotonic() < failures[1]


def retry_delay() -> float:
    """Seconds until the configured database's failed queries may be tried again: the longest
    back-off still running, at least ``IOC_RETRY_MIN_SECONDS`` (a screen retries on this)."""
    url, now_ = settings.database_url(), time.monotonic()
    with _last_good_lock:
        waits = [until - now_ for key, (_, until) in _failures.items() if key[1] == url]
    return min(RETRY_MAX, max([float(settings.get("IOC_RETRY_MIN_SECONDS")), *waits]))


def _note_failure(key: tuple[Any, ...]) -> None:
    count, until = _failures.get(key, (0, 0.0))
    if count and time.monotonic() < until:
        # Another screen's attempt within the same back-off: the database is failing as known,
        # not once more (ten screens retrying would reach the longest wait at once).
        return
    _failures.pop(key, None)
    count += 1
    delay = min(RETRY_MAX, float(settings.get("IOC_RETRY_MIN_SECONDS")) * 2 ** (count - 1))
    _failures[key] = (count, time.monotonic() + delay)
    _forget_oldest(_failures)  # a query failing for days under ever-new keys


def fetch(name: str, fn: Callable[..., Any], *args: Any) -> Fetched:
    """Run ``fn(*args)``; on failure fall back to the last good value of the same query name.

    While a query is failing it is retried with back-off (the last good value is served in
    between); the first success clears the failure. With no last good value the failure raises
    :class:`DataUnavailable` carrying a catalogue key that explains it.

    To add a query: write ``@cached(kind, entries) def _q(url, ...)`` that
    calls ``data_access`` with ``engine(url)``, and a public wrapper returning
    ``fetch("q:<args without as_of>", _q, settings.database_url(), ...)``.
    """
    url = settings.database_url()
    check_database_file(url)
    key = (name, url)
    with _last_good_lock:
        previous = _last_good.get(key)
        waiting = previous is not None and _in_backoff(key)
    if waiting:
        kind = "db_missing_file" if url in _gone else "retrying"
        return Fetched(previous.value, previous.fetched_at, kind)  # type: ignore[union-attr]
    generation = _generation.get(url, 0)
    try:
        value = fn(*args)
        if _generation.get(url, 0) != generation:  # reopened meanwhile: maybe the old file's
            getattr(fn, "clear", lambda *_: None)(*args)
            value = fn(*args)
    except Exception as exc:  # any database failure becomes "stale", never a traceback
        with _last_good_lock:
            _note_failure(key)
            previous = _last_good.get(key)
        log.warning("query %s failed: %s", name, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        if previous is None:
            raise DataUnavailable(describe_failure(exc)) from exc
        return Fetched(previous.value, previous.fetched_at, describe_failure(exc))
    fetched = Fetched(value, now())
    with _last_good_lock:
        _keep_good(key, fetched)
        _failures.pop(key, None)
    return fetched


def together(*calls: Callable[[], Any]) -> list[Any]:
    """Run independent fetches at once; their results in order (the first failure, in order,
    is raised). The first runs on this thread, each other on a thread of its own that carries
    this script run's context (Streamlit's documented way for threads to use its caches). Their
    queries overlap: SQLite and psycopg release the GIL while a query runs, so a page that needs
    two periods and a list waits for the slowest, not for the sum.
    """
    ctx = get_script_run_ctx()
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException | None] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            results[i] = calls[i]()
        except BaseException as exc:  # re-raised on the script's thread below
            errors[i] = exc

    threads = [
        threading.Thread(target=run, args=(i,), name="ioc-fetch", daemon=True) for i in range(1, len(calls))
    ]
    for thread in threads:
        add_script_run_ctx(thread, ctx)
        thread.start()
    if calls:
        run(0)
    for thread in threads:
        thread.join()
    for error in errors:
        if error is not None:
            raise error
    return results


@cached("live", 64)
def _unit_counters(url: str, level: str, start: dt.date, end: dt.date, as_of: dt.datetime) -> pd.DataFrame:
    return queries.unit_counters(engine(url), level, Period(start, end, as_of))


def unit_counters(level: str, period: Period) -> Fetched:
    """All counters per unit of ``level`` in ``period`` (see data_access.queries.unit_counters)."""
    url = settings.database_url()
    # The fallback key leaves as_of out: a live period's as_of moves every interval.
    name = f"unit_counters:{level}:{period.start}:{period.end}"
    return fetch(name, _unit_counters, url, level, period.start, period.end, period.as_of)


@cached("live", 32)
def _desk_counts(url: str, level: str, start: dt.date, end: dt.date, as_of: dt.datetime) -> pd.DataFrame:
    return queries.desk_counts(engine(url), level, Period(start, end, as_of))


def desk_counts(level: str, period: Period) -> Fetched:
    """Intake by place per unit of ``level`` (see data_access.queries.desk_counts)."""
    name = f"desk_counts:{level}:{period.start}:{period.end}"
    return fetch(name, _desk_counts, settings.database_url(), level, period.start, period.end, period.as_of)


@cached("live", 16)
def _database_meta(url: str) -> dict[str, str]:
    return queries.database_meta(engine(url))


def database_meta() -> Fetched:
    """The database's own facts (is it the sample, the province's name…)."""
    return fetch("meta", _database_meta, settings.database_url())


@cached("live", 16)
def _targets(url: str) -> pd.DataFrame:
    return queries.target_rows(engine(url))


def targets() -> Fetched:
    """The targets table."""
    return fetch("targets", _targets, settings.database_url())


@cached("live", 16)
def _official_scores(url: str, start: dt.date, end: dt.date, as_of: dt.datetime) -> pd.DataFrame:
    return queries.official_scores(engine(url), Period(start, end, as_of))


def official_scores(period: Period) -> Fetched:
    """The portal's published 766 points for exactly ``period`` (none unless imported)."""
    name = f"official_scores:{period.start}:{period.end}"
    return fetch(name, _official_scores, settings.database_url(), period.start, period.end, period.as_of)


@cached("live", 64)
def _levels(url: str, start: dt.date | None, end: dt.date | None) -> list[str]:
    period = Period(start, end, dt.datetime.combine(end, dt.time.max)) if start and end else None
    return queries.levels_present(engine(url), period)


def levels(period: Period | None = None) -> Fetched:
    """Unit levels with a unit during ``period`` (any unit ever, for None: is there data at all),
    top down."""
    start, end = (period.start, period.end) if period is not None else (None, None)
    return fetch(f"levels:{start}:{end}", _levels, settings.database_url(), start, end)


# Kept the hour it is keyed by: with the live ttl (5 min) every screen's full run waited for the
# check (1-1.6 s on the sample under load) every 5 minutes instead of once an hour.
@cached("hourly", 8)
def _quality(url: str, as_of: dt.datetime) -> tuple[pd.DataFrame, int, int]:
    eng = engine(url)
    counts = queries.quality_counts(eng, as_of)
    counts["excluded"] = counts["reason"].isin(queries.EXCLUDING)
    return counts, queries.excluded_total(eng), queries.table_total(eng)


def quality_hour() -> dt.datetime:
    """The hour the data-quality check is keyed by: it reads the suspect rows, and bad rows do
    not come and go by the minute."""
    return live_as_of().replace(minute=0, second=0)


def quality() -> Fetched:
    """(counts by reason and unit, rows excluded, rows in total) for the data-quality screen.
    Waits for the check; the note under every screen reads it through ``ui.background``."""
    return fetch("quality", _quality, settings.database_url(), quality_hour())


def generation(url: str) -> int:
    """How many times the database file of ``url`` was found replaced and reopened (results
    from an earlier generation belong to the old file)."""
    return _generation.get(url, 0)


@cached("live", 8)
def _unreadable_summaries(url: str) -> list[str]:
    return queries.unreadable_summaries(engine(url))


def unreadable_summaries() -> Fetched:
    """The summary tables the database lacks though it has others (dropped or renamed): the
    figures then come from the dossier table, and the screens say so."""
    return fetch("unreadable_summaries", _unreadable_summaries, settings.database_url())
