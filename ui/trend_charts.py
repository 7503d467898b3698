"""Chart builders of the trend screens, each giving its Vega-Lite spec as a dict (``ui.vega_lite``):
a screen draws up to ten charts a run, 1–5 ms each this way against 20–35 ms built with Altair.

Every chart is titled and labelled from the catalogue, formats numbers with the Vietnamese
Vega-Lite locale (``i18n.format.VEGA_NUMBER_LOCALE`` as the top-level ``config.locale``: 98,5% ·
1.234), draws its targets as rules (dashed amber), marks the first month a target was met, and
carries a point selection (click a month, a unit, a field) that the page turns into a URL filter
through ``st.vega_lite_chart(on_select=...)``. Values come in already computed by ``metrics``; a
month with no denominator has no value (the line breaks there) and its tooltip reads "—".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import pandas as pd

from i18n.catalogue import t
from i18n.format import fmt_int, fmt_number, fmt_pct
from metrics.trends import month_start
from ui import status
from ui.chart_axes import (  # noqa: F401 (re-exported for the pages and tests)
    MAX_MONTH_LABELS,
    TITLE_CHARS,
    labelled_months,
    month_axis,
    month_band,
    wrap_title,
)
from ui.vega_lite import SCHEMA_URL, VIEW, locale, records

TARGET_COLOUR = status.ORANGE  # the dashed target rule
MET_COLOUR = status.MET
AXIS_FORMAT = {"pct": ".0%", "days": ",.1f", "count": ",d"}
#: Height of a monthly chart's plot; the title, legend and axes come on top (``AUTOSIZE``).
HEIGHT = 200
#: Streamlit's default ``autosize`` is "fit" with the spec's height as the whole chart's: the
#: plot then shrinks to what the title, legend and axes leave (a bar chart of three rows
#: collapsed to one line, a long axis title pushed the chart title out of the box). "fit-x"
#: fits the width to the column and lets the height grow with the content.
AUTOSIZE = {"type": "fit-x", "contains": "padding"}
PADDING = {"left": 6, "top": 6, "right": 6, "bottom": 6}
#: One bar a row, this many pixels apart: every field or unit keeps its own labelled row.
ROW_STEP = 26
#: Longest axis label (pixels) before Vega abbreviates it with an ellipsis.
LABEL_LIMIT = 230
#: Text on the page's dark background (the theme's text colour, .streamlit/config.toml) and on
#: the light bars (the page's background colour).
TEXT_COLOUR = "#e5e7eb"
ON_BAR_COLOUR = "#0b1220"
BAR_COLOUR = status.SKY_BLUE
#: A value label goes inside its bar (dark on light) when the bar is at least this share of the
#: longest; a shorter bar has its label just past its end (light on dark).
INSIDE_SHARE = 0.3
#: A y-axis title longer than this is left out: it would run past a 200 px plot, and the
#: chart's title already names the metric.
Y_TITLE_CHARS = 26
#: Channel colours (online, in person, post) and feedback states (on time, late, open past due,
#: open within due): the Okabe–Ito palette (``ui.status``), apart for colour-blind viewers and
#: readable on the dark wall theme.
CHANNEL_COLOURS = (status.SKY_BLUE, status.ORANGE, status.PURPLE)
FEEDBACK_COLOURS = (status.MET, status.NEAR, status.MISSED, status.UNKNOWN)


def fmt(value: object, kind: str, lang: str) -> str:
    """A value as text in the screen's formats ("—" for N/A)."""
    if kind == "pct":
        return fmt_pct(value, lang=lang)
    if kind == "days":
        return fmt_number(value, 1, lang)
    return fmt_int(value, lang)


def _config(lang: str) -> dict[str, object]:
    """The charts' number locale and title style (Vega-Lite ``config``)."""
    return {"locale": locale(lang), "title": {"anchor": "start", "color": TEXT_COLOUR, "fontSize": 15}}


def _month_columns(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    starts = [month_start(int(m)) for m in out["month"]]
    out["month_date"] = [d.isoformat() for d in starts]
    out["month_label"] = [f"{d:%m/%Y}" for d in starts]
    return out


def series_points(series: dict[str, pd.DataFrame], metric: str, kind: str, lang: str) -> pd.DataFrame:
    """Long frame for :func:`trend_chart`: one row per series and month with value and text."""
    rows = []
    for label, frame in series.items():
        for month, value in zip(frame["month"], frame[metric], strict=True):
            missing = value is None or pd.isna(value)
            rows.append(
                {
                    "month": int(month),
                    "series": label,
                    "value": None if missing else float(value),
                    "text": fmt(value, kind, lang),
                }
            )
    return _month_columns(pd.DataFrame(rows, columns=["month", "series", "value", "text"]))


def _target_layers(targets: pd.DataFrame, kind: str, lang: str) -> tuple[list[dict[str, object]], list[dict]]:
    """Each run of one target as a dashed rule over its months (half a month either side, cut
    at the plot's edge), labelled once at its first month: the layers and their rows."""
    half = dt.timedelta(days=14)
    rows = [
        {
            "start": int(start),
            "end": int(end),
            "target": float(target),
            "start_date": (month_start(int(start)) - half).isoformat(),
            "end_date": (month_start(int(end)) + half).isoformat(),
            "label_date": month_start(int(start)).isoformat(),
            "text": t("target", lang, value=fmt(target, kind, lang)),
        }
        for start, end, target in zip(targets["start"], targets["end"], targets["target"], strict=True)
    ]
    data = {"name": "targets"}
    rule = {
        "data": data,
        "mark": {
            "type": "rule",
            "clip": True,
            "color": TARGET_COLOUR,
            "strokeDash": [6, 4],
            "strokeWidth": 2,
        },
        "encoding": {
            "tooltip": [{"field": "text", "title": t("tr_target", lang), "type": "nominal"}],
            "x": {"field": "start_date", "type": "temporal"},
            "x2": {"field": "end_date"},
            "y": {"field": "target", "type": "quantitative"},
        },
    }
    # At the start of each run: early months usually sit below the target, out of the way.
    label = {
        "data": data,
        "mark": {"type": "text", "align": "left", "color": TARGET_COLOUR, "dy": -8, "fontSize": 11},
        "encoding": {
            "text": {"field": "text", "type": "nominal"},
            "x": {"field": "label_date", "type": "temporal"},
            "y": {"field": "target", "type": "quantitative"},
        },
    }
    return [rule, label], rows


def _first_met_layers(
    points: pd.DataFrame, met: int, lang: str
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """A ring on the first month the target was met, and its note along the plot's top edge
    (away from the target's label, which sits on the target line): the layers and their row."""
    row = points[(points["month"] == met) & points["value"].notna()].head(1)
    rows = [r | {"note": t("tr_first_met", lang, month=f"{month_start(met):%m/%Y}")} for r in records(row)]
    months = sorted(points["month"].unique())
    # A note in the right half of the chart reads leftwards so it is not cut off.
    late = months.index(met) > len(months) * 0.5 if met in months else False
    data = {"name": "first_met"}
    ring = {
        "data": data,
        "mark": {
            "type": "point",
            "color": MET_COLOUR,
            "filled": False,
            "shape": "circle",
            "size": 260,
            "strokeWidth": 2.5,
        },
        "encoding": {
            "x": {"field": "month_date", "type": "temporal"},
            "y": {"field": "value", "type": "quantitative"},
        },
    }
    note = {
        "data": data,
        "mark": {
            "type": "text",
            "align": "right" if late else "left",
            "baseline": "bottom",
            "color": MET_COLOUR,
            "fontWeight": "bold",
            "y": -4,
        },
        "encoding": {
            "text": {"field": "note", "type": "nominal"},
            "x": {"field": "month_date", "type": "temporal"},
        },
    }
    return [ring, note], rows


def trend_chart(
    points: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    lang: str,
    kind: str = "pct",
    targets: pd.DataFrame | None = None,
    first_met: int | None = None,
    pick: str = "pick_month",
) -> dict[str, object]:
    """Monthly lines (one per series) with target rules, the first month met, and a month pick."""
    scale, axis = month_axis(points["month"].tolist())
    line_name = f"{pick}_line"
    line = {
        "name": line_name,
        "data": {"name": "points"},
        "mark": {"type": "line", "point": {"filled": True, "size": 45}, "strokeWidth": 2.5},
        "encoding": {
            "color": {
                "field": "series",
                # One series needs no legend: the chart's title and the page's scope line name it.
                "legend": {"labelLimit": LABEL_LIMIT, "orient": "top"}
                if points["series"].nunique() > 1
                else None,
                "title": None,
                "type": "nominal",
            },
            "tooltip": [
                {"field": "series", "title": t("tr_series", lang), "type": "nominal"},
                {"field": "month_label", "title": t("tr_month", lang), "type": "nominal"},
                {"field": "text", "title": y_title, "type": "nominal"},
            ],
            "x": {
                "axis": axis,
                "field": "month_date",
                "scale": scale,
                "title": t("tr_month", lang),
                "type": "temporal",
            },
            "y": {
                "axis": {"format": AXIS_FORMAT[kind]},
                "field": "value",
                "scale": {"zero": False},
                "title": y_title if len(y_title) <= Y_TITLE_CHARS else None,
                "type": "quantitative",
            },
        },
    }
    layers: list[dict[str, object]] = [line]
    datasets: dict[str, list[dict[str, object]]] = {"points": records(points)}
    if targets is not None and not targets.empty:
        target_layers, datasets["targets"] = _target_layers(targets, kind, lang)
        layers += target_layers
    if first_met is not None:
        met_layers, datasets["first_met"] = _first_met_layers(points, first_met, lang)
        layers += met_layers
    return _layered(layers, datasets, lang, title, HEIGHT, [_pick(pick, "month", line_name)])


def _layered(
    layers: list[dict[str, object]],
    datasets: dict[str, list[dict[str, object]]],
    lang: str,
    title: str,
    height: int | dict[str, int],
    params: list[dict[str, object]],
) -> dict[str, object]:
    """The layers as one chart with its title, size, pick (if any) and configuration."""
    spec = {
        "$schema": SCHEMA_URL,
        "config": VIEW | _config(lang),
        "layer": layers,
        "autosize": dict(AUTOSIZE),
        "height": height,
        "padding": dict(PADDING),
        "title": wrap_title(title),
        "datasets": datasets,
    }
    return spec | {"params": params} if params else spec


def _pick(name: str, field: str, view: str) -> dict[str, object]:
    """A click on ``view`` picks the ``field`` of a mark (double click clears)."""
    select = {"type": "point", "clear": "dblclick", "fields": [field], "on": "click"}
    return {"name": name, "select": select, "views": [view]}


def bar_chart(
    rows: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    lang: str,
    kind: str = "pct",
    pick: str | None = None,
    target: float | None = None,
    chosen: str | None = None,
    by_value: bool = True,
) -> dict[str, object]:
    """Horizontal bars (``key``, ``label``, ``value``, ``text``, optional per-row ``target``) with
    targets as rules (one for all, or a tick per bar) and a pick on ``key``; longest bar first
    (``by_value``), else in the rows' order.

    One row of :data:`ROW_STEP` pixels a bar, every label shown (abbreviated past
    :data:`LABEL_LIMIT` pixels, never dropped); each value reads dark at the start of a long bar
    (clear of the target ticks near its end) or light just past the end of a short one."""
    rows = rows.copy()
    values = pd.to_numeric(rows["value"], errors="coerce")
    longest = float(values.max()) if values.notna().any() else 0.0
    rows["inside"] = [bool(longest > 0 and v >= INSIDE_SHARE * longest) for v in values.fillna(-1)]
    # One explicit order for every layer: the text layers filter the rows, and Vega-Lite falls
    # back to alphabetical order when layers sort different data by a field.
    ranked = rows.assign(_v=values).sort_values("_v", ascending=False, kind="stable") if by_value else rows
    sort = list(dict.fromkeys(ranked["label"]))
    data = {"name": "bars"}
    y = {"field": "label", "sort": sort, "type": "nominal"}
    test = "(datum.key === " + json.dumps(chosen or "", ensure_ascii=False) + ")"
    bars = {
        "name": "bars_view",
        "data": data,
        "mark": {"type": "bar", "color": BAR_COLOUR, "cornerRadiusEnd": 3},
        "encoding": {
            "opacity": {"condition": {"test": test, "value": 1.0}, "value": 0.75 if chosen else 0.9},
            "tooltip": [
                {"field": "label", "title": " ", "type": "nominal"},
                {"field": "text", "title": x_title, "type": "nominal"},
            ],
            "x": {
                "axis": {"format": AXIS_FORMAT[kind]},
                "field": "value",
                "title": x_title,
                "type": "quantitative",
            },
            "y": y | {"axis": {"labelLimit": LABEL_LIMIT, "labelOverlap": False}, "title": None},
        },
    }
    text = {"type": "text", "align": "left", "dx": 5, "fontSize": 11}
    inside = {
        "data": data,
        "mark": text | {"color": ON_BAR_COLOUR, "fontWeight": "bold"},
        "encoding": {"text": {"field": "text", "type": "nominal"}, "x": {"datum": 0}, "y": y},
        "transform": [{"filter": "datum.inside"}],
    }
    outside = {
        "data": data,
        "mark": text | {"color": TEXT_COLOUR},
        "encoding": {
            "text": {"field": "text", "type": "nominal"},
            "x": {"field": "value", "type": "quantitative"},
            "y": y,
        },
        "transform": [{"filter": "!datum.inside"}],
    }
    layers: list[dict[str, object]] = [bars, inside, outside]
    datasets = {"bars": records(rows)}
    if "target" in rows.columns and rows["target"].notna().any():
        layers.append(
            {
                "data": data,
                "mark": {"type": "tick", "color": TARGET_COLOUR, "size": ROW_STEP - 4, "thickness": 3},
                "encoding": {
                    "tooltip": [{"field": "target_text", "title": t("tr_target", lang), "type": "nominal"}],
                    "x": {"field": "target", "type": "quantitative"},
                    "y": y,
                },
            }
        )
    if target is not None:
        datasets["target"] = [
            {"target": float(target), "text": t("target", lang, value=fmt(target, kind, lang))}
        ]
        layers.append(
            {
                "data": {"name": "target"},
                "mark": {"type": "rule", "color": TARGET_COLOUR, "strokeDash": [6, 4], "strokeWidth": 2},
                "encoding": {
                    "tooltip": [{"field": "text", "title": t("tr_target", lang), "type": "nominal"}],
                    "x": {"field": "target", "type": "quantitative"},
                },
            }
        )
    params = [_pick(pick, "key", "bars_view")] if pick else []
    return _layered(layers, datasets, lang, title, {"step": ROW_STEP}, params)


def stacked_chart(
    rows: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    lang: str,
    kind: str = "count",
    pick: str = "pick_month",
    note: tuple[int, str] | None = None,
    colours: Sequence[str] | None = None,
    normalize: bool = False,
    months: Sequence[int] | None = None,
) -> dict[str, object]:
    """Monthly stacked bars (``month``, ``part``, ``order``, ``value``, ``text``) with a month
    pick, colours in ``order`` (optional), as shares of each month when ``normalize``, and an
    optional note (month, text) pinned to a month.

    The month axis is ordinal: one band a month of ``months`` (the period's; default the
    months of ``rows``), an empty month an empty band, each label under its bar."""
    data = _month_columns(rows)
    parts = list(dict.fromkeys(data.sort_values("order")["part"]))
    months = sorted({int(m) for m in (months if months is not None else data["month"].unique())})
    x = month_band(months, t("tr_month", lang))
    if normalize:
        axis: dict[str, object] = {"format": ".0%", "tickMinStep": 0.1}
    else:  # counts step by whole numbers: no "1, 1, 2, 2" ticks on a small scale
        axis = {"format": AXIS_FORMAT[kind]} | ({"tickMinStep": 1} if kind == "count" else {})
    colour: dict[str, object] = {
        "field": "part",
        "legend": {"columns": 2, "orient": "bottom"},
        "sort": parts,
        "title": None,
        "type": "nominal",
    }
    if colours:
        colour["scale"] = {"domain": parts, "range": list(colours)[: len(parts)]}
    bars = {
        "name": "stack_view",
        "data": {"name": "months"},
        "mark": {"type": "bar"},
        "encoding": {
            "color": colour,
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "month_label", "title": t("tr_month", lang), "type": "nominal"},
                {"field": "part", "title": " ", "type": "nominal"},
                {"field": "text", "title": y_title, "type": "nominal"},
            ],
            "x": x,
            "y": {
                "aggregate": "sum",
                "axis": axis,
                "field": "value",
                "stack": "normalize" if normalize else "zero",
                "title": y_title if len(y_title) <= Y_TITLE_CHARS else None,
                "type": "quantitative",
            },
        },
    }
    layers: list[dict[str, object]] = [bars]
    datasets = {"months": records(data)}
    if note is not None:
        pin_layers, datasets["pin"] = _pin(note, months, x)
        layers += pin_layers
    return _layered(layers, datasets, lang, title, HEIGHT, [_pick(pick, "month", "stack_view")])


def _pin(
    note: tuple[int, str], months: list[int], x: dict[str, object]
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """A line through month ``note[0]``'s bar and the text ``note[1]`` above the plot, reading
    away from the nearer edge: the layers and their row."""
    row = [{"month_label": f"{month_start(note[0]):%m/%Y}", "note": note[1]}]
    late = note[0] in months and months.index(note[0]) > len(months) * 0.5
    data = {"name": "pin"}
    rule = {
        "data": data,
        "mark": {"type": "rule", "color": MET_COLOUR, "strokeWidth": 2},
        "encoding": {"x": x},
    }
    mark = {
        "type": "text",
        "align": "right" if late else "left",
        "baseline": "bottom",
        "color": MET_COLOUR,
        "fontWeight": "bold",
        "y": -4,
    }
    text = {"data": data, "mark": mark, "encoding": {"text": {"field": "note", "type": "nominal"}, "x": x}}
    return [rule, text], row
