"""The cache seam of the ranking and my-unit screens (the same pattern as ``ui/data.py``).

Each public function returns a :class:`ui.data.Fetched` through ``data.fetch`` (last good value
when the database stops answering). Months that are over do not change on the wall, so one
subject's trend caches them for hours and only re-reads the current month with the live figures.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

import settings
from data_access import queries
from metrics import score766
from metrics.tables import unit_metrics
from timebase.period import Period, last_months
from ui import chrome, data
from ui.data import Fetched

AGENCY = queries.AGENCY


@data.cached("live", 32)
def _level_metrics(
    url: str, level: str, start: dt.date, end: dt.date, as_of: dt.datetime, rules: str
) -> pd.DataFrame:
    counters = queries.level_counters(data.engine(url), level, Period(start, end, as_of))
    # The score is cached with the counters: on a level of a hundred units it costs more than the query.
    return unit_metrics(counters, rules=score766.rule_set(rules))


def level_metrics(level: str, period: Period) -> Fetched:
    """Every unit of ``level`` (or every agency, for ``'agency'``) in ``period``: its counters and
    every metric with the estimated 766 score (``metrics.tables.unit_metrics``)."""
    name = f"level_metrics:{level}:{period.start}:{period.end}"
    url = settings.database_url()
    rules = chrome.score_rules().name
    return data.fetch(name, _level_metrics, url, level, period.start, period.end, period.as_of, rules)


def previous_level_metrics(level: str, period: Period, current: pd.DataFrame) -> pd.DataFrame:
    """:func:`level_metrics` of the period before ``period``; no rows (no comparison, every change
    "—") when there is none, as for a range that starts in 2005 and lasts twenty years."""
    previous = period.previous_or_none()
    if previous is None:
        return current.iloc[0:0]
    return level_metrics(level, previous).value


@data.cached("live", 64)
def _subjects(url: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    # Keyed by the days alone: which units existed does not move with a live period's as_of.
    engine, period = data.engine(url), Period(start, end, dt.datetime.combine(end, dt.time.max))
    frames = [
        queries.units_at_level(engine, level, period)[["code", "name", "level", "parent_code"]]
        for level in queries.levels_present(engine, period)
    ]
    agencies = queries.agency_names(engine, period).rename(columns={"unit_code": "parent_code"})
    agencies["level"] = AGENCY
    frames.append(agencies[["code", "name", "level", "parent_code"]])
    out = pd.concat(frames, ignore_index=True)
    out["code"] = out["code"].astype(str)
    return out


def subjects(period: Period) -> Fetched:
    """Every unit (all levels, top down) and agency that existed during ``period``: code, name,
    level ('agency' for agencies), parent_code (an agency's parent is the unit whose desk it is)."""
    name = f"subjects:{period.start}:{period.end}"
    return data.fetch(name, _subjects, settings.database_url(), period.start, period.end)


@data.cached("closed", 1024)
def _closed_month(
    url: str, kind: str, code: str, start: dt.date, end: dt.date, as_of: dt.datetime
) -> pd.DataFrame:
    return queries.subject_months(data.engine(url), kind, code, [Period(start, end, as_of)])


@data.cached("live", 64)
def _live_month(
    url: str, kind: str, code: str, start: dt.date, end: dt.date, as_of: dt.datetime
) -> pd.DataFrame:
    return queries.subject_months(data.engine(url), kind, code, [Period(start, end, as_of)])


def _months(url: str, kind: str, code: str, count: int, now: dt.datetime) -> pd.DataFrame:
    frames = []
    for month in last_months(now, count):
        closed = month.as_of >= dt.datetime.combine(month.end, dt.time(23, 59, 59))
        read = _closed_month if closed else _live_month
        frames.append(read(url, kind, code, month.start, month.end, month.as_of))
    return pd.concat(frames, ignore_index=True)


def subject_months(kind: str, code: str, count: int, now: dt.datetime) -> Fetched:
    """Dossier counters of one unit or agency for each of the ``count`` months to ``now``."""
    return data.fetch(
        f"months:{kind}:{code}:{count}", _months, settings.database_url(), kind, code, count, now
    )


@data.cached("live", 256)
def _parts(
    url: str,
    kind: str,
    code: str,
    start: dt.date,
    end: dt.date,
    as_of: dt.datetime,
    by: str,
    order: str,
    limit: int,
) -> tuple[pd.DataFrame, bool]:
    period = Period(start, end, as_of)
    return queries.subject_parts(data.engine(url), kind, code, period, by, order, limit)


def subject_parts(kind: str, code: str, period: Period, by: str, order: str, limit: int) -> Fetched:
    """The parts of a subject that pull it down most (value: (frame, cut))."""
    name = f"parts:{kind}:{code}:{period.start}:{period.end}:{by}:{order}:{limit}"
    url = settings.database_url()
    return data.fetch(name, _parts, url, kind, code, period.start, period.end, period.as_of, by, order, limit)
