"""Tiny databases built from code for the tests: a handful of units, agencies, procedures and
dossiers whose expected figures can be worked out by hand in a comment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from data_access.engine import make_engine
from data_access.load import agency_units, derive_dossier_columns, rebuild_unit_ancestors, upsert
from data_access.schema import agencies, create_schema, dossiers, feedback, meta, procedures, targets, units

T = dt.datetime

# A three-tier province: 70 → districts 100, 200 → communes 101, 102 (of 100) and 201 (of 200).
UNITS = [
    dict(code="70", name="Tỉnh Thử", level="province", parent_code=None, lat=11.7, lon=106.7),
    dict(code="100", name="Huyện Một", level="district", parent_code="70", lat=11.5, lon=106.9),
    dict(code="200", name="Huyện Hai", level="district", parent_code="70", lat=11.8, lon=106.6),
    dict(code="101", name="Xã Một A", level="commune", parent_code="100", lat=11.51, lon=106.91),
    dict(code="102", name="Xã Một B", level="commune", parent_code="100", lat=11.52, lon=106.92),
    dict(code="201", name="Xã Hai A", level="commune", parent_code="200", lat=11.81, lon=106.61),
]
AGENCIES = [
    dict(code="S-1", name="Sở Một", level="province", unit_code="70"),
    dict(code="H-100", name="Một cửa Huyện Một", level="district", unit_code="100"),
    dict(code="H-200", name="Một cửa Huyện Hai", level="district", unit_code="200"),
    dict(code="X-101", name="Một cửa Xã Một A", level="commune", unit_code="101"),
    dict(code="X-102", name="Một cửa Xã Một B", level="commune", unit_code="102"),
    dict(code="X-201", name="Một cửa Xã Hai A", level="commune", unit_code="201"),
]
PROCEDURES = [
    dict(
        code="1.000001",
        name="Đăng ký khai sinh",
        field="Hộ tịch",
        online_level="full",
        full_process_eligible=True,
        fee_required=False,
        time_limit_days=3.0,
        time_limit_unit="working_days",
    ),
    dict(
        code="1.000002",
        name="Cấp giấy phép xây dựng",
        field="Xây dựng",
        online_level="partial",
        full_process_eligible=False,
        fee_required=True,
        time_limit_days=10.0,
        time_limit_unit="working_days",
    ),
    dict(
        code="1.000003",
        name="Đăng ký đất đai",
        field="Đất đai",
        online_level="none",
        full_process_eligible=False,
        fee_required=True,
        time_limit_days=5.0,
        time_limit_unit="working_days",
    ),
]
_AGENCY_OF = {a["unit_code"]: a["code"] for a in AGENCIES}


def dossier(code: str, unit: str, received: dt.datetime, due: dt.datetime, **kw: Any) -> dict[str, Any]:
    """One dossier row with sensible defaults (returned... only if finished_at is given)."""
    row: dict[str, Any] = dict(
        dossier_code=code,
        procedure_code="1.000001",
        agency_code=_AGENCY_OF[unit],
        unit_code=unit,
        channel="direct",
        received_at=received,
        due_at=due,
        finished_at=None,
        status="in_progress",
        supplement_requests=0,
        supplement_requested_at=None,
        fee_required=False,
        paid_online=False,
        e_result=False,
        digitized=False,
        reused_data=False,
        rating=None,
    )
    row.update(kw)
    if kw.get("finished_at") is not None and "status" not in kw:
        row["status"] = "returned"
    return row


def build(
    url: str,
    rows: list[dict[str, Any]],
    *,
    unit_rows: list[dict[str, Any]] | None = None,
    feedback_rows: list[dict[str, Any]] | None = None,
    target_rows: list[dict[str, Any]] | None = None,
    sample: bool = False,
) -> Engine:
    """Create the schema at ``url`` and load the given rows; returns a read-write engine."""
    engine = make_engine(url, read_only=False)
    create_schema(engine)
    with engine.begin() as conn:
        upsert(conn, units, unit_rows or UNITS)
        rebuild_unit_ancestors(conn)
        upsert(conn, agencies, AGENCIES)
        upsert(conn, procedures, PROCEDURES)
        if rows:
            upsert(conn, dossiers, derive_dossier_columns(pd.DataFrame(rows), agency_units(conn)))
        if feedback_rows:
            upsert(conn, feedback, feedback_rows)
        if target_rows:
            upsert(conn, targets, target_rows)
        upsert(
            conn,
            meta,
            [dict(key="is_sample", value="1" if sample else "0"), dict(key="province_name", value="Thử")],
        )
    return engine
