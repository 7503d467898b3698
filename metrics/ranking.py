"""Ranking units of one level (docs/rules.md §12) and bands (metric 13).

Only units of the same level are ranked together; ties share a rank and the next rank skips
(1, 2, 2, 4: "competition" ranking); units whose denominator is below a minimum are flagged and
left unranked, so a commune with 3 dossiers does not top the table at 100%.
"""

from __future__ import annotations

import pandas as pd


def rank(
    values: pd.Series,
    higher_is_better: bool = True,
    eligible: pd.Series | None = None,
    decimals: int = 9,
) -> pd.Series:
    """Competition ranks (1, 2, 2, 4) of ``values``; N/A and ineligible rows get <NA>.

    Values are rounded to ``decimals`` first so that float noise does not break a true tie.
    """
    numeric = pd.to_numeric(values, errors="coerce").astype(float).round(decimals)
    if eligible is not None:
        numeric = numeric.where(eligible.astype(bool))
    ranks = numeric.rank(method="min", ascending=not higher_is_better, na_option="keep")
    return ranks.astype("Int64")


def rank_change(current: pd.Series, previous: pd.Series) -> pd.Series:
    """Places gained against the previous period (positive = moved up, shown +n); <NA> if unknown."""
    cur = pd.to_numeric(current, errors="coerce")
    prev = pd.to_numeric(previous, errors="coerce").reindex(cur.index)
    return (prev - cur).astype("Int64")


def arrow(change: object) -> str:
    """+n (up n places), −n (down), = or an empty string for an unknown change. Plain signs, no
    symbol font needed; the wall draws a CSS triangle beside them (``ui.status.change``).
    """
    if change is None or pd.isna(change):
        return ""
    n = int(change)  # type: ignore[call-overload]
    return f"+{n}" if n > 0 else f"−{-n}" if n < 0 else "="


BANDS: tuple[tuple[float, str, str], ...] = (
    (15.0, "Xuất sắc", "Excellent"),
    (12.0, "Tốt", "Good"),
    (9.0, "Khá", "Fair"),
    (6.0, "Trung bình", "Average"),
    (float("-inf"), "Yếu", "Weak"),
)


def band(score_of_18: float | None, lang: str = "vi") -> str | None:
    """Circular 01/2018/TT-VPCP art. 15 band of a score out of 18 (scale others to 18 first)."""
    if score_of_18 is None or pd.isna(score_of_18):
        return None
    for floor, vi, en in BANDS:
        if score_of_18 >= floor:
            return en if lang == "en" else vi
    return None  # pragma: no cover - the last floor is -inf


def target_status(rate: float | None, target: float | None, higher_is_better: bool = True) -> str:
    """'met', 'missed' or 'unknown': the band against a target (the 766 score has no official band)."""
    if rate is None or target is None or pd.isna(rate) or pd.isna(target):
        return "unknown"
    met = rate >= target if higher_is_better else rate <= target
    return "met" if met else "missed"
