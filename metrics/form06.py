"""Biểu 06/VPCP/KSTT as rows: the 13 columns from the form's counters, grouped by unit or field.

Circular 01/2020/TT-VPCP, form 06 ("Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực
tiếp giải quyết TTHC"; layout in shared/portal-766-2026.md). Columns 3–13 of a row, from the
counters of :mod:`data_access.form06` (docs/reports.md):

- 4 online this period, 5 direct or postal this period (received − online), 6 carried over
  (open just before the period), 3 = 4 + 5 + 6;
- 7 resolved: the wall's "settled" (finished — processed, returned, refused or stopped, or
  withdrawn after receipt — at that time, or waiting for a supplement since the request); 8 early
  (settled on a day before the due day), 9 on time (settled on time − early), 10 late (settled −
  on time), so 7 = 8 + 9 + 10;
- 12 within due (open, not past due, fewer than two supplement requests: metric 1's "open on
  time"), 13 overdue (open − within due), 11 = 12 + 13.

So 3 = 4 + 5 + 6, 7 = 8 + 9 + 10 and 11 = 12 + 13 hold by the definitions, and 3 = 7 + 11 holds
because a dossier leaves the queue (``gone_at``) exactly when it is settled (tests check it on
every row of the sample for every month). A row's figures are sums of the dossiers under it, so
every subtotal is the sum of its rows and the province total the sum of its groups. Pure: frames
in, rows out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from vocabulary import FORM_COUNTERS

#: The numbered columns 3–13, in order.
COLUMNS: tuple[int, ...] = tuple(range(3, 14))
ROMAN = ("I", "II", "III", "IV", "V", "VI")


@dataclass(frozen=True)
class FormRow:
    """One line of the form: its number (column 1), label (column 2), columns 3–13, and its kind:
    ``total`` (the province), ``group`` (a bold subtotal heading its rows), ``row``; ``depth``
    indents a unit's own part and its lower units under it.
    """

    number: str
    label: str
    values: tuple[int, ...]
    kind: str = "row"
    depth: int = 0

    @property
    def bold(self) -> bool:
        """Totals and subtotals are bold."""
        return self.kind in ("total", "group")

    def column(self, n: int) -> int:
        """Column ``n`` (3–13)."""
        return self.values[n - 3]


def columns_of(counts: Mapping[str, int]) -> tuple[int, ...]:
    """Columns 3–13 from one group's counters (see the module docstring)."""
    c = {name: int(counts.get(name, 0)) for name in FORM_COUNTERS}
    online, direct = c["received_online"], c["received"] - c["received_online"]
    early = c["settled_early"]
    on_time = c["settled_on_time"] - early
    late = c["settled"] - c["settled_on_time"]
    within = c["open_on_time"]
    overdue = c["open_end"] - within
    return (
        online + direct + c["carried_over"],
        online,
        direct,
        c["carried_over"],
        early + on_time + late,
        early,
        on_time,
        late,
        within + overdue,
        within,
        overdue,
    )


def identities_hold(row: FormRow) -> bool:
    """3 = 4 + 5 + 6, 7 = 8 + 9 + 10, 11 = 12 + 13 and received = resolved + in progress (3 = 7 + 11)."""
    v = row.column
    return (
        v(3) == v(4) + v(5) + v(6)
        and v(7) == v(8) + v(9) + v(10)
        and v(11) == v(12) + v(13)
        and v(3) == v(7) + v(11)
        and all(x >= 0 for x in row.values)
    )


def _sum(frame: pd.DataFrame) -> dict[str, int]:
    return {name: int(frame[name].sum()) if len(frame) else 0 for name in FORM_COUNTERS}


def _sums(frame: pd.DataFrame, by: str) -> dict[str, dict[str, int]]:
    """Each value of ``by`` (as text) → its rows' counters summed, in one grouping (a form of a
    province's 111 communes summed group by group took most of its build).
    """
    if frame.empty:
        return {}
    summed = frame.groupby(by)[list(FORM_COUNTERS)].sum()
    return {
        str(key): {name: int(value) for name, value in row.items()}
        for key, row in zip(summed.index, summed.to_dict("records"), strict=True)
    }


def _add(*parts: Mapping[str, int]) -> dict[str, int]:
    return {name: sum(int(p.get(name, 0)) for p in parts) for name in FORM_COUNTERS}


@dataclass(frozen=True)
class Units:
    """The unit tree and agency list a by-unit form is laid out on (from ``data_access``):
    units (code, name, level, parent_code) and agencies (code, name, unit_code) that existed
    during the period, the levels present (top down) and how to name a level's own agencies.
    """

    units: pd.DataFrame
    agencies: pd.DataFrame
    levels: tuple[str, ...]


def by_unit(counts: pd.DataFrame, tree: Units, level: str, text: Callable[..., str]) -> tuple[FormRow, ...]:
    """Rows by handling unit: the province total; I the province's departments (one row an
    agency); II the units below the province down to ``level`` — a unit with units of a level
    not deeper than ``level`` below it is a bold subtotal with its own agencies' row and its
    units under it (a district and its communes); deeper units are rolled into their ancestor.
    ``counts``: :func:`data_access.form06.form_counts`; dossiers of a unit missing from the
    tree are left out, as the wall's unit joins leave them out. ``text(key, **kw)``: the catalogue.
    """
    units = tree.units.drop_duplicates("code").set_index("code")
    province = units.index[units["level"] == "province"][0]
    children: dict[str, list[str]] = {}
    for code, parent in units["parent_code"].items():
        if isinstance(parent, str) and parent in units.index and parent != code:
            children.setdefault(parent, []).append(str(code))
    order = {lvl: i for i, lvl in enumerate(tree.levels)}
    for kids in children.values():
        kids.sort(key=lambda k: (order.get(units.at[k, "level"], 9), k))
    own = _sums(counts, "unit_code")

    @functools.cache
    def rollup(code: str) -> dict[str, int]:
        return _add(own.get(code, {}), *[rollup(k) for k in children.get(code, [])])

    depth_of = order.get(level, len(tree.levels))
    rows: list[FormRow] = []

    def place(code: str, number: str, depth: int) -> None:
        kids = [k for k in children.get(code, []) if order.get(units.at[k, "level"], 9) <= depth_of]
        name = str(units.at[code, "name"])
        if not kids:
            rows.append(FormRow(number, name, columns_of(rollup(code)), "row", depth))
            return
        rows.append(FormRow(number, name, columns_of(rollup(code)), "group", depth))
        lvl = str(units.at[code, "level"])
        rows.append(
            FormRow(
                f"{number}.1", text("f06_own", level=lvl), columns_of(own.get(code, {})), "row", depth + 1
            )
        )
        for i, kid in enumerate(kids, start=2):
            place(kid, f"{number}.{i}", depth + 1)

    at_province = counts[counts["unit_code"] == province]
    listed = tree.agencies[tree.agencies["unit_code"] == province]
    codes = list(
        dict.fromkeys([*listed["code"].astype(str), *sorted(at_province["agency_code"].astype(str))])
    )
    names = dict(zip(tree.agencies["code"].astype(str), tree.agencies["name"].astype(str), strict=True))
    by_agency = _sums(at_province, "agency_code")
    dept = [
        FormRow(str(i), names.get(a, a), columns_of(by_agency.get(a, {})), "row", 1)
        for i, a in enumerate(codes, start=1)
    ]
    below = children.get(province, [])
    group_two = _add(*[rollup(k) for k in below])
    total = _add(own.get(province, {}), group_two)
    rows.append(FormRow("", text("f06_total"), columns_of(total), "total"))
    rows.append(FormRow(ROMAN[0], text("f06_departments"), columns_of(own.get(province, {})), "group"))
    rows.extend(dept)
    lower = sorted({str(units.at[k, "level"]) for k in below}, key=lambda lv: order.get(lv, 9))
    rows.append(FormRow(ROMAN[1], text("f06_units_below", levels=lower), columns_of(group_two), "group"))
    for i, kid in enumerate(below, start=1):
        place(kid, str(i), 1)
    return tuple(rows)


def by_field(
    counts: pd.DataFrame, unit_levels: Mapping[str, str], levels: tuple[str, ...], text: Callable[..., str]
) -> tuple[FormRow, ...]:
    """Rows by field, grouped by the handling unit's level (the province's departments, then
    each level below): the province total, then per level a bold subtotal and its fields
    (alphabetical; fields with nothing in the period are not listed). ``unit_levels``: unit
    code → level; dossiers of a unit missing from it are left out, as in :func:`by_unit`.
    """
    frame = counts.assign(level=counts["unit_code"].map(unit_levels)).dropna(subset=["level"])
    rows = [FormRow("", text("f06_total"), columns_of(_sum(frame)), "total")]
    number = 0
    for lvl in levels:
        part = frame[frame["level"] == lvl]
        if part.empty:
            continue
        rows.append(
            FormRow(ROMAN[number], text("f06_level_group", level=lvl), columns_of(_sum(part)), "group")
        )
        number += 1
        for i, (field, sums) in enumerate(sorted(_sums(part, "field").items()), start=1):
            rows.append(FormRow(str(i), field, columns_of(sums), "row", 1))
    return tuple(rows)
