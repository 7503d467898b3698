"""Keep a long-running server's resident memory flat: hand freed heap pages back to the system.

Streamlit runs every rerun in a thread of its own, and glibc gives threads their own malloc
arenas; the pandas and NumPy temporaries of each refresh are freed into those arenas, but the
pages stay resident, so a wall server's RSS creeps up for hours although nothing leaks (the
soak in ops/soak.py measures it). ``malloc_trim(0)`` returns every whole free page of every
arena to the system. It runs on a daemon thread every ``IOC_MALLOC_TRIM_SECONDS``; on a system
without glibc (musl, macOS, Windows) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time
from collections.abc import Callable

_started = threading.Lock()
_thread: threading.Thread | None = None


def _malloc_trim() -> Callable[[], object] | None:
    """glibc's ``malloc_trim(0)``, or None where there is no such function."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return lambda: trim(0)


def start_trimming(seconds: int) -> bool:
    """Start the trimming thread once per process (``seconds`` ≤ 0: never); True if it runs."""
    global _thread
    if seconds <= 0:
        return False
    with _started:
        if _thread is not None:
            return True
        trim = _malloc_trim()
        if trim is None:
            return False

        def loop() -> None:
            while True:
                time.sleep(seconds)
                trim()

        _thread = threading.Thread(target=loop, name="ioc-malloc-trim", daemon=True)
        _thread.start()
        return True
