"""Real exports, messy as they come: each accepted variant loads exactly the figures of the clean
folder; each refused one names its file, line and column and loads nothing, on SQLite and
PostgreSQL alike. Also units' and agencies' validity dates, and the re-imports that move things
(a unit's level under children, an agency with dossiers) refused unless ``allow_moves``.

Inputs are the folder of ``tests/import_fixtures.py`` rewritten in tmp_path; line numbers are
physical lines (header = 1), so the n-th row (0-based) is on line n + 2.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Column, Table, select

import cli
from data_access.engine import make_engine
from data_access.importer import ImportResult, import_folder
from data_access.queries import unit_counters
from data_access.schema import DIGEST_COLUMNS, agencies, dossiers, units
from data_access.validate import COLUMNS
from tests.import_fixtures import base_files, count, query, write_folder
from timebase.period import month_period

TABLES = ("units", "agencies", "procedures", "dossiers", "feedback", "targets")


@pytest.fixture
def url(row_store_url: str) -> str:
    """SQLite, then PostgreSQL (tests/conftest.py)."""
    return row_store_url


def figures(url: str) -> tuple:
    """Everything an import decides: the rows of every table and the district counters (not the
    dossiers' digests, which say what form each row was read from: data_access.row_digest).
    """
    rows = tuple(
        tuple(query(url, select(*_decided(t)).order_by(*t.primary_key.columns)))
        for t in (units, agencies, dossiers)
    )
    engine = make_engine(url)
    try:
        counters = unit_counters(engine, "district", month_period(2026, 10, dt.datetime(2026, 10, 31, 23)))
    finally:
        engine.dispose()
    return rows, counters.to_dict("list")


def _decided(table: Table) -> list[Column]:
    return [c for c in table.columns if c.name not in DIGEST_COLUMNS]


def write_text(path: Path, files: dict[str, list[dict[str, str]]], sep: str = ",", **kw: str) -> None:
    """Write each file by hand with ``sep``, encoding and line ending in ``kw``."""
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        cols = COLUMNS[name]
        lines = [sep.join(cols), *(sep.join(r[c] for c in cols) for r in rows)]
        end = kw.get("newline", "\n")
        (path / name).write_bytes(
            (end.join(lines) + end + kw.get("tail", "")).encode(kw.get("encoding", "utf-8"), "replace")
        )


def write_xlsx(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...], typed: bool = True) -> None:
    """A spreadsheet of ``rows``; times become Excel datetimes and counts numbers when ``typed``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        values = []
        for col in columns:
            value: object = row[col]
            if typed and col.endswith("_at") and value and "Z" not in value and "+" not in value:
                value = dt.datetime.fromisoformat(value)
            elif typed and col == "supplement_requests":
                value = int(value)
            values.append(value)
        sheet.append(values)
    for _ in range(3):
        sheet.append([None] * len(columns))  # a spreadsheet's trailing empty rows
    book.save(path)


def ok(result: ImportResult) -> None:
    assert result.fatal is None and not result.rejections, result.messages("en")


@pytest.fixture
def clean_figures(tmp_path: Path) -> tuple:
    """The figures of the clean folder, loaded into SQLite."""
    target = f"sqlite:///{tmp_path / 'clean.sqlite'}"
    ok(import_folder(write_folder(tmp_path / "clean"), target))
    return figures(target)


def _semicolons_bom_crlf(folder: Path) -> None:
    write_text(folder, base_files(), sep=";", encoding="utf-8-sig", newline="\r\n")


def _spaces_and_empty_rows(folder: Path) -> None:
    files = base_files()
    for row in files["dossiers.csv"]:
        for col in ("dossier_code", "unit_code", "agency_code", "procedure_code"):
            row[col] = f"  {row[col]} "
    for row in files["units.csv"]:
        row["parent_code"] = f" {row['parent_code']}\t" if row["parent_code"] else ""
    write_text(folder, files, tail=",,,,,\n,,,,,\n")
    with (folder / "dossiers.csv").open("a") as fh:
        fh.write("," * 16 + "\n" + "," * 16 + "\n")


def _xlsx(folder: Path) -> None:
    write_folder(folder)
    (folder / "dossiers.csv").unlink()
    (folder / "units.csv").unlink()
    write_xlsx(folder / "dossiers.xlsx", base_files()["dossiers.csv"], COLUMNS["dossiers.csv"])
    write_xlsx(folder / "units.xlsx", base_files()["units.csv"], COLUMNS["units.csv"], typed=False)


def _nfd(folder: Path) -> None:
    files = base_files()
    for row in files["units.csv"] + files["agencies.csv"]:
        row["name"] = unicodedata.normalize("NFD", row["name"])
    write_folder(folder, files)


@pytest.mark.parametrize(
    "make",
    [_semicolons_bom_crlf, _spaces_and_empty_rows, _xlsx, _nfd],
    ids=["semicolon-bom-crlf", "spaces-empty-rows", "xlsx", "nfd"],
)
def test_messy_exports_load_the_clean_figures(
    tmp_path: Path, url: str, clean_figures: tuple, make: Callable[[Path], None]
) -> None:
    folder = tmp_path / "messy"
    make(folder)
    ok(import_folder(folder, url))
    assert figures(url) == clean_figures
    names = [r[0] for r in query(url, "SELECT name FROM units") + query(url, "SELECT name FROM agencies")]
    assert all(unicodedata.is_normalized("NFC", n) for n in names) and "Tỉnh Thử" in names


def _refused(result: ImportResult, url: str) -> None:
    assert result.rejected or result.fatal
    assert not result.loaded
    if not url.startswith("sqlite") or Path(url.removeprefix("sqlite:///")).exists():
        for table in TABLES:
            assert query(url, f"SELECT COUNT(*) FROM {table}")[0][0] == 0 if _has(url, table) else True


def _has(url: str, table: str) -> bool:
    try:
        count(url, table)
        return True
    except Exception:
        return False


def _fatal_at(result: ImportResult) -> tuple[str, int, str] | None:
    return result.fatal_at


def test_unclosed_quote_in_any_file_is_refused(tmp_path: Path, url: str) -> None:
    folder = write_folder(tmp_path / "in")
    text = (folder / "targets.csv").read_text().splitlines()
    text[1] = text[1].replace("Thanh Hóa", '"Thanh Hóa', 1)  # line 2: the source opens a quote
    (folder / "targets.csv").write_text("\n".join(text) + "\n")
    result = import_folder(folder, url)
    assert result.fatal_at == ("targets.csv", 2, "source"), result.fatal
    assert "quote" in result.fatal and "ngoặc kép" in result.fatal_vi
    _refused(result, url)


def test_another_encoding_is_refused_with_file_line_and_hint(tmp_path: Path, url: str) -> None:
    folder = write_folder(tmp_path / "in")
    rows = base_files()["agencies.csv"]
    rows[0]["name"] = "Văn Đăng ký"  # ă and Đ exist in Windows-1258: bytes that are not UTF-8
    write_text(folder, {"agencies.csv": rows}, encoding="cp1258")
    result = import_folder(folder, url)
    assert result.fatal_at == ("agencies.csv", 2, "name"), result.fatal
    assert "lưu lại dạng UTF-8" in result.fatal_vi and "not UTF-8" in result.fatal
    _refused(result, url)


def test_nul_bytes_are_refused(tmp_path: Path, url: str) -> None:
    folder = write_folder(tmp_path / "in")
    raw = (folder / "procedures.csv").read_bytes().replace("Hộ tịch".encode(), b"H\x00")
    (folder / "procedures.csv").write_bytes(raw)
    result = import_folder(folder, url)
    assert result.fatal_at == ("procedures.csv", 2, "field"), result.fatal
    _refused(result, url)


def _reject(tmp_path: Path, url: str, change: Callable[[dict], None]) -> ImportResult:
    files = base_files()
    change(files)
    return import_folder(write_folder(tmp_path / "in", files), url)


def _at(result: ImportResult) -> set[tuple[str, int, str]]:
    return {(r.file, r.line, r.column) for r in result.rejections}


REFUSED_ROWS = [
    ("ansi", lambda f: f["units.csv"][0].update(name="T?nh Th?"), ("units.csv", 2, "name"), "ANSI"),
    (
        "too long",
        lambda f: f["agencies.csv"][1].update(name="Một cửa " * 30),
        ("agencies.csv", 3, "name"),
        "more than the 200 the database allows",
    ),
    (
        "too long code",
        lambda f: f["dossiers.csv"][1].update(dossier_code="H" * 65),
        ("dossiers.csv", 3, "dossier_code"),
        "65 characters long, more than the 64",
    ),
    (
        "two provinces",
        lambda f: f["units.csv"].append(dict(f["units.csv"][0], code="71", name="Tỉnh Khác")),
        ("units.csv", 8, "code"),
        "a second province '71'",
    ),
    (
        "missing parent",
        lambda f: f["units.csv"][1].update(parent_code=""),
        ("units.csv", 3, "parent_code"),
        "a district unit needs a parent_code",
    ),
    (
        "invisible",
        lambda f: f["dossiers.csv"][0].update(agency_code="X-101\u200b"),
        ("dossiers.csv", 2, "agency_code"),
        "invisible character U+200B",
    ),
    (
        "nbsp",
        lambda f: f["units.csv"][3].update(parent_code="\u00a0100"),
        ("units.csv", 5, "parent_code"),
        "invisible character U+00A0",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "phrase"), [c[1:] for c in REFUSED_ROWS], ids=[c[0] for c in REFUSED_ROWS]
)
def test_refused_rows_name_file_line_column_on_both_backends(
    tmp_path: Path, url: str, change: Callable[[dict], None], where: tuple[str, int, str], phrase: str
) -> None:
    result = _reject(tmp_path, url, change)
    assert where in _at(result), result.messages("en")
    assert any(phrase in r.reason for r in result.rejections), result.messages("en")
    _refused(result, url)


def test_hints_for_plain_causes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"

    def change(f: dict) -> None:
        f["dossiers.csv"][1].update(received_at="20/10/2026 09:00")
        f["dossiers.csv"][2].update(unit_code="102\ufeff")
        f["units.csv"][4].update(name="X? M?t B")

    messages = _reject(tmp_path, url, change).messages()
    joined = "\n".join(messages)
    assert "dossiers.csv, dòng 3, cột received_at:" in joined
    assert "Gợi ý:" in joined and "dd/mm/yyyy" in joined and "ký tự vô hình" in joined and "ANSI" in joined
    assert "Tóm tắt lỗi:" in joined
    assert "lỗi" not in messages[-1] and messages[-1].startswith("Không nạp gì: 3 dòng bị từ chối")
    english = "\n".join(_reject(tmp_path / "en", url, change).messages("en"))
    assert "Hints:" in english and "dd/mm/yyyy" in english and "U+FEFF" in english


def test_semicolon_header_mismatch_gets_a_hint(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in")
    text = (folder / "units.csv").read_text().splitlines()
    text[0] = text[0].replace(",", ";", 2)  # a header half in ';' (sniffed as ',')
    (folder / "units.csv").write_text("\n".join(text) + "\n")
    result = import_folder(folder, f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert result.fatal and "wrong header" in result.fatal and "separator" in result.fatal
    assert "dấu phân cách" in result.fatal_vi


# Validity dates (units and agencies) ------------------------------------------------------------


def _with_validity(files: dict, **dates: tuple[str, str]) -> dict:
    for name in ("units.csv", "agencies.csv"):
        for row in files[name]:
            row["valid_from"], row["valid_to"] = dates.get(row["code"], ("", ""))
    return files


def _write_with_validity(folder: Path, files: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_folder(folder, {k: v for k, v in files.items() if k not in ("units.csv", "agencies.csv")})
    for name in ("units.csv", "agencies.csv"):
        cols = (*COLUMNS[name], "valid_from", "valid_to")
        lines = [",".join(cols), *(",".join(r[c] for c in cols) for r in files[name])]
        (folder / name).write_text("\n".join(lines) + "\n")
    return folder


def test_validity_columns_are_read_kept_and_replaced(tmp_path: Path, url: str) -> None:
    dates = {
        "100": ("2000-01-01", "2025-06-30"),
        "H-100": ("2000-01-01", "2025-06-30"),
        "S-1": ("2025-07-01", ""),
    }
    ok(import_folder(_write_with_validity(tmp_path / "a", _with_validity(base_files(), **dates)), url))
    expected = [("100", dt.date(2000, 1, 1), dt.date(2025, 6, 30))]
    u, a = units.c, agencies.c
    has_dates = u.valid_from.isnot(None) | u.valid_to.isnot(None)
    assert query(url, select(u.code, u.valid_from, u.valid_to).where(has_dates)) == expected
    a_dates = select(a.code, a.valid_from, a.valid_to).where(a.valid_from.isnot(None)).order_by(a.code)
    assert query(url, a_dates) == [
        ("H-100", dt.date(2000, 1, 1), dt.date(2025, 6, 30)),
        ("S-1", dt.date(2025, 7, 1), None),
    ]
    ok(import_folder(write_folder(tmp_path / "b"), url))  # no validity columns: the dates are kept
    assert query(url, select(u.code, u.valid_from, u.valid_to).where(has_dates)) == expected
    assert len(query(url, a_dates)) == 2
    ok(
        import_folder(_write_with_validity(tmp_path / "c", _with_validity(base_files())), url)
    )  # columns, empty
    assert query(url, select(u.code).where(has_dates)) == [] and query(url, a_dates) == []


@pytest.mark.parametrize(
    ("dates", "where", "phrase"),
    [
        (
            {"100": ("2025-07-01", "2025-06-30")},
            ("units.csv", 3, "valid_to"),
            "valid_to '2025-06-30' is before",
        ),
        ({"H-100": ("01/07/2025", "")}, ("agencies.csv", 3, "valid_from"), "bad date for valid_from"),
    ],
)
def test_bad_validity_dates_are_rejected(
    tmp_path: Path, url: str, dates: dict, where: tuple[str, int, str], phrase: str
) -> None:
    result = import_folder(_write_with_validity(tmp_path / "in", _with_validity(base_files(), **dates)), url)
    assert where in _at(result) and any(phrase in r.reason for r in result.rejections), result.messages("en")
    _refused(result, url)


# Re-imports that move things ---------------------------------------------------------------------


def test_level_change_under_children_is_refused_unless_allowed(tmp_path: Path, url: str) -> None:
    ok(import_folder(write_folder(tmp_path / "a"), url))
    files = base_files()
    files["units.csv"][2].update(level="province", parent_code="")  # 200 has commune 201 below it
    files["units.csv"][0].update(level="province")
    folder = write_folder(tmp_path / "b", files)
    result = import_folder(folder, url)
    assert ("units.csv", 4, "level") in _at(result), result.messages("en")
    assert any(
        "changes level from district to province while it has 1 child units" in r.reason
        for r in result.rejections
    )
    assert "--allow-moves" in "\n".join(result.messages())


def test_agency_move_is_refused_then_allowed_with_reattribution(tmp_path: Path, url: str) -> None:
    ok(import_folder(write_folder(tmp_path / "a"), url))
    before = query(url, "SELECT dossier_code, unit_code FROM dossiers WHERE agency_code = 'X-101'")
    assert before == [("D1", "101"), ("D2", "101")]
    files = {name: rows for name, rows in base_files().items() if name != "dossiers.csv"}
    files["dossiers.csv"] = []
    files["agencies.csv"][3]["unit_code"] = "102"  # X-101 moves to commune 102
    folder = write_folder(tmp_path / "b", files)
    result = import_folder(folder, url)
    assert ("agencies.csv", 5, "unit_code") in _at(result), result.messages("en")
    assert any(
        "agency 'X-101' already has dossiers and moves from unit 101 to 102" in r.reason
        for r in result.rejections
    )
    assert query(url, "SELECT unit_code FROM agencies WHERE code = 'X-101'") == [("101",)]

    allowed = import_folder(folder, url, allow_moves=True)
    ok(allowed)
    assert [(m.agency_code, m.old_unit, m.new_unit) for m in allowed.moved_agencies] == [
        ("X-101", "101", "102")
    ]
    assert allowed.reattributed == 2
    assert "must be rebuilt" in allowed.messages("en")[-1]
    after = query(
        url, "SELECT dossier_code, unit_code, desk_unit_code FROM dossiers WHERE agency_code = 'X-101'"
    )
    assert sorted(after) == [("D1", "102", "101"), ("D2", "102", "101")]  # the desk stays


def test_cli_allow_moves_and_lang(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert cli.main(["import", str(write_folder(tmp_path / "a")), "--database", url]) == 0
    assert capsys.readouterr().out.startswith("Đã nạp 6 đơn vị")
    files = base_files()
    files["agencies.csv"][3]["unit_code"] = "102"
    files["dossiers.csv"] = []
    folder = write_folder(tmp_path / "b", files)
    assert cli.main(["import", str(folder), "--database", url, "--lang", "en"]) == 1
    assert "use --allow-moves if intended" in capsys.readouterr().err
    assert cli.main(["import", str(folder), "--database", url, "--allow-moves", "--lang", "en"]) == 0
    assert "X-101 101 → 102" in capsys.readouterr().out
