"""The summary planner: a period in, the summary reads that make its counters out. Pure: no SQL,
no connection; typed values (frozen dataclasses), shared by the counter, trend and procedure
readers (:mod:`data_access.summaries.read`, :mod:`data_access.summaries.trend`,
:mod:`data_access.summaries.procedures`).

A period's days split into whole months (``summary_month``) and edge days (``summary_day``); the
open counters are a snapshot at a month's end moved by the day changes up to the open day. Both
tables are additive, so an edge can also be read as its month less the rest of the month, which
is cheaper when the edge covers most of the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from data_access.summaries.cells import CHANGE_COUNTERS, OPEN_COUNTERS
from timebase.period import Period

ONE_DAY = dt.timedelta(days=1)
#: A month's cells cost about as much to read as two days' (at 1 M a month of summary_month
#: holds twice the cells of a day of summary_day, not thirty times).
MONTH_IN_DAYS = 2

DayRange = tuple[dt.date, dt.date]
#: Bucket ranges as the tables key them: YYYYMM (months) or YYYYMMDD (days), inclusive.
Buckets = tuple[tuple[int, int], ...]


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return month_end(day) + ONE_DAY


def ym(day: dt.date) -> int:
    """``day``'s month as the month table keys it (YYYYMM)."""
    return day.year * 100 + day.month


def ymd(day: dt.date) -> int:
    """``day`` as the day table keys it (YYYYMMDD)."""
    return day.year * 10000 + day.month * 100 + day.day


def day_count(ranges: Sequence[DayRange]) -> int:
    """Days in ``ranges`` (inclusive)."""
    return sum((b - a).days + 1 for a, b in ranges)


def rest_of_month(first: dt.date, last: dt.date) -> list[DayRange]:
    """The days of ``first``'s month outside [first, last] (both in that month)."""
    start, end = first.replace(day=1), month_end(first)
    return [(a, b) for a, b in ((start, first - ONE_DAY), (last + ONE_DAY, end)) if a <= b]


def as_month_less_rest(first: dt.date, last: dt.date) -> bool:
    """Whether the days [first, last] of one month are cheaper to read as the month's cells less
    the cells of its other days (the same figures: a month's cells are the sum of its days').
    """
    same_month = (first.year, first.month) == (last.year, last.month)
    return same_month and day_count(rest_of_month(first, last)) + MONTH_IN_DAYS < day_count([(first, last)])


def merged(ranges: list[DayRange]) -> list[DayRange]:
    """Adjacent or overlapping day ranges joined (fewer bound ranges, one index range each)."""
    out: list[DayRange] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + ONE_DAY:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def split(first: dt.date, last: dt.date) -> tuple[DayRange | None, tuple[DayRange, ...]]:
    """Days [first, last] as (whole months, edge day ranges)."""
    if first > last:
        return None, ()
    lo = first if first.day == 1 else month_end(first) + ONE_DAY
    hi = last if last == month_end(last) else last.replace(day=1) - ONE_DAY
    if lo > hi:
        return None, ((first, last),)
    edges = tuple(r for r in ((first, lo - ONE_DAY), (hi + ONE_DAY, last)) if r[0] <= r[1])
    return (lo, hi), edges


def is_day_end(moment: dt.datetime) -> bool:
    """Whether ``moment`` is a day's end, 23:59:59 (every finished period is judged at one)."""
    return moment.time() == dt.time(23, 59, 59) and moment.microsecond == 0


@dataclass(frozen=True)
class Plan:
    """What makes a period's counters: summary cells of ``months`` and ``edges``, the open
    counters at the end of ``open_day`` (None: from the open rows only), and the raw rows
    touched since ``cut`` (None: none, the cells hold everything up to as_of).
    """

    months: DayRange | None
    edges: tuple[DayRange, ...]
    open_day: dt.date | None
    cut: dt.date | None


@dataclass(frozen=True)
class OpenRead:
    """Open counters read from a table: the bucket ranges and the counters they hold there (the
    snapshot's :data:`OPEN_COUNTERS` in the month table, their changes in the day table).
    """

    buckets: Buckets
    counters: tuple[str, ...]


@dataclass(frozen=True)
class Read:
    """One summary statement: a table's ``grain`` ("month" or "day"), added (+1) or subtracted
    (−1), the event buckets it sums and the open counters it reads.
    """

    grain: str
    sign: int
    events: Buckets
    opens: OpenRead | None


def plan(period: Period, by: Sequence[str], settled: bool) -> Plan | None:
    """Which summary ranges and which raw rows make the period's figures (None: not covered).

    ``settled``: nothing is recorded after as_of, so the cells up to its month end are the
    period's own (see :mod:`data_access.summaries.read`).
    """
    as_of = period.as_of
    fine = "procedure" in by or "field" in by
    cut: dt.date | None
    if is_day_end(as_of):
        last, cut, open_day = min(period.end, as_of.date()), None, as_of.date()
    elif settled:
        last, cut, open_day = month_end(as_of.date()), None, None
    else:
        cut = as_of.date()
        if fine:
            cut = max(period.start, cut.replace(day=1))
        last, open_day = min(period.end, cut - ONE_DAY), None
    months, edges = split(period.start, last)
    if fine and (edges or (open_day is not None and open_day != month_end(open_day))):
        return None
    return Plan(months, edges, open_day, cut)


def reads(planned: Plan, fine: bool) -> list[Read]:
    """The summary statements of a plan. An edge of days, or the open changes of a month up to the
    open day, becomes its month less the rest of the month where that reads fewer cells
    (:func:`as_month_less_rest`); the rest is then read once and subtracted.
    """
    months = [planned.months] if planned.months else []
    plus: list[DayRange] = []
    minus: list[DayRange] = []
    for first, last in planned.edges:
        if not fine and as_month_less_rest(first, last):
            months.append((first.replace(day=1), month_end(first)))
            minus += rest_of_month(first, last)
        else:
            plus.append((first, last))
    month_open = plus_open = minus_open = None
    day = planned.open_day
    if day is not None:
        if day == month_end(day):  # the snapshot at its month's end
            month_open = OpenRead(((ym(day), ym(day)),), OPEN_COUNTERS)
        elif not fine and as_month_less_rest(day.replace(day=1), day):  # its month's end, back
            month_open = OpenRead(((ym(day), ym(day)),), OPEN_COUNTERS)
            minus_open = OpenRead(((ymd(day + ONE_DAY), ymd(month_end(day))),), CHANGE_COUNTERS)
        else:  # the previous month's end, forward
            before = ym(day.replace(day=1) - ONE_DAY)
            month_open = OpenRead(((before, before),), OPEN_COUNTERS)
            plus_open = OpenRead(((ymd(day.replace(day=1)), ymd(day)),), CHANGE_COUNTERS)
    candidates = [
        Read("month", 1, tuple((ym(a), ym(b)) for a, b in merged(months)), month_open),
        Read("day", 1, tuple((ymd(a), ymd(b)) for a, b in plus), plus_open),
        Read("day", -1, tuple((ymd(a), ymd(b)) for a, b in merged(minus)), minus_open),
    ]
    return [r for r in candidates if r.events or r.opens]
