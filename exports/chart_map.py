"""The press map: one mark per unit at its seat on a Mercator projection (no tiles), coloured
against the target in the wall map's classes (``ui.map_frame``: the rule, the colours and the
legend's ranges are that module's), with a shape per class so status is not told by colour alone.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from exports.figures import Figure
from exports.style import AXIS_FORMAT, GREY, INK, MUTED, WIDTH
from i18n.catalogue import t
from ui.map_frame import COLOURS, LegendEntry, legend_entries

#: Above this many units the map leaves names and values to the table.
MAP_LABEL_LIMIT = 30


#: Shapes of the target classes, as the wall map's legend draws them (ui.map_frame, app_pages/map.py):
#: status is never told by colour alone.
CATEGORY_SHAPES = {"met": "circle", "near": "diamond", "below": "triangle-up", "unknown": "square"}


def _map_marks(fig: Figure, points: pd.DataFrame) -> dict[str, Any]:
    """Colour (and shape) of the circles: against the target in the wall map's three classes
    (``ui.map_frame.colour_category``: met, near, below, and grey for none); a metric without a
    target on a single-hue ramp, as the wall map does.
    """
    assert fig.metric is not None
    metric = fig.metric
    if fig.target is None:
        scale = alt.Scale(scheme="blues" if metric.higher_is_better else "orangered")
        legend = alt.Legend(title=metric.label(fig.lang), format=AXIS_FORMAT[metric.fmt], orient="right")
        colour = alt.Color("value:Q", scale=scale, legend=legend)
        return {"color": alt.condition("datum.value != null", colour, alt.value(GREY))}
    entries = {e.category: e for e in legend_entries(points, metric, fig.target, fig.lang)}
    order = [c for c in CATEGORY_SHAPES if c in set(points["category"])]
    names = [_legend_name(entries[c], fig.lang) for c in order]
    legend = alt.Legend(title=metric.label(fig.lang), orient="right", symbolSize=160, labelLimit=260)
    return {
        "color": alt.Color(
            "category_name:N",
            scale=alt.Scale(domain=names, range=[_hex(COLOURS[c]) for c in order]),
            legend=legend,
        ),
        "shape": alt.Shape(
            "category_name:N",
            scale=alt.Scale(domain=names, range=[CATEGORY_SHAPES[c] for c in order]),
            legend=legend,
        ),
    }


def _legend_name(entry: LegendEntry, lang: str) -> str:
    """'Đạt mục tiêu (≥ 98,0%)'; the grey class covers hidden units too."""
    if entry.category == "unknown":
        return t("press_map_unknown", lang)
    return f"{entry.meaning} ({entry.values})"


def _hex(rgba: list[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgba[:3])


def _with_category_names(fig: Figure, points: pd.DataFrame) -> pd.DataFrame:
    if fig.target is None or fig.metric is None:
        return points
    entries = {e.category: e for e in legend_entries(points, fig.metric, fig.target, fig.lang)}
    return points.assign(category_name=[_legend_name(entries[c], fig.lang) for c in points["category"]])


def _map_margin(points: pd.DataFrame) -> pd.DataFrame:
    """Invisible corners a little outside the seats, so the fitted projection leaves room for labels."""
    lon, lat = points["lon"].astype(float), points["lat"].astype(float)
    pad_lon = max(0.05, (lon.max() - lon.min()) * 0.12)
    pad_lat = max(0.05, (lat.max() - lat.min()) * 0.12)
    return pd.DataFrame(
        {"lon": [lon.min() - pad_lon, lon.max() + pad_lon], "lat": [lat.min() - pad_lat, lat.max() + pad_lat]}
    )


def unit_map(fig: Figure) -> alt.LayerChart:
    """A bubble map: one circle per unit at its seat, coloured by the metric; grey when hidden."""
    assert fig.metric is not None
    points = _with_category_names(fig, fig.data.dropna(subset=["lat", "lon"]))
    if points.empty:  # no unit has a seat: say so rather than draw an empty frame
        note = pd.DataFrame({"text": [t("press_no_seats", fig.lang)]})
        return alt.layer(
            alt.Chart(note).mark_text(fontSize=14, color=MUTED).encode(text="text:N")
        ).properties(width=WIDTH, height=120)
    at = {"longitude": "lon:Q", "latitude": "lat:Q"}
    size = 520 if len(points) <= MAP_LABEL_LIMIT else 140
    circles = (
        alt.Chart(points)
        .mark_point(size=size, filled=True, opacity=0.95, stroke="white", strokeWidth=1.2)
        .encode(**at, **_map_marks(fig, points))
    )
    margin = alt.Chart(_map_margin(points)).mark_point(opacity=0).encode(**at)
    layers: list[Any] = [margin, circles]
    if len(points) <= MAP_LABEL_LIMIT:
        layers.append(
            alt.Chart(points).mark_text(dy=-19, fontSize=11, color=INK).encode(**at, text="unit_name:N")
        )
        shown = alt.Chart(points).transform_filter("datum.note == null")
        layers.append(
            shown.mark_text(dy=21, fontSize=11, fontWeight="bold", color=INK).encode(
                **at, text="value_text:N"
            )
        )
        noted = alt.Chart(points).transform_filter("datum.note != null")
        layers.append(
            noted.mark_text(dy=21, fontSize=11, fontStyle="italic", color=MUTED).encode(**at, text="note:N")
        )
    return alt.layer(*layers).project(type="mercator").properties(width=WIDTH, height=500)
