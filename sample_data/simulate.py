"""Feed the sample database in real time so the wall visibly moves in a demo.

Every ``interval`` seconds one tick writes, at the current local time (Asia/Ho_Chi_Minh):

- new dossiers, copied from the mix of the latest ones received (unit, agency, procedure,
  channel, fee and digitisation flags), with their due date in Vietnamese working days;
- completions of open dossiers (returned now, sometimes with a rating, mostly an e-result);
- ratings of dossiers finished in the last days that had none.

Counts per tick are Poisson draws around ``rate`` × (3 new, 2 completions, 1 rating). The draws
come from one generator seeded with ``seed``, so the same database and the same clock give the
same changes. Rows go through ``data_access.queries.save_dossiers`` (the shared upsert and derived
columns) on a read-write engine; SQLite runs in WAL mode, so the dashboard keeps reading meanwhile.
It refuses a database that is not marked as sample data unless told ``force``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from data_access import queries
from data_access.queries import make_engine, sqlite_path
from timebase.period import local_now
from timebase.workdays import due_date

#: Mean events per tick at rate 1.
MEAN_NEW, MEAN_DONE, MEAN_RATED = 3.0, 2.0, 1.0
#: How the simulated citizens rate (very satisfied, satisfied, unsatisfied) and how often.
RATINGS = ("very_satisfied", "satisfied", "unsatisfied")
RATING_SHARES = (0.55, 0.37, 0.08)
RATED_AT_COMPLETION = 0.5
E_RESULT_SHARE = 0.8
POOL_ROWS, CANDIDATE_ROWS = 500, 200
RATING_WINDOW = dt.timedelta(days=3)


class CannotSimulate(Exception):
    """No database there, or one not marked as sample data (fake dossiers must not go into it)."""


@dataclass
class Totals:
    """What a run wrote."""

    ticks: int = 0
    new: int = 0
    finished: int = 0
    rated: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.ticks + other.ticks,
            self.new + other.new,
            self.finished + other.finished,
            self.rated + other.rated,
        )

    def __str__(self) -> str:
        return (
            f"{self.ticks} lượt / ticks: {self.new} hồ sơ mới / new, {self.finished} hoàn thành / "
            f"finished, {self.rated} đánh giá / ratings"
        )


def _new_dossiers(
    pool: pd.DataFrame, rng: np.random.Generator, n: int, now: dt.datetime, tag: str
) -> pd.DataFrame:
    if pool.empty or n == 0:
        return pool.iloc[0:0]
    rows = pool.iloc[rng.integers(0, len(pool), size=n)].copy().reset_index(drop=True)
    rows["dossier_code"] = [f"SIM-{tag}-{now:%Y%m%d%H%M%S}-{i:03d}" for i in range(n)]
    rows["received_at"] = now
    rows["due_at"] = [due_date(now, float(limit)) for limit in rows["time_limit_days"]]
    for col, value in (("status", "received"), ("supplement_requests", 0), ("e_result", False)):
        rows[col] = value
    for col in ("finished_at", "supplement_requested_at", "rating"):
        rows[col] = None
    return rows.drop(columns=["time_limit_days"])


def _ratings(rng: np.random.Generator, n: int) -> list[str]:
    return [RATINGS[i] for i in rng.choice(len(RATINGS), size=n, p=RATING_SHARES)]


def _finish(candidates: pd.DataFrame, rng: np.random.Generator, n: int, now: dt.datetime) -> pd.DataFrame:
    if candidates.empty or n == 0:
        return candidates.iloc[0:0]
    rows = candidates.iloc[rng.choice(len(candidates), size=min(n, len(candidates)), replace=False)].copy()
    rows["status"], rows["finished_at"] = "returned", now
    rows["e_result"] = rng.random(len(rows)) < E_RESULT_SHARE
    rated = rng.random(len(rows)) < RATED_AT_COMPLETION
    rows["rating"] = [r if keep else None for r, keep in zip(_ratings(rng, len(rows)), rated, strict=True)]
    return rows


def _rate(candidates: pd.DataFrame, rng: np.random.Generator, n: int) -> pd.DataFrame:
    if candidates.empty or n == 0:
        return candidates.iloc[0:0]
    rows = candidates.iloc[rng.choice(len(candidates), size=min(n, len(candidates)), replace=False)].copy()
    rows["rating"] = _ratings(rng, len(rows))
    return rows


def tick(engine: Engine, rng: np.random.Generator, now: dt.datetime, rate: float, tag: str) -> Totals:
    """Write one tick's new dossiers, completions and ratings at ``now``; returns the counts."""
    n_new, n_done, n_rated = rng.poisson(np.array([MEAN_NEW, MEAN_DONE, MEAN_RATED]) * rate)
    new = _new_dossiers(queries.recent_dossiers(engine, POOL_ROWS), rng, int(n_new), now, tag)
    done = _finish(queries.open_dossiers(engine, CANDIDATE_ROWS), rng, int(n_done), now)
    since = now - RATING_WINDOW
    rated = _rate(queries.unrated_finished(engine, since, CANDIDATE_ROWS), rng, int(n_rated))
    changed = [f for f in (new, done, rated) if not f.empty]
    if changed:
        queries.save_dossiers(engine, pd.concat(changed, ignore_index=True))
        queries.absorb_pending(engine)  # the tick's deltas into the summary tables (issue 8)
    return Totals(1, len(new), len(done), len(rated))


def _writer(url: str, force: bool) -> Engine:
    """A read-write engine on ``url``, once it is known to hold sample data (or ``force``)."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise CannotSimulate(f"no database at {path}: build one with `python cli.py sample`")
    engine = make_engine(url, read_only=False)
    if not force and queries.database_meta(engine).get("is_sample") != "1":
        engine.dispose()
        raise CannotSimulate(
            f"{url} is not marked as sample data (meta is_sample=1); use --force to write anyway"
        )
    return engine


def simulate(
    url: str,
    minutes: float = 10.0,
    interval: float = 5.0,
    seed: int = 2026,
    rate: float = 1.0,
    force: bool = False,
    clock: Callable[[], dt.datetime] = local_now,
    sleep: Callable[[float], None] = time.sleep,
    report: Callable[[str], None] = print,
) -> Totals:
    """Run a tick every ``interval`` seconds for ``minutes`` (or until Ctrl-C); returns the totals.

    ``clock`` and ``sleep`` are the real ones unless a test replays fixed times.
    """
    engine = _writer(url, force)
    rng = np.random.default_rng(seed)
    totals = Totals()
    count = max(1, int(minutes * 60 // interval)) if interval > 0 else 1
    try:
        for i in range(count):
            now = clock().replace(microsecond=0)
            step = tick(engine, rng, now, rate, str(seed))
            totals = totals + step
            report(
                f"{now:%H:%M:%S} +{step.new} mới/new · {step.finished} hoàn thành/finished · "
                f"{step.rated} đánh giá/rated"
            )
            if i + 1 < count:
                sleep(interval)
    except KeyboardInterrupt:
        report("Dừng / stopped (Ctrl-C)")
    finally:
        engine.dispose()
    return totals
