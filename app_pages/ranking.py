"""Xếp hạng: the units of one level ranked by the estimated 766 score or by any metric, with
shared ranks, the change against the previous period, each score group's points, the band
against the targets, and the score breakdown of a chosen unit.

Every view is a URL: ``?level=commune&metric=on_time_rate&period=2026-Q3&unit=25270``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import settings
from i18n.catalogue import t
from i18n.format import fmt_int
from metrics import score766, standing
from timebase.period import Period
from ui import access, chrome, data, kiosk, outlook_views, ranking_data
from ui.controls import choice_param
from ui.ranking_controls import period_from_url, period_picker, period_title, previous_title, url_select
from ui.ranking_views import level_label, metric_label, ranking_frame, show_breakdown, show_ranking
from ui.ranking_wall import show_wall_ranking


def ranking_levels(levels: list[str]) -> list[str]:
    """The levels a ranking can be of: those the data holds below the province, then agencies."""
    return [lvl for lvl in levels if lvl != "province"] + [ranking_data.AGENCY]


def _controls(levels: list[str], ever: list[str], lang: str) -> tuple[str, str]:
    level_now = choice_param("level", levels, levels[0], lang, elsewhere=ever)
    by_now = choice_param("metric", standing.RANKABLE, standing.SCORE, lang)
    left, right = st.columns(2)
    with left:
        level = url_select(
            t("rk_level", lang),
            levels,
            level_now,
            key="rk_level",
            param="level",
            default=levels[0],
            format_func=lambda v: level_label(v, lang),
        )
    with right:
        by = url_select(
            t("rk_metric", lang),
            standing.RANKABLE,
            by_now,
            key="rk_metric",
            param="metric",
            default=standing.SCORE,
            format_func=lambda v: metric_label(v, lang),
        )
    return level, by


def _table(level: str, by: str, period: Period, lang: str) -> tuple[pd.DataFrame, data.Fetched] | None:
    try:
        current = ranking_data.level_metrics(level, period)
        before = ranking_data.previous_level_metrics(level, period, current.value)
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return None
    minimum = int(settings.get("IOC_MIN_DOSSIERS"))
    table = standing.ranking_table(current.value, before, by, minimum, chrome.score_rules())
    official = _official(period)
    if by == standing.SCORE and len(official):
        table["official_766"] = table["unit_code"].map(score766.official_totals(official))
    return table, current


def _official(period: Period) -> pd.DataFrame:
    """The portal's published points for the period, or none (they are optional)."""
    try:
        return data.official_scores(period).value
    except data.DataUnavailable:
        return pd.DataFrame({"unit_code": [], "group": [], "points": []})


def _unit_param(known: pd.DataFrame, lang: str) -> str | None:
    codes = list(known["code"]) if len(known) else []
    return choice_param("unit", codes, None, lang)


def render() -> None:
    """Draw the ranking."""
    lang = chrome.lang()
    st.markdown(chrome.STYLE, unsafe_allow_html=True)
    if access.gate(lang) is None:
        return
    now = data.live_as_of()
    if kiosk.is_on():
        _render_wall(now, lang)
        return
    header = st.container()  # the title goes above the controls it depends on
    choices = st.container()  # level and metric, offered once the period is known
    period, text = period_picker(now, lang, "rk")
    try:
        meta = data.database_meta().value
        # Only the levels and units that existed during the period (no district after 1/7/2025).
        levels = ranking_levels(data.levels(period).value)
        ever = data.levels().value
        targets = data.targets().value
        known = ranking_data.subjects(period).value
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    with choices:
        level, by = _controls(levels, ever, lang)
    highlight = _unit_param(known, lang)
    with header:
        level_name = level_label(level, lang).lower()
        st.title(f"{t('rk_title', lang, level=level_name)} — {period_title(period, text, lang)}")
        chrome.sample_label(meta, lang)
    built = _table(level, by, period, lang)
    if built is None:
        return
    table, fetched = built
    if table.empty:
        st.info(t("rk_no_units", lang))
        return
    band = standing.band_column(table, by, targets, period.end.year, level)
    show_ranking(ranking_frame(table, band, by, highlight, lang), key="rk_table", lang=lang)
    _notes(by, period, text, lang)
    _breakdown(table, highlight, _official(period), lang)
    outlook_views.ranking_section(fetched.value, level, period, targets, lang)  # issue 25
    chrome.freshness(fetched.fetched_at, fetched.error, lang)


def _render_wall(now: dt.datetime, lang: str) -> None:
    """The wall's ranking: level, metric and period from the URL, the table large, no widget."""
    period, text, _ = period_from_url(now, lang)
    try:
        meta = data.database_meta().value
        levels = ranking_levels(data.levels(period).value)
        ever = data.levels().value
        targets = data.targets().value
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    level = choice_param("level", levels, levels[0], lang, elsewhere=ever) or levels[0]
    by = choice_param("metric", standing.RANKABLE, standing.SCORE, lang) or standing.SCORE
    title, side = st.columns([3, 1], vertical_alignment="bottom")
    title.title(
        f"{t('rk_title', lang, level=level_label(level, lang).lower())} — {period_title(period, text, lang)}"
    )
    built = _table(level, by, period, lang)
    if built is None:
        return
    table, fetched = built
    with side:
        chrome.sample_label(meta, lang)
        chrome.freshness(fetched.fetched_at, fetched.error, lang)
    if table.empty:
        st.info(t("rk_no_units", lang))
        return
    band = standing.band_column(table, by, targets, period.end.year, level)
    try:
        highlight = _unit_param(ranking_data.subjects(period).value, lang)
    except data.DataUnavailable:
        highlight = None
    close = outlook_views.wall_ranges(fetched.value, level, period, targets)  # issue 25: month end
    show_wall_ranking(table, band, by, highlight, lang, close)


def _notes(by: str, period: Period, text: str | None, lang: str) -> None:
    minimum = fmt_int(settings.get("IOC_MIN_DOSSIERS"), lang)
    st.caption(t("rk_ties_note", lang, previous=previous_title(period, text, lang), min=minimum))
    if by == standing.SCORE:
        st.caption(t("rk_score_note", lang, max=fmt_int(chrome.score_rules().measured_max, lang)))


def _breakdown(table: pd.DataFrame, highlight: str | None, official: pd.DataFrame, lang: str) -> None:
    codes = list(table["unit_code"])
    names = dict(zip(table["unit_code"], table["unit_name"], strict=True))
    chosen = url_select(
        t("rk_unit_pick", lang),
        codes,
        highlight,
        key="rk_unit",
        param="unit",
        format_func=lambda c: names.get(c, c),
        placeholder=t("mu_pick_placeholder", lang),
    )
    if chosen is not None:
        row = table[table["unit_code"] == chosen].iloc[0]
        mine = official[official["unit_code"] == chosen]
        show_breakdown(row, str(row["unit_name"]), lang, key="rk_breakdown", official=mine)
