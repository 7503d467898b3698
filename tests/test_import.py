"""The exchange-format importer: every rejection reason with its exact line, nothing loaded on a
rejection, the happy path on SQLite, PostgreSQL and DuckDB, idempotency, imports into an
existing database, and the command line's exit codes.

Line numbers are physical lines of the file: the header is line 1, so a row appended after the
n base rows of a file is on line n + 2 (dossiers.csv: 4 rows → line 6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

import cli
from data_access import importer
from data_access.engine import make_engine
from data_access.importer import ImportResult, import_folder
from data_access.schema import create_schema, dossiers, portal_scores, procedures
from data_access.validate import COLUMNS
from tests.builders import build
from tests.import_fixtures import (
    NEW_ROW,
    base_files,
    count,
    dossier_row,
    query,
    write_csv,
    write_folder,
)

FUTURE = (dt.datetime.now() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def empty_db(tmp_path: Path) -> str:
    """A SQLite database with the schema and no rows, so 'nothing loaded' can be counted."""
    url = f"sqlite:///{tmp_path / 'target.sqlite'}"
    engine = make_engine(url, read_only=False)
    create_schema(engine)
    engine.dispose()
    return url


def _reasons_on(result: ImportResult, file: str, line: int) -> list[str]:
    return [r.reason for r in result.rejections if r.file == file and r.line == line]


def _import_with(tmp_path: Path, url: str, file: str, rows: list[dict[str, str]]) -> ImportResult:
    """Import the base folder with ``rows`` appended to ``file``."""
    files = base_files()
    files[file] += rows
    return import_folder(write_folder(tmp_path / "in", files), url)


def _new(file: str, **kw: str) -> dict[str, str]:
    return {**NEW_ROW[file], **kw}


# (file, changes to the appended row, key phrase of the reason). The appended row's line is the
# file's base row count + 2: units/agencies 8, procedures 5, dossiers 6, feedback 4, targets 5.
CASES = [
    ("units.csv", dict(name=""), "missing required value for name"),
    ("units.csv", dict(level="ward"), "unknown level 'ward'"),
    ("units.csv", dict(parent_code="999"), "unknown parent unit '999'"),
    (
        "units.csv",
        dict(level="district"),
        "parent unit '100' is a district unit, not above this district unit",
    ),
    ("units.csv", dict(lat="95"), "lat '95' is out of range"),
    ("units.csv", dict(lon="-181"), "lon '-181' is out of range"),
    ("units.csv", dict(lon="106,9"), "bad number for lon: '106,9'"),
    ("units.csv", dict(code="101"), "duplicate unit code '101' (first on line 5)"),
    ("agencies.csv", dict(unit_code="999"), "unknown unit '999'"),
    ("agencies.csv", dict(name=""), "missing required value for name"),
    ("agencies.csv", dict(code="H-100"), "duplicate agency code 'H-100' (first on line 3)"),
    ("procedures.csv", dict(online_level="level4"), "unknown online_level 'level4'"),
    ("procedures.csv", dict(fee_required="yes"), "bad boolean for fee_required: 'yes'"),
    ("procedures.csv", dict(time_limit_days="-1"), "time_limit_days '-1' is negative"),
    ("procedures.csv", dict(time_limit_days="ba"), "bad number for time_limit_days: 'ba'"),
    ("dossiers.csv", dict(received_at=""), "missing required value for received_at"),
    ("dossiers.csv", dict(unit_code="999"), "unknown unit '999'"),
    ("dossiers.csv", dict(agency_code="X-999"), "unknown agency 'X-999'"),
    ("dossiers.csv", dict(procedure_code="9.999999"), "unknown procedure '9.999999'"),
    ("dossiers.csv", dict(channel="fax"), "unknown channel 'fax'"),
    ("dossiers.csv", dict(status="closed"), "unknown status 'closed'"),
    ("dossiers.csv", dict(status="1"), "status 1 (registered) is not a dossier in handling"),
    ("dossiers.csv", dict(status="3"), "status 3 (not received) is not a dossier in handling"),
    ("dossiers.csv", dict(rating="ok"), "unknown rating 'ok'"),
    ("dossiers.csv", dict(e_result="yes"), "bad boolean for e_result: 'yes'"),
    ("dossiers.csv", dict(received_at="20/10/2026 09:00"), "bad time for received_at: '20/10/2026 09:00'"),
    ("dossiers.csv", dict(due_at="2026-10-23"), "bad time for due_at: '2026-10-23'"),
    ("dossiers.csv", dict(due_at="2026-02-30T17:00"), "bad time for due_at: '2026-02-30T17:00'"),
    ("dossiers.csv", dict(received_at="2005-01-03T08:00"), "received_at '2005-01-03T08:00' is out of range"),
    (
        "dossiers.csv",
        dict(due_at="2026-10-19T17:00"),
        "due_at '2026-10-19T17:00' is before received_at '2026-10-20T09:00'",
    ),
    (
        "dossiers.csv",
        dict(status="returned", finished_at="2026-10-19T10:00"),
        "finished_at '2026-10-19T10:00' is before received_at '2026-10-20T09:00'",
    ),
    ("dossiers.csv", dict(status="9"), "finished_at is missing for status processed"),
    ("dossiers.csv", dict(status="stopped"), "finished_at is missing for status stopped"),
    ("dossiers.csv", dict(finished_at="2026-10-21T10:00"), "finished_at is set for status in_progress"),
    ("dossiers.csv", dict(supplement_requests="-1"), "supplement_requests '-1' is negative"),
    ("dossiers.csv", dict(supplement_requests="1.5"), "supplement_requests '1.5' is not an integer"),
    ("dossiers.csv", dict(supplement_requests="21"), "supplement_requests '21' is absurd"),
    ("dossiers.csv", dict(supplement_requests="hai"), "bad number for supplement_requests: 'hai'"),
    (
        "dossiers.csv",
        dict(status="5", supplement_requests="1"),
        "supplement_requested_at is missing for status supplement_requested",
    ),
    (
        "dossiers.csv",
        dict(status="5", supplement_requested_at="2026-10-21T09:00"),
        "supplement_requests is 0 while status is supplement_requested",
    ),
    ("dossiers.csv", dict(dossier_code="D3"), "duplicate dossier_code 'D3' (first on line 4)"),
    (
        "dossiers.csv",
        dict(fee_required="false", paid_online="true"),
        "paid_online is true while fee_required is false",
    ),
    (
        "dossiers.csv",
        dict(received_at=FUTURE, due_at="2040-01-02T17:00"),
        f"received_at '{FUTURE}' is in the future",
    ),
    ("feedback.csv", dict(unit_code="999"), "unknown unit '999'"),
    ("feedback.csv", dict(status="closed"), "unknown feedback status 'closed'"),
    ("feedback.csv", dict(status="handled"), "handled_at is missing for status handled"),
    ("feedback.csv", dict(handled_at="2026-10-21T08:00"), "handled_at is set for status received"),
    ("feedback.csv", dict(due_at="2026-10-01T17:00"), "due_at '2026-10-01T17:00' is before received_at"),
    ("targets.csv", dict(value="98"), "value '98' is not a fraction between 0 and 1"),
    ("targets.csv", dict(metric="speed"), "unknown metric 'speed'"),
    ("targets.csv", dict(unit_code="999"), "unknown unit '999'"),
    ("targets.csv", dict(level="ward"), "unknown level 'ward'"),
    ("targets.csv", dict(year="26"), "year '26' is not a year"),
    ("targets.csv", dict(source=""), "missing required value for source"),
    ("targets.csv", dict(metric="online_share", level="District"), "duplicate target"),
]
LINE_OF_NEW_ROW = {name: len(rows) + 2 for name, rows in base_files().items()}


@pytest.mark.parametrize(("file", "change", "phrase"), CASES, ids=[f"{c[0]}:{c[2][:40]}" for c in CASES])
def test_each_rejection_names_line_and_reason_and_loads_nothing(
    tmp_path: Path, empty_db: str, file: str, change: dict[str, str], phrase: str
) -> None:
    result = _import_with(tmp_path, empty_db, file, [_new(file, **change)])
    line = LINE_OF_NEW_ROW[file]
    reasons = _reasons_on(result, file, line)
    assert any(phrase in r for r in reasons), (phrase, [str(r) for r in result.rejections])
    assert result.rejected and result.fatal is None and result.loaded == {}
    # Only the appended row is rejected: the base rows are all valid.
    assert {(r.file, r.line) for r in result.rejections} == {(file, line)}
    assert count(empty_db, "dossiers") == 0
    assert count(empty_db, "units") == 0


def test_message_lines_and_summary(tmp_path: Path, empty_db: str) -> None:
    bad = [
        _new("dossiers.csv", dossier_code="X1", due_at="2026-10-19T17:00"),
        _new("dossiers.csv", dossier_code="X2", channel="fax", status="0"),
    ]
    result = _import_with(tmp_path, empty_db, "dossiers.csv", bad)
    messages = result.messages("en")
    assert messages[:3] == [
        "dossiers.csv, line 6, column due_at: due_at '2026-10-19T17:00' is before received_at "
        "'2026-10-20T09:00'",
        "dossiers.csv, line 7, column status: unknown status '0' (expected one of received, in_progress, "
        "supplement_requested, payment_requested, withdrawn, stopped, processed, returned, or a portal "
        "code 2, 4–10)",
        "dossiers.csv, line 7, column channel: unknown channel 'fax' (expected online, direct or postal)",
    ]
    # then the reasons with their counts, and the closing line
    assert messages[3] == "Problems by reason:"
    assert [m.split(":")[0] for m in messages[4:7]] == [
        "  1 × dossiers.csv, column due_at",
        "  1 × dossiers.csv, column status",
        "  1 × dossiers.csv, column channel",
    ]
    assert messages[-1] == "Nothing was loaded: 2 rows rejected. Fix them and run the import again."
    vi = result.messages()  # Vietnamese first
    assert vi[0].startswith("dossiers.csv, dòng 6, cột due_at: ")
    assert vi[-1] == "Không nạp gì: 2 dòng bị từ chối. Sửa các dòng đó rồi nhập lại."
    assert result.rejected == 2
    first = result.rejections[0]
    assert (first.file, first.line, first.column, first.value) == (
        "dossiers.csv",
        6,
        "due_at",
        "2026-10-19T17:00",
    )


def test_a_long_list_of_problems_is_cut_but_counted(
    tmp_path: Path, empty_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_LISTED", 2)
    bad = [_new("dossiers.csv", dossier_code=f"B{i}", channel="fax") for i in range(5)]
    messages = _import_with(tmp_path, empty_db, "dossiers.csv", bad).messages("en")
    assert messages[0].startswith("dossiers.csv, line 6, column channel: unknown channel 'fax'")
    assert messages[2] == "… and 3 more problems not listed."
    assert messages[3] == "Problems by reason:"  # every problem counted, listed or not
    assert messages[4].startswith("  5 × dossiers.csv, column channel: unknown channel")
    assert messages[-1] == "Nothing was loaded: 5 rows rejected. Fix them and run the import again."


def test_unit_cycle_is_rejected(tmp_path: Path, empty_db: str) -> None:
    rows = [
        _new("units.csv", code="103", parent_code="104"),
        _new("units.csv", code="104", parent_code="103"),
    ]
    result = _import_with(tmp_path, empty_db, "units.csv", rows)
    assert any("cycle in parents: 103 → 104 → 103" in r for r in _reasons_on(result, "units.csv", 8))
    assert any("cycle in parents: 104 → 103 → 104" in r for r in _reasons_on(result, "units.csv", 9))
    assert count(empty_db, "units") == 0


def test_row_with_wrong_number_of_values(tmp_path: Path, empty_db: str) -> None:
    folder = write_folder(tmp_path / "in")
    with (folder / "agencies.csv").open("a", encoding="utf-8") as fh:
        fh.write("X-9,Một cửa lạ\n")
    result = import_folder(folder, empty_db)
    assert [str(r) for r in result.rejections] == ["agencies.csv:8: expected 3 values, found 2"]
    assert count(empty_db, "units") == 0


def test_physical_line_numbers_count_blank_lines_and_quoted_newlines(tmp_path: Path, empty_db: str) -> None:
    folder = write_folder(tmp_path / "in")
    head = ",".join(COLUMNS["procedures.csv"])
    (folder / "procedures.csv").write_text(
        f"{head}\n"
        '1.000001,"Đăng ký khai sinh\n(hai dòng)",Hộ tịch,full,false,3\n'  # lines 2–3
        "\n"  # line 4: blank, skipped
        "1.000002,Cấp giấy phép xây dựng,Xây dựng,partial,true,10\n"  # line 5
        "1.000003,Đăng ký đất đai,Đất đai,level4,true,5\n",  # line 6
        encoding="utf-8",
    )
    result = import_folder(folder, empty_db)
    assert [(r.file, r.line) for r in result.rejections] == [("procedures.csv", 6)]


def test_happy_path_on_every_backend(tmp_path: Path, any_url: str) -> None:
    result = import_folder(write_folder(tmp_path / "in"), any_url)
    assert result.fatal is None and not result.rejected, result.messages()
    assert result.messages("en") == [
        "Loaded 6 units, 6 agencies, 3 procedures, 4 dossiers, 2 feedback items, 3 targets.",
        "Dossiers: 4 new, 0 changed, 0 unchanged.",
    ]
    assert result.messages() == [
        "Đã nạp 6 đơn vị, 6 cơ quan, 3 thủ tục, 4 hồ sơ, 2 phản ánh kiến nghị, 3 chỉ tiêu.",
        "Hồ sơ: 4 mới, 0 thay đổi, 0 không đổi.",
    ]
    counts = {
        t: count(any_url, t) for t in ("units", "agencies", "procedures", "dossiers", "feedback", "targets")
    }
    assert counts == dict(units=6, agencies=6, procedures=3, dossiers=4, feedback=2, targets=3)
    # closure: 6 self rows + 5 parents + 3 grandparents (the communes' province)
    assert count(any_url, "unit_ancestors") == 14
    d = dossiers.c
    rows = query(
        any_url,
        select(d.dossier_code, d.status, d.e_result, d.received_month, d.processing_days, d.received_at)
        .add_columns(d.finished_at, d.paid_online, d.rating, d.supplement_requests)
        .order_by(d.dossier_code),
    )
    d1, d2, d3, d4 = rows
    assert d1[:5] == ("D1", "returned", True, 202610, 2.0)  # Mon 5/10 09:00 → Wed 7/10: 2 working days
    assert d2[1:5] == ("in_progress", None, 202610, None)
    assert d3[1] == "supplement_requested" and d3[9] == 1
    # 02:00Z is 09:00 in Vietnam; 16:00+07:00 stays 16:00; Thu 1/10 → Fri 9/10: 6 working days
    assert d4[5] == dt.datetime(2026, 10, 1, 9, 0) and d4[6] == dt.datetime(2026, 10, 9, 16, 0)
    assert d4[1:5] == ("processed", None, 202610, 6.0) and d4[7] == 1 and d4[8] == "satisfied"
    assert query(any_url, "SELECT level FROM agencies WHERE code = 'X-101'") == [("commune",)]
    p = procedures.c
    assert query(
        any_url,
        select(p.full_process_eligible, p.fee_required, p.time_limit_days, p.time_limit_unit).order_by(
            p.code
        ),
    ) == [
        (True, False, 3.0, "working_days"),
        (False, True, 10.0, "working_days"),
        (False, True, 5.5, "working_days"),
    ]
    assert query(
        any_url, "SELECT unit_code, level, field, value FROM targets WHERE metric = 'online_share'"
    ) == [("", "district", "", 0.5)]
    assert query(any_url, "SELECT handled_at, rating FROM feedback WHERE feedback_code = 'F2'") == [
        (None, None)
    ]
    meta = dict(query(any_url, "SELECT key, value FROM meta"))
    assert "is_sample" not in meta
    assert dt.datetime.fromisoformat(meta["last_import_at"]) <= dt.datetime.now() + dt.timedelta(days=1)


def test_reimport_is_idempotent_and_updates_a_changed_status(tmp_path: Path, any_url: str) -> None:
    folder = write_folder(tmp_path / "in")
    tables = ("units", "unit_ancestors", "agencies", "procedures", "dossiers", "feedback", "targets")
    assert not import_folder(folder, any_url).rejected
    before = {t: count(any_url, t) for t in tables}
    snapshot = query(any_url, select(dossiers).order_by(dossiers.c.dossier_code))
    assert not import_folder(folder, any_url).rejected
    assert {t: count(any_url, t) for t in tables} == before
    assert query(any_url, select(dossiers).order_by(dossiers.c.dossier_code)) == snapshot

    files = base_files()
    files["dossiers.csv"][1].update(status="returned", finished_at="2026-10-22T10:00")  # D2, Tue → Thu
    assert not import_folder(write_folder(tmp_path / "in2", files), any_url).rejected
    assert {t: count(any_url, t) for t in tables} == before
    d = dossiers.c
    assert query(
        any_url, select(d.status, d.finished_at, d.processing_days).where(d.dossier_code == "D2")
    ) == [("returned", dt.datetime(2026, 10, 22, 10, 0), 2.0)]


def _reference_headers_only(folder: Path, dossiers: list[dict[str, str]]) -> Path:
    folder.mkdir(parents=True)
    for name in ("units.csv", "agencies.csv", "procedures.csv"):
        write_csv(folder / name, [])
    write_csv(folder / "dossiers.csv", dossiers)
    return folder


def test_dossiers_only_folder_into_a_database_that_has_the_units(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'existing.sqlite'}"
    build(url, []).dispose()  # tests/builders.py: the same province, no dossiers
    rows = [dossier_row("N1"), dossier_row("N2", unit_code="201", agency_code="X-201", status="2")]
    result = import_folder(_reference_headers_only(tmp_path / "in", rows), url)
    assert result.messages("en") == [
        "Loaded 0 units, 0 agencies, 0 procedures, 2 dossiers.",
        "Dossiers: 2 new, 0 changed, 0 unchanged.",
    ]
    assert count(url, "units") == 6 and count(url, "dossiers") == 2
    assert count(url, "unit_ancestors") == 14  # rebuilt from the units already there
    assert query(url, "SELECT value FROM meta WHERE key = 'is_sample'") == [("0",)]  # left as it was

    # Received at commune 101's desk, handled by district 200's agency (the database's agency):
    # accepted, and counted for 200, the handler's unit; the desk stays 101 (docs/rules.md §A).
    cross = [dossier_row("N3", agency_code="H-200")]
    result = import_folder(_reference_headers_only(tmp_path / "in2", cross), url)
    assert not result.rejections
    assert query(url, "SELECT unit_code, desk_unit_code FROM dossiers WHERE dossier_code = 'N3'") == [
        ("200", "101")
    ]


def test_reimported_units_keep_their_validity_dates(tmp_path: Path, empty_db: str) -> None:
    folder = write_folder(tmp_path / "in")
    assert not import_folder(folder, empty_db).rejected
    engine = make_engine(empty_db, read_only=False)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE units SET valid_to = '2025-06-30' WHERE level = 'district'")
    engine.dispose()
    assert not import_folder(folder, empty_db).rejected
    assert query(empty_db, "SELECT code FROM units WHERE valid_to IS NOT NULL ORDER BY code") == [
        ("100",),
        ("200",),
    ]


def test_header_in_any_order_with_bom(tmp_path: Path, empty_db: str) -> None:
    folder = write_folder(tmp_path / "in")
    write_csv(
        folder / "units.csv",
        base_files()["units.csv"],
        columns=tuple(reversed(COLUMNS["units.csv"])),
        bom=True,
    )
    result = import_folder(folder, empty_db)
    assert not result.rejected and result.fatal is None, result.messages()
    assert count(empty_db, "units") == 6


@pytest.mark.parametrize(
    ("setup", "phrase"),
    [
        (lambda f: (f / "agencies.csv").unlink(), "has no agencies.csv: an import needs"),
        (
            lambda f: write_csv(f / "dossiers.csv", [], columns=(*COLUMNS["dossiers.csv"][:-1], "ratting")),
            "dossiers.csv has a wrong header (unknown column ratting; missing column rating)",
        ),
        (lambda f: (f / "units.csv").write_text(""), "units.csv is empty"),
        (
            lambda f: (f / "units.csv").write_bytes("code,name\nĐ".encode("utf-16")),
            "units.csv, line 1: saved as UTF-16",
        ),
    ],
    ids=["missing file", "wrong header", "empty file", "not utf-8"],
)
def test_fatal_problems_with_the_files(
    tmp_path: Path, empty_db: str, setup: Callable[[Path], object], phrase: str
) -> None:
    folder = write_folder(tmp_path / "in")
    setup(folder)
    result = import_folder(folder, empty_db)
    assert result.fatal and phrase in result.fatal, result.fatal
    assert result.messages("en")[-1] == "Nothing was loaded."
    assert result.messages()[-1] == "Không nạp gì."
    assert count(empty_db, "units") == 0


def test_fatal_missing_folder_and_unreachable_database(tmp_path: Path) -> None:
    result = import_folder(tmp_path / "nowhere", f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert result.fatal == f"Folder {tmp_path / 'nowhere'} does not exist."
    result = import_folder(write_folder(tmp_path / "in"), "postgresql+psycopg://postgres:pw@127.0.0.1:1/none")
    assert result.fatal and result.fatal.startswith(
        "Cannot reach the database postgresql+psycopg://postgres:***@127.0.0.1:1/none"
    )
    assert not (tmp_path / "x.sqlite").exists()


def test_rejected_import_creates_no_database_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    assert _import_with(tmp_path, url, "dossiers.csv", [_new("dossiers.csv", channel="fax")]).rejected
    assert not (tmp_path / "new.sqlite").exists()


def test_cli_exit_codes_and_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    files = base_files()
    files["dossiers.csv"].append(_new("dossiers.csv", status="3"))
    bad = write_folder(tmp_path / "bad", files)
    assert cli.main(["import", str(bad), "--database", url, "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "dossiers.csv, line 6, column status: status 3 (not received) is not a dossier in handling" in err
    assert "Nothing was loaded: 1 row rejected." in err
    assert cli.main(["import", str(bad), "--database", url]) == 1  # Vietnamese by default
    assert "Không nạp gì: 1 dòng bị từ chối." in capsys.readouterr().err

    good = write_folder(tmp_path / "good")
    assert cli.main(["import", str(good), "--database", url, "--lang", "en"]) == 0
    assert "Loaded 6 units, 6 agencies, 3 procedures, 4 dossiers" in capsys.readouterr().out
    assert count(url, "dossiers") == 4

    assert cli.main(["import", str(tmp_path / "nowhere"), "--database", url]) == 1
    assert "không tồn tại" in capsys.readouterr().err


def test_the_portals_published_scores_import_and_bad_rows_are_named(tmp_path: Path, any_url: str) -> None:
    scores = [
        {"unit_code": "101", "period": "2026-10", "group": "progress", "points": "18.5"},
        {"unit_code": "101", "period": "2026-Q3", "group": "transparency", "points": "17"},
    ]
    bad = [
        {"unit_code": "999", "period": "2026-10", "group": "progress", "points": "1"},  # line 4
        {"unit_code": "101", "period": "tháng 10", "group": "progress", "points": "1"},  # line 5
        {"unit_code": "101", "period": "2026-10", "group": "bonus", "points": "1"},  # line 6
        {"unit_code": "101", "period": "2026-10", "group": "online", "points": "13"},  # line 7: > 12
        {"unit_code": "101", "period": "2026-10", "group": "progress", "points": "2"},  # line 8: again
    ]
    folder = write_folder(tmp_path / "bad", {**base_files(), "portal_scores.csv": scores + bad})
    rejected = import_folder(folder, any_url)
    assert rejected.rejected == 5 and not rejected.loaded  # nothing loaded
    lines = {r.line: r.column for r in rejected.rejections if r.file == "portal_scores.csv"}
    assert lines == {4: "unit_code", 5: "period", 6: "group", 7: "points", 8: "unit_code"}
    assert any("kỳ 'tháng 10' không hợp lệ" in m for m in rejected.messages())
    assert any("ngoài khoảng 0–12 của nhóm online" in m for m in rejected.messages())
    done = import_folder(
        write_folder(tmp_path / "good", {**base_files(), "portal_scores.csv": scores}), any_url
    )
    assert done.fatal is None and not done.rejected, done.messages()
    assert "2 điểm chính thức theo nhóm" in done.messages()[0]
    # 2026-10 is 1–31 October; 2026-Q3 is 1 July – 30 September.
    assert sorted(query(any_url, select(portal_scores))) == [
        ("101", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "transparency", 17.0),
        ("101", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "progress", 18.5),
    ]


def test_every_rule_speaks_vietnamese_first(tmp_path: Path, empty_db: str) -> None:
    # A rule of one file (not a shared one): a fee paid online on a dossier without a fee.
    bad = dossier_row("V1", fee_required="false", paid_online="true")
    files = {**base_files(), "dossiers.csv": [bad]}
    result = import_folder(write_folder(tmp_path / "in", files), empty_db)
    vi, en = result.messages(), result.messages("en")
    assert any(
        "paid_online (đã thanh toán trực tuyến) là đúng trong khi fee_required (có phí) là sai" in x
        for x in vi
    )
    assert any("paid_online is true while fee_required is false" in x for x in en)
    assert not any("paid_online is true" in x for x in vi)
