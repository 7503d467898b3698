"""Units and agencies have a life (valid_from / valid_to): a period shows only those that existed
during it, each with the dossiers its agencies handled, on SQLite and PostgreSQL alike.

A tiny province across the 1 July 2025 reform (Resolutions 202 and 203/2025/QH15):

| code | unit        | level    | parent | valid              | agencies                |
|------|-------------|----------|--------|--------------------|-------------------------|
| 90   | Tỉnh Chuyển | province |        | always             | S-1 (Sở Một)            |
| 910  | Huyện Cũ A  | district | 90     | … – 30/6/2025      | H-910 (… – 30/6/2025)   |
| 920  | Huyện Cũ B  | district | 90     | … – 30/6/2025      | H-920 (… – 30/6/2025)   |
| 911  | Xã Cũ A     | commune  | 910    | … – 30/6/2025      | X-911 (… – 30/6/2025)   |
| 921  | Xã Cũ B     | commune  | 920    | … – 30/6/2025      | X-921 (… – 30/6/2025)   |
| 931  | Xã Mới Một  | commune  | 90     | 1/7/2025 – …       | X-931 (1/7/2025 – …)    |
| 932  | Xã Mới Hai  | commune  | 90     | 1/7/2025 – …       | X-932 (1/7/2025 – …)    |

Dossiers (procedure 1.000001; received at 9:00, due at 17:00, finished at 9:00):

| code | agency | desk | received | due  | finished | counts for    | note                         |
|------|--------|------|----------|------|----------|---------------|------------------------------|
| a1   | X-911  | 911  | 2/6      | 5/6  | 4/6      | 911 → 910     | on time                      |
| a2   | X-911  | 911  | 3/6      | 6/6  | 10/6     | 911 → 910     | late                         |
| b1   | H-920  | 921  | 9/6      | 12/6 | 11/6     | 920 (not 921) | cross-unit: commune desk     |
| s1   | S-1    | 911  | 16/6     | 19/6 | 18/6     | province only | cross-unit: department       |
| c1   | X-921  | 921  | 25/6     | 2/7  | 3/7      | 921 → 920     | across the change, late      |
| j1   | X-932  | 932  | 7/7      | 10/7 | 9/7      | 932           | on time                      |
| n1   | X-931  | 931  | 4/8      | 7/8  | 6/8      | 931           | on time                      |
| n2   | X-931  | 931  | 5/8      | 8/8  | 12/8     | 931           | late                         |
| n3   | X-932  | 932  | 11/8     | 14/8 | 13/8     | 932           | on time                      |
| s2   | S-1    | 932  | 12/8     | 15/8 | 14/8     | province only | cross-unit: department       |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from data_access import drilldown
from data_access.engine import make_engine
from data_access.load import agency_units, derive_dossier_columns, rebuild_unit_ancestors, upsert
from data_access.queries import agency_names, levels_present, unit_counters, units_at_level
from data_access.schema import agencies, create_schema, dossiers, meta, procedures, units
from data_access.summaries.maintain import rebuild_database
from report import report_rows
from sample_data.world import TWO_TIER_COMMUNES
from tests.builders import PROCEDURES, T, dossier
from tests.conftest import pg_schema_url
from timebase.period import parse_period

NOW = dt.datetime(2026, 11, 23, 10, 0)
END = dt.date(2025, 6, 30)  # the last day of the districts and the old communes
START = dt.date(2025, 7, 1)  # the first day of the new communes
JUNE, JULY, AUGUST, YEAR = (parse_period(p, NOW) for p in ("2025-06", "2025-07", "2025-08", "2025"))

OLD, NEW = dict(valid_from=dt.date(2008, 1, 1), valid_to=END), dict(valid_from=START, valid_to=None)
ALWAYS = dict(valid_from=None, valid_to=None)
UNITS = [
    dict(code="90", name="Tỉnh Chuyển", level="province", parent_code=None, lat=11.7, lon=106.7, **ALWAYS),
    dict(code="910", name="Huyện Cũ A", level="district", parent_code="90", lat=11.5, lon=106.9, **OLD),
    dict(code="920", name="Huyện Cũ B", level="district", parent_code="90", lat=11.8, lon=106.6, **OLD),
    dict(code="911", name="Xã Cũ A", level="commune", parent_code="910", lat=11.51, lon=106.91, **OLD),
    dict(code="921", name="Xã Cũ B", level="commune", parent_code="920", lat=11.81, lon=106.61, **OLD),
    dict(code="931", name="Xã Mới Một", level="commune", parent_code="90", lat=11.6, lon=106.8, **NEW),
    dict(code="932", name="Xã Mới Hai", level="commune", parent_code="90", lat=11.7, lon=106.5, **NEW),
]
AGENCIES = [
    dict(code="S-1", name="Sở Một", level="province", unit_code="90", **ALWAYS),
    dict(code="H-910", name="Một cửa Huyện Cũ A", level="district", unit_code="910", **OLD),
    dict(code="H-920", name="Một cửa Huyện Cũ B", level="district", unit_code="920", **OLD),
    dict(code="X-911", name="Một cửa Xã Cũ A", level="commune", unit_code="911", **OLD),
    dict(code="X-921", name="Một cửa Xã Cũ B", level="commune", unit_code="921", **OLD),
    dict(code="X-931", name="Một cửa Xã Mới Một", level="commune", unit_code="931", **NEW),
    dict(code="X-932", name="Một cửa Xã Mới Hai", level="commune", unit_code="932", **NEW),
]


def _d(
    code: str, agency: str, desk: str, received: tuple[int, int], due: tuple[int, int], done: tuple[int, int]
):
    """A finished dossier of 2025 received at ``desk`` and handled by ``agency`` (day, month)."""
    return dossier(
        code,
        "101",  # replaced below: the builders' helper needs a known unit for its default agency
        T(2025, received[1], received[0], 9),
        T(2025, due[1], due[0], 17),
        finished_at=T(2025, done[1], done[0], 9),
    ) | dict(agency_code=agency, unit_code=desk)


ROWS = [
    _d("a1", "X-911", "911", (2, 6), (5, 6), (4, 6)),
    _d("a2", "X-911", "911", (3, 6), (6, 6), (10, 6)),
    _d("b1", "H-920", "921", (9, 6), (12, 6), (11, 6)),
    _d("s1", "S-1", "911", (16, 6), (19, 6), (18, 6)),
    _d("c1", "X-921", "921", (25, 6), (2, 7), (3, 7)),
    _d("j1", "X-932", "932", (7, 7), (10, 7), (9, 7)),
    _d("n1", "X-931", "931", (4, 8), (7, 8), (6, 8)),
    _d("n2", "X-931", "931", (5, 8), (8, 8), (12, 8)),
    _d("n3", "X-932", "932", (11, 8), (14, 8), (13, 8)),
    _d("s2", "S-1", "932", (12, 8), (15, 8), (14, 8)),
]


def build_transition(url: str, *, summaries: bool = False) -> Engine:
    """The province above at ``url``; with ``summaries`` the summary tables are built too."""
    engine = make_engine(url, read_only=False)
    create_schema(engine)
    with engine.begin() as conn:
        upsert(conn, units, UNITS)
        rebuild_unit_ancestors(conn)
        upsert(conn, agencies, AGENCIES)
        upsert(conn, procedures, PROCEDURES)
        upsert(conn, dossiers, derive_dossier_columns(pd.DataFrame(ROWS), agency_units(conn)))
        upsert(conn, meta, [dict(key="is_sample", value="0"), dict(key="province_name", value="Chuyển")])
    if summaries:
        rebuild_database(engine)
    return engine


@pytest.fixture(params=["sqlite", "sqlite+summaries", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The province on SQLite (read from the dossier table, and from the summary tables) and on
    PostgreSQL."""
    if request.param == "postgresql":
        urls: Iterator[str] = pg_schema_url()
        url = next(urls)
    else:
        urls, url = iter(()), f"sqlite:///{tmp_path / 'validity.sqlite'}"
    eng = build_transition(url, summaries=request.param.endswith("summaries"))
    try:
        yield eng
    finally:
        eng.dispose()
        for _ in urls:  # drops the PostgreSQL schema
            pass


COUNTERS = ["received", "settled", "settled_on_time", "open_end", "open_on_time"]


def _figures(engine: Engine, level: str, period: Any) -> dict[str, tuple[int, ...]]:
    frame = unit_counters(engine, level, period)
    return {str(r["unit_code"]): tuple(int(r[c]) for c in COUNTERS) for _, r in frame.iterrows()}


def test_the_units_listed_are_those_of_the_period(engine: Engine) -> None:
    assert levels_present(engine, JUNE) == ["province", "district", "commune"]
    assert levels_present(engine, AUGUST) == ["province", "commune"]  # no district after 1/7/2025
    assert levels_present(engine, YEAR) == ["province", "district", "commune"]
    assert levels_present(engine) == ["province", "district", "commune"]  # any unit ever
    codes = lambda level, period: units_at_level(engine, level, period)["code"].tolist()  # noqa: E731
    assert codes("district", JUNE) == ["910", "920"]
    assert codes("commune", JUNE) == ["911", "921"]  # the old communes only
    assert codes("district", AUGUST) == []
    assert codes("commune", AUGUST) == ["931", "932"]  # the new communes only
    assert codes("commune", YEAR) == ["911", "921", "931", "932"]
    assert codes("commune", None) == ["911", "921", "931", "932"]
    # Edges: a period ending on the last day of the old units, starting on the first of the new.
    last_day, first_day = (
        parse_period("2025-06-30..2025-06-30", NOW),
        parse_period("2025-07-01..2025-07-01", NOW),
    )
    assert codes("commune", last_day) == ["911", "921"] and codes("commune", first_day) == ["931", "932"]
    assert agency_names(engine, JUNE)["code"].tolist() == ["H-910", "H-920", "S-1", "X-911", "X-921"]
    assert agency_names(engine, AUGUST)["code"].tolist() == ["S-1", "X-931", "X-932"]
    assert len(agency_names(engine, YEAR)) == len(agency_names(engine)) == 7


def test_june_2025_shows_the_districts_and_the_old_communes(engine: Engine) -> None:
    # (received, settled, settled on time, open at the end, open on time)
    # 910: a1 on time + a2 late; 920: b1 (received at commune 921's desk, handled by the district)
    # on time, c1 still open on 30/6 and not yet due (2/7).
    assert _figures(engine, "district", JUNE) == {"910": (2, 2, 1, 0, 0), "920": (2, 1, 1, 1, 1)}
    # 911: a1, a2 (s1 at its desk is the department's); 921: c1 alone (b1 is the district's).
    assert _figures(engine, "commune", JUNE) == {"911": (2, 2, 1, 0, 0), "921": (1, 0, 0, 1, 1)}
    # Province: a1, a2, b1, s1, c1 received; a1, b1, s1 on time of 4 settled; c1 open.
    assert _figures(engine, "province", JUNE) == {"90": (5, 4, 3, 1, 1)}


def test_august_2025_shows_only_the_new_communes(engine: Engine) -> None:
    assert _figures(engine, "district", AUGUST) == {}
    # 931: n1 on time, n2 late; 932: n3 on time (s2 at its desk is the department's).
    assert _figures(engine, "commune", AUGUST) == {"931": (2, 2, 1, 0, 0), "932": (1, 1, 1, 0, 0)}
    assert _figures(engine, "province", AUGUST) == {"90": (4, 4, 3, 0, 0)}  # n1, n3, s2 on time


def test_the_year_2025_shows_each_unit_for_its_part(engine: Engine) -> None:
    # Districts (Jan–Jun) with their dossiers; c1, settled late on 3/7, stays with 921 and 920.
    assert _figures(engine, "district", YEAR) == {"910": (2, 2, 1, 0, 0), "920": (2, 2, 1, 0, 0)}
    assert _figures(engine, "commune", YEAR) == {
        "911": (2, 2, 1, 0, 0),  # a1 on time, a2 late
        "921": (1, 1, 0, 0, 0),  # c1 late
        "931": (2, 2, 1, 0, 0),  # n1 on time, n2 late
        "932": (2, 2, 2, 0, 0),  # j1, n3 on time
    }
    # All ten; on time: a1, b1, s1, j1, n1, n3, s2 = 7.
    assert _figures(engine, "province", YEAR) == {"90": (10, 10, 7, 0, 0)}


def test_a_dossier_across_the_change_stays_with_its_old_agency(engine: Engine) -> None:
    # July: c1 (X-921, received 25/6) is settled late on 3/7. Its commune and district ended on
    # 30/6, so July lists neither; the new communes do not take it over: 932 has j1 alone, 931
    # nothing. The province (which still exists) counts it: j1 and c1 settled, j1 on time.
    assert _figures(engine, "commune", JULY) == {"931": (0, 0, 0, 0, 0), "932": (1, 1, 1, 0, 0)}
    assert _figures(engine, "province", JULY) == {"90": (1, 2, 1, 0, 0)}
    with engine.connect() as conn:
        row = conn.execute(dossiers.select().where(dossiers.c.dossier_code == "c1")).one()
    assert (row.agency_code, row.unit_code, row.desk_unit_code) == ("X-921", "921", "921")
    year = drilldown.agency_counters(engine, YEAR).set_index("unit_code")
    assert (year.loc["X-921", "received"], year.loc["X-921", "settled"]) == (1, 1)
    assert year.loc["X-921", "settled_on_time"] == 0


def test_agency_rankings_follow_the_period(engine: Engine) -> None:
    june = drilldown.agency_counters(engine, JUNE).set_index("unit_code")
    assert sorted(june.index) == ["H-910", "H-920", "S-1", "X-911", "X-921"]
    # H-920: b1, received at commune 921's desk; S-1: s1; H-910 handled nothing (a zero row).
    assert june.loc["H-920", "received"] == 1 and june.loc["S-1", "received"] == 1
    assert june.loc["H-910", "received"] == 0
    august = drilldown.agency_counters(engine, AUGUST).set_index("unit_code")
    assert sorted(august.index) == ["S-1", "X-931", "X-932"]
    assert (august.loc["X-931", "received"], august.loc["X-932", "received"]) == (2, 1)


def test_the_report_lists_the_units_of_the_period(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    june = report_rows(url, "commune", "2025-06-01", "2025-06-30", None)
    assert [r["unit_name"] for r in june if r["level"] == "commune"] == ["Xã Cũ A", "Xã Cũ B"]
    august = report_rows(url, "commune", "2025-08-01", "2025-08-31", None)
    assert sorted(r["unit_name"] for r in august if r["level"] == "commune") == ["Xã Mới Hai", "Xã Mới Một"]
    from report import ReportError

    with pytest.raises(ReportError, match="district"):
        report_rows(url, "district", "2025-08-01", "2025-08-31", None)


def test_press_exports_show_the_units_of_the_period(engine: Engine) -> None:
    from exports.figures import build_figure
    from exports.request import ExportError, ExportRequest
    from exports.source import EngineSource

    source = EngineSource(engine)

    def names(period: Any, level: str) -> list[str]:
        fig = build_figure(ExportRequest("ranking", period, level), source, min_cell=1, min_dossiers=0)
        return sorted(fig.table["Đơn vị"])

    assert names(JUNE, "district") == ["Huyện Cũ A", "Huyện Cũ B"]
    assert names(JUNE, "commune") == ["Xã Cũ A", "Xã Cũ B"]
    assert names(AUGUST, "commune") == ["Xã Mới Hai", "Xã Mới Một"]
    assert names(YEAR, "commune") == ["Xã Cũ A", "Xã Cũ B", "Xã Mới Hai", "Xã Mới Một"]
    with pytest.raises(ExportError):  # no district level in August 2025
        build_figure(ExportRequest("ranking", AUGUST, "district"), source)
    with pytest.raises(ExportError):  # nor an old commune's own chart
        build_figure(ExportRequest("headline", AUGUST, "commune", unit="911"), source)


# ---- the screens (AppTest on a SQLite file) ----


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'screens.sqlite'}"
    build_transition(url).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    monkeypatch.delenv("IOC_AUTH_REQUIRED", raising=False)
    monkeypatch.delenv("IOC_GEOJSON_PATH", raising=False)
    return url


def _page_script(page: str) -> None:
    import importlib

    importlib.import_module(f"app_pages.{page}").render()


def _run(page: str, **params: str) -> AppTest:
    at = AppTest.from_function(_page_script, args=(page,), default_timeout=60)
    at.query_params.update(params)
    return at.run()


def _ranked(at: AppTest) -> list[str]:
    frames = [d.value for d in at.dataframe if "Đơn vị" in d.value.columns and "Hạng" in d.value.columns]
    assert frames, "no ranking table"
    return sorted(str(v) for v in frames[0]["Đơn vị"])


def test_ranking_page_in_june_and_august_2025(app_db: str) -> None:
    june = _run("ranking", period="2025-06", level="district")
    assert not june.exception and not june.warning
    assert june.selectbox(key="rk_level").options == ["Cấp huyện", "Cấp xã", "Sở, ban, ngành"]
    assert _ranked(june) == ["Huyện Cũ A", "Huyện Cũ B"]
    assert _ranked(_run("ranking", period="2025-06", level="commune")) == ["Xã Cũ A", "Xã Cũ B"]
    agencies_june = _ranked(_run("ranking", period="2025-06", level="agency"))
    assert "Một cửa Huyện Cũ B" in agencies_june and "Một cửa Xã Mới Một" not in agencies_june
    august = _run("ranking", period="2025-08", level="commune")
    assert not august.exception and not august.warning
    assert august.selectbox(key="rk_level").options == ["Cấp xã", "Sở, ban, ngành"]  # no district
    assert _ranked(august) == ["Xã Mới Hai", "Xã Mới Một"]
    # A link to the district level of a month without districts falls back quietly to the communes.
    stale = _run("ranking", period="2025-08", level="district")
    assert not stale.exception and not stale.warning
    assert _ranked(stale) == ["Xã Mới Hai", "Xã Mới Một"]
    year = _run("ranking", period="2025", level="commune")
    assert _ranked(year) == ["Xã Cũ A", "Xã Cũ B", "Xã Mới Hai", "Xã Mới Một"]
    # The unit picker offers only the units of the period.
    picker = august.selectbox(key="rk_unit").options
    assert "Xã Mới Một" in picker and "Xã Cũ A" not in picker


def _map_units(at: AppTest) -> list[str]:
    import json

    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    deck = json.loads(charts[0].proto.json)
    names = {
        row["unit_name"] for layer in deck["layers"] for row in layer.get("data", []) if "unit_name" in row
    }
    return sorted(names)


def test_map_page_in_june_and_august_2025(app_db: str) -> None:
    june = _run("map", period="2025-06")
    assert not june.exception and not june.warning
    assert _map_units(june) == ["Huyện Cũ A", "Huyện Cũ B"]  # default: the level below the province
    assert _map_units(_run("map", period="2025-06", level="commune")) == ["Xã Cũ A", "Xã Cũ B"]
    august = _run("map", period="2025-08")
    assert not august.exception and not august.warning
    assert _map_units(august) == ["Xã Mới Hai", "Xã Mới Một"]  # no district level: communes first
    # The communes of a district that August does not have: said so, and every commune shown.
    stale = _run("map", period="2025-08", level="commune", unit="910")
    assert not stale.exception and len(stale.warning) == 1
    assert _map_units(stale) == ["Xã Mới Hai", "Xã Mới Một"]
    stale = _run("map", period="2025-08", level="district", unit="90")  # a June link
    assert not stale.exception and not stale.warning
    assert _map_units(stale) == ["Xã Mới Hai", "Xã Mới Một"]
    assert _map_units(_run("map", period="2025", level="commune")) == [
        "Xã Cũ A",
        "Xã Cũ B",
        "Xã Mới Hai",
        "Xã Mới Một",
    ]


def test_my_unit_offers_the_units_of_the_period(app_db: str) -> None:
    at = _run("my_unit", period="2025-08", unit="931")
    assert not at.exception
    options = at.selectbox(key="mu_unit").options
    assert any("Xã Mới Một" in o for o in options) and not any("Huyện Cũ A" in o for o in options)
    assert at.title[0].value.endswith("Xã Mới Một")


# ---- the two-tier sample's transition ----


@pytest.fixture(scope="module")
def two_tier_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """``cli.py sample --profile two_tier`` at a small scale (about 650 dossiers), "today" fixed."""
    from sample_data.generate import build_sample

    url = f"sqlite:///{tmp_path_factory.mktemp('two') / 's.sqlite'}"
    build_sample(url, seed=7, scale=0.02, profile="two_tier", today=NOW.date())
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_the_two_tier_sample_lists_each_side_of_the_change(two_tier_sample: Engine) -> None:
    e = two_tier_sample
    assert levels_present(e, JUNE) == ["province", "district", "commune"]
    assert levels_present(e, AUGUST) == ["province", "commune"]
    assert levels_present(e, YEAR) == ["province", "district", "commune"]
    # June: the 11 districts and the 111 old communes; August: the 20 new communes (codes
    # old + 10000, see sample_data.world); the year: all 131 communes.
    assert len(unit_counters(e, "district", JUNE)) == 11
    june = unit_counters(e, "commune", JUNE)
    august = unit_counters(e, "commune", AUGUST)
    assert len(june) == 111 and len(august) == 20
    assert not set(june["unit_code"]) & set(august["unit_code"])
    assert set(august["unit_code"]) == {str(int(c) + 10_000) for c in TWO_TIER_COMMUNES}
    year = unit_counters(e, "commune", YEAR)
    assert set(year["unit_code"]) == set(june["unit_code"]) | set(august["unit_code"])
    # Each side's units carry their own dossiers: the year's figure of an old commune is its
    # first half's, and every dossier of the year reaches the province.
    first_half = unit_counters(e, "commune", parse_period("2025-01-01..2025-06-30", NOW)).set_index(
        "unit_code"
    )
    by_code = year.set_index("unit_code")
    old = list(june["unit_code"])
    assert (by_code.loc[old, "received"] == first_half.loc[old, "received"]).all()
    assert by_code["received"].sum() > 0 and august["received"].sum() > 0 and june["received"].sum() > 0
    province = unit_counters(e, "province", YEAR)["received"].iloc[0]
    agencies_year = drilldown.agency_counters(e, YEAR)
    assert province == agencies_year["received"].sum()  # every agency of the year is listed
    # = the communes' desks + the districts' own desks (H-) + the departments.
    own = agencies_year[agencies_year["unit_code"].str.startswith(("H-", "S-"))]["received"].sum()
    assert province == by_code["received"].sum() + own
    # Agencies: June has the old desks, August the new ones; the departments both.
    assert len(agency_names(e, JUNE)) == 20 + 122 and len(agency_names(e, AUGUST)) == 20 + 20
