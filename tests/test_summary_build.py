"""A summary build that writes its cells out many times (a budget of one byte: every chunk's
cells are merged, then written, inserted the first time and added after) ends with the tables of
a build that held everything in memory, and with the raw figures: the rebuild on SQLite and
PostgreSQL, and an import in chunks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from data_access import importer
from data_access.engine import make_engine
from data_access.importer import import_folder
from data_access.schema import dossiers
from data_access.summaries import build as summary_build
from data_access.summaries import maintain as summary
from data_access.summaries.read import summary_counts
from tests.import_fixtures import base_files, write_folder
from tests.test_import_messy import figures, ok
from tests.test_import_stream import _folder, _many, _summaries
from tests.test_summary import (
    _assert_same_figures,
    _assert_same_monthly,
    _assert_same_procedure_counts,
    _history,
    _tables,
)
from timebase.period import month_period


def _assert_same_tables(ours: dict[str, pd.DataFrame], theirs: dict[str, pd.DataFrame]) -> None:
    assert len(theirs["month"]) > 0
    for name in summary.GRAINS:
        pd.testing.assert_frame_equal(ours[name], theirs[name], check_dtype=False, obj=name)


def test_rebuild_in_many_small_writes_equals_one_in_memory(row_store_url: str) -> None:
    engine = _history(row_store_url, 4)
    with engine.begin() as conn:
        summary.rebuild(conn)
    held = _tables(engine)
    with engine.begin() as conn:
        codes = list(conn.execute(select(dossiers.c.dossier_code)).scalars())
        rows = summary.rows_with_procedures(conn, codes)
        build = summary_build.CellBuild(conn, budget=1)
        for start in range(0, len(rows), 9):  # ~20 chunks, each merged and written at once
            build.add(rows.iloc[start : start + 9])
        assert build.write() == len(rows)
    assert build.flushes > 10
    _assert_same_tables(_tables(engine), held)
    assert summary.is_current(engine)
    assert _assert_same_figures(engine) > 0
    assert _assert_same_procedure_counts(engine) > 0
    _assert_same_monthly(engine)
    engine.dispose()


def test_import_with_a_tiny_budget_gives_the_figures_of_one_build(
    tmp_path: Path, row_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path / "in", _many())
    whole = f"sqlite:///{tmp_path / 'whole.sqlite'}"
    ok(import_folder(folder, whole))  # one chunk, cells held until the end
    added: list[int] = []

    def counting_add(conn: Any, grains: Any) -> None:
        added.append(1)
        add_cells(conn, grains)

    add_cells = summary_build.add_cells
    monkeypatch.setattr(summary_build, "add_cells", counting_add)
    monkeypatch.setattr(summary_build, "BUDGET_BYTES", 1)
    monkeypatch.setattr(importer, "_CHUNK_ROWS", 50)
    ok(import_folder(folder, row_store_url))
    assert len(added) >= 4 * 4  # chunks 2–5 added to each of the four tables
    assert figures(row_store_url) == figures(whole)
    _assert_same_tables(_summaries(row_store_url), _summaries(whole))
    engine = make_engine(row_store_url, read_only=False)
    try:
        assert summary.is_current(engine)
        assert _assert_same_figures(engine) > 0
        with engine.begin() as conn:  # and equal to a rebuild from the dossier table
            summary.rebuild(conn)
        _assert_same_tables(_tables(engine), _summaries(whole))
    finally:
        engine.dispose()


def test_a_catalogue_that_changes_a_legal_limit_or_a_field_rebuilds_the_summaries(
    tmp_path: Path, row_store_url: str
) -> None:
    files = base_files()
    ok(import_folder(write_folder(tmp_path / "a", files), row_store_url))
    engine = make_engine(row_store_url, read_only=False)
    october = month_period(2026, 10)

    def limit_days() -> dict[str, float]:
        counts = summary_counts(engine, "province", october, ("field",))
        return dict(zip(counts["field"], counts["limit_days"], strict=True))

    # One finished dossier a field in October: 1.000001 (Hộ tịch, 3 days), 1.000002 (Xây dựng, 10).
    assert limit_days() == {"Hộ tịch": 3.0, "Xây dựng": 10.0}
    for procedure in files["procedures.csv"]:
        if procedure["code"] == "1.000002":
            procedure["time_limit_days"] = "7"
    ok(import_folder(write_folder(tmp_path / "b", files), row_store_url))
    # The same dossiers, judged against the new limit: without a rebuild the cells kept 10 days.
    assert summary.is_current(engine)
    assert limit_days() == {"Hộ tịch": 3.0, "Xây dựng": 7.0}
    assert _assert_same_figures(engine) > 0
    # A procedure moved to another field: the field cells follow it.
    files["procedures.csv"][0]["field"] = "Hộ tịch - Chứng thực"  # 1.000001
    ok(import_folder(write_folder(tmp_path / "c", files), row_store_url))
    assert limit_days() == {"Hộ tịch - Chứng thực": 3.0, "Xây dựng": 7.0}
    assert _assert_same_figures(engine) > 0
    engine.dispose()
