"""Due soon (docs/rules.md §3a) on hand-computed moments, on SQLite and PostgreSQL: a Friday before
a weekend, the last working day before Tết 2026 (16–20/2 off), a dossier waiting for a
supplement, one already overdue, one due at the very moment; and the command line's JSON and CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

import cli
from data_access.due_soon import DueSoonTimes, due_soon_by_agency, due_soon_dossiers, due_soon_total
from data_access.schema import agencies
from metrics.due_soon import due_soon_window
from tests.builders import T, build, dossier
from tests.conftest import pg_schema_url

FRIDAY = T(2026, 11, 20, 10)  # window: Friday 20/11 and Monday 23/11; apology day Monday
BEFORE_TET = T(2026, 2, 13, 10)  # Friday before Tết: Friday 13/2 and Monday 23/2

ROWS = [
    # Due later today (Friday 17:00): due soon; today is past the apology's last day.
    dossier("a1", "101", T(2026, 11, 17, 9), T(2026, 11, 20, 17)),
    # Due Monday 17:00, the next working day: due soon, and today is the apology's last day.
    dossier("a2", "101", T(2026, 11, 18, 9), T(2026, 11, 23, 17)),
    dossier("a3", "102", T(2026, 11, 18, 9), T(2026, 11, 23, 17), procedure_code="1.000002"),
    # Due at the very moment: not yet past due (overdue is due < as_of), so due soon.
    dossier("d1", "201", T(2026, 11, 17, 9), T(2026, 11, 20, 10)),
    # Not due soon: Wednesday 25/11 is the third working day (24/11 is off); overdue since 9:00;
    # waiting for a supplement (clock stopped); finished; received after the moment.
    dossier("b1", "101", T(2026, 11, 19, 9), T(2026, 11, 25, 17)),
    dossier("c1", "201", T(2026, 11, 16, 9), T(2026, 11, 20, 9)),
    dossier(
        "s1",
        "201",
        T(2026, 11, 17, 9),
        T(2026, 11, 23, 17),
        status="supplement_requested",
        supplement_requests=1,
        supplement_requested_at=T(2026, 11, 19, 9),
    ),
    dossier("f1", "201", T(2026, 11, 17, 9), T(2026, 11, 23, 17), finished_at=T(2026, 11, 19, 9)),
    dossier("r1", "201", T(2026, 11, 20, 11), T(2026, 11, 23, 17)),
    # Before Tết: due Friday 13/2 17:00 and Monday 23/2 17:00 are due soon, Tuesday 24/2 is not.
    dossier("t1", "101", T(2026, 2, 10, 9), T(2026, 2, 13, 17)),
    dossier("t2", "101", T(2026, 2, 11, 9), T(2026, 2, 23, 17)),
    dossier("t3", "101", T(2026, 2, 12, 9), T(2026, 2, 24, 17)),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        target = f"sqlite:///{tmp_path / 'db.sqlite'}"
        build(target, ROWS).dispose()
        yield target
    else:
        for target in pg_schema_url():
            build(target, ROWS).dispose()
            yield target


def _times(as_of: dt.datetime, days: int = 2) -> DueSoonTimes:
    w = due_soon_window(as_of, days)
    return DueSoonTimes(as_of, w.until, w.apology_from, w.apology_before)


def test_the_window_on_hand_computed_days() -> None:
    w = due_soon_window(FRIDAY)
    assert (w.last_day, w.apology_day) == (dt.date(2026, 11, 23), dt.date(2026, 11, 23))
    assert w.until == T(2026, 11, 24)
    # Saturday: Monday is the first working day; Tuesday 24/11 (Culture Day) is off → Wednesday.
    w = due_soon_window(T(2026, 11, 21, 10))
    assert (w.last_day, w.apology_day) == (dt.date(2026, 11, 25), dt.date(2026, 11, 23))
    # Before Tết: Friday 13/2, then Monday 23/2; three days reach Tuesday 24/2.
    assert due_soon_window(BEFORE_TET).last_day == dt.date(2026, 2, 23)
    assert due_soon_window(BEFORE_TET, 3).last_day == dt.date(2026, 2, 24)
    # One day: today only; the apology day (Monday) lies beyond it.
    w = due_soon_window(FRIDAY, 1)
    assert (w.last_day, w.apology_day) == (dt.date(2026, 11, 20), dt.date(2026, 11, 23))


def test_due_soon_on_a_friday_before_the_weekend(url: str) -> None:
    from data_access.engine import make_engine

    engine = make_engine(url)
    frame, cut = due_soon_dossiers(engine, _times(FRIDAY))
    got = [tuple(r) for r in frame[["agency_code", "procedure_code", "due_soon", "apology_last_day"]].values]
    # d1 (due now) first, then a1 + a2 (earliest Friday 17:00; a2 due Monday), then a3.
    assert got == [
        ("X-201", "1.000001", 1, 0),
        ("X-101", "1.000001", 2, 1),
        ("X-102", "1.000002", 1, 1),
    ]
    assert not cut and set(frame["unit_code"]) == {"70"}
    assert list(frame["earliest_due_at"]) == [T(2026, 11, 20, 10), T(2026, 11, 20, 17), T(2026, 11, 23, 17)]
    assert due_soon_total(engine, _times(FRIDAY)) == (4, 2)
    # By district, and one district alone: 100 holds; 200 holds X-201.
    frame, _ = due_soon_dossiers(engine, _times(FRIDAY), "district")
    assert list(frame["unit_code"]) == ["200", "100", "100"]
    frame, _ = due_soon_dossiers(engine, _times(FRIDAY), "district", "100")
    assert frame["due_soon"].sum() == 3
    assert due_soon_total(engine, _times(FRIDAY), "district", "100") == (3, 2)
    assert due_soon_total(engine, _times(FRIDAY), "agency", "X-201") == (1, 0)
    # A code of another level has nothing at this one, in the list and in the total alike.
    assert due_soon_dossiers(engine, _times(FRIDAY), "district", "101")[0].empty
    assert due_soon_total(engine, _times(FRIDAY), "district", "101") == (0, 0)
    # A cut list says so.
    frame, cut = due_soon_dossiers(engine, _times(FRIDAY), limit=2)
    assert cut and len(frame) == 2
    engine.dispose()


def test_due_soon_by_agency_most_first(url: str) -> None:
    from data_access.engine import make_engine

    engine = make_engine(url)
    frame, cut = due_soon_by_agency(engine, _times(FRIDAY))
    got = frame[["agency_code", "due_soon", "apology_last_day"]].values.tolist()
    # a1 + a2 = 2 (a2 due Monday: apology 1); then X-201's d1 (due 10:00) before X-102's
    # a3 (due Monday 17:00), one each: ties go to the earliest due.
    assert got == [["X-101", 2, 1], ["X-201", 1, 0], ["X-102", 1, 1]]
    assert not cut and frame["due_soon"].sum() == due_soon_total(engine, _times(FRIDAY))[0] == 4
    frame, cut = due_soon_by_agency(engine, _times(FRIDAY), limit=1)
    assert cut and list(frame["agency_code"]) == ["X-101"]
    engine.dispose()


def test_due_soon_before_tet(url: str) -> None:
    from data_access.engine import make_engine

    engine = make_engine(url)
    frame, _ = due_soon_dossiers(engine, _times(BEFORE_TET))
    # t1 (today) and t2 (Monday 23/2, the next working day after Tết): 2, apology 1; t3 is not.
    assert frame[["due_soon", "apology_last_day"]].values.tolist() == [[2, 1]]
    assert due_soon_total(engine, _times(BEFORE_TET, 3)) == (3, 1)
    engine.dispose()


def test_the_command_line_in_json_and_csv(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from data_access.engine import make_engine

    engine = make_engine(url, read_only=False)
    with engine.begin() as conn:  # an agency name from the data that a spreadsheet would run
        conn.execute(update(agencies).where(agencies.c.code == "X-102").values(name="=HYPERLINK(1)"))
    engine.dispose()
    assert cli.main(["due-soon", "--database", url, "--as-of", FRIDAY.isoformat(), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["total"], out["apology_last_day"], out["last_day"], out["apology_day"]) == (
        4,
        2,
        "2026-11-23",
        "2026-11-23",
    )
    assert [(r["agency_code"], r["count"], r["earliest_due_at"]) for r in out["rows"]] == [
        ("X-201", 1, "2026-11-20T10:00"),
        ("X-101", 2, "2026-11-20T17:00"),
        ("X-102", 1, "2026-11-23T17:00"),
    ]
    args = ["due-soon", "--database", url, "--as-of", FRIDAY.isoformat(), "--level", "district"]
    assert cli.main([*args, "--days", "1", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # One day: a1 (Friday 17:00) and d1 (now) only.
    assert [(r["unit_code"], r["agency_code"], r["count"]) for r in rows] == [
        ("200", "X-201", "1"),
        ("100", "X-101", "1"),
    ]
    assert cli.main([*args, "--format", "csv"]) == 0
    text = capsys.readouterr().out
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


def test_bad_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    build(url, ROWS).dispose()
    assert cli.main(["due-soon", "--database", url, "--level", "hamlet"]) == 2
    assert "--level must be one of province, district, commune, agency" in capsys.readouterr().err
    assert cli.main(["due-soon", "--database", url, "--as-of", "tomorrow"]) == 2
    assert "--as-of must be an ISO time" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["due-soon", "--database", url, "--days", "0"])
