"""Builders of the unit map: a frame of ``ui.map_frame.map_frame`` in, a pydeck ``Deck`` out.

No Streamlit here, so the map screen, the press export and the feedback screen can share them:

1. :func:`map_frame` (from ``ui.map_frame``) turns ``metrics.tables.unit_metrics`` (one row per
   unit) into one row per unit with the chosen metric's value, its target
   (``metrics.targets.target_for``), the colour category, the volume (dossiers handled) and every
   string a label or tooltip shows, pre-formatted in Vietnamese.
2. :func:`build_deck` draws that frame with no basemap (``map_provider=None``: offline, no token):
   unit areas (boundary polygons when given, else the schematic cells of ``ui.map_cells``)
   extruded by volume, or bubbles at the seats sized by volume, plus a label per unit.
3. :func:`legend_entries` (from ``ui.map_frame``) lists the colours with their meaning and unit
   counts, for a legend drawn by the caller in type large enough for the wall.
4. :func:`selected_unit` reads the unit code from ``st.pydeck_chart``'s selection state.

Example (a press export would pass the deck to ``st.pydeck_chart`` or its own renderer)::

    table = unit_metrics(unit_counters_frame)
    frame = map_frame(table, get_metric("on_time_rate"), targets, 2026, "district", "vi")
    deck = build_deck(frame, view="areas")
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pydeck as pdk

from ui.map_cells import SINGLE_RADIUS, fit_view, nearest_distances, ring_centre, schematic_cells
from ui.map_frame import (
    COLOURS,
    NEAR_BAND,
    RAMP_HIGH,
    RAMP_LOW,
    LegendEntry,
    colour_category,
    legend_entries,
    map_frame,
    ramp_colour,
    short_name,
)
from ui.map_labels import place_centred, place_labels, project

__all__ = [
    "AREA_LAYER",
    "COLOURS",
    "LABEL_LAYER",
    "NEAR_BAND",
    "RAMP_HIGH",
    "RAMP_LOW",
    "SEAT_LAYER",
    "LegendEntry",
    "build_deck",
    "colour_category",
    "legend_entries",
    "map_frame",
    "ramp_colour",
    "selected_unit",
    "short_name",
    "unit_polygons",
]

#: Layer ids: ``st.pydeck_chart`` reports selections by layer id.
AREA_LAYER, SEAT_LAYER, LABEL_LAYER = "unit_areas", "unit_seats", "unit_labels"
#: Fonts the labels ask for; the browser renders with the first it has (all cover Vietnamese).
LABEL_FONT = "Be Vietnam Pro, Noto Sans, DejaVu Sans, Arial, sans-serif"
#: Tallest extrusion, as a share of the map's extent on the ground.
MAX_HEIGHT_SHARE = 0.12
METRES_PER_DEGREE = 111_320.0
#: Radius of the busiest unit's bubble, as a share of the median distance between neighbouring seats.
BUBBLE_SHARE = 0.5
#: Smallest bubble on screen (pixels): a unit with one feedback item is still a visible disc.
SEAT_MIN_PX = 12
#: Earth's circumference at the equator (metres) over deck.gl's 512-pixel world at zoom 0.
METRES_PER_PIXEL_Z0 = 40_075_016.686 / 512
#: deck.gl tooltip template: Streamlit fills ``{field}`` from the picked row, escaping the value.
TOOLTIP_HTML = "<b>{unit_name}</b><br/>{tip_value}<br/>{tip_target}<br/>{tip_volume}<br/><i>{tip_status}</i>"
TOOLTIP_STYLE = {"fontSize": "20px", "lineHeight": "1.45", "backgroundColor": "#111a2e", "color": "#f8fafc"}


def selected_unit(state: Mapping[str, Any] | None) -> str | None:
    """The unit code of the object picked on the map, from ``st.pydeck_chart``'s state
    (``{"selection": {"objects": {layer_id: [object, ...]}}}``), or None."""
    selection = (state or {}).get("selection") or {}
    for layer_id in (AREA_LAYER, SEAT_LAYER):
        for obj in (selection.get("objects") or {}).get(layer_id) or []:
            code = obj.get("unit_code") if isinstance(obj, Mapping) else None
            if code is None and isinstance(obj, Mapping):
                code = (obj.get("properties") or {}).get("unit_code")
            if code not in (None, ""):
                return str(code)
    return None


def unit_polygons(
    frame: pd.DataFrame, shapes: Mapping[str, list[Any]] | None
) -> tuple[dict[str, list[Any]], dict[str, tuple[float, float]]]:
    """Polygons (each a list of rings) per unit code and the (lat, lon) to label each unit at:
    the supplied boundaries and the seat (or the shape's middle), else the schematic cells of
    ``ui.map_cells`` and their centres. Units with neither a shape nor a seat are left out."""
    polygons: dict[str, list[Any]] = {}
    anchors: dict[str, tuple[float, float]] = {}
    if shapes:
        for code, lat, lon in frame[["unit_code", "lat", "lon"]].itertuples(index=False):
            if code in shapes:
                polygons[code] = list(shapes[code])
                seat_known = lat is not None and not pd.isna(lat)
                anchors[code] = (lat, lon) if seat_known else ring_centre(polygons[code][0][0])
        return polygons, anchors
    cells = schematic_cells(frame["lat"].tolist(), frame["lon"].tolist())
    for code, cell in zip(frame["unit_code"], cells, strict=True):
        if cell is not None:
            polygons[code] = [[cell.ring]]
            anchors[code] = (cell.lat, cell.lon)
    return polygons, anchors


def _extent_metres(lat: list[float], lon: list[float]) -> float:
    """The larger side of the points' bounding box on the ground, in metres."""
    if not lat:
        return 20_000.0
    shrink = math.cos(math.radians(float(np.mean(lat))))
    span = max(max(lat) - min(lat), (max(lon) - min(lon)) * shrink, 0.01)
    return span * METRES_PER_DEGREE


def _records(frame: pd.DataFrame, **extra: list[Any]) -> list[dict[str, Any]]:
    """JSON-ready rows (None for N/A) with the fields a tooltip or a selection needs."""
    keep = ["unit_code", "unit_name", "value", "value_text", "target_text", "volume", "category"]
    keep += ["tip_value", "tip_target", "tip_volume", "tip_status"]
    base = frame[keep].astype(object).where(frame[keep].notna(), None).to_dict("records")
    return [{**row, **{k: v[i] for k, v in extra.items()}} for i, row in enumerate(base)]


def _area_layer(rows: list[dict[str, Any]]) -> pdk.Layer:
    return pdk.Layer(
        "PolygonLayer",
        rows,
        id=AREA_LAYER,
        get_polygon="polygon",
        get_fill_color="fill_rgba",
        get_line_color=[15, 23, 42, 255],
        line_width_min_pixels=2,
        extruded=True,
        wireframe=True,
        get_elevation="elevation",
        # Mostly ambient light: the tops keep the legend's colours instead of shading to brown.
        material={"ambient": 0.75, "diffuse": 0.35, "shininess": 4, "specularColor": [40, 40, 40]},
        pickable=True,
        auto_highlight=True,
        highlight_color=[255, 255, 255, 90],
    )


def _seat_layer(rows: list[dict[str, Any]]) -> pdk.Layer:
    return pdk.Layer(
        "ScatterplotLayer",
        rows,
        id=SEAT_LAYER,
        get_position="position",
        get_fill_color="fill_rgba",
        get_radius="radius",
        radius_min_pixels=SEAT_MIN_PX,
        stroked=True,
        get_line_color=[226, 232, 240, 255],
        line_width_min_pixels=2,
        pickable=True,
        auto_highlight=True,
        highlight_color=[255, 255, 255, 90],
    )


def _label_layer(rows: list[dict[str, Any]], size_px: int, below: bool = False) -> pdk.Layer:
    """The units' labels: on the unit (areas), or ``below`` its bubble (seats), clear of it."""
    placing: dict[str, Any] = (
        {"get_pixel_offset": "offset", "get_alignment_baseline": "baseline"}  # placed by ui.map_labels
        if below
        else {"get_alignment_baseline": '"center"'}  # the labels that fit: _area_labels
    )
    return pdk.Layer(
        "TextLayer",
        rows,
        id=LABEL_LAYER,
        get_position="position",
        get_text="label",
        # "auto" builds the glyph atlas from the labels themselves; deck.gl's default set is ASCII
        # and would drop every Vietnamese letter (ộ, ư, ơ…). Quoted, or pydeck would turn the
        # string into a data accessor.
        character_set='"auto"',
        font_family=f'"{LABEL_FONT}"',
        font_weight=700,
        get_size=size_px,
        size_units='"pixels"',
        get_color=[248, 250, 252, 255],
        background=True,
        get_background_color=[11, 18, 32, 190],
        background_padding=[6, 3],
        line_height=1.1,
        get_text_anchor='"middle"',
        pickable=False,
        # Drawn over the columns: a label half inside a taller neighbour would lose its value line.
        parameters={"depthCompare": "always", "depthWriteEnabled": False},
        **placing,
    )


def _areas(
    frame: pd.DataFrame, shapes: Mapping[str, list[Any]] | None
) -> tuple[pdk.Layer, list[dict[str, Any]], list[list[float]]]:
    """The extruded area layer, the label rows on top of it, and every corner (to fit the view)."""
    polygons, anchors = unit_polygons(frame, shapes)
    corners = [c for polys in polygons.values() for poly in polys for c in poly[0]]
    extent = _extent_metres([c[1] for c in corners], [c[0] for c in corners])
    volume = frame["volume"].astype(float).to_numpy()
    heights = volume / max(float(volume.max(initial=0)), 1.0) * extent * MAX_HEIGHT_SHARE
    rows = [
        {**row, "polygon": polygon}
        for row in _records(frame, fill_rgba=frame["fill_rgba"].tolist(), elevation=heights.round(1).tolist())
        for polygon in polygons.get(row["unit_code"], [])
    ]
    labels = [
        {
            "position": [anchors[code][1], anchors[code][0], float(height) + extent * 0.01],
            "label": label,
            "priority": int(volume_n),
        }
        for code, label, volume_n, height in zip(
            frame["unit_code"], frame["label"], volume, heights, strict=True
        )
        if code in anchors
    ]
    return _area_layer(rows), labels, corners


def _seats(frame: pd.DataFrame) -> tuple[pdk.Layer, list[dict[str, Any]], list[list[float]]]:
    """The bubble layer (area by volume), its labels, and the corners of the bubbles' box."""
    placed = frame[frame["lat"].notna() & frame["lon"].notna()]
    lat, lon = placed["lat"].astype(float).to_numpy(), placed["lon"].astype(float).to_numpy()
    shrink = math.cos(math.radians(float(np.mean(lat)))) if len(lat) else 1.0
    near = nearest_distances(np.column_stack((lon * shrink, lat)))
    finite = near[np.isfinite(near)]
    # The busiest unit's bubble reaches half-way to a typical neighbour, so bubbles rarely overlap.
    biggest = float(np.median(finite)) * BUBBLE_SHARE if len(finite) else SINGLE_RADIUS
    volume = placed["volume"].astype(float).to_numpy()
    share = np.sqrt(volume / max(float(volume.max(initial=0)), 1.0))
    radius_m = (0.25 + 0.75 * share) * biggest * METRES_PER_DEGREE
    positions = [[float(x), float(y)] for x, y in zip(lon, lat, strict=True)]
    rows = _records(
        placed, fill_rgba=placed["fill_rgba"].tolist(), radius=radius_m.round(1).tolist(), position=positions
    )
    labels = [
        {"position": [x, y, 0.0], "label": text, "priority": int(v), "radius": float(r)}
        for (x, y), text, v, r in zip(positions, placed["label"], placed["volume"], radius_m, strict=True)
    ]
    pad = biggest * 1.5  # room for the outer bubbles and their labels
    corners = [[x + dx * pad / shrink, y + dy * pad] for x, y in positions for dx, dy in ((-1, -1), (1, 1))]
    return _seat_layer(rows), labels, corners


def _seat_labels(
    labels: list[dict[str, Any]], view: tuple[float, float, float], width: int, height: int, size_px: int
) -> list[dict[str, Any]]:
    """The labels that fit beside their bubbles (``ui.map_labels``), each with its pixel offset
    and baseline; the others are left out (the tooltip still names the unit)."""
    per_pixel = METRES_PER_PIXEL_Z0 * math.cos(math.radians(view[0])) / 2 ** view[2]
    points = [project(row["position"][0], row["position"][1], view, width, height) for row in labels]
    radii = [max(row["radius"] / per_pixel, SEAT_MIN_PX) for row in labels]
    places = place_labels(
        points, radii, [r["label"] for r in labels], [r["priority"] for r in labels], size_px, (width, height)
    )
    kept = []
    for row, radius, place in zip(labels, radii, places, strict=True):
        if place is not None:
            gap = round(radius + 3)
            below = place[0]
            kept.append(
                {**row, "offset": [0, gap if below else -gap], "baseline": "top" if below else "bottom"}
            )
    return kept


#: On the area map labels may shrink to this share of the asked size before any is left out.
SMALLEST_LABEL_SHARE = 0.75


def _area_labels(
    labels: list[dict[str, Any]],
    view: tuple[float, float, float],
    pitch: float,
    width: int,
    height: int,
    size_px: int,
) -> tuple[list[dict[str, Any]], int]:
    """The labels that fit on the tilted area map, centred on their columns' tops as deck.gl
    projects them (``ui.map_labels``), and their size: the largest from ``size_px`` down to
    :data:`SMALLEST_LABEL_SHARE` of it at which every label fits, else the smallest, with the
    busiest units' labels first and the others left out (the tooltip still names the unit).
    deck.gl's collision filter let them overlap on the tilted view."""
    points = [
        project(row["position"][0], row["position"][1], view, width, height, pitch, row["position"][2])
        for row in labels
    ]
    texts, priority = [r["label"] for r in labels], [r["priority"] for r in labels]
    smallest = max(round(size_px * SMALLEST_LABEL_SHARE), 1)
    for size in range(size_px, smallest - 1, -1):
        boxes = place_centred(points, texts, priority, size, (width, height))
        if all(box is not None for box in boxes):
            break
    return [row for row, box in zip(labels, boxes, strict=True) if box is not None], size


def build_deck(
    frame: pd.DataFrame,
    shapes: Mapping[str, list[Any]] | None = None,
    view: str = "areas",
    label_size_px: int = 18,
    height_px: int = 640,
    width_px: int = 900,
) -> pdk.Deck:
    """The map of ``frame`` (from :func:`map_frame`) without any basemap.

    ``view="areas"``: one polygon per unit (``shapes`` by unit code, else the schematic cell of
    its seat) coloured by category and extruded by volume; ``view="seats"``: a bubble per seat
    sized by volume. The view fits every unit in a canvas of ``width_px`` × ``height_px`` (a
    wider canvas leaves more room around it). A label (short name and value) sits on each unit
    (crowded labels give way to the unit with more dossiers); the tooltip shows the ``tip_*``
    lines. Layer ids: :data:`AREA_LAYER`, :data:`SEAT_LAYER`, :data:`LABEL_LAYER`.
    """
    layer, labels, corners = _seats(frame) if view == "seats" else _areas(frame, shapes)
    pitch = 0 if view == "seats" else 35
    lat, lon, zoom = fit_view(
        [c[1] for c in corners], [c[0] for c in corners], width_px=width_px, height_px=height_px, pitch=pitch
    )
    if view == "seats":
        labels = _seat_labels(labels, (lat, lon, zoom), width_px, height_px, label_size_px)
    else:
        labels, label_size_px = _area_labels(
            labels, (lat, lon, zoom), pitch, width_px, height_px, label_size_px
        )
    return pdk.Deck(
        layers=[layer, _label_layer(labels, label_size_px, below=view == "seats")],
        initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom, pitch=pitch, bearing=0),
        # No basemap. Leave map_style at pydeck's sentinel: an explicit map_style=None drops the
        # key, and Streamlit then loads CARTO's style by theme (an outside request).
        map_provider=None,
        tooltip={"html": TOOLTIP_HTML, "style": TOOLTIP_STYLE},
    )
