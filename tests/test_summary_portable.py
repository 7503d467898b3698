"""The SQL of the summary design stays within what a distributed PostgreSQL (Citus) runs.

The README's "Scaling" section claims the same queries run on Citus with the summary tables
distributed by ``unit_code`` and the small tables (units, closure, agencies, procedures) as
reference tables. That claim rests on the statements themselves: this test records every
statement the read path and the delta path send to a real PostgreSQL and checks them against
the constructs Citus does not run on distributed tables (or runs only when partitioned by the
distribution column), and that every upsert's conflict target holds the distribution column.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

import pandas as pd
from sqlalchemy import event

from data_access.load import derive_dossier_columns, upsert
from data_access.schema import dossiers
from data_access.summaries import maintain as summary
from data_access.summaries.read import summary_counts
from tests.builders import AGENCIES, build, dossier
from timebase.period import make_period, month_period, month_to_date

NOW = dt.datetime(2026, 11, 18, 10, 30)
#: Not available, or not on distributed tables unless partitioned by their distribution column.
CITUS_UNSAFE = (
    r"\bOVER\s*\(",  # window functions
    r"WITH\s+RECURSIVE",
    r"DISTINCT\s+ON",
    r"\bLATERAL\b",
    r"generate_series",
    r"nextval\(",
    r"\bTEMP(ORARY)?\b",
    r"TABLESAMPLE",
    r"FOR\s+(UPDATE|SHARE)",
)


def _rows(rng: random.Random, n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        received = dt.datetime(2026, 9, 1) + dt.timedelta(minutes=rng.randint(0, 110_000))
        due = received + dt.timedelta(days=rng.choice([1, 5, 20]))
        finished = received + dt.timedelta(days=rng.randint(0, 25)) if rng.random() < 0.7 else None
        unit = rng.choice([a["unit_code"] for a in AGENCIES])
        out.append(
            dossier(
                f"P{i}", unit, received, due, finished_at=finished if finished and finished < NOW else None
            )
        )
    return out


def test_summary_statements_use_nothing_citus_lacks(pg_url: str) -> None:
    rng = random.Random(4)
    rows = _rows(rng, 80)
    engine = build(pg_url, rows)
    with engine.begin() as conn:
        summary.rebuild(conn)
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        seen.append(statement)

    periods = [
        month_period(2026, 10),
        month_to_date(NOW),
        make_period(dt.date(2026, 10, 3), dt.date(2026, 10, 20)),
    ]
    for period in periods:
        for by in ((), ("agency", "channel"), ("field",)):
            summary_counts(engine, "district", period, by)
    with engine.begin() as conn:
        rows[0]["status"], rows[0]["finished_at"] = "returned", NOW
        upsert(conn, dossiers, derive_dossier_columns(pd.DataFrame(rows[:1])))
        summary.absorb_changes(conn)
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    upserts = [s for s in seen if "ON CONFLICT" in s and "summary_" in s]
    assert len(reads) >= 9 and upserts, (len(reads), len(upserts))
    for statement in seen:
        for pattern in CITUS_UNSAFE:
            assert not re.search(pattern, statement, re.IGNORECASE), (pattern, statement[:300])
    for statement in upserts:
        target = re.search(r"ON CONFLICT \(([^)]*)\)", statement)
        assert target and "unit_code" in target.group(1), statement[:300]
