"""Query results as DataFrames: the one conversion every named query ends with."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine, Result
from sqlalchemy.sql import Executable


def result_frame(result: Result[Any]) -> pd.DataFrame:
    """The rows of ``result`` as a DataFrame with its column names.

    Rows are handed to pandas as plain tuples: given SQLAlchemy ``Row`` objects, pandas probes
    each one for attributes that a Row answers by raising, which cost three times the copy.
    """
    columns = list(result.keys())
    return pd.DataFrame(list(map(tuple, result.all())), columns=columns)


Columns = dict[str, Any]
"""A small answer as column name → NumPy array (or list of keys), for callers that assemble
several answers into one frame: a DataFrame per part cost more to build and take apart than
the query (a unit-counter set is three parts and a unit list)."""


def count_columns(result: Result[Any]) -> Columns:
    """A key column then integer counts (NULL as 0), converted as one NumPy block: converting
    and filling a column at a time cost about as much as the query (docs/performance.md).
    """
    columns = list(result.keys())
    rows = result.all()
    counts = np.nan_to_num(np.array([r[1:] for r in rows], dtype=float).reshape(len(rows), len(columns) - 1))
    out: Columns = {columns[0]: [r[0] for r in rows]}
    for j, name in enumerate(columns[1:]):
        out[name] = counts[:, j].astype(np.int64)
    return out


def columns_frame(columns: Columns) -> pd.DataFrame:
    """``columns`` as a DataFrame (an empty list of keys becomes an empty object column)."""
    empty = pd.Series([], dtype=object)
    return pd.DataFrame({k: empty if isinstance(v, list) and not v else v for k, v in columns.items()})


def read_frame(engine: Engine, stmt: Executable, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """The result of ``stmt`` with ``params`` as a small frame: the data layer's one reader."""
    with engine.connect() as conn:
        return result_frame(conn.execute(stmt, params or {}))
