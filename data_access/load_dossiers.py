"""Writing many dossiers at once: the importer's write side, in chunks, bounded in memory.

:func:`write_dossiers` takes the checked rows as an iterable of chunks (the read side may hand
them over one at a time; today it holds the whole file and slices it) and, for each chunk:

- derives the stored columns (:func:`data_access.load.derive_dossier_columns`);
- into a table that holds dossiers already (the chunks then hold only the rows whose digest is
  not stored as it is: :mod:`data_access.row_digest`): reads the stored rows of the chunk's codes in one
  statement (the codes as one parameter: a JSON array on SQLite, an array on PostgreSQL), as
  plain driver tuples, and compares them column by column in NumPy after derivation (times as
  integer microseconds, booleans as 0/1/NULL); only the new and changed rows are written, by one
  ``INSERT … SELECT … ON CONFLICT DO UPDATE`` from a temporary staging table, so the change log's
  triggers see exactly those and the summaries absorb them by delta
  (:func:`data_access.summaries.maintain.absorb_changes`); rows equal to their stored row but for its
  missing or stale digest get the new digest only, with the change log paused;
- into an empty table (a first import): appends every row from the staging table, with the
  table's secondary indexes and the change log's triggers dropped first; the indexes are built
  once at the end and the caller builds the summaries once, from the chunks it was handed
  (``fresh``: :class:`data_access.summaries.maintain.CellBuild`).

Values reach the staging table without a Python loop over every value: NumPy turns each column
into plain values (times as integer microseconds since 1970, booleans as 0/1), loaded by COPY on
PostgreSQL and one driver-level executemany of tuples elsewhere; SQL turns them into the stored
form (:class:`data_access.sqlfuncs.from_epoch_us`).
"""

from __future__ import annotations

import json
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
    insert,
    literal_column,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.schema import DropIndex

from data_access.load import derive_dossier_columns
from data_access.schema import DIGEST_COLUMNS, ROW_STORE_INDEXES, create_indexes, dossiers
from data_access.sqlfuncs import from_epoch_us
from data_access.summaries.tables import drop_triggers, log_paused

#: Called with (dossiers written so far, dossiers in all): (0, n) before the first chunk, then after each.
Progress = Callable[[int, int], None]

_COLUMNS = list(dossiers.columns)
#: The stored rows of a chunk's codes: their codes, and each other column as the driver gave it.
Stored = tuple[np.ndarray, dict[str, pd.Series]]
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
    missing = pd.Series(np.nan, index=frame.index)  # digests, from writers that have none
    columns = [_plain(frame.get(c.name, missing), c) for c in _COLUMNS]
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


def _stored_select() -> Any:
    """SELECT of every staged row in its stored form."""
    return select(*[_stored(c, _stage.c[c.name]).label(c.name) for c in _COLUMNS])


def _upsert_staged(conn: Connection) -> None:
    """Insert the staged rows, replacing the stored versions of those that exist."""
    names = [c.name for c in _COLUMNS]
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        mod = sqlite if dialect == "sqlite" else postgresql
        # WHERE true: SQLite's parser needs it between a SELECT and ON CONFLICT
        stmt = mod.insert(dossiers).from_select(names, _stored_select().where(true()))
        updates = {n: stmt.excluded[n] for n in names if n != _KEY.name}
        conn.execute(stmt.on_conflict_do_update(index_elements=[_KEY.name], set_=updates))
    else:  # DuckDB: delete the stored versions, then insert
        conn.execute(dossiers.delete().where(_KEY.in_(select(_stage.c.dossier_code))))
        conn.execute(insert(dossiers).from_select(names, _stored_select()))


def _stored_rows(conn: Connection, keys: list[str]) -> Stored:
    """The stored rows of ``keys`` as the driver gives them: their codes, and each column.

    The keys travel as one parameter (a JSON array on SQLite, an array elsewhere), so a chunk
    of 200,000 is one statement reading the rows by primary key, led by the key list.
    """
    names = ", ".join("d." + c.name for c in _COLUMNS)
    dialect = conn.dialect.name
    if dialect == "sqlite":
        source, params = (
            "json_each(?) AS k CROSS JOIN dossiers AS d ON d.dossier_code = k.value",
            (json.dumps(keys),),
        )
    elif dialect == "postgresql":
        source, params = (
            "unnest(CAST(%s AS text[])) AS k (code) JOIN dossiers AS d ON d.dossier_code = k.code",
            (keys,),
        )
    else:
        source, params = "dossiers AS d WHERE d.dossier_code IN (SELECT unnest(?))", (keys,)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(f"SELECT {names} FROM {source}", params)  # our own names; plain tuples back
    rows = cursor.fetchall()
    cursor.close()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in _COLUMNS]
    values = {c.name: pd.Series(np.array(v, dtype=object)) for c, v in zip(_COLUMNS, columns, strict=True)}
    return values.pop(_KEY.name).to_numpy(), values


def _comparable(values: pd.Series, column: Column[Any]) -> pd.Series:
    """Values of ``column`` in one form for both sides: the derived rows and the driver's rows
    (SQLite gives times as text and booleans as 0/1): times as integer microseconds, booleans
    as 0/1/-1 (NULL), numbers as floats, text as objects; missing as NaN/None.
    """
    if isinstance(column.type, DateTime):
        if pd.api.types.is_datetime64_any_dtype(values):
            stamps = values.to_numpy(dtype="datetime64[us]")
        else:  # text (SQLite) or datetimes (other drivers), None for NULL
            stamps = np.array(values.to_numpy(dtype=object, na_value=None), dtype="datetime64[us]")
        return pd.Series(stamps.view(np.int64), index=values.index)
    if isinstance(column.type, Boolean):
        missing = values.isna()
        flags = values.where(~missing, False).astype(bool).astype(np.int64)
        return flags.where(~missing, -1)
    if isinstance(column.type, (Float, Integer)):
        return pd.to_numeric(values).astype(float)
    return values.astype(object)


@dataclass
class Changes:
    """How a chunk's derived rows compare with the stored ones."""

    new: np.ndarray  #: not stored
    changed: np.ndarray  #: stored, with another value in some column
    stale: np.ndarray  #: stored with the same values, but a missing or stale digest
    #: For each column (not the key or the digests): the rows whose value differs from the stored.
    differs: dict[str, np.ndarray]


def _changes(stored: Stored, derived: pd.DataFrame) -> Changes:
    """Which derived rows are new, which differ from their stored row (and in which columns), and
    which are the same as their stored row but for its digests (missing or stale).
    """
    codes, columns = stored
    at = pd.Index(codes).get_indexer(derived[_KEY.name].to_numpy(dtype=object))
    new = at < 0
    found = np.flatnonzero(~new)
    differs = np.zeros(len(derived), dtype=bool)
    by_column: dict[str, np.ndarray] = {}
    for column in _COLUMNS:
        if column.primary_key or column.name in DIGEST_COLUMNS:
            continue
        ours = _comparable(derived[column.name].iloc[found].reset_index(drop=True), column)
        theirs = _comparable(columns[column.name].iloc[at[found]].reset_index(drop=True), column)
        same = (ours == theirs) | (ours.isna() & theirs.isna())
        by_column[column.name] = np.zeros(len(derived), dtype=bool)
        by_column[column.name][found] = ~same.to_numpy()
        differs |= by_column[column.name]
    stale = np.zeros(len(derived), dtype=bool)
    for name in DIGEST_COLUMNS:
        if name in derived:  # exact integers: never through floats
            ours_d = derived[name].iloc[found].to_numpy(dtype=object)
            theirs_d = columns[name].iloc[at[found]].to_numpy(dtype=object)
            stale[found] |= np.array([a != b for a, b in zip(ours_d, theirs_d, strict=True)], dtype=bool)
    return Changes(new, differs, stale & ~differs & ~new, by_column)


def _is_empty(conn: Connection) -> bool:
    return conn.execute(select(_KEY).limit(1)).first() is None


def _drop_dossier_indexes(conn: Connection) -> None:
    """Drop the dossier table's secondary indexes (rebuilt once by ``create_indexes``)."""
    if conn.dialect.name == "duckdb":
        return
    for index in ROW_STORE_INDEXES:
        if index.table is dossiers:
            conn.execute(DropIndex(index, if_exists=True))


def _codes(chunk: pd.DataFrame) -> list[str]:
    return chunk[_KEY.name].tolist()


def _append(conn: Connection, derived: pd.DataFrame, written: Written) -> None:
    """Append a chunk to the (formerly empty) dossier table."""
    _stage_rows(conn, derived)
    conn.execute(insert(dossiers).from_select([c.name for c in _COLUMNS], _stored_select()))
    written.new += len(derived)


def _merge(conn: Connection, derived: pd.DataFrame, stored: Stored, written: Written) -> None:
    """Write the new and changed rows of a chunk; count them and the unchanged ones, and give
    the unchanged ones whose stored digests are missing or stale the chunk's (no change logged:
    nothing the summaries count changes).
    """
    found = _changes(stored, derived)
    new, changed = found.new, found.changed
    if conn.dialect.name not in ("sqlite", "postgresql"):
        if new.any() or changed.any():
            _stage_rows(conn, derived[new | changed])
            _upsert_staged(conn)
    else:
        if new.any():
            _stage_rows(conn, derived[new])
            conn.execute(insert(dossiers).from_select([c.name for c in _COLUMNS], _stored_select()))
        _update_changed(conn, derived, found)
    if found.stale.any():
        with log_paused(conn):
            _update_staged(conn, derived[found.stale], [])
    written.new += int(new.sum())
    written.changed += int(changed.sum())
    written.unchanged += len(derived) - int(new.sum()) - int(changed.sum())


def _update_changed(conn: Connection, derived: pd.DataFrame, found: Changes) -> None:
    """Update the changed rows, each group of rows with the same changed columns by one UPDATE
    that assigns only those (and the digests): SQLite rewrites the entry of every index whose
    columns an UPDATE assigns, changed or not (3,000 rows with one changed column: 3.3 s when
    every column was assigned, 0.3 s assigning that column).
    """
    names = list(found.differs)
    if not found.changed.any():
        return
    pattern = np.zeros(len(derived), dtype=np.int64)
    for bit, name in enumerate(names):
        pattern |= found.differs[name].astype(np.int64) << bit
    for key in np.unique(pattern[found.changed]):
        rows = found.changed & (pattern == key)
        _update_staged(conn, derived[rows], [n for bit, n in enumerate(names) if key >> bit & 1])


def _update_staged(conn: Connection, rows: pd.DataFrame, columns: list[str]) -> None:
    """Stage ``rows`` and set ``columns`` and the digests of their stored rows to the staged."""
    _stage_rows(conn, rows)
    staged = _stored_select().subquery()
    values = {name: staged.c[name] for name in [*columns, *DIGEST_COLUMNS]}
    conn.execute(update(dossiers).values(values).where(staged.c.dossier_code == _KEY))


def write_dossiers(
    conn: Connection,
    chunks: Iterable[pd.DataFrame],
    total: int,
    handlers: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    fresh: Callable[[pd.DataFrame], None] | None = None,
) -> Written:
    """Write checked dossier rows, chunk by chunk, in the caller's transaction.

    ``chunks`` are frames of the exchange format's typed columns (validate.check_dossiers);
    ``total`` is how many rows they hold in all (for ``progress``). Only new and changed rows are
    written. Into an empty table, each derived chunk is also handed to ``fresh`` (the summary
    build: ``summary.CellBuild.add_dossiers``). Returns the counts; ``into_empty`` says the
    summaries must be built (from what ``fresh`` saw), not refreshed by delta.
    """
    written = Written(into_empty=_is_empty(conn))
    conn.execute(text(f"DROP TABLE IF EXISTS {_stage.name}"))
    _stage.create(conn)
    if written.into_empty:
        drop_triggers(conn)  # the caller rebuilds the summaries once, with the triggers
        _drop_dossier_indexes(conn)
    if progress is not None:
        progress(0, total)
    nonempty = (chunk for chunk in chunks if len(chunk))
    if written.into_empty:
        for chunk in nonempty:
            derived = derive_dossier_columns(chunk, handlers)
            _append(conn, derived, written)
            if fresh is not None:
                fresh(derived)
            if progress is not None:
                progress(written.total, total)
    else:
        for chunk in nonempty:
            stored = _stored_rows(conn, _codes(chunk))
            _merge(conn, derive_dossier_columns(chunk, handlers), stored, written)
            if progress is not None:
                progress(written.total, total)
    conn.execute(text(f"DROP TABLE {_stage.name}"))
    if written.into_empty:
        create_indexes(conn)
    return written
