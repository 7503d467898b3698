"""The dossiers file read, checked and written in chunks (importer._CHUNK_ROWS, 50 rows here):
the same rows, figures and rejections as in one chunk; a code repeated across chunks reported
with both lines; a bad row in the last chunk loads nothing (after earlier chunks were written,
in the same transaction); the portal's JSON lines in chunks; a 64-bit hash shared by distinct
codes never refuses a good file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import inspect, select

from data_access import importer, validate
from data_access.engine import make_engine
from data_access.importer import ImportResult, import_folder
from data_access.schema import dossiers
from tests.import_fixtures import base_files, count, dossier_row, query, write_csv, write_folder
from tests.test_import_messy import figures, ok
from tests.test_import_national import OURS, portal_record
from tests.test_summary import _tables

CHUNK = 50
#: Dossiers of the folders below: more than four chunks of 50.
ROWS = 230


@pytest.fixture
def url(row_store_url: str) -> str:
    """SQLite, then PostgreSQL (tests/conftest.py)."""
    return row_store_url


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "_CHUNK_ROWS", CHUNK)


def _many(n: int = ROWS) -> list[dict[str, str]]:
    """``n`` valid dossiers of every kind (statuses, desks, procedures, ratings) over October."""
    rows = []
    for i in range(n):
        day = 1 + i % 28
        kind = i % 5
        if kind == 0:
            row = dossier_row(
                f"M{i:04d}",
                channel="online",
                received_at=f"2026-10-{day:02d}T09:00",
                due_at="2026-11-20T17:00",
                finished_at=f"2026-10-{day:02d}T15:00",
                status="returned",
                rating="satisfied",
            )
        elif kind == 1:
            row = dossier_row(f"M{i:04d}", agency_code="H-100", unit_code="100", procedure_code="1.000002")
        elif kind == 2:
            row = dossier_row(f"M{i:04d}", agency_code="S-1", unit_code="201", channel="postal")
        elif kind == 3:
            row = dossier_row(
                f"M{i:04d}",
                unit_code="102",
                agency_code="X-102",
                status="supplement_requested",
                supplement_requests="1",
                supplement_requested_at="2026-10-21T09:00",
            )
        else:
            row = dossier_row(
                f"M{i:04d}",
                received_at=f"2026-10-{day:02d}T08:00",
                due_at="2026-11-20T17:00",
                finished_at=f"2026-10-{day:02d}T16:00",
                status="processed",
                fee_required="true",
                paid_online="true",
                procedure_code="1.000002",
            )
        rows.append(row)
    return rows


def _folder(path: Path, rows: list[dict[str, str]], ratings: list[dict[str, str]] | None = None) -> Path:
    files = {**base_files(), "dossiers.csv": rows}
    write_folder(path, files)
    if ratings is not None:
        write_csv(path / "ratings.csv", ratings)
    return path


def _summaries(url: str) -> dict[str, pd.DataFrame]:
    engine = make_engine(url, read_only=False)
    try:
        return _tables(engine)
    finally:
        engine.dispose()


def _nothing_loaded(result: ImportResult, url: str) -> None:
    assert result.rejected and not result.loaded, result.messages("en")
    assert result.messages("en")[-1].startswith("Nothing was loaded")
    if url.startswith("sqlite"):
        assert not Path(url.removeprefix("sqlite:///")).exists()  # the import created it: removed
    else:  # the transaction that created the schema was rolled back: no table at all
        engine = make_engine(url, read_only=False)
        try:
            assert inspect(engine).get_table_names() == []
        finally:
            engine.dispose()


def test_chunks_load_what_one_chunk_loads(tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ratings = [
        {"dossier_code": "M0001", "rating": "Rất hài lòng"},
        {"dossier_code": "M0202", "rating": "hài lòng"},
    ]
    folder = _folder(tmp_path / "in", _many(), ratings)
    whole = f"sqlite:///{tmp_path / 'whole.sqlite'}"
    ok(import_folder(folder, whole))
    progress: list[tuple[int, int]] = []
    monkeypatch.setattr(importer, "_CHUNK_ROWS", CHUNK)
    result = import_folder(folder, url, progress=lambda done, total: progress.append((done, total)))
    ok(result)
    assert result.loaded["dossiers"] == ROWS and result.new == ROWS
    assert figures(url) == figures(whole)
    for name, frame in _summaries(whole).items():
        pd.testing.assert_frame_equal(_summaries(url)[name], frame, check_dtype=False, obj=name)
    d = dossiers.c
    assert query(
        url, select(d.rating).where(d.dossier_code.in_(["M0001", "M0202"])).order_by(d.dossier_code)
    ) == [
        ("very_satisfied",),
        ("satisfied",),
    ]
    # Progress after each chunk, the total estimated from the part of the file read; exact at the end.
    assert progress[0] == (0, 0) and progress[-1] == (ROWS, ROWS)
    assert [done for done, _ in progress[1:-1]] == [50, 100, 150, 200, 230]
    assert all(total >= done for done, total in progress)


def test_reimport_in_chunks_writes_only_what_changed(tmp_path: Path, url: str, small_chunks: None) -> None:
    rows = _many()
    ok(import_folder(_folder(tmp_path / "a", rows), url))
    rows[3] = dict(rows[3], status="returned", finished_at="2026-10-22T10:00")  # chunk 1
    rows[217] = dict(rows[217], digitized="1")  # last chunk
    rows.append(dossier_row("M9999"))
    again = import_folder(_folder(tmp_path / "b", rows), url)
    ok(again)
    assert (again.new, again.changed, again.unchanged) == (1, 2, ROWS - 2)
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    ok(import_folder(tmp_path / "b", fresh))
    assert figures(url) == figures(fresh)


def test_rejections_are_those_of_one_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _many()
    rows[10] = dict(rows[10], channel="fax")  # chunk 1
    rows[60] = dict(rows[60], procedure_code="9.999", dossier_code="")  # chunk 2: required, then unknown
    # M0120 again in chunk 4 with an unknown procedure: the repetition is listed before the procedure.
    rows[170] = dict(rows[170], dossier_code="M0120", procedure_code="9.999")
    rows[229] = dict(rows[229], received_at="05/10/2026")  # last chunk
    rows.append(dict(rows[5]))  # a width problem cannot be written by DictWriter: a repeated row
    ratings = [{"dossier_code": "NOPE", "rating": "satisfied"}]
    folder = _folder(tmp_path / "in", rows, ratings)
    one = import_folder(folder, f"sqlite:///{tmp_path / 'one.sqlite'}")
    monkeypatch.setattr(importer, "_CHUNK_ROWS", CHUNK)
    chunked = import_folder(folder, f"sqlite:///{tmp_path / 'chunked.sqlite'}")
    assert chunked.rejections == one.rejections
    assert chunked.messages("en") == one.messages("en") and chunked.messages() == one.messages()
    where = [(r.line, r.kind) for r in chunked.rejections if r.file == "dossiers.csv"]
    assert (62, "imp_required") in where and where.index((62, "imp_required")) < where.index(
        (62, "imp_unknown_code")
    )
    assert where.index((172, "imp_duplicate")) < where.index((172, "imp_unknown_code"))
    assert (232, "imp_duplicate") in where
    assert [(r.file, r.line) for r in chunked.rejections][-1] == ("ratings.csv", 2)


def test_a_code_repeated_across_chunks_is_reported_with_both_lines(
    tmp_path: Path, url: str, small_chunks: None
) -> None:
    rows = _many()
    rows[140] = dict(rows[140], dossier_code="M0007")  # line 142, chunk 3; M0007 is on line 9, chunk 1
    rows[145] = dict(rows[145], dossier_code="M0007")  # and again in the same chunk, line 147
    result = import_folder(_folder(tmp_path / "in", rows), url)
    repeated = [(r.line, r.reason) for r in result.rejections]
    assert repeated == [
        (142, "duplicate dossier_code 'M0007' (first on line 9)"),
        (147, "duplicate dossier_code 'M0007' (first on line 9)"),
    ]
    assert "dossiers.csv, dòng 142, cột dossier_code: trùng dossier_code 'M0007' (lần đầu ở dòng 9)" in (
        result.messages()
    )
    _nothing_loaded(result, url)


@pytest.mark.parametrize("into", ["empty", "loaded"])
def test_a_bad_row_in_the_last_chunk_loads_nothing(
    tmp_path: Path, url: str, small_chunks: None, into: str
) -> None:
    rows = _many()
    if into == "loaded":
        ok(import_folder(_folder(tmp_path / "first", rows[:100]), url))
        before = query(url, select(dossiers).order_by(dossiers.c.dossier_code))
        summaries = _summaries(url)
    rows[3] = dict(rows[3], status="returned", finished_at="2026-10-22T10:00")  # a change in chunk 1
    rows[-1] = dict(rows[-1], unit_code="999")  # chunk 5, after four written chunks
    result = import_folder(_folder(tmp_path / "in", rows), url)
    assert [(r.line, r.kind) for r in result.rejections] == [(ROWS + 1, "imp_unknown_code")]
    if into == "empty":
        _nothing_loaded(result, url)
    else:
        assert not result.loaded
        assert query(url, select(dossiers).order_by(dossiers.c.dossier_code)) == before
        for name, frame in _summaries(url).items():
            pd.testing.assert_frame_equal(frame, summaries[name], check_dtype=False, obj=name)


def test_rejected_other_files_still_check_every_chunk(tmp_path: Path, small_chunks: None) -> None:
    rows = _many()
    rows[-1] = dict(rows[-1], channel="fax")
    files = {**base_files(), "dossiers.csv": rows}
    files["units.csv"][1]["lat"] = "95"
    result = import_folder(write_folder(tmp_path / "in", files), f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert [(r.file, r.line) for r in result.rejections] == [("units.csv", 3), ("dossiers.csv", ROWS + 1)]
    assert not (tmp_path / "db.sqlite").exists()


def test_national_json_lines_in_chunks(tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    records = []
    for i in range(ROWS):
        base = OURS[i % len(OURS)]
        records.append(dict(portal_record(base), MaHoSo=f"P{i:04d}"))
        if i % 40 == 0:  # a registration now and then: skipped and counted, in every chunk
            records.append(dict(portal_record(base), MaHoSo=f"R{i:04d}", TrangThaiHoSo=1))
    folder = _folder(tmp_path / "in", [])
    (folder / "dossiers.csv").unlink()
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (folder / "dossiers.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = f"sqlite:///{tmp_path / 'whole.sqlite'}"
    ok(import_folder(folder, whole))
    monkeypatch.setattr(importer, "_CHUNK_ROWS", CHUNK)
    result = import_folder(folder, url)
    ok(result)
    assert result.loaded["dossiers"] == ROWS and result.skipped == {"1": 6}
    assert figures(url) == figures(whole)

    # A record repeated across chunks: both lines, the portal's field name, nothing loaded.
    first = records[3]["MaHoSo"]
    assert first.startswith("P") and records[200]["MaHoSo"].startswith("P")
    lines[200] = json.dumps(dict(records[200], MaHoSo=first), ensure_ascii=False)
    (folder / "dossiers.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = import_folder(folder, f"sqlite:///{tmp_path / 'again.sqlite'}")
    assert [(r.file, r.line, r.column, r.reason) for r in again.rejections] == [
        ("dossiers.json", 201, "MaHoSo", f"duplicate dossier_code '{first}' (first on line 4)")
    ]


def test_distinct_codes_sharing_a_hash_still_load(
    tmp_path: Path, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every code hashed to one of 3 values: the import must tell repetitions from collisions."""
    monkeypatch.setattr(
        validate, "code_hashes", lambda codes: np.array([len(c) % 3 for c in codes], dtype=np.uint64)
    )
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    rows = _many()
    rows += [dossier_row("X1"), dossier_row("Y12")]  # other lengths: other hashes
    result = import_folder(_folder(tmp_path / "in", rows), url)
    ok(result)
    assert count(url, "dossiers") == ROWS + 2
    rows[100] = dict(rows[100], dossier_code="M0099")
    result = import_folder(_folder(tmp_path / "bad", rows), f"sqlite:///{tmp_path / 'bad.sqlite'}")
    assert [(r.line, r.reason) for r in result.rejections] == [
        (102, "duplicate dossier_code 'M0099' (first on line 101)")
    ]


def test_seen_codes_keep_one_sorted_hash_a_code() -> None:
    seen = validate.SeenCodes()
    seen.add(pd.Series(["a", "b", "", "c"], dtype="str"))
    seen.add(pd.Series(["d", "", "e"], dtype="str"))
    assert len(seen.hashes) == 5 and (np.diff(seen.hashes.astype(np.float64)) >= 0).all()
    assert not seen.suspect
    seen.add(pd.Series(["f", "b", "f"], dtype="str"))
    assert seen.suspect == {hash("b") % 2**64, hash("f") % 2**64}
    assert len(seen.hashes) == 6
