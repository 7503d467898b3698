"""Attribution (docs/rules.md §A): a dossier counts for the unit of the agency that handles
it and every unit above; the desk where it was received is a dimension of its own.

Six dossiers of October 2026 in the province of tests/import_fixtures.py (70 → districts 100,
200 → communes 101, 102 of 100 and 201 of 200), imported through ``cli.py import``'s code path:

| dossier | desk | handler (its unit) | outcome at 31/10 |
|---|---|---|---|
| A1 | 101 | X-101 (101) | finished Wed 7/10, due Thu 8/10: on time |
| A2 | 101 | H-100 (100) | finished Fri 9/10, due Thu 8/10: late |
| A3 | 102 | S-1 (70, a department) | finished Tue 6/10: on time |
| A4 | 201 | H-100 (100) | open, due Tue 20/10: overdue |
| A5 | 100 | X-102 (102) | finished Wed 7/10: on time |
| A6 | 201 | X-201 (201) | open, due Tue 10/11: on time |
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from data_access.desks import desk_counts
from data_access.drilldown import agency_counters
from data_access.engine import make_engine
from data_access.importer import import_folder
from data_access.queries import unit_counters
from metrics.compute import compute
from metrics.tables import with_desk_counts
from report import report_rows
from tests.import_fixtures import base_files, dossier_row, write_folder
from timebase.period import month_period

OCTOBER = month_period(2026, 10, dt.datetime(2026, 11, 15, 12, 0))
NOW = dt.datetime(2026, 11, 15, 12, 0)


def _done(code: str, desk: str, agency: str, finished: str) -> dict[str, str]:
    return dossier_row(
        code,
        unit_code=desk,
        agency_code=agency,
        received_at="2026-10-05T09:00",
        due_at="2026-10-08T17:00",
        finished_at=finished,
        status="returned",
    )


ROWS = [
    _done("A1", "101", "X-101", "2026-10-07T10:00"),
    _done("A2", "101", "H-100", "2026-10-09T10:00"),
    _done("A3", "102", "S-1", "2026-10-06T10:00"),
    dossier_row(
        "A4", unit_code="201", agency_code="H-100", received_at="2026-10-15T09:00", due_at="2026-10-20T17:00"
    ),
    _done("A5", "100", "X-102", "2026-10-07T10:00"),
    dossier_row(
        "A6", unit_code="201", agency_code="X-201", received_at="2026-10-30T09:00", due_at="2026-11-10T17:00"
    ),
]


@pytest.fixture
def imported(tmp_path: Path, any_url: str) -> str:
    result = import_folder(
        write_folder(tmp_path / "in", {**base_files(), "dossiers.csv": ROWS}), any_url, now=NOW
    )
    assert result.fatal is None and not result.rejections, result.messages()
    return any_url


def _by_unit(url: str, level: str) -> dict[str, dict]:
    engine = make_engine(url)
    try:
        counters = unit_counters(engine, level, OCTOBER)
        table = compute(with_desk_counts(counters, desk_counts(engine, level, OCTOBER)))
    finally:
        engine.dispose()
    return {r["unit_code"]: r for r in table.to_dict("records")}


def test_units_count_the_dossiers_their_agencies_handle(imported: str) -> None:
    province = _by_unit(imported, "province")["70"]
    # All six; on time A1, A3, A5 (finished) + A6 (open within due) = 4 of 6.
    assert (province["received"], province["on_time_rate"]) == (6, pytest.approx(4 / 6))
    districts = _by_unit(imported, "district")
    # 100 handles A1 (its commune 101), A2 and A4 (its own agency), A5 (its commune 102); A3 is the
    # department's (province only): on time A1, A5 = 2 of 4; A4 is overdue. By desk it would have
    # been A1, A2, A3, A5 with 3 of 4 on time.
    d100 = districts["100"]
    assert (d100["received"], d100["settled_on_time"], d100["open_overdue"]) == (4, 2, 1)
    assert d100["on_time_rate"] == pytest.approx(0.5)
    # 200 handles A6 alone (A4, received at its desk 201, is district 100's).
    assert (districts["200"]["received"], districts["200"]["on_time_rate"]) == (1, pytest.approx(1.0))
    communes = _by_unit(imported, "commune")
    # 101: A1 (A2, received at its desk, is the district's); 102: A5 (received at the district desk);
    # 201: A6.
    assert {code: r["received"] for code, r in communes.items()} == {"101": 1, "102": 1, "201": 1}
    assert communes["102"]["on_time_rate"] == pytest.approx(1.0)


def test_the_desk_is_a_dimension_of_its_own(imported: str) -> None:
    communes = _by_unit(imported, "commune")
    # Received at 101's desk: A1, A2; at 102's: A3; at 201's: A4, A6.
    assert {c: r["desk_received"] for c, r in communes.items()} == {"101": 2, "102": 1, "201": 2}
    # Handled by 102 but received at the district desk 100: A5 → 1 of 1 received outside.
    assert (communes["102"]["received_outside"], communes["102"]["received_outside_share"]) == (1, 1.0)
    assert communes["101"]["received_outside_share"] == 0.0
    districts = _by_unit(imported, "district")
    # Desks under 100: A1, A2 (101), A3 (102), A5 (100) = 4; under 200: A4, A6 = 2.
    assert (districts["100"]["desk_received"], districts["200"]["desk_received"]) == (4, 2)
    # 100 handles 4, one of them (A4) received at 201, in district 200: 1 of 4 outside.
    assert districts["100"]["received_outside"] == 1
    assert districts["100"]["received_outside_share"] == pytest.approx(0.25)
    province = _by_unit(imported, "province")["70"]
    assert (province["desk_received"], province["received_outside"]) == (6, 0)


def test_agencies_rank_by_the_dossiers_they_handle(imported: str) -> None:
    engine = make_engine(imported)
    try:
        rows = {r["unit_code"]: r for r in compute(agency_counters(engine, OCTOBER)).to_dict("records")}
    finally:
        engine.dispose()
    # H-100 handles A2 (late) and A4 (overdue): 0 of 2; S-1 handles A3: 1 of 1; H-200 nothing.
    assert (rows["H-100"]["received"], rows["H-100"]["on_time_rate"]) == (2, 0.0)
    assert (rows["S-1"]["received"], rows["S-1"]["on_time_rate"]) == (1, 1.0)
    assert rows["H-200"]["received"] == 0


def test_report_by_agency_and_by_district(imported: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_MIN_DOSSIERS", "1")  # rank even a unit of one dossier
    agencies = report_rows(imported, "agency", "2026-10-01", "2026-10-31", "2026-11-15T12:00:00")
    by_code = {r["unit_code"]: r for r in agencies if r["level"] == "agency"}
    # Ranked like the ranking screen: H-100 (0 %) below the four agencies at 100 %.
    assert by_code["H-100"]["on_time_rate"] == 0.0 and by_code["S-1"]["on_time_rate"] == 1.0
    assert by_code["H-100"]["rank"] > by_code["S-1"]["rank"]
    assert agencies[-1]["level"] == "province" and agencies[-1]["received"] == 6
    districts = report_rows(imported, "district", "2026-10-01", "2026-10-31", "2026-11-15T12:00:00")
    d100 = next(r for r in districts if r["unit_code"] == "100")
    assert (d100["received"], d100["desk_received"], d100["received_outside_share"]) == (4, 4, 0.25)
    json.dumps(districts)  # plain values only


def _map_script() -> None:
    from app_pages import map as map_screen

    map_screen.render()


def test_map_shows_intake_by_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from ui import map_layers

    url = f"sqlite:///{tmp_path / 'ioc.sqlite'}"
    result = import_folder(
        write_folder(tmp_path / "in", {**base_files(), "dossiers.csv": ROWS}), url, now=NOW
    )
    assert not result.rejections
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    monkeypatch.delenv("IOC_GEOJSON_PATH", raising=False)
    at = AppTest.from_function(_map_script, default_timeout=60)
    at.query_params.update(metric="desk_received", level="commune", period="2026-10")
    at.run()
    assert not at.exception
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    areas = next(layer for layer in deck["layers"] if layer["id"] == map_layers.AREA_LAYER)["data"]
    # Received at 101's desk: A1, A2; at 201's: A4, A6 (whoever handles them). 102 (A3) has no
    # seat in the fixture, so the map lists it in a caption instead of drawing it.
    assert {a["unit_code"]: a["value"] for a in areas} == {"101": 2, "201": 2}
    assert areas[0]["tip_value"].startswith("Hồ sơ tiếp nhận tại đơn vị (nơi nộp): ")


def _my_unit_script() -> None:
    from app_pages import my_unit

    my_unit.render()


def test_my_unit_says_where_its_dossiers_were_received(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    url = f"sqlite:///{tmp_path / 'ioc.sqlite'}"
    folder = write_folder(tmp_path / "in", {**base_files(), "dossiers.csv": ROWS})
    assert not import_folder(folder, url, now=NOW).rejections
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    at = AppTest.from_function(_my_unit_script, default_timeout=60)
    at.query_params.update(unit="100", period="2026-10")
    at.run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    # District 100: its desks took in A1, A2, A3, A5 = 4; of the 4 it handles, A4 (received at 201)
    # came from elsewhere: 1 of 4 = 25,0%.
    assert any(
        "tiếp nhận 4 hồ sơ trong kỳ; trong 4 hồ sơ đơn vị xử lý, 1 hồ sơ (25,0%)" in c for c in captions
    ), captions


def _overview_script() -> None:
    from app_pages import overview

    overview.render()


def test_overview_table_shows_intake_by_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    url = f"sqlite:///{tmp_path / 'ioc.sqlite'}"
    folder = write_folder(tmp_path / "in", {**base_files(), "dossiers.csv": ROWS})
    assert not import_folder(folder, url, now=NOW).rejections
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", "2026-10-31T12:00:00")  # October to date: all six dossiers
    at = AppTest.from_function(_overview_script, default_timeout=60).run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Hồ sơ tiếp nhận tại đơn vị (nơi nộp)" in d.value.columns)
    handled, desk = table["Hồ sơ tiếp nhận"], table["Hồ sơ tiếp nhận tại đơn vị (nơi nộp)"]
    rows = dict(zip(table["Đơn vị"], zip(handled, desk, strict=True), strict=True))
    # Huyện Một handles 4 (A1, A2, A4, A5) and its desks took in 4 (A1, A2, A3, A5); Huyện Hai
    # handles 1 (A6) and its desk 201 took in 2 (A4, A6).
    assert rows == {"Huyện Một": ("4", "4"), "Huyện Hai": ("1", "2")}
