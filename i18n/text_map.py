"""Texts of the map screen (Bản đồ), Vietnamese first. Keys start with ``map_`` or ``nav_map``."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "nav_map": ("Bản đồ", "Map"),
    "map_metric": ("Chỉ số tô màu", "Colour by"),
    "map_view": ("Cách vẽ", "Draw as"),
    "map_view_areas": ("Vùng (chiều cao = số hồ sơ)", "Areas (height = dossiers)"),
    "map_view_seats": ("Điểm trụ sở (cỡ = số hồ sơ)", "Seats (size = dossiers)"),
    "map_title": ("Bản đồ {level} — {place}", "Map: {level} — {place}"),
    "map_up": ("Quay về {place}", "Back to {place}"),
    "map_click_hint": (
        "Bấm vào một đơn vị để xem {level} trực thuộc.",
        "Click a unit to see its {level}.",
    ),
    "map_lowest_hint": ("Bấm vào một đơn vị để xem số liệu.", "Click a unit to see its figures."),
    "map_selected": (
        "{name}: {metric} {value} (mục tiêu {target}) · {volume} hồ sơ đã xử lý",
        "{name}: {metric} {value} (target {target}) · {volume} dossiers handled",
    ),
    "map_place_total": (
        "{place}: {metric} {value} · mục tiêu {target} · {volume} hồ sơ đã xử lý",
        "{place}: {metric} {value} · target {target} · {volume} dossiers handled",
    ),
    "map_schematic": (
        "Sơ đồ vị trí trụ sở, không phải ranh giới hành chính",
        "Diagram of the units' seats, not administrative boundaries",
    ),
    "map_schematic_help": (
        "Mỗi ô là vùng gần trụ sở của đơn vị hơn trụ sở đơn vị khác (ô Voronoi), cắt gọn thành hình "
        "tròn. Khi có tệp ranh giới (cài đặt IOC_GEOJSON_PATH), bản đồ vẽ ranh giới thật.",
        "Each cell is the area nearer to the unit's seat than to any other seat (a Voronoi cell), "
        "cut to a disc. With a boundary file (setting IOC_GEOJSON_PATH) the map draws real boundaries.",
    ),
    "map_seats_note": (
        "Vị trí trụ sở đơn vị, không phải ranh giới hành chính",
        "Unit seats, not administrative boundaries",
    ),
    "map_boundaries": ("Ranh giới: {source}", "Boundaries: {source}"),
    "map_shapes_missing": (
        "Tệp ranh giới thiếu {n} đơn vị của cấp này ({codes}): đang vẽ sơ đồ vị trí trụ sở.",
        "The boundary file lacks {n} units of this level ({codes}): drawing the seat diagram.",
    ),
    "map_shapes_error": (
        "Không đọc được tệp ranh giới ({reason}): đang vẽ sơ đồ vị trí trụ sở.",
        "Cannot read the boundary file ({reason}): drawing the seat diagram.",
    ),
    "map_no_seat": (
        "Chưa có tọa độ trụ sở, không vẽ được: {names}",
        "No seat coordinates, not drawn: {names}",
    ),
    "map_no_units": ("Không có đơn vị {level} nào để vẽ.", "No {level} units to draw."),
    "map_no_levels": (
        "Dữ liệu chỉ có cấp tỉnh: chưa có đơn vị cấp dưới để vẽ bản đồ.",
        "The data holds only the province: no lower units to map.",
    ),
    "map_tip_target": ("Mục tiêu: {value}", "Target: {value}"),
    "map_tip_volume": ("Hồ sơ đã xử lý: {value}", "Dossiers handled: {value}"),
    "map_cat_met": ("Đạt mục tiêu", "At or above target"),
    "map_cat_near": ("Gần mục tiêu", "Near target"),
    "map_cat_below": ("Dưới mục tiêu", "Below target"),
    "map_cat_na": ("Không có số liệu", "No data"),
    "map_cat_few": ("Quá ít để đánh giá", "Too few to judge"),
    "map_few_values": ("Dưới {n}", "Under {n}"),
    "map_few_label": ("chỉ {n} hồ sơ", "only {n} dossiers"),
    "map_few_label_fb": ("chỉ {n} PAKN", "only {n} items"),
    "map_ramp_low": ("Thấp nhất", "Lowest"),
    "map_ramp_high": ("Cao nhất", "Highest"),
    "map_legend_target": ("Mục tiêu {value}", "Target {value}"),
    "map_legend_no_target": ("Chỉ số này chưa có mục tiêu", "This metric has no target"),
    "map_legend_units": ("{n} đơn vị", "{n} units"),
    "map_legend_height": (
        "Chiều cao: số hồ sơ đã xử lý (cao nhất {value})",
        "Height: dossiers handled (most {value})",
    ),
    "map_legend_size": (
        "Cỡ điểm: số hồ sơ đã xử lý (lớn nhất {value})",
        "Bubble size: dossiers handled (most {value})",
    ),
    "map_alt": (
        "Bản đồ {level} tô màu theo {metric} so với mục tiêu",
        "Map of {level} coloured by {metric} against target",
    ),
}
