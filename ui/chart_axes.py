"""Month axes and titles of the trend charts: which months get a label, the domain of a monthly
line chart (the data's first to last month, nothing after), the ordinal band of monthly bars,
and long titles wrapped into lines.

Vega-Lite hides axis labels that would overlap without saying so, and a temporal axis left to
itself runs past the data to a "nice" end ("01/2027" after November's figures) with bars placed
between the labels: here the labelled months are chosen, and overlap is never left to Vega.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from metrics.trends import month_start

#: Month labels: at most this many on an axis (a third of the page is ~370 px, a label ~45 px
#: with its gap), every ``step``-th month counted back from the last, ``step`` one of these.
MAX_MONTH_LABELS = 6
MONTH_STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 60)
#: A chart title longer than this wraps onto a second line (a third of the page holds ~40
#: characters at the title's 15 px).
TITLE_CHARS = 38


def labelled_months(months: Sequence[int], most: int = MAX_MONTH_LABELS) -> list[int]:
    """The months (YYYYMM, oldest first) that get an axis label: all of them when they fit in
    ``most``, else every ``step``-th counted back from the last (the latest month is always
    labelled), ``step`` the smallest of :data:`MONTH_STEPS` that keeps to ``most`` labels."""
    ordered = sorted(dict.fromkeys(int(m) for m in months))
    step = next((s for s in MONTH_STEPS if -(-len(ordered) // s) <= most), MONTH_STEPS[-1])
    return ordered[::-1][::step][::-1]


def _utc_day(day: dt.date) -> dict[str, int | bool]:
    """A Vega-Lite DateTime of ``day`` in UTC."""
    return {"year": day.year, "month": day.month, "date": day.day, "utc": True}


def month_axis(months: Sequence[int]) -> tuple[dict[str, object], dict[str, object]]:
    """The scale and axis (Vega-Lite) of a monthly line chart: the domain is the data's first to
    last month (nothing before or after), labels "05/2020" exactly on labelled months (never
    dropped in silence: ``labelOverlap`` off), in UTC like the ISO dates of the data."""
    ordered = sorted(dict.fromkeys(int(m) for m in months))
    if not ordered:
        return {"type": "utc"}, {"format": "%m/%Y", "labelAngle": 0}
    first, last = month_start(ordered[0]), month_start(ordered[-1])
    if first == last:  # one month: a domain of no width would put its point nowhere
        first, last = first - dt.timedelta(days=15), first + dt.timedelta(days=15)
    scale = {"type": "utc", "domain": [_utc_day(first), _utc_day(last)], "nice": False, "padding": 14}
    values = [_utc_day(month_start(m)) for m in labelled_months(ordered)]
    return scale, {"format": "%m/%Y", "values": values, "labelAngle": 0, "labelOverlap": False}


def wrap_title(title: str, width: int = TITLE_CHARS) -> str | list[str]:
    """``title`` as it is when short, else split at spaces into lines of at most ``width``
    characters (Vega draws a list as lines; a long title would run out of a narrow chart)."""
    if len(title) <= width:
        return title
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def month_band(months: Sequence[int], title: str) -> dict[str, object]:
    """An ordinal month axis (Vega-Lite ``x``) over ``months`` in order, labelled on
    :func:`labelled_months`."""
    order = [f"{month_start(int(m)):%m/%Y}" for m in months]
    shown = [f"{month_start(m):%m/%Y}" for m in labelled_months(months)]
    return {
        "axis": {"labelAngle": 0, "labelOverlap": False, "values": shown},
        "field": "month_label",
        "scale": {"domain": order},
        "sort": order,
        "title": title,
        "type": "ordinal",
    }
