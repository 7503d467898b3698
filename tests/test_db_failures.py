"""A failing database, for real: a PostgreSQL server of the test's own is stopped and restarted
under a running app (AppTest), and every start-up failure gets a clear Vietnamese message."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import settings
from data_access.engine import make_engine
from data_access.schema import create_schema
from tests.builders import build
from tests.pg_server import OwnPostgres, binaries
from tests.test_app_overview import ROWS

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 23, 10, 0)
ON_TIME = "Tỷ lệ hồ sơ đúng hạn"


@pytest.fixture(scope="module")
def server() -> Iterator[OwnPostgres]:
    if binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's postgresql package for the outage test")
        pytest.skip("PostgreSQL server binaries are not installed")
    own = OwnPostgres()
    own.start()
    yield own
    own.destroy()


def _app(monkeypatch: pytest.MonkeyPatch, url: str, now: dt.datetime = NOW) -> AppTest:
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", now.isoformat())
    # Stale after the shortest refresh interval; no back-off, below the bound a deployment
    # gets (the test moves the frozen clock instead of waiting).
    monkeypatch.setenv("IOC_REFRESH_SECONDS", "5")
    monkeypatch.setenv("IOC_STALE_AFTER_SECONDS", "5")
    retry = dataclasses.replace(settings.SETTINGS["IOC_RETRY_MIN_SECONDS"], low=0)
    monkeypatch.setitem(settings.SETTINGS, "IOC_RETRY_MIN_SECONDS", retry)
    monkeypatch.setenv("IOC_RETRY_MIN_SECONDS", "0")
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def _on_time(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label.startswith(ON_TIME))


def _errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def test_outage_keeps_last_figures_and_recovers(server: OwnPostgres, monkeypatch: pytest.MonkeyPatch) -> None:
    url = server.url(database="postgres")
    build(url, ROWS, sample=True).dispose()
    at = _app(monkeypatch, url).run()
    assert not at.exception
    assert _on_time(at) == "50,0%"
    assert "Mất kết nối" not in _errors(at)

    server.stop()  # the database goes away under the running app
    try:
        # The next refresh interval: 30 s later the figures are asked for again and fail.
        monkeypatch.setenv("IOC_NOW", (NOW + dt.timedelta(seconds=30)).isoformat())
        at.run()
        assert not at.exception
        assert _on_time(at) == "50,0%"  # the last good figures stay on screen
        assert "Mất kết nối cơ sở dữ liệu từ 10:00:00" in _errors(at)
    finally:
        server.start()

    # The database is back: the next interval recovers by itself, without a reload.
    monkeypatch.setenv("IOC_NOW", (NOW + dt.timedelta(seconds=60)).isoformat())
    at.run()
    assert not at.exception
    assert _on_time(at) == "50,0%"
    assert "Mất kết nối" not in _errors(at)
    assert any("Cập nhật lúc 10:01:00" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unreachable", "Không kết nối được máy chủ cơ sở dữ liệu"),
        ("wrong_password", "từ chối đăng nhập: sai tên người dùng hoặc mật khẩu"),
        ("no_database", "Cơ sở dữ liệu đã cấu hình không tồn tại"),
        ("no_tables", "Cơ sở dữ liệu chưa có các bảng của hệ thống"),
        ("empty", "Cơ sở dữ liệu chưa có dữ liệu"),
    ],
)
def test_start_up_failures_say_what_is_wrong(
    server: OwnPostgres, monkeypatch: pytest.MonkeyPatch, case: str, message: str
) -> None:
    if case in ("no_tables", "empty"):
        admin = make_engine(server.url(), read_only=False)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {case}")
            conn.exec_driver_sql(f"CREATE DATABASE {case}")
        admin.dispose()
        if case == "empty":
            engine = make_engine(server.url(database=case), read_only=False)
            create_schema(engine)
            engine.dispose()
    url = {
        "unreachable": "postgresql+psycopg://ioc:x@127.0.0.1:1/none",
        "wrong_password": server.url(password="wrong"),
        "no_database": server.url(database="nope"),
    }.get(case, server.url(database=case))
    at = _app(monkeypatch, url).run()
    assert not at.exception
    text = _errors(at)
    assert "Không đọc được cơ sở dữ liệu" in text
    assert message in text
    assert "Traceback" not in text and "psycopg" not in text
