"""Texts of the import (``python cli.py import``): problems with the files, rejected rows, the
summary and the hints. Vietnamese first; ``--lang en`` prints the English.

Templates of rejected rows are formatted with the row's own values (``{_value}`` is the value of
the column at fault, ``{_col}`` its name) and the extra fields each check names.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "imp_line": ("dòng {line}", "line {line}"),
    "imp_column": ("cột {column}", "column {column}"),
    # The files
    "imp_no_folder": ("Thư mục {folder} không tồn tại.", "Folder {folder} does not exist."),
    "imp_not_folder": ("{folder} không phải là thư mục.", "{folder} is not a folder."),
    "imp_missing_files": (
        "{folder} thiếu {missing}: cần có {required} ({optional} là tùy chọn).",
        "{folder} has no {missing}: an import needs {required} ({optional} are optional).",
    ),
    "imp_two_forms": (
        "Có cả {files}: chỉ giữ một tệp cho mỗi loại dữ liệu.",
        "Both {files} are present: keep one file for each kind of data.",
    ),
    "imp_empty": (
        "{file} rỗng: dòng đầu phải là tiêu đề {expected}.",
        "{file} is empty: its first line must be the header {expected}.",
    ),
    "imp_header": (
        "{file} có tiêu đề sai ({problems}). Cần đúng các cột, thứ tự tùy ý: {expected}.{hint}",
        "{file} has a wrong header ({problems}). "
        "Expected exactly these columns, in any order: {expected}.{hint}",
    ),
    "imp_header_unknown": ("cột lạ {names}", "unknown column{s} {names}"),
    "imp_header_missing": ("thiếu cột {names}", "missing column{s} {names}"),
    "imp_header_repeated": ("cột lặp {names}", "repeated column{s} {names}"),
    "imp_hint_separator": (
        " Gợi ý: tiêu đề có dấu '{sep}': hãy dùng cùng một dấu phân cách (',' hoặc ';') cho mọi dòng.",
        " Hint: the header holds '{sep}': use one separator (',' or ';') on every line.",
    ),
    "imp_not_utf8": (
        "không phải văn bản UTF-8 (byte {byte} ở ký tự {char}). Gợi ý: mở tệp và lưu lại dạng UTF-8 "
        "(Excel: CSV UTF-8).",
        "not UTF-8 text (byte {byte} at character {char}); save it as UTF-8 "
        "(lưu lại dạng UTF-8; Excel: CSV UTF-8) and run again.",
    ),
    "imp_utf16": (
        "tệp được lưu dạng UTF-16 (Unicode), không phải UTF-8. Gợi ý: lưu lại dạng UTF-8 (Excel: CSV UTF-8).",
        "saved as UTF-16 (Unicode), not UTF-8; save it as UTF-8 (lưu lại dạng UTF-8).",
    ),
    "imp_nul": (
        "tệp có ký tự NUL (byte 0) ở ký tự {char}: tệp hỏng hoặc không phải văn bản UTF-8.",
        "the file holds a NUL byte at character {char}: the file is damaged or not UTF-8 text.",
    ),
    "imp_quote": (
        'dấu ngoặc kép (") mở mà không đóng, hoặc đặt sai chỗ: các dòng sau bị gộp vào một giá trị. '
        "Sửa dấu ngoặc rồi nhập lại.",
        'a quote (") is opened and never closed, or misplaced: the following lines would be swallowed '
        "into one value. Fix the quote and run again.",
    ),
    "imp_bad_xlsx": (
        "{file} không đọc được như tệp Excel (.xlsx): {reason}",
        "{file} is not a readable .xlsx: {reason}",
    ),
    "imp_bad_json": ("JSON sai cú pháp ({reason}).", "not valid JSON ({reason})."),
    "imp_json_not_record": (
        "mỗi phần tử phải là một hồ sơ (đối tượng JSON).",
        "each element must be a record (a JSON object).",
    ),
    "imp_db_open": (
        "Không mở được cơ sở dữ liệu {url}: {reason}",
        "Cannot open the database {url}: {reason}",
    ),
    "imp_db_reach": (
        "Không kết nối được cơ sở dữ liệu {url}: {reason}",
        "Cannot reach the database {url}: {reason}",
    ),
    "imp_db_refused": (
        "Cơ sở dữ liệu {url} từ chối lệnh nhập nên không có gì được nạp: {reason}",
        "The database {url} refused the import, so nothing was loaded: {reason}",
    ),
    "imp_bad_url": (
        "{url} không phải URL cơ sở dữ liệu ({reason}).",
        "{url} is not a database URL ({reason}).",
    ),
    # The outcome
    "imp_error": ("lỗi: {text}", "error: {text}"),
    "imp_nothing": ("Không nạp gì.", "Nothing was loaded."),
    "imp_more": ("… và {n} lỗi khác không liệt kê.", "… and {n} more problems not listed."),
    "imp_rejected": (
        "Không nạp gì: {n} dòng bị từ chối. Sửa các dòng đó rồi nhập lại.",
        "Nothing was loaded: {n} {rows} rejected. Fix them and run the import again.",
    ),
    "imp_summary": ("Tóm tắt lỗi:", "Problems by reason:"),
    "imp_summary_line": (
        "  {n} × {file}, cột {column}: {reason}",
        "  {n} × {file}, column {column}: {reason}",
    ),
    "imp_lat_range": (
        "vĩ độ lat '{lat}' nằm ngoài khoảng −90 đến 90",
        "lat '{lat}' is out of range (-90 to 90)",
    ),
    "imp_lon_range": (
        "kinh độ lon '{lon}' nằm ngoài khoảng −180 đến 180",
        "lon '{lon}' is out of range (-180 to 180)",
    ),
    "imp_unknown_parent": ("không có đơn vị cấp trên '{parent_code}'", "unknown parent unit '{parent_code}'"),
    "imp_parent_level": (
        "đơn vị cấp trên '{parent_code}' là cấp {_parent_level}, không cao hơn cấp {_level} của đơn vị này",
        "parent unit '{parent_code}' is a {_parent_level} unit, not above this {_level} unit",
    ),
    "imp_parent_cycle": ("vòng lặp đơn vị cấp trên: {_cycle}", "cycle in parents: {_cycle}"),
    "imp_limit_negative": (
        "thời hạn giải quyết time_limit_days '{time_limit_days}' là số âm",
        "time_limit_days '{time_limit_days}' is negative",
    ),
    "imp_status_not_dossier": (
        "trạng thái {_code} ({_meaning}) không phải hồ sơ đang giải quyết",
        "status {_code} ({_meaning}) is not a dossier in handling",
    ),
    "imp_unknown_status": (
        "trạng thái không hợp lệ '{status}' (cần một trong {_allowed}, hoặc mã của Cổng 2, 4–10)",
        "unknown status '{status}' (expected one of {_allowed}, or a portal code 2, 4–10)",
    ),
    "imp_supp_negative": (
        "số lần yêu cầu bổ sung '{supplement_requests}' là số âm",
        "supplement_requests '{supplement_requests}' is negative",
    ),
    "imp_supp_integer": (
        "số lần yêu cầu bổ sung '{supplement_requests}' không phải số nguyên",
        "supplement_requests '{supplement_requests}' is not an integer",
    ),
    "imp_supp_absurd": (
        "số lần yêu cầu bổ sung '{supplement_requests}' bất thường (quá {_max})",
        "supplement_requests '{supplement_requests}' is absurd (more than {_max})",
    ),
    "imp_supp_zero": (
        "số lần yêu cầu bổ sung là 0 trong khi trạng thái là chờ bổ sung (supplement_requested)",
        "supplement_requests is 0 while status is supplement_requested",
    ),
    "imp_supp_at_missing": (
        "thiếu thời điểm yêu cầu bổ sung supplement_requested_at với trạng thái supplement_requested",
        "supplement_requested_at is missing for status supplement_requested",
    ),
    "imp_paid_no_fee": (
        "paid_online (đã thanh toán trực tuyến) là đúng trong khi fee_required (có phí) là sai",
        "paid_online is true while fee_required is false",
    ),
    "imp_finish_missing": (
        "thiếu thời điểm kết thúc finished_at với trạng thái {_status} (trạng thái đã kết thúc)",
        "finished_at is missing for status {_status} (a finished status)",
    ),
    "imp_finish_open": (
        "có thời điểm kết thúc finished_at với trạng thái {_status} (trạng thái chưa kết thúc)",
        "finished_at is set for status {_status} (an open status)",
    ),
    "imp_handled_missing": (
        "thiếu thời điểm xử lý handled_at với trạng thái handled",
        "handled_at is missing for status handled",
    ),
    "imp_handled_open": (
        "có thời điểm xử lý handled_at với trạng thái {status} (chưa xử lý xong)",
        "handled_at is set for status {status} (not handled yet)",
    ),
    "imp_unknown_metric": (
        "chỉ tiêu không hợp lệ '{metric}' (cần một trong {_allowed})",
        "unknown metric '{metric}' (expected one of {_allowed})",
    ),
    "imp_year": ("năm '{year}' không hợp lệ (2000–2100)", "year '{year}' is not a year (2000–2100)"),
    "imp_fraction": (
        "giá trị '{value}' không phải tỷ lệ từ 0 đến 1",
        "value '{value}' is not a fraction between 0 and 1",
    ),
    "imp_supplement_unknown_dossier": (
        "yêu cầu bổ sung của hồ sơ '{dossier_code}' không có trong dossiers.csv",
        "a supplement request of dossier '{dossier_code}' that dossiers.csv does not hold",
    ),
    "imp_period": (
        "kỳ '{period}' không hợp lệ (dùng 2026-10, 2026-Q3, 2026 hoặc 2026-10-01..2026-10-15)",
        "period '{period}' is not a period (use 2026-10, 2026-Q3, 2026 or 2026-10-01..2026-10-15)",
    ),
    "imp_points": (
        "điểm '{points}' ngoài khoảng 0–{_max} của nhóm {group}",
        "points '{points}' outside 0–{_max} for group {group}",
    ),
    "imp_loaded": ("Đã nạp {parts}.", "Loaded {parts}."),
    "imp_dossier_counts": (
        "Hồ sơ: {new} mới, {changed} thay đổi, {unchanged} không đổi.",
        "Dossiers: {new} new, {changed} changed, {unchanged} unchanged.",
    ),
    "imp_skipped": (
        "Bỏ qua {n} bản ghi không phải hồ sơ đang giải quyết ({detail}).",
        "Skipped {n} records that are not dossiers in handling ({detail}).",
    ),
    "imp_skipped_1": ("{n} trạng thái 1 mới đăng ký", "{n} status 1 registered"),
    "imp_skipped_3": ("{n} trạng thái 3 không tiếp nhận", "{n} status 3 not received"),
    "imp_moved": (
        "Cơ quan chuyển đơn vị: {moves}; {n} hồ sơ đã được tính lại cho đơn vị mới. "
        "Cần dựng lại bảng tổng hợp: python cli.py refresh --rebuild",
        "Agencies moved to another unit: {moves}; {n} dossiers re-attributed to the new unit. "
        "The summaries must be rebuilt: python cli.py refresh --rebuild",
    ),
    "imp_noun_units": ("đơn vị|đơn vị", "unit|units"),
    "imp_noun_agencies": ("cơ quan|cơ quan", "agency|agencies"),
    "imp_noun_procedures": ("thủ tục|thủ tục", "procedure|procedures"),
    "imp_noun_dossiers": ("hồ sơ|hồ sơ", "dossier|dossiers"),
    "imp_noun_feedback": ("phản ánh kiến nghị|phản ánh kiến nghị", "feedback item|feedback items"),
    "imp_noun_targets": ("chỉ tiêu|chỉ tiêu", "target|targets"),
    "imp_noun_portal_scores": (
        "điểm chính thức theo nhóm|điểm chính thức theo nhóm",
        "official group score|official group scores",
    ),
    "imp_width": ("sai số giá trị", "wrong number of values"),
    "imp_hints": ("Gợi ý:", "Hints:"),
    "imp_hint_ddmm": (
        "  Ngày giờ dạng dd/mm/yyyy ({n} giá trị, ví dụ '{example}'): "
        "hãy ghi theo ISO, ví dụ 2026-10-05T09:30 "
        "(hoặc 2026-10-05 cho valid_from/valid_to).",
        "  Dates written dd/mm/yyyy ({n} values, e.g. '{example}'): write them ISO, e.g. 2026-10-05T09:30 "
        "(or 2026-10-05 for valid_from/valid_to).",
    ),
    "imp_hint_invisible": (
        "  Mã có ký tự vô hình ({n} giá trị): thường do sao chép từ web hoặc Word; "
        "xóa ký tự đó trong tệp gốc.",
        "  Codes holding an invisible character ({n} values): usually pasted from a web page or Word; "
        "delete it in the source file.",
    ),
    "imp_hint_ansi": (
        "  Chữ tiếng Việt thành '?' ({n} giá trị): tệp đã bị lưu dạng ANSI; "
        "mở bản gốc và lưu lại dạng UTF-8.",
        "  Vietnamese letters turned into '?' ({n} values): the file was saved as ANSI; open the original "
        "and save it as UTF-8 (lưu lại dạng UTF-8).",
    ),
    "imp_hint_moves": (
        "  Nếu việc chuyển là đúng, nhập lại với --allow-moves.",
        "  If the move is intended, import again with --allow-moves.",
    ),
    # Rows: the rules of every file (data_access.validate.Check)
    "imp_required": ("thiếu giá trị bắt buộc của {_col}", "missing required value for {_col}"),
    "imp_choice": (
        "{_what} không hợp lệ '{_value}' (cần {_allowed_vi})",
        "unknown {_what} '{_value}' (expected {_allowed})",
    ),
    "imp_boolean": (
        "giá trị đúng/sai không hợp lệ ở {_col}: '{_value}' (cần true, false, 1, 0 hoặc để trống)",
        "bad boolean for {_col}: '{_value}' (expected true, false, 1, 0 or empty)",
    ),
    "imp_number": ("{_col} không phải là số: '{_value}'", "bad number for {_col}: '{_value}'"),
    "imp_time": (
        "thời gian {_col} không hợp lệ: '{_value}' (cần ISO 8601, ví dụ 2026-10-05T08:30)",
        "bad time for {_col}: '{_value}' (expected ISO 8601, e.g. 2026-10-05T08:30)",
    ),
    "imp_year_range": (
        "{_col} '{_value}' ngoài khoảng cho phép (năm {_first}–{_last})",
        "{_col} '{_value}' is out of range (years {_first}–{_last})",
    ),
    "imp_duplicate": (
        "trùng {_what} '{_key}' (lần đầu ở dòng {_first})",
        "duplicate {_what} '{_key}' (first on line {_first})",
    ),
    "imp_unknown_code": (
        "mã {_what_vi} '{_value}' không có trong các tệp lẫn cơ sở dữ liệu",
        "unknown {_what} '{_value}' (neither in the files nor in the database)",
    ),
    "imp_future": (
        "{_col} '{_value}' ở tương lai (sau {_limit})",
        "{_col} '{_value}' is in the future (later than {_limit})",
    ),
    "imp_before": (
        "{_col} '{_value}' trước {_earlier} '{_earlier_value}'",
        "{_col} '{_value}' is before {_earlier} '{_earlier_value}'",
    ),
    # Rows (new rules)
    "imp_too_long": (
        "{_col} dài {_length} ký tự, quá {_max} ký tự cơ sở dữ liệu cho phép",
        "{_col} is {_length} characters long, more than the {_max} the database allows",
    ),
    "imp_ansi": (
        "{_col} '{_value}' có dấu '?' giữa các chữ cái: chữ tiếng Việt bị mất khi lưu dạng ANSI",
        "{_col} '{_value}' has a '?' between letters: Vietnamese letters were lost when saved as ANSI",
    ),
    "imp_invisible": (
        "{_col} '{_value}' chứa ký tự vô hình {_char}",
        "{_col} '{_value}' holds an invisible character {_char}",
    ),
    "imp_bad_date": (
        "{_col} '{_value}' không phải ngày dạng YYYY-MM-DD",
        "bad date for {_col}: '{_value}' (expected YYYY-MM-DD)",
    ),
    "imp_valid_order": (
        "valid_to '{valid_to}' trước valid_from '{valid_from}'",
        "valid_to '{valid_to}' is before valid_from '{valid_from}'",
    ),
    "imp_second_province": (
        "tỉnh thứ hai '{code}': đã có tỉnh '{_other}' (chỉ được một đơn vị cấp tỉnh)",
        "a second province '{code}': province '{_other}' is already there (one province only)",
    ),
    "imp_no_parent": (
        "đơn vị cấp {level} phải có parent_code",
        "a {level} unit needs a parent_code",
    ),
    "imp_level_change": (
        "đơn vị '{code}' đổi cấp từ {_old} sang {level} khi còn {_children} đơn vị con "
        "(dùng --allow-moves nếu đúng)",
        "unit '{code}' changes level from {_old} to {level} while it has {_children} child units "
        "(use --allow-moves if intended)",
    ),
    "imp_agency_move": (
        "cơ quan '{code}' đã có hồ sơ chuyển từ đơn vị {_old} sang {unit_code} (dùng --allow-moves nếu đúng)",
        "agency '{code}' already has dossiers and moves from unit {_old} to {unit_code} "
        "(use --allow-moves if intended)",
    ),
    "imp_rating_unknown_dossier": (
        "đánh giá cho hồ sơ '{dossier_code}' không có trong tệp hồ sơ",
        "rating for dossier '{dossier_code}' that the dossiers file does not hold",
    ),
    "imp_rating_word": (
        "mức đánh giá lạ '{rating}' (cần Rất hài lòng, Hài lòng, Không hài lòng hoặc very_satisfied, "
        "satisfied, unsatisfied)",
        "unknown rating '{rating}' (expected Rất hài lòng, Hài lòng, Không hài lòng or very_satisfied, "
        "satisfied, unsatisfied)",
    ),
}
