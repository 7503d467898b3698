"""Where the map's labels go, placed busiest unit first; a label with no room is left out (the
tooltip still names the unit). On the bubble map each label sits just below its bubble, or above
it when that spot is taken; on the tilted area map it is centred on its unit's column top.

deck.gl's collision filter hid the busiest units' labels and let others overlap on the feedback
map, and let the area map's overlap at 1600 px, so the places are worked out here, on the screen of
the fitted view: the seats projected as deck.gl projects them (:func:`project`, with the
pitch), each label's box estimated from its longest line and the font size (a bold sans glyph
is at most ~0.62 em wide on average).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WORLD_PIXELS = 512.0
#: deck.gl's camera: this many canvas heights above the map's centre (math.gl's default).
ALTITUDE = 1.5
#: The circumference math.gl scales metres by.
EARTH_CIRCUMFERENCE_M = 40.03e6
#: Average width of a character of the label font, in ems (generous: Vietnamese diacritics
#: do not widen glyphs, capitals do).
CHAR_EM = 0.62
LINE_EM = 1.1
PAD_PX = 4  # the label's background padding on each side
#: The least room between two centred labels, so that neighbours never seem to touch.
AIR_PX = 4


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
    lon: float,
    lat: float,
    view: tuple[float, float, float],
    width: int,
    height: int,
    pitch: float = 0.0,
    elevation_m: float = 0.0,
) -> tuple[float, float]:
    """Screen position (x, y) of (lon, lat) raised ``elevation_m`` metres, in a ``width`` ×
    ``height`` canvas centred on ``view`` = (latitude, longitude, zoom) and tilted by ``pitch``
    degrees (bearing 0), as deck.gl's Web Mercator viewport projects it (math.gl): the world
    512 pixels wide at zoom 0, the camera :data:`ALTITUDE` canvas heights above the centre with a
    vertical field of view of 2·atan(0.5 / ALTITUDE), metres upwards at the centre's scale.
    """
    centre_lat, centre_lon, zoom = view

    def world(lo: float, la: float) -> tuple[float, float]:  # y grows northwards
        return (
            WORLD_PIXELS * (math.radians(lo) + math.pi) / (2 * math.pi),
            WORLD_PIXELS * (math.pi + math.log(math.tan(math.pi / 4 + math.radians(la) / 2))) / (2 * math.pi),
        )

    x, y = world(lon, lat)
    cx, cy = world(centre_lon, centre_lat)
    per_height = 2**zoom / height  # world units to canvas heights
    units_per_metre = WORLD_PIXELS / EARTH_CIRCUMFERENCE_M / math.cos(math.radians(centre_lat))
    east, north = (x - cx) * per_height, (y - cy) * per_height
    up = elevation_m * units_per_metre * per_height
    tilt = math.radians(pitch)
    # The camera's frame: tilted about the east axis, then ALTITUDE back from the centre.
    along = north * math.cos(tilt) + up * math.sin(tilt)
    depth = ALTITUDE + north * math.sin(tilt) - up * math.cos(tilt)
    focal = 2 * ALTITUDE  # 1 / tan(fov / 2)
    ndc_x = focal * (height / width) * east / depth
    ndc_y = focal * along / depth
    return (ndc_x + 1) * width / 2, (1 - ndc_y) * height / 2


def _extent(text: str, size_px: int) -> tuple[float, float]:
    """Width and height of a label's box: its longest line, its lines, the padding."""
    lines = text.split("\n")
    width = max(len(line) for line in lines) * CHAR_EM * size_px
    return width + 2 * PAD_PX, len(lines) * LINE_EM * size_px + 2 * PAD_PX


def label_box(x: float, y: float, text: str, size_px: int, gap: float, below: bool) -> Box:
    """The box of ``text`` centred on x, starting ``gap`` pixels below (or ending above) y."""
    w, h = _extent(text, size_px)
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


def place_centred(
    points: Sequence[tuple[float, float]],
    texts: Sequence[str],
    priority: Sequence[float],
    size_px: int,
    canvas: tuple[float, float],
) -> list[Box | None]:
    """For each label centred on its point: its box, or None when its centre would leave the
    ``canvas`` (the map is fitted with a margin), its top or bottom would, or it would come
    within :data:`AIR_PX` of a label placed before it. Labels are served in descending
    ``priority``."""
    frame = Box(0, 0, canvas[0], canvas[1])
    placed: list[Box] = []
    out: list[Box | None] = [None] * len(points)
    for i in sorted(range(len(points)), key=lambda k: -priority[k]):
        (x, y), (w, h) = points[i], _extent(texts[i], size_px)
        box = Box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        spaced = Box(box.left - AIR_PX, box.top - AIR_PX, box.right + AIR_PX, box.bottom + AIR_PX)
        within = frame.left <= x <= frame.right and frame.top <= box.top and box.bottom <= frame.bottom
        if within and not any(spaced.overlaps(b) for b in placed):
            placed.append(box)
            out[i] = box
    return out
