"""Shared filters of the trend screens, kept in the URL and carried across them.

``?level=district&unit=689&period=12m&field=Đất đai&month=202405``: the level whose units are
compared, the unit whose trend is drawn (none = the province), the period (``12m``, ``24m``,
``all`` from the first month with data, or any ``ui.controls`` period such as ``2026``,
``2026-Q3`` or ``2019-01-01..2026-11-23``), the procedure field, and the month a chart click
picked. Every value is checked against the data before it reaches a query (``ui.controls``); a bad
one gets a clear message and the default. Widgets and chart clicks write their value back to the
URL, so a view is a link, and the links to the other trend screens carry the same filters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import streamlit as st

from i18n.catalogue import t
from metrics.trends import month_key, month_periods
from timebase.period import Period, PeriodError, last_months, make_period, parse_period
from ui import controls, data, trend_data

PRESETS = ("12m", "24m", "all")
DEFAULT_PERIOD = "12m"
#: The trend screens: (url path, title key, icon); the links between them carry these filters.
#: Material icons ship with Streamlit; the wall's browser has no emoji font.
SCREENS = (
    ("satisfaction", "nav_satisfaction", ":material/sentiment_satisfied:"),
    ("online", "nav_online", ":material/public:"),
    ("feedback", "nav_feedback", ":material/forum:"),
    ("processing", "nav_processing", ":material/timer:"),
)
#: The parameters a link to another trend screen carries (the clicked month stays behind).
CARRIED = ("level", "unit", "period", "field", "lang")


@dataclass(frozen=True)
class TrendFilters:
    """The validated filters of a trend screen."""

    level: str
    unit_code: str | None
    province_code: str
    names: dict[str, str]
    period: Period
    period_key: str
    field: str | None
    month: int | None
    months: tuple[int, ...]

    @property
    def scope_code(self) -> str:
        """The unit whose figures the screen shows: the chosen unit, else the province."""
        return self.unit_code or self.province_code

    @property
    def scope_level(self) -> str:
        """The level of the scope unit."""
        return self.level if self.unit_code else "province"

    def name(self, code: str) -> str:
        """A unit's name from the data."""
        return self.names.get(code, code)

    @property
    def focus(self) -> Period:
        """The clicked month if any, else the whole period: what the breakdowns show."""
        if self.month is None:
            return self.period
        return next(p for p in month_periods(self.period) if month_key(p.start) == self.month)


def _period_from_key(key: str, now: dt.datetime, first: dt.date | None) -> Period:
    if key in ("12m", "24m"):
        return make_period(last_months(now, int(key[:2]))[0].start, now.date(), now)
    if key == "all":
        return make_period(min(first or now.date().replace(day=1), now.date()), now.date(), now)
    period = parse_period(key, now)
    if period.start > now.date():
        raise PeriodError("in the future")
    if ".." in key:  # a range of days: only the months the data and the calendar have
        return period.clipped(first, now.date(), now)
    # A year or quarter still running ends today: months after now have nothing to judge.
    return make_period(period.start, min(period.end, now.date()), now)


def _period_param(now: dt.datetime, first: dt.date | None, lang: str) -> tuple[Period, str]:
    raw = st.query_params.get("period")
    key = str(raw)[: controls.MAX_PARAM_LENGTH] if raw else DEFAULT_PERIOD
    try:
        period = _period_from_key(key, now, first)
    except PeriodError:
        _warn("period", key, lang)
        return _period_from_key(DEFAULT_PERIOD, now, first), DEFAULT_PERIOD
    if ".." in key and (period.start, period.end) != _days(parse_period(key, now)):
        controls.note_clipped(key, period, lang)
    return period, key


def _days(period: Period) -> tuple[dt.date, dt.date]:
    return period.start, period.end


_warn = controls.warn_bad_param


def _levels(period: Period) -> list[str]:
    """The levels below the province with a unit during ``period`` (the province if none)."""
    return [lvl for lvl in data.levels(period).value if lvl != "province"] or ["province"]


def read_filters(lang: str) -> TrendFilters:
    """The filters in the URL, validated against the data (raises ``data.DataUnavailable``)."""
    period, key = _period_param(trend_data.trend_now(), trend_data.first_month(), lang)
    # Only the levels and units that existed during the period (no district after 1/7/2025).
    levels = _levels(period)
    ever = data.levels().value
    level = controls.choice_param("level", levels, levels[0], lang, elsewhere=ever) or levels[0]
    province = trend_data.units("province", period)
    if province.empty:
        raise data.DataUnavailable(t("tr_no_province", lang))
    level_units = trend_data.units(level, period)
    names = dict(zip(province["code"], province["name"], strict=True))
    names.update(zip(level_units["code"], level_units["name"], strict=True))
    unit = controls.choice_param("unit", list(level_units["code"]), None, lang)
    field_value = controls.choice_param("field", trend_data.fields(), None, lang)
    months = [month_key(p.start) for p in month_periods(period)]
    picked = controls.choice_param("month", [str(m) for m in months], None, lang)
    return TrendFilters(
        level=level,
        unit_code=unit,
        province_code=str(province["code"].iloc[0]),
        names=names,
        period=period,
        period_key=key,
        field=field_value,
        month=int(picked) if picked else None,
        months=tuple(months),
    )


def _to_url(widget_key: str, param: str, clears: tuple[str, ...]) -> None:
    """Widget callback: write the widget's value into the URL ("" removes the parameter)."""
    value = st.session_state.get(widget_key)
    controls.set_params(**{param: value or None}, **dict.fromkeys(clears))


def _select(
    col: Any,
    label: str,
    param: str,
    options: list[str],
    current: str,
    fmt: Callable[[str], str],
    clears: tuple[str, ...] = (),
) -> None:
    key = f"trend_{param}"
    # The URL is the truth: a link or a chart click may have changed it since the last run.
    st.session_state[key] = current
    col.selectbox(
        label, options, key=key, format_func=fmt, on_change=_to_url, args=(key, param, ("month", *clears))
    )


def _period_options(f: TrendFilters, lang: str) -> tuple[list[str], Callable[[str], str]]:
    first = trend_data.first_month() or f.period.start
    years = [str(y) for y in range(trend_data.trend_now().year, first.year - 1, -1)]
    options = [*PRESETS, *years]
    if f.period_key not in options:
        options.append(f.period_key)

    def label(key: str) -> str:
        if key in PRESETS:
            return t(f"tr_period_{key}", lang, first=f"{first:%m/%Y}")
        if key in years:
            return t("tr_period_year", lang, year=key)
        return controls.period_label(f.period, lang)

    return options, label


def filter_bar(f: TrendFilters, lang: str) -> None:
    """The four filter widgets, each writing its value back to the URL."""
    cols = st.columns(4)
    levels = _levels(f.period)
    _select(
        cols[0],
        t("tr_filter_level", lang),
        "level",
        levels,
        f.level,
        lambda v: t(f"level_{v}", lang),
        ("unit",),
    )
    units = ["", *trend_data.units(f.level, f.period)["code"]]
    _select(
        cols[1],
        t("tr_filter_unit", lang),
        "unit",
        units,
        f.unit_code or "",
        lambda v: f.name(v) if v else t("tr_whole_province", lang, name=f.name(f.province_code)),
    )
    options, label = _period_options(f, lang)
    _select(cols[2], t("tr_filter_period", lang), "period", options, f.period_key, label)
    fields = ["", *trend_data.fields()]
    _select(
        cols[3],
        t("tr_filter_field", lang),
        "field",
        fields,
        f.field or "",
        lambda v: v or t("tr_all_fields", lang),
    )


def carried_params(f: TrendFilters) -> dict[str, str]:
    """The validated filters (and the language) to carry to another trend screen."""
    values = {
        "level": f.level,
        "unit": f.unit_code,
        "period": f.period_key,
        "field": f.field,
        "lang": st.query_params.get("lang"),
    }
    return {k: str(values[k]) for k in CARRIED if values[k]}


def screen_links(current: str, f: TrendFilters, lang: str) -> None:
    """Links to the other trend screens with the same filters."""
    cols = st.columns(len(SCREENS))
    params = carried_params(f)
    for col, (path, title, icon) in zip(cols, SCREENS, strict=True):
        if path == current:
            continue
        page = st.Page(_placeholder, title=t(title, lang), icon=icon, url_path=path)
        col.page_link(page, query_params=params)


def _placeholder() -> None:
    """Never run: st.page_link finds a registered page by its url path (its script hash)."""


def pick_to_url(chart_key: str, selection: str, column: str, param: str) -> Callable[[], None]:
    """An ``on_select`` callback: the clicked ``column`` value of selection ``selection`` goes to
    the URL parameter ``param`` (a click on empty space removes it)."""
    return partial(_pick, chart_key, selection, column, param)


def picked_value(state: Any, selection: str, column: str) -> str | None:
    """The ``column`` value of the first point of selection ``selection`` in a chart's event
    state (``{"selection": {"pick_month": [{"month": 202005}]}}``), or None when nothing is
    picked."""
    points = ((state or {}).get("selection") or {}).get(selection) or []
    first = points[0] if isinstance(points, list) and points else None
    value = first.get(column) if isinstance(first, dict) else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Vega sends numbers as JSON floats: 202005.0 is month 202005
    return None if value is None else str(value)


def _pick(chart_key: str, selection: str, column: str, param: str) -> None:
    controls.set_params(**{param: picked_value(st.session_state.get(chart_key), selection, column)})


def spinner_text(f: TrendFilters, lang: str) -> str:
    """What the screen says while a long monthly series is computed."""
    return t("tr_computing", lang, months=len(f.months))
