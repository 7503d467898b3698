"""The write side of the import: planner statistics at the end of every import and refresh,
re-imports that write only what changed (new / changed / unchanged counts, summaries by delta),
and the progress line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

import cli
from data_access.engine import make_engine
from data_access.importer import import_folder
from tests.builders import build
from tests.import_fixtures import write_folder


@pytest.fixture(params=["sqlite", "postgresql"])
def row_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    """A fresh, empty SQLite file or PostgreSQL schema (the backends with planner statistics)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite'}"
    else:
        from tests.conftest import pg_schema_url

        yield from pg_schema_url()


def _dossier_statistics(url: str) -> int:
    """Rows of planner statistics the database holds for the dossier table."""
    engine = make_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            table = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
            has = conn.execute(text(table)).scalar()
            sql = "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'dossiers'"
        else:
            has = 1
            sql = (
                "SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'dossiers'"
            )
        found = int(conn.execute(text(sql)).scalar() or 0) if has else 0
    engine.dispose()
    return found


def test_import_gathers_planner_statistics(tmp_path: Path, row_store_url: str) -> None:
    result = import_folder(write_folder(tmp_path / "in"), row_store_url)
    assert not result.rejected and result.fatal is None, result.messages()
    assert _dossier_statistics(row_store_url) > 0


def test_refresh_gathers_planner_statistics(row_store_url: str) -> None:
    from tests.builders import T, dossier

    rows = [dossier(f"D{i}", "101", T(2026, 10, 1 + i, 9), T(2026, 10, 9 + i, 17)) for i in range(5)]
    build(row_store_url, rows).dispose()
    assert _dossier_statistics(row_store_url) == 0  # a database written without statistics
    assert cli.main(["refresh", "--database", row_store_url]) == 0
    assert _dossier_statistics(row_store_url) > 0
