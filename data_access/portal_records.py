"""The national portal's sync records (Cổng Dịch vụ công quốc gia) read as our dossiers.csv.

A folder may hold, instead of our dossiers.csv, the portal's records as they are: a
``dossiers.json`` (a JSON array of records, or JSON lines), or a ``dossiers.csv`` / ``.xlsx``
whose header uses the portal's field names (detected by ``MaHoSo``). Each record becomes one row
of strings in our columns (:data:`data_access.validate.COLUMNS`), with the record's line, so the
checks stay one path. Field meanings: /work/shared/portal-766-2026.md "National codes".

The steps of ``QuaTrinhXuLy`` also give the supplement log that ``supplements.csv`` would: each
step with ``TrangThai`` 5 is a request at its ``ThoiDiemXuLy``, returned at the first later step
that continues the handling (any status but another request, a withdrawal or a stop). The log
travels with the row in the hidden column :data:`LOG_COLUMN` (docs/rules.md §1).

Personal fields (ChuHoSo, addresses, ID numbers…) and any field not listed here are ignored: they
are never copied into a row, so they never reach the database. Registrations that never became
dossiers in handling (TrangThaiHoSo 1 registered, 3 not received) are skipped and counted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from data_access.import_problems import ImportFatal
from data_access.read_files import Position, nfc

#: The field that tells the portal's header from ours.
MARKER = "MaHoSo"
#: Our column ← the portal's field, for the fields copied as they are (times reformatted).
FIELDS: dict[str, str] = {
    "dossier_code": "MaHoSo",
    "procedure_code": "MaTTHC",
    "agency_code": "DonViXuLy",
    "unit_code": "NoiNopHoSo",
    "channel": "KenhThucHien",
    "received_at": "NgayTiepNhan",
    "due_at": "NgayHenTra",
    "finished_at": "NgayKetThucXuLy",
    "status": "TrangThaiHoSo",
    "supplement_requests": "QuaTrinhXuLy",
    "supplement_requested_at": "QuaTrinhXuLy",
    "fee_required": "DanhSachLePhi",
    "paid_online": "DuocThanhToanTrucTuyen",
    "e_result": "DanhSachGiayToKetQua",
    "digitized": "HoSoCoThanhPhanSoHoa",
    "reused_data": "TaiLieuNop",
}
CHANNELS = {"1": "direct", "2": "online", "3": "postal", "": "direct"}  # missing → direct, as the portal
SKIPPED_STATUSES = ("1", "3")
SUPPLEMENT_STEP = "5"
#: Steps after a request that do not mean the citizen supplemented: another request, withdrawn, stopped.
NOT_RETURNED = ("5", "7", "8")
#: The hidden column of a portal row holding its supplement log: ``requested|returned`` pairs
#: (ISO times, returned empty while waiting) joined by ``;``; empty without a request.
LOG_COLUMN = "_supplement_log"
_PORTAL_TIME = re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})")


def is_portal_header(header: Iterable[str]) -> bool:
    """True when a CSV or spreadsheet header is the portal's (it names ``MaHoSo``)."""
    return MARKER in set(header)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def portal_time(value: Any) -> str:
    """``yyyyMMddHHmmss`` (local time) as ISO 8601; anything else is left for the checks to reject."""
    text = _text(value)
    match = _PORTAL_TIME.fullmatch(text)
    if not match:
        return text
    y, mo, d, h, mi, s = match.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}"


def _items(value: Any) -> list[Mapping[str, Any]]:
    """A nested list of the record: a JSON list, or the JSON text of one in a CSV cell."""
    if isinstance(value, str):
        value = value.strip()
        if not value.startswith("["):
            return []
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _price(value: Any) -> float:
    try:
        return float(_text(value) or 0)
    except ValueError:
        return 0.0


def supplement_log(steps: list[Mapping[str, Any]]) -> str:
    """The requests among ``steps`` with their returns, as :data:`LOG_COLUMN` holds them.

    Steps are taken in time order (a step without a readable time is left out); a request is
    returned at the first later step that is not in :data:`NOT_RETURNED`.
    """
    timed = sorted(
        (time, _text(s.get("TrangThai")))
        for s in steps
        if _PORTAL_TIME.fullmatch(time := _text(s.get("ThoiDiemXuLy")))
    )
    pairs = []
    for i, (time, status) in enumerate(timed):
        if status != SUPPLEMENT_STEP:
            continue
        back = next((t for t, st in timed[i + 1 :] if st not in NOT_RETURNED), "")
        pairs.append(f"{portal_time(time)}|{portal_time(back) if back else ''}")
    return ";".join(pairs)


def to_row(record: Mapping[str, Any]) -> list[str]:
    """One record as our dossiers.csv values, in :data:`FIELDS`' order plus ``rating`` (empty)
    and :data:`LOG_COLUMN`.
    """
    every = _items(record.get("QuaTrinhXuLy"))
    steps = [s for s in every if _text(s.get("TrangThai")) == SUPPLEMENT_STEP]
    times = sorted(portal_time(s.get("ThoiDiemXuLy")) for s in steps if _text(s.get("ThoiDiemXuLy")))
    paid = _text(record.get("DuocThanhToanTrucTuyen")) in ("1", "2")
    fees = record.get("DanhSachLePhi")
    # A record without its fee list (the CSV form) that was paid online did carry a fee.
    fee = any(_price(f.get("Gia")) > 0 for f in _items(fees)) if fees not in (None, "") else paid
    reused = any(
        _text(d.get("DuocTaiSuDung")) == "1" or _text(d.get("DuocLayTuKhoDMQG")) == "1"
        for d in _items(record.get("TaiLieuNop"))
    )
    e_result = any(_text(r.get("DuongDanTepTinKetQua")) for r in _items(record.get("DanhSachGiayToKetQua")))
    channel = _text(record.get("KenhThucHien"))
    return [
        _text(record.get("MaHoSo")),
        _text(record.get("MaTTHC")),
        _text(record.get("DonViXuLy")),
        _text(record.get("NoiNopHoSo")),
        CHANNELS.get(channel, channel),
        portal_time(record.get("NgayTiepNhan")),
        portal_time(record.get("NgayHenTra")),
        portal_time(record.get("NgayKetThucXuLy")),
        _text(record.get("TrangThaiHoSo")),
        str(len(steps)),
        times[-1] if times else "",
        _flag(fee),
        _flag(paid),
        _flag(e_result),
        _flag(_text(record.get("HoSoCoThanhPhanSoHoa")) == "1"),
        _flag(reused),
        "",
        supplement_log(every) if steps else "",
    ]


def rows_of(
    records: Iterable[tuple[int, Mapping[str, Any]]], skipped: dict[str, int]
) -> Iterator[tuple[int, list[str]]]:
    """(line, our row) of each record in handling; ``skipped`` counts statuses 1 and 3 by code."""
    for line, record in records:
        status = _text(record.get("TrangThaiHoSo"))
        if status in SKIPPED_STATUSES:
            skipped[status] = skipped.get(status, 0) + 1
            continue
        yield line, to_row(record)


def header_records(header: list[str], records: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, dict]]:
    """The records of a CSV or spreadsheet with the portal's header, as (line, field → value)."""
    for line, values in records:
        yield line, dict(zip(header, values, strict=False))


def json_records(
    path: Path, chunk: int = 1 << 20, position: Position | None = None
) -> Iterator[tuple[int, dict]]:
    """(line, record) of a JSON array of records or of JSON lines, parsed one record at a time.

    The file is read in chunks and each record decoded and handed on before the next, so a
    million records never live as parsed objects at once. ``line`` is the record's first line.
    ``position`` follows the characters read (of the file's size in bytes: an estimate).
    """
    decoder = json.JSONDecoder()
    position = position or Position()
    position.size = path.stat().st_size
    with path.open(encoding="utf-8-sig") as fh:
        buffer, pos, line, eof, in_array = "", 0, 1, False, None
        while True:
            while pos < len(buffer) and (buffer[pos] in " \t\r\n" or (in_array and buffer[pos] == ",")):
                line += buffer[pos] == "\n"
                pos += 1
            if pos >= len(buffer) or (len(buffer) - pos < chunk // 2 and not eof):
                more = fh.read(chunk)
                position.done += len(more)
                eof = eof or not more
                buffer, pos = buffer[pos:] + more, 0
                if not buffer:
                    return
                if more:
                    continue
            if in_array is None:
                in_array = buffer[pos] == "["
                pos += in_array
                continue
            if in_array and buffer[pos] == "]":
                return
            try:
                record, end = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError as exc:
                if not eof:
                    more = fh.read(chunk)
                    position.done += len(more)
                    eof = not more
                    buffer, pos = buffer[pos:] + more, 0
                    continue
                at = line + buffer.count("\n", pos, exc.pos)
                raise ImportFatal("imp_bad_json", file=path.name, line=at, reason=exc.msg) from None
            if not isinstance(record, dict):
                raise ImportFatal("imp_json_not_record", file=path.name, line=line)
            yield line, record
            line += buffer.count("\n", pos, end)
            pos = end
