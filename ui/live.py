"""Live figures: a part of a screen that redraws itself on an interval, quietly.

``section(draw)`` runs ``draw`` inside a fragment that reruns every ``IOC_REFRESH_SECONDS``: only
that part of the page reruns, the cached queries show no spinner, and the elements stay on screen
until their new values replace them (the stale-element fade is switched off), so a refresh never
blanks the wall. ``freshness`` shows "Cập nhật lúc HH:MM:SS", or the stale warning once the
database has not answered for longer than ``IOC_STALE_AFTER_SECONDS`` (the last good figures
stay on screen: ``ui.data.fetch`` keeps them).
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import chrome, data, retry

#: Streamlit fades elements that belong to a run in progress; on a wall that reads as flicker.
NO_FADE_STYLE = """
<style>
[data-stale="true"], .stale-element, [data-testid="stElementContainer"][data-stale] {
  opacity: 1 !important; transition: none !important;
}
</style>
"""


#: Each session refreshes a little later than the interval, by up to this share of it, fixed per
#: session: walls that (re)connected together (a server restart) would otherwise ask for their
#: refreshes in the same instant for ever, and 20 runs at once queue behind each other on the GIL
#: (ops/load.py: the first refresh wave after a restart took 1.0-2.1 s a run, later ones 0.1-0.7 s).
#: The figures stay those of the interval (queries are keyed by the interval's start).
STAGGER = 0.1


def refresh_seconds() -> float:
    """This session's refresh interval: the configured one plus its own share of :data:`STAGGER`."""
    ctx = get_script_run_ctx()
    share = (zlib.crc32(ctx.session_id.encode()) % 1000) / 1000 if ctx is not None else 0.0
    return round(data.REFRESH_SECONDS * (1 + STAGGER * share), 2)


def section(draw: Callable[..., None], *args: Any) -> None:
    """Draw ``draw(*args)`` now and again every refresh interval (a fragment with run_every).
    A database failure inside it needs no retry timer of its own (``ui.retry``)."""
    st.html(NO_FADE_STYLE)

    @functools.wraps(draw)  # the fragment's identity stays the drawing function's
    def live(*given: Any) -> None:
        with retry.live_part():
            draw(*given)

    st.fragment(run_every=refresh_seconds())(live)(*args)


def freshness(fetched: list[data.Fetched], lang: str) -> None:
    """One "updated at" line for everything a screen fetched: the oldest fetch time, and a
    stale warning if any of the queries is being served from its last good answer for too long."""
    if not fetched:
        return
    oldest = min(fetched, key=lambda f: f.fetched_at)
    failed = [f for f in fetched if f.error is not None]
    if failed:
        oldest_failed = min(failed, key=lambda f: f.fetched_at)
        gone = any(f.error == "db_missing_file" for f in failed)  # flagged at once
        chrome.freshness(oldest_failed.fetched_at, "db_missing_file" if gone else oldest_failed.error, lang)
    else:
        chrome.freshness(oldest.fetched_at, None, lang)
