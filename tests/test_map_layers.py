"""The map's builders without Streamlit: the colour scale around a target, the schematic cells,
the view fit, the legend, the selection reader, the deck's JSON, and the boundary-file loader."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data_access.geo import ShapeFileError, load_unit_shapes
from metrics.registry import get_metric
from ui import map_cells, map_layers
from ui.map_cells import fit_view, schematic_cells, spread_seats
from ui.map_layers import colour_category

ON_TIME = get_metric("on_time_rate")


@pytest.mark.parametrize(
    ("value", "target", "higher", "expected"),
    [
        (0.98, 0.98, True, "met"),  # on the target counts as met
        (49 / 50, 0.98, True, "met"),  # float noise does not make 98% miss 98%
        (1.0, 0.98, True, "met"),
        (0.93, 0.98, True, "near"),  # exactly 5 points below: still near
        (0.9299, 0.98, True, "below"),
        (0.5, 0.98, True, "below"),
        (0.04, 0.05, False, "met"),  # lower is better: under the target meets it...
        (0.05, 0.05, False, "met"),
        (0.08, 0.05, False, "near"),  # ...5 points over is near
        (0.2, 0.05, False, "below"),
        (None, 0.98, True, "unknown"),  # N/A value
        (float("nan"), 0.98, True, "unknown"),
        (0.5, None, True, "unknown"),  # no target: nothing to judge against
    ],
)
def test_colour_category(value: float | None, target: float | None, higher: bool, expected: str) -> None:
    assert colour_category(value, target, higher) == expected


def test_ramp_colour_runs_from_low_to_high_and_greys_na() -> None:
    assert map_layers.ramp_colour(1.0, 1.0, 3.0)[:3] == list(map_layers.RAMP_LOW)
    assert map_layers.ramp_colour(3.0, 1.0, 3.0)[:3] == list(map_layers.RAMP_HIGH)
    middle = map_layers.ramp_colour(2.0, 1.0, 3.0)[:3]
    assert all(
        min(a, b) <= m <= max(a, b)
        for a, b, m in zip(map_layers.RAMP_LOW, map_layers.RAMP_HIGH, middle, strict=True)
    )
    assert map_layers.ramp_colour(None, 1.0, 3.0) == map_layers.COLOURS["unknown"]


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    """Ray casting: is (lon, lat) inside the closed ring?"""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


# Bình Phước's district seats (docs/rules.md), including Bình Long and Hớn Quản 8 km apart.
DISTRICT_SEATS = [
    (11.537, 106.902), (11.651, 106.608), (11.847, 106.997), (11.417, 106.616), (11.954, 106.994),
    (11.846, 106.591), (11.983, 106.802), (11.576, 106.607), (11.448, 106.870), (11.813, 107.244),
    (11.734, 106.873),
]  # fmt: skip


def test_schematic_cells_are_voronoi_cells_that_do_not_overlap() -> None:
    lat, lon = [s[0] for s in DISTRICT_SEATS], [s[1] for s in DISTRICT_SEATS]
    cells = schematic_cells(lat, lon)
    assert all(cell is not None for cell in cells)
    for cell in cells:
        assert cell.ring[0] == cell.ring[-1]  # closed
        assert _inside((cell.lon, cell.lat), cell.ring)  # drawn around its own centre
    centres = np.array([[c.lon * math.cos(math.radians(11.7)), c.lat] for c in cells])
    grid = [(x, y) for x in np.linspace(106.2, 107.6, 60) for y in np.linspace(11.1, 12.3, 60)]
    covered = 0
    for lon_p, lat_p in grid:
        owners = [i for i, cell in enumerate(cells) if _inside((lon_p, lat_p), cell.ring)]
        assert len(owners) <= 1  # no point in two cells
        if owners:
            covered += 1
            # The Voronoi property: a point of cell i is nearer to centre i than to any other.
            here = np.array([lon_p * math.cos(math.radians(11.7)), lat_p])
            assert int(np.argmin(((centres - here) ** 2).sum(axis=1))) == owners[0]
    assert covered > 200  # the cells are not slivers


def test_seats_far_enough_apart_keep_their_place_and_crowded_ones_are_spread() -> None:
    apart = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    assert np.allclose(spread_seats(apart), apart)
    crowded = np.array([[0.0, 0.0], [0.001, 0.0], [0.0, 0.001], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    spread = spread_seats(crowded)
    near = map_cells.nearest_distances(spread)
    assert near.min() > 0.2  # the three seats 100 m apart now stand well apart
    # Two units sharing one seat are separated too (deterministically).
    shared = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    assert map_cells.nearest_distances(spread_seats(shared)).min() > 0.1
    assert np.array_equal(spread_seats(shared), spread_seats(shared))


def test_schematic_cells_without_spread_sit_on_the_seats_and_skip_missing_ones() -> None:
    cells = schematic_cells([11.5, None, 11.8], [106.9, 106.7, 106.6], spread=False)
    assert cells[1] is None  # no seat, no cell
    assert (cells[0].lat, cells[0].lon) == (11.5, 106.9)
    assert (cells[2].lat, cells[2].lon) == (11.8, 106.6)
    lone = schematic_cells([11.5], [106.9])[0]
    corners = np.array(lone.ring[:-1])
    dist = np.hypot((corners[:, 0] - 106.9) * math.cos(math.radians(11.5)), corners[:, 1] - 11.5)
    assert np.allclose(dist, map_cells.SINGLE_RADIUS)  # a single seat gets a disc around it
    assert schematic_cells([None], [None]) == [None]


def test_fit_view_shows_every_point() -> None:
    lat, lon = [11.4, 12.0], [106.5, 107.3]
    centre_lat, centre_lon, zoom = fit_view(lat, lon, width_px=900, height_px=700)
    assert (centre_lat, centre_lon) == pytest.approx((11.7, 106.9))
    px_per_degree = map_cells.WORLD_PIXELS * 2**zoom / 360
    width = px_per_degree * 0.8
    height = px_per_degree * 0.6 / math.cos(math.radians(11.7))  # Mercator stretches latitude
    assert width <= 900 and height <= 700  # everything shows...
    assert max(width / 900, height / 700) > 0.85  # ...and fills the canvas
    assert (
        fit_view(lat, lon, 900, 700)[2] > fit_view([11.0, 12.4], lon, 900, 700)[2]
    )  # more to show: zoom out


def _frame(values: list[float | None], target: float = 0.98) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "unit_code": [str(100 + i) for i in range(len(values))],
            "unit_name": [f"Huyện Số {i}" for i in range(len(values))],
            "parent_code": "70",
            "lat": [11.5 + 0.1 * i for i in range(len(values))],
            "lon": 106.9,
            "on_time_rate": values,
            "settled": [10 * (i + 1) for i in range(len(values))],
            "open_end": 1,
        }
    )
    targets = pd.DataFrame(
        [dict(metric="on_time_rate", unit_code="", level="", field="", year=2026, value=target, source="x")]
    )
    return map_layers.map_frame(table, ON_TIME, targets, 2026, "district")


def test_map_frame_preformats_every_string_and_counts_volume() -> None:
    frame = _frame([0.985, 0.95, 0.5, None])
    assert frame["value_text"].tolist() == ["98,5%", "95,0%", "50,0%", "—"]
    assert frame["category"].tolist() == ["met", "near", "below", "unknown"]
    assert frame["volume"].tolist() == [11, 21, 31, 41]  # settled + open at the end
    assert frame["label"].tolist()[0] == "Số 0\n98,5%"  # the type word dropped on the wall
    assert frame.loc[0, "tip_target"] == "Mục tiêu: 98,0%" and frame.loc[3, "tip_status"] == ""
    deck = json.loads(map_layers.build_deck(frame).to_json())  # valid JSON: N/A is null, not NaN
    assert [row["value"] for row in deck["layers"][0]["data"]] == [0.985, 0.95, 0.5, None]


def test_legend_entries_give_ranges_and_counts() -> None:
    entries = map_layers.legend_entries(_frame([0.985, 0.95, 0.96, 0.5, None]), ON_TIME, 0.98, "vi")
    assert [(e.values, e.meaning, e.count) for e in entries] == [
        ("≥ 98,0%", "Đạt mục tiêu", 1),
        ("93,0%–98,0%", "Gần mục tiêu", 2),
        ("< 93,0%", "Dưới mục tiêu", 1),
        ("—", "Không có số liệu", 1),
    ]
    assert entries[0].colour == "#009e73"  # Okabe–Ito bluish green
    no_target = map_layers.legend_entries(_frame([0.2, 0.7]), get_metric("time_saved_share"), None, "en")
    assert [e.meaning for e in no_target] == ["Highest", "Lowest", "No data"]


def test_selected_unit_reads_streamlits_selection_state() -> None:
    state = {"selection": {"indices": {"unit_areas": [1]}, "objects": {"unit_areas": [{"unit_code": "692"}]}}}
    assert map_layers.selected_unit(state) == "692"
    bubbles = {"selection": {"objects": {"unit_seats": [{"unit_code": "25216"}]}}}
    assert map_layers.selected_unit(bubbles) == "25216"
    feature = {"selection": {"objects": {"unit_areas": [{"properties": {"unit_code": "100"}}]}}}
    assert map_layers.selected_unit(feature) == "100"
    assert map_layers.selected_unit({"selection": {"indices": {}, "objects": {}}}) is None
    assert map_layers.selected_unit(None) is None
    labels_only = {"selection": {"objects": {"unit_labels": [{"unit_code": "1"}]}}}
    assert map_layers.selected_unit(labels_only) is None  # labels are not units to drill into


def test_short_name() -> None:
    assert map_layers.short_name("Huyện Lộc Ninh") == "Lộc Ninh"
    assert map_layers.short_name("Thành phố Đồng Xoài") == "Đồng Xoài"
    assert map_layers.short_name("Thị trấn Chơn Thành") == "Chơn Thành"
    assert map_layers.short_name("Sở Tư pháp") == "Sở Tư pháp"


def test_load_unit_shapes(tmp_path: Path) -> None:
    path = tmp_path / "units.geojson"
    triangle = [[[0, 0], [1, 0], [0, 1], [0, 0]]]
    far_triangle = [[[2, 2], [3, 2], [2, 3], [2, 2]]]

    def feature(props: dict[str, object], kind: str, coords: object) -> dict[str, object]:
        return {"type": "Feature", "properties": props, "geometry": {"type": kind, "coordinates": coords}}

    doc = {
        "type": "FeatureCollection",
        "features": [
            feature({"code": "692", "name": "Lộc Ninh"}, "Polygon", triangle),
            feature({"code": 693}, "MultiPolygon", [triangle, far_triangle]),
            feature({"name": "no code"}, "Polygon", triangle),  # skipped: no code
            feature({"code": "1"}, "Point", [0, 0]),  # skipped: not an area
        ],
    }
    path.write_text("\ufeff" + json.dumps(doc), encoding="utf-8")  # a BOM is accepted
    shapes = load_unit_shapes(path)
    assert sorted(shapes.polygons) == ["692", "693"]
    assert len(shapes.polygons["693"]) == 2 and shapes.skipped == 2
    with pytest.raises(ShapeFileError, match="FeatureCollection"):
        (tmp_path / "x.json").write_text('{"type": "Feature"}', encoding="utf-8")
        load_unit_shapes(tmp_path / "x.json")
    with pytest.raises(ShapeFileError, match="absent"):
        load_unit_shapes(tmp_path / "absent.geojson")
    with pytest.raises(ShapeFileError, match="not a readable GeoJSON"):
        (tmp_path / "bad.geojson").write_text("{", encoding="utf-8")
        load_unit_shapes(tmp_path / "bad.geojson")
