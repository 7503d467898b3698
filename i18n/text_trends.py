"""Texts of the trend screens (satisfaction, online services, feedback, processing time)."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "nav_satisfaction": ("Mức độ hài lòng", "Satisfaction"),
    "nav_online": ("Dịch vụ công trực tuyến", "Online services"),
    "nav_feedback": ("Phản ánh kiến nghị", "Citizen feedback"),
    "nav_processing": ("Thời gian giải quyết", "Processing time"),
    "tr_no_province": ("Cơ sở dữ liệu chưa có đơn vị cấp tỉnh.", "The database holds no province unit."),
    "tr_filter_level": ("Cấp so sánh", "Compare at level"),
    "tr_filter_unit": ("Đơn vị", "Unit"),
    "tr_filter_period": ("Thời gian", "Period"),
    "tr_filter_field": ("Lĩnh vực", "Field"),
    "tr_whole_province": ("Toàn tỉnh ({name})", "Whole province ({name})"),
    "tr_all_fields": ("Tất cả lĩnh vực", "All fields"),
    "tr_period_12m": ("12 tháng gần nhất", "Last 12 months"),
    "tr_period_24m": ("24 tháng gần nhất", "Last 24 months"),
    "tr_period_all": ("Toàn bộ (từ {first})", "All history (from {first})"),
    "tr_period_year": ("Năm {year}", "Year {year}"),
    "tr_field_is": ("Lĩnh vực: {field}", "Field: {field}"),
    "tr_month_picked": ("Tháng đã chọn: {month}", "Month picked: {month}"),
    "tr_computing": (
        "Đang tính chuỗi số liệu {months} tháng…",
        "Computing the {months}-month series…",
    ),
    "tr_month": ("Tháng", "Month"),
    "tr_series": ("Đơn vị", "Series"),
    "tr_target": ("Mục tiêu", "Target"),
    "tr_first_met": ("Lần đầu đạt mục tiêu: {month}", "First met the target: {month}"),
    "tr_monthly_of": ("{metric} theo tháng", "{metric} by month"),
    "tr_share": ("Tỷ lệ", "Share"),
    "tr_by_unit": ("{metric} — {level}", "{metric} — {level}"),
    "tr_list_cut": (
        "Danh sách chỉ hiển thị {n} dòng đầu.",
        "The list shows only the first {n} rows.",
    ),
    "tr_channel_online": ("Trực tuyến", "Online"),
    "tr_channel_direct": ("Trực tiếp", "In person"),
    "tr_channel_postal": ("Bưu chính công ích", "Public post"),
    # Satisfaction
    "tr_ratings": ("Lượt đánh giá", "Ratings"),
    "tr_unsatisfied": ("Không hài lòng", "Unsatisfied"),
    "tr_unsatisfied_share": ("Tỷ lệ không hài lòng", "Unsatisfied share"),
    "tr_sat_targets": (
        "Mục tiêu năm {year}: chung {general}; riêng theo lĩnh vực: {fields}.",
        "Targets for {year}: general {general}; by field: {fields}.",
    ),
    "tr_sat_by_channel": ("Tỷ lệ hài lòng theo kênh nộp hồ sơ", "Satisfaction by channel"),
    "tr_sat_by_field": ("Tỷ lệ hài lòng theo lĩnh vực", "Satisfaction by field"),
    "tr_rating_distribution": ("Phân bố mức đánh giá", "Distribution of ratings"),
    "tr_rating_very_satisfied": ("Rất hài lòng", "Very satisfied"),
    "tr_rating_satisfied": ("Hài lòng", "Satisfied"),
    "tr_rating_unsatisfied": ("Không hài lòng", "Unsatisfied"),
    "tr_unsatisfied_by_field": (
        "Lĩnh vực có nhiều đánh giá không hài lòng nhất",
        "Fields with the most unsatisfied ratings",
    ),
    "tr_unsatisfied_by_agency": (
        "Cơ quan có nhiều đánh giá không hài lòng nhất",
        "Agencies with the most unsatisfied ratings",
    ),
    "tr_col_field": ("Lĩnh vực", "Field"),
    "tr_col_agency": ("Cơ quan", "Agency"),
}
TEXT.update(
    {
        # Online services
        "tr_channel_mix": ("Cơ cấu kênh nộp hồ sơ theo tháng", "Channel mix by month"),
        "tr_share_of_received": ("Tỷ lệ trên hồ sơ tiếp nhận", "Share of dossiers received"),
        "tr_largest_rise": ("Tăng mạnh nhất: {month} ({points})", "Largest rise: {month} ({points})"),
        "tr_provision_period": (
            "Trong kỳ: {used} TTHC có hồ sơ; {online} cung cấp trực tuyến, {full} toàn trình.",
            "In the period: {used} procedures with dossiers; {online} offered online, {full} full-process.",
        ),
        "tr_mostly_paper": (
            "TTHC đã cung cấp trực tuyến nhưng hồ sơ vẫn chủ yếu nộp giấy",
            "Procedures offered online that still receive mostly paper dossiers",
        ),
        "tr_mostly_paper_none": (
            "Không có TTHC trực tuyến nào nhận chủ yếu hồ sơ giấy trong kỳ.",
            "No procedure offered online received mostly paper dossiers in the period.",
        ),
        "tr_col_procedure": ("Thủ tục hành chính", "Procedure"),
        "tr_col_online_level": ("Mức trực tuyến", "Online level"),
        "tr_col_received": ("Hồ sơ tiếp nhận", "Received"),
        "tr_col_paper": ("Hồ sơ giấy", "Paper dossiers"),
        "tr_level_full": ("Toàn trình", "Full-process"),
        "tr_level_partial": ("Một phần", "Partial"),
        "tr_level_none": ("Không", "None"),
    }
)
TEXT.update(
    {
        # Feedback (PAKN)
        "tr_fb_no_field": (
            "Bộ lọc lĩnh vực không áp dụng cho phản ánh kiến nghị (PAKN được phân loại theo nhóm nội dung).",
            "The field filter does not apply to feedback (feedback is grouped by category).",
        ),
        "tr_fb_received": ("PAKN tiếp nhận", "Feedback received"),
        "tr_fb_open_overdue": ("Chưa xử lý, quá hạn", "Open, past due"),
        "tr_fb_open_overdue_help": (
            "Trong số PAKN tiếp nhận trong kỳ: chưa xử lý xong và đã quá hạn 15 ngày làm việc.",
            "Of the feedback received in the period: not yet handled and past its 15-working-day due date.",
        ),
        "tr_fb_on_time": ("Xử lý đúng hạn", "Handled on time"),
        "tr_fb_late": ("Xử lý trễ hạn", "Handled late"),
        "tr_fb_open_in_time": ("Chưa xử lý, còn hạn", "Open, within due date"),
        "tr_fb_by_month": ("PAKN theo tháng tiếp nhận và tình trạng xử lý", "Feedback by month and status"),
        "tr_fb_by_category": ("PAKN theo nhóm nội dung", "Feedback by category"),
        "tr_fb_count_on_time": ("{n} ({rate} đúng hạn)", "{n} ({rate} on time)"),
        "tr_fb_map": ("Bản đồ PAKN theo đơn vị", "Feedback by unit"),
        "tr_fb_map_volume": ("PAKN tiếp nhận: {n}", "Feedback received: {n}"),
        "tr_fb_map_note": (
            "mỗi vòng tròn đặt tại trụ sở đơn vị, kích thước theo số PAKN tiếp nhận.",
            "each bubble sits at the unit's seat, sized by the feedback received.",
        ),
    }
)
TEXT.update(
    {
        # Processing time
        "tr_working_days": ("Ngày làm việc", "Working days"),
        "tr_proc_avg_days": ("Thời gian giải quyết TB (ngày làm việc)", "Average time (working days)"),
        "tr_proc_avg_limit": ("Thời hạn quy định TB (ngày làm việc)", "Average legal limit (working days)"),
        "tr_proc_saved": ("Tỷ lệ thời gian tiết kiệm", "Time saved"),
        "tr_proc_saved_help": (
            "1 − tổng ngày làm việc đã dùng / tổng thời hạn quy định của các hồ sơ đã giải quyết "
            "(Nghị định 61/2018/NĐ-CP; ngày làm việc trừ nghỉ cuối tuần, lễ, Tết).",
            "1 − working days used / legal limits, summed over finished dossiers (Decree 61/2018; "
            "working days exclude weekends, holidays and Tết).",
        ),
        "tr_proc_finished": ("Hồ sơ đã giải quyết", "Dossiers finished"),
        "tr_proc_shorter": (
            "Thời gian giải quyết ngắn hơn {share} so với quy định.",
            "Processing took {share} less time than the legal limits.",
        ),
        "tr_proc_used": ("Thời gian thực tế TB", "Average time taken"),
        "tr_proc_allowed": ("Thời hạn quy định TB", "Average legal limit"),
        "tr_proc_days_by_month": (
            "Thời gian giải quyết so với thời hạn quy định, theo tháng",
            "Time taken against the legal limit, by month",
        ),
        "tr_proc_by_field": ("Thời gian giải quyết TB theo lĩnh vực", "Average time by field"),
        "tr_proc_days_of": ("{used} / {limit} ngày", "{used} / {limit} days"),
        "tr_proc_limit_is": ("Thời hạn TB {days} ngày", "Average limit {days} days"),
        "tr_proc_by_procedure": (
            "Thời gian giải quyết theo thủ tục (nhiều hồ sơ nhất)",
            "Processing time by procedure (most dossiers first)",
        ),
        "tr_proc_legal_limit": ("Thời hạn quy định (ngày)", "Legal limit (days)"),
    }
)
