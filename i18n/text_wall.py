"""Texts of the wall: the live overview, alarms, the intake strip, the overdue list, kiosk mode."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    # What each tile measures (its tooltip): the rule in a sentence, docs/rules.md in full.
    "help_on_time_rate": (
        "Hồ sơ giải quyết sớm hạn, đúng hạn và hồ sơ đang xử lý còn trong hạn, trên tổng hồ sơ "
        "đã giải quyết trong kỳ hoặc đang xử lý cuối kỳ. Hồ sơ chờ bổ sung tính là đã giải quyết "
        "tại thời điểm yêu cầu; từ hai lần yêu cầu bổ sung là trễ hạn.",
        "Dossiers finished early or on time plus those still in progress and within their due "
        "date, over dossiers finished in the period or open at its end. A dossier waiting for a "
        "supplement counts as finished at the request; two or more requests make it late.",
    ),
    "help_on_time_rate_finished": (
        "Hồ sơ giải quyết sớm hạn và đúng hạn trên hồ sơ đã giải quyết xong trong kỳ "
        "(hồ sơ đang chờ bổ sung chưa tính là đã giải quyết).",
        "Dossiers finished early or on time over dossiers finished in the period (a dossier "
        "waiting for a supplement is not finished here).",
    ),
    "help_overdue_in_progress": (
        "Số hồ sơ đang xử lý đã quá hạn tại thời điểm lấy số liệu.",
        "Open dossiers already past their due date when the figures were taken.",
    ),
    "help_received": (
        "Hồ sơ tiếp nhận trong kỳ, mọi kênh (trực tiếp, bưu chính, trực tuyến).",
        "Dossiers received in the period, every channel (desk, post, online).",
    ),
    "help_online_share": (
        "Hồ sơ tiếp nhận trực tuyến trên tổng hồ sơ tiếp nhận trong kỳ.",
        "Dossiers received online over all dossiers received in the period.",
    ),
    "help_online_payment_share": (
        "Hồ sơ có phí, lệ phí được thanh toán trực tuyến trên hồ sơ có phí, lệ phí.",
        "Dossiers whose fee was paid online over dossiers with a fee.",
    ),
    "help_satisfaction_rate": (
        "Đánh giá rất hài lòng và hài lòng trên tổng số đánh giá của hồ sơ đã giải quyết.",
        "Very satisfied and satisfied ratings over all ratings of finished dossiers.",
    ),
    "wall_received_today": ("Tiếp nhận hôm nay", "Received today"),
    "wall_today_count": ("hôm nay {n}", "today {n}"),
    "wall_vs_yesterday": ("so với cùng giờ hôm qua", "vs yesterday at the same time"),
    "wall_alarm_title": ("CẢNH BÁO", "ALERT"),
    "wall_rule_below_target_by": (
        "thấp hơn mục tiêu {target} quá {margin}",
        "more than {margin} below the {target} target",
    ),
    "wall_rule_above_limit": ("vượt ngưỡng cảnh báo {threshold}", "above the alert threshold of {threshold}"),
    "wall_rule_below_limit": ("dưới ngưỡng cảnh báo {threshold}", "below the alert threshold of {threshold}"),
    "wall_alarm_province_line": ("Toàn tỉnh: {rule} ({value})", "Province: {rule} ({value})"),
    "wall_alarm_units_line": ("{level}: {rule} — {units}", "{level}: {rule} — {units}"),
    "wall_alarm_more": ("và {n} đơn vị khác", "and {n} more units"),
    "wall_measure_overdue_share": ("Tỷ lệ quá hạn trên hồ sơ đang xử lý", "Overdue share of open dossiers"),
    "wall_overdue_limit": ("Ngưỡng: {value} đang xử lý", "Alert above {value} of open"),
    "wall_alarm_limit": ("Ngưỡng cảnh báo: {value}", "Alert threshold: {value}"),
    "wall_intake_title": ("Tiếp nhận hồ sơ theo giờ hôm nay", "Dossiers received today, by hour"),
    "wall_intake_yesterday": (
        "Hôm qua đến cùng giờ: {count} hồ sơ",
        "Yesterday up to the same time: {count} dossiers",
    ),
    "wall_hour": ("Giờ", "Hour"),
    "wall_dossiers": ("Hồ sơ", "Dossiers"),
    "wall_channel": ("Kênh", "Channel"),
    "wall_channel_online": ("Trực tuyến", "Online"),
    "wall_channel_other": ("Trực tiếp, bưu chính", "In person, post"),
    "wall_overdue_title": ("Hồ sơ quá hạn lâu nhất", "Longest-overdue dossiers"),
    "wall_overdue_title_cut": ("{title} ({n} nhóm đầu)", "{title} (first {n} groups)"),
    "wall_overdue_title_cut_one": ("{title} (1 nhóm đầu)", "{title} (first group)"),
    "wall_overdue_agency": ("Cơ quan", "Agency"),
    "wall_overdue_procedure": ("Thủ tục", "Procedure"),
    "wall_overdue_unit": ("Nơi tiếp nhận", "Received at"),
    "wall_overdue_count": ("Số hồ sơ", "Dossiers"),
    "wall_overdue_days": ("Quá hạn (ngày làm việc)", "Overdue (working days)"),
    "wall_overdue_none": ("Không có hồ sơ đang xử lý quá hạn.", "No dossier in progress is overdue."),
    "wall_overdue_cut": (
        "Chỉ hiện {n} nhóm quá hạn lâu nhất; xem tổng số ở ô «Hồ sơ đang xử lý quá hạn».",
        "Only the {n} longest-overdue groups are listed; the tile «Overdue in progress» has the total.",
    ),
    "wall_section_unavailable": ("Chưa có số liệu: {reason}", "No figures yet: {reason}"),
    "wall_next": ("Tiếp theo: {screen}", "Next: {screen}"),
    "wall_refused_screens": (
        "Màn hình không có bố cục cho màn hình tường, không đưa vào vòng quay: {names}. "
        "Các màn hình tường: {known}.",
        "Screens without a wall layout are left out of the rotation: {names}. Wall screens: {known}.",
    ),
    "wall_unknown_screens": (
        "Bỏ qua màn hình không có: {names}. Các màn hình có: {known}.",
        "Ignoring unknown screens: {names}. Known screens: {known}.",
    ),
    "wall_board_title": ("Theo {level}", "By {level}"),
    "wall_board_all": ("tất cả đơn vị, kém nhất trước", "every unit, worst first"),
    "wall_board_cut": ("{n} đơn vị kém nhất trong {total}", "the {n} worst of {total} units"),
    "wall_board_status": ("So mục tiêu", "Against target"),
    "wall_board_overdue": ("Quá hạn", "Overdue"),
    "wall_status_near": ("Gần đạt", "Nearly met"),
    "small_unit_short": ("ít hồ sơ", "few dossiers"),
}
