"""The data of the charts about one unit: headline figures and the monthly trend of a metric."""

from __future__ import annotations

import textwrap

import pandas as pd

from exports.parts import Context, Part, chart_note, hidden_text, table_count, table_value, target_of
from exports.request import month_text, period_text, trend_months
from exports.source import Source
from exports.suppress import metric_cells
from i18n.catalogue import t
from i18n.format import fmt_value
from metrics.ranking import target_status
from metrics.registry import get_metric

#: The headline cards, in reading order (four a row).
HEADLINE: tuple[str, ...] = (
    "on_time_rate",
    "on_time_rate_finished",
    "overdue_in_progress",
    "received",
    "online_share",
    "online_payment_share",
    "satisfaction_rate",
    "e_result_rate",
)
HEADLINE_COLUMNS = 4
#: Characters a card label holds on one line before it wraps.
LABEL_WIDTH = 22


def _unit_row(ctx: Context, counters: pd.DataFrame) -> pd.DataFrame:
    return counters[counters["unit_code"].astype(str) == ctx.scope.unit_code].reset_index(drop=True)


def _card(ctx: Context, row: pd.DataFrame, i: int, name: str) -> tuple[dict[str, object], dict[str, object]]:
    """One headline card (chart row) and its line of the table."""
    scope, lang, metric = ctx.scope, ctx.lang, get_metric(name)
    cell = metric_cells(row, metric, ctx.min_cell).iloc[0]
    value, hidden = cell["value"], bool(cell["hidden"])
    target, label = target_of(ctx, metric, scope.unit_code or "", scope.level)
    status = target_status(value, target, metric.higher_is_better)
    card = {
        "metric": name,
        "label": "\n".join(textwrap.wrap(metric.label(lang), LABEL_WIDTH)),
        "value": None if value is None else float(value),
        "value_text": fmt_value(value, metric.fmt, lang, target=target),
        "fmt": metric.fmt,
        "note": chart_note(ctx, metric, value, hidden),
        "target_label": label or "",
        "status": status,
        # The status in words under the target, not by the value's colour alone.
        "status_text": t(f"rk_status_{status}", lang) if status != "unknown" else "",
        "col": i % HEADLINE_COLUMNS,
        "row": i // HEADLINE_COLUMNS,
    }
    line = {
        t("press_col_metric", lang): metric.label(lang),
        t("press_col_value", lang): table_value(ctx, metric, value, hidden),
        t("press_col_base", lang): table_count(ctx, cell["base"], bool(cell["base_hidden"])),
        t("press_col_target", lang): target,
    }
    return card, line


def headline(ctx: Context, source: Source) -> Part:
    """Headline figures of one unit in the period, each against its target where one applies."""
    scope, lang = ctx.scope, ctx.lang
    row = _unit_row(ctx, source.unit_counters(scope.level, ctx.request.period))
    cards, table = zip(*(_card(ctx, row, i, name) for i, name in enumerate(HEADLINE)), strict=True)
    fmts = [get_metric(n).fmt for n in HEADLINE]
    goals = [line[t("press_col_target", lang)] for line in table]
    period = period_text(ctx.request.period, lang)
    return Part(
        title=t("press_headline_title", lang, unit=scope.unit_name, period=period),
        subtitle=(t("press_headline_sub", lang),),
        data=pd.DataFrame(list(cards)),
        table=pd.DataFrame(list(table), dtype=object),
        formats={
            t("press_col_value", lang): fmts,
            t("press_col_base", lang): "count",
            t("press_col_target", lang): fmts,
        },
        targets={t("press_col_value", lang): goals},
    )


def _month_counters(ctx: Context, source: Source, keys: list[int]) -> pd.DataFrame:
    """The unit's counters for each month of ``keys`` (YYYYMM), zeros for a month with none."""
    months = trend_months(ctx.request.period)
    frame = source.monthly(ctx.scope.level, months, ctx.scope.metric)
    frame = frame[frame["unit_code"].astype(str) == ctx.scope.unit_code]
    numeric = frame.drop(
        columns=[c for c in ("unit_code", "unit_name", "parent_code", "lat", "lon") if c in frame]
    )
    numeric = numeric.groupby("month").sum(numeric_only=True)
    return numeric.reindex(keys).fillna(0).reset_index(names="month")


def _month_table(ctx: Context, labels: list[str], cells: pd.DataFrame) -> pd.DataFrame:
    """Month, dossiers behind the figure, the figure (suppressed cells as text)."""
    metric, lang = ctx.scope.metric, ctx.lang
    return pd.DataFrame(
        dtype=object,
        data={
            t("press_col_month", lang): labels,
            t("press_col_base", lang): [
                table_count(ctx, b, h) for b, h in zip(cells["base"], cells["base_hidden"], strict=True)
            ],
            metric.label(lang): [
                table_value(ctx, metric, v, h) for v, h in zip(cells["value"], cells["hidden"], strict=True)
            ],
        },
    )


def trend(ctx: Context, source: Source) -> Part:
    """A metric of one unit month by month, with its target where one applies."""
    scope, lang, metric = ctx.scope, ctx.lang, ctx.scope.metric
    months = trend_months(ctx.request.period)
    keys = [p.start.year * 100 + p.start.month for p in months]
    counters = _month_counters(ctx, source, keys)
    cells = metric_cells(counters, metric, ctx.min_cell)
    target, target_label = target_of(ctx, metric, scope.unit_code or "", scope.level)
    labels = [f"{p.start.month:02d}/{p.start.year}" for p in months]
    data = pd.DataFrame(
        {
            "month": labels,
            "order": range(len(months)),
            "value": [None if v is None else float(v) for v in cells["value"]],
            "value_text": [fmt_value(v, metric.fmt, lang, target=target) for v in cells["value"]],
            "base": cells["base"].astype(int),
            "hidden": cells["hidden"],
            # Only suppressed months are noted on the line; an empty month is simply a gap.
            "note": [hidden_text(ctx, not metric.is_ratio) if h else None for h in cells["hidden"]],
        }
    )
    table = _month_table(ctx, labels, cells)
    last = month_text(months[-1].start.year, months[-1].start.month, lang)
    span = t("press_months", lang, first=labels[0], last=labels[-1])
    subtitle = [t("press_trend_sub", lang, count=len(months), last=last)]
    return Part(
        title=t("press_metric_title", lang, metric=metric.label(lang), scope=scope.unit_name, period=span),
        subtitle=tuple(subtitle + ([target_label] if target_label else [])),
        data=data,
        table=table,
        formats={t("press_col_base", lang): "count", metric.label(lang): metric.fmt},
        targets={metric.label(lang): target},
        target=target,
        target_label=target_label,
    )
