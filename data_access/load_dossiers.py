"""Writing many dossiers at once: the importer's write side, in chunks, bounded in memory.

Each chunk of checked rows is derived (:func:`data_access.load.derive_dossier_columns`), turned
into plain column values without a Python loop over every value (times as integer microseconds
since 1970, booleans as 0/1) and bulk-loaded into a temporary staging table (COPY on PostgreSQL,
one driver-level executemany of tuples elsewhere). SQL then does the rest in two statements a
chunk, turning the staged values into the stored form as it goes:

- a count of the staged rows that are new, and of those that differ from the stored row in any
  column (``IS DISTINCT FROM``), comparing the stored forms after derivation;
- one ``INSERT … SELECT … ON CONFLICT DO UPDATE`` of only the new and changed rows, so the change
  log's triggers see exactly those and the summaries absorb them by delta
  (:func:`data_access.summary.absorb_changes`).

Into an empty dossier table (a first import) the rows are appended without comparison, the
table's secondary indexes are dropped first and built once at the end, the change log's triggers
are dropped, and the caller rebuilds the summaries once (:func:`write_dossiers` says so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    Table,
    and_,
    case,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.schema import DropIndex

from data_access.load import derive_dossier_columns
from data_access.schema import ROW_STORE_INDEXES, create_indexes, dossiers
from data_access.sqlfuncs import from_epoch_us
from data_access.summary_tables import drop_triggers

#: Called after each chunk with (dossiers written so far, dossiers in all).
Progress = Callable[[int, int], None]

_COLUMNS = list(dossiers.columns)
_KEY = dossiers.c.dossier_code


def _staged_type(column: Column[Any]) -> Any:
    if isinstance(column.type, DateTime):
        return BigInteger()  # microseconds since 1970-01-01 (naive local time)
    if isinstance(column.type, Boolean):
        return Integer()
    return column.type


#: The staging table: one column per dossier column, in plain types; temporary (per connection).
_stage = Table(
    "import_stage",
    MetaData(),
    *[Column(c.name, _staged_type(c), primary_key=c.primary_key) for c in _COLUMNS],
    prefixes=["TEMPORARY"],
)


@dataclass
class Written:
    """What :func:`write_dossiers` did: dossiers new, changed and unchanged; whether it loaded
    an empty table (the summaries then need a rebuild, not a delta).
    """

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    into_empty: bool = False

    @property
    def total(self) -> int:
        """Every dossier of the import."""
        return self.new + self.changed + self.unchanged


def _stored(column: Column[Any], staged: Any) -> Any:
    """The stored form of a staged value (SQL): times from microseconds, booleans from 0/1."""
    if isinstance(column.type, DateTime):
        return from_epoch_us(staged)
    if isinstance(column.type, Boolean):
        return staged != literal_column("0")
    return staged


def _plain(values: pd.Series, column: Column[Any]) -> list[Any]:
    """One column as Python values for the driver (None for missing), converted by NumPy."""
    missing = values.isna().to_numpy()
    if isinstance(column.type, DateTime):
        array: np.ndarray = pd.to_datetime(values).to_numpy("datetime64[us]").view(np.int64).astype(object)
    elif isinstance(column.type, Boolean):
        array = (
            values.astype(object)
            .where(~missing, False)
            .astype(bool)
            .to_numpy()
            .astype(np.int64)
            .astype(object)
        )
    elif isinstance(column.type, Float):
        array = values.to_numpy(dtype=float, na_value=np.nan).astype(object)
    elif isinstance(column.type, Integer):
        array = values.where(~missing, 0).to_numpy(dtype=np.int64).astype(object)
    else:
        array = values.to_numpy(dtype=object, copy=True)
    if missing.any():
        array[missing] = None
    return array.tolist()


def _stage_rows(conn: Connection, frame: pd.DataFrame) -> None:
    """Empty the staging table and fill it with ``frame`` (derived dossier rows)."""
    conn.execute(_stage.delete())
    columns = [_plain(frame[c.name], c) for c in _COLUMNS]
    rows = list(zip(*columns, strict=True))
    names = ", ".join(c.name for c in _COLUMNS)
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {_stage.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in _COLUMNS)  # SQLite's and DuckDB's drivers both take qmarks
    conn.exec_driver_sql(f"INSERT INTO {_stage.name} ({names}) VALUES ({marks})", rows)


def _differs() -> Any:
    """Some column of the staged row differs from the stored one (after conversion)."""
    s = _stage.c
    return or_(*[_stored(c, s[c.name]).is_distinct_from(c) for c in _COLUMNS if not c.primary_key])


def _stored_select(where: Any = None) -> Any:
    """SELECT of the staged rows in their stored form, those matching ``where`` (joined to
    the stored row) or all of them.
    """
    cols = [_stored(c, _stage.c[c.name]).label(c.name) for c in _COLUMNS]
    if where is None:
        return select(*cols)
    joined = _stage.outerjoin(dossiers, _stage.c.dossier_code == _KEY)
    return select(*cols).select_from(joined).where(where)


def _merge(conn: Connection) -> tuple[int, int]:
    """Write the staged rows that are new or changed; returns (new, changed)."""
    joined = _stage.outerjoin(dossiers, _stage.c.dossier_code == _KEY)
    is_new = _KEY.is_(None)
    is_changed = and_(_KEY.is_not(None), _differs())
    counts = select(
        func.coalesce(func.sum(case((is_new, 1), else_=0)), 0),
        func.coalesce(func.sum(case((is_changed, 1), else_=0)), 0),
    ).select_from(joined)
    new, changed = (int(v) for v in conn.execute(counts).one())
    if not new and not changed:
        return 0, 0
    names = [c.name for c in _COLUMNS]
    rows = _stored_select(or_(is_new, _differs()))
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        mod = sqlite if dialect == "sqlite" else postgresql
        stmt = mod.insert(dossiers).from_select(names, rows)
        updates = {n: stmt.excluded[n] for n in names if n != _KEY.name}
        conn.execute(stmt.on_conflict_do_update(index_elements=[_KEY.name], set_=updates))
    else:  # DuckDB: delete the changed rows' old versions, then insert
        changed_keys = select(_stage.c.dossier_code).select_from(joined).where(is_changed)
        conn.execute(dossiers.delete().where(_KEY.in_(changed_keys)))
        conn.execute(insert(dossiers).from_select(names, rows))
    return new, changed


def _is_empty(conn: Connection) -> bool:
    return conn.execute(select(_KEY).limit(1)).first() is None


def _drop_dossier_indexes(conn: Connection) -> None:
    """Drop the dossier table's secondary indexes (rebuilt once by ``create_indexes``)."""
    if conn.dialect.name == "duckdb":
        return
    for index in ROW_STORE_INDEXES:
        if index.table is dossiers:
            conn.execute(DropIndex(index, if_exists=True))


def write_dossiers(
    conn: Connection,
    chunks: Iterable[pd.DataFrame],
    total: int,
    handlers: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> Written:
    """Write checked dossier rows, chunk by chunk, in the caller's transaction.

    ``chunks`` are frames of the exchange format's typed columns (validate.check_dossiers);
    ``total`` is how many rows they hold in all (for ``progress``). Only new and changed rows are
    written. Returns the counts; ``into_empty`` says the summaries must be rebuilt.
    """
    written = Written(into_empty=_is_empty(conn))
    conn.execute(text(f"DROP TABLE IF EXISTS {_stage.name}"))
    _stage.create(conn)
    if written.into_empty:
        drop_triggers(conn)  # the caller rebuilds the summaries once, with the triggers
        _drop_dossier_indexes(conn)
    done = 0
    for chunk in chunks:
        if not len(chunk):
            continue
        _stage_rows(conn, derive_dossier_columns(chunk, handlers))
        if written.into_empty:
            conn.execute(insert(dossiers).from_select([c.name for c in _COLUMNS], _stored_select()))
            written.new += len(chunk)
        else:
            new, changed = _merge(conn)
            written.new += new
            written.changed += changed
            written.unchanged += len(chunk) - new - changed
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    conn.execute(text(f"DROP TABLE {_stage.name}"))
    if written.into_empty:
        create_indexes(conn)
    return written
