"""The wall's unit board: every unit of a level (or the worst ones when they do not all fit), worst
first, each with its on-time rate, its status against the target as a word and a CSS shape, and
its open dossiers past due. Drawn as an HTML table in wall type (no scrolling inside a widget)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_int, fmt_pct
from metrics.registry import get_metric
from metrics.targets import target_for
from ui import status
from ui.map_frame import colour_category
from ui.markup import html_text

#: Rows that fit under the tiles on a 1920×1080 wall with no alarm banner; more units → the worst
#: this many (the overview gives a row per banner line, and one for its box, to the banner).
BOARD_ROWS = 11
#: The measure the board orders by (worst first) and judges against its target.
BOARD_METRIC = "on_time_rate"

STYLE = """
<style>
.ioc-board { width: 100%; border-collapse: collapse; font-size: 1rem; line-height: 1.05; }
.ioc-board th { text-align: left; font-weight: 600; opacity: 0.85; border-bottom: 1px solid #475569; }
.ioc-board th, .ioc-board td { padding: 0.03rem 0.4rem; white-space: nowrap; border: 0 !important; }
.ioc-board td.n { text-align: right; font-variant-numeric: tabular-nums; }
.ioc-board td.u { max-width: 13em; overflow: hidden; text-overflow: ellipsis; }
.ioc-board tr:nth-child(even) td { background: rgba(148, 163, 184, 0.08); }
.ioc-board-note { font-size: 1rem; opacity: 0.85; margin-top: 0.1rem; }
</style>
"""


def board_rows(units: pd.DataFrame, limit: int = BOARD_ROWS) -> tuple[pd.DataFrame, bool]:
    """The units worst first by the board's metric (N/A last, then by name); cut to ``limit``
    (the worst kept) and whether it was cut."""
    ordered = units.assign(_v=pd.to_numeric(units[BOARD_METRIC], errors="coerce")).sort_values(
        ["_v", "unit_name"], na_position="last"
    )
    return ordered.head(limit).drop(columns="_v"), len(ordered) > limit


def _status(value: object, target: float | None, small: bool, lang: str) -> str:
    if small:
        return status.badge("unknown", t("small_unit_short", lang))
    category = colour_category(value, target)  # type: ignore[arg-type]
    word = {"met": "rk_status_met", "near": "wall_status_near", "below": "rk_status_missed"}.get(category)
    return status.badge(category, t(word, lang)) if word else status.badge("unknown", "—")


def unit_board(
    units: pd.DataFrame,
    level: str,
    targets: pd.DataFrame,
    year: int,
    minimum: int,
    lang: str,
    limit: int = BOARD_ROWS,
) -> None:
    """The board of ``units`` (one row per unit, with its metric columns) at ``level``, at most
    ``limit`` rows (the worst)."""
    found = target_for(targets, get_metric(BOARD_METRIC).target_key, year, level=level)
    target = found[0] if found else None
    shown, cut = board_rows(units, limit)
    head = (
        t("unit", lang),
        get_metric(BOARD_METRIC).label(lang),
        t("wall_board_status", lang),
        t("wall_board_overdue", lang),
    )
    rows = []
    for _, row in shown.iterrows():
        handled = float(row.get("settled", 0) or 0) + float(row.get("open_end", 0) or 0)
        rows.append(
            f"<tr><td class='u'>{html_text(row['unit_name'])}</td>"
            f"<td class='n'>{fmt_pct(row[BOARD_METRIC], lang=lang)}</td>"
            f"<td>{_status(row[BOARD_METRIC], target, handled < minimum, lang)}</td>"
            f"<td class='n'>{fmt_int(row.get('open_overdue', 0), lang)}</td></tr>"
        )
    title = t("wall_board_title", lang, level=t(f"level_{level}", lang).lower())
    note = t("wall_board_cut", lang, n=len(shown), total=len(units)) if cut else t("wall_board_all", lang)
    with st.container(key="wall-board"):
        st.markdown(
            STYLE + status.STYLE + f"<div class='ioc-board-title'><b>{html_text(title)}</b> · "
            f"<span class='ioc-board-note'>{html_text(note)}</span></div>"
            f"<table class='ioc-board'><thead><tr>{''.join(f'<th>{html_text(h)}</th>' for h in head)}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>",
            unsafe_allow_html=True,
        )
