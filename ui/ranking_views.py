"""Drawing shared by the ranking and my-unit screens: the ranking table and the score breakdown.

Draws only: every figure comes from ``metrics`` (standing, score766); this module formats it in
Vietnamese (or English) and lays it out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_int, fmt_number, fmt_pct, fmt_value
from i18n.text_score import rule_key
from metrics import score766
from metrics.ranking import arrow
from metrics.registry import get_metric
from metrics.standing import SCORE
from ui import chrome, status
from ui.markup import tmd
from ui.ranking_data import AGENCY

HIGHLIGHT = "background-color: rgba(245, 158, 11, 0.35); font-weight: 600"
#: The highlighted unit's row is marked in words (no symbol font needed) and coloured.
MARK_KEY = "rk_mark"
#: The column of the status's shape (an SVG picture, ``ui.status.shape_uri``) left of its word.
SHAPE = "status_shape"


def level_label(level: str, lang: str) -> str:
    """'Cấp huyện', 'Cấp xã', 'Sở, ban, ngành'."""
    return t("rk_level_agency" if level == AGENCY else f"level_{level}", lang)


def metric_label(by: str, lang: str) -> str:
    """The label of the score or of a registry metric."""
    return t("score_766", lang) if by == SCORE else get_metric(by).label(lang)


def fmt_metric(value: object, by: str, lang: str) -> str:
    """A value of the score (one decimal) or of a registry metric, in its format."""
    if by == SCORE:
        return fmt_number(value, 1, lang)
    return fmt_value(value, get_metric(by).fmt, lang)


def fmt_rank(value: object) -> str:
    """A rank, or '—' for an unranked unit."""
    return "—" if value is None or pd.isna(value) else str(int(value))  # type: ignore[call-overload]


def status_text(status: str, lang: str) -> str:
    """'Đạt', 'Chưa đạt' or '—' (the wall adds a CSS shape: ``ui.status``)."""
    return t(f"rk_status_{status}", lang)


def band_text(band: str, by: str, lang: str) -> str:
    """The band column: targets met k/n (the score) or the status against the metric's target."""
    if by == SCORE:
        met, judged = band.split("/")
        return t("rk_targets_met", lang, met=met, judged=judged) if judged != "0" else "—"
    return status_text(band, lang)


def ranking_frame(
    table: pd.DataFrame, band: pd.Series, by: str, highlight: str | None, lang: str
) -> pd.DataFrame:
    """The ranking as display strings, one row per unit, in the table's order."""
    shown = pd.DataFrame(
        {
            "": [t(MARK_KEY, lang) if code == highlight else "" for code in table["unit_code"]],
            t("rank", lang): table["rank"].map(fmt_rank),
            t("rk_change", lang): table["rank_change"].map(arrow),
            t("unit", lang): table["unit_name"],
            metric_label(by, lang): table[by].map(lambda v: fmt_metric(v, by, lang)),
        }
    )
    if by == SCORE:
        rules = chrome.score_rules()
        for group in rules.scored_groups:
            header = t(
                "rk_points_of",
                lang,
                group=t(f"rk_group_{group}", lang),
                max=fmt_points_max(rules.measured_group_max(group), lang),
            )
            shown[header] = table[f"points_{group}"].map(lambda v: fmt_number(v, 1, lang))
    if by == SCORE and "official_766" in table.columns:
        shown[t("rk_official", lang)] = table["official_766"].map(lambda v: fmt_number(v, 1, lang))
    shown[t("rk_handled", lang)] = table["handled"].map(lambda v: fmt_int(v, lang))
    if by != SCORE:  # the score's band counts targets met: no single status to draw
        shown[SHAPE] = [status.shape_uri(b) for b in band]
    shown[t("rk_band", lang)] = [band_text(b, by, lang) for b in band]
    shown[t("rk_col_note", lang)] = [t("small_unit", lang) if s else "" for s in table["small"]]
    return shown


def fmt_points_max(value: float, lang: str) -> str:
    """A maximum of points: whole when it is whole (20), else to one decimal (7,3)."""
    return fmt_number(value, 0 if round(value, 6).is_integer() else 1, lang)


def shape_column(lang: str) -> st.column_config.ImageColumn:
    """The status's shape beside its word: no header of its own, its meaning in the help."""
    return st.column_config.ImageColumn(" ", help=t("rk_shape_help", lang), width=40)


def show_ranking(shown: pd.DataFrame, key: str, lang: str = "vi") -> None:
    """The ranking table, the highlighted unit's row marked and coloured; the status as a shape
    (an SVG picture: the table is drawn on a canvas, beyond the page's CSS) and a word."""

    def _row_style(row: pd.Series) -> list[str]:
        return [HIGHLIGHT if row[""] else "" for _ in row]

    # The whole table, so the highlighted unit is on screen wherever it ranks.
    st.dataframe(
        shown.style.apply(_row_style, axis=1),
        hide_index=True,
        width="stretch",
        height="content",
        key=key,
        column_config={SHAPE: shape_column(lang)},
    )


def _points_text(row: pd.Series, lang: str) -> str:
    if not row["measured"]:
        return f"— / {fmt_number(row['max_points'], 1, lang)}"
    text = f"{fmt_number(row['points'], 1, lang)} / {fmt_number(row['max_points'], 1, lang)}"
    return t("rk_no_data_points", lang, points=text) if row["no_data"] else text


def breakdown_frame(counters: pd.Series, lang: str) -> pd.DataFrame:
    """Each criterion of the 766-style score for one unit, as display strings."""
    rules = chrome.score_rules()
    table = score766.breakdown(counters, rules)
    not_here = t("rk_not_measured", lang)
    return pd.DataFrame(
        {
            t("rk_col_group", lang): [t(f"rk_group_{g}", lang) for g in table["group"]],
            t("rk_col_criterion", lang): [
                get_metric(c).label(lang) if isinstance(c, str) else not_here for c in table["criterion"]
            ],
            t("rk_col_rate", lang): [
                fmt_pct(r["rate"], lang=lang) if r["measured"] else not_here for _, r in table.iterrows()
            ],
            t("rk_col_full_at", lang): [fmt_pct(v, lang=lang) for v in table["target"]],
            t("rk_col_points", lang): [_points_text(r, lang) for _, r in table.iterrows()],
            t("rk_col_numerator", lang): [fmt_int(v, lang) for v in table["numerator"]],
            t("rk_col_denominator", lang): [fmt_int(v, lang) for v in table["denominator"]],
            t("rk_col_rule", lang): [
                t(rule_key(rules.name, g, c if isinstance(c, str) else None), lang)
                for g, c in zip(table["group"], table["criterion"], strict=True)
            ],
        }
    )


def official_frame(counters: pd.Series, official: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The portal's published points beside the estimate, group by group, as display strings."""
    table = score766.compare_with_official(counters, official, chrome.score_rules())

    def group_name(group: str) -> str:
        return t("rk_official_measured", lang) if group == "measured" else t(f"rk_group_{group}", lang)

    def points(value: object) -> str:
        return "—" if value is None or pd.isna(value) else fmt_number(value, 1, lang)

    def gap(value: object) -> str:
        return "—" if value is None or pd.isna(value) else fmt_signed(float(value), lang)

    return pd.DataFrame(
        {
            t("rk_col_group", lang): [group_name(g) for g in table["group"]],
            t("rk_official", lang): [points(v) for v in table["official"]],
            t("rk_estimate", lang): [points(v) for v in table["estimate"]],
            t("rk_gap", lang): [gap(v) for v in table["gap"]],
        }
    )


def fmt_signed(value: float, lang: str) -> str:
    """+1,2 / −0,4 / ±0,0 points."""
    sign = "+" if value > 0.05 else "−" if value < -0.05 else "±"
    return sign + fmt_number(abs(value), 1, lang)


def show_breakdown(
    counters: pd.Series, unit_name: str, lang: str, key: str, official: pd.DataFrame | None = None
) -> None:
    """The score breakdown of one unit, with its total labelled an estimate, and the portal's
    published points beside it when they were imported for the period."""
    st.subheader(tmd("rk_breakdown_title", lang, unit=unit_name))
    st.dataframe(breakdown_frame(counters, lang), hide_index=True, width="stretch", height="content", key=key)
    rules = chrome.score_rules()
    total = fmt_number(score766.total(counters, rules), 1, lang)
    top = fmt_int(rules.measured_max, lang)
    st.markdown(t("rk_total_estimate", lang, score=total, max=top, rules=t(f"rules_{rules.name}", lang)))
    st.caption(t("rk_rule_points", lang))
    if official is not None and len(official):
        st.markdown(f"**{t('rk_official_title', lang)}**")
        st.dataframe(official_frame(counters, official, lang), hide_index=True, key=f"{key}_official")
        st.caption(t("rk_official_note", lang))
