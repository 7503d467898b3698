"""Pages of the official reports and the briefing, drawn as SVG and made into one PDF.

vl-convert, the press pipeline's converter, turns each SVG page into a PDF page with the shipped
Be Vietnam Pro font embedded (a subset, with its Unicode map: the text stays selectable and
extractable); pypdf joins the pages. Charts of the press pipeline are placed on a page as the
SVG vl-convert draws for them, so their text stays text too. Text is wrapped by an estimate of
the font's advance widths (there is no layout engine offline), with room to spare.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html import escape

import vl_convert
from pypdf import PdfReader, PdfWriter

from exports.render import register_font
from exports.style import FONT

#: A4 in points.
A4_LONG, A4_SHORT = 842.0, 595.0
#: Average advance of a character as a share of the font size (Be Vietnam Pro is wide; generous).
ADVANCE = {False: 0.56, True: 0.60}
_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"')


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` in lines that fit ``width`` points at ``size`` (estimated advances)."""
    room = max(1, int(width / (size * ADVANCE[bold])))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass
class Page:
    """SVG elements of one page, ``width`` × ``height`` points (A4 landscape unless told)."""

    parts: list[str] = field(default_factory=list)
    width: float = A4_LONG
    height: float = A4_SHORT

    def text(self, x: float, y: float, s: str, size: float, **style: object) -> None:
        """A line of text with its baseline at ``y``; ``style``: bold, italic, anchor
        ("start", "middle", "end") and color.
        """
        attrs = f' text-anchor="{style.get("anchor", "start")}" fill="{style.get("color", "#000")}"'
        attrs += ' font-weight="bold"' if style.get("bold") else ""
        attrs += ' font-style="italic"' if style.get("italic") else ""
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}"{attrs}>{escape(s)}</text>'
        )

    def lines(self, x: float, y: float, rows: list[str], size: float, **style: object) -> float:
        """Draw ``rows`` one under the other from baseline ``y``; returns the next baseline."""
        for row in rows:
            self.text(x, y, row, size, **style)
            y += size * 1.3
        return y

    def box(self, x: float, y: float, w: float, h: float, fill: str = "none") -> None:
        """A cell's border (and its fill)."""
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}" '
            'stroke="#000" stroke-width="0.5"/>'
        )

    def embed(self, svg: str, x: float, y: float, max_w: float, max_h: float) -> float:
        """Another SVG document (a vl-convert chart) scaled to fit ``max_w`` × ``max_h`` at
        (x, y), never enlarged; returns the height it takes.
        """
        found = _SIZE.search(svg)
        if found is None:
            raise ValueError("an SVG without width and height cannot be placed")
        w, h = float(found[1]), float(found[2])
        scale = min(max_w / w, max_h / h, 1.0)
        inner = svg[svg.index("<svg") :]
        self.parts.append(f'<g transform="translate({x:.1f},{y:.1f}) scale({scale:.4f})">{inner}</g>')
        return h * scale

    def svg(self) -> str:
        """The page as one SVG document, in points."""
        w, h = self.width, self.height
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
            f'viewBox="0 0 {w:.0f} {h:.0f}"><rect width="100%" height="100%" fill="white"/>'
            f"{''.join(self.parts)}</svg>"
        )


def to_pdf(pages: list[Page]) -> bytes:
    """One PDF of the pages, each converted offline by vl-convert with the shipped font."""
    register_font()
    writer = PdfWriter()
    for page in pages:
        for converted in PdfReader(io.BytesIO(bytes(vl_convert.svg_to_pdf(page.svg())))).pages:
            writer.add_page(converted)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
