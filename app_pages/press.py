"""Xuất bản (Press room): pick a chart, a unit and a period, see it as it will be published, and
download it as PNG (2×), SVG, PDF and its data as CSV and XLSX. The files are built only when a
download button is clicked (``st.download_button(data=callable)``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import settings
from exports import render as files
from exports.charts import build_chart
from exports.figures import Figure, build_figure
from exports.options import CHARTS, DEFAULT_METRIC, FORMATS, UNIT_CHARTS
from exports.request import ExportError, ExportRequest, default_level
from i18n.catalogue import t
from i18n.format import NA, fmt_value
from metrics.registry import METRICS, get_metric
from timebase.period import Period, PeriodError, month_to_date, parse_period
from ui import chrome, controls, data, report_views
from ui.markup import md
from ui.press_data import PageSource

#: Months offered in the period list (besides the month to date and a period from the URL).
RECENT_MONTHS = 24


def _period_tokens(now: dt.datetime) -> list[str]:
    """'mtd', then the last full months, newest first: '2026-10', '2026-09', …"""
    first = pd.Timestamp(now.date().replace(day=1))
    months = [first - pd.DateOffset(months=i) for i in range(1, RECENT_MONTHS + 1)]
    return ["mtd", *[f"{m.year}-{m.month:02d}" for m in months]]


def _period_of(token: str, now: dt.datetime) -> Period:
    return month_to_date(now) if token == "mtd" else parse_period(token, now)


def _pick_period(now: dt.datetime, lang: str) -> str:
    tokens = _period_tokens(now)
    wanted = st.query_params.get("period")
    if wanted and wanted not in tokens:
        shown = controls.period_param(now, lang)  # warns about a bad value, clips a range of days
        try:
            _period_of(wanted, now)
            if ".." in wanted:  # the days the note says are shown
                wanted = f"{shown.start.isoformat()}..{shown.end.isoformat()}"
            tokens.insert(1, wanted)
        except PeriodError:
            wanted = None
    index = tokens.index(wanted) if wanted in tokens else (1 if len(tokens) > 1 else 0)
    return st.selectbox(
        t("press_period", lang),
        tokens,
        index=index,
        format_func=lambda tok: (
            t("press_period_mtd", lang) if tok == "mtd" else controls.period_label(_period_of(tok, now), lang)
        ),
        key="press_period",
    )


def _pick(label: str, options: list[str], current: str, fmt: object, key: str) -> str:
    index = options.index(current) if current in options else 0
    return st.selectbox(label, options, index=index, format_func=fmt, key=key)  # type: ignore[arg-type]


def _unit_param(source: PageSource, levels: list[str], options: list[str], period: Period, lang: str) -> str:
    """The URL's unit if it is one of ``options``; a code of another level falls back quietly
    (the level was changed), anything else gets the bad-parameter message."""
    raw = st.query_params.get("unit")
    if raw is None or raw in options:
        return raw or options[0]
    known = {str(c) for lvl in levels for c in source.units(lvl, period)["code"]}
    if raw not in known:
        controls.choice_param("unit", options, options[0], lang)
    return options[0]


def _chart_changed() -> None:
    """A chart about one unit opens on the province: the level and unit of the chart before
    (a ranking's district level, its highlighted commune) are forgotten."""
    if st.session_state.get("press_chart") in UNIT_CHARTS:
        for key in ("press_level", "press_unit"):
            st.session_state.pop(key, None)
        controls.set_params(level=None, unit=None)


def _controls(source: PageSource, now: dt.datetime, lang: str) -> ExportRequest:
    """The chart, level, unit, metric and period widgets; their values go back to the URL."""
    cols = st.columns(5)
    chart = controls.choice_param("chart", CHARTS, "ranking", lang) or "ranking"
    with cols[0]:
        index = CHARTS.index(chart)
        chart = st.selectbox(
            t("press_chart", lang),
            list(CHARTS),
            index=index,
            format_func=lambda c: t(f"press_chart_{c}", lang),
            key="press_chart",
            on_change=_chart_changed,
        )
    with cols[4]:  # first: the levels and units offered are those of the period
        token = _pick_period(now, lang)
    period = _period_of(token, now)
    levels = source.levels(period)
    level = controls.choice_param(
        "level",
        levels,
        levels[0] if chart in UNIT_CHARTS else default_level(levels),
        lang,
        elsewhere=source.levels_ever(),
    )
    if chart in UNIT_CHARTS and st.query_params.get("unit") is None:
        level = levels[0]  # one unit's chart without a unit: the province, whatever level came before
    with cols[1]:
        level = _pick(
            t("press_level", lang), levels, level or "", lambda v: t(f"level_{v}", lang), "press_level"
        )
    units = source.units(level, period)
    names = {str(c): str(n) for c, n in zip(units["code"], units["name"], strict=True)}
    options = list(names) if chart in UNIT_CHARTS else ["", *names]
    unit = _unit_param(source, levels, options, period, lang)
    with cols[2]:
        unit = _pick(t("press_unit", lang), options, unit, lambda c: names.get(c, NA), "press_unit")
    metric = (
        controls.choice_param("metric", [m.name for m in METRICS], DEFAULT_METRIC, lang) or DEFAULT_METRIC
    )
    if chart not in ("headline", "channels", "score"):
        with cols[3]:
            label = t("press_metric", lang)
            metric = _pick(
                label, [m.name for m in METRICS], metric, lambda n: get_metric(n).label(lang), "press_metric"
            )
    controls.set_params(chart=chart, level=level, unit=unit or None, metric=metric, period=token)
    return ExportRequest(chart, period, level, unit or None, metric, lang)


def _shown_table(fig: Figure) -> pd.DataFrame:
    """The table behind the chart as text in Vietnamese formats (suppressed cells as they are),
    each figure against its target where the figure has one (never rounded onto it)."""
    shown = fig.table.copy()
    for column, formats in fig.formats.items():
        values = shown[column].tolist()
        fmts = formats if isinstance(formats, list) else [formats] * len(values)
        goal = fig.targets.get(column)
        goals = goal if isinstance(goal, list) else [goal] * len(values)
        shown[column] = [
            v
            if isinstance(v, str)
            else NA
            if v is None or pd.isna(v)
            else fmt_value(v, f, fig.lang, target=g)
            for v, f, g in zip(values, fmts, goals, strict=True)
        ]
    return shown.fillna(NA).astype(str)


def _downloads(fig: Figure, lang: str) -> None:
    """One button a format; the file is rendered in the callable, only when it is clicked."""
    for col, fmt in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
        col.download_button(
            t("press_download", lang, fmt=fmt.upper()),
            data=lambda fmt=fmt: files.render(fig, fmt),
            file_name=files.file_name(fig, fmt),
            mime=files.MIME[fmt],
            key=f"press_download_{fmt}",
            on_click="ignore",
            icon=":material/download:",
        )


def render_page(lang: str) -> None:
    """Draw the Press room in ``lang``."""
    source = PageSource()
    meta = source.meta()
    st.title(t("press_title", lang))
    chrome.sample_label(meta, lang)
    st.caption(t("press_intro", lang))
    request = _controls(source, data.live_as_of(), lang)
    try:
        fig = build_figure(
            request,
            source,
            min_cell=int(settings.get("IOC_MIN_CELL")),
            min_dossiers=int(settings.get("IOC_MIN_DOSSIERS")),
            rules=chrome.score_rules(),
        )
    except ExportError as exc:
        st.warning(md(exc))
        return
    st.altair_chart(build_chart(fig), theme=None, key="press_preview")
    st.caption(t("press_preview_note", lang))
    _downloads(fig, lang)
    st.subheader(t("press_data_title", lang))
    st.dataframe(_shown_table(fig), hide_index=True, key="press_table")
    judged = source.oldest()
    if judged is not None:
        chrome.freshness(judged.fetched_at, judged.error, lang)


def render() -> None:
    """The Press room (Xuất bản)."""
    lang = chrome.lang()
    st.markdown(chrome.STYLE, unsafe_allow_html=True)
    try:
        render_page(lang)
        report_views.render_section(lang)  # "Báo cáo": Biểu 06/VPCP/KSTT
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
