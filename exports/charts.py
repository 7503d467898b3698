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

from exports.chart_map import unit_map
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

ROW = 26
CHANNEL_COLORS = ("#1f4e79", "#f59e0b", "#0f766e", GREY)


#: The target label sits this far above the plot, in a band no bar, value or axis uses.
TARGET_LABEL_GAP = 6


def _target_x(fig: Figure) -> list[alt.Chart]:
    """A vertical dashed target rule, its label above the plot (never over a bar's value)."""
    if fig.target is None:
        return []
    frame_ = pd.DataFrame({"target": [fig.target], "label": [fig.target_label]})
    rule = alt.Chart(frame_).mark_rule(color=TARGET, strokeDash=[5, 3], strokeWidth=1.5).encode(x="target:Q")
    text = (
        alt.Chart(frame_)
        .mark_text(align="right", baseline="bottom", color=TARGET, fontWeight="bold", fontSize=11)
        .encode(x="target:Q", y=alt.value(-TARGET_LABEL_GAP), text="label:N")
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
    # The one formatter's text (i18n.format: never rounded onto the target), in a column right
    # of the plot, so no target rule or bar end runs through a value.
    labels = base.mark_text(align="left", dx=8, fontSize=12, color=INK).encode(
        x=alt.value(WIDTH), text="value_text:N"
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
    labels = base.mark_text(dy=-12, fontSize=11, color=INK).encode(y="value:Q", text="value_text:N")
    notes = (
        base.transform_filter("datum.note != null")
        .mark_text(baseline="bottom", fontStyle="italic", fontSize=11, color=MUTED)
        .encode(y=alt.value(height - 4), text="note:N")
    )
    layers: list[Any] = [line, labels, notes]
    if fig.target is not None:
        target = pd.DataFrame({"target": [fig.target], "label": [fig.target_label]})
        layers.append(alt.Chart(target).mark_rule(color=TARGET, strokeDash=[5, 3]).encode(y="target:Q"))
        # Right of the plot, beside its rule: clear of the month labels inside.
        layers.append(
            alt.Chart(target)
            .mark_text(align="left", baseline="middle", dx=6, color=TARGET, fontWeight="bold", fontSize=11)
            .encode(x=alt.value(WIDTH), y="target:Q", text="label:N")
        )
    return alt.layer(*layers).properties(width=WIDTH, height=height)


def _stacked(data: pd.DataFrame) -> pd.DataFrame:
    """Start, end and middle of each segment along its unit's bar."""
    out = data.sort_values(["unit_order", "order"]).copy()
    share = pd.to_numeric(out["share"], errors="coerce").fillna(0.0)
    out["end"] = share.groupby(out["unit_order"]).cumsum()
    out["start"] = out["end"] - share
    out["mid"] = (out["start"] + out["end"]) / 2
    return out


#: Merged segments (hidden channels drawn as one), keyed by the segment's ``order``
#: (len(CHANNELS) + a bit per channel): a light tint of the pair's first channel; all three hidden
#: leaves nothing but the total, drawn light grey.
MERGED_COLORS = {6: "#8fb0d3", 8: "#a9c3de", 9: "#fcd08a", 10: "#d1d5db"}


def _segment_color(order: int) -> str:
    return CHANNEL_COLORS[order] if order < 3 else MERGED_COLORS.get(order, GREY)


def channels(fig: Figure) -> alt.LayerChart:
    """Stacked bars of the channel mix per unit (online first), a hidden channel merged with its
    complement into one lighter segment (the note under the chart says which), the online target
    as a rule.
    """
    data = _stacked(fig.data)
    units = list(dict.fromkeys(data["unit_name"]))
    kinds = data[data["share"].notna()].drop_duplicates("channel").sort_values("order")
    y = alt.Y("unit_name:N", sort=units, title=None, axis=alt.Axis(labelLimit=280, ticks=False))
    drawn = alt.Chart(data).transform_filter("datum.share != null").encode(y=y)
    bars = drawn.mark_bar(size=ROW * 0.65).encode(
        x=alt.X("start:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        x2="end:Q",
        color=alt.Color(
            "channel:N",
            scale=alt.Scale(
                domain=list(kinds["channel"]), range=[_segment_color(int(o)) for o in kinds["order"]]
            ),
            legend=alt.Legend(title=None, orient="bottom", columns=3, labelLimit=300),
        ),
    )
    # White on the dark channel colours, dark ink on the light merged tints.
    texts = (
        drawn.transform_filter("datum.share >= 0.07")
        .mark_text(fontSize=11, fontWeight="bold")
        .encode(
            x="mid:Q",
            text=alt.Text("share:Q", format=".0%"),
            color=alt.condition("datum.order < 3", alt.value("white"), alt.value(INK)),
        )
    )
    empty = (
        alt.Chart(data)
        .transform_filter("datum.share == null")
        .mark_text(align="left", dx=4, color=MUTED, fontStyle="italic")
        .encode(y=y, x=alt.datum(0), text="channel:N")
    )
    height = max(ROW * 2, ROW * len(units))
    return alt.layer(bars, texts, empty, *_target_x(fig)).properties(width=WIDTH, height=height)


def _card_layout(data: pd.DataFrame) -> pd.DataFrame:
    out = data.copy()
    out["x0"], out["x1"] = out["col"] + 0.03, out["col"] + 0.97
    out["y0"], out["y1"] = out["row"] + 0.04, out["row"] + 0.96
    out["tx"] = out["col"] + 0.09
    out["y_label"], out["y_value"] = out["row"] + 0.14, out["row"] + 0.64
    out["y_target"], out["y_status"] = out["row"] + 0.71, out["row"] + 0.83
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
    # The one formatter's text (i18n.format): a miss never rounds onto its target.
    values = (
        base.transform_filter("datum.note == null")
        .mark_text(align="left", baseline="alphabetic", fontSize=30, fontWeight="bold")
        .encode(x=alt.X("tx:Q", **x), y=alt.Y("y_value:Q", **y), color=color, text="value_text:N")
    )
    notes = (
        base.transform_filter("datum.note != null")
        .mark_text(align="left", baseline="alphabetic", fontSize=26, fontStyle="italic", color=MUTED)
        .encode(x=alt.X("tx:Q", **x), y=alt.Y("y_value:Q", **y), text="note:N")
    )
    target = base.mark_text(align="left", baseline="top", fontSize=11, color=TARGET).encode(
        x=alt.X("tx:Q", **x), y=alt.Y("y_target:Q", **y), text="target_label:N"
    )
    status = base.mark_text(align="left", baseline="top", fontSize=11, fontWeight="bold").encode(
        x=alt.X("tx:Q", **x), y=alt.Y("y_status:Q", **y), text="status_text:N", color=color
    )
    return alt.layer(cards, label, values, notes, target, status).properties(width=WIDTH, height=130 * rows)


#: The estimate's bars: a light tint of the official score's colour, and named in the legend.
ESTIMATE = "#8fb0d3"


def score(fig: Figure) -> alt.LayerChart:
    """Horizontal bars of the 766 score, best first: official (dark) where the portal published
    it, else the estimate (light); every value says which it is.
    """
    data = fig.data
    kinds = data.drop_duplicates("kind").sort_values("kind", key=lambda k: k != "official")
    colours = [PRIMARY if k == "official" else ESTIMATE for k in kinds["kind"]]
    y = alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=280, ticks=False))
    base = alt.Chart(data).encode(y=y)
    x = alt.X(
        "value:Q", title=None, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(format=AXIS_FORMAT["count"])
    )
    colour = alt.Color(
        "kind_label:N",
        scale=alt.Scale(domain=list(kinds["kind_label"]), range=colours),
        legend=alt.Legend(title=None, orient="bottom", labelLimit=400),
    )
    # The chosen unit is outlined (its colour already says official or estimate).
    outline = alt.condition("datum.highlight", alt.value(HIGHLIGHT), alt.value(None))
    bars = (
        base.transform_filter("datum.value != null")
        .mark_bar(size=ROW * 0.65, strokeWidth=2.5)
        .encode(x=x, color=colour, stroke=outline)
    )
    labels = (
        base.transform_filter("datum.value != null")
        .mark_text(align="left", dx=8, fontSize=12, color=INK)
        .encode(x=alt.value(WIDTH), text="value_text:N")
    )
    notes = (
        base.transform_filter("datum.note != null")
        .mark_text(align="left", dx=4, fontSize=12, fontStyle="italic", color=MUTED)
        .encode(x=alt.datum(0), text="note:N")
    )
    height = max(ROW * 3, ROW * len(data))
    return alt.layer(bars, labels, notes).properties(width=WIDTH, height=height)


BUILDERS = {
    "headline": headline,
    "ranking": ranking,
    "trend": trend,
    "map": unit_map,
    "channels": channels,
    "score": score,
}


def build_chart(fig: Figure) -> alt.VConcatChart:
    """The publication chart of ``fig``: the drawing with its title, subtitle, source and labels."""
    main = BUILDERS[fig.kind](fig)
    return frame(main, fig.title, fig.subtitle, fig.footer, fig.sample_line, fig.lang)
