"""The metric registry: every metric of domain.md declared once.

A metric is a ratio of sums of additive counters (``numerator`` over ``denominator``; a counter
prefixed with ``-`` is subtracted), or a count (no denominator). The counters come from
``data_access``: the dossier counters are declared once, each with its event and condition, in
``data_access/counter_spec.py`` (as a semantic layer declares its measures); the procedure and
feedback counters are named by their queries. A test checks that every part named here exists
there. Labels are Vietnamese first, English second. ``rule`` cites the source.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """One metric: how it is computed, shown and judged."""

    name: str
    label_vi: str
    label_en: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    fmt: str  # "pct" | "count" | "days"
    higher_is_better: bool
    target_key: str | None
    rule: str
    doc: str

    @property
    def is_ratio(self) -> bool:
        """True for a ratio, False for a plain count or sum."""
        return bool(self.denominator)

    def label(self, lang: str = "vi") -> str:
        """The label in ``lang`` ('vi' or 'en')."""
        return self.label_en if lang == "en" else self.label_vi


_R766 = "Decision 766/QĐ-TTg (23/6/2022)"
_D61 = "Decree 61/2018/NĐ-CP, Circular 01/2018/TT-VPCP"

METRICS: tuple[Metric, ...] = (
    Metric(
        "on_time_rate",
        "Tỷ lệ hồ sơ đúng hạn",
        "On-time rate",
        ("settled_on_time", "open_on_time"),
        ("settled", "open_end"),
        "pct",
        True,
        "on_time_rate",
        f"{_R766} progress criterion; {_D61}",
        "domain.md metric 1 (headline): dossiers finished early or on time plus dossiers still in "
        "progress and not yet past due, over dossiers handled in the period (finished in it, or "
        "open at its end). A dossier waiting for a supplement counts as finished at the request "
        "date; two or more supplement requests make it late; the original due date applies.",
    ),
    Metric(
        "on_time_rate_finished",
        "Tỷ lệ đúng hạn trên hồ sơ đã giải quyết",
        "On-time rate among finished",
        ("finished_on_time",),
        ("finished",),
        "pct",
        True,
        "on_time_rate",
        _D61,
        "domain.md metric 2: early + on time over finished (processed, returned, stopped); a "
        "dossier waiting for a supplement is not finished here.",
    ),
    Metric(
        "overdue_in_progress",
        "Hồ sơ đang xử lý quá hạn",
        "Overdue in progress",
        ("open_overdue",),
        (),
        "count",
        False,
        None,
        _D61,
        "domain.md metric 3: open dossiers past their due date at the moment the figures are taken.",
    ),
    Metric(
        "received",
        "Hồ sơ tiếp nhận",
        "Dossiers received",
        ("received",),
        (),
        "count",
        True,
        None,
        _D61,
        "Dossiers received in the period, all channels.",
    ),
    Metric(
        "avg_processing_days",
        "Thời gian giải quyết trung bình (ngày làm việc)",
        "Average processing time (working days)",
        ("processing_days",),
        ("processing_n",),
        "days",
        False,
        None,
        _D61,
        "domain.md metric 4: working days from the day the clock starts to the finish day, "
        "averaged over dossiers finished in the period.",
    ),
    Metric(
        "time_saved_share",
        "Tỷ lệ thời gian tiết kiệm so với quy định",
        "Time saved against the limit",
        ("limit_days", "-processing_days"),
        ("limit_days",),
        "pct",
        True,
        None,
        _D61,
        "domain.md metric 4: 1 − working days used / legal limit, summed over finished dossiers "
        "(Bình Phước reports '40% shorter than the rule').",
    ),
    Metric(
        "online_share",
        "Tỷ lệ hồ sơ trực tuyến",
        "Online share",
        ("received_online",),
        ("received",),
        "pct",
        True,
        "online_share",
        "Resolution 76/NQ-CP; Decree 42/2022/NĐ-CP",
        "domain.md metric 5: dossiers received online over dossiers received.",
    ),
    Metric(
        "direct_share",
        "Tỷ lệ hồ sơ trực tiếp",
        "In-person share",
        ("received_direct",),
        ("received",),
        "pct",
        False,
        None,
        _D61,
        "domain.md metric 5: channel mix, in person.",
    ),
    Metric(
        "postal_share",
        "Tỷ lệ hồ sơ qua bưu chính",
        "Postal share",
        ("received_postal",),
        ("received",),
        "pct",
        True,
        None,
        _D61,
        "domain.md metric 5: channel mix, public post.",
    ),
    Metric(
        "online_provision",
        "Tỷ lệ TTHC cung cấp trực tuyến",
        "Procedures offered online",
        ("procedures_online",),
        ("procedures_used",),
        "pct",
        True,
        None,
        "Decree 42/2022/NĐ-CP",
        "domain.md metric 6: procedures offered full-process or partial online over the unit's "
        "procedures (those with dossiers received in the period).",
    ),
    Metric(
        "full_process_provision",
        "Tỷ lệ TTHC trực tuyến toàn trình",
        "Full-process online procedures",
        ("procedures_full",),
        ("procedures_used",),
        "pct",
        True,
        None,
        "Decree 42/2022/NĐ-CP",
        "domain.md metric 6: full-process share of the unit's procedures.",
    ),
    Metric(
        "full_process_online_share",
        "Tỷ lệ hồ sơ trực tuyến toàn trình",
        "Full-process online dossiers",
        ("fp_online",),
        ("fp_eligible",),
        "pct",
        True,
        "full_process_online_share",
        _R766,
        "domain.md metric 11 (online services): full-process online dossiers over dossiers of "
        "full-process-eligible procedures.",
    ),
    Metric(
        "online_payment_share",
        "Tỷ lệ thanh toán trực tuyến",
        "Online payment share",
        ("paid_online",),
        ("fee_required",),
        "pct",
        True,
        "online_payment_share",
        "Bình Phước Directive 16-CT/TU; " + _R766,
        "domain.md metric 7: dossiers with a fee paid online over dossiers with a fee.",
    ),
    Metric(
        "procedures_paid_online_share",
        "Tỷ lệ TTHC có thanh toán trực tuyến",
        "Procedures with an online payment",
        ("procedures_paid_online",),
        ("procedures_with_fee",),
        "pct",
        True,
        None,
        _R766,
        "domain.md metric 11 (online payment): procedures with at least one online payment over "
        "procedures with fee-bearing dossiers.",
    ),
    Metric(
        "e_result_rate",
        "Tỷ lệ trả kết quả điện tử",
        "Electronic results",
        ("e_result",),
        ("finished",),
        "pct",
        True,
        "e_result_rate",
        "Resolution 76/NQ-CP; " + _R766,
        "domain.md metric 8: dossiers with an electronic result over dossiers finished.",
    ),
    Metric(
        "digitized_rate",
        "Tỷ lệ số hóa hồ sơ",
        "Digitised dossiers",
        ("digitized",),
        ("received",),
        "pct",
        True,
        "digitized_rate",
        _R766,
        "domain.md metric 8: dossiers with digitised components over dossiers received.",
    ),
    Metric(
        "reuse_rate",
        "Tỷ lệ tái sử dụng dữ liệu số hóa",
        "Reuse of digitised data",
        ("reused_data",),
        ("received",),
        "pct",
        True,
        "reuse_rate",
        _R766,
        "domain.md metric 8: dossiers that reused already-digitised data over dossiers received.",
    ),
    Metric(
        "satisfaction_rate",
        "Tỷ lệ hài lòng",
        "Satisfaction",
        ("very_satisfied", "satisfied"),
        ("rated",),
        "pct",
        True,
        "satisfaction_rate",
        "Resolution 76/NQ-CP",
        "domain.md metric 9: (very satisfied + satisfied) over ratings received, per dossier "
        "rating of dossiers finished in the period.",
    ),
    Metric(
        "satisfaction_766",
        "Mức độ hài lòng (cách tính 766)",
        "Satisfaction (766 variant)",
        ("settled_on_time", "open_on_time", "-unsatisfied"),
        ("settled", "open_end"),
        "pct",
        True,
        "satisfaction_rate",
        f"{_R766}, criterion 5.4",
        "domain.md metric 9, 766 variant: 100% − (overdue rate + share of dossiers with an "
        "unsatisfied rating), both over the dossiers handled in the period; complaints that the "
        "dossier database does not link to a dossier are not counted.",
    ),
    Metric(
        "feedback_on_time_rate",
        "Tỷ lệ PAKN xử lý đúng hạn",
        "Feedback handled on time",
        ("fb_on_time",),
        ("fb_received",),
        "pct",
        True,
        "feedback_on_time_rate",
        _R766,
        "domain.md metric 10: feedback handled within 15 working days over feedback received.",
    ),
    Metric(
        "feedback_satisfaction",
        "Tỷ lệ hài lòng với trả lời PAKN",
        "Satisfaction with answers",
        ("fb_satisfied",),
        ("fb_rated",),
        "pct",
        True,
        None,
        _R766,
        "domain.md metric 10: satisfied ratings of feedback answers over ratings received.",
    ),
    Metric(
        "feedback_overdue",
        "PAKN quá hạn",
        "Overdue feedback",
        ("fb_overdue",),
        (),
        "count",
        False,
        None,
        _R766,
        "domain.md metric 10: open feedback past its 15-working-day due date.",
    ),
)

#: The counters of the receiving desk (data_access.desks answers them per unit).
DESK_COUNTERS: tuple[str, ...] = ("desk_received", "received_outside")

#: Metrics of the receiving desk (data_access.desks): read by a query of their own, not carried in
#: every unit-counter set, so only the screens that show intake by place list them.
DESK_METRICS: tuple[Metric, ...] = (
    Metric(
        "desk_received",
        "Hồ sơ tiếp nhận tại đơn vị (nơi nộp)",
        "Dossiers received at the unit's desks",
        ("desk_received",),
        (),
        "count",
        True,
        None,
        "Decree 61/2018/NĐ-CP; Decree 118/2025/NĐ-CP",
        "Intake by place: dossiers received in the period at the desks of the unit and the units "
        "below it, whichever agency handles them (rules.md, Attribution).",
    ),
    Metric(
        "received_outside_share",
        "Tỷ lệ hồ sơ tiếp nhận ngoài đơn vị xử lý",
        "Share received outside the handling unit",
        ("received_outside",),
        ("received",),
        "pct",
        True,
        None,
        "Decree 118/2025/NĐ-CP (submission at any desk in the province)",
        "Of the dossiers the unit handles and received in the period, those received at a desk "
        "outside it (one-stop 'liên thông', or any desk in the province): a measure of reach.",
    ),
)

BY_NAME: dict[str, Metric] = {m.name: m for m in (*METRICS, *DESK_METRICS)}


def get_metric(name: str) -> Metric:
    """The metric called ``name``; KeyError with the known names otherwise."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown metric {name!r}; known: {', '.join(BY_NAME)}") from None


def parts(metric: Metric) -> set[str]:
    """Counter names a metric reads (without the subtraction sign)."""
    return {c.lstrip("-") for c in metric.numerator + metric.denominator}
