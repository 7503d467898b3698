"""Phản ánh kiến nghị: citizen feedback received, handled on time (15 working days), handled late
and still open past its due date, month by month, by category and by unit (a map layer of the
units), with the satisfaction of the answers (docs/rules.md §10)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import settings
from i18n.catalogue import t
from i18n.format import fmt_int, fmt_pct
from metrics.compute import compute, rollup
from metrics.registry import get_metric
from metrics.trends import FEEDBACK_PARTS, counters_of, feedback_partition
from ui import chrome, controls, data, map_layers, trend_charts, trend_data, trend_page
from ui.trend_controls import TrendFilters

SCREEN = "feedback"
RATES = ("feedback_on_time_rate", "feedback_satisfaction")
#: The map's canvas: its column at a 1366 px screen is 445 px wide (the view is fitted to it).
MAP_HEIGHT, MAP_WIDTH = 380, 430


def render() -> None:
    """Draw the feedback screen."""
    lang = chrome.lang()
    opened = trend_page.open_screen(SCREEN, "nav_feedback", lang)
    if opened is None:
        return
    f = opened[1]
    try:
        targets = data.targets().value
        fetched = trend_data.feedback("province", f.period)
        level_rows = trend_data.feedback(f.level, f.period).value
        all_rows = pd.concat([fetched.value, level_rows], ignore_index=True)
        categories = sorted(all_rows["category"].unique()) if len(all_rows) else []
        category = controls.choice_param("category", categories, None, lang)
        if f.field:
            st.caption(t("tr_fb_no_field", lang))
        series = _series(f, fetched.value, level_rows, category)
        scope = series[f.name(f.scope_code)]
        _tiles(_in_focus(f, scope), lang)
        _partition_chart(f, scope, lang)
        left, right = st.columns(2)
        with left:
            trend_page.trend_block(f, series, "feedback_on_time_rate", lang, key="fb_trend", targets=targets)
        with right:
            trend_page.trend_block(
                f, series, "feedback_satisfaction", lang, key="fb_answers", targets=targets
            )
        left, right = st.columns(2)
        with left:
            _categories(f, _in_focus(f, _only(f, fetched.value, level_rows, None)), category, lang)
        with right:
            _units(f, level_rows, category, targets, lang)
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    trend_page.freshness(fetched, lang)


def _only(f: TrendFilters, province: pd.DataFrame, level: pd.DataFrame, category: str | None) -> pd.DataFrame:
    rows = level[level["unit_code"] == f.unit_code] if f.unit_code else province
    return rows[rows["category"] == category] if category else rows


def _series(
    f: TrendFilters, province: pd.DataFrame, level: pd.DataFrame, category: str | None
) -> dict[str, pd.DataFrame]:
    rows = province[province["category"] == category] if category else province
    series = {f.name(f.province_code): rows}
    if f.unit_code:
        series[f.name(f.unit_code)] = _only(f, province, level, category)
    return series


def _in_focus(f: TrendFilters, rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["month"] == f.month] if f.month else rows


def _tiles(rows: pd.DataFrame, lang: str) -> None:
    summed = rollup(rows, [], counters_of(rows, ("category",))) if len(rows) else pd.DataFrame([{}])
    row = compute(summed, [get_metric(n) for n in RATES]).iloc[0]
    parts = feedback_partition(row)
    trend_page.tiles(
        [
            (t("tr_fb_received", lang), fmt_int(parts["fb_received"], lang), None),
            (
                get_metric("feedback_on_time_rate").label(lang),
                fmt_pct(row.get("feedback_on_time_rate"), lang=lang),
                None,
            ),
            (
                t("tr_fb_open_overdue", lang),
                fmt_int(parts["fb_open_overdue"], lang),
                t("tr_fb_open_overdue_help", lang),
            ),
            (
                get_metric("feedback_satisfaction").label(lang),
                fmt_pct(row.get("feedback_satisfaction"), lang=lang),
                None,
            ),
        ]
    )


def _partition_chart(f: TrendFilters, rows: pd.DataFrame, lang: str) -> None:
    monthly = rollup(rows, ["month"], list(FEEDBACK_PARTS)) if len(rows) else pd.DataFrame(columns=["month"])
    bars = []
    for _, row in monthly.iterrows():
        for order, part in enumerate(FEEDBACK_PARTS):
            bars.append(
                {
                    "month": int(row["month"]),
                    "part": t(f"tr_{part}", lang),
                    "order": order,
                    "value": float(row[part]),
                    "text": fmt_int(row[part], lang),
                }
            )
    frame = pd.DataFrame(bars, columns=["month", "part", "order", "value", "text"])
    chart = trend_charts.stacked_chart(
        frame,
        title=t("tr_fb_by_month", lang),
        y_title=t("tr_fb_received", lang),
        lang=lang,
        colours=trend_charts.FEEDBACK_COLOURS,
        months=f.months,
    )
    trend_page.show(chart, "fb_months", "pick_month", "month", "month")


def _categories(f: TrendFilters, rows: pd.DataFrame, chosen: str | None, lang: str) -> None:
    per = rollup(rows, ["category"], counters_of(rows, ("category",))) if len(rows) else pd.DataFrame()
    if per.empty:
        st.caption(t("no_data", lang))
        return
    per = compute(per, [get_metric("feedback_on_time_rate")])
    bars = pd.DataFrame(
        {
            "key": per["category"],
            "label": per["category"],
            "value": per["fb_received"].astype(float),
            "text": [
                t("tr_fb_count_on_time", lang, n=fmt_int(n, lang), rate=fmt_pct(r, lang=lang))
                for n, r in zip(per["fb_received"], per["feedback_on_time_rate"], strict=True)
            ],
        }
    )
    chart = trend_charts.bar_chart(
        bars,
        title=t("tr_fb_by_category", lang),
        x_title=t("tr_fb_received", lang),
        lang=lang,
        kind="count",
        pick="pick_category",
        chosen=chosen,
    )
    trend_page.show(chart, "fb_categories", "pick_category", "key", "category")


def _units(
    f: TrendFilters, level_rows: pd.DataFrame, category: str | None, targets: pd.DataFrame, lang: str
) -> None:
    rows = _in_focus(f, level_rows[level_rows["category"] == category] if category else level_rows)
    per = (
        rollup(rows, ["unit_code"], counters_of(rows, ("category",)))
        if len(rows)
        else pd.DataFrame(columns=["unit_code"])
    )
    bars = trend_page.unit_rows(f, per, "feedback_on_time_rate", "pct", lang)
    goal = trend_page.target_value(targets, "feedback_on_time_rate", f)
    label = get_metric("feedback_on_time_rate").label(lang)
    chart = trend_charts.bar_chart(
        bars,
        title=t("tr_by_unit", lang, metric=label, level=t(f"level_{f.level}", lang)),
        x_title=label,
        lang=lang,
        pick="pick_unit",
        target=goal,
        chosen=f.unit_code,
    )
    trend_page.show(chart, "fb_units", "pick_unit", "key", "unit")
    _map(f, per, targets, lang)


def _map(f: TrendFilters, per: pd.DataFrame, targets: pd.DataFrame, lang: str) -> None:
    """The map engineer's unit map (ui.map_layers) at the unit seats, sized by feedback received
    instead of dossiers, coloured by the on-time rate against its target."""
    units = trend_data.units(f.level, f.period).rename(columns={"code": "unit_code", "name": "unit_name"})
    table = units.merge(per, on="unit_code", how="left")
    counters = [c for c in table.columns if c.startswith("fb_")]
    table[counters] = table[counters].fillna(0)
    metric = get_metric("feedback_on_time_rate")
    table = compute(table, [metric]) if counters else table.assign(**{metric.name: None})
    minimum = int(settings.get("IOC_MIN_DOSSIERS"))
    frame = map_layers.map_frame(
        table, metric, targets, f.period.end.year, f.level, lang, minimum, "map_few_label_fb"
    )
    received = table.get("fb_received", pd.Series(0, index=table.index)).astype(float)
    frame["volume"] = received.to_numpy()
    frame["volume_text"] = [fmt_int(v, lang) for v in received]
    frame["tip_volume"] = [t("tr_fb_map_volume", lang, n=fmt_int(v, lang)) for v in received]
    st.subheader(t("tr_fb_map", lang))
    deck = map_layers.build_deck(
        frame, view="seats", label_size_px=14, height_px=MAP_HEIGHT, width_px=MAP_WIDTH
    )
    st.pydeck_chart(deck, height=MAP_HEIGHT, key="fb_map")
    goal = trend_page.target_value(targets, metric.name, f)
    legend = map_layers.legend_entries(frame, metric, goal, lang, minimum)
    st.caption(
        " · ".join(f"{e.meaning} {e.values} ({e.count})" for e in legend) + " — " + t("tr_fb_map_note", lang)
    )
