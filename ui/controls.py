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
from metrics.period import Period, PeriodError, month_to_date, parse_period

MAX_PARAM_LENGTH = 64


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    if value is None:
        return None
    return str(value)[: MAX_PARAM_LENGTH * 4]


def _warn(name: str, value: str, lang: str) -> None:
    shown = value[:MAX_PARAM_LENGTH].encode("unicode_escape").decode("ascii")
    st.warning(t("bad_param", lang, name=name, value=shown), icon="⚠️")


def period_param(now: dt.datetime, lang: str, name: str = "period") -> Period:
    """The period in the URL (``2026-10``, ``2026-Q3``, ``2026``, ``A..B``; default: month to date)."""
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
    return period


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
