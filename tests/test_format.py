"""Vietnamese number and date formats (98,5% · 1.234.567 · 23/11/2026)."""

from __future__ import annotations

import datetime as dt

from i18n.catalogue import TEXT, t
from i18n.format import fmt_date, fmt_int, fmt_number, fmt_pct, fmt_points, fmt_time, fmt_value


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


def test_a_rounded_figure_never_hides_a_miss() -> None:
    # 97,985% against 98%: one decimal reads 98,0% (a miss shown as the target); two read 97,99%
    # (half up, as the figure reads, though the double 0.97985 × 100 is 97.98499…).
    assert fmt_pct(0.97985, target=0.98) == "97,99%"
    assert fmt_pct(0.97985) == "98,0%"  # without a target, the usual one decimal
    # 48/49 = 97,959…% → 98,0% at one decimal, 97,96% at two.
    assert fmt_pct(48 / 49, target=0.98) == "97,96%"
    # Above a lower-is-better target (≤ 2%): 2,004% must not read 2,0%.
    assert fmt_pct(0.02004, target=0.02) == "2,004%"
    # Met, or clear of the target: unchanged.
    assert fmt_pct(0.98, target=0.98) == "98,0%" and fmt_pct(0.975, target=0.98) == "97,5%"
    assert fmt_value(0.97985, "pct", "en", target=0.98) == "97.99%"
    assert fmt_value(2.96, "days", target=3.0) == "2,96" and fmt_value(2.5, "days", target=3.0) == "2,5"
    # A rate of a million dossiers, one short of the target, still shows the miss (4 decimals).
    assert fmt_pct(979_999 / 1_000_000, target=0.98) == "97,9999%"
