"""Every statement of the wall page and of the period figures reads dossiers through its intended
index on a database that never had planner statistics (performance-notes.md lessons 5 and 11).

A fresh import used to leave SQLite without statistics, and it then walked the whole dossier table
in ``ix_dossiers_unit_received``'s order to group the open rows (seconds a call at 1 M instead of
milliseconds). The statements are shaped so that the intended plan is the only sensible one
without statistics; these tests read the plans the planners pick on databases that have none:
no ``sqlite_stat1`` at all on SQLite, and on PostgreSQL a freshly loaded table with autovacuum
disabled and no ANALYZE (``pg_stats`` empty). No statistics are forged.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from bench.screens import screens
from data_access import queries
from data_access.schema import dossiers
from data_access.summaries import maintain as summary
from tests.builders import AGENCIES, build, dossier
from timebase.period import make_period, month_period, month_to_date

NOW = dt.datetime(2026, 11, 18, 10, 30)
PAST_MOMENT = make_period(dt.date(2026, 10, 1), dt.date(2026, 10, 31), dt.datetime(2026, 10, 9, 14, 0))

#: The calls whose statements are judged: the whole wall page (bench/screens.py: the five fetches
#: of app_pages/overview.py) and the unit counters of a finished month, the month to date and a
#: past moment with later events (that day's rows apart from the open rows with nothing new).
CALLS: dict[str, Callable[[Engine], Any]] = {
    "wall page": screens(NOW)["overview (whole wall page)"],
    "finished month": lambda e: queries.unit_counters(e, "district", month_period(2026, 10)),
    "month to date": lambda e: queries.unit_counters(e, "district", month_to_date(NOW)),
    "a past moment": lambda e: queries.unit_counters(e, "district", PAST_MOMENT),
}


def _statements(engine: Engine) -> list[tuple[str, Any]]:
    """The distinct statements on the dossier table that :data:`CALLS` run, with parameters."""
    seen: dict[str, Any] = {}

    @event.listens_for(engine, "before_cursor_execute")
    def _capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if " dossiers" in statement and statement not in seen:
            seen[statement] = parameters

    for call in CALLS.values():
        call(engine)
    event.remove(engine, "before_cursor_execute", _capture)
    return list(seen.items())


def _open_rows(statement: str) -> bool:
    """The count of the rows still in the queue (summaries.read's queued raw part)."""
    return "count(*) AS open_end" in statement


def _overdue(statement: str) -> bool:
    return "AS overdue" in statement


def _sqlite_rows(n: int) -> list[dict[str, Any]]:
    rng = random.Random(11)
    units = [a["unit_code"] for a in AGENCIES]
    rows = []
    for i in range(n):
        received = NOW - dt.timedelta(minutes=rng.randint(60, 200 * 24 * 60))
        due = received + dt.timedelta(days=rng.choice([1, 5, 10]))
        done = rng.random() < 0.9 and received + dt.timedelta(days=1) < NOW
        extra = dict(finished_at=received + dt.timedelta(days=1)) if done else {}
        rows.append(dossier(f"D{i:05d}", rng.choice(units), received, due, **extra))
    return rows


def test_sqlite_plans_without_statistics(tmp_path: Any) -> None:
    engine = build(f"sqlite:///{tmp_path / 'db.sqlite'}", _sqlite_rows(300))
    with engine.begin() as conn:
        summary.rebuild(conn)  # summaries current: the reads take the summary path
        stat_tables = "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'sqlite_stat%'"
        assert conn.exec_driver_sql(stat_tables).scalar() == 0  # no statistics, ever
    statements = _statements(engine)
    assert sum(map(_open_rows, (s for s, _ in statements))) >= 2 and any(_overdue(s) for s, _ in statements)
    for statement, parameters in statements:
        with engine.connect() as conn:
            steps = [str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
        # A SCAN of the dossier table, even "USING INDEX", reads every row: never on these pages.
        assert not [s for s in steps if s.startswith("SCAN dossiers")], (statement, steps)
        if _open_rows(statement):
            # Read from the index alone: every column the open counters judge is in it.
            assert any("COVERING INDEX ix_dossiers_open_now" in s for s in steps), (statement, steps)
        if _overdue(statement):
            assert any("ix_dossiers_open_due" in s for s in steps), (statement, steps)
    engine.dispose()


#: 50,000 dossiers over the 600 days before NOW, 1 in 30 still open (about 1,700), the others
#: finished a day after receipt: enough rows for PostgreSQL's planner to prefer an index.
_PG_ROWS = """
INSERT INTO dossiers (dossier_code, procedure_code, agency_code, unit_code, desk_unit_code, channel,
    received_at, due_at, finished_at, status, supplement_requests, supplement_requested_at,
    fee_required, paid_online, e_result, digitized, reused_data, rating, received_month,
    processing_days)
SELECT 'G' || i, (ARRAY['1.000001', '1.000002', '1.000003'])[1 + i % 3], a[1 + i % 6], u[1 + i % 6],
    u[1 + i % 6], (ARRAY['online', 'direct', 'postal'])[1 + i % 3], r, r + interval '5 days',
    CASE WHEN i % 30 = 0 THEN NULL ELSE r + interval '1 day' END,
    CASE WHEN i % 30 = 0 THEN 'in_progress' ELSE 'returned' END, 0, NULL, false, false, false, false,
    false, NULL, CAST(to_char(r, 'YYYYMM') AS INTEGER), CASE WHEN i % 30 = 0 THEN NULL ELSE 1 END
FROM (
    SELECT i, TIMESTAMP '2026-11-16 10:30' - i * interval '17 minutes' AS r,
        ARRAY['S-1', 'H-100', 'H-200', 'X-101', 'X-102', 'X-201'] AS a,
        ARRAY['70', '100', '200', '101', '102', '201'] AS u
    FROM generate_series(1, 50000) AS i
) AS g
"""


def test_postgresql_plans_without_statistics(pg_url: str) -> None:
    engine = build(pg_url, [])
    with engine.begin() as conn:
        for table in ("dossiers", "units", "unit_ancestors", "agencies", "procedures"):
            conn.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
        conn.execute(text(_PG_ROWS))
        summary.rebuild(conn)
        for table in summary.GRAINS.values():
            conn.execute(text(f"ALTER TABLE {table.name} SET (autovacuum_enabled = false)"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM dossiers")).scalar() == 50_000
        stats = "SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'dossiers'"
        assert conn.execute(text(stats)).scalar() == 0  # the premise: no statistics at all
    statements = _statements(engine)
    assert sum(map(_open_rows, (s for s, _ in statements))) >= 2 and any(_overdue(s) for s, _ in statements)
    for statement, parameters in statements:
        with engine.connect() as conn:
            steps = [r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters)]
        plan = "\n".join(steps)
        assert f"Seq Scan on {dossiers.name}" not in plan, (statement, plan)
        if _open_rows(statement):
            assert "ix_dossiers_open_now" in plan, (statement, plan)
        if _overdue(statement):
            assert "ix_dossiers_open_due" in plan or "ix_dossiers_open_now" in plan, (statement, plan)
    with engine.connect() as conn:
        assert conn.execute(text(stats)).scalar() == 0  # still none: the plans were judged without
    engine.dispose()
