"""Portable date buckets for SQL.

`CAST(ts AS DATE)` is wrong on SQLite (numeric affinity) and `extract()` returns Decimal on
PostgreSQL (performance-notes.md lesson 6), so day and month buckets are small constructs
compiled per dialect into an integer YYYYMMDD / YYYYMM.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DateTime, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class _Bucket(FunctionElement[int]):
    type = Integer()
    inherit_cache = True
    pattern = ""  # strftime pattern
    pg_pattern = ""  # to_char pattern


class day_number(_Bucket):  # noqa: N801 - reads like a SQL function
    """YYYYMMDD of a timestamp as an integer."""

    name = "day_number"
    inherit_cache = True
    pattern, pg_pattern = "%Y%m%d", "YYYYMMDD"


class month_number(_Bucket):  # noqa: N801
    """YYYYMM of a timestamp as an integer."""

    name = "month_number"
    inherit_cache = True
    pattern, pg_pattern = "%Y%m", "YYYYMM"


class hour_number(_Bucket):  # noqa: N801
    """Hour of the day (0–23) of a timestamp as an integer."""

    name = "hour_number"
    inherit_cache = True
    pattern, pg_pattern = "%H", "HH24"


def _arg(element: _Bucket, compiler: SQLCompiler, **kw: Any) -> str:
    (arg,) = list(element.clauses)
    return compiler.process(arg, **kw)


@compiles(_Bucket, "sqlite")
def _sqlite(element: _Bucket, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(strftime('{element.pattern}', {_arg(element, compiler, **kw)}) AS INTEGER)"


@compiles(_Bucket, "postgresql")
def _postgresql(element: _Bucket, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(to_char({_arg(element, compiler, **kw)}, '{element.pg_pattern}') AS INTEGER)"


@compiles(_Bucket, "duckdb")
def _duckdb(element: _Bucket, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(strftime({_arg(element, compiler, **kw)}, '{element.pattern}') AS INTEGER)"


@compiles(_Bucket)
def _default(element: _Bucket, compiler: SQLCompiler, **kw: Any) -> str:
    return _postgresql(element, compiler, **kw)


def bucket(kind: str, column: ColumnElement[Any]) -> ColumnElement[int]:
    """The ``kind`` ('day', 'month', 'hour') bucket of ``column``."""
    return {"day": day_number, "month": month_number, "hour": hour_number}[kind](column)


class month_of_day(FunctionElement[int]):  # noqa: N801 - reads like a SQL function
    """YYYYMM of an integer day YYYYMMDD (a summary table's ``day``): the integer quotient by 100.
    DuckDB's ``/`` divides integers into a float, its ``//`` is the integer quotient.
    """

    type = Integer()
    name = "month_of_day"
    inherit_cache = True


@compiles(month_of_day, "duckdb")
def _month_of_day_duckdb(element: month_of_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({_arg(element, compiler, **kw)} // 100)"


@compiles(month_of_day)
def _month_of_day_default(element: month_of_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({_arg(element, compiler, **kw)} / 100)"


class no_index_order(FunctionElement[Any]):  # noqa: N801 - reads like a SQL function
    """A column that SQLite must not read in an index's order: ``+column`` there, the column
    itself elsewhere (PostgreSQL has no unary plus on text).

    Grouping the open rows by ``dossiers.unit_code`` let SQLite, without planner statistics (a
    fresh import), walk the whole table through ``ix_dossiers_unit_received`` to get the groups
    in order instead of reading the few open rows from ``ix_dossiers_open_now`` and sorting them
    (performance-notes.md lesson 11: seconds a call at 1 M instead of milliseconds). The unary
    plus hides the column from the index chooser, so the partial index is the only sensible plan.
    """

    name = "no_index_order"
    inherit_cache = True

    @property
    def type(self) -> Any:
        """The column's own type."""
        (arg,) = list(self.clauses)
        return arg.type


@compiles(no_index_order, "sqlite")
def _no_index_sqlite(element: no_index_order, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + _arg(element, compiler, **kw)


@compiles(no_index_order)
def _no_index_default(element: no_index_order, compiler: SQLCompiler, **kw: Any) -> str:
    return _arg(element, compiler, **kw)


class from_epoch_us(FunctionElement[Any]):  # noqa: N801 - reads like a SQL function
    """A timestamp from integer microseconds since 1970-01-01 (naive), in the form the DateTime
    columns store on each backend: on SQLite the text SQLAlchemy writes
    (``YYYY-MM-DD HH:MM:SS.ffffff``), elsewhere a TIMESTAMP. The importer stages times as
    integers (NumPy converts a million of them at once) and lets the database format them.
    """

    type = DateTime()
    name = "from_epoch_us"
    inherit_cache = True


@compiles(from_epoch_us, "sqlite")
def _epoch_sqlite(element: from_epoch_us, compiler: SQLCompiler, **kw: Any) -> str:
    x = _arg(element, compiler, **kw)
    return f"(strftime('%Y-%m-%d %H:%M:%S', {x} / 1000000, 'unixepoch') || printf('.%06d', {x} % 1000000))"


@compiles(from_epoch_us, "duckdb")
def _epoch_duckdb(element: from_epoch_us, compiler: SQLCompiler, **kw: Any) -> str:
    return f"make_timestamp({_arg(element, compiler, **kw)})"


@compiles(from_epoch_us)
def _epoch_default(element: from_epoch_us, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(TIMESTAMP '1970-01-01' + {_arg(element, compiler, **kw)} * INTERVAL '1 microsecond')"
