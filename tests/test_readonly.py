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
from timebase.period import month_period

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


@pytest.mark.parametrize("folder", ["a#b", "what?x=1", "with spaces", "Bình Phước đường", "#?% &=;"])
def test_a_sqlite_path_is_opened_exactly_and_read_only(tmp_path, folder: str) -> None:
    """A ``#`` in the path ended the ``file:`` URI there: the "read-only" engine opened the
    truncated path read-write (a CREATE TABLE succeeded). The URI percent-encodes the path."""
    from sqlalchemy.engine import URL

    from data_access.engine import sqlite_path

    path = tmp_path / folder / f"{folder}.sqlite"
    path.parent.mkdir()
    url = URL.create("sqlite", database=str(path)).render_as_string()  # ? # % escaped in the URL
    assert sqlite_path(url) == path
    build(url, [dossier("a", "101", T(2026, 10, 5, 9), T(2026, 10, 8, 17))]).dispose()
    decoy = tmp_path / folder.split("#")[0].split("?")[0]  # where a cut URI would land

    def files() -> set[str]:  # a WAL database's readers add its -wal and -shm files
        return {
            str(p.relative_to(tmp_path)).removesuffix("-wal").removesuffix("-shm")
            for p in tmp_path.rglob("*")
        }

    before = files()
    reader = make_engine(url)
    try:
        with reader.connect() as conn:
            assert conn.execute(select(func.count()).select_from(dossiers)).scalar() == 1
        with pytest.raises(DBAPIError, match="readonly"), reader.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE intruder (x INTEGER)")
    finally:
        reader.dispose()
    assert files() == before  # no other file created
    assert not decoy.is_file()


def test_a_sqlite_uri_url_keeps_its_file_and_is_still_read_only(tmp_path) -> None:
    """``sqlite:///file:…?uri=true`` (its path percent-encoded as a URI): the same file, and
    ``mode=rw`` in the URL does not make the dashboard's engine writable."""
    from urllib.parse import quote

    from sqlalchemy.engine import URL

    path = tmp_path / "a #1" / "db.sqlite"
    path.parent.mkdir()
    build(f"sqlite:///{path}", []).dispose()
    url = URL.create("sqlite", database=f"file:{quote(str(path))}", query={"uri": "true", "mode": "rw"})
    reader = make_engine(url.render_as_string())
    try:
        with reader.connect() as conn:
            assert conn.execute(select(func.count()).select_from(dossiers)).scalar() == 0
        with pytest.raises(DBAPIError, match="readonly"), reader.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE intruder (x INTEGER)")
    finally:
        reader.dispose()
