"""Drawing of the due-soon list (docs/screens.md "Due soon"): how many open dossiers each agency
has due soon per procedure, the earliest due time, and how many are due on the next working day
(today is the last day for their apology letter). Counts only: no dossier code, no person.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_date, fmt_int
from ui import data, due_soon_data
from ui.markup import html_text
from ui.wall_widgets import short_agency, strip


def _short(name: str, limit: int = 64) -> str:
    """A long procedure name cut at a word, so a row stays one or two lines."""
    return name if len(name) <= limit else name[:limit].rsplit(" ", 1)[0] + "…"


def _due_text(value: dt.datetime) -> str:
    return value.strftime("%H:%M %d/%m")


def section(as_of: dt.datetime, lang: str, level: str = "province", unit: str | None = None) -> None:
    """Fetch and draw the due-soon list of the province, or of ``unit`` of ``level``."""
    try:
        fetched: data.Fetched | None = due_soon_data.due_soon(as_of, level, unit)
    except data.DataUnavailable:
        fetched = None
    with st.container(key=f"due-soon-{unit or 'province'}"):
        due_soon_list(fetched, lang)


def due_soon_list(fetched: data.Fetched | None, lang: str) -> None:
    """The list of a fetched :class:`ui.due_soon_data.DueSoon` (or a note when there is none)."""
    st.subheader(t("ds_title", lang, days=fmt_int(due_soon_data.days(), lang)))
    if fetched is None:
        st.info(t("wall_section_unavailable", lang, reason=t("no_data", lang)))
        return
    found: due_soon_data.DueSoon = fetched.value
    last = fmt_date(found.window.last_day)
    if found.total == 0:
        st.success(t("ds_none", lang, last=last))
        return
    st.caption(t("ds_summary", lang, total=fmt_int(found.total, lang), last=last))
    if found.apology_last_day:
        day = fmt_date(found.window.apology_day)
        # Orange text, not st.warning: the wall keeps its warnings for what is wrong with the screen.
        st.markdown(f":orange[**{t('ds_apology', lang, n=fmt_int(found.apology_last_day, lang), day=day)}**]")
    groups = found.groups
    shown = pd.DataFrame(
        {
            t("wall_overdue_agency", lang): groups["agency_name"],
            t("wall_overdue_procedure", lang): groups["procedure_name"].map(_short),
            t("wall_overdue_count", lang): groups["due_soon"].map(lambda v: fmt_int(v, lang)),
            t("ds_apology_column", lang): groups["apology_last_day"].map(
                lambda v: fmt_int(v, lang) if v else ""
            ),
            t("ds_earliest", lang): groups["earliest_due_at"].map(_due_text),
        }
    )
    st.table(shown, hide_index=True)
    if found.cut:
        st.caption(t("ds_cut", lang, n=len(groups)))


def _short_day(day: dt.date) -> str:
    return day.strftime("%d/%m")


def wall_tile(fetched: data.Fetched | None, lang: str) -> None:
    """The wall's due-soon tile: how many, and how many have today as the apology's last day
    (orange words when any; the words carry it, not the colour)."""
    with st.container(border=True, key="wall-tile-due_soon"):
        if fetched is None:
            st.metric(t("ds_wall_tile", lang), "—")
            return
        found: due_soon_data.DueSoonAgencies = fetched.value
        last = fmt_date(found.window.last_day)
        apology = found.apology_last_day
        st.metric(
            t("ds_wall_tile", lang),
            fmt_int(found.total, lang),
            delta=t("ds_wall_apology", lang, n=fmt_int(apology, lang)),
            delta_color="orange" if apology else "gray",
            delta_arrow="off",
            delta_description=t("ds_wall_until", lang, last=_short_day(found.window.last_day)),
            help=t("ds_summary", lang, total=fmt_int(found.total, lang), last=last),
        )


def wall_strip(fetched: data.Fetched | None, lang: str, lines: int = 3) -> None:
    """One line under the overdue list: the agencies with the most dossiers due soon (cut to
    ``lines`` lines on screen)."""
    lead = t("ds_wall_strip", lang, days=fmt_int(due_soon_data.days(), lang))
    if fetched is None:
        text = html_text(t("wall_section_unavailable", lang, reason=t("no_data", lang)))
    else:
        found: due_soon_data.DueSoonAgencies = fetched.value
        if found.total == 0:
            text = html_text(t("ds_wall_none", lang, last=_short_day(found.window.last_day)))
        else:
            rows = found.agencies
            named = [
                f"{html_text(short_agency(name))} <b>{fmt_int(n, lang)}</b>"
                for name, n in zip(rows["agency_name"], rows["due_soon"], strict=True)
            ]
            text = " · ".join(named) + (f" · {html_text(t('ds_wall_more', lang))}" if found.cut else "")
    strip("wall-due-soon", lead, text, lines)
