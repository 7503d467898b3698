"""Import of an exchange-format folder: ``python cli.py import DIR --database URL``.

The folder holds ``units.csv``, ``agencies.csv``, ``procedures.csv``, ``dossiers.csv`` and
optionally ``feedback.csv`` and ``targets.csv`` (UTF-8, with or without BOM; columns in
:data:`data_access.validate.COLUMNS`, in any order). The import:

1. reads every file but the dossiers whole and checks them (:mod:`data_access.validate`), against
   each other and against the codes the target database already holds;
2. streams the dossiers file (CSV, .xlsx or the portal's JSON) in chunks of :data:`_CHUNK_ROWS`
   rows: each chunk is read, checked against those codes, derived and written
   (:func:`data_access.load_dossiers.write_dossiers`) before the next is read, all in one
   transaction, so the memory does not grow with the number of dossiers (beyond 8 bytes a code
   for the uniqueness rule: :class:`data_access.validate.SeenCodes`);
3. writes the other tables through the shared upserts of :mod:`data_access.load` in the same
   transaction, so an import is idempotent on the codes and a re-imported dossier with a new
   status replaces the old row.

A bad row is never loaded silently and never stops the others without a word: from the first
rejection on, the chunks are still read and checked but no longer written, each rejected row is
reported with its physical line (header = line 1), and the transaction is rolled back: nothing
at all is loaded (a database file the import created is removed).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from data_access import portal_records, read_arrow
from data_access.engine import gather_statistics, make_engine, sqlite_path
from data_access.import_messages import outcome_lines
from data_access.import_problems import Both, ImportFatal
from data_access.import_rules import CODE_COLUMNS, Move
from data_access.load import rebuild_unit_ancestors, upsert
from data_access.load_dossiers import Progress, Written, write_dossiers
from data_access.moves import agencies_with_dossiers, reattribute
from data_access.read_files import Position, open_records, sniff_separator
from data_access.row_digest import StoredDigests
from data_access.schema import (
    agencies,
    create_schema,
    feedback,
    meta,
    portal_scores,
    procedures,
    targets,
    units,
)
from data_access.summaries import maintain as summary
from data_access.validate import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    Checked,
    DossierStream,
    Reference,
    Rejection,
    check_files,
)
from i18n.catalogue import t
from timebase.period import local_now

REQUIRED_FILES: tuple[str, ...] = ("units.csv", "agencies.csv", "procedures.csv", "dossiers.csv")
OPTIONAL_FILES: tuple[str, ...] = (
    "feedback.csv",
    "targets.csv",
    "ratings.csv",
    "supplements.csv",
    "portal_scores.csv",
)
#: Rejections listed one per line before the summary; the rest are counted.
MAX_LISTED = 1000
#: Dossiers read, checked and written at a time (bounds the memory of any number of dossiers).
_CHUNK_ROWS = 200_000
_TABLES = {
    "agencies": agencies,
    "procedures": procedures,
    "feedback": feedback,
    "targets": targets,
    "portal_scores": portal_scores,
}
#: Every table an import may write: their planner statistics are gathered at its end.
_WRITTEN = (
    "units",
    "unit_ancestors",
    "agencies",
    "procedures",
    "feedback",
    "targets",
    "portal_scores",
    *summary.WRITTEN_TABLES,
)
__all__ = ["ImportFatal", "ImportResult", "import_folder", "read_chunks", "read_file", "read_folder"]


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
    transaction). ``progress`` is called with (dossiers read, dossiers in all: an estimate from
    the part of the file read until the last call) after each chunk.
    """
    now = now or local_now()
    distinct: frozenset[int] = frozenset()
    while True:
        try:
            return _import(Path(folder), url, now, allow_moves, progress, distinct)
        except _Collision as exc:  # two distinct codes shared a hash: again, knowing it (never twice)
            distinct = exc.hashes


class _Rejected(Exception):
    """The dossiers had rejected rows: roll the transaction back."""


class _Collision(Exception):
    """Writing stopped for a hash met twice that turned out to be distinct codes (a 64-bit
    collision, about one import in a million at 10 million dossiers): roll back and start again.
    """

    def __init__(self, hashes: frozenset[int]) -> None:
        super().__init__("distinct codes with one hash")
        self.hashes = hashes


def _import(
    folder: Path,
    url: str,
    now: dt.datetime,
    allow_moves: bool,
    progress: Progress | None,
    distinct: frozenset[int],
) -> ImportResult:
    engine: Engine | None = None
    created, done = False, False
    try:
        with _no_gc():
            frames, rejections, dossier_file = _read_small(folder)
        new = _new_database_file(url)
        engine = None if new else _engine(url)
        ref = read_reference(engine, url, frames) if engine is not None else Reference()
        checked, stream = check_files(frames, ref, now, allow_moves, distinct)
        del frames
        rejections += checked.rejections
        skipped: dict[str, int] = {}
        feed = _checked_chunks(stream, dossier_file, skipped, progress)
        with _no_gc():
            if rejections:  # the other files were refused: only check the dossiers
                _drain(feed)
            else:
                engine = engine or _engine(url)
                created = new
                with suppress(_Rejected):
                    loaded, written, reattributed = _load(engine, checked, stream, feed, now, url)
        rejections = sorted([*rejections, *stream.rejections], key=_position)
        if rejections:
            return ImportResult(rejections=rejections, skipped=skipped)
        # Fast from the first query (performance-notes lesson 11); a re-import that rewrote less
        # than a tenth of the dossiers leaves the statistics of the one before valid.
        rewritten = written.new + written.changed
        gather_statistics(engine, _WRITTEN, full=written.into_empty or 10 * rewritten >= written.total)
        done = True
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
        if created and not done:
            _remove_database_file(url)


def _checked_chunks(
    stream: DossierStream, path: Path, skipped: dict[str, int], progress: Progress | None
) -> Iterator[pd.DataFrame]:
    """The dossiers file read and checked one chunk at a time, each chunk's typed rows handed on
    until the first rejection (or suspected repeated code); every chunk is checked all the same.

    At the end the repeated codes are resolved (:meth:`DossierStream.finish`): raises
    :class:`_Rejected` when a row was rejected, :class:`_Collision` when writing stopped for
    nothing, so the caller's transaction rolls back.
    """
    position = Position()
    rows = 0
    if progress is not None:
        progress(0, 0)
    for frame, bad in read_chunks(path, "dossiers.csv", _CHUNK_ROWS, position, skipped):
        stream.reject(bad)
        typed = stream.check(frame)
        rows += len(frame) + len(bad)
        del frame
        if not stream.blocked:
            yield typed
        del typed
        gc.collect(0)  # the young objects of the chunk (the collector is paused meanwhile)
        if progress is not None:
            fraction = position.fraction()
            progress(rows, max(rows, int(rows / fraction)) if fraction > 0 else rows)
    stream.finish(lambda: (frame for frame, _ in read_chunks(path, "dossiers.csv", _CHUNK_ROWS)))
    if progress is not None:
        progress(rows, rows)
    if stream.rejections:
        raise _Rejected
    if stream.blocked:
        raise _Collision(stream.collisions)


def _drain(feed: Iterator[pd.DataFrame]) -> None:
    """Check every chunk without writing any."""
    try:
        for _ in feed:
            pass
    except (_Rejected, _Collision):
        pass


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


#: The rules a row's rejections are listed in before its repeated code (the order of the checks
#: of a whole file; the dossiers' repeated codes are found after the file is read).
_BEFORE_UNIQUE = frozenset({"imp_width", "imp_too_long", "imp_ansi", "imp_invisible", "imp_required"})


def _position(r: Rejection) -> tuple[int, int, int]:
    """Sort key: by file, line, then as a check of the whole file lists one row's problems."""
    stems = [Path(name).stem for name in COLUMNS]
    stem = Path(r.file).stem
    rank = 1 if r.kind == "imp_duplicate" else 0 if r.kind in _BEFORE_UNIQUE else 2
    return (stems.index(stem) if stem in stems else len(stems)), r.line, rank if stem == "dossiers" else 0


def _sources(folder: Path, name: str) -> list[Path]:
    """The files of ``folder`` that hold ``name``'s data: name.csv, name.xlsx (and dossiers.json)."""
    stem = Path(name).stem
    kinds = (".csv", ".xlsx", *((".json", ".jsonl") if stem == "dossiers" else ()))
    return [folder / f"{stem}{kind}" for kind in kinds if (folder / f"{stem}{kind}").is_file()]


def _found(folder: Path) -> dict[str, Path]:
    """The file of each of the format's names in ``folder`` (the required ones must be there)."""
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
    for paths in found.values():
        if len(paths) > 1:
            raise ImportFatal("imp_two_forms", files=" / ".join(p.name for p in paths))
    return {name: paths[0] for name, paths in found.items() if paths}


def read_folder(folder: Path) -> tuple[dict[str, pd.DataFrame], list[Rejection]]:
    """Every file of the folder as strings (plus ``_line``), and the rows of the wrong shape.

    Frames are keyed by the format's names (``dossiers.csv``) whatever the file was (a
    spreadsheet, the portal's JSON); ``frame.attrs`` says which (:meth:`validate.Check`).
    The whole dossiers file included: the import itself streams it (:func:`read_chunks`).
    """
    frames, rejections = {}, []
    for name, path in _found(folder).items():
        frames[name], bad = read_file(path, name)
        rejections += bad
    return frames, rejections


def _read_small(folder: Path) -> tuple[dict[str, pd.DataFrame], list[Rejection], Path]:
    """Every file but the dossiers read whole, and the dossiers file (its header checked)."""
    frames, rejections = {}, []
    for name, path in _found(folder).items():
        if name == "dossiers.csv":
            read_chunks(path, name)  # a wrong header stops the import before anything is checked
            dossier_file = path
        else:
            frames[name], bad = read_file(path, name)
            rejections += bad
    return frames, rejections, dossier_file


def read_file(path: Path, name: str) -> tuple[pd.DataFrame, list[Rejection]]:
    """One file as stripped strings in the documented column order, with each row's line.

    CSV or .xlsx in our columns; for dossiers also the national portal's records (a JSON file,
    or a CSV/.xlsx with the portal's header: :mod:`data_access.portal_records`).
    """
    skipped: dict[str, int] = {}
    chunks, rejections = [], []
    for frame, bad in read_chunks(path, name, skipped=skipped):
        chunks.append(frame)
        rejections += bad
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    frame.attrs = dict(chunks[0].attrs)
    if "columns" in frame.attrs:
        frame.attrs["skipped"] = skipped
    return frame, rejections


def read_chunks(
    path: Path,
    name: str,
    rows: int | None = None,
    position: Position | None = None,
    skipped: dict[str, int] | None = None,
) -> Iterator[tuple[pd.DataFrame, list[Rejection]]]:
    """:func:`read_file` in chunks of ``rows`` rows (default :data:`_CHUNK_ROWS`): each a frame
    (its ``attrs`` name the source) and the rows of the wrong shape among its lines; at least
    one frame. The file is opened and its header checked at the call; ``position`` follows the
    reading; ``skipped`` counts the portal's records that are not dossiers in handling.
    """
    skipped = {} if skipped is None else skipped
    portal = {"columns": dict(portal_records.FIELDS)}
    portal_header = [*COLUMNS[name], portal_records.LOG_COLUMN]
    records: Iterable[tuple[int, list[str]]]
    if path.suffix.lower() in (".json", ".jsonl"):
        records = portal_records.rows_of(portal_records.json_records(path, position=position), skipped)
        header, attrs = portal_header, portal
    else:
        header, raw = open_records(path, position)
        if name == "dossiers.csv" and portal_records.is_portal_header(header):
            records = portal_records.rows_of(portal_records.header_records(header, raw), skipped)
            header, attrs = portal_header, portal
        else:
            _check_header(name, header, path.name)
            records, attrs = raw, {}
            plain = _plain_chunks(path, name, header, rows or _CHUNK_ROWS, position or Position())
            if plain is not None:
                return plain
    return _row_chunks(records, name, header, rows or _CHUNK_ROWS, {"source": path.name, **attrs})


def _plain_chunks(
    path: Path, name: str, header: list[str], size: int, position: Position
) -> Iterator[tuple[pd.DataFrame, list[Rejection]]] | None:
    """:func:`_row_chunks` of a plain CSV file (:mod:`data_access.read_arrow`), or None when the
    file is not plain (the line-by-line reader then reads it, with its exact messages).
    """
    if path.suffix.lower() != ".csv":
        return None
    with path.open("rb") as fh:
        first = fh.readline().removeprefix(b"\xef\xbb\xbf")
    try:
        line = first.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return None
    separator = sniff_separator(line)
    if '"' in line or len(line.split(separator)) != len(header):
        return None
    records = read_arrow.plain_records(path, separator, len(header))
    if records is None:
        return None
    order = [*COLUMNS[name], *[c for c in OPTIONAL_COLUMNS.get(name, ()) if c in header], "_line"]

    def chunks() -> Iterator[tuple[pd.DataFrame, list[Rejection]]]:
        position.size, start = records, 2
        for table in read_arrow.read_tables(path, separator, header, size):
            frame = _stripped(table.to_pandas(), header, np.arange(start, start + table.num_rows))
            start += table.num_rows
            position.done = start - 2
            frame = frame[(frame[header] != "").any(axis=1)][order].reset_index(drop=True)
            frame.attrs = {"source": path.name}
            yield frame, []

    return chunks()


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


def _row_chunks(
    records: Iterable[tuple[int, list[str]]], name: str, header: list[str], size: int, attrs: dict[str, Any]
) -> Iterator[tuple[pd.DataFrame, list[Rejection]]]:
    """Frames of at most ``size`` rows of stripped strings in the documented column order plus
    ``_line`` (``attrs`` on each), with the rows of the wrong width met among their lines.
    """
    width, rows, lines, rejections, file = len(header), [], [], [], attrs["source"]
    optional = [c for c in OPTIONAL_COLUMNS.get(name, ()) if c in header]
    hidden = [c for c in header if c == portal_records.LOG_COLUMN]  # a portal row's supplement log
    order = [*COLUMNS[name], *optional, *hidden, "_line"]
    sent = False
    for line, record in records:
        if len(record) == width:
            rows.append(record)
            lines.append(line)
        else:
            en = f"expected {width} values, found {len(record)}"
            vi = f"cần {width} giá trị, có {len(record)}"
            rejections.append(Rejection(file, line, "", "", en, "imp_width", vi))
        if len(rows) >= size:
            frame = _frame(rows, lines, header)[order]
            frame.attrs = dict(attrs)
            rows, lines = [], []
            yield frame, rejections
            sent, rejections = True, []
    if rows or rejections or not sent:
        frame = _frame(rows, lines, header)[order]
        frame.attrs = dict(attrs)
        yield frame, rejections


def _frame(rows: list[list[str]], lines: list[int], header: list[str]) -> pd.DataFrame:
    """Strings with their outer spaces stripped: codes lose only ASCII white space, so an invisible
    character (U+00A0, U+200B…) stays and is reported (:mod:`data_access.import_rules`).
    """
    frame = (
        pd.DataFrame(rows, columns=header, dtype="str") if rows else pd.DataFrame(columns=header, dtype="str")
    )
    return _stripped(frame, header, np.array(lines, dtype=np.int64))


def _stripped(frame: pd.DataFrame, header: list[str], lines: np.ndarray) -> pd.DataFrame:
    """``frame``'s values stripped (codes of ASCII white space only), with each row's line."""
    for col in header:
        frame[col] = frame[col].str.strip(" \t\r\n" if col in CODE_COLUMNS else None)
    frame["_line"] = lines.astype(np.int64)
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


def _load(
    engine: Engine,
    checked: Checked,
    stream: DossierStream,
    dossiers: Iterable[pd.DataFrame],
    now: dt.datetime,
    url: str,
) -> tuple[dict[str, int], Written, int]:
    """Write the checked rows in one transaction (the schema is created first where missing):
    what was loaded, the dossiers' new/changed/unchanged counts, and the dossiers re-attributed
    to a moved agency's new unit. ``dossiers`` are the checked chunks as the file is read
    (:func:`_checked_chunks`: an exception from it rolls everything back); before the first,
    ``stream`` is given the stored rows' digests, read in this transaction, and leaves out the
    rows they hold unchanged.
    """
    tables, handlers = checked.tables, checked.handlers
    loaded: dict[str, int] = {}
    try:
        with engine.begin() as conn:
            create_schema(conn)  # inside the transaction: all or nothing
            loaded["units"] = upsert(conn, units, _with_validity(conn, tables["units"]))
            rebuild_unit_ancestors(conn)
            catalogue = summary.procedure_attributes(conn)
            for name in ("agencies", "procedures"):
                loaded[name] = upsert(conn, _TABLES[name], tables[name])
            # A procedure's eligibility, legal limit or field changed: so did its dossiers' cells.
            recounted = summary.changed_procedures(catalogue, summary.procedure_attributes(conn))
            build = summary.CellBuild.for_dossiers(conn)  # the summaries of a load into an empty table
            stream.stored = StoredDigests.read(conn, now)
            written = write_dossiers(conn, dossiers, 0, handlers, None, build.add_dossiers)
            written.unchanged += stream.unchanged
            loaded["dossiers"] = written.total
            # An agency moved with --allow-moves takes its stored dossiers to its new unit.
            reattributed = reattribute(conn, checked.moves) if checked.moves else 0
            for name in ("feedback", "targets", "portal_scores"):
                if name in tables:
                    loaded[name] = upsert(conn, _TABLES[name], tables[name])
            upsert(conn, meta, [{"key": "last_import_at", "value": now.isoformat(timespec="seconds")}])
            # Summary tables: one build after a load into an empty table; after a move or a
            # catalogue change, a rebuild (the moved dossiers change unit in every month, those of
            # a changed procedure their counters); else the deltas of the new and changed
            # dossiers the change log caught.
            if written.into_empty:
                build.write()
            elif reattributed or recounted:
                summary.rebuild(conn)
            else:
                summary.refresh(conn)
    except (SQLAlchemyError, OSError) as exc:
        raise ImportFatal("imp_db_refused", url=_safe_url(url), reason=_first_line(exc)) from None
    return loaded, written, reattributed


def _remove_database_file(url: str) -> None:
    """Remove the SQLite or DuckDB file (and its journals) an import created and did not fill."""
    parsed = make_url(url)
    path = sqlite_path(url) if parsed.get_backend_name() == "sqlite" else Path(parsed.database or "")
    if path is None or not path.name:
        return
    for suffix in ("", "-wal", "-shm", "-journal", ".wal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
