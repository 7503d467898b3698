"""Every text on screen, Vietnamese first, English second. Metric labels live in the registry."""

from __future__ import annotations

LANGS = ("vi", "en")

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Trung tâm Điều hành thông minh — Giải quyết TTHC", "IOC — Administrative procedures"),
    "nav_overview": ("Tổng quan", "Overview"),
    "province": ("Tỉnh {name}", "{name} province"),
    "sample_badge": ("Dữ liệu mẫu", "Sample data"),
    "sample_note": (
        "Dữ liệu mẫu do chương trình sinh ra, không phải số liệu thật của tỉnh.",
        "Generated sample data, not the province's real figures.",
    ),
    "updated_at": ("Cập nhật lúc {time}", "Updated at {time}"),
    "stale": (
        "Mất kết nối cơ sở dữ liệu từ {time} — đang hiển thị số liệu cuối cùng",
        "Database not answering since {time} — showing the last figures received",
    ),
    "period_mtd": ("Tháng {month}/{year} (đến {day})", "{month}/{year} (to {day})"),
    "target": ("Mục tiêu {value}", "Target {value}"),
    "vs_previous": ("so với cùng kỳ tháng trước", "vs the same days last month"),
    "no_data": ("Chưa có dữ liệu", "No data"),
    "score_766": ("Điểm 766 (ước tính)", "766 score (estimate)"),
    "score_766_help": (
        "Ước tính từ dữ liệu hồ sơ của tỉnh theo {rules}, trên {max} điểm đo được (chưa gồm nhóm công "
        "khai, minh bạch và các tiêu chí dữ liệu hồ sơ không có). Đơn vị không có hồ sơ trong kỳ không "
        "có điểm. Điểm chính thức do Cổng Dịch vụ công quốc gia công bố.",
        "Estimated from local dossier data by {rules}, out of the {max} points measurable here "
        "(transparency and the criteria the dossier data lacks excluded). A unit with no dossier in "
        "the period has no score. The national portal's score is authoritative.",
    ),
    "rules_portal-2026": ("cách tính của Cổng DVCQG năm 2026", "the national portal's 2026 formulas"),
    "rules_decision-766-2022": (
        "cách ước tính theo Quyết định 766 (2022)",
        "the 2022 estimate under Decision 766",
    ),
    "received_mtd": ("Hồ sơ tiếp nhận trong tháng", "Dossiers received this month"),
    "headline": ("Chỉ số chính toàn tỉnh", "Province headline figures"),
    "by_level": ("Theo {level}", "By {level}"),
    "unit": ("Đơn vị", "Unit"),
    "level_province": ("Cấp tỉnh", "Province"),
    "level_district": ("Cấp huyện", "District level"),
    "level_commune": ("Cấp xã", "Commune level"),
    "building_sample": (
        "Chưa có cơ sở dữ liệu: đang tạo dữ liệu mẫu tỉnh Bình Phước (chỉ lần đầu, khoảng một phút)…",
        "No database yet: building the Bình Phước sample (first start only, about a minute)…",
    ),
    "building_start": ("đang bắt đầu", "starting"),
    "building_month": (
        "tháng {month}: {n} hồ sơ (tổng {total})",
        "{month}: {n} dossiers (total {total})",
    ),
    "building_indexes": ("đang tạo chỉ mục", "building indexes"),
    "building_summaries": (
        "đang tính các bảng tổng hợp (bước cuối, khoảng nửa phút)",
        "computing the summary tables (last step, about half a minute)",
    ),
    "upgrading_sample": (
        "Đang cập nhật bảng tổng hợp của dữ liệu mẫu cho phiên bản mới (một lần, vài giây)…",
        "Updating the sample's summary tables for this version (once, a few seconds)…",
    ),
    "db_error_title": ("Không đọc được cơ sở dữ liệu", "Cannot read the database"),
    "db_error_body": (
        "{reason}\n\nKiểm tra biến môi trường IOC_DATABASE_URL hoặc tệp .streamlit/secrets.toml, "
        "rồi tải lại trang. Xem mục Cấu hình trong README.",
        "{reason}\n\nCheck IOC_DATABASE_URL or .streamlit/secrets.toml, then reload. See "
        "Configuration in the README.",
    ),
    "db_missing_file": (
        "Không tìm thấy tệp cơ sở dữ liệu đã cấu hình.",
        "The configured database file does not exist.",
    ),
    "db_auth": (
        "Máy chủ cơ sở dữ liệu từ chối đăng nhập: sai tên người dùng hoặc mật khẩu.",
        "The database server refused the login: wrong user name or password.",
    ),
    "db_no_tables": (
        "Cơ sở dữ liệu chưa có các bảng của hệ thống. Nạp dữ liệu bằng: "
        "python cli.py import THƯ_MỤC --database URL.",
        "The database has none of the dashboard's tables. Load data with: "
        "python cli.py import DIR --database URL.",
    ),
    "db_no_database": (
        "Cơ sở dữ liệu đã cấu hình không tồn tại trên máy chủ.",
        "The configured database does not exist.",
    ),
    "db_unreachable": (
        "Không kết nối được máy chủ cơ sở dữ liệu (máy chủ tắt, sai địa chỉ hoặc bị chặn mạng). "
        "Hệ thống sẽ tự thử lại.",
        "Cannot reach the database server (down, wrong address or blocked). The dashboard keeps retrying.",
    ),
    "db_other": (
        "Cơ sở dữ liệu trả về lỗi; chi tiết ghi trong nhật ký máy chủ.",
        "The database returned an error; details are in the server log.",
    ),
    "db_empty": (
        "Cơ sở dữ liệu chưa có dữ liệu (chưa có đơn vị hành chính nào). "
        "Nạp dữ liệu bằng python cli.py import.",
        "The database holds no data yet (no administrative unit). Load data with python cli.py import.",
    ),
    "rank": ("Hạng", "Rank"),
    "language": ("Ngôn ngữ", "Language"),
    "source": (
        "Nguồn: Hệ thống thông tin giải quyết TTHC tỉnh {province}, số liệu đến {time}",
        "Source: {province} administrative procedure information system, data as of {time}",
    ),
    "small_unit": ("ít hồ sơ, không xếp hạng", "few dossiers, not ranked"),
    "bad_param": (
        "Tham số '{name}' không hợp lệ ('{value}'): đang dùng giá trị mặc định.",
        "Parameter '{name}' is not valid ('{value}'): using the default.",
    ),
    "period_clipped": (
        "Kỳ '{value}' vượt ra ngoài khoảng có số liệu: đang hiển thị {start}–{end}.",
        "Period '{value}' reaches beyond the data: showing {start}–{end}.",
    ),
    "month_label": ("Tháng {month}/{year}", "{month}/{year}"),
}


def _merge_screen_texts() -> None:
    """Screens keep their own texts in ``i18n/text_<screen>.py`` (a ``TEXT`` dict); merge them."""
    import importlib
    import pkgutil
    from pathlib import Path

    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("text_"):
            module = importlib.import_module(f"i18n.{info.name}")
            clash = set(module.TEXT) & set(TEXT)
            if clash:
                raise KeyError(f"i18n/{info.name}.py redefines {sorted(clash)}")
            TEXT.update(module.TEXT)


_merge_screen_texts()


def t(key: str, lang: str = "vi", **kwargs: object) -> str:
    """The text for ``key`` in ``lang``, formatted with ``kwargs``."""
    vi, en = TEXT[key]
    text = en if lang == "en" else vi
    return text.format(**kwargs) if kwargs else text
