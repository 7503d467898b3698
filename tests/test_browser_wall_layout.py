"""The wall read from ten metres, in a real headless Chromium (issue 23 items 1, 2 and 8).

On the small sample province (the server of ``tests/test_browser_wall.py``), each wall screen in
kiosk mode at 1920×1080: at least 90 % of its visible characters at 28 px or more (computed from
the rendered text nodes and their computed font sizes: ``tests/wall_measure.py``), tile figures at
80 px or more, no scrolling, no input widget; the overview at 3840×2160 lays out the same with
twice the type; no emoji or symbol glyph on any screen; the three status colours of the map's
legend stay apart under simulated deuteranopia and protanopia; and the overview on a 390×844
phone has its tiles stacked with no horizontal scrolling. The wall overview shows, inside the
screen at 1920×1080 and at 4K, where the month will end and the dossiers due soon (issue 25: two
tiles and two one-line strips). The browser tab's icon is the shipped PNG, not an emoji.
Measurements go to ``test-artifacts/wall_layout.json`` and the screenshots beside it.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import urllib.request

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from tests.browser_fixtures import ARTIFACTS, ROOT, Walk, need_chromium
from tests.test_browser_wall import _wait_drawn
from tests.wall_measure import MEASURE_JS, WALL_PX, settle

need_chromium()

#: The wall screens and the URLs they rotate with (the ranking also at its longest level).
WALL_URLS = {
    "overview": "/?kiosk=1&rotate=0",
    "map": "/map?kiosk=1&rotate=0",
    "ranking": "/ranking?kiosk=1&rotate=0",
    "ranking-communes": "/ranking?kiosk=1&rotate=0&level=commune&metric=on_time_rate",
}
INPUTS = (
    "[data-testid='stSelectbox'], [data-testid='stRadio'], [data-testid='stTextInput'], "
    "[data-testid='stDateInput'], [data-testid='stMultiSelect'], [data-testid='stButton'], "
    "[data-testid='stSlider'], [data-testid='stCheckbox']"
)
#: Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
DEUTERANOPIA = np.array(
    [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]]
)
PROTANOPIA = np.array(
    [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
)
#: The smallest distance (sRGB, 0–255 a channel) two status colours keep under either simulation.
MIN_CVD_DISTANCE = 80
#: Issue 25 on the wall overview: the month-end and due-soon tiles, and their one-line strips.
ISSUE_25 = (
    ".st-key-wall-tile-close_range [data-testid='stMetric']",
    ".st-key-wall-tile-due_soon [data-testid='stMetric']",
    ".st-key-wall-due-soon .ioc-strip",
    ".st-key-wall-at-risk .ioc-strip",
)
RESULTS: dict[str, dict[str, object]] = {}


def _record(name: str, figures: dict[str, object]) -> None:
    RESULTS[name] = figures
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "wall_layout.json").write_text(
        json.dumps(RESULTS, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def _issue_25_on_screen(page: Page, width: int, height: int) -> dict[str, object]:
    """Each issue-25 part of the wall overview is there once, drawn and wholly inside the screen;
    the month-end figure reads as a range ("93,4–98,3%") and the due-soon figure as a count."""
    boxes = {}
    for selector in ISSUE_25:
        found = page.locator(selector)
        assert found.count() == 1, selector
        box = found.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, selector
        assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, (selector, box)
        boxes[selector] = [round(box[k]) for k in ("x", "y", "width", "height")]
    close = page.locator(ISSUE_25[0]).locator("[data-testid='stMetricValue']").inner_text().strip()
    due = page.locator(ISSUE_25[1]).locator("[data-testid='stMetricValue']").inner_text().strip()
    assert re.fullmatch(r"\d{1,3},\d–(\d{1,2},\d|100)%|(\d{1,2},\d|100)%", close), close
    assert re.fullmatch(r"\d[\d.]*", due), due
    return {"close_range": close, "due_soon": due, "boxes": boxes}


def _open(page: Page, url: str, drawn: str | None = None) -> None:
    page.goto(url)
    settle(page)
    if drawn:
        page.wait_for_function(
            "[...document.querySelectorAll('canvas')].some(c => c.width > 0 && c.height > 0)", timeout=60_000
        )
        _wait_drawn(page, drawn)


@pytest.mark.parametrize("screen", list(WALL_URLS))
def test_wall_screen_fits_and_reads_from_ten_metres(screen: str, server: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    _open(page, server + WALL_URLS[screen], "canvas" if screen == "map" else None)
    figures = page.evaluate(MEASURE_JS)
    page.screenshot(path=str(ARTIFACTS / f"wall_layout_{screen}.png"))
    _record(
        screen,
        {k: figures[k] for k in ("share", "total", "scroll_y", "scroll_x")}
        | {"small": figures["small"][:10]},
    )
    assert page.locator("[data-testid='stException']").count() == 0
    assert figures["total"] > 100, "the screen shows almost no text"
    assert figures["share"] >= 0.9, (
        f"{figures['share']:.0%} at ≥ {WALL_PX} px; smaller: {figures['small'][:10]}"
    )
    assert figures["scroll_y"] <= 0 and figures["scroll_x"] <= 0, figures
    assert page.locator(INPUTS).count() == 0, "an input widget on a wall screen"
    if screen == "overview":
        sizes = page.eval_on_selector_all(
            "[data-testid='stMetricValue'] p", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        # Ten tiles: the nine of issue 23 less today's intake (the received tile's second line on
        # the wall), plus where the month will end and the dossiers due soon.
        assert len(sizes) == 10 and min(sizes) >= 80, sizes
        _record("overview-issue-25", _issue_25_on_screen(page, 1920, 1080))
    if screen.startswith("ranking"):
        assert page.locator(".ioc-rank tbody tr").count() >= 3
    if screen == "map":  # the schematic note under the map once sat half under the update time
        note = page.locator(".ioc-map-note").bounding_box()
        updated = page.get_by_text("Cập nhật lúc").first.bounding_box()
        assert note and updated and note["y"] + note["height"] <= updated["y"], (note, updated)
    page.close()


def test_the_wall_scales_on_a_4k_screen(server: str, browser: Browser) -> None:
    for screen in ("overview", "ranking"):
        page = browser.new_page(viewport={"width": 3840, "height": 2160})
        _open(page, server + WALL_URLS[screen])
        figures = page.evaluate(MEASURE_JS)
        root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        _record(
            f"{screen}-4k",
            {"root_px": root, "share_at_28px": figures["share"], "scroll_y": figures["scroll_y"]},
        )
        assert root == pytest.approx(56, abs=0.1)  # twice 1920×1080's 28 px: the same layout, sharp
        assert figures["scroll_y"] <= 0 and figures["scroll_x"] <= 0, figures
        assert figures["share"] >= 0.9, figures["small"][:10]
        if screen == "overview":
            _record("overview-4k-issue-25", _issue_25_on_screen(page, 3840, 2160))
        page.close()


def test_the_tab_icon_is_the_shipped_picture_not_an_emoji(server: str, browser: Browser) -> None:
    page = browser.new_page()
    _open(page, server + "/")
    hrefs = page.eval_on_selector_all("link[rel~='icon']", "els => els.map(e => e.href)")
    page.close()
    assert len(hrefs) == 1 and hrefs[0].startswith(server + "/"), hrefs  # served here, not a data: URL
    with urllib.request.urlopen(hrefs[0], timeout=10) as answer:
        body = answer.read()
    icon = Image.open(io.BytesIO(body))
    shipped = Image.open(ROOT / "ui" / "icon.png")
    assert icon.format == "PNG" and icon.size == shipped.size == (64, 64)
    # The shipped bars, pixel for pixel: vermillion, orange and bluish green (Okabe–Ito).
    assert icon.convert("RGBA").tobytes() == shipped.convert("RGBA").tobytes()


def test_no_emoji_or_symbol_glyph_on_any_screen(screen_walk: Walk) -> None:
    """Every screen, and the wall screens in kiosk mode (the shared walk)."""
    assert len(screen_walk.visits) == 13  # ten screens, three of them again in kiosk mode
    found = {where: visit.symbols for where, visit in screen_walk.visits.items() if visit.symbols}
    assert not found, f"emoji or symbol glyphs on screen: {found}"
    assert all(visit.settled for visit in screen_walk.visits.values()), screen_walk.visits


def _linear(rgb: np.ndarray) -> np.ndarray:
    c = rgb / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _srgb(linear: np.ndarray) -> np.ndarray:
    c = np.clip(linear, 0, 1)
    return 255 * np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(rgb: tuple[int, int, int], matrix: np.ndarray) -> np.ndarray:
    """How a colour looks to a dichromat (``matrix``), in sRGB 0–255."""
    return _srgb(matrix @ _linear(np.asarray(rgb, dtype=float)))


def test_cvd_simulation_by_hand() -> None:
    # Pure red under deuteranopia: linear (1, 0, 0) → the matrix's first column (0.3673, 0.2801,
    # −0.0118) → sRGB 1.055 × 0.3673^(1/2.4) − 0.055 = 0.640 → 163.2, and 0.566 → 144.3, blue
    # clipped to 0: a dark yellow. Grey stays grey (each row of the matrix sums to 1).
    assert np.allclose(simulate((255, 0, 0), DEUTERANOPIA), (163.2, 144.3, 0), atol=0.5)
    assert np.allclose(simulate((128, 128, 128), PROTANOPIA), (128, 128, 128), atol=1)


def test_status_colours_stay_apart_for_colour_blind_viewers(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    _open(page, server + WALL_URLS["map"], "canvas")
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    colours = {}
    for status in ("met", "near", "below"):
        box = page.locator(f".ioc-map-legend .sw-{status}").first.bounding_box()
        assert box, status
        colours[status] = shot.getpixel((int(box["x"] + box["width"] / 2), int(box["y"] + box["height"] / 2)))
    distances = {}
    for name, matrix in (("deuteranopia", DEUTERANOPIA), ("protanopia", PROTANOPIA)):
        seen = {s: simulate(c, matrix) for s, c in colours.items()}
        for a, b in itertools.combinations(seen, 2):
            distances[f"{name} {a}–{b}"] = round(float(np.linalg.norm(seen[a] - seen[b])), 1)
    _record("status-colours", {"pixels": colours, "distances": distances})
    assert min(distances.values()) >= MIN_CVD_DISTANCE, distances
    page.close()


def test_overview_on_a_phone(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
    _open(page, f"{server}/")
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    width = page.evaluate(
        "Math.max(document.scrollingElement.scrollWidth,"
        " document.querySelector(\"[data-testid='stMain']\").scrollWidth)"
    )
    tiles = page.locator("[data-testid='stMetric']")
    boxes = [tiles.nth(i).bounding_box() for i in range(tiles.count())]
    values = page.eval_on_selector_all(
        "[data-testid='stMetricValue'] p", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    labels = page.eval_on_selector_all(
        "[data-testid='stMetricLabel'] p", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    page.screenshot(path=str(ARTIFACTS / "phone_overview.png"), full_page=True)
    _record(
        "phone",
        {"scroll_width": width, "tiles": len(boxes), "value_px": min(values), "label_px": min(labels)},
    )
    assert width <= 390, f"horizontal scrolling: {width} px wide"
    # The nine wall tiles and, off the wall, "where the month will end" (issue 25).
    assert len(boxes) == 10 and all(b is not None for b in boxes)
    # Stacked: one tile a row, each inside the screen, each below the one before.
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= 390 for b in boxes), boxes
    assert all(
        later["y"] >= earlier["y"] + earlier["height"] - 1 for earlier, later in itertools.pairwise(boxes)
    )
    assert min(values) >= 32 and min(labels) >= 14, (values, labels)
    page.close()


def _has_colour(shot: Image.Image, rgb: tuple[int, int, int], least: int = 30) -> bool:
    """At least ``least`` pixels within 12 of ``rgb`` on each channel."""
    pixels = np.asarray(shot.convert("RGB"), dtype=int)
    return int((np.abs(pixels - np.array(rgb)).max(axis=2) <= 12).sum()) >= least


def test_the_ranking_table_draws_status_shapes(server: str, browser: Browser) -> None:
    """Off the wall the ranking is an ``st.dataframe`` (a canvas): its status column has the SVG
    shapes drawn beside the words, a bluish-green circle for met, a vermillion triangle for missed
    (on the sample, Huyện Hớn Quản misses the on-time target)."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    _open(page, server + "/ranking?level=district&metric=on_time_rate")
    table = page.locator("[data-testid='stDataFrame']").first
    for _ in range(40):  # the pictures load after the grid draws
        shot = Image.open(io.BytesIO(table.screenshot()))
        if _has_colour(shot, (0, 158, 115)) and _has_colour(shot, (213, 94, 0)):
            break
        page.wait_for_timeout(250)
    shot.save(ARTIFACTS / "ranking_table_shapes.png")
    page.close()
    assert _has_colour(shot, (0, 158, 115)), "no met circle drawn"
    assert _has_colour(shot, (213, 94, 0)), "no missed triangle drawn"
