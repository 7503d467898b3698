"""Bản đồ: the province's units of one level, coloured by a metric against its target, extruded
(or sized) by the dossiers they handled; click a unit to see the level below it.

Everything the view depends on lives in the URL (``?level=commune&unit=692&metric=online_share
&view=seats&period=2026-10``), validated by ``ui.controls``, so a kiosk rotation or a reload comes
back to the same map. No basemap: the deck has ``map_provider=None`` and makes no request.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

import settings
from data_access.queries import ShapeFileError
from i18n.catalogue import t
from i18n.format import fmt_int, fmt_value
from metrics.compute import compute
from metrics.registry import DESK_METRICS, METRICS, Metric, get_metric
from metrics.tables import with_desk_counts
from metrics.targets import target_for
from timebase.period import Period
from ui import chrome, controls, data, kiosk, map_data, map_layers
from ui.markup import html_text, md, tmd

DEFAULT_METRIC = "on_time_rate"
#: Every metric of the registry, then intake by place (the receiving desk: rules.md "Attribution").
MAP_METRICS = [m.name for m in (*METRICS, *DESK_METRICS)]
VIEWS = ("areas", "seats")
MAP_HEIGHT = 700
#: On the wall (kiosk mode) the map takes the height of a 1080-line screen under the title.
WALL_MAP_HEIGHT = 840
#: The canvas width the view is fitted to (the column is narrower than the page and Python does
#: not know the browser's width): the map column at a 1366 px screen (615 px), and on the wall
#: at 1920×1080 (1332 px), less a margin. A wider canvas shows the same map with more room.
MAP_WIDTH = 600
WALL_MAP_WIDTH = 1100
STYLE = """
<style>
.ioc-map-legend {font-size: 1.45rem; line-height: 1.3; margin-top: .4rem;}
.ioc-map-legend .head {font-weight: 700; font-size: 1.55rem;}
.ioc-map-legend .row {display: grid; grid-template-columns: 1.5em 1fr auto; column-gap: .5em;
  align-items: center; margin: .45rem 0;}
.ioc-map-legend .sw {width: 1.5em; height: 1.5em; border-radius: 5px; border: 1px solid #e5e7eb66;}
.ioc-map-legend .sw-met {border-radius: 50%;}
.ioc-map-legend .sw-near {transform: rotate(45deg) scale(.8); border-radius: 2px;}
.ioc-map-legend .sw-below {clip-path: polygon(50% 0, 100% 100%, 0 100%); border-radius: 0; border: 0;}
.ioc-map-legend .sw-few {background: repeating-linear-gradient(45deg, #cbd5e1 0 .18em,
  transparent .18em .4em) !important; border-color: #cbd5e1;}
.ioc-map-legend .sw-unknown {border-radius: 50%; background: transparent !important;
  border: .2em solid #94a3b8;}
.ioc-map-legend .v {font-weight: 700;}
.ioc-map-legend .m, .ioc-map-legend .note {font-size: 1.05rem; opacity: .8;}
.ioc-map-legend .n {font-size: 1.15rem; opacity: .85; text-align: right;}
/* Streamlit's markdown block ends 1rem higher than it is, for a paragraph's margin: the note is a
   div, so it brings its own, or the wall's tight gaps put the update time over it. */
.ioc-map-note {font-size: 1.15rem; color: #fbbf24; font-weight: 600; margin-bottom: 1rem;}
.ioc-map-place {font-size: 1.3rem; line-height: 1.4;}
</style>
"""


@dataclass(frozen=True)
class MapView:
    """What the URL asks for, validated: level shown, parent unit (or None), metric, drawing."""

    level: str
    unit: str | None
    metric: Metric
    view: str
    period: Period
    below: str | None  # the level a click drills into; None at the lowest level


def _view_from_url(
    levels: list[str], level: str, parents: pd.DataFrame, period: Period, lang: str
) -> MapView:
    """The rest of the view, once the level (and so the parent level's units) is known."""
    asked = st.query_params.get("level")
    # A drill-down into a level the period does not have (districts after 1/7/2025) starts over
    # at the top of the level shown, quietly, as a changed level does.
    unit = (
        None
        if asked not in (None, "", level)
        else controls.choice_param("unit", parents["unit_code"].astype(str).tolist(), None, lang)
    )
    metric = controls.choice_param("metric", MAP_METRICS, DEFAULT_METRIC, lang)
    index = levels.index(level)
    return MapView(
        level=level,
        unit=unit,
        metric=get_metric(metric or DEFAULT_METRIC),
        view=controls.choice_param("view", VIEWS, VIEWS[0], lang) or VIEWS[0],
        period=period,
        below=levels[index + 1] if index + 1 < len(levels) else None,
    )


def _on_pick(key: str, below: str | None) -> None:
    """A click on a unit: show the level below it (the URL keeps the drill-down)."""
    code = map_layers.selected_unit(st.session_state.get(key))
    if code and below:
        controls.set_params(level=below, unit=code)


def _controls(view: MapView, lang: str) -> None:
    """Metric and drawing choices; the URL holds their values, the widgets write it on change."""
    st.session_state["map_metric"] = view.metric.name
    st.selectbox(
        t("map_metric", lang),
        MAP_METRICS,
        format_func=lambda name: get_metric(name).label(lang),
        key="map_metric",
        on_change=lambda: controls.set_params(metric=st.session_state["map_metric"]),
    )
    st.session_state["map_view"] = view.view
    st.radio(
        t("map_view", lang),
        VIEWS,
        format_func=lambda v: t(f"map_view_{v}", lang),
        key="map_view",
        on_change=lambda: controls.set_params(view=st.session_state["map_view"]),
    )


def _up_button(
    view: MapView, levels: list[str], parents: pd.DataFrame, province_name: str, lang: str
) -> None:
    """'Về …' whenever the map shows less than the whole first level below the province."""
    first = levels[1]
    parent_level = levels[levels.index(view.level) - 1]
    drilled = view.unit is not None and parent_level != "province"
    if not drilled and view.level == first:
        return
    up_unit, place = None, province_name
    if drilled and parent_level != first:
        row = parents[parents["unit_code"].astype(str) == view.unit]
        up_unit = str(row.iloc[0]["parent_code"]) if len(row) else None
        place = _unit_name(levels[levels.index(parent_level) - 1], up_unit, view.period) or place
    st.button(
        t("map_up", lang, place=place),
        key="map_up",
        on_click=controls.set_params,
        kwargs={"level": parent_level, "unit": up_unit},
        width="stretch",
    )


def _unit_name(level: str, code: str | None, period: Period) -> str | None:
    try:
        frame = data.unit_counters(level, period).value
    except data.DataUnavailable:
        return None
    row = frame[frame["unit_code"].astype(str) == code]
    return str(row.iloc[0]["unit_name"]) if len(row) else None


def _figure_line(row: pd.Series, key: str, metric: Metric, lang: str) -> None:
    """One unit's figure in words: name, metric value, target and dossiers handled."""
    text = t(
        key,
        lang,
        place=row["unit_name"],
        name=row["unit_name"],
        metric=metric.label(lang),
        value=row["value_text"],
        target=row["target_text"],
        volume=row["volume_text"],
    )
    st.markdown(f"<div class='ioc-map-place'>{html_text(text)}</div>", unsafe_allow_html=True)


def _place_line(place: pd.Series, place_level: str, view: MapView, targets: pd.DataFrame, lang: str) -> None:
    """The figure of the place the map is inside: the province, or the district clicked."""
    table = compute(pd.DataFrame([place]))
    frame = map_layers.map_frame(
        table, view.metric, targets, view.period.end.year, place_level, lang, min_base=_min_base()
    )
    if len(frame):
        _figure_line(frame.iloc[0], "map_place_total", view.metric, lang)


def _legend(frame: pd.DataFrame, view: MapView, targets: pd.DataFrame, lang: str) -> None:
    """The legend, in type large enough to read across the room."""
    found = target_for(targets, view.metric.target_key, view.period.end.year, level=view.level)
    target = found[0] if found else None
    head = (
        t("map_legend_target", lang, value=fmt_value(target, view.metric.fmt, lang))
        if target is not None
        else t("map_legend_no_target", lang)
    )
    parts = [f"<div class='head'>{html.escape(head)}</div>"]
    for entry in map_layers.legend_entries(frame, view.metric, target, lang, _min_base()):
        count = t("map_legend_units", lang, n=entry.count) if entry.count else ""
        parts.append(
            f"<div class='row'><div class='sw sw-{entry.category}' style='background:{entry.colour}'></div>"
            f"<div><span class='v'>{entry.values}</span> <span class='m'>{entry.meaning}</span></div>"
            f"<div class='n'>{count}</div></div>"
        )
    most = fmt_int(frame["volume"].max() if len(frame) else 0, lang)
    size_key = "map_legend_height" if view.view == "areas" else "map_legend_size"
    parts.append(f"<div class='note'>{t(size_key, lang, value=most)}</div>")
    st.markdown(f"<div class='ioc-map-legend'>{''.join(parts)}</div>", unsafe_allow_html=True)


def _min_base() -> int:
    """Units with fewer dossiers than this are "few" on the map, as the ranking flags them."""
    return int(settings.get("IOC_MIN_DOSSIERS"))


def _shapes(frame: pd.DataFrame, view: MapView, lang: str) -> tuple[dict[str, list] | None, str]:
    """Boundary polygons for every unit of ``frame`` if the configured file has them all, and the
    note saying what the map shows."""
    if view.view == "seats":
        return None, t("map_seats_note", lang)
    try:
        loaded = map_data.unit_shapes()
    except ShapeFileError as exc:
        st.warning(tmd("map_shapes_error", lang, reason=str(exc)[:200]))
        loaded = None
    if loaded is None:
        return None, t("map_schematic", lang)
    missing = [code for code in frame["unit_code"] if code not in loaded.polygons]
    if missing:
        st.caption(tmd("map_shapes_missing", lang, n=len(missing), codes=", ".join(missing[:8])))
        return None, t("map_schematic", lang)
    return loaded.polygons, t("map_boundaries", lang, source=loaded.source)


def _draw_map(frame: pd.DataFrame, view: MapView, lang: str, on_wall: bool = False) -> None:
    shapes, note = _shapes(frame, view, lang)
    drawable = frame if shapes is not None else frame[frame["lat"].notna() & frame["lon"].notna()]
    if len(drawable) < len(frame):
        lost = frame.loc[~frame["unit_code"].isin(drawable["unit_code"]), "unit_name"].tolist()
        st.caption(tmd("map_no_seat", lang, names=", ".join(map(str, lost[:10]))))
    label_px = 22 if len(drawable) <= 12 else 17 if len(drawable) <= 40 else 13
    height = WALL_MAP_HEIGHT if on_wall else MAP_HEIGHT
    width = WALL_MAP_WIDTH if on_wall else MAP_WIDTH
    deck = map_layers.build_deck(
        drawable, shapes, view.view, label_size_px=label_px, height_px=height, width_px=width
    )
    key = f"map_deck_{view.level}_{view.unit or 'all'}"  # a drill-down starts with no selection
    state = st.pydeck_chart(
        deck,
        height=height,
        on_select=functools.partial(_on_pick, key, view.below),
        selection_mode="single-object",
        key=key,
        alt=t("map_alt", lang, level=t(f"level_{view.level}", lang).lower(), metric=view.metric.label(lang)),
    )
    schematic = shapes is None and view.view == "areas"
    help_text = html.escape(t("map_schematic_help", lang), quote=True) if schematic else ""
    st.markdown(
        f"<div class='ioc-map-note' title='{help_text}'>{html.escape(note, quote=False)}</div>",
        unsafe_allow_html=True,
    )
    picked = frame[frame["unit_code"] == map_layers.selected_unit(state)]
    if on_wall:  # nobody clicks a wall
        return
    if view.below is None and len(picked):
        _figure_line(picked.iloc[0], "map_selected", view.metric, lang)
    elif view.below is not None:
        st.caption(t("map_click_hint", lang, level=t(f"level_{view.below}", lang).lower()))
    else:
        st.caption(t("map_lowest_hint", lang))


def render() -> None:
    """Draw the map screen."""
    lang = chrome.lang()
    st.markdown(chrome.STYLE + STYLE, unsafe_allow_html=True)
    period = controls.period_param(data.live_as_of(), lang)
    try:
        meta = data.database_meta().value
        # The levels that have units during the period: no district after 1 July 2025.
        levels = data.levels(period).value
        ever = data.levels().value
        targets = data.targets().value
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    lower = [lvl for lvl in levels if lvl != "province"]
    if "province" not in levels or not lower:
        st.info(t("map_no_levels", lang))
        return
    level = controls.choice_param("level", lower, lower[0], lang, elsewhere=ever) or lower[0]
    try:
        province = data.unit_counters("province", period).value
        parents = data.unit_counters(levels[levels.index(level) - 1], period).value
        current = data.unit_counters(level, period)
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    view = _view_from_url(levels, level, parents, period, lang)
    if view.metric in DESK_METRICS:
        try:
            province, parents, current = _with_desks(levels, level, period, province, parents, current)
        except data.DataUnavailable as exc:
            chrome.database_error(str(exc), lang)
            return
    _render_view(view, levels, meta, targets, province, parents, current, lang)


def _with_desks(
    levels: list[str],
    level: str,
    period: Period,
    province: pd.DataFrame,
    parents: pd.DataFrame,
    current: data.Fetched,
) -> tuple[pd.DataFrame, pd.DataFrame, data.Fetched]:
    """The three unit frames with the receiving desk's counters, for an intake-by-place metric."""
    parent_level = levels[levels.index(level) - 1]
    return (
        with_desk_counts(province, data.desk_counts("province", period).value),
        with_desk_counts(parents, data.desk_counts(parent_level, period).value),
        replace(current, value=with_desk_counts(current.value, data.desk_counts(level, period).value)),
    )


def _render_view(
    view: MapView,
    levels: list[str],
    meta: dict[str, str],
    targets: pd.DataFrame,
    province: pd.DataFrame,
    parents: pd.DataFrame,
    current: data.Fetched,
    lang: str,
) -> None:
    province_name = str(province.iloc[0]["unit_name"]) if len(province) else meta.get("province_name", "")
    place, place_level = (province.iloc[0] if len(province) else None), "province"
    if view.unit is not None:
        place = parents[parents["unit_code"].astype(str) == view.unit].iloc[0]
        place_level = levels[levels.index(view.level) - 1]
    st.title(f"{t('nav_map', lang)} — {md(place['unit_name'] if place is not None else province_name)}")
    chrome.sample_label(meta, lang)
    # compute(), not tables.unit_metrics(): the same metric columns (unit_metrics calls compute)
    # without the 766 score, which the map never shows and which costs a rerun noticeable time.
    table = compute(current.value)
    if view.unit is not None:
        table = table[table["parent_code"].astype(str) == view.unit]
    frame = map_layers.map_frame(
        table, view.metric, targets, view.period.end.year, view.level, lang, min_base=_min_base()
    )
    on_wall = kiosk.is_on()  # the wall: no widget, its view comes from the URL
    left, right = st.columns([5, 2], gap="medium" if on_wall else "large")
    with right:
        st.subheader(f"{t(f'level_{view.level}', lang)} · {controls.period_label(view.period, lang)}")
        if place is not None:
            _place_line(place, place_level, view, targets, lang)
        if not on_wall:
            _up_button(view, levels, parents, province_name, lang)
            _controls(view, lang)
        if len(frame):
            _legend(frame, view, targets, lang)
    with left:
        if frame.empty:
            st.info(t("map_no_units", lang, level=t(f"level_{view.level}", lang).lower()))
        else:
            _draw_map(frame, view, lang, on_wall)
    chrome.freshness(current.fetched_at, current.error, lang)
