"""Unit boundaries from a GeoJSON file that a deployment may supply (setting IOC_GEOJSON_PATH).

No licensed boundary polygons exist for the sample's units (docs/rules.md §B),
so the dashboard ships none; a province that holds its own boundaries points the setting at a
GeoJSON FeatureCollection whose features carry the unit's statistics-office code in the property
``code`` (the same code as units.csv) and a Polygon or MultiPolygon geometry in WGS 84 lon/lat.
Features of other geometry types or without a code are skipped and counted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Refuse boundary files larger than this: a province's units simplified for a wall are far
#: smaller, and a huge file would stall every screen that reads it.
MAX_BYTES = 50 * 1024 * 1024
#: The feature property holding the unit code.
CODE_PROPERTY = "code"

#: A polygon as GeoJSON holds it: rings of [lon, lat] corners, the first ring outside.
Polygon = list[list[list[float]]]


class ShapeFileError(Exception):
    """The boundary file cannot be used; the message says why."""


@dataclass(frozen=True)
class UnitShapes:
    """Polygons by unit code, and how many features were skipped (no code, not a polygon)."""

    polygons: dict[str, list[Polygon]]
    skipped: int = 0
    source: str = field(default="")


def _polygons(geometry: Any) -> list[Polygon] | None:
    """The polygons of a Polygon or MultiPolygon geometry, else None."""
    if not isinstance(geometry, dict):
        return None
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coords, list):
        return None
    if kind == "Polygon":
        return [coords]
    if kind == "MultiPolygon":
        return list(coords)
    return None


def load_unit_shapes(path: str | Path) -> UnitShapes:
    """Read a GeoJSON FeatureCollection of unit boundaries, keyed by the property ``code``.

    Raises :class:`ShapeFileError` with a readable reason when the file is missing, too large,
    not JSON or not a FeatureCollection. Several features with one code are merged.
    """
    file = Path(path)
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise ShapeFileError(f"{file}: {exc.strerror or exc}") from exc
    if size > MAX_BYTES:
        raise ShapeFileError(f"{file}: {size // (1024 * 1024)} MB, more than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        doc = json.loads(file.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ShapeFileError(f"{file}: not a readable GeoJSON file ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ShapeFileError(f"{file}: not a GeoJSON FeatureCollection")
    polygons: dict[str, list[Polygon]] = {}
    skipped = 0
    for feature in doc.get("features") or []:
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = props.get(CODE_PROPERTY) if isinstance(props, dict) else None
        parts = _polygons(feature.get("geometry")) if isinstance(feature, dict) else None
        if code in (None, "") or not parts:
            skipped += 1
            continue
        polygons.setdefault(str(code).strip(), []).extend(parts)
    return UnitShapes(polygons, skipped, str(file))
