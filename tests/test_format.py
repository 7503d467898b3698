"""Vietnamese number and date formats (98,5% · 1.234.567 · 23/11/2026)."""

from __future__ import annotations

import datetime as dt

from i18n.catalogue import TEXT, t
from i18n.format import fmt_date, fmt_int, fmt_number, fmt_pct, fmt_points, fmt_time


def test_vietnamese_numbers() -> None:
    assert fmt_pct(0.985) == "98,5%"
    assert fmt_pct(1) == "100,0%"
    assert fmt_int(1234567) == "1.234.567"
    assert fmt_number(1234567.25, 2) == "1.234.567,25"
    assert fmt_points(-0.012) == "−1,2 điểm %"
    assert fmt_pct(None) == "—" and fmt_pct(float("nan")) == "—"


def test_english_numbers_and_dates() -> None:
    assert fmt_pct(0.985, lang="en") == "98.5%"
    assert fmt_int(1234, lang="en") == "1,234"
    assert fmt_date(dt.date(2026, 11, 23)) == "23/11/2026"
    assert fmt_time(dt.datetime(2026, 11, 23, 9, 5, 3)) == "09:05:03"


def test_catalogue_has_both_languages() -> None:
    for key, (vi, en) in TEXT.items():
        assert vi and en, key
    assert t("updated_at", "vi", time="10:00:00") == "Cập nhật lúc 10:00:00"
    assert t("sample_badge", "en") == "Sample data"
