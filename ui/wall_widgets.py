"""The wall's building blocks: the alarm banner, today's intake strip and the overdue list.

They draw what they are given (fetched results from ``ui.wall_data``, alarms from
``metrics.wall``); a part whose data is not there yet says so instead of failing the screen.
"""

from __future__ import annotations

import datetime as dt
import html

import altair as alt
import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import VEGA_NUMBER_LOCALE, fmt_int, fmt_value
from metrics.registry import get_metric
from metrics.wall import Alarm, hourly_strip, working_days_late
from ui import data

#: Alarmed tiles (containers keyed ``wall-alarm-<metric>``) turn red; the banner is red; the overdue
#: list keeps one line a row so it fits under the tiles on a 1080-line wall.
STYLE = """
<style>
[class*="st-key-wall-alarm-"] { border-color: #dc2626 !important; background: rgba(220, 38, 38, 0.16); }
.ioc-alarm { background: #b91c1c; color: #fff; border-radius: 0.4rem; padding: 0.45rem 1rem;
  font-size: 1.3rem; line-height: 1.4; }
.st-key-wall-overdue table { table-layout: fixed; width: 100%; }
.st-key-wall-overdue th, .st-key-wall-overdue td { padding: 0.3rem 0.6rem !important; }
.st-key-wall-overdue th:nth-child(1) { width: 40%; } .st-key-wall-overdue th:nth-child(2) { width: 30%; }
.st-key-wall-overdue th:nth-child(3) { width: 10%; } .st-key-wall-overdue th:nth-child(4) { width: 20%; }
.st-key-wall-overdue td p { display: -webkit-box; -webkit-line-clamp: 1; -webkit-box-orient: vertical;
  overflow: hidden; }
</style>
"""
#: Chart text in pixels (Vega does not follow the page's rem sizes).
CHART_FONT = 16
ONLINE_COLOUR, OTHER_COLOUR = "#f59e0b", "#64748b"


def alarm_banner(alarms: list[Alarm], lang: str) -> None:
    """One red line naming every metric past its alarm threshold (nothing when all is well)."""
    if not alarms:
        return
    lines = []
    for alarm in alarms:
        metric = get_metric(alarm.metric)
        worse = "below" if metric.higher_is_better else "above"
        kind = "target" if alarm.from_target else "limit"
        lines.append(
            t(
                f"wall_alarm_{worse}_{kind}",
                lang,
                metric=metric.label(lang),
                value=fmt_value(alarm.value, metric.fmt, lang),
                threshold=fmt_value(alarm.threshold, metric.fmt, lang),
            )
        )
    body = " · ".join(html.escape(line) for line in lines)
    st.markdown(
        f"<div class='ioc-alarm'><b>⚠ {html.escape(t('wall_alarm_title', lang))}</b> · {body}</div>",
        unsafe_allow_html=True,
    )


def _intake_chart(hours: pd.DataFrame, lang: str) -> alt.Chart:
    online, other = t("wall_channel_online", lang), t("wall_channel_other", lang)
    long = pd.concat(
        [
            hours.assign(channel=online, count=hours["received_online"]),
            hours.assign(channel=other, count=hours["received"] - hours["received_online"]),
        ]
    )[["hour", "channel", "count"]]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("hour:O", title=t("wall_hour", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "sum(count):Q", title=t("wall_dossiers", lang), axis=alt.Axis(format=",d", tickMinStep=1)
            ),
            color=alt.Color(
                "channel:N",
                title=t("wall_channel", lang),
                scale=alt.Scale(domain=[online, other], range=[ONLINE_COLOUR, OTHER_COLOUR]),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("channel:N", sort="descending"),
            tooltip=[
                alt.Tooltip("hour:O", title=t("wall_hour", lang)),
                alt.Tooltip("channel:N", title=t("wall_channel", lang)),
                alt.Tooltip("count:Q", title=t("wall_dossiers", lang), format=",d"),
            ],
        )
        .properties(height=260)
        .configure(locale={"number": VEGA_NUMBER_LOCALE} if lang == "vi" else {})
        .configure_axis(labelFontSize=CHART_FONT, titleFontSize=CHART_FONT)
        .configure_legend(labelFontSize=CHART_FONT, titleFontSize=CHART_FONT)
    )


def intake_strip(today: data.Fetched | None, yesterday: data.Fetched | None, lang: str) -> None:
    """Today's dossiers by hour of receipt, online and not, and yesterday's count to the same time."""
    st.subheader(t("wall_intake_title", lang))
    if today is None:
        st.info(t("wall_section_unavailable", lang, reason=t("no_data", lang)))
        return
    st.altair_chart(_intake_chart(hourly_strip(today.value), lang), width="stretch")
    if yesterday is not None:
        st.caption(t("wall_intake_yesterday", lang, count=fmt_int(yesterday.value["received"].sum(), lang)))


def _short(name: str, limit: int = 64) -> str:
    """A long procedure name cut at a word, so a wall row stays one or two lines."""
    return name if len(name) <= limit else name[:limit].rsplit(" ", 1)[0] + "…"


def overdue_list(overdue: data.Fetched | None, as_of: dt.datetime, lang: str) -> None:
    """The longest-overdue open dossiers grouped by agency and procedure: how many, and the
    working days the oldest of each group is late (no dossier code, no person)."""
    with st.container(key="wall-overdue"):
        _overdue_table(overdue, as_of, lang)


def _overdue_table(overdue: data.Fetched | None, as_of: dt.datetime, lang: str) -> None:
    st.subheader(t("wall_overdue_title", lang))
    if overdue is None:
        st.info(t("wall_section_unavailable", lang, reason=t("no_data", lang)))
        return
    frame, cut = overdue.value
    if frame.empty:
        st.success(t("wall_overdue_none", lang))
        return
    late = working_days_late(frame["oldest_due_at"], as_of)
    shown = pd.DataFrame(
        {
            t("wall_overdue_agency", lang): frame["agency_name"],
            t("wall_overdue_procedure", lang): frame["procedure_name"].map(_short),
            t("wall_overdue_count", lang): frame["overdue"].map(lambda v: fmt_int(v, lang)),
            # Under one working day (due earlier today, or on a day off) reads "<1", not "0".
            t("wall_overdue_days", lang): late.map(lambda v: fmt_int(v, lang) if v else "<1"),
        }
    )
    st.table(shown, hide_index=True)
    if cut:
        st.caption(t("wall_overdue_cut", lang, n=len(frame)))
