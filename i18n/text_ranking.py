"""Texts of the ranking and my-unit screens and of sign-in (Vietnamese, English)."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "nav_ranking": ("Xếp hạng", "Ranking"),
    "nav_my_unit": ("Đơn vị của tôi", "My unit"),
    # Controls
    "rk_level": ("Cấp xếp hạng", "Level"),
    "rk_level_agency": ("Sở, ban, ngành", "Agencies"),
    "rk_metric": ("Xếp hạng theo", "Rank by"),
    "rk_period": ("Kỳ", "Period"),
    "rk_period_kind": ("Loại kỳ", "Period type"),
    "rk_kind_mtd": ("Tháng này (đến nay)", "This month to date"),
    "rk_kind_month": ("Tháng", "Month"),
    "rk_kind_quarter": ("Quý", "Quarter"),
    "rk_kind_year": ("Năm", "Year"),
    "rk_kind_custom": ("Tùy chọn", "Custom"),
    "rk_quarter_label": ("Quý {quarter}/{year}", "Q{quarter} {year}"),
    "rk_year_label": ("Năm {year}", "{year}"),
    "rk_custom_pick": ("Từ ngày – đến ngày", "From – to"),
    "rk_unit_pick": ("Xem chi tiết điểm của đơn vị", "Score breakdown of"),
    # Ranking table
    "rk_title": ("Xếp hạng {level}", "Ranking — {level}"),
    "rk_change": ("Thay đổi", "Change"),
    "rk_handled": ("Hồ sơ xử lý", "Dossiers handled"),
    "rk_band": ("So với mục tiêu", "Against targets"),
    "rk_targets_met": ("đạt {met}/{judged} mục tiêu", "{met}/{judged} targets met"),
    "rk_status_met": ("Đạt", "Met"),
    "rk_shape_help": (
        "Hình của trạng thái, bên cạnh chữ: tròn xanh lục là Đạt, tam giác đỏ cam là Chưa đạt, "
        "vòng xám là chưa đánh giá.",
        "The status's shape, beside its word: a green circle is Met, a vermillion triangle Missed, "
        "a grey ring not judged.",
    ),
    "rk_status_missed": ("Chưa đạt", "Missed"),
    "rk_status_unknown": ("—", "—"),
    "rk_mark": ("Đang xem", "Selected"),
    "rk_wall_between": ("… {n} đơn vị ở giữa …", "… {n} units in between …"),
    "rk_wall_all": ("Tất cả {n} đơn vị.", "All {n} units."),
    "rk_wall_cut_small": (
        "{shown} trong {total} đơn vị; {small} đơn vị ít hồ sơ khác (không xếp hạng) không hiện ở đây.",
        "{shown} of {total} units; {small} more with few dossiers (unranked) are not shown here.",
    ),
    "rk_wall_cut": (
        "{shown} trong {total} đơn vị: đầu và cuối bảng xếp hạng ({small} đơn vị ít hồ sơ không xếp hạng).",
        "{shown} of {total} units: the top and bottom of the ranking ({small} with few dossiers unranked).",
    ),
    "rk_col_note": ("Ghi chú", "Note"),
    "rk_points_of": ("{group} (/{max})", "{group} (/{max})"),
    "rk_group_transparency": ("Công khai, minh bạch", "Transparency"),
    "rk_group_progress": ("Tiến độ", "Progress"),
    "rk_group_online": ("Dịch vụ trực tuyến", "Online services"),
    "rk_group_payment": ("Thanh toán trực tuyến", "Online payment"),
    "rk_group_digitisation": ("Số hóa", "Digitisation"),
    "rk_group_satisfaction": ("Mức độ hài lòng", "Satisfaction"),
    "rk_ties_note": (
        "Đồng hạng khi bằng điểm (1, 2, 2, 4). Thay đổi so với {previous}. Đơn vị có dưới {min} hồ sơ "
        "trong kỳ được đánh dấu, không xếp hạng.",
        "Ties share a rank (1, 2, 2, 4). Change against {previous}. Units with fewer than {min} "
        "dossiers in the period are flagged, not ranked.",
    ),
    "rk_score_note": (
        "Điểm 766 là ước tính từ dữ liệu hồ sơ của tỉnh, trên {max} điểm đo được; nhóm công khai, "
        "minh bạch không đo được ở đây. Điểm 766 không có thang xếp loại chính thức: cột cuối so "
        "với các mục tiêu.",
        "The 766 score is estimated from local dossier data, out of the {max} points measurable here; "
        "transparency is not measured here. The 766 score has no official band: the last column "
        "compares with the targets.",
    ),
    "rk_no_units": ("Không có đơn vị nào ở cấp này.", "No units at this level."),
    # Score breakdown
    "rk_breakdown_title": ("Chi tiết điểm 766 — {unit}", "766 score breakdown — {unit}"),
    "rk_col_group": ("Nhóm", "Group"),
    "rk_col_criterion": ("Tiêu chí", "Criterion"),
    "rk_col_rate": ("Tỷ lệ", "Rate"),
    "rk_col_target": ("Mục tiêu", "Target"),
    "rk_official": ("Điểm chính thức", "Official score"),
    "rk_estimate": ("Ước tính", "Estimate"),
    "rk_gap": ("Chênh lệch", "Gap"),
    "rk_official_measured": ("Các nhóm đo được ở đây", "Groups measured here"),
    "rk_official_title": (
        "So với điểm chính thức của Cổng Dịch vụ công quốc gia",
        "Against the national portal's published score",
    ),
    "rk_official_note": (
        "Điểm chính thức do đơn vị nhập từ Cổng (portal_scores.csv) cho đúng kỳ này. Chênh lệch = ước "
        "tính − chính thức, trên các nhóm đo được ở đây.",
        "Official points as imported from the portal (portal_scores.csv) for exactly this period. "
        "Gap = estimate − official, over the groups measured here.",
    ),
    "rk_col_full_at": ("Ngưỡng đủ điểm", "Full points at"),
    "rk_col_points": ("Điểm", "Points"),
    "rk_col_numerator": ("Tử số", "Numerator"),
    "rk_col_denominator": ("Mẫu số", "Denominator"),
    "rk_col_rule": ("Quy tắc", "Rule"),
    "rk_not_measured": ("không đo được ở đây", "not measured here"),
    "rk_no_data_points": (
        "{points} (không có dữ liệu để đánh giá)",
        "{points} (no data to judge)",
    ),
    "rk_total_estimate": (
        "Tổng điểm ước tính theo {rules}: **{score} / {max}** điểm đo được (thang 100; các tiêu chí "
        "ghi “không đo được ở đây” nằm ngoài tổng). Điểm chính thức do Cổng Dịch vụ công quốc gia công bố.",
        "Estimated total by {rules}: **{score} / {max}** measurable points (of 100; criteria marked "
        "“not measured here” are outside the total). The national portal's score is authoritative.",
    ),
    "rk_rule_points": (
        "Điểm = tối đa × min(1, tỷ lệ / ngưỡng đủ điểm); không có ngưỡng: tối đa × tỷ lệ. "
        "Tiêu chí không có dữ liệu: 0 điểm, riêng hai tiêu chí phản ánh kiến nghị được đủ điểm khi "
        "không có phản ánh (cách tính 2026).",
        "Points = max × min(1, rate / full-points threshold); without a threshold: max × rate. A "
        "criterion with no data scores 0, except the two feedback criteria, full when there is no "
        "feedback (2026 formulas).",
    ),
    # My unit
    "mu_pick": ("Đơn vị", "Unit"),
    "mu_desks": (
        "Nơi nộp hồ sơ: các bộ phận một cửa của đơn vị tiếp nhận {desk} hồ sơ trong kỳ; trong {received} "
        "hồ sơ đơn vị xử lý, {outside} hồ sơ ({share}) được tiếp nhận ở nơi khác.",
        "Where dossiers are submitted: the unit's desks received {desk} dossiers in the period; of the "
        "{received} dossiers the unit handles, {outside} ({share}) were received elsewhere.",
    ),
    "mu_pick_placeholder": ("Chọn đơn vị…", "Choose a unit…"),
    "mu_choose": (
        "Chọn một đơn vị để xem vị trí, điểm và những gì kéo đơn vị xuống.",
        "Choose a unit to see where it stands, its score and what pulls it down.",
    ),
    "mu_title": ("Đơn vị của tôi — {unit}", "My unit — {unit}"),
    "mu_rank_tile": ("Hạng theo điểm 766 ({level})", "Rank by 766 score ({level})"),
    "mu_rank_value": ("{rank}/{n}", "{rank} of {n}"),
    "mu_unranked": ("Không xếp hạng", "Not ranked"),
    "mu_only_unit": (
        "Cấp này chỉ có một đơn vị: không có bảng xếp hạng.",
        "Only one unit at this level: no ranking.",
    ),
    "mu_positions": ("Vị trí trong các bảng xếp hạng", "Place in every ranking"),
    "mu_col_ranking": ("Bảng xếp hạng", "Ranking"),
    "mu_col_value": ("Giá trị", "Value"),
    "mu_col_leader": ("Dẫn đầu", "Leader"),
    "mu_col_gap_leader": ("Cách dẫn đầu", "Gap to leader"),
    "mu_col_gap_target": ("Cách mục tiêu", "Gap to target"),
    "mu_peers": ("Bảng xếp hạng {level} theo {metric}", "Ranking of the {level} by {metric}"),
    "mu_trend": ("Xu hướng {months} tháng: {metric}", "{months}-month trend: {metric}"),
    "mu_trend_months": ("Số tháng", "Months"),
    "mu_trend_note": (
        "Mỗi điểm là tỷ lệ của cả tháng (tổng tử số / tổng mẫu số); tháng có dưới {min} hồ sơ được "
        "vẽ nhạt. Đường ngang: mục tiêu {target}.",
        "Each point is the month's ratio (sum of numerators / sum of denominators); months with fewer "
        "than {min} dossiers are drawn faint. Horizontal line: target {target}.",
    ),
    "mu_trend_score": (
        "Điểm 766 cần số liệu PAKN và thủ tục theo tháng; xu hướng hiển thị tỷ lệ đúng hạn.",
        "The 766 score needs monthly feedback and procedure data; the trend shows the on-time rate.",
    ),
    "mu_month": ("Tháng", "Month"),
    "mu_small_month": ("ít hồ sơ", "few dossiers"),
    "mu_pulls_down": ("Điều gì kéo {unit} xuống", "What pulls {unit} down"),
    "mu_pulls_note": (
        "Xếp theo số hồ sơ trễ hạn (hoặc số đánh giá không hài lòng), không theo tỷ lệ; cột cuối là "
        "phần của tổng số trễ hạn (không hài lòng) của đơn vị: {late} hồ sơ trễ hạn, {unsatisfied} "
        "đánh giá không hài lòng.",
        "Ordered by late dossiers (or unsatisfied ratings), not by rate; the last column is the share "
        "of the unit's total: {late} late dossiers, {unsatisfied} unsatisfied ratings.",
    ),
    "mu_part_subunit": ("Đơn vị trực thuộc", "Units below"),
    "mu_part_agency": ("Cơ quan xử lý", "Agencies"),
    "mu_part_field": ("Lĩnh vực", "Fields"),
    "mu_part_procedure": ("Thủ tục", "Procedures"),
    "mu_most_late": ("Nhiều hồ sơ trễ hạn nhất", "Most late dossiers"),
    "mu_most_unsatisfied": ("Nhiều đánh giá không hài lòng nhất", "Most unsatisfied ratings"),
    "mu_col_name": ("Tên", "Name"),
    "mu_col_late": ("Trễ hạn", "Late"),
    "mu_col_unsatisfied": ("Không hài lòng", "Unsatisfied"),
    "mu_col_rated": ("Lượt đánh giá", "Ratings"),
    "mu_col_share": ("Phần của đơn vị", "Share of unit"),
    "mu_small_part": ("mẫu số nhỏ (dưới {min})", "small denominator (under {min})"),
    "mu_nothing": ("Không có gì kéo xuống ở đây trong kỳ này.", "Nothing pulls it down here in this period."),
    "mu_cut": ("Chỉ hiện {n} dòng đầu.", "Showing the first {n} rows only."),
    # Access
    "acc_sign_in_needed": ("Cần đăng nhập để xem trang này.", "Sign in to see this page."),
    "acc_sign_in": ("Đăng nhập", "Sign in"),
    "acc_sign_out": ("Đăng xuất", "Sign out"),
    "acc_signed_in_as": ("Đăng nhập: {email} — đơn vị {unit}", "Signed in as {email} — unit {unit}"),
    "acc_no_unit": ("chưa gán", "none assigned"),
    "acc_login_failed": (
        "Không đăng nhập được: {reason}. Kiểm tra mục [auth] trong .streamlit/secrets.toml (docs/screens.md, "
        '"Đăng nhập và phân quyền").',
        "Sign-in failed: {reason}. Check [auth] in .streamlit/secrets.toml (docs/screens.md, "
        '"Sign-in and access").',
    ),
    "acc_drill_hidden": (
        "Danh sách chi tiết chỉ hiển thị cho đơn vị của bạn ({unit}) và các đơn vị trực thuộc.",
        "Detailed lists are shown only for your unit ({unit}) and the units below it.",
    ),
}
