"""Shared controls whose values live in the URL: period, level, unit, metric, field.

Every value read from the URL is validated against what is known (levels in the data, unit
codes, registry metrics, the period grammar) before it reaches a query; a bad value gets a clear
message and the default, never an exception. Widgets write their value back to the URL, so any
view is a link that can be bookmarked or sent, and the values carry across screens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_date
from timebase.period import Period, PeriodError, month_to_date, parse_period
from ui import data, trend_data
from ui.markup import tmd

MAX_PARAM_LENGTH = 64


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    if value is None:
        return None
    return str(value)[: MAX_PARAM_LENGTH * 4]


def warn_bad_param(name: str, value: str, lang: str) -> None:
    """The bad-parameter warning: the value cut short and shown as text, never as markup."""
    st.warning(tmd("bad_param", lang, name=name, value=value[:MAX_PARAM_LENGTH]))


_warn = warn_bad_param


def period_param(now: dt.datetime, lang: str, name: str = "period") -> Period:
    """The period in the URL (``2026-10``, ``2026-Q3``, ``2026``, ``A..B``; default: month to date).

    A period that starts after today, or cannot be read, gets a warning and the default. A range
    of days (``A..B``) reaching past today or before the data's first month is clipped to it,
    with a note saying so (the date picker cannot show days it does not offer).
    """
    raw = _param(name)
    if raw in (None, "", "mtd"):
        return month_to_date(now)
    try:
        period = parse_period(raw, now)
    except PeriodError:
        _warn(name, raw, lang)
        return month_to_date(now)
    if period.start > now.date():
        _warn(name, raw, lang)
        return month_to_date(now)
    if ".." not in raw:
        return period
    clipped = period.clipped(data_start(), now.date(), now)
    if clipped is not period:
        note_clipped(raw, clipped, lang)
    return clipped


def note_clipped(raw: str, shown: Period, lang: str) -> None:
    """The note that the range of days asked for was cut to the days the data and the calendar have."""
    start, end = fmt_date(shown.start), fmt_date(shown.end)
    st.warning(tmd("period_clipped", lang, value=raw[:MAX_PARAM_LENGTH], start=start, end=end))


def data_start() -> dt.date | None:
    """The first day of the data's first month (None when unknown or the database is down)."""
    try:
        return trend_data.first_month()
    except data.DataUnavailable:
        return None


def choice_param(
    name: str, allowed: Sequence[str], default: str | None, lang: str, elsewhere: Sequence[str] = ()
) -> str | None:
    """The URL value of ``name`` if it is one of ``allowed``; else a warning and ``default``.

    A value of ``elsewhere`` is known but not on offer here (the district level, in a period after
    the districts ended): ``default`` without a warning, as when the period was just changed.
    """
    raw = _param(name)
    if raw is None or raw == "":
        return default
    if raw in allowed:
        return raw
    if raw in elsewhere:
        return default
    _warn(name, raw, lang)
    return default


def set_params(**values: str | None) -> None:
    """Write values into the URL (None removes a parameter)."""
    for key, value in values.items():
        if value is None:
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = value


def period_label(period: Period, lang: str) -> str:
    """How a period reads on screen: 'Tháng 10/2026' for a whole month, else '01/10/2026–23/10/2026'."""
    after = period.end + dt.timedelta(days=1)
    whole_month = period.start.day == 1 and after.day == 1 and period.start.month == period.end.month
    if whole_month:
        return t("month_label", lang, month=period.start.month, year=period.start.year)
    return f"{period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}"
