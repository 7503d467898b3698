"""Chất lượng dữ liệu: rows the figures exclude, by reason and unit (issue 7)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_int
from timebase.period import make_period
from ui import chrome, data, ranking_data

#: Every unit and agency that ever existed: the quality rows reach back to the first dossier.
_SINCE = dt.date(2000, 1, 1)


def _unit_names() -> dict[str, str]:
    """Code → name of every unit and agency the database has known (empty if unreadable)."""
    now = data.live_as_of()
    try:
        known = ranking_data.subjects(make_period(_SINCE, now.date(), now)).value
    except data.DataUnavailable:
        return {}
    return dict(zip(known["code"].astype(str), known["name"].astype(str), strict=True))


def _unit_name(code: object, names: dict[str, str], lang: str) -> str:
    """A unit's name; a code the catalogue lacks is shown as such, in words."""
    if code is None or pd.isna(code) or str(code) == "":
        return "—"
    return names.get(str(code)) or t("quality_unknown_code", lang, code=code)


def render() -> None:
    """Draw the data-quality screen."""
    lang = chrome.lang()
    st.title(t("nav_quality", lang))
    try:
        fetched = data.quality()
        meta = data.database_meta().value
    except data.DataUnavailable as exc:
        chrome.database_error(str(exc), lang)
        return
    chrome.sample_label(meta, lang)
    counts, excluded, total = fetched.value
    names = _unit_names()
    st.metric(t("quality_excluded", lang), fmt_int(excluded, lang), border=True)
    if counts.empty:
        st.success(t("quality_ok", lang))
    else:
        st.write(t("quality_summary", lang, excluded=fmt_int(excluded, lang), total=fmt_int(total, lang)))
        shown = pd.DataFrame(
            {
                t("quality_reason", lang): counts["reason"].map(lambda r: t(f"reason_{r}", lang)),
                t("unit", lang): counts["unit_code"].map(lambda c: _unit_name(c, names, lang)),
                t("quality_rows", lang): counts["rows"].map(lambda n: fmt_int(n, lang)),
                t("quality_excluded", lang): counts["excluded"].map(
                    lambda x: t("quality_yes" if x else "quality_no", lang)
                ),
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch", key="quality_table")
    chrome.freshness(fetched.fetched_at, fetched.error, lang)
