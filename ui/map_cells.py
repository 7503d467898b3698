"""Geometry for the map when no boundary file exists: schematic cells around the unit seats, and
the view that fits a set of points.

No licensed boundary polygons exist for the units (docs/rules.md §B), so the map
draws each unit as a cell around its seat: the Voronoi cell (the area nearer to this seat than to
any other), cut to a disc so that outer units do not stretch to the edge of the screen. Seats
that crowd together (a town's wards sit a few hundred metres apart, its rural communes kilometres)
are first pushed apart to a minimum spacing, so every cell is big enough to see and to click;
seats already far enough apart keep their place. The result is a diagram of where the seats are,
not administrative boundaries, and the page says so.

Pure numpy, no scipy: a cell is a regular polygon around its seat cut by the perpendicular
bisector with every neighbour (Sutherland–Hodgman clipping of a convex polygon by half-planes),
in a local plane where a degree of longitude is shortened by cos(latitude), so the bisectors are
true on the ground.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Corners of the disc that bounds each cell.
DISC_SIDES = 24
#: Cell radius as a share of the median distance from a seat to its nearest neighbour; a seat
#: far from the others may grow its disc up to its own nearest distance, capped at OUTLIER_SHARE.
RADIUS_SHARE = 1.3
OUTLIER_SHARE = 1.5
#: Gap left between neighbouring cells, as a share of the smallest radius (a visible border).
GAP_SHARE = 0.04
#: Radius (degrees) used when there is a single seat and nothing to measure against.
SINGLE_RADIUS = 0.05
#: Minimum spacing of the seats in the diagram, as a share of sqrt(bounding-box area / seats):
#: the spacing the seats would have if they were spread evenly over their box.
SPREAD_SHARE = 1.0
SPREAD_ROUNDS = 80
#: Web Mercator: world width in pixels at zoom 0 for deck.gl's 512-pixel tiles.
WORLD_PIXELS = 512.0


@dataclass(frozen=True)
class Cell:
    """A unit's schematic cell: a closed ring of [lon, lat] corners and the point it is drawn
    around (the seat, or where the seat was moved to when seats crowd)."""

    ring: list[list[float]]
    lat: float
    lon: float


def _clip(poly: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray:
    """The part of convex ``poly`` (k×2) where ``p · normal <= offset``."""
    if len(poly) == 0:
        return poly
    side = poly @ normal - offset
    out: list[np.ndarray] = []
    for i in range(len(poly)):
        a, b = poly[i], poly[(i + 1) % len(poly)]
        sa, sb = side[i], side[(i + 1) % len(poly)]
        if sa <= 0:
            out.append(a)
        if (sa < 0 < sb) or (sb < 0 < sa):
            out.append(a + (b - a) * (sa / (sa - sb)))
    return np.array(out) if out else np.empty((0, 2))


def nearest_distances(points: np.ndarray) -> np.ndarray:
    """Distance from each point (n×2) to its nearest other point (inf when alone)."""
    if len(points) < 2:
        return np.full(len(points), np.inf)
    diff = points[:, None, :] - points[None, :, :]
    dist = np.sqrt((diff**2).sum(axis=2))
    np.fill_diagonal(dist, np.inf)
    dist[dist == 0] = np.inf  # two units sharing a seat do not shrink everyone's cell
    return dist.min(axis=1)


def cell_radius(points: np.ndarray) -> float:
    """The disc radius for ``points`` in the local plane: a share of the median nearest distance."""
    near = nearest_distances(points)
    finite = near[np.isfinite(near)]
    return float(np.median(finite)) * RADIUS_SHARE if len(finite) else SINGLE_RADIUS


def seat_radii(points: np.ndarray) -> np.ndarray:
    """Disc radius of each seat: :func:`cell_radius`, or up to its own nearest distance (capped
    at OUTLIER_SHARE × the median) for a seat far from the rest, so it does not shrink to a dot."""
    base = cell_radius(points)
    near = nearest_distances(points)
    own = np.where(np.isfinite(near), near, base)
    return np.clip(own, base, base / RADIUS_SHARE * OUTLIER_SHARE)


def spread_seats(points: np.ndarray, share: float = SPREAD_SHARE, rounds: int = SPREAD_ROUNDS) -> np.ndarray:
    """``points`` moved apart until no two are closer than the minimum spacing (or ``rounds``
    passes are done); a pair already far enough apart is never moved by the other."""
    out = points.astype(float).copy()
    if len(out) < 2:
        return out
    width, height = np.ptp(out[:, 0]), np.ptp(out[:, 1])
    area = max(width * height, max(width, height) ** 2 * 0.1, 1e-12)
    spacing = share * math.sqrt(area / len(out))
    rng = np.random.default_rng(0)  # fixed: the same seats always give the same diagram
    for _ in range(rounds):
        diff = out[:, None, :] - out[None, :, :]
        dist = np.sqrt((diff**2).sum(axis=2))
        np.fill_diagonal(dist, spacing)  # a seat does not push itself
        if dist.min() >= spacing * 0.999:
            break
        same = dist == 0  # shared seats: separate them in a random but fixed direction
        diff[same] = rng.normal(size=(int(same.sum()), 2)) * spacing * 1e-3
        dist[same] = np.hypot(diff[same][:, 0], diff[same][:, 1])
        push = np.where(dist < spacing, (spacing - dist) / 2 / np.maximum(dist, 1e-12), 0.0)
        out += (diff * push[:, :, None]).sum(axis=1) * 0.5
    return out


def _cell(points: np.ndarray, slot: int, radius: float, gap: float, disc: np.ndarray) -> np.ndarray:
    """The disc of seat ``slot`` cut by the bisector with every seat close enough to matter."""
    poly = points[slot] + disc * radius
    for other in points:
        between = other - points[slot]
        length = float(np.hypot(*between))
        if length == 0 or length > 2 * radius:
            continue  # the same seat, or too far for the bisector to cross this disc
        normal = between / length
        midpoint = (points[slot] + other) / 2
        poly = _clip(poly, normal, float(midpoint @ normal) - gap / 2)
    return poly


def schematic_cells(
    lat: Sequence[float | None], lon: Sequence[float | None], spread: bool = True
) -> list[Cell | None]:
    """One :class:`Cell` per seat, in order: the Voronoi cell of its (spread) seat cut to a disc.

    A seat with a missing coordinate gets None. With ``spread=False`` the cells sit exactly on the
    seats, however small crowded ones get. Results are cached by the seats (a wall redraws the
    same units every refresh): treat the returned rings as read-only.
    """
    lat_t = tuple(None if v is None or _is_nan(v) else float(v) for v in lat)
    lon_t = tuple(None if v is None or _is_nan(v) else float(v) for v in lon)
    return list(_cached_cells(lat_t, lon_t, spread))


def _is_nan(value: object) -> bool:
    """True for NaN (a float that is not equal to itself)."""
    return isinstance(value, float) and value != value


@functools.lru_cache(maxsize=32)
def _cached_cells(
    lat: tuple[float | None, ...], lon: tuple[float | None, ...], spread: bool
) -> tuple[Cell | None, ...]:
    lat_a = np.array([np.nan if v is None else v for v in lat], dtype=float)
    lon_a = np.array([np.nan if v is None else v for v in lon], dtype=float)
    known = np.isfinite(lat_a) & np.isfinite(lon_a)
    result: list[Cell | None] = [None] * len(lat_a)
    if not known.any():
        return tuple(result)
    lat0, lon0 = float(np.mean(lat_a[known])), float(np.mean(lon_a[known]))
    shrink = math.cos(math.radians(lat0))
    points = np.column_stack(((lon_a[known] - lon0) * shrink, lat_a[known] - lat0))
    if spread:
        points = spread_seats(points)
    radii = seat_radii(points)
    gap = float(radii.min()) * GAP_SHARE
    angles = np.linspace(0.0, 2 * math.pi, DISC_SIDES, endpoint=False)
    disc = np.column_stack((np.cos(angles), np.sin(angles)))
    for slot, i in enumerate(np.flatnonzero(known)):
        poly = _cell(points, slot, float(radii[slot]), gap, disc)
        ring = [[float(x / shrink + lon0), float(y + lat0)] for x, y in poly]
        x, y = points[slot]
        result[i] = Cell([*ring, ring[0]], float(y + lat0), float(x / shrink + lon0)) if ring else None
    return tuple(result)


def fit_view(
    lat: Sequence[float], lon: Sequence[float], width_px: int = 900, height_px: int = 640, pitch: float = 0
) -> tuple[float, float, float]:
    """(latitude, longitude, zoom) of a map view that shows every point (corners of the shapes
    drawn) with a small margin, in a ``width_px`` × ``height_px`` canvas tilted by ``pitch``."""
    lat_a = np.array([v for v in lat if v is not None and np.isfinite(v)], dtype=float)
    lon_a = np.array([v for v in lon if v is not None and np.isfinite(v)], dtype=float)
    if len(lat_a) == 0 or len(lon_a) == 0:
        return 16.0, 106.0, 5.0  # Vietnam as a whole: nothing to fit
    centre_lat = float((lat_a.min() + lat_a.max()) / 2)
    centre_lon = float((lon_a.min() + lon_a.max()) / 2)
    # Mercator stretches latitude by 1/cos(lat); a view tilted by ``pitch`` shortens it by about
    # cos(pitch) but magnifies its near (southern) half, so it looks a little further south.
    tilt = math.radians(pitch)
    span_lon = max(float(lon_a.max() - lon_a.min()), 0.01) * 1.08
    span_lat = max(float(lat_a.max() - lat_a.min()), 0.01) * 1.08 / math.cos(math.radians(centre_lat))
    zoom_x = math.log2(width_px * 360.0 / (WORLD_PIXELS * span_lon))
    zoom_y = math.log2(height_px * 360.0 / (WORLD_PIXELS * span_lat * math.cos(tilt)))
    centre_lat -= float(lat_a.max() - lat_a.min()) * 0.1 * math.sin(tilt)
    return centre_lat, centre_lon, round(min(zoom_x, zoom_y, 14.0) - 0.15 * math.sin(tilt), 2)


def ring_centre(ring: Sequence[Sequence[float]]) -> tuple[float, float]:
    """(lat, lon) of the mean corner of a ring: where to put a label when a unit has no seat."""
    corners = np.array(ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring, dtype=float)
    return float(corners[:, 1].mean()), float(corners[:, 0].mean())
