"""The metric registry: every metric of docs/rules.md declared once.

A metric is a ratio of sums of additive counters (``numerator`` over ``denominator``; a counter
prefixed with ``-`` is subtracted), or a count (no denominator). The counters come from
``data_access``: the dossier counters are declared once, each with its event and condition, in
``data_access/counter_spec.py`` (as a semantic layer declares its measures); the procedure and
feedback counters are named by their queries. A test checks that every part named here exists
there. Labels are Vietnamese first, English second. ``rule`` cites the source.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
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
        name="on_time_rate",
        label_vi="Tỷ lệ hồ sơ đúng hạn",
        label_en="On-time rate",
        numerator=("settled_on_time", "open_on_time"),
        denominator=("settled", "open_end"),
        fmt="pct",
        higher_is_better=True,
        target_key="on_time_rate",
        rule=f"{_R766} progress criterion; {_D61}",
        doc="docs/rules.md §1 (headline): dossiers finished early or on time plus dossiers still in "
        "progress and not yet past due, over dossiers handled in the period (finished in it, or "
        "open at its end). A dossier waiting for a supplement counts as finished at the request "
        "date; two or more supplement requests make it late; the original due date applies.",
    ),
    Metric(
        name="on_time_rate_finished",
        label_vi="Tỷ lệ đúng hạn trên hồ sơ đã giải quyết",
        label_en="On-time rate among finished",
        numerator=("finished_on_time",),
        denominator=("finished",),
        fmt="pct",
        higher_is_better=True,
        target_key="on_time_rate",
        rule=_D61,
        doc="docs/rules.md §2: early + on time over finished (processed, returned, stopped); a "
        "dossier waiting for a supplement is not finished here.",
    ),
    Metric(
        name="overdue_in_progress",
        label_vi="Hồ sơ đang xử lý quá hạn",
        label_en="Overdue in progress",
        numerator=("open_overdue",),
        denominator=(),
        fmt="count",
        higher_is_better=False,
        target_key=None,
        rule=_D61,
        doc="docs/rules.md §3: open dossiers past their due date at the moment the figures are taken.",
    ),
    Metric(
        name="overdue_share",
        label_vi="Tỷ lệ hồ sơ đang xử lý quá hạn",
        label_en="Overdue share of open dossiers",
        numerator=("open_overdue",),
        denominator=("open_end",),
        fmt="pct",
        higher_is_better=False,
        target_key=None,
        rule=_D61,
        doc="docs/rules.md §3: open dossiers past their due date over all open dossiers, at the moment "
        "the figures are taken (the share an alert or an alarm can be set on).",
    ),
    Metric(
        name="received",
        label_vi="Hồ sơ tiếp nhận",
        label_en="Dossiers received",
        numerator=("received",),
        denominator=(),
        fmt="count",
        higher_is_better=True,
        target_key=None,
        rule=_D61,
        doc="Dossiers received in the period, all channels.",
    ),
    Metric(
        name="avg_processing_days",
        label_vi="Thời gian giải quyết trung bình (ngày làm việc)",
        label_en="Average processing time (working days)",
        numerator=("processing_days",),
        denominator=("processing_n",),
        fmt="days",
        higher_is_better=False,
        target_key=None,
        rule=_D61,
        doc="docs/rules.md §4: working days from the day the clock starts to the finish day, "
        "averaged over dossiers finished in the period.",
    ),
    Metric(
        name="time_saved_share",
        label_vi="Tỷ lệ thời gian tiết kiệm so với quy định",
        label_en="Time saved against the limit",
        numerator=("limit_days", "-processing_days"),
        denominator=("limit_days",),
        fmt="pct",
        higher_is_better=True,
        target_key=None,
        rule=_D61,
        doc="docs/rules.md §4: 1 − working days used / legal limit, summed over finished dossiers "
        "(Bình Phước reports '40% shorter than the rule').",
    ),
    Metric(
        name="online_share",
        label_vi="Tỷ lệ hồ sơ trực tuyến",
        label_en="Online share",
        numerator=("received_online",),
        denominator=("received",),
        fmt="pct",
        higher_is_better=True,
        target_key="online_share",
        rule="Resolution 76/NQ-CP; Decree 42/2022/NĐ-CP",
        doc="docs/rules.md §5: dossiers received online over dossiers received.",
    ),
    Metric(
        name="direct_share",
        label_vi="Tỷ lệ hồ sơ trực tiếp",
        label_en="In-person share",
        numerator=("received_direct",),
        denominator=("received",),
        fmt="pct",
        higher_is_better=False,
        target_key=None,
        rule=_D61,
        doc="docs/rules.md §5: channel mix, in person.",
    ),
    Metric(
        name="postal_share",
        label_vi="Tỷ lệ hồ sơ qua bưu chính",
        label_en="Postal share",
        numerator=("received_postal",),
        denominator=("received",),
        fmt="pct",
        higher_is_better=True,
        target_key=None,
        rule=_D61,
        doc="docs/rules.md §5: channel mix, public post.",
    ),
    Metric(
        name="online_provision",
        label_vi="Tỷ lệ TTHC cung cấp trực tuyến",
        label_en="Procedures offered online",
        numerator=("procedures_online",),
        denominator=("procedures_used",),
        fmt="pct",
        higher_is_better=True,
        target_key=None,
        rule="Decree 42/2022/NĐ-CP",
        doc="docs/rules.md §6: procedures offered full-process or partial online over the unit's "
        "procedures (those with dossiers received in the period).",
    ),
    Metric(
        name="full_process_provision",
        label_vi="Tỷ lệ TTHC trực tuyến toàn trình",
        label_en="Full-process online procedures",
        numerator=("procedures_full",),
        denominator=("procedures_used",),
        fmt="pct",
        higher_is_better=True,
        target_key=None,
        rule="Decree 42/2022/NĐ-CP",
        doc="docs/rules.md §6: full-process share of the unit's procedures.",
    ),
    Metric(
        name="full_process_online_share",
        label_vi="Tỷ lệ hồ sơ trực tuyến toàn trình",
        label_en="Full-process online dossiers",
        numerator=("fp_online",),
        denominator=("fp_eligible",),
        fmt="pct",
        higher_is_better=True,
        target_key="full_process_online_share",
        rule=_R766,
        doc="docs/rules.md §11 (online services): full-process online dossiers over dossiers of "
        "full-process-eligible procedures.",
    ),
    Metric(
        name="online_payment_share",
        label_vi="Tỷ lệ thanh toán trực tuyến",
        label_en="Online payment share",
        numerator=("paid_online",),
        denominator=("fee_required",),
        fmt="pct",
        higher_is_better=True,
        target_key="online_payment_share",
        rule="Bình Phước Directive 16-CT/TU; " + _R766,
        doc="docs/rules.md §7: dossiers with a fee paid online over dossiers with a fee.",
    ),
    Metric(
        name="procedures_paid_online_share",
        label_vi="Tỷ lệ TTHC có thanh toán trực tuyến",
        label_en="Procedures with an online payment",
        numerator=("procedures_paid_online",),
        denominator=("procedures_with_fee",),
        fmt="pct",
        higher_is_better=True,
        target_key=None,
        rule=_R766,
        doc="docs/rules.md §11 (online payment): procedures with at least one online payment over "
        "procedures with fee-bearing dossiers.",
    ),
    Metric(
        name="fee_procedures_paid_online",
        label_vi="Tỷ lệ TTHC có phí được thanh toán trực tuyến",
        label_en="Fee procedures paid online",
        numerator=("procedures_paid_online",),
        denominator=("procedures_fee_listed",),
        fmt="pct",
        higher_is_better=True,
        target_key=None,
        rule="portal-766-2026 (online payment B)",
        doc="docs/rules.md §7: procedures with at least one dossier paid online over the procedures "
        "the unit handled whose catalogue entry carries a fee.",
    ),
    Metric(
        name="fee_procedures_used",
        label_vi="Tỷ lệ TTHC có phí phát sinh hồ sơ có phí",
        label_en="Fee procedures with fee dossiers",
        numerator=("procedures_with_fee",),
        denominator=("procedures_fee_listed",),
        fmt="pct",
        higher_is_better=True,
        target_key=None,
        rule="portal-766-2026 (online payment C)",
        doc="docs/rules.md §7: procedures with at least one fee-bearing dossier over the procedures "
        "the unit handled whose catalogue entry carries a fee.",
    ),
    Metric(
        name="e_result_rate",
        label_vi="Tỷ lệ trả kết quả điện tử",
        label_en="Electronic results",
        numerator=("e_result",),
        denominator=("finished",),
        fmt="pct",
        higher_is_better=True,
        target_key="e_result_rate",
        rule="Resolution 76/NQ-CP; " + _R766,
        doc="docs/rules.md §8: dossiers with an electronic result over dossiers finished.",
    ),
    Metric(
        name="digitized_rate",
        label_vi="Tỷ lệ số hóa hồ sơ",
        label_en="Digitised dossiers",
        numerator=("digitized",),
        denominator=("received",),
        fmt="pct",
        higher_is_better=True,
        target_key="digitized_rate",
        rule=_R766,
        doc="docs/rules.md §8: dossiers with digitised components over dossiers received.",
    ),
    Metric(
        name="reuse_rate",
        label_vi="Tỷ lệ tái sử dụng dữ liệu số hóa",
        label_en="Reuse of digitised data",
        numerator=("reused_data",),
        denominator=("received",),
        fmt="pct",
        higher_is_better=True,
        target_key="reuse_rate",
        rule=_R766,
        doc="docs/rules.md §8: dossiers that reused already-digitised data over dossiers received.",
    ),
    Metric(
        name="satisfaction_rate",
        label_vi="Tỷ lệ hài lòng",
        label_en="Satisfaction",
        numerator=("very_satisfied", "satisfied"),
        denominator=("rated",),
        fmt="pct",
        higher_is_better=True,
        target_key="satisfaction_rate",
        rule="Resolution 76/NQ-CP",
        doc="docs/rules.md §9: (very satisfied + satisfied) over ratings received, per dossier "
        "rating of dossiers finished in the period.",
    ),
    Metric(
        name="satisfaction_766",
        label_vi="Mức độ hài lòng (cách tính 766)",
        label_en="Satisfaction (766 variant)",
        numerator=("settled_on_time", "open_on_time", "-unsatisfied"),
        denominator=("settled", "open_end"),
        fmt="pct",
        higher_is_better=True,
        target_key="satisfaction_rate",
        rule=f"{_R766}, criterion 5.4",
        doc="docs/rules.md §9, 766 variant: 100% − (overdue rate + share of dossiers with an "
        "unsatisfied rating), both over the dossiers handled in the period; complaints that the "
        "dossier database does not link to a dossier are not counted.",
    ),
    Metric(
        name="feedback_on_time_rate",
        label_vi="Tỷ lệ PAKN xử lý đúng hạn",
        label_en="Feedback handled on time",
        numerator=("fb_handled_on_time", "fb_open_in_time"),
        denominator=("fb_handled", "fb_open"),
        fmt="pct",
        higher_is_better=True,
        target_key="feedback_on_time_rate",
        rule=_R766,
        doc="docs/rules.md §10: feedback answered in the period by its due time (15 working days) plus "
        "feedback still open within it at the judging moment, over feedback answered in the period "
        "or open at that moment; an open item past due is late.",
    ),
    Metric(
        name="feedback_satisfaction",
        label_vi="Tỷ lệ hài lòng với trả lời PAKN",
        label_en="Satisfaction with answers",
        numerator=("fb_received", "-fb_unsatisfied_or_late"),
        denominator=("fb_received",),
        fmt="pct",
        higher_is_better=True,
        target_key=None,
        rule=f"{_R766}, criterion 5.3",
        doc="docs/rules.md §10: (feedback received − feedback whose answer was rated unsatisfied, "
        "came late or is still open past due) over feedback received in the period.",
    ),
    Metric(
        name="feedback_overdue",
        label_vi="PAKN quá hạn",
        label_en="Overdue feedback",
        numerator=("fb_overdue",),
        denominator=(),
        fmt="count",
        higher_is_better=False,
        target_key=None,
        rule=_R766,
        doc="docs/rules.md §10: open feedback past its 15-working-day due date.",
    ),
)

#: Metrics of the receiving desk (data_access.desks): read by a query of their own, not carried in
#: every unit-counter set, so only the screens that show intake by place list them.
DESK_METRICS: tuple[Metric, ...] = (
    Metric(
        name="desk_received",
        label_vi="Hồ sơ tiếp nhận tại đơn vị (nơi nộp)",
        label_en="Dossiers received at the unit's desks",
        numerator=("desk_received",),
        denominator=(),
        fmt="count",
        higher_is_better=True,
        target_key=None,
        rule="Decree 61/2018/NĐ-CP; Decree 118/2025/NĐ-CP",
        doc="Intake by place: dossiers received in the period at the desks of the unit and the units "
        "below it, whichever agency handles them (rules.md, Attribution).",
    ),
    Metric(
        name="received_outside_share",
        label_vi="Tỷ lệ hồ sơ tiếp nhận ngoài đơn vị xử lý",
        label_en="Share received outside the handling unit",
        numerator=("received_outside",),
        denominator=("received",),
        fmt="pct",
        higher_is_better=True,
        target_key=None,
        rule="Decree 118/2025/NĐ-CP (submission at any desk in the province)",
        doc="Of the dossiers the unit handles and received in the period, those received at a desk "
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
