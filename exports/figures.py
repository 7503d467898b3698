"""A figure: everything a published chart says, and the aggregates behind it, already suppressed.

:func:`build_figure` checks a request against the data, asks the source for aggregates (never a
dossier row), applies small-cell suppression, and writes the Vietnamese title, subtitle, target,
source line and sample label. ``exports.charts`` draws a figure; ``exports.render`` writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from exports import level_data, score_data, unit_data
from exports.parts import Context, Formats, Part, Targets
from exports.request import ExportRequest, file_stem, resolve
from exports.source import Source
from i18n.catalogue import t
from i18n.format import fmt_datetime
from metrics import score766
from metrics.registry import Metric
from metrics.score766 import RuleSet
from timebase.period import Period

BUILDERS: dict[str, Callable[[Context, Source], Part]] = {
    "headline": unit_data.headline,
    "ranking": level_data.ranking,
    "trend": unit_data.trend,
    "map": level_data.unit_map,
    "channels": level_data.channels,
    "score": score_data.score,
}


@dataclass(frozen=True)
class Figure:
    """A chart ready to draw and export."""

    kind: str
    lang: str
    title: str
    subtitle: tuple[str, ...]
    source_line: str
    suppression_line: str
    sample_line: str | None
    metric: Metric | None
    target: float | None
    target_label: str | None
    data: pd.DataFrame
    table: pd.DataFrame
    formats: Formats
    file_stem: str
    targets: Targets = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def footer(self) -> tuple[str, ...]:
        """The lines under the chart: source, what was suppressed (this chart's own note, else the
        general rule), and the sample label if any.
        """
        hidden = self.notes or (self.suppression_line,)
        return (self.source_line, *hidden, *([self.sample_line] if self.sample_line else []))


def data_as_of(meta: dict[str, str], period: Period) -> dt.datetime:
    """When the figures stop: the period's judging moment, or the data's end if that is earlier."""
    try:
        until = dt.datetime.fromisoformat(meta.get("data_until", ""))
    except ValueError:
        return period.as_of
    return min(period.as_of, until.replace(tzinfo=None))


def build_figure(
    request: ExportRequest,
    source: Source,
    min_cell: int = 5,
    min_dossiers: int = 0,
    rules: RuleSet = score766.DEFAULT,
) -> Figure:
    """The figure ``request`` asks for; raises ``ExportError`` for a chart, level, unit or metric
    that the data does not have. ``rules``: the rule set of the estimated 766 score.
    """
    scope = resolve(request, source)
    ctx = Context(request, scope, source.targets(), min_cell, min_dossiers, rules)
    part = BUILDERS[request.chart](ctx, source)
    meta = source.meta()
    lang = request.lang
    source_line = t(
        "source",
        lang,
        province=meta.get("province_name", ""),
        time=fmt_datetime(data_as_of(meta, request.period)),
    )
    return Figure(
        kind=request.chart,
        lang=lang,
        title=part.title,
        subtitle=part.subtitle,
        source_line=source_line,
        suppression_line=t("press_suppression_note", lang, min=min_cell),
        sample_line=t("press_sample_line", lang) if meta.get("is_sample") == "1" else None,
        metric=None if request.chart in ("headline", "channels", "score") else scope.metric,
        target=part.target,
        target_label=part.target_label,
        data=part.data,
        table=part.table,
        formats=part.formats,
        targets=part.targets,
        notes=part.notes,
        # Sample data says so in the file name too, so a CSV cannot pass for the province's figures.
        file_stem=file_stem(request, scope) + ("_du-lieu-mau" if meta.get("is_sample") == "1" else ""),
    )
