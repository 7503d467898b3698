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

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
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

from data_access import portal_records, summary
from data_access.engine import gather_statistics, make_engine, sqlite_path
from data_access.import_messages import outcome_lines
from data_access.import_problems import Both, ImportFatal
from data_access.import_rules import CODE_COLUMNS, Move
from data_access.load import rebuild_unit_ancestors, upsert
from data_access.load_dossiers import Progress, Written, write_dossiers
from data_access.moves import agencies_with_dossiers, reattribute
from data_access.read_files import open_records
from data_access.schema import agencies, create_schema, feedback, meta, procedures, targets, units
from data_access.validate import COLUMNS, OPTIONAL_COLUMNS, Checked, Reference, Rejection, check_all
from i18n.catalogue import t
from metrics.period import local_now

REQUIRED_FILES: tuple[str, ...] = ("units.csv", "agencies.csv", "procedures.csv", "dossiers.csv")
OPTIONAL_FILES: tuple[str, ...] = ("feedback.csv", "targets.csv", "ratings.csv")
#: Rejections listed one per line before the summary; the rest are counted.
MAX_LISTED = 1000
_CHUNK_ROWS = 200_000  # rows read, or dossiers written, at a time (bounds the memory of 1M rows)
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
__all__ = ["ImportFatal", "ImportResult", "import_folder", "read_file", "read_folder"]


@dataclass
class ImportResult:
    """What an import did: rows loaded per table, or the rejected rows, or one fatal problem.

    ``fatal`` is the problem in English (``fatal_vi`` in Vietnamese), ``fatal_at`` its
    (file, line, column) when known. ``skipped`` counts the portal's records that are not
    dossiers in handling, by status code. ``moved_agencies`` lists the agencies (with dossiers)
    that an ``allow_moves`` import gave another unit: their dossiers were re-attributed
    (``reattributed`` rows) and the summaries must be rebuilt.
    """

    loaded: dict[str, int] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    fatal: str | None = None
    fatal_vi: str | None = None
    fatal_at: tuple[str, int, str] | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    moved_agencies: list[Move] = field(default_factory=list)
    reattributed: int = 0
    #: Dossiers of the folder not in the database before, different from the stored row, the same.
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @classmethod
    def failed(cls, exc: ImportFatal) -> ImportResult:
        """The result of an import stopped by ``exc``."""
        at = (exc.file, exc.line, exc.column) if exc.file and (exc.line or exc.column) else None
        return cls(fatal=exc.text("en"), fatal_vi=exc.text("vi"), fatal_at=at)

    @cached_property
    def rejected(self) -> int:
        """How many rows were rejected (0 = none; a row may have several problems)."""
        return len({(r.file, r.line) for r in self.rejections})

    def messages(self, lang: str = "vi") -> list[str]:
        """Lines for the command line in ``lang`` (vi or en): each problem, then a summary."""
        return outcome_lines(self, lang, MAX_LISTED)


def import_folder(
    folder: str | Path,
    url: str,
    *,
    now: dt.datetime | None = None,
    allow_moves: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check and load the exchange-format ``folder`` into the database at ``url``.

    ``now`` (local time, default the real time in Vietnam) bounds the times a file may hold.
    ``allow_moves`` accepts a re-import that changes the level of a unit with children or moves
    an agency that has dossiers to another unit (its dossiers are then re-attributed, in the same
    transaction). ``progress`` is called with (dossiers written, dossiers in all) after each chunk.
    """
    now = now or local_now()
    engine: Engine | None = None
    try:
        with _no_gc():
            frames, rejections = read_folder(Path(folder))
        skipped = frames["dossiers.csv"].attrs.get("skipped", {})
        engine = None if _new_database_file(url) else _engine(url)
        ref = read_reference(engine, url, frames) if engine is not None else Reference()
        checked = check_all(frames, ref, now, allow_moves)
        del frames  # the raw strings are no longer needed: free them before the load
        rejections = sorted([*rejections, *checked.rejections], key=_position)
        if rejections:
            return ImportResult(rejections=rejections, skipped=skipped)
        engine = engine or _engine(url)
        with _no_gc():
            loaded, written, reattributed = _load(engine, checked, now, url, progress)
        gather_statistics(engine, _WRITTEN)  # fast from the first query (performance-notes lesson 11)
        return ImportResult(
            loaded=loaded,
            skipped=skipped,
            moved_agencies=checked.moves,
            reattributed=reattributed,
            new=written.new,
            changed=written.changed,
            unchanged=written.unchanged,
        )
    except ImportFatal as exc:
        return ImportResult.failed(exc)
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
    stems = [Path(name).stem for name in COLUMNS]
    stem = Path(r.file).stem
    return (stems.index(stem) if stem in stems else len(stems)), r.line


def _sources(folder: Path, name: str) -> list[Path]:
    """The files of ``folder`` that hold ``name``'s data: name.csv, name.xlsx (and dossiers.json)."""
    stem = Path(name).stem
    kinds = (".csv", ".xlsx", *((".json", ".jsonl") if stem == "dossiers" else ()))
    return [folder / f"{stem}{kind}" for kind in kinds if (folder / f"{stem}{kind}").is_file()]


def read_folder(folder: Path) -> tuple[dict[str, pd.DataFrame], list[Rejection]]:
    """Every file of the folder as strings (plus ``_line``), and the rows of the wrong shape.

    Frames are keyed by the format's names (``dossiers.csv``) whatever the file was (a
    spreadsheet, the portal's JSON); ``frame.attrs`` says which (:meth:`validate.Check`).
    """
    if not folder.is_dir():
        raise ImportFatal("imp_not_folder" if folder.exists() else "imp_no_folder", folder=folder)
    found = {name: _sources(folder, name) for name in (*REQUIRED_FILES, *OPTIONAL_FILES)}
    missing = [name for name in REQUIRED_FILES if not found[name]]
    if missing:
        raise ImportFatal(
            "imp_missing_files",
            folder=folder,
            missing=", ".join(missing),
            required=", ".join(REQUIRED_FILES),
            optional=", ".join(OPTIONAL_FILES),
        )
    frames, rejections = {}, []
    for name, paths in found.items():
        if len(paths) > 1:
            raise ImportFatal("imp_two_forms", files=" / ".join(p.name for p in paths))
        if paths:
            frames[name], bad = read_file(paths[0], name)
            rejections += bad
    return frames, rejections


def read_file(path: Path, name: str) -> tuple[pd.DataFrame, list[Rejection]]:
    """One file as stripped strings in the documented column order, with each row's line.

    CSV or .xlsx in our columns; for dossiers also the national portal's records (a JSON file,
    or a CSV/.xlsx with the portal's header: :mod:`data_access.portal_records`).
    """
    if path.suffix.lower() in (".json", ".jsonl"):
        return _portal_frame(path, name, portal_records.json_records(path))
    header, records = open_records(path)
    if name == "dossiers.csv" and portal_records.is_portal_header(header):
        return _portal_frame(path, name, portal_records.header_records(header, records))
    _check_header(name, header, path.name)
    frame, rejections = _read_rows(records, name, header, path.name)
    frame.attrs["source"] = path.name
    return frame, rejections


def _portal_frame(path: Path, name: str, records: Any) -> tuple[pd.DataFrame, list[Rejection]]:
    skipped: dict[str, int] = {}
    rows = portal_records.rows_of(records, skipped)
    frame, rejections = _read_rows(rows, name, list(COLUMNS[name]), path.name)
    frame.attrs.update(source=path.name, columns=dict(portal_records.FIELDS), skipped=skipped)
    return frame, rejections


def _check_header(name: str, header: list[str], file: str | None = None) -> None:
    expected, optional, file = COLUMNS[name], OPTIONAL_COLUMNS.get(name, ()), file or name
    if not any(header):
        raise ImportFatal("imp_empty", file=file, expected=", ".join(expected))
    problems: dict[str, list[str]] = {
        "unknown": [h for h in header if h not in expected and h not in optional],
        "missing": [c for c in expected if c not in header],
        "repeated": sorted({h for h in header if header.count(h) > 1}),
    }
    if any(problems.values()):
        seps = [sep for sep in (";", "\t", "|") if any(sep in h for h in header)]
        parts = {lang: [] for lang in ("vi", "en")}
        for label, names in problems.items():
            for lang in parts:
                if names:
                    s = "s" if len(names) > 1 else ""
                    parts[lang].append(t(f"imp_header_{label}", lang, names=", ".join(names), s=s))
        hint = {lang: t("imp_hint_separator", lang, sep=seps[0]) if seps else "" for lang in parts}
        raise ImportFatal(
            "imp_header",
            file=file,
            problems=Both("; ".join(parts["vi"]), "; ".join(parts["en"])),
            expected=", ".join((*expected, *(f"[{c}]" for c in optional)))
            if optional
            else ", ".join(expected),
            hint=Both(hint["vi"], hint["en"]),
        )


def _read_rows(
    records: Iterable[tuple[int, list[str]]], name: str, header: list[str], file: str | None = None
) -> tuple[pd.DataFrame, list[Rejection]]:
    width, chunks, rows, lines, rejections = len(header), [], [], [], []
    for line, record in records:
        if len(record) == width:
            rows.append(record)
            lines.append(line)
        else:
            en = f"expected {width} values, found {len(record)}"
            vi = f"cần {width} giá trị, có {len(record)}"
            rejections.append(Rejection(file or name, line, "", "", en, "imp_width", vi))
        if len(rows) >= _CHUNK_ROWS:
            chunks.append(_frame(rows, lines, header))
            rows, lines = [], []
    chunks.append(_frame(rows, lines, header))
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    optional = [c for c in OPTIONAL_COLUMNS.get(name, ()) if c in header]
    return frame[[*COLUMNS[name], *optional, "_line"]], rejections


def _frame(rows: list[list[str]], lines: list[int], header: list[str]) -> pd.DataFrame:
    """Strings with their outer spaces stripped: codes lose only ASCII white space, so an invisible
    character (U+00A0, U+200B…) stays and is reported (:mod:`data_access.import_rules`).
    """
    frame = (
        pd.DataFrame(rows, columns=header, dtype="str") if rows else pd.DataFrame(columns=header, dtype="str")
    )
    for col in header:
        frame[col] = frame[col].str.strip(" \t\r\n" if col in CODE_COLUMNS else None)
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
        raise ImportFatal("imp_bad_url", url=repr(url), reason=_first_line(exc)) from None
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
        raise ImportFatal("imp_db_open", url=_safe_url(url), reason=_first_line(exc)) from None


def read_reference(engine: Engine, url: str, frames: dict[str, pd.DataFrame] | None = None) -> Reference:
    """What the database already holds that the files may refer to (a few small SELECTs).

    With the files' ``frames``: also which of their agencies the database gives another unit
    and that already have dossiers there (one short look-up each, only for those agencies).
    """
    ref = Reference()
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if "units" in tables:
                u = units.c
                for r in conn.execute(select(u.code, u.level, u.parent_code, u.valid_from, u.valid_to)):
                    ref.unit_level[r.code], ref.unit_parent[r.code] = r.level, r.parent_code
                    ref.unit_validity[r.code] = (r.valid_from, r.valid_to)
            if "agencies" in tables:
                a = agencies.c
                for r in conn.execute(select(a.code, a.unit_code, a.valid_from, a.valid_to)):
                    ref.agency_unit[r.code] = r.unit_code
                    ref.agency_validity[r.code] = (r.valid_from, r.valid_to)
            if "procedures" in tables:
                ref.procedures.update(conn.execute(select(procedures.c.code)).scalars())
            if "dossiers" in tables and frames is not None:
                ref.agencies_with_dossiers = agencies_with_dossiers(conn, _moving(frames, ref))
    except (SQLAlchemyError, OSError) as exc:
        raise ImportFatal("imp_db_reach", url=_safe_url(url), reason=_first_line(exc)) from None
    return ref


def _moving(frames: dict[str, pd.DataFrame], ref: Reference) -> list[str]:
    """Agencies of the file whose unit differs from the database's."""
    f = frames["agencies.csv"]
    old = f["code"].map(ref.agency_unit)
    return sorted(set(f["code"][old.notna() & (old != f["unit_code"])]))


def _with_validity(conn: Connection, frame: pd.DataFrame) -> pd.DataFrame:
    """Units with the valid_from/valid_to an earlier load gave them (the format does not carry them)."""
    if "valid_from" in frame.columns:  # the checks set them: the file's, or the database's
        return frame
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
) -> tuple[dict[str, int], Written, int]:
    """Write the checked rows in one transaction (the schema is created first where missing):
    what was loaded, the dossiers' new/changed/unchanged counts, and the dossiers re-attributed
    to a moved agency's new unit.
    """
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
            # An agency moved with --allow-moves takes its stored dossiers to its new unit.
            reattributed = reattribute(conn, checked.moves) if checked.moves else 0
            for name in ("feedback", "targets"):
                if name in tables:
                    loaded[name] = upsert(conn, _TABLES[name], tables[name])
            upsert(conn, meta, [{"key": "last_import_at", "value": now.isoformat(timespec="seconds")}])
            # Summary tables: one build after a load into an empty table; after a move, a rebuild
            # (the moved dossiers change unit in every month); else the deltas of the new and
            # changed dossiers the change log caught.
            if written.into_empty:
                build.write(conn)
            elif reattributed:
                summary.rebuild(conn)
            else:
                summary.refresh(conn)
    except (SQLAlchemyError, OSError) as exc:
        raise ImportFatal("imp_db_refused", url=_safe_url(url), reason=_first_line(exc)) from None
    return loaded, written, reattributed
