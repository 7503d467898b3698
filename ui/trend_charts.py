"""Altair chart builders of the trend screens.

Every chart is titled and labelled from the catalogue, formats numbers with the Vietnamese
Vega-Lite locale (``i18n.format.VEGA_NUMBER_LOCALE`` as the top-level ``config.locale``: 98,5% ·
1.234), draws its targets as rules (dashed amber), marks the first month a target was met, and
carries a point selection (click a month, a unit, a field) that the page turns into a URL filter
through ``st.altair_chart(on_select=...)``. Values come in already computed by ``metrics``; a
month with no denominator has no value (the line breaks there) and its tooltip reads "—".
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from i18n.catalogue import t
from i18n.format import VEGA_NUMBER_LOCALE, fmt_int, fmt_number, fmt_pct
from metrics.trends import month_start
from ui import status

ENGLISH_NUMBER_LOCALE = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]}
TARGET_COLOUR = status.ORANGE  # the dashed target rule
MET_COLOUR = status.MET
AXIS_FORMAT = {"pct": ".0%", "days": ",.1f", "count": ",d"}
HEIGHT = 240
#: Channel colours (online, in person, post) and feedback states (on time, late, open past due,
#: open within due): the Okabe–Ito palette (``ui.status``), apart for colour-blind viewers and
#: readable on the dark wall theme.
CHANNEL_COLOURS = (status.SKY_BLUE, status.ORANGE, status.PURPLE)
FEEDBACK_COLOURS = (status.MET, status.NEAR, status.MISSED, status.UNKNOWN)


def locale(lang: str) -> dict[str, object]:
    """The Vega-Lite ``config.locale`` for ``lang`` (Vietnamese: decimal ",", thousands ".")."""
    return {"number": VEGA_NUMBER_LOCALE if lang != "en" else ENGLISH_NUMBER_LOCALE}


def fmt(value: object, kind: str, lang: str) -> str:
    """A value as text in the screen's formats ("—" for N/A)."""
    if kind == "pct":
        return fmt_pct(value, lang=lang)
    if kind == "days":
        return fmt_number(value, 1, lang)
    return fmt_int(value, lang)


def month_axis(months: int) -> alt.Axis:
    """A month axis labelled 05/2020 with one tick per month, or every few months for a long
    series (at most about 12 labels)."""
    step = max(1, -(-months // 12))
    return alt.Axis(format="%m/%Y", tickCount={"interval": "month", "step": step}, labelAngle=0)


def _finish(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    return chart.configure(locale=locale(lang)).configure_title(anchor="start", fontSize=15)


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


def _target_layer(targets: pd.DataFrame, kind: str, lang: str) -> alt.Chart:
    rules = targets.copy()
    rules["start_date"] = [month_start(int(m)).isoformat() for m in rules["start"]]
    rules["end_date"] = [_month_after(int(m)).isoformat() for m in rules["end"]]
    rules["text"] = [t("target", lang, value=fmt(v, kind, lang)) for v in rules["target"]]
    base = alt.Chart(rules)
    rule = base.mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], strokeWidth=2).encode(
        x="start_date:T",
        x2="end_date:T",
        y="target:Q",
        tooltip=[alt.Tooltip("text:N", title=t("tr_target", lang))],
    )
    # At the start of each run: early months usually sit below the target, out of the way.
    label = base.mark_text(color=TARGET_COLOUR, align="left", dy=-7, fontSize=11).encode(
        x="start_date:T", y="target:Q", text="text:N"
    )
    return rule + label


def _month_after(key: int) -> object:
    first = month_start(key)
    return first.replace(year=first.year + (first.month == 12), month=first.month % 12 + 1)


def _first_met_layer(points: pd.DataFrame, met: int, lang: str) -> alt.LayerChart:
    row = points[(points["month"] == met) & points["value"].notna()].head(1).copy()
    row["note"] = t("tr_first_met", lang, month=f"{month_start(met):%m/%Y}")
    months = sorted(points["month"].unique())
    # A note near the right edge reads leftwards so it is not cut off.
    late = months.index(met) > len(months) * 0.6 if met in months else False
    base = alt.Chart(row)
    ring = base.mark_point(shape="circle", size=260, filled=False, color=MET_COLOUR, strokeWidth=2.5).encode(
        x="month_date:T", y="value:Q"
    )
    note = base.mark_text(
        color=MET_COLOUR, align="right" if late else "left", dx=-10 if late else 10, dy=16, fontWeight="bold"
    ).encode(x="month_date:T", y="value:Q", text="note:N")
    return ring + note


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
) -> alt.TopLevelMixin:
    """Monthly lines (one per series) with target rules, the first month met, and a month pick."""
    select = alt.selection_point(name=pick, fields=["month"], on="click", clear="dblclick")
    line = (
        alt.Chart(points)
        .mark_line(point=alt.OverlayMarkDef(size=45, filled=True), strokeWidth=2.5)
        .encode(
            x=alt.X("month_date:T", title=t("tr_month", lang), axis=month_axis(points["month"].nunique())),
            y=alt.Y(
                "value:Q", title=y_title, axis=alt.Axis(format=AXIS_FORMAT[kind]), scale=alt.Scale(zero=False)
            ),
            color=alt.Color(
                "series:N",
                title=None,
                # One series needs no legend: the chart's title and the page's scope line name it.
                legend=alt.Legend(orient="top") if points["series"].nunique() > 1 else None,
            ),
            tooltip=[
                alt.Tooltip("series:N", title=t("tr_series", lang)),
                alt.Tooltip("month_label:N", title=t("tr_month", lang)),
                alt.Tooltip("text:N", title=y_title),
            ],
        )
        .add_params(select)
    )
    layers: list[alt.Chart | alt.LayerChart] = [line]
    if targets is not None and not targets.empty:
        layers.append(_target_layer(targets, kind, lang))
    if first_met is not None:
        layers.append(_first_met_layer(points, first_met, lang))
    chart = alt.layer(*layers).properties(title=title, height=HEIGHT)
    return _finish(chart, lang)


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
) -> alt.TopLevelMixin:
    """Horizontal bars (``key``, ``label``, ``value``, ``text``, optional per-row ``target``) with
    targets as rules (one for all, or a tick per bar) and a pick on ``key``."""
    base = alt.Chart(rows)
    sort = alt.EncodingSortField(field="value", order="descending")
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        y=alt.Y("label:N", title=None, sort=sort),
        x=alt.X("value:Q", title=x_title, axis=alt.Axis(format=AXIS_FORMAT[kind])),
        opacity=alt.condition(
            alt.datum.key == (chosen or ""), alt.value(1.0), alt.value(0.75 if chosen else 0.9)
        ),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("text:N", title=x_title)],
    )
    if pick:
        bars = bars.add_params(alt.selection_point(name=pick, fields=["key"], on="click", clear="dblclick"))
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(
        y=alt.Y("label:N", sort=sort), x="value:Q", text="text:N"
    )
    layers: list[alt.Chart] = [bars, labels]
    if "target" in rows.columns and rows["target"].notna().any():
        layers.append(
            base.mark_tick(color=TARGET_COLOUR, thickness=3, size=18).encode(
                y=alt.Y("label:N", sort=sort),
                x="target:Q",
                tooltip=[alt.Tooltip("target_text:N", title=t("tr_target", lang))],
            )
        )
    if target is not None:
        rule = pd.DataFrame({"target": [target], "text": [t("target", lang, value=fmt(target, kind, lang))]})
        layers.append(
            alt.Chart(rule)
            .mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], strokeWidth=2)
            .encode(x="target:Q", tooltip=[alt.Tooltip("text:N", title=t("tr_target", lang))])
        )
    height = max(120, 24 * len(rows))
    return _finish(alt.layer(*layers).properties(title=title, height=height), lang)


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
) -> alt.TopLevelMixin:
    """Monthly stacked bars (``month``, ``part``, ``order``, ``value``, ``text``) with a month
    pick, colours in ``order`` (optional), as shares of each month when ``normalize``, and an
    optional note (month, text) pinned to a month."""
    data = _month_columns(rows)
    select = alt.selection_point(name=pick, fields=["month"], on="click", clear="dblclick")
    parts = list(dict.fromkeys(data.sort_values("order")["part"]))
    scale = alt.Scale(domain=parts, range=list(colours)[: len(parts)]) if colours else alt.Undefined
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "yearmonth(month_date):T", title=t("tr_month", lang), axis=month_axis(data["month"].nunique())
            ),
            y=alt.Y(
                "sum(value):Q",
                title=y_title,
                axis=alt.Axis(format=".0%" if normalize else AXIS_FORMAT[kind]),
                stack="normalize" if normalize else "zero",
            ),
            color=alt.Color("part:N", title=None, scale=scale, sort=parts, legend=alt.Legend(orient="top")),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("month_label:N", title=t("tr_month", lang)),
                alt.Tooltip("part:N", title=" "),
                alt.Tooltip("text:N", title=y_title),
            ],
        )
        .add_params(select)
    )
    layers: list[alt.Chart | alt.LayerChart] = [bars]
    if note is not None:
        layers.append(_pin(note, sorted(data["month"].unique())))
    return _finish(alt.layer(*layers).properties(title=title, height=HEIGHT), lang)


def _pin(note: tuple[int, str], months: list[int]) -> alt.LayerChart:
    """A vertical line at month ``note[0]`` with the text ``note[1]`` at the top."""
    pin = pd.DataFrame({"month_date": [month_start(note[0]).isoformat()], "note": [note[1]]})
    late = note[0] in months and months.index(note[0]) > len(months) * 0.6
    rule = alt.Chart(pin).mark_rule(color=MET_COLOUR, strokeWidth=2).encode(x="yearmonth(month_date):T")
    text = (
        alt.Chart(pin)
        .mark_text(
            color=MET_COLOUR, align="right" if late else "left", dx=-6 if late else 6, y=8, fontWeight="bold"
        )
        .encode(x="yearmonth(month_date):T", text="note:N")
    )
    return rule + text
