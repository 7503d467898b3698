"""The write side of the import: planner statistics at the end of every import and refresh,
re-imports that write only what changed (new / changed / unchanged counts, summaries by delta),
and the progress line.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select, text

import cli
from data_access.engine import make_engine
from data_access.importer import import_folder
from data_access.schema import dossiers
from data_access.summaries import maintain as summary
from tests.builders import build
from tests.import_fixtures import base_files, dossier_row, query, write_folder
from tests.test_summary import _assert_same_figures, _tables


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


def _three(folder: Path, changes: dict[str, dict[str, str]] | None = None, extra: int = 0) -> Path:
    """The base folder with dossiers D1–D3 (D4 left out), ``changes`` by code, ``extra`` new ones."""
    files = base_files()
    rows = [r for r in files["dossiers.csv"] if r["dossier_code"] != "D4"]
    for row in rows:
        row.update((changes or {}).get(row["dossier_code"], {}))
    rows += [dossier_row(f"N{i}") for i in range(1, extra + 1)]
    files["dossiers.csv"] = rows
    return write_folder(folder, files)


def test_reimport_counts_and_writes_only_new_and_changed(tmp_path: Path, any_url: str) -> None:
    first = import_folder(_three(tmp_path / "a"), any_url)
    assert (first.new, first.changed, first.unchanged) == (3, 0, 0), first.messages()
    # D2 finished since the first export (Tue 20/10 → Thu 22/10), N1 received: 1 new, 1 changed.
    newer = _three(tmp_path / "b", {"D2": dict(status="returned", finished_at="2026-10-22T10:00")}, extra=1)
    second = import_folder(newer, any_url)
    assert (second.new, second.changed, second.unchanged) == (1, 1, 2), second.messages()
    assert second.messages("en")[1] == "Dossiers: 1 new, 1 changed, 2 unchanged."
    d = dossiers.c
    assert query(any_url, select(d.status, d.processing_days).where(d.dossier_code == "D2")) == [
        ("returned", 2.0)
    ]
    again = import_folder(newer, any_url)  # the same export twice: nothing to write
    assert (again.new, again.changed, again.unchanged) == (0, 0, 4)

    # The figures after the re-imports equal a fresh import of the newer export, summaries and raw.
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    assert not import_folder(newer, fresh).rejected
    reimported, once = make_engine(any_url, read_only=False), make_engine(fresh, read_only=False)
    try:
        assert summary.is_current(reimported) or any_url.startswith("duckdb")
        ours, theirs = _tables(reimported), _tables(once)
        assert len(theirs["month"]) > 0
        with once.begin() as conn:  # the fresh import's summaries, built from the chunks it wrote,
            summary.rebuild(conn)  # equal those built from the table
        for name, frame in _tables(once).items():
            pd.testing.assert_frame_equal(theirs[name], frame, check_dtype=False, obj=name)
        for name in summary.GRAINS:
            pd.testing.assert_frame_equal(ours[name], theirs[name], check_dtype=False, obj=name)
        assert _assert_same_figures(reimported) > 0
        stored = query(any_url, select(dossiers).order_by(d.dossier_code))
        assert stored == query(fresh, select(dossiers).order_by(d.dossier_code))
    finally:
        reimported.dispose()
        once.dispose()


def test_progress_is_silent_off_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert cli.main(["import", str(write_folder(tmp_path / "in")), "--database", url]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("Đã nạp 6 đơn vị")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_and_quiet() -> None:
    screen = _Terminal()
    bar = cli.ProgressBar(screen, every=0.0)
    bar(200_000, 1_000_000)
    bar(1_000_000, 1_000_000)
    bar.close()
    lines = screen.getvalue().split("\r")
    assert "200,000/1,000,000 dossiers" in lines[1] and "/s" in lines[1] and "ETA" in lines[1]
    assert lines[2].startswith("█" * 24) and screen.getvalue().endswith("\n")
    quiet = _Terminal()
    muted = cli.ProgressBar(quiet, quiet=True)
    muted(1, 1)
    muted.close()
    assert quiet.getvalue() == ""
