"""Where an export's aggregates come from: one small interface, two implementations.

The Press room reads through the cache seam (``ui/press_data.py``); the command line reads the
database directly with :class:`EngineSource`. Both return the frames of ``data_access.queries``
(aggregates per unit, never a dossier row), so a chart is the same whichever way it was asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pandas as pd
from sqlalchemy.engine import Engine

from data_access import queries
from data_access.queries import DOSSIER_COUNTERS
from metrics.registry import Metric, parts
from timebase.period import Period


class Source(Protocol):
    """The aggregates an export needs."""

    def meta(self) -> dict[str, str]:
        """The database's facts (is_sample, province_name, data_until)."""
        ...

    def targets(self) -> pd.DataFrame:
        """The targets table."""
        ...

    def levels(self, period: Period) -> list[str]:
        """Unit levels with a unit during ``period``, top down."""
        ...

    def units(self, level: str, period: Period) -> pd.DataFrame:
        """Units of ``level`` that existed during ``period``: code, name, level, parent_code, lat, lon."""
        ...

    def unit_counters(self, level: str, period: Period) -> pd.DataFrame:
        """Every unit of ``level`` with all its counters in ``period``."""
        ...

    def monthly(self, level: str, months: Sequence[Period], metric: Metric) -> pd.DataFrame:
        """Counters per unit of ``level`` and month (``month`` = YYYYMM) enough for ``metric``."""
        ...

    def official_scores(self, period: Period) -> pd.DataFrame:
        """The portal's published points (unit_code, group, points) for exactly ``period``."""
        ...


def trend_counters(engine: Engine, level: str, months: Sequence[Period], metric: Metric) -> pd.DataFrame:
    """Counters per unit and month for ``metric``.

    Metrics made of dossier counters use ``monthly_counters`` (one grouped query a month); the
    few that need procedure or feedback counters take the full ``unit_counters`` of each month.
    """
    if parts(metric) <= set(DOSSIER_COUNTERS):
        return queries.monthly_counters(engine, level, months)
    frames = [
        queries.unit_counters(engine, level, period).assign(
            month=period.start.year * 100 + period.start.month
        )
        for period in months
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["unit_code", "month"])


class EngineSource:
    """A :class:`Source` reading a database through an engine (the command line)."""

    def __init__(self, engine: Engine) -> None:
        """Read through ``engine`` (open it read-only)."""
        self.engine = engine

    def meta(self) -> dict[str, str]:
        """See :meth:`Source.meta`."""
        return queries.database_meta(self.engine)

    def targets(self) -> pd.DataFrame:
        """See :meth:`Source.targets`."""
        return queries.target_rows(self.engine)

    def levels(self, period: Period) -> list[str]:
        """See :meth:`Source.levels`."""
        return queries.levels_present(self.engine, period)

    def units(self, level: str, period: Period) -> pd.DataFrame:
        """See :meth:`Source.units`."""
        return queries.units_at_level(self.engine, level, period)

    def unit_counters(self, level: str, period: Period) -> pd.DataFrame:
        """See :meth:`Source.unit_counters`."""
        return queries.unit_counters(self.engine, level, period)

    def monthly(self, level: str, months: Sequence[Period], metric: Metric) -> pd.DataFrame:
        """See :meth:`Source.monthly`."""
        return trend_counters(self.engine, level, months, metric)

    def official_scores(self, period: Period) -> pd.DataFrame:
        """See :meth:`Source.official_scores`."""
        return queries.official_scores(self.engine, period)
