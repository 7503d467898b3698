"""The cached due-soon reads, on the cache seam of ``ui.data`` (as ``ui.wall_data``).

Keyed by ``as_of`` rounded down to the refresh interval, so every screen showing the list in the
same interval shares one query; ``ui.data.fetch`` keeps the last good answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

import settings
from data_access.queries import DueSoonTimes, due_soon_by_agency, due_soon_dossiers, due_soon_total
from metrics.due_soon import DueSoonWindow, due_soon_window
from ui import data

#: Rows of the due-soon list off the wall and on my unit.
ROWS = 6
#: Agencies the wall names in its one-line due-soon strip (the most first).
WALL_AGENCIES = 3


@dataclass(frozen=True)
class DueSoon:
    """The due-soon groups (earliest due first), whether the list was cut, and the totals."""

    window: DueSoonWindow
    groups: pd.DataFrame
    cut: bool
    total: int
    apology_last_day: int


def days() -> int:
    """Working days of the window (setting ``IOC_DUE_SOON_DAYS``)."""
    return int(settings.get("IOC_DUE_SOON_DAYS"))


@data.cached("live", 32)
def _due_soon(url: str, as_of: dt.datetime, n: int, level: str, unit: str | None, limit: int) -> DueSoon:
    window = due_soon_window(as_of, n)
    times = DueSoonTimes(as_of, window.until, window.apology_from, window.apology_before)
    engine = data.engine(url)
    groups, cut = due_soon_dossiers(engine, times, level, unit, limit)
    total, apology = due_soon_total(engine, times, level, unit)
    return DueSoon(window, groups, cut, total, apology)


def due_soon(
    as_of: dt.datetime, level: str = "province", unit: str | None = None, limit: int = ROWS
) -> data.Fetched:
    """Open dossiers due soon at ``as_of`` (in ``unit`` of ``level`` when given): a :class:`DueSoon`."""
    name = f"due_soon:{level}:{unit}:{limit}"
    return data.fetch(name, _due_soon, settings.database_url(), as_of, days(), level, unit, limit)


@dataclass(frozen=True)
class DueSoonAgencies:
    """The province's due-soon dossiers per handling agency (the most first), whether the list
    was cut, and the totals: the wall's tile and strip."""

    window: DueSoonWindow
    agencies: pd.DataFrame
    cut: bool
    total: int
    apology_last_day: int


@data.cached("live", 8)
def _by_agency(url: str, as_of: dt.datetime, n: int, limit: int) -> DueSoonAgencies:
    window = due_soon_window(as_of, n)
    times = DueSoonTimes(as_of, window.until, window.apology_from, window.apology_before)
    engine = data.engine(url)
    agencies, cut = due_soon_by_agency(engine, times, limit)
    total, apology = due_soon_total(engine, times)
    return DueSoonAgencies(window, agencies, cut, total, apology)


def due_soon_agencies(as_of: dt.datetime, limit: int = WALL_AGENCIES) -> data.Fetched:
    """The province's dossiers due soon at ``as_of`` by agency: a :class:`DueSoonAgencies`."""
    name = f"due_soon_agencies:{limit}"
    return data.fetch(name, _by_agency, settings.database_url(), as_of, days(), limit)
