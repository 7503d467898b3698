"""AppTest of the wall: the live overview's exact figures, alarms, intake strip and overdue list,
the kiosk parameters, the stale state and the language switch, on a seeded SQLite file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from data_access.engine import make_engine
from data_access.queries import unit_counters
from i18n.format import fmt_pct
from metrics.tables import unit_metrics
from tests.builders import T, build, dossier
from timebase.period import month_to_date

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 23, 10, 0)  # a Monday
TARGETS = [
    dict(metric="on_time_rate", unit_code="", level="", field="", year=2026, value=0.98, source="KH 2026"),
    dict(metric="online_share", unit_code="", level="", field="", year=2025, value=0.5, source="NQ 76"),
]
ROWS = [
    # Settled in November: x1 on time (online, satisfied), x2 late.
    dossier(
        "x1", "101", T(2026, 11, 2, 9), T(2026, 11, 5, 17), finished_at=T(2026, 11, 4, 9), channel="online"
    ),
    dossier("x2", "102", T(2026, 11, 2, 9), T(2026, 11, 5, 17), finished_at=T(2026, 11, 9, 9)),
    # Open and overdue: y2, y2b (same unit, agency, procedure: one group of 2, oldest due 13/11),
    # y3 (another group: due Thu 19/11 → late on Fri 20 and Mon 23 = 2 working days).
    dossier("y2", "201", T(2026, 11, 10, 9), T(2026, 11, 13, 17), channel="online"),
    dossier("y2b", "201", T(2026, 11, 11, 9), T(2026, 11, 16, 17)),
    dossier("y3", "102", T(2026, 11, 16, 9), T(2026, 11, 19, 17), procedure_code="1.000002"),
    # Today before 10:00: t1 at 8h (online), t2 and t3 at 9h (t3 online); t4 comes after NOW.
    dossier("t1", "101", T(2026, 11, 23, 8, 15), T(2026, 11, 26, 17), channel="online"),
    dossier("t2", "102", T(2026, 11, 23, 9, 5), T(2026, 11, 26, 17)),
    dossier("t3", "201", T(2026, 11, 23, 9, 40), T(2026, 11, 26, 17), channel="online"),
    dossier("t4", "201", T(2026, 11, 23, 10, 30), T(2026, 11, 26, 17)),
    # Yesterday (Sunday, online desk): w1 before 10:00, w2 after.
    dossier("w1", "101", T(2026, 11, 22, 8, 30), T(2026, 11, 25, 17), channel="online"),
    dossier("w2", "102", T(2026, 11, 22, 11, 0), T(2026, 11, 25, 17)),
    # October, same days: both on time.
    dossier("o1", "101", T(2026, 10, 5, 9), T(2026, 10, 8, 17), finished_at=T(2026, 10, 6, 9)),
    dossier("o2", "201", T(2026, 10, 5, 9), T(2026, 10, 8, 17), finished_at=T(2026, 10, 7, 9)),
]


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'wall.sqlite'}"
    build(url, ROWS, target_rows=TARGETS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    return url


def _run(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    return at.run()


def _tiles(at: AppTest) -> dict[str, MetricProto]:
    return {m.label: m.proto for m in at.metric}


def _markdown(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def _chart_rows(at: AppTest) -> pd.DataFrame:
    """The intake chart's rows (its spec's values, which Streamlit sends as Arrow beside it)."""
    proto = at.get("vega_lite_chart")[0].proto
    return pa.ipc.open_stream(proto.data.data).read_all().to_pandas()


def test_overview_tiles_show_the_metrics_figures(seeded: str) -> None:
    at = _run()
    assert not at.exception
    expected = unit_metrics(unit_counters(make_engine(seeded), "province", month_to_date(NOW))).iloc[0]
    # Handled: x1, x2 settled + 8 open at 10:00 (y2, y2b, y3, t1–t3, w1, w2); on time: x1 and the
    # 5 open within due (t1–t3, w1, w2) → 6 of 10 = 60%.
    assert expected["on_time_rate"] == pytest.approx(0.6)
    tiles = _tiles(at)
    on_time = tiles["Tỷ lệ hồ sơ đúng hạn"]
    assert on_time.body == fmt_pct(expected["on_time_rate"]) == "60,0%"
    # October's same days: 2 of 2 on time → −40 points, shown falling and red, against 98%.
    assert on_time.delta == "−40,0 điểm %"
    assert on_time.direction == MetricProto.MetricDirection.DOWN
    assert on_time.color == MetricProto.MetricColor.RED
    assert on_time.delta_description == "Mục tiêu 98,0%"
    # Overdue in progress: y2, y2b, y3 → 3, against 0 in October (+3, bad: red); the alarm is
    # the overdue share of open dossiers past 5 % (metrics/alarm_rules.csv).
    overdue = tiles["Hồ sơ đang xử lý quá hạn"]
    assert (overdue.body, overdue.delta, overdue.delta_description) == ("3", "+3", "Ngưỡng: 5% đang xử lý")
    assert overdue.color == MetricProto.MetricColor.RED
    # Received this month: 10 (t4 comes after 10:00) against 2 in October; today: t1–t3 = 3
    # against yesterday up to 10:00: w1 = 1.
    assert (tiles["Hồ sơ tiếp nhận"].body, tiles["Hồ sơ tiếp nhận"].delta) == ("10", "+8")
    today = tiles["Tiếp nhận hôm nay"]
    assert (today.body, today.delta, today.delta_description) == ("3", "+2", "so với cùng giờ hôm qua")
    # Online: x1, y2, t1, t3, w1 = 5 of 10 → 50%, against its 2025 target (still in force in 2026).
    assert tiles["Tỷ lệ hồ sơ trực tuyến"].body == "50,0%"
    assert tiles["Tỷ lệ hồ sơ trực tuyến"].delta_description == "Mục tiêu 50,0%"
    assert "Dữ liệu mẫu" in _markdown(at)
    assert any("Cập nhật lúc 10:00:00" in c.value for c in at.caption)


def test_the_wall_tiles_fold_todays_intake_and_make_room_for_the_outlook(
    seeded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _run(kiosk="1", rotate="0")
    assert not at.exception
    # Two rows of five in wall order: the "now" figures (on time, where the month will end,
    # overdue, due soon, the score), then the month's rates; today's intake is no tile of its own.
    assert [m.label for m in at.metric] == [
        "Tỷ lệ hồ sơ đúng hạn",
        "Đúng hạn dự kiến cuối tháng",
        "Hồ sơ đang xử lý quá hạn",
        "Sắp đến hạn",
        "Điểm 766 (ước tính)",
        "Tỷ lệ đúng hạn trên hồ sơ đã giải quyết",
        "Hồ sơ tiếp nhận",
        "Tỷ lệ hồ sơ trực tuyến",
        "Tỷ lệ thanh toán trực tuyến",
        "Tỷ lệ hài lòng",
    ]
    received = _tiles(at)["Hồ sơ tiếp nhận"]
    # 10 this month against October's 2; today t1–t3 = 3, the tile's second line.
    assert (received.body, received.delta, received.delta_description) == ("10", "+8", "hôm nay 3")
    # The banner has two lines (the province's on time and overdue share): the overdue list gives
    # up two of its four rows and still shows both groups; the strips keep three lines.
    assert _banner(at).count("Toàn tỉnh:") == 2
    html = _markdown(at)
    assert "<td>Một cửa Xã Hai A</td>" in html and "<td>Một cửa Xã Một B</td>" in html
    assert html.count("-webkit-line-clamp: 3'") == 2
    # Judging the districts too (IOC_MIN_DOSSIERS 1) adds their two lines: four → one row (of 2
    # groups, the title says so) and two lines a strip.
    monkeypatch.setenv("IOC_MIN_DOSSIERS", "1")
    at = _run(kiosk="1", rotate="0")
    html = _markdown(at)
    assert _banner(at).count("Cấp huyện:") == 2
    assert "<td>Một cửa Xã Hai A</td>" in html and "<td>Một cửa Xã Một B</td>" not in html
    assert "Hồ sơ quá hạn lâu nhất (1 nhóm đầu)" in [s.value for s in at.subheader]
    assert html.count("-webkit-line-clamp: 2'") == 2


def _banner(at: AppTest) -> str:
    """The alarm banner's text alone (other sections, e.g. where the month will end, name units)."""
    return " ".join(m.value for m in at.markdown if "CẢNH BÁO" in m.value)


def test_alarm_banner_names_the_province_and_what_it_is_past(seeded: str) -> None:
    banner = _banner(_run())
    assert "CẢNH BÁO" in banner
    # On time 6 of 10 = 60 % < 98 % − 2 points; overdue 3 (y2, y2b, y3) of 8 open = 37,5 % > 5 %.
    assert "Toàn tỉnh: Tỷ lệ hồ sơ đúng hạn thấp hơn mục tiêu 98,0% quá 2 điểm % (60,0%)" in banner
    assert "Toàn tỉnh: Tỷ lệ quá hạn trên hồ sơ đang xử lý vượt ngưỡng cảnh báo 5,0% (37,5%)" in banner
    # The districts handle fewer than IOC_MIN_DOSSIERS (20) dossiers: not judged.
    assert "Huyện" not in banner


def test_alarm_banner_names_the_units_that_trigger_it(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_MIN_DOSSIERS", "1")
    banner = _markdown(_run())
    # Huyện Một (101, 102): x1 on time, x2 late, y3 open past due, t1, t2, w1, w2 open within due
    # → on time 5 of 7 = 71,4 % (< 98 % − 5 = 93 %), overdue 1 of 5 open = 20,0 % (> 10 %).
    # Huyện Hai (201): y2, y2b open past due, t3 within → on time 1 of 3 = 33,3 %, overdue 2 of 3.
    # One line per rule, the units worst first (short names: the level is said once).
    assert (
        "Cấp huyện: Tỷ lệ hồ sơ đúng hạn thấp hơn mục tiêu 98,0% quá 5 điểm % — Hai 33,3%; Một 71,4%"
        in banner
    )
    assert (
        "Cấp huyện: Tỷ lệ quá hạn trên hồ sơ đang xử lý vượt ngưỡng cảnh báo 10,0% — Hai 66,7%; Một 20,0%"
        in banner
    )
    # The province's lines come first.
    assert banner.index("Toàn tỉnh:") < banner.index("Cấp huyện:")


def test_no_banner_when_every_metric_meets_its_threshold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'calm.sqlite'}"
    # One dossier, finished on time: 100% ≥ 98% and nothing overdue.
    build(url, ROWS[:1], target_rows=TARGETS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    at = _run()
    assert _tiles(at)["Tỷ lệ hồ sơ đúng hạn"].body == "100,0%"
    assert "CẢNH BÁO" not in _markdown(at)


def test_one_overdue_dossier_among_many_is_no_alarm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'busy.sqlite'}"
    # 40 open dossiers of Xã Một A (Huyện Một): 39 within due, 1 past due since Fri 13/11.
    rows = [dossier(f"o{i}", "101", T(2026, 11, 20, 9), T(2026, 11, 27, 17)) for i in range(39)]
    rows.append(dossier("late", "101", T(2026, 11, 10, 9), T(2026, 11, 13, 17)))
    build(url, rows, target_rows=TARGETS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    at = _run()
    tiles = _tiles(at)
    # On time 39 of 40 = 97,5 % (≥ 98 % − 2 for the province, ≥ 98 % − 5 for Huyện Một); overdue
    # 1 of 40 open = 2,5 % (≤ 5 % and ≤ 10 %): the old "any overdue dossier" rule would be red.
    assert tiles["Tỷ lệ hồ sơ đúng hạn"].body == "97,5%"
    assert tiles["Hồ sơ đang xử lý quá hạn"].body == "1"
    assert "CẢNH BÁO" not in _markdown(at)


def test_intake_by_hour_strip(seeded: str) -> None:
    at = _run()
    rows = _chart_rows(at)
    by_hour = rows.pivot_table(index="hour", columns="channel", values="count", aggfunc="sum")
    # 8h: t1 online; 9h: t3 online, t2 at the desk; every other hour 0 (t4 is after 10:00).
    assert by_hour.loc[8].to_dict() == {"Trực tuyến": 1, "Trực tiếp, bưu chính": 0}
    assert by_hour.loc[9].to_dict() == {"Trực tuyến": 1, "Trực tiếp, bưu chính": 1}
    assert len(by_hour) == 24 and int(by_hour.to_numpy().sum()) == 3
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert any("Hôm qua đến cùng giờ: 1 hồ sơ" in c.value for c in at.caption)


def test_overdue_list_by_agency_and_procedure(seeded: str) -> None:
    table = _run().table[0].value
    assert list(table.columns) == ["Cơ quan", "Thủ tục", "Số hồ sơ", "Quá hạn (ngày làm việc)"]
    # y2 + y2b: due Fri 13/11 → 16–20/11 and 23/11 = 6 working days; y3: 2. Oldest first.
    assert table.to_numpy().tolist() == [
        ["Một cửa Xã Hai A", "Đăng ký khai sinh", "2", "6"],
        ["Một cửa Xã Một B", "Cấp giấy phép xây dựng", "1", "2"],
    ]


def test_kiosk_rotation_target_and_parameters_kept(seeded: str) -> None:
    at = _run(kiosk="1", rotate="30", screens="overview,map,bogus", lang="vi")
    assert not at.exception
    link = at.get("page_link")[0].proto
    # On the overview, the next screen of overview → map is the map, and the hop keeps every
    # parameter (the rotation's own included) so it goes on after the hop.
    assert link.page == "map"
    assert link.label == "Tiếp theo: Bản đồ"
    assert link.query_string == "kiosk=1&rotate=30&screens=overview%2Cmap%2Cbogus&lang=vi"
    assert len(at.warning) == 1
    assert at.warning[0].value.startswith("Bỏ qua màn hình không có: bogus. Các màn hình có: overview, map")
    refused = _run(kiosk="1", screens="overview,press,map")
    assert refused.warning[0].value.startswith(
        "Màn hình không có bố cục cho màn hình tường, không đưa vào vòng quay: press."
    )
    assert refused.get("page_link")[0].proto.page == "map"
    # The wall shows no unit table (the ranking screen has it), the ordinary page does.
    assert not at.dataframe
    assert _run().dataframe


def test_kiosk_rotation_wraps_around(seeded: str) -> None:
    # The overview is the last of map, overview: the next is the first again.
    link = _run(kiosk="1", screens="map,overview").get("page_link")[0].proto
    assert link.page == "map"
    assert link.query_string == "kiosk=1&screens=map%2Coverview"


def test_kiosk_bad_rotate_falls_back_with_a_message(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_ROTATE_SECONDS", "45")
    at = _run(kiosk="1", rotate="banana")
    assert not at.exception
    assert "Tham số 'rotate' không hợp lệ ('banana')" in at.warning[0].value
    assert at.get("page_link")[0].proto.page == "map"  # rotation still runs, at the default 45 s
    held = _run(kiosk="1", rotate="0")  # rotate=0 holds the screen: nothing to switch to
    assert not held.get("page_link")


def test_stale_database_keeps_last_figures_and_warns(
    seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import data

    at = _run()
    first = {label: tile.body for label, tile in _tiles(at).items()}
    assert first["Tỷ lệ hồ sơ đúng hạn"] == "60,0%"
    # The database goes away; five minutes later the wall has nothing new to read.
    (tmp_path / "wall.sqlite").rename(tmp_path / "gone.sqlite")
    data.engine(seeded).dispose()
    monkeypatch.setenv("IOC_NOW", (NOW + dt.timedelta(minutes=5)).isoformat())
    at.run()
    assert not at.exception
    assert {label: tile.body for label, tile in _tiles(at).items()} == first
    stale = [e.value for e in at.error]
    assert stale == ["Mất kết nối cơ sở dữ liệu từ 10:00:00 23/11/2026 — đang hiển thị số liệu cuối cùng"]


def test_overview_in_english(seeded: str) -> None:
    at = _run(lang="en")
    assert not at.exception
    tiles = _tiles(at)
    assert tiles["On-time rate"].body == "60.0%"
    assert tiles["On-time rate"].delta == "−40.0 pp"
    assert tiles["On-time rate"].delta_description == "Target 98.0%"
    assert (tiles["Received today"].body, tiles["Received today"].delta_description) == (
        "3",
        "vs yesterday at the same time",
    )
    assert "Province: On-time rate more than 2 pp below the 98.0% target (60.0%)" in _markdown(at)
    assert list(at.table[0].value.columns) == ["Agency", "Procedure", "Dossiers", "Overdue (working days)"]
    assert "Sample data" in _markdown(at)


def test_ten_screens_cost_one_query_per_interval(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import event

    from ui import data

    statements: list[str] = []
    event.listen(data.engine(seeded), "before_cursor_execute", lambda *args: statements.append(args[2]))
    _run(kiosk="1")
    first = len(statements)
    for _ in range(9):  # nine more wall screens in the same refresh interval
        _run(kiosk="1")
    assert first > 0 and len(statements) == first
    # The next interval (IOC_REFRESH_SECONDS = 30 by default) asks the database again, once.
    monkeypatch.setenv("IOC_NOW", (NOW + dt.timedelta(seconds=30)).isoformat())
    _run(kiosk="1")
    second = len(statements) - first
    _run(kiosk="1")
    assert 0 < second < first and len(statements) == first + second


def test_together_overlaps_the_fetches_and_keeps_their_order() -> None:
    """The overview's fetches run at once: two calls that each wait for the other at a barrier
    finish only if they overlap (run one after the other, the first would time out); results
    come back in call order, and a failure is raised on the caller's thread."""
    import threading

    from ui import data

    meet = threading.Barrier(2, timeout=10)

    def arrive(value: str) -> str:
        meet.wait()
        return value

    assert data.together(lambda: arrive("current"), lambda: arrive("previous"), lambda: 3) == [
        "current",
        "previous",
        3,
    ]

    def broken() -> None:
        raise data.DataUnavailable("db_unreachable")

    with pytest.raises(data.DataUnavailable, match="db_unreachable"):
        data.together(lambda: 1, broken)


def test_the_last_good_figures_are_kept_for_the_newest_queries_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Weeks on the wall: every day brings new period keys; the fallback map keeps the most
    recently fetched LAST_GOOD_MAX and forgets the oldest, and a key fetched again moves to the
    newest end (it is what the wall still asks for)."""
    from ui import data

    monkeypatch.setattr(data, "_last_good", {})
    monkeypatch.setattr(data, "_failures", {})
    monkeypatch.setattr(data, "LAST_GOOD_MAX", 3)
    for day in range(1, 5):
        data.fetch(f"q:day-{day}", lambda d=day: d)
        data.fetch("q:units", lambda: "units")  # asked every day
    kept = [key[0] for key in data._last_good]
    assert kept == ["q:day-3", "q:day-4", "q:units"]

    # A forgotten key has no fallback: a failure now says what is wrong instead of old figures.
    def down() -> None:
        raise OSError("connection refused")

    with pytest.raises(data.DataUnavailable, match="db_unreachable"):
        data.fetch("q:day-1", down)
    assert data.fetch("q:day-4", down).value == 4  # a kept one still serves its last figures
    for day in range(10, 15):  # failures under ever-new keys do not pile up either
        with pytest.raises(data.DataUnavailable):
            data.fetch(f"q:gone-{day}", down)
    assert len(data._failures) == 3


def test_the_benchmark_times_the_statements_the_wall_page_runs(seeded: str) -> None:
    """``python -m bench``'s "overview (whole wall page)" runs exactly the figure queries the wall
    page runs, with the same bound values: the page's statements minus the benchmark's are only
    its housekeeping (meta, targets, unit levels, SQLite's table reflection) and the hourly
    data-quality check, and the benchmark runs nothing the page does not."""
    from collections import Counter

    from sqlalchemy import event

    from bench.screens import screens
    from data_access import quality
    from data_access.queries import database_meta, levels_present, target_rows
    from ui import data

    page: list[tuple[str, str]] = []
    event.listen(data.engine(seeded), "before_cursor_execute", lambda *a: page.append((a[2], repr(a[3]))))
    _run(kiosk="1", screens="overview")

    def statements(call: Callable[[Any], Any]) -> Counter[tuple[str, str]]:
        engine = make_engine(seeded)
        seen: list[tuple[str, str]] = []  # statement and bound values
        event.listen(engine, "before_cursor_execute", lambda *a: seen.append((a[2], repr(a[3]))))
        call(engine)
        engine.dispose()
        return Counter(seen)

    bench = statements(screens(data.live_as_of())["overview (whole wall page)"])
    housekeeping = statements(
        lambda e: (
            database_meta(e),
            target_rows(e),
            levels_present(e),
            quality.quality_counts(e, NOW),
            quality.excluded_total(e),
            quality.table_total(e),
        )
    )
    assert sum(bench.values()) >= 10
    missing = bench - Counter(page)
    assert not missing, [k[0][:300] + " " + k[1][:200] for k in missing]  # nothing the page does not run
    extra = set(Counter(page) - bench)
    assert extra - set(housekeeping) <= {s for s in extra if "sqlite_master" in s[0] or "table_xinfo" in s[0]}


@pytest.mark.parametrize("use_summaries", [True, False])
def test_the_benchmarks_raw_approach_reads_no_summary_table(
    seeded: str, use_summaries: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bench.measure --approach raw`` turns the summaries off (``queries.use_summaries``): then
    no screen of the benchmark touches a summary table (every figure from the dossier table),
    while the design reads them for every screen but the overdue list."""
    from sqlalchemy import event

    from bench.screens import screens
    from data_access import answers
    from data_access.summaries import maintain as summary

    writer = make_engine(seeded, read_only=False)
    with writer.begin() as conn:
        summary.rebuild(conn)
    writer.dispose()
    monkeypatch.setattr(answers, "USE_SUMMARIES", use_summaries)
    engine = make_engine(seeded)
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    reading = {}
    for name, fetch in screens(NOW).items():
        seen.clear()
        fetch(engine)
        reading[name] = any(" summary_" in s and "summary_state" not in s for s in seen)
    if use_summaries:
        assert reading == {name: name != "overdue list" for name in reading}
    else:
        assert not any(reading.values()), reading
