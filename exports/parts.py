"""Shared pieces of the figure builders: the context of a request, what a builder returns, and the
helpers that turn suppressed metric cells into chart labels and table cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from exports.request import ExportRequest, Scope
from i18n.catalogue import t
from i18n.format import fmt_value
from metrics import score766
from metrics.registry import Metric
from metrics.score766 import RuleSet
from metrics.targets import target_for

#: Table column formats understood by the XLSX writer (a list gives one format per row).
Formats = dict[str, str | list[str]]
#: The target each table column's figures are printed against (a list: one per row), so a
#: rounded figure never reads as meeting a target it misses (``i18n.format.decimals_against``).
Targets = dict[str, float | list[float | None] | None]


@dataclass(frozen=True)
class Context:
    """Everything a figure builder needs besides the data source."""

    request: ExportRequest
    scope: Scope
    targets: pd.DataFrame
    min_cell: int
    min_dossiers: int
    rules: RuleSet = score766.DEFAULT

    @property
    def lang(self) -> str:
        """The language of the texts."""
        return self.request.lang

    @property
    def year(self) -> int:
        """The year whose targets apply (the period's last day)."""
        return self.request.period.end.year


@dataclass(frozen=True)
class Part:
    """What a builder returns: texts, the chart's rows, and the table behind the chart."""

    title: str
    subtitle: tuple[str, ...]
    data: pd.DataFrame
    table: pd.DataFrame
    formats: Formats = field(default_factory=dict)
    target: float | None = None
    target_label: str | None = None
    targets: Targets = field(default_factory=dict)
    #: Lines that replace the general suppression rule under the chart (what this chart hid, and why).
    notes: tuple[str, ...] = ()


def target_of(
    ctx: Context, metric: Metric, unit_code: str = "", level: str = ""
) -> tuple[float | None, str | None]:
    """(value, 'Mục tiêu ≥ 98%') of the target that applies to ``metric``, or (None, None)."""
    found = target_for(ctx.targets, metric.target_key, ctx.year, unit_code, level)
    if found is None:
        return None, None
    key = "press_target_at_least" if metric.higher_is_better else "press_target_at_most"
    return found[0], t(key, ctx.lang, value=fmt_value(found[0], metric.fmt, ctx.lang))


def hidden_text(ctx: Context, is_count: bool) -> str:
    """What a suppressed cell shows: '<5' for a count, 'ẩn' for a rate."""
    if is_count:
        return t("press_suppressed_count", ctx.lang, min=ctx.min_cell)
    return t("press_suppressed_rate", ctx.lang)


def chart_note(ctx: Context, metric: Metric, value: object, hidden: bool) -> str | None:
    """The label a chart shows instead of a value: suppressed, or '—' for N/A; None otherwise."""
    if hidden:
        return hidden_text(ctx, not metric.is_ratio)
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    return None


def table_value(ctx: Context, metric: Metric, value: object, hidden: bool) -> object:
    """A table cell: the number, the suppression text, or None (empty) for N/A."""
    if hidden:
        return hidden_text(ctx, not metric.is_ratio)
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return float(value) if metric.fmt != "count" else int(value)  # type: ignore[arg-type]


def table_count(ctx: Context, count: object, hidden: bool) -> object:
    """A count cell of the table: the integer, or '<5' when suppressed."""
    if hidden:
        return hidden_text(ctx, True)
    return int(count)  # type: ignore[call-overload]


def level_name(ctx: Context, level: str) -> str:
    """'cấp huyện': the catalogue's name of a level, lower case for use inside a sentence."""
    return t(f"level_{level}", ctx.lang).lower()
