"""Import of an exchange-format folder: ``python cli.py import DIR --database URL``.

The folder holds ``units.csv``, ``agencies.csv``, ``procedures.csv``, ``dossiers.csv`` and
optionally ``feedback.csv`` and ``targets.csv`` (UTF-8, with or without BOM; columns in
:data:`data_access.validate.COLUMNS`, in any order). The import runs in two phases:

1. read every file and check every row in memory (:mod:`data_access.validate`), against the
   other files and against the codes the target database already holds;
2. only if no row was rejected, write everything in one transaction through the shared upserts
   of :mod:`data_access.load`, so an import is idempotent on the codes and a re-imported dossier
   with a new status replaces the old row.

A bad row is never loaded silently and never stops the others without a word: each one is
reported with its physical line (header = line 1) and nothing at all is loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from data_access import summary
from data_access.engine import gather_statistics, make_engine, sqlite_path
from data_access.load import rebuild_unit_ancestors, upsert
from data_access.load_dossiers import Progress, Written, write_dossiers
from data_access.schema import agencies, create_schema, feedback, meta, procedures, targets, units
from data_access.validate import COLUMNS, Checked, Reference, Rejection, check_all
from metrics.period import local_now

REQUIRED_FILES: tuple[str, ...] = ("units.csv", "agencies.csv", "procedures.csv", "dossiers.csv")
OPTIONAL_FILES: tuple[str, ...] = ("feedback.csv", "targets.csv")
#: Rejections listed one per line before the summary; the rest are counted.
MAX_LISTED = 1000
_CHUNK_ROWS = 200_000  # rows read, or dossiers written, at a time (bounds the memory of 1M rows)
_NOUNS = {
    "units": ("unit", "units"),
    "agencies": ("agency", "agencies"),
    "procedures": ("procedure", "procedures"),
    "dossiers": ("dossier", "dossiers"),
    "feedback": ("feedback item", "feedback items"),
    "targets": ("target", "targets"),
}
_TABLES = {"agencies": agencies, "procedures": procedures, "feedback": feedback, "targets": targets}
#: Every table an import may write: their planner statistics are gathered at its end.
_WRITTEN = (
    "units",
    "unit_ancestors",
    "agencies",
    "procedures",
    "feedback",
    "targets",
    *summary.WRITTEN_TABLES,
)


class ImportFatal(Exception):
    """A problem that stops the import before rows can be judged (its message is a sentence)."""


@dataclass
class ImportResult:
    """What an import did: rows loaded per table, or the rejected rows, or one fatal problem."""

    loaded: dict[str, int] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    fatal: str | None = None
    #: Dossiers of the folder not in the database before, different from the stored row, the same.
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @cached_property
    def rejected(self) -> int:
        """How many rows were rejected (0 = none; a row may have several problems)."""
        return len({(r.file, r.line) for r in self.rejections})

    def messages(self) -> list[str]:
        """Lines for the command line: each problem, then a closing summary."""
        if self.fatal:
            return [f"error: {self.fatal}", "Nothing was loaded."]
        if self.rejections:
            lines = [str(r) for r in self.rejections[:MAX_LISTED]]
            if len(self.rejections) > MAX_LISTED:
                lines.append(f"… and {len(self.rejections) - MAX_LISTED:,} more problems not listed.")
            rows = f"{self.rejected:,} row{'' if self.rejected == 1 else 's'}"
            return [*lines, f"Nothing was loaded: {rows} rejected. Fix them and run the import again."]
        parts = [_count(table, n) for table, n in self.loaded.items()]
        if "dossiers" in self.loaded:  # e.g. "1,000 dossiers (10 new, 20 changed, 970 unchanged)"
            at = list(self.loaded).index("dossiers")
            parts[at] += f" ({self.new:,} new, {self.changed:,} changed, {self.unchanged:,} unchanged)"
        return [f"Loaded {', '.join(parts)}."]


def _count(table: str, n: int) -> str:
    one, many = _NOUNS[table]
    return f"{n:,} {one if n == 1 else many}"


def import_folder(
    folder: str | Path, url: str, *, now: dt.datetime | None = None, progress: Progress | None = None
) -> ImportResult:
    """Check and load the exchange-format ``folder`` into the database at ``url``.

    ``now`` (local time, default the real time in Vietnam) bounds the times a file may hold;
    ``progress`` is called with (dossiers written, dossiers in all) after each chunk.
    """
    now = now or local_now()
    engine: Engine | None = None
    try:
        with _no_gc():
            frames, rejections = read_folder(Path(folder))
        engine = None if _new_database_file(url) else _engine(url)
        ref = read_reference(engine, url) if engine is not None else Reference()
        checked = check_all(frames, ref, now)
        del frames  # the raw strings are no longer needed: free them before the load
        rejections = sorted([*rejections, *checked.rejections], key=_position)
        if rejections:
            return ImportResult(rejections=rejections)
        engine = engine or _engine(url)
        with _no_gc():
            loaded, written = _load(engine, checked, now, url, progress)
        gather_statistics(engine, _WRITTEN)  # fast from the first query (lesson 11)
        return ImportResult(loaded, new=written.new, changed=written.changed, unchanged=written.unchanged)
    except ImportFatal as exc:
        return ImportResult(fatal=str(exc))
    finally:
        if engine is not None:
            engine.dispose()


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small rows are built.

    The rows hold no reference cycles (reference counting frees them), but each allocation burst
    triggers a full scan of every live object: reading 1M rows took 14 s with it, 3 s without.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _position(r: Rejection) -> tuple[int, int]:
    return list(COLUMNS).index(r.file), r.line


def read_folder(folder: Path) -> tuple[dict[str, pd.DataFrame], list[Rejection]]:
    """Every file of the folder as strings (plus ``_line``), and the rows of the wrong shape."""
    if not folder.is_dir():
        raise ImportFatal(
            f"{folder} is not a folder." if folder.exists() else f"Folder {folder} does not exist."
        )
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ImportFatal(
            f"{folder} has no {', '.join(missing)}: an import needs {', '.join(REQUIRED_FILES)} "
            f"({' and '.join(OPTIONAL_FILES)} are optional)."
        )
    frames, rejections = {}, []
    for name in (*REQUIRED_FILES, *OPTIONAL_FILES):
        if (folder / name).is_file():
            frames[name], bad = read_file(folder / name, name)
            rejections += bad
    return frames, rejections


def read_file(path: Path, name: str) -> tuple[pd.DataFrame, list[Rejection]]:
    """One file as stripped strings in the documented column order, with each row's line."""
    reader = None
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, [])]
            _check_header(name, header)
            return _read_rows(reader, name, header)
    except UnicodeDecodeError as exc:
        raise ImportFatal(
            f"{name} is not UTF-8 text ({exc.reason}); save it as UTF-8 and run again."
        ) from None
    except csv.Error as exc:
        line = reader.line_num if reader is not None else 1
        raise ImportFatal(f"{name}:{line}: not readable as CSV ({exc}).") from None


def _check_header(name: str, header: list[str]) -> None:
    expected = COLUMNS[name]
    if not any(header):
        raise ImportFatal(f"{name} is empty: its first line must be the header {', '.join(expected)}.")
    problems = []
    unknown = [h for h in header if h not in expected]
    missing = [c for c in expected if c not in header]
    repeated = sorted({h for h in header if header.count(h) > 1})
    for label, names in (("unknown", unknown), ("missing", missing), ("repeated", repeated)):
        if names:
            problems.append(f"{label} column{'s' if len(names) > 1 else ''} {', '.join(names)}")
    if problems:
        raise ImportFatal(
            f"{name} has a wrong header ({'; '.join(problems)}). "
            f"Expected exactly these columns, in any order: {', '.join(expected)}."
        )


def _read_rows(reader: Any, name: str, header: list[str]) -> tuple[pd.DataFrame, list[Rejection]]:
    width, chunks, rows, lines, rejections = len(header), [], [], [], []
    start = reader.line_num + 1
    for record in reader:
        if len(record) == width:
            rows.append(record)
            lines.append(start)
        elif record:  # a blank line yields [] and is skipped
            reason = f"expected {width} values, found {len(record)}"
            rejections.append(Rejection(name, start, "", "", reason))
        start = reader.line_num + 1
        if len(rows) >= _CHUNK_ROWS:
            chunks.append(_frame(rows, lines, header))
            rows, lines = [], []
    chunks.append(_frame(rows, lines, header))
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    return frame[[*COLUMNS[name], "_line"]], rejections


def _frame(rows: list[list[str]], lines: list[int], header: list[str]) -> pd.DataFrame:
    frame = (
        pd.DataFrame(rows, columns=header, dtype="str") if rows else pd.DataFrame(columns=header, dtype="str")
    )
    for col in header:
        frame[col] = frame[col].str.strip()
    frame["_line"] = np.array(lines, dtype=np.int64)
    return frame


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(an unreadable URL)"


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _new_database_file(url: str) -> bool:
    """True when ``url`` names a SQLite or DuckDB file that does not exist yet (nothing to read)."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ImportFatal(f"{url!r} is not a database URL ({_first_line(exc)}).") from None
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        return path is not None and not path.exists()
    if parsed.get_backend_name() == "duckdb" and parsed.database not in (None, "", ":memory:"):
        return not Path(parsed.database).exists()
    return False


def _engine(url: str) -> Engine:
    try:
        return make_engine(url, read_only=False)
    except Exception as exc:
        raise ImportFatal(f"Cannot open the database {_safe_url(url)}: {_first_line(exc)}") from None


def read_reference(engine: Engine, url: str) -> Reference:
    """The units, agencies and procedures the database already holds (a few small SELECTs)."""
    ref = Reference()
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if "units" in tables:
                for r in conn.execute(select(units.c.code, units.c.level, units.c.parent_code)):
                    ref.unit_level[r.code], ref.unit_parent[r.code] = r.level, r.parent_code
            if "agencies" in tables:
                rows = conn.execute(select(agencies.c.code, agencies.c.unit_code))
                ref.agency_unit.update({r.code: r.unit_code for r in rows})
            if "procedures" in tables:
                ref.procedures.update(conn.execute(select(procedures.c.code)).scalars())
    except (SQLAlchemyError, OSError) as exc:
        raise ImportFatal(f"Cannot reach the database {_safe_url(url)}: {_first_line(exc)}") from None
    return ref


def _with_validity(conn: Connection, frame: pd.DataFrame) -> pd.DataFrame:
    """Units with the valid_from/valid_to an earlier load gave them (the format does not carry them)."""
    rows = conn.execute(select(units.c.code, units.c.valid_from, units.c.valid_to))
    known = {r.code: (r.valid_from, r.valid_to) for r in rows}
    validity = [known.get(code, (None, None)) for code in frame["code"]]
    return frame.assign(
        valid_from=pd.Series([v[0] for v in validity], index=frame.index, dtype=object),
        valid_to=pd.Series([v[1] for v in validity], index=frame.index, dtype=object),
    )


def _chunks(rows: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """The checked dossiers in chunks of :data:`_CHUNK_ROWS` (the write side's unit of work)."""
    for start in range(0, len(rows), _CHUNK_ROWS):
        yield rows.iloc[start : start + _CHUNK_ROWS]


def _load(
    engine: Engine, checked: Checked, now: dt.datetime, url: str, progress: Progress | None = None
) -> tuple[dict[str, int], Written]:
    """Write the checked rows in one transaction (the schema is created first where missing)."""
    tables, handlers = checked.tables, checked.handlers
    loaded: dict[str, int] = {}
    try:
        with engine.begin() as conn:
            create_schema(conn)  # inside the transaction: all or nothing
            loaded["units"] = upsert(conn, units, _with_validity(conn, tables["units"]))
            rebuild_unit_ancestors(conn)
            for name in ("agencies", "procedures"):
                loaded[name] = upsert(conn, _TABLES[name], tables[name])
            rows = tables.pop("dossiers")  # freed once written (the chunks are views of it)
            build = summary.CellBuild.for_dossiers(conn)  # the summaries of a load into an empty table
            written = write_dossiers(conn, _chunks(rows), len(rows), handlers, progress, build.add_dossiers)
            del rows
            loaded["dossiers"] = written.total
            for name in ("feedback", "targets"):
                if name in tables:
                    loaded[name] = upsert(conn, _TABLES[name], tables[name])
            upsert(conn, meta, [{"key": "last_import_at", "value": now.isoformat(timespec="seconds")}])
            # Summary tables (issue 8): one build after a load into an empty table, else the
            # deltas of the new and changed dossiers the change log caught.
            if written.into_empty:
                build.write(conn)
            else:
                summary.refresh(conn)
    except (SQLAlchemyError, OSError) as exc:
        raise ImportFatal(
            f"The database {_safe_url(url)} refused the import, so nothing was loaded: {_first_line(exc)}"
        ) from None
    return loaded, written
