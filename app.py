"""IOC dashboard: the router. Page config, first-start sample build, navigation, the page."""

from __future__ import annotations

import logging
import threading

import streamlit as st

import settings
from app_pages import feedback, my_unit, online, overview, press, processing, quality, ranking, satisfaction
from app_pages import map as map_screen
from i18n.catalogue import t
from ui import chrome, kiosk, memory, retry
from ui.sample_progress import build_step_text

st.set_page_config(page_title="IOC — TTHC", page_icon="📊", layout="wide")
_build_lock = threading.Lock()


def ensure_sample_database(lang: str) -> None:
    """On a fresh checkout with no database configured, build the embedded sample once; on an
    updated checkout, rebuild a sample an earlier generator made, or bring its summary tables to
    this version, once.
    """
    if not settings.uses_embedded_sample():
        return
    # A first start says so at once, in the interface language, before the generator's imports.
    first = None if settings.SAMPLE_DATABASE.exists() else st.progress(0.0, text=t("building_sample", lang))
    from sample_data.generate import build_sample, sample_is_current

    if settings.SAMPLE_DATABASE.exists() and (
        _sample_checked.is_set() or sample_is_current(settings.database_url())
    ):
        _upgrade_sample(lang)
        return
    with _build_lock:
        if _sample_checked.is_set() or (
            settings.SAMPLE_DATABASE.exists() and sample_is_current(settings.database_url())
        ):
            return
        # No sample yet, or one an earlier version built (other attribution, no unit lifetimes):
        # build it (again) into a temporary file that replaces the old one when complete.
        bar = first or st.progress(0.0, text=t("building_sample", lang))
        build_sample(
            settings.database_url(),
            progress=lambda done, step: bar.progress(
                min(1.0, done), text=f"{t('building_sample', lang)} {build_step_text(step, lang)}"
            ),
        )
        bar.empty()
    if first is not None:
        first.empty()


_sample_checked = threading.Event()


def configure_logging() -> None:
    """Our loggers (``ioc.*``: failed queries, the memory line) to standard error at INFO, in
    Streamlit's format, once per process (Streamlit configures only its own loggers).
    """
    logger = logging.getLogger("ioc")
    if logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _upgrade_sample(lang: str) -> None:
    """Once a process: rebuild the sample's summaries if an older version made them (the
    dashboard would otherwise read the raw table, correct but slow, until ``cli.py refresh``).
    """
    if _sample_checked.is_set():
        return
    from data_access.engine import make_engine
    from data_access.summary import outdated, rebuild_database

    with _build_lock:
        if _sample_checked.is_set():
            return
        engine = make_engine(settings.database_url(), read_only=False)
        try:
            if outdated(engine):
                with st.spinner(t("upgrading_sample", lang)):
                    rebuild_database(engine)
        except Exception:  # a locked or damaged file: the screens say what is wrong
            logging.getLogger(__name__).exception("could not upgrade the sample's summaries")
        finally:
            engine.dispose()
        _sample_checked.set()


#: The screens, in menu and rotation order: (url path = kiosk name, draw function, title key, icon).
SCREENS = (
    ("overview", overview.render, "nav_overview", ":material/dashboard:"),
    ("map", map_screen.render, "nav_map", ":material/map:"),
    ("ranking", ranking.render, "nav_ranking", ":material/leaderboard:"),
    ("my-unit", my_unit.render, "nav_my_unit", ":material/account_balance:"),
    ("satisfaction", satisfaction.render, "nav_satisfaction", ":material/sentiment_satisfied:"),
    ("online", online.render, "nav_online", ":material/public:"),
    ("feedback", feedback.render, "nav_feedback", ":material/forum:"),
    ("processing", processing.render, "nav_processing", ":material/timer:"),
    ("press", press.render, "nav_press", ":material/newspaper:"),
    ("quality", quality.render, "nav_quality", ":material/fact_check:"),
)

configure_logging()
memory.freeze_startup_objects()  # the imported modules: out of every run's full collection
memory.start_trimming(int(settings.get("IOC_MALLOC_TRIM_SECONDS")))
memory.start_reporting(int(settings.get("IOC_MEMORY_LOG_MINUTES")))
lang = chrome.lang()
ensure_sample_database(lang)
pages = [
    st.Page(render, title=t(title, lang), icon=icon, url_path=path, default=(i == 0))
    for i, (path, render, title, icon) in enumerate(SCREENS)
]
page = kiosk.navigation(pages, [path for path, *_ in SCREENS], lang)
chrome.settings_warning(lang)  # a bad IOC_* value: logged once, shown once a session
retry.begin_run()
if chrome.startup_check(lang):  # unreachable, wrong password, no tables, empty: say so, once
    page.run()
    chrome.quality_note(lang)
    chrome.summary_note(lang)
retry.after_run()  # a screen that could not read the database tries again by itself
