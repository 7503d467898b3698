"""Chất lượng dữ liệu: rows the figures exclude, by reason and unit (issue 7)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_int
from ui import chrome, data


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
    st.metric(t("quality_excluded", lang), fmt_int(excluded, lang), border=True)
    if counts.empty:
        st.success(t("quality_ok", lang))
    else:
        st.write(t("quality_summary", lang, excluded=fmt_int(excluded, lang), total=fmt_int(total, lang)))
        shown = pd.DataFrame(
            {
                t("quality_reason", lang): counts["reason"].map(lambda r: t(f"reason_{r}", lang)),
                t("unit", lang): counts["unit_code"],
                t("quality_rows", lang): counts["rows"].map(lambda n: fmt_int(n, lang)),
                t("quality_excluded", lang): counts["excluded"].map(
                    lambda x: t("quality_yes" if x else "quality_no", lang)
                ),
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch", key="quality_table")
    chrome.freshness(fetched.fetched_at, fetched.error, lang)
