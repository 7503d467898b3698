"""What the four trend screens share: the page frame, the scope's monthly and period frames, the
monthly trend block (series, target rules, first month met) and charts whose clicks filter the
page through the URL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from metrics.compute import compute, rollup
from metrics.registry import get_metric
from metrics.targets import target_for
from metrics.trends import counters_of, first_month_met, monthly_rates, target_by_month, target_segments
from timebase.period import Period
from ui import chrome, data, trend_charts, trend_controls, trend_data
from ui.markup import md, tmd
from ui.trend_controls import TrendFilters

#: Dossier channels (data_access.schema.CHANNELS) and their catalogue keys, in legend order.
CHANNEL_KEYS = {"online": "tr_channel_online", "direct": "tr_channel_direct", "postal": "tr_channel_postal"}


def open_screen(path: str, title_key: str, lang: str) -> tuple[dict[str, str], TrendFilters] | None:
    """Title, sample label, filters and links to the other trend screens; None (with a clear
    message) when the database cannot answer."""
    st.markdown(chrome.STYLE, unsafe_allow_html=True)
    try:
        meta = data.database_meta().value
        st.title(t(title_key, lang))
        chrome.sample_label(meta, lang)
        filters = trend_controls.read_filters(lang)
        trend_controls.filter_bar(filters, lang)
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return None
    trend_controls.screen_links(path, filters, lang)
    st.caption(scope_caption(filters, lang))
    return meta, filters


def scope_caption(f: TrendFilters, lang: str) -> str:
    """One line saying what the screen shows: scope, period, field, picked month."""
    parts = [md(f.name(f.scope_code)), f"{f.period.start:%d/%m/%Y}–{f.period.end:%d/%m/%Y}"]
    if f.field:
        parts.append(tmd("tr_field_is", lang, field=f.field))
    if f.month:
        parts.append(t("tr_month_picked", lang, month=f"{f.month % 100:02d}/{f.month // 100}"))
    return " · ".join(parts)


def _only(frame: pd.DataFrame, unit_code: str, field: str | None) -> pd.DataFrame:
    rows = frame[frame["unit_code"] == unit_code]
    return rows[rows["field"] == field] if field and "field" in rows.columns else rows


def monthly_series(f: TrendFilters, lang: str) -> tuple[dict[str, pd.DataFrame], Any]:
    """The monthly counter rows of the province and of the chosen unit (field-filtered), keyed by
    their names for the legend; and the fetch (for the freshness line)."""
    with st.spinner(trend_controls.spinner_text(f, lang)):
        province = trend_data.monthly("province", f.period)
        series = {f.name(f.province_code): _only(province.value, f.province_code, f.field)}
        if f.unit_code:
            level = trend_data.monthly(f.level, f.period)
            series[f.name(f.unit_code)] = _only(level.value, f.unit_code, f.field)
    return series, province


def scope_rows(series: dict[str, pd.DataFrame], f: TrendFilters) -> pd.DataFrame:
    """The scope's monthly rows (the unit's if one is chosen, else the province's)."""
    return series[f.name(f.scope_code)]


def period_counts(f: TrendFilters, level: str, period: Period) -> pd.DataFrame:
    """Dossier counters per unit of ``level`` and field over ``period`` (field-filtered)."""
    rows = trend_data.counts(level, period)
    return rows[rows["field"] == f.field] if f.field else rows


def scope_total(f: TrendFilters, period: Period) -> pd.DataFrame:
    """One row: the scope's counters summed over fields for ``period``."""
    rows = period_counts(f, f.scope_level, period)
    rows = rows[rows["unit_code"] == f.scope_code]
    return rollup(rows, [], counters_of(rows, ("field",))) if len(rows) else pd.DataFrame([{}])


def per_unit(f: TrendFilters, period: Period) -> pd.DataFrame:
    """Counters per unit of the level over ``period`` (summed over the field filter)."""
    rows = period_counts(f, f.level, period)
    return rollup(rows, ["unit_code"], counters_of(rows, ("field",)))


def trend_block(
    f: TrendFilters,
    series: dict[str, pd.DataFrame],
    metric: str,
    lang: str,
    *,
    key: str,
    title: str | None = None,
    kind: str = "pct",
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One monthly chart of ``metric`` for each series of raw monthly rows, with the scope's
    target rules and the first month the scope's series met its target (when the scope is one
    of the series); returns the monthly rates of the first series."""
    m = get_metric(metric)
    rates = {name: monthly_rates(rows, [metric], f.months) for name, rows in series.items()}
    segments, met = None, None
    if targets is not None and m.target_key:
        wanted = target_by_month(targets, m, f.months, f.unit_code or "", f.scope_level, f.field or "")
        segments = target_segments(f.months, wanted)
        lead = rates.get(f.name(f.scope_code))
        if lead is not None:
            values = [None if pd.isna(v) else v for v in lead[metric]]
            met = first_month_met(f.months, values, wanted, m.higher_is_better)
    points = trend_charts.series_points(rates, metric, kind, lang)
    title = title or t("tr_monthly_of", lang, metric=m.label(lang))
    spec = trend_charts.trend_chart(
        points, title=title, y_title=m.label(lang), lang=lang, kind=kind, targets=segments, first_met=met
    )
    show(spec, key, "pick_month", "month", "month")
    return next(iter(rates.values()))


def show(
    chart: dict[str, Any],
    key: str,
    selection: str | None,
    column: str = "",
    param: str = "",
) -> None:
    """Draw ``chart`` (a Vega-Lite spec of ``ui.trend_charts``, not checked against the schema on
    every run: ``tests/test_trend_pages.py`` checks every spec the screens send); when it has a
    selection, a click writes the picked value to ``param``."""
    draw = st.vega_lite_chart
    if selection is None:
        draw(chart, key=key, width="stretch")
        return
    draw(
        chart,
        key=key,
        width="stretch",
        on_select=trend_controls.pick_to_url(key, selection, column, param),
        selection_mode=[selection],
    )


def target_value(
    targets: pd.DataFrame, metric: str, f: TrendFilters, field: str | None = None
) -> float | None:
    """The scope's target for ``metric`` in the period's last year (optionally for a field)."""
    found = target_for(
        targets,
        get_metric(metric).target_key,
        f.period.end.year,
        f.unit_code or "",
        f.scope_level,
        field if field is not None else (f.field or ""),
    )
    return found[0] if found else None


def tiles(items: Sequence[tuple[str, str, str | None]]) -> None:
    """A row of bordered figures: (label, value text, help)."""
    cols = st.columns(len(items))
    for col, (label, value, help_text) in zip(cols, items, strict=True):
        col.metric(label, value, help=help_text, border=True)


def listing_note(cut: bool, shown: int, lang: str) -> None:
    """Say so when a listing was cut at its limit."""
    if cut:
        st.caption(t("tr_list_cut", lang, n=shown))


def unit_rows(f: TrendFilters, frame: pd.DataFrame, metric: str, kind: str, lang: str) -> pd.DataFrame:
    """Bar rows (key, label, value, text) of ``metric`` per unit of the level."""
    units = trend_data.units(f.level, f.period)[["code", "name"]].rename(columns={"code": "unit_code"})
    merged = units.merge(frame, on="unit_code", how="left").fillna(0)
    computed = compute(merged, [get_metric(metric)])
    values = computed[metric] if metric in computed.columns else pd.Series([None] * len(merged), dtype=object)
    return pd.DataFrame(
        {
            "key": merged["unit_code"],
            "label": merged["name"],
            "value": [None if v is None or pd.isna(v) else float(v) for v in values],
            "text": [trend_charts.fmt(v, kind, lang) for v in values],
        }
    )


def freshness(fetched: Any, lang: str) -> None:
    """The update time of the screen's main figures."""
    chrome.freshness(fetched.fetched_at, fetched.error, lang)
