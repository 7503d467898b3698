"""AppTest of the Press room on the seeded province: the preview is the exported chart (its
Vietnamese title and number locale), the table shows the exact suppressed figures that
``exports`` gives, downloads are deferred until clicked, and bad input gets a message."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from data_access.engine import make_engine
from exports import render
from exports.figures import build_figure
from exports.request import ExportRequest
from exports.source import EngineSource
from i18n.format import fmt_number, fmt_pct
from tests.press_seed import NOW, seed
from timebase.period import parse_period

SCRIPT = "from app_pages import press\npress.render()\n"


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = seed(f"sqlite:///{tmp_path / 'press.sqlite'}")
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    monkeypatch.setenv("IOC_MIN_DOSSIERS", "0")
    return url


def _run(**params: str) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _spec(at: AppTest) -> dict[str, object]:
    return json.loads(at.get("vega_lite_chart")[0].proto.spec)


def test_ranking_preview_table_and_deferred_downloads(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = render.render
    monkeypatch.setattr(render, "render", lambda fig, fmt: calls.append(fmt) or original(fig, fmt))
    at = _run(period="2026-10", chart="ranking", level="commune")
    assert not at.exception
    spec = _spec(at)
    assert spec["title"]["text"] == "Tỷ lệ hồ sơ đúng hạn — các đơn vị cấp xã, tháng 10/2026"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    expected = build_figure(
        ExportRequest("ranking", parse_period("2026-10", NOW), "commune"), EngineSource(make_engine(seeded))
    ).table
    shown = at.dataframe[0].value
    # 201: 28/28; 101: 12/15 = 80,0%; 102: 4 dossiers → "<5" and "ẩn" (the exports' own cells).
    assert shown["Tỷ lệ hồ sơ đúng hạn"].tolist() == ["100,0%", fmt_pct(expected.iloc[1, 4]), "ẩn"]
    assert shown["Số hồ sơ"].tolist() == ["28", "15", "<5"]
    # The chart's own buttons (the "Báo cáo" section below has its own: test_app_press_reports).
    buttons = [b for b in at.get("download_button") if "press_download" in b.proto.id]
    assert [b.proto.label for b in buttons] == ["Tải PNG", "Tải SVG", "Tải PDF", "Tải CSV", "Tải XLSX"]
    # Deferred: the browser gets a file id to ask for, no file; nothing was rendered on the run.
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons)
    assert calls == []
    assert "Dữ liệu mẫu" in " ".join(m.value for m in at.markdown)
    assert (at.query_params["chart"], at.query_params["level"], at.query_params["period"]) == (
        "ranking",
        "commune",
        "2026-10",
    )


def test_switching_to_headline_of_a_unit(seeded: str) -> None:
    at = _run(period="2026-10", chart="headline", level="province")
    assert not at.exception
    assert _spec(at)["title"]["text"] == "Kết quả giải quyết TTHC — Tỉnh Thử, tháng 10/2026"
    at.selectbox(key="press_level").set_value("district").run()
    at.selectbox(key="press_unit").set_value("200").run()
    assert not at.exception
    assert _spec(at)["title"]["text"] == "Kết quả giải quyết TTHC — Huyện Hai, tháng 10/2026"
    values = dict(zip(at.dataframe[0].value["Chỉ số"], at.dataframe[0].value["Giá trị"], strict=True))
    assert values["Tỷ lệ hồ sơ đúng hạn"] == "100,0%"  # 28/28
    assert values["Hồ sơ tiếp nhận"] == "28"


def test_bad_parameters_get_a_message_and_the_default(seeded: str) -> None:
    at = _run(period="2026-13", chart="pie", level="county", metric="speed")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    for name in ("period", "chart", "level", "metric"):
        assert f"Tham số '{name}' không hợp lệ" in warnings
    assert _spec(at)["title"]["text"].startswith("Tỷ lệ hồ sơ đúng hạn — các đơn vị cấp huyện")


def test_english(seeded: str) -> None:
    at = _run(period="2026-10", chart="channels", level="district", lang="en")
    assert not at.exception
    spec = _spec(at)
    assert spec["title"]["text"] == "Dossiers by channel — district level units, 10/2026"
    assert "locale" not in spec["config"]


def test_missing_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_DATABASE_URL", f"sqlite:///{tmp_path / 'absent.sqlite'}")
    at = _run()
    assert not at.exception
    assert "Không đọc được cơ sở dữ liệu" in at.error[0].value


def _rows(at: AppTest) -> list[dict[str, object]]:
    """Every data row of the preview chart (Streamlit sends its datasets as Arrow beside the spec)."""
    frames = [
        pa.ipc.open_stream(d.data.data).read_pandas() for d in at.get("vega_lite_chart")[0].proto.datasets
    ]
    return [row for frame in frames for row in frame.to_dict("records")]


def test_channel_mix_hides_the_smallest_other_cell_and_says_so_once(seeded: str) -> None:
    at = _run(period="2026-10", chart="channels", level="commune")
    assert not at.exception
    table = at.dataframe[0].value.set_index("Mã đơn vị")
    # 101: online 12, direct 3 (<5), postal 0 → direct hidden with postal's 0, never online's 12.
    assert table.loc["101", "Trực tuyến (hồ sơ)"] == "12"
    assert table.loc["101", "Trực tuyến (tỷ lệ)"] == "80,0%"  # 12/15
    assert (table.loc["101", "Trực tiếp (hồ sơ)"], table.loc["101", "Bưu chính (hồ sơ)"]) == ("<5", "ẩn")
    # 201: online 20, direct 6, postal 2 (<5) → postal hidden with direct (6 < 20).
    assert (table.loc["201", "Trực tiếp (hồ sơ)"], table.loc["201", "Bưu chính (hồ sơ)"]) == ("ẩn", "<5")
    assert table.loc["201", "Trực tuyến (tỷ lệ)"] == "71,4%"  # 20/28
    # 102: 4 dossiers in all → every cell hidden, no bar.
    assert table.loc["102", "Số hồ sơ"] == "<5"
    segments = {(r["unit_name"], r["channel"]): r["share"] for r in _rows(at) if "channel" in r}
    # The hidden pair is one merged segment (3/15 = 20%; 8/28 = 28,6%): no "Ẩn" block, no gap.
    assert segments[("Xã Một A", "Trực tiếp + Bưu chính (gộp)")] == pytest.approx(0.2)
    assert segments[("Xã Hai A", "Trực tiếp + Bưu chính (gộp)")] == pytest.approx(8 / 28)
    assert not any("Ẩn" in str(channel) for _, channel in segments)
    footer = " ".join(r["line"] for r in _rows(at) if "line" in r)
    assert footer.count("Kênh có dưới 5 hồ sơ") == 1  # said once, under the chart
    assert "trực tiếp + bưu chính ở 2 đơn vị" in footer and "1 đơn vị có dưới 5 hồ sơ" in footer


def test_a_miss_never_rounds_onto_the_target(seeded: str) -> None:
    # July 2026: 146/149 = 97,986…% on time; one decimal would print the 98,0% target.
    at = _run(period="2026-07", chart="headline")
    assert not at.exception
    values = dict(zip(at.dataframe[0].value["Chỉ số"], at.dataframe[0].value["Giá trị"], strict=True))
    assert values["Tỷ lệ hồ sơ đúng hạn"] == "97,99%"
    card = next(r for r in _rows(at) if r.get("metric") == "on_time_rate")
    assert (card["value_text"], card["target_label"]) == ("97,99%", "Mục tiêu ≥ 98,0%")
    assert (card["status"], card["status_text"]) == ("missed", "Chưa đạt")
    # The XLSX cell is the number with the decimals the page shows: 0.00% in Excel, not 0.0%.
    fig = build_figure(
        ExportRequest("headline", parse_period("2026-07", NOW)), EngineSource(make_engine(seeded))
    )
    sheet = openpyxl.load_workbook(io.BytesIO(render.to_xlsx(fig))).active
    cell = sheet.cell(row=2, column=2)  # first card: the on-time rate
    assert (cell.value, cell.number_format) == (pytest.approx(146 / 149), "0.00%")


def test_headline_opens_on_the_province_after_a_ranking(seeded: str) -> None:
    at = _run(period="2026-10", chart="ranking", level="district")
    at.selectbox(key="press_chart").set_value("headline").run()
    assert not at.exception
    assert _spec(at)["title"]["text"] == "Kết quả giải quyết TTHC — Tỉnh Thử, tháng 10/2026"
    assert at.selectbox(key="press_level").value == "province"
    # A URL without a unit, even with the ranking's level still in it, is the province too.
    at = _run(period="2026-10", chart="headline", level="district")
    assert _spec(at)["title"]["text"] == "Kết quả giải quyết TTHC — Tỉnh Thử, tháng 10/2026"


def test_press_map_colours_against_the_target_like_the_wall_map(seeded: str) -> None:
    from ui.map_frame import COLOURS

    at = _run(period="2026-10", chart="map", level="commune", metric="on_time_rate")
    assert not at.exception
    rows = {r["unit_code"]: r for r in _rows(at) if "category" in r}
    # Target 98%: 201 at 28/28 = 100% met; 101 at 12/15 = 80% below (more than 5 points short);
    # 102 suppressed: grey.
    assert (rows["201"]["category"], rows["101"]["category"], rows["102"]["category"]) == (
        "met",
        "below",
        "unknown",
    )
    spec = json.dumps(_spec(at), ensure_ascii=False)
    hexes = ["#{:02x}{:02x}{:02x}".format(*COLOURS[c][:3]) for c in ("met", "below", "unknown")]
    assert all(h in spec for h in hexes)  # the wall map's own colours, one class each
    assert '"triangle-up"' in spec and '"circle"' in spec  # and a shape per class
    assert "Đạt mục tiêu (≥ 98,0%)" in spec and "Dưới mục tiêu (< 93,0%)" in spec


def test_score_chart_official_where_published_else_the_estimate(seeded: str) -> None:
    from metrics import score766
    from metrics.standing import handled

    at = _run(period="2026-10", chart="score", level="district")
    assert not at.exception
    table = at.dataframe[0].value.set_index("Mã đơn vị")
    # 100: imported 18,5 + 10,0 = 28,5 for exactly October; 200: none, so its estimate is charted.
    assert table.loc["100", "Điểm chính thức"] == "28,5"
    assert table.loc["100", "Điểm trên biểu đồ"] == "Chính thức (Cổng DVCQG)"
    assert table.loc["200", "Điểm chính thức"] == "—"
    assert table.loc["200", "Điểm trên biểu đồ"] == "Ước tính (cách tính của Cổng DVCQG năm 2026)"
    counters = EngineSource(make_engine(seeded)).unit_counters("district", parse_period("2026-10", NOW))
    mine = counters[counters["unit_code"].astype(str) == "200"].iloc[0]
    estimate = score766.total(mine, score766.DEFAULT)
    assert estimate is not None and handled(counters).sum() == 47
    assert table.loc["200", "Điểm ước tính"] == fmt_number(estimate, 1)
    bars = {r["unit_code"]: r for r in _rows(at) if "kind" in r}
    assert bars["100"]["value_text"] == "28,5 (chính thức)"
    assert bars["200"]["value_text"] == f"{fmt_number(estimate, 1)} (ước tính)"
    subtitle = " ".join(_spec(at)["title"]["subtitle"])
    assert "(1/2 đơn vị)" in subtitle and "cách tính của Cổng DVCQG năm 2026" in subtitle
    buttons = [b.proto.label for b in at.get("download_button") if "press_download" in b.proto.id]
    assert buttons == ["Tải PNG", "Tải SVG", "Tải PDF", "Tải CSV", "Tải XLSX"]
