"""Reporting periods: a window of days and the moment the figures are taken at.

A period is ``[start, end]`` in whole local days (end inclusive) plus ``as_of``, the instant at
which "still in progress" and "past due" are judged (docs/rules.md §1). For a finished period
``as_of`` is the end of its last day; for the current one it is now.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


class PeriodError(ValueError):
    """A period that cannot be reported on (bad dates, end before start, out of range)."""


EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Period:
    """Days ``start``..``end`` inclusive, judged at ``as_of``."""

    start: dt.date
    end: dt.date
    as_of: dt.datetime

    @property
    def start_at(self) -> dt.datetime:
        """First instant of the period."""
        return dt.datetime.combine(self.start, dt.time.min)

    @property
    def end_before(self) -> dt.datetime:
        """First instant after the period (exclusive bound)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)

    @property
    def days(self) -> int:
        """Length in days."""
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before, of the same kind, to compare like with like.

        Whole months step back by their number of months (October → September, Q3 → Q2); a
        month to date steps back to the same days of the month before (1–23/11 → 1–23/10);
        any other span steps back by its own length.
        """
        if self.start.day == 1:
            months = _months_between(self.start, self.end)
            start = _add_months(self.start, -months)
            if self.end == _month_end(self.end):
                end = _month_end(_add_months(self.end, -months))
            else:
                end = _add_months(self.end, -months)
            return make_period(start, end)
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return make_period(end - length, end)

    def previous_or_none(self) -> Period | None:
        """:meth:`previous`, or None when it would start before the calendar does (2000): no
        comparison then, rather than an error (a range from 2005 to 2026 has no period before).
        """
        try:
            return self.previous()
        except (ValueError, OverflowError):  # PeriodError is a ValueError
            return None

    def clipped(self, first: dt.date | None, last: dt.date, now: dt.datetime | None = None) -> Period:
        """The days of this period from ``first`` (the data's first day; None: no bound) to
        ``last`` (today), judged at ``now``; unchanged when it lies inside, and itself when it
        lies wholly outside (an empty period says "no data", which is true).
        """
        start = max(self.start, first) if first is not None and first <= self.end else self.start
        end = min(self.end, last) if last >= start else self.end
        if (start, end) == (self.start, self.end):
            return self
        return make_period(start, end, now)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def make_period(start: dt.date, end: dt.date, now: dt.datetime | None = None) -> Period:
    """A period judged at the end of its last day, or at ``now`` if that comes first."""
    if not (EARLIEST <= start <= LATEST and EARLIEST <= end <= LATEST):
        raise PeriodError(f"dates must lie between {EARLIEST} and {LATEST}")
    if end < start:
        raise PeriodError(f"the period ends ({end}) before it starts ({start})")
    last = dt.datetime.combine(end, dt.time(23, 59, 59))
    as_of = min(last, now) if now is not None else last
    if as_of < dt.datetime.combine(start, dt.time.min):
        raise PeriodError(f"the period starts ({start}) after the moment it is judged at ({as_of})")
    return Period(start, end, as_of)


def month_period(year: int, month: int, now: dt.datetime | None = None) -> Period:
    """One calendar month (to date, when it is the current one)."""
    start = dt.date(year, month, 1)
    return make_period(start, _month_end(start), now)


def month_to_date(now: dt.datetime) -> Period:
    """From the first of ``now``'s month to ``now``."""
    return make_period(now.date().replace(day=1), now.date(), now)


def last_months(now: dt.datetime, count: int) -> list[Period]:
    """The ``count`` calendar months ending with ``now``'s month (to date), oldest first."""
    first = _add_months(now.date().replace(day=1), -(count - 1))
    return [month_period(m.year, m.month, now) for m in (_add_months(first, i) for i in range(count))]


def parse_period(text: str, now: dt.datetime | None = None) -> Period:
    """``2026-10`` (a month), ``2026-Q3`` (a quarter), ``2026`` (a year) or ``A..B`` (days)."""
    text = text.strip()
    try:
        if ".." in text:
            a, b = text.split("..", 1)
            return make_period(dt.date.fromisoformat(a), dt.date.fromisoformat(b), now)
        if "-Q" in text.upper():
            year, q = text.upper().split("-Q")
            first = dt.date(int(year), 3 * (int(q) - 1) + 1, 1)
            if not 1 <= int(q) <= 4:
                raise ValueError
            return make_period(first, _month_end(_add_months(first, 2)), now)
        if len(text) == 4:
            year = int(text)
            return make_period(dt.date(year, 1, 1), dt.date(year, 12, 31), now)
        year, month = text.split("-")
        return month_period(int(year), int(month), now)
    except (ValueError, TypeError, OverflowError) as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(
            f"'{text[:40]}' is not a period: use 2026-10, 2026-Q3, 2026 or 2026-10-01..2026-10-15"
        ) from None


PROVINCE_TZ = "Asia/Ho_Chi_Minh"


def local_now() -> dt.datetime:
    """Now in Vietnam (UTC+7), naive, as the dossier times are stored."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(PROVINCE_TZ)).replace(tzinfo=None, microsecond=0)


def configured_now() -> dt.datetime:
    """Now in Vietnam, or the frozen clock of the ``IOC_NOW`` setting (an ISO time; one that does
    not parse is ignored): the one clock of the screens and the command line.
    """
    import settings  # the clock is configuration; periods themselves need none

    frozen = str(settings.get("IOC_NOW"))
    if frozen:
        try:
            return dt.datetime.fromisoformat(frozen)
        except ValueError:
            pass
    return local_now()


def floor_time(moment: dt.datetime, seconds: int) -> dt.datetime:
    """``moment`` rounded down to a multiple of ``seconds`` since midnight (shared cache keys)."""
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    step = max(1, seconds)
    elapsed = int((moment - midnight).total_seconds()) // step * step
    return midnight + dt.timedelta(seconds=elapsed)
