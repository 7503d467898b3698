"""The wall's parts without a page: the intake query on every backend, alarms and working days
late by hand, the kiosk URL grammar and rotation order, and the simulator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from data_access.engine import make_engine
from data_access.queries import dossier_counts
from data_access.wall import intake_by_hour, open_dossiers
from metrics.wall import Alarm, evaluate_alarms, hourly_strip, working_days_late
from sample_data.simulate import CannotSimulate, simulate
from tests.builders import T, build, dossier
from timebase.period import make_period
from ui.kiosk import Wall, next_screen, parse_wall

NOW = dt.datetime(2026, 11, 23, 10, 0)
DAY_ROWS = [
    dossier("a", "101", T(2026, 11, 23, 0, 5), T(2026, 11, 26, 17), channel="online"),
    dossier("b", "102", T(2026, 11, 23, 9, 0), T(2026, 11, 26, 17)),
    dossier("c", "201", T(2026, 11, 23, 9, 59), T(2026, 11, 26, 17), channel="online"),
    dossier("d", "201", T(2026, 11, 23, 10, 1), T(2026, 11, 26, 17)),  # after as_of
    dossier("e", "201", T(2026, 11, 22, 23, 59), T(2026, 11, 25, 17)),  # the day before
    # Broken row (due before receipt): excluded here exactly as by every counter.
    dossier("f", "101", T(2026, 11, 23, 9, 30), T(2026, 11, 20, 17)),
]


def test_intake_by_hour_on_every_backend(any_url: str) -> None:
    engine = build(any_url, DAY_ROWS)
    try:
        frame = intake_by_hour(engine, NOW.date(), NOW)
        # 0h: a (online); 9h: b, c (c online); d after 10:00, e yesterday, f invalid → left out.
        assert frame.to_dict("records") == [
            {"hour": 0, "received": 1, "received_online": 1},
            {"hour": 9, "received": 2, "received_online": 1},
        ]
        # The hours add up to the day's "received" counter.
        day = dossier_counts(engine, "province", make_period(NOW.date(), NOW.date(), NOW))
        assert int(day["received"].sum()) == int(frame["received"].sum()) == 3
        assert intake_by_hour(engine, dt.date(2026, 11, 24), NOW).empty
    finally:
        engine.dispose()


def test_hourly_strip_fills_every_hour() -> None:
    strip = hourly_strip(pd.DataFrame({"hour": [9], "received": [2], "received_online": [1]}))
    assert strip["hour"].tolist() == list(range(24))
    assert strip["received"].sum() == 2 and strip.loc[9, "received_online"] == 1
    assert hourly_strip(pd.DataFrame())["received"].sum() == 0


TARGETS = pd.DataFrame(
    [dict(metric="on_time_rate", unit_code="", level="", field="", year=2026, value=0.98, source="KH")]
)


def test_alarms_against_target_and_limit() -> None:
    # 97% < 98% target → alarm; 2 overdue > 0 → alarm.
    assert evaluate_alarms({"on_time_rate": 0.97, "overdue_in_progress": 2}, TARGETS, 2026) == [
        Alarm("on_time_rate", 0.97, 0.98, True, "KH"),
        Alarm("overdue_in_progress", 2.0, 0.0, False, ""),
    ]
    # On target exactly, nothing overdue, or N/A: no alarm.
    assert evaluate_alarms({"on_time_rate": 0.98, "overdue_in_progress": 0}, TARGETS, 2026) == []
    assert evaluate_alarms({"on_time_rate": None}, TARGETS, 2026) == []
    # No target for the year (2025 precedes the only row): no target, no alarm.
    assert evaluate_alarms({"on_time_rate": 0.5}, TARGETS, 2025) == []
    # A fixed threshold on a higher-is-better metric alarms below it.
    assert evaluate_alarms({"online_share": 0.4}, TARGETS, 2026, {"online_share": 0.5})[0].threshold == 0.5


def test_working_days_late() -> None:
    due = pd.Series(pd.to_datetime(["2026-11-13 17:00", "2026-11-20 17:00", "2026-11-23 08:00"]))
    # Due Fri 13/11: 16–20/11 and Mon 23/11 → 6; due Fri 20/11 → Mon 23/11 → 1; due this morning → 0.
    assert working_days_late(due, NOW).tolist() == [6, 1, 0]
    # On Saturday 14/11 no working day has passed since Friday's due day.
    assert working_days_late(due[:1], dt.datetime(2026, 11, 14, 9)).tolist() == [0]


KNOWN = ("overview", "map", "ranking")


def test_parse_wall() -> None:
    assert parse_wall({}, KNOWN, 30) == Wall(False)
    assert parse_wall({"kiosk": "0"}, KNOWN, 30) == Wall(False)
    assert parse_wall({"kiosk": "1"}, KNOWN, 30) == Wall(True, 30, KNOWN)
    wall = parse_wall({"kiosk": "true", "rotate": "12", "screens": " Map,overview,map,nope "}, KNOWN, 30)
    assert wall == Wall(True, 12, ("map", "overview"), ("nope",))
    assert parse_wall({"kiosk": "1", "rotate": "2"}, KNOWN, 30).bad == (("rotate", "2"),)
    assert parse_wall({"kiosk": "1", "rotate": "0"}, KNOWN, 30).rotate == 0
    assert parse_wall({"kiosk": "1", "screens": "nope"}, KNOWN, 30).screens == KNOWN
    assert parse_wall({"kiosk": "maybe"}, KNOWN, 30) == Wall(False, bad=(("kiosk", "maybe"),))


def test_next_screen_order_and_wrap_around() -> None:
    assert next_screen("overview", KNOWN) == "map"
    assert next_screen("map", KNOWN) == "ranking"
    assert next_screen("ranking", KNOWN) == "overview"  # wraps around
    assert next_screen("my-unit", KNOWN) == "overview"  # not in the rotation: start it
    assert next_screen("overview", ("overview",)) is None
    assert next_screen("map", ("overview",)) == "overview"


def _sample(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    rows = [
        dossier(f"o{i}", unit, T(2026, 11, 2 + i, 9), T(2026, 11, 5 + i, 17), channel="online")
        for i, unit in enumerate(("101", "102", "201", "101", "102", "201"))
    ]
    rows += [dossier("done", "101", T(2026, 11, 20, 9), T(2026, 11, 25, 17), finished_at=T(2026, 11, 22, 9))]
    build(url, rows, sample=True).dispose()
    return url


def _replay(url: str) -> list[str]:
    clock = iter(NOW + dt.timedelta(seconds=5 * i) for i in range(100))
    log: list[str] = []
    simulate(
        url,
        minutes=0.25,
        interval=5,
        seed=7,
        clock=lambda: next(clock),
        sleep=lambda s: None,
        report=log.append,
    )
    return log


def test_simulate_moves_the_figures_deterministically(tmp_path: Path) -> None:
    first, second = _sample(tmp_path, "a.sqlite"), _sample(tmp_path, "b.sqlite")
    log = _replay(first)
    assert len(log) == 3  # 15 s at one tick every 5 s
    assert log == _replay(second)  # same seed, same data, same clock → same changes
    engine = make_engine(first)
    try:
        today = dossier_counts(
            engine, "province", make_period(NOW.date(), NOW.date(), NOW + dt.timedelta(hours=1))
        )
        new = sum(int(line.split("+")[1].split(" ")[0]) for line in log)
        assert new > 0 and int(today["received"].sum()) == new
        assert len(open_dossiers(engine, 100)) < 6 + new  # some were finished
    finally:
        engine.dispose()


def test_simulate_refuses_real_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'real.sqlite'}"
    build(url, [], sample=False).dispose()
    with pytest.raises(CannotSimulate, match="not marked as sample data"):
        simulate(url, minutes=0, sleep=lambda s: None, report=lambda m: None)
    with pytest.raises(CannotSimulate, match="no database"):
        simulate(f"sqlite:///{tmp_path / 'absent.sqlite'}", minutes=0)
