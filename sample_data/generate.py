"""Build the sample province database ("Dữ liệu mẫu"): ``python cli.py sample``.

(Re)creates the database at a URL: the schema (``data_access.schema.create_schema``), the
reference data of ``sample_data/reference/`` (units and their closure, agencies, procedures,
targets), the ``meta`` facts that label the data as a sample, then dossiers and feedback month by
month, each month generated vectorised and inserted in batches, so memory stays flat at any scale
(scale 1 ≈ 300,000 dossiers from 2019; scale 35 ≈ 10 million).

Deterministic for a given seed, scale, profile and ``today``: one ``numpy.random.default_rng``
drives everything. "Now" is ``today`` at 11:00, so part of today's intake exists; without
``today`` it is the province's current time, so a freshly built sample matches the wall's clock
(built at 19:00, it has the whole day's intake and nothing falsely overdue since 11:00).

A SQLite file is never left half-built: the old file (and its -wal/-shm) is removed, the new one is
built beside it under a temporary name and renamed into place at the end. Other backends get the
project's tables dropped and recreated.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Index, Table, insert, select, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from data_access.queries import (
    BATCH_ROWS,
    ROW_STORE_INDEXES,
    agencies,
    create_schema,
    derive_dossier_columns,
    dossiers,
    feedback,
    make_engine,
    meta,
    metadata,
    procedures,
    rebuild_database_summaries,
    rebuild_unit_ancestors,
    sqlite_path,
    targets,
    units,
)
from sample_data.dossiers import make_dossiers, volume_per_weight
from sample_data.feedback import make_feedback
from sample_data.world import World, build_world
from timebase.period import local_now

#: Share of the progress bar the month-by-month load takes; indexes and summary tables the rest.
LOAD_SHARE = 0.8


@dataclass(frozen=True)
class BuildStep:
    """Where a sample build is, for a progress display in any language: ``stage`` "start",
    "month" (``month`` loaded: its ``dossiers``, ``total`` so far), "indexes", "summaries" or
    "done". ``str()`` gives the command line's line."""

    stage: str
    month: dt.date | None = None
    dossiers: int = 0
    total: int = 0

    def __str__(self) -> str:
        if self.stage == "month" and self.month is not None:
            return f"{self.month:%m/%Y}: {self.dossiers:,} dossiers (total {self.total:,})"
        return {
            "start": "starting",
            "indexes": "building indexes",
            "summaries": "building summary tables",
        }.get(self.stage, self.stage)


Progress = Callable[[float, BuildStep], None]
PROVINCE_NAME = "Bình Phước"
#: Dossier volume at scale 1 over a reference window, per profile (first day, last day, dossiers).
VOLUME_AT_SCALE_1: dict[str, tuple[dt.date, dt.date, float]] = {
    "three_tier": (dt.date(2019, 1, 1), dt.date(2026, 12, 31), 304_000),
    "two_tier": (dt.date(2025, 7, 1), dt.date(2026, 12, 31), 21_800),
}
SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def _remove_sqlite(path: Path) -> None:
    """Delete a SQLite file and its side files, if present."""
    for suffix in SQLITE_SIDE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _records(frame: pd.DataFrame, table: Table) -> list[dict[str, Any]]:
    """Rows of ``frame`` for ``table`` as plain Python values (None for missing), fast."""
    cols = [c.name for c in table.columns if c.name in frame.columns]
    values = []
    for col in cols:
        series = frame[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            values.append(series.to_numpy("datetime64[us]").astype(object).tolist())  # NaT → None
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            values.append(series.astype(object).where(series.notna(), None).tolist())
        elif pd.api.types.is_float_dtype(series):
            values.append([None if v != v else v for v in series.tolist()])
        else:
            values.append(series.tolist())
    return [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)]


def _insert(conn: Connection, table: Table, frame: pd.DataFrame) -> int:
    """Plain executemany inserts of fresh rows, in batches."""
    records = _records(frame, table)
    for start in range(0, len(records), BATCH_ROWS):
        conn.execute(insert(table), records[start : start + BATCH_ROWS])
    return len(records)


def _load_reference(conn: Connection, world: World, meta_rows: dict[str, str]) -> None:
    """Units (and their closure), agencies, procedures, targets and the meta facts."""
    _insert(conn, units, world.units)
    rebuild_unit_ancestors(conn)
    _insert(conn, agencies, world.agencies)
    _insert(conn, procedures, world.procedures)
    _insert(conn, targets, world.targets)
    _insert(conn, meta, pd.DataFrame({"key": list(meta_rows), "value": list(meta_rows.values())}))


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from ``first``'s to ``last``'s."""
    start = np.datetime64(first, "M")
    return [m.astype(dt.date) for m in np.arange(start, np.datetime64(last, "M") + 1)]


def _bulk_indexes(engine: Engine) -> tuple[Index, ...]:
    """Indexes of the bulk-loaded tables: cheaper to build once after the load than to maintain."""
    if engine.dialect.name == "duckdb":  # create_schema makes none there
        return ()
    return tuple(ix for ix in ROW_STORE_INDEXES if ix.table is dossiers or ix.table is feedback)


def _load_months(
    engine: Engine, world: World, seed: int, scale: float, now: np.datetime64, progress: Progress | None
) -> tuple[int, int]:
    """Generate and insert dossiers and feedback month by month; returns their counts."""
    rng = np.random.default_rng(seed)
    first, last, volume = VOLUME_AT_SCALE_1[world.profile]
    per_weight = volume_per_weight(first, last, volume) * scale
    months = _months(world.first_day, now.astype("datetime64[D]").astype(dt.date))
    n_dossiers = n_feedback = 0
    handlers = dict(zip(world.agencies["code"], world.agencies["unit_code"], strict=True))
    for i, month in enumerate(months):
        frame = make_dossiers(world, rng, month, now, per_weight)
        fb = make_feedback(frame, rng, month, now)
        with engine.begin() as conn:
            if len(frame):
                n_dossiers += _insert(conn, dossiers, derive_dossier_columns(frame, handlers))
            if len(fb):
                n_feedback += _insert(conn, feedback, fb)
        if progress is not None:
            progress(LOAD_SHARE * (i + 1) / len(months), BuildStep("month", month, len(frame), n_dossiers))
    return n_dossiers, n_feedback


def _prepare(url: str) -> tuple[str, Path | None, Path | None]:
    """(URL to build into, final SQLite file, temporary SQLite file); clears the old database."""
    path = sqlite_path(url)
    if path is None:
        engine = make_engine(url, read_only=False)
        try:
            metadata.drop_all(engine)
        finally:
            engine.dispose()
        return url, None, None
    _remove_sqlite(path)
    temp = path.with_name(f"{path.name}.building")
    _remove_sqlite(temp)
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{temp}", path, temp


def _finish(engine: Engine) -> None:
    """Statistics for the planner (the partial index on open dossiers needs them); SQLite's WAL
    emptied into the file before it is renamed into place. On PostgreSQL a VACUUM as well, as
    after any bulk load: it marks the pages all-visible, so the covering index on open dossiers
    answers without visiting the table (10 M dossiers: 118 → 27 ms); autovacuum would do it
    later by itself."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
        return
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


#: Bumped when the generator or the schema changes what a sample holds, so that an embedded
#: sample built by an earlier version is rebuilt at the next start (app.py).
SAMPLE_VERSION = "2026-12-05 summaries by field"


def sample_is_current(url: str) -> bool:
    """Whether the sample at ``url`` was built by this version of the generator."""
    try:
        engine = make_engine(url)
    except FileNotFoundError:
        return False
    try:
        with engine.connect() as conn:
            found = conn.execute(select(meta.c.value).where(meta.c.key == "sample_version")).scalar()
    except SQLAlchemyError:
        return False  # no meta table, or no readable database: build it again
    finally:
        engine.dispose()
    return found == SAMPLE_VERSION


def build_sample(
    url: str,
    *,
    seed: int = 2026,
    scale: float = 1.0,
    profile: str = "three_tier",
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> str:
    """(Re)build the sample database at ``url``; returns a one-line summary.

    ``scale`` multiplies the dossier volume (1 ≈ 300,000 dossiers from 2019 for three tiers,
    ≈ 20,000 from 1 July 2025 for two tiers); ``today`` fixes "now" at 11:00 that day
    (default: the province's current time).
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    started = time.perf_counter()
    if today is None:  # the province's time (UTC+7), not the server's
        moment = local_now()
        today, clock = moment.date(), f"{moment:%H:%M}"
    else:
        clock = "11:00"
    now = np.datetime64(f"{today.isoformat()}T{clock}", "m")
    world = build_world(profile, seed)
    meta_rows = {
        "is_sample": "1",
        "sample_version": SAMPLE_VERSION,
        "province_name": PROVINCE_NAME,
        "profile": profile,
        "seed": str(seed),
        "scale": f"{scale:g}",
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
        "data_until": now.astype(dt.datetime).isoformat(timespec="seconds"),
    }
    build_url, path, temp = _prepare(url)
    engine = make_engine(build_url, read_only=False)
    try:
        create_schema(engine)
        with engine.begin() as conn:
            _load_reference(conn, world, meta_rows)
        with engine.begin() as conn:
            for index in _bulk_indexes(engine):
                index.drop(conn)
        if progress is not None:
            progress(0.0, BuildStep("start"))
        n_dossiers, n_feedback = _load_months(engine, world, seed, scale, now, progress)
        if progress is not None:
            progress(LOAD_SHARE + 0.02, BuildStep("indexes", total=n_dossiers))
        with engine.begin() as conn:
            for index in _bulk_indexes(engine):
                index.create(conn)
        if progress is not None:
            progress(LOAD_SHARE + 0.08, BuildStep("summaries", total=n_dossiers))
        rebuild_database_summaries(engine)  # the summary tables the screens read (issue 8)
        _finish(engine)
        if progress is not None:
            progress(1.0, BuildStep("done", total=n_dossiers))
    finally:
        engine.dispose()
    if path is not None and temp is not None:
        os.replace(temp, path)
        _remove_sqlite(temp)
    levels = world.units["level"].value_counts()
    shape = ", ".join(f"{levels[lv]} {lv}" for lv in ("province", "district", "commune") if lv in levels)
    return (
        f"Dữ liệu mẫu {PROVINCE_NAME} ({profile}; {shape}): {n_dossiers:,} dossiers and "
        f"{n_feedback:,} feedback from {world.first_day} to {meta_rows['data_until']}, seed {seed}, "
        f"scale {scale:g}, built in {time.perf_counter() - started:.1f} s → "
        f"{make_url(url).render_as_string(hide_password=True)}"
    )
