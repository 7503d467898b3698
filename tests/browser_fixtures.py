"""The browser tests' shared world: one headless Chromium, one small sample province served by
``streamlit run app.py`` on a frozen clock, and one walk through every screen.

The three modules that look at the sample through a browser (``test_browser_wall``,
``test_browser_wall_layout``, ``test_browser_charts``) share these session fixtures; the xdist
scheduler of ``tests/conftest.py`` keeps them on one worker so the sample is built, the server
started and every screen opened once (the screens' first, cold runs are the costly part).
Without /usr/bin/chromium the browser tests are skipped, except under CI (``CI`` set), where that
is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ops.soak import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SAMPLE_DAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 11, 0)  # the sample's own "now" for that day

#: Debian's Chromium, driven by Playwright (which never downloads a browser of its own here),
#: with the soak run's flags (no background networking, or "offline" would fail).
CHROMIUM = Path("/usr/bin/chromium")

#: The modules that share :func:`server` (the conftest's scheduler runs them on one worker).
SHARED_SERVER_MODULES = ("test_browser_wall.py", "test_browser_wall_layout.py", "test_browser_charts.py")

#: Every screen of the menu, by url path, and the wall screens again in kiosk mode: the walk of
#: :func:`screen_walk`.
EVERY_SCREEN = (
    "",
    "map",
    "ranking",
    "my-unit",
    "satisfaction",
    "online",
    "feedback",
    "processing",
    "press",
    "quality",
)
KIOSK_SCREENS = ("", "map", "ranking")


def need_chromium() -> None:
    """Skip the calling module without Chromium (fail under CI)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI for the browser tests", pytrace=False)
        pytest.skip(f"{CHROMIUM} not installed (Debian package chromium)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(base: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{base} never became healthy")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium for a module's browser tests (each module skips itself without it).

    A module's, not the session's: Playwright's sync API keeps an event loop running while it is
    open, and a later module's ``asyncio.run`` (the load run's) would refuse to start."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from sample_data.generate import build_sample

    url = f"sqlite:///{tmp_path_factory.mktemp('wall') / 'sample.sqlite'}"
    build_sample(url, scale=0.03, today=SAMPLE_DAY)
    return url


@pytest.fixture(scope="session")
def server(sample_url: str) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "IOC_DATABASE_URL": sample_url, "IOC_NOW": NOW.isoformat(), "IOC_LANGUAGE": "vi"}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@dataclass
class Visit:
    """What one screen showed once its script run was over and it had drawn."""

    settled: bool
    exceptions: int
    headings: int
    symbols: list[str]
    screenshot: Path


@dataclass
class Walk:
    """Every screen opened in turn, in one tab at 1920×1080: each visit by its path and query,
    and every request that left the dashboard's own host."""

    visits: dict[str, Visit] = field(default_factory=dict)
    foreign: set[str] = field(default_factory=set)


@pytest.fixture(scope="session")
def walks() -> dict[str, Walk]:
    """The walks made so far, by server: a walk is data, kept beyond the browser that made it."""
    return {}


@pytest.fixture(scope="module")
def screen_walk(server: str, browser: Any, walks: dict[str, Walk]) -> Walk:
    """Every screen opened once (and the wall screens in kiosk mode), with what each showed: the
    tests of ``test_browser_wall`` (every screen opens, offline) and of
    ``test_browser_wall_layout`` (no emoji or symbol glyph) read the same visits."""
    if server not in walks:
        walks[server] = _walk(server, browser)
    return walks[server]


def _walk(server: str, browser: Any) -> Walk:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from tests.wall_measure import SYMBOLS_JS, settle

    ARTIFACTS.mkdir(exist_ok=True)
    walk = Walk()
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.on("request", lambda r: walk.foreign.add(r.url) if not r.url.startswith(server) else None)
    for screen in EVERY_SCREEN:
        for query in ("", "?kiosk=1&rotate=0") if screen in KIOSK_SCREENS else ("",):
            where = f"/{screen}{query}"
            page.goto(server + where)
            try:
                settle(page)
                settled = True
            except PlaywrightTimeout:
                settled = False
            name = (screen or "overview") + ("-kiosk" if query else "")
            shot = ARTIFACTS / f"screen-{name}.png"
            page.screenshot(path=str(shot))
            walk.visits[where] = Visit(
                settled=settled,
                exceptions=page.locator("[data-testid='stException']").count(),
                headings=page.locator("h1").count(),
                symbols=page.evaluate(SYMBOLS_JS),
                screenshot=shot,
            )
    page.close()
    return walk
