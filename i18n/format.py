"""Vietnamese number and date formats, used by the app and the exports alike.

Vietnamese: 98,5% · 1.234.567 · 23/11/2026 · 10:05:03. With ``lang='en'`` numbers use English
separators (98.5% · 1,234,567); dates stay day/month/year in both.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

NA = "—"


def _is_na(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _swap(text: str, lang: str) -> str:
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def rounded(value: float, decimals: int) -> Decimal:
    """``value`` rounded half up as it reads (97,985 → 97,99), not as its binary double lies
    (97.98499…, which ``f"{x:.2f}"`` rounds down).
    """
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fmt_number(value: object, decimals: int = 0, lang: str = "vi") -> str:
    """1234567.5 → '1.234.567,5' (vi) or '1,234,567.5' (en); None/NaN → '—'; half up."""
    if _is_na(value):
        return NA
    if math.isinf(float(value)):  # type: ignore[arg-type]
        return _swap(f"{float(value):,.{decimals}f}", lang)  # type: ignore[arg-type]
    return _swap(f"{rounded(float(value), decimals):,.{decimals}f}", lang)  # type: ignore[arg-type]


def fmt_int(value: object, lang: str = "vi") -> str:
    """1234 → '1.234'."""
    return fmt_number(value, 0, lang)


#: The most decimals :func:`decimals_against` adds to keep a figure off its target.
MAX_EXTRA_DECIMALS = 3


def decimals_against(value: float, target: float | None, decimals: int, scale: float = 1.0) -> int:
    """The decimals that keep a rounded figure on its own side of ``target``.

    A figure below its target must never print as the target or above it (97,985% against 98%
    is "97,99%", not "98,0%"), nor one above it as the target or below: one more decimal each
    time rounding would reach the target, up to :data:`MAX_EXTRA_DECIMALS` more. ``scale`` is
    what the figure is multiplied by when printed (100 for a percentage).
    """
    if target is None or _is_na(target) or _is_na(value) or value == target:
        return decimals
    shown, goal = float(value) * scale, float(target) * scale
    below, exact_goal = shown < goal, Decimal(repr(goal))
    for extra in range(MAX_EXTRA_DECIMALS + 1):
        printed = rounded(shown, decimals + extra)
        if (below and printed < exact_goal) or (not below and printed > exact_goal):
            return decimals + extra
    return decimals + MAX_EXTRA_DECIMALS


def fmt_pct(value: object, decimals: int = 1, lang: str = "vi", target: float | None = None) -> str:
    """0.985 → '98,5%'; None (N/A: zero denominator) → '—'. Against ``target`` a figure gets one
    more decimal each time rounding would reach it (:func:`decimals_against`).
    """
    if _is_na(value):
        return NA
    places = decimals_against(float(value), target, decimals, 100.0)  # type: ignore[arg-type]
    return fmt_number(float(value) * 100, places, lang) + "%"  # type: ignore[arg-type]


def fmt_points(value: object, decimals: int = 1, lang: str = "vi") -> str:
    """Percentage points with a sign: 0.012 → '+1,2 điểm %' ('+1.2 pp' in English)."""
    if _is_na(value):
        return NA
    text = fmt_number(abs(float(value)) * 100, decimals, lang)  # type: ignore[arg-type]
    sign = "+" if float(value) > 0 else "−" if float(value) < 0 else "±"  # type: ignore[arg-type]
    return f"{sign}{text} {'pp' if lang == 'en' else 'điểm %'}"


def fmt_date(value: dt.date | dt.datetime | None) -> str:
    """23/11/2026."""
    return NA if value is None else value.strftime("%d/%m/%Y")


def fmt_time(value: dt.datetime | None) -> str:
    """10:05:03."""
    return NA if value is None else value.strftime("%H:%M:%S")


def fmt_datetime(value: dt.datetime | None) -> str:
    """10:05 23/11/2026 (the source-line style)."""
    return NA if value is None else value.strftime("%H:%M %d/%m/%Y")


def fmt_value(value: object, fmt: str, lang: str = "vi", target: float | None = None) -> str:
    """Format by a format name: the registry's 'pct', 'count' and 'days', or 'points' (a score);
    against ``target``, never rounded onto or across it (:func:`decimals_against`).
    """
    if fmt == "pct":
        return fmt_pct(value, lang=lang, target=target)
    if _is_na(value):
        return NA
    decimals = 1 if fmt in ("days", "points") else 0
    return fmt_number(value, decimals_against(float(value), target, decimals), lang)  # type: ignore[arg-type]


#: Vega-Lite number locale for Vietnamese (d3-format has none built in).
VEGA_NUMBER_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
