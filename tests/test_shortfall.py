"""What pulls a unit down: the pure shortfall arithmetic, and the drill-down queries on SQLite,
PostgreSQL and DuckDB against counts worked out by hand from ``tests/ranking_seed.py``."""

from __future__ import annotations

import pandas as pd
import pytest

from data_access import drilldown, drilldown_summary
from data_access.engine import make_engine
from data_access.queries import dossier_counts
from data_access.summaries.maintain import rebuild_database
from metrics.shortfall import shortfall, shortfall_table
from tests.ranking_seed import NOW, build_three_tier
from timebase.period import last_months, parse_period

OCTOBER = parse_period("2026-10", NOW)


def _counters(**values: float) -> dict[str, float]:
    names = ("settled", "settled_on_time", "open_end", "open_on_time", "rated", "very_satisfied", "satisfied")
    return {name: values.get(name, 0) for name in names}


def test_shortfall_is_late_dossiers_and_shares_add_up() -> None:
    parts = pd.DataFrame(
        [
            # A: handled 10 settled + 2 open = 12; on time 7 + 1 = 8 → 4 late, rate 8/12.
            dict(
                key="A", name="Xã A", **_counters(settled=10, settled_on_time=7, open_end=2, open_on_time=1)
            ),
            # B: 3 handled, 1 on time → 2 late; 3 < 5 handled → small, still listed.
            dict(key="B", name="Xã B", **_counters(settled=3, settled_on_time=1)),
            # C: 5 of 5 on time → nothing to explain, left out.
            dict(key="C", name="Xã C", **_counters(settled=5, settled_on_time=5)),
        ]
    )
    # The unit: (30 + 4) handled − (22 + 2) on time = 10 late.
    unit = _counters(settled=30, settled_on_time=22, open_end=4, open_on_time=2)
    assert shortfall(pd.DataFrame([unit]), "on_time_rate").iloc[0] == 10
    table = shortfall_table(parts, unit, "on_time_rate", min_dossiers=5)
    assert list(table["key"]) == ["A", "B"]
    assert list(table["shortfall"]) == [4, 2] and list(table["base"]) == [12, 3]
    assert table["rate"][0] == pytest.approx(8 / 12) and table["rate"][1] == pytest.approx(1 / 3)
    # A explains 4 of the 10 late dossiers, B 2 of 10.
    assert list(table["share"]) == pytest.approx([0.4, 0.2])
    assert list(table["small"]) == [False, True]


def test_satisfaction_shortfall_is_unsatisfied_ratings() -> None:
    # Rated 4: 1 very satisfied + 1 satisfied → 2 unsatisfied of the unit's 10 − 3 − 3 = 4 → 50%.
    parts = pd.DataFrame([dict(key="A", name="A", **_counters(rated=4, very_satisfied=1, satisfied=1))])
    unit = _counters(rated=10, very_satisfied=3, satisfied=3)
    table = shortfall_table(parts, unit, "satisfaction_rate")
    assert table["shortfall"][0] == 2 and table["share"][0] == pytest.approx(0.5)
    assert table["rate"][0] == pytest.approx(0.5)


def test_no_shortfall_in_the_unit_gives_no_share_and_no_rows() -> None:
    parts = pd.DataFrame([dict(key="A", name="A", **_counters(settled=3, settled_on_time=3))])
    assert shortfall_table(parts, _counters(settled=3, settled_on_time=3), "on_time_rate").empty
    assert shortfall_table(parts.iloc[0:0], _counters(), "on_time_rate").empty


def test_only_rates_where_higher_is_better_have_a_shortfall() -> None:
    with pytest.raises(ValueError):
        shortfall(pd.DataFrame([_counters()]), "overdue_in_progress")


@pytest.fixture
def engine(any_url: str):
    build_three_tier(any_url)
    eng = make_engine(any_url)
    yield eng
    eng.dispose()


def test_district_parts_by_subunit_field_and_agency(engine) -> None:
    # District 100 in October: 101 has 1 late of 20, 102 2 of 20, 103 none of 3.
    rows, cut = drilldown.subject_parts(engine, "unit", "100", OCTOBER, "subunit", "late")
    assert not cut
    assert list(rows["key"]) == ["102", "101", "103"]
    assert list(rows["name"]) == ["Xã Một B", "Xã Một A", "Xã Một C"]
    late = rows["settled"] + rows["open_end"] - rows["settled_on_time"] - rows["open_on_time"]
    assert list(late) == [2, 1, 0]
    # Ordered by unsatisfied ratings: only 101 has any (2).
    rows, _ = drilldown.subject_parts(engine, "unit", "100", OCTOBER, "subunit", "unsatisfied")
    assert rows["key"][0] == "101" and rows["unsatisfied"][0] == 2 and rows["rated"][0] == 10
    # By field: Đất đai (102's procedure) 2 late of 20; Hộ tịch (101 + 103) 1 late of 23.
    rows, _ = drilldown.subject_parts(engine, "unit", "100", OCTOBER, "field", "late")
    assert list(rows["name"]) == ["Đất đai", "Hộ tịch"]
    assert list(rows["settled"]) == [20, 23] and list(rows["settled_on_time"]) == [18, 22]
    # By agency (each commune's desk) and by procedure, with names.
    rows, _ = drilldown.subject_parts(engine, "unit", "100", OCTOBER, "agency", "late")
    assert list(rows["key"][:2]) == ["X-102", "X-101"]
    rows, _ = drilldown.subject_parts(engine, "unit", "100", OCTOBER, "procedure", "late")
    assert list(rows["name"]) == ["Đăng ký đất đai", "Đăng ký khai sinh"]


def test_listing_says_when_it_was_cut(engine) -> None:
    rows, cut = drilldown.subject_parts(engine, "unit", "100", OCTOBER, "subunit", "late", limit=1)
    assert cut and list(rows["key"]) == ["102"]
    rows, cut = drilldown.subject_parts(engine, "unit", "100", OCTOBER, "subunit", "late", limit=3)
    assert not cut and len(rows) == 3


def test_agency_subject_months_and_agency_counters(engine) -> None:
    # Agency X-202 (commune 202's desk): September 20 handled, 0 late; October 20, 4 late.
    months = drilldown.subject_months(engine, "agency", "X-202", last_months(NOW, 3))
    assert list(months["month"]) == [202609, 202610, 202611]
    assert list(months["settled"]) == [20, 20, 0]
    assert list(months["settled_on_time"]) == [20, 16, 0]
    # A unit's months count its communes: district 200 = 201 + 202 → 40 handled in October.
    months = drilldown.subject_months(engine, "unit", "200", last_months(NOW, 3))
    assert list(months["settled"]) == [40, 40, 0] and list(months["settled_on_time"]) == [39, 34, 0]
    # Agencies as a level: the same counters as dossier_counts by agency, zeros for idle agencies.
    agencies = drilldown.agency_counters(engine, OCTOBER).set_index("unit_code")
    by_agency = dossier_counts(engine, "province", OCTOBER, by=("agency",)).set_index("agency")
    assert agencies.loc["X-101", "settled"] == by_agency.loc["X-101", "settled"] == 20
    assert agencies.loc["X-101", "parent_code"] == "101"
    assert agencies.loc["X-101", "procedures_with_fee"] == 1  # 1.000001 carried fees, paid online
    assert agencies.loc["X-101", "procedures_paid_online"] == 1
    assert agencies.loc["S-1", "settled"] == 0  # the province department handled nothing


def _nonzero(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with any counter (the summaries hold no all-zero cells; a part whose dossiers
    count nowhere has nothing to explain)."""
    counters = [c for c in frame.columns if c not in ("key", "name", "month")]
    return frame[(frame[counters] != 0).any(axis=1)].reset_index(drop=True)


def test_subject_months_and_parts_from_the_summaries_equal_the_raw_queries(any_url: str) -> None:
    build_three_tier(any_url)
    engine = make_engine(any_url, read_only=False)
    rebuild_database(engine)  # the summary tables the screens read
    # The province, districts, a commune and an agency; October whole and a range of days inside
    # it: every breakdown, both orders, and a cut at 2 rows.
    subjects = [("unit", "70"), ("unit", "100"), ("unit", "101"), ("unit", "200"), ("agency", "X-202")]
    periods = [OCTOBER, parse_period("2026-10-05..2026-10-20", NOW)]
    answered = 0
    for kind, code in subjects:
        months = last_months(NOW, 3)
        fast = drilldown_summary.subject_months(engine, kind, code, months)
        assert fast is not None, (kind, code)
        raw = drilldown.raw_subject_months(engine, kind, code, months)
        pd.testing.assert_frame_equal(fast, raw, check_dtype=False, obj=f"months {code}")
        for period in periods:
            for by in drilldown.PARTS if kind == "unit" else ("agency", "field", "procedure"):
                for order in drilldown.ORDERS:
                    for limit in (50, 2) if period == OCTOBER else (50,):
                        got = drilldown.subject_parts(engine, kind, code, period, by, order, limit)
                        want = drilldown.raw_subject_parts(engine, kind, code, period, by, order, limit)
                        where = f"{code} {period} {by} {order} {limit}"
                        pd.testing.assert_frame_equal(
                            _nonzero(got[0]), _nonzero(want[0]), check_dtype=False, obj=where
                        )
                answered += drilldown_summary.subject_part_counts(engine, kind, code, period, by) is not None
    # Every unit breakdown by sub-unit and agency comes from the summaries (by field or
    # procedure a range of days inside a month is left to the raw query).
    assert answered >= 4 * 2 * 2 + 2
    engine.dispose()
