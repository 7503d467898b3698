"""Keep a long-running server's resident memory flat: hand freed heap pages back to the system.

Streamlit runs every rerun in a thread of its own, and glibc gives threads their own malloc
arenas; the pandas and NumPy temporaries of each refresh are freed into those arenas, but the
pages stay resident, so a wall server's RSS creeps up for hours although nothing leaks (the
soak in ops/soak.py measures it). ``malloc_trim(0)`` returns every whole free page of every
arena to the system. It runs on a daemon thread every ``IOC_MALLOC_TRIM_SECONDS``; on a system
without glibc (musl, macOS, Windows) it does nothing.

Every ``IOC_MEMORY_LOG_MINUTES`` a second daemon thread logs one line (logger ``ioc.memory``)
saying where the resident memory is: the C heap in use and the freed memory glibc's arenas keep,
SQLite's own allocations (the page caches of the pooled connections, bounded by pool size ×
cache size), Python's allocated blocks and the threads. The soak runs (ops/soak.py,
ops/clock_soak.py) read these figures to tell a filling cache or kept free memory from a leak.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_started = threading.Lock()
_threads: dict[str, threading.Thread] = {}
_frozen: set[str] = set()
log = logging.getLogger("ioc.memory")


def _c_function(library: str | None, name: str, argtypes: list[Any], restype: Any) -> Any:
    """Function ``name`` of a shared library with its signature set, or None where it is missing."""
    if not library:
        return None
    try:
        function = getattr(ctypes.CDLL(library), name)
    except (OSError, AttributeError):
        return None
    function.argtypes, function.restype = argtypes, restype
    return function


@functools.cache
def _malloc_trim() -> Callable[[], object] | None:
    """glibc's ``malloc_trim(0)``, or None where there is no such function."""
    trim = _c_function(ctypes.util.find_library("c"), "malloc_trim", [ctypes.c_size_t], ctypes.c_int)
    return None if trim is None else lambda: trim(0)


def _start_once(name: str, job: Callable[[], object], seconds: float, *, first_now: bool) -> None:
    """A daemon thread named ``name`` running ``job`` every ``seconds`` (caller holds ``_started``)."""

    def loop() -> None:
        if first_now:
            job()
        while True:
            time.sleep(seconds)
            job()

    _threads[name] = threading.Thread(target=loop, name=name, daemon=True)
    _threads[name].start()


def start_trimming(seconds: int) -> bool:
    """Start the trimming thread once per process (``seconds`` ≤ 0: never); True if it runs."""
    if seconds <= 0:
        return False
    with _started:
        if "ioc-malloc-trim" in _threads:
            return True
        trim = _malloc_trim()
        if trim is None:
            return False
        _start_once("ioc-malloc-trim", trim, seconds, first_now=False)
        return True


@functools.cache
def _sqlite_memory_used() -> Callable[[], int] | None:
    """SQLite's ``sqlite3_memory_used()`` of the library Python's sqlite3 module is linked to."""
    import sqlite3  # noqa: F401  (loads the shared library, so the handle below is the same one)

    for library in ("libsqlite3.so.0", ctypes.util.find_library("sqlite3")):
        used = _c_function(library, "sqlite3_memory_used", [], ctypes.c_int64)
        if used is not None:
            return lambda: int(used())
    return None


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in [
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        ]
    ]


@functools.cache
def _mallinfo() -> Callable[[], _MallInfo2] | None:
    """glibc's ``mallinfo2()`` (2.33 and later), or None."""
    return _c_function(ctypes.util.find_library("c"), "mallinfo2", [], _MallInfo2)


def snapshot() -> dict[str, float | int | None]:
    """Resident memory of this process (MB); of the C heap (glibc), the bytes in use and the
    bytes free but kept in the arenas (MB, None off glibc); SQLite's allocations (MB, None if
    unknown; part of the heap in use); Python's allocated small blocks; the live threads.

    Resident memory that rises while the heap in use stays level is freed memory the arenas
    keep (fragmentation), not a leak; a rising heap in use is memory something still holds.
    """
    rss = None
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                rss = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    used = _sqlite_memory_used()
    info = _mallinfo()
    heap = info() if info is not None else None
    return dict(
        rss_mb=rss,
        heap_used_mb=None if heap is None else round((heap.uordblks + heap.hblkhd) / 2**20, 1),
        heap_free_mb=None if heap is None else round(heap.fordblks / 2**20, 1),
        sqlite_mb=None if used is None else round(used() / 2**20, 1),
        python_blocks=sys.getallocatedblocks(),
        threads=threading.active_count(),
    )


def format_snapshot(snap: dict[str, float | int | None]) -> str:
    """One log line: ``memory: rss_mb=263.1 heap_used_mb=74.8 heap_free_mb=58.8 sqlite_mb=10.4
    python_blocks=985363 threads=12``.
    """
    return "memory: " + " ".join(f"{key}={value}" for key, value in snap.items())


def parse_snapshot(line: str) -> dict[str, float] | None:
    """The figures of a :func:`format_snapshot` line found in ``line`` (None if it holds none)."""
    if "memory: " not in line:
        return None
    out = {}
    for field in line.split("memory: ", 1)[1].split():
        key, _, value = field.partition("=")
        try:
            out[key] = float(value)
        except ValueError:
            continue
    return out or None


def freeze_startup_objects(modules: str = "startup") -> bool:
    """Once a process for each name ``modules`` (the router's modules at the first run; a
    screen's own modules when the screen is first shown): move every object alive (the modules,
    their functions and tables: some 180,000 in all) to the collector's permanent generation.
    A full collection walked them all, 0.3-1 s with the GIL held: after every run while
    Streamlit's ``runner.postScriptGC`` was on (a quarter of a loaded wall server's time,
    ``ops/load.py`` and py-spy), and still whenever Python's own collector reaches its oldest
    generation. Objects created later, each run's included, are collected as before. True the
    first time for ``modules``.
    """
    with _started:
        if modules in _frozen:
            return False
        gc.freeze()  # no collection first: it took a second of the first page, for a few kB
        _frozen.add(modules)
    return True


def start_reporting(minutes: int) -> bool:
    """Log :func:`snapshot` every ``minutes`` (≤ 0: never), once per process; True if it runs."""
    if minutes <= 0:
        return False
    with _started:
        if "ioc-memory-log" not in _threads:
            _start_once(
                "ioc-memory-log", lambda: log.info(format_snapshot(snapshot())), minutes * 60, first_now=True
            )
        return True
