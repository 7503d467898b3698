"""Texts of "act before it is late": dossiers due soon and where the period will end."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "ds_title": ("Hồ sơ sắp đến hạn ({days} ngày làm việc)", "Dossiers due soon ({days} working days)"),
    "ds_none": (
        "Không có hồ sơ đang xử lý nào đến hạn từ nay đến hết ngày {last}.",
        "No dossier in progress falls due between now and the end of {last}.",
    ),
    "ds_summary": (
        "{total} hồ sơ đang xử lý đến hạn từ nay đến hết ngày {last} (không tính hồ sơ chờ bổ sung).",
        "{total} dossiers in progress fall due between now and the end of {last} (those waiting for a "
        "supplement excluded).",
    ),
    "ds_apology": (
        "{n} hồ sơ đến hạn ngày {day}: hôm nay là ngày cuối gửi phiếu xin lỗi nếu không kịp giải quyết.",
        "{n} dossiers fall due on {day}: today is the last day to send the apology letter if they "
        "cannot be finished in time.",
    ),
    "ds_apology_column": ("Hạn cuối xin lỗi hôm nay", "Apology due today"),
    "ds_earliest": ("Hạn sớm nhất", "Earliest due"),
    "ds_cut": (
        "Chỉ hiện {n} nhóm đến hạn sớm nhất; tổng số ở dòng trên.",
        "Only the {n} earliest groups are listed; the total is above.",
    ),
}
