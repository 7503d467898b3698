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


@dataclass(frozen=True)
class Wall:
    """The kiosk settings read from the URL."""

    on: bool
    rotate: int = 0
    screens: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    bad: tuple[tuple[str, str], ...] = field(default=())


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


def _screens(raw: str | None, known: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    names = [n.strip().lower() for n in (raw or "").split(",") if n.strip()]
    chosen = tuple(dict.fromkeys(n for n in names if n in known))
    unknown = tuple(dict.fromkeys(n for n in names if n not in known))
    return (chosen or tuple(known)), unknown


def parse_wall(params: Mapping[str, str], known: Sequence[str], default_rotate: int) -> Wall:
    """The kiosk settings of URL parameters ``params``; bad values fall back to the defaults.

    ``kiosk`` 1/true/yes/on; ``rotate`` seconds per screen (0 = hold, default ``default_rotate``);
    ``screens`` comma-separated screen names (unknown names are ignored and reported; default:
    every screen). Duplicates count once.
    """
    raw = params.get("kiosk")
    if raw is None or raw.strip().lower() in FALSE:
        return Wall(False)
    if raw.strip().lower() not in TRUE:
        return Wall(False, bad=(("kiosk", raw),))
    bad: list[tuple[str, str]] = []
    rotate = _rotate(params.get("rotate"), default_rotate, bad)
    screens, unknown = _screens(params.get("screens"), known)
    return Wall(True, rotate, screens, unknown, tuple(bad))


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
    if wall.unknown:
        st.warning(
            tmd("wall_unknown_screens", lang, names=", ".join(wall.unknown), known=", ".join(names)),
            icon="⚠️",
        )
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
                label=t("wall_next", lang, screen=target.title),
                icon=":material/arrow_forward:",  # a bundled icon font: the wall has no emoji font
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

#: Hide Streamlit's chrome; big type that grows with the screen (20 px at 1920 wide, 40 px at 3840;
#: charts keep their pixel sizes, so a 4K wall is best run with Chromium's
#: ``--force-device-scale-factor=2``, which lays the page out exactly as on 1920×1080, sharp); the
#: "next screen" hint pinned to the bottom-right corner.
KIOSK_STYLE = """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarNav"], [data-testid="stMainMenu"], footer { display: none !important; }
html { font-size: clamp(16px, 1.0417vw, 48px); }
h1 { padding-top: 0.2rem !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 1rem 1.5rem 2.5rem 1.5rem !important; max-width: 100% !important;
}
[data-testid="stLayoutWrapper"]:has(.st-key-ioc-kiosk-next) { position: fixed; right: 1rem; bottom: 0.25rem;
  z-index: 1000; opacity: 0.75; width: auto !important; }
[data-testid="stLayoutWrapper"]:has(.st-key-ioc-kiosk-reload) { position: absolute; width: 0; height: 0;
  overflow: hidden; }
</style>
"""
