"""Where the bubble map's labels go: each unit's label just below its bubble, or above it when
that spot is taken, else none (the tooltip still names the unit), placed busiest unit first.

deck.gl's collision filter hid the busiest units' labels and let others overlap on the feedback
map, so the places are worked out here, on the screen of the fitted view: the seats projected
with Web Mercator at the view's zoom (deck.gl's 512-pixel world), each label's box estimated
from its longest line and the font size (a bold sans glyph is at most ~0.62 em wide on average).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WORLD_PIXELS = 512.0
#: Average width of a character of the label font, in ems (generous: Vietnamese diacritics
#: do not widen glyphs, capitals do).
CHAR_EM = 0.62
LINE_EM = 1.1
PAD_PX = 4  # the label's background padding on each side


@dataclass(frozen=True)
class Box:
    """A rectangle on screen, pixels from the canvas's top-left corner."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def project(
    lon: float, lat: float, view: tuple[float, float, float], width: int, height: int
) -> tuple[float, float]:
    """Screen position (x, y) of (lon, lat) in a ``width`` × ``height`` canvas centred on
    ``view`` = (latitude, longitude, zoom), no pitch."""
    centre_lat, centre_lon, zoom = view
    scale = WORLD_PIXELS * 2**zoom

    def world(lo: float, la: float) -> tuple[float, float]:
        phi = math.radians(la)
        return (lo + 180) / 360 * scale, (
            1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi
        ) / 2 * scale

    x, y = world(lon, lat)
    cx, cy = world(centre_lon, centre_lat)
    return width / 2 + x - cx, height / 2 + y - cy


def label_box(x: float, y: float, text: str, size_px: int, gap: float, below: bool) -> Box:
    """The box of ``text`` centred on x, starting ``gap`` pixels below (or ending above) y."""
    lines = text.split("\n")
    w = max(len(line) for line in lines) * CHAR_EM * size_px + 2 * PAD_PX
    h = len(lines) * LINE_EM * size_px + 2 * PAD_PX
    top = y + gap if below else y - gap - h
    return Box(x - w / 2, top, x + w / 2, top + h)


def place_labels(
    points: Sequence[tuple[float, float]],
    radii: Sequence[float],
    texts: Sequence[str],
    priority: Sequence[float],
    size_px: int,
    canvas: tuple[float, float],
) -> list[tuple[bool, Box] | None]:
    """For each bubble (screen centre, radius in pixels, label text): (below?, box) of its
    label, or None when neither below nor above lies inside the ``canvas`` (width, height) and
    clear of the labels placed before it and of every bubble. Bubbles are served in descending
    ``priority``."""
    frame = Box(0, 0, canvas[0], canvas[1])
    bubbles = [Box(x - r, y - r, x + r, y + r) for (x, y), r in zip(points, radii, strict=True)]
    placed: list[Box] = []
    out: list[tuple[bool, Box] | None] = [None] * len(points)
    for i in sorted(range(len(points)), key=lambda k: -priority[k]):
        (x, y), r = points[i], radii[i]
        for below in (True, False):
            box = label_box(x, y, texts[i], size_px, r + 3, below)
            within = frame.left <= box.left and box.right <= frame.right and box.bottom <= frame.bottom
            clear = (
                within
                and box.top >= 0
                and not any(box.overlaps(b) for b in placed)
                and not any(box.overlaps(b) for j, b in enumerate(bubbles) if j != i)
            )
            if clear:
                placed.append(box)
                out[i] = (below, box)
                break
    return out
