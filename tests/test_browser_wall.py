"""The wall in a real headless Chromium: what only a browser shows.

``streamlit run app.py`` on a small sample province (frozen clock), then the kiosk URL
``/?kiosk=1&rotate=8&screens=overview,map``: the overview draws its figures with Streamlit's
chrome and navigation hidden, the rotation reaches the map (whose canvas draws) and comes back to
the overview with its URL parameters, the periodic reload happens (on a fake clock) only when the
server answers, no request leaves the dashboard's own host, and every screen of the menu opens
(the walk of ``tests/browser_fixtures.py``). Screenshots go to ``test-artifacts/``. Without
/usr/bin/chromium the test is skipped, except under CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import io
import time
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from data_access.engine import make_engine
from data_access.queries import unit_counters
from i18n.format import fmt_int, fmt_pct
from metrics.tables import unit_metrics
from tests.browser_fixtures import ARTIFACTS, NOW, Walk, need_chromium
from tests.wall_measure import APP_SETTLED
from timebase.period import month_to_date

ROTATE = 8
#: The overdue list: a table (the wall's own in kiosk mode), or a "nothing overdue" message.
OVERDUE = "[data-testid='stTable'], .ioc-overdue, [data-testid='stAlert']"

need_chromium()

from playwright.sync_api import Browser, Page  # noqa: E402


def _expected_tiles(url: str) -> tuple[str, str]:
    """The on-time rate and dossiers received of the month to date, as the tiles show them."""
    engine = make_engine(url)
    try:
        row = unit_metrics(unit_counters(engine, "province", month_to_date(NOW))).iloc[0]
    finally:
        engine.dispose()
    return fmt_pct(row["on_time_rate"]), fmt_int(row["received"])


def _tile_value(page: Page, label: str) -> str:
    tile = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return tile.locator("[data-testid='stMetricValue']").inner_text().strip()


def _settled(page: Page, *selectors: str) -> None:
    """Wait until the script run is over and the given elements are on screen."""
    page.wait_for_selector(APP_SETTLED, timeout=60_000)
    for selector in selectors:
        page.wait_for_selector(selector, timeout=60_000)


def _wait_drawn(page: Page, selector: str, timeout: float = 60) -> bytes:
    """Wait until the element shows a picture (many distinct colours, not an empty canvas);
    returns the screenshot of the whole page taken at that moment."""
    deadline = time.monotonic() + timeout
    while True:
        box = page.locator(selector).first.bounding_box()
        shot = page.screenshot()
        if box and box["width"] > 0 and box["height"] > 0:
            area = (box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"])
            colours = Image.open(io.BytesIO(shot)).convert("RGB").crop(area).getcolors(maxcolors=1 << 16)
            if colours is None or len(colours) > 200:  # None: more than 65,536 colours
                return shot
        if time.monotonic() > deadline:
            raise AssertionError(f"{selector} stayed blank")
        page.wait_for_timeout(300)


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_kiosk_wall_rotates_offline(server: str, sample_url: str, browser: Browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    wall = f"{server}/?kiosk=1&rotate={ROTATE}&screens=overview,map"
    page.goto(wall)
    _settled(page, "[data-testid='stMetric']", ".ioc-board", OVERDUE)

    on_time, received = _expected_tiles(sample_url)
    assert _tile_value(page, "Tỷ lệ hồ sơ đúng hạn") == on_time
    assert _tile_value(page, "Hồ sơ tiếp nhận") == received
    assert page.get_by_text("Dữ liệu mẫu").first.is_visible()
    assert page.get_by_text("Cập nhật lúc 11:00:00").first.is_visible()
    # Kiosk: no navigation menu, no header or toolbar, no sidebar.
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert not page.locator("[data-testid='stHeader']").is_visible()
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    page.screenshot(path=str(ARTIFACTS / "wall_overview.png"))

    page.wait_for_url("**/map?**", timeout=(ROTATE + 30) * 1000)
    assert _params(page.url) == {"kiosk": ["1"], "rotate": [str(ROTATE)], "screens": ["overview,map"]}
    page.wait_for_function(
        "[...document.querySelectorAll('canvas')].some(c => c.width > 0 && c.height > 0)", timeout=60_000
    )
    (ARTIFACTS / "wall_map.png").write_bytes(_wait_drawn(page, "canvas"))
    assert urlsplit(page.url).path == "/map"  # drawn while the map was on screen

    page.wait_for_url(lambda url: urlsplit(url).path == "/", timeout=(ROTATE + 30) * 1000)
    assert _params(page.url) == {"kiosk": ["1"], "rotate": [str(ROTATE)], "screens": ["overview,map"]}
    _settled(page, "h1:has-text('Tổng quan')", "[data-testid='stMetric']")
    page.screenshot(path=str(ARTIFACTS / "wall_back_to_overview.png"))

    own = urlsplit(server).netloc
    foreign = sorted({urlsplit(u).netloc for u in requests} - {own})
    assert requests and not foreign, f"requests to other hosts: {foreign}"
    page.close()


def test_menu_is_there_without_kiosk(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/")
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    assert page.locator("[data-testid='stSidebarNav']").count() == 1
    page.close()


def test_periodic_reload_only_when_the_server_answers(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.clock.install()  # the page's timers run on a clock the test moves
    wall = f"{server}/?kiosk=1&rotate=0&lang=en"
    page.goto(wall)
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    page.evaluate("window.iocLoaded = 'first'")
    page.route("**/_stcore/health", lambda route: route.fulfill(status=503, body="down"))
    page.clock.fast_forward(61 * 60_000)  # past IOC_RELOAD_MINUTES (60), but the server "is down"
    page.wait_for_timeout(1000)
    assert page.evaluate("window.iocLoaded") == "first"
    page.unroute("**/_stcore/health")
    with page.expect_navigation(timeout=30_000):
        page.clock.fast_forward(31_000)  # the retry, 30 s later, finds the server healthy
    assert page.url == wall
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    assert page.evaluate("window.iocLoaded") is None
    page.close()


OTHER_SCREENS = ("ranking", "my-unit", "satisfaction", "online", "feedback", "processing", "press", "quality")


def test_every_screen_opens_without_error_and_offline(screen_walk: Walk) -> None:
    """Each screen of the menu, opened in turn (the shared walk: ``screen-*.png``), ends its run
    with a heading and no exception, and no request leaves the dashboard's host."""
    for screen in OTHER_SCREENS:
        visit = screen_walk.visits[f"/{screen}"]
        assert visit.settled, f"{screen} never settled with a heading ({visit.screenshot})"
        assert visit.exceptions == 0, screen
        assert visit.headings >= 1, screen
    assert not screen_walk.foreign, f"requests to other hosts: {sorted(screen_walk.foreign)}"
