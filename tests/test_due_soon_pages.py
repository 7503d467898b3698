"""AppTest of the due-soon sections on the overview and on my unit, with figures worked by hand.

Monday 23/11/2026 10:00, two working days: Monday and Wednesday 25/11 (Tuesday 24/11, Vietnam
Culture Day, is off); the next working day, the apology's, is Wednesday.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import T, build, dossier

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 23, 10, 0)
ROWS = [
    dossier("p1", "101", T(2026, 11, 18, 9), T(2026, 11, 23, 17)),  # today 17:00: due soon
    dossier("p2", "101", T(2026, 11, 19, 9), T(2026, 11, 25, 17)),  # Wednesday: apology today
    dossier("p3", "201", T(2026, 11, 19, 9), T(2026, 11, 25, 12), procedure_code="1.000002"),  # same
    dossier("p4", "201", T(2026, 11, 19, 9), T(2026, 11, 26, 17)),  # Thursday: not yet
    dossier(
        "p5",
        "201",
        T(2026, 11, 18, 9),
        T(2026, 11, 25, 17),
        status="supplement_requested",
        supplement_requests=1,
        supplement_requested_at=T(2026, 11, 20, 9),
    ),  # clock stopped: not due soon
    dossier("p6", "102", T(2026, 11, 16, 9), T(2026, 11, 20, 17)),  # overdue: the other list
]


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'due.sqlite'}"
    build(url, ROWS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    monkeypatch.delenv("IOC_AUTH_REQUIRED", raising=False)
    monkeypatch.delenv("IOC_DUE_SOON_DAYS", raising=False)
    return url


def _page_script(page: str) -> None:
    import importlib

    importlib.import_module(f"app_pages.{page}").render()


def _due_soon_table(at: AppTest) -> pd.DataFrame:
    [table] = [t.value for t in at.table if "Hạn sớm nhất" in t.value.columns]
    return table


def test_overview_lists_the_dossiers_due_soon(seeded: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [s.value for s in at.subheader if s.value.startswith("Hồ sơ sắp đến hạn")] == [
        "Hồ sơ sắp đến hạn (2 ngày làm việc)"
    ]
    # p1, p2, p3: 3 due by the end of Wednesday 25/11; p2 and p3 due Wednesday → apology today.
    captions = [c.value for c in at.caption]
    assert any(c.startswith("3 hồ sơ đang xử lý đến hạn từ nay đến hết ngày 25/11/2026") for c in captions)
    assert any("2 hồ sơ đến hạn ngày 25/11/2026: hôm nay là ngày cuối" in m.value for m in at.markdown)
    table = _due_soon_table(at)
    assert table[["Cơ quan", "Số hồ sơ", "Hạn cuối xin lỗi hôm nay", "Hạn sớm nhất"]].values.tolist() == [
        ["Một cửa Xã Một A", "2", "1", "17:00 23/11"],
        ["Một cửa Xã Hai A", "1", "1", "12:00 25/11"],
    ]


def test_my_unit_lists_its_own_dossiers_due_soon(seeded: str) -> None:
    at = AppTest.from_function(_page_script, args=("my_unit",), default_timeout=60)
    at.query_params.update({"unit": "100"})
    at.run()
    assert not at.exception
    # District 100 holds commune 101's p1 and p2 (p6 of 102 is overdue): 2, one apology today.
    assert any(c.value.startswith("2 hồ sơ đang xử lý đến hạn") for c in at.caption)
    assert any("1 hồ sơ đến hạn ngày 25/11/2026" in m.value for m in at.markdown)
    table = _due_soon_table(at)
    assert table[["Cơ quan", "Thủ tục", "Số hồ sơ"]].values.tolist() == [
        ["Một cửa Xã Một A", "Đăng ký khai sinh", "2"]
    ]


def test_nothing_due_soon_says_so_in_english(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_NOW", "2026-11-26T18:00:00")  # Thursday, after every due time: to Friday
    at = AppTest.from_function(_page_script, args=("my_unit",), default_timeout=60)
    at.query_params.update({"unit": "200", "lang": "en"})
    at.run()
    assert not at.exception
    assert any(
        s.value == "No dossier in progress falls due between now and the end of 27/11/2026."
        for s in at.success
    )


def test_the_wall_shows_due_soon_as_a_tile_and_a_strip(seeded: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"kiosk": "1", "rotate": "0"})
    at.run()
    assert not at.exception
    [tile] = [m for m in at.metric if m.label == "Sắp đến hạn"]
    # p1, p2, p3 fall due by the end of Wednesday 25/11 (the window's last day); p2 and p3 on
    # Wednesday, the next working day: today is their apology's last day → 2.
    assert tile.value == "3"
    assert tile.proto.delta == "2 hạn xin lỗi hôm nay" and tile.proto.delta_description == "đến hết 25/11"
    # By agency, the most first: Một cửa Xã Một A holds p1 and p2 (2), Một cửa Xã Hai A p3 (1).
    [strip] = [m.value for m in at.markdown if "ioc-strip" in m.value and "Sắp đến hạn" in m.value]
    assert (
        "<b>Sắp đến hạn (2 ngày làm việc):</b> Một cửa Xã Một A <b>2</b> · Một cửa Xã Hai A <b>1</b></div>"
        in strip
    )
    # The wall has no room for the list itself: no table titled "Hạn sớm nhất".
    assert not [t for t in at.table if "Hạn sớm nhất" in t.value.columns]
