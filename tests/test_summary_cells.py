"""The building blocks of the summary deltas, each against an independent reference: grouping
against pandas, timestamp parsing against pandas, and the upsert-add on every backend with codes
that need quoting (PostgreSQL receives each column as one array literal).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from data_access.summaries import maintain as summary
from data_access.summaries.arrays import ts as _ts
from data_access.summaries.cells import EVENT_COUNTERS, FLOAT_COUNTERS, OPEN_COUNTERS, _group
from data_access.summaries.tables import add_cells, summary_month
from tests.builders import build


@pytest.mark.parametrize(
    "ranges",
    [
        {"unit": 40, "agency": 7, "channel": 3, "day": 900},  # mixed radix in one integer
        {"a": 2**40, "b": 2**40, "c": 5},  # the product overflows: rows sorted as they are
    ],
)
def test_group_sums_like_pandas(ranges: dict[str, int]) -> None:
    rng = np.random.default_rng(7)
    n = 5_000
    keys = {k: rng.integers(0, r, n) + (20260000 if k == "day" else 0) for k, r in ranges.items()}
    if "a" in keys:  # few distinct combinations, far apart
        keys = {k: v % 3 * (r - 1) for (k, v), r in zip(keys.items(), ranges.values(), strict=True)}
    values = {"x": rng.integers(-3, 4, n).astype(float), "y": rng.random(n)}
    got = _group(keys, values)
    frame = pd.DataFrame({**got.keys, **got.values}).sort_values(list(keys)).reset_index(drop=True)
    expected = pd.DataFrame({**keys, **values}).groupby(list(keys), as_index=False).sum()
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)
    empty = _group({k: np.zeros(0, "int64") for k in keys}, {"x": np.zeros(0)})
    assert len(empty.keys["unit" if "unit" in keys else "a"]) == 0 and len(empty.values["x"]) == 0


def test_timestamps_parse_like_pandas() -> None:
    text = pd.Series(["2026-11-23 00:00:00", None, "2026-11-23 23:59:59.500000", "2026-02-28"], dtype="str")
    expected = pd.to_datetime(text, format="ISO8601").to_numpy(dtype="datetime64[us]")
    np.testing.assert_array_equal(_ts(text), expected)
    objects = pd.Series([dt.datetime(2026, 11, 23, 17), None], dtype=object)
    np.testing.assert_array_equal(_ts(objects), np.array(["2026-11-23T17:00", "NaT"], dtype="datetime64[us]"))
    # An offset: converted to UTC as pandas does (the fast path would drop it with a warning).
    zoned = pd.Series(["2026-11-23 07:00:00+07:00"], dtype=object)
    np.testing.assert_array_equal(_ts(zoned), np.array(["2026-11-23T00:00"], dtype="datetime64[us]"))


def test_add_cells_adds_on_every_backend_with_codes_that_need_quoting(any_url: str) -> None:
    engine = build(any_url, [])
    with engine.begin() as conn:
        summary.rebuild(conn)
    codes = ['a"b', "c\\d", "e,f", "{g}", "h i", "NULL", "Đ"]
    n = len(codes)
    cells = {
        "month": 202611 + np.zeros(n, "int64"),
        "unit_code": np.array(codes, dtype=object),
        "agency_code": np.array(["X"] * n, dtype=object),
        "channel": np.array(["online"] * n, dtype=object),
        **{c: np.arange(1, n + 1) for c in EVENT_COUNTERS if c not in FLOAT_COUNTERS},
        **{c: np.full(n, 0.5) for c in FLOAT_COUNTERS},
        **{c: np.ones(n, "int64") for c in OPEN_COUNTERS},
    }
    for _ in range(2):  # the second time every cell exists: n = n + excluded.n
        with engine.begin() as conn:
            add_cells(conn, {"month": cells})
    with engine.connect() as conn:
        got: dict[str, Any] = {
            r.unit_code: r for r in conn.execute(select(summary_month).where(summary_month.c.month == 202611))
        }
    assert sorted(got) == sorted(codes)
    for i, code in enumerate(codes):
        assert (got[code].received, got[code].processing_days, got[code].open_end) == (2 * (i + 1), 1.0, 2)


def test_sqlite_summaries_are_clustered_on_their_key(tmp_path: Any) -> None:
    """A range of months or days is read along the primary key's own B-tree (WITHOUT ROWID),
    not through an index plus a table lookup a cell (2× slower at 10 M dossiers)."""
    engine = build(f"sqlite:///{tmp_path / 'db.sqlite'}", [])
    with engine.begin() as conn:
        summary.rebuild(conn)
        for table, key in (
            ("summary_day", "day"),
            ("summary_month", "month"),
            ("summary_procedure_month", "month"),
            ("summary_field_month", "month"),
        ):
            ddl = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).scalar()
            assert ddl.rstrip().endswith("WITHOUT ROWID"), table
            plan = conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN SELECT unit_code, SUM(received) FROM {table} "
                f"WHERE {key} BETWEEN 1 AND 2 GROUP BY unit_code"
            ).all()
            assert any("USING PRIMARY KEY" in row[-1] for row in plan), (table, plan)


def test_older_summaries_are_seen_as_outdated_and_rebuilt(tmp_path: Any) -> None:
    """An embedded sample built by an older version (no procedure × day table, version "1") is
    brought to this version on start (app.ensure_sample_database)."""
    engine = build(f"sqlite:///{tmp_path / 'db.sqlite'}", [])
    with engine.begin() as conn:
        summary.rebuild(conn)
        conn.exec_driver_sql("DROP TABLE summary_procedure_day")
        conn.exec_driver_sql("UPDATE summary_state SET version = '1'")
    assert summary.outdated(engine) and not summary.is_current(engine)
    summary.rebuild_database(engine)  # what app._upgrade_sample does when outdated
    assert not summary.outdated(engine) and summary.is_current(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM summary_procedure_day").scalar() == 0


def test_rebuilt_summaries_are_vacuumed_on_postgresql(pg_url: str) -> None:
    """``cli.py refresh --rebuild`` ends with VACUUM (ANALYZE) of the summaries on PostgreSQL:
    fresh tables have no visibility map, so index reads would visit every row's page."""
    engine = build(pg_url, [])
    with engine.begin() as conn:
        summary.rebuild(conn)
    summary.vacuum_summaries(engine)
    with engine.connect() as conn:
        vacuumed = conn.exec_driver_sql(
            "SELECT relname FROM pg_stat_user_tables "
            "WHERE last_vacuum IS NOT NULL AND relname LIKE 'summary_%%'"
        ).scalars()
        assert set(vacuumed) >= {t.name for t in summary.GRAINS.values()}
