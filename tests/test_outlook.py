"""Where the period will end (docs/rules.md §1a): the range on a hand case, on SQLite and
PostgreSQL, and the units at risk against their targets.

Monday 23/11/2026 10:00; November closes at 1/12 00:00.
District 100 (commune 101): x1 settled on time, x2 settled late; open o1 (due 25/11), o2 (due
30/11) — both due before the close — o3 (due 2/12, after it), o4 (overdue since 20/11).
District 200 (commune 201): y1 open but late by its second supplement request; y2 open, due 27/11;
y3 waiting for a supplement since 19/11 (settled on time); z1 open at the moment, due 25/11 and
finished at 15:00 the same day, and z2, due 26/11, asked for a supplement at 14:00 (both after
the moment: they count as they stood at 10:00, open and on time).

Province: settled x1 x2 y3 = 3 (2 on time); open o1–o4 y1 y2 z1 z2 = 8 (o1 o2 o3 y2 z1 z2 on time
= 6). Best = (2 + 6) / 11 ≈ 72,7 %; due before the close o1 o2 y2 z1 z2 = 5; worst = (8 − 5) / 11
≈ 27,3 %.
District 100: best (1 + 3) / 6 ≈ 66,7 %, worst (4 − 2) / 6 ≈ 33,3 %.
District 200: best (1 + 3) / 5 = 80 %, worst (4 − 3) / 5 = 20 %: on its own 20 % target, so not
at risk (below it is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from data_access.engine import make_engine
from data_access.outlook import open_due_before_close
from data_access.queries import target_rows, unit_counters
from metrics.outlook import at_risk, close_before, closing_day, is_open, outlook
from tests.builders import T, build, dossier
from tests.conftest import pg_schema_url
from timebase.period import Period, month_period, month_to_date

NOW = dt.datetime(2026, 11, 23, 10, 0)
ROWS = [
    dossier("x1", "101", T(2026, 11, 2, 9), T(2026, 11, 5, 17), finished_at=T(2026, 11, 4, 9)),
    dossier("x2", "101", T(2026, 11, 2, 9), T(2026, 11, 5, 17), finished_at=T(2026, 11, 9, 9)),
    dossier("o1", "101", T(2026, 11, 20, 9), T(2026, 11, 25, 17)),
    dossier("o2", "101", T(2026, 11, 20, 9), T(2026, 11, 30, 17)),
    dossier("o3", "101", T(2026, 11, 20, 9), T(2026, 12, 2, 17)),
    dossier("o4", "101", T(2026, 11, 16, 9), T(2026, 11, 20, 17)),
    dossier(
        "y1",
        "201",
        T(2026, 11, 16, 9),
        T(2026, 11, 26, 17),
        supplement_requests=2,
        supplement_requested_at=T(2026, 11, 20, 9),
    ),
    dossier("y2", "201", T(2026, 11, 20, 9), T(2026, 11, 27, 17)),
    dossier(
        "y3",
        "201",
        T(2026, 11, 16, 9),
        T(2026, 11, 25, 17),
        status="supplement_requested",
        supplement_requests=1,
        supplement_requested_at=T(2026, 11, 19, 9),
    ),
    dossier("z1", "201", T(2026, 11, 18, 9), T(2026, 11, 25, 17), finished_at=T(2026, 11, 23, 15)),
    dossier(
        "z2",
        "201",
        T(2026, 11, 18, 9),
        T(2026, 11, 26, 17),
        status="supplement_requested",
        supplement_requests=1,
        supplement_requested_at=T(2026, 11, 23, 14),
    ),
]
TARGETS = [
    dict(metric="on_time_rate", unit_code="", level="", field="", year=2026, value=0.5, source="Kế hoạch"),
    dict(metric="on_time_rate", unit_code="200", level="", field="", year=2026, value=0.2, source="Riêng"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        target = f"sqlite:///{tmp_path / 'db.sqlite'}"
        build(target, ROWS, target_rows=TARGETS).dispose()
        yield target
    else:
        for target in pg_schema_url():
            build(target, ROWS, target_rows=TARGETS).dispose()
            yield target


def test_a_month_to_date_closes_at_the_end_of_its_month() -> None:
    assert closing_day(month_to_date(NOW)) == dt.date(2026, 11, 30)
    assert close_before(month_to_date(NOW)) == T(2026, 12, 1)
    assert closing_day(Period(dt.date(2026, 11, 1), dt.date(2026, 11, 15), NOW)) == dt.date(2026, 11, 15)
    assert is_open(month_to_date(NOW))
    assert not is_open(month_period(2026, 10, NOW))


def _ranges(url: str, level: str) -> pd.DataFrame:
    engine = make_engine(url)
    period = month_to_date(NOW)
    ranges = outlook(
        unit_counters(engine, level, period), open_due_before_close(engine, level, NOW, close_before(period))
    )
    engine.dispose()
    return ranges.set_index("unit_code")


def test_the_range_on_a_hand_case(url: str) -> None:
    province = _ranges(url, "province").loc["70"]
    assert province["open_due_by_close"] == 5
    assert province["close_best"] == pytest.approx(8 / 11)
    assert province["close_worst"] == pytest.approx(3 / 11)
    districts = _ranges(url, "district")
    assert districts.loc["100", ["close_best", "close_worst"]].tolist() == pytest.approx([4 / 6, 2 / 6])
    assert districts.loc["200", ["close_best", "close_worst"]].tolist() == pytest.approx([0.8, 0.2])
    # Agencies: X-101 holds district 100's dossiers, X-201 district 200's.
    engine = make_engine(url)
    agencies = open_due_before_close(engine, "agency", NOW, T(2026, 12, 1)).set_index("unit_code")
    assert agencies["open_due_by_close"].to_dict() == {"X-101": 2, "X-201": 3}
    # A closed period: nothing left to decide.
    assert open_due_before_close(engine, "province", T(2026, 12, 1), T(2026, 12, 1)).empty
    # At risk: district 100's worst (33 %) is below the general 50 %; district 200's 20 % is on
    # its own 20 %; the province's 27 % below 50 %, though 73 % at best.
    targets = target_rows(engine)
    engine.dispose()
    risky = at_risk(districts.reset_index(), targets, 2026, "district")
    assert risky[["unit_code", "target", "cannot_reach"]].values.tolist() == [["100", 0.5, False]]
    province_risk = at_risk(_ranges(url, "province").reset_index(), targets, 2026, "province")
    assert province_risk["unit_code"].tolist() == ["70"]


def test_no_denominator_is_no_range() -> None:
    counters = pd.DataFrame(
        {"unit_code": ["1"], "settled": [0], "settled_on_time": [0], "open_end": [0], "open_on_time": [0]}
    )
    ranges = outlook(counters, pd.DataFrame({"unit_code": [], "open_due_by_close": []}))
    assert ranges["close_best"].tolist() == [None] and ranges["close_worst"].tolist() == [None]
    assert at_risk(ranges, pd.DataFrame(TARGETS), 2026, "district").empty
