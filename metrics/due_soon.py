"""Due soon (sắp đến hạn): which open dossiers still have time, and whose apology is due today.

Rules (docs/rules.md §3a and §C): an open dossier not yet past due is due
soon when its due time falls on or before the end of the N-th working day counted from the
judging moment's day, that day being the first when it is a working day (setting
``IOC_DUE_SOON_DAYS``, default 2). A dossier waiting for a supplement is not due soon: its clock
is stopped (Decree 61/2018/NĐ-CP). An agency that will miss a due date must send the citizen
an apology (phiếu xin lỗi) at least one day before it (Decree 61/2018/NĐ-CP, Circular
01/2018/TT-VPCP): for a dossier due on the next working day, today is the last day.

Pure: the window is worked out here on the working-day calendar (:mod:`timebase.workdays`) and
handed to ``data_access.due_soon`` as bound times; no SQL, no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from timebase.workdays import working_days

DEFAULT_DAYS = 2
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DueSoonWindow:
    """The due times that make an open dossier due soon at ``as_of``: from ``as_of`` (not yet
    past due) to ``until`` (exclusive: the start of the day after ``last_day``); those due on
    ``apology_day`` (the next working day) have today as the last day for the apology.
    """

    as_of: dt.datetime
    days: int
    last_day: dt.date
    apology_day: dt.date

    @property
    def until(self) -> dt.datetime:
        """The first moment after the window: midnight after ``last_day``."""
        return dt.datetime.combine(self.last_day + _ONE_DAY, dt.time())

    @property
    def apology_from(self) -> dt.datetime:
        """The start of ``apology_day``."""
        return dt.datetime.combine(self.apology_day, dt.time())

    @property
    def apology_before(self) -> dt.datetime:
        """The start of the day after ``apology_day``."""
        return dt.datetime.combine(self.apology_day + _ONE_DAY, dt.time())


def due_soon_window(as_of: dt.datetime, days: int = DEFAULT_DAYS) -> DueSoonWindow:
    """The due-soon window at ``as_of`` over ``days`` working days (at least 1).

    Friday 20/11/2026 10:00, 2 days: Friday is the first, Monday 23/11 the second → due times up
    to Monday 23:59; the apology day is Monday (so Friday is the last day to apologise).
    Saturday 21/11/2026: Monday 23/11 is the first working day, Wednesday 25/11 the second (24/11,
    Vietnam Culture Day, is off); the apology day is Monday. Friday 13/2/2026, the last working day
    before Tết (16–20/2 off): Friday, then Monday 23/2.
    """
    wd = working_days()
    day = np.datetime64(as_of.date(), "D")
    first = int(np.searchsorted(wd, day, side="left"))  # the day itself when it is a working day
    last = wd[first + max(1, int(days)) - 1]
    following = wd[int(np.searchsorted(wd, day, side="right"))]  # strictly after the day
    return DueSoonWindow(as_of, max(1, int(days)), _date(last), _date(following))


def _date(day: np.datetime64) -> dt.date:
    return dt.date.fromisoformat(str(day))
