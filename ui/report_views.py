"""The press room's "Báo cáo" section (drawn by ``app_pages/press.py``): Biểu 06/VPCP/KSTT for
a month, quarter, half year or year, by handling unit or field, previewed as a table and
downloaded as XLSX or PDF. The files are built only when a button is clicked; the figures are
the wall's counters (``exports.form06``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from exports.form06 import FormDocument, parse_form_period, period_words
from exports.form06_pdf import to_pdf
from exports.form06_xlsx import to_xlsx
from i18n.catalogue import t
from i18n.format import fmt_int
from ui import data
from ui.report_data import form_document

FILES = {
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (to_pdf, "application/pdf"),
}


def period_tokens(now: dt.datetime) -> list[str]:
    """The periods offered, newest first: this and the last four quarters, the halves and years
    of this and last year, the last twelve months (those begun by ``now``)."""
    year, quarter = now.year, (now.month - 1) // 3 + 1
    quarters = [(year - (quarter - 1 - i < 0), (quarter - 1 - i) % 4 + 1) for i in range(5)]
    out = [f"{y}-Q{q}" for y, q in quarters]
    out += [
        f"{y}-H{h}"
        for y in (year, year - 1)
        for h in (2, 1)
        if dt.date(y, 1 if h == 1 else 7, 1) <= now.date()
    ]
    out += [str(year), str(year - 1)]
    month = pd.Timestamp(now.date().replace(day=1))
    out += [f"{m.year}-{m.month:02d}" for m in (month - pd.DateOffset(months=i) for i in range(12))]
    return out


def _preview(doc: FormDocument) -> pd.DataFrame:
    """The form as a table of text: numbered headings, Vietnamese thousands."""
    heads = doc.headings()
    columns = {f"({n}) {heads[n]}": [] for n in range(1, 14)}
    names = list(columns)
    for row in doc.rows:
        columns[names[0]].append(row.number)
        columns[names[1]].append("    " * row.depth + row.label)
        for n in range(3, 14):
            columns[names[n - 1]].append(fmt_int(row.column(n), doc.lang))
    return pd.DataFrame(columns)


def _controls(now: dt.datetime, levels: list[str], lang: str) -> tuple[str, str, str | None]:
    cols = st.columns(3)
    with cols[0]:
        token = st.selectbox(
            t("rep_period", lang),
            period_tokens(now),
            index=1,  # the last whole quarter
            format_func=lambda tok: period_words(parse_form_period(tok, now), lang),
            key="rep_period",
        )
    with cols[1]:
        by = st.selectbox(
            t("rep_by", lang), ["unit", "field"], format_func=lambda b: t(f"rep_by_{b}", lang), key="rep_by"
        )
    level = None
    below = [lvl for lvl in levels if lvl != "province"]
    if by == "unit" and below:
        with cols[2]:
            level = st.selectbox(
                t("rep_level", lang),
                below,
                index=len(below) - 1,
                format_func=lambda v: t(f"level_{v}", lang),
                key="rep_level",
            )
    return token, by, level


def render_section(lang: str) -> None:
    """Draw the "Báo cáo" section in ``lang``."""
    st.subheader(t("rep_title", lang))
    st.caption(t("rep_intro", lang))
    now = data.live_as_of()
    levels = data.levels().value
    token, by, level = _controls(now, list(levels), lang)
    period = parse_form_period(token, now)
    fetched = form_document(period, by, level, lang, now.date())
    doc: FormDocument = fetched.value
    for col, (fmt, (writer, mime)) in zip(st.columns(len(FILES)), FILES.items(), strict=True):
        col.download_button(
            t("rep_download", lang, fmt=fmt.upper()),
            data=lambda writer=writer: writer(doc),
            file_name=f"{doc.file_stem}.{fmt}",
            mime=mime,
            key=f"rep_download_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )
    st.dataframe(_preview(doc), hide_index=True, key="rep_table")
