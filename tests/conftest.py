"""Shared fixtures: fresh databases on every backend the data layer must run on.

PostgreSQL is the machine's server at 127.0.0.1:5432 (trust auth, database ``test``); each test
gets its own schema, dropped afterwards. When the server is unreachable the PostgreSQL tests are
skipped with the reason, except under CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import atexit
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("IOC_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_reachable() -> str | None:
    try:
        engine = create_engine(PG_SERVER, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return str(exc).splitlines()[0]


def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema; drops it afterwards."""
    problem = _pg_reachable()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL must be reachable in CI ({PG_SERVER}): {problem}")
        pytest.skip(f"PostgreSQL unreachable at {PG_SERVER}: {problem}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema."""
    yield from pg_schema_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def row_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database on SQLite, then on PostgreSQL: both must accept and refuse the same files."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite'}"
    else:
        yield from pg_schema_url()


@pytest.fixture(params=["sqlite", "postgresql", "duckdb"])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite'}"
    elif request.param == "duckdb":
        yield f"duckdb:///{tmp_path / 'db.duckdb'}"
    else:
        yield from pg_schema_url()


#: Debian's Chromium, driven by Playwright (which never downloads a browser of its own here).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # or Chromium tries outside hosts and "offline" fails
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium for a module's browser tests (each module skips itself without it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _silence_exit() -> None:
    """Silence the interpreter's exit, once the run has reported everything.

    DuckDB's bindings (nanobind) print dozens of "leaked instance/type/function" lines when the
    interpreter tears their module down, in pytest and in each xdist worker; they say nothing
    about the tests. Registered with atexit, this runs after the summary and before teardown.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)


atexit.register(_silence_exit)
