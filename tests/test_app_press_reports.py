"""AppTest of the press room's "Báo cáo" section on the hand-worked province of
``tests/form06_seed.py``: the preview shows exactly the rows ``exports.form06`` builds (the
October figures worked out there), the layout and level pickers change the table, and the XLSX
and PDF downloads are deferred until clicked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from exports import form06_pdf, form06_xlsx
from tests.form06_seed import NOW, seed
from ui.report_views import period_tokens

SCRIPT = "from app_pages import press\npress.render()\n"


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = seed(f"sqlite:///{tmp_path / 'f06.sqlite'}")
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    monkeypatch.setenv("IOC_MIN_DOSSIERS", "0")
    return url


def _table(at: AppTest) -> list[list[str]]:
    frame = at.dataframe[-1].value  # the section's table comes after the chart's
    return frame.astype(str).values.tolist()


def test_period_choices_start_with_this_quarter() -> None:
    tokens = period_tokens(dt.datetime(2026, 2, 10, 9))
    assert tokens[:5] == ["2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]
    assert tokens[5:10] == ["2026-H1", "2025-H2", "2025-H1", "2026", "2025"]  # 2026-H2 has not begun
    assert tokens[10:12] == ["2026-02", "2026-01"] and len(tokens) == 22


def test_reports_section_preview_and_deferred_downloads(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(form06_xlsx, "to_xlsx", lambda doc: calls.append("xlsx") or b"")
    monkeypatch.setattr(form06_pdf, "to_pdf", lambda doc: calls.append("pdf") or b"")
    at = AppTest.from_string(SCRIPT, default_timeout=60).run()
    assert not at.exception
    assert "Báo cáo" in [h.value for h in at.subheader]
    at.selectbox(key="rep_period").set_value("2026-10").run()
    assert not at.exception
    rows = _table(at)
    # The province total and the communes of district 100, as worked out in form06_seed.
    assert rows[0][1:5] == ["TỔNG CỘNG TOÀN TỈNH", "12", "4", "4"]
    assert [r[0] for r in rows] == ["", "I", "1", "II", "1", "1.1", "1.2", "1.3", "2", "2.1", "2.2"]
    assert rows[6][1].strip() == "Xã Một A" and rows[6][2:] == [
        "3",
        "1",
        "1",
        "1",
        "2",
        "1",
        "0",
        "1",
        "1",
        "0",
        "1",
    ]
    columns = list(at.dataframe[-1].value.columns)
    assert (
        columns[:3] == ["(1) STT", "(2) Đơn vị", "(3) Tổng số"]
        and columns[3] == "(4) Số mới tiếp nhận trực tuyến"
    )
    buttons = [b for b in at.get("download_button") if b.proto.id and "rep_download" in b.proto.id]
    assert [b.proto.label for b in buttons] == ["Tải Biểu 06 (XLSX)", "Tải Biểu 06 (PDF)"]
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons)
    assert calls == []  # nothing rendered on the run


def test_by_field_and_down_to_districts(seeded: str) -> None:
    at = AppTest.from_string(SCRIPT, default_timeout=60).run()
    at.selectbox(key="rep_period").set_value("2026-10").run()
    at.selectbox(key="rep_level").set_value("district").run()
    assert [r[1].strip() for r in _table(at)][3:] == ["Các đơn vị cấp huyện", "Huyện Một", "Huyện Hai"]
    at.selectbox(key="rep_by").set_value("field").run()
    assert not at.exception
    rows = _table(at)
    assert [r[1].strip() for r in rows][:2] == ["TỔNG CỘNG TOÀN TỈNH", "Đơn vị cấp tỉnh"]
    assert rows[0][2] == "12" and at.get("selectbox") is not None
