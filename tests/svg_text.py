"""Text boxes of a chart rendered to SVG by vl-convert, to find labels drawn over each other.

Each visible ``<text>`` gets a box: its anchor from the nested ``translate`` transforms, its width
measured with the shipped font's own file (PIL), its height from the font size (ascent with
Vietnamese stacked marks ≈ 0,9 em above the baseline, descent 0,2 em below). Rotated text (slanted
month labels) is left out. Rough on purpose: two labels whose boxes overlap by more than a pixel
or two are visibly on top of each other.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from PIL import ImageFont

from exports.style import FONT_DIR

SVG = "{http://www.w3.org/2000/svg}"
TRANSLATE = re.compile(r"translate\(([-\d.e]+),\s*([-\d.e]+)\)")


@dataclass(frozen=True)
class Box:
    """A label's text and its box in the SVG's pixels."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Box, slack: float = 1.5) -> bool:
        """True when the two boxes share more than ``slack`` pixels each way."""
        dx = min(self.x1, other.x1) - max(self.x0, other.x0)
        dy = min(self.y1, other.y1) - max(self.y0, other.y0)
        return dx > slack and dy > slack


@functools.cache
def _font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
    name = "BeVietnamPro-Bold.ttf" if bold else "BeVietnamPro-Regular.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def _walk(node: ET.Element, x: float, y: float, out: list[Box]) -> None:
    transform = node.get("transform", "")
    if "rotate" in transform:
        return
    found = TRANSLATE.search(transform)
    if found:
        x, y = x + float(found.group(1)), y + float(found.group(2))
    if node.tag == f"{SVG}text":
        if float(node.get("opacity", "1")) == 0:
            return
        size = float(node.get("font-size", "11px").rstrip("px"))
        font = _font(node.get("font-weight") in ("bold", "700"), size)
        lines = [t.text or "" for t in node.iter(f"{SVG}tspan")] or [node.text or ""]
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            width = font.getlength(line)
            anchor = node.get("text-anchor", "start")
            left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
            base = y + i * size * 1.2
            out.append(Box(line, left, base - 0.9 * size, left + width, base + 0.2 * size))
        return
    for child in node:
        _walk(child, x, y, out)


def text_boxes(svg: str) -> list[Box]:
    """Every visible, unrotated label of ``svg`` with its box."""
    boxes: list[Box] = []
    _walk(ET.fromstring(svg), 0.0, 0.0, boxes)
    return boxes


def overlapping(boxes: list[Box]) -> list[tuple[str, str]]:
    """Pairs of labels drawn over each other."""
    return [(a.text, b.text) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlap(b)]
