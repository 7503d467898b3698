"""The wall's building blocks: the alarm banner, today's intake strip and the overdue list.

They draw what they are given (fetched results from ``ui.wall_data``, alarms from
``metrics.wall``); a part whose data is not there yet says so instead of failing the screen.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_int, fmt_points, fmt_value
from metrics.registry import get_metric
from metrics.wall import DERIVED, Alarm, higher_is_better, hourly_strip, working_days_late
from ui import data, status, vega_lite
from ui.map_frame import short_name
from ui.markup import html_text
from ui.wall_units import STYLE as BOARD_STYLE

#: Alarmed tiles (containers keyed ``wall-alarm-<metric>``) turn red; the banner is red; the overdue
#: list keeps one line a row so it fits under the tiles on a 1080-line wall.
STYLE = """
<style>
[class*="st-key-wall-alarm-"] { border: 0.2rem solid #D55E00 !important; background: rgba(213, 94, 0, 0.18); }
.ioc-alarm { background: #D55E00; color: #fff; border-radius: 0.4rem; padding: 0.2rem 0.8rem;
  font-size: 1.3rem; line-height: 1.25; display: flex; gap: 1rem; align-items: baseline;
  margin-bottom: 1rem; /* Streamlit pulls a Markdown block up by 1rem (for a paragraph's margin) */ }
.ioc-alarm ul { margin: 0; padding: 0; list-style: none; }
.ioc-alarm li { margin: 0; padding: 0; font-size: inherit; }
.ioc-alarm .ioc-st { font-weight: 800; }
.st-key-wall-overdue table { table-layout: fixed; width: 100%; }
.st-key-wall-overdue th, .st-key-wall-overdue td { padding: 0.3rem 0.6rem !important; }
.st-key-wall-overdue th:nth-child(1) { width: 32%; } .st-key-wall-overdue th:nth-child(2) { width: 28%; }
.st-key-wall-overdue th:nth-child(3) { width: 14%; white-space: nowrap; }
.st-key-wall-overdue th:nth-child(4) { width: 26%; }
.ioc-overdue { table-layout: fixed; }
.st-key-wall-overdue .ioc-overdue td, .st-key-wall-overdue .ioc-overdue th
  { padding: 0.03rem 0.4rem !important; }
.ioc-overdue td { overflow: hidden; text-overflow: ellipsis; }
.ioc-overdue th { white-space: normal !important; vertical-align: bottom; }
.ioc-strip { font-size: 1rem; line-height: 1.2; display: -webkit-box; /* lines: the element's own */
  -webkit-box-orient: vertical; overflow: hidden; margin-bottom: 1rem; /* as the banner's */ }
.ioc-strip b { white-space: nowrap; }
.st-key-wall-overdue td p { display: -webkit-box; -webkit-line-clamp: 1; -webkit-box-orient: vertical;
  overflow: hidden; }
</style>
"""
#: Chart text in pixels (Vega does not follow the page's rem sizes).
CHART_FONT = 16
ONLINE_COLOUR, OTHER_COLOUR = status.SKY_BLUE, status.ORANGE  # Okabe–Ito


#: Units named per rule in the banner (the worst); the rest are counted. Two keep a rule's line
#: to one line of the wall (docs/screens.md).
BANNER_UNITS = 2
#: Characters of a banner line that fit one line of a 1920-wide wall (1.3rem type beside the
#: title; 122 took 1,508 of the 1,618 px on the full sample's banner).
BANNER_LINE_CHARS = 125


def measure_label(measure: str, lang: str) -> str:
    """The label of an alarm's measure: a registry metric, or a derived share (catalogue)."""
    return t(f"wall_measure_{measure}", lang) if measure in DERIVED else get_metric(measure).label(lang)


def measure_fmt(measure: str) -> str:
    """The format of an alarm's measure ('pct' for a derived share)."""
    return "pct" if measure in DERIVED else get_metric(measure).fmt


def _rule_text(alarm: Alarm, lang: str) -> str:
    """What a rule says, with its threshold: 'thấp hơn mục tiêu 98,0% quá 5 điểm %'."""
    fmt = measure_fmt(alarm.measure)
    if alarm.kind == "below_target_by" and alarm.target is not None:
        margin = fmt_points(alarm.target - alarm.threshold, 0, lang).lstrip("+−±")
        return t("wall_rule_below_target_by", lang, target=fmt_value(alarm.target, fmt, lang), margin=margin)
    worse = "above" if not higher_is_better(alarm.measure) else "below"
    return t(f"wall_rule_{worse}_limit", lang, threshold=fmt_value(alarm.threshold, fmt, lang))


def alarm_line(group: list[Alarm], lang: str) -> str:
    """One rule's alarms in words: where (the province, or the level and its worst units with
    their values, the rest counted), the measure and the rule it breaks."""
    first = group[0]
    fmt = measure_fmt(first.measure)
    rule = f"{measure_label(first.measure, lang)} {_rule_text(first, lang)}"
    if first.level == "province":
        return t("wall_alarm_province_line", lang, rule=rule, value=fmt_value(first.value, fmt, lang))
    named = [f"{short_name(a.unit_name)} {fmt_value(a.value, fmt, lang)}" for a in group[:BANNER_UNITS]]
    units = "; ".join(named)
    if len(group) > BANNER_UNITS:
        units += " " + t("wall_alarm_more", lang, n=fmt_int(len(group) - BANNER_UNITS, lang))
    return t("wall_alarm_units_line", lang, level=t(f"level_{first.level}", lang), rule=rule, units=units)


def alarm_lines(alarms: list[Alarm], lang: str) -> list[str]:
    """The banner's lines: one per rule that fires (measure and level), the province first."""
    groups: dict[tuple[str, str], list[Alarm]] = {}
    for alarm in alarms:
        groups.setdefault((alarm.measure, alarm.level), []).append(alarm)
    ordered = sorted(groups.values(), key=lambda g: g[0].level != "province")
    return [alarm_line(group, lang) for group in ordered]


def banner_lines(alarms: list[Alarm], lang: str) -> int:
    """The lines the banner takes on the wall (a long rule wraps onto a second); 0 without alarms."""
    return sum(math.ceil(len(line) / BANNER_LINE_CHARS) for line in alarm_lines(alarms, lang))


def alarm_banner(alarms: list[Alarm], lang: str) -> None:
    """One banner naming every unit past an alarm threshold, and by how much (nothing when all is
    well): a white triangle and the word, never the colour alone."""
    if not alarms:
        return
    body = "".join(f"<li>{html.escape(line)}</li>" for line in alarm_lines(alarms, lang))
    title = status.badge("alarm", t("wall_alarm_title", lang))
    with st.container(key="wall-banner"):
        st.markdown(f"<div class='ioc-alarm'>{title}<ul>{body}</ul></div>", unsafe_allow_html=True)


def _intake_chart(hours: pd.DataFrame, lang: str) -> dict[str, object]:
    """Stacked bars of today's receipts by hour, online and not (the Vega-Lite spec: drawn on
    every refresh of the wall, ``ui.vega_lite``)."""
    online, other = t("wall_channel_online", lang), t("wall_channel_other", lang)
    long = pd.concat(
        [
            hours.assign(channel=online, count=hours["received_online"]),
            hours.assign(channel=other, count=hours["received"] - hours["received_online"]),
        ]
    )[["hour", "channel", "count"]]
    hour = {"field": "hour", "title": t("wall_hour", lang), "type": "ordinal"}
    channel = {"field": "channel", "title": t("wall_channel", lang), "type": "nominal"}
    count = {"field": "count", "format": ",d", "title": t("wall_dossiers", lang), "type": "quantitative"}
    font = {"labelFontSize": CHART_FONT, "titleFontSize": CHART_FONT}
    scale = {"domain": [online, other], "range": [ONLINE_COLOUR, OTHER_COLOUR]}
    return {
        "$schema": vega_lite.SCHEMA_URL,
        "config": vega_lite.VIEW | {"axis": font, "legend": font, "locale": vega_lite.locale(lang)},
        "data": {"values": vega_lite.records(long)},
        "mark": {"type": "bar"},
        "encoding": {
            "color": channel | {"legend": {"orient": "top"}, "scale": scale},
            "order": {"field": "channel", "sort": "descending", "type": "nominal"},
            "tooltip": [hour, channel, count],
            "x": hour | {"axis": {"labelAngle": 0}},
            "y": {
                "aggregate": "sum",
                "axis": {"format": ",d", "tickMinStep": 1},
                "field": "count",
                "title": t("wall_dossiers", lang),
                "type": "quantitative",
            },
        },
        "height": 260,
    }


def intake_strip(today: data.Fetched | None, yesterday: data.Fetched | None, lang: str) -> None:
    """Today's dossiers by hour of receipt, online and not, and yesterday's count to the same time."""
    st.subheader(t("wall_intake_title", lang))
    if today is None:
        st.info(t("wall_section_unavailable", lang, reason=t("no_data", lang)))
        return
    st.vega_lite_chart(_intake_chart(hourly_strip(today.value), lang), width="stretch")
    if yesterday is not None:
        st.caption(t("wall_intake_yesterday", lang, count=fmt_int(yesterday.value["received"].sum(), lang)))


#: The one-stop desks' common prefix: on the wall the People's Committee's name says which desk.
_DESK_PREFIX = re.compile(r"^bộ phận (một cửa|tiếp nhận và trả kết quả)\s+(?=\S)", re.IGNORECASE)


def short_agency(name: object) -> str:
    """'Bộ phận một cửa UBND xã Lộc Thái' → 'UBND xã Lộc Thái' (for the wall's narrow columns);
    any other agency's name is kept."""
    return _DESK_PREFIX.sub("", str(name))


def strip(key: str, lead: str, body: str, lines: int = 3) -> None:
    """One wall line of wall type: ``lead`` in bold, then ``body`` (HTML, escaped by the caller),
    cut to ``lines`` lines on screen (an ellipsis says there was more)."""
    with st.container(key=key):
        st.markdown(
            f"<div class='ioc-strip' style='-webkit-line-clamp: {int(lines)}'>"
            f"<b>{html_text(lead)}:</b> {body}</div>",
            unsafe_allow_html=True,
        )


def _short(name: str, limit: int = 64) -> str:
    """A long procedure name cut at a word, so a wall row stays one or two lines."""
    return name if len(name) <= limit else name[:limit].rsplit(" ", 1)[0] + "…"


def overdue_list(
    overdue: data.Fetched | None,
    as_of: dt.datetime,
    lang: str,
    on_wall: bool = False,
    rows: int | None = None,
) -> None:
    """The longest-overdue open dossiers grouped by agency and procedure: how many, and the
    working days the oldest of each group is late (no dossier code, no person). On the wall a
    compact HTML table in wall type (``ui.wall_units`` style), elsewhere ``st.table``; at most
    ``rows`` groups when given (the list says it was cut)."""
    with st.container(key="wall-overdue"):
        _overdue_table(overdue, as_of, lang, on_wall, rows)


def _overdue_table(
    overdue: data.Fetched | None, as_of: dt.datetime, lang: str, on_wall: bool, rows: int | None
) -> None:
    frame, cut = overdue.value if overdue is not None else (None, False)
    if frame is not None and rows is not None and len(frame) > rows:
        frame, cut = frame.head(rows), True
    title = t("wall_overdue_title", lang)
    if cut and on_wall:  # English needs its singular: "(first group)", not "(first 1 groups)"
        key = "wall_overdue_title_cut_one" if len(frame) == 1 else "wall_overdue_title_cut"
        title = t(key, lang, title=title, n=len(frame))
    st.subheader(title)
    if overdue is None or frame is None:
        st.info(t("wall_section_unavailable", lang, reason=t("no_data", lang)))
        return
    if frame.empty:
        st.success(t("wall_overdue_none", lang))
        return
    late = working_days_late(frame["oldest_due_at"], as_of)
    shown = pd.DataFrame(
        {
            t("wall_overdue_agency", lang): frame["agency_name"].map(short_agency if on_wall else str),
            t("wall_overdue_procedure", lang): frame["procedure_name"].map(_short),
            t("wall_overdue_count", lang): frame["overdue"].map(lambda v: fmt_int(v, lang)),
            # Under one working day (due earlier today, or on a day off) reads "<1", not "0".
            t("wall_overdue_days", lang): late.map(lambda v: fmt_int(v, lang) if v else "<1"),
        }
    )
    if on_wall:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
            for row in shown.itertuples(index=False)
        )
        st.markdown(
            f"{BOARD_STYLE}<table class='ioc-board ioc-overdue'><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>",
            unsafe_allow_html=True,
        )
    else:
        st.table(shown, hide_index=True)
    if cut and not on_wall:  # the wall says it in the title; its tile has the total
        st.caption(t("wall_overdue_cut", lang, n=len(frame)))
