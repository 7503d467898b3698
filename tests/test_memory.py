"""The server hands freed heap memory back to the system (ui/memory.py): measured on this
process's resident memory, with the allocation pattern that makes a wall server creep up
(many mid-sized buffers freed in a worker thread while a few survive between them)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from ui import memory

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc_trim")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_trim_returns_freed_pages_of_a_worker_threads_arena() -> None:
    trim = memory._malloc_trim()
    assert trim is not None
    kept: list[np.ndarray] = []
    before: list[float] = []

    def worker() -> None:  # like a Streamlit rerun: a thread of its own, its own malloc arena
        buffers = [np.ones(12_000) for _ in range(3_000)]  # 96 KB each (under the mmap limit)
        kept.extend(buffers[::10])  # a few survive between the freed ones: no heap top to cut
        buffers.clear()
        before.append(_rss_mb())

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    trim()
    after = _rss_mb()
    assert before[0] - after > 100, (before[0], after)  # ~250 MB freed in the arena, ~25 MB kept
    kept.clear()


def test_trimming_thread_starts_once_and_never_when_disabled() -> None:
    assert memory.start_trimming(0) is False
    assert memory.start_trimming(3600) is True
    assert memory.start_trimming(3600) is True
    names = [t.name for t in threading.enumerate()]
    assert names.count("ioc-malloc-trim") == 1


def test_the_memory_line_counts_sqlites_page_caches(tmp_path: Path) -> None:
    """The log line the soak reads: SQLite's allocations grow by a reader's filled page cache
    (4 MB) and shrink when it closes; the line parses back to the same figures."""
    import sqlite3

    db = tmp_path / "big.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", (("x" * 900,) for _ in range(12_000)))  # ~11 MB
    base = memory.snapshot()
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    reader.execute("PRAGMA cache_size=-4096")
    assert reader.execute("SELECT count(*), sum(length(x)) FROM t").fetchone() == (12_000, 10_800_000)
    filled = memory.snapshot()
    reader.close()
    closed = memory.snapshot()
    assert base["sqlite_mb"] is not None
    assert 3.5 <= filled["sqlite_mb"] - base["sqlite_mb"] <= 5.0, (base, filled)
    assert closed["sqlite_mb"] - base["sqlite_mb"] < 0.5, (base, closed)
    assert filled["rss_mb"] > 0 and filled["python_blocks"] > 0 and filled["threads"] >= 1
    line = "2026-11-24 06:40:18,670 INFO ioc.memory: " + memory.format_snapshot(filled)
    assert memory.parse_snapshot(line) == {k: float(v) for k, v in filled.items()}
    assert memory.parse_snapshot("2026-11-24 INFO ioc.data: query failed") is None


def test_the_memory_line_is_logged_once_a_process_and_never_when_disabled() -> None:
    assert memory.start_reporting(0) is False
    assert memory.start_reporting(60) is True
    assert memory.start_reporting(60) is True
    assert [t.name for t in threading.enumerate()].count("ioc-memory-log") == 1


def test_the_memory_line_tells_heap_in_use_from_resident() -> None:
    """The C heap in use follows what is held (an 80 MB array, then nothing): a resident size
    that rises while this figure stays level is freed memory the arenas keep, not a leak."""
    before = memory.snapshot()
    held = np.ones(10_000_000)  # 80 MB
    holding = memory.snapshot()
    del held
    after = memory.snapshot()
    assert before["heap_used_mb"] is not None and before["heap_free_mb"] is not None
    assert 75 <= holding["heap_used_mb"] - before["heap_used_mb"] <= 85, (before, holding)
    assert abs(after["heap_used_mb"] - before["heap_used_mb"]) < 2, (before, after)
