"""What the chart browser test measures in a rendered trend screen: every Vega-Lite chart's box,
its SVG's box, each text element (role, text, shown or hidden by Vega's overlap rule, box) and
each rect mark (its ARIA description names the category it draws), and the checks made on them.

The checks are plain functions over those measurements, so that a failure lists every defect of
a screen at once (chart title, what is wrong, the texts involved)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import Any

#: Every chart of the page: boxes in CSS pixels of the viewport.
CHARTS_JS = """
() => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")].map(chart => {
  const svg = chart.querySelector('svg');
  const box = r => ({x: r.x, y: r.y, w: r.width, h: r.height});
  const texts = [...(svg ? svg.querySelectorAll('text') : [])].map(el => {
    const g = el.closest('g[class*="role-"]');
    const role = g ? [...g.classList].filter(c => c.startsWith('role-')).join(' ') : '';
    const hidden = el.getAttribute('opacity') === '0' || getComputedStyle(el).visibility === 'hidden';
    return {role, text: el.textContent, hidden, fill: el.getAttribute('fill') || '',
            ...box(el.getBoundingClientRect())};
  });
  const rects = [...(svg ? svg.querySelectorAll('g.mark-rect.role-mark path') : [])]
    .map(el => ({aria: el.getAttribute('aria-label') || '', fill: el.getAttribute('fill') || '',
                 ...box(el.getBoundingClientRect())}));
  return {box: box(chart.getBoundingClientRect()), svg: svg ? box(svg.getBoundingClientRect()) : null,
          texts, rects};
})
"""
MONTH_LABEL = re.compile(r"^(\d{2})/(\d{4})$")
CATEGORY = re.compile(r"label: (.*?)(?:;|$)")
#: The page's background (.streamlit/config.toml), behind every text not drawn over a bar.
PAGE_BACKGROUND = "#0b1220"
#: WCAG 2 contrast a value label needs against what it is drawn on (4.5: normal-size text).
MIN_CONTRAST = 4.5
NAMED = {"black": "#000000", "white": "#ffffff"}
#: Pixels two boxes may share before they count as overlapping (anti-aliased glyph edges).
SLACK = 1.0


def title_of(chart: dict[str, Any]) -> str:
    return " ".join(t["text"] for t in chart["texts"] if "role-title-text" in t["role"]) or "(untitled)"


def inside(inner: dict[str, float], outer: dict[str, float], slack: float = SLACK) -> bool:
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["w"] <= outer["x"] + outer["w"] + slack
        and inner["y"] + inner["h"] <= outer["y"] + outer["h"] + slack
    )


def overlap(a: dict[str, float], b: dict[str, float], slack: float = SLACK) -> bool:
    dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return dx > slack and dy > slack


def shown_texts(chart: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in chart["texts"] if not t["hidden"] and t["text"].strip() and t["w"] > 0]


def cut_texts(chart: dict[str, Any]) -> list[str]:
    """Texts (the title first among them) that reach out of the chart's box or its SVG: cut."""
    frames = [chart["box"], *([chart["svg"]] if chart["svg"] else [])]
    return [t["text"] for t in shown_texts(chart) if not all(inside(t, f) for f in frames)]


def overlapping_texts(chart: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for a, b in itertools.combinations(shown_texts(chart), 2) if overlap(a, b)]


def categories(chart: dict[str, Any]) -> list[str]:
    """The categories a bar chart draws (``label: …`` in its marks' descriptions), in order."""
    found = (CATEGORY.search(r["aria"]) for r in chart["rects"])
    return list(dict.fromkeys(m.group(1) for m in found if m))


def missing_labels(chart: dict[str, Any]) -> list[str]:
    """Categories drawn without their axis label shown (an abbreviated label "Khoa học và…"
    counts as shown)."""
    labels = [t["text"] for t in shown_texts(chart) if "role-axis-label" in t["role"]]

    def shown(name: str) -> bool:
        return any(lab == name or (lab.endswith("…") and name.startswith(lab[:-1])) for lab in labels)

    return [name for name in categories(chart) if not shown(name)]


def bar_rows(chart: dict[str, Any]) -> int:
    """Distinct rows (rounded centre heights) of a horizontal bar chart's marks at least 8 px tall."""
    return len({round(r["y"] + r["h"] / 2) for r in chart["rects"] if r["h"] >= 8})


def month_labels(chart: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(YYYYMM, text box) of every month label shown on an axis."""
    out = []
    for t in shown_texts(chart):
        m = MONTH_LABEL.match(t["text"].strip())
        if m and "role-axis-label" in t["role"]:
            out.append((int(m.group(2)) * 100 + int(m.group(1)), t))
    return out


def months_outside(chart: dict[str, Any], months: Iterable[int]) -> list[int]:
    wanted = set(months)
    return [m for m, _ in month_labels(chart) if m not in wanted]


def labels_between_bars(chart: dict[str, Any]) -> list[int]:
    """Month labels of a monthly bar chart that do not sit under a band's middle: the distance
    from the nearest bar's centre to the label's centre is not a whole number of bands (±15 %);
    a month without a bar is a whole band or more from its neighbour's."""
    centres = sorted({round(r["x"] + r["w"] / 2, 2) for r in chart["rects"] if r["w"] > 0})
    if len(centres) < 2:
        return []
    step = min(b - a for a, b in itertools.pairwise(centres) if b - a > 1)
    off = []
    for month, t in month_labels(chart):
        middle = t["x"] + t["w"] / 2
        bands = (middle - min(centres, key=lambda c: abs(c - middle))) / step
        if abs(bands - round(bands)) > 0.15:
            off.append(month)
    return off


def luminance(colour: str) -> float:
    """WCAG relative luminance of "#rrggbb", "#rgb", "black" or "white"."""
    code = NAMED.get(colour.strip().lower(), colour.strip().lstrip("#"))
    code = code.lstrip("#")
    if len(code) == 3:
        code = "".join(c * 2 for c in code)
    channels = [int(code[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def low_contrast_values(chart: dict[str, Any]) -> list[tuple[str, float]]:
    """Texts drawn as marks (value labels, notes) whose contrast with what lies under their
    middle (a bar, else the page) is below MIN_CONTRAST."""
    out = []
    for t in shown_texts(chart):
        if "role-mark" not in t["role"] or not t["fill"].startswith(("#", "b", "w")):
            continue
        x, y = t["x"] + t["w"] / 2, t["y"] + t["h"] / 2
        under = [
            r for r in chart["rects"] if r["x"] <= x <= r["x"] + r["w"] and r["y"] <= y <= r["y"] + r["h"]
        ]
        behind = under[-1]["fill"] if under and under[-1]["fill"].startswith("#") else PAGE_BACKGROUND
        ratio = contrast(t["fill"], behind)
        if ratio < MIN_CONTRAST:
            out.append((t["text"], round(ratio, 1)))
    return out
