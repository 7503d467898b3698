"""Shared fixtures: fresh databases on every backend the data layer must run on.

PostgreSQL is the machine's server at 127.0.0.1:5432 (trust auth, database ``test``); each test
gets its own schema, dropped afterwards. When the server is unreachable the PostgreSQL tests are
skipped with the reason, except under CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import atexit
import functools
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


# The browser tests' session fixtures (Chromium, the served sample, the walk of every screen).
from tests.browser_fixtures import (  # noqa: E402,F401
    SHARED_SERVER_MODULES,
    browser,
    sample_url,
    screen_walk,
    server,
    walks,
)

#: Modules that take longest, started first so that no long one is left for the end while the
#: other worker idles (the rest keep their order). Figures: docs/testing.md.
SLOW_FIRST = (
    *SHARED_SERVER_MODULES,
    "test_summary.py",
    "test_browser_recovery.py",
    "test_sample.py",
    "test_load.py",
    "test_url_properties.py",
    "test_shortfall.py",
    "test_form06.py",
    "test_import_write.py",
    "test_summary_build.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slow modules first (xdist hands out files in this order: see the scheduler)."""
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """A file's tests stay on one worker (``--dist loadfile``), and the modules that share the
    served sample (:data:`SHARED_SERVER_MODULES`) are one unit, so one worker builds it once."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedServerScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return "shared-browser-server" if Path(path).name in SHARED_SERVER_MODULES else path

    return SharedServerScheduling(config, log)


@functools.cache
def _component_manager() -> Any:
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


@pytest.fixture(autouse=True, scope="session")
def _scan_components_once() -> Iterator[None]:
    """Each new AppTest scans every installed package's metadata for Streamlit components
    (about 0.6 s, most of a short page run, and 15 % of the AppTest modules' time); the
    packages do not change during a run, so every AppTest gets the one scan's manager."""
    from streamlit.testing.v1 import AppTest

    original = AppTest.__init__

    def init(self: AppTest, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self._bidi_component_manager = _component_manager()  # Streamlit 1.67's attribute

    AppTest.__init__ = init  # type: ignore[method-assign]
    yield
    AppTest.__init__ = original  # type: ignore[method-assign]


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
