"""Drawing for the my-unit screen: the unit's place in every ranking, its trend, and the lists of
what pulls it down. Figures come from ``metrics`` (standing, shortfall, compute); this module
formats and lays them out.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import VEGA_NUMBER_LOCALE, fmt_int, fmt_number, fmt_pct, fmt_points, fmt_value
from metrics.compute import compute
from metrics.registry import get_metric
from metrics.standing import SCORE, ranking_base
from ui import status
from ui.ranking_views import fmt_metric, fmt_rank, metric_label, status_text

#: Columns of the two lists of each breakdown: (metric whose shortfall, count header, base header).
LISTS = (
    ("on_time_rate", "mu_most_late", "mu_col_late", "rk_handled"),
    ("satisfaction_rate", "mu_most_unsatisfied", "mu_col_unsatisfied", "mu_col_rated"),
)


def fmt_gap(value: object, by: str, lang: str) -> str:
    """A signed gap (positive = ahead): percentage points for rates, points or counts otherwise."""
    if value is None or pd.isna(value):
        return "—"
    if by != SCORE and get_metric(by).fmt == "pct":
        return fmt_points(value, lang=lang)
    decimals = 0 if by != SCORE and get_metric(by).fmt == "count" else 1
    sign = "+" if float(value) > 0 else "−" if float(value) < 0 else "±"  # type: ignore[arg-type]
    return sign + fmt_number(abs(float(value)), decimals, lang)  # type: ignore[arg-type]


def _rank_text(row: pd.Series, lang: str) -> str:
    if row["small"]:
        return t("small_unit", lang)
    if pd.isna(row["rank"]):
        return "—"
    return t("mu_rank_value", lang, rank=fmt_rank(row["rank"]), n=int(row["ranked_n"]))


def positions_frame(positions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The unit's place in each ranking, as display strings."""
    rows = []
    for _, p in positions.iterrows():
        by = p["metric"]
        leader = (
            "—"
            if p["leader_name"] is None
            else f"{p['leader_name']} ({fmt_metric(p['leader_value'], by, lang)})"
        )
        target = "—" if p["target"] is None or pd.isna(p["target"]) else fmt_metric(p["target"], by, lang)
        rows.append(
            {
                t("mu_col_ranking", lang): metric_label(by, lang),
                t("mu_col_value", lang): fmt_metric(p["value"], by, lang),
                t("rank", lang): _rank_text(p, lang),
                t("mu_col_leader", lang): leader,
                t("mu_col_gap_leader", lang): fmt_gap(p["gap_to_leader"], by, lang),
                t("rk_col_target", lang): target,
                t("mu_col_gap_target", lang): fmt_gap(p["gap_to_target"], by, lang),
                t("rk_band", lang): status_text(p["status"], lang),
            }
        )
    return pd.DataFrame(rows)


def trend_frame(months: pd.DataFrame, metric_name: str, min_dossiers: int) -> pd.DataFrame:
    """One row per month: the month's ratio of sums, its denominator and whether it is small."""
    metric = get_metric(metric_name)
    values = compute(months, [metric])[metric_name]
    return pd.DataFrame(
        {
            "month": [dt.date(int(m) // 100, int(m) % 100, 1) for m in months["month"]],
            "value": pd.to_numeric(values, errors="coerce"),
            "base": ranking_base(months, metric_name),
            "small": ranking_base(months, metric_name) < min_dossiers,
        }
    )


def trend_chart(frame: pd.DataFrame, metric_name: str, target: float | None, lang: str) -> alt.LayerChart:
    """An Altair line of the monthly values, faint points for small months, the target as a rule."""
    metric = get_metric(metric_name)
    fmt = ",.1%" if metric.fmt == "pct" else ",.1f"
    data = frame.assign(
        shown=[fmt_value(v, metric.fmt, lang) for v in frame["value"]],
        note=[t("mu_small_month", lang) if s else "" for s in frame["small"]],
    )
    base = alt.Chart(data).encode(
        x=alt.X("month:T", title=t("mu_month", lang), axis=alt.Axis(format="%m/%Y", tickCount="month")),
        # Not from zero: the months differ by points around the target, not by tens of points.
        y=alt.Y("value:Q", title=metric.label(lang), axis=alt.Axis(format=fmt), scale=alt.Scale(zero=False)),
    )
    line = base.mark_line()
    dots = base.mark_point(filled=True, size=60).encode(
        opacity=alt.condition("datum.small", alt.value(0.3), alt.value(1.0)),
        tooltip=[alt.Tooltip("month:T", format="%m/%Y"), "shown:N", "note:N"],
    )
    layers = [line, dots]
    if target is not None:
        rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(strokeDash=[6, 4], color=status.ORANGE)
        layers.append(rule.encode(y="target:Q"))
    return alt.layer(*layers).properties(
        height=320, config=alt.Config(locale=alt.Locale(number=VEGA_NUMBER_LOCALE))
    )


def parts_frame(table: pd.DataFrame, list_index: int, lang: str, minimum: int) -> pd.DataFrame:
    """One drill-down list (from ``metrics.shortfall.shortfall_table``) as display strings."""
    metric_name, _, count_key, base_key = LISTS[list_index]
    return pd.DataFrame(
        {
            t("mu_col_name", lang): table["name"],
            t(count_key, lang): table["shortfall"].map(lambda v: fmt_int(v, lang)),
            t(base_key, lang): table["base"].map(lambda v: fmt_int(v, lang)),
            get_metric(metric_name).label(lang): table["rate"].map(lambda v: fmt_pct(v, lang=lang)),
            t("mu_col_share", lang): table["share"].map(lambda v: fmt_pct(v, lang=lang)),
            t("rk_col_note", lang): [
                t("mu_small_part", lang, min=minimum) if s else "" for s in table["small"]
            ],
        }
    )


def show_parts(table: pd.DataFrame, cut: bool, list_index: int, lang: str, key: str, minimum: int) -> None:
    """One drill-down list with its heading, or a line saying nothing pulls the unit down."""
    st.markdown(f"**{t(LISTS[list_index][1], lang)}**")
    if table.empty:
        st.caption(t("mu_nothing", lang))
        return
    st.dataframe(parts_frame(table, list_index, lang, minimum), hide_index=True, width="stretch", key=key)
    if cut:
        st.caption(t("mu_cut", lang, n=len(table)))
