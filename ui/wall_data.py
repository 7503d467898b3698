"""The wall's own cached queries, on the cache seam of ``ui.data``.

Each live query is keyed by ``as_of`` rounded down to the refresh interval (``ui.data.live_as_of``),
so every wall screen and every browser showing it in the same interval shares one database query;
``ui.data.fetch`` keeps the last good answer for when the database stops answering.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

import settings
from data_access import queries
from ui import data

#: Rows of the overdue list on the wall.
OVERDUE_ROWS = 6


@data.cached("live", 16)
def _intake_by_hour(url: str, day: dt.date, as_of: dt.datetime) -> pd.DataFrame:
    return queries.intake_by_hour(data.engine(url), day, as_of)


def intake_by_hour(day: dt.date, as_of: dt.datetime) -> data.Fetched:
    """Dossiers received on ``day`` up to ``as_of``, per hour (see data_access.wall)."""
    return data.fetch(f"intake_by_hour:{day}", _intake_by_hour, settings.database_url(), day, as_of)


@data.cached("live", 16)
def _overdue_list(url: str, as_of: dt.datetime, limit: int) -> tuple[pd.DataFrame, bool]:
    return queries.overdue_open_dossiers(data.engine(url), as_of, limit)


def overdue_list(as_of: dt.datetime, limit: int = OVERDUE_ROWS) -> data.Fetched:
    """The most overdue open dossiers by unit, agency and procedure, and whether the list was cut."""
    return data.fetch(f"overdue_list:{limit}", _overdue_list, settings.database_url(), as_of, limit)
