"""The independent synthetic province (bench/province.py): format, attribution, reform, backlog, forms."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from bench.province import write_province

UNTIL = dt.date(2026, 11, 30)
N = 2_000
#: The exchange format's headers (docs/exchange-format.md); units and agencies carry validity dates too.
HEADERS = {
    "units.csv": "code,name,level,parent_code,lat,lon,valid_from,valid_to",
    "agencies.csv": "code,name,unit_code,valid_from,valid_to",
    "procedures.csv": "code,name,field,online_level,fee_required,time_limit_days",
    "dossiers.csv": "dossier_code,procedure_code,agency_code,unit_code,channel,received_at,due_at,"
    "finished_at,status,supplement_requests,supplement_requested_at,fee_required,paid_online,e_result,"
    "digitized,reused_data,rating",
    "feedback.csv": "feedback_code,unit_code,category,channel,received_at,due_at,handled_at,status,rating",
    "targets.csv": "metric,unit_code,level,field,year,value,source",
}


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    csv_dir, nat_dir = tmp_path_factory.mktemp("csv"), tmp_path_factory.mktemp("national")
    counts = write_province(csv_dir, N, 7, UNTIL)
    assert counts["dossiers"] == N
    write_province(nat_dir, N, 7, UNTIL, national=True)
    return csv_dir, nat_dir


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_every_file_has_the_documented_header(forms):
    csv_dir, nat_dir = forms
    for name, header in HEADERS.items():
        first = (csv_dir / name).read_text(encoding="utf-8-sig").splitlines()[0]
        assert first == header, name
    assert not (nat_dir / "dossiers.csv").exists()
    assert (nat_dir / "ratings.csv").read_text(encoding="utf-8").splitlines()[0] == "dossier_code,rating"


def test_many_dossiers_are_handled_outside_the_receiving_unit(forms):
    csv_dir, _ = forms
    dossiers, agencies = _read(csv_dir, "dossiers.csv"), _read(csv_dir, "agencies.csv")
    handler_unit = dossiers["agency_code"].map(agencies.set_index("code")["unit_code"])
    assert handler_unit.notna().all()
    assert (handler_unit != dossiers["unit_code"]).mean() > 0.30


def test_the_two_tier_reform(forms):
    csv_dir, _ = forms
    units, agencies = _read(csv_dir, "units.csv"), _read(csv_dir, "agencies.csv")
    districts = units[units["level"] == "district"]
    assert len(districts) == 12
    assert (districts["valid_to"] == "2025-06-30").all()
    assert (agencies[agencies["code"].str.startswith("UB-")]["valid_to"] == "2025-06-30").all()
    new = units[units["code"].str.startswith("9A")]
    assert 30 <= len(new) <= 50
    assert (new["valid_from"] == "2025-07-01").all() and (new["level"] == "commune").all()
    assert (new["parent_code"] == "90").all()
    old_communes = units[(units["level"] == "commune") & ~units["code"].str.startswith("9A")]
    assert (old_communes["valid_to"] == "2025-06-30").all()


def test_a_backlog_is_open_and_past_due_at_until(forms):
    csv_dir, _ = forms
    d = _read(csv_dir, "dossiers.csv")
    open_ = d["status"].isin(["received", "in_progress", "payment_requested", "supplement_requested"])
    assert (d.loc[open_, "finished_at"] == "").all()
    end_of_until = pd.Timestamp(UNTIL) + pd.Timedelta(days=1)
    past_due = open_ & (pd.to_datetime(d["due_at"]) < end_of_until)
    assert past_due.sum() > 0
    assert (pd.to_datetime(d["received_at"]) < end_of_until).all()


def test_the_national_form_describes_the_same_dossiers(forms):
    csv_dir, nat_dir = forms
    csv_codes = set(_read(csv_dir, "dossiers.csv")["dossier_code"])
    lines = (nat_dir / "dossiers.json").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    registrations = {r["MaHoSo"] for r in records if r["TrangThaiHoSo"] in (1, 3)}
    in_handling = {r["MaHoSo"] for r in records if r["TrangThaiHoSo"] not in (1, 3)}
    assert registrations and not registrations & csv_codes
    assert in_handling == csv_codes
    assert {r["MaHoSo"] for r in records} == csv_codes | registrations
    assert all("ChuHoSo" in r and "SoCMND" in r for r in records)


def test_the_same_seed_writes_the_same_files(forms, tmp_path):
    csv_dir, _ = forms
    write_province(tmp_path, N, 7, UNTIL)
    for name in HEADERS:
        assert (tmp_path / name).read_bytes() == (csv_dir / name).read_bytes(), name
