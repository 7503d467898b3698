"""The trend screens' charts and the maps as a person sees them, in a real headless Chromium at
1600×1000 (issue 23 item 3).

One server on the small sample province (the fixtures of ``tests/browser_fixtures.py``). Each
trend screen in Vietnamese (and one in English) is read from its rendered SVG
(``tests/chart_measure.py``): no chart collapsed (a bar chart has a row per category), no text
cut by the chart's box (the title included), no two texts of a chart over each other, value
labels readable on what lies under them (WCAG contrast 4.5), every
category's axis label shown (Vega-Lite hides overlapping labels in silence), month labels only on
the months of the period and under their bars. The unit map and the feedback map are not cut at
the canvas's edge: nothing drawn touches it (the feedback map is checked on the feedback screen's
visit). On the tilted area map, every label the server sends is clear of the others and sits
on its own unit (hovering its projected centre names the unit). Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from metrics.trends import month_key, month_periods
from tests import chart_measure as cm
from tests.browser_fixtures import ARTIFACTS, NOW, need_chromium
from tests.wall_measure import settle
from timebase.period import last_months, make_period
from ui import map_layers
from ui.map_labels import place_centred, project

need_chromium()

VIEWPORT = {"width": 1600, "height": 1000}
#: Screen → (URL, the fewest charts it draws).
SCREENS = {
    "satisfaction": ("/satisfaction", 6),
    "online": ("/online", 9),
    "feedback": ("/feedback", 5),
    "processing": ("/processing", 4),
    "satisfaction-en": ("/satisfaction?lang=en", 6),
}
#: The default period: the 12 months to the sample's frozen now (12/2025–11/2026).
MONTHS = [
    month_key(p.start) for p in month_periods(make_period(last_months(NOW, 12)[0].start, NOW.date(), NOW))
]
#: The page's background (.streamlit/config.toml) and how far a pixel must be from it to count
#: as drawn.
BACKGROUND = (11, 18, 32)
DRAWN = 60
EDGE_PX = 4


def _open(page: Page, url: str) -> None:
    page.goto(url)
    settle(page)


def _chart_defects(chart: dict) -> list[str]:
    """Everything wrong with one rendered chart, in words."""
    found = []
    title = cm.title_of(chart)
    if cut := cm.cut_texts(chart):
        found.append(f"{title}: cut by the chart's box: {cut[:5]}")
    if pairs := cm.overlapping_texts(chart):
        found.append(f"{title}: texts over each other: {pairs[:5]}")
    if dim := cm.low_contrast_values(chart):
        found.append(f"{title}: values hard to read on what lies under them (contrast): {dim[:5]}")
    names = cm.categories(chart)
    if missing := cm.missing_labels(chart):
        found.append(f"{title}: categories without their axis label: {missing[:8]}")
    if len(names) > 1 and cm.bar_rows(chart) != len(names):
        found.append(f"{title}: {len(names)} categories drawn on {cm.bar_rows(chart)} rows")
    if outside := cm.months_outside(chart, MONTHS):
        found.append(f"{title}: month labels outside the period's months: {outside}")
    if chart["rects"] and not names and (between := cm.labels_between_bars(chart)):
        found.append(f"{title}: month labels between the bars: {between}")
    return found


def test_month_list_by_hand() -> None:
    # 23/11/2026: the last 12 months are December 2025 to November 2026.
    assert MONTHS[0] == 202512 and MONTHS[-1] == 202611 and len(MONTHS) == 12


@pytest.mark.parametrize("screen", list(SCREENS))
def test_trend_screen_charts_read_cleanly(screen: str, server: str, browser: Browser) -> None:
    url, fewest = SCREENS[screen]
    page = browser.new_page(viewport=VIEWPORT)
    _open(page, server + url)
    page.wait_for_function(
        "n => document.querySelectorAll(\"[data-testid='stVegaLiteChart'] svg\").length >= n", arg=fewest
    )
    charts = page.evaluate(cm.CHARTS_JS)
    page.screenshot(path=str(ARTIFACTS / f"charts_{screen}.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    assert len(charts) >= fewest and all(c["svg"] for c in charts), [cm.title_of(c) for c in charts]
    defects = [d for chart in charts for d in _chart_defects(chart)]
    if screen == "feedback":  # its map of the units, on the same visit
        defects += _map_defects(page, "feedback")
    assert not defects, "\n".join(defects)
    page.close()


def _edge_pixels(shot: bytes) -> dict[str, int]:
    """Pixels drawn (far from the page's background) in the outer EDGE_PX of each side."""
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    w, h = image.size
    strips = {
        "left": (0, 0, EDGE_PX, h),
        "right": (w - EDGE_PX, 0, w, h),
        "top": (0, 0, w, EDGE_PX),
        "bottom": (0, h - EDGE_PX, w, h),
    }
    counts = {}
    for side, area in strips.items():
        pixels = np.asarray(image.crop(area), dtype=int)
        counts[side] = int((np.abs(pixels - BACKGROUND).sum(axis=2) > DRAWN).sum())
    return counts


def _map_defects(page: Page, name: str) -> list[str]:
    """The first deck.gl map of the page: inside the viewport, and nothing drawn at its edges."""
    deck = page.locator("[data-testid='stDeckGlJsonChart']").first
    deck.scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.querySelectorAll('canvas')].some(c => c.width > 0 && c.height > 0)", timeout=60_000
    )
    page.wait_for_timeout(1500)  # deck.gl draws on the next animation frames
    box = deck.bounding_box()
    shot = deck.screenshot()
    (ARTIFACTS / f"map_edges_{name}.png").write_bytes(shot)
    found = []
    if not box or box["x"] < 0 or box["x"] + box["width"] > VIEWPORT["width"]:
        found.append(f"{name} map outside the viewport: {box}")
    edges = _edge_pixels(shot)
    if max(edges.values()):
        found.append(f"{name} map cut at its edge (drawn pixels per side): {edges}")
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    if len(image.getcolors(maxcolors=1 << 16) or range(1 << 17)) <= 50:
        found.append(f"{name} map not drawn")
    return found


def test_map_is_not_cut_at_its_edges(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    _open(page, server + "/map")
    defects = _map_defects(page, "map")
    # Most districts of the small sample handled under 20 dossiers this month: grey and named in
    # the legend, never a confident red or green.
    legend = page.locator(".ioc-map-legend").inner_text()
    if page.locator(".ioc-map-legend .sw-few").count() != 1 or "Quá ít để đánh giá" not in legend:
        defects.append(f"no small-sample line in the map's legend: {legend!r}")
    assert not defects, "\n".join(defects)
    page.close()


def _deck_specs(page: Page) -> list[dict]:
    """Start keeping every deck.gl spec the server sends this page (its ForwardMsgs, decoded)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    specs: list[dict] = []

    def frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            msg = ForwardMsg.FromString(payload)
            if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                if element.WhichOneof("type") == "deck_gl_json_chart":
                    specs.append(json.loads(element.deck_gl_json_chart.json))

    page.on("websocket", lambda ws: ws.on("framereceived", frame))
    return specs


@pytest.mark.parametrize("query", ["", "?level=commune"])
def test_area_map_labels_sit_on_their_units_and_never_overlap(
    server: str, browser: Browser, query: str
) -> None:
    """The tilted area map's labels are placed in Python (``ui.map_labels``) where deck.gl will
    draw them: each kept label's box is clear of every other, and where its centre is projected
    the map picks its own unit (the tooltip names it), which only holds if the projection is
    deck.gl's own."""
    page = browser.new_page(viewport=VIEWPORT)
    specs = _deck_specs(page)
    _open(page, server + "/map" + query)
    deck_box = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.bounding_box()
    assert deck_box and specs
    deck = specs[-1]
    view = deck["initialViewState"]
    layers = {layer["id"]: layer for layer in deck["layers"]}
    labels = layers[map_layers.LABEL_LAYER]["data"]
    size = layers[map_layers.LABEL_LAYER]["getSize"]
    assert labels and view["pitch"] == 35
    width, height = round(deck_box["width"]), round(deck_box["height"])
    centres = [
        project(
            *row["position"][:2],
            (view["latitude"], view["longitude"], view["zoom"]),
            width,
            height,
            35,
            row["position"][2],
        )
        for row in labels
    ]
    boxes = place_centred(centres, [r["label"] for r in labels], [0] * len(labels), size, (width, height))
    assert all(box is not None for box in boxes), "two labels sent to the browser overlap"
    names = {row["unit_code"]: row["unit_name"] for row in layers[map_layers.AREA_LAYER]["data"]}
    picked = []
    for row, (x, y) in zip(labels, centres, strict=True):
        page.mouse.move(deck_box["x"] + x, deck_box["y"] + y)
        page.wait_for_timeout(150)
        tip = page.locator(".deck-tooltip")
        text = tip.inner_text() if tip.count() and tip.is_visible() else ""
        picked.append(row["label"].split("\n")[0] in text)
    (ARTIFACTS / f"area_labels{query.replace('?', '_').replace('=', '_')}.png").write_bytes(page.screenshot())
    assert all(picked), [
        (row["label"].split("\n")[0], ok) for row, ok in zip(labels, picked, strict=True) if not ok
    ]
    assert len(names) >= len(labels)
    page.close()
