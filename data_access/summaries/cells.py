"""What one dossier adds to the summary tables: the cells of its events (pure pandas, no SQL).

The same function serves the full rebuild and the deltas (new version +1, old version −1), so a
summary maintained by deltas equals a rebuilt one by construction. Every counter, its event and
its condition come from :mod:`data_access.counter_spec`, rendered to arrays by
:mod:`data_access.summaries.arrays` (the raw queries render the same declarations to SQL, so the
two agree by construction; docs/rules.md, "Period membership"). The events:

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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access import counter_spec as cs
from data_access.counter_spec import SPEC, Spec
from data_access.schema import dossiers
from data_access.summaries.arrays import Rows, column_array, ordinal

#: Counters of events (receipt, settle, finish), in the order of ``DOSSIER_COUNTERS``.
EVENT_COUNTERS: tuple[str, ...] = SPEC.names("receipt", "settle", "finish")
#: Counters that are sums of working days, not counts (floats).
FLOAT_COUNTERS: tuple[str, ...] = SPEC.float_names
#: The open-at-as_of counters, each an interval of days per dossier.
OPEN_COUNTERS: tuple[str, ...] = SPEC.names("open_at")
#: Day-table columns: +1 where an open interval starts, −1 the day after it ends.
CHANGE_COUNTERS: tuple[str, ...] = tuple(f"{c}_change" for c in OPEN_COUNTERS)
#: Counters of the month tables: the events and the month-end open snapshots.
MONTH_COUNTERS: tuple[str, ...] = (*EVENT_COUNTERS, *OPEN_COUNTERS)
#: Counters of the procedure × day table: what "procedure used, with a fee, paid online in the
#: period" needs (docs/rules.md §6 and §11), from the receipt event alone.
PROCEDURE_DAY_COUNTERS: tuple[str, ...] = ("received", *cs.PROCEDURE_RECEIPTS)
assert set(PROCEDURE_DAY_COUNTERS) <= set(SPEC.names("receipt"))
DIMS: tuple[str, ...] = ("unit_code", "agency_code", "procedure_code", "channel")
#: The dimensions of the cells: the dossier's, and its procedure's field (from the catalogue,
#: beside the procedure's other attributes: a catalogue that changes it rebuilds the summaries).
CELL_DIMS: tuple[str, ...] = (*DIMS, "field")
#: The dossier columns the cells depend on: the dimensions and what the counters read (the
#: procedure's ``full_process_eligible`` and ``time_limit_days`` come beside them).
INPUT_COLUMNS: tuple[str, ...] = (
    *DIMS,
    *[c.name for c in dossiers.columns if c.name not in DIMS and cs.Col(c.name) in SPEC.columns],
)

# The cells are computed on NumPy arrays: a delta of a thousand dossiers is a few hundred
# vectorised steps, where the same steps on DataFrames cost more in overhead than in work.


@dataclass
class _Part:
    """Cells of one kind of event before grouping: keys (dimension codes and a day or month)
    and the counters it sets, one array each, already weighted by +1 / −1.
    """

    keys: dict[str, np.ndarray]
    values: dict[str, np.ndarray]


def _ordinal_to_day(days: np.ndarray) -> np.ndarray:
    """YYYYMMDD of each day ordinal."""
    dates = days.astype("datetime64[D]")
    months = dates.astype("datetime64[M]")
    years = months.astype("datetime64[Y]")
    year = years.astype(int) + 1970
    month = (months - years).astype(int) + 1
    day = (dates - months).astype(int) + 1
    return (year * 10000 + month * 100 + day).astype("int64")


def _day(ts: np.ndarray) -> np.ndarray:
    """YYYYMMDD of each timestamp."""
    return _ordinal_to_day(ordinal(ts))


def _dims(r: Rows) -> dict[str, np.ndarray]:
    return {c: r.column("@" + c) for c in CELL_DIMS}


def prepare(rows: pd.DataFrame, spec: Spec = SPEC) -> Rows:
    """The valid rows (``spec.valid``, and a known procedure: ``time_limit_days`` set, as the SQL
    join requires) as arrays of the columns the spec reads, the weight ``_w`` and the dimension
    codes (``@unit_code`` …).
    """
    arrays = {c.name: column_array(rows, c) for c in spec.columns}
    known = pd.to_numeric(rows["time_limit_days"]).notna().to_numpy()
    valid = Rows(arrays).value(spec.valid) & known
    arrays["_w"] = rows["_w"].to_numpy(dtype="int64")
    for col in CELL_DIMS:  # group on integer codes: hashing strings dominated the cost
        arrays["@" + col] = pd.factorize(rows[col])[0]
    return Rows({k: v[valid] for k, v in arrays.items()})


def _events(r: Rows, spec: Spec) -> list[_Part]:
    """Receipt, settle and finish events: each CELL_DIMS, ``day`` and the counters of the event."""
    parts = []
    for name in ("receipt", "settle", "finish"):
        event = spec.events[name]
        happened = ~np.isnat(r.value(event.time))
        if event.when is not None:
            happened &= r.value(event.when)
        e = r.subset(happened)
        w = e.column("_w")
        values = {}
        for c in spec.counters:
            if c.event != name:
                continue
            hit = None if c.condition is None else e.value(c.condition)
            if c.value is None:
                values[c.name] = w if hit is None else w * hit
            else:
                amount = e.value(c.value)
                values[c.name] = w * (amount if hit is None else np.where(hit, amount, 0.0))
        parts.append(_Part(_dims(e) | {"day": _day(e.value(event.time))}, values))
    return parts


def _intervals(r: Rows, spec: Spec) -> list[tuple[str, dict[str, np.ndarray]]]:
    """Per open counter, the [first, stop) ordinal days of each gone dossier's open interval,
    with the dossier's dimension codes and weight.
    """
    event = spec.events["open_at"]
    g = r.subset(~np.isnat(r.value(event.until)))
    out = []
    for c in spec.counters:
        if c.event != "open_at":
            continue
        lo, hi, keep = g.days_open(event, c.condition)
        mask = keep & (lo < hi)
        base = {k: v[mask] for k, v in (_dims(g) | {"_w": g.column("_w")}).items()}
        out.append((c.name, base | {"first": lo[mask], "stop": hi[mask]}))
    return out


def _changes(intervals: list[tuple[str, dict[str, np.ndarray]]]) -> list[_Part]:
    """Day-table cells: +1 on an interval's first day, −1 on its stop day."""
    parts = []
    for name, iv in intervals:
        keys = {c: iv[c] for c in DIMS}
        for edge, sign in (("first", 1), ("stop", -1)):
            day = _ordinal_to_day(iv[edge])
            parts.append(_Part(keys | {"day": day}, {f"{name}_change": sign * iv["_w"]}))
    return parts


def _snapshots(intervals: list[tuple[str, dict[str, np.ndarray]]]) -> list[_Part]:
    """Month-table cells: +1 for every month end (last day M, first ≤ M < stop) an interval crosses."""
    parts = []
    for name, iv in intervals:
        lo = iv["first"].astype("datetime64[D]")
        hi = iv["stop"].astype("datetime64[D]") - 1  # last day open at its end
        first_month = lo.astype("datetime64[M]")
        last_month = hi.astype("datetime64[M]")
        ends_in_last = (last_month + 1).astype("datetime64[D]") - 1 == hi
        last_month = np.where(ends_in_last, last_month, last_month - 1)
        count = np.maximum((last_month - first_month).astype(int) + 1, 0)
        idx = np.repeat(np.arange(len(lo)), count)
        offset = np.arange(len(idx)) - np.repeat(np.cumsum(count) - count, count)
        months = first_month[idx] + offset
        years = months.astype("datetime64[Y]")
        yyyymm = ((years.astype(int) + 1970) * 100 + (months - years).astype(int) + 1).astype("int64")
        keys = {c: iv[c][idx] for c in CELL_DIMS} | {"month": yyyymm}
        parts.append(_Part(keys, {name: iv["_w"][idx]}))
    return parts


def _to_month(part: _Part) -> _Part:
    keys = {k: v for k, v in part.keys.items() if k != "day"} | {"month": part.keys["day"] // 100}
    return _Part(keys, part.values)


def _key_groups(keys: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The distinct combinations of ``keys`` (integer arrays of one length), one array a key,
    and the index of each row's combination among them.

    The keys are small-range integers (factorised codes, YYYYMMDD days, YYYYMM months), so each
    row's combination is one integer, key by key in mixed radix over the key's range, and a
    single ``np.unique`` groups them (a sort a key cost more than the work itself).
    """
    arrays = [np.asarray(k).reshape(-1) for k in keys.values()]
    if not len(arrays[0]):
        return {k: np.zeros(0, "int64") for k in keys}, np.zeros(0, "int64")
    lows = [int(a.min()) for a in arrays]
    sizes = [int(a.max()) - lo + 1 for a, lo in zip(arrays, lows, strict=True)]
    if np.prod(np.array(sizes, dtype=float)) < 2**62:
        combined = np.zeros(len(arrays[0]), "int64")
        for a, lo, size in zip(arrays, lows, sizes, strict=True):
            combined *= size
            combined += a
            combined -= lo
        unique, inverse = np.unique(combined, return_inverse=True)
        del combined
        codes = []
        for lo, size in zip(reversed(lows), reversed(sizes), strict=True):
            codes.append(unique % size + lo)
            unique = unique // size
        codes.reverse()
    else:  # too many combinations for one integer: sort the key rows themselves
        stacked = np.stack([a.astype("int64") for a in arrays], axis=1)
        unique_rows, inverse = np.unique(stacked, axis=0, return_inverse=True)
        codes = list(unique_rows.T)
    return dict(zip(keys, codes, strict=True)), inverse.reshape(-1)


def _group(keys: dict[str, np.ndarray], values: dict[str, np.ndarray]) -> _Part:
    """Sum ``values`` per distinct combination of ``keys`` (integer arrays of one length)."""
    codes, inverse = _key_groups(keys)
    n = len(next(iter(codes.values())))
    sums = {c: np.bincount(inverse, weights=v, minlength=n) for c, v in values.items()}
    return _Part(codes, sums)


def _sum(parts: list[_Part], keys: list[str], counters: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Group each part on its own counters (cheap: no missing values), then the much smaller
    results together, with every counter present; columns ``keys`` then ``counters``.
    """
    grouped = [
        _group({k: p.keys[k] for k in keys}, {c: v for c, v in p.values.items() if c in counters})
        for p in parts
        if len(p.keys[keys[0]]) and any(c in counters for c in p.values)
    ]
    if not grouped:
        return {c: np.zeros(0, "int64") for c in keys + counters}
    sizes = [len(g.keys[keys[0]]) for g in grouped]
    all_keys = {k: np.concatenate([g.keys[k] for g in grouped]) for k in keys}
    all_values = {
        c: np.concatenate([g.values.get(c, np.zeros(n)) for g, n in zip(grouped, sizes, strict=True)])
        for c in counters
    }
    both = _group(all_keys, all_values)
    data: dict[str, np.ndarray] = dict(both.keys)
    for c in counters:
        total = both.values[c]
        data[c] = total if c in FLOAT_COUNTERS else np.rint(total).astype("int64")
    return data


def cell_codes(
    rows: pd.DataFrame, sign: int = 1, spec: Spec = SPEC
) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, np.ndarray]]:
    """:func:`cell_columns` with the dimension codes as integers, and each dimension's labels
    (an object array the integers index): a caller that merges the cells of many chunks groups
    integers, not strings.
    """
    if "_w" not in rows.columns:
        rows = rows.assign(_w=sign)
    labels = {col: np.asarray(pd.factorize(rows[col])[1], dtype=object) for col in CELL_DIMS}
    r = prepare(rows, spec)
    events = _events(r, spec)
    intervals = _intervals(r, spec)
    month_parts = [*(_to_month(e) for e in events), *_snapshots(intervals)]
    dims3 = ["unit_code", "agency_code", "channel"]
    out = {
        "day": _sum([*events, *_changes(intervals)], ["day", *dims3], (*EVENT_COUNTERS, *CHANGE_COUNTERS)),
        "month": _sum(month_parts, ["month", *dims3], MONTH_COUNTERS),
        "procedure_month": _sum(
            month_parts,
            ["month", "unit_code", "agency_code", "procedure_code", "channel"],
            MONTH_COUNTERS,
        ),
        "field_month": _sum(
            month_parts, ["month", "unit_code", "agency_code", "field", "channel"], MONTH_COUNTERS
        ),
        "procedure_day": _sum(
            [events[0]], ["day", "unit_code", "agency_code", "procedure_code"], PROCEDURE_DAY_COUNTERS
        ),
    }
    return out, labels


def cell_columns(rows: pd.DataFrame, sign: int = 1, spec: Spec = SPEC) -> dict[str, dict[str, np.ndarray]]:
    """The summary cells of ``rows`` (dossier columns plus the procedure's attributes), times
    ``sign`` (or each row's ``_w``, +1 or −1, when the rows carry one), aggregated per grain:
    ``day`` (DIMS without procedure, ``day``), ``month`` and ``procedure_month`` (with
    procedure, ``month``), ``field_month`` (the procedure's field in its place),
    ``procedure_day`` (receipts per unit, agency, procedure and day);
    each grain a mapping of column → array (codes as objects). Empty arrays when no row is
    valid.
    """
    out, labels = cell_codes(rows, sign, spec)
    for grain in out.values():
        for col in CELL_DIMS:
            if col in grain:
                grain[col] = labels[col][grain[col]] if len(grain[col]) else grain[col].astype(object)
    return out


def merge_cells(
    parts: list[dict[str, np.ndarray]], keys: list[str], dtype: str = "int64"
) -> dict[str, np.ndarray]:
    """Cells of several parts (each column → array, ``keys`` integers, the rest counters) summed
    per distinct key: one cell a key, as if the parts' rows had been grouped together. Integer
    counters come out as ``dtype``. The parts are emptied column by column as the sums are made
    (a merge of many cells needs little more memory than the cells themselves).
    """
    counters = [c for c in parts[0] if c not in keys]
    codes, inverse = _key_groups({k: np.concatenate([p.pop(k) for p in parts]) for k in keys})
    data: dict[str, np.ndarray] = {k: v.astype(dtype) for k, v in codes.items()}
    for c in counters:
        total = np.bincount(
            inverse, weights=np.concatenate([p.pop(c) for p in parts]), minlength=len(codes[keys[0]])
        )
        data[c] = total if c in FLOAT_COUNTERS else np.rint(total).astype(dtype)
    return data


def cells(rows: pd.DataFrame, sign: int = 1, spec: Spec = SPEC) -> dict[str, pd.DataFrame]:
    """:func:`cell_columns` as one DataFrame a grain (the rebuild and the nightly recompute)."""
    return {name: pd.DataFrame(grain) for name, grain in cell_columns(rows, sign, spec).items()}
