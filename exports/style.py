"""The publication style every exported chart shares: the shipped font, Vietnamese number and
date formats, colours, and the frame (title, subtitle, source line, sample label) around a chart.

The font is Be Vietnam Pro from the ``fontpkg-be-vietnam-pro`` package (OFL), registered with
vl-convert before any conversion (``exports.render``), so every diacritic renders the same on any
machine with no network. Numbers follow ``i18n.format.VEGA_NUMBER_LOCALE`` through the Vega-Lite
top-level ``config.locale`` (98,5% · 1.234), in the browser preview and in vl-convert alike.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import altair as alt
import fontpkg_be_vietnam_pro
import pandas as pd

from i18n.format import VEGA_NUMBER_LOCALE

FONT = fontpkg_be_vietnam_pro.FAMILY
FONT_DIR: Path = fontpkg_be_vietnam_pro.ROOT / "files"
#: The weight the titles use; the rendering test draws the same text with this file.
TITLE_FONT_FILE: Path = FONT_DIR / "BeVietnamPro-Bold.ttf"
TITLE_SIZE = 20
WIDTH = 640

INK = "#1f2937"
MUTED = "#4b5563"
PRIMARY = "#1f4e79"
HIGHLIGHT = "#c2410c"
TARGET = "#b91c1c"
GREY = "#b6bcc6"
MET = "#15803d"
SAMPLE = "#b45309"

#: d3 formats by registry format: on axes, and on value labels.
AXIS_FORMAT = {"pct": ".0%", "count": ",.0f", "days": ",.1f"}
LABEL_FORMAT = {"pct": ".1%", "count": ",.0f", "days": ",.1f"}
FOOTER_LINE = 16


@functools.cache
def vi_time_locale() -> dict[str, Any]:
    """d3-time-format's Vietnamese locale as vl-convert ships it (month names, dd/mm/yyyy)."""
    import vl_convert

    return dict(vl_convert.get_time_format_locale("vi-VN"))


def config(lang: str) -> dict[str, Any]:
    """The Vega-Lite config of a publication chart in ``lang``."""
    cfg: dict[str, Any] = {
        "font": FONT,
        "background": "white",
        "padding": 16,
        "title": {
            "font": FONT,
            "fontSize": TITLE_SIZE,
            "fontWeight": "bold",
            "anchor": "start",
            "color": INK,
            "subtitleFont": FONT,
            "subtitleFontSize": 13,
            "subtitleColor": MUTED,
            "subtitlePadding": 8,
            "offset": 18,
        },
        "axis": {
            "labelFont": FONT,
            "titleFont": FONT,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "labelColor": INK,
            "titleColor": MUTED,
            "gridColor": "#e5e7eb",
            "domainColor": "#9ca3af",
        },
        "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 12},
        "text": {"font": FONT},
        "view": {"stroke": None},
        "concat": {"spacing": 14},
    }
    if lang != "en":
        cfg["locale"] = {"number": dict(VEGA_NUMBER_LOCALE), "time": vi_time_locale()}
    return cfg


def footer(lines: tuple[str, ...], sample_line: str | None) -> alt.LayerChart:
    """The lines under a chart; the sample label in bold orange."""
    layers = []
    for i, line in enumerate(lines):
        is_sample = line == sample_line
        layers.append(
            alt.Chart(pd.DataFrame({"line": [line]}))
            .mark_text(
                align="left",
                baseline="top",
                fontSize=12 if is_sample else 11,
                fontWeight="bold" if is_sample else "normal",
                color=SAMPLE if is_sample else MUTED,
            )
            .encode(x=alt.value(0), y=alt.value(i * FOOTER_LINE), text="line:N")
        )
    return alt.layer(*layers).properties(width=WIDTH, height=FOOTER_LINE * len(lines))


def frame(
    main: alt.TopLevelMixin,
    title: str,
    subtitle: tuple[str, ...],
    lines: tuple[str, ...],
    sample: str | None,
    lang: str,
) -> alt.VConcatChart:
    """``main`` with its title and subtitle above and the footer lines below, styled."""
    # frame="group": title, plot and footer share one left edge; axis labels hang to its left.
    subtitle_lines = list(subtitle) if subtitle else alt.Undefined
    heading = alt.TitleParams(text=title, subtitle=subtitle_lines, frame="group")
    chart = alt.vconcat(main, footer(lines, sample)).properties(title=heading)
    return chart.configure(**config(lang))
