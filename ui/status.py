"""Status drawn by the page, never by colour alone: a word and a CSS shape in the colour-blind-safe
Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008).

- met: a bluish-green circle (``#009E73``) and "Đạt";
- near (a miss within the map's amber band): a yellow diamond (``#F0E442``) and "Gần đạt";
- missed, and the alarm: a vermillion triangle (``#D55E00``) and "Chưa đạt" / "CẢNH BÁO";
- unknown: a grey ring and "—".

The shapes are CSS (``::before`` boxes, ``clip-path``), so they need no emoji or symbol font; the
three colours stay apart under simulated deuteranopia and protanopia (Machado et al. 2009:
at least 120 of 441 in sRGB distance; ``tests/test_browser_wall_layout.py`` checks the wall's own
pixels).
"""

from __future__ import annotations

from urllib.parse import quote

from ui.markup import html_text

#: The Okabe–Ito palette by role. Categories (channels, feedback states) take the remaining hues.
MET, NEAR, MISSED, UNKNOWN = "#009E73", "#F0E442", "#D55E00", "#94A3B8"
SKY_BLUE, ORANGE, BLUE, PURPLE = "#56B4E9", "#E69F00", "#0072B2", "#CC79A7"
STATUS_COLOURS = {"met": MET, "near": NEAR, "missed": MISSED, "below": MISSED, "unknown": UNKNOWN}

STYLE = f"""
<style>
.ioc-st {{ display: inline-flex; align-items: center; gap: 0.35em; font-weight: 700; white-space: nowrap; }}
.ioc-st::before {{ content: ""; display: inline-block; width: 0.8em; height: 0.8em; flex: none;
  box-sizing: border-box; }}
.ioc-st-met::before {{ background: {MET}; border-radius: 50%; }}
.ioc-st-near::before {{ background: {NEAR}; transform: rotate(45deg) scale(0.8); }}
.ioc-st-missed::before, .ioc-st-below::before, .ioc-st-alarm::before {{ background: {MISSED};
  clip-path: polygon(50% 0, 100% 100%, 0 100%); }}
.ioc-st-alarm::before {{ background: #fff; }}
.ioc-st-unknown::before {{ border: 0.15em solid {UNKNOWN}; border-radius: 50%; }}
.ioc-up, .ioc-down {{ display: inline-flex; align-items: center; gap: 0.2em; }}
.ioc-up::before, .ioc-down::before {{ content: ""; display: inline-block; width: 0.6em; height: 0.55em;
  background: currentColor; }}
.ioc-up::before {{ clip-path: polygon(50% 0, 100% 100%, 0 100%); }}
.ioc-down::before {{ clip-path: polygon(0 0, 100% 0, 50% 100%); }}
</style>
"""


def badge(status: str, text: str) -> str:
    """HTML: ``text`` after the shape of ``status`` (met, near, missed/below, alarm, unknown)."""
    kind = status if status in (*STATUS_COLOURS, "alarm") else "unknown"
    return f"<span class='ioc-st ioc-st-{kind}'>{html_text(text)}</span>"


def change(places: object, text: str) -> str:
    """HTML: a rank change with a CSS triangle pointing up (gained places) or down (lost)."""
    try:
        n = int(places)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return html_text(text)
    kind = "ioc-up" if n > 0 else "ioc-down" if n < 0 else ""
    return f"<span class='{kind}'>{html_text(text)}</span>" if kind else html_text(text)


#: The same shapes as SVG, for tables the page cannot style with CSS (``st.dataframe`` draws on a
#: canvas): a picture in an image column beside the status word, never instead of it.
_SVG_SHAPES = {
    "met": f"<circle cx='8' cy='8' r='6.5' fill='{MET}'/>",
    "near": f"<rect x='3.5' y='3.5' width='9' height='9' fill='{NEAR}' transform='rotate(45 8 8)'/>",
    "missed": f"<polygon points='8,1.5 15,14.5 1,14.5' fill='{MISSED}'/>",
    "unknown": f"<circle cx='8' cy='8' r='5.5' fill='none' stroke='{UNKNOWN}' stroke-width='2'/>",
}
_SVG_ALIASES = {"below": "missed", "alarm": "missed"}


def shape_uri(status: str) -> str:
    """A ``data:`` URL of the 16×16 SVG shape of ``status`` (met, near, missed/below/alarm,
    anything else unknown), for ``st.column_config.ImageColumn``."""
    kind = _SVG_ALIASES.get(status, status if status in _SVG_SHAPES else "unknown")
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='16' height='16' viewBox='0 0 16 16'>"
        f"{_SVG_SHAPES[kind]}</svg>"
    )
    return "data:image/svg+xml;utf8," + quote(svg)
