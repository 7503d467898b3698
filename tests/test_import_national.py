"""The national portal's sync records imported as they are (JSON array, JSON lines, a CSV with the
portal's header) load exactly the rows and figures of the same dossiers written in our CSV;
registrations (status 1) and refusals to receive (3) are skipped and counted, not rejected; no
personal field ever reaches the database; ratings come from ratings.csv in either language.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest

from data_access.importer import import_folder
from tests.import_fixtures import base_files, dossier_row, query, write_csv, write_folder
from tests.test_import_messy import figures, ok

FAKE_NAME = "Nguyễn Thị Giả Định"


@pytest.fixture
def url(row_store_url: str) -> str:
    """SQLite, then PostgreSQL (tests/conftest.py)."""
    return row_store_url


# The base dossiers with every flag explicit (the portal's records always say true or false).
OURS = [
    dossier_row(
        "D1", channel="online", received_at="2026-10-05T09:00", due_at="2026-10-08T17:00",
        finished_at="2026-10-07T10:00", status="returned", e_result="true", rating="very_satisfied",
    ),
    dossier_row("D2"),
    dossier_row(
        "D3", unit_code="102", agency_code="X-102", status="supplement_requested", supplement_requests="2",
        supplement_requested_at="2026-10-21T09:00", digitized="true", reused_data="true",
    ),
    dossier_row(
        "D4", procedure_code="1.000002", agency_code="H-100", unit_code="100", received_at="2026-10-01T09:00",
        due_at="2026-10-15T17:00", finished_at="2026-10-09T16:00", status="processed", fee_required="true",
        paid_online="true", rating="satisfied",
    ),
    # Received at commune 201's desk, handled by the province's department S-1.
    dossier_row("D5", agency_code="S-1", unit_code="201", channel="postal", status="in_progress"),
]  # fmt: skip
for _row in OURS:
    for _col in ("e_result", "digitized", "reused_data"):
        _row[_col] = _row[_col] or "false"


def _portal_time(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%Y%m%d%H%M%S") if iso else ""


def portal_record(row: dict[str, str]) -> dict:
    """``row`` as the portal sends it, with personal and unknown fields beside."""
    record = {
        "MaHoSo": row["dossier_code"],
        "MaTTHC": row["procedure_code"],
        "TenTTHC": "Tên thủ tục",
        "DonViXuLy": row["agency_code"],
        "NoiNopHoSo": row["unit_code"],
        "NgayTiepNhan": _portal_time(row["received_at"]),
        "NgayHenTra": _portal_time(row["due_at"]),
        "NgayKetThucXuLy": _portal_time(row["finished_at"]),
        "TrangThaiHoSo": {"returned": 10, "processed": 9, "supplement_requested": 5, "in_progress": 4}[
            row["status"]
        ],
        "ChuHoSo": FAKE_NAME,
        "SoGiayToChuHoSo": "079123456789",
        "DiaChiThuongTru": "12 đường Giả, phường Thử",
        "TruongLa": {"bất kỳ": [1, 2]},
        "DuocThanhToanTrucTuyen": 1 if row["paid_online"] == "true" else 0,
        "HoSoCoThanhPhanSoHoa": 1 if row["digitized"] == "true" else 0,
        "TaiLieuNop": [{"TepDinhKemId": "x", "DuocTaiSuDung": 1 if row["reused_data"] == "true" else 0}],
        "DanhSachLePhi": [{"Gia": 50000 if row["fee_required"] == "true" else 0}],
        "DanhSachGiayToKetQua": [{"DuongDanTepTinKetQua": "/kq/1.pdf" if row["e_result"] == "true" else ""}],
        "QuaTrinhXuLy": [{"TrangThai": 4, "ThoiDiemXuLy": _portal_time(row["received_at"])}],
    }
    if row["channel"] != "direct":  # a direct dossier's channel left out: the portal counts it direct
        record["KenhThucHien"] = {"online": 2, "postal": 3}[row["channel"]]
    if row["status"] == "supplement_requested":
        record["QuaTrinhXuLy"] += [
            {"TrangThai": 5, "ThoiDiemXuLy": "20261020150000"},
            {"TrangThai": "5", "ThoiDiemXuLy": _portal_time(row["supplement_requested_at"])},
        ]
    return record


def records() -> list[dict]:
    """Every dossier of OURS, plus a registration (1) and two dossiers not received (3)."""
    extra = [dict(portal_record(OURS[1]), MaHoSo=f"R{i}", TrangThaiHoSo=s) for i, s in enumerate((1, 3, "3"))]
    return [portal_record(r) for r in OURS] + extra


def ratings_rows() -> list[dict[str, str]]:
    # Vietnamese words, one decomposed (NFD) and shouted: both must be read.
    return [
        {"dossier_code": "D1", "rating": "Rất hài lòng"},
        {"dossier_code": "D4", "rating": unicodedata.normalize("NFD", "HÀI LÒNG")},
    ]


def _folder(path: Path) -> Path:
    files = {k: v for k, v in base_files().items() if k != "dossiers.csv"}
    write_folder(path, files)
    return path


def _without_ratings(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [dict(r, rating="") for r in rows]


@pytest.fixture
def ours(tmp_path: Path) -> tuple:
    """The figures of OURS written in our dossiers.csv (loaded into SQLite)."""
    folder = _folder(tmp_path / "ours")
    write_csv(folder / "dossiers.csv", OURS)
    target = f"sqlite:///{tmp_path / 'ours.sqlite'}"
    ok(import_folder(folder, target))
    return figures(target)


def _json_array(folder: Path) -> None:
    (folder / "dossiers.json").write_text(
        json.dumps(records(), ensure_ascii=False, indent=2), encoding="utf-8"
    )


def _json_lines(folder: Path) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in records()]
    (folder / "dossiers.json").write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def _csv_header_form(folder: Path) -> None:
    recs = records()
    fields = list(dict.fromkeys(k for r in recs for k in r))
    with (folder / "dossiers.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, delimiter=";")
        writer.writeheader()
        for r in recs:
            writer.writerow(
                {
                    k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                    for k, v in r.items()
                }
            )


@pytest.mark.parametrize(
    "make", [_json_array, _json_lines, _csv_header_form], ids=["json-array", "json-lines", "csv"]
)
def test_national_records_load_the_same_rows_and_figures(tmp_path: Path, url: str, ours: tuple, make) -> None:
    folder = _folder(tmp_path / "national")
    make(folder)
    write_csv(folder / "ratings.csv", ratings_rows())
    result = import_folder(folder, url)
    ok(result)
    assert result.loaded["dossiers"] == 5
    assert result.skipped == {"1": 1, "3": 2}
    assert (
        "Skipped 3 records that are not dossiers in handling "
        "(1 status 1 registered, 2 status 3 not received)." in result.messages("en")
    )
    assert figures(url) == ours
    assert query(url, "SELECT unit_code, desk_unit_code FROM dossiers WHERE dossier_code = 'D5'") == [
        ("70", "201")
    ]


def test_personal_data_is_never_stored(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "national")
    _json_lines(folder)
    database = tmp_path / "db.sqlite"
    ok(import_folder(folder, f"sqlite:///{database}"))
    raw = database.read_bytes()
    for secret in (FAKE_NAME, "079123456789", "12 đường Giả"):
        assert secret.encode() not in raw
        assert unicodedata.normalize("NFD", secret).encode() not in raw


def test_csv_form_without_nested_lists_reads_the_flags_false(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "national")
    header = (
        "MaHoSo,MaTTHC,DonViXuLy,NoiNopHoSo,KenhThucHien,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,"
        "TrangThaiHoSo,ChuHoSo"
    )
    (folder / "dossiers.csv").write_text(
        f"{header}\nN1,1.000001,X-101,101,,20261020090000,20261023170000,,4,{FAKE_NAME}\n"
        f"N2,1.000001,X-101,101,2,20261020090000,20261023170000,20261022100000,10,{FAKE_NAME}\n",
        encoding="utf-8",
    )
    target = f"sqlite:///{tmp_path / 'db.sqlite'}"
    ok(import_folder(folder, target))
    assert query(
        target,
        "SELECT dossier_code, channel, status, fee_required, paid_online, e_result, digitized, reused_data, "
        "supplement_requests FROM dossiers ORDER BY dossier_code",
    ) == [("N1", "direct", "in_progress", 0, 0, 0, 0, 0, 0), ("N2", "online", "returned", 0, 0, 0, 0, 0, 0)]


def test_bad_national_records_are_rejected_by_their_line_and_field(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "national")
    bad = [portal_record(OURS[1]), dict(portal_record(OURS[0]), NgayTiepNhan="05/10/2026", KenhThucHien=7)]
    (folder / "dossiers.json").write_text("\n".join(json.dumps(r) for r in bad) + "\n")
    write_csv(folder / "ratings.csv", [{"dossier_code": "D9", "rating": "Tuyệt"}])
    result = import_folder(folder, f"sqlite:///{tmp_path / 'db.sqlite'}")
    where = {(r.file, r.line, r.column) for r in result.rejections}
    assert {("dossiers.json", 2, "NgayTiepNhan"), ("dossiers.json", 2, "KenhThucHien")} <= where
    assert {("ratings.csv", 2, "dossier_code"), ("ratings.csv", 2, "rating")} <= where
    assert not result.loaded


def test_broken_json_names_its_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "national")
    good = json.dumps(portal_record(OURS[1]))
    (folder / "dossiers.json").write_text(f'[\n{good},\n{{"MaHoSo": "X",\n]\n')
    result = import_folder(folder, f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert result.fatal_at and result.fatal_at[:2] == ("dossiers.json", 4), result.fatal
    assert "not valid JSON" in result.fatal


def test_our_csv_and_the_portal_json_together_are_refused(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "both")
    _json_array(folder)
    result = import_folder(folder, f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert result.fatal and "dossiers.csv / dossiers.json" in result.fatal


# The supplement log the national steps give (docs/rules.md §1), the D5 case of
# tests/test_supplements.py: received Mon 5/10 09:00, due Thu 8/10 17:00, asked for a supplement
# Tue 6/10 09:00 (step 5), handling resumed Wed 7/10 09:00 (step 4: the citizen's 24 hours),
# processed Fri 9/10 10:00 (step 9) → judged as finished Thu 8/10 10:00, on time.
# S6 was asked on 6/10 09:00 and withdrawn (step 7) on 12/10 08:00: a withdrawal is not a return,
# so its request stays open in the log (no time subtracted from its finish).
STEPS_D5 = dossier_row(
    "D5", received_at="2026-10-05T09:00", due_at="2026-10-08T17:00", finished_at="2026-10-09T10:00",
    status="processed", supplement_requests="1", supplement_requested_at="2026-10-06T09:00",
)  # fmt: skip
STEPS_S6 = dossier_row(
    "S6", received_at="2026-10-05T09:00", due_at="2026-10-08T17:00", finished_at="2026-10-12T08:00",
    status="withdrawn", supplement_requests="1", supplement_requested_at="2026-10-06T09:00",
)  # fmt: skip
for _row in (STEPS_D5, STEPS_S6):
    for _col in ("e_result", "digitized", "reused_data"):
        _row[_col] = _row[_col] or "false"
STEPS_LOG = [
    {"dossier_code": "D5", "requested_at": "2026-10-06T09:00", "returned_at": "2026-10-07T09:00"},
    {"dossier_code": "S6", "requested_at": "2026-10-06T09:00", "returned_at": ""},
]


def _stepped(row: dict[str, str], steps: list[tuple[int, str]]) -> dict:
    record = portal_record({**row, "status": "processed"})
    record["TrangThaiHoSo"] = {"processed": 9, "withdrawn": 7}[row["status"]]
    record["QuaTrinhXuLy"] = [{"TrangThai": s, "ThoiDiemXuLy": _portal_time(t)} for s, t in steps]
    return record


def _stepped_records(resume_d5: str = "2026-10-07T09:00") -> list[dict]:
    d5 = _stepped(
        STEPS_D5,
        [(4, "2026-10-05T09:00"), (5, "2026-10-06T09:00"), (4, resume_d5), (9, "2026-10-09T10:00")],
    )
    s6 = _stepped(STEPS_S6, [(4, "2026-10-05T09:00"), (5, "2026-10-06T09:00"), (7, "2026-10-12T08:00")])
    return [portal_record(r) for r in OURS if r["dossier_code"] != "D5"] + [d5, s6]


def test_the_national_steps_give_the_supplement_log(tmp_path: Path, url: str) -> None:
    from data_access.portal_records import supplement_log

    assert supplement_log(_stepped_records()[-2]["QuaTrinhXuLy"]) == "2026-10-06T09:00:00|2026-10-07T09:00:00"
    assert supplement_log(_stepped_records()[-1]["QuaTrinhXuLy"]) == "2026-10-06T09:00:00|"
    # Our CSV with supplements.csv holding the same log: the reference figures.
    ours_dir = _folder(tmp_path / "ours")
    others = [r for r in OURS if r["dossier_code"] != "D5"]
    write_csv(ours_dir / "dossiers.csv", [*others, STEPS_D5, STEPS_S6])
    write_csv(ours_dir / "supplements.csv", STEPS_LOG)
    ours_url = f"sqlite:///{tmp_path / 'ours.sqlite'}"
    ok(import_folder(ours_dir, ours_url))
    national = _folder(tmp_path / "national")
    (national / "dossiers.json").write_text(json.dumps(_stepped_records()), encoding="utf-8")
    write_csv(national / "ratings.csv", ratings_rows())
    ok(import_folder(national, url))
    assert figures(url) == figures(ours_url)
    judged = (
        "SELECT dossier_code, judged_finish_at FROM dossiers WHERE dossier_code IN ('D5', 'S6') ORDER BY 1"
    )
    got = [(code, str(at)[:16] if at else None) for code, at in query(url, judged)]
    assert got == [("D5", "2026-10-08 10:00"), ("S6", None)]
    # A newer export where D5's handling resumed a day later (8/10 09:00: 48 hours with the
    # citizen → judged 7/10 10:00) is a change of D5 alone.
    newer = json.dumps(_stepped_records("2026-10-08T09:00"))
    (national / "dossiers.json").write_text(newer, encoding="utf-8")
    again = import_folder(national, url)
    ok(again)
    assert (again.new, again.changed) == (0, 1)
    got = [(code, str(at)[:16] if at else None) for code, at in query(url, judged)]
    assert got == [("D5", "2026-10-07 10:00"), ("S6", None)]
