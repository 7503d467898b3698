"""Tổng quan: the wall's live overview of the province.

Big tiles for the headline metrics of the month to date (each with its target and the change
against the same days of the month before; dossiers received today against yesterday at the same
time), a banner naming each unit past an alarm rule (``metrics/alarm_rules.csv``),
today's intake by hour (on the wall: every unit of the level below the province, worst first),
the longest-overdue open dossiers by agency and procedure (counts and
working days late; never a dossier code or a person), the dossiers due soon and where the month
will end (issue 25; on the wall as two tiles and two one-line strips, ``ui.overview_tiles``). The
whole screen redraws itself every refresh interval (``ui.live``), and keeps the last figures
when the database stops answering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

import settings
from i18n.catalogue import t
from i18n.format import fmt_int, fmt_pct, fmt_value
from metrics.compute import compute
from metrics.registry import get_metric
from metrics.tables import unit_metrics, with_desk_counts
from metrics.wall import alarmed_measures, evaluate_alarms
from timebase.period import Period, month_to_date
from ui import (
    chrome,
    data,
    due_soon_data,
    due_soon_views,
    kiosk,
    live,
    outlook_data,
    outlook_views,
    overview_tiles,
    wall_data,
    wall_units,
    wall_widgets,
)

#: Rows of the overdue list on the wall (under the tiles, beside the units), with no alarm banner;
#: each banner line takes one, down to one (the due-soon and month-end strips sit under the list).
OVERDUE_ROWS_WALL = 4


def render() -> None:
    """Draw the overview: a static style, then the live part."""
    lang = chrome.lang()
    st.html(chrome.STYLE + wall_widgets.STYLE)  # style only: goes to the event container, takes no space
    live.section(_live_overview, lang, kiosk.is_on())


def _province_row(frame: pd.DataFrame) -> pd.Series:
    return unit_metrics(frame, rules=chrome.score_rules()).iloc[0] if len(frame) else pd.Series(dtype=object)


def _optional(fetch: Callable[[], data.Fetched]) -> data.Fetched | None:
    """A section's data, or None (the section says so) when there is none to show yet."""
    try:
        return fetch()
    except data.DataUnavailable:
        return None


@dataclass(frozen=True)
class _Figures:
    """Everything the overview shows, fetched before anything is drawn."""

    meta: data.Fetched
    targets: data.Fetched
    current: data.Fetched
    previous: data.Fetched
    today: data.Fetched | None
    yesterday: data.Fetched | None
    overdue: data.Fetched | None
    level: str | None  # the first level below the province in the period (None: there is none)
    units: data.Fetched | None  # that level's unit counters
    due_soon: data.Fetched | None = None  # on the wall: by agency (ui.due_soon_data)

    def all(self) -> list[data.Fetched]:
        """The fetched parts that exist (for the "updated at" line)."""
        parts = (
            self.meta,
            self.targets,
            self.current,
            self.previous,
            self.today,
            self.yesterday,
            self.overdue,
            self.units,
            self.due_soon,
        )
        return [f for f in parts if f is not None]


def _fetch(as_of: dt.datetime, period: Period) -> _Figures:
    """Raises data.DataUnavailable when the headline figures cannot be had at all."""
    yesterday = as_of - dt.timedelta(days=1)
    meta, targets = data.database_meta(), data.targets()  # cached for long: no thread needed
    level = next((lvl for lvl in _levels(period) if lvl != "province"), None)
    wall = kiosk.is_on()
    rows = OVERDUE_ROWS_WALL if wall else wall_data.OVERDUE_ROWS
    current, previous, overdue, today, before, units, due_soon, *_ = data.together(
        lambda: data.unit_counters("province", period),
        lambda: data.unit_counters("province", period.previous()),
        lambda: _optional(lambda: wall_data.overdue_list(as_of, rows)),
        lambda: _optional(lambda: wall_data.intake_by_hour(as_of.date(), as_of)),
        lambda: _optional(lambda: wall_data.intake_by_hour(yesterday.date(), yesterday)),
        lambda: None if level is None else _optional(lambda: data.unit_counters(level, period)),
        lambda: _optional(lambda: due_soon_data.due_soon_agencies(as_of)) if wall else None,
        # The month-end reads, fetched here at once with the rest; the wall's tile and strip
        # then find them in the cache (ui.outlook_views reads them by the same arguments).
        lambda: _optional(lambda: outlook_data.open_due("province", period)) if wall else None,
        lambda: _optional(lambda: outlook_data.open_due(level, period)) if wall and level else None,
    )
    return _Figures(meta, targets, current, previous, today, before, overdue, level, units, due_soon)


def _levels(period: Period) -> list[str]:
    try:
        return list(data.levels(period).value)
    except data.DataUnavailable:
        return []


def _live_overview(lang: str, on_wall: bool) -> None:
    as_of = data.live_as_of()
    period = month_to_date(as_of)
    try:
        figures = _fetch(as_of, period)
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    _header(figures, period, lang, on_wall)
    now_row, before_row = _province_row(figures.current.value), _province_row(figures.previous.value)
    if figures.today is not None:
        now_row["received_today"] = int(figures.today.value["received"].sum())
    if figures.yesterday is not None:
        before_row["received_today"] = int(figures.yesterday.value["received"].sum())
    targets = figures.targets.value
    units = compute(figures.units.value) if figures.units is not None else None
    frames = {"province": pd.DataFrame([now_row])} | ({figures.level: units} if units is not None else {})
    minimum = int(settings.get("IOC_MIN_DOSSIERS"))
    alarms = evaluate_alarms(frames, targets, period.end.year, minimum)
    wall_widgets.alarm_banner(alarms, lang)
    # The banner takes the room of a board row per line, and one for its box; beside the board,
    # the overdue list gives up a row per line, and the strips keep two lines each past two
    # banner lines, one past five.
    lines = wall_widgets.banner_lines(alarms, lang)
    banner = lines + 1 if alarms else 0
    wall_tiles = None
    if on_wall:  # issue 25: where the month will end and what falls due soon, as tiles
        wall_tiles = {
            "close_range": lambda: outlook_views.wall_tile(period, figures.current.value, targets, lang),
            "due_soon": lambda: due_soon_views.wall_tile(figures.due_soon, lang),
        }
    alarmed = alarmed_measures(alarms)
    overview_tiles.tiles(now_row, before_row, targets, period.end.year, alarmed, lang, wall_tiles)
    left, right = st.columns([5, 4], gap="medium" if on_wall else "large")
    with left:
        if on_wall and units is not None and figures.level is not None:
            rows = max(wall_units.BOARD_ROWS - banner, 3)
            wall_units.unit_board(units, figures.level, targets, period.end.year, minimum, lang, rows)
        else:
            wall_widgets.intake_strip(figures.today, figures.yesterday, lang)
    with right:
        overdue_rows = max(OVERDUE_ROWS_WALL - lines, 1) if on_wall else None
        wall_widgets.overdue_list(figures.overdue, as_of, lang, on_wall, overdue_rows)
        if on_wall:  # one line each under the list: the agencies due soon, the units at risk
            strip = 3 if lines <= 2 else 2 if lines <= 5 else 1
            due_soon_views.wall_strip(figures.due_soon, lang, strip)
            counters = figures.units.value if figures.units is not None else None
            outlook_views.wall_risk_strip(period, counters, figures.level, targets, lang, strip)
        else:
            due_soon_views.section(as_of, lang)  # issue 25: what is about to go wrong, beside it
    if not on_wall:
        outlook_views.overview_section(period, figures.current.value, targets, lang)  # month end
        _unit_table(period, lang)


def _header(figures: _Figures, period: Period, lang: str, on_wall: bool) -> None:
    """Title on the left; sample label, period and "updated at" on the right (one line on the wall)."""
    title, side = st.columns([5, 8] if on_wall else [3, 2], vertical_alignment="center")
    province = figures.meta.value.get("province_name", "")
    title.title(f"{t('nav_overview', lang)} — {t('province', lang, name=province)}")
    with side, st.container(key="wall-head-side"):
        chrome.sample_label(figures.meta.value, lang)
        mtd = t("period_mtd", lang, month=period.start.month, year=period.start.year, day=period.end.day)
        st.markdown(f"**{mtd}** · {t('vs_previous', lang)}")
        live.freshness(figures.all(), lang)


def _unit_table(period: Period, lang: str) -> None:
    try:
        below = [lvl for lvl in data.levels(period).value if lvl != "province"]
        if not below:
            return
        level = below[0]
        fetched = data.unit_counters(level, period)
        desks = data.desk_counts(level, period).value
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    counters = with_desk_counts(fetched.value, desks)  # intake by place beside what each unit handles
    table = unit_metrics(
        counters, int(settings.get("IOC_MIN_DOSSIERS")), rules=chrome.score_rules()
    ).sort_values(["rank", "unit_code"], na_position="last")
    shown = pd.DataFrame(
        {
            t("rank", lang): table["rank"],
            t("unit", lang): table["unit_name"],
            get_metric("received").label(lang): table["received"].map(lambda v: fmt_int(v, lang)),
            get_metric("desk_received").label(lang): table["desk_received"].map(lambda v: fmt_int(v, lang)),
            **{
                get_metric(name).label(lang): table[name].map(lambda v: fmt_pct(v, lang=lang))
                for name in ("on_time_rate", "online_share", "satisfaction_rate")
            },
            t("score_766", lang): table["score_766"].map(lambda v: fmt_value(v, "points", lang)),
        }
    )
    st.subheader(t("by_level", lang, level=t(f"level_{level}", lang).lower()))
    st.dataframe(shown, hide_index=True, width="stretch", key="overview_units")
