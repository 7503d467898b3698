"""The data of the 766-score ranking: each unit of a level by the portal's published score where
it was imported for exactly the period (``portal_scores``), else by the estimate under the named
rule set (``metrics.score766``), each figure labelled for what it is.

The two are not the same measure (the estimate is out of the measurable maximum; the portal's
total is out of 100), so the chart marks every bar "chính thức" or "ước tính" and the table holds
both, with the gap, as the ranking screen's breakdown does.
"""

from __future__ import annotations

import pandas as pd

from exports.level_data import display_names, level_name
from exports.parts import Context, Part, hidden_text
from exports.request import period_text
from exports.source import Source
from exports.suppress import is_small
from i18n.catalogue import t
from i18n.format import fmt_number
from metrics import score766
from metrics.ranking import rank
from metrics.standing import handled


def _kind_label(ctx: Context, kind: str) -> str:
    """'Chính thức (Cổng DVCQG)' or 'Ước tính (cách tính …)': the legend and the table's source."""
    if kind == "official":
        return t("press_score_official", ctx.lang)
    return t("press_score_estimate", ctx.lang, rules=t(f"rules_{ctx.rules.name}", ctx.lang))


def score_rows(ctx: Context, counters: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: estimate, official (NaN when not published), the score shown and its
    kind, its text, rank and label; best first. An estimate of a unit under the minimum cell is
    hidden (the official score is public).
    """
    counters = counters.reset_index(drop=True)
    totals = score766.official_totals(official)
    rows = counters[["unit_code", "unit_name"]].copy()
    rows["unit_code"] = rows["unit_code"].astype(str)
    rows["shown_name"] = display_names(counters)
    rows["handled"] = handled(counters).astype(int)
    rows["hidden"] = is_small(rows["handled"], ctx.min_cell)
    estimate = score766.scores(counters, ctx.rules)
    rows["estimate"] = estimate.where(~rows["hidden"])
    rows["official"] = rows["unit_code"].map(totals).astype(float)
    published = rows["official"].notna()
    rows["value"] = rows["official"].where(published, rows["estimate"])
    rows["kind"] = ["official" if p else "estimate" for p in published]
    rows["kind_label"] = [_kind_label(ctx, k) for k in rows["kind"]]
    rows["value_text"] = [
        t(f"press_score_value_{k}", ctx.lang, value=fmt_number(v, 1, ctx.lang)) if pd.notna(v) else None
        for v, k in zip(rows["value"], rows["kind"], strict=True)
    ]
    rows["note"] = [
        hidden_text(ctx, False) if h and pd.isna(v) else ("—" if pd.isna(v) else None)
        for v, h in zip(rows["value"], rows["hidden"], strict=True)
    ]
    rows["rank"] = rank(rows["value"], higher_is_better=True)
    rows["highlight"] = rows["unit_code"] == (ctx.scope.unit_code or "")
    rows["_missing"] = rows["value"].isna()
    rows = rows.sort_values(["_missing", "value", "unit_name"], ascending=[True, False, True])
    rows = rows.drop(columns=["_missing"]).reset_index(drop=True)
    rows["label"] = [
        f"{int(r)}. {n}" if pd.notna(r) else str(n)
        for r, n in zip(rows["rank"], rows["shown_name"], strict=True)
    ]
    return rows


def _table(ctx: Context, rows: pd.DataFrame) -> pd.DataFrame:
    lang = ctx.lang

    def number(value: object, hidden: bool = False) -> object:
        if hidden:
            return hidden_text(ctx, False)
        return None if pd.isna(value) else round(float(value), 1)  # type: ignore[arg-type]

    gap = rows["estimate"] - rows["official"]
    return pd.DataFrame(
        dtype=object,
        data={
            t("press_col_rank", lang): [None if pd.isna(r) else int(r) for r in rows["rank"]],
            t("press_col_code", lang): rows["unit_code"],
            t("press_col_unit", lang): rows["unit_name"],
            t("press_col_handled", lang): [
                hidden_text(ctx, True) if h else int(n)
                for n, h in zip(rows["handled"], rows["hidden"], strict=True)
            ],
            t("press_col_official", lang): [number(v) for v in rows["official"]],
            t("press_col_estimate", lang): [
                number(v, h) for v, h in zip(rows["estimate"], rows["hidden"], strict=True)
            ],
            t("press_col_gap", lang): [number(v) for v in gap],
            t("press_col_shown", lang): [
                _kind_label(ctx, k) if pd.notna(v) else None
                for v, k in zip(rows["value"], rows["kind"], strict=True)
            ],
        },
    )


def score(ctx: Context, source: Source) -> Part:
    """Units of a level ranked by the 766 score: official where published, else the estimate."""
    lang, level, period = ctx.lang, ctx.scope.level, ctx.request.period
    counters = source.unit_counters(level, period)
    rows = score_rows(ctx, counters, source.official_scores(period))
    table = _table(ctx, rows)
    title = t(
        "press_score_title",
        lang,
        scope=t("press_units_of_level", lang, level=level_name(ctx, level)),
        period=period_text(period, lang),
    )
    n_official = int((rows["kind"] == "official").sum())
    subtitle = (
        t("press_score_sub", lang, official=n_official, count=len(rows)),
        t(
            "press_score_rules",
            lang,
            rules=t(f"rules_{ctx.rules.name}", lang),
            max=fmt_number(ctx.rules.measured_max, 0, lang),
        ),
    )
    points = "points"
    formats: dict[str, str | list[str]] = {
        t("press_col_rank", lang): "count",
        t("press_col_handled", lang): "count",
        t("press_col_official", lang): points,
        t("press_col_estimate", lang): points,
        t("press_col_gap", lang): points,
    }
    return Part(title, subtitle, rows, table, formats)
