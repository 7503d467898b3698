"""Drawing of "where the period will end" (docs/screens.md): the range of on-time rates the
period can close at (``metrics.outlook``), on the overview and under the ranking, and the units
whose range falls below their target, listed as "có nguy cơ không đạt".
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_date, fmt_pct
from metrics import outlook
from timebase.period import Period
from ui import data, outlook_data


def range_text(best: object, worst: object, lang: str) -> str:
    """ "30,0% – 70,0%", or "—" without a denominator."""
    if best is None or pd.isna(best):  # type: ignore[arg-type]
        return "—"
    return f"{fmt_pct(worst, lang=lang)} – {fmt_pct(best, lang=lang)}"


def _ranges(counters: pd.DataFrame, level: str, period: Period) -> pd.DataFrame | None:
    try:
        due = outlook_data.open_due(level, period).value
    except data.DataUnavailable:
        return None
    return outlook.outlook(counters, due)


def _risk_lines(risky: pd.DataFrame, lang: str) -> list[str]:
    lines = []
    for _, row in risky.iterrows():
        key = "ol_risk_line_cannot" if row["cannot_reach"] else "ol_risk_line"
        lines.append(
            t(
                key,
                lang,
                unit=row["unit_name"],
                range=range_text(row["close_best"], row["close_worst"], lang),
                target=fmt_pct(row["target"], lang=lang),
            )
        )
    return lines


def overview_section(period: Period, province: pd.DataFrame, targets: pd.DataFrame, lang: str) -> None:
    """The province's closing range in a tile, and the units of the level below at risk."""
    if not outlook.is_open(period) or province.empty:
        return
    ranges = _ranges(province, "province", period)
    if ranges is None:
        return
    row = ranges.iloc[0]
    year, close = period.end.year, fmt_date(outlook.closing_day(period))
    tile, units = st.columns([2, 7], gap="large")
    with tile, st.container(border=True, key="wall-tile-close_range"):
        st.metric(
            t("ol_tile", lang),
            range_text(row["close_best"], row["close_worst"], lang),
            help=t("ol_help", lang, close=close),
        )
    with units:
        _overview_units(period, targets, year, lang)


def _overview_units(period: Period, targets: pd.DataFrame, year: int, lang: str) -> None:
    try:
        below = [lvl for lvl in data.levels(period).value if lvl != "province"]
        if not below:
            return
        counters = data.unit_counters(below[0], period).value
    except data.DataUnavailable:
        return
    ranges = _ranges(counters, below[0], period)
    if ranges is None:
        return
    risky = outlook.at_risk(ranges, targets, year, below[0])
    level = t(f"level_{below[0]}", lang).lower()
    if risky.empty:
        st.success(t("ol_none_at_risk", lang, level=level))
        return
    st.markdown(f"**{t('ol_at_risk', lang)}** ({level}): " + " · ".join(_risk_lines(risky, lang)))


def ranking_section(
    table: pd.DataFrame, level: str, period: Period, targets: pd.DataFrame, lang: str
) -> None:
    """Under the ranking: each unit's closing range and target, the units at risk first."""
    if not outlook.is_open(period) or table.empty:
        return
    ranges = _ranges(table, level, period)
    if ranges is None:
        return
    st.subheader(t("ol_title", lang, close=fmt_date(outlook.closing_day(period))))
    risky = outlook.at_risk(ranges, targets, period.end.year, level)
    at_risk = set(risky["unit_code"])
    if len(risky):
        st.markdown(f"**{t('ol_at_risk', lang)}:** " + " · ".join(_risk_lines(risky, lang)))
    else:
        st.success(t("ol_none_at_risk", lang, level=t("ol_units", lang)))
    ranges = ranges.assign(risk=ranges["unit_code"].isin(at_risk)).sort_values(
        ["risk", "close_worst", "unit_code"], ascending=[False, True, True], na_position="last"
    )
    shown = pd.DataFrame(
        {
            t("unit", lang): ranges["unit_name"],
            t("ol_best", lang): ranges["close_best"].map(lambda v: fmt_pct(v, lang=lang)),
            t("ol_worst", lang): ranges["close_worst"].map(lambda v: fmt_pct(v, lang=lang)),
            t("ol_due_by_close", lang): ranges["open_due_by_close"],
            t("ol_status", lang): ranges["risk"].map(lambda r: t("ol_at_risk", lang) if r else ""),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="rk_outlook")
    st.caption(t("ol_note", lang))
