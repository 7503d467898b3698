"""The SQLite file replaced or deleted under a running app (AppTest: the engine and the caches
live on in the process between runs, as on a server): the next run reads the new file, or flags
the last figures under a red warning at once, and never shows the old file's figures as current."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import T, build, dossier
from tests.test_app_overview import NOW, ROWS

ROOT = Path(__file__).resolve().parent.parent
ON_TIME = "Tỷ lệ hồ sơ đúng hạn"
#: The same province with x2 finished on time too: x1, x2, y1 of x1, x2, y1, y2 = 3/4.
OTHER_ROWS = [
    dossier("x2", "102", T(2026, 11, 2, 9), T(2026, 11, 5, 17), finished_at=T(2026, 11, 4, 9))
    if row["dossier_code"] == "x2"
    else row
    for row in ROWS
]


def _on_time(at: AppTest) -> list[str]:
    return [m.value for m in at.metric if m.label == ON_TIME]


def test_replaced_then_deleted_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import data

    live = tmp_path / "ioc.sqlite"
    build(f"sqlite:///{live}", ROWS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", f"sqlite:///{live}")
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    monkeypatch.setattr(data, "FILE_CHECK_SECONDS", 0.0)  # every run looks (the server: once a second)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert _on_time(at) == ["50,0%"]
    pooled = data.engine(f"sqlite:///{live}")

    fresh = tmp_path / "fresh.sqlite"
    build(f"sqlite:///{fresh}", OTHER_ROWS, sample=True).dispose()
    os.replace(fresh, live)
    at.run()
    assert not at.exception
    assert _on_time(at) == ["75,0%"]  # the same clock, so the same cache keys: the caches were dropped
    assert data.engine(f"sqlite:///{live}") is not pooled  # reopened

    for suffix in ("", "-wal", "-shm"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    at.run()
    assert not at.exception
    # Deleted: the last figures stay, flagged at once (not after IOC_STALE_AFTER_SECONDS), never
    # under "Cập nhật lúc".
    assert _on_time(at) == ["75,0%"]
    assert [e.value for e in at.error] == [
        "Mất kết nối cơ sở dữ liệu từ 10:00:00 23/11/2026 — đang hiển thị số liệu cuối cùng"
    ]
    assert not any("Cập nhật lúc" in c.value for c in at.caption)
    at.run()  # and so on the next refresh, while queries wait for their back-off
    assert len(at.error) == 1 and not any("Cập nhật lúc" in c.value for c in at.caption)

    # A file there again is read at the next run, not after the back-off of the failed queries.
    build(f"sqlite:///{fresh}", ROWS, sample=True).dispose()
    os.replace(fresh, live)
    at.run()
    assert not at.exception and not at.error
    assert _on_time(at) == ["50,0%"]
    assert any("Cập nhật lúc 10:00:00" in c.value for c in at.caption)
