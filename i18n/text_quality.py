"""Texts of the data-quality screen, note and check command."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "nav_quality": ("Chất lượng dữ liệu", "Data quality"),
    "quality_note": ("{n} hồ sơ bị loại do lỗi dữ liệu", "{n} dossiers excluded for data errors"),
    "quality_checking": ("Đang kiểm tra chất lượng dữ liệu…", "Checking data quality…"),
    "quality_ok": ("Không có hồ sơ nào bị loại do lỗi dữ liệu.", "No dossier is excluded for data errors."),
    "quality_summary": (
        "{excluded} trên {total} hồ sơ bị loại khỏi số liệu.",
        "{excluded} of {total} dossiers are excluded from the figures.",
    ),
    "quality_reason": ("Lỗi", "Problem"),
    "quality_rows": ("Số hồ sơ", "Dossiers"),
    "quality_excluded": ("Bị loại", "Excluded"),
    "quality_yes": ("có", "yes"),
    "quality_unknown_code": ("Mã {code} (không có trong danh mục)", "Code {code} (not in the catalogue)"),
    "quality_no": ("không (ghi nhận)", "no (noted)"),
    "reason_due_before_received": ("Hạn trả trước ngày tiếp nhận", "Due before received"),
    "reason_finished_before_received": ("Hoàn thành trước ngày tiếp nhận", "Finished before received"),
    "reason_supplement_before_received": (
        "Yêu cầu bổ sung trước ngày tiếp nhận",
        "Supplement requested before received",
    ),
    "reason_unknown_status": ("Trạng thái không xác định", "Unknown status"),
    "reason_unknown_unit": ("Mã đơn vị không có trong danh mục", "Unknown unit code"),
    "reason_unknown_procedure": ("Mã thủ tục không có trong danh mục", "Unknown procedure code"),
    "reason_negative_supplements": ("Số lần bổ sung âm", "Negative supplement count"),
    "reason_absurd_supplements": ("Số lần bổ sung bất thường (> 20)", "Absurd supplement count (> 20)"),
    "reason_future_date": ("Ngày ở tương lai", "Date in the future"),
    "reason_duplicate_code": ("Trùng mã hồ sơ", "Duplicate dossier code"),
}
