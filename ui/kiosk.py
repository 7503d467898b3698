"""Kiosk mode: the wall URL ``/?kiosk=1&rotate=30&screens=overview,map,ranking&lang=vi``.

Everything the wall needs lives in the URL, never in the session: a dropped connection or a full
reload lands on the same screen with the same rotation. In kiosk mode the navigation menu is
hidden (``st.navigation(position="hidden")``), Streamlit's header, toolbar and sidebar are hidden
by CSS, type is enlarged for a 1920×1080 wall (and scaled up with the width on a 4K one), and:

- **rotation**: a fragment re-runs every ``rotate`` seconds and switches to the next screen of
  ``screens`` (wrapping around) with ``st.switch_page(..., query_params=...)``, passing on every
  URL parameter (without ``query_params`` Streamlit drops them and the rotation would stop after
  one hop). The first run of the fragment comes with the page itself; only a run at least half
  an interval later (the timer's) switches. ``rotate=0`` holds one screen.
- **periodic reload**: every ``IOC_RELOAD_MINUTES`` the browser reloads the page (same URL),
  which keeps its memory flat over days of running; it checks ``/_stcore/health`` first and
  retries later if the server does not answer, so a wall never reloads into an error page.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import streamlit as st
from streamlit.navigation.page import StreamlitPage

import settings
from i18n.catalogue import t
from ui.controls import warn_bad_param
from ui.markup import tmd

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})
#: Bounds of ``rotate`` in seconds (0 = no rotation).
MIN_ROTATE, MAX_ROTATE = 5, 3600
#: The screens with a wall layout (fit 1920×1080 without scrolling, wall type, no input widget):
#: the only ones a rotation may show, and the default rotation.
WALL_SCREENS = ("overview", "map", "ranking")


@dataclass(frozen=True)
class Wall:
    """The kiosk settings read from the URL."""

    on: bool
    rotate: int = 0
    screens: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    bad: tuple[tuple[str, str], ...] = field(default=())
    refused: tuple[str, ...] = ()  # known screens without a wall layout


def _rotate(raw: str | None, default: int, bad: list[tuple[str, str]]) -> int:
    if raw is None or raw.strip() == "":
        return default
    try:
        seconds = int(raw)
    except ValueError:
        seconds = -1
    if seconds == 0 or MIN_ROTATE <= seconds <= MAX_ROTATE:
        return seconds
    bad.append(("rotate", raw))
    return default


def _screens(
    raw: str | None, known: Sequence[str], wall: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    names = [n.strip().lower() for n in (raw or "").split(",") if n.strip()]
    chosen = tuple(dict.fromkeys(n for n in names if n in wall))
    unknown = tuple(dict.fromkeys(n for n in names if n not in known))
    refused = tuple(dict.fromkeys(n for n in names if n in known and n not in wall))
    return (chosen or tuple(wall)), unknown, refused


def parse_wall(
    params: Mapping[str, str], known: Sequence[str], default_rotate: int, wall: Sequence[str] | None = None
) -> Wall:
    """The kiosk settings of URL parameters ``params``; bad values fall back to the defaults.

    ``kiosk`` 1/true/yes/on; ``rotate`` seconds per screen (0 = hold, default ``default_rotate``);
    ``screens`` comma-separated screen names among ``wall`` (the screens with a wall layout,
    default :data:`WALL_SCREENS` that are ``known``): unknown names and screens without a wall
    layout are left out and reported; default: every wall screen. Duplicates count once.
    """
    wall = [n for n in (WALL_SCREENS if wall is None else wall) if n in known]
    raw = params.get("kiosk")
    if raw is None or raw.strip().lower() in FALSE:
        return Wall(False)
    if raw.strip().lower() not in TRUE:
        return Wall(False, bad=(("kiosk", raw),))
    bad: list[tuple[str, str]] = []
    rotate = _rotate(params.get("rotate"), default_rotate, bad)
    screens, unknown, refused = _screens(params.get("screens"), known, wall)
    return Wall(True, rotate, screens, unknown, tuple(bad), refused)


def next_screen(current: str, screens: Sequence[str]) -> str | None:
    """The screen after ``current`` in ``screens``, wrapping around; the first one if ``current``
    is not in the list; None when there is nowhere else to go."""
    if not screens or (len(screens) == 1 and screens[0] == current):
        return None
    if current not in screens:
        return screens[0]
    return screens[(list(screens).index(current) + 1) % len(screens)]


def _url_params() -> dict[str, str]:
    return {key: st.query_params.get(key) for key in st.query_params}


def is_on() -> bool:
    """True when the page is shown in kiosk mode (``?kiosk=1``)."""
    return str(st.query_params.get("kiosk", "")).strip().lower() in TRUE


def navigation(
    pages: Sequence[StreamlitPage],
    names: Sequence[str],
    lang: str,
    coming: Callable[[str], None] | None = None,
) -> StreamlitPage:
    """``st.navigation`` for the app's pages (named ``names``, the kiosk screen names), hidden in
    kiosk mode, plus the kiosk chrome, the reload timer and the rotation; ``coming`` is told the
    name of the screen the rotation shows next. Returns the page to run."""
    wall = parse_wall(_url_params(), names, int(settings.get("IOC_ROTATE_SECONDS")))
    page = st.navigation(list(pages), position="hidden" if wall.on else "sidebar")
    for name, value in wall.bad:
        warn_bad_param(name, value, lang)
    if not wall.on:
        return page
    wall_names = ", ".join(n for n in WALL_SCREENS if n in names)
    if wall.unknown:
        st.warning(tmd("wall_unknown_screens", lang, names=", ".join(wall.unknown), known=wall_names))
    if wall.refused:
        st.warning(tmd("wall_refused_screens", lang, names=", ".join(wall.refused), known=wall_names))
    st.html(KIOSK_STYLE)
    _reload_timer(int(settings.get("IOC_RELOAD_MINUTES")))
    current = next((n for n, p in zip(names, pages, strict=True) if p is page), names[0])
    target = next_screen(current, wall.screens) if wall.rotate else None
    if target is not None:
        _rotation(pages[list(names).index(target)], wall.rotate, lang)
        if coming is not None:
            coming(target)
    return page


def _rotation(target: StreamlitPage, seconds: int, lang: str) -> None:
    """Switch to ``target`` every ``seconds``, keeping the URL parameters; show what comes next."""

    @st.fragment(run_every=seconds)
    def rotate(started: float) -> None:
        params = _url_params()
        # The fragment's first run comes with the page; the timer's runs come an interval later.
        if time.monotonic() - started >= seconds / 2:
            st.switch_page(target, query_params=params)
        with st.container(key="ioc-kiosk-next"):
            st.page_link(
                target,
                label=t("wall_next", lang, screen=target.title),  # words only: no symbol font needed
                query_params=params,
            )

    rotate(time.monotonic())


def _reload_timer(minutes: int) -> None:
    """Reload the page every ``minutes`` (0 = never), once per browser page, health-checked."""
    if minutes <= 0:
        return
    script = RELOAD_SCRIPT.replace("__MS__", str(minutes * 60_000))
    with st.container(key="ioc-kiosk-reload"):
        st.html(script, unsafe_allow_javascript=True)


# The timer lives in the browser window, so page switches and reruns do not restart it; a reload
# starts a new window and a new timer. No request leaves the dashboard's own server.
RELOAD_SCRIPT = """
<script>
(function () {
  if (window.iocReloadTimer) { return; }
  var retry = 30000;
  function attempt() {
    fetch(new URL("_stcore/health", window.location.href), {cache: "no-store"})
      .then(function (r) { if (r.ok) { window.location.reload(); } else { later(retry); } })
      .catch(function () { later(retry); });
  }
  function later(ms) { window.iocReloadTimer = window.setTimeout(attempt, ms); }
  later(__MS__);
})();
</script>
"""

#: Hide Streamlit's chrome; wall type: the root size is 28 px at 1920 wide (1.4584vw) and grows with
#: the width (56 px at 3840), so a 4K wall lays out exactly as 1920×1080, and every text element
#: is at least 1rem (28 px). Headings are kept compact so a screen fits 1080 lines without
#: scrolling; the gaps Streamlit sets in rem are tightened to match. Charts keep their pixel sizes,
#: so a 4K wall is best run with Chromium's ``--force-device-scale-factor=2``, which lays the page
#: out exactly as on 1920×1080, sharp. The "next screen" hint is pinned to the bottom-right corner.
KIOSK_STYLE = """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarNav"], [data-testid="stMainMenu"], footer { display: none !important; }
html { font-size: clamp(16px, 1.4584vw, 64px); }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 0.4rem 0.8rem 0.3rem 0.8rem !important; max-width: 100% !important;
}
[data-testid="stVerticalBlock"] { gap: 0.2rem !important; }
[data-testid="stHorizontalBlock"] { gap: 0.5rem !important; }
h1 { font-size: 1.6rem !important; padding: 0 !important; line-height: 1.1 !important; }
h2, h3 { font-size: 1.15rem !important; padding: 0 !important; line-height: 1.2 !important; }
[data-testid="stHeading"] [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
.st-key-wall-head-side { flex-direction: row !important; flex-wrap: wrap; column-gap: 0.8rem !important;
  align-items: baseline; }
.st-key-wall-head-side > div { width: auto !important; }
p, li, td, th, label, [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stMarkdownContainer"] p, [data-testid="stMetricLabel"] p, [data-testid="stMetricDelta"],
[data-testid="stMetricDelta"] div, [data-testid="stPageLink"] p, [data-testid="stAlert"] p
  { font-size: 1rem !important; line-height: 1.2; }
[data-testid="stMetricLabel"] p { white-space: normal !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p
  { font-size: 2.9rem !important; line-height: 1 !important; }
[data-testid="stMetric"] div:has(> [data-testid="stMetricDelta"]) { flex-wrap: wrap; row-gap: 0; }
[data-testid="stMetric"] .stMarkdownEllipsis, [data-testid="stMetric"] .stMarkdownEllipsis p
  { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[data-testid="stMetric"] { gap: 0 !important; }
[data-testid="stMetricDelta"] svg { width: 1rem; height: 1rem; }
[data-testid="stVerticalBlockBorderWrapper"], [class*="st-key-wall-tile-"], [class*="st-key-wall-alarm-"]
  { padding: 0.15rem 0.45rem !important; }
[data-testid="stLayoutWrapper"]:has(.st-key-ioc-kiosk-next) { position: fixed; right: 0.5rem; bottom: 0.1rem;
  z-index: 1000; opacity: 0.75; width: auto !important; }
[data-testid="stLayoutWrapper"]:has(.st-key-ioc-kiosk-reload) { position: absolute; width: 0; height: 0;
  overflow: hidden; }
[data-testid="stTooltipIcon"], [data-testid="stTooltipHoverTarget"] svg { display: none !important; }
</style>
"""
