"""A running server and a real browser, while the database changes under them.

- The SQLite file is replaced by another database (as ``cli.py sample`` or ``mv`` does): the
  pooled connections would go on reading the old file, so the new figures must appear within one
  refresh interval, in the open page and in a new one; the file deleted: a red warning at once.
- A PostgreSQL server of the test's own is down when a screen is first opened: the screen shows
  the error, and once the server is up again it shows its figures by itself, with no reload.

Without /usr/bin/chromium the tests are skipped, except under CI (``CI`` set).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser_fixtures import ROOT, free_port, need_chromium, wait_healthy
from tests.builders import build
from tests.test_app_overview import NOW, ROWS
from tests.test_db_file import OTHER_ROWS
from tests.wall_measure import APP_SETTLED

need_chromium()

REFRESH = 5
ON_TIME = "Tỷ lệ hồ sơ đúng hạn"


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    settings = {"IOC_NOW": NOW.isoformat(), "IOC_LANGUAGE": "vi", "IOC_REFRESH_SECONDS": str(REFRESH)}
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **settings, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
    except BaseException:
        proc.terminate()
        raise
    return proc, base


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _tile(page: Page, label: str) -> str:
    tile = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return tile.locator("[data-testid='stMetricValue']").inner_text().strip()


def _wait_tile(page: Page, label: str, value: str, timeout_s: float) -> float:
    """Seconds until the tile ``label`` shows ``value`` (fails after ``timeout_s``)."""
    started = time.monotonic()
    page.wait_for_function(
        """([label, value]) => [...document.querySelectorAll("[data-testid='stMetric']")].some(
             m => m.innerText.includes(label) &&
                  m.querySelector("[data-testid='stMetricValue']")?.innerText.trim() === value)""",
        arg=[label, value],
        timeout=timeout_s * 1000,
    )
    return time.monotonic() - started


def _wait_text(page: Page, text: str, timeout_s: float) -> float:
    started = time.monotonic()
    page.get_by_text(text).first.wait_for(timeout=timeout_s * 1000)
    return time.monotonic() - started


def test_a_replaced_or_deleted_sqlite_file_is_noticed_within_one_refresh(
    tmp_path: Path, browser: Browser
) -> None:
    live = tmp_path / "ioc.sqlite"
    build(f"sqlite:///{live}", ROWS, sample=True).dispose()
    proc, base = _serve({"IOC_DATABASE_URL": f"sqlite:///{live}"})
    try:
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{base}/")
        page.wait_for_selector(APP_SETTLED, timeout=60_000)
        _wait_tile(page, ON_TIME, "50,0%", 60)

        # Rebuilt beside it and renamed over it, as cli.py sample does (and `mv new old`).
        fresh = tmp_path / "fresh.sqlite"
        build(f"sqlite:///{fresh}", OTHER_ROWS, sample=True).dispose()
        os.replace(fresh, live)
        took = _wait_tile(page, ON_TIME, "75,0%", REFRESH + 3)
        assert took <= REFRESH + 3
        assert page.get_by_text("Cập nhật lúc 10:00:00").first.is_visible()

        other = browser.new_page(viewport={"width": 1920, "height": 1080})
        other.goto(f"{base}/")
        other.wait_for_selector(APP_SETTLED, timeout=60_000)
        _wait_tile(other, ON_TIME, "75,0%", 30)
        assert _tile(other, ON_TIME) == "75,0%"
        other.close()

        # Deleted: the last figures under a red warning, at once, never under "Cập nhật lúc".
        for suffix in ("", "-wal", "-shm"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        _wait_text(page, "Mất kết nối cơ sở dữ liệu từ 10:00:00", REFRESH + 3)
        assert page.locator("[data-testid='stAlertContentError']").first.is_visible()
        assert page.get_by_text("Cập nhật lúc").count() == 0

        # Back again: the screen recovers by itself (a refresh, and a page of cold queries).
        build(f"sqlite:///{fresh}", ROWS, sample=True).dispose()
        os.replace(fresh, live)
        try:
            _wait_tile(page, ON_TIME, "50,0%", 2 * REFRESH + 5)
        except Exception:
            text = page.locator("[data-testid='stMain']").inner_text()
            raise AssertionError(f"not back: {text[:800]}") from None
        page.close()
    finally:
        _stop(proc)


#: Screens opened while the database is down: each has no live part of its own.
DOWN_SCREENS = ("/ranking", "/map", "/online", "/ranking?kiosk=1&screens=ranking&rotate=0")


def test_screens_opened_during_an_outage_recover_by_themselves(browser: Browser) -> None:
    from tests.pg_server import OwnPostgres, binaries

    if binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's postgresql package for the outage test")
        pytest.skip("PostgreSQL server binaries are not installed")
    own = OwnPostgres()
    proc = None
    try:
        own.start()
        url = own.url()
        build(url, ROWS, sample=True).dispose()
        own.stop()
        proc, base = _serve({"IOC_DATABASE_URL": url, "IOC_RETRY_MIN_SECONDS": "2"})
        pages = [browser.new_page(viewport={"width": 1600, "height": 1000}) for _ in DOWN_SCREENS]
        for screen, page in zip(DOWN_SCREENS, pages, strict=True):  # all at once: a short outage
            page.goto(f"{base}{screen}", wait_until="commit")
        waits = []
        for page in pages:
            _wait_text(page, "Không đọc được cơ sở dữ liệu", 60)
            assert page.get_by_text("Không kết nối được máy chủ cơ sở dữ liệu").first.is_visible()
            assert page.get_by_text("Cập nhật lúc").count() == 0
            waits.append(page.get_by_text("Hệ thống tự thử lại sau").first.inner_text())

        own.start()  # no reload from here on: each screen must try again by itself
        started = time.monotonic()
        for screen, page in zip(DOWN_SCREENS, pages, strict=True):
            try:
                _wait_text(page, "Cập nhật lúc", max(1.0, 30 - (time.monotonic() - started)))
            except Exception:
                page.screenshot(path=str(ROOT / "test-artifacts" / "recovery-failed.png"), full_page=True)
                text = page.locator("[data-testid='stMain']").inner_text()
                raise AssertionError(
                    f"{screen} did not recover within 30 s ({waits}): {text[-600:]}"
                ) from None
            page.wait_for_selector(APP_SETTLED, timeout=30_000)
            assert page.locator("[data-testid='stAlertContentError']").count() == 0, screen
            assert page.locator("[data-testid='stException']").count() == 0, screen
            page.close()
        assert time.monotonic() - started <= 30
    finally:
        if proc is not None:
            _stop(proc)
        own.destroy()
