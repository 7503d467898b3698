"""Texts of the official reports (Biểu 06/VPCP/KSTT) and the morning briefing, Vietnamese first."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP)
    "f06_form_no": ("Biểu số 06/VPCP/KSTT", "Form 06/VPCP/KSTT"),
    "f06_circular": ("Ban hành kèm theo Thông tư số 01/2020/TT-VPCP", "Circular 01/2020/TT-VPCP"),
    "f06_reporting": ("Đơn vị báo cáo: {unit}", "Reporting unit: {unit}"),
    "f06_reporting_unit": ("UBND tỉnh {province}", "{province} Provincial People's Committee"),
    "f06_receiving": ("Đơn vị nhận báo cáo: {unit}", "Receiving unit: {unit}"),
    "f06_receiving_unit": ("Văn phòng Chính phủ", "Office of the Government"),
    "f06_title": (
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT "
        "THỦ TỤC HÀNH CHÍNH",
        "HANDLING OF ADMINISTRATIVE PROCEDURES AT THE AGENCIES THAT HANDLE THEM DIRECTLY",
    ),
    "f06_period": ("Kỳ báo cáo: {period}", "Reporting period: {period}"),
    "f06_dates": ("(Từ ngày {start} đến ngày {end})", "(From {start} to {end})"),
    "f06_unit_of_count": ("Đơn vị tính: Số hồ sơ TTHC", "Unit: dossiers"),
    "f06_month": ("Tháng {month} năm {year}", "{month}/{year}"),
    "f06_quarter": ("Quý {quarter} năm {year}", "Q{quarter} {year}"),
    "f06_half_1": ("6 tháng đầu năm {year}", "First half of {year}"),
    "f06_half_2": ("6 tháng cuối năm {year}", "Second half of {year}"),
    "f06_year": ("Năm {year}", "Year {year}"),
    "f06_days": ("Từ {start} đến {end}", "{start} to {end}"),
    "f06_col_no": ("STT", "No."),
    "f06_col_unit": ("Đơn vị", "Unit"),
    "f06_col_field": ("Lĩnh vực giải quyết", "Field"),
    "f06_col_received": ("Số hồ sơ nhận giải quyết", "Dossiers received for handling"),
    "f06_col_resolved": ("Số lượng hồ sơ đã giải quyết", "Dossiers resolved"),
    "f06_col_pending": ("Số lượng hồ sơ đang giải quyết", "Dossiers in progress"),
    "f06_col_total": ("Tổng số", "Total"),
    "f06_col_of_which": ("Trong đó", "Of which"),
    "f06_col_4": ("Số mới tiếp nhận trực tuyến", "New, received online"),
    "f06_col_5": (
        "Số mới tiếp nhận trực tiếp hoặc qua dịch vụ bưu chính",
        "New, received in person or by post",
    ),
    "f06_col_6": ("Số kỳ trước chuyển qua", "Carried over"),
    "f06_col_8": ("Trước hạn", "Early"),
    "f06_col_9": ("Đúng hạn", "On time"),
    "f06_col_10": ("Quá hạn", "Late"),
    "f06_col_12": ("Trong hạn", "Within due"),
    "f06_col_13": ("Quá hạn", "Overdue"),
    "f06_total": ("TỔNG CỘNG TOÀN TỈNH", "PROVINCE TOTAL"),
    "f06_departments": ("Sở, ban, ngành cấp tỉnh", "Provincial departments and agencies"),
    "f06_units_below": ("Các đơn vị {levels}", "Units at {levels}"),
    "f06_own": ("Các cơ quan {level}", "Agencies at {level}"),
    "f06_level_group": ("Đơn vị {level}", "Units at {level}"),
    "f06_and": (" và ", " and "),
    "f06_notes_title": ("Ghi chú:", "Notes:"),
    "f06_note_identity": (
        "(3) = (4) + (5) + (6) = (7) + (11); (7) = (8) + (9) + (10); (11) = (12) + (13). Hồ sơ được "
        "tính cho đơn vị của cơ quan trực tiếp giải quyết; số của nhóm là tổng các dòng trong nhóm.",
        "(3) = (4) + (5) + (6) = (7) + (11); (7) = (8) + (9) + (10); (11) = (12) + (13). A dossier "
        "counts for the unit of the agency that handles it; a group's figures are the sums of its rows.",
    ),
    "f06_note_resolved": (
        "Đã giải quyết: hồ sơ có kết quả, đã trả kết quả, bị từ chối hoặc dừng, tính tại thời điểm đó; "
        "hồ sơ công dân rút sau khi đã tiếp nhận tính là đã giải quyết tại thời điểm rút; hồ sơ đang "
        "chờ bổ sung tính là đã giải quyết tại thời điểm yêu cầu bổ sung.",
        "Resolved: processed, returned, refused or stopped, at that time; a dossier withdrawn by the "
        "citizen after receipt is resolved at its withdrawal; one waiting for a supplement is "
        "resolved at the request.",
    ),
    "f06_note_classes": (
        "Trước hạn: giải quyết xong trước ngày hẹn trả; đúng hạn: trong ngày hẹn trả, không muộn hơn "
        "giờ hẹn; thời gian công dân bổ sung hồ sơ không tính vào thời gian giải quyết; hồ sơ đã yêu "
        "cầu bổ sung từ hai lần trở lên là quá hạn (Quyết định 766/QĐ-TTg).",
        "Early: resolved on a day before the due day; on time: on the due day, by the due time; a "
        "citizen's time to supplement a dossier is not counted; a dossier with two or more supplement "
        "requests is late (Decision 766/QĐ-TTg).",
    ),
    "f06_note_moments": (
        "Kỳ trước chuyển qua: hồ sơ chưa giải quyết xong khi bắt đầu kỳ. Đang giải quyết: tại {moment}.",
        "Carried over: not resolved when the period began. In progress: at {moment}.",
    ),
    "f06_sample": (
        "Dữ liệu mẫu do chương trình sinh ra, không phải số liệu thật của tỉnh.",
        "Generated sample data, not the province's real figures.",
    ),
    "f06_maker": ("NGƯỜI LẬP BIỂU", "PREPARED BY"),
    "f06_head": ("THỦ TRƯỞNG CƠ QUAN", "HEAD OF AGENCY"),
    "f06_sign": ("(Ký, ghi rõ họ tên)", "(Signature, full name)"),
    "f06_sign_seal": ("(Ký, đóng dấu, ghi rõ họ tên)", "(Signature, seal, full name)"),
    "f06_place_date": ("{place}, ngày {day} tháng {month} năm {year}", "{place}, {day}/{month}/{year}"),
    "f06_page": ("Trang {page}/{pages}", "Page {page} of {pages}"),
    "f06_sheet": ("Biểu 06", "Form 06"),
    "f06_err_by": (
        "Không có cách lập biểu '{value}': dùng unit hoặc field.",
        "No layout '{value}': use unit or field.",
    ),
    "f06_err_level": (
        "Không có cấp '{value}' trong kỳ này; các cấp có: {known}.",
        "No level '{value}' in this period; levels present: {known}.",
    ),
    "f06_err_empty": (
        "Cơ sở dữ liệu chưa có đơn vị hành chính nào.",
        "The database holds no administrative unit.",
    ),
    # The "Báo cáo" section of the press room
    "rep_title": ("Báo cáo", "Reports"),
    "rep_intro": (
        "Biểu 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP) từ cùng số liệu với màn hình: chọn kỳ và cách "
        "lập, xem trước rồi tải XLSX hoặc PDF.",
        "Form 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) from the figures the wall shows: pick a period "
        "and a layout, preview, then download XLSX or PDF.",
    ),
    "rep_period": ("Kỳ báo cáo (tháng, quý, 6 tháng, năm)", "Period (month, quarter, half, year)"),
    "rep_by": ("Lập theo", "Rows by"),
    "rep_by_unit": ("Đơn vị giải quyết", "Handling unit"),
    "rep_by_field": ("Lĩnh vực", "Field"),
    "rep_level": ("Đến cấp", "Down to"),
    "rep_download": ("Tải Biểu 06 ({fmt})", "Download form 06 ({fmt})"),
    # The morning briefing
    "brief_title": ("BẢN TIN SÁNG", "MORNING BRIEFING"),
    "brief_subtitle": (
        "Giải quyết thủ tục hành chính — {province}",
        "Administrative procedures — {province}",
    ),
    "brief_made": ("Ngày {date}", "{date}"),
    "brief_period": ("Số liệu: {period}", "Figures: {period}"),
    "brief_data_until": ("Dữ liệu đến {time}", "Data up to {time}"),
    "brief_yesterday": ("ngày {date}", "{date}"),
    "brief_days": ("từ {start} đến {end}", "{start} to {end}"),
    "brief_agency": ("Sở, ban, ngành", "Provincial agency"),
    "brief_pulling": (
        "Năm đơn vị, cơ quan kéo tỷ lệ đúng hạn của tỉnh xuống nhiều nhất",
        "The five units and agencies pulling the province's on-time rate down most",
    ),
    "brief_pulling_note": (
        "Hồ sơ trễ hạn: đã giải quyết quá hạn, yêu cầu bổ sung từ hai lần, hoặc đang giải quyết đã "
        "quá hạn; tỷ trọng: phần của đơn vị trong tổng số hồ sơ trễ hạn của tỉnh.",
        "Late dossiers: settled late, two or more supplement requests, or open past due; share: the "
        "unit's part of the province's late dossiers.",
    ),
    "brief_col_unit": ("Đơn vị, cơ quan", "Unit or agency"),
    "brief_col_place": ("Đơn vị", "Unit"),
    "brief_col_agency": ("Cơ quan", "Agency"),
    "brief_col_kind": ("Cấp", "Kind"),
    "brief_col_late": ("Hồ sơ trễ hạn", "Late dossiers"),
    "brief_col_share": ("Tỷ trọng", "Share"),
    "brief_col_rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "brief_none_late": ("Không có hồ sơ trễ hạn trong kỳ.", "No late dossier in the period."),
    "brief_overdue": ("Hồ sơ đang quá hạn", "Dossiers overdue"),
    "brief_overdue_none": ("Không có hồ sơ nào đang quá hạn.", "No dossier is overdue."),
    "brief_overdue_cut": (
        "Danh sách chỉ gồm {n} dòng có hạn sớm nhất.",
        "Only the {n} lines with the earliest due dates are listed.",
    ),
    "brief_col_procedure": ("Thủ tục", "Procedure"),
    "brief_col_count": ("Số hồ sơ", "Dossiers"),
    "brief_col_due": ("Hạn sớm nhất", "Earliest due"),
    "brief_page": (
        "Bản tin sáng {date} — trang {page}/{pages}",
        "Morning briefing {date} — page {page}/{pages}",
    ),
    "brief_mail_subject": (
        "Bản tin sáng {date}: tỷ lệ đúng hạn {rate} — {province}",
        "Morning briefing {date}: on-time rate {rate} — {province}",
    ),
    "brief_mail_body": (
        "Kính gửi lãnh đạo,\n\nBản tin sáng ngày {date} về tình hình giải quyết thủ tục hành chính "
        "của {province} ({period}) được gửi kèm theo thư này dưới dạng tệp PDF.\n\nTỷ lệ hồ sơ đúng hạn: "
        "{rate}. Dữ liệu đến {until}.\n{sample}\nThư được gửi tự động từ Trung tâm Điều hành thông minh.",
        "The morning briefing of {date} on the handling of administrative procedures in {province} "
        "({period}) is attached as a PDF.\n\nOn-time rate: {rate}. Data up to {until}.\n{sample}\n"
        "Sent automatically by the Intelligent Operations Centre.",
    ),
    "brief_mail_failed": ("không gửi được thư: {reason}", "the mail was not sent: {reason}"),
    "brief_mail_sent": ("đã gửi thư tới {n} người nhận", "mail sent to {n} recipient(s)"),
    "brief_mail_unset": (
        "chưa cấu hình gửi thư: cần IOC_SMTP_HOST, IOC_MAIL_FROM và IOC_MAIL_TO",
        "mail is not configured: IOC_SMTP_HOST, IOC_MAIL_FROM and IOC_MAIL_TO are needed",
    ),
}
