"""Writing into the dossier database: idempotent upserts, derived columns, the unit closure.

Shared by the importer (``data_access.importer``), the sample generator and the simulator, so
every path into the database derives the same columns the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Table, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from data_access.schema import DIGEST_COLUMNS, FINISHED_STATUSES, agencies, dossiers, unit_ancestors, units
from timebase.workdays import elapsed_working_days

BATCH_ROWS = 20_000


def derive_dossier_columns(frame: pd.DataFrame, handlers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Add ``received_month`` (YYYYMM) and ``processing_days`` (working days, metric 4), and
    attribute each dossier to the unit of the agency that handles it.

    Attribution (docs/rules.md §A): a row arrives with ``unit_code`` = the desk where it
    was received, as the exchange format has it. Without a ``desk_unit_code`` column that value
    becomes ``desk_unit_code``; then ``unit_code`` becomes ``handlers[agency_code]`` (the agency's
    unit), kept as given for an agency ``handlers`` does not know. Rows that already carry both
    columns (the simulator's copies of stored rows) keep their desk.

    ``late_request_at`` (when the second supplement request was made) comes from the count and the
    latest request time where a supplement log did not give it (``schema.late_request_from_count``).

    ``processing_days`` is set only for dossiers finished by processing, returning or stopping
    (docs/rules.md §1's "finished"), counted from the day the clock starts (after 15:00 → the
    next working day) to the finish day, in Vietnamese working days.
    """
    out = frame.copy()
    if "desk_unit_code" not in out.columns:
        out["desk_unit_code"] = out["unit_code"]
    if handlers:
        handler_unit = out["agency_code"].map(handlers)
        out["unit_code"] = handler_unit.where(handler_unit.notna(), out["unit_code"])
    received = pd.to_datetime(out["received_at"])
    out["received_month"] = (received.dt.year * 100 + received.dt.month).astype(int)
    finished = pd.to_datetime(out["finished_at"])
    done = finished.notna() & out["status"].isin(FINISHED_STATUSES) & (finished >= received)
    days = np.full(len(out), np.nan)
    if done.any():
        days[done.to_numpy()] = elapsed_working_days(
            received[done].to_numpy("datetime64[m]"), finished[done].to_numpy("datetime64[m]")
        )
    out["processing_days"] = days
    out["late_request_at"] = _late_request_at(out, received)
    if "judged_finish_at" not in out.columns:  # only a supplement log gives it
        out["judged_finish_at"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[us]")
    return out


def _late_request_at(frame: pd.DataFrame, received: pd.Series) -> pd.Series:
    """``schema.late_request_from_count`` in pandas, where no supplement log gave it already."""
    count = pd.to_numeric(frame["supplement_requests"], errors="coerce").fillna(0)
    latest = pd.to_datetime(frame["supplement_requested_at"])
    derived = received.where(count >= 3, latest.where(count == 2))
    if "late_request_at" in frame.columns:
        given = pd.to_datetime(frame["late_request_at"])
        return given.where(given.notna(), derived)
    return derived


def _records(frame: pd.DataFrame, table: Table) -> list[dict[str, Any]]:
    """Rows of ``frame`` restricted to ``table``'s columns, with NaN/NaT as None."""
    cols = [c.name for c in table.columns if c.name in frame.columns]
    sub = frame[cols].astype(object).where(frame[cols].notna(), None)
    records = sub.to_dict("records")
    for rec in records:
        for key, value in rec.items():
            if isinstance(value, pd.Timestamp):
                rec[key] = value.to_pydatetime()
            elif isinstance(value, np.generic):
                rec[key] = value.item()
    return records


def upsert(conn: Connection, table: Table, rows: pd.DataFrame | Sequence[Mapping[str, Any]]) -> int:
    """Insert rows, replacing those whose primary key exists (idempotent on the codes)."""
    records = _records(rows, table) if isinstance(rows, pd.DataFrame) else list(rows)
    if not records:
        return 0
    if table is dossiers:  # digests are the importer's own (row_digest): a copied one would lie
        records = [{**r, **dict.fromkeys(DIGEST_COLUMNS)} for r in records]
    keys = [c.name for c in table.primary_key.columns]
    dialect = conn.dialect.name
    for start in range(0, len(records), BATCH_ROWS):
        batch = records[start : start + BATCH_ROWS]
        if dialect in ("sqlite", "postgresql"):
            mod = sqlite if dialect == "sqlite" else postgresql
            stmt = mod.insert(table)
            updates = {c: stmt.excluded[c] for c in batch[0] if c not in keys}
            stmt = (
                stmt.on_conflict_do_update(index_elements=keys, set_=updates)
                if updates
                else stmt.on_conflict_do_nothing(index_elements=keys)
            )
            conn.execute(stmt, batch)
        else:  # DuckDB and others: delete the keys, then insert
            _delete_keys(conn, table, keys, batch)
            conn.execute(insert(table), batch)
    return len(records)


def _delete_keys(conn: Connection, table: Table, keys: list[str], batch: Iterable[Mapping[str, Any]]) -> None:
    if len(keys) == 1:
        key = keys[0]
        values = [r[key] for r in batch]
        for start in range(0, len(values), 1000):
            conn.execute(delete(table).where(table.c[key].in_(values[start : start + 1000])))
        return
    for r in batch:
        conn.execute(delete(table).where(*[table.c[k] == r[k] for k in keys]))


def agency_units(conn: Connection) -> dict[str, str]:
    """Each agency's unit: the ``handlers`` map of :func:`derive_dossier_columns`."""
    return {r.code: r.unit_code for r in conn.execute(select(agencies.c.code, agencies.c.unit_code))}


def rebuild_unit_ancestors(conn: Connection) -> int:
    """Recompute the unit closure table from ``units`` (small: a few thousand rows)."""
    rows = conn.execute(select(units.c.code, units.c.level, units.c.parent_code)).all()
    level = {r.code: r.level for r in rows}
    parent = {r.code: r.parent_code for r in rows}
    closure = []
    for code in level:
        node, depth, seen = code, 0, set()
        while node is not None and node in level and node not in seen:
            seen.add(node)
            closure.append(
                {"unit_code": code, "ancestor_code": node, "ancestor_level": level[node], "depth": depth}
            )
            node, depth = parent.get(node), depth + 1
    conn.execute(delete(unit_ancestors))
    for start in range(0, len(closure), BATCH_ROWS):
        conn.execute(insert(unit_ancestors), closure[start : start + BATCH_ROWS])
    return len(closure)
