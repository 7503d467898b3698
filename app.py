"""IOC dashboard: the router. Page config, first-start sample build, navigation, the page."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable

import streamlit as st

import settings
from i18n.catalogue import t
from ui import background, chrome, kiosk, memory, retry
from ui.sample_progress import build_step_text

#: The browser tab's icon: three rising bars in the Okabe–Ito colours, a 64×64 PNG shipped with
#: the code (an emoji icon needs an emoji font, which a wall often lacks).
ICON = settings.PROJECT_ROOT / "ui" / "icon.png"
st.set_page_config(page_title="IOC — TTHC", page_icon=str(ICON), layout="wide")
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
    from data_access.queries import make_engine, rebuild_database_summaries, summaries_outdated

    with _build_lock:
        if _sample_checked.is_set():
            return
        engine = make_engine(settings.database_url(), read_only=False)
        try:
            if summaries_outdated(engine):
                with st.spinner(t("upgrading_sample", lang)):
                    rebuild_database_summaries(engine)
        except Exception:  # a locked or damaged file: the screens say what is wrong
            logging.getLogger(__name__).exception("could not upgrade the sample's summaries")
        finally:
            engine.dispose()
        _sample_checked.set()


#: The screens, in menu and rotation order: (url path = kiosk name, module of app_pages, title key, icon).
SCREENS = (
    ("overview", "overview", "nav_overview", ":material/dashboard:"),
    ("map", "map", "nav_map", ":material/map:"),
    ("ranking", "ranking", "nav_ranking", ":material/leaderboard:"),
    ("my-unit", "my_unit", "nav_my_unit", ":material/account_balance:"),
    ("satisfaction", "satisfaction", "nav_satisfaction", ":material/sentiment_satisfied:"),
    ("online", "online", "nav_online", ":material/public:"),
    ("feedback", "feedback", "nav_feedback", ":material/forum:"),
    ("processing", "processing", "nav_processing", ":material/timer:"),
    ("press", "press", "nav_press", ":material/newspaper:"),
    ("quality", "quality", "nav_quality", ":material/fact_check:"),
)


def screen(module: str) -> Callable[[], None]:
    """The draw function of ``app_pages.<module>``, imported when the screen is first shown
    (``st.navigation`` runs only the chosen page): a fresh server's first wall run imports the
    overview's modules, not every screen's (openpyxl, pydeck, the export renderer, the trend
    charts: 1-2 s of the cold start, docs/load.md).
    """

    def render() -> None:
        drawn = importlib.import_module(f"app_pages.{module}")
        memory.freeze_startup_objects(drawn.__name__)  # its modules too: out of every full collection
        drawn.render()

    render.__name__ = render.__qualname__ = module
    return render


def preload(path: str) -> None:
    """Import the module of screen ``path`` on a thread (``ui.background.preload``): the screen a
    kiosk rotation shows next then draws at once instead of importing its modules first.
    """
    background.preload(next(f"app_pages.{module}" for url, module, *_ in SCREENS if url == path))


configure_logging()
memory.freeze_startup_objects()  # the router's modules: out of every run's full collection
memory.start_trimming(int(settings.get("IOC_MALLOC_TRIM_SECONDS")))
memory.start_reporting(int(settings.get("IOC_MEMORY_LOG_MINUTES")))
lang = chrome.lang()
ensure_sample_database(lang)
background.start_quality_check()  # the note's hourly check, on a thread: no screen waits for it
pages = [
    st.Page(screen(module), title=t(title, lang), icon=icon, url_path=path, default=(i == 0))
    for i, (path, module, title, icon) in enumerate(SCREENS)
]
page = kiosk.navigation(pages, [path for path, *_ in SCREENS], lang, coming=preload)
chrome.settings_warning(lang)  # a bad IOC_* value: logged once, shown once a session
retry.begin_run()
if chrome.startup_check(lang):  # unreachable, wrong password, no tables, empty: say so, once
    page.run()
    chrome.quality_note(lang)
    chrome.summary_note(lang)
retry.after_run()  # a screen that could not read the database tries again by itself
