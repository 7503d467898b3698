"""Summary tables kept current by deltas: what makes every historical figure cheap at any scale.

Five tables of additive counters (performance-notes.md lessons 1–4), keyed by the unit *as
stored on the dossier* (the lowest unit; ``unit_ancestors`` rolls them up at read time, so a
boundary change needs no rebuild), the agency and the channel:

- ``summary_day`` — per day: receipt/settle/finish counters and the changes of the open
  counters (for month-to-date, custom spans, and "open at the end of day D");
- ``summary_month`` — per month: the same counters and how many dossiers that have since left
  the queue were open at the month's end (the serving grain: 34 k rows at 1 M dossiers);
- ``summary_procedure_month`` — per month and procedure (drill-downs by procedure);
- ``summary_field_month`` — per month and the procedure's field (series and drill-downs by
  field; the field comes from the catalogue, so a catalogue that changes it rebuilds them);
- ``summary_procedure_day`` — receipts, fees and online payments per day and procedure (no
  channel): "procedures used" for spans that start or end mid-month.

What each dossier adds is computed once, in :mod:`data_access.summaries.cells`. Dossiers still
open now are not in the summaries: they are read from the dossier table through the partial
index on open dossiers. Changes are captured by a change log (``dossier_changes``) that
triggers on ``dossiers`` fill with the *old* image of every inserted, updated or deleted row,
in the writer's own transaction, whoever the writer is; :func:`absorb_changes` turns the log
into deltas (new version − old version) and upserts them with
``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``. DuckDB has no triggers: there,
writers call :func:`apply_delta` themselves (or rebuild).

Layout: the tables, triggers and cell upserts live in :mod:`data_access.summaries.tables`; this
module builds and maintains them (rebuild, deltas, refresh, nightly recompute); reads are in
:mod:`data_access.summaries.read`. Entry points: :func:`rebuild_database` (sample generator),
:func:`refresh` (importer, ``cli.py refresh``), :func:`absorb_pending` (simulator ticks),
:func:`apply_delta` (writers on engines without triggers, or a CDC pipeline).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    DateTime,
    Integer,
    String,
    Table,
    delete,
    func,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Connection, Engine

from data_access.engine import gather_statistics
from data_access.results import result_frame
from data_access.schema import dossiers, procedures
from data_access.summaries.build import (
    PROCEDURE_ATTRIBUTES,
    CellBuild,
    changed_procedures,
    procedure_attributes,
)
from data_access.summaries.cells import INPUT_COLUMNS, cell_columns, cells
from data_access.summaries.tables import (
    GRAINS,
    SUMMARY_VERSION,
    add_cells,
    create_tables,
    dossier_changes,
    has_change_log,
    is_current,
    mark_state,
    state,
    summary_day,
    summary_field_month,
    summary_month,
    summary_procedure_day,
    summary_procedure_month,
    summary_state,
    unreadable_summaries,
)

__all__ = [  # the tables and checks are part of this module's public face
    "GRAINS",
    "SUMMARY_VERSION",
    "WRITTEN_TABLES",
    "CellBuild",
    "absorb_changes",
    "absorb_pending",
    "apply_delta",
    "changed_procedures",
    "create_tables",
    "dossier_changes",
    "has_change_log",
    "is_current",
    "outdated",
    "procedure_attributes",
    "rebuild",
    "rebuild_database",
    "recompute_months",
    "refresh",
    "rows_with_procedures",
    "state",
    "summary_day",
    "summary_field_month",
    "summary_month",
    "summary_procedure_day",
    "summary_procedure_month",
    "summary_state",
    "unreadable_summaries",
    "vacuum_summaries",
]  # fmt: skip


def _input_columns(table: Table) -> list[Any]:
    """:data:`INPUT_COLUMNS` of ``table`` (dossiers or the change log), timestamps as text.

    Timestamps come back as text on SQLite and are parsed vectorised by cells.prepare
    (parsing them row by row in the driver layer cost more than everything else).
    """
    return [
        type_coerce(table.c[c], String).label(c) if isinstance(table.c[c].type, DateTime) else table.c[c]
        for c in INPUT_COLUMNS
    ]


def _with_procedure(table: Table, *extra: Any) -> Any:
    """SELECT of ``table``'s input columns (dossiers or the change log), the procedure's
    attributes and ``extra`` columns, joined to the procedure (unknown procedures drop out).
    """
    return select(*_input_columns(table), *PROCEDURE_ATTRIBUTES, *extra).select_from(
        table.join(procedures, procedures.c.code == table.c.procedure_code)
    )


def _source_rows(conn: Connection, where: Any = None, chunk_rows: int = 400_000) -> Iterator[pd.DataFrame]:
    """Dossier rows with their procedure's attributes: those matching ``where``, or all of them
    in chunks of whole receipt months of about ``chunk_rows`` rows.
    """
    base = _with_procedure(dossiers)
    if where is not None:
        result = conn.execute(base.where(where))
        yield result_frame(result)
        return
    month = dossiers.c.received_month
    sizes = conn.execute(select(month, func.count()).group_by(month).order_by(month)).all()
    groups: list[list[int]] = [[]]
    rows = 0
    for value, n in sizes:
        if rows + n > chunk_rows and groups[-1]:
            groups.append([])
            rows = 0
        groups[-1].append(value)
        rows += n
    for group in groups:
        if group:
            result = conn.execute(base.where(month.between(group[0], group[-1])))
            yield result_frame(result)


def rebuild(conn: Connection) -> int:
    """Recompute every summary from the dossier table (a fresh database, or after a reference
    change such as a procedure's eligibility or legal limit); returns the dossiers read.
    """
    build = CellBuild(conn)
    for chunk in _source_rows(conn):
        build.add(chunk)
    return build.write()


def apply_delta(conn: Connection, old_rows: pd.DataFrame, new_rows: pd.DataFrame) -> None:
    """Upsert the difference between the old and new versions of changed dossiers.

    Both frames hold :data:`INPUT_COLUMNS` plus the procedure's ``full_process_eligible`` and
    ``time_limit_days`` (see :func:`rows_with_procedures`); an inserted dossier has no old row,
    a deleted one no new row. Call it in the writer's transaction.
    """
    both = [f.assign(_w=w) for f, w in ((new_rows, 1), (old_rows, -1)) if len(f)]
    if both:
        _add_signed(conn, pd.concat(both, ignore_index=True))


def _add_signed(conn: Connection, rows: pd.DataFrame) -> None:
    """Add the cells of ``rows`` weighted by their ``_w`` (+1 new version, −1 old) in one pass;
    cells whose counters all cancel out are not written.
    """
    changed = {}
    for name, grain in cell_columns(rows).items():
        counters = [c.name for c in GRAINS[name].columns if not c.primary_key]
        nonzero = (np.column_stack([grain[c] for c in counters]) != 0).any(axis=1)
        changed[name] = {c: v[nonzero] for c, v in grain.items()}
    add_cells(conn, changed)


def rows_with_procedures(conn: Connection, codes: list[str]) -> pd.DataFrame:
    """The current rows of the dossiers ``codes`` with their procedure's attributes."""
    frames = []
    for start in range(0, len(codes), 1000):
        frames.extend(_source_rows(conn, dossiers.c.dossier_code.in_(codes[start : start + 1000])))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*INPUT_COLUMNS])


def absorb_changes(conn: Connection) -> int:
    """Turn the change log into deltas and empty it; returns the dossiers absorbed.

    The summaries reflect each dossier as it was before its first logged change, so the delta of
    a dossier is its current row minus that first old image: one statement reads both, signed
    −1 and +1. Run in one transaction (the state row is locked first, so two refreshers never
    absorb the same log twice).
    """
    mark_state(conn)
    log = dossier_changes
    last, count = conn.execute(select(func.max(log.c.seq), func.count(log.c.dossier_code.distinct()))).one()
    if last is None:
        return 0
    first = select(func.min(log.c.seq).label("seq")).where(log.c.seq <= last).group_by(log.c.dossier_code)
    first_old = _with_procedure(log, literal_column("-1", Integer).label("_w")).where(
        log.c.seq.in_(first), log.c.had_old == 1
    )
    current = _with_procedure(dossiers, literal_column("1", Integer).label("_w")).where(
        dossiers.c.dossier_code.in_(select(log.c.dossier_code).where(log.c.seq <= last))
    )
    rows = result_frame(conn.execute(union_all(first_old, current)))
    if len(rows):
        _add_signed(conn, rows)
    conn.execute(delete(log).where(log.c.seq <= last))
    return int(count)


def vacuum_summaries(engine: Engine) -> None:
    """After a rebuild on PostgreSQL: VACUUM (ANALYZE) the summary tables. Fresh tables have no
    visibility map, so every index read of them also visits the table until autovacuum runs.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in GRAINS.values():
            conn.execute(text("VACUUM (ANALYZE) " + table.name))  # our own table names


#: The tables whose planner statistics a summary build or refresh changes.
WRITTEN_TABLES: tuple[str, ...] = ("dossiers", *[t.name for t in GRAINS.values()])


def rebuild_database(engine: Engine) -> int:
    """:func:`rebuild` in its own transaction, then planner statistics (the sample generator and
    the dashboard's upgrade of an old sample call it).
    """
    with engine.begin() as conn:
        read = rebuild(conn)
    gather_statistics(engine, WRITTEN_TABLES)
    return read


def outdated(engine: Engine) -> bool:
    """Whether the summaries are missing or of an older :data:`SUMMARY_VERSION`."""
    with engine.connect() as conn:
        return state(conn) != SUMMARY_VERSION


def absorb_pending(engine: Engine) -> int:
    """Absorb the change log in its own transaction when summaries exist (a writer's one call
    after its writes, e.g. each simulator tick); does nothing otherwise. Returns the dossiers.
    """
    with engine.begin() as conn:
        if state(conn) != SUMMARY_VERSION:
            return 0
        if not has_change_log(conn):  # DuckDB: no log to absorb, so mark the summaries stale
            conn.execute(delete(summary_state))  # (readers use the raw table until a rebuild)
            return 0
        return absorb_changes(conn)


def refresh(conn: Connection) -> str:
    """Bring the summaries up to date: absorb the change log, or build them if missing/outdated."""
    if state(conn) != SUMMARY_VERSION or not has_change_log(conn):
        return f"rebuilt from {rebuild(conn):,} dossiers"
    return f"absorbed {absorb_changes(conn):,} changed dossiers"


def recompute_months(conn: Connection, months: list[int]) -> int:
    """Recompute the cells of ``months`` (YYYYMM) from the dossier table: the nightly safety net
    for the open months. Reads only rows received, settled or finished since the first of them
    or still open. Returns the dossiers read.
    """
    if has_change_log(conn):
        absorb_changes(conn)
    first = min(months)
    since = dt.datetime(first // 100, first % 100, 1)
    d = dossiers.c
    touched = or_(
        d.received_at >= since,
        d.finished_at >= since,
        d.supplement_requested_at >= since,
        d.finished_at.is_(None),
    )
    rows = pd.concat(list(_source_rows(conn, touched)), ignore_index=True)
    fresh = cells(rows)
    for name, table in GRAINS.items():
        frame = fresh[name]
        if "day" in table.c:  # days YYYYMMDD of month m lie in [m*100, m*100 + 99]
            stale = or_(*[table.c.day.between(m * 100, m * 100 + 99) for m in months])
            keep = (frame["day"] // 100).isin(months)
        else:
            stale, keep = table.c.month.in_(months), frame["month"].isin(months)
        conn.execute(delete(table).where(stale))
        add_cells(conn, {name: frame[keep]})
    return len(rows)
