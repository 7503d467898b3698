"""Đơn vị của tôi: one unit (or agency) — where it ranks in every ranking of its level, its gap
to each target and to the leader, its score breakdown, its trend, and what pulls it down.

Every view is a URL: ``?unit=692&period=2026-10&metric=on_time_rate&months=24``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import settings
from i18n.catalogue import t
from i18n.format import fmt_int, fmt_number, fmt_pct
from metrics import shortfall, standing
from metrics.registry import get_metric, parts
from metrics.targets import target_for
from ui import access, chrome, data, due_soon_views, ranking_data
from ui.controls import choice_param
from ui.markup import tmd
from ui.my_unit_views import LISTS, positions_frame, show_parts, trend_chart, trend_frame
from ui.ranking_controls import period_picker, period_title, url_select
from ui.ranking_views import level_label, metric_label, ranking_frame, show_breakdown, show_ranking

TREND_MONTHS = ("12", "18", "24")
PART_ROWS = 10


def _minimum() -> int:
    return int(settings.get("IOC_MIN_DOSSIERS"))


def _pick(known: pd.DataFrame, viewer: access.Viewer, lang: str) -> str | None:
    codes = list(known["code"])
    names = dict(zip(known["code"], known["name"], strict=True))
    chosen = choice_param("unit", codes, viewer.unit_code, lang)
    return url_select(
        t("mu_pick", lang),
        codes,
        chosen,
        key="mu_unit",
        param="unit",
        format_func=lambda c: f"{names.get(c, c)} ({c})",
        placeholder=t("mu_pick_placeholder", lang),
    )


def render() -> None:
    """Draw my unit."""
    lang = chrome.lang()
    st.markdown(chrome.STYLE, unsafe_allow_html=True)
    viewer = access.gate(lang)
    if viewer is None:
        return
    now = data.live_as_of()
    header = st.container()  # the title goes above the controls it depends on
    picker = st.container()  # the unit picker offers the units of the period chosen below it
    period, text = period_picker(now, lang, "mu")
    try:
        meta = data.database_meta().value
        targets = data.targets().value
        known = ranking_data.subjects(period).value
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    with picker:
        code = _pick(known, viewer, lang)
    by = url_select(
        t("rk_metric", lang),
        standing.RANKABLE,
        choice_param("metric", standing.RANKABLE, standing.SCORE, lang),
        key="mu_metric",
        param="metric",
        default=standing.SCORE,
        format_func=lambda v: metric_label(v, lang),
    )
    subject = known[known["code"] == code].iloc[0] if code is not None else None
    with header:
        st.title(t("nav_my_unit", lang) if subject is None else tmd("mu_title", lang, unit=subject["name"]))
        chrome.sample_label(meta, lang)
        st.subheader(period_title(period, text, lang))
    if subject is None:
        st.info(t("mu_choose", lang))
        return
    _body(subject, known, viewer, period, by, targets, now, lang)


def _body(
    subject: pd.Series,
    known: pd.DataFrame,
    viewer: access.Viewer,
    period: object,
    by: str,
    targets: pd.DataFrame,
    now: object,
    lang: str,
) -> None:
    level, code = str(subject["level"]), str(subject["code"])
    try:
        current = ranking_data.level_metrics(level, period)  # type: ignore[arg-type]
        before = ranking_data.previous_level_metrics(level, period, current.value)  # type: ignore[arg-type]
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    board = current.value
    rules = chrome.score_rules()
    table = standing.ranking_table(board, before, by, _minimum(), rules)
    by_score = (
        table
        if by == standing.SCORE
        else standing.ranking_table(board, before, standing.SCORE, _minimum(), rules)
    )
    year = period.end.year  # type: ignore[attr-defined]
    mine = table[table["unit_code"] == code].iloc[0]
    _tiles(by_score, code, level, lang)
    if level != ranking_data.AGENCY:
        _desk_line(level, code, int(mine["received"]), period, lang)
    if len(table) > 1:
        st.subheader(t("mu_positions", lang))
        positions = standing.position(board, code, _minimum(), targets, year, level)
        st.dataframe(positions_frame(positions, lang), hide_index=True, width="stretch", key="mu_positions")
        st.subheader(
            t("mu_peers", lang, level=level_label(level, lang).lower(), metric=metric_label(by, lang).lower())
        )
        band = standing.band_column(table, by, targets, year, level)
        show_ranking(ranking_frame(table, band, by, code, lang), key="mu_peers", lang=lang)
    else:
        st.info(t("mu_only_unit", lang))
    try:
        official = data.official_scores(period).value  # type: ignore[arg-type]
    except data.DataUnavailable:
        official = pd.DataFrame({"unit_code": [], "group": [], "points": []})
    mine_official = official[official["unit_code"] == code]
    show_breakdown(mine, str(subject["name"]), lang, key="mu_breakdown", official=mine_official)
    _trend(level, code, by, targets, now, lang)
    _pulls_down(subject, known, viewer, mine, period, lang)
    due_soon_views.section(now, lang, level, code)  # type: ignore[arg-type]
    chrome.freshness(current.fetched_at, current.error, lang)


def _tiles(by_score: pd.DataFrame, code: str, level: str, lang: str) -> None:
    me = by_score[by_score["unit_code"] == code].iloc[0]
    cols = st.columns(3)
    if me["small"] or pd.isna(me["rank"]):
        rank_text, delta = t("small_unit", lang) if me["small"] else t("mu_unranked", lang), None
    else:
        rank_text = t("mu_rank_value", lang, rank=int(me["rank"]), n=int(me["ranked_n"]))
        delta = None if pd.isna(me["rank_change"]) else int(me["rank_change"])
    cols[0].metric(
        t("mu_rank_tile", lang, level=level_label(level, lang).lower()), rank_text, delta=delta, border=True
    )
    rules = chrome.score_rules()
    top = fmt_int(rules.measured_max, lang)
    cols[1].metric(
        t("score_766", lang),
        f"{fmt_number(me[standing.SCORE], 1, lang)} / {top}",
        help=t("score_766_help", lang, max=top, rules=t(f"rules_{rules.name}", lang)),
        border=True,
    )
    cols[2].metric(
        get_metric("on_time_rate").label(lang), fmt_pct(me["on_time_rate"], lang=lang), border=True
    )


def _desk_line(level: str, code: str, received: int, period: object, lang: str) -> None:
    """Where the unit's dossiers were received, and what its desks took in (rules.md "Attribution")."""
    try:
        desks = data.desk_counts(level, period).value  # type: ignore[arg-type]
    except data.DataUnavailable:
        return  # the figures above say the database is unavailable
    row = desks[desks["unit_code"] == code]
    taken = int(row["desk_received"].iloc[0]) if len(row) else 0
    outside = int(row["received_outside"].iloc[0]) if len(row) else 0
    share = fmt_pct(outside / received, lang=lang) if received else "—"
    text = t(
        "mu_desks",
        lang,
        desk=fmt_int(taken, lang),
        outside=fmt_int(outside, lang),
        received=fmt_int(received, lang),
        share=share,
    )
    st.caption(text)


def _trend(level: str, code: str, by: str, targets: pd.DataFrame, now: object, lang: str) -> None:
    count = url_select(
        t("mu_trend_months", lang),
        TREND_MONTHS,
        choice_param("months", TREND_MONTHS, "12", lang),
        key="mu_months",
        param="months",
        default="12",
    )
    kind = "agency" if level == ranking_data.AGENCY else "unit"
    try:
        months = ranking_data.subject_months(kind, code, int(count), now).value  # type: ignore[arg-type]
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    name = (
        by
        if by != standing.SCORE and get_metric(by).is_ratio and parts(get_metric(by)) <= set(months.columns)
        else "on_time_rate"
    )
    st.subheader(t("mu_trend", lang, months=count, metric=get_metric(name).label(lang).lower()))
    found = target_for(targets, get_metric(name).target_key, now.year, unit_code=code, level=level)  # type: ignore[attr-defined]
    target = found[0] if found else None
    frame = trend_frame(months, name, _minimum())
    st.altair_chart(trend_chart(frame, name, target, lang), width="stretch", key="mu_trend")
    if name != by:
        st.caption(t("mu_trend_score", lang))
    shown_target = fmt_pct(target, lang=lang) if target is not None else "—"
    st.caption(t("mu_trend_note", lang, min=fmt_int(_minimum(), lang), target=shown_target))


def _parts_of(subject: pd.Series, known: pd.DataFrame) -> list[str]:
    if subject["level"] == ranking_data.AGENCY:
        return ["field", "procedure"]
    children = known[(known["parent_code"] == subject["code"]) & (known["level"] != ranking_data.AGENCY)]
    return (["subunit"] if len(children) else []) + ["agency", "field", "procedure"]


def _pulls_down(
    subject: pd.Series, known: pd.DataFrame, viewer: access.Viewer, mine: pd.Series, period: object, lang: str
) -> None:
    st.subheader(tmd("mu_pulls_down", lang, unit=subject["name"]))
    parents = dict(zip(known["code"], known["parent_code"], strict=True))
    if not access.may_drill(viewer, str(subject["code"]), parents):
        st.info(tmd("acc_drill_hidden", lang, unit=viewer.unit_code or t("acc_no_unit", lang)))
        return
    frame = pd.DataFrame([mine])
    late = fmt_int(shortfall.shortfall(frame, "on_time_rate").iloc[0], lang)
    unsatisfied = fmt_int(shortfall.shortfall(frame, "satisfaction_rate").iloc[0], lang)
    st.caption(t("mu_pulls_note", lang, late=late, unsatisfied=unsatisfied))
    kinds = _parts_of(subject, known)
    kind = "agency" if subject["level"] == ranking_data.AGENCY else "unit"
    for tab, by in zip(st.tabs([t(f"mu_part_{k}", lang) for k in kinds]), kinds, strict=True):
        with tab:
            for i, (metric_name, *_rest) in enumerate(LISTS):
                order = "late" if metric_name == "on_time_rate" else "unsatisfied"
                try:
                    rows, cut = ranking_data.subject_parts(
                        kind,
                        str(subject["code"]),
                        period,
                        by,
                        order,
                        PART_ROWS,  # type: ignore[arg-type]
                    ).value
                except data.DataUnavailable as exc:
                    chrome.database_error(str(exc), lang)
                    return
                table = shortfall.shortfall_table(rows, mine, metric_name, _minimum())
                show_parts(table, cut and len(table) == PART_ROWS, i, lang, f"mu_{by}_{order}", _minimum())
