"""Tổng quan: the wall's live overview of the province.

Big tiles for the headline metrics of the month to date (each with its target and the change
against the same days of the month before; dossiers received today against yesterday at the same
time), a banner naming each unit past an alarm rule (``metrics/alarm_rules.csv``),
today's intake by hour (on the wall: every unit of the level below the province, worst first),
and the longest-overdue open dossiers by agency and procedure (counts and
working days late; never a dossier code or a person). The whole screen redraws itself every
refresh interval (``ui.live``), and keeps the last figures when the database stops answering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

import settings
from i18n.catalogue import t
from i18n.format import fmt_int, fmt_pct, fmt_points, fmt_value
from metrics.compute import change, compute
from metrics.registry import get_metric
from metrics.tables import unit_metrics, with_desk_counts
from metrics.targets import target_for
from metrics.wall import ALARM_RULES, alarmed_measures, evaluate_alarms
from timebase.period import Period, month_to_date
from ui import chrome, data, due_soon_views, kiosk, live, outlook_views, wall_data, wall_units, wall_widgets
from ui.markup import md

#: Tiles in wall order: the "now" figures first, then the month's rates.
FIRST_ROW = ("on_time_rate", "overdue_in_progress", "received_today", "received", "score_766")
SECOND_ROW = ("on_time_rate_finished", "online_share", "online_payment_share", "satisfaction_rate")
#: Rows of the overdue list on the wall (under the tiles, beside the units).
OVERDUE_ROWS_WALL = 4
#: Counts whose change is neither good nor bad (more dossiers received is just more work).
NEUTRAL = frozenset({"received", "received_today"})


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
        )
        return [f for f in parts if f is not None]


def _fetch(as_of: dt.datetime, period: Period) -> _Figures:
    """Raises data.DataUnavailable when the headline figures cannot be had at all."""
    yesterday = as_of - dt.timedelta(days=1)
    meta, targets = data.database_meta(), data.targets()  # cached for long: no thread needed
    level = next((lvl for lvl in _levels(period) if lvl != "province"), None)
    rows = OVERDUE_ROWS_WALL if kiosk.is_on() else wall_data.OVERDUE_ROWS
    current, previous, overdue, today, before, units = data.together(
        lambda: data.unit_counters("province", period),
        lambda: data.unit_counters("province", period.previous()),
        lambda: _optional(lambda: wall_data.overdue_list(as_of, rows)),
        lambda: _optional(lambda: wall_data.intake_by_hour(as_of.date(), as_of)),
        lambda: _optional(lambda: wall_data.intake_by_hour(yesterday.date(), yesterday)),
        lambda: None if level is None else _optional(lambda: data.unit_counters(level, period)),
    )
    return _Figures(meta, targets, current, previous, today, before, overdue, level, units)


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
    _tiles(now_row, before_row, targets, period.end.year, alarmed_measures(alarms), lang)
    left, right = st.columns([5, 4], gap="medium" if on_wall else "large")
    with left:
        if on_wall and units is not None and figures.level is not None:
            # The banner takes the room of a board row per line, and one for its box.
            banner = len(wall_widgets.alarm_lines(alarms, lang)) + 1 if alarms else 0
            rows = max(wall_units.BOARD_ROWS - banner, 3)
            wall_units.unit_board(units, figures.level, targets, period.end.year, minimum, lang, rows)
        else:
            wall_widgets.intake_strip(figures.today, figures.yesterday, lang)
    with right:
        wall_widgets.overdue_list(figures.overdue, as_of, lang, on_wall)
        if not on_wall:  # the wall has no room for them yet at its type size (issue 23)
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


def _delta_text(delta: float | None, fmt: str, lang: str) -> str | None:
    if delta is None:
        return None
    if fmt == "pct":
        return fmt_points(delta, lang=lang)
    return ("+" if delta > 0 else "−" if delta < 0 else "±") + fmt_int(abs(delta), lang)


def _delta_look(delta: float | None, higher_is_better: bool | None) -> dict[str, str]:
    """Arrow and colour of a change: the arrow follows its sign, the colour says whether it is
    good (green) or bad (red); a count with no better direction stays grey. Set explicitly because
    Streamlit reads the sign from the text, and the Vietnamese minus sign (−) is not "-"."""
    if delta is None or delta == 0:
        return {"delta_arrow": "off", "delta_color": "gray"}
    good = None if higher_is_better is None else (delta > 0) == higher_is_better
    colour = {None: "gray", True: "green", False: "red"}[good]
    return {"delta_arrow": "up" if delta > 0 else "down", "delta_color": colour}


def _tiles(
    now: pd.Series, before: pd.Series, targets: pd.DataFrame, year: int, alarmed: set[str], lang: str
) -> None:
    # The overdue count's alarm is the overdue share of open dossiers (metrics/alarm_rules.csv).
    alarmed = alarmed | ({"overdue_in_progress"} if "overdue_share" in alarmed else set())
    for row in (FIRST_ROW, SECOND_ROW):
        for col, name in zip(st.columns(len(FIRST_ROW)), row, strict=False):
            with col:
                if name == "score_766":
                    _score_tile(now, lang)
                elif name == "received_today":
                    _received_today_tile(now, before, lang)
                else:
                    _metric_tile(name, now, before, targets, year, name in alarmed, lang)


def _metric_tile(
    name: str, now: pd.Series, before: pd.Series, targets: pd.DataFrame, year: int, alarm: bool, lang: str
) -> None:
    metric = get_metric(name)
    value = now.get(name)
    delta = change(value, before.get(name))
    found = target_for(targets, metric.target_key, year)
    help_text = t(f"help_{name}", lang) + (
        f"\n\n{t('target', lang, value=fmt_pct(found[0], lang=lang))} — {md(found[1])}" if found else ""
    )
    with st.container(border=True, key=f"wall-{'alarm' if alarm else 'tile'}-{name}"):
        st.metric(
            metric.label(lang),
            fmt_value(value, metric.fmt, lang),
            delta=_delta_text(delta, metric.fmt, lang),
            delta_description=_yardstick(name, found, lang),
            help=help_text,
            **_delta_look(delta, None if name in NEUTRAL else metric.higher_is_better),
        )


def _yardstick(name: str, found: tuple[float, str] | None, lang: str) -> str | None:
    """What a tile is judged against: its target, else its alarm threshold."""
    metric = get_metric(name)
    if found and metric.fmt == "pct":
        return t("target", lang, value=fmt_pct(found[0], lang=lang))
    if name == "overdue_in_progress":
        limit = next(
            (r.threshold for r in ALARM_RULES if r.measure == "overdue_share" and r.level == "province"), None
        )
        return None if limit is None else t("wall_overdue_limit", lang, value=fmt_pct(limit, 0, lang))
    return None


def _received_today_tile(now: pd.Series, before: pd.Series, lang: str) -> None:
    value = now.get("received_today")
    delta = change(value, before.get("received_today"))
    with st.container(border=True, key="wall-tile-received_today"):
        st.metric(
            t("wall_received_today", lang),
            fmt_int(value, lang),
            delta=_delta_text(delta, "count", lang),
            delta_description=t("wall_vs_yesterday", lang),
            **_delta_look(delta, None),
        )


def _score_tile(now: pd.Series, lang: str) -> None:
    rules = chrome.score_rules()
    top = fmt_int(rules.measured_max, lang)
    with st.container(border=True, key="wall-tile-score_766"):
        st.metric(
            t("score_766", lang),
            f"{fmt_value(now.get('score_766'), 'points', lang)} / {top}",
            help=t("score_766_help", lang, max=top, rules=t(f"rules_{rules.name}", lang)),
        )


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
