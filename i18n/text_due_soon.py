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
    # The wall's compact forms (kiosk overview and ranking).
    "ds_wall_tile": ("Sắp đến hạn", "Due soon"),
    "ds_wall_apology": ("{n} hạn xin lỗi hôm nay", "{n} to apologise today"),
    "ds_wall_until": ("đến hết {last}", "to the end of {last}"),
    "ds_wall_strip": ("Sắp đến hạn ({days} ngày làm việc)", "Due soon ({days} working days)"),
    "ds_wall_none": (
        "không có hồ sơ nào đến hạn đến hết {last}.",
        "no dossier falls due to the end of {last}.",
    ),
    "ds_wall_more": ("và cơ quan khác", "and other agencies"),
    "ol_wall_tile": ("Đúng hạn dự kiến cuối tháng", "On time expected at month end"),
    "ol_wall_risk": ("Có nguy cơ không đạt cuối tháng ({n} đơn vị)", "At risk at month end ({n} units)"),
    "ol_wall_month_end": ("Cuối tháng", "Month end"),
    "ol_wall_none": (
        "không {level} nào có nguy cơ không đạt mục tiêu.",
        "no {level} is at risk of missing its target.",
    ),
    "ol_wall_risk_short": ("nguy cơ không đạt", "at risk"),
    "ol_wall_cannot": ("không thể đạt", "out of reach"),
    "ol_wall_column": ("Đúng hạn cuối tháng (dự kiến)", "On time at month end (expected)"),
    "ol_tile": ("Tỷ lệ đúng hạn dự kiến cuối tháng", "On-time rate expected at month end"),
    "ol_title": (
        "Dự kiến tỷ lệ đúng hạn khi kết thúc kỳ ({close})",
        "Where the on-time rate will close ({close})",
    ),
    "ol_help": (
        "Khoảng tỷ lệ hồ sơ đúng hạn khi kỳ kết thúc ngày {close}, trên các hồ sơ đã biết hôm nay: "
        "cao nhất nếu mọi hồ sơ sắp đến hạn và chưa đến hạn được giải quyết đúng hạn (bằng tỷ lệ hôm "
        "nay), thấp nhất nếu không hồ sơ nào đến hạn trước khi kết thúc kỳ được giải quyết đúng hạn.",
        "The range of the on-time rate when the period closes on {close}, over the dossiers known "
        "today: at best every dossier due soon or not yet due is finished in time (today's rate), at "
        "worst none due before the close is.",
    ),
    "ol_at_risk": ("Có nguy cơ không đạt", "At risk of missing the target"),
    "ol_none_at_risk": (
        "Không {level} nào có nguy cơ không đạt mục tiêu tỷ lệ đúng hạn.",
        "No {level} is at risk of missing its on-time target.",
    ),
    "ol_units": ("đơn vị", "unit"),
    "ol_risk_line": ("{unit} {range} (mục tiêu {target})", "{unit} {range} (target {target})"),
    "ol_risk_line_cannot": (
        "{unit} {range} (mục tiêu {target}, không thể đạt)",
        "{unit} {range} (target {target}, out of reach)",
    ),
    "ol_best": ("Cao nhất (tỷ lệ hiện tại)", "At best (today's rate)"),
    "ol_worst": ("Thấp nhất", "At worst"),
    "ol_due_by_close": ("Hồ sơ đến hạn trước khi kết thúc kỳ", "Open, due before the close"),
    "ol_status": ("Đánh giá", "Outlook"),
    "ol_note": (
        "Cao nhất: mọi hồ sơ đang xử lý còn trong hạn được giải quyết đúng hạn. Thấp nhất: không hồ "
        "sơ nào đến hạn trước khi kết thúc kỳ được giải quyết đúng hạn. Chưa tính hồ sơ tiếp nhận sau "
        "hôm nay. Có nguy cơ không đạt: mức thấp nhất dưới mục tiêu của đơn vị.",
        "At best: every dossier in progress within its due time is finished in time. At worst: none "
        "due before the close is. Dossiers received after today are not foreseen. At risk: the worst "
        "case is below the unit's target.",
    ),
}
