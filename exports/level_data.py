"""The data of the charts about every unit of a level: ranking, map and channel mix."""

from __future__ import annotations

import textwrap

import pandas as pd

from exports.parts import (
    Context,
    Part,
    chart_note,
    hidden_text,
    level_name,
    table_count,
    table_value,
    target_of,
)
from exports.request import period_text
from exports.source import Source
from exports.suppress import CHANNELS, channel_cells, is_small, metric_cells
from i18n.catalogue import t
from i18n.format import fmt_pct, fmt_value
from metrics.registry import get_metric
from metrics.standing import ranks
from metrics.tables import unit_metrics
from ui.map_frame import colour_category

#: Characters of a note line under a chart (11 px type across the 640 px plot).
NOTE_WIDTH = 110


def _scope_text(ctx: Context, counters: pd.DataFrame) -> str:
    """'các đơn vị cấp huyện', or the unit's own name when the level has only one unit."""
    if len(counters) == 1:
        return str(counters.iloc[0]["unit_name"])
    return t("press_units_of_level", ctx.lang, level=level_name(ctx, ctx.scope.level))


def display_names(counters: pd.DataFrame) -> pd.Series:
    """Unit names as a chart axis shows them: a name two units share (Xã Tân Lợi in two districts)
    gets its code, so the axis does not merge them into one row.
    """
    names = counters["unit_name"].astype(str)
    shared = names.duplicated(keep=False)
    return names.where(~shared, names + " (" + counters["unit_code"].astype(str) + ")")


def unit_rows(ctx: Context, counters: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: value (None when suppressed or N/A), base, rank, chart label, order."""
    metric = ctx.scope.metric
    ranked = unit_metrics(counters, ctx.min_dossiers, rank_by=metric.name)
    cells = metric_cells(counters, metric, ctx.min_cell)
    rows = counters[["unit_code", "unit_name", "lat", "lon"]].copy()
    rows["unit_code"] = rows["unit_code"].astype(str)
    rows["shown_name"] = display_names(counters)
    rows["value"] = [None if v is None else float(v) for v in cells["value"]]
    rows["base"] = cells["base"].astype(int)
    rows["base_hidden"] = cells["base_hidden"]
    rows["hidden"] = cells["hidden"]
    # Ranked among the units whose figure is shown: a suppressed unit takes no place (ties 1, 2, 2, 4).
    _, rows["rank"] = ranks(ranked, metric.name, ctx.min_dossiers, shown=~cells["hidden"])
    rows["note"] = [chart_note(ctx, metric, v, h) for v, h in zip(rows["value"], rows["hidden"], strict=True)]
    # Each unit against its own target, as the wall map colours it (ui.map_frame.colour_category).
    rows["target"] = [
        target_of(ctx, metric, unit_code=code, level=ctx.scope.level)[0] for code in rows["unit_code"]
    ]
    rows["value_text"] = [
        fmt_value(v, metric.fmt, ctx.lang, target=g)
        for v, g in zip(rows["value"], rows["target"], strict=True)
    ]
    rows["category"] = [
        colour_category(v, g, metric.higher_is_better)
        for v, g in zip(rows["value"], rows["target"], strict=True)
    ]
    rows["highlight"] = rows["unit_code"] == (ctx.scope.unit_code or "")
    sign = -1.0 if metric.higher_is_better else 1.0
    rows["_missing"] = rows["value"].isna()
    rows["_key"] = pd.to_numeric(rows["value"], errors="coerce").fillna(0) * sign
    rows = rows.sort_values(["_missing", "_key", "unit_name"]).drop(columns=["_missing", "_key"])
    rows["label"] = [
        f"{int(r)}. {n}" if pd.notna(r) else str(n)
        for r, n in zip(rows["rank"], rows["shown_name"], strict=True)
    ]
    rows["order"] = range(len(rows))
    return rows.reset_index(drop=True)


def _unit_table(ctx: Context, rows: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str | list[str]]]:
    metric, lang = ctx.scope.metric, ctx.lang
    table = pd.DataFrame(
        dtype=object,
        data={
            t("press_col_rank", lang): [None if pd.isna(r) else int(r) for r in rows["rank"]],
            t("press_col_code", lang): rows["unit_code"],
            t("press_col_unit", lang): rows["unit_name"],
            t("press_col_base", lang): [
                table_count(ctx, b, h) for b, h in zip(rows["base"], rows["base_hidden"], strict=True)
            ],
            metric.label(lang): [
                table_value(ctx, metric, v, h) for v, h in zip(rows["value"], rows["hidden"], strict=True)
            ],
        },
    )
    return table, {
        t("press_col_rank", lang): "count",
        t("press_col_base", lang): "count",
        metric.label(lang): metric.fmt,
    }


def _unit_targets(ctx: Context, rows: pd.DataFrame) -> dict[str, float | list[float | None] | None]:
    """The targets the table's figures are printed against, one per row."""
    return {ctx.scope.metric.label(ctx.lang): [None if pd.isna(g) else float(g) for g in rows["target"]]}


def _metric_part(ctx: Context, source: Source, first_line: str) -> Part:
    counters = source.unit_counters(ctx.scope.level, ctx.request.period)
    rows = unit_rows(ctx, counters)
    table, formats = _unit_table(ctx, rows)
    metric, lang = ctx.scope.metric, ctx.lang
    target, target_label = target_of(ctx, metric, level=ctx.scope.level)
    title = t(
        "press_metric_title",
        lang,
        metric=metric.label(lang),
        scope=_scope_text(ctx, counters),
        period=period_text(ctx.request.period, lang),
    )
    subtitle = (first_line.format(count=len(rows)), *([target_label] if target_label else []))
    return Part(title, subtitle, rows, table, formats, target, target_label, targets=_unit_targets(ctx, rows))


def ranking(ctx: Context, source: Source) -> Part:
    """Units of a level ranked by a metric (ties share a rank), with the target line."""
    line = t("press_ranking_sub", ctx.lang, count="{count}", level=level_name(ctx, ctx.scope.level))
    return _metric_part(ctx, source, line)


def unit_map(ctx: Context, source: Source) -> Part:
    """A metric of every unit of a level, at the units' seats."""
    return _metric_part(ctx, source, t("press_map_sub", ctx.lang))


def _hidden_group(cells: pd.Series) -> tuple[str, ...]:
    """The channels of one unit that are hidden (primary and complementary), in channel order."""
    return tuple(c for c in CHANNELS if cells[f"hidden_{c}"])


def merged_label(ctx: Context, group: tuple[str, ...]) -> str:
    """'Trực tiếp + bưu chính (gộp)': the legend entry of a merged segment."""
    names = [t(f"press_channel_{c}", ctx.lang) for c in group]
    return t("press_channel_merged", ctx.lang, channels=" + ".join(names))


def _segments(ctx: Context, name: str, cells: pd.Series) -> list[dict[str, object]]:
    """The stacked segments of one unit's bar: the shown channels, then the hidden ones merged
    into one segment (their sum is the total minus the rest, public anyway), so no share vanishes.
    A unit under the minimum has no bar (the note under the chart says so).
    """
    total = float(cells["received"])
    if total == 0 or cells["received_hidden"]:
        return []
    parts: list[dict[str, object]] = []
    for i, channel in enumerate(CHANNELS):
        if not cells[f"hidden_{channel}"] and cells[f"n_{channel}"] > 0:
            label = t(f"press_channel_{channel}", ctx.lang)
            parts.append(dict(unit_name=name, channel=label, share=cells[f"share_{channel}"], order=i))
    group = _hidden_group(cells)
    if group:
        share = sum(float(cells[f"n_{c}"]) for c in group) / total
        # One order (and colour) per set of channels: 3 + a bit per channel (6, 8, 9, 10).
        order = len(CHANNELS) + sum(1 << CHANNELS.index(c) for c in group)
        parts.append(dict(unit_name=name, channel=merged_label(ctx, group), share=share, order=order))
    return parts


def _count_text(ctx: Context, counts: dict[tuple[str, ...], int]) -> str:
    """'bưu chính ẩn kèm trực tiếp ở 7 đơn vị; …' for the note."""
    items = []
    for group, n in counts.items():
        names = [t(f"press_channel_{c}", ctx.lang).lower() for c in group]
        items.append(t("press_channel_pair", ctx.lang, channels=" + ".join(names), count=n))
    return "; ".join(items)


def channel_notes(ctx: Context, cells: pd.DataFrame) -> tuple[str, ...]:
    """What the channel chart hid, and why, said once under it (empty when nothing was hidden)."""
    groups: dict[tuple[str, ...], int] = {}
    for _, row in cells[~cells["received_hidden"]].iterrows():
        group = _hidden_group(row)
        if group:
            groups[group] = groups.get(group, 0) + 1
    small_units = int(cells["received_hidden"].sum())
    if not groups and not small_units:
        return ()
    parts = []
    if groups:
        parts.append(t("press_channels_hidden", ctx.lang, min=ctx.min_cell, groups=_count_text(ctx, groups)))
    if small_units:
        parts.append(t("press_channels_small_units", ctx.lang, min=ctx.min_cell, count=small_units))
    return tuple(textwrap.wrap(" ".join(parts), NOTE_WIDTH))


def _channel_table(ctx: Context, counters: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    lang = ctx.lang
    table = pd.DataFrame(
        dtype=object,
        data={
            t("press_col_code", lang): counters["unit_code"].astype(str),
            t("press_col_unit", lang): counters["unit_name"],
            t("press_col_base", lang): [
                table_count(ctx, n, h)
                for n, h in zip(cells["received"], cells["received_hidden"], strict=True)
            ],
        },
    )
    for channel in CHANNELS:
        label = t(f"press_channel_{channel}", lang)
        small = is_small(cells[f"n_{channel}"], ctx.min_cell)
        table[t("press_col_channel_n", lang, channel=label)] = [
            hidden_text(ctx, bool(s)) if h else int(n)
            for n, h, s in zip(cells[f"n_{channel}"], cells[f"hidden_{channel}"], small, strict=True)
        ]
        table[t("press_col_channel_share", lang, channel=label)] = [
            hidden_text(ctx, False) if h else (None if v is None else float(v))
            for v, h in zip(cells[f"share_{channel}"], cells[f"hidden_{channel}"], strict=True)
        ]
    return table


def channels(ctx: Context, source: Source) -> Part:
    """The channel mix (online, in person, postal) of every unit of a level, online first."""
    lang = ctx.lang
    counters = source.unit_counters(ctx.scope.level, ctx.request.period).reset_index(drop=True)
    cells = channel_cells(counters, ctx.min_cell)
    online = pd.to_numeric(cells["share_online"], errors="coerce").fillna(-1.0)
    order = online.sort_values(ascending=False, kind="stable").index
    names = display_names(counters)
    segments = []
    for position, i in enumerate(order):
        name = str(names.loc[i])
        # A unit with no bar keeps its place on the axis with an empty row ("—" or "<5").
        empty = (
            t("press_suppressed_count", lang, min=ctx.min_cell) if cells.loc[i, "received_hidden"] else "—"
        )
        parts = _segments(ctx, name, cells.loc[i]) or [
            dict(unit_name=name, channel=empty, share=None, order=0)
        ]
        segments += [{**part, "unit_order": position} for part in parts]
    data = pd.DataFrame(segments, columns=["unit_name", "channel", "share", "order", "unit_order"])
    table = _channel_table(ctx, counters, cells)
    formats: dict[str, str | list[str]] = {t("press_col_base", lang): "count"}
    for channel in CHANNELS:
        label = t(f"press_channel_{channel}", lang)
        formats[t("press_col_channel_n", lang, channel=label)] = "count"
        formats[t("press_col_channel_share", lang, channel=label)] = "pct"
    target, _ = target_of(ctx, get_metric("online_share"), level=ctx.scope.level)
    online_label = (
        None if target is None else t("press_online_target", lang, value=fmt_pct(target, lang=lang))
    )
    title = t(
        "press_channels_title",
        lang,
        scope=_scope_text(ctx, counters),
        period=period_text(ctx.request.period, lang),
    )
    subtitle = (t("press_channels_sub", lang), *([online_label] if online_label else []))
    return Part(title, subtitle, data, table, formats, target, online_label, notes=channel_notes(ctx, cells))
