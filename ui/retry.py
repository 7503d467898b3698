"""A screen that could not read the database tries again by itself.

A screen draws once; only the overview has a live part that reruns on a timer (``ui.live``).
A screen that met a database failure (an error instead of its figures, or its last good figures
served while the database fails) notes it here (:func:`failed`); at the end of the run the router
(``app.py``) sets up one small fragment whose timer, once the back-off of the failed queries has
passed (``IOC_RETRY_MIN_SECONDS``, doubling to a minute), reruns the whole page: a screen opened
during an outage shows its figures once the database is back, without a reload. The overview's
live part reruns itself every refresh interval, so a failure inside it is not noted.
"""

from __future__ import annotations

import contextvars
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from i18n.catalogue import t
from ui import data

_FAILED = "_ioc_retry_failed"
#: True while a live part (a fragment with its own timer) is drawing.
_in_live_part: contextvars.ContextVar[bool] = contextvars.ContextVar("ioc_in_live_part", default=False)


@contextmanager
def live_part() -> Iterator[None]:
    """Mark the drawing of a part that reruns itself: its failures need no retry timer."""
    token = _in_live_part.set(True)
    try:
        yield
    finally:
        _in_live_part.reset(token)


def begin_run() -> None:
    """Forget the failures of the previous run (called by the router before the screen)."""
    st.session_state[_FAILED] = False


def failed(language: str | None = None) -> None:
    """Note that this run met a database failure; with ``language``, say when it retries."""
    if _in_live_part.get():
        return
    st.session_state[_FAILED] = True
    if language is not None:
        st.caption(t("retrying_in", language, seconds=delay_seconds()))


def delay_seconds() -> int:
    """Seconds until the failed queries may be tried again (the back-off), whole and at least 1."""
    return max(1, math.ceil(data.retry_delay()))


def after_run() -> None:
    """If this run met a failure, rerun the page once the back-off has passed."""
    if not st.session_state.get(_FAILED):
        return
    seconds = delay_seconds()

    @st.fragment(run_every=seconds)
    def retry(started: float) -> None:
        # The fragment's first run comes with the page; its timer's runs an interval later.
        if time.monotonic() - started >= seconds / 2:
            st.rerun()

    retry(time.monotonic())
