"""The online-services screen's procedure reads (``trends.monthly_provision``,
``trends.mostly_paper_procedures``) from the procedure summaries equal their dossier-table
queries (``raw_*``, the reference), on SQLite, PostgreSQL and DuckDB.

First a hand case of a few dossiers sitting on the edges of the periods (the day before a range,
its first midnight, its last second, the day after, today after the judging moment, an invalid
row), whose figures are worked out in the comments: the summary path and the raw query must both
give them, and a planner that forgets the days of a month outside the period must not. Then a
seeded random history, compared for every level, period kind, field filter and both ways of
assembling the parts.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from data_access import queries, trends
from data_access.summaries import maintain as summary
from data_access.summaries import procedures as summary_procedures
from data_access.summaries import provision
from tests.builders import T, build, dossier
from tests.test_summary import PERIODS, _new, _step, _write
from timebase.period import make_period, month_period, parse_period

NOW = T(2026, 11, 18, 10, 30)
FULL, PARTIAL, NONE = "1.000001", "1.000002", "1.000003"  # Hộ tịch full, Xây dựng partial, Đất đai none


def _due(received: dt.datetime) -> dt.datetime:
    return received + dt.timedelta(days=10)


def _d(
    code: str, unit: str, received: dt.datetime, procedure: str, channel: str, **kw: Any
) -> dict[str, Any]:
    return dossier(code, unit, received, _due(received), procedure_code=procedure, channel=channel, **kw)


HAND = [
    _d("s1", "101", T(2026, 9, 30, 23, 59, 59), FULL, "online"),  # September's last second
    _d("a1", "101", T(2026, 10, 4, 9), FULL, "direct"),  # the day before MID
    _d("a2", "101", T(2026, 10, 5, 0, 0), PARTIAL, "direct"),  # MID's first midnight
    _d("a3", "102", T(2026, 10, 20, 23, 59, 59), PARTIAL, "direct"),  # MID's last second
    _d("a4", "102", T(2026, 10, 21, 8), NONE, "direct"),  # the day after MID
    _d("a5", "201", T(2026, 10, 12, 10), FULL, "postal"),  # district 200: outside 100's scope
    _d("b1", "101", T(2026, 11, 18, 8), FULL, "direct"),  # today, before NOW
    _d("b2", "102", T(2026, 11, 18, 15), PARTIAL, "direct"),  # today, after NOW: not yet received
    _d("b3", "101", T(2026, 11, 2, 9), PARTIAL, "postal"),
    _d("b4", "101", T(2026, 11, 10, 9), PARTIAL, "online"),
    # Due before its receipt: fails the validity rule, counted nowhere (the raw queries once did).
    dossier("x1", "101", T(2026, 11, 3, 9), T(2026, 11, 2, 9), procedure_code=NONE),
]
MID = parse_period("2026-10-05..2026-10-20", NOW)  # 16 days: read as October less 1–4 and 21–31
OCTOBER = month_period(2026, 10)
LIVE = make_period(dt.date(2026, 10, 1), NOW.date(), NOW)  # to today's partial day
TODAY = make_period(NOW.date(), NOW.date(), NOW)
ALL = make_period(dt.date(2026, 9, 1), NOW.date(), NOW)  # period=all: from the first month
CASES = {  # name: (scope unit, period, field)
    "mid 100": ("100", MID, None),
    "october 100": ("100", OCTOBER, None),
    "october 70": ("70", OCTOBER, None),
    "live 100": ("100", LIVE, None),
    "live 100 Hộ tịch": ("100", LIVE, "Hộ tịch"),
    "today 100": ("100", TODAY, None),
    "all 70": ("70", ALL, None),
}
# Provision: {(month, field): (used, online, full)}; whole period: {field: (used, online, full)}.
# Paper: [(procedure, received, online, paper)], most paper first, ties by code.
HT, XD, DD = "Hộ tịch", "Xây dựng", "Đất đai"
#: 1/10 to now in 100, by month and whole (the field filter leaves it as it is).
LIVE_100_PROVISION = (
    {
        (202610, HT): (1, 1, 1),
        (202610, XD): (1, 1, 0),
        (202610, DD): (1, 0, 0),
        (202611, HT): (1, 1, 1),
        (202611, XD): (1, 1, 0),
    },
    {HT: (1, 1, 1), XD: (1, 1, 0), DD: (1, 0, 0)},
)
EXPECTED = {
    # MID in district 100: a2 and a3 (the partial procedure, both in person); a1 (4/10) and a4
    # (21/10) lie outside. Partial: 0 online of 2 → mostly paper, 2 paper dossiers.
    "mid 100": ({(202610, XD): (1, 1, 0)}, {XD: (1, 1, 0)}, [(PARTIAL, 2, 0, 2)]),
    # October in 100: a1 (full), a2, a3 (partial), a4 (none). Paper: partial 2, full 1.
    "october 100": (
        {(202610, HT): (1, 1, 1), (202610, XD): (1, 1, 0), (202610, DD): (1, 0, 0)},
        {HT: (1, 1, 1), XD: (1, 1, 0), DD: (1, 0, 0)},
        [(PARTIAL, 2, 0, 2), (FULL, 1, 0, 1)],
    ),
    # The province adds a5 (full, by post): full 2 paper, partial 2 → the tie goes by code.
    "october 70": (
        {(202610, HT): (1, 1, 1), (202610, XD): (1, 1, 0), (202610, DD): (1, 0, 0)},
        {HT: (1, 1, 1), XD: (1, 1, 0), DD: (1, 0, 0)},
        [(FULL, 2, 0, 2), (PARTIAL, 2, 0, 2)],
    ),
    # 1/10 to now in 100: October as above; November b3, b4 (partial), b1 (full, today 08:00);
    # b2 (today 15:00) is after NOW and x1 is invalid, so no Đất đai in November.
    # Partial a2, a3, b3, b4: 1 online of 4, 3 paper; full a1, b1: 0 of 2, 2 paper.
    "live 100": (
        *LIVE_100_PROVISION,
        [(PARTIAL, 4, 1, 3), (FULL, 2, 0, 2)],
    ),
    # The field filter acts on the listing only (the screen filters the provision frame itself).
    "live 100 Hộ tịch": (
        *LIVE_100_PROVISION,
        [(FULL, 2, 0, 2)],
    ),
    # Today to 10:30: b1 only (b2 comes at 15:00).
    "today 100": ({(202611, HT): (1, 1, 1)}, {HT: (1, 1, 1)}, [(FULL, 1, 0, 1)]),
    # From September in the province: s1 (full, online) in September at 23:59:59; October a1–a5;
    # November b1, b3, b4. Full s1, a1, a5, b1: 1 online of 4; partial a2, a3, b3, b4: 1 of 4.
    "all 70": (
        {
            (202609, HT): (1, 1, 1),
            (202610, HT): (1, 1, 1),
            (202610, XD): (1, 1, 0),
            (202610, DD): (1, 0, 0),
            (202611, HT): (1, 1, 1),
            (202611, XD): (1, 1, 0),
        },
        {HT: (1, 1, 1), XD: (1, 1, 0), DD: (1, 0, 0)},
        [(FULL, 4, 1, 3), (PARTIAL, 4, 1, 3)],
    ),
}


def _provision(frame: pd.DataFrame, by_month: bool) -> dict[Any, tuple[int, ...]]:
    counts = ("procedures_used", "procedures_online", "procedures_full")
    out = {}
    for row in frame.to_dict("records"):
        key = (int(row["month"]), row["field"]) if by_month else row["field"]
        out[key] = tuple(int(row[c]) for c in counts)
    return out


def _paper(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    counts = ("received", "received_online", "received_paper")
    return [(r["procedure_code"], *(int(r[c]) for c in counts)) for r in frame.to_dict("records")]


def _figures(engine: Engine, raw: bool = False) -> dict[str, tuple[Any, ...]]:
    """Each case's provision by month, for the whole period, and mostly-paper listing."""
    monthly = trends.raw_monthly_provision if raw else trends.monthly_provision
    paper = trends.raw_mostly_paper_procedures if raw else trends.mostly_paper_procedures
    out = {}
    for name, (unit, period, field) in CASES.items():
        out[name] = (
            _provision(monthly(engine, unit, period), True),
            _provision(monthly(engine, unit, period, by_month=False), False),
            _paper(paper(engine, unit, period, field)[0]),
        )
    return out


@pytest.fixture
def hand(any_url: str) -> Any:
    engine = build(any_url, HAND)
    with engine.begin() as conn:
        summary.rebuild(conn)
    yield engine
    engine.dispose()


def test_hand_case_from_the_summaries_and_the_raw_queries(hand: Engine) -> None:
    for unit, period, field in CASES.values():  # the summaries answer every case
        assert provision.summary_provision(hand, unit, period) is not None
        assert provision.summary_provision(hand, unit, period, by_month=False) is not None
        assert provision.summary_mostly_paper(hand, unit, period, field, 0.5, 51) is not None
    assert _figures(hand) == EXPECTED
    assert _figures(hand, raw=True) == EXPECTED
    # The listing's LIMIT: 1 row of the 2, and it says it cut.
    frame, cut = trends.mostly_paper_procedures(hand, "100", LIVE, limit=1)
    assert _paper(frame) == [(PARTIAL, 4, 1, 3)] and cut is True
    frame, cut = trends.mostly_paper_procedures(hand, "100", LIVE, limit=2)
    assert len(frame) == 2 and cut is False


def test_a_broken_planner_is_caught(hand: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand case sees a planner that forgets to subtract the days of a month outside the
    period (or the rest of today after NOW): MID would count a1 (full, 4/10) and a4 (Đất đai,
    21/10); today would count b2 (partial, 15:00)."""
    real = summary_procedures.receipt_parts

    def added_only(*args: Any, **kwargs: Any) -> Any:
        shape, bound = real(*args, **kwargs)
        keep = [i for i, (_, sign) in enumerate(shape) if sign > 0]
        ranges = {f"q{j}_{end}": bound[f"q{i}_{end}"] for j, i in enumerate(keep) for end in ("lo", "hi")}
        return tuple(shape[i] for i in keep), ranges

    monkeypatch.setattr(provision, "receipt_parts", added_only)
    got = _figures(hand)
    assert got["mid 100"][1] == {HT: (1, 1, 1), XD: (1, 1, 0), DD: (1, 0, 0)}  # a1 and a4 in
    assert got["mid 100"][2] == [(PARTIAL, 2, 0, 2), (FULL, 1, 0, 1)]
    assert got["today 100"][1] == {HT: (1, 1, 1), XD: (1, 1, 0)}  # b2 in
    assert got["mid 100"] != EXPECTED["mid 100"] and got["today 100"] != EXPECTED["today 100"]
    # Whole months need no subtraction: October stays right even so.
    assert got["october 100"] == EXPECTED["october 100"]


def test_without_current_summaries_the_reads_use_the_dossier_table(tmp_path: Any) -> None:
    """No summaries, or a change waiting in the log, or the benchmark's raw approach: the
    summary reads answer None and the public reads give the raw frame."""
    engine = build(f"sqlite:///{tmp_path / 'db.sqlite'}", HAND)
    assert provision.summary_provision(engine, "100", LIVE) is None  # never built
    assert provision.summary_mostly_paper(engine, "100", LIVE, None, 0.5, 51) is None
    assert _figures(engine) == EXPECTED
    with engine.begin() as conn:
        summary.rebuild(conn)
    assert provision.summary_provision(engine, "100", LIVE) is not None
    with engine.begin() as conn:  # 101 receives a Đất đai dossier on 2/11: not yet absorbed
        _write(conn, [_d("c1", "101", T(2026, 11, 2, 10), NONE, "direct")])
    assert provision.summary_provision(engine, "100", LIVE) is None
    assert provision.summary_mostly_paper(engine, "100", LIVE, None, 0.5, 51) is None
    got = _provision(trends.monthly_provision(engine, "100", LIVE), True)
    assert got[(202611, DD)] == (1, 0, 0)  # the raw query sees c1
    with engine.begin() as conn:
        summary.refresh(conn)
    assert provision.summary_provision(engine, "100", LIVE) is not None
    queries.use_summaries(False)
    try:
        assert _figures(engine)["mid 100"] == EXPECTED["mid 100"]
    finally:
        queries.use_summaries(True)
    engine.dispose()


def _random_rows(seed: int) -> list[dict[str, Any]]:
    """Dossiers from August to NOW, half of them moved on, and three invalid ones."""
    rng = random.Random(seed)
    rows = [_new(rng, i, dt.datetime(2026, 8, 1), NOW) for i in range(150)]
    for row in rows:
        if rng.random() < 0.6:
            _step(rng, row, NOW)
    later = [_new(rng, 500 + i, NOW, dt.datetime(2026, 11, 18, 23, 59)) for i in range(5)]  # after NOW
    invalid = [dict(r, due_at=r["received_at"] - dt.timedelta(hours=1)) for r in rows[:3]]
    return rows[3:] + invalid + later


WAYS = {"as chosen": None, "own days": True, "months less days": False}


def test_random_history_equals_the_raw_queries(any_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every period kind of tests/test_summary.py (whole months, a quarter, month to date, mid-month
    spans, past day ends and moments within a day) plus period=all and today, for the province,
    a district and two communes, by month and whole, with and without a field filter and a cut
    listing; the parts assembled as the planner chooses, and (for the province and a commune)
    both other ways."""
    engine = build(any_url, _random_rows(21))
    with engine.begin() as conn:
        summary.rebuild(conn)
    periods = [*PERIODS, ALL, TODAY, make_period(dt.date(2026, 8, 1), NOW.date(), NOW)]
    answered: list[bool] = []
    for name in ("summary_provision", "summary_mostly_paper"):  # record each summary answer
        monkeypatch.setattr(trends, name, _spy(getattr(trends, name), answered))
    real = summary_procedures.receipt_parts
    provided: dict[tuple[Any, ...], pd.DataFrame] = {}
    listed: dict[tuple[Any, ...], tuple[pd.DataFrame, bool]] = {}
    for way, own_days in WAYS.items():
        monkeypatch.setattr(provision, "receipt_parts", functools.partial(real, own_days=own_days))
        for period in periods:
            for unit in ("70", "100", "101", "201") if own_days is None else ("70", "101"):
                for by_month in (True, False):
                    key = (unit, period, by_month)
                    if key not in provided:
                        provided[key] = trends.raw_monthly_provision(engine, unit, period, by_month)
                    fast = trends.monthly_provision(engine, unit, period, by_month)
                    where = f"{way} {unit} {period} {by_month}"
                    pd.testing.assert_frame_equal(fast, provided[key], check_dtype=False, obj=where)
                for field, limit in ((None, 50), ("Hộ tịch", 50), (None, 1)):
                    key = (unit, period, field, limit)
                    if key not in listed:
                        listed[key] = trends.raw_mostly_paper_procedures(engine, unit, period, field, limit)
                    frame, cut = trends.mostly_paper_procedures(engine, unit, period, field, limit)
                    where = f"{way} {unit} {period} {field} {limit}"
                    pd.testing.assert_frame_equal(frame, listed[key][0], check_dtype=False, obj=where)
                    assert cut == listed[key][1], where
    # Every read came from the summaries: 4 units × 5 reads a period, then 2 units × 5 twice.
    assert answered == [True] * (len(periods) * (4 * 5 + 2 * 2 * 5))
    # Not every answer is empty: the comparison saw procedures used, listed, and a cut listing.
    assert len(provided[("70", ALL, True)]) >= 6
    assert len(listed[("70", ALL, None, 50)][0]) >= 1
    assert any(cut for _, cut in listed.values())
    engine.dispose()


def _spy(read: Any, answered: list[bool]) -> Any:
    def spy(*args: Any) -> Any:
        out = read(*args)
        answered.append(out is not None)
        return out

    return spy
