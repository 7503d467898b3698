"""AppTest of the Press room on the seeded province: the preview is the exported chart (its
Vietnamese title and number locale), the table shows the exact suppressed figures that
``exports`` gives, downloads are deferred until clicked, and bad input gets a message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_access.engine import make_engine
from exports import render
from exports.figures import build_figure
from exports.request import ExportRequest
from exports.source import EngineSource
from i18n.format import fmt_pct
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
    buttons = at.get("download_button")
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
