"""Chart and map properties that need no browser (issue 23 item 3): the month axes stay on the
data's months, bar charts keep a row per category with every label, the chart height is the
plot's (Streamlit's default "fit" squeezed it), a unit on too few dossiers is never painted as
met or missed, the maps' labels never overlap (the bubble map's, the tilted area map's, projected
as deck.gl projects them), and the specs written as dicts are valid Vega-Lite.
``tests/test_browser_charts.py`` checks the same charts as drawn."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from metrics.registry import get_metric
from ui import map_layers, trend_charts, vega_lite, wall_widgets
from ui.map_labels import place_centred, place_labels, project

ON_TIME = get_metric("on_time_rate")


def test_labelled_months_keep_to_six_and_always_the_last() -> None:
    year = [202512, *range(202601, 202612)]  # 12/2025–11/2026
    # 12 months in at most 6 labels: every 2nd month counted back from November.
    assert trend_charts.labelled_months(year) == [202601, 202603, 202605, 202607, 202609, 202611]
    # 95 months (01/2019–11/2026): steps 1, 2, 3, 4, 6, 12 give 95, 48, 32, 24, 16, 8 labels;
    # 24 gives 4 (⌈95/24⌉) → every 24th month back from 11/2026: 11/2020, 11/2022, 11/2024, 11/2026.
    every = [y * 100 + m for y in range(2019, 2027) for m in range(1, 13)][:95]
    assert every[-1] == 202611
    assert trend_charts.labelled_months(every) == [202011, 202211, 202411, 202611]
    assert trend_charts.labelled_months([202605]) == [202605]


def _points(months: list[int]) -> pd.DataFrame:
    series = {"Tỉnh": pd.DataFrame({"month": months, "v": [0.5 + 0.01 * i for i in range(len(months))]})}
    return trend_charts.series_points(series, "v", "pct", "vi")


def test_month_axis_of_a_line_chart_ends_at_the_last_month_of_data() -> None:
    months = [202512, *range(202601, 202612)]
    targets = pd.DataFrame({"start": [202512], "end": [202611], "target": [0.9]})
    spec = trend_charts.trend_chart(_points(months), title="T", y_title="Tỷ lệ", lang="vi", targets=targets)
    x = spec["layer"][0]["encoding"]["x"]
    # The domain is 1/12/2025 to 1/11/2026 in UTC: no "12/2026" or "01/2027" after the data.
    assert x["scale"]["domain"] == [
        {"year": 2025, "month": 12, "date": 1, "utc": True},
        {"year": 2026, "month": 11, "date": 1, "utc": True},
    ]
    assert x["scale"]["type"] == "utc" and x["scale"]["nice"] is False
    labelled = [(v["year"], v["month"]) for v in x["axis"]["values"]]
    assert labelled == [(2026, 1), (2026, 3), (2026, 5), (2026, 7), (2026, 9), (2026, 11)]
    assert x["axis"]["labelOverlap"] is False
    # The plot is HEIGHT tall and the chart grows around it (title, legend, axes).
    assert spec["height"] == trend_charts.HEIGHT
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    # The target rule runs half a month past each end of its run and is clipped to the plot.
    rule = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    assert rule["mark"]["clip"] is True


def test_stacked_months_are_one_band_each_of_the_period_even_when_empty() -> None:
    rows = pd.DataFrame(
        {
            "month": [202609, 202611],
            "part": ["A", "A"],
            "order": [0, 0],
            "value": [2.0, 1.0],
            "text": ["2", "1"],
        }
    )
    spec = trend_charts.stacked_chart(
        rows, title="T", y_title="PAKN", lang="vi", months=[202609, 202610, 202611]
    )
    x = spec["layer"][0]["encoding"]["x"]
    # October has no feedback and still has its band, between September's and November's.
    assert x["type"] == "ordinal" and x["scale"]["domain"] == ["09/2026", "10/2026", "11/2026"]
    assert x["axis"]["values"] == ["09/2026", "10/2026", "11/2026"]
    assert spec["layer"][0]["encoding"]["y"]["axis"]["tickMinStep"] == 1  # no "1, 1, 2, 2" ticks


def test_bar_chart_has_a_labelled_row_per_category_longest_first() -> None:
    rows = pd.DataFrame(
        {
            "key": ["a", "b", "c"],
            "label": ["Hài lòng", "Rất hài lòng", "Không hài lòng"],
            "value": [0.456, 0.505, 0.039],
            "text": ["45,6%", "50,5%", "3,9%"],
        }
    )
    spec = trend_charts.bar_chart(rows, title="Phân bố mức đánh giá", x_title="Tỷ lệ", lang="vi")
    y = spec["layer"][0]["encoding"]["y"]
    assert spec["height"] == {"step": trend_charts.ROW_STEP}  # three rows of 26 px, whatever the title
    assert y["sort"] == ["Rất hài lòng", "Hài lòng", "Không hài lòng"]
    assert y["axis"]["labelOverlap"] is False
    # Inside a bar when it is at least 30 % of the longest (0,039 < 0,3 × 0,505 = 0,152).
    data = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert [d["inside"] for d in data] == [True, True, False]
    kept = trend_charts.bar_chart(rows, title="T", x_title="x", lang="vi", by_value=False)
    assert kept["layer"][0]["encoding"]["y"]["sort"] == ["Hài lòng", "Rất hài lòng", "Không hài lòng"]


def test_long_titles_wrap_short_ones_stay() -> None:
    assert trend_charts.wrap_title("Phân bố mức đánh giá") == "Phân bố mức đánh giá"
    lines = trend_charts.wrap_title("Tỷ lệ tái sử dụng dữ liệu số hóa theo tháng")
    assert lines == ["Tỷ lệ tái sử dụng dữ liệu số hóa theo", "tháng"]
    assert all(len(line) <= trend_charts.TITLE_CHARS for line in lines)


def test_a_unit_on_too_few_dossiers_is_not_painted_red() -> None:
    table = pd.DataFrame(
        {
            "unit_code": ["1", "2", "3"],
            "unit_name": ["Xã Một", "Xã Hai", "Xã Ba"],
            "lat": [11.5, 11.6, 11.7],
            "lon": 106.9,
            # 0 of 1 on time; 0 of 20; 20 of 20.
            "settled_on_time": [0, 0, 20],
            "open_on_time": 0,
            "settled": [1, 20, 20],
            "open_end": 0,
        }
    )
    table["on_time_rate"] = table["settled_on_time"] / table["settled"]
    targets = pd.DataFrame(
        [dict(metric="on_time_rate", unit_code="", level="", field="", year=2026, value=0.98, source="x")]
    )
    frame = map_layers.map_frame(table, ON_TIME, targets, 2026, "commune", "vi", min_base=20)
    # Xã Một rests on 1 dossier (< 20): "few", pale grey, its label says so; Xã Hai has 20,
    # enough to be judged: 0,0 % is below the 98 % target.
    assert frame["category"].tolist() == ["few", "below", "met"]
    assert frame.loc[0, "fill_rgba"] == map_layers.COLOURS["few"]
    assert frame.loc[0, "label"] == "Một\nchỉ 1 hồ sơ"
    assert frame.loc[0, "tip_status"] == "Quá ít để đánh giá"
    legend = map_layers.legend_entries(frame, ON_TIME, 0.98, "vi", 20)
    assert [(e.category, e.values, e.count) for e in legend][3] == ("few", "Dưới 20", 1)
    # Without a minimum (the old behaviour) Xã Một was a confident red.
    assert map_layers.map_frame(table, ON_TIME, targets, 2026, "commune")["category"][0] == "below"


def test_bubble_labels_never_overlap_each_other_bubbles_or_the_edge() -> None:
    # Five bubbles of radius 12 in a row 20 px apart at y = 75 on a 200 × 150 canvas; labels of
    # 14 px, "Xã N\n9,9%" (4 characters): 4 × 0,62 × 14 + 8 = 42.7 px wide, 2 × 1,1 × 14 + 8 =
    # 38.8 px tall, 15 px from the centre. Busiest first: x=40 below (18.6–61.4); x=60 above
    # (38.6–81.4); x=80 would span 58.6–101.4, over both: left out; x=100 below (78.6–121.4,
    # clear of 61.4); x=120 below would touch x=100's label, above is clear of 81.4.
    points = [(40.0 + 20 * i, 75.0) for i in range(5)]
    texts = [f"Xã {i}\n9,9%" for i in range(5)]
    places = place_labels(points, [12.0] * 5, texts, [5, 4, 3, 2, 1], 14, (200, 150))
    assert [None if p is None else p[0] for p in places] == [True, False, None, True, False]
    boxes = [p[1] for p in places if p is not None]
    for i, a in enumerate(boxes):
        assert a.left >= 0 and a.right <= 200 and a.top >= 0 and a.bottom <= 150
        assert not any(a.overlaps(b) for b in boxes[i + 1 :])


def _valid(spec: dict) -> None:
    """Raise on the first way ``spec`` breaks the Vega-Lite schema Altair ships."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema import load_schema

    schema = load_schema()
    validate_jsonschema(json.loads(json.dumps(spec)), schema, rootschema=schema)


def test_the_specs_written_as_dicts_are_valid_vega_lite() -> None:
    """The trend screens' charts and the wall's intake strip are written as Vega-Lite dicts
    (``ui.vega_lite``): each shape is valid, names the schema Altair writes, and an invalid
    one is caught."""
    import altair as alt

    assert vega_lite.SCHEMA_URL == alt.SCHEMA_URL  # an Altair upgrade brings its Vega-Lite
    months = [202511, 202512, 202601]
    two = {
        "Tỉnh": pd.DataFrame({"month": months, "v": [0.5, None, 0.9]}),
        "Huyện A": pd.DataFrame({"month": months, "v": [0.4, 0.7, 0.95]}),
    }
    targets = pd.DataFrame({"start": [202511, 202601], "end": [202512, 202601], "target": [0.9, 0.95]})
    for lang in ("vi", "en"):
        points = trend_charts.series_points(two, "v", "pct", lang)
        _valid(trend_charts.trend_chart(points, title="T", y_title="Tỷ lệ", lang=lang))
        full = trend_charts.trend_chart(
            points, title="T", y_title="Tỷ lệ", lang=lang, targets=targets, first_met=202601
        )
        _valid(full)
        # a missing month is null in the data (the line breaks there), never NaN
        assert [p["value"] for p in full["datasets"]["points"]][:3] == [0.5, None, 0.9]
        hours = pd.DataFrame({"hour": [7, 8], "received": [5, 8], "received_online": [2, 3]})
        _valid(wall_widgets._intake_chart(hours, lang))
        bars = pd.DataFrame(
            {
                "key": ["a", "Đất đai"],
                "label": ["Huyện A", "Đất đai"],
                "value": [0.9, None],
                "text": ["90%", "—"],
                "target": [0.95, None],
                "target_text": ["95%", None],
            }
        )
        _valid(trend_charts.bar_chart(bars, title="T", x_title="x", lang=lang))
        _valid(
            trend_charts.bar_chart(
                bars, title="T", x_title="x", lang=lang, pick="pick_unit", target=0.9, chosen="Đất đai"
            )
        )
        parts = pd.DataFrame(
            {
                "month": [202511, 202601],
                "part": ["A", "B"],
                "order": [0, 1],
                "value": [2.0, 1.0],
                "text": ["2", "1"],
            }
        )
        _valid(trend_charts.stacked_chart(parts, title="T", y_title="y", lang=lang, months=months))
        _valid(
            trend_charts.stacked_chart(
                parts,
                title="T",
                y_title="y",
                lang=lang,
                note=(202601, "n"),
                colours=["#111", "#222"],
                normalize=True,
            )
        )
    broken = trend_charts.trend_chart(points, title="T", y_title="Tỷ lệ", lang="vi")
    broken["layer"][0]["mark"]["type"] = "lines"
    with pytest.raises(Exception, match="lines"):
        _valid(broken)


def test_the_tilted_map_projects_as_deck_gl_does() -> None:
    view = (11.5, 106.9, 9.0)
    # Untilted, the projection is the flat Web Mercator one: 0.1° east at zoom 9 is
    # 0.1 / 360 × 512 × 2⁹ = 72.8 px right of the centre, whatever the canvas's height.
    x, y = project(107.0, 11.5, view, 900, 640)
    assert (round(x, 1), round(y, 1)) == (450 + 72.8, 320.0)
    # Tilted by 35°: a ground point n world pixels north of the centre, in a canvas H tall, is
    # drawn 1.5·n·cos 35° / (1.5 + n/H·sin 35°) above it (math.gl's camera 1.5 heights up). For
    # n = 320, H = 640: 1.5 × 320 × 0.81915 / (1.5 + 0.5 × 0.57358) = 393.19 / 1.78679 = 220.06.
    scale = 512 * 2**9 / (2 * math.pi)
    north = math.degrees(
        2 * math.atan(math.exp(math.log(math.tan(math.pi / 4 + math.radians(11.5) / 2)) + 320 / scale))
        - math.pi / 2
    )
    x, y = project(106.9, north, view, 900, 640, pitch=35)
    assert (round(x, 2), round(320 - y, 2)) == (450.0, 220.06)
    # Raised, a point stands higher on the screen than on the ground.
    assert project(106.9, 11.5, view, 900, 640, pitch=35, elevation_m=5000)[1] < 320


def test_area_map_labels_never_overlap_and_the_busiest_stay() -> None:
    # Twelve units on a 360 × 300 canvas: at 22 px their labels cannot all fit, nor at the
    # smallest size allowed (22 × 0.75 = 16.5, rounded to 16 px), so some are left out, the
    # busiest kept first.
    n = 12
    table = pd.DataFrame(
        {
            "unit_code": [str(i) for i in range(n)],
            "unit_name": [f"Xã Số {i:02d}" for i in range(n)],
            "lat": [11.5 + 0.03 * (i % 4) for i in range(n)],
            "lon": [106.9 + 0.04 * (i // 4) for i in range(n)],
            "settled_on_time": [10 * (i + 1) for i in range(n)],
            "open_on_time": 0,
            "settled": [10 * (i + 1) for i in range(n)],
            "open_end": 0,
        }
    )
    table["on_time_rate"] = 1.0
    targets = pd.DataFrame(
        [dict(metric="on_time_rate", unit_code="", level="", field="", year=2026, value=0.98, source="x")]
    )
    frame = map_layers.map_frame(table, ON_TIME, targets, 2026, "commune", "vi")
    deck = json.loads(
        map_layers.build_deck(frame, view="areas", label_size_px=22, width_px=360, height_px=300).to_json()
    )
    layer = next(layer for layer in deck["layers"] if layer["id"] == map_layers.LABEL_LAYER)
    view = deck["initialViewState"]
    kept, size = layer["data"], layer["getSize"]
    assert size == 16 and 0 < len(kept) < n
    centres = [
        project(
            *r["position"][:2],
            (view["latitude"], view["longitude"], view["zoom"]),
            360,
            300,
            35,
            r["position"][2],
        )
        for r in kept
    ]
    boxes = place_centred(centres, [r["label"] for r in kept], [0] * len(kept), size, (360, 300))
    assert all(box is not None for box in boxes)  # each clear of the others by AIR_PX
    # The busiest unit (Xã Số 11, 120 dossiers) always keeps its label.
    volumes = sorted(r["priority"] for r in kept)
    assert volumes[-1] == 120
    # On 480 × 400 they all fit once shrunk (to 19 px): none is left out for want of 3 px.
    roomier = json.loads(
        map_layers.build_deck(frame, view="areas", label_size_px=22, width_px=480, height_px=400).to_json()
    )
    layer = next(layer for layer in roomier["layers"] if layer["id"] == map_layers.LABEL_LAYER)
    assert 16 < layer["getSize"] < 22 and len(layer["data"]) == n
