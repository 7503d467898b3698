"""The data each screen asks for, as calls of the public query functions (what pages use)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.engine import Engine

from data_access import queries
from data_access.queries import DueSoonTimes, due_soon_by_agency, due_soon_total, open_due_before_close
from metrics.due_soon import DEFAULT_DAYS, due_soon_window
from metrics.outlook import close_before
from timebase.period import last_months, month_period, month_to_date

Screen = Callable[[Engine], Any]
#: Rows of the wall's overdue list in kiosk mode (app_pages.overview.OVERDUE_ROWS_WALL; not
#: imported: it would load Streamlit).
OVERDUE_ROWS = 4
#: Agencies of the wall's due-soon strip (ui.due_soon_data.WALL_AGENCIES, not imported either).
DUE_SOON_AGENCIES = 3


def screens(now: dt.datetime) -> dict[str, Screen]:
    """Screen name → the query calls that fetch its data, judged at ``now``."""
    mtd = month_to_date(now)
    first = now.date().replace(day=1)
    prev = first - dt.timedelta(days=1)
    last = month_period(prev.year, prev.month)
    months = last_months(now, 12)

    yesterday = now - dt.timedelta(days=1)
    window = due_soon_window(now, DEFAULT_DAYS)
    due = DueSoonTimes(now, window.until, window.apology_from, window.apology_before)
    close = close_before(mtd)

    def due_soon(e: Engine) -> Any:  # ui.due_soon_data.due_soon_agencies: the list, then the totals
        return due_soon_by_agency(e, due, DUE_SOON_AGENCIES), due_soon_total(e, due)

    def overview(e: Engine) -> Any:
        # The wall page's fetches, as app_pages/overview.py's _fetch makes them in kiosk mode:
        # the levels of the month (for the first level below the province), then at once through
        # ui.data.together (the first on the calling thread, each other on a thread of its own):
        # the province's counters for the month to date and for the same days of last month, the
        # overdue list (OVERDUE_ROWS rows), today's and yesterday's intake by hour up to the same
        # time, that level's unit counters (the unit board and the alarms), the dossiers due soon
        # by agency and the open dossiers due before the month closes, of the province and of
        # that level (where the month will end).
        below = next((lvl for lvl in queries.levels_present(e, mtd) if lvl != "province"), None)
        with ThreadPoolExecutor(max_workers=8) as pool:
            others = [
                pool.submit(queries.unit_counters, e, "province", mtd.previous()),
                pool.submit(queries.overdue_open_dossiers, e, now, OVERDUE_ROWS),
                pool.submit(queries.intake_by_hour, e, now.date(), now),
                pool.submit(queries.intake_by_hour, e, yesterday.date(), yesterday),
                pool.submit(due_soon, e),
                pool.submit(open_due_before_close, e, "province", now, close),
            ]
            if below is not None:
                others.append(pool.submit(queries.unit_counters, e, below, mtd))
                others.append(pool.submit(open_due_before_close, e, below, now, close))
            return queries.unit_counters(e, "province", mtd), *[job.result() for job in others]

    return {
        "overview (whole wall page)": overview,
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
