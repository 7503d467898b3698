"""Tiny exchange-format folders written from code for the importer tests.

The province is the one of ``tests/builders.py``: 70 → districts 100, 200 → communes 101, 102
(of 100) and 201 (of 200), one agency per unit. Every value is a string, as in a CSV file.
Line numbers: the header is line 1, so the n-th row of a list (0-based) is on line n + 2.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.sql.expression import Executable

from data_access.engine import make_engine
from data_access.validate import COLUMNS

UNITS = [
    dict(code="70", name="Tỉnh Thử", level="province", parent_code="", lat="11.7", lon="106.7"),
    dict(code="100", name="Huyện Một", level="district", parent_code="70", lat="11.5", lon="106.9"),
    dict(code="200", name="Huyện Hai", level="district", parent_code="70", lat="11.8", lon="106.6"),
    dict(code="101", name="Xã Một A", level="commune", parent_code="100", lat="11.51", lon="106.91"),
    dict(code="102", name="Xã Một B", level="commune", parent_code="100", lat="", lon=""),
    dict(code="201", name="Xã Hai A", level="commune", parent_code="200", lat="11.81", lon="106.61"),
]
AGENCIES = [
    dict(code="S-1", name="Sở Một", unit_code="70"),
    dict(code="H-100", name="Một cửa Huyện Một", unit_code="100"),
    dict(code="H-200", name="Một cửa Huyện Hai", unit_code="200"),
    dict(code="X-101", name="Một cửa Xã Một A", unit_code="101"),
    dict(code="X-102", name="Một cửa Xã Một B", unit_code="102"),
    dict(code="X-201", name="Một cửa Xã Hai A", unit_code="201"),
]
PROCEDURES = [
    dict(
        code="1.000001",
        name="Đăng ký khai sinh",
        field="Hộ tịch",
        online_level="full",
        fee_required="false",
        time_limit_days="3",
    ),
    dict(
        code="1.000002",
        name="Cấp giấy phép xây dựng",
        field="Xây dựng",
        online_level="partial",
        fee_required="true",
        time_limit_days="10",
    ),
    dict(
        code="1.000003",
        name="Đăng ký đất đai",
        field="Đất đai",
        online_level="none",
        fee_required="TRUE",
        time_limit_days="5.5",
    ),
]


def dossier_row(code: str, **kw: str) -> dict[str, str]:
    """A dossier in progress at commune 101, received Tue 20/10/2026 09:00, due Fri 23/10 17:00."""
    row = dict(
        dossier_code=code,
        procedure_code="1.000001",
        agency_code="X-101",
        unit_code="101",
        channel="direct",
        received_at="2026-10-20T09:00",
        due_at="2026-10-23T17:00",
        finished_at="",
        status="in_progress",
        supplement_requests="0",
        supplement_requested_at="",
        fee_required="false",
        paid_online="false",
        e_result="",
        digitized="0",
        reused_data="",
        rating="",
    )
    row.update(kw)
    return row


DOSSIERS = [
    # D1: returned (portal code 10) Wed 7/10 10:00, received Mon 5/10 09:00 → 2 working days.
    dossier_row(
        "D1",
        channel="online",
        received_at="2026-10-05T09:00",
        due_at="2026-10-08T17:00",
        finished_at="2026-10-07T10:00",
        status="10",
        e_result="1",
        rating="very_satisfied",
    ),
    dossier_row("D2"),
    dossier_row(
        "D3",
        unit_code="102",
        agency_code="X-102",
        status="supplement_requested",
        supplement_requests="1",
        supplement_requested_at="2026-10-21T09:00",
    ),
    # D4: received by a district desk as a UTC time (02:00Z = 09:00 in Vietnam), fee paid online.
    dossier_row(
        "D4",
        procedure_code="1.000002",
        agency_code="H-100",
        unit_code="100",
        received_at="2026-10-01T02:00:00Z",
        due_at="2026-10-15T17:00",
        finished_at="2026-10-09T16:00+07:00",
        status="processed",
        fee_required="1",
        paid_online="TRUE",
        rating="satisfied",
    ),
]
FEEDBACK = [
    dict(
        feedback_code="F1",
        unit_code="101",
        category="Đất đai",
        channel="hotline",
        received_at="2026-10-05T08:00",
        due_at="2026-10-26T17:00",
        handled_at="2026-10-12T10:00",
        status="handled",
        rating="satisfied",
    ),
    dict(
        feedback_code="F2",
        unit_code="200",
        category="Xây dựng",
        channel="app",
        received_at="2026-10-19T08:00",
        due_at="2026-11-09T17:00",
        handled_at="",
        status="in_progress",
        rating="",
    ),
]
TARGETS = [
    dict(
        metric="on_time_rate",
        unit_code="",
        level="",
        field="",
        year="2026",
        value="0.98",
        source="Thanh Hóa 2021–2025 plan",
    ),
    dict(
        metric="online_share",
        unit_code="",
        level="district",
        field="",
        year="2026",
        value="0.5",
        source="Resolution 76/NQ-CP",
    ),
    dict(
        metric="satisfaction_rate",
        unit_code="101",
        level="",
        field="Đất đai",
        year="2026",
        value="0.9",
        source="Bình Phước Directive 16",
    ),
]
#: A fresh, valid row to append to each file (the tests change one value of it).
NEW_ROW: dict[str, dict[str, str]] = {
    "units.csv": dict(
        code="103", name="Xã Một C", level="commune", parent_code="100", lat="11.53", lon="106.93"
    ),
    "agencies.csv": dict(code="X-103", name="Một cửa mới", unit_code="101"),
    "procedures.csv": dict(
        code="1.000009",
        name="Chứng thực",
        field="Tư pháp",
        online_level="partial",
        fee_required="0",
        time_limit_days="1",
    ),
    "dossiers.csv": dossier_row("NEW"),
    "feedback.csv": dict(
        feedback_code="F-NEW",
        unit_code="102",
        category="Hộ tịch",
        channel="web",
        received_at="2026-10-20T08:00",
        due_at="2026-11-10T17:00",
        handled_at="",
        status="received",
        rating="",
    ),
    "targets.csv": dict(
        metric="reuse_rate", unit_code="", level="", field="", year="2026", value="0.8", source="766"
    ),
}


def base_files() -> dict[str, list[dict[str, str]]]:
    """Fresh copies of every file's rows (optional files included)."""
    files = {
        "units.csv": UNITS,
        "agencies.csv": AGENCIES,
        "procedures.csv": PROCEDURES,
        "dossiers.csv": DOSSIERS,
        "feedback.csv": FEEDBACK,
        "targets.csv": TARGETS,
    }
    return {name: [dict(r) for r in rows] for name, rows in files.items()}


def write_csv(
    path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] | None = None, bom: bool = False
) -> Path:
    """Write ``rows`` with the file's documented header (or ``columns``)."""
    columns = columns or COLUMNS[path.name]
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_folder(folder: Path, files: dict[str, list[dict[str, str]]] | None = None) -> Path:
    """Write a folder holding ``files`` (default: every base file)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (base_files() if files is None else files).items():
        write_csv(folder / name, rows)
    return folder


def query(url: str, sql: str | Executable, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` at ``url`` (a short-lived engine, disposed so DuckDB releases its file).

    Pass a Core ``select`` where the column types matter: SQLite returns text() results untyped.
    """
    engine = make_engine(url, read_only=False)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql) if isinstance(sql, str) else sql, params)]
    finally:
        engine.dispose()


def count(url: str, table: str) -> int:
    """Rows of ``table`` (a fixed table name from the tests, never user input)."""
    return int(query(url, f"SELECT COUNT(*) FROM {table}")[0][0])
