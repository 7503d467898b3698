"""AppTest of "where the month will end" on the overview and under the ranking, on the hand case
of tests/test_outlook.py (figures worked out there): province 27,3% – 72,7%; district 100
(Huyện Một) 33,3% – 66,7% against the general 50 % target, at risk; district 200 (Huyện Hai)
20,0% – 80,0% against its own 20 %, not at risk.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import build
from tests.test_outlook import NOW, ROWS, TARGETS
from ui.status import shape_uri

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'outlook.sqlite'}"
    build(url, ROWS, target_rows=TARGETS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    monkeypatch.delenv("IOC_AUTH_REQUIRED", raising=False)
    return url


def _page_script(page: str) -> None:
    import importlib

    importlib.import_module(f"app_pages.{page}").render()


def test_overview_shows_the_closing_range_and_the_units_at_risk(seeded: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Tỷ lệ hồ sơ đúng hạn"] == "72,7%"  # the top of the range is today's rate
    assert tiles["Tỷ lệ đúng hạn dự kiến cuối tháng"] == "27,3% – 72,7%"
    [line] = [m.value for m in at.markdown if "Có nguy cơ không đạt" in m.value]
    assert line == "**Có nguy cơ không đạt** (cấp huyện): Huyện Một 33,3% – 66,7% (mục tiêu 50,0%)"


def test_the_ranking_lists_each_units_range_at_risk_first(seeded: str) -> None:
    at = AppTest.from_function(_page_script, args=("ranking",), default_timeout=60)
    at.query_params.update({"level": "district"})
    at.run()
    assert not at.exception
    assert "Dự kiến tỷ lệ đúng hạn khi kết thúc kỳ (30/11/2026)" in [s.value for s in at.subheader]
    [frame] = [d.value for d in at.dataframe if "Thấp nhất" in d.value.columns]
    assert isinstance(frame, pd.DataFrame)
    # The at-risk unit's words come with the yellow diamond (an SVG picture) beside them.
    assert frame["status_shape"].fillna("").tolist() == [shape_uri("near"), ""]
    assert frame.drop(columns="status_shape").values.tolist() == [
        ["Huyện Một", "66,7%", "33,3%", 2, "Có nguy cơ không đạt"],
        ["Huyện Hai", "80,0%", "20,0%", 3, ""],
    ]
    assert any(m.value.startswith("**Có nguy cơ không đạt:** Huyện Một 33,3% – 66,7%") for m in at.markdown)


def test_a_closed_month_has_no_range(seeded: str) -> None:
    at = AppTest.from_function(_page_script, args=("ranking",), default_timeout=60)
    at.query_params.update({"level": "district", "period": "2026-10"})
    at.run()
    assert not at.exception
    assert not [d for d in at.dataframe if "Thấp nhất" in d.value.columns]


def test_the_wall_shows_the_range_as_one_figure_and_the_units_at_risk_in_a_line(seeded: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"kiosk": "1", "rotate": "0"})
    at.run()
    assert not at.exception
    [tile] = [m for m in at.metric if m.label == "Đúng hạn dự kiến cuối tháng"]
    # Province 27,3 % – 72,7 % against the general 50 % target: the worst case is below it, the
    # best above → at risk, not out of reach.
    assert tile.value == "27,3–72,7%"
    assert tile.proto.delta == "Có nguy cơ không đạt" and tile.proto.delta_description == "Mục tiêu 50,0%"
    [strip] = [m.value for m in at.markdown if "ioc-strip" in m.value and "nguy cơ" in m.value]
    # District 100 only (Huyện Một, 33,3 % – 66,7 % against 50 %); 200 is on its own 20 % target.
    assert "<b>Có nguy cơ không đạt cuối tháng (1 đơn vị):</b> Một <b>33,3–66,7%</b></div>" in strip
    assert "Hai" not in strip


def test_the_wall_ranking_shows_each_units_range(seeded: str) -> None:
    at = AppTest.from_function(_page_script, args=("ranking",), default_timeout=60)
    at.query_params.update({"kiosk": "1", "level": "district", "metric": "on_time_rate"})
    at.run()
    assert not at.exception
    html = " ".join(m.value for m in at.markdown)
    assert "Đúng hạn cuối tháng (dự kiến)</th>" in html
    # Huyện Một at risk: the diamond and the words; Huyện Hai 20,0 % – 80,0 %, not at risk.
    assert (
        "<td class='n'><span class='ioc-st ioc-st-near'>33,3–66,7%</span></td>"
        "<td class='note'>nguy cơ không đạt" in html
    )
    assert "<td class='n'>20,0–80,0%</td><td class='note'>" in html
