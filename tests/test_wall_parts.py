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
from metrics.compute import compute
from metrics.wall import ALARM_RULES, AlarmRule, evaluate_alarms, hourly_strip, load_rules, working_days_late
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


def _units(*rows: tuple[str, str, int, int, int, int]) -> pd.DataFrame:
    """Unit rows: (code, name, settled, settled on time, open, open past due); open within due
    count as on time, as in the on-time rate's rule (docs/rules.md §1)."""
    frame = pd.DataFrame(
        [
            dict(
                unit_code=c,
                unit_name=n,
                settled=s,
                settled_on_time=so,
                open_end=o,
                open_on_time=o - od,
                open_overdue=od,
            )
            for c, n, s, so, o, od in rows
        ]
    )
    return compute(frame)


RULES = (
    AlarmRule("overdue_share", "province", "limit", 0.05),
    AlarmRule("overdue_share", "district", "limit", 0.10),
    AlarmRule("on_time_rate", "province", "below_target_by", 0.02),
    AlarmRule("on_time_rate", "district", "below_target_by", 0.05, min_base=10),
)


def test_alarm_rules_by_hand() -> None:
    # Province: 100 settled (97 on time) + 100 open (4 past due): on time (97 + 96) / 200 = 96,5 %,
    # not under 98 % − 2 = 96 %; overdue 4 / 100 = 4 % ≤ 5 %: no alarm, though 4 are overdue.
    province = _units(("70", "Tỉnh", 100, 97, 100, 4))
    assert evaluate_alarms({"province": province}, TARGETS, 2026, 20, RULES) == []
    # Districts: A 20 settled (18 on time) + 20 open (3 past due): on time (18 + 17) / 40 = 87,5 %
    # < 93 % and overdue 3 / 20 = 15 % > 10 % → two alarms. B: 9 handled, under its rule's 10
    # for the rate; overdue 2 / 4 = 50 % with 4 open < the caller's 20 → no alarm. C: 10 open,
    # 1 past due = 10 %, exactly the limit → no alarm; on time 9/10 = 90 % < 93 % → alarm.
    districts = _units(
        ("1", "Huyện A", 20, 18, 20, 3), ("2", "Huyện B", 5, 1, 4, 2), ("3", "Huyện C", 0, 0, 10, 1)
    )
    alarms = evaluate_alarms({"province": province, "district": districts}, TARGETS, 2026, 20, RULES)
    assert [(a.measure, a.unit_name) for a in alarms] == [
        ("on_time_rate", "Huyện A"),  # 87,5 % is further under 93 % than C's 90 %: worst first
        ("on_time_rate", "Huyện C"),
        ("overdue_share", "Huyện A"),
    ]
    first = alarms[0]
    assert first.value == pytest.approx(0.875) and first.threshold == pytest.approx(0.93)
    assert first.target == 0.98 and first.kind == "below_target_by"
    assert alarms[2].value == pytest.approx(0.15) and alarms[2].threshold == 0.10
    # With a minimum of 4, B's overdue share (50 %) is judged and alarms too.
    loose = evaluate_alarms({"district": districts}, TARGETS, 2026, 4, RULES)
    assert ("overdue_share", "Huyện B") in [(a.measure, a.unit_name) for a in loose]
    # No target for the year (2025 precedes the only row): the rate raises nothing.
    assert [a.measure for a in evaluate_alarms({"district": districts}, TARGETS, 2025, 20, RULES)] == [
        "overdue_share"
    ]
    # N/A (nothing open): no overdue-share alarm.
    assert evaluate_alarms({"province": _units(("70", "Tỉnh", 50, 50, 0, 0))}, TARGETS, 2026, 20, RULES) == []


def test_alarm_rules_file_is_valid_and_documented() -> None:
    rules = load_rules()
    assert rules == ALARM_RULES and len(rules) >= 4
    assert {r.measure for r in rules} >= {"overdue_share", "on_time_rate"}
    assert all(r.kind in ("limit", "below_target_by") and r.threshold > 0 for r in rules)
    docs = (Path(__file__).resolve().parent.parent / "docs" / "screens.md").read_text(encoding="utf-8")
    assert "alarm_rules.csv" in docs


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
    # A known screen without a wall layout is refused (and reported); the default is the wall screens.
    every = (*KNOWN, "press", "quality")
    assert parse_wall({"kiosk": "1"}, every, 30).screens == KNOWN
    refused = parse_wall({"kiosk": "1", "screens": "press,map,quality"}, every, 30)
    assert (refused.screens, refused.refused, refused.unknown) == (("map",), ("press", "quality"), ())
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


def test_the_wall_shortens_one_stop_desk_names_and_counts_banner_lines() -> None:
    from ui.wall_widgets import BANNER_LINE_CHARS, short_agency

    # The desks share "Bộ phận một cửa" (or "tiếp nhận và trả kết quả"): the rest says which one.
    assert short_agency("Bộ phận một cửa UBND xã Lộc Thái") == "UBND xã Lộc Thái"
    assert short_agency("Bộ phận Tiếp nhận và trả kết quả UBND huyện Bù Đốp") == "UBND huyện Bù Đốp"
    assert short_agency("Sở Tư pháp") == "Sở Tư pháp"
    assert short_agency("Bộ phận một cửa") == "Bộ phận một cửa"  # nothing after it: kept whole
    from metrics.wall import Alarm
    from ui.wall_widgets import alarm_lines, banner_lines

    def alarm(name: str, value: float) -> Alarm:
        return Alarm("overdue_share", "district", name, name, value, 0.1, None, "limit")

    # "Cấp huyện: Tỷ lệ quá hạn trên hồ sơ đang xử lý vượt ngưỡng cảnh báo 10,0% — " is 76
    # characters; two named units (14 letters after the short name, + " 50,0%" = 20 each, joined
    # by "; ") and " và 1 đơn vị khác" add 20 + 2 + 20 + 17 = 59: 135 > 125, two lines on the
    # wall. One short unit stays on one.
    long = [alarm("Huyện " + c * 14, 0.5) for c in "ABC"]
    assert [len(line) for line in alarm_lines(long, "vi")] == [135]
    assert banner_lines(long, "vi") == 2 == -(-135 // BANNER_LINE_CHARS)
    assert banner_lines([alarm("Huyện Một", 0.5)], "vi") == 1
    assert banner_lines([], "vi") == 0
