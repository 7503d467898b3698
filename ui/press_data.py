"""The Press room's data through the cache seam: an ``exports.source.Source`` whose every call is
a cached ``data_access`` query with last-good fallback (``ui.data.fetch``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

import settings
from data_access import queries
from exports.source import trend_counters
from metrics.registry import Metric, get_metric
from timebase.period import Period
from ui import data

MonthKey = tuple[dt.date, dt.date, dt.datetime]


@data.cached("live", 64)
def _units(url: str, level: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    period = Period(start, end, dt.datetime.combine(end, dt.time.max))
    return queries.units_at_level(data.engine(url), level, period)


@data.cached("live", 32)
def _monthly(url: str, level: str, months: tuple[MonthKey, ...], metric: str) -> pd.DataFrame:
    periods = [Period(start, end, as_of) for start, end, as_of in months]
    return trend_counters(data.engine(url), level, periods, get_metric(metric))


class PageSource:
    """A Source for the page; remembers each answer's fetch time and error for the freshness line."""

    def __init__(self) -> None:
        self.fetched: list[data.Fetched] = []

    def _keep(self, fetched: data.Fetched) -> object:
        self.fetched.append(fetched)
        return fetched.value

    def meta(self) -> dict[str, str]:
        return self._keep(data.database_meta())  # type: ignore[return-value]

    def targets(self) -> pd.DataFrame:
        return self._keep(data.targets())  # type: ignore[return-value]

    def levels(self, period: Period) -> list[str]:
        return self._keep(data.levels(period))  # type: ignore[return-value]

    def levels_ever(self) -> list[str]:
        """Every level the data has ever held (a level of another period is no bad parameter)."""
        return self._keep(data.levels())  # type: ignore[return-value]

    def units(self, level: str, period: Period) -> pd.DataFrame:
        url, start, end = settings.database_url(), period.start, period.end
        fetched = data.fetch(f"press_units:{level}:{start}:{end}", _units, url, level, start, end)
        return self._keep(fetched)  # type: ignore[return-value]

    def unit_counters(self, level: str, period: Period) -> pd.DataFrame:
        return self._keep(data.unit_counters(level, period))  # type: ignore[return-value]

    def monthly(self, level: str, months: Sequence[Period], metric: Metric) -> pd.DataFrame:
        keys = tuple((p.start, p.end, p.as_of) for p in months)
        # The fallback key leaves as_of out: the current month's as_of moves every interval.
        name = f"press_monthly:{level}:{metric.name}:{keys[0][0] if keys else ''}:{len(keys)}"
        fetched = data.fetch(name, _monthly, settings.database_url(), level, keys, metric.name)
        return self._keep(fetched)  # type: ignore[return-value]

    def official_scores(self, period: Period) -> pd.DataFrame:
        """The portal's published points for the period; none when the database cannot say."""
        try:
            return self._keep(data.official_scores(period))  # type: ignore[return-value]
        except data.DataUnavailable:
            return pd.DataFrame({"unit_code": [], "group": [], "points": []})

    def oldest(self) -> data.Fetched | None:
        """The answer to judge freshness by: a failed one (served from the last good value) first,
        else the oldest."""
        if not self.fetched:
            return None
        return min(self.fetched, key=lambda f: (f.error is None, f.fetched_at))
