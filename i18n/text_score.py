"""Texts of the score breakdown's "rule" column: each criterion of each rule set of
``metrics/score766.py`` in words (Vietnamese first), keyed ``rule_<rule set>_<group>_<metric>``
(``none`` for a criterion the dossier data cannot measure). The rule sets keep their developer
notes in ``Criterion.rule``; the screens show these.
"""

from __future__ import annotations

_QD = "QĐ 766/QĐ-TTg"
_CONG = "Cổng DVCQG 2026"

TEXT: dict[str, tuple[str, str]] = {
    # The national portal's 2026 formulas.
    "rule_portal-2026_transparency_none": (
        f"{_CONG}: cần dữ liệu công khai thủ tục, không đo được từ hồ sơ",
        "Portal 2026: needs the procedure catalogue, not measurable from dossiers",
    ),
    "rule_portal-2026_progress_on_time_rate": (f"{_CONG}: 20 × tỷ lệ", "Portal 2026: 20 × rate"),
    "rule_portal-2026_online_full_process_online_share": (
        f"{_CONG}: đủ điểm khi đạt 50%",
        "Portal 2026: full points at 50%",
    ),
    "rule_portal-2026_payment_online_payment_share": (f"{_CONG}: 6 × tỷ lệ A", "Portal 2026: 6 × rate A"),
    "rule_portal-2026_payment_fee_procedures_paid_online": (
        f"{_CONG}: nhỏ nhất của 2 và 2,5 × tỷ lệ B",
        "Portal 2026: the smaller of 2 and 2.5 × rate B",
    ),
    "rule_portal-2026_payment_fee_procedures_used": (f"{_CONG}: 2,5 × tỷ lệ C", "Portal 2026: 2.5 × rate C"),
    "rule_portal-2026_digitisation_e_result_rate": (f"{_CONG}: 6 × tỷ lệ", "Portal 2026: 6 × rate"),
    "rule_portal-2026_digitisation_digitized_rate": (
        f"{_CONG}: đủ điểm khi đạt 80%",
        "Portal 2026: full points at 80%",
    ),
    "rule_portal-2026_digitisation_reuse_rate": (
        f"{_CONG}: nhỏ nhất của 2 và 2 × tỷ lệ / 80%",
        "Portal 2026: the smaller of 2 and 2 × rate / 80%",
    ),
    "rule_portal-2026_digitisation_none": (
        f"{_CONG}: chứng thực điện tử, kho dữ liệu cá nhân, dữ liệu dân cư; không đo được từ hồ sơ",
        "Portal 2026: e-certified copies, personal storage, population data; not measurable here",
    ),
    "rule_portal-2026_satisfaction_satisfaction_766": (
        f"{_CONG} mục 5.4: nhỏ nhất của 6 và 6 × tỷ lệ / 90%; không có đánh giá thì 0 điểm",
        "Portal 2026 §5.4: the smaller of 6 and 6 × rate / 90%; no rating gives 0",
    ),
    "rule_portal-2026_satisfaction_feedback_on_time_rate": (
        f"{_CONG}: 6 × tỷ lệ; không có phản ánh thì đủ 6 điểm",
        "Portal 2026: 6 × rate; no feedback gives the full 6",
    ),
    "rule_portal-2026_satisfaction_feedback_satisfaction": (
        f"{_CONG} mục 5.3: 6 × tỷ lệ; không có phản ánh thì đủ 6 điểm",
        "Portal 2026 §5.3: 6 × rate; no feedback gives the full 6",
    ),
    # The 2022 estimate under Decision 766.
    "rule_decision-766-2022_transparency_none": (
        f"{_QD} nhóm 1: cần dữ liệu công khai thủ tục, không đo được từ hồ sơ",
        "Decision 766 group 1: needs the procedure catalogue, not measurable from dossiers",
    ),
    "rule_decision-766-2022_progress_on_time_rate": (
        f"{_QD} nhóm 2; mục tiêu ≥ 98%",
        "Decision 766 group 2; target ≥ 98%",
    ),
    "rule_decision-766-2022_online_full_process_online_share": (
        f"{_QD} nhóm 3; mục tiêu 50%",
        "Decision 766 group 3; target 50%",
    ),
    "rule_decision-766-2022_payment_online_payment_share": (
        f"{_QD} nhóm 4 (6 điểm); mục tiêu 80%",
        "Decision 766 group 4 (6 points); target 80%",
    ),
    "rule_decision-766-2022_payment_procedures_paid_online_share": (
        f"{_QD} nhóm 4 (2 điểm)",
        "Decision 766 group 4 (2 points)",
    ),
    "rule_decision-766-2022_payment_none": (
        f"{_QD} nhóm 4: 2 trong 10 điểm không được mô tả",
        "Decision 766 group 4: 2 of the 10 points are not described",
    ),
    "rule_decision-766-2022_digitisation_e_result_rate": (
        f"{_QD} nhóm 5; mục tiêu 80%",
        "Decision 766 group 5; target 80%",
    ),
    "rule_decision-766-2022_digitisation_digitized_rate": (
        f"{_QD} nhóm 5; mục tiêu 80%",
        "Decision 766 group 5; target 80%",
    ),
    "rule_decision-766-2022_digitisation_reuse_rate": (
        f"{_QD} nhóm 5; mục tiêu 80%",
        "Decision 766 group 5; target 80%",
    ),
    "rule_decision-766-2022_satisfaction_feedback_on_time_rate": (
        f"{_QD} nhóm 6: phản ánh, kiến nghị xử lý đúng hạn",
        "Decision 766 group 6: feedback handled on time",
    ),
    "rule_decision-766-2022_satisfaction_feedback_satisfaction": (
        f"{_QD} nhóm 6: hài lòng với trả lời phản ánh",
        "Decision 766 group 6: satisfaction with feedback answers",
    ),
    "rule_decision-766-2022_satisfaction_satisfaction_rate": (
        f"{_QD} nhóm 6; mục tiêu 90%",
        "Decision 766 group 6; target 90%",
    ),
}


def rule_key(rules: str, group: str, metric: str | None) -> str:
    """The catalogue key of a criterion's rule text."""
    return f"rule_{rules}_{group}_{metric or 'none'}"
