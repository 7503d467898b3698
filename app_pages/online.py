"""Dịch vụ công trực tuyến: online share and the channel mix month by month (the May-2020 jump of
the sample shows in the whole history), online payment, full-process provision and
digitisation rates against their targets, units compared, and the procedures offered online that
still receive mostly paper dossiers (docs/rules.md §5, 6, 7, 8)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_int, fmt_pct, fmt_points
from metrics.compute import compute, ratio, rollup
from metrics.registry import get_metric
from metrics.trends import channel_mix, counters_of, largest_rise, monthly_rates
from ui import chrome, data, trend_charts, trend_data, trend_page
from ui.trend_controls import TrendFilters
from ui.trend_page import CHANNEL_KEYS

SCREEN = "online"
#: The small multiples: rates of the dossier counters, then the provision rates.
DOSSIER_RATES = (
    "online_payment_share",
    "full_process_online_share",
    "e_result_rate",
    "digitized_rate",
    "reuse_rate",
)
PROVISION_RATES = ("online_provision", "full_process_provision")
TILES = ("online_share", "online_payment_share", "e_result_rate", "digitized_rate", "reuse_rate")


def render() -> None:
    """Draw the online services screen."""
    lang = chrome.lang()
    opened = trend_page.open_screen(SCREEN, "nav_online", lang)
    if opened is None:
        return
    f = opened[1]
    try:
        _prefetch(f)
        targets = data.targets().value
        series, fetched = trend_page.monthly_series(f, lang)
        _tiles(f, trend_page.scope_total(f, f.focus), targets, lang)
        left, right = st.columns(2)
        with left:
            trend_page.trend_block(f, series, "online_share", lang, key="onl_trend", targets=targets)
        with right:
            _channel_mix(f, series, lang)
        _small_multiples(f, series, targets, lang)
        left, right = st.columns(2)
        with left:
            _units(f, targets, lang)
        with right:
            _mostly_paper(f, lang)
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    trend_page.freshness(fetched, lang)


def _prefetch(f: TrendFilters) -> None:
    """The screen's independent reads at once (ui.data.together): over the whole history each
    takes a good part of a second, and the drawing below then finds every one in the cache.
    """
    data.together(
        lambda: trend_data.monthly("province", f.period),
        lambda: trend_data.monthly(f.level, f.period) if f.unit_code else None,
        lambda: trend_data.counts(f.scope_level, f.focus),
        lambda: trend_data.counts(f.level, f.focus),
        lambda: trend_data.provision(f.scope_code, f.period),
        lambda: trend_data.provision(f.scope_code, f.focus, by_month=False),
        lambda: trend_data.listing("paper", f.scope_code, f.focus, f.field),
    )


def _tiles(f: TrendFilters, total: pd.DataFrame, targets: pd.DataFrame, lang: str) -> None:
    row = compute(total, [get_metric(name) for name in TILES]).iloc[0]
    items = []
    for name in TILES:
        goal = trend_page.target_value(targets, name, f)
        help_text = t("target", lang, value=fmt_pct(goal, lang=lang)) if goal is not None else None
        items.append((get_metric(name).label(lang), fmt_pct(row.get(name), lang=lang), help_text))
    trend_page.tiles(items)


def _channel_mix(f: TrendFilters, series: dict[str, pd.DataFrame], lang: str) -> None:
    rows = trend_page.scope_rows(series, f)
    monthly = monthly_rates(rows, ["online_share"], f.months)
    mix = channel_mix(monthly)
    order = list(CHANNEL_KEYS)
    bars = pd.DataFrame(
        {
            "month": mix["month"],
            "part": [t(CHANNEL_KEYS[c], lang) for c in mix["channel"]],
            "order": [order.index(c) for c in mix["channel"]],
            "value": mix["count"],
            "text": [
                f"{fmt_int(n, lang)} ({fmt_pct(s, lang=lang)})"
                for n, s in zip(mix["count"], mix["share"], strict=True)
            ],
        }
    )
    values = [None if pd.isna(v) else float(v) for v in monthly["online_share"]]
    rise = largest_rise(f.months, values)
    note = None
    if rise is not None:
        note = (
            rise[0],
            t(
                "tr_largest_rise",
                lang,
                month=f"{rise[0] % 100:02d}/{rise[0] // 100}",
                points=fmt_points(rise[1], lang=lang),
            ),
        )
    chart = trend_charts.stacked_chart(
        bars,
        title=t("tr_channel_mix", lang),
        y_title=t("tr_share_of_received", lang),
        lang=lang,
        note=note,
        colours=trend_charts.CHANNEL_COLOURS,
        normalize=True,
        months=f.months,
    )
    trend_page.show(chart, "onl_mix", "pick_month", "month", "month")


def _small_multiples(
    f: TrendFilters, series: dict[str, pd.DataFrame], targets: pd.DataFrame, lang: str
) -> None:
    cols = st.columns(3)
    for i, name in enumerate(DOSSIER_RATES):
        with cols[i % 3]:
            trend_page.trend_block(f, series, name, lang, key=f"onl_{name}", targets=targets)
    provision = trend_data.provision(f.scope_code, f.period)
    if f.field:
        provision = provision[provision["field"] == f.field]
    scope = {f.name(f.scope_code): provision}
    for j, name in enumerate(PROVISION_RATES, start=len(DOSSIER_RATES)):
        with cols[j % 3]:
            trend_page.trend_block(f, scope, name, lang, key=f"onl_{name}", targets=targets)
    whole = trend_data.provision(f.scope_code, f.focus, by_month=False)
    if f.field:
        whole = whole[whole["field"] == f.field]
    totals = compute(
        rollup(whole, [], counters_of(whole, ("field",))), [get_metric(n) for n in PROVISION_RATES]
    )
    row = totals.iloc[0] if len(totals) else pd.Series(dtype=object)
    st.caption(
        t(
            "tr_provision_period",
            lang,
            used=fmt_int(row.get("procedures_used", 0), lang),
            online=fmt_pct(row.get("online_provision"), lang=lang),
            full=fmt_pct(row.get("full_process_provision"), lang=lang),
        )
    )


def _units(f: TrendFilters, targets: pd.DataFrame, lang: str) -> None:
    bars = trend_page.unit_rows(f, trend_page.per_unit(f, f.focus), "online_share", "pct", lang)
    label = get_metric("online_share").label(lang)
    chart = trend_charts.bar_chart(
        bars,
        title=t("tr_by_unit", lang, metric=label, level=t(f"level_{f.level}", lang)),
        x_title=label,
        lang=lang,
        pick="pick_unit",
        target=trend_page.target_value(targets, "online_share", f),
        chosen=f.unit_code,
    )
    trend_page.show(chart, "onl_units", "pick_unit", "key", "unit")


def _mostly_paper(f: TrendFilters, lang: str) -> None:
    st.subheader(t("tr_mostly_paper", lang))
    frame, cut = trend_data.listing("paper", f.scope_code, f.focus, f.field)
    if frame.empty:
        st.caption(t("tr_mostly_paper_none", lang))
        return
    shown = pd.DataFrame(
        {
            t("tr_col_procedure", lang): frame["procedure_name"],
            t("tr_col_field", lang): frame["field"],
            t("tr_col_online_level", lang): [t(f"tr_level_{v}", lang) for v in frame["online_level"]],
            t("tr_col_received", lang): [fmt_int(v, lang) for v in frame["received"]],
            t("tr_col_paper", lang): [fmt_int(v, lang) for v in frame["received_paper"]],
            get_metric("online_share").label(lang): [
                fmt_pct(ratio(o, r), lang=lang)
                for o, r in zip(frame["received_online"], frame["received"], strict=True)
            ],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="onl_paper")
    trend_page.listing_note(cut, len(frame), lang)
