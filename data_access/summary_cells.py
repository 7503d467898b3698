"""What one dossier adds to the summary tables: the cells of its events (pure pandas, no SQL).

The same function serves the full rebuild and the deltas (new version +1, old version −1), so a
summary maintained by deltas equals a rebuilt one by construction. It mirrors
:mod:`data_access.counters` exactly (domain.md metrics 1, 2, 4, 5, 7, 8, 9; Decision 766):

- a *receipt* event on the day of ``received_at`` (received, channel, fee, paid online,
  digitised, reused, full-process eligible / online);
- a *settle* event on the day of ``settle_at`` (metric 1: the finish, or the supplement request
  of a dossier waiting for one): settled, settled on time;
- a *finish* event on the day of ``finished_at`` (metric 2: processed, returned, stopped):
  finished, on time, early, electronic result, ratings, processing and legal days;
- *open intervals* of a dossier that has left the queue (``gone_at`` known): it is open at the
  end of day D when ``received_at ≤ D 23:59:59 < gone_at``. The day table stores each interval as
  +1 on its first day and −1 on the day after its last (``*_change``); the month tables store how
  many intervals cross each month end (``open_*`` snapshots). Dossiers still open now are never
  in the summaries: they are counted from the dossier table through the partial index on open
  dossiers, so their cells need no update while they wait.

Days are integers YYYYMMDD and months YYYYMM (portable across SQLite, PostgreSQL, DuckDB).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.counters import MAX_SUPPLEMENTS
from data_access.schema import FINISHED_STATUSES, STATUSES

#: Counters of events (receipt, settle, finish), in the order of ``DOSSIER_COUNTERS``.
EVENT_COUNTERS: tuple[str, ...] = (
    "received", "received_online", "received_direct", "received_postal", "fee_required",
    "paid_online", "digitized", "reused_data", "fp_eligible", "fp_online", "settled",
    "settled_on_time", "finished", "finished_on_time", "finished_early", "e_result", "rated",
    "very_satisfied", "satisfied", "unsatisfied", "processing_n", "processing_days", "limit_days",
)  # fmt: skip
#: Counters that are sums of working days, not counts (floats).
FLOAT_COUNTERS: tuple[str, ...] = ("processing_days", "limit_days")
#: The open-at-as_of counters, each an interval of days per dossier.
OPEN_COUNTERS: tuple[str, ...] = ("open_end", "open_on_time", "open_overdue")
#: Day-table columns: +1 where an open interval starts, −1 the day after it ends.
CHANGE_COUNTERS: tuple[str, ...] = tuple(f"{c}_change" for c in OPEN_COUNTERS)
#: The dossier columns (plus the procedure's ``full_process_eligible`` and ``time_limit_days``)
#: that the cells depend on.
INPUT_COLUMNS: tuple[str, ...] = (
    "unit_code", "agency_code", "procedure_code", "channel", "received_at", "due_at",
    "finished_at", "status", "supplement_requests", "supplement_requested_at", "fee_required",
    "paid_online", "e_result", "digitized", "reused_data", "rating", "processing_days",
)  # fmt: skip
DIMS: tuple[str, ...] = ("unit_code", "agency_code", "procedure_code", "channel")
_DAY_END = pd.Timedelta(hours=23, minutes=59, seconds=59)


def _flag(series: pd.Series) -> pd.Series:
    """A nullable boolean column as 0/1 (NULL counts as false, as ``IS TRUE`` in SQL)."""
    return series.eq(True).fillna(False).astype("int64")


def _ts(series: pd.Series) -> pd.Series:
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        return pd.to_datetime(series, format="ISO8601").astype("datetime64[us]")
    return pd.to_datetime(series).astype("datetime64[us]")


def _valid(rows: pd.DataFrame) -> pd.Series:
    """Mirror of :data:`data_access.counters.valid_dossier` (NULL comparisons are false)."""
    received, finished, asked = rows["received_at"], rows["finished_at"], rows["supplement_requested_at"]
    return (
        rows["status"].isin(STATUSES)
        & (rows["due_at"] >= received)
        & (finished.isna() | (finished >= received))
        & (asked.isna() | (asked >= received))
        & rows["supplement_requests"].between(0, MAX_SUPPLEMENTS)
        & rows["time_limit_days"].notna()
    )


def _day(series: pd.Series) -> pd.Series:
    """YYYYMMDD of each timestamp."""
    return (series.dt.year * 10000 + series.dt.month * 100 + series.dt.day).astype("int64")


def _first_day_end_from(ts: pd.Series) -> pd.Series:
    """Ordinal day of the first day end (D 23:59:59) at or after each timestamp."""
    days = ts.dt.normalize()
    late = (ts - days) > _DAY_END
    return (days.to_numpy("datetime64[D]").astype("int64") + late.to_numpy()).astype("int64")


def _events(rows: pd.DataFrame) -> list[pd.DataFrame]:
    """Receipt, settle and finish events: each DIMS, ``day`` and its counters."""
    received, due = rows["received_at"], rows["due_at"]
    few = rows["supplement_requests"] < 2
    base = rows[[*DIMS, "_w"]]
    online = rows["via_online"]
    fee = _flag(rows["fee_required"])
    eligible = _flag(rows["full_process_eligible"])
    receipt = base.assign(
        day=_day(received), received=1, received_online=online,
        received_direct=rows["via_direct"], received_postal=rows["via_postal"],
        fee_required=fee, paid_online=fee * _flag(rows["paid_online"]),
        digitized=_flag(rows["digitized"]), reused_data=_flag(rows["reused_data"]),
        fp_eligible=eligible, fp_online=eligible * online,
    )  # fmt: skip
    settle_at = rows["settle_at"]
    has_settle = settle_at.notna()
    settle = base[has_settle].assign(
        day=_day(settle_at[has_settle]), settled=1,
        settled_on_time=((settle_at <= due) & few)[has_settle].astype("int64"),
    )  # fmt: skip
    fin = rows["status"].isin(FINISHED_STATUSES) & rows["finished_at"].notna()
    finished_at = rows["finished_at"][fin]
    on_time = ((finished_at <= due[fin]) & few[fin]).astype("int64")
    worked = rows["processing_days"][fin].notna()
    rating = rows["rating"][fin]
    finish = base[fin].assign(
        day=_day(finished_at), finished=1, finished_on_time=on_time,
        finished_early=on_time * (_day(finished_at) < _day(due[fin])).astype("int64"),
        e_result=_flag(rows["e_result"][fin]), rated=rating.notna().astype("int64"),
        very_satisfied=rating.eq("very_satisfied").astype("int64"),
        satisfied=rating.eq("satisfied").astype("int64"),
        unsatisfied=rating.eq("unsatisfied").astype("int64"),
        processing_n=worked.astype("int64"),
        processing_days=rows["processing_days"][fin].where(worked, 0.0).astype(float),
        limit_days=rows["time_limit_days"][fin].where(worked, 0.0).astype(float),
    )  # fmt: skip
    return [receipt, settle, finish]


def _intervals(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Per open counter, the [first, stop) ordinal days of each gone dossier's open interval."""
    gone = rows[rows["gone_at"].notna()]
    first = _first_day_end_from(gone["received_at"])
    stop = _first_day_end_from(gone["gone_at"])
    due, day_end = gone["due_at"], gone["due_at"].dt.normalize() + _DAY_END
    overdue_from = due.dt.normalize().to_numpy("datetime64[D]").astype("int64") + (due >= day_end).to_numpy()
    few = (gone["supplement_requests"] < 2).to_numpy()
    base = gone[[*DIMS, "_w"]].reset_index(drop=True)
    spans = {
        "open_end": (first, stop, np.ones(len(gone), bool)),
        "open_overdue": (np.maximum(first, overdue_from), stop, np.ones(len(gone), bool)),
        "open_on_time": (first, np.minimum(overdue_from, stop), few),
    }
    out = []
    for name, (lo, hi, keep) in spans.items():
        mask = keep & (lo < hi)
        out.append((name, base[mask].assign(first=lo[mask], stop=hi[mask])))
    return out


def _ordinal_to_day(ordinal: np.ndarray) -> np.ndarray:
    dates = ordinal.astype("datetime64[D]")
    months = dates.astype("datetime64[M]")
    years = months.astype("datetime64[Y]")
    year = years.astype(int) + 1970
    month = (months - years).astype(int) + 1
    day = (dates - months).astype(int) + 1
    return (year * 10000 + month * 100 + day).astype("int64")


def _changes(intervals: list[tuple[str, pd.DataFrame]]) -> list[pd.DataFrame]:
    """Day-table rows: +1 on an interval's first day, −1 on its stop day."""
    parts = []
    for name, iv in intervals:
        col = f"{name}_change"
        parts.append(iv[[*DIMS, "_w"]].assign(day=_ordinal_to_day(iv["first"].to_numpy()), **{col: 1}))
        parts.append(iv[[*DIMS, "_w"]].assign(day=_ordinal_to_day(iv["stop"].to_numpy()), **{col: -1}))
    return parts


def _snapshots(intervals: list[tuple[str, pd.DataFrame]]) -> list[pd.DataFrame]:
    """Month-table rows: +1 for every month end (last day M, first ≤ M < stop) an interval crosses."""
    parts = []
    for name, iv in intervals:
        lo = iv["first"].to_numpy().astype("datetime64[D]")
        hi = iv["stop"].to_numpy().astype("datetime64[D]") - 1  # last day open at its end
        first_month = lo.astype("datetime64[M]")
        last_month = hi.astype("datetime64[M]")
        ends_in_last = (last_month + 1).astype("datetime64[D]") - 1 == hi
        last_month = np.where(ends_in_last, last_month, last_month - 1)
        count = (last_month - first_month).astype(int) + 1
        count = np.maximum(count, 0)
        idx = np.repeat(np.arange(len(iv)), count)
        offset = np.arange(len(idx)) - np.repeat(np.cumsum(count) - count, count)
        months = first_month[idx] + offset
        years = months.astype("datetime64[Y]")
        yyyymm = (years.astype(int) + 1970) * 100 + (months - years).astype(int) + 1
        parts.append(iv[[*DIMS, "_w"]].iloc[idx].assign(month=yyyymm.astype("int64"), **{name: 1}))
    return parts


def prepare(rows: pd.DataFrame) -> pd.DataFrame:
    """Valid rows with typed timestamps and their ``settle_at`` / ``gone_at`` (counters.py)."""
    rows = rows.copy()
    for col in ("received_at", "due_at", "finished_at", "supplement_requested_at"):
        rows[col] = _ts(rows[col])
    rows["supplement_requests"] = pd.to_numeric(rows["supplement_requests"])
    rows["processing_days"] = pd.to_numeric(rows["processing_days"]).astype(float)
    rows["time_limit_days"] = pd.to_numeric(rows["time_limit_days"]).astype(float)
    rows = rows[_valid(rows)]
    status = rows["status"]
    settle = rows["finished_at"].where(status.isin(FINISHED_STATUSES))
    settle = settle.where(status != "supplement_requested", rows["supplement_requested_at"])
    rows["settle_at"] = settle
    withdrawn = rows["finished_at"].fillna(rows["received_at"])
    rows["gone_at"] = withdrawn.where(status == "withdrawn", settle)
    for channel in ("online", "direct", "postal"):  # before the dimensions become integer codes
        rows[f"via_{channel}"] = rows["channel"].eq(channel).astype("int64")
    return rows


def cells(rows: pd.DataFrame, sign: int = 1) -> dict[str, pd.DataFrame]:
    """The summary cells of ``rows`` (dossier columns plus the procedure's attributes), times
    ``sign`` (or each row's ``_w``, +1 or −1, when the rows carry one), aggregated per grain:
    ``day`` (DIMS without procedure, ``day``), ``month`` and ``procedure_month`` (with
    procedure, ``month``). Empty frames when no row is valid.
    """
    if "_w" not in rows.columns:
        rows = rows.assign(_w=sign)
    rows = prepare(rows)
    labels = {}
    for col in DIMS:  # group on integer codes: hashing strings dominated the cost
        codes, uniques = pd.factorize(rows[col])
        rows[col], labels[col] = codes, np.asarray(uniques, dtype=object)
    events = _events(rows)
    intervals = _intervals(rows)
    events_month = [e.assign(month=e["day"] // 100).drop(columns="day") for e in events]
    day_keys = ["day", "unit_code", "agency_code", "channel"]
    month_keys = ["month", "unit_code", "agency_code", "channel"]
    out = {
        "day": _sum([*events, *_changes(intervals)], day_keys, CHANGE_COUNTERS),
        "month": _sum([*events_month, *_snapshots(intervals)], month_keys, OPEN_COUNTERS),
        "procedure_month": _sum(
            [*events_month, *_snapshots(intervals)],
            [*month_keys[:3], "procedure_code", "channel"],
            OPEN_COUNTERS,
        ),
    }
    for frame in out.values():
        for col in DIMS:
            if col in frame.columns:
                frame[col] = labels[col][frame[col].to_numpy()] if len(frame) else frame[col].astype(object)
    return out


def _sum(parts: list[pd.DataFrame], keys: list[str], extra: tuple[str, ...]) -> pd.DataFrame:
    """Group each part by ``keys`` on its own counters (cheap: no missing values), then the
    much smaller results together, with every counter present.
    """
    counters = [*EVENT_COUNTERS, *extra]
    grouped = []
    for part in parts:
        own = [c for c in part.columns if c in counters]
        if len(part) and own:
            weighted = part[own].mul(part["_w"].to_numpy(), axis=0)  # +1 new version, −1 old
            weighted[keys] = part[keys]
            grouped.append(weighted.groupby(keys, as_index=False, sort=False).sum())
    if not grouped:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in keys + counters})
    both = pd.concat(grouped, ignore_index=True)
    for col in counters:
        both[col] = both[col].fillna(0) if col in both.columns else 0
    both = both.groupby(keys, as_index=False, sort=False)[counters].sum()
    ints = [c for c in counters if c not in FLOAT_COUNTERS]
    both[ints] = both[ints].astype("int64")
    both[list(FLOAT_COUNTERS)] = both[list(FLOAT_COUNTERS)].astype(float)
    return both
