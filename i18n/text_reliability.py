"""Texts of the dashboard's own health: bad settings, a replaced or missing database file, the
automatic retry, summaries that cannot be read.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "settings_title": ("Cấu hình có giá trị không hợp lệ", "Some settings have invalid values"),
    "setting_not_a_number": (
        "{env} = {given}: không phải số nguyên, đang dùng giá trị mặc định {used}.",
        "{env} = {given}: not a whole number, using the default {used}.",
    ),
    "setting_too_low": (
        "{env} = {given}: nhỏ hơn mức tối thiểu, đang dùng {used}.",
        "{env} = {given}: below the minimum, using {used}.",
    ),
    "setting_too_high": (
        "{env} = {given}: lớn hơn mức tối đa, đang dùng {used}.",
        "{env} = {given}: above the maximum, using {used}.",
    ),
    "setting_not_a_choice": (
        "{env} = {given}: không phải giá trị được phép, đang dùng giá trị mặc định {used}.",
        "{env} = {given}: not an allowed value, using the default {used}.",
    ),
    "setting_not_a_time": (
        "{env} = {given}: không phải ngày giờ ISO, đang dùng giờ thực.",
        "{env} = {given}: not an ISO date and time, using the real time.",
    ),
    "setting_not_a_calendar": (
        "{env} = {given}: tệp lịch không đọc được hoặc sai định dạng (chi tiết trong nhật ký "
        "ioc.settings), bỏ qua tệp này; ngày làm việc tính theo lịch quốc gia {used}.",
        "{env} = {given}: the calendar file cannot be read or is malformed (details in the "
        "ioc.settings log) and is left out; working days follow the national calendar {used}.",
    ),
    "retrying_in": (
        "Hệ thống tự thử lại sau {seconds} giây, không cần tải lại trang.",
        "The dashboard retries by itself in {seconds} s; no need to reload.",
    ),
    "summaries_unreadable": (
        "Bảng tổng hợp không đọc được ({tables}): số liệu được tính trực tiếp từ bảng hồ sơ "
        "(đúng nhưng chậm hơn). Tạo lại bằng: python cli.py refresh --rebuild.",
        "The summary tables cannot be read ({tables}): figures are computed from the dossier "
        "table (exact, but slower). Rebuild them with: python cli.py refresh --rebuild.",
    ),
}
