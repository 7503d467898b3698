"""The counter declarations of :mod:`data_access.counter_spec` rendered to NumPy: conditions as
boolean arrays over dossier rows, and ``open_at`` conditions as intervals of days.

The summary cells (:mod:`data_access.summaries.cells`) are built from these arrays, the raw queries
from the same declarations rendered to SQL (:mod:`data_access.counters`), so a summary equals the
raw query by construction. NULL semantics follow SQL: a comparison with NaT or NaN is false, a
NULL flag is not true. Everything is vectorised: one array operation a node, each node computed
once per set of rows.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Boolean, DateTime, Float, Integer

from data_access import counter_spec as cs
from data_access.counters import OPERATORS, TABLES

DAY_END = np.timedelta64(86_399, "s").astype("timedelta64[us]")
NAT = np.datetime64("NaT", "us")


def ts(series: pd.Series) -> np.ndarray:
    """Timestamps as ``datetime64[us]`` (NULL → NaT): ISO text from SQLite, datetimes elsewhere."""
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        try:  # NumPy parses ISO text and datetimes ~20× faster than pd.to_datetime (1,000 rows)
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a time zone: let pandas convert it, as before
                return np.asarray(series.to_numpy(dtype=object, na_value=None), dtype="datetime64[us]")
        except (TypeError, ValueError, UserWarning):  # an offset, NaN: pandas' general parser
            series = pd.to_datetime(series, format="ISO8601")
    return pd.to_datetime(series).to_numpy(dtype="datetime64[us]")


class Codes:
    """A text column as integer codes into its distinct values (NULL: −1): equality and IN are
    then integer comparisons (on strings they cost more than the rest of the cells).
    """

    def __init__(self, codes: np.ndarray, labels: list[Any]) -> None:
        """Codes of ``labels`` (``labels[code]``), −1 for NULL."""
        self.codes, self.labels = codes, labels

    def __getitem__(self, mask: Any) -> Codes:
        """The codes of the rows ``mask`` selects."""
        return Codes(self.codes[mask], self.labels)

    def __len__(self) -> int:
        """The number of rows."""
        return len(self.codes)

    def isin(self, values: tuple[Any, ...]) -> np.ndarray:
        """Rows whose value is one of ``values`` (never NULL ones)."""
        wanted = [i for i, label in enumerate(self.labels) if label in values]
        if len(wanted) == 1:
            return self.codes == wanted[0]
        return np.isin(self.codes, wanted)


def column_array(rows: pd.DataFrame, col: cs.Col) -> np.ndarray | Codes:
    """A column of ``rows`` as the array its schema type calls for: timestamps (NaT for NULL),
    floats (NaN for NULL), flags as ``IS TRUE`` (NULL is false), text as :class:`Codes`.
    """
    kind = TABLES[col.table].c[col.name].type
    series = rows[col.name]
    if isinstance(kind, DateTime):
        return ts(series)
    if isinstance(kind, Boolean):
        return series.eq(True).fillna(False).to_numpy(dtype=bool)
    if isinstance(kind, Integer | Float):
        return pd.to_numeric(series).to_numpy(dtype=float)
    codes, labels = pd.factorize(series)
    return Codes(codes, list(labels))


def ordinal(t: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of each timestamp (its date)."""
    return t.astype("datetime64[D]").astype("int64")


def first_day_end_from(t: np.ndarray) -> np.ndarray:
    """Ordinal day of the first day end (D 23:59:59) at or after each timestamp."""
    days = t.astype("datetime64[D]")
    return days.astype("int64") + ((t - days.astype("datetime64[us]")) > DAY_END)


def first_day_end_after(t: np.ndarray) -> np.ndarray:
    """Ordinal day of the first day end strictly after each timestamp."""
    days = t.astype("datetime64[D]")
    return days.astype("int64") + (t >= days.astype("datetime64[us]") + DAY_END)


def _null(values: np.ndarray | Codes) -> np.ndarray:
    if isinstance(values, Codes):
        return values.codes < 0
    if values.dtype.kind == "M":
        return np.isnat(values)
    if values.dtype.kind == "f":
        return np.isnan(values)
    return pd.isna(values)


class Rows:
    """Arrays of some dossier rows (column name → array) and the values of the declarations on
    them, each computed once; :meth:`subset` narrows them lazily (columns and values already
    computed are masked, not recomputed).
    """

    def __init__(self, columns: dict[str, Any], parent: Rows | None = None, mask: Any = None) -> None:
        """Rows of ``columns``, or those of ``parent`` selected by ``mask``."""
        self.columns, self.parent, self.mask = columns, parent, mask
        self.memo: dict[Any, Any] = {}

    def subset(self, mask: np.ndarray) -> Rows:
        """The rows where ``mask`` holds (these rows themselves when it holds everywhere)."""
        return self if mask.all() else Rows({}, self, mask)

    def column(self, name: str) -> Any:
        """The array of column ``name`` on these rows."""
        if name not in self.columns:
            assert self.parent is not None, name
            self.columns[name] = self.parent.column(name)[self.mask]
        return self.columns[name]

    def value(self, node: Any) -> Any:
        """The array of a term or condition on these rows (a constant stays a constant)."""
        if isinstance(node, cs.Col):
            return self.column(node.name)
        if isinstance(node, dt.datetime):
            return np.datetime64(node, "us")  # a time constant, as the timestamp columns hold them
        if not hasattr(node, "__dataclass_fields__"):
            return node
        if node not in self.memo:
            above = self.parent.memo.get(node) if self.parent is not None else None
            self.memo[node] = above[self.mask] if above is not None else self._compute(node)
        return self.memo[node]

    def _compute(self, node: Any) -> np.ndarray:
        v = self.value
        match node:
            case cs.Cmp("==", left, right) if isinstance(v(left), Codes):
                return v(left).isin((right,))
            case cs.Cmp(op, left, right):
                return np.asarray(OPERATORS[op](v(left), v(right)), dtype=bool)
            case cs.In(column, values):
                return v(column).isin(values)
            case cs.IsNull(term, negate):
                return ~_null(v(term)) if negate else _null(v(term))
            case cs.IsTrue(column):
                return v(column)
            case cs.And(terms):
                return np.logical_and.reduce([v(t) for t in terms])
            case cs.Or(terms):
                return np.logical_or.reduce([v(t) for t in terms])
            case cs.Case(whens, else_):
                values = [v(t) for _, t in whens]
                out = np.full(len(values[0]), NAT if values[0].dtype.kind == "M" else np.nan)
                out = out if else_ is None else v(else_)
                for (cond, _), value in reversed(list(zip(whens, values, strict=True))):
                    out = np.where(v(cond), value, out)
                return out
            case cs.Coalesce(terms):
                arrays = [v(t) for t in terms]
                out = arrays[-1]
                for a in reversed(arrays[:-1]):
                    out = np.where(_null(a), out, a)
                return out
            case cs.Day(term):
                return ordinal(v(term))
            case cs.Rule(_, term):
                return v(term)
        raise TypeError(f"cannot render {node!r}")

    def _day_ends(self, bound: Callable[[np.ndarray], np.ndarray], node: Any) -> np.ndarray:
        """``bound`` of the timestamps of ``node``, computed once."""
        key = (bound.__name__, node)
        if key not in self.memo:
            self.memo[key] = bound(self.value(node))
        return self.memo[key]

    def days_open(self, event: cs.Event, condition: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For ``open_at`` rows that have left the queue (``event.until`` set on every row here):
        the ordinal days [lo, hi) at whose end each row is open and meets ``condition``, and
        which rows can meet it at all (its terms without the moment).

        A term comparing a time with the moment bounds the days (``due ≥ moment``: until the
        last day ending by the due time); any other term is a plain row condition.
        """
        lo = self._day_ends(first_day_end_from, event.since)  # since ≤ moment
        hi = self._day_ends(first_day_end_from, event.until)  # until > moment
        keep = np.ones(len(lo), bool)
        for term in _conjuncts(condition):
            if not _mentions_moment(term):
                keep &= self.value(term)
                continue
            if not (isinstance(term, cs.Cmp) and cs.MOMENT in (term.left, term.right)):
                raise NotImplementedError(f"open_at conditions compare a time with the moment: {term!r}")
            op, other = _moment_on_right(term)
            if op == "<=":  # t ≤ moment: from the first day ending at or after t
                lo = np.maximum(lo, self._day_ends(first_day_end_from, other))
            elif op == "<":  # t < moment: from the first day ending after t
                lo = np.maximum(lo, self._day_ends(first_day_end_after, other))
            elif op == ">=":  # moment ≤ t: the days ending at or before t
                hi = np.minimum(hi, self._day_ends(first_day_end_after, other))
            elif op == ">":  # moment < t: the days ending before t
                hi = np.minimum(hi, self._day_ends(first_day_end_from, other))
            else:
                raise NotImplementedError(f"the moment can only be bounded: {term!r}")
        return lo, hi, keep


def _conjuncts(condition: Any) -> list[Any]:
    if condition is None:
        return []
    if isinstance(condition, cs.And):
        return [t for term in condition.terms for t in _conjuncts(term)]
    return [condition]


def _mentions_moment(node: Any) -> bool:
    if isinstance(node, cs.Moment):
        return True
    if isinstance(node, tuple):
        return any(_mentions_moment(n) for n in node)
    if hasattr(node, "__dataclass_fields__"):
        return any(_mentions_moment(getattr(node, f)) for f in node.__dataclass_fields__)
    return False


def _moment_on_right(term: cs.Cmp) -> tuple[str, Any]:
    """``term`` as ``other op moment``: the operator and the other side."""
    if term.right == cs.MOMENT:
        return term.op, term.left
    flipped = {"<": ">", "<=": ">=", ">=": "<=", ">": "<", "==": "=="}
    return flipped[term.op], term.right
