"""Tổng quan: the province's headline figures for the month to date, against target and the
same days of the month before, and the units of the level below."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import settings
from i18n.catalogue import t
from i18n.format import fmt_int, fmt_pct, fmt_points, fmt_value
from metrics.compute import change
from metrics.period import month_to_date
from metrics.registry import get_metric
from metrics.score766 import MEASURED_MAX
from metrics.tables import unit_metrics
from metrics.targets import target_for
from ui import chrome, data

HEADLINE = (
    "on_time_rate",
    "on_time_rate_finished",
    "overdue_in_progress",
    "received",
    "online_share",
    "online_payment_share",
    "satisfaction_rate",
)


def _tile(
    col: st.delta_generator.DeltaGenerator,
    name: str,
    now: pd.Series,
    before: pd.Series,
    targets: pd.DataFrame,
    year: int,
    lang: str,
) -> None:
    metric = get_metric(name)
    value = now.get(name)
    delta = change(value, before.get(name))
    found = target_for(targets, metric.target_key, year)
    help_text = metric.doc + (
        f"\n\n{t('target', lang, value=fmt_pct(found[0]))} — {found[1]}" if found else ""
    )
    if metric.fmt == "pct":
        delta_text = fmt_points(delta, lang=lang) if delta is not None else None
    else:
        delta_text = (("+" if delta > 0 else "") + fmt_int(delta, lang)) if delta is not None else None
    col.metric(
        metric.label(lang),
        fmt_value(value, metric.fmt, lang),
        delta=delta_text,
        delta_color="normal" if metric.higher_is_better else "inverse",
        help=help_text,
        border=True,
    )
    if found and metric.fmt == "pct":
        col.caption(t("target", lang, value=fmt_pct(found[0], lang=lang)))


def render() -> None:
    """Draw the overview."""
    lang = chrome.lang()
    st.markdown(chrome.STYLE, unsafe_allow_html=True)
    try:
        meta = data.database_meta().value
        levels = data.levels().value
        targets = data.targets().value
        period = month_to_date(data.live_as_of())
        current = data.unit_counters("province", period)
        previous = data.unit_counters("province", period.previous())
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return

    province = meta.get("province_name", "")
    st.title(f"{t('nav_overview', lang)} — {t('province', lang, name=province)}")
    chrome.sample_label(meta, lang)
    st.subheader(t("period_mtd", lang, month=period.start.month, year=period.start.year, day=period.end.day))

    now_row = unit_metrics(current.value).iloc[0] if len(current.value) else pd.Series(dtype=object)
    before_row = unit_metrics(previous.value).iloc[0] if len(previous.value) else pd.Series(dtype=object)
    cols = st.columns(4)
    for i, name in enumerate(HEADLINE):
        _tile(cols[i % 4], name, now_row, before_row, targets, period.end.year, lang)
    score = now_row.get("score_766")
    cols[(len(HEADLINE)) % 4].metric(
        t("score_766", lang),
        f"{fmt_value(score, 'days', lang)} / {fmt_int(MEASURED_MAX, lang)}",
        delta=None,
        help=t("score_766_help", lang, max=fmt_int(MEASURED_MAX, lang)),
        border=True,
    )

    below = [lvl for lvl in levels if lvl != "province"]
    if below:
        _unit_table(below[0], period, lang)
    chrome.freshness(current.fetched_at, current.error, lang)


def _unit_table(level: str, period: object, lang: str) -> None:
    try:
        fetched = data.unit_counters(level, period)  # type: ignore[arg-type]
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    table = unit_metrics(fetched.value, int(settings.get("IOC_MIN_DOSSIERS"))).sort_values(
        ["rank", "unit_code"], na_position="last"
    )
    shown = pd.DataFrame(
        {
            t("rank", lang): table["rank"],
            t("unit", lang): table["unit_name"],
            get_metric("received").label(lang): table["received"].map(lambda v: fmt_int(v, lang)),
            get_metric("on_time_rate").label(lang): table["on_time_rate"].map(
                lambda v: fmt_pct(v, lang=lang)
            ),
            get_metric("online_share").label(lang): table["online_share"].map(
                lambda v: fmt_pct(v, lang=lang)
            ),
            get_metric("satisfaction_rate").label(lang): table["satisfaction_rate"].map(
                lambda v: fmt_pct(v, lang=lang)
            ),
            t("score_766", lang): table["score_766"].map(lambda v: fmt_value(v, "days", lang)),
        }
    )
    st.subheader(t("by_level", lang, level=t(f"level_{level}", lang).lower()))
    st.dataframe(shown, hide_index=True, width="stretch", key="overview_units")
