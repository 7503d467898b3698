"""The map's figures: one row per unit with the chosen metric against its target, the colour
that says how it stands, and every string a label, tooltip or legend shows, pre-formatted in
Vietnamese (deck.gl can substitute strings into a tooltip but cannot format numbers).

No Streamlit here: the map screen, the press export and the feedback screen share these. Use them
through ``ui.map_layers``, which re-exports them beside the deck builder.

Colours are a three-class diverging scale around the target: red below, amber near (within
:data:`NEAR_BAND` of it on the wrong side), green at or above it (mirrored for a lower-is-better
metric); grey for N/A (a zero denominator). A unit whose value rests on fewer dossiers than the minimum
(the ranking's rule, ``metrics.standing.metric_base``) is "few": a pale grey with the words
"chỉ N hồ sơ" on its label, never a confident red or green. A metric without a target is
coloured on a single-hue ramp from its lowest to its highest value instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from i18n.catalogue import t
from i18n.format import fmt_int, fmt_value
from metrics.registry import Metric
from metrics.standing import metric_base
from metrics.targets import target_for

#: A value this close to its target on the wrong side is "near": amber, not red. In the metric's
#: own unit: 0.05 = 5 percentage points (the registry sets targets on ratio metrics only).
NEAR_BAND = 0.05
#: Colour of each category (RGBA): the Okabe–Ito status colours of ``ui.status`` (bluish green,
#: yellow, vermillion), which stay apart for colour-blind viewers; the legend adds a shape to each.
COLOURS: dict[str, list[int]] = {
    "met": [0, 158, 115, 230],
    "near": [240, 228, 66, 230],
    "below": [213, 94, 0, 230],
    "unknown": [100, 116, 139, 200],
    "few": [203, 213, 225, 110],
}
#: Ramp for a metric without a target: low values dark blue, high values bright cyan.
RAMP_LOW, RAMP_HIGH = (30, 64, 120), (56, 189, 248)
#: Unit type words dropped from labels (the wall has room for "Lộc Ninh", not "Huyện Lộc Ninh").
NAME_PREFIXES = ("Thành phố ", "Thị xã ", "Thị trấn ", "Huyện ", "Phường ", "Xã ", "Quận ")


def colour_category(
    value: float | None, target: float | None, higher_is_better: bool = True, near: float = NEAR_BAND
) -> str:
    """'met', 'near', 'below' (against ``target``) or 'unknown' (no value or no target).

    Rounded to 9 decimals first so that 49/50 counts as meeting a 98% target.
    """
    if value is None or target is None or pd.isna(value) or pd.isna(target):
        return "unknown"
    gap = round(float(value) - float(target), 9)
    if not higher_is_better:
        gap = -gap
    if gap >= 0:
        return "met"
    return "near" if gap >= -near else "below"


def ramp_colour(value: float | None, low: float, high: float) -> list[int]:
    """The ramp colour of ``value`` between ``low`` and ``high`` (grey for N/A)."""
    if value is None or pd.isna(value):
        return list(COLOURS["unknown"])
    share = 0.5 if high <= low else min(1.0, max(0.0, (float(value) - low) / (high - low)))
    rgb = [round(a + (b - a) * share) for a, b in zip(RAMP_LOW, RAMP_HIGH, strict=True)]
    return [*rgb, 230]


def short_name(name: str) -> str:
    """'Huyện Lộc Ninh' → 'Lộc Ninh'; a name without a known type word is kept."""
    for prefix in NAME_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


def _clean(value: Any) -> float | None:
    """A JSON-safe number: None for N/A (NaN is not valid JSON)."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def _tooltip_lines(row: Mapping[str, Any], metric: Metric, lang: str) -> dict[str, str]:
    """The tooltip's lines as plain text (Streamlit escapes the values it puts in the template)."""
    return {
        "tip_value": f"{metric.label(lang)}: {row['value_text']}",
        "tip_target": t("map_tip_target", lang, value=row["target_text"]),
        "tip_volume": t("map_tip_volume", lang, value=row["volume_text"]),
        "tip_status": t(f"map_cat_{row['category']}", lang) if row["category"] != "unknown" else "",
    }


def _unit_targets(
    targets: pd.DataFrame, metric: Metric, year: int, level: str
) -> Callable[[str], float | None]:
    """unit code → its target (``target_for``), looking up only units that have a row of their own."""
    general = target_for(targets, metric.target_key, year, level=level)
    own: set[str] = set()
    if targets is not None and not targets.empty and metric.target_key:
        rows = targets[(targets["metric"] == metric.target_key) & (targets["unit_code"] != "")]
        own = set(rows["unit_code"].astype(str))

    def target_of(code: str) -> float | None:
        found = (
            target_for(targets, metric.target_key, year, unit_code=code, level=level)
            if code in own
            else general
        )
        return found[0] if found else None

    return target_of


#: Columns of :func:`map_frame`'s result (plus ``fill_rgba``, the colour as [r, g, b, a]).
FRAME_COLUMNS = (
    "unit_code", "unit_name", "short_name", "lat", "lon", "value", "value_text", "target",
    "target_text", "volume", "volume_text", "category", "tip_value", "tip_target", "tip_volume",
    "tip_status", "label",
)  # fmt: skip


def map_frame(
    table: pd.DataFrame,
    metric: Metric,
    targets: pd.DataFrame,
    year: int,
    level: str,
    lang: str = "vi",
    min_base: int = 0,
    few_key: str = "map_few_label",
) -> pd.DataFrame:
    """One row per unit of ``table`` (from ``unit_metrics``): value, target, category, colour,
    volume (dossiers handled = settled + open at the end) and the pre-formatted strings; a unit
    whose value rests on fewer than ``min_base`` dossiers is in category "few", its label saying
    how few (catalogue key ``few_key``: "chỉ 3 hồ sơ")."""
    rows = []
    targets_of = _unit_targets(targets, metric, year, level)
    bases = _bases(table, metric)
    for unit, base in zip(table.to_dict("records"), bases, strict=True):
        value = _clean(unit.get(metric.name))
        target = targets_of(str(unit["unit_code"]))
        volume = int(float(unit.get("settled", 0) or 0) + float(unit.get("open_end", 0) or 0))
        row = {
            "unit_code": str(unit["unit_code"]),
            "unit_name": str(unit["unit_name"]),
            "short_name": short_name(str(unit["unit_name"])),
            "lat": _clean(unit.get("lat")),
            "lon": _clean(unit.get("lon")),
            "value": value,
            "value_text": fmt_value(value, metric.fmt, lang),
            "target": target,
            "target_text": fmt_value(target, metric.fmt, lang),
            "volume": volume,
            "volume_text": fmt_int(volume, lang),
            "category": colour_category(value, target, metric.higher_is_better),
        }
        few = value is not None and base < min_base
        if few:
            row["category"] = "few"
        row.update(_tooltip_lines(row, metric, lang))
        second = t(few_key, lang, n=fmt_int(base, lang)) if few else row["value_text"]
        row["label"] = f"{row['short_name']}\n{second}"
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[*FRAME_COLUMNS])
    return _with_colours(frame)


def _bases(table: pd.DataFrame, metric: Metric) -> list[float]:
    """Each unit's dossiers under its value (0 where the counters are missing)."""
    try:
        return [float(v) for v in metric_base(table, metric).fillna(0)]
    except KeyError:
        return [0.0] * len(table)


def _with_colours(frame: pd.DataFrame) -> pd.DataFrame:
    """Category colours where a target exists; the value ramp where none does."""
    out = frame.copy()
    values = pd.to_numeric(out["value"], errors="coerce")
    low = float(values.min()) if values.notna().any() else 0.0
    high = float(values.max()) if values.notna().any() else 0.0
    out["fill_rgba"] = [
        list(COLOURS[cat])
        if cat == "few" or not pd.isna(target) or pd.isna(value)
        else ramp_colour(value, low, high)
        for cat, target, value in zip(out["category"], out["target"], out["value"], strict=True)
    ]
    return out


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a colour, the values it stands for, what that means, and how many
    of the units drawn have it."""

    colour: str
    values: str
    meaning: str
    count: int
    category: str = ""  # met, near, below, unknown: the legend's shape; "" for the ramp


def _hex(rgba: list[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgba[:3])


def legend_entries(
    frame: pd.DataFrame, metric: Metric, target: float | None, lang: str, min_base: int = 0
) -> list[LegendEntry]:
    """Legend lines for ``frame``: the three target classes with their ranges (or the ramp's
    ends when the metric has no target), the units with too few dossiers (when there are any)
    and N/A, each with its count of units."""
    counts = frame["category"].value_counts()
    n_na = int(frame["value"].isna().sum())
    na = LegendEntry(_hex(COLOURS["unknown"]), "—", t("map_cat_na", lang), n_na, "unknown")
    n_few = int(counts.get("few", 0))
    few_values = t("map_few_values", lang, n=fmt_int(min_base, lang))
    few = LegendEntry(_hex(COLOURS["few"]), few_values, t("map_cat_few", lang), n_few, "few")
    tail = [few, na] if n_few else [na]
    if target is None:
        values = pd.to_numeric(frame["value"], errors="coerce").dropna()
        if values.empty:
            return tail
        low, high = float(values.min()), float(values.max())
        return [
            LegendEntry(
                _hex(ramp_colour(high, low, high)),
                fmt_value(high, metric.fmt, lang),
                t("map_ramp_high", lang),
                0,
            ),
            LegendEntry(
                _hex(ramp_colour(low, low, high)),
                fmt_value(low, metric.fmt, lang),
                t("map_ramp_low", lang),
                0,
            ),
            *tail,
        ]
    edge = target - NEAR_BAND if metric.higher_is_better else target + NEAR_BAND
    at, beyond = ("≥", "<") if metric.higher_is_better else ("≤", ">")
    low, high = fmt_value(min(edge, target), metric.fmt, lang), fmt_value(max(edge, target), metric.fmt, lang)
    ranges = {
        "met": f"{at} {fmt_value(target, metric.fmt, lang)}",
        "near": f"{low}–{high}",
        "below": f"{beyond} {fmt_value(edge, metric.fmt, lang)}",
    }
    entries = [
        LegendEntry(_hex(COLOURS[cat]), ranges[cat], t(f"map_cat_{cat}", lang), int(counts.get(cat, 0)), cat)
        for cat in ("met", "near", "below")
    ]
    return [*entries, *tail]
