"""Re-imports pass over unchanged dossiers by their stored digest (data_access.row_digest).

The base folder (tests/import_fixtures.py) holds four dossiers on lines 2–5: D1 (returned,
online, rated), D2 (in progress), D3 (agency X-102 of commune 102) and D4 (agency H-100).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from data_access.engine import make_engine
from data_access.importer import import_folder
from data_access.row_digest import HASHED
from data_access.schema import dossiers
from tests.import_fixtures import base_files, query, write_folder

d = dossiers.c


@pytest.fixture(params=["sqlite", "postgresql"])
def row_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    """A fresh SQLite file or PostgreSQL schema (the backends whose digests are trusted)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite'}"
    else:
        from tests.conftest import pg_schema_url

        yield from pg_schema_url()


def _folder(path: Path, **changes: dict[str, str]) -> Path:
    """The base folder with ``changes`` to dossiers by code."""
    files = base_files()
    for row in files["dossiers.csv"]:
        row.update(changes.get(row["dossier_code"], {}))
    return write_folder(path, files)


def _counts(result: object) -> tuple[int, int, int]:
    assert not result.rejected and result.fatal is None, result.messages("en")  # type: ignore[attr-defined]
    return result.new, result.changed, result.unchanged  # type: ignore[attr-defined]


def _execute(url: str, *sql: str) -> None:
    """Run statements that return no rows, committed (as another writer would)."""
    engine = make_engine(url, read_only=False)
    try:
        with engine.begin() as conn:
            for statement in sql:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _writes(url: str) -> int:
    """Rows written to ``dossiers`` since :func:`_count_writes` (SQLite)."""
    return int(query(url, "SELECT COUNT(*) FROM test_writes")[0][0])


def _count_writes(url: str) -> None:
    """Count every insert and update of a dossier row from now on (SQLite triggers)."""
    _execute(
        url,
        "CREATE TABLE test_writes (code TEXT)",
        "CREATE TRIGGER test_w_i AFTER INSERT ON dossiers "
        "BEGIN INSERT INTO test_writes VALUES (NEW.dossier_code); END",
        "CREATE TRIGGER test_w_u AFTER UPDATE ON dossiers "
        "BEGIN INSERT INTO test_writes VALUES (NEW.dossier_code); END",
    )


def _stored(url: str) -> list[tuple]:
    return query(url, select(dossiers).order_by(d.dossier_code))


def test_unchanged_reimport_writes_nothing_and_counts_all_unchanged(
    tmp_path: Path, row_store_url: str
) -> None:
    folder = _folder(tmp_path / "a")
    assert _counts(import_folder(folder, row_store_url)) == (4, 0, 0)
    digests = query(row_store_url, select(d.dossier_code, d.code_hash, d.row_digest).order_by(d.dossier_code))
    assert len(digests) == 4 and all(h is not None and r is not None for _, h, r in digests)
    assert len({r for _, _, r in digests}) == 4
    if row_store_url.startswith("sqlite"):
        _count_writes(row_store_url)
    assert _counts(import_folder(folder, row_store_url)) == (0, 0, 4)
    if row_store_url.startswith("sqlite"):
        assert _writes(row_store_url) == 0  # nothing written: all four passed over by digest
    assert (
        query(row_store_url, select(d.dossier_code, d.code_hash, d.row_digest).order_by(d.dossier_code))
        == digests
    )


#: A new value for each column of D1 (returned Wed 7/10 10:00, received Mon 5/10 09:00, online,
#: e-result, rated very satisfied; no fee) that keeps the row valid and changes the stored row.
NEW_VALUE = {
    "dossier_code": "D1B",  # another code: a new dossier (D1 stays)
    "procedure_code": "1.000002",
    "agency_code": "X-102",  # handled by commune 102 now
    "unit_code": "102",  # received at commune 102's desk
    "channel": "direct",
    "received_at": "2026-10-05T08:00",
    "due_at": "2026-10-09T17:00",
    "finished_at": "2026-10-07T11:00",
    "status": "processed",
    "supplement_requests": "1",
    "supplement_requested_at": "2026-10-06T10:00",
    "fee_required": "true",
    "paid_online": "",  # false → not given
    "e_result": "0",
    "digitized": "1",
    "reused_data": "1",
    "rating": "satisfied",
}


def test_every_imported_column_is_covered() -> None:
    assert set(NEW_VALUE) == set(HASHED) and len(HASHED) == 17


@pytest.mark.parametrize("column", sorted(NEW_VALUE))
def test_a_change_in_any_column_is_written(tmp_path: Path, column: str) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert _counts(import_folder(_folder(tmp_path / "a"), url)) == (4, 0, 0)
    newer = _folder(tmp_path / "b", D1={column: NEW_VALUE[column]})
    # D1 with a new value: 1 changed, the other 3 unchanged; a new code: 1 new, all 4 others kept.
    expected = (1, 0, 3) if column == "dossier_code" else (0, 1, 3)
    assert _counts(import_folder(newer, url)) == expected
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    assert not import_folder(newer, fresh).rejected
    ours = {r[0]: r for r in _stored(url)}
    theirs = {r[0]: r for r in _stored(fresh)}
    assert {k: ours[k] for k in theirs} == theirs  # every row of the newer export, digests too


def test_the_same_value_written_otherwise_is_unchanged_and_gets_its_digest(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    import_folder(_folder(tmp_path / "a"), url)
    before = _stored(url)
    # D1's status is the portal's code 10 in the base file; "returned" is the same status.
    newer = _folder(tmp_path / "b", D1={"status": "returned"})
    assert _counts(import_folder(newer, url)) == (0, 0, 4)
    after = _stored(url)
    digest = [c.name for c in dossiers.columns].index("row_digest")
    assert after[0][:digest] == before[0][:digest] and after[0][digest] != before[0][digest]
    _count_writes(url)
    assert _counts(import_folder(newer, url)) == (0, 0, 4)
    assert _writes(url) == 0  # its new digest is the file's: passed over now


def test_an_unchanged_row_whose_agency_is_gone_is_refused(tmp_path: Path, row_store_url: str) -> None:
    assert _counts(import_folder(_folder(tmp_path / "a"), row_store_url)) == (4, 0, 0)
    _execute(row_store_url, "DELETE FROM agencies WHERE code = 'X-102'")  # removed outside the import
    files = base_files()
    files["agencies.csv"] = [a for a in files["agencies.csv"] if a["code"] != "X-102"]
    result = import_folder(write_folder(tmp_path / "b", files), row_store_url)
    # D3 (line 4) is unchanged, but its agency is neither in the files nor in the database now.
    assert [(r.file, r.line, r.column, r.kind) for r in result.rejections] == [
        ("dossiers.csv", 4, "agency_code", "imp_unknown_code")
    ]


def test_an_unchanged_row_repeated_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    import_folder(_folder(tmp_path / "a"), url)
    files = base_files()
    files["dossiers.csv"].append(dict(files["dossiers.csv"][1]))  # D2 again, on line 6
    result = import_folder(write_folder(tmp_path / "b", files), url)
    assert [(r.line, r.column, r.kind) for r in result.rejections] == [(6, "dossier_code", "imp_duplicate")]


def test_a_row_changed_by_another_writer_is_rewritten(tmp_path: Path, row_store_url: str) -> None:
    folder = _folder(tmp_path / "a")
    import_folder(folder, row_store_url)
    _execute(row_store_url, "UPDATE dossiers SET status = 'processed' WHERE dossier_code = 'D1'")
    # the guard trigger cleared D1's digest: the export's D1 (returned) is written back.
    assert query(row_store_url, select(d.row_digest).where(d.dossier_code == "D1")) == [(None,)]
    assert _counts(import_folder(folder, row_store_url)) == (0, 1, 3)
    assert query(row_store_url, select(d.status).where(d.dossier_code == "D1")) == [("returned",)]
    assert _counts(import_folder(folder, row_store_url)) == (0, 0, 4)


def test_a_database_from_before_the_digests_reimports_and_gets_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    import_folder(_folder(tmp_path / "a"), url)
    _execute(  # the dossier table as the importer left it before the digests
        url,
        "DROP TRIGGER dossier_digest_guard",
        "DROP INDEX ix_dossiers_digest",
        "ALTER TABLE dossiers DROP COLUMN row_digest",
        "ALTER TABLE dossiers DROP COLUMN code_hash",
    )
    newer = _folder(tmp_path / "b", D2={"status": "returned", "finished_at": "2026-10-22T10:00"})
    assert _counts(import_folder(newer, url)) == (0, 1, 3)  # D2 finished; D1, D3, D4 the same
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    import_folder(newer, fresh)
    assert _stored(url) == _stored(fresh)  # every row with the digest a fresh import gives it
    assert query(url, "SELECT COUNT(*) FROM dossier_changes") == [(0,)]
    _count_writes(url)
    assert _counts(import_folder(newer, url)) == (0, 0, 4)
    assert _writes(url) == 0


def test_duckdb_digests_are_written_but_never_trusted(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'db.duckdb'}"
    folder = _folder(tmp_path / "a")
    assert _counts(import_folder(folder, url)) == (4, 0, 0)
    assert query(url, "SELECT COUNT(*) FROM dossiers WHERE row_digest IS NOT NULL") == [(4,)]
    _execute(url, "UPDATE dossiers SET status = 'processed' WHERE dossier_code = 'D1'")  # no trigger
    assert _counts(import_folder(folder, url)) == (0, 1, 3)
