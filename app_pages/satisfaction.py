"""Mức độ hài lòng: the satisfaction rate (and its 766 variant) month by month for the province
and a chosen unit against the targets (the general one, and the separate one for land,
construction and investment), by channel and by field, the distribution of ratings, and where
unsatisfied ratings concentrate (docs/rules.md §9)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_int, fmt_pct
from metrics.compute import compute, ratio
from metrics.registry import get_metric
from metrics.trends import rating_distribution
from ui import chrome, data, trend_charts, trend_data, trend_page
from ui.markup import md
from ui.trend_controls import TrendFilters
from ui.trend_page import CHANNEL_KEYS

SCREEN = "satisfaction"


def render() -> None:
    """Draw the satisfaction screen."""
    lang = chrome.lang()
    opened = trend_page.open_screen(SCREEN, "nav_satisfaction", lang)
    if opened is None:
        return
    f = opened[1]
    try:
        targets = data.targets().value
        series, fetched = trend_page.monthly_series(f, lang)
        total = trend_page.scope_total(f, f.focus)
        _tiles(f, total, targets, lang)
        left, right = st.columns(2)
        with left:
            trend_page.trend_block(f, series, "satisfaction_rate", lang, key="sat_trend", targets=targets)
        with right:
            trend_page.trend_block(f, series, "satisfaction_766", lang, key="sat_766", targets=targets)
        left, right = st.columns(2)
        with left:
            _by_channel(f, series, targets, lang)
        with right:
            _by_field(f, targets, lang)
        left, right = st.columns(2)
        with left:
            _distribution(total, lang)
        with right:
            _units(f, targets, lang)
        _most_unsatisfied(f, lang)
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    trend_page.freshness(fetched, lang)


def _tiles(f: TrendFilters, total: pd.DataFrame, targets: pd.DataFrame, lang: str) -> None:
    row = compute(total, [get_metric("satisfaction_rate"), get_metric("satisfaction_766")]).iloc[0]
    goal = trend_page.target_value(targets, "satisfaction_rate", f)
    goal_text = t("target", lang, value=fmt_pct(goal, lang=lang)) if goal is not None else None
    trend_page.tiles(
        [
            (
                get_metric("satisfaction_rate").label(lang),
                fmt_pct(row.get("satisfaction_rate"), lang=lang),
                goal_text,
            ),
            (
                get_metric("satisfaction_766").label(lang),
                fmt_pct(row.get("satisfaction_766"), lang=lang),
                goal_text,
            ),
            (t("tr_ratings", lang), fmt_int(row.get("rated", 0), lang), None),
            (t("tr_unsatisfied", lang), fmt_int(row.get("unsatisfied", 0), lang), None),
        ]
    )
    _targets_line(f, targets, goal, lang)


def _targets_line(f: TrendFilters, targets: pd.DataFrame, goal: float | None, lang: str) -> None:
    """The general target and the separate ones by field (land, construction, investment)."""
    rows = (
        targets[(targets["metric"] == "satisfaction_rate") & (targets["field"] != "")]
        if len(targets)
        else targets
    )
    by_field = []
    for name in sorted(set(rows["field"])) if len(rows) else []:
        value = trend_page.target_value(targets, "satisfaction_rate", f, field=name)
        if value is not None:
            by_field.append(f"{md(name)} {fmt_pct(value, lang=lang)}")
    if goal is not None or by_field:
        general = fmt_pct(goal, lang=lang)
        st.caption(
            t(
                "tr_sat_targets",
                lang,
                year=f.period.end.year,
                general=general,
                fields=", ".join(by_field) or "—",
            )
        )


def _by_channel(f: TrendFilters, series: dict[str, pd.DataFrame], targets: pd.DataFrame, lang: str) -> None:
    rows = trend_page.scope_rows(series, f)
    by_channel = {t(CHANNEL_KEYS[c], lang): rows[rows["channel"] == c] for c in CHANNEL_KEYS}
    trend_page.trend_block(
        f,
        by_channel,
        "satisfaction_rate",
        lang,
        key="sat_channel",
        title=t("tr_sat_by_channel", lang),
        targets=targets,
    )


def _by_field(f: TrendFilters, targets: pd.DataFrame, lang: str) -> None:
    rows = trend_data.counts(f.scope_level, f.focus)
    rows = rows[rows["unit_code"] == f.scope_code]
    per_field = compute(
        rows.groupby("field", as_index=False)[["rated", "very_satisfied", "satisfied"]].sum(),
        [get_metric("satisfaction_rate")],
    )
    per_field = per_field[per_field["rated"] > 0]
    goals = [
        trend_page.target_value(targets, "satisfaction_rate", f, field=name) for name in per_field["field"]
    ]
    bars = pd.DataFrame(
        {
            "key": per_field["field"],
            "label": per_field["field"],
            "value": [float(v) for v in per_field["satisfaction_rate"]],
            "text": [fmt_pct(v, lang=lang) for v in per_field["satisfaction_rate"]],
            "target": goals,
            "target_text": [t("target", lang, value=fmt_pct(g, lang=lang)) for g in goals],
        }
    )
    chart = trend_charts.bar_chart(
        bars,
        title=t("tr_sat_by_field", lang),
        x_title=get_metric("satisfaction_rate").label(lang),
        lang=lang,
        pick="pick_field",
        chosen=f.field,
    )
    trend_page.show(chart, "sat_fields", "pick_field", "key", "field")


def _distribution(total: pd.DataFrame, lang: str) -> None:
    dist = rating_distribution(total.iloc[0])
    bars = pd.DataFrame(
        {
            "key": dist["rating"],
            "label": [t(f"tr_rating_{r}", lang) for r in dist["rating"]],
            "value": dist["share"],
            "text": [
                f"{fmt_pct(s, lang=lang)} ({fmt_int(c, lang)})"
                for s, c in zip(dist["share"], dist["count"], strict=True)
            ],
        }
    )
    chart = trend_charts.bar_chart(
        bars, title=t("tr_rating_distribution", lang), x_title=t("tr_share", lang), lang=lang, by_value=False
    )
    trend_page.show(chart, "sat_ratings", None)


def _units(f: TrendFilters, targets: pd.DataFrame, lang: str) -> None:
    bars = trend_page.unit_rows(f, trend_page.per_unit(f, f.focus), "satisfaction_rate", "pct", lang)
    chart = trend_charts.bar_chart(
        bars,
        title=t(
            "tr_by_unit",
            lang,
            metric=get_metric("satisfaction_rate").label(lang),
            level=t(f"level_{f.level}", lang),
        ),
        x_title=get_metric("satisfaction_rate").label(lang),
        lang=lang,
        pick="pick_unit",
        target=trend_page.target_value(targets, "satisfaction_rate", f),
        chosen=f.unit_code,
    )
    trend_page.show(chart, "sat_units", "pick_unit", "key", "unit")


def _most_unsatisfied(f: TrendFilters, lang: str) -> None:
    left, right = st.columns(2)
    for col, by in ((left, "field"), (right, "agency")):
        frame, cut = trend_data.listing(by, f.scope_code, f.focus, f.field)
        with col:
            st.subheader(t(f"tr_unsatisfied_by_{by}", lang))
            shown = pd.DataFrame(
                {
                    t(f"tr_col_{by}", lang): frame["name"],
                    t("tr_ratings", lang): [fmt_int(v, lang) for v in frame["rated"]],
                    t("tr_unsatisfied", lang): [fmt_int(v, lang) for v in frame["unsatisfied"]],
                    t("tr_unsatisfied_share", lang): [
                        fmt_pct(ratio(u, r), lang=lang)
                        for u, r in zip(frame["unsatisfied"], frame["rated"], strict=True)
                    ],
                }
            )
            if shown.empty:
                st.caption(t("no_data", lang))
            else:
                st.dataframe(shown, hide_index=True, width="stretch", key=f"sat_list_{by}")
            trend_page.listing_note(cut, len(frame), lang)
