"""Texts of the Press room (Xuất bản) and of the exported charts, Vietnamese first."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "nav_press": ("Xuất bản", "Press room"),
    "press_title": ("Xuất bản biểu đồ cho báo chí", "Charts for the press"),
    "press_intro": (
        "Chọn biểu đồ, đơn vị và kỳ báo cáo; xem trước rồi tải về PNG (2× cho in ấn), SVG, PDF "
        "và dữ liệu CSV/XLSX. Tệp chỉ được tạo khi bấm tải.",
        "Pick a chart, a unit and a period; preview it, then download PNG (2× for print), SVG, "
        "PDF and the data as CSV/XLSX. Files are built only when you click.",
    ),
    "press_preview_note": (
        "Bản xem trước dùng phông của trình duyệt; tệp tải về dùng phông Be Vietnam Pro đi kèm.",
        "The preview uses the browser's fonts; downloaded files use the shipped Be Vietnam Pro font.",
    ),
    "press_chart": ("Biểu đồ", "Chart"),
    "press_chart_headline": ("Chỉ số chính", "Headline figures"),
    "press_chart_ranking": ("Xếp hạng", "Ranking"),
    "press_chart_trend": ("Diễn biến theo tháng", "Monthly trend"),
    "press_chart_map": ("Bản đồ", "Map"),
    "press_chart_channels": ("Kênh tiếp nhận", "Channel mix"),
    "press_chart_score": ("Điểm 766 (xếp hạng)", "766 score (ranking)"),
    "press_score_title": ("Điểm 766 — {scope}, {period}", "766 score — {scope}, {period}"),
    "press_score_sub": (
        "Điểm chính thức của Cổng Dịch vụ công quốc gia nơi đã công bố cho đúng kỳ này "
        "({official}/{count} đơn vị); nơi chưa có: điểm ước tính",
        "The national portal's official score where published for exactly this period "
        "({official} of {count} units); elsewhere the estimate",
    ),
    "press_score_rules": (
        "Ước tính theo {rules}, trên tối đa {max} điểm đo được từ dữ liệu hồ sơ",
        "Estimate by {rules}, out of the {max} points the dossier data can measure",
    ),
    "press_score_official": ("Chính thức (Cổng DVCQG)", "Official (national portal)"),
    "press_score_estimate": ("Ước tính ({rules})", "Estimate ({rules})"),
    "press_score_value_official": ("{value} (chính thức)", "{value} (official)"),
    "press_score_value_estimate": ("{value} (ước tính)", "{value} (estimate)"),
    "press_level": ("Cấp đơn vị", "Level"),
    "press_unit": ("Đơn vị", "Unit"),
    "press_metric": ("Chỉ số", "Metric"),
    "press_period": ("Kỳ báo cáo", "Period"),
    "press_period_mtd": ("Tháng này (đến hôm nay)", "This month to date"),
    "press_download": ("Tải {fmt}", "Download {fmt}"),
    "press_data_title": ("Dữ liệu của biểu đồ", "Data behind the chart"),
    "press_no_seats": (
        "Chưa có tọa độ trụ sở của các đơn vị này: xem bảng số liệu.",
        "These units have no seat coordinates: see the data table.",
    ),
    # Inside the charts
    "press_month": ("tháng {month}/{year}", "{month}/{year}"),
    "press_quarter": ("quý {quarter}/{year}", "Q{quarter} {year}"),
    "press_year": ("năm {year}", "{year}"),
    "press_to_date": ("{period} (đến {day})", "{period} (to {day})"),
    "press_units_of_level": ("các đơn vị {level}", "{level} units"),
    "press_headline_title": (
        "Kết quả giải quyết TTHC — {unit}, {period}",
        "Procedure results — {unit}, {period}",
    ),
    "press_headline_sub": (
        "Các chỉ số chính; tỷ lệ đúng hạn tính theo Quyết định 766/QĐ-TTg",
        "Headline figures; on-time rate by Decision 766/QĐ-TTg",
    ),
    "press_metric_title": ("{metric} — {scope}, {period}", "{metric} — {scope}, {period}"),
    "press_ranking_sub": ("Xếp hạng {count} đơn vị {level}", "Ranking of {count} {level} units"),
    "press_trend_sub": (
        "Số liệu từng tháng, {count} tháng đến {last}",
        "Monthly figures, {count} months to {last}",
    ),
    "press_months": ("{first}–{last}", "{first}–{last}"),
    "press_map_sub": (
        "Mỗi vòng tròn đặt tại trụ sở một đơn vị (vị trí gần đúng, không phải ranh giới hành chính)",
        "Each circle sits at a unit's seat (approximate; not an administrative boundary)",
    ),
    "press_channels_title": (
        "Hồ sơ theo kênh tiếp nhận — {scope}, {period}",
        "Dossiers by channel — {scope}, {period}",
    ),
    "press_channels_sub": (
        "Tỷ lệ trên tổng số hồ sơ tiếp nhận trong kỳ",
        "Share of the dossiers received in the period",
    ),
    "press_target_at_least": ("Mục tiêu ≥ {value}", "Target ≥ {value}"),
    "press_target_at_most": ("Mục tiêu ≤ {value}", "Target ≤ {value}"),
    "press_online_target": ("Mục tiêu trực tuyến ≥ {value}", "Online target ≥ {value}"),
    "press_suppressed_count": ("<{min}", "<{min}"),
    "press_suppressed_rate": ("ẩn", "hidden"),
    "press_suppression_note": (
        "Ô có dưới {min} hồ sơ được ẩn (“<{min}”, “ẩn”) để không nhận diện được cá nhân.",
        "Cells with fewer than {min} dossiers are hidden (“<{min}”, “hidden”) so no one can be singled out.",
    ),
    "press_sample_line": (
        "Dữ liệu mẫu — do chương trình sinh ra, không phải số liệu thật của tỉnh.",
        "Sample data — generated, not the province's real figures.",
    ),
    "press_channel_online": ("Trực tuyến", "Online"),
    "press_channel_direct": ("Trực tiếp", "In person"),
    "press_channel_postal": ("Bưu chính", "Postal"),
    "press_channel_merged": ("{channels} (gộp)", "{channels} (merged)"),
    "press_channel_pair": ("{channels} ở {count} đơn vị", "{channels} in {count} units"),
    "press_channels_hidden": (
        "Kênh có dưới {min} hồ sơ được ẩn cùng kênh nhỏ nhất còn lại của đơn vị (để không suy ra "
        "được từ tổng số) và vẽ gộp thành một đoạn: {groups}.",
        "A channel with fewer than {min} dossiers is hidden with the unit's smallest other channel "
        "(so it cannot be worked out from the total) and the two are drawn as one segment: {groups}.",
    ),
    "press_channels_small_units": (
        "{count} đơn vị có dưới {min} hồ sơ không được vẽ (“<{min}”).",
        "{count} units with fewer than {min} dossiers are not drawn (“<{min}”).",
    ),
    "press_map_unknown": ("Không có số liệu hoặc ẩn", "No data or hidden"),
    # Column headers of the exported data
    "press_col_code": ("Mã đơn vị", "Unit code"),
    "press_col_unit": ("Đơn vị", "Unit"),
    "press_col_rank": ("Hạng", "Rank"),
    "press_col_base": ("Số hồ sơ", "Dossiers"),
    "press_col_month": ("Tháng", "Month"),
    "press_col_metric": ("Chỉ số", "Metric"),
    "press_col_value": ("Giá trị", "Value"),
    "press_col_target": ("Mục tiêu", "Target"),
    "press_col_handled": ("Hồ sơ đã xử lý", "Dossiers handled"),
    "press_col_official": ("Điểm chính thức", "Official score"),
    "press_col_estimate": ("Điểm ước tính", "Estimated score"),
    "press_col_gap": ("Chênh lệch (ước tính − chính thức)", "Gap (estimate − official)"),
    "press_col_shown": ("Điểm trên biểu đồ", "Score charted"),
    "press_col_channel_n": ("{channel} (hồ sơ)", "{channel} (dossiers)"),
    "press_col_channel_share": ("{channel} (tỷ lệ)", "{channel} (share)"),
    "press_sheet_data": ("Dữ liệu", "Data"),
    "press_sheet_notes": ("Ghi chú", "Notes"),
    # Errors (page and command line)
    "press_err_level": (
        "Cấp '{value}' không có trong dữ liệu; các cấp hiện có: {known}.",
        "Level '{value}' is not in the data; levels present: {known}.",
    ),
    "press_err_unit": ("Không có đơn vị mã '{value}'{where}.", "No unit with code '{value}'{where}."),
    "press_err_metric": (
        "Chỉ số '{value}' không có trong danh mục; các chỉ số: {known}.",
        "Metric '{value}' is not in the registry; known: {known}.",
    ),
    "press_err_chart": (
        "Biểu đồ '{value}' không tồn tại; chọn: {known}.",
        "No chart '{value}'; pick: {known}.",
    ),
}
