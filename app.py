"""IOC dashboard: the router. Page config, first-start sample build, navigation, the page."""

from __future__ import annotations

import threading

import streamlit as st

import settings
from app_pages import overview
from i18n.catalogue import t
from ui import chrome

st.set_page_config(page_title="IOC — TTHC", page_icon="📊", layout="wide")
_build_lock = threading.Lock()


def ensure_sample_database(lang: str) -> None:
    """On a fresh checkout with no database configured, build the embedded sample once."""
    if not settings.uses_embedded_sample() or settings.SAMPLE_DATABASE.exists():
        return
    from sample_data.generate import build_sample

    with _build_lock:
        if settings.SAMPLE_DATABASE.exists():
            return
        bar = st.progress(0.0, text=t("building_sample", lang))
        build_sample(
            settings.database_url(),
            progress=lambda done, msg: bar.progress(
                min(1.0, done), text=f"{t('building_sample', lang)} {msg}"
            ),
        )
        bar.empty()


#: The screens, in menu and rotation order: (url path = kiosk name, draw function, title key, icon).
SCREENS = (
    ("overview", overview.render, "nav_overview", "📊"),
)

lang = chrome.lang()
ensure_sample_database(lang)
pages = [
    st.Page(render, title=t(title, lang), icon=icon, url_path=path, default=(i == 0))
    for i, (path, render, title, icon) in enumerate(SCREENS)
]
page = st.navigation(pages)
page.run()
