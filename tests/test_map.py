"""The map screen: AppTest on a seeded SQLite file asserting the deck that reaches the browser:
no basemap, one object per unit with the figures ``metrics`` gives and their colour category,
Vietnamese tooltips, drill-down from the URL and back up, bad URL values, a two-tier province, a
boundary file. The builders themselves are tested in tests/test_map_layers.py."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from data_access.engine import make_engine
from data_access.queries import unit_counters
from metrics.tables import unit_metrics
from tests.builders import UNITS, T, build, dossier
from timebase.period import month_to_date
from ui import map_layers

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 23, 10, 0)
TARGETS = [
    dict(
        metric="on_time_rate", unit_code="", level="", field="", year=2026, value=0.98, source="Kế hoạch thử"
    )
]
# Three-tier units plus a commune with no dossiers at all (its rate is N/A).
UNITS_WITH_EMPTY = [
    *UNITS,
    dict(code="202", name="Xã Hai B", level="commune", parent_code="200", lat=11.85, lon=106.55),
]


def _rows() -> list[dict[str, Any]]:
    """November to date.
    101: x1 on time, x2 late                → 1 of 2 = 50,0%  (below 98%)
    102: x3 on time                         → 1 of 1 = 100,0% (met)
    201: 19 on time + 1 open overdue        → 19 of 20 = 95,0% (near: within 5 points)
    202: nothing                            → —                (no data)
    District 100 = 2 of 3 = 66,7% (below); district 200 = 19 of 20 = 95,0% (near).
    Online: x1 and x3 → 101 has 1 of 2 received online = 50,0%.
    """
    rows = [
        dossier(
            "x1",
            "101",
            T(2026, 11, 2, 9),
            T(2026, 11, 5, 17),
            finished_at=T(2026, 11, 4, 9),
            channel="online",
        ),
        dossier("x2", "101", T(2026, 11, 2, 9), T(2026, 11, 5, 17), finished_at=T(2026, 11, 9, 9)),
        dossier(
            "x3",
            "102",
            T(2026, 11, 3, 9),
            T(2026, 11, 6, 17),
            finished_at=T(2026, 11, 4, 9),
            channel="online",
        ),
        dossier("z0", "201", T(2026, 11, 10, 9), T(2026, 11, 13, 17)),  # open, past due on 23/11
    ]
    rows += [
        dossier(
            f"z{i}", "201", T(2026, 11, 2 + i % 10, 9), T(2026, 11, 18, 17), finished_at=T(2026, 11, 16, 9)
        )
        for i in range(1, 20)
    ]
    return rows


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'ioc.sqlite'}"
    build(url, _rows(), unit_rows=UNITS_WITH_EMPTY, target_rows=TARGETS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    monkeypatch.delenv("IOC_GEOJSON_PATH", raising=False)
    # A handful of dossiers a unit: judge every unit (the small-sample rule has its own test).
    monkeypatch.setenv("IOC_MIN_DOSSIERS", "1")
    return url


def _map_script() -> None:
    """The map screen on its own (app.py registers callables, which AppTest cannot switch to)."""
    from app_pages import map as map_screen

    map_screen.render()


def _run(**params: str) -> AppTest:
    at = AppTest.from_function(_map_script, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _deck(at: AppTest) -> dict[str, Any]:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def _layer(deck: dict[str, Any], layer_id: str) -> list[dict[str, Any]]:
    return next(layer for layer in deck["layers"] if layer["id"] == layer_id)["data"]


def _expected(url: str, level: str) -> dict[str, Any]:
    table = unit_metrics(unit_counters(make_engine(url), level, month_to_date(NOW)))
    return dict(zip(table["unit_code"], table["on_time_rate"], strict=True))


def test_map_draws_each_district_with_its_metric_offline(seeded: str) -> None:
    at = _run()
    assert not at.exception
    deck = _deck(at)
    # No basemap: no provider, and pydeck's "__MAP_STYLE__" sentinel, which Streamlit reads as
    # "none". (A missing mapStyle makes Streamlit fetch CARTO's style: verified in Chromium.)
    assert deck.get("mapProvider") is None and deck["mapStyle"] == "__MAP_STYLE__"
    assert "http" not in at.get("deck_gl_json_chart")[0].proto.json
    areas = {obj["unit_code"]: obj for obj in _layer(deck, map_layers.AREA_LAYER)}
    expected = _expected(seeded, "district")
    # Default level: districts (the level just below the province), one object each.
    assert sorted(areas) == ["100", "200"]
    # 100: 2 of 3 on time = 66,7% → below 98%; 200: 19 of 20 = 95,0% → within 5 points: near.
    assert areas["100"]["value"] == pytest.approx(expected["100"]) == pytest.approx(2 / 3)
    assert areas["200"]["value"] == pytest.approx(expected["200"]) == pytest.approx(0.95)
    assert (areas["100"]["category"], areas["200"]["category"]) == ("below", "near")
    assert areas["100"]["fill_rgba"] == map_layers.COLOURS["below"]
    # Tooltip lines, pre-formatted in Vietnamese (deck.gl only substitutes them into the template).
    assert areas["100"]["tip_value"] == "Tỷ lệ hồ sơ đúng hạn: 66,7%"
    assert areas["100"]["tip_target"] == "Mục tiêu: 98,0%"
    assert areas["100"]["tip_status"] == "Dưới mục tiêu"
    assert areas["200"]["tip_volume"] == "Hồ sơ đã xử lý: 20"
    assert {"{unit_name}", "{tip_value}", "{tip_target}", "{tip_volume}"} <= set(
        re.findall(r"\{\w+\}", json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)["html"])
    )
    # Extruded by volume: 20 dossiers stand higher than 3.
    assert areas["200"]["elevation"] > areas["100"]["elevation"] > 0
    # Labels carry Vietnamese letters, so the glyph atlas must be built from the text.
    labels = next(layer for layer in deck["layers"] if layer["id"] == map_layers.LABEL_LAYER)
    assert labels["characterSet"] == "auto"
    assert sorted(row["label"] for row in labels["data"]) == ["Hai\n95,0%", "Một\n66,7%"]
    text = " ".join(m.value for m in at.markdown)
    assert "Dữ liệu mẫu" in text
    assert "Sơ đồ vị trí trụ sở, không phải ranh giới hành chính" in text
    # The legend: the target, its three classes with their ranges and unit counts.
    assert "Mục tiêu 98,0%" in text
    assert "≥ 98,0%</span> <span class='m'>Đạt mục tiêu" in text
    assert "93,0%–98,0%</span> <span class='m'>Gần mục tiêu</span></div><div class='n'>1 đơn vị" in text
    assert (
        "&lt; 93,0%" in text
        or "< 93,0%</span> <span class='m'>Dưới mục tiêu</span></div><div class='n'>1 đơn vị" in text
    )


def test_drill_down_from_the_url_shows_only_that_districts_communes(seeded: str) -> None:
    at = _run(level="commune", unit="100")
    assert not at.exception and not at.warning
    areas = {obj["unit_code"]: obj for obj in _layer(_deck(at), map_layers.AREA_LAYER)}
    expected = _expected(seeded, "commune")
    assert sorted(areas) == ["101", "102"]
    # 101: x1 on time, x2 late → 50,0% (below); 102: x3 on time → 100,0% (met).
    assert areas["101"]["value"] == pytest.approx(expected["101"]) == 0.5
    assert areas["102"]["value"] == expected["102"] == 1.0
    assert (
        areas["101"]["tip_value"] == "Tỷ lệ hồ sơ đúng hạn: 50,0%"
        and areas["101"]["tip_status"] == "Dưới mục tiêu"
    )
    assert areas["102"]["category"] == "met" and areas["102"]["fill_rgba"] == map_layers.COLOURS["met"]
    assert at.title[0].value == "Bản đồ — Huyện Một"
    # The way back up: to the province's districts.
    at.button(key="map_up").click().run()
    assert at.query_params["level"] == "district" and "unit" not in at.query_params
    assert sorted(o["unit_code"] for o in _layer(_deck(at), map_layers.AREA_LAYER)) == ["100", "200"]


def test_a_commune_without_dossiers_is_grey_and_shows_a_dash(seeded: str) -> None:
    at = _run(level="commune", unit="200")
    areas = {obj["unit_code"]: obj for obj in _layer(_deck(at), map_layers.AREA_LAYER)}
    assert sorted(areas) == ["201", "202"]
    assert areas["202"]["value"] is None and areas["202"]["category"] == "unknown"
    assert areas["202"]["value_text"] == "—" and areas["202"]["fill_rgba"] == map_layers.COLOURS["unknown"]


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"unit": "999"}, "'unit'"),
        ({"level": "hamlet"}, "'level'"),
        ({"metric": "drop_table"}, "'metric'"),
        ({"level": "commune", "unit": "101"}, "'unit'"),  # a commune is not a district
        ({"view": "satellite"}, "'view'"),
        ({"period": "2026-13"}, "'period'"),
    ],
)
def test_unknown_url_values_give_a_warning_and_the_default(
    seeded: str, params: dict[str, str], bad: str
) -> None:
    at = _run(**params)
    assert not at.exception
    assert any(bad in w.value for w in at.warning)
    deck = _deck(at)
    areas = _layer(deck, map_layers.AREA_LAYER)
    level = params.get("level") if params.get("level") == "commune" else "district"
    assert len(areas) == {"district": 2, "commune": 4}[level]
    assert all(obj["tip_value"].startswith("Tỷ lệ hồ sơ đúng hạn: ") for obj in areas)


def test_the_period_comes_from_the_url(seeded: str) -> None:
    at = _run(period="2026-10")
    assert not at.exception and not at.warning
    assert at.subheader[0].value == "Cấp huyện · Tháng 10/2026"
    # Nothing was received or open in October: every rate is N/A, shown as a dash, grey.
    areas = _layer(_deck(at), map_layers.AREA_LAYER)
    assert [(o["value"], o["value_text"], o["category"]) for o in areas] == [(None, "—", "unknown")] * 2


def _pick_script() -> None:
    """A click as Streamlit reports it, handed to the page's selection callback."""
    import streamlit as st

    from app_pages import map as map_screen

    st.session_state["picked"] = {"selection": {"objects": {"unit_areas": [{"unit_code": "100"}]}}}
    map_screen._on_pick("picked", st.session_state.get("below"))


def test_a_click_on_a_unit_writes_the_drill_down_into_the_url() -> None:
    at = AppTest.from_function(_pick_script)
    at.session_state["below"] = "commune"
    at.run()
    assert at.query_params["level"] == "commune" and at.query_params["unit"] == "100"
    at = AppTest.from_function(_pick_script)
    at.session_state["below"] = None  # the lowest level: nothing below to drill into
    at.run()
    assert "level" not in at.query_params and "unit" not in at.query_params


def test_another_metric_and_the_bubble_view(seeded: str) -> None:
    at = _run(level="commune", unit="100", metric="online_share", view="seats")
    assert not at.exception and not at.warning
    seats = {obj["unit_code"]: obj for obj in _layer(_deck(at), map_layers.SEAT_LAYER)}
    # 101 received x1 (online) and x2 → 50,0%; 102 received x3 (online) → 100,0%. No target set.
    assert seats["101"]["value_text"] == "50,0%" and seats["102"]["value_text"] == "100,0%"
    assert seats["101"]["category"] == "unknown"
    # No target: the value ramp, lowest (50%) darkest, highest (100%) brightest.
    assert seats["101"]["fill_rgba"][:3] == list(map_layers.RAMP_LOW)
    assert seats["102"]["fill_rgba"][:3] == list(map_layers.RAMP_HIGH)
    # Bubble area by volume: 101 handled 2 dossiers, 102 one.
    assert seats["101"]["radius"] > seats["102"]["radius"] > 0
    assert _deck(at)["initialViewState"]["pitch"] == 0
    assert "Tỷ lệ hồ sơ trực tuyến" in " ".join(m.value for m in at.markdown)


def test_english(seeded: str) -> None:
    at = _run(lang="en", level="commune", unit="100")
    areas = {obj["unit_code"]: obj for obj in _layer(_deck(at), map_layers.AREA_LAYER)}
    assert (
        areas["101"]["tip_value"] == "On-time rate: 50.0%" and areas["101"]["tip_target"] == "Target: 98.0%"
    )
    assert "Diagram of the units' seats" in " ".join(m.value for m in at.markdown)


def test_two_tier_province_maps_its_communes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # After 1/7/2025: province → communes, no districts.
    two_tier = [{**u, "parent_code": "70"} for u in UNITS if u["level"] != "district"]
    url = f"sqlite:///{tmp_path / 'two.sqlite'}"
    rows = [r for r in _rows() if r["unit_code"] in ("101", "102")]
    build(url, rows, unit_rows=two_tier, target_rows=TARGETS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    at = _run()
    assert not at.exception and not at.warning
    areas = {obj["unit_code"]: obj for obj in _layer(_deck(at), map_layers.AREA_LAYER)}
    assert sorted(areas) == ["101", "102", "201"]
    assert areas["101"]["value"] == 0.5 and areas["201"]["value"] is None
    assert at.subheader[0].value.startswith("Cấp xã")
    assert not at.button  # nothing above the communes but the province itself


def test_missing_database_gives_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_DATABASE_URL", f"sqlite:///{tmp_path / 'absent.sqlite'}")
    at = _run()
    assert not at.exception
    assert "Không đọc được cơ sở dữ liệu" in at.error[0].value
    assert not at.get("deck_gl_json_chart")


def _write_geojson(path: Path, features: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")


SQUARE_100 = [[[106.8, 11.4], [107.0, 11.4], [107.0, 11.6], [106.8, 11.6], [106.8, 11.4]]]
PARTS_200 = [
    [[[106.5, 11.7], [106.7, 11.7], [106.7, 11.9], [106.5, 11.7]]],
    [[[106.4, 11.9], [106.45, 11.9], [106.45, 11.95], [106.4, 11.9]]],
]


def test_a_supplied_boundary_file_replaces_the_schematic_cells(
    seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shapes = tmp_path / "ranh_gioi.geojson"
    _write_geojson(
        shapes,
        [
            {
                "type": "Feature",
                "properties": {"code": "100"},
                "geometry": {"type": "Polygon", "coordinates": SQUARE_100},
            },
            {
                "type": "Feature",
                "properties": {"code": 200},
                "geometry": {"type": "MultiPolygon", "coordinates": PARTS_200},
            },
        ],
    )
    monkeypatch.setenv("IOC_GEOJSON_PATH", str(shapes))
    at = _run()
    assert not at.exception and not at.warning
    areas = _layer(_deck(at), map_layers.AREA_LAYER)
    # One row per polygon part, each carrying its unit's figures: 100 once, 200 twice.
    assert [o["unit_code"] for o in areas] == ["100", "200", "200"]
    assert areas[0]["polygon"] == SQUARE_100 and [o["polygon"] for o in areas[1:]] == PARTS_200
    assert areas[1]["tip_value"] == areas[2]["tip_value"] == "Tỷ lệ hồ sơ đúng hạn: 95,0%"
    text = " ".join(m.value for m in at.markdown)
    assert f"Ranh giới: {shapes}" in text and "không phải ranh giới hành chính" not in text


def test_a_boundary_file_missing_units_or_broken_falls_back_to_the_diagram(
    seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    partial = tmp_path / "partial.geojson"
    _write_geojson(
        partial,
        [
            {
                "type": "Feature",
                "properties": {"code": "100"},
                "geometry": {"type": "Polygon", "coordinates": SQUARE_100},
            }
        ],
    )
    monkeypatch.setenv("IOC_GEOJSON_PATH", str(partial))
    at = _run()
    assert any("thiếu 1 đơn vị" in c.value and "200" in c.value for c in at.caption)
    assert [o["polygon"] != SQUARE_100 for o in _layer(_deck(at), map_layers.AREA_LAYER)] == [True, True]
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("IOC_GEOJSON_PATH", str(broken))
    at = _run()
    assert not at.exception
    assert "Không đọc được tệp ranh giới" in at.warning[0].value
    assert "Sơ đồ vị trí trụ sở" in " ".join(m.value for m in at.markdown)
    assert len(_layer(_deck(at), map_layers.AREA_LAYER)) == 2


def test_app_registers_the_map_right_after_the_overview() -> None:
    # app.py runs Streamlit at import, so read its SCREENS table instead of importing it.
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    screens = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "SCREENS"
    )
    paths = [ast.literal_eval(entry.elts[0]) for entry in screens.elts]
    assert paths[paths.index("overview") + 1] == "map"
    entry = screens.elts[paths.index("map")]
    assert [ast.unparse(e) for e in entry.elts] == [
        "'map'",
        "'map'",  # app_pages.map, imported when the screen is shown
        "'nav_map'",
        "':material/map:'",
    ]
