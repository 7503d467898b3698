"""The cached read behind "where the period will end", on the cache seam of ``ui.data``."""

from __future__ import annotations

import datetime as dt

import pandas as pd

import settings
from data_access.queries import open_due_before_close
from metrics.outlook import close_before
from timebase.period import Period
from ui import data


@data.cached("live", 32)
def _open_due(url: str, level: str, as_of: dt.datetime, close: dt.datetime) -> pd.DataFrame:
    return open_due_before_close(data.engine(url), level, as_of, close)


def open_due(level: str, period: Period) -> data.Fetched:
    """Per unit of ``level`` (or agency): open dossiers on time now and due before ``period`` closes."""
    close = close_before(period)
    name = f"open_due_by_close:{level}:{close}"
    return data.fetch(name, _open_due, settings.database_url(), level, period.as_of, close)
