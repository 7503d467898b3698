"""Thời gian giải quyết: average working days taken against the legal limit, month by month, by
field and by procedure, and the share of time saved ("40% shorter than the rule", as Bình Phước
reports) (docs/rules.md §4; Decree 61/2018/NĐ-CP: limits in working days)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_int, fmt_number, fmt_pct
from metrics.trends import monthly_rates, processing_summary
from ui import chrome, data, trend_charts, trend_data, trend_page
from ui.trend_controls import TrendFilters

SCREEN = "processing"


def render() -> None:
    """Draw the processing-time screen."""
    lang = chrome.lang()
    opened = trend_page.open_screen(SCREEN, "nav_processing", lang)
    if opened is None:
        return
    f = opened[1]
    try:
        series, fetched = trend_page.monthly_series(f, lang)
        _tiles(trend_page.scope_total(f, f.focus), lang)
        left, right = st.columns(2)
        with left:
            _days_against_limit(f, trend_page.scope_rows(series, f), lang)
        with right:
            trend_page.trend_block(f, series, "time_saved_share", lang, key="proc_saved")
        left, right = st.columns(2)
        with left:
            _by_field(f, lang)
        with right:
            _units(f, lang)
        _procedures(f, lang)
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    trend_page.freshness(fetched, lang)


def _tiles(total: pd.DataFrame, lang: str) -> None:
    row = processing_summary(total).iloc[0] if "processing_n" in total.columns else pd.Series(dtype=object)
    saved = row.get("time_saved_share")
    trend_page.tiles(
        [
            (t("tr_proc_avg_days", lang), fmt_number(row.get("avg_processing_days"), 1, lang), None),
            (t("tr_proc_avg_limit", lang), fmt_number(row.get("avg_limit_days"), 1, lang), None),
            (t("tr_proc_saved", lang), fmt_pct(saved, lang=lang), t("tr_proc_saved_help", lang)),
            (t("tr_proc_finished", lang), fmt_int(row.get("processing_n", 0), lang), None),
        ]
    )
    if saved is not None and not pd.isna(saved) and saved > 0:
        st.success(t("tr_proc_shorter", lang, share=fmt_pct(saved, decimals=0, lang=lang)))


def _days_against_limit(f: TrendFilters, rows: pd.DataFrame, lang: str) -> None:
    monthly = processing_summary(monthly_rates(rows, ["avg_processing_days"], f.months))
    used = monthly[["month", "avg_processing_days"]].rename(columns={"avg_processing_days": "value"})
    allowed = monthly[["month", "avg_limit_days"]].rename(columns={"avg_limit_days": "value"})
    points = trend_charts.series_points(
        {t("tr_proc_used", lang): used, t("tr_proc_allowed", lang): allowed}, "value", "days", lang
    )
    chart = trend_charts.trend_chart(
        points,
        title=t("tr_proc_days_by_month", lang),
        y_title=t("tr_working_days", lang),
        lang=lang,
        kind="days",
    )
    trend_page.show(chart, "proc_days", "pick_month", "month", "month")


def _by_field(f: TrendFilters, lang: str) -> None:
    rows = trend_data.counts(f.scope_level, f.focus)
    rows = rows[rows["unit_code"] == f.scope_code]
    per = rows.groupby("field", as_index=False)[["processing_n", "processing_days", "limit_days"]].sum()
    per = processing_summary(per[per["processing_n"] > 0])
    bars = pd.DataFrame(
        {
            "key": per["field"],
            "label": per["field"],
            "value": [float(v) for v in per["avg_processing_days"]],
            "text": [
                t("tr_proc_days_of", lang, used=fmt_number(u, 1, lang), limit=fmt_number(a, 1, lang))
                for u, a in zip(per["avg_processing_days"], per["avg_limit_days"], strict=True)
            ],
            "target": [float(v) for v in per["avg_limit_days"]],
            "target_text": [
                t("tr_proc_limit_is", lang, days=fmt_number(v, 1, lang)) for v in per["avg_limit_days"]
            ],
        }
    )
    chart = trend_charts.bar_chart(
        bars,
        title=t("tr_proc_by_field", lang),
        x_title=t("tr_working_days", lang),
        lang=lang,
        kind="days",
        pick="pick_field",
        chosen=f.field,
    )
    trend_page.show(chart, "proc_fields", "pick_field", "key", "field")


def _units(f: TrendFilters, lang: str) -> None:
    bars = trend_page.unit_rows(f, trend_page.per_unit(f, f.focus), "time_saved_share", "pct", lang)
    chart = trend_charts.bar_chart(
        bars,
        title=t("tr_by_unit", lang, metric=t("tr_proc_saved", lang), level=t(f"level_{f.level}", lang)),
        x_title=t("tr_proc_saved", lang),
        lang=lang,
        pick="pick_unit",
        chosen=f.unit_code,
    )
    trend_page.show(chart, "proc_units", "pick_unit", "key", "unit")


def _procedures(f: TrendFilters, lang: str) -> None:
    st.subheader(t("tr_proc_by_procedure", lang))
    frame, cut = trend_data.listing("procedure", f.scope_code, f.focus, f.field)
    if frame.empty:
        st.caption(t("no_data", lang))
        return
    table = processing_summary(frame)
    shown = pd.DataFrame(
        {
            t("tr_col_procedure", lang): table["name"],
            t("tr_proc_finished", lang): [fmt_int(v, lang) for v in table["processing_n"]],
            t("tr_proc_avg_days", lang): [fmt_number(v, 1, lang) for v in table["avg_processing_days"]],
            t("tr_proc_legal_limit", lang): [fmt_number(v, 1, lang) for v in table["time_limit_days"]],
            t("tr_proc_saved", lang): [fmt_pct(v, lang=lang) for v in table["time_saved_share"]],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="proc_list")
    trend_page.listing_note(cut, len(frame), lang)
