"""One measurement in its own process (so its peak memory is its own):

    python -m bench.measure --url URL --approach naive|raw|design|delta --now ISO [--repeats 5]

Prints one JSON object: median seconds per screen (or the delta timings) and the peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import time
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, select

from bench.screens import screens
from data_access import queries
from data_access.queries import (
    derive_dossier_columns,
    dossiers,
    make_engine,
    procedures,
    unit_ancestors,
    upsert,
)


def _timed(fn: Any, repeats: int, warm_up: bool = True) -> float:
    if warm_up:
        fn()  # warm-up: caches, plans, imports
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def _naive(url: str, now: dt.datetime) -> float:
    """What most Streamlit tutorials do: read the whole table into pandas, group there (here with
    the project's own event logic, queries.summary_cells, so the figures are the real ones)."""
    engine = make_engine(url)
    started = time.perf_counter()
    with engine.connect() as conn:
        stmt = select(dossiers, procedures.c.full_process_eligible, procedures.c.time_limit_days).join(
            procedures, procedures.c.code == dossiers.c.procedure_code
        )
        result = conn.execute(stmt)
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
        closure = pd.DataFrame(conn.execute(select(unit_ancestors)).all())
    month = queries.summary_cells(frame)["month"]
    month = month[month["month"] == now.year * 100 + now.month]
    rolled = month.merge(closure[closure["ancestor_level"] == "district"], on="unit_code")
    rolled.groupby("ancestor_code").sum(numeric_only=True)
    return time.perf_counter() - started


def _delta(url: str, now: dt.datetime, repeats: int) -> dict[str, float]:
    """Write 1,000 new dossiers (copies of recent ones, received now), then time absorbing them;
    warm like every other figure: the first round (statement compilation, server-side prepares,
    cold pages) is a warm-up and not counted.
    """
    engine = make_engine(url, read_only=False)
    writes, absorbs = [], []
    for r in range(repeats + 1):
        with engine.connect() as conn:
            result = conn.execute(select(dossiers).order_by(dossiers.c.received_at.desc()).limit(1000))
            rows = pd.DataFrame(result.all(), columns=list(result.keys()))
        rows["dossier_code"] = [f"BENCH-{r}-{i}" for i in range(len(rows))]
        rows["received_at"] = now
        rows["due_at"] = now + dt.timedelta(days=5)
        rows[["finished_at", "supplement_requested_at", "rating"]] = None
        rows["status"], rows["supplement_requests"] = "received", 0
        started = time.perf_counter()
        with engine.begin() as conn:
            upsert(conn, dossiers, derive_dossier_columns(rows))
        writes.append(time.perf_counter() - started)
        started = time.perf_counter()
        with engine.begin() as conn:
            queries.absorb_changes(conn)
        absorbs.append(time.perf_counter() - started)
        with engine.begin() as conn:  # leave the database as it was
            conn.execute(delete(dossiers).where(dossiers.c.dossier_code.like("BENCH-%")))
            queries.absorb_changes(conn)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(dossiers)).scalar()
    return {
        "write_1000": statistics.median(writes[1:]),
        "absorb_1000": statistics.median(absorbs[1:]),
        "absorb_1000_first": absorbs[0],
        "dossiers": total,
    }


def main() -> None:
    """Run one approach and print its JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--approach", choices=["naive", "raw", "design", "delta"], required=True)
    parser.add_argument("--now", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false", help="time the first run")
    args = parser.parse_args()
    now = dt.datetime.fromisoformat(args.now)
    out: dict[str, Any] = {}
    if args.approach == "delta":
        out["delta"] = _delta(args.url, now, args.repeats)
    elif args.approach == "naive":
        out["screens"] = {"read all + group in pandas (any screen)": _naive(args.url, now)}
    else:
        if args.approach == "raw":  # bypass the summaries: the GROUP BY on the dossier table
            queries.use_summaries(False)
        engine = make_engine(args.url)
        if args.approach == "design":
            out["summaries_current"] = queries.summaries_current(engine)
        fetches = screens(now).items()
        out["screens"] = {
            name: _timed(lambda fn=fn: fn(engine), args.repeats, args.warm_up) for name, fn in fetches
        }
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main()
