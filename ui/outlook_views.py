"""Drawing of "where the period will end" (docs/screens.md): the range of on-time rates the
period can close at (``metrics.outlook``), on the overview and under the ranking, and the units
whose range falls below their target, listed as "có nguy cơ không đạt".
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_date, fmt_int, fmt_pct
from metrics import outlook
from metrics.registry import get_metric
from metrics.targets import target_for
from timebase.period import Period
from ui import data, outlook_data, status
from ui.map_frame import short_name
from ui.markup import html_text
from ui.ranking_views import SHAPE, shape_column
from ui.wall_widgets import strip

#: Units the wall names at most in its "at risk" strip (the worst first; the lead counts them all).
WALL_RISK_UNITS = 4


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
            # At risk: the yellow diamond (an SVG picture) beside the words.
            SHAPE: ranges["risk"].map(lambda r: status.shape_uri("near") if r else None),
            t("ol_status", lang): ranges["risk"].map(lambda r: t("ol_at_risk", lang) if r else ""),
        }
    )
    st.dataframe(
        shown, hide_index=True, width="stretch", key="rk_outlook", column_config={SHAPE: shape_column(lang)}
    )
    st.caption(t("ol_note", lang))


def _pct(value: object, lang: str) -> str:
    """A rate of the range; a whole 100 % without its decimal, to keep the figure short."""
    return "100%" if float(value) >= 1 else fmt_pct(value, lang=lang)  # type: ignore[arg-type]


def compact_range(best: object, worst: object, lang: str) -> str:
    """ "30,0–70,0%" (or "98,0–100%"): the range as one wall figure; one rate when both ends
    read the same; "—" without a denominator."""
    if best is None or pd.isna(best):  # type: ignore[arg-type]
        return "—"
    low, high = _pct(worst, lang), _pct(best, lang)
    return high if low == high else f"{low.removesuffix('%')}–{high}"


def _verdict(ranges: pd.DataFrame, targets: pd.DataFrame, year: int, level: str) -> str | None:
    """'cannot', 'risk' or 'met' for the first row of ``ranges`` against its target (None: no
    target or no range)."""
    row = ranges.iloc[0]
    if row["close_worst"] is None or pd.isna(row["close_worst"]):
        return None
    if target_for(targets, get_metric(outlook.METRIC).target_key, year, level=level) is None:
        return None
    risky = outlook.at_risk(ranges.head(1), targets, year, level)
    if risky.empty:
        return "met"
    return "cannot" if bool(risky["cannot_reach"].iloc[0]) else "risk"


def wall_tile(period: Period, province: pd.DataFrame, targets: pd.DataFrame, lang: str) -> None:
    """The wall's month-end tile: the province's closing range as one figure, its verdict against
    the target in words ("có nguy cơ không đạt", "đạt"), and the target."""
    year = period.end.year
    ranges = None
    if outlook.is_open(period) and not province.empty:
        ranges = _ranges(province, "province", period)
    found = target_for(targets, get_metric(outlook.METRIC).target_key, year)
    with st.container(border=True, key="wall-tile-close_range"):
        if ranges is None:
            st.metric(t("ol_wall_tile", lang), "—")
            return
        row = ranges.iloc[0]
        verdict = _verdict(ranges, targets, year, "province")
        words = {"met": "rk_status_met", "risk": "ol_at_risk", "cannot": "ol_wall_cannot"}
        colours = {"met": "green", "risk": "orange", "cannot": "red"}
        st.metric(
            t("ol_wall_tile", lang),
            compact_range(row["close_best"], row["close_worst"], lang),
            delta=t(words[verdict], lang) if verdict else None,
            delta_color=colours.get(verdict or "", "gray"),  # type: ignore[arg-type]
            delta_arrow="off",
            delta_description=t("target", lang, value=fmt_pct(found[0], lang=lang)) if found else None,
            help=t("ol_help", lang, close=fmt_date(outlook.closing_day(period))),
        )


def wall_risk_strip(
    period: Period,
    counters: pd.DataFrame | None,
    level: str | None,
    targets: pd.DataFrame,
    lang: str,
    lines: int = 3,
) -> None:
    """One line on the wall: how many units of ``level`` have a month-end range below their
    target, and the first :data:`WALL_RISK_UNITS` of them, worst first (cut to ``lines`` lines on
    screen)."""
    if not outlook.is_open(period) or counters is None or level is None or counters.empty:
        return
    ranges = _ranges(counters, level, period)
    if ranges is None:
        return
    risky = outlook.at_risk(ranges, targets, period.end.year, level)
    lead = t("ol_wall_risk", lang, n=fmt_int(len(risky), lang))  # the board beside names the level
    if risky.empty:
        lead = t("ol_wall_month_end", lang)
        text = html_text(t("ol_wall_none", lang, level=t(f"level_{level}", lang).lower()))
    else:  # the worst first; the count is in the lead, so a line cut short loses no unit unsaid
        text = " · ".join(
            f"{html_text(short_name(str(r['unit_name'])))} "
            f"<b>{compact_range(r['close_best'], r['close_worst'], lang)}</b>"
            + (f" ({html_text(t('ol_wall_cannot', lang))})" if r["cannot_reach"] else "")
            for _, r in risky.head(WALL_RISK_UNITS).iterrows()
        )
    strip("wall-at-risk", lead, text, lines)


def wall_ranges(
    counters: pd.DataFrame, level: str, period: Period, targets: pd.DataFrame
) -> pd.DataFrame | None:
    """Per unit of ``level``: ``unit_code``, ``close_best``, ``close_worst`` and ``risk`` (the
    range falls below the target), for the wall's ranking; None when the period has closed or
    the read failed."""
    if not outlook.is_open(period) or counters.empty:
        return None
    ranges = _ranges(counters, level, period)
    if ranges is None:
        return None
    risky = set(outlook.at_risk(ranges, targets, period.end.year, level)["unit_code"])
    return ranges[["unit_code", "close_best", "close_worst"]].assign(risk=ranges["unit_code"].isin(risky))
