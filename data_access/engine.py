"""Engines from configuration: the one place that turns a URL into a connection.

The dashboard's engine is read-only by construction where the backend allows it: SQLite is
opened with ``mode=ro``, PostgreSQL sessions start with ``default_transaction_read_only``, DuckDB
with ``read_only``. Writers (import, sample, simulate) ask for ``read_only=False`` explicitly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

#: Connections a process keeps open. A page's fetches run at once (``ui.data.together``: up to
#: five threads) and each fans out on the shared pool of four (``data_access.parallel``), so a
#: pool of five overflowed on every overview and opened and closed 1.4 connections a call (a
#: PostgreSQL backend to fork, or a SQLite connection with a cold page cache; measured in
#: docs/performance.md).
#: The dashboard passes its ``IOC_POOL_SIZE`` setting (default the same).
POOL_SIZE = 10
#: SQLite page cache of each read-only connection, in KiB (see _pragmas).
READ_CACHE_KIB = 4096


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for other backends and in-memory databases.

    The URL's database is the path as SQLAlchemy decodes it (``%23`` → ``#``, ``%3F`` → ``?``),
    or, for a ``sqlite:///file:…?uri=true`` URL, the path of that ``file:`` URI.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    if _is_uri(parsed.query):
        path = unquote(urlsplit(parsed.database).path)
        return Path(path) if path and path != ":memory:" else None
    return Path(parsed.database)


def file_identity(url: str) -> tuple[int, int] | None:
    """(device, inode) of a SQLite URL's file, None when the file is not there (or the URL names
    no file). A file rebuilt (``cli.py sample`` writes a new file and renames it over the old),
    replaced (``mv new.sqlite db.sqlite``) or deleted keeps its old identity for the connections
    already open on it, which go on reading the old data: compare this with the identity at
    opening time to notice.
    """
    try:
        path = sqlite_path(url)
    except Exception:  # not a URL at all: opening it will say so
        return None
    if path is None:
        return None
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _is_uri(query: Mapping[str, object]) -> bool:
    return str(query.get("uri", "")).lower() in ("true", "1")


def read_only_uri(path: Path, query: Mapping[str, object] | None = None) -> str:
    """The ``file:`` URI that opens ``path`` read-only: the path percent-encoded (a ``#`` or ``?``
    in it would otherwise end the path: ``/srv/a#b.sqlite`` opened ``/srv/a`` read-write), the
    URL's own URI parameters kept, ``mode=ro`` forced.
    """
    params = {k: str(v) for k, v in (query or {}).items() if k not in ("uri", "mode")}
    params["mode"] = "ro"
    return f"file:{quote(str(path.resolve()))}?{urlencode(params)}"


def make_engine(url: str, *, read_only: bool = True, pool_size: int = POOL_SIZE) -> Engine:
    """An engine for ``url``; read-only unless asked otherwise; ``pool_size`` connections kept
    open (SQLite and PostgreSQL).
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    pool_size = max(1, pool_size)
    if backend == "sqlite":
        return _sqlite_engine(url, read_only, pool_size)
    if backend == "postgresql":
        # Keep any options the URL carries (e.g. a search_path); add read-only sessions for the
        # dashboard, and no JIT: compiling a plan cost more than running the short queries.
        # Parallel workers only for plans they save a lot on (setup cost 20,000, default 1,000):
        # starting two workers for a summary query of a few thousand cells cost more than it
        # saved, while a scan of the dossier table (the fallback when the summaries cannot
        # answer) stays parallel. Measurements: docs/performance.md.
        given = parsed.query.get("options", "")
        given = given if isinstance(given, str) else " ".join(given)
        options = f"{given} -c jit=off -c parallel_setup_cost=20000" + (
            " -c default_transaction_read_only=on" if read_only else ""
        )
        args: dict[str, object] = {"connect_timeout": 5, "options": options.strip()}
        return create_engine(url, connect_args=args, pool_pre_ping=True, pool_size=pool_size)
    if backend == "duckdb":
        return create_engine(url, connect_args={"read_only": read_only} if read_only else {})
    return create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str, read_only: bool, pool_size: int) -> Engine:
    path = sqlite_path(url)
    if path is None:
        return create_engine(url)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"SQLite database not found: {path}")
        query = make_url(url).query
        uri = read_only_uri(path, query if _is_uri(query) else None)
        # A queue pool, as SQLAlchemy gives a file URL: the URL here names no file, so it would
        # pick the in-memory pool, which keeps a connection per thread and, past five threads
        # (Streamlit runs each rerun in a new thread), closed one another thread was using: a
        # segmentation fault in the SQLite library with twelve sessions at once.
        engine = create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10),
            poolclass=QueuePool,
            pool_size=pool_size,
            max_overflow=10,
        )
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        cur = dbapi_conn.cursor()
        if not read_only:
            # WAL: one writer (simulator, import) and many readers (the dashboard) at once.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        # Page cache per connection (the pool keeps up to pool_size): 4 MB for the dashboard's
        # readers; the operating system caches the file anyway. 16 MB a connection, times the
        # ten pooled ones, left the server at 391 MB after a session that opened every screen
        # at 10 M (290 MB with 4 MB), for no measurable speed (each screen's data within noise
        # at 16, 4 and 2 MB, A/B in one process). Writers keep 64 MB.
        cur.execute(f"PRAGMA cache_size=-{READ_CACHE_KIB if read_only else 65536}")
        cur.close()

    return engine


def gather_statistics(engine: Engine, tables: Iterable[str] = (), *, full: bool = True) -> None:
    """Planner statistics after a write that changed many rows (every import and refresh end here).

    SQLite: ``ANALYZE`` of the whole file (0.6 s at 1 M dossiers), then ``PRAGMA optimize``.
    PostgreSQL: ``ANALYZE`` of ``tables`` (our own table names), or of the whole database when
    none are given; autovacuum would get there, minutes later. DuckDB keeps its own statistics.
    The read path does not depend on them (performance-notes.md lesson 11: the statements are
    shaped so that the intended index is the only sensible plan without statistics), but joins
    and group sizes are estimated better with them.

    ``full=False`` (a write that changed few rows: the statistics gathered before still hold):
    SQLite runs only ``PRAGMA optimize``, which re-analyses what it judges worth it (a full
    ``ANALYZE`` reads every index: 1–2 s at 1 M dossiers); PostgreSQL, whose ``ANALYZE`` samples
    a bounded number of rows, is the same.
    """
    dialect = engine.dialect.name
    if dialect == "sqlite":
        with engine.begin() as conn:
            if full:
                conn.execute(text("ANALYZE"))
            conn.execute(text("PRAGMA optimize"))
    elif dialect == "postgresql":
        with engine.begin() as conn:
            quote = conn.dialect.identifier_preparer.quote
            names = [quote(name) for name in tables]
            for statement in [f"ANALYZE {name}" for name in names] or ["ANALYZE"]:
                conn.execute(text(statement))
