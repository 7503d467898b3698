"""Pure metric functions on tiny hand-made frames: registry, ratios, score, ranks, targets,
periods, working days and formats. Expected values are worked out in the comments."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from data_access import counter_spec
from data_access.counters import DOSSIER_COUNTERS
from data_access.queries import FEEDBACK_COUNTERS
from metrics import score766
from metrics.compute import compute, rollup
from metrics.ranking import arrow, band, rank, rank_change
from metrics.registry import DESK_METRICS, METRICS, parts
from metrics.targets import target_for
from timebase.period import PeriodError, month_to_date, parse_period
from timebase.workdays import due_date, elapsed
from vocabulary import DESK_COUNTERS, TARGET_METRICS

PROCEDURE_COUNTERS = {"procedures_used", *(c.name for c in counter_spec.PROCEDURE_COUNTERS)}


def test_registry_is_complete_and_consistent() -> None:
    names = [m.name for m in METRICS]
    assert len(names) == len(set(names))
    known = set(DOSSIER_COUNTERS) | PROCEDURE_COUNTERS | set(FEEDBACK_COUNTERS)
    for m in METRICS:
        assert parts(m) <= known, m.name
        assert m.doc.startswith("docs/rules.md §") or "Dossiers received" in m.doc, m.name
        assert m.rule and m.label_vi and m.label_en
        assert m.fmt in {"pct", "count", "days"}
    # The desk metrics read the desk counters (and the dossier counters), and no name is taken twice.
    for m in DESK_METRICS:
        assert parts(m) <= known | set(DESK_COUNTERS), m.name
        assert m.name not in names and m.rule and m.label_vi and m.label_en
    # A target file may name exactly the metric keys the registry sets targets for (the import
    # checks targets.csv against vocabulary.TARGET_METRICS, below the metrics).
    assert {m.target_key for m in (*METRICS, *DESK_METRICS) if m.target_key} == TARGET_METRICS
    # Every metric 1–10 of docs/rules.md is declared, and each section it cites exists there.
    rules = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    for number in range(1, 11):
        assert any(f"§{number}:" in m.doc or f"§{number} " in m.doc for m in METRICS), number
    for m in METRICS:
        for cited in re.findall(r"§(\d+)", m.doc):
            assert f"## §{cited} " in rules, (m.name, cited)


def test_ratio_of_sums_not_mean_of_ratios() -> None:
    # Unit A: 1 of 1 on time (100%); unit B: 1 of 9 (11,1%). Together 2/10 = 20%, not 55,6%.
    frame = pd.DataFrame(
        {
            "unit": ["A", "B"],
            "settled": [1, 9],
            "settled_on_time": [1, 1],
            "open_end": [0, 0],
            "open_on_time": [0, 0],
        }
    )
    total = compute(rollup(frame, [], ["settled", "settled_on_time", "open_end", "open_on_time"]))
    assert total.iloc[0]["on_time_rate"] == pytest.approx(0.2)


def test_zero_denominator_is_na() -> None:
    frame = pd.DataFrame({"rated": [0], "very_satisfied": [0], "satisfied": [0]})
    assert compute(frame).iloc[0]["satisfaction_rate"] is None


SCORE_COUNTERS = dict(
    settled=90,
    settled_on_time=88,
    open_end=10,
    open_on_time=9,  # 97/100 = 97%
    fp_eligible=200,
    fp_online=80,  # 40%
    fee_required=50,
    paid_online=20,  # 40%
    procedures_with_fee=10,
    procedures_paid_online=8,  # 80%
    finished=80,
    e_result=60,
    received=100,
    digitized=90,
    reused_data=40,  # 75%, 90%, 40%
    fb_received=0,
    fb_handled=0,
    fb_open=0,
    fb_rated=0,
    fb_satisfied=0,  # no PAKN
    rated=50,
    very_satisfied=20,
    satisfied=25,  # 90%
)


def test_score_breakdown_worked_by_hand() -> None:
    """The earlier estimate (decision-766-2022)."""
    rules = score766.DECISION_2022
    table = score766.breakdown(SCORE_COUNTERS, rules).set_index("criterion", drop=False)
    pts = table.dropna(subset=["criterion"]).set_index("criterion")["points"]
    assert pts["on_time_rate"] == pytest.approx(20 * 0.97 / 0.98)  # 19,796
    assert pts["full_process_online_share"] == pytest.approx(12 * 0.4 / 0.5)  # 9,6
    assert pts["online_payment_share"] == pytest.approx(6 * 0.4 / 0.8)  # 3,0
    assert pts["procedures_paid_online_share"] == pytest.approx(2.0)  # 80% meets 80%
    assert pts["e_result_rate"] == pytest.approx(22 / 3 * 0.75 / 0.8)  # 6,875
    assert pts["digitized_rate"] == pytest.approx(22 / 3)  # 90% > 80% → max
    assert pts["reuse_rate"] == pytest.approx(22 / 3 * 0.5)  # 3,667
    assert pts["feedback_on_time_rate"] == 6 and pts["feedback_satisfaction"] == 6  # no PAKN → 12
    assert pts["satisfaction_rate"] == pytest.approx(6.0)  # 90% meets 90%
    expected = 20 * 0.97 / 0.98 + 9.6 + 3 + 2 + 22 / 3 * (0.75 / 0.8 + 1 + 0.5) + 12 + 6
    assert score766.total(SCORE_COUNTERS, rules) == pytest.approx(expected)  # ≈ 70,27 of 80
    assert pytest.approx(80) == rules.measured_max  # 100 − 18 transparency − 2 payment
    # Transparency and 2 payment points are shown, not scored.
    unmeasured = table[~table["measured"]]
    assert list(unmeasured["group"]) == ["transparency", "payment"]
    assert unmeasured["points"].isna().all()
    # The numerator and denominator behind each criterion are kept.
    row = table.loc["on_time_rate"]
    assert (row["numerator"], row["denominator"]) == (97, 100)
    groups = score766.group_points_frame(pd.DataFrame([SCORE_COUNTERS]), rules).iloc[0]
    assert "points_transparency" not in groups  # nothing of it is measured here
    assert groups["points_satisfaction"] == pytest.approx(18)


def _portal_points(**counters: float) -> dict[str, float]:
    """Points per criterion under portal-2026 for one unit with ``counters`` (10 handled)."""
    row = {"settled": 10, "open_end": 0, **counters}
    table = score766.breakdown(row, score766.PORTAL_2026).dropna(subset=["criterion"])
    return dict(zip(table["criterion"], table["points"], strict=True))


@pytest.mark.parametrize(
    ("counters", "criterion", "points"),
    [
        # Progress: 20 × rate, no threshold: 9 of 10 on time → 18; 10 of 10 → 20.
        (dict(settled_on_time=9), "on_time_rate", 18.0),
        (dict(settled_on_time=10), "on_time_rate", 20.0),
        # Online services: full at 50 %: 20 % → 12 × 0,2/0,5 = 4,8; 50 % → 12; 70 % → 12; none eligible → 0.
        (dict(fp_eligible=10, fp_online=2), "full_process_online_share", 4.8),
        (dict(fp_eligible=10, fp_online=5), "full_process_online_share", 12.0),
        (dict(fp_eligible=10, fp_online=7), "full_process_online_share", 12.0),
        (dict(fp_eligible=0), "full_process_online_share", 0.0),
        # Payment A: 6 × A: 3 of 4 → 4,5; no fee dossier → 0.
        (dict(fee_required=4, paid_online=3), "online_payment_share", 4.5),
        (dict(fee_required=0), "online_payment_share", 0.0),
        # Payment B: min(2, 2,5 × B): 2 of 5 → 1,0; 4 of 5 (80 %) → 2; 5 of 5 → 2 (not 2,5).
        (dict(procedures_fee_listed=5, procedures_paid_online=2), "fee_procedures_paid_online", 1.0),
        (dict(procedures_fee_listed=5, procedures_paid_online=4), "fee_procedures_paid_online", 2.0),
        (dict(procedures_fee_listed=5, procedures_paid_online=5), "fee_procedures_paid_online", 2.0),
        # Payment C: 2,5 × C: 2 of 5 → 1,0; 5 of 5 → 2,5; no fee procedure → 0.
        (dict(procedures_fee_listed=5, procedures_with_fee=2), "fee_procedures_used", 1.0),
        (dict(procedures_fee_listed=5, procedures_with_fee=5), "fee_procedures_used", 2.5),
        (dict(procedures_fee_listed=0), "fee_procedures_used", 0.0),
        # Electronic results 6 × rate: 5 of 10 finished → 3.
        (dict(finished=10, e_result=5), "e_result_rate", 3.0),
        # Digitised components, full at 80 %: 4 of 10 → 4 × 0,4/0,8 = 2; 8 of 10 → 4; 10 → 4.
        (dict(received=10, digitized=4), "digitized_rate", 2.0),
        (dict(received=10, digitized=8), "digitized_rate", 4.0),
        (dict(received=10, digitized=10), "digitized_rate", 4.0),
        # Reuse min(2, 2 × rate / 80 %): 2 of 10 → 0,5; 8 of 10 → 2; 9 of 10 → 2.
        (dict(received=10, reused_data=2), "reuse_rate", 0.5),
        (dict(received=10, reused_data=8), "reuse_rate", 2.0),
        (dict(received=10, reused_data=9), "reuse_rate", 2.0),
        # Dossier satisfaction min(6, 6 × r / 90 %), r = (on time − unsatisfied) / handled:
        # (8 − 2)/10 = 60 % → 4; (10 − 1)/10 = 90 % → 6; 10/10 → 6; rated nothing → 0.
        (dict(settled_on_time=8, unsatisfied=2, rated=5), "satisfaction_766", 4.0),
        (dict(settled_on_time=10, unsatisfied=1, rated=5), "satisfaction_766", 6.0),
        (dict(settled_on_time=10, unsatisfied=0, rated=5), "satisfaction_766", 6.0),
        (dict(settled_on_time=10, rated=0), "satisfaction_766", 0.0),
        # Feedback: 6 × rate; none → 6. (2 answered on time + 1 open within due) of (3 answered +
        # 1 open) → 3/4 → 4,5; of 4 received, 3 unsatisfied or late → 1/4 → 1,5.
        (
            dict(fb_handled=3, fb_handled_on_time=2, fb_open=1, fb_open_in_time=1),
            "feedback_on_time_rate",
            4.5,
        ),
        (dict(fb_handled=0, fb_open=0), "feedback_on_time_rate", 6.0),
        (dict(fb_received=4, fb_unsatisfied_or_late=3), "feedback_satisfaction", 1.5),
        (dict(fb_received=0), "feedback_satisfaction", 6.0),
    ],
)
def test_portal_2026_formulas_by_hand(counters: dict[str, float], criterion: str, points: float) -> None:
    assert _portal_points(**counters)[criterion] == pytest.approx(points)


def test_portal_2026_maxima_and_no_data() -> None:
    rules = score766.PORTAL_2026
    # 20 progress + 12 online + 10 payment (6 + 2 + 2,5 capped at the group's 10) + 12 digitisation
    # (6 + 4 + 2 measured of 22) + 18 satisfaction = 72.
    assert rules.measured_max == 72
    assert rules.measured_group_max("payment") == 10 and rules.measured_group_max("digitisation") == 12
    table = score766.breakdown({"settled": 10, "settled_on_time": 10}, rules)
    flagged = dict(zip(table["criterion"], table["no_data"], strict=True))
    assert flagged["on_time_rate"] is False and flagged["e_result_rate"] is True
    # Only progress (20) and the two feedback criteria (6 + 6) score when nothing else is known.
    assert score766.total({"settled": 10, "settled_on_time": 10}, rules) == pytest.approx(32)
    assert score766.total({"settled": 0, "open_end": 0}, rules) is None
    assert score766.rule_set("") is score766.PORTAL_2026
    assert score766.rule_set("decision-766-2022") is score766.DECISION_2022


def test_vectorised_scores_equal_the_breakdown() -> None:
    other = {
        **SCORE_COUNTERS,
        "settled_on_time": 50,
        "fb_received": 10,
        "fb_on_time": 7,
        "fb_rated": 4,
        "fb_satisfied": 1,
        "fee_required": 0,
        "paid_online": 0,
    }
    frame = pd.DataFrame([SCORE_COUNTERS, other])
    for rules in score766.RULE_SETS.values():
        assert list(score766.scores(frame, rules)) == pytest.approx(
            [score766.total(SCORE_COUNTERS, rules), score766.total(other, rules)]
        )


def test_ranks_share_ties_and_skip() -> None:
    assert list(rank(pd.Series([0.9, 0.95, 0.95, 0.8]))) == [3, 1, 1, 4]
    # Lower is better (overdue counts): 0 first.
    assert list(rank(pd.Series([3, 0, 3]), higher_is_better=False)) == [2, 1, 2]
    # A small unit is flagged out of the ranking instead of topping it at 100%.
    ranked = rank(pd.Series([1.0, 0.9, 0.8]), eligible=pd.Series([False, True, True]))
    assert ranked.isna().tolist() == [True, False, False]
    assert list(ranked.dropna()) == [1, 2]
    # Float noise does not break a true tie: 1/3 computed two ways.
    assert list(rank(pd.Series([1 / 3, 0.1 / 0.3]))) == [1, 1]


def test_rank_change_and_arrows() -> None:
    change = rank_change(pd.Series([1, 2, 3]), pd.Series([3, 2, None]))
    assert change[0] == 2 and change[1] == 0 and pd.isna(change[2])
    assert [arrow(c) for c in change] == ["+2", "=", ""]
    assert arrow(-1) == "−1"


def test_bands_of_circular_01() -> None:
    assert [band(x) for x in (16, 15, 14.9, 12, 9, 6, 5.9)] == [
        "Xuất sắc",
        "Xuất sắc",
        "Tốt",
        "Tốt",
        "Khá",
        "Trung bình",
        "Yếu",
    ]


def test_target_lookup_most_specific_wins() -> None:
    table = pd.DataFrame(
        [
            dict(
                metric="satisfaction_rate",
                unit_code="",
                level="",
                field="",
                year=2025,
                value=0.9,
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
            dict(
                metric="satisfaction_rate",
                unit_code="",
                level="",
                field="",
                year=2030,
                value=0.95,
                source="NQ 76",
            ),
        ]
    )
    assert target_for(table, "satisfaction_rate", 2026) == (0.9, "NQ 76")
    assert target_for(table, "satisfaction_rate", 2026, field="Đất đai") == (0.85, "QN")
    assert target_for(table, "satisfaction_rate", 2030) == (0.95, "NQ 76")
    assert target_for(table, "online_share", 2026) is None
    assert target_for(table, "satisfaction_rate", 2019) is None


def test_periods() -> None:
    now = dt.datetime(2026, 11, 23, 10, 0)
    mtd = month_to_date(now)
    assert (mtd.start, mtd.end, mtd.as_of) == (dt.date(2026, 11, 1), dt.date(2026, 11, 23), now)
    assert (mtd.previous().start, mtd.previous().end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 23))
    q3 = parse_period("2026-Q3", now)
    assert (q3.start, q3.end, q3.previous().start) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
        dt.date(2026, 4, 1),
    )
    assert parse_period("2026-10").as_of == dt.datetime(2026, 10, 31, 23, 59, 59)
    for bad in ("2026-13", "abc", "2026-10-05..2026-10-01", "1800", "2026-Q5", "'; DROP TABLE x; --"):
        with pytest.raises(PeriodError):
            parse_period(bad, now)


def test_working_days_across_tet_and_a_swapped_saturday() -> None:
    # Received Fri 13/2/2026 09:00, 3 working days: Tết closes 16–20/2 → Mon 23, Tue 24, Wed 25.
    assert due_date(dt.datetime(2026, 2, 13, 9), 3) == dt.datetime(2026, 2, 25, 17)
    # Received after 15:00 on Fri 20/11/2026: counts from Mon 23; Tue 24 is Vietnam Cultural Day
    # (a holiday since 2026) → Wed 25, Thu 26, Fri 27.
    assert due_date(dt.datetime(2026, 11, 20, 16), 3) == dt.datetime(2026, 11, 27, 17)
    # Saturday 26/4/2025 was worked in exchange for Fri 2/5: a 1-day limit from Fri 25/4 ends on it.
    assert due_date(dt.datetime(2025, 4, 25, 9), 1) == dt.datetime(2025, 4, 26, 17)
    # Working days used: Mon 09:00 → Thu = 3; same day = 0; Sat receipt counts from Mon.
    assert elapsed(dt.datetime(2026, 10, 5, 9), dt.datetime(2026, 10, 8, 17)) == 3
    assert elapsed(dt.datetime(2026, 10, 5, 9), dt.datetime(2026, 10, 5, 11)) == 0
    assert elapsed(dt.datetime(2026, 10, 10, 9), dt.datetime(2026, 10, 14, 10)) == 2
