"""The ranking on the wall (``/ranking?kiosk=1``): the table large, no input widget.

Level, metric and period come from the URL (``?level=commune&metric=on_time_rate&period=2026-10``).
Every unit of the level is shown when they fit (:data:`WALL_ROWS`); otherwise the top and the
bottom halves of the ranked units with the count of those in between, so the worst is never hidden.
Status is a word and a CSS shape (``ui.status``); the rank change a sign and a CSS triangle.
While the period is open, each unit's on-time rate at the close as a range (issue 25,
``ui.outlook_views.wall_ranges``); a unit whose range falls below its target has a yellow diamond
and the words "nguy cơ không đạt" in its note.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_int
from metrics import standing
from metrics.ranking import arrow
from ui import status
from ui.markup import html_text
from ui.outlook_views import compact_range
from ui.ranking_views import fmt_metric, fmt_rank, metric_label, status_text

#: Rows that fit a 1920×1080 wall in wall type; more units → the top and bottom halves.
WALL_ROWS = 20

STYLE = """
<style>
.ioc-rank { width: 100%; border-collapse: collapse; font-size: 1rem; line-height: 1.12; }
.ioc-rank th { text-align: left; font-weight: 600; opacity: 0.85; border-bottom: 1px solid #475569; }
.ioc-rank th, .ioc-rank td { padding: 0.04rem 0.35rem; white-space: nowrap; }
.ioc-rank td.u { max-width: 19em; overflow: hidden; text-overflow: ellipsis; }
.ioc-rank td.n, .ioc-rank th.n { text-align: right; font-variant-numeric: tabular-nums; }
.ioc-rank th.wrap { white-space: normal; min-width: 8.5em; }
.ioc-rank td.note { white-space: normal; }
.ioc-rank tr:nth-child(even) td { background: rgba(148, 163, 184, 0.08); }
.ioc-rank tr.gap td { text-align: center; opacity: 0.8; font-style: italic; }
.ioc-rank tr.mine td { background: rgba(86, 180, 233, 0.3); font-weight: 700; }
.ioc-rank-note { font-size: 1rem; opacity: 0.85; }
</style>
"""


def wall_rows(table: pd.DataFrame, limit: int = WALL_ROWS) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(top, bottom, hidden) of ``table`` (ranked units first, in rank order, then the unranked
    small units): every unit when all fit in ``limit`` rows; else, when more units are ranked
    than fit, the first and the last ``limit // 2`` ranked units and how many ranked lie between
    (the worst is never hidden); else every ranked unit and the first unranked ones to fill the
    rows. The caller counts the unranked units left out."""
    if len(table) <= limit:
        return table, table.iloc[0:0], 0
    ranked = table[table["rank"].notna()]
    if len(ranked) > limit:
        half = limit // 2
        return ranked.head(half), ranked.tail(half), len(ranked) - 2 * half
    return table.head(limit), table.iloc[0:0], 0


def _band(band: str, by: str, lang: str) -> str:
    if by == standing.SCORE:
        met, judged = band.split("/")
        return html_text(t("rk_targets_met", lang, met=met, judged=judged)) if judged != "0" else "—"
    return status.badge(band, status_text(band, lang))


def _close_cell(close: pd.DataFrame | None, code: object, lang: str) -> tuple[str, bool]:
    """The unit's month-end range cell (empty without ranges) and whether it is at risk."""
    if close is None:
        return "", False
    if code not in close.index:
        return "<td class='n'>—</td>", False
    found = close.loc[code]
    text = compact_range(found["close_best"], found["close_worst"], lang)
    if found["risk"]:
        return f"<td class='n'>{status.badge('near', text)}</td>", True
    return f"<td class='n'>{html_text(text)}</td>", False


def _row(
    row: pd.Series, band: str, by: str, highlight: str | None, lang: str, close: pd.DataFrame | None
) -> str:
    change = row["rank_change"]
    mine = " class='mine'" if highlight is not None and row["unit_code"] == highlight else ""
    cell, risk = _close_cell(close, row["unit_code"], lang)
    notes = [t("ol_wall_risk_short", lang)] if risk else []
    notes += [t("small_unit_short", lang)] if row["small"] else []
    return (
        f"<tr{mine}><td class='n'>{fmt_rank(row['rank'])}</td>"
        f"<td class='n'>{status.change(change, arrow(change))}</td>"
        f"<td class='u'>{html_text(row['unit_name'])}</td>"
        f"<td class='n'>{html_text(fmt_metric(row[by], by, lang))}</td>"
        f"<td>{_band(band, by, lang)}</td>"
        f"<td class='n'>{fmt_int(row['handled'], lang)}</td>{cell}"
        f"<td class='note'>{html_text('; '.join(notes))}</td></tr>"
    )


def show_wall_ranking(
    table: pd.DataFrame,
    band: pd.Series,
    by: str,
    highlight: str | None,
    lang: str,
    close: pd.DataFrame | None = None,
) -> None:
    """The ranking table in wall type, cut to the top and bottom when it is too long; with
    ``close`` (``ui.outlook_views.wall_ranges``) each unit's month-end range."""
    close = close.set_index("unit_code") if close is not None else None
    top, bottom, hidden = wall_rows(table)
    band_head = t("rk_band", lang)
    heads = [
        ("n", t("rank", lang)),
        ("n", t("rk_change", lang)),
        ("", t("unit", lang)),
        ("n", metric_label(by, lang)),
        ("", band_head),
        ("n", t("rk_handled", lang)),
        *([("n wrap", t("ol_wall_column", lang))] if close is not None else []),
        ("", ""),
    ]
    body = [_row(r, band[i], by, highlight, lang, close) for i, r in top.iterrows()]
    if hidden:
        body.append(
            f"<tr class='gap'><td colspan='{len(heads)}'>"
            f"{html_text(t('rk_wall_between', lang, n=hidden))}</td></tr>"
        )
    body += [_row(r, band[i], by, highlight, lang, close) for i, r in bottom.iterrows()]
    shown = len(top) + len(bottom)
    left_out = len(table) - shown - hidden
    if shown == len(table):
        note = t("rk_wall_all", lang, n=len(table))
    elif hidden:
        note = t("rk_wall_cut", lang, shown=shown, total=len(table), small=left_out)
    else:
        note = t("rk_wall_cut_small", lang, shown=shown, total=len(table), small=left_out)
    head = "".join(f"<th class='{c}'>{html_text(h)}</th>" for c, h in heads)
    with st.container(key="rk-wall"):
        st.markdown(
            STYLE + status.STYLE + f"<table class='ioc-rank'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table><div class='ioc-rank-note'>{html_text(note)}</div>",
            unsafe_allow_html=True,
        )
