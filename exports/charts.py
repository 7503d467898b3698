"""Publication charts in Altair, one builder per kind, each drawing a :class:`Figure`.

Every value shown goes through a d3 format under the Vietnamese number locale (``exports.style``);
suppressed and N/A cells show their note ("ẩn", "<5", "—") instead of a bar or a point. No chart
reads data other than the figure's own aggregates, and the map uses no tiles: circles at the
units' seats on a Mercator projection.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from exports.figures import Figure
from exports.style import (
    AXIS_FORMAT,
    GREY,
    HIGHLIGHT,
    INK,
    LABEL_FORMAT,
    MET,
    MUTED,
    PRIMARY,
    TARGET,
    WIDTH,
    frame,
)
from i18n.catalogue import t

ROW = 26
CHANNEL_COLORS = ("#1f4e79", "#f59e0b", "#0f766e", GREY)
#: Above this many units the map leaves names and values to the table.
MAP_LABEL_LIMIT = 30


def _target_x(fig: Figure) -> list[alt.Chart]:
    """A vertical dashed target rule with its label at the top."""
    if fig.target is None:
        return []
    frame_ = pd.DataFrame({"target": [fig.target], "label": [fig.target_label]})
    rule = alt.Chart(frame_).mark_rule(color=TARGET, strokeDash=[5, 3], strokeWidth=1.5).encode(x="target:Q")
    text = (
        alt.Chart(frame_)
        .mark_text(
            align="right", baseline="bottom", dx=-4, dy=-2, color=TARGET, fontWeight="bold", fontSize=11
        )
        .encode(x="target:Q", y=alt.value(0), text="label:N")
    )
    return [rule, text]


def _value_scale(fig: Figure) -> alt.Scale:
    if fig.metric is not None and fig.metric.fmt == "pct":
        return alt.Scale(domain=[0, 1])
    return alt.Scale(zero=True, nice=True)


def ranking(fig: Figure) -> alt.LayerChart:
    """Horizontal bars, best first, the chosen unit highlighted, the target as a rule."""
    assert fig.metric is not None
    fmt, data = fig.metric.fmt, fig.data.drop(columns=["lat", "lon"])
    y = alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=280, ticks=False))
    base = alt.Chart(data).encode(y=y)
    x = alt.X("value:Q", title=None, scale=_value_scale(fig), axis=alt.Axis(format=AXIS_FORMAT[fmt]))
    bars = base.mark_bar(size=ROW * 0.65).encode(
        x=x, color=alt.condition("datum.highlight", alt.value(HIGHLIGHT), alt.value(PRIMARY))
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12, color=INK).encode(
        x="value:Q", text=alt.Text("value:Q", format=LABEL_FORMAT[fmt])
    )
    notes = (
        base.transform_filter("datum.note != null")
        .mark_text(align="left", dx=4, fontSize=12, fontStyle="italic", color=MUTED)
        .encode(x=alt.datum(0), text="note:N")
    )
    height = max(ROW * 3, ROW * len(data))
    return alt.layer(bars, labels, notes, *_target_x(fig)).properties(width=WIDTH, height=height)


def trend(fig: Figure) -> alt.LayerChart:
    """A line month by month with value labels, suppressed months noted, the target as a rule."""
    assert fig.metric is not None
    fmt, data, height = fig.metric.fmt, fig.data, 300
    angle = 0 if len(data) <= 8 else -45
    x = alt.X("month:N", sort=list(data["month"]), title=None, axis=alt.Axis(labelAngle=angle))
    # A rate moves within a few points month to month: one decimal on the axis, so ticks differ.
    axis = alt.Axis(format=LABEL_FORMAT[fmt] if fmt == "pct" else AXIS_FORMAT[fmt], tickCount=6)
    y = alt.Y("value:Q", title=None, axis=axis, scale=alt.Scale(zero=fmt != "pct", nice=True))
    base = alt.Chart(data).encode(x=x)
    line = base.mark_line(
        color=PRIMARY, strokeWidth=2.5, point=alt.OverlayMarkDef(size=55, color=PRIMARY)
    ).encode(y=y)
    labels = base.mark_text(dy=-12, fontSize=11, color=INK).encode(
        y="value:Q", text=alt.Text("value:Q", format=LABEL_FORMAT[fmt])
    )
    notes = (
        base.transform_filter("datum.note != null")
        .mark_text(baseline="bottom", fontStyle="italic", fontSize=11, color=MUTED)
        .encode(y=alt.value(height - 4), text="note:N")
    )
    layers: list[Any] = [line, labels, notes]
    if fig.target is not None:
        target = pd.DataFrame({"target": [fig.target], "label": [fig.target_label]})
        layers.append(alt.Chart(target).mark_rule(color=TARGET, strokeDash=[5, 3]).encode(y="target:Q"))
        layers.append(
            alt.Chart(target)
            .mark_text(align="right", baseline="bottom", dy=-3, color=TARGET, fontWeight="bold", fontSize=11)
            .encode(x=alt.value(WIDTH), y="target:Q", text="label:N")
        )
    return alt.layer(*layers).properties(width=WIDTH, height=height)


def _map_color(fig: Figure) -> alt.Color:
    assert fig.metric is not None
    metric = fig.metric
    if metric.fmt == "pct" and fig.target is not None:
        scale = alt.Scale(scheme="redyellowgreen", domainMid=fig.target, reverse=not metric.higher_is_better)
    else:
        scale = alt.Scale(scheme="blues" if metric.higher_is_better else "orangered")
    legend = alt.Legend(title=metric.label(fig.lang), format=AXIS_FORMAT[metric.fmt], orient="right")
    return alt.Color("value:Q", scale=scale, legend=legend)


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
    points = fig.data.dropna(subset=["lat", "lon"])
    if points.empty:  # no unit has a seat: say so rather than draw an empty frame
        note = pd.DataFrame({"text": [t("press_no_seats", fig.lang)]})
        return alt.layer(
            alt.Chart(note).mark_text(fontSize=14, color=MUTED).encode(text="text:N")
        ).properties(width=WIDTH, height=120)
    at = {"longitude": "lon:Q", "latitude": "lat:Q"}
    size = 520 if len(points) <= MAP_LABEL_LIMIT else 140
    circles = (
        alt.Chart(points)
        .mark_circle(size=size, opacity=0.95, stroke="white", strokeWidth=1.2)
        .encode(**at, color=alt.condition("datum.value != null", _map_color(fig), alt.value(GREY)))
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
                **at, text=alt.Text("value:Q", format=LABEL_FORMAT[fig.metric.fmt])
            )
        )
        noted = alt.Chart(points).transform_filter("datum.note != null")
        layers.append(
            noted.mark_text(dy=21, fontSize=11, fontStyle="italic", color=MUTED).encode(**at, text="note:N")
        )
    return alt.layer(*layers).project(type="mercator").properties(width=WIDTH, height=500)


def _stacked(data: pd.DataFrame) -> pd.DataFrame:
    """Start, end and middle of each segment along its unit's bar."""
    out = data.sort_values(["unit_order", "order"]).copy()
    share = pd.to_numeric(out["share"], errors="coerce").fillna(0.0)
    out["end"] = share.groupby(out["unit_order"]).cumsum()
    out["start"] = out["end"] - share
    out["mid"] = (out["start"] + out["end"]) / 2
    return out


def channels(fig: Figure) -> alt.LayerChart:
    """Stacked bars of the channel mix per unit (online first), the online target as a rule."""
    data = _stacked(fig.data)
    units = list(dict.fromkeys(data["unit_name"]))
    labels = [c for c in dict.fromkeys(data.sort_values("order")["channel"]) if c]
    colors = [
        CHANNEL_COLORS[min(int(o), 3)] for o in data.drop_duplicates("channel").sort_values("order")["order"]
    ]
    y = alt.Y("unit_name:N", sort=units, title=None, axis=alt.Axis(labelLimit=280, ticks=False))
    drawn = alt.Chart(data).transform_filter("datum.share != null").encode(y=y)
    bars = drawn.mark_bar(size=ROW * 0.65).encode(
        x=alt.X("start:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        x2="end:Q",
        color=alt.Color(
            "channel:N",
            scale=alt.Scale(domain=labels, range=colors[: len(labels)]),
            legend=alt.Legend(title=None, orient="top"),
        ),
    )
    texts = (
        drawn.transform_filter("datum.shown && datum.share >= 0.07")
        .mark_text(color="white", fontSize=11, fontWeight="bold")
        .encode(x="mid:Q", text=alt.Text("share:Q", format=".0%"))
    )
    empty = (
        alt.Chart(data)
        .transform_filter("datum.share == null")
        .mark_text(align="left", dx=4, color=MUTED, fontStyle="italic")
        .encode(y=y, x=alt.datum(0), text=alt.value("—"))
    )
    height = max(ROW * 2, ROW * len(units))
    return alt.layer(bars, texts, empty, *_target_x(fig)).properties(width=WIDTH, height=height)


def _card_layout(data: pd.DataFrame) -> pd.DataFrame:
    out = data.copy()
    out["x0"], out["x1"] = out["col"] + 0.03, out["col"] + 0.97
    out["y0"], out["y1"] = out["row"] + 0.04, out["row"] + 0.96
    out["tx"] = out["col"] + 0.09
    out["y_label"], out["y_value"], out["y_target"] = out["row"] + 0.14, out["row"] + 0.7, out["row"] + 0.86
    return out


def headline(fig: Figure) -> alt.LayerChart:
    """Cards of headline figures: label, value (green when the target is met, red when missed)."""
    data = _card_layout(fig.data)
    rows = int(data["row"].max()) + 1
    x = {"scale": alt.Scale(domain=[0, 4]), "axis": None}
    y = {"scale": alt.Scale(domain=[0, rows], reverse=True), "axis": None}
    base = alt.Chart(data)
    cards = base.mark_rect(color="#f3f4f6", cornerRadius=6).encode(
        x=alt.X("x0:Q", **x), x2="x1:Q", y=alt.Y("y0:Q", **y), y2="y1:Q"
    )
    label = base.mark_text(align="left", baseline="top", fontSize=12, color=MUTED, lineBreak="\n").encode(
        x=alt.X("tx:Q", **x), y=alt.Y("y_label:Q", **y), text="label:N"
    )
    color = alt.Color(
        "status:N",
        scale=alt.Scale(domain=["met", "missed", "unknown"], range=[MET, TARGET, INK]),
        legend=None,
    )
    values = [
        base.transform_filter(f"datum.note == null && datum.fmt == '{fmt}'")
        .mark_text(align="left", baseline="alphabetic", fontSize=30, fontWeight="bold")
        .encode(
            x=alt.X("tx:Q", **x),
            y=alt.Y("y_value:Q", **y),
            color=color,
            text=alt.Text("value:Q", format=pattern),
        )
        for fmt, pattern in LABEL_FORMAT.items()
    ]
    notes = (
        base.transform_filter("datum.note != null")
        .mark_text(align="left", baseline="alphabetic", fontSize=26, fontStyle="italic", color=MUTED)
        .encode(x=alt.X("tx:Q", **x), y=alt.Y("y_value:Q", **y), text="note:N")
    )
    target = base.mark_text(align="left", baseline="top", fontSize=11, color=TARGET).encode(
        x=alt.X("tx:Q", **x), y=alt.Y("y_target:Q", **y), text="target_label:N"
    )
    return alt.layer(cards, label, *values, notes, target).properties(width=WIDTH, height=130 * rows)


BUILDERS = {"headline": headline, "ranking": ranking, "trend": trend, "map": unit_map, "channels": channels}


def build_chart(fig: Figure) -> alt.VConcatChart:
    """The publication chart of ``fig``: the drawing with its title, subtitle, source and labels."""
    main = BUILDERS[fig.kind](fig)
    return frame(main, fig.title, fig.subtitle, fig.footer, fig.sample_line, fig.lang)
