"""Seeded provinces for the ranking, my-unit and drill-down tests, small enough to rank by hand.

Five communes, each with finished dossiers received on the 5th, due on the 12th at 17:00 and
finished on the 9th (on time) or the 14th (late); September and October 2026:

| role   | procedure         | Sep handled/late | Oct handled/late | October extras                   |
|--------|-------------------|------------------|------------------|----------------------------------|
| rich   | 1.000001 Hộ tịch  | 20 / 2           | 20 / 1           | see ``_rich``; 2 feedback (PAKN) |
| tie_a  | 1.000003 Đất đai  | 20 / 3           | 20 / 2           | —                                |
| tie_b  | 1.000003 Đất đai  | 20 / 1           | 20 / 2           | —                                |
| last   | 1.000001 Hộ tịch  | 20 / 0           | 20 / 4           | —                                |
| small  | 1.000001 Hộ tịch  | —                | 3 / 0            | —                                |

Three-tier: district 100 = communes 101 (rich), 102 (tie_a), 103 (small); district 200 = 201
(tie_b), 202 (last). Two-tier: province 80 → communes 801 (rich), 802, 803, 804, 805 (small).
Each commune's dossiers are handled by its own desk ``X-<code>``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from data_access.load import upsert
from data_access.schema import agencies
from tests.builders import UNITS, T, build, dossier

NOW = dt.datetime(2026, 11, 23, 10, 0)
THREE = dict(rich="101", tie_a="102", tie_b="201", last="202", small="103")
TWO = dict(rich="801", tie_a="802", tie_b="803", last="804", small="805")
PROCEDURE = dict(rich="1.000001", tie_a="1.000003", tie_b="1.000003", last="1.000001", small="1.000001")
LATE = {9: dict(rich=2, tie_a=3, tie_b=1, last=0), 10: dict(rich=1, tie_a=2, tie_b=2, last=4, small=0)}
SIZE = dict(rich=20, tie_a=20, tie_b=20, last=20, small=3)

THREE_TIER_EXTRA_UNITS = [
    dict(code="103", name="Xã Một C", level="commune", parent_code="100", lat=11.53, lon=106.93),
    dict(code="202", name="Xã Hai B", level="commune", parent_code="200", lat=11.82, lon=106.62),
]
TWO_TIER_UNITS = [
    dict(code="80", name="Tỉnh Hai Cấp", level="province", parent_code=None, lat=11.0, lon=106.0),
    dict(code="801", name="Xã Bắc", level="commune", parent_code="80", lat=11.1, lon=106.1),
    dict(code="802", name="Phường Nam", level="commune", parent_code="80", lat=11.2, lon=106.2),
    dict(code="803", name="Xã Đông", level="commune", parent_code="80", lat=11.3, lon=106.3),
    dict(code="804", name="Xã Tây", level="commune", parent_code="80", lat=11.4, lon=106.4),
    dict(code="805", name="Xã Nhỏ", level="commune", parent_code="80", lat=11.5, lon=106.5),
]
TARGETS = [
    dict(metric="on_time_rate", unit_code="", level="", field="", year=2026, value=0.98, source="test plan"),
    dict(
        metric="satisfaction_rate",
        unit_code="",
        level="",
        field="",
        year=2026,
        value=0.90,
        source="test plan",
    ),
]


def _rich(i: int) -> dict[str, Any]:
    """October extras of the rich commune's dossier ``i`` (0–19): 12 online, 10 with a fee of which
    6 paid online, 15 electronic results, 16 digitised, 8 reused; ratings: 4 very satisfied,
    4 satisfied, 2 unsatisfied, 10 unrated."""
    rating = "very_satisfied" if i < 4 else "satisfied" if i < 8 else "unsatisfied" if i < 10 else None
    return dict(
        channel="online" if i < 12 else "direct",
        fee_required=i < 10,
        paid_online=i < 6,
        e_result=i < 15,
        digitized=i < 16,
        reused_data=i < 8,
        rating=rating,
    )


def dossier_rows(codes: dict[str, str]) -> list[dict[str, Any]]:
    """The dossiers of the table above for the communes ``codes`` (role → unit code)."""
    rows = []
    for month, late_by_role in LATE.items():
        for role, late in late_by_role.items():
            unit = codes[role]
            for i in range(SIZE[role]):
                extras = _rich(i) if (role == "rich" and month == 10) else {}
                row = dossier(
                    f"{unit}-{month}-{i}",
                    "101",
                    T(2026, month, 5, 9),
                    T(2026, month, 12, 17),
                    finished_at=T(2026, month, 14 if i < late else 9, 10),
                    procedure_code=PROCEDURE[role],
                    **extras,
                )
                rows.append({**row, "unit_code": unit, "agency_code": f"X-{unit}"})
    return rows


def feedback_rows(unit: str) -> list[dict[str, Any]]:
    """Two PAKN for ``unit`` in October: one handled on time and rated satisfied, one late and
    rated unsatisfied (PAKN on time 1/2, PAKN satisfaction 1/2)."""
    base = dict(unit_code=unit, category="Đất đai", channel="portal", status="handled")
    return [
        dict(base, feedback_code=f"F{unit}-1", received_at=T(2026, 10, 6, 9), due_at=T(2026, 10, 27, 17),
             handled_at=T(2026, 10, 20, 9), rating="satisfied"),
        dict(base, feedback_code=f"F{unit}-2", received_at=T(2026, 10, 7, 9), due_at=T(2026, 10, 28, 17),
             handled_at=T(2026, 10, 30, 9), rating="unsatisfied"),
    ]  # fmt: skip


def _desks(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        dict(code=f"X-{u['code']}", name=f"Một cửa {u['name']}", level=u["level"], unit_code=u["code"])
        for u in units
        if u["level"] == "commune"
    ]


def build_three_tier(url: str) -> None:
    """The three-tier province (builders' 70 → 100, 200, with communes 101, 102, 103, 201, 202)."""
    units = UNITS + THREE_TIER_EXTRA_UNITS
    engine = build(
        url, dossier_rows(THREE), unit_rows=units, feedback_rows=feedback_rows("101"),
        target_rows=TARGETS, sample=True,
    )  # fmt: skip
    with engine.begin() as conn:
        upsert(conn, agencies, _desks(THREE_TIER_EXTRA_UNITS))
    engine.dispose()


def build_two_tier(url: str) -> None:
    """The two-tier province 80 → communes 801–805 (no districts)."""
    engine = build(
        url, dossier_rows(TWO), unit_rows=TWO_TIER_UNITS, feedback_rows=feedback_rows("801"),
        target_rows=TARGETS, sample=True,
    )  # fmt: skip
    with engine.begin() as conn:
        upsert(conn, agencies, _desks(TWO_TIER_UNITS))
    engine.dispose()
