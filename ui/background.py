"""Work no screen waits for: the hourly data-quality check behind the note under every screen,
and the import of the screen a kiosk rotation shows next.

The check (``ui.data.quality``: nine counts through the table's indexes) took 1-2.6 s of a fresh
server's first run, and every screen's first run after each hour, on the sample
(``ops/cold_start.py``, docs/load.md); twenty walls connecting to a restarted server all waited
for it. Here it runs on a thread of its own, one at a time per database: :func:`quality` never
waits, it answers with this hour's result once there is one, the previous hour's meanwhile,
and None while a fresh server (or a replaced database file) has none yet; the router starts the
check at the top of the first run (:func:`start_quality_check`), so it is usually done before
the screen is. The thread's result also fills the shared cache the data-quality screen reads.
"""

from __future__ import annotations

import importlib
import logging
import threading
from dataclasses import dataclass

import settings
from ui import data

log = logging.getLogger("ioc.background")


@dataclass
class _Check:
    """One database's check: the last result and what it was computed for, the running thread."""

    result: data.Fetched | None = None
    key: tuple[object, int] | None = None  # (hour, file generation) of ``result``
    failed: bool = False  # the last attempt could not read the database and there is no result
    running: threading.Thread | None = None


_checks: dict[str, _Check] = {}
_lock = threading.Lock()


def _run(check: _Check, key: tuple[object, int]) -> None:
    try:
        fetched = data.quality()  # through the cache seam: last good value and back-off included
    except data.DataUnavailable:
        fetched = None
    except Exception:  # never let a thread die with a traceback in the log and no answer
        log.exception("the data-quality check failed")
        fetched = None
    with _lock:
        check.running = None
        check.failed = fetched is None
        if fetched is not None:
            check.result, check.key = fetched, key


def start_quality_check() -> None:
    """Start this hour's check on a thread unless it is done or running; returns at once."""
    url = settings.database_url()
    key = (data.quality_hour(), data.generation(url))
    with _lock:
        check = _checks.setdefault(url, _Check())
        if check.key == key or check.running is not None:
            return
        check.running = threading.Thread(target=_run, args=(check, key), name="ioc-quality", daemon=True)
        check.running.start()


def quality() -> data.Fetched | None:
    """The check's result without waiting: this hour's, else the previous hour's while this
    hour's runs (started here if need be); None while there is none for this database file yet.
    Raises ``data.DataUnavailable`` when the last attempt could not read the database and there
    is no result to show (a new attempt is started)."""
    start_quality_check()
    url = settings.database_url()
    with _lock:
        check = _checks[url]
        if check.result is not None and check.key is not None and check.key[1] == data.generation(url):
            return check.result
        if check.failed:
            raise data.DataUnavailable("db_other")
        return None


def wait_for_quality_check(timeout: float = 60) -> bool:
    """Wait until no check is running (for tests and tools: screens never wait); True if none is."""
    with _lock:
        running = [c.running for c in _checks.values() if c.running is not None]
    for thread in running:
        thread.join(timeout)
    return not any(thread.is_alive() for thread in running)


_preloading: set[str] = set()


def preload(module: str) -> None:
    """Import ``module`` on a thread, once a process, and return at once (the router's state does
    not outlive a run: Streamlit runs the script in a fresh namespace each time, so it lives here).
    A screen's modules took 0.5-1 s to import (the map's pydeck layers, the press page's
    exports); a wall rotating to it waited for them while the next screen was already known."""
    with _lock:
        if module in _preloading:
            return
        _preloading.add(module)
    threading.Thread(target=importlib.import_module, args=(module,), name="ioc-preload", daemon=True).start()
