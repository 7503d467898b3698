"""What an export is asked for, checked against the data before any chart is drawn.

The Press room and ``cli.py export`` both build an :class:`ExportRequest` and call
:func:`resolve`; a bad chart, level, unit or metric raises :class:`ExportError` with a message
that says what is known (the period itself is checked by ``timebase.period.parse_period``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from exports.options import CHARTS, DEFAULT_METRIC, UNIT_CHARTS
from exports.source import Source
from i18n.catalogue import t
from metrics.registry import BY_NAME, Metric
from timebase.period import Period, month_period

#: A trend shows at most this many months (the last ones of a longer period).
MAX_TREND_MONTHS = 36


class ExportError(ValueError):
    """The request cannot be exported; the message says why and what is known."""


@dataclass(frozen=True)
class ExportRequest:
    """A chart, the period, and (as the chart needs) a level, a unit and a metric."""

    chart: str
    period: Period
    level: str | None = None
    unit: str | None = None
    metric: str = DEFAULT_METRIC
    lang: str = "vi"


@dataclass(frozen=True)
class Scope:
    """A request checked against the data: the level shown, the unit (if any) and the metric."""

    level: str
    unit_code: str | None
    unit_name: str | None
    metric: Metric


def default_level(levels: list[str]) -> str:
    """The first level below the province, or the province when there is nothing below."""
    below = [lvl for lvl in levels if lvl != "province"]
    return below[0] if below else levels[0]


def _find_unit(source: Source, levels: list[str], code: str, period: Period) -> tuple[str, str] | None:
    for level in levels:
        units = source.units(level, period)
        match = units[units["code"].astype(str) == code]
        if len(match):
            return level, str(match.iloc[0]["name"])
    return None


def resolve(request: ExportRequest, source: Source) -> Scope:
    """Check ``request`` against the data; raises :class:`ExportError` with a clear message."""
    lang = request.lang
    if request.chart not in CHARTS:
        raise ExportError(t("press_err_chart", lang, value=request.chart, known=", ".join(CHARTS)))
    if request.metric not in BY_NAME:
        raise ExportError(t("press_err_metric", lang, value=request.metric, known=", ".join(BY_NAME)))
    levels = source.levels(request.period)  # only what existed during the period
    if not levels or (request.level is not None and request.level not in levels):
        raise ExportError(t("press_err_level", lang, value=request.level, known=", ".join(levels) or "—"))
    metric = BY_NAME[request.metric]
    if request.chart in UNIT_CHARTS:
        code = request.unit or str(source.units(levels[0], request.period).iloc[0]["code"])
        search = [request.level] if request.level else levels
        found = _find_unit(source, search, code, request.period)
        if found is None:
            where = f" ({t(f'level_{request.level}', lang).lower()})" if request.level else ""
            raise ExportError(t("press_err_unit", lang, value=code, where=where))
        return Scope(found[0], code, found[1], metric)
    level = request.level or default_level(levels)
    if request.unit is None:
        return Scope(level, None, None, metric)
    found = _find_unit(source, [level], request.unit, request.period)
    if found is None:
        where = f" ({t(f'level_{level}', lang).lower()})"
        raise ExportError(t("press_err_unit", lang, value=request.unit, where=where))
    return Scope(level, request.unit, found[1], metric)


def period_kind(period: Period) -> str:
    """'month', 'quarter', 'year' (whole calendar ones, to date or not) or 'days'."""
    start, end = period.start, period.end
    last_day = calendar.monthrange(end.year, end.month)[1]
    if start.day != 1 or end.day != last_day or start.year != end.year:
        return "days"
    months = end.month - start.month + 1
    if months == 1:
        return "month"
    if months == 3 and start.month % 3 == 1:
        return "quarter"
    return "year" if months == 12 else "days"


def month_text(year: int, month: int, lang: str) -> str:
    """'tháng 10/2026' (vi) or '10/2026' (en)."""
    return t("press_month", lang, month=month, year=year)


def period_text(period: Period, lang: str) -> str:
    """How a period reads inside a title: 'tháng 10/2026', 'quý 3/2026', 'năm 2026',
    '01/10/2026–15/10/2026', with '(đến 23/11)' when it is judged before its last day ends.
    """
    start, end, kind = period.start, period.end, period_kind(period)
    if kind == "month":
        text = month_text(start.year, start.month, lang)
    elif kind == "quarter":
        text = t("press_quarter", lang, quarter=(start.month - 1) // 3 + 1, year=start.year)
    elif kind == "year":
        text = t("press_year", lang, year=start.year)
    else:
        text = f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"
    live = period.as_of < dt.datetime.combine(end, dt.time(23, 59, 59))
    if kind == "days" and live and start.day == 1 and (start.year, start.month) == (end.year, end.month):
        text = month_text(start.year, start.month, lang)  # the month to date, as the wall shows it
    if live:
        text = t("press_to_date", lang, period=text, day=f"{period.as_of:%d/%m}")
    return text


def trend_months(period: Period) -> list[Period]:
    """The months a trend shows: the 12 months ending with a one-month period, else the months
    the period touches (at most :data:`MAX_TREND_MONTHS`, the latest); each judged no later
    than the period itself.
    """
    if (period.start.year, period.start.month) == (period.end.year, period.end.month):
        first = pd.Timestamp(period.start.replace(day=1)) - pd.DateOffset(months=11)
    else:
        first = pd.Timestamp(period.start.replace(day=1))
    last = min(period.end, period.as_of.date())  # a year to date stops at this month
    stamps = pd.date_range(first, pd.Timestamp(last), freq="MS")[-MAX_TREND_MONTHS:]
    return [month_period(s.year, s.month, period.as_of) for s in stamps]


def period_token(period: Period) -> str:
    """The period in a file name: '2026-10', '2026-Q3', '2026' or '20261001-20261015'."""
    kind, start = period_kind(period), period.start
    if kind == "month":
        return f"{start:%Y-%m}"
    if kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if kind == "year":
        return str(start.year)
    return f"{start:%Y%m%d}-{period.end:%Y%m%d}"


def file_stem(request: ExportRequest, scope: Scope) -> str:
    """An ASCII file name without extension: chart, unit or level, metric, period."""
    where = scope.unit_code if request.chart in UNIT_CHARTS else scope.level
    what = "" if request.chart in ("headline", "channels", "score") else f"_{scope.metric.name}"
    return f"{request.chart}_{where}{what}_{period_token(request.period)}"
