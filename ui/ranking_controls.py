"""Widgets whose value lives in the URL, for the ranking and my-unit screens.

The URL is the one source of truth: a widget is set from the (validated) URL value on every run
and writes its new value back to the URL when the user changes it, so any view is a link (level,
unit, period, metric) that reproduces it, and a bookmarked or sent link opens the same view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from i18n.catalogue import t
from i18n.format import NA, fmt_date
from timebase.period import Period, PeriodError, month_to_date, parse_period
from ui.controls import period_param, set_params

PERIOD_KINDS = ("mtd", "month", "quarter", "year", "custom")
MONTHS_OFFERED = 36
YEARS_OFFERED = 8


def _write(key: str, param: str, default: str | None) -> None:
    value = st.session_state.get(key)
    set_params(**{param: None if value is None or value == default else str(value)})


def url_select(
    label: str,
    options: Sequence[Any],
    value: Any,
    *,
    key: str,
    param: str,
    default: Any = None,
    format_func: Callable[[Any], str] = str,
    placeholder: str | None = None,
) -> Any:
    """A selectbox showing ``value`` (already validated from the URL) that writes ``param``."""
    extra: dict[str, Any] = {}
    if value is None or value not in options:
        # Nothing chosen: a selectbox needs index=None, which it ignores when its key holds a value.
        st.session_state.pop(key, None)
        extra["index"] = None
    elif st.session_state.get(key) != value:
        st.session_state[key] = value
    return st.selectbox(
        label,
        list(options),
        key=key,
        **extra,
        format_func=format_func,
        on_change=_write,
        args=(key, param, default),
        placeholder=placeholder,
    )


def period_kind(text: str | None) -> str:
    """Which kind of period a URL value names ('mtd' for none or a bad one)."""
    if not text or text == "mtd":
        return "mtd"
    if ".." in text:
        return "custom"
    if "-Q" in text.upper():
        return "quarter"
    return "year" if len(text) == 4 else "month"


def canonical(period: Period, kind: str) -> str | None:
    """The URL value of ``period`` as a ``kind`` (None for the month to date, the default)."""
    if kind == "month":
        return f"{period.start:%Y-%m}"
    if kind == "quarter":
        return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    if kind == "year":
        return str(period.start.year)
    if kind == "custom":
        return f"{period.start.isoformat()}..{period.end.isoformat()}"
    return None


def _choices(kind: str, now: dt.datetime) -> list[str]:
    today = now.date()
    if kind == "month":
        index = today.year * 12 + today.month - 1
        return [f"{(index - i) // 12}-{(index - i) % 12 + 1:02d}" for i in range(MONTHS_OFFERED)]
    if kind == "quarter":
        index = today.year * 4 + (today.month - 1) // 3
        return [f"{(index - i) // 4}-Q{(index - i) % 4 + 1}" for i in range(MONTHS_OFFERED // 3)]
    return [str(today.year - i) for i in range(YEARS_OFFERED)]


def describe(text: str, lang: str) -> str:
    """How a URL period value reads in a list: 'Tháng 10/2026', 'Quý 3/2026', 'Năm 2026'."""
    kind = period_kind(text)
    if kind == "quarter":
        year, quarter = text.upper().split("-Q")
        return t("rk_quarter_label", lang, quarter=quarter, year=year)
    if kind == "year":
        return t("rk_year_label", lang, year=text)
    year, month = text.split("-")
    return t("month_label", lang, month=int(month), year=year)


def period_title(period: Period, text: str | None, lang: str) -> str:
    """The period as a heading reads it."""
    kind = period_kind(text)
    if kind == "mtd":
        return t("period_mtd", lang, month=period.start.month, year=period.start.year, day=period.end.day)
    if kind in ("month", "quarter", "year"):
        return describe(canonical(period, kind) or "", lang)
    return f"{fmt_date(period.start)}–{fmt_date(period.end)}"


def previous_title(period: Period, text: str | None, lang: str) -> str:
    """The period a ranking's change is measured against, as it reads on screen."""
    kind = period_kind(text)
    previous = period.previous_or_none()
    if previous is None:
        return NA  # no period before 2000: no comparison
    return period_title(previous, canonical(previous, kind) if kind != "mtd" else "custom", lang)


def _on_kind(prefix: str, now: dt.datetime) -> None:
    kind = st.session_state[f"{prefix}_period_kind"]
    current = month_to_date(now)
    set_params(period=canonical(current, kind) if kind != "mtd" else None)


def _on_dates(key: str) -> None:
    picked = st.session_state.get(key) or ()
    if len(picked) == 2:
        set_params(period=f"{picked[0].isoformat()}..{picked[1].isoformat()}")


def _valid(raw: str | None, now: dt.datetime) -> bool:
    if not raw or raw == "mtd":
        return False
    try:
        return parse_period(raw, now).start <= now.date()
    except PeriodError:
        return False


def period_picker(now: dt.datetime, lang: str, prefix: str) -> tuple[Period, str | None]:
    """Period type and value widgets bound to ``?period=``; returns the period and its URL text."""
    period, text, kind = period_from_url(now, lang)
    kind_key = f"{prefix}_period_kind"
    if st.session_state.get(kind_key) != kind:
        st.session_state[kind_key] = kind
    left, right = st.columns(2)
    with left:
        st.selectbox(
            t("rk_period_kind", lang),
            PERIOD_KINDS,
            key=kind_key,
            format_func=lambda k: t(f"rk_kind_{k}", lang),
            on_change=_on_kind,
            args=(prefix, now),
        )
    with right:
        _period_value(period, text, kind, now, lang, prefix)
    return period, text


def period_from_url(now: dt.datetime, lang: str) -> tuple[Period, str | None, str]:
    """The period of ``?period=`` (the month to date by default, with a warning for a bad value),
    its canonical URL text and its kind, without any widget (the wall's ranking)."""
    period = period_param(now, lang)  # warns about a bad value and falls back to the month to date
    raw = st.query_params.get("period")
    kind = period_kind(raw) if _valid(raw, now) else "mtd"
    return period, canonical(period, kind), kind


def _period_value(
    period: Period, text: str | None, kind: str, now: dt.datetime, lang: str, prefix: str
) -> None:
    if kind == "mtd":
        st.text_input(
            t("rk_period", lang), period_title(period, text, lang), disabled=True, key=f"{prefix}_mtd"
        )
    elif kind == "custom":
        key = f"{prefix}_period_dates"
        if st.session_state.get(key) != (period.start, period.end):
            st.session_state[key] = (period.start, period.end)
        st.date_input(
            t("rk_custom_pick", lang),
            key=key,
            max_value=now.date(),
            format="DD/MM/YYYY",
            on_change=_on_dates,
            args=(key,),
        )
    else:
        options = _choices(kind, now)
        if text not in options:
            options.append(text)
        url_select(
            t("rk_period", lang),
            options,
            text,
            key=f"{prefix}_period_{kind}",
            param="period",
            format_func=lambda v: describe(v, lang),
        )
