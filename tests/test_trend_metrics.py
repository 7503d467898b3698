"""Pure metrics of the trend screens on tiny hand-made frames; expected values worked out in the
comments: months of a period, monthly rates (a month with no ratings is N/A, not 0%), targets by
year and field, the first month a target was met, rating and channel shares, working days and
time saved across Tết and a substituted holiday, the feedback partition."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.registry import get_metric
from metrics.trends import (
    channel_mix,
    feedback_partition,
    first_month_met,
    largest_rise,
    month_periods,
    monthly_rates,
    processing_summary,
    rating_distribution,
    target_by_month,
    target_segments,
)
from timebase.period import make_period
from timebase.workdays import due_date, elapsed
from ui.trend_controls import picked_value

T = dt.datetime


def test_month_periods_cut_to_the_period_and_judged_at_their_end() -> None:
    period = make_period(dt.date(2026, 10, 15), dt.date(2026, 12, 10), T(2026, 12, 10, 12))
    months = month_periods(period)
    # 15–31/10 (judged at its end), all of November, 1–10/12 judged at the period's as_of.
    assert [(m.start, m.end) for m in months] == [
        (dt.date(2026, 10, 15), dt.date(2026, 10, 31)),
        (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 10)),
    ]
    assert months[0].as_of == T(2026, 10, 31, 23, 59, 59)
    assert months[2].as_of == T(2026, 12, 10, 12)


def test_a_month_with_no_ratings_is_na_not_zero() -> None:
    frame = pd.DataFrame(
        {
            "unit_code": ["70", "70", "70"],
            "month": [202609, 202609, 202610],
            "field": ["Hộ tịch", "Đất đai", "Hộ tịch"],
            # September: 1 of 1 satisfied in Hộ tịch, 1 of 9 in Đất đai → 2/10 = 20% (ratio of
            # sums; the mean of the two rates would be 55,6%). October: dossiers but no rating.
            "rated": [1, 9, 0],
            "very_satisfied": [1, 0, 0],
            "satisfied": [0, 1, 0],
        }
    )
    rates = monthly_rates(frame, ["satisfaction_rate"], [202609, 202610, 202611])
    assert list(rates["month"]) == [202609, 202610, 202611]
    assert rates["satisfaction_rate"].iloc[0] == pytest.approx(0.2)
    # October had no rating and November no row at all: both N/A (None), never 0%.
    assert rates["satisfaction_rate"].iloc[1] is None
    assert rates["satisfaction_rate"].iloc[2] is None
    assert rates["rated"].iloc[2] == 0


def test_monthly_rates_per_key_and_period_totals() -> None:
    frame = pd.DataFrame(
        {
            "unit_code": ["70"] * 3,
            "month": [202609, 202609, 202610],
            "channel": ["online", "direct", "online"],
            "rated": [4, 2, 0],
            "very_satisfied": [1, 0, 0],
            "satisfied": [2, 2, 0],
        }
    )
    by_channel = monthly_rates(frame, ["satisfaction_rate"], [202609, 202610], keys=("channel",))
    got = {(r.month, r.channel): r.satisfaction_rate for r in by_channel.itertuples()}
    # online September 3/4 = 75%; direct September 2/2 = 100%; October nothing rated → N/A;
    # direct has no October row at all and still gets its N/A month.
    assert got[(202609, "online")] == pytest.approx(0.75)
    assert got[(202609, "direct")] == pytest.approx(1.0)
    assert got[(202610, "online")] is None and got[(202610, "direct")] is None


TARGETS = pd.DataFrame(
    [
        dict(
            metric="satisfaction_rate", unit_code="", level="", field="", year=2025, value=0.9, source="NQ 76"
        ),
        dict(
            metric="satisfaction_rate",
            unit_code="",
            level="",
            field="",
            year=2030,
            value=0.95,
            source="NQ 76",
        ),
        dict(
            metric="satisfaction_rate",
            unit_code="",
            level="",
            field="Đất đai",
            year=2025,
            value=0.85,
            source="QN",
        ),
    ]
)


def test_targets_by_month_follow_the_year_and_the_field() -> None:
    metric = get_metric("satisfaction_rate")
    months = [202911, 202912, 203001]
    # 2029 uses the 2025 row (latest year not after), 2030 its own; land has its own target.
    assert target_by_month(TARGETS, metric, months) == [0.9, 0.9, 0.95]
    assert target_by_month(TARGETS, metric, months, field="Đất đai") == [0.85, 0.85, 0.85]
    assert target_by_month(TARGETS, metric, [202401]) == [None]  # no target before 2025
    segments = target_segments(months, [0.9, 0.9, 0.95])
    assert segments.to_dict("records") == [
        {"start": 202911, "end": 202912, "target": 0.9},
        {"start": 203001, "end": 203001, "target": 0.95},
    ]
    # A gap without a target splits the run.
    assert len(target_segments([202401, 202402, 202403], [0.9, None, 0.9])) == 2


def test_first_month_a_target_was_met() -> None:
    months = [202001, 202002, 202003, 202004, 202005]
    # January 80% < 90%; February N/A (no ratings) never counts; March 91% ≥ 90% → March.
    assert first_month_met(months, [0.8, None, 0.91, 0.95, 0.85], [0.9] * 5) == 202003
    # Exactly on target counts as met.
    assert first_month_met(months, [0.8, 0.9, 0.91, 0.95, 0.85], [0.9] * 5) == 202002
    # A month without a target cannot be met.
    assert first_month_met(months, [0.95] * 5, [None, None, None, 0.96, 0.9]) == 202005
    assert first_month_met(months, [0.1] * 5, [0.9] * 5) is None
    # Met in the window's first judged month (January; or February after an N/A January): it
    # may have met it for years, so no month of the window is its first, even after a later miss.
    assert first_month_met(months, [0.95, 0.8, 0.95, 0.95, 0.95], [0.9] * 5) is None
    assert first_month_met(months, [None, 0.95, 0.8, 0.92, 0.95], [0.9] * 5) is None
    assert first_month_met(months, [0.8, 0.95], [None, 0.9]) is None
    # Lower is better (e.g. days): 3 days against a 2-day goal is not met, 2 is.
    assert first_month_met(months[:2], [3.0, 2.0], [2.0, 2.0], higher_is_better=False) == 202002


def test_largest_rise_finds_the_online_jump() -> None:
    # 9% → 10% → 55% → 90% → 88%: the largest rise is May (+45 points); N/A months are skipped.
    months = [202003, 202004, 202005, 202006, 202007, 202008]
    rise = largest_rise(months, [0.09, 0.10, 0.55, None, 0.9, 0.88])
    assert rise is not None and rise[0] == 202005 and rise[1] == pytest.approx(0.45)
    assert largest_rise(months[:2], [0.5, 0.4]) is None


def test_rating_distribution_and_na_without_ratings() -> None:
    dist = rating_distribution({"rated": 4, "very_satisfied": 2, "satisfied": 1, "unsatisfied": 1})
    assert list(dist["rating"]) == ["very_satisfied", "satisfied", "unsatisfied"]
    assert list(dist["share"]) == [0.5, 0.25, 0.25]
    empty = rating_distribution({"rated": 0})
    assert list(empty["share"]) == [None, None, None]


def test_channel_mix_shares() -> None:
    monthly = pd.DataFrame(
        {
            "month": [202004, 202005],
            "received": [10, 0],
            "received_online": [1, 0],
            "received_direct": [8, 0],
            "received_postal": [1, 0],
        }
    )
    mix = channel_mix(monthly)
    april = mix[mix["month"] == 202004].set_index("channel")["share"]
    assert april.to_dict() == {"online": 0.1, "direct": 0.8, "postal": 0.1}
    assert mix[mix["month"] == 202005]["share"].isna().all()  # nothing received: N/A


def test_working_days_across_tet() -> None:
    # Received Fri 13/2/2026 09:00, finished Wed 25/2/2026 10:00. Weekend 14–15/2, Tết 16–20/2,
    # weekend 21–22/2: working days after the start day are Mon 23, Tue 24, Wed 25 → 3.
    assert elapsed(T(2026, 2, 13, 9), T(2026, 2, 25, 10)) == 3


def test_working_days_across_a_substituted_holiday() -> None:
    # 2024: Mon 29/4 is a day off substituted from Sat 4/5, which becomes a working day.
    # Received Fri 26/4 09:00, finished Mon 6/5: 27–28/4 weekend, 29/4 substituted, 30/4 and 1/5
    # holidays; Thu 2/5 (1), Fri 3/5 (2), Sat 4/5 worked (3), Mon 6/5 (4) → 4 working days.
    assert elapsed(T(2024, 4, 26, 9), T(2024, 5, 6, 10)) == 4


def test_feedback_due_date_is_15_working_days_across_tet() -> None:
    # Received Mon 9/2/2026 10:00: 10–13/2 (4), Tết 16–20/2 off, 23–27/2 (9), 2–6/3 (14), Mon 9/3
    # (15) → due Mon 9/3/2026 at 17:00.
    assert due_date(T(2026, 2, 9, 10), 15) == T(2026, 3, 9, 17)


def test_processing_summary_averages_and_time_saved() -> None:
    frame = pd.DataFrame(
        {
            "field": ["Hộ tịch", "Đất đai", "Xây dựng"],
            # Hộ tịch: 4 dossiers took 6 working days in all against 10 allowed.
            # Đất đai: 1 dossier, 3 days of 5 (the Tết dossier above). Xây dựng: nothing finished.
            "processing_n": [4, 1, 0],
            "processing_days": [6.0, 3.0, 0.0],
            "limit_days": [10.0, 5.0, 0.0],
        }
    )
    out = processing_summary(frame).set_index("field")
    assert out.loc["Hộ tịch", "avg_processing_days"] == pytest.approx(1.5)  # 6 / 4
    assert out.loc["Hộ tịch", "avg_limit_days"] == pytest.approx(2.5)  # 10 / 4
    assert out.loc["Hộ tịch", "days_saved"] == pytest.approx(1.0)  # 2,5 − 1,5
    assert out.loc["Hộ tịch", "time_saved_share"] == pytest.approx(0.4)  # 1 − 6/10
    assert out.loc["Đất đai", "time_saved_share"] == pytest.approx(0.4)  # 1 − 3/5
    assert out.loc["Xây dựng", "avg_processing_days"] is None
    assert out.loc["Xây dựng", "time_saved_share"] is None
    # Together: 1 − (6 + 3) / (10 + 5) = 40%, the sum of days over the sum of limits.
    total = processing_summary(frame.sum(numeric_only=True).to_frame().T).iloc[0]
    assert total["time_saved_share"] == pytest.approx(0.4)
    assert total["avg_processing_days"] == pytest.approx(9 / 5)


def test_feedback_partition_adds_up() -> None:
    parts = feedback_partition(
        {"fb_received": 10, "fb_on_time": 6, "fb_late": 2, "fb_open_overdue": 1, "fb_open_in_time": 1}
    )
    assert parts["fb_on_time_share"] == pytest.approx(0.6)
    assert parts["fb_open_overdue"] == 1
    assert sum(parts[p] for p in ("fb_on_time", "fb_late", "fb_open_overdue", "fb_open_in_time")) == 10
    assert feedback_partition({"fb_received": 0})["fb_on_time_share"] is None


def test_picked_value_reads_a_chart_click() -> None:
    state = {"selection": {"pick_month": [{"month": 202005.0}]}}
    assert picked_value(state, "pick_month", "month") == "202005"
    assert picked_value({"selection": {"pick_unit": [{"key": "689"}]}}, "pick_unit", "key") == "689"
    # A click on empty space (or no state yet) removes the filter.
    assert picked_value({"selection": {"pick_month": []}}, "pick_month", "month") is None
    assert picked_value(None, "pick_month", "month") is None
