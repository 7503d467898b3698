"""The first start's progress line: a sample build's step (``sample_data.generate.BuildStep``) in
the interface language, numbers in its format ("tháng 10/2026: 1.234 hồ sơ (tổng 16.001)")."""

from __future__ import annotations

from i18n.catalogue import TEXT, t
from i18n.format import fmt_int


def build_step_text(step: object, lang: str) -> str:
    """The words for ``step`` (any object with ``stage``, ``month``, ``dossiers``, ``total``)."""
    stage = str(getattr(step, "stage", ""))
    if stage == "month":
        return t(
            "building_month",
            lang,
            month=f"{step.month:%m/%Y}",  # type: ignore[attr-defined]
            n=fmt_int(getattr(step, "dossiers", 0), lang),
            total=fmt_int(getattr(step, "total", 0), lang),
        )
    return t(f"building_{stage}", lang) if f"building_{stage}" in TEXT else ""
