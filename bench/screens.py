"""The data each screen asks for, as calls of the public query functions (what pages use)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.engine import Engine

from data_access import queries
from metrics.period import last_months, month_period, month_to_date

Screen = Callable[[Engine], Any]


def screens(now: dt.datetime) -> dict[str, Screen]:
    """Screen name → the query calls that fetch its data, judged at ``now``."""
    mtd = month_to_date(now)
    first = now.date().replace(day=1)
    prev = first - dt.timedelta(days=1)
    last = month_period(prev.year, prev.month)
    months = last_months(now, 12)

    def overview(e: Engine) -> Any:
        # At once, as the page fetches them (ui.data.together: the first on the calling thread).
        with ThreadPoolExecutor(max_workers=2) as pool:
            previous = pool.submit(queries.unit_counters, e, "district", mtd.previous())
            overdue = pool.submit(queries.overdue_open_dossiers, e, now, 50)
            return queries.unit_counters(e, "district", mtd), previous.result(), overdue.result()

    return {
        "overview (whole page)": overview,
        "unit counters, month to date": lambda e: queries.unit_counters(e, "district", mtd),
        "ranking of communes, last month": lambda e: queries.unit_counters(e, "commune", last),
        "trend, 12 months by district": lambda e: queries.monthly_counters(e, "district", months),
        "drill-down by field, last month": lambda e: queries.dossier_counts(
            e, "district", last, by=("field",)
        ),
        "agency × channel, last month": lambda e: queries.dossier_counts(
            e, "province", last, by=("agency", "channel")
        ),
        "overdue list": lambda e: queries.overdue_open_dossiers(e, now, 50),
    }
