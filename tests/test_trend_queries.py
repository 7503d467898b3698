"""The trend screens' named queries on SQLite, PostgreSQL and DuckDB, on tiny databases whose
answers are worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_access import trends
from data_access.engine import make_engine
from tests.builders import T, build, dossier
from timebase.period import make_period

NOW = T(2026, 11, 23, 10)
NOVEMBER = make_period(dt.date(2026, 11, 1), dt.date(2026, 11, 23), NOW)
AUTUMN = make_period(dt.date(2026, 10, 1), dt.date(2026, 11, 23), NOW)
FULL, PARTIAL, NONE = "1.000001", "1.000002", "1.000003"  # Hộ tịch, Xây dựng, Đất đai

ROWS = [
    # District 100 (communes 101, 102) in November. Partial-online procedure: 1 online, 3 paper.
    dossier("p1", "101", T(2026, 11, 2, 9), T(2026, 11, 16, 17), procedure_code=PARTIAL, channel="online"),
    dossier("p2", "101", T(2026, 11, 2, 9), T(2026, 11, 16, 17), procedure_code=PARTIAL),
    dossier("p3", "102", T(2026, 11, 3, 9), T(2026, 11, 17, 17), procedure_code=PARTIAL, channel="postal"),
    dossier("p4", "102", T(2026, 11, 3, 9), T(2026, 11, 17, 17), procedure_code=PARTIAL),
    # Full-process procedure: 1 online, 2 in person → also mostly paper (1/3 < 50%).
    dossier("f1", "101", T(2026, 11, 4, 9), T(2026, 11, 7, 17), channel="online"),
    dossier("f2", "101", T(2026, 11, 4, 9), T(2026, 11, 7, 17)),
    dossier("f3", "102", T(2026, 11, 4, 9), T(2026, 11, 7, 17)),
    # Not offered online: never listed, however much paper.
    dossier("n1", "101", T(2026, 11, 5, 9), T(2026, 11, 12, 17), procedure_code=NONE),
    dossier("n2", "101", T(2026, 11, 5, 9), T(2026, 11, 12, 17), procedure_code=NONE),
    # District 200: outside the scope of 100, all paper.
    dossier("z1", "201", T(2026, 11, 5, 9), T(2026, 11, 16, 17), procedure_code=PARTIAL),
    # October in 101: a finished full-process dossier, mostly online → provision in October.
    dossier(
        "o1", "101", T(2026, 10, 5, 9), T(2026, 10, 8, 17), channel="online", finished_at=T(2026, 10, 7, 9)
    ),
]

RATED = [
    # Finished in November in district 100, rated. Hộ tịch: 2 unsatisfied of 3; Đất đai: 1 of 1.
    dossier(
        "r1",
        "101",
        T(2026, 11, 2, 9),
        T(2026, 11, 5, 17),
        finished_at=T(2026, 11, 4, 9),
        rating="unsatisfied",
    ),
    dossier(
        "r2",
        "101",
        T(2026, 11, 2, 9),
        T(2026, 11, 5, 17),
        finished_at=T(2026, 11, 5, 9),
        rating="unsatisfied",
    ),
    dossier(
        "r3", "102", T(2026, 11, 2, 9), T(2026, 11, 5, 17), finished_at=T(2026, 11, 3, 9), rating="satisfied"
    ),
    dossier(
        "r4",
        "102",
        T(2026, 11, 2, 9),
        T(2026, 11, 9, 17),
        procedure_code=NONE,
        finished_at=T(2026, 11, 6, 9),
        rating="unsatisfied",
    ),
    # Received Fri 13/2/2026 09:00, finished Wed 25/2 across Tết: 3 working days of 5 (Đất đai).
    dossier(
        "t1",
        "201",
        T(2026, 2, 13, 9),
        T(2026, 2, 27, 17),
        procedure_code=NONE,
        finished_at=T(2026, 2, 25, 10),
    ),
]


def _feedback(
    code: str, unit: str, received: dt.datetime, due: dt.datetime, **kw: object
) -> dict[str, object]:
    row: dict[str, object] = dict(
        feedback_code=code,
        unit_code=unit,
        category="Đất đai",
        channel="web",
        received_at=received,
        due_at=due,
        handled_at=None,
        status="in_progress",
        rating=None,
    )
    row.update(kw)
    return row


# Received Mon 9/2/2026 10:00: due Mon 9/3/2026 17:00 (15 working days across Tết).
DUE = T(2026, 3, 9, 17)
FEEDBACK = [
    _feedback(
        "k1",
        "101",
        T(2026, 2, 9, 10),
        DUE,
        handled_at=T(2026, 3, 9, 16),
        status="handled",
        rating="satisfied",
    ),
    _feedback(
        "k2",
        "101",
        T(2026, 2, 9, 10),
        DUE,
        handled_at=T(2026, 3, 10, 9),
        status="handled",
        rating="unsatisfied",
    ),
    _feedback(
        "k3", "102", T(2026, 2, 9, 10), DUE, category="Môi trường"
    ),  # open, past due at the end of March
    _feedback("k4", "201", T(2026, 3, 2, 10), T(2026, 3, 20, 17)),  # open; due after 15/3
]


@pytest.fixture
def engine(any_url: str):
    build(any_url, ROWS + RATED, feedback_rows=FEEDBACK).dispose()
    eng = make_engine(any_url)
    yield eng
    eng.dispose()


def test_mostly_paper_procedures_in_scope(engine) -> None:
    frame, cut = trends.mostly_paper_procedures(engine, "100", NOVEMBER)
    # In district 100: partial p1–p4 (1 online of 4 → 3 paper) then full f1–f3 (1 of 3 → 2 paper)
    # and r1–r3 (in person → 3 more: 1 online of 6, 5 paper). Full: 5 paper first, then partial 3.
    # The procedure not offered online (n1, n2, r4) is never listed; z1 in district 200 is out.
    assert list(frame["procedure_code"]) == [FULL, PARTIAL]
    assert list(frame["received"]) == [6, 4]
    assert list(frame["received_online"]) == [1, 1]
    assert list(frame["received_paper"]) == [5, 3]
    assert cut is False
    frame, cut = trends.mostly_paper_procedures(engine, "100", NOVEMBER, limit=1)
    assert list(frame["procedure_code"]) == [FULL] and cut is True
    # Field filter: only Xây dựng (the partial procedure).
    frame, _ = trends.mostly_paper_procedures(engine, "100", NOVEMBER, field="Xây dựng")
    assert list(frame["procedure_code"]) == [PARTIAL]
    # In October 101's only dossier was online: nothing mostly paper.
    october = make_period(dt.date(2026, 10, 1), dt.date(2026, 10, 31), NOW)
    assert trends.mostly_paper_procedures(engine, "70", october)[0].empty


def test_monthly_provision(engine) -> None:
    frame = trends.monthly_provision(engine, "100", AUTUMN)
    got = {
        (int(r.month), r.field): (r.procedures_used, r.procedures_online, r.procedures_full)
        for r in frame.itertuples()
    }
    # October: the full-process procedure only. November: all three, one per field.
    assert got == {
        (202610, "Hộ tịch"): (1, 1, 1),
        (202611, "Hộ tịch"): (1, 1, 1),
        (202611, "Xây dựng"): (1, 1, 0),
        (202611, "Đất đai"): (1, 0, 0),
    }
    whole = trends.monthly_provision(engine, "100", AUTUMN, by_month=False)
    # Over both months the full-process procedure counts once.
    assert whole.set_index("field")["procedures_used"].to_dict() == {
        "Hộ tịch": 1,
        "Xây dựng": 1,
        "Đất đai": 1,
    }


def test_unsatisfied_by_field_and_agency(engine) -> None:
    frame, cut = trends.unsatisfied_by(engine, "100", NOVEMBER, "field")
    # Hộ tịch: r1, r2 unsatisfied, r3 satisfied → 2 of 3; Đất đai: r4 → 1 of 1.
    assert list(frame["name"]) == ["Hộ tịch", "Đất đai"]
    assert list(frame["unsatisfied"]) == [2, 1]
    assert list(frame["rated"]) == [3, 1]
    assert cut is False
    frame, cut = trends.unsatisfied_by(engine, "100", NOVEMBER, "field", limit=1)
    assert len(frame) == 1 and cut is True
    agencies, _ = trends.unsatisfied_by(engine, "100", NOVEMBER, "agency")
    # Commune desks: X-101 has r1, r2 (2); X-102 has r4 (1) and r3 satisfied.
    assert list(agencies["key"]) == ["X-101", "X-102"]
    assert list(agencies["name"]) == ["Một cửa Xã Một A", "Một cửa Xã Một B"]
    assert list(agencies["unsatisfied"]) == [2, 1]


def test_processing_by_procedure_across_tet(engine) -> None:
    february = make_period(dt.date(2026, 2, 1), dt.date(2026, 2, 28), NOW)
    frame, cut = trends.processing_by_procedure(engine, "70", february)
    # t1: 3 working days (Tết 16–20/2 excluded) against the 5-day limit of Đất đai.
    assert list(frame["key"]) == [NONE]
    row = frame.iloc[0]
    assert (row["processing_n"], row["processing_days"], row["limit_days"]) == (1, 3.0, 5.0)
    assert row["time_limit_days"] == 5.0 and cut is False


def test_monthly_feedback_partition(engine) -> None:
    spring = make_period(dt.date(2026, 2, 1), dt.date(2026, 3, 15), T(2026, 3, 15, 12))
    frame = trends.monthly_feedback(engine, "district", spring)
    by_key = frame.set_index(["unit_code", "month", "category"])
    land = by_key.loc[("100", 202602, "Đất đai")]
    # k1 handled 9/3 16:00 ≤ due 9/3 17:00 → on time; k2 handled 10/3 → late. Both rated.
    assert (land["fb_received"], land["fb_on_time"], land["fb_late"]) == (2, 1, 1)
    assert (land["fb_rated"], land["fb_satisfied"], land["fb_unsatisfied"]) == (2, 1, 1)
    # k3 open at 15/3 and past its 9/3 due date; k4 open, due 20/3: still within its time.
    assert by_key.loc[("100", 202602, "Môi trường"), "fb_open_overdue"] == 1
    k4 = by_key.loc[("200", 202603, "Đất đai")]
    assert (k4["fb_open_in_time"], k4["fb_open_overdue"]) == (1, 0)
    parts = ["fb_on_time", "fb_late", "fb_open_overdue", "fb_open_in_time"]
    assert (frame[parts].sum(axis=1) == frame["fb_received"]).all()


def test_first_month_and_fields(engine) -> None:
    assert trends.first_received_month(engine) == dt.date(2026, 2, 1)
    assert trends.procedure_fields(engine) == ["Hộ tịch", "Xây dựng", "Đất đai"]


@pytest.mark.parametrize(
    ("unit", "by", "field"),
    [("100", "field", None), ("100", "agency", None), ("70", "agency", "Hộ tịch"), ("70", "procedure", None),
     ("101", "procedure", "Đất đai"), ("100", "field", "Hộ tịch")],
)  # fmt: skip
def test_ranked_listings_from_the_summaries_equal_the_dossier_table(
    engine, any_url: str, monkeypatch: pytest.MonkeyPatch, unit: str, by: str, field: str | None
) -> None:
    """The listings of the satisfaction and processing screens are read from the summaries (20–27 s
    → under 2 s at 10 M); with the summaries unable to answer, the dossier-table query gives the
    same rows, in the same order, for a district, the province and a commune, with a field filter."""
    from data_access.summaries import maintain as summary

    engine.dispose()  # DuckDB: one writer at a time
    writer = make_engine(any_url, read_only=False)
    with writer.begin() as conn:
        summary.rebuild(conn)
    writer.dispose()
    counters = ("rated", "unsatisfied", "processing_n", "processing_days", "finished", "finished_on_time")
    period = make_period(dt.date(2026, 2, 1), dt.date(2026, 11, 23), NOW)
    fast = trends._ranked_from_summaries(engine, unit, period, by, counters, "rated", field)
    assert fast is not None
    via_summaries, _ = trends._ranked(engine, unit, period, by, counters, "rated", field, 50)
    monkeypatch.setattr(trends, "summary_counts", lambda *a, **k: None)
    from_table, _ = trends._ranked(engine, unit, period, by, counters, "rated", field, 50)
    assert not from_table.empty or by == "procedure"
    pd.testing.assert_frame_equal(
        via_summaries.reset_index(drop=True), from_table.reset_index(drop=True), check_dtype=False
    )


def test_ranked_listings_read_the_dossier_table_when_summaries_are_switched_off(engine, any_url: str) -> None:
    """``queries.use_summaries(False)`` (the reference, and the benchmark's raw approach) sends
    the listings to the dossier table too: no statement reads a summary table, and the rows are
    the summaries' ones."""
    from sqlalchemy import event

    from data_access import queries
    from data_access.summaries import maintain as summary

    engine.dispose()  # DuckDB: one writer at a time
    writer = make_engine(any_url, read_only=False)
    with writer.begin() as conn:
        summary.rebuild(conn)
    writer.dispose()
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _log(conn, cursor, statement, *rest) -> None:
        seen.append(statement)

    period = make_period(dt.date(2026, 2, 1), dt.date(2026, 11, 23), NOW)
    fast, _ = trends.processing_by_procedure(engine, "70", period)
    assert any("FROM summary_" in s for s in seen)  # the summaries answer by default
    seen.clear()
    queries.use_summaries(False)
    try:
        raw, _ = trends.processing_by_procedure(engine, "70", period)
    finally:
        queries.use_summaries(True)
    assert seen and not any("summary_" in s for s in seen), seen
    pd.testing.assert_frame_equal(fast.reset_index(drop=True), raw.reset_index(drop=True), check_dtype=False)
