"""Vietnamese working days: the clock of every time limit.

Rules (docs/rules.md §C; Decree 61/2018/NĐ-CP art. 20, Circular 01/2018/TT-VPCP):
- time limits are in working days: weekends and public holidays (lunar Tết included) are
  excluded, and a Saturday the government swaps for a bridge holiday is a working day;
- the calendar is the `holidays` package's (public holidays and the swaps it knows) with, date by
  date, the official days off and worked days it lacks from ``timebase/calendar_vn.csv`` and from a
  deployment's own file (setting ``IOC_CALENDAR_FILE``) over it (:mod:`timebase.calendar`);
- a dossier received after 15:00, or on a day that is not a working day, counts from the next
  working day;
- a limit of N working days ends at the close of office hours (17:00) of the N-th working day
  after the day the dossier counts from.

Every working-day figure goes through :func:`working_days`: due dates (the sample's dossiers and
feedback, the simulator), processing time at import, days late on the wall. Vectorised with numpy
so the sample generator can date millions of dossiers in seconds.
"""

from __future__ import annotations

import datetime as dt
import threading
from functools import lru_cache
from pathlib import Path

import holidays
import numpy as np

import settings
from timebase.calendar import FIRST_YEAR, LAST_YEAR, calendar_days  # the import checks years by them

CUTOFF_HOUR = 15
OFFICE_CLOSE = dt.time(17, 0)


_calendar_lock = threading.Lock()


def working_days() -> np.ndarray:
    """Every working day from 2010 to 2040, sorted, as ``datetime64[D]``: the package's calendar
    with the repository's and the deployment's calendar files over it.

    The clock reads the setting itself, not its callers: the import, the sample and the wall all
    count working days and must count them alike. A deployment file that cannot be used is
    reported by ``settings.problems()`` and left out (the setting reads as empty). Callers that
    come together wait for one build instead of each making its own (``lru_cache`` alone lets every
    caller that arrives before the first build ends make another: twenty wall sessions on a
    restarted server, 0.3 s of the GIL each).
    """
    extra = str(settings.get("IOC_CALENDAR_FILE")).strip()
    try:
        stamp = Path(extra).stat().st_mtime_ns if extra else 0
    except OSError:
        stamp = -1  # gone since the setting was checked: calendar_days says so
    with _calendar_lock:
        return _working_days(extra, stamp)


@lru_cache(maxsize=4)
def _working_days(extra: str, _stamp: int) -> np.ndarray:
    """Built once a calendar (0.3 s); ``_stamp`` (the file's modification time) keys an edit."""
    package = holidays.VN(years=range(FIRST_YEAR, LAST_YEAR + 1))
    first = dt.date(FIRST_YEAR, 1, 1)
    days = np.arange(f"{FIRST_YEAR}-01-01", f"{LAST_YEAR + 1}-01-01", dtype="datetime64[D]")
    keep = np.array([package.is_working_day(d) for d in days.astype(object)])
    for day, row in calendar_days(extra or None).items():
        keep[(day - first).days] = row.working
    return days[keep]


def is_working_day(day: dt.date) -> bool:
    """True when ``day`` is a Vietnamese working day."""
    wd = working_days()
    i = np.searchsorted(wd, np.datetime64(day, "D"))
    return bool(i < len(wd) and wd[i] == np.datetime64(day, "D"))


def _start_index(received: np.ndarray) -> np.ndarray:
    """Index in :func:`working_days` of the day each dossier's clock counts from."""
    wd = working_days()
    day = received.astype("datetime64[D]")
    after_cutoff = (received - day) >= np.timedelta64(CUTOFF_HOUR, "h")
    # side="left" finds the day itself when it is a working day; after the cut-off, or when the
    # day is not a working day, the clock starts on the next one.
    i = np.searchsorted(wd, day, side="left")
    on_working_day = (i < len(wd)) & (wd[np.minimum(i, len(wd) - 1)] == day)
    return i + (on_working_day & after_cutoff)


def due_dates(received: np.ndarray, limit_days: np.ndarray) -> np.ndarray:
    """Due time (``datetime64[m]``) for each receipt time and limit in whole working days."""
    received = np.asarray(received, dtype="datetime64[m]")
    limits = np.ceil(np.asarray(limit_days, dtype=float)).astype(int)
    wd = working_days()
    due_day = wd[_start_index(received) + limits]
    return due_day.astype("datetime64[m]") + np.timedelta64(17 * 60, "m")


def elapsed_working_days(received: np.ndarray, finished: np.ndarray) -> np.ndarray:
    """Working days from the day the clock counts from to the finish day (0 if the same day).

    A dossier finished on its due day has used exactly its limit: received Monday 09:00 with a
    3-day limit, due Thursday 17:00, finished Thursday → 3.
    """
    received = np.asarray(received, dtype="datetime64[m]")
    finished = np.asarray(finished, dtype="datetime64[m]")
    wd = working_days()
    finish_index = np.searchsorted(wd, finished.astype("datetime64[D]"), side="right") - 1
    return np.maximum(finish_index - _start_index(received), 0).astype(float)


def due_date(received: dt.datetime, limit_days: float) -> dt.datetime:
    """Scalar form of :func:`due_dates`."""
    return due_dates(np.array([received], dtype="datetime64[m]"), np.array([limit_days]))[0].astype(
        dt.datetime
    )


def elapsed(received: dt.datetime, finished: dt.datetime) -> float:
    """Scalar form of :func:`elapsed_working_days`."""
    return float(
        elapsed_working_days(
            np.array([received], dtype="datetime64[m]"), np.array([finished], dtype="datetime64[m]")
        )[0]
    )
