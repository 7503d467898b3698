"""Vietnamese number and date formats, used by the app and the exports alike.

Vietnamese: 98,5% · 1.234.567 · 23/11/2026 · 10:05:03. With ``lang='en'`` numbers use English
separators (98.5% · 1,234,567); dates stay day/month/year in both.
"""

from __future__ import annotations

import datetime as dt
import math

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


def fmt_number(value: object, decimals: int = 0, lang: str = "vi") -> str:
    """1234567.5 → '1.234.567,5' (vi) or '1,234,567.5' (en); None/NaN → '—'."""
    if _is_na(value):
        return NA
    return _swap(f"{float(value):,.{decimals}f}", lang)  # type: ignore[arg-type]


def fmt_int(value: object, lang: str = "vi") -> str:
    """1234 → '1.234'."""
    return fmt_number(value, 0, lang)


def fmt_pct(value: object, decimals: int = 1, lang: str = "vi") -> str:
    """0.985 → '98,5%'; None (N/A: zero denominator) → '—'."""
    if _is_na(value):
        return NA
    return fmt_number(float(value) * 100, decimals, lang) + "%"  # type: ignore[arg-type]


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


def fmt_value(value: object, fmt: str, lang: str = "vi") -> str:
    """Format by a format name: the registry's 'pct', 'count' and 'days', or 'points' (a score)."""
    if fmt == "pct":
        return fmt_pct(value, lang=lang)
    if fmt in ("days", "points"):
        return fmt_number(value, 1, lang)
    return fmt_int(value, lang)


#: Vega-Lite number locale for Vietnamese (d3-format has none built in).
VEGA_NUMBER_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
