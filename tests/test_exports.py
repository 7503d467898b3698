"""Press exports, data side: small-cell suppression by hand, the figures built from a seeded
database (exact values, Vietnamese texts and number formats in the spec), request validation,
and ``cli.py export`` writing files or refusing bad input with a clear message."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import cli
from data_access.engine import make_engine
from exports.charts import build_chart
from exports.figures import Figure, build_figure
from exports.request import ExportError, ExportRequest, period_text, period_token, trend_months
from exports.source import EngineSource
from exports.suppress import channel_cells, metric_cells
from metrics.registry import get_metric
from tests.builders import UNITS, build
from tests.press_seed import CODE_PREFIX, NOW, rows, seed
from timebase.period import month_to_date, parse_period

OCTOBER = parse_period("2026-10", NOW)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> EngineSource:
    url = seed(f"sqlite:///{tmp_path_factory.mktemp('press') / 'press.sqlite'}")
    return EngineSource(make_engine(url))


def figure(source: EngineSource, chart: str, **kw: object) -> Figure:
    return build_figure(ExportRequest(chart, OCTOBER, **kw), source, min_cell=5, min_dossiers=0)  # type: ignore[arg-type]


# --- suppression, by hand -------------------------------------------------------------------


def test_rate_is_hidden_when_its_base_or_its_numerator_is_a_small_cell() -> None:
    counters = pd.DataFrame(
        {
            # unit:        A: 4 of 4 (base 4 < 5)   B: 3 of 50 (numerator 3 < 5)   C: 45 of 50   D: none
            "received": [4, 50, 50, 0],
            "received_online": [4, 3, 45, 0],
        }
    )
    cells = metric_cells(counters, get_metric("online_share"), min_cell=5)
    assert cells["base"].tolist() == [4, 50, 50, 0]
    assert cells["base_hidden"].tolist() == [True, False, False, False]
    assert cells["hidden"].tolist() == [True, True, False, False]
    # C: 45/50 = 90% shown; D: denominator 0 → N/A (None), not suppressed.
    assert cells["value"].tolist() == [None, None, pytest.approx(0.9), None]


def test_count_metric_hides_one_to_four_and_keeps_zero() -> None:
    counters = pd.DataFrame({"open_overdue": [0, 1, 4, 5]})
    cells = metric_cells(counters, get_metric("overdue_in_progress"), min_cell=5)
    assert cells["hidden"].tolist() == [False, True, True, False]
    assert cells["value"].tolist() == [0, None, None, 5]


def test_minimum_is_configurable() -> None:
    counters = pd.DataFrame({"received": [7], "received_online": [7]})
    assert not metric_cells(counters, get_metric("online_share"), min_cell=5)["hidden"].iloc[0]
    assert metric_cells(counters, get_metric("online_share"), min_cell=10)["hidden"].iloc[0]


def test_channel_mix_primary_and_secondary_suppression() -> None:
    counters = pd.DataFrame(
        {
            # row 0: direct 3 hidden → the smallest other channel (postal 6) hidden too;
            # row 1: two small channels hide each other, online shown; row 2: total 4 → all hidden.
            "received": [29, 30, 4],
            "received_online": [20, 26, 4],
            "received_direct": [3, 2, 0],
            "received_postal": [6, 2, 0],
        }
    )
    cells = channel_cells(counters, min_cell=5)
    assert cells[["hidden_online", "hidden_direct", "hidden_postal"]].values.tolist() == [
        [False, True, True],
        [False, True, True],
        [True, True, True],
    ]
    assert cells["received_hidden"].tolist() == [False, False, True]
    assert cells["share_online"].tolist()[:2] == [pytest.approx(20 / 29), pytest.approx(26 / 30)]
    assert cells["share_direct"].tolist() == [None, None, None]


def test_channel_complement_is_the_smallest_other_cell_never_online_when_another_serves() -> None:
    counters = pd.DataFrame(
        {
            # row 0: online 12, direct 3, postal 0 → direct with postal's 0 (the old rule hid online 12);
            # row 1: online 76, direct 93, postal 3 (Bù Đốp 11/2026) → postal with direct: online kept;
            # row 2: online 2, direct 40, postal 0 → online (primary) with postal's 0;
            # row 3: online 3, direct 3, postal 1 → all three small, all hidden (total 7 shown).
            "received": [15, 172, 42, 7],
            "received_online": [12, 76, 2, 3],
            "received_direct": [3, 93, 40, 3],
            "received_postal": [0, 3, 0, 1],
        }
    )
    cells = channel_cells(counters, min_cell=5)
    assert cells[["hidden_online", "hidden_direct", "hidden_postal"]].values.tolist() == [
        [False, True, True],
        [False, True, True],
        [True, False, True],
        [True, True, True],
    ]
    assert cells[["complement_online", "complement_direct", "complement_postal"]].values.tolist() == [
        [False, False, True],
        [False, True, False],
        [False, False, True],
        [False, False, False],
    ]
    assert cells["share_online"].tolist()[:2] == [pytest.approx(12 / 15), pytest.approx(76 / 172)]


# --- figures from the seeded province ------------------------------------------------------------


def test_ranking_figure_exact_cells_and_texts(source: EngineSource) -> None:
    fig = figure(source, "ranking", level="commune", unit="101")
    assert fig.title == "Tỷ lệ hồ sơ đúng hạn — các đơn vị cấp xã, tháng 10/2026"
    assert fig.subtitle == ("Xếp hạng 3 đơn vị cấp xã", "Mục tiêu ≥ 98,0%")
    assert (
        fig.source_line == "Nguồn: Hệ thống thông tin giải quyết TTHC tỉnh Thử, số liệu đến 23:59 31/10/2026"
    )
    assert fig.sample_line is not None and fig.sample_line.startswith("Dữ liệu mẫu")
    assert fig.target == pytest.approx(0.98)
    table = fig.table.to_dict("records")
    # 201: 28/28 = 100% rank 1; 101: 12/15 = 80% rank 2; 102: 4 dossiers → "<5", rate "ẩn", no rank.
    assert table == [
        {"Hạng": 1, "Mã đơn vị": "201", "Đơn vị": "Xã Hai A", "Số hồ sơ": 28, "Tỷ lệ hồ sơ đúng hạn": 1.0},
        {"Hạng": 2, "Mã đơn vị": "101", "Đơn vị": "Xã Một A", "Số hồ sơ": 15, "Tỷ lệ hồ sơ đúng hạn": 0.8},
        {
            "Hạng": None,
            "Mã đơn vị": "102",
            "Đơn vị": "Xã Một B",
            "Số hồ sơ": "<5",
            "Tỷ lệ hồ sơ đúng hạn": "ẩn",
        },
    ]
    assert fig.data.set_index("unit_code").loc["101", "highlight"]
    assert fig.data.set_index("unit_code").loc["102", "note"] == "ẩn"


def test_ranking_by_online_payment_hides_a_small_numerator(source: EngineSource) -> None:
    fig = figure(source, "ranking", level="commune", metric="online_payment_share")
    by_unit = fig.table.set_index("Mã đơn vị")
    # 201: 3 paid online of 10 with a fee → the base 10 is shown, the rate (3 of 10) is not.
    assert by_unit.loc["201", "Số hồ sơ"] == 10
    assert by_unit.loc["201", "Tỷ lệ thanh toán trực tuyến"] == "ẩn"
    assert by_unit.loc["101", "Tỷ lệ thanh toán trực tuyến"] is None  # no fee at all: N/A


def test_headline_figure_values(source: EngineSource) -> None:
    fig = figure(source, "headline")
    assert fig.title == "Kết quả giải quyết TTHC — Tỉnh Thử, tháng 10/2026"
    rows = fig.table.set_index("Chỉ số")
    assert rows.loc["Tỷ lệ hồ sơ đúng hạn", "Giá trị"] == pytest.approx(44 / 47)
    assert rows.loc["Tỷ lệ hồ sơ đúng hạn", "Mục tiêu"] == pytest.approx(0.98)
    assert rows.loc["Hồ sơ tiếp nhận", "Giá trị"] == 47
    assert rows.loc["Tỷ lệ hồ sơ trực tuyến", "Giá trị"] == pytest.approx(32 / 47)
    # Payment: 3 of 10 with a fee province-wide → numerator 3 < 5 → hidden even at the top.
    assert rows.loc["Tỷ lệ thanh toán trực tuyến", "Giá trị"] == "ẩn"
    cards = fig.data.set_index("metric")
    assert cards.loc["on_time_rate", "status"] == "missed"
    assert cards.loc["online_share", "status"] == "met"
    assert cards.loc["satisfaction_rate", "note"] == "—"


def test_trend_figure_months(source: EngineSource) -> None:
    fig = figure(source, "trend", unit="101")
    assert fig.title == "Tỷ lệ hồ sơ đúng hạn — Xã Một A, 11/2025–10/2026"
    months = fig.table.set_index("Tháng")
    assert len(months) == 12
    assert months.loc["10/2026", "Tỷ lệ hồ sơ đúng hạn"] == pytest.approx(0.8)
    assert months.loc["09/2026", "Tỷ lệ hồ sơ đúng hạn"] == pytest.approx(1.0)
    assert months.loc["08/2026", "Số hồ sơ"] == "<5"
    assert months.loc["08/2026", "Tỷ lệ hồ sơ đúng hạn"] == "ẩn"
    assert months.loc["07/2026", "Tỷ lệ hồ sơ đúng hạn"] is None


def test_channels_figure_cells(source: EngineSource) -> None:
    fig = figure(source, "channels", level="commune")
    rows = fig.table.set_index("Mã đơn vị")
    assert rows.loc["201", "Trực tuyến (hồ sơ)"] == 20
    assert rows.loc["201", "Trực tuyến (tỷ lệ)"] == pytest.approx(20 / 28)
    assert rows.loc["201", "Bưu chính (hồ sơ)"] == "<5"  # 2: primary
    assert rows.loc["201", "Trực tiếp (hồ sơ)"] == "ẩn"  # 6: secondary, so 28 − 20 − x gives nothing
    assert rows.loc["102", "Số hồ sơ"] == "<5"
    assert fig.subtitle[-1] == "Mục tiêu trực tuyến ≥ 50,0%"


def test_map_figure_keeps_seats(source: EngineSource) -> None:
    fig = figure(source, "map", level="district")
    assert set(fig.data["unit_code"]) == {"100", "200"}
    assert fig.data[["lat", "lon"]].notna().all().all()
    assert fig.table.set_index("Mã đơn vị").loc["100", "Tỷ lệ hồ sơ đúng hạn"] == pytest.approx(16 / 19)


def test_units_sharing_a_name_stay_apart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twins.sqlite'}"
    twin = dict(code="202", name="Xã Hai A", level="commune", parent_code="200", lat=11.83, lon=106.63)
    build(url, rows(), unit_rows=[*UNITS, twin], sample=True).dispose()
    source = EngineSource(make_engine(url))
    ranking = build_figure(ExportRequest("ranking", OCTOBER, level="commune"), source)
    assert "1. Xã Hai A (201)" in ranking.data["label"].tolist()
    assert "Xã Hai A (202)" in ranking.data["label"].tolist()
    channels = build_figure(ExportRequest("channels", OCTOBER, level="commune"), source)
    assert {"Xã Hai A (201)", "Xã Hai A (202)"} <= set(channels.data["unit_name"])


def test_map_without_seats_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'noseats.sqlite'}"
    build(url, rows(), unit_rows=[{**u, "lat": None, "lon": None} for u in UNITS], sample=True).dispose()
    request = ExportRequest("map", OCTOBER, level="district")
    spec = build_chart(build_figure(request, EngineSource(make_engine(url)))).to_dict()
    assert "Chưa có tọa độ trụ sở" in json.dumps(spec, ensure_ascii=False)


@pytest.mark.parametrize("chart", ["headline", "ranking", "trend", "map", "channels"])
def test_spec_uses_vietnamese_number_formats_and_font(source: EngineSource, chart: str) -> None:
    spec = build_chart(figure(source, chart)).to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["thousands"] == "."
    assert spec["config"]["locale"]["time"]["months"][9] == "Tháng mười"
    assert spec["config"]["font"] == "Be Vietnam Pro"
    text = json.dumps(spec, ensure_ascii=False)
    # Axes go through d3 formats (".1%", ",.0f"), which the locale above turns into 98,5% · 1.234;
    # value labels are the one formatter's Vietnamese text (i18n.format, never rounded onto a target).
    assert re.search(r'"format": "[,.0-9]*[%f]"', text) or re.search(
        r'"value_text": "[0-9.]+(,[0-9]+)?%?"', text
    )
    if chart != "channels":
        assert re.search(r'"value_text": "[0-9.]+,[0-9]%"', text)  # e.g. "80,0%"
    assert CODE_PREFIX not in text  # aggregates only: no dossier code reaches a chart
    assert "http" not in text.replace(spec["$schema"], "")  # no URL: nothing to fetch


def test_period_texts() -> None:
    assert period_text(parse_period("2026-Q3", NOW), "vi") == "quý 3/2026"
    assert period_text(parse_period("2025", NOW), "vi") == "năm 2025"
    assert period_text(parse_period("2026-11", NOW), "vi") == "tháng 11/2026 (đến 23/11)"
    assert period_text(month_to_date(NOW), "vi") == "tháng 11/2026 (đến 23/11)"
    assert period_text(parse_period("2026-10-01..2026-10-15", NOW), "vi") == "01/10/2026–15/10/2026"
    assert [p.start.month for p in trend_months(parse_period("2026-Q3", NOW))] == [7, 8, 9]
    assert [
        period_token(parse_period(p, NOW)) for p in ("2026-10", "2026-Q3", "2025", "2026-10-01..2026-10-15")
    ] == [
        "2026-10",
        "2026-Q3",
        "2025",
        "20261001-20261015",
    ]
    # The year 2026 judged on 23/11/2026: January to November, November to date.
    year = trend_months(parse_period("2026", NOW))
    assert [p.start.month for p in year] == list(range(1, 12)) and year[-1].as_of == NOW


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"chart": "ranking", "level": "county"}, "Cấp 'county' không có trong dữ liệu"),
        ({"chart": "ranking", "metric": "speed"}, "Chỉ số 'speed' không có trong danh mục"),
        ({"chart": "headline", "unit": "999"}, "Không có đơn vị mã '999'"),
        ({"chart": "ranking", "level": "district", "unit": "101"}, "Không có đơn vị mã '101' (cấp huyện)"),
        ({"chart": "pie"}, "Biểu đồ 'pie' không tồn tại"),
    ],
)
def test_bad_requests_are_refused_clearly(source: EngineSource, kw: dict[str, str], message: str) -> None:
    with pytest.raises(ExportError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build_figure(ExportRequest(period=OCTOBER, **kw), source)  # type: ignore[arg-type]


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def cli_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    return seed(f"sqlite:///{tmp_path / 'cli.sqlite'}")


def test_cli_export_writes_every_format(
    cli_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["export", "--chart", "ranking", "--level", "district", "--period", "2026-10"]
    code = cli.main([*args, "--format", "all", "--out", str(out), "--database", cli_url])
    assert code == 0
    stem = "ranking_district_on_time_rate_2026-10_du-lieu-mau"  # the seeded province is sample data
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{stem}.{ext}" for ext in ("png", "svg", "pdf", "csv", "xlsx")
    )
    assert f"{stem}.pdf" in capsys.readouterr().out
    csv = (out / f"{stem}.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    assert "Huyện Một".encode() in csv
    for path in out.iterdir():
        assert CODE_PREFIX.encode() not in path.read_bytes()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--chart", "ranking", "--level", "county", "--period", "2026-10"],
            "Cấp 'county' không có trong dữ liệu",
        ),
        (
            ["--chart", "map", "--metric", "speed", "--period", "2026-10"],
            "Chỉ số 'speed' không có trong danh mục",
        ),
        (["--chart", "trend", "--period", "2026-13"], "'2026-13' is not a period"),
        (["--chart", "trend", "--period", "2027-01"], "after the moment it is judged"),
        (
            ["--chart", "headline", "--unit", "999", "--period", "2026-10", "--lang", "en"],
            "No unit with code '999'",
        ),
    ],
)
def test_cli_export_refuses_bad_input(
    cli_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    out = tmp_path / "out"
    code = cli.main(["export", *extra, "--out", str(out), "--database", cli_url])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.startswith("error: ")
    assert "Traceback" not in err
    assert not out.exists()


def test_cli_export_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'absent.sqlite'}"
    code = cli.main(["export", "--chart", "headline", "--period", "2026-10", "--database", url])
    assert code == 2
    assert "cannot read the database" in capsys.readouterr().err
