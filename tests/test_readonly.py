"""The dashboard's connection cannot write: an attempted write through it fails, on every backend,
and the database is unchanged."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import DBAPIError

from data_access.engine import make_engine
from data_access.schema import dossiers, meta
from tests.builders import T, build, dossier


def test_dashboard_engine_cannot_write(any_url: str) -> None:
    writer = build(any_url, [dossier("a", "101", T(2026, 10, 5, 9), T(2026, 10, 8, 17))])
    writer.dispose()
    reader = make_engine(any_url)
    try:
        with pytest.raises(DBAPIError) as err, reader.begin() as conn:
            conn.execute(insert(meta).values(key="intruder", value="x"))
        assert "read" in str(err.value).lower()  # "readonly" / "read-only transaction"
        with pytest.raises(DBAPIError), reader.begin() as conn:
            conn.execute(delete(dossiers))
        with reader.connect() as conn:
            assert conn.execute(select(func.count()).select_from(dossiers)).scalar() == 1
            assert conn.execute(select(func.count()).where(meta.c.key == "intruder")).scalar() == 0
    finally:
        reader.dispose()


_MANY_THREADS = """
import sys, threading
from data_access.engine import make_engine
from data_access.queries import unit_counters
from metrics.period import month_period

engine = make_engine(sys.argv[1])
errors = []

def session():
    for _ in range(5):
        try:
            unit_counters(engine, "district", month_period(2026, 10))
        except Exception as exc:
            errors.append(repr(exc))

threads = [threading.Thread(target=session) for _ in range(12)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(type(engine.pool).__name__, len(errors), errors[:1])
"""


def test_many_sessions_share_the_read_only_sqlite_engine(tmp_path) -> None:
    """Twelve sessions' threads query one read-only SQLite engine at once (Streamlit runs every
    rerun in a thread of its own). With the per-thread pool that an in-memory URL implies, the
    sixth thread's connection closed one still in use: a segmentation fault. Run in a child
    process so that a crash fails this test instead of ending the run."""
    import subprocess
    import sys
    from pathlib import Path

    url = f"sqlite:///{tmp_path / 'many.sqlite'}"
    rows = [dossier(f"d{i}", "101", T(2026, 10, 1 + i % 28, 9), T(2026, 10, 20, 17)) for i in range(200)]
    build(url, rows).dispose()
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", _MANY_THREADS, url], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[:2] == ["QueuePool", "0"], done.stdout


def test_postgresql_sessions_carry_the_dashboard_settings(pg_url: str) -> None:
    """Read-only, no JIT, parallel workers only for large scans, and the URL's own options kept
    (the test URL sets a search_path of its own: the fixture's fresh schema)."""
    build(pg_url, []).dispose()
    reader = make_engine(pg_url)
    try:
        with reader.connect() as conn:
            show = {
                name: conn.exec_driver_sql(f"SHOW {name}").scalar()
                for name in ("default_transaction_read_only", "jit", "parallel_setup_cost", "search_path")
            }
            assert conn.execute(select(func.count()).select_from(dossiers)).scalar() == 0
    finally:
        reader.dispose()
    assert show["default_transaction_read_only"] == "on"
    assert show["jit"] == "off"
    assert show["parallel_setup_cost"] == "20000"
    assert show["search_path"].startswith("t_")


def test_sqlite_readers_keep_a_small_page_cache(tmp_path) -> None:
    """4 MB a pooled reader (ten of them: 16 MB each left a 10 M session at 391 MB), 64 MB for
    a writer; the operating system caches the file for both."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    writer = build(url, [])
    reader = make_engine(url)
    try:
        with writer.connect() as w, reader.connect() as r:
            assert w.exec_driver_sql("PRAGMA cache_size").scalar() == -65536
            assert r.exec_driver_sql("PRAGMA cache_size").scalar() == -4096
    finally:
        writer.dispose()
        reader.dispose()


def test_the_pool_size_setting_reaches_the_dashboards_engine(tmp_path, monkeypatch) -> None:
    """IOC_POOL_SIZE sets the connections the dashboard keeps open (default ten, at least one)."""
    from ui import data

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    build(url, []).dispose()
    sizes = {}
    for value in ("", "3", "0"):
        monkeypatch.setenv("IOC_POOL_SIZE", value)
        engine = data.engine.__wrapped__(url)  # the function under st.cache_resource
        sizes[value] = engine.pool.size()
        engine.dispose()
    assert sizes == {"": 10, "3": 3, "0": 1}
