"""The summary tables, the change log and its triggers, and adding cells to them.

See :mod:`data_access.summaries.maintain` for the design; the cells come from
:mod:`data_access.summaries.cells`. Only additive counters: every update is ``n = n + delta``.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import (
    ARRAY,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    cast,
    delete,
    func,
    insert,
    inspect,
    literal_column,
    null,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import CreateIndex

from data_access.results import result_frame
from data_access.schema import SUPPLEMENT_INDEX, dossiers
from data_access.summaries.cells import (
    CHANGE_COUNTERS,
    EVENT_COUNTERS,
    FLOAT_COUNTERS,
    INPUT_COLUMNS,
    OPEN_COUNTERS,
    PROCEDURE_DAY_COUNTERS,
)

#: Bump when the summary layout or a counter's meaning changes: readers ignore older summaries.
SUMMARY_VERSION = "4"  # 2: summary_procedure_day, WITHOUT ROWID; 3: withdrawals finish, late_request_at;
# 4: summary_field_month
summary_metadata = MetaData()


def _counter_columns(extra: tuple[str, ...]) -> list[Column[Any]]:
    return [
        Column(c, Float if c in FLOAT_COUNTERS else Integer, nullable=False)
        for c in (*EVENT_COUNTERS, *extra)
    ]


def _keys() -> list[Column[Any]]:
    return [
        Column("unit_code", String(16), primary_key=True),
        Column("agency_code", String(32), primary_key=True),
    ]


#: On SQLite the cells live in their primary key's B-tree (WITHOUT ROWID): a range of days or
#: months is one sequential read, where a rowid table answered it through the key's index plus
#: a lookup of every row in the table. Existing rowid tables keep working; a rebuild converts.
_CLUSTERED: dict[str, Any] = {"sqlite_with_rowid": False}

summary_day = Table(
    "summary_day",
    summary_metadata,
    Column("day", Integer, primary_key=True),
    *_keys(),
    Column("channel", String(16), primary_key=True),
    *_counter_columns(CHANGE_COUNTERS),
    **_CLUSTERED,
)
summary_month = Table(
    "summary_month",
    summary_metadata,
    Column("month", Integer, primary_key=True),
    *_keys(),
    Column("channel", String(16), primary_key=True),
    *_counter_columns(OPEN_COUNTERS),
    **_CLUSTERED,
)
summary_procedure_month = Table(
    "summary_procedure_month",
    summary_metadata,
    Column("month", Integer, primary_key=True),
    *_keys(),
    Column("procedure_code", String(32), primary_key=True),
    Column("channel", String(16), primary_key=True),
    *_counter_columns(OPEN_COUNTERS),
    **_CLUSTERED,
)
#: The month table by the procedure's field instead of the procedure: the trend screens' series
#: by field and channel read fewer cells than ``summary_procedure_month`` holds (half, on the
#: sample) and need no join to the catalogue.
summary_field_month = Table(
    "summary_field_month",
    summary_metadata,
    Column("month", Integer, primary_key=True),
    *_keys(),
    Column("field", String(100), primary_key=True),
    Column("channel", String(16), primary_key=True),
    *_counter_columns(OPEN_COUNTERS),
    **_CLUSTERED,
)
#: Receipts per day, unit, agency and procedure: with the month table it answers "procedures
#: used in the period" for spans that start or end mid-month (procedures.py).
summary_procedure_day = Table(
    "summary_procedure_day",
    summary_metadata,
    Column("day", Integer, primary_key=True),
    *_keys(),
    Column("procedure_code", String(32), primary_key=True),
    *[Column(c, Integer, nullable=False) for c in PROCEDURE_DAY_COUNTERS],
    **_CLUSTERED,
)
#: Grain name (as in :func:`data_access.summaries.cells.cells`) → table.
GRAINS: dict[str, Table] = {
    "day": summary_day,
    "month": summary_month,
    "procedure_month": summary_procedure_month,
    "field_month": summary_field_month,
    "procedure_day": summary_procedure_day,
}


def month_table(by: Sequence[str]) -> Table:
    """The month table that answers counters by ``by`` (dimension names of
    ``queries.dossier_counts``): per procedure, per field, else per unit, agency and channel.
    """
    if "procedure" in by:
        return summary_procedure_month
    return summary_field_month if "field" in by else summary_month


#: Old images of changed dossiers, appended by triggers; emptied by :func:`absorb_changes`.
_LOGGED = [c for c in dossiers.columns if c.name in INPUT_COLUMNS]
dossier_changes = Table(
    "dossier_changes",
    summary_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("dossier_code", String(64), nullable=False),
    Column("had_old", Integer, nullable=False),
    *[Column(c.name, c.type) for c in _LOGGED],
)
#: One row: the summary's version and when it was last built and refreshed.
summary_state = Table(
    "summary_state",
    summary_metadata,
    Column("key", String(32), primary_key=True),
    Column("version", String(16), nullable=False),
    Column("built_at", Text, nullable=False),
    Column("refreshed_at", Text, nullable=False),
)
_STATE_KEY = "dossier_summaries"


def _triggers(dialect: str) -> list[str]:
    """DDL of the change-log triggers (composed from the schema's own column names only)."""
    cols = ", ".join(c.name for c in _LOGGED)
    old = ", ".join(f"OLD.{c.name}" for c in _LOGGED)
    log_old = (
        f"INSERT INTO dossier_changes (dossier_code, had_old, {cols}) VALUES (OLD.dossier_code, 1, {old})"
    )
    log_new = "INSERT INTO dossier_changes (dossier_code, had_old) VALUES (NEW.dossier_code, 0)"
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS summary_log_insert AFTER INSERT ON dossiers BEGIN {log_new}; END",
            f"CREATE TRIGGER IF NOT EXISTS summary_log_update AFTER UPDATE ON dossiers "
            f"BEGIN {log_old}; {log_new}; END",
            f"CREATE TRIGGER IF NOT EXISTS summary_log_delete AFTER DELETE ON dossiers BEGIN {log_old}; END",
        ]
    if dialect == "postgresql":
        body = (
            "BEGIN IF TG_OP <> 'INSERT' THEN " + log_old + "; END IF; "
            "IF TG_OP <> 'DELETE' THEN " + log_new + "; END IF; RETURN NULL; END"
        )
        return [
            "CREATE OR REPLACE FUNCTION summary_log_dossier() RETURNS trigger LANGUAGE plpgsql AS $$ "
            + body
            + " $$",
            "DROP TRIGGER IF EXISTS summary_log ON dossiers",
            "CREATE TRIGGER summary_log AFTER INSERT OR UPDATE OR DELETE ON dossiers "
            "FOR EACH ROW EXECUTE FUNCTION summary_log_dossier()",
        ]
    return []


def drop_triggers(conn: Connection) -> None:
    """Drop the change-log triggers (a bulk load into an empty dossier table, whose summaries are
    then rebuilt, which creates them again): a million log rows would be written for nothing.
    """
    names = {"sqlite": ("summary_log_insert", "summary_log_update", "summary_log_delete")}
    if conn.dialect.name == "sqlite":
        for name in names["sqlite"]:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    elif conn.dialect.name == "postgresql":
        conn.execute(text("DROP TRIGGER IF EXISTS summary_log ON dossiers"))


@contextmanager
def log_paused(conn: Connection) -> Iterator[None]:
    """Write to ``dossiers`` without the change log (in the caller's transaction): for updates
    that change no column the summaries count, such as the importer's digests of rows it found
    unchanged (a million of them on the first re-import into a database without digests).
    """
    if conn.dialect.name == "sqlite":
        found = "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'summary_log_update'"
    elif conn.dialect.name == "postgresql":
        found = "SELECT 1 FROM pg_trigger WHERE tgname = 'summary_log' AND NOT tgisinternal"
    else:
        yield
        return
    logging_on = conn.execute(text(found)).first() is not None
    drop_triggers(conn)
    yield
    if logging_on:
        for ddl in _triggers(conn.dialect.name):
            conn.execute(text(ddl))


def has_change_log(conn: Connection) -> bool:
    """Whether this backend captures changes by trigger (SQLite, PostgreSQL; not DuckDB)."""
    return conn.dialect.name in ("sqlite", "postgresql")


def create_grain_tables(conn: Connection) -> None:
    """(Re)create the tables of cells, empty (a build may fill them before it is done)."""
    for table in GRAINS.values():
        table.drop(conn, checkfirst=True)
        table.create(conn)


def create_tables(conn: Connection, *, grains: bool = True) -> None:
    """(Re)create the summary tables, the log, its triggers and the indexes the read path needs;
    with ``grains=False`` keep the tables of cells as they are (a build that wrote some already).
    """
    if grains:
        create_grain_tables(conn)
    summary_state.drop(conn, checkfirst=True)
    summary_state.create(conn)
    if has_change_log(conn):
        dossier_changes.drop(conn, checkfirst=True)
        dossier_changes.create(conn)
        for ddl in _triggers(conn.dialect.name):
            conn.execute(text(ddl))
        # the read path's rows settled since a day; IF NOT EXISTS, not checkfirst, whose reflection
        # warns about the expression index beside it on SQLite
        conn.execute(CreateIndex(SUPPLEMENT_INDEX, if_not_exists=True))


def insert_cells(conn: Connection, table: Table, frame: pd.DataFrame | Mapping[str, Any]) -> None:
    """Insert fresh cells (a DataFrame or column → array) fast: COPY on PostgreSQL, a
    driver-level executemany on SQLite.
    """
    names = [c.name for c in table.columns]
    rows = list(zip(*[frame[c].tolist() for c in names], strict=True))
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy("COPY " + table.name + " (" + ", ".join(names) + ") FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    elif conn.dialect.name == "sqlite":
        marks = ", ".join("?" for _ in names)
        conn.exec_driver_sql(
            "INSERT INTO " + table.name + " (" + ", ".join(names) + ") VALUES (" + marks + ")", rows
        )
    else:
        records = [dict(zip(names, row, strict=True)) for row in rows]
        for start in range(0, len(records), 50_000):
            conn.execute(insert(table), records[start : start + 50_000])


def add_cells(conn: Connection, grains: Mapping[str, Any]) -> None:
    """Add each grain's cells to its table: ``n = n + excluded.n`` on every counter.

    A grain's cells are a DataFrame or a mapping of column name → array. SQLite runs the upsert
    as one driver-level executemany; PostgreSQL as one statement over ``unnest`` of one array a
    column (an executemany there is a server round of parse, bind and execute per cell). Each
    statement is built and compiled once per dialect and table.
    """
    dialect = conn.dialect.name
    for name, columns in grains.items():
        table = GRAINS[name]
        keys = [c.name for c in table.primary_key.columns]
        if not len(columns[keys[0]]):
            continue
        if dialect not in ("sqlite", "postgresql"):
            counters = [c.name for c in table.columns if c.name not in keys]
            frame = pd.DataFrame({c: columns[c] for c in keys + counters})
            _add_by_rewrite(conn, table, keys, counters, frame)
            continue
        sql, order = _upsert(conn.dialect, table)
        if dialect == "sqlite":
            conn.exec_driver_sql(sql, list(zip(*[columns[c].tolist() for c in order], strict=True)))
        else:
            conn.exec_driver_sql(sql, {c: _array_text(columns[c]) for c in order})


def _array_text(values: Any) -> str:
    """A column as PostgreSQL array text (``{1,2}``, ``{"a","b"}``), one text parameter that
    the server parses: psycopg's list adapter dumps each element in Python (70 % of the upsert).
    """
    items = np.asarray(values).tolist()
    if items and isinstance(items[0], str):  # quoted; escaped on the joined text (C speed)
        joined = "\0".join(items).replace("\\", "\\\\").replace('"', '\\"')
        return '{"' + joined.replace("\0", '","') + '"}'
    return "{" + ",".join(map(str, items)) + "}"


_UPSERTS: dict[tuple[str, str], tuple[str, list[str]]] = {}


def _upsert(dialect: Any, table: Table) -> tuple[str, list[str]]:
    """The compiled upsert-add of ``table`` and the columns in its parameters' order."""
    cached = _UPSERTS.get((dialect.name, table.name))
    if cached is not None:
        return cached
    keys = [c.name for c in table.primary_key.columns]
    names = [c.name for c in table.columns]
    if dialect.name == "sqlite":
        stmt = sqlite.insert(table)
    else:  # one row a cell: unnest of one array parameter a column, zipped by position
        arrays = func.unnest(*[cast(bindparam(c), ARRAY(table.c[c].type)) for c in names])
        stmt = postgresql.insert(table).from_select(names, select(literal_column("*")).select_from(arrays))
    excluded = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={c: table.c[c] + excluded[c] for c in names if c not in keys}
    )
    compiled = stmt.compile(dialect=dialect)
    order = list(compiled.positiontup or []) if dialect.name == "sqlite" else names
    _UPSERTS[(dialect.name, table.name)] = (compiled.string, order)
    return compiled.string, order


def _add_by_rewrite(
    conn: Connection, table: Table, keys: list[str], counters: list[str], frame: pd.DataFrame
) -> None:
    """Upsert-add for engines without ON CONFLICT in SQLAlchemy (DuckDB): read, add, replace."""
    key_tuples = list(frame[keys].itertuples(index=False, name=None))
    match = tuple_(*[table.c[k] for k in keys]).in_(key_tuples)
    result = conn.execute(select(table).where(match))
    old = result_frame(result)
    merged = pd.concat([old, frame], ignore_index=True).groupby(keys, as_index=False)[counters].sum()
    conn.execute(delete(table).where(match))
    conn.execute(insert(table), merged.to_dict("records"))


def mark_state(conn: Connection, *, built: bool = False) -> None:
    """Record a build (version, time) or a refresh time; the update locks the state row, so two
    refreshers wait for each other instead of absorbing the same log twice.
    """
    now = dt.datetime.now().isoformat(timespec="seconds")
    if built:
        conn.execute(delete(summary_state))
        conn.execute(
            insert(summary_state),
            [dict(key=_STATE_KEY, version=SUMMARY_VERSION, built_at=now, refreshed_at=now)],
        )
    else:
        conn.execute(summary_state.update().values(refreshed_at=now))


def state(conn: Connection) -> str | None:
    """The version of the summaries in this database, or None when there are none."""
    if not inspect(conn).has_table("summary_state"):
        return None
    return conn.execute(select(summary_state.c.version).where(summary_state.c.key == _STATE_KEY)).scalar()


@functools.cache
def _current_statement(logged: bool) -> Any:
    """The summaries' version and whether a change waits in the log (built once: every
    summary read asks it).
    """
    version = summary_state.c.version
    if logged:
        pending = select(dossier_changes.c.seq).limit(1).scalar_subquery()
        stmt = select(version, pending.label("pending"))
    else:
        stmt = select(version, null().label("pending"))
    return stmt.where(summary_state.c.key == _STATE_KEY)


def is_current(bind: Engine | Connection) -> bool:
    """True when summaries of this version exist and no change waits in the log: one statement,
    on the caller's connection when it passes one (a checkout and a round trip less a part).
    """
    if isinstance(bind, Engine):
        try:
            with bind.connect() as conn:
                return is_current(conn)
        except Exception:  # not reachable: the caller's raw query will say why
            return False
    try:
        row = bind.execute(_current_statement(has_change_log(bind))).first()
    except Exception:  # no summary tables (an older database): read the raw table
        return False
    return row is not None and row.version == SUMMARY_VERSION and row.pending is None


log = logging.getLogger("ioc.summary")
_Read = TypeVar("_Read", bound=Callable[..., Any])
#: How each backend says a table or column is not there.
_MISSING = ("no such table", "no such column", "does not exist")
_reported: set[str] = set()


def missing_summary_table(exc: BaseException) -> str | None:
    """The summary table (or the change log) a database error says is missing, or None for
    any other error.
    """
    text = str(getattr(exc, "orig", None) or exc).strip()  # the driver's words, not the statement
    text = text.splitlines()[0] if text else ""
    if not any(phrase in text.lower() for phrase in _MISSING):
        return None
    tables = (*GRAINS.values(), summary_state, dossier_changes)
    names = sorted((t.name for t in tables), key=len, reverse=True)  # summary_procedure_day first
    return next((name for name in names if name in text), None)


def or_none_without_summaries(read: _Read) -> _Read:
    """Make a summary read answer None (the caller then reads the dossier table, the reference)
    when a summary table it needs is missing or renamed, instead of failing the screen: the
    state row says the summaries are current, but a table was dropped or renamed since. Logged
    once a table; ``unreadable_summaries`` tells the screens.
    """

    @functools.wraps(read)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return read(*args, **kwargs)
        except DBAPIError as exc:
            table = missing_summary_table(exc)
            if table is None:
                raise
            if table not in _reported:
                _reported.add(table)
                log.warning("summary table %s cannot be read: reading the dossier table instead", table)
            return None

    return guarded  # type: ignore[return-value]


def unreadable_summaries(engine: Engine) -> list[str]:
    """The summary tables a database should have and lacks: empty when it has them all, or none
    at all (summaries never built: an older database, read from the dossier table by design).
    """
    names = [t.name for t in (*GRAINS.values(), summary_state)]
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())  # one statement (has_table: one a table)
    present = [name for name in names if name in tables]
    return [name for name in names if name not in present] if present else []
