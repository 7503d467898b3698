"""Building the summary tables from many dossier rows in memory bounded by a budget, not by the
number of dossiers.

A build takes dossier rows a chunk at a time (the rebuild reads the dossier table in chunks; a
bulk import hands over the chunks it writes, so a million rows are not read back) and keeps each
chunk's cells with the dimension codes as integers of the build's own dictionaries. When the
cells held exceed the budget they are merged (cells of later chunks often fall on cells already
held: the same day, unit and agency); when the merged cells still fill half the budget, they are
written out and the memory is free again. The first write of a table inserts (the table is
empty); later ones add with ``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``, which is
exact because every counter is additive: the table ends as if all the cells had been merged in
memory and inserted once.

Only SQLite and PostgreSQL write as they go; on other backends (DuckDB, whose upsert-add here
reads and rewrites) the build keeps every cell until :meth:`CellBuild.write`, as before.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Table, inspect, select
from sqlalchemy.engine import Connection

from data_access.results import result_frame
from data_access.schema import procedures
from data_access.summaries.cells import CELL_DIMS, cell_codes, merge_cells
from data_access.summaries.tables import (
    GRAINS,
    add_cells,
    create_grain_tables,
    create_tables,
    insert_cells,
    mark_state,
)

#: Bytes of cells a build holds before it merges them (and writes them out when still over half).
BUDGET_BYTES = 256 * 2**20
#: Cells a statement writes at a time: the driver wants Python tuples, ~30 objects a cell.
WRITE_BATCH = 50_000
#: The procedure's attributes the cells need beside the dossier's columns.
PROCEDURE_ATTRIBUTES = (procedures.c.full_process_eligible, procedures.c.time_limit_days, procedures.c.field)


def procedure_attributes(conn: Connection) -> dict[str, tuple[Any, ...]]:
    """Each procedure's :data:`PROCEDURE_ATTRIBUTES`, by code: a catalogue that changes one of a
    procedure with dossiers (its eligibility, legal limit or field) changes their cells, and the
    summaries must be rebuilt.
    """
    if not inspect(conn).has_table(procedures.name):
        return {}
    rows = conn.execute(select(procedures.c.code, *PROCEDURE_ATTRIBUTES))
    return {r[0]: tuple(r[1:]) for r in rows}


def changed_procedures(before: dict[str, tuple[Any, ...]], after: dict[str, tuple[Any, ...]]) -> list[str]:
    """The procedures known before whose attributes the cells read differ now."""
    return sorted(code for code, old in before.items() if code in after and after[code] != old)


Cells = dict[str, np.ndarray]


def _nbytes(cells: Cells) -> int:
    return sum(v.nbytes for v in cells.values())


def _narrow(cells: Cells) -> Cells:
    """Integer columns as 32-bit (codes, days, months and a cell's counts all fit): half the
    memory of a held cell. The sums are computed in 64 bits (:func:`merge_cells`).
    """
    return {c: v.astype("int32") if v.dtype == np.int64 else v for c, v in cells.items()}


def _keys(table: Table) -> list[str]:
    return [c.name for c in table.primary_key.columns]


class CellBuild:
    """Summary cells of dossier rows added a chunk at a time, held up to a memory budget and
    written to ``conn`` (see the module's description). :meth:`write` finishes the tables.
    """

    def __init__(
        self,
        conn: Connection,
        procedure_attributes: pd.DataFrame | None = None,
        budget: int | None = None,
    ) -> None:
        """An empty build writing to ``conn``; ``procedure_attributes`` (code, then
        :data:`PROCEDURE_ATTRIBUTES`) is needed only by :meth:`add_dossiers`;
        ``budget`` in bytes (default :data:`BUDGET_BYTES`).
        """
        self.conn = conn
        self.rows = 0
        self.attributes = procedure_attributes
        self.budget = BUDGET_BYTES if budget is None else budget
        self.held: dict[str, list[Cells]] = {name: [] for name in GRAINS}
        self.held_bytes = 0
        self.flushes = 0
        self._written: set[str] = set()  # grains whose table holds cells already
        self._created = False  # the tables of cells were (re)created by this build
        self._ids: dict[str, dict[Any, int]] = {col: {} for col in CELL_DIMS}

    @classmethod
    def for_dossiers(cls, conn: Connection, budget: int | None = None) -> CellBuild:
        """A build that takes dossier rows as written (procedure attributes read from ``conn``)."""
        stmt = select(procedures.c.code, *PROCEDURE_ATTRIBUTES)
        return cls(conn, result_frame(conn.execute(stmt)).set_index("code"), budget)

    @property
    def writes_as_it_goes(self) -> bool:
        """Whether cells may be written before the end (backends with an upsert-add statement)."""
        return self.conn.dialect.name in ("sqlite", "postgresql")

    def add(self, rows: pd.DataFrame) -> None:
        """Add the cells of ``rows`` (the dossier's cell columns and the procedure's attributes)."""
        self.rows += len(rows)
        grains, labels = cell_codes(rows)
        ours = {col: self._global(col, labels[col]) for col in CELL_DIMS}
        for name, cells in grains.items():
            for col in CELL_DIMS:
                if col in cells:
                    cells[col] = ours[col][cells[col]]
            self.held[name].append(_narrow(cells))
            self.held_bytes += _nbytes(self.held[name][-1])
        if self.held_bytes > self.budget:
            self._relieve()

    def add_dossiers(self, rows: pd.DataFrame) -> None:
        """Add dossier rows as written (derived columns included); the procedure's attributes are
        joined here, and rows of an unknown procedure drop out, as in the SQL join.
        """
        assert self.attributes is not None, "CellBuild.for_dossiers gives the procedure attributes"
        attrs = self.attributes.reindex(rows["procedure_code"].to_numpy())
        known = attrs["time_limit_days"].notna().to_numpy()
        with_attrs = rows.assign(**{c: attrs[c].to_numpy() for c in attrs.columns})
        self.add(with_attrs[known] if not known.all() else with_attrs)

    def write(self) -> int:
        """Write the cells still held and (re)create the state, change log and triggers; returns
        the dossiers read. The caller gathers planner statistics after its commit.
        """
        if not self._created:  # nothing written yet: fresh tables, plain inserts
            create_tables(self.conn)
            self._created = True
        else:
            create_tables(self.conn, grains=False)
        self._flush()
        mark_state(self.conn, built=True)
        return self.rows

    def _global(self, col: str, labels: np.ndarray) -> np.ndarray:
        """The build's integer of each of a chunk's labels (new labels get the next integers)."""
        ids = self._ids[col]
        return np.fromiter((ids.setdefault(v, len(ids)) for v in labels), dtype="int64", count=len(labels))

    def _labels(self, col: str) -> np.ndarray:
        """The labels of ``col`` indexed by the build's integers."""
        ids = self._ids[col]
        out = np.empty(len(ids), dtype=object)
        out[list(ids.values())] = list(ids.keys())
        return out

    def _merge(self) -> None:
        """Merge each grain's parts into one (its cells summed per key)."""
        for name, parts in self.held.items():
            if len(parts) > 1:
                self.held[name] = [merge_cells(parts, _keys(GRAINS[name]), "int32")]
        self.held_bytes = sum(_nbytes(p) for parts in self.held.values() for p in parts)

    def _relieve(self) -> None:
        """Over budget: merge; still over half of it, write every grain out."""
        self._merge()
        if self.held_bytes > self.budget / 2 and self.writes_as_it_goes:
            if not self._created:
                create_grain_tables(self.conn)
                self._created = True
            self._flush()

    def _flush(self) -> None:
        """Write every held cell to its table (insert into an empty one, else add) and forget it."""
        self._merge()
        labels = {col: self._labels(col) for col in CELL_DIMS}
        for name, parts in self.held.items():
            self.held[name] = []
            if parts and len(parts[0]["unit_code"]):
                cells = parts[0]
                for col in CELL_DIMS:
                    if col in cells:
                        cells[col] = labels[col][cells[col]]
                self._write(name, cells)
        self.held_bytes = 0
        self.flushes += 1

    def _write(self, name: str, cells: Cells) -> None:
        table = GRAINS[name]
        columns = [c.name for c in table.columns]
        n = len(cells[columns[0]])
        for start in range(0, n, WRITE_BATCH):
            batch = {c: cells[c][start : start + WRITE_BATCH] for c in columns}
            if name in self._written:
                add_cells(self.conn, {name: batch})
            else:
                insert_cells(self.conn, table, batch)
        self._written.add(name)
