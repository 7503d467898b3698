"""The classification of docs/rules.md §1–§10 on a tiny hand-made province, on SQLite,
PostgreSQL and DuckDB alike. Every expected figure is worked out in a comment.

Calendar (October 2026): 1 Thu, 2 Fri, 5 Mon, 8 Thu, 9 Fri, 10 Sat, 14 Wed, 20 Tue, 21 Wed,
23 Fri, 28 Wed, 29 Thu, 30 Fri. District 100 = communes 101, 102; district 200 = commune 201.
"""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.queries import dossier_counts, feedback_counts, unit_counters
from metrics.compute import compute
from tests.builders import T, build, dossier
from timebase.period import Period, month_period

ROWS = [
    # a: finished exactly at its due time → on time, not early (same day).
    dossier(
        "a",
        "101",
        T(2026, 10, 5, 9),
        T(2026, 10, 8, 17),
        finished_at=T(2026, 10, 8, 17),
        channel="online",
        fee_required=True,
        paid_online=True,
        e_result=True,
        rating="very_satisfied",
    ),
    # b: finished the morning after its due day → late.
    dossier(
        "b", "101", T(2026, 10, 5, 9), T(2026, 10, 8, 17), finished_at=T(2026, 10, 9, 9), rating="unsatisfied"
    ),
    # c: finished four days early → on time and early.
    dossier(
        "c",
        "101",
        T(2026, 10, 1, 9),
        T(2026, 10, 6, 17),
        finished_at=T(2026, 10, 2, 10),
        channel="online",
        e_result=True,
        rating="satisfied",
    ),
    # d: waiting for a supplement requested before due → metric 1 settled on time; not finished (m2).
    dossier(
        "d",
        "102",
        T(2026, 10, 20, 9),
        T(2026, 10, 23, 17),
        status="supplement_requested",
        supplement_requests=1,
        supplement_requested_at=T(2026, 10, 21, 9),
    ),
    # e: returned before due but after two supplement requests → late in both metrics.
    dossier(
        "e",
        "102",
        T(2026, 10, 10, 9),
        T(2026, 10, 15, 17),
        finished_at=T(2026, 10, 14, 10),
        supplement_requests=2,
        supplement_requested_at=T(2026, 10, 12, 9),
    ),
    # f: in progress, due in November → on time while in progress.
    dossier("f", "201", T(2026, 10, 28, 9), T(2026, 11, 3, 17)),
    # g: in progress, due 23/10 → overdue at the end of October.
    dossier("g", "201", T(2026, 10, 20, 9), T(2026, 10, 23, 17)),
    # h: received in September, returned late on 2/10 → counts in October (handled in it), late.
    dossier("h", "201", T(2026, 9, 25, 9), T(2026, 9, 30, 17), finished_at=T(2026, 10, 2, 9)),
    # i: received and finished in September → not in October at all.
    dossier("i", "201", T(2026, 9, 1, 9), T(2026, 9, 4, 17), finished_at=T(2026, 9, 3, 9)),
    # j: withdrawn by the citizen on 7/10, due 9/10 → finished at its withdrawal, on time and early
    #    (docs/rules.md §1: a withdrawal after receipt finishes the dossier at its time).
    dossier(
        "j", "201", T(2026, 10, 6, 9), T(2026, 10, 9, 17), status="withdrawn", finished_at=T(2026, 10, 7, 9)
    ),
    # k: waiting for a second supplement → settled at the request date, late (two requests).
    dossier(
        "k",
        "201",
        T(2026, 10, 29, 9),
        T(2026, 11, 3, 17),
        status="supplement_requested",
        supplement_requests=2,
        supplement_requested_at=T(2026, 10, 30, 9),
    ),
]
OCTOBER = month_period(2026, 10)


@pytest.fixture
def engine(any_url: str):
    """The tiny province on each backend."""
    eng = build(any_url, ROWS)
    yield eng
    eng.dispose()


def _by_unit(engine, level: str, period: Period) -> dict[str, dict]:
    frame = compute(dossier_counts(engine, level, period))
    return {row["unit_code"]: row for row in frame.to_dict("records")}


def test_district_counters_follow_the_766_rule(engine) -> None:
    units = _by_unit(engine, "district", OCTOBER)
    d100, d200 = units["100"], units["200"]
    # District 100: settled a, b, c, d, e = 5; on time a, c, d = 3 (b late, e two supplements).
    assert (d100["settled"], d100["settled_on_time"], d100["open_end"]) == (5, 3, 0)
    assert d100["on_time_rate"] == pytest.approx(3 / 5)
    # Metric 2: finished a, b, c, e = 4 (d waits for a supplement); on time a, c = 2; early c = 1.
    assert (d100["finished"], d100["finished_on_time"], d100["finished_early"]) == (4, 2, 1)
    assert d100["on_time_rate_finished"] == pytest.approx(0.5)
    # District 200: settled h (late), k (late, two requests) and j (withdrawn, on time); open f (on
    # time) and g (overdue); i is outside October. (1 + 1) / (3 + 2) = 40%.
    assert (d200["settled"], d200["settled_on_time"]) == (3, 1)
    assert (d200["open_end"], d200["open_on_time"], d200["open_overdue"]) == (2, 1, 1)
    assert d200["on_time_rate"] == pytest.approx(0.4)
    assert d200["overdue_in_progress"] == 1
    # Finished in October: h (late) and j (withdrawn two days early) → 1 of 2, early 1.
    assert (d200["finished"], d200["finished_on_time"], d200["finished_early"]) == (2, 1, 1)
    assert d200["on_time_rate_finished"] == pytest.approx(0.5)


def test_receipt_based_counters(engine) -> None:
    units = _by_unit(engine, "district", OCTOBER)
    d100, d200 = units["100"], units["200"]
    # Received in October: a–e in 100 = 5; f, g, j, k in 200 = 4 (h and i were September's).
    assert (d100["received"], d200["received"]) == (5, 4)
    # Online a, c of 5 = 40%; fee-bearing a only, paid online → 100%; 200 has no fee → N/A.
    assert d100["online_share"] == pytest.approx(0.4)
    assert d100["online_payment_share"] == pytest.approx(1.0)
    assert d200["online_payment_share"] is None
    # e-results a, c of 4 finished = 50%; ratings a (very), b (unsat), c (sat) → 2 / 3.
    assert d100["e_result_rate"] == pytest.approx(0.5)
    assert d100["satisfaction_rate"] == pytest.approx(2 / 3)
    # Working days: a Mon→Thu 3, b Mon→Fri 4, c Thu→Fri 1, e Sat (counts from Mon 12)→Wed 14 2:
    # 10 days over 4 dossiers = 2,5; limit 3 each = 12 → (12 − 10) / 12 saved.
    assert d100["avg_processing_days"] == pytest.approx(2.5)
    assert d100["time_saved_share"] == pytest.approx(2 / 12)
    # 766 satisfaction variant: (on time 3 − unsatisfied 1) / handled 5 = 40%.
    assert d100["satisfaction_766"] == pytest.approx(0.4)


def test_ratio_of_sums_at_every_level(engine) -> None:
    province = _by_unit(engine, "province", OCTOBER)["70"]
    # (3 + 1 + 1) / (5 + 3 + 2) = 50%, not the mean of the districts' 60% and 40% (which is also
    # 50%): check the sums themselves.
    assert (province["settled"], province["open_end"]) == (8, 2)
    assert province["settled_on_time"] + province["open_on_time"] == 5
    communes = _by_unit(engine, "commune", OCTOBER)
    # 101: a, c of a, b, c; 102: d of d, e; 201: j, f of h, k, j, f, g.
    assert communes["101"]["on_time_rate"] == pytest.approx(2 / 3)
    assert communes["102"]["on_time_rate"] == pytest.approx(1 / 2)
    assert communes["201"]["on_time_rate"] == pytest.approx(2 / 5)


def test_as_of_inside_the_period(engine) -> None:
    # Judged at 22/10 12:00: f and k are not received yet; g (due 23/10) is still on time.
    period = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31), T(2026, 10, 22, 12))
    units = _by_unit(engine, "district", period)
    assert units["100"]["on_time_rate"] == pytest.approx(3 / 5)
    # 200: settled h (late) and j (withdrawn 7/10, on time) + open g (on time) → 2 / 3.
    assert (units["200"]["settled"], units["200"]["open_end"], units["200"]["open_on_time"]) == (2, 1, 1)
    assert units["200"]["on_time_rate"] == pytest.approx(2 / 3)
    assert units["200"]["received"] == 2  # g and j


def test_a_second_request_after_the_moment_is_not_yet_made(any_url: str) -> None:
    # m: received 10/10, due 3/11; first request in October, returned; second request on 2/11, so
    # it is now waiting again with 2 requests (the latest on 2/11).
    m = dossier(
        "m", "101", T(2026, 10, 10, 9), T(2026, 11, 3, 17), status="supplement_requested",
        supplement_requests=2, supplement_requested_at=T(2026, 11, 2, 9),
    )  # fmt: skip
    eng = build(any_url, [m])
    try:
        october = _by_unit(eng, "district", OCTOBER)["100"]
        november = _by_unit(eng, "district", month_period(2026, 11))["100"]
    finally:
        eng.dispose()
    # Judged at the end of October only one request had been made: open, within its due date,
    # on time → 1 / 1 (it was late before: the final count of two was applied to October).
    assert (october["open_end"], october["open_on_time"], october["on_time_rate"]) == (1, 1, 1.0)
    # November: settled at the second request (2/11) with two requests made → late, 0 / 1.
    assert (november["settled"], november["settled_on_time"], november["on_time_rate"]) == (1, 0, 0.0)


def test_empty_period_gives_na_not_zero(engine) -> None:
    frame = unit_counters(engine, "district", month_period(2020, 1))
    rates = compute(frame)
    # Both districts listed with zero counters, every ratio N/A.
    assert list(rates["unit_code"]) == ["100", "200"]
    assert (rates["received"] == 0).all()
    assert rates["on_time_rate"].isna().all()
    assert rates["satisfaction_rate"].isna().all()


def test_feedback_counters(any_url: str) -> None:
    fb = [
        # on time and satisfied
        dict(
            feedback_code="p1",
            unit_code="101",
            category="Đất đai",
            channel="web",
            received_at=T(2026, 10, 2, 9),
            due_at=T(2026, 10, 23, 17),
            handled_at=T(2026, 10, 20, 9),
            status="handled",
            rating="satisfied",
        ),
        # handled after due, unsatisfied
        dict(
            feedback_code="p2",
            unit_code="101",
            category="Đất đai",
            channel="web",
            received_at=T(2026, 10, 5, 9),
            due_at=T(2026, 10, 26, 17),
            handled_at=T(2026, 10, 28, 9),
            status="handled",
            rating="unsatisfied",
        ),
        # not handled, due 30/10 → overdue at the end of October
        dict(
            feedback_code="p3",
            unit_code="201",
            category="Môi trường",
            channel="hotline",
            received_at=T(2026, 10, 9, 9),
            due_at=T(2026, 10, 30, 17),
            handled_at=None,
            status="in_progress",
            rating=None,
        ),
    ]
    # Received in September: outside October's counts, but overdue at its end while unhandled.
    before = dict(unit_code="201", category="Môi trường", channel="web", received_at=T(2026, 9, 10, 9))
    fb += [
        # never handled, due 1/10 → overdue at the end of October
        dict(before, feedback_code="s1", due_at=T(2026, 10, 1, 17), handled_at=None, status="in_progress"),
        # handled only in November (after as_of), due 2/10 → still overdue at the end of October
        dict(
            before,
            feedback_code="s2",
            due_at=T(2026, 10, 2, 17),
            handled_at=T(2026, 11, 3, 9),
            status="handled",
        ),
        # handled in October (late, received in September): handled in the period, late
        dict(
            before,
            feedback_code="s3",
            due_at=T(2026, 10, 1, 17),
            handled_at=T(2026, 10, 7, 9),
            status="handled",
        ),
        # received 28/10, due 18/11, open at the end of October: within its due time (on time)
        dict(
            before,
            feedback_code="p4",
            received_at=T(2026, 10, 28, 9),
            due_at=T(2026, 11, 18, 17),
            handled_at=None,
        ),
        # received in November: after the period, not yet open at its end
        dict(
            before,
            feedback_code="n1",
            received_at=T(2026, 11, 2, 9),
            due_at=T(2026, 11, 3, 9),
            handled_at=None,
        ),
    ]
    for row in fb:
        row.setdefault("status", "in_progress")
        row.setdefault("rating", None)
    eng = build(any_url, [], feedback_rows=fb)
    try:
        rows = {
            r["unit_code"]: r for r in compute(feedback_counts(eng, "district", OCTOBER)).to_dict("records")
        }
    finally:
        eng.dispose()
    # 100: handled in October p1 (on time) and p2 (late), none open → on time 1 of 2 = 50%.
    # Satisfaction (received − unsatisfied or late) / received: p2 is both → (2 − 1) / 2 = 50%.
    one = rows["100"]
    assert (one["fb_received"], one["fb_handled"], one["fb_handled_on_time"], one["fb_open"]) == (2, 2, 1, 0)
    assert one["feedback_on_time_rate"] == pytest.approx(0.5)
    assert one["feedback_satisfaction"] == pytest.approx(0.5)
    # 200: handled in October s3 (late); open at its end p3, s1, s2 (past due) and p4 (within due);
    # n1 came after → on time (0 + 1) / (1 + 4) = 20%; overdue 3.
    # Received in October p3 (open past due) and p4 → satisfaction (2 − 1) / 2 = 50%.
    two = rows["200"]
    assert (two["fb_received"], two["fb_handled"], two["fb_open"], two["fb_open_in_time"]) == (2, 1, 4, 1)
    assert two["fb_overdue"] == 3
    assert two["feedback_on_time_rate"] == pytest.approx(0.2)
    assert two["feedback_satisfaction"] == pytest.approx(0.5)


BAD_ROWS = [
    # due before received
    dossier("bad1", "101", T(2026, 10, 5, 9), T(2026, 10, 1, 17), finished_at=T(2026, 10, 6, 9)),
    # finished before received
    dossier("bad2", "101", T(2026, 10, 5, 9), T(2026, 10, 8, 17), finished_at=T(2026, 10, 4, 9)),
    # unknown status
    dossier("bad3", "201", T(2026, 10, 5, 9), T(2026, 10, 8, 17), status="lost"),
    # absurd and negative supplement counts
    dossier("bad4", "201", T(2026, 10, 5, 9), T(2026, 10, 8, 17), supplement_requests=99),
    dossier("bad5", "102", T(2026, 10, 5, 9), T(2026, 10, 8, 17), supplement_requests=-1),
    # unknown handling agency (so no known unit to count it for) and unknown procedure
    dict(dossier("bad6", "101", T(2026, 10, 5, 9), T(2026, 10, 8, 17)), unit_code="999", agency_code="X-999"),
    dossier("bad7", "101", T(2026, 10, 5, 9), T(2026, 10, 8, 17), procedure_code="9.999999"),
]


def test_bad_rows_change_no_figure(tmp_path) -> None:
    clean = build(f"sqlite:///{tmp_path / 'clean.sqlite'}", ROWS)
    dirty = build(f"sqlite:///{tmp_path / 'dirty.sqlite'}", ROWS + BAD_ROWS)
    try:
        for level in ("province", "district", "commune"):
            expected = unit_counters(clean, level, OCTOBER)
            got = unit_counters(dirty, level, OCTOBER)
            assert got.equals(expected), level
    finally:
        clean.dispose()
        dirty.dispose()
