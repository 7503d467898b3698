"""Texts of the alert messages (``cli.py watch``): Vietnamese first."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "al_start_subject": ("[IOC] Cảnh báo: {rule} — {unit}", "[IOC] Alert: {rule} — {unit}"),
    "al_end_subject": ("[IOC] Hết cảnh báo: {rule} — {unit}", "[IOC] Alert over: {rule} — {unit}"),
    "al_start_body": (
        "{rule}\nĐơn vị: {unit} ({code})\nGiá trị: {value}, {direction} ngưỡng {threshold}.\n"
        "Thời điểm: {time}\nTin nhắn tự động của Trung tâm Điều hành thông minh.",
        "{rule}\nUnit: {unit} ({code})\nValue: {value}, {direction} the threshold of {threshold}.\n"
        "At: {time}\nAn automatic message of the operations centre.",
    ),
    "al_end_body": (
        "{rule}\nĐơn vị: {unit} ({code})\nĐã trở lại trong ngưỡng (giá trị hiện tại: {value}).\n"
        "Thời điểm: {time}\nTin nhắn tự động của Trung tâm Điều hành thông minh.",
        "{rule}\nUnit: {unit} ({code})\nBack within the threshold (value now: {value}).\n"
        "At: {time}\nAn automatic message of the operations centre.",
    ),
    "al_below": ("dưới", "below"),
    "al_above": ("vượt", "above"),
}
