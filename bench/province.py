"""A synthetic province written the way a real province's export looks, independent of sample_data/.

    python -m bench.province OUT_DIR [--dossiers 1000000] [--seed 7] [--until 2026-11-30] [--national]

Writes units.csv, agencies.csv, procedures.csv, dossiers.csv, feedback.csv and targets.csv in the
exchange format of docs/exchange-format.md (units and agencies with ``valid_from``/``valid_to``),
or, with ``--national``, the national portal's sync records as ``dossiers.json`` (JSON lines) and
``ratings.csv`` instead of dossiers.csv. It shares no code with the project's own sample generator
on purpose, so an import or a figure that only works on the sample's habits shows up here.

What differs from the sample, as real exports differ:

- "Tỉnh Thử Nghiệm" (code 90): 12 districts with 6–14 communes each until 30/6/2025, then the
  two-tier reform: districts, their People's Committees and the old communes end on 30/6/2025,
  about 40 merged communes (9A001…) start on 1/7/2025 directly under the province.
- The agency that handles a dossier is often not at the desk that received it: commune desks
  receive for the district (liên thông), district and commune desks for provincial departments,
  and from 1/7/2025 any desk receives for any commune (Decree 118/2025).
- A real backlog at ``--until``: dossiers stuck past due, waiting for supplements, awaiting payment,
  a dip and a late-rate spike around the reform, a long tail of ~450 procedures.
- Booleans of dossiers.csv are written 1/0, the small reference files carry a UTF-8 BOM (an Excel
  export), procedure and unit names contain commas and diacritics.

``--until`` is the last day of the data: every received, finished or requested time falls on or
before it (due times may lie after it), and "open" means open at the end of that day. The same
seed and size describe the same dossiers in both forms, so the CSV and the national import can be
compared figure by figure: dossiers are drawn in fixed chunks whose random streams do not depend
on the output form, and the national form only adds a few registrations with status 1 or 3
(not dossiers in handling).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import itertools
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

START = np.datetime64("2023-01-01")
REFORM = np.datetime64("2025-07-01")
OLD_END = "2025-06-30"
NEW_START = "2025-07-01"
PROVINCE = "90"
PROVINCE_NAME = "Tỉnh Thử Nghiệm"
#: Dossiers drawn per random stream; fixed so that a seed means the same dossiers in every form.
CHUNK = 100_000
TEXT_SLICE = 25_000
SEC = np.timedelta64(1, "s")
DAY_S = 86_400
OFFICE_OPEN, LUNCH_FROM, LUNCH_TO, OFFICE_CLOSE = 7 * 3600 + 1800, 11 * 3600 + 1800, 13 * 3600, 17 * 3600
AFTER = 15 * 3600  # received after 15:00: the clock starts on the next working day
#: Share of all dossiers stuck open at --until (before the land multiplier), mostly recent ones.
STUCK, STUCK_DAYS = 0.02, 120.0

HEADERS: dict[str, list[str]] = {
    name: columns.split()
    for name, columns in {
        "units.csv": "code name level parent_code lat lon valid_from valid_to",
        "agencies.csv": "code name unit_code valid_from valid_to",
        "procedures.csv": "code name field online_level fee_required time_limit_days",
        "dossiers.csv": "dossier_code procedure_code agency_code unit_code channel received_at due_at "
        "finished_at status supplement_requests supplement_requested_at fee_required paid_online e_result "
        "digitized reused_data rating",
        "feedback.csv": "feedback_code unit_code category channel received_at due_at handled_at status "
        "rating",
        "targets.csv": "metric unit_code level field year value source",
    }.items()
}
DOSSIER_COLUMNS = HEADERS["dossiers.csv"]

DISTRICTS = [
    ("Thị xã", "An Lộc", 11.62, 106.58),
    ("Thị xã", "Tân Thành", 11.50, 106.86),
    ("Huyện", "Đồng Tâm", 11.28, 106.30),
    ("Huyện", "Phú Hòa", 11.18, 106.55),
    ("Huyện", "Bình Minh", 11.85, 106.40),
    ("Huyện", "Hưng Phước", 11.93, 106.72),
    ("Huyện", "Tân Lập", 11.40, 106.12),
    ("Huyện", "Long Điền", 11.08, 106.80),
    ("Huyện", "Thạnh Mỹ", 11.72, 106.95),
    ("Huyện", "Suối Đá", 11.36, 106.64),
    ("Huyện", "Đắk Ơ", 11.96, 106.96),
    ("Huyện", "Minh Hưng", 11.55, 106.36),
]
#: Syllables of the made-up commune names.
SYLLABLES = (
    "An Bình Tân Phú Long Thạnh Hòa Minh Phước Đồng Lộc Thuận Hưng Quang Thành Mỹ Đức Nghĩa Hiệp Vĩnh",
    "Lợi Hưng Tiến Phát Khánh Bình Lập Thịnh An Phong Điền Lộc Trung Đông Tây Nam Bắc Hà Sơn Tài",
)

#: The provincial departments, agency codes SO-01 … SO-20 in this order.
DEPARTMENTS = [
    "Sở Tư pháp",
    "Sở Tài nguyên và Môi trường",
    "Sở Xây dựng",
    "Sở Kế hoạch và Đầu tư",
    "Sở Công Thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Giao thông vận tải",
    "Sở Lao động – Thương binh và Xã hội",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Thông tin và Truyền thông",
    "Sở Khoa học và Công nghệ",
    "Sở Ngoại vụ",
    "Sở Dân tộc và Tôn giáo",
    "Sở Du lịch",
    "Sở Quy hoạch – Kiến trúc",
    "Sở An toàn thực phẩm",
]


@dataclass(frozen=True)
class Field:
    """A field (lĩnh vực): its department, how its procedures split by tier, and their traits."""

    name: str
    department: int  # index into DEPARTMENTS
    tiers: tuple[float, float, float]  # share of procedures handled by province / district / commune
    count: int
    volume: float  # relative dossier volume of the field
    limits: tuple[int, int]
    fee: float
    online: tuple[float, float, float]  # full / partial / none
    late: float  # multiplier of the late rate


VERBS = (
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Điều chỉnh",
    "Gia hạn",
    "Đăng ký",
    "Xác nhận",
    "Thẩm định",
    "Phê duyệt",
    "Công nhận",
    "Thu hồi",
    "Chấp thuận",
)
FIELDS = [
    Field("Hộ tịch", 0, (0.1, 0.3, 0.6), 25, 18, (1, 5), 0.3, (0.6, 0.35, 0.05), 0.5),
    Field("Chứng thực", 0, (0.0, 0.4, 0.6), 10, 14, (1, 2), 0.9, (0.3, 0.3, 0.4), 0.3),
    Field("Tư pháp", 0, (0.7, 0.2, 0.1), 25, 3, (3, 15), 0.4, (0.4, 0.4, 0.2), 1.0),
    Field("Đất đai", 1, (0.35, 0.5, 0.15), 45, 16, (10, 30), 0.8, (0.15, 0.6, 0.25), 4.0),
    Field("Môi trường", 1, (0.7, 0.25, 0.05), 20, 1, (10, 30), 0.5, (0.3, 0.5, 0.2), 1.5),
    Field("Xây dựng", 2, (0.6, 0.4, 0.0), 25, 4, (7, 20), 0.7, (0.3, 0.5, 0.2), 2.0),
    Field("Đầu tư", 3, (0.95, 0.05, 0.0), 25, 1, (10, 30), 0.3, (0.4, 0.5, 0.1), 1.5),
    Field("Kinh doanh", 3, (0.6, 0.4, 0.0), 30, 6, (3, 15), 0.5, (0.6, 0.35, 0.05), 0.8),
    Field("Công Thương", 4, (0.8, 0.2, 0.0), 25, 2, (5, 20), 0.7, (0.4, 0.4, 0.2), 1.0),
    Field("Giáo dục", 5, (0.6, 0.3, 0.1), 30, 3, (5, 20), 0.2, (0.4, 0.4, 0.2), 0.8),
    Field("Y tế", 6, (0.9, 0.1, 0.0), 30, 3, (5, 30), 0.8, (0.3, 0.5, 0.2), 1.2),
    Field("Giao thông vận tải", 7, (0.9, 0.1, 0.0), 25, 5, (3, 10), 0.9, (0.5, 0.4, 0.1), 0.6),
    Field("Lao động – Thương binh và Xã hội", 8, (0.5, 0.3, 0.2), 35, 6, (5, 20), 0.1, (0.4, 0.4, 0.2), 1.0),
    Field("Nông nghiệp", 9, (0.7, 0.2, 0.1), 25, 2, (5, 20), 0.6, (0.3, 0.5, 0.2), 1.0),
    Field("Tài chính", 10, (1.0, 0.0, 0.0), 8, 0.5, (5, 20), 0.3, (0.3, 0.5, 0.2), 1.0),
    Field("Nội vụ", 11, (0.6, 0.3, 0.1), 15, 0.8, (5, 30), 0.1, (0.3, 0.5, 0.2), 1.0),
    Field("Văn hóa, Thể thao và Du lịch", 12, (0.7, 0.2, 0.1), 20, 1, (5, 20), 0.5, (0.3, 0.5, 0.2), 1.0),
    Field("Thông tin và Truyền thông", 13, (0.9, 0.1, 0.0), 10, 0.4, (5, 15), 0.4, (0.5, 0.4, 0.1), 1.0),
    Field("Khoa học và Công nghệ", 14, (1.0, 0.0, 0.0), 8, 0.3, (10, 30), 0.5, (0.4, 0.5, 0.1), 1.0),
    Field("Ngoại vụ", 15, (1.0, 0.0, 0.0), 4, 0.1, (5, 15), 0.2, (0.3, 0.5, 0.2), 1.0),
    Field("Dân tộc, Tôn giáo", 16, (0.6, 0.3, 0.1), 8, 0.3, (5, 30), 0.0, (0.2, 0.5, 0.3), 1.0),
    Field("Du lịch", 17, (1.0, 0.0, 0.0), 5, 0.2, (5, 15), 0.6, (0.4, 0.5, 0.1), 1.0),
    Field("Quy hoạch – Kiến trúc", 18, (0.7, 0.3, 0.0), 6, 0.5, (10, 30), 0.3, (0.2, 0.5, 0.3), 2.0),
    Field("An toàn thực phẩm", 19, (0.6, 0.3, 0.1), 6, 0.8, (5, 15), 0.8, (0.4, 0.5, 0.1), 1.0),
]
#: The objects of each field's procedure names ("Cấp" + "giấy phép xây dựng"), separated by "; ".
OBJECTS = {
    "Hộ tịch": (
        "khai sinh; kết hôn; khai tử; giám hộ; nhận cha, mẹ, con; thay đổi, cải chính hộ tịch; khai sinh "
        "có yếu tố nước ngoài; tình trạng hôn nhân; trích lục hộ tịch"
    ),
    "Chứng thực": "bản sao từ bản chính; chữ ký; hợp đồng, giao dịch; việc sửa đổi, bổ sung hợp đồng",
    "Tư pháp": (
        "phiếu lý lịch tư pháp; thẻ công chứng viên; giấy đăng ký hoạt động văn phòng công chứng; chứng "
        "chỉ hành nghề luật sư; tư cách hòa giải viên thương mại"
    ),
    "Đất đai": (
        "giấy chứng nhận quyền sử dụng đất; biến động đất đai; chuyển mục đích sử dụng đất; tách thửa, "
        "hợp thửa đất; giao đất, cho thuê đất; đính chính giấy chứng nhận; chuyển nhượng quyền sử dụng "
        "đất; thế chấp quyền sử dụng đất"
    ),
    "Môi trường": (
        "giấy phép môi trường; kế hoạch bảo vệ môi trường; báo cáo đánh giá tác động môi trường; phương "
        "án cải tạo, phục hồi môi trường"
    ),
    "Xây dựng": (
        "giấy phép xây dựng; chứng chỉ hành nghề hoạt động xây dựng; thiết kế cơ sở; báo cáo nghiên cứu "
        "khả thi; nghiệm thu công trình"
    ),
    "Đầu tư": (
        "chủ trương đầu tư; giấy chứng nhận đăng ký đầu tư; dự án đầu tư; ưu đãi đầu tư; bảo đảm thực "
        "hiện dự án"
    ),
    "Kinh doanh": (
        "đăng ký doanh nghiệp; hộ kinh doanh; chi nhánh, văn phòng đại diện; hợp tác xã; thay đổi nội "
        "dung đăng ký kinh doanh"
    ),
    "Công Thương": (
        "giấy phép bán lẻ rượu; giấy phép kinh doanh xăng dầu; khuyến mại; hóa chất; cửa hàng bán lẻ sản "
        "phẩm thuốc lá"
    ),
    "Giáo dục": (
        "văn bằng, chứng chỉ; hoạt động giáo dục; trường mầm non tư thục; chuyển trường; cơ sở giáo dục "
        "nghề nghiệp"
    ),
    "Y tế": (
        "chứng chỉ hành nghề khám bệnh, chữa bệnh; giấy phép hoạt động phòng khám; cơ sở bán lẻ thuốc; "
        "chứng chỉ hành nghề dược; giấy chứng nhận đủ điều kiện kinh doanh dược"
    ),
    "Giao thông vận tải": (
        "giấy phép lái xe; phù hiệu xe; giấy phép kinh doanh vận tải; biển số xe máy chuyên dùng; giấy "
        "phép lưu hành xe quá tải"
    ),
    "Lao động – Thương binh và Xã hội": (
        "trợ cấp xã hội hằng tháng; chế độ người có công; giấy phép lao động cho người nước ngoài; trợ "
        "cấp thất nghiệp; hộ nghèo, hộ cận nghèo; mai táng phí"
    ),
    "Nông nghiệp": (
        "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản; kiểm dịch động vật; "
        "giống cây trồng; phân bón; khai thác thủy sản"
    ),
    "Tài chính": "mã số đơn vị có quan hệ với ngân sách; giá tài sản; quyết toán dự án hoàn thành",
    "Nội vụ": "thi đua, khen thưởng; hội, quỹ; tổ chức tôn giáo cơ sở; thành lập thôn, tổ dân phố",
    "Văn hóa, Thể thao và Du lịch": (
        "giấy phép tổ chức lễ hội; karaoke, vũ trường; gia đình văn hóa; câu lạc bộ thể thao"
    ),
    "Thông tin và Truyền thông": "giấy phép xuất bản bản tin; đại lý internet; trò chơi điện tử công cộng",
    "Khoa học và Công nghệ": "hoạt động khoa học và công nghệ; chuyển giao công nghệ; thiết bị X-quang",
    "Ngoại vụ": "tổ chức hội nghị, hội thảo quốc tế; thẻ ABTC",
    "Dân tộc, Tôn giáo": "người có uy tín; sinh hoạt tôn giáo tập trung; hoạt động tín ngưỡng",
    "Du lịch": "thẻ hướng dẫn viên du lịch; giấy phép kinh doanh dịch vụ lữ hành; hạng cơ sở lưu trú",
    "Quy hoạch – Kiến trúc": "quy hoạch chi tiết; thông tin quy hoạch; chứng chỉ quy hoạch",
    "An toàn thực phẩm": "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm; bản công bố sản phẩm",
}
ONLINE_LEVELS = ("full", "partial", "none")
STATUS_CODE = {
    "received": 2,
    "in_progress": 4,
    "supplement_requested": 5,
    "payment_requested": 6,
    "withdrawn": 7,
    "stopped": 8,
    "processed": 9,
    "returned": 10,
}
CHANNELS = np.array(["direct", "online", "postal"], dtype=object)
CHANNEL_CODE = np.array(["1", "2", "3"], dtype=object)
RATINGS = np.array(["", "very_satisfied", "satisfied", "unsatisfied"], dtype=object)
RATINGS_VI = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "unsatisfied": "Không hài lòng"}
FEES = np.array([10_000, 20_000, 30_000, 50_000, 100_000, 200_000, 500_000])
TET = ("2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26")
#: Fake names for the national records' ChuHoSo (never to be stored).
NAME_PARTS: dict[str, list[str]] = {
    part: words.split()
    for part, words in {
        "surname": "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý",
        "middle": "Văn Thị Hữu Minh Thanh Ngọc Đức Quốc Thu Hoài",
        "given": "An Bình Chi Dũng Hà Hải Hạnh Hùng Hương Khánh Lan Linh Long Mai Nam Nga Phúc Quân Tâm Thảo "
        "Trang Tuấn Vy Yến",
    }.items()
}
NAMES = len(NAME_PARTS["surname"]) * len(NAME_PARTS["middle"]) * len(NAME_PARTS["given"])


@dataclass
class World:
    """The province's fixed data, and the arrays the dossier draw indexes into."""

    units: pd.DataFrame
    agencies: pd.DataFrame
    procedures: pd.DataFrame
    unit_codes: np.ndarray
    agency_codes: np.ndarray
    agency_prefix: np.ndarray  # dossier-code prefix of each agency
    agency_late: np.ndarray  # multiplier of the late rate of each agency
    agency_new: np.ndarray  # the agency is a merged commune's (from 1/7/2025)
    old_commune_unit: np.ndarray  # unit index of each old commune
    old_commune_district: np.ndarray  # district number (0–11) of each old commune
    old_commune_agency: np.ndarray
    old_commune_p: np.ndarray
    district_unit: np.ndarray
    district_agency: np.ndarray
    district_online: np.ndarray  # multiplier of the online share by area
    new_commune_unit: np.ndarray
    new_commune_district: np.ndarray
    new_commune_agency: np.ndarray
    new_commune_p: np.ndarray
    proc_tier: np.ndarray
    proc_department: np.ndarray  # agency index of the department of the procedure's field
    proc_limit: np.ndarray
    proc_fee: np.ndarray
    proc_fee_amount: np.ndarray
    proc_online: np.ndarray  # 0 full, 1 partial, 2 none
    proc_late: np.ndarray
    proc_supplement: np.ndarray
    proc_weight: np.ndarray


def _unit(code: str, name: str, level: str, parent: str, lat: float, lon: float, valid: tuple) -> dict:
    return {
        "code": code,
        "name": name,
        "level": level,
        "parent_code": parent,
        "lat": round(lat, 4),
        "lon": round(lon, 4),
        "valid_from": valid[0],
        "valid_to": valid[1],
    }


def _agency(code: str, name: str, unit_code: str, valid: tuple) -> dict:
    return {"code": code, "name": name, "unit_code": unit_code, "valid_from": valid[0], "valid_to": valid[1]}


def _names(rng: np.random.Generator, n: int) -> list[str]:
    pool = [f"{a} {b}" for a in SYLLABLES[0].split() for b in SYLLABLES[1].split() if a != b]
    return [pool[i] for i in rng.permutation(len(pool))[:n]]


def build_world(seed: int) -> World:
    """Units, agencies and procedures of the province (the same for a seed, whatever the size)."""
    rng = np.random.default_rng([seed, 900_001])
    always, old, new = ("", ""), ("", OLD_END), (NEW_START, "")
    units = [_unit(PROVINCE, PROVINCE_NAME, "province", "", 11.551, 106.652, always)]
    agencies = [_agency(f"SO-{i + 1:02d}", name, PROVINCE, always) for i, name in enumerate(DEPARTMENTS)]
    sizes = rng.integers(6, 15, len(DISTRICTS))
    names = iter(_names(rng, int(sizes.sum())))
    district_unit, district_agency = [], []
    oc_unit, oc_district, oc_agency, oc_p, oc_name, oc_ll = [], [], [], [], [], []
    for d, ((kind, name, lat, lon), size) in enumerate(zip(DISTRICTS, sizes, strict=True)):
        code = f"9{d + 1:02d}"
        district_unit.append(len(units))
        district_agency.append(len(agencies))
        units.append(_unit(code, f"{kind} {name}", "district", PROVINCE, lat, lon, old))
        agencies.append(_agency(f"UB-{code}", f"Ủy ban nhân dân {kind.lower()} {name}", code, old))
        weight = rng.lognormal(0, 0.6)
        for j in range(size):
            ccode = f"{code}{j + 1:02d}"
            if kind == "Thị xã":
                ckind = "Phường" if j < size * 0.6 else "Xã"
            else:
                ckind = "Thị trấn" if j == 0 else "Xã"
            cname = next(names)
            clat, clon = lat + rng.normal(0, 0.045), lon + rng.normal(0, 0.045)
            oc_unit.append(len(units))
            oc_district.append(d)
            oc_agency.append(len(agencies))
            oc_p.append(weight * rng.lognormal(0, 0.5) * (2.0 if ckind != "Xã" else 1.0))
            oc_name.append((ckind, cname))
            oc_ll.append((clat, clon))
            units.append(_unit(ccode, f"{ckind} {cname}", "commune", code, clat, clon, old))
            agencies.append(_agency(f"UBX-{ccode}", f"Ủy ban nhân dân {ckind.lower()} {cname}", ccode, old))
    # The merged communes: about three old communes each, within one former district.
    oc_district_a = np.array(oc_district)
    oc_p_a = np.array(oc_p)
    nc_unit, nc_district, nc_agency, nc_p = [], [], [], []
    seq = 0
    for d, (kind, name, _, _) in enumerate(DISTRICTS):
        members = np.flatnonzero(oc_district_a == d)
        groups = np.array_split(members[rng.permutation(len(members))], max(1, round(len(members) / 3)))
        for g, group in enumerate(groups):
            seq += 1
            code = f"9A{seq:03d}"
            ckind = "Phường" if kind == "Thị xã" else "Xã"
            cname = name if g == 0 else oc_name[group[np.argmax(oc_p_a[group])]][1]
            lat = float(np.mean([oc_ll[i][0] for i in group]))
            lon = float(np.mean([oc_ll[i][1] for i in group]))
            nc_unit.append(len(units))
            nc_district.append(d)
            nc_agency.append(len(agencies))
            nc_p.append(float(oc_p_a[group].sum()))
            units.append(_unit(code, f"{ckind} {cname}", "commune", PROVINCE, lat, lon, new))
            agencies.append(_agency(f"UBX-{code}", f"Ủy ban nhân dân {ckind.lower()} {cname}", code, new))
    units_f = pd.DataFrame(units)
    agencies_f = pd.DataFrame(agencies)
    agency_codes = agencies_f["code"].to_numpy(object)
    prefix = np.array(["H90." + c.replace("-", "") for c in agency_codes], dtype=object)
    agency_late = rng.lognormal(0, 0.45, len(agencies_f))
    agency_new = agencies_f["valid_from"].eq(NEW_START).to_numpy()

    procs = _procedures(rng)
    dept = procs.pop("_department").to_numpy()
    return World(
        units=units_f,
        agencies=agencies_f,
        procedures=procs.drop(columns=[c for c in procs if c.startswith("_")]),
        unit_codes=units_f["code"].to_numpy(object),
        agency_codes=agency_codes,
        agency_prefix=prefix,
        agency_late=agency_late,
        agency_new=agency_new,
        old_commune_unit=np.array(oc_unit),
        old_commune_district=oc_district_a,
        old_commune_agency=np.array(oc_agency),
        old_commune_p=oc_p_a / oc_p_a.sum(),
        district_unit=np.array(district_unit),
        district_agency=np.array(district_agency),
        district_online=rng.lognormal(0, 0.22, len(DISTRICTS)),
        new_commune_unit=np.array(nc_unit),
        new_commune_district=np.array(nc_district),
        new_commune_agency=np.array(nc_agency),
        new_commune_p=np.array(nc_p) / np.sum(nc_p),
        proc_tier=procs["_tier"].to_numpy(),
        proc_department=dept,
        proc_limit=procs["time_limit_days"].to_numpy(np.int64),
        proc_fee=procs["fee_required"].eq("true").to_numpy(),
        proc_fee_amount=procs["_fee_amount"].to_numpy(),
        proc_online=procs["online_level"].map({lv: i for i, lv in enumerate(ONLINE_LEVELS)}).to_numpy(),
        proc_late=procs["_late"].to_numpy(),
        proc_supplement=procs["_supplement"].to_numpy(),
        proc_weight=procs["_weight"].to_numpy(),
    )


def _procedures(rng: np.random.Generator) -> pd.DataFrame:
    """About 450 procedures with a long tail of volume; fields, tiers and traits from FIELDS."""
    total = sum(f.count for f in FIELDS)
    n1 = int(total * 0.7)
    codes = [f"1.0{k:05d}" for k in rng.choice(100_000, n1, replace=False)]
    codes += [f"2.00{k:04d}" for k in rng.choice(10_000, total - n1, replace=False)]
    codes = [codes[i] for i in rng.permutation(total)]
    rows = []
    for field in FIELDS:
        verbs = (
            ("Đăng ký", "Đăng ký lại", "Cấp bản sao trích lục", "Ghi vào sổ việc")
            if field.name == "Hộ tịch"
            else ("Chứng thực",)
            if field.name == "Chứng thực"
            else VERBS
        )
        combos = [f"{v} {o}" for o in OBJECTS[field.name].split("; ") for v in verbs]
        order = rng.permutation(len(combos))
        rank_w = 1.0 / np.arange(1, field.count + 1) ** 1.3
        tiers = rng.choice(3, field.count, p=np.array(field.tiers) / sum(field.tiers))
        for i in range(field.count):
            name = combos[order[i % len(combos)]]
            if i >= len(combos):
                name += f" (trường hợp {i // len(combos) + 1})"
            lo, hi = field.limits
            rows.append(
                {
                    "code": codes[len(rows)],
                    "name": name,
                    "field": field.name,
                    "online_level": ONLINE_LEVELS[rng.choice(3, p=field.online)],
                    "fee_required": "true" if rng.random() < field.fee else "false",
                    "time_limit_days": int(rng.integers(lo, hi + 1)),
                    "_tier": int(tiers[i]),
                    "_department": field.department,
                    "_fee_amount": int(rng.choice(FEES)),
                    "_late": field.late,
                    "_supplement": 2.0 if field.late >= 2 else 1.0,
                    "_weight": field.volume * rank_w[i] / rank_w.sum(),
                }
            )
    return pd.DataFrame(rows)


def _day_weights(until: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
    """Every day from START to ``until`` and its expected share of the dossiers."""
    days = np.arange(START, until + 1, dtype="datetime64[D]")
    years = (days - START).astype(np.int64) / 365.25
    w = 1.0 + 0.45 * years
    dow = (days.astype(np.int64) + 3) % 7  # 0 = Monday
    w *= np.array([1.18, 1.0, 1.0, 0.98, 0.9, 0.12, 0.07])[dow]
    for tet in TET:
        off = (days - np.datetime64(tet)).astype(np.int64)
        w *= np.where((off >= -10) & (off < 0), 1.3, 1.0)
        w *= np.where((off >= 0) & (off < 7), 0.05, 1.0)
        w *= np.where((off >= 7) & (off < 11), 0.8, 1.0)
    off = (days - REFORM).astype(np.int64)
    w *= np.where((off >= -15) & (off < 0), 1.15, 1.0) * np.where((off >= 0) & (off < 14), 0.55, 1.0)
    month = days.astype("datetime64[M]").astype(np.int64) % 12
    w *= np.where(month == 11, 1.1, 1.0)
    return days, np.cumsum(w) / w.sum()


def _recent_share(days: np.ndarray, cdf: np.ndarray) -> float:
    """The volume-weighted mean of exp(-age / STUCK_DAYS): scales the backlog to any period."""
    share = np.diff(cdf, prepend=0.0)
    return float(np.sum(share * np.exp(-(days[-1] - days).astype(np.int64) / STUCK_DAYS)))


def _office_time(rng: np.random.Generator, n: int) -> np.ndarray:
    morning = rng.random(n) < 0.55
    return np.where(
        morning, rng.integers(OFFICE_OPEN, LUNCH_FROM, n), rng.integers(LUNCH_TO, OFFICE_CLOSE, n)
    )


def _at(days: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[s]") + seconds.astype(np.int64) * SEC


def _draw(
    world: World,
    rng: np.random.Generator,
    first: int,
    n: int,
    total: int,
    days: np.ndarray,
    cdf: np.ndarray,
    now: np.datetime64,
) -> dict[str, np.ndarray]:
    """Dossiers ``first`` … ``first + n - 1`` of ``total``, in order of receipt, as arrays."""
    w = world
    until_day = now.astype("datetime64[D]")
    # Days by stratified quantiles: dossier k falls at the (k + u)/total point of the volume curve,
    # so the codes grow with time across chunks.
    q = (first + np.arange(n) + rng.random(n)) / total
    day = days[np.minimum(np.searchsorted(cdf, q), len(days) - 1)]
    post = day >= REFORM

    # Where it is received, who handles it, what is asked.
    oc = rng.choice(len(w.old_commune_p), n, p=w.old_commune_p)
    nc = rng.choice(len(w.new_commune_p), n, p=w.new_commune_p)
    nc_other = rng.choice(len(w.new_commune_p), n, p=w.new_commune_p)
    r1, r2, r3 = rng.random(n), rng.random(n), rng.random(n)
    district = np.where(post, w.new_commune_district[nc], w.old_commune_district[oc])
    # pre: A 35 % commune desk → district; B 20 % department, district/commune desk; C where received
    tier = np.where(r1 < 0.35, 1, np.where(r1 < 0.55, 0, np.where(r2 < 0.55, 2, np.where(r2 < 0.8, 1, 0))))
    tier_post = np.where(r1 < 0.25, 0, 2)  # the district's procedures went to the communes
    tier = np.where(post, tier_post, tier)
    proc = np.empty(n, dtype=np.int64)
    for pool_tiers, mask in (
        ((0,), tier == 0),
        ((1,), (tier == 1) & ~post),
        ((2,), (tier == 2) & ~post),
        ((1, 2), (tier == 2) & post),
    ):
        pool = np.flatnonzero(np.isin(w.proc_tier, pool_tiers))
        p = w.proc_weight[pool] / w.proc_weight[pool].sum()
        proc[mask] = pool[rng.choice(len(pool), int(mask.sum()), p=p)]
    agency = np.where(
        tier == 0,
        w.proc_department[proc],
        np.where(
            post,
            w.new_commune_agency[nc],
            np.where(tier == 1, w.district_agency[district], w.old_commune_agency[oc]),
        ),
    )
    unit_pre = np.where(
        r1 < 0.35,
        w.old_commune_unit[oc],
        np.where(
            r1 < 0.55,
            np.where(r3 < 0.4, w.district_unit[district], w.old_commune_unit[oc]),
            np.where(tier == 2, w.old_commune_unit[oc], np.where(tier == 1, w.district_unit[district], 0)),
        ),
    )
    unit_post = np.where(
        tier == 0,
        np.where(r3 < 0.45, 0, w.new_commune_unit[nc]),
        np.where(r3 < 0.83, w.new_commune_unit[nc], np.where(r3 < 0.93, w.new_commune_unit[nc_other], 0)),
    )
    unit = np.where(post, unit_post, unit_pre)

    # Channel, then the time of receipt; desks are closed at weekends.
    years = (day - START).astype(np.int64) / 365.25
    level = w.proc_online[proc]
    p_online = (
        np.clip(0.22 + 0.16 * years, 0, 0.82) * np.array([1.1, 0.7, 0.0])[level] * w.district_online[district]
    )
    rc = rng.random(n)
    channel = np.where(rc < p_online, 1, np.where(rc > 0.975, 2, 0))
    shut = (channel != 1) & ~np.is_busday(day)
    fwd = np.busday_offset(day, 0, roll="forward")
    back = np.busday_offset(day, 0, roll="backward")
    day = np.where(shut, np.where((fwd <= until_day) | (back < START), fwd, back), day)
    hours = np.array([1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 6, 4, 6, 8, 8, 7, 6, 6, 7, 7, 6, 4, 2], dtype=float)
    online_s = rng.choice(24, n, p=hours / hours.sum()) * 3600 + rng.integers(0, 3600, n)
    tod = np.where(channel == 1, online_s, _office_time(rng, n))
    received = _at(day, tod)
    order = np.lexsort((received,))
    received, day, tod = received[order], day[order], tod[order]
    proc, agency, unit, channel, district, post, years = (
        a[order] for a in (proc, agency, unit, channel, district, post, years)
    )

    # Due date: the legal limit in working days from receipt (from the next working day after 15:00).
    limit = w.proc_limit[proc]
    bus = np.is_busday(day)
    late_in_day = (tod >= AFTER) | ~bus
    start = np.where(late_in_day, np.busday_offset(day, np.where(bus, 1, 0), roll="forward"), day)
    due_day = np.busday_offset(start, limit, roll="forward")
    in_hours = ~late_in_day & (tod >= OFFICE_OPEN) & (tod <= OFFICE_CLOSE)
    keep_time = in_hours & (rng.random(n) < 0.5)
    due0 = _at(due_day, np.where(keep_time, tod, OFFICE_CLOSE))

    # The agency's own processing: early / on time, or late; a stuck backlog never finishes.
    spike = np.where(w.agency_new[agency] & (day < np.datetime64("2025-11-01")), 3.0, 1.0)
    spike = np.where(~post & (day >= np.datetime64("2025-06-01")), 2.0, spike)
    p_late = np.clip(0.022 * w.proc_late[proc] * w.agency_late[agency] * spike, 0, 0.6)
    late = rng.random(n) < p_late
    u = rng.beta(1.4, 2.2, n)
    used = np.floor(u * (limit + 1)).astype(np.int64)
    on_time_end = _at(np.busday_offset(start, np.minimum(used, limit), roll="forward"), _office_time(rng, n))
    on_time_end = np.maximum(received + 600 * SEC, np.minimum(on_time_end, due0))
    late_end = _at(np.busday_offset(due_day, rng.geometric(0.3, n), roll="forward"), _office_time(rng, n))
    base_end = np.where(late, late_end, on_time_end)
    span = base_end - received

    # Supplement requests: the citizen's waiting time moves the end and extends the due time.
    ps = 0.08 * w.proc_supplement[proc]
    rs = rng.random(n)
    n_sup = np.where(rs < ps * 0.16, 2, np.where(rs < ps, 1, 0))
    # Most citizens bring the missing papers within days; some take weeks.
    slow = rng.random(n) < 0.2
    wait1 = (rng.exponential(np.where(slow, 45, 5) * DAY_S, n) + 3600).astype(np.int64) * SEC
    wait2 = (rng.exponential(4 * DAY_S, n) + 3600).astype(np.int64) * SEC
    a1 = rng.uniform(0.1, 0.6, n)
    a2 = rng.uniform(0, 1, n) * (0.95 - a1) + a1
    req1 = received + (span * a1).astype("timedelta64[s]")
    req2 = received + (span * a2).astype("timedelta64[s]") + wait1
    waits = np.where(n_sup >= 1, wait1, 0 * SEC) + np.where(n_sup >= 2, wait2, 0 * SEC)
    end = base_end + waits

    age = (until_day - day).astype(np.int64)
    recent = np.exp(-age / STUCK_DAYS) / _recent_share(days, cdf)
    p_stuck = STUCK * recent * np.where(w.proc_late[proc] >= 2, 2.0, 1.0) + 0.0012
    stuck = rng.random(n) < np.clip(p_stuck, 0, 0.9)
    end = np.where(stuck, now + 3650 * DAY_S * SEC, end)
    gone = stuck & (rng.random(n) < 0.5)  # the citizen never answered the latest request
    wait1 = np.where(gone & (n_sup == 1), 3650 * DAY_S * SEC, wait1)
    wait2 = np.where(gone & (n_sup == 2), 3650 * DAY_S * SEC, wait2)
    finished = end <= now

    # State at the end of --until.
    had1 = (n_sup >= 1) & (req1 <= now)
    had2 = (n_sup >= 2) & (req2 <= now)
    wait_now = ~finished & ((had1 & ~had2 & (now < req1 + wait1)) | (had2 & (now < req2 + wait2)))
    done1 = had1 & ((~wait_now) | had2)
    done2 = had2 & ~wait_now
    sup_count = had1.astype(np.int64) + had2
    sup_at = np.where(had2, req2, np.where(had1, req1, np.datetime64("NaT")))
    due = due0 + np.where(done1, wait1, 0 * SEC) + np.where(done2, wait2, 0 * SEC)
    due_d = due.astype("datetime64[D]")
    due = np.where(np.is_busday(due_d), due, due + (np.busday_offset(due_d, 0, roll="forward") - due_d))

    rx = rng.random(n)
    fee = w.proc_fee[proc] & (rng.random(n) > 0.08)
    exit_kind = np.where(rx < 0.015, 8, np.where(rx < 0.025, 7, 9))  # stopped, withdrawn, processed
    fresh = (now - received) < DAY_S * SEC
    ro = rng.random(n)
    open_status = np.where(~had1 & ((fresh & (ro < 0.7)) | (ro < 0.04)), 2, np.where(fee & (ro > 0.7), 6, 4))
    e_res_p = np.clip(0.38 + 0.17 * years, 0, 0.93) * np.where(channel == 1, 1.15, 0.9)
    e_result = finished & (exit_kind == 9) & (rng.random(n) < e_res_p)
    handed = _at(
        np.busday_offset(end.astype("datetime64[D]"), rng.geometric(0.5, n) - 1, roll="forward"),
        _office_time(rng, n),
    )
    returned_at = np.where(e_result & (channel == 1), end, np.maximum(handed, end + 900 * SEC))
    returned = finished & (exit_kind == 9) & (returned_at <= now) & (rng.random(n) < 0.9)
    status = np.where(
        finished,
        np.where(returned, 10, exit_kind),
        np.where(wait_now, 5, open_status),
    )
    paid = (
        fee
        & (status != 6)
        & (rng.random(n) < np.where(channel == 1, 0.75, np.clip(0.1 + 0.1 * years, 0, 0.5)))
    )
    digitized = rng.random(n) < np.clip(0.28 + 0.18 * years, 0, 0.92)
    reused = rng.random(n) < np.where(digitized, np.clip(0.5 + 0.1 * years, 0, 0.85), 0.04)
    rated = finished & (exit_kind == 9) & (rng.random(n) < np.where(channel == 1, 0.25, 0.12))
    unhappy = rng.random(n) < np.where(late | (n_sup > 1), 0.35, 0.05)
    rating = np.where(rated, np.where(unhappy, 3, np.where(rng.random(n) < 0.62, 1, 2)), 0)

    # Steps the national record lists (QuaTrinhXuLy).
    first_event = np.where(had1, req1, np.where(finished, end, now))
    step4 = received + np.minimum(
        (first_event - received) * 0.05, rng.integers(300, 4 * 3600, n) * SEC
    ).astype("timedelta64[s]")
    started = status != 2
    last = np.maximum.reduce(
        [received, np.where(done1, req1 + wait1, received), np.where(done2, req2 + wait2, received)]
    )
    pay_at = last + ((now - last) * 0.5).astype("timedelta64[s]")
    out = {
        "k": first + np.arange(n),
        "proc": proc,
        "agency": agency,
        "unit": unit,
        "channel": channel,
        "received": received,
        "due": due,
        "end": np.where(finished, end, np.datetime64("NaT")),
        "status": status,
        "sup_count": sup_count,
        "sup_at": sup_at,
        "req1": req1,
        "req2": req2,
        "had1": had1,
        "had2": had2,
        "back1": np.where(done1, req1 + wait1, np.datetime64("NaT")),
        "back2": np.where(done2, req2 + wait2, np.datetime64("NaT")),
        "step4": np.where(started, step4, np.datetime64("NaT")),
        "pay_at": pay_at,
        "returned_at": returned_at,
        "fee": fee,
        "paid": paid,
        "e_result": e_result,
        "digitized": digitized,
        "reused": reused,
        "rating": rating,
        "fee_amount": w.proc_fee_amount[proc],
        "pay_gateway": rng.random(n) < 0.4,
        "docs": rng.integers(1, 4, n),
        "kho": rng.random(n),
        "zero_fee": ~fee & (rng.random(n) < 0.05),
        "name": rng.integers(0, NAMES, n),
        "id_no": rng.integers(0, 10**11, n),
    }
    # A few registrations that never became dossiers in handling (portal status 1 and 3).
    m = int(rng.binomial(n, 0.003))
    pick = rng.integers(0, n, m)
    out["reg"] = {
        "k": np.arange(m),
        "proc": proc[pick],
        "agency": agency[pick],
        "unit": unit[pick],
        "submitted": received[pick] - (rng.integers(1, 72, m) * 3600) * SEC,
        "status": np.where(rng.random(m) < 0.5, 1, 3),
        "name": rng.integers(0, NAMES, m),
        "id_no": rng.integers(0, 10**11, m),
    }
    out["reg"]["refused"] = np.minimum(out["reg"]["submitted"] + (rng.integers(1, 48, m) * 3600) * SEC, now)
    return out


# -- text ---------------------------------------------------------------------------------------


def _iso(t: np.ndarray) -> np.ndarray:
    """ISO local times as an object array; NaT as ''."""
    s = np.datetime_as_string(t.astype("datetime64[s]"), unit="s").astype(object)
    s[np.isnat(t)] = ""
    return s


def _compact(t: np.ndarray) -> np.ndarray:
    """yyyyMMddHHmmss as an object array; NaT as ''."""
    nat = np.isnat(t)
    t = np.where(nat, np.datetime64("2000-01-01T00:00:00"), t).astype("datetime64[s]")
    day = t.astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    year = month.astype("datetime64[Y]")
    sec = (t - day).astype(np.int64)
    number = (
        (year.astype(np.int64) + 1970) * 10**10
        + (month.astype(np.int64) % 12 + 1) * 10**8
        + ((day - month).astype(np.int64) + 1) * 10**6
        + sec // 3600 * 10**4
        + sec % 3600 // 60 * 100
        + sec % 60
    )
    out = number.astype(str).astype(object)
    out[nat] = ""
    return out


def _text(values: np.ndarray) -> np.ndarray:
    return values.astype(str).astype(object)


def _codes(w: World, agency: np.ndarray, received: np.ndarray, tail: np.ndarray) -> np.ndarray:
    uniq, inv = np.unique(received.astype("datetime64[D]"), return_inverse=True)
    short = np.array([str(s)[2:4] + str(s)[5:7] + str(s)[8:10] for s in uniq], dtype=object)
    return w.agency_prefix[agency] + "-" + short[inv] + "-" + tail


def _dossier_codes(w: World, d: dict) -> np.ndarray:
    tail = np.char.zfill(d["k"].astype(str), 7).astype(object)
    return _codes(w, d["agency"], d["received"], tail)


STATUS_NAME = np.array([""] * 11, dtype=object)
for _name, _code in STATUS_CODE.items():
    STATUS_NAME[_code] = _name


def _csv_lines(w: World, d: dict, codes: np.ndarray) -> str:
    """dossiers.csv rows of one chunk (no field needs quoting: codes, times, names of values)."""
    flag = np.array(["0", "1"], dtype=object)
    cols = [
        codes,
        w.procedures["code"].to_numpy(object)[d["proc"]],
        w.agency_codes[d["agency"]],
        w.unit_codes[d["unit"]],
        CHANNELS[d["channel"]],
        _iso(d["received"]),
        _iso(d["due"]),
        _iso(d["end"]),
        STATUS_NAME[d["status"]],
        _text(d["sup_count"]),
        _iso(d["sup_at"]),
        flag[d["fee"].astype(int)],
        flag[d["paid"].astype(int)],
        flag[d["e_result"].astype(int)],
        flag[d["digitized"].astype(int)],
        flag[d["reused"].astype(int)],
        RATINGS[d["rating"]],
    ]
    parts: list[str | np.ndarray] = [cols[0]]
    for c in cols[1:]:
        parts += [",", c]
    return _rows(*parts)


def _rows(*parts: str | np.ndarray) -> str:
    """Lines joined from constant texts and per-row arrays of texts, one join per row."""
    cols = [itertools.repeat(p) if isinstance(p, str) else p.tolist() for p in parts]
    return "".join(["".join(row) + "\n" for row in zip(*cols, strict=False)])


def _step(code: int, t: np.ndarray) -> np.ndarray:
    return '{"TrangThai":' + str(code) + ',"ThoiDiemXuLy":"' + t + '"}'


def _opt(mask: np.ndarray, text: np.ndarray | str) -> np.ndarray:
    return np.where(mask, text, "").astype(object)


@functools.cache
def _all_names() -> np.ndarray:
    parts = NAME_PARTS
    names = [f"{a} {b} {c}" for a in parts["surname"] for b in parts["middle"] for c in parts["given"]]
    return np.array(names, dtype=object)


def _person(index: np.ndarray) -> np.ndarray:
    return _all_names()[index]


def _json_lines(w: World, d: dict, codes: np.ndarray) -> str:
    """The portal's sync records of one chunk, one JSON object a line."""
    st = d["status"]
    finished = ~np.isnat(d["end"])
    rec, due, end = _compact(d["received"]), _compact(d["due"]), _compact(d["end"])
    steps = _step(2, rec)
    steps = steps + _opt(~np.isnat(d["step4"]), "," + _step(4, _compact(d["step4"])))
    steps = steps + _opt(d["had1"], "," + _step(5, _compact(d["req1"])))
    steps = steps + _opt(~np.isnat(d["back1"]), "," + _step(4, _compact(d["back1"])))
    steps = steps + _opt(d["had2"], "," + _step(5, _compact(d["req2"])))
    steps = steps + _opt(~np.isnat(d["back2"]), "," + _step(4, _compact(d["back2"])))
    steps = steps + _opt(st == 6, "," + _step(6, _compact(d["pay_at"])))
    final = np.where(st == 10, 9, st)
    steps = steps + _opt(finished, ',{"TrangThai":' + _text(final) + ',"ThoiDiemXuLy":"' + end + '"}')
    steps = steps + _opt(st == 10, "," + _step(10, _compact(d["returned_at"])))
    fees = np.where(
        d["fee"], '[{"Gia":' + _text(d["fee_amount"]) + "}]", np.where(d["zero_fee"], '[{"Gia":0}]', "[]")
    ).astype(object)
    paid = np.where(d["paid"], np.where(d["pay_gateway"], "2", "1"), "0").astype(object)
    reused = d["reused"].astype(int)
    kho = (d["digitized"] & (d["kho"] < 0.3)).astype(int)
    doc = np.array(
        [f'{{"DuocTaiSuDung":{a},"DuocLayTuKhoDMQG":{b}}}' for a in (0, 1) for b in (0, 1)], dtype=object
    )
    docs = "[" + doc[reused * 2 + kho]
    docs = docs + _opt(d["docs"] >= 2, "," + doc[reused * 2])
    docs = docs + _opt(d["docs"] >= 3, "," + doc[0]) + "]"
    result = np.where(
        d["e_result"],
        '[{"DuongDanTepTinKetQua":"https://dichvucong.thunghiem.gov.vn/ketqua/' + codes + '.pdf"}]',
        np.where(finished & (st >= 9), '[{"DuongDanTepTinKetQua":""}]', "[]"),
    ).astype(object)
    return _rows(
        '{"MaHoSo":"',
        codes,
        '","MaTTHC":"',
        w.procedures["code"].to_numpy(object)[d["proc"]],
        '","DonViXuLy":"',
        w.agency_codes[d["agency"]],
        '","NoiNopHoSo":"',
        w.unit_codes[d["unit"]],
        '","KenhThucHien":',
        CHANNEL_CODE[d["channel"]],
        ',"NgayNopHoSo":"',
        rec,
        '","NgayTiepNhan":"',
        rec,
        '","NgayHenTra":"',
        due,
        '","NgayKetThucXuLy":"',
        end,
        '","TrangThaiHoSo":',
        _text(st),
        ',"QuaTrinhXuLy":[',
        steps,
        '],"DanhSachLePhi":',
        fees,
        ',"DuocThanhToanTrucTuyen":',
        paid,
        ',"HoSoCoThanhPhanSoHoa":',
        _text(d["digitized"].astype(int)),
        ',"TaiLieuNop":',
        docs,
        ',"DanhSachGiayToKetQua":',
        result,
        ',"ChuHoSo":"',
        _person(d["name"]),
        '","SoCMND":"0',
        np.char.zfill(d["id_no"].astype(str), 11).astype(object),
        '","DuLieuMoRong":{"NguonDongBo":"IGATE","PhienBan":"3.2"}}',
    )


def _registration_lines(w: World, r: dict, chunk: int) -> str:
    """Records with status 1 (registered) or 3 (not received): not dossiers in handling."""
    m = len(r["k"])
    if m == 0:
        return ""
    tail = ("R" + f"{chunk:03d}" + np.char.zfill(r["k"].astype(str), 4)).astype(object)
    codes = _codes(w, r["agency"], r["submitted"], tail)
    sub, refused = _compact(r["submitted"]), _compact(r["refused"])
    steps = _step(1, sub) + _opt(r["status"] == 3, "," + _step(3, refused))
    return _rows(
        '{"MaHoSo":"',
        codes,
        '","MaTTHC":"',
        w.procedures["code"].to_numpy(object)[r["proc"]],
        '","DonViXuLy":"',
        w.agency_codes[r["agency"]],
        '","NoiNopHoSo":"',
        w.unit_codes[r["unit"]],
        '","KenhThucHien":2,"NgayNopHoSo":"',
        sub,
        '","NgayTiepNhan":"","NgayHenTra":"","NgayKetThucXuLy":"","TrangThaiHoSo":',
        _text(r["status"]),
        ',"QuaTrinhXuLy":[',
        steps,
        '],"DanhSachLePhi":[],"DuocThanhToanTrucTuyen":0,"HoSoCoThanhPhanSoHoa":0,'
        '"TaiLieuNop":[{"DuocTaiSuDung":0,"DuocLayTuKhoDMQG":0}],"DanhSachGiayToKetQua":[],"ChuHoSo":"',
        _person(r["name"]),
        '","SoCMND":"0',
        np.char.zfill(r["id_no"].astype(str), 11).astype(object),
        '","DuLieuMoRong":{"NguonDongBo":"IGATE","PhienBan":"3.2"}}',
    )


# -- feedback and targets -------------------------------------------------------------------------

FEEDBACK_CATEGORIES = {
    "Thủ tục hành chính": 0.28,
    "Đất đai": 0.22,
    "Môi trường": 0.14,
    "Trật tự xây dựng": 0.12,
    "Hạ tầng giao thông": 0.12,
    "Y tế, giáo dục": 0.07,
    "Thái độ phục vụ": 0.05,
}
FEEDBACK_CHANNELS = {"web": 0.3, "app": 0.3, "zalo": 0.12, "hotline": 0.18, "direct": 0.1}


def _feedback(
    w: World, seed: int, dossiers: int, days: np.ndarray, cdf: np.ndarray, now: np.datetime64
) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 900_002])
    n = max(300, min(6000, dossiers // 250))
    day = days[np.minimum(np.searchsorted(cdf, rng.random(n)), len(days) - 1)]
    day = np.sort(day)
    post = day >= REFORM
    old = rng.choice(len(w.old_commune_p), n, p=w.old_commune_p)
    new = rng.choice(len(w.new_commune_p), n, p=w.new_commune_p)
    r = rng.random(n)
    unit_pre = np.where(
        r < 0.15, 0, np.where(r < 0.5, w.district_unit[w.old_commune_district[old]], w.old_commune_unit[old])
    )
    unit = np.where(post, np.where(r < 0.2, 0, w.new_commune_unit[new]), unit_pre)
    received = _at(day, rng.integers(6 * 3600, 22 * 3600, n))
    due = _at(np.busday_offset(day, 15, roll="forward"), np.full(n, OFFICE_CLOSE))
    late = rng.random(n) < 0.06
    k = np.where(late, 15 + rng.geometric(0.2, n), rng.integers(1, 16, n))
    handled = np.maximum(
        _at(np.busday_offset(day, k, roll="forward"), _office_time(rng, n)), received + 1800 * SEC
    )
    done = handled <= now
    status = np.where(done, "handled", np.where(now - received < 2 * DAY_S * SEC, "received", "in_progress"))
    rated = done & (rng.random(n) < 0.4)
    rating = np.where(
        rated,
        np.where(
            rng.random(n) < np.where(late, 0.4, 0.1),
            "unsatisfied",
            np.where(rng.random(n) < 0.45, "very_satisfied", "satisfied"),
        ),
        "",
    )
    cats, cat_p = list(FEEDBACK_CATEGORIES), np.array(list(FEEDBACK_CATEGORIES.values()))
    chans, chan_p = list(FEEDBACK_CHANNELS), np.array(list(FEEDBACK_CHANNELS.values()))
    return pd.DataFrame(
        {
            "feedback_code": [f"PA-{str(dd)[2:4]}-{i + 1:06d}" for i, dd in enumerate(day)],
            "unit_code": w.unit_codes[unit],
            "category": np.array(cats, dtype=object)[rng.choice(len(cats), n, p=cat_p / cat_p.sum())],
            "channel": np.array(chans, dtype=object)[rng.choice(len(chans), n, p=chan_p / chan_p.sum())],
            "received_at": _iso(received),
            "due_at": _iso(due),
            "handled_at": _iso(np.where(done, handled, np.datetime64("NaT"))),
            "status": status,
            "rating": rating,
        }
    )


def _targets() -> pd.DataFrame:
    source = (
        "Kế hoạch cải cách hành chính tỉnh Thử Nghiệm (dữ liệu thử nghiệm; "
        "mức ≥ 98 % đúng hạn, ≥ 50 % trực tuyến)"
    )
    rows = [
        {
            "metric": metric,
            "unit_code": "",
            "level": level,
            "field": "",
            "year": year,
            "value": value,
            "source": source,
        }
        for metric, value in (("on_time_rate", 0.98), ("online_share", 0.5))
        for level in ("district", "commune")
        for year in (2025, 2026)
    ]
    return pd.DataFrame(rows)


# -- the whole folder -----------------------------------------------------------------------------


def write_province(out: Path, dossiers: int, seed: int, until: dt.date, national: bool = False) -> dict:
    """Write the province into ``out`` and return the counts of what was written."""
    if until < dt.date(2023, 2, 1):
        raise ValueError("--until must be 2023-02-01 or later (the data start on 2023-01-01)")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    world = build_world(seed)
    until64 = np.datetime64(until.isoformat())
    now = until64.astype("datetime64[s]") + (DAY_S - 1) * SEC
    days, cdf = _day_weights(until64)
    for name, frame in (
        ("units.csv", world.units),
        ("agencies.csv", world.agencies),
        ("procedures.csv", world.procedures),
    ):
        frame[HEADERS[name]].to_csv(out / name, index=False, encoding="utf-8-sig")
    feedback = _feedback(world, seed, dossiers, days, cdf, now)
    feedback.to_csv(out / "feedback.csv", index=False, encoding="utf-8-sig")
    targets = _targets()
    targets.to_csv(out / "targets.csv", index=False, encoding="utf-8-sig")
    counts = {
        "units": len(world.units),
        "agencies": len(world.agencies),
        "procedures": len(world.procedures),
        "feedback": len(feedback),
        "targets": len(targets),
        "dossiers": 0,
        "registrations": 0,
        "open": 0,
        "open_past_due": 0,
        "received_outside_handler": 0,
        "ratings": 0,
    }
    owner_unit = pd.Series(np.arange(len(world.unit_codes)), index=world.unit_codes)
    agency_unit = owner_unit[world.agencies["unit_code"].to_numpy()].to_numpy()
    main = out / ("dossiers.json" if national else "dossiers.csv")
    other = out / ("dossiers.csv" if national else "dossiers.json")
    other.unlink(missing_ok=True)
    if not national:
        (out / "ratings.csv").unlink(missing_ok=True)
    vi = np.array(["", *RATINGS_VI.values()], dtype=object)
    with contextlib.ExitStack() as files:
        f = files.enter_context(main.open("w", encoding="utf-8", newline=""))
        if national:
            ratings_file = files.enter_context((out / "ratings.csv").open("w", encoding="utf-8", newline=""))
            ratings_file.write("dossier_code,rating\n")
        else:
            f.write(",".join(DOSSIER_COLUMNS) + "\n")
        for chunk, first in enumerate(range(0, dossiers, CHUNK)):
            n = min(CHUNK, dossiers - first)
            d = _draw(world, np.random.default_rng([seed, chunk]), first, n, dossiers, days, cdf, now)
            codes = _dossier_codes(world, d)
            if national:
                for a in range(0, n, TEXT_SLICE):  # text in slices: millions of small strings are costly
                    part = {k: v[a : a + TEXT_SLICE] for k, v in d.items() if k != "reg"}
                    f.write(_json_lines(world, part, codes[a : a + TEXT_SLICE]))
                f.write(_registration_lines(world, d["reg"], chunk))
                counts["registrations"] += len(d["reg"]["k"])
                rated = d["rating"] > 0
                ratings_file.write("".join((codes[rated] + "," + vi[d["rating"][rated]] + "\n").tolist()))
            else:
                f.write(_csv_lines(world, d, codes))
            is_open = np.isin(d["status"], (2, 4, 5, 6))
            counts["dossiers"] += n
            counts["open"] += int(is_open.sum())
            counts["open_past_due"] += int((is_open & (d["due"] < now)).sum())
            counts["received_outside_handler"] += int((agency_unit[d["agency"]] != d["unit"]).sum())
            counts["ratings"] += int((d["rating"] > 0).sum())
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.province", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--until", type=dt.date.fromisoformat, default=dt.date(2026, 11, 30))
    parser.add_argument(
        "--national", action="store_true", help="write the portal's sync records (dossiers.json)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = write_province(args.out, args.dossiers, args.seed, args.until, args.national)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(counts, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
