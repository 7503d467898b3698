"""What every screen shows around its figures: language, sample label, freshness, errors."""

from __future__ import annotations

import datetime as dt
import html
import logging
import threading

import streamlit as st

import settings
from i18n.catalogue import LANGS, TEXT, t
from i18n.format import fmt_date, fmt_int, fmt_time
from metrics import score766
from ui import background, data, retry
from ui.markup import md

log = logging.getLogger("ioc.settings")
_settings_logged = threading.Event()
_SETTINGS_WARNED = "_ioc_settings_warned"


def settings_warning(language: str) -> None:
    """Settings whose values were replaced (by their default or nearest bound): logged once a
    process, shown once a session as one warning."""
    found = settings.problems()
    if not found:
        return
    if not _settings_logged.is_set():
        _settings_logged.set()
        for problem in found:
            log.warning(problem.message())
    if st.session_state.get(_SETTINGS_WARNED):
        return
    st.session_state[_SETTINGS_WARNED] = True
    lines = [
        t(f"setting_{p.reason}", language, env=p.env, given=_code(p.given), used=_code(p.used.strip("'")))
        for p in found
    ]
    st.warning(f"**{t('settings_title', language)}**\n\n" + "\n".join(f"- {line}" for line in lines))


def _code(value: str) -> str:
    """``value`` as inline code: printable, short, no backtick to break out of it."""
    shown = value[:64].encode("unicode_escape").decode("ascii").replace("`", "'")
    return f"`{shown}`"


def lang() -> str:
    """The interface language: ``?lang=en`` or the configured default (Vietnamese)."""
    wanted = st.query_params.get("lang", str(settings.get("IOC_LANGUAGE")))
    return wanted if wanted in LANGS else "vi"


def score_rules() -> score766.RuleSet:
    """The rule set of the estimated 766 score (setting ``IOC_SCORE_RULES``)."""
    return score766.rule_set(str(settings.get("IOC_SCORE_RULES")))


def sample_label(meta: dict[str, str], language: str) -> None:
    """The "Dữ liệu mẫu" label, on every screen that shows sample data."""
    if meta.get("is_sample") == "1":
        note, badge = (
            html.escape(t("sample_note", language), quote=True),
            html.escape(t("sample_badge", language)),
        )
        st.markdown(f"<span class='ioc-sample' title='{note}'>{badge}</span>", unsafe_allow_html=True)


def freshness(fetched_at: dt.datetime, error: str | None, language: str) -> None:
    """'Cập nhật lúc HH:MM:SS', or a visible stale warning when the database stopped answering
    longer ago than the configured limit (the last figures stay on screen)."""
    limit = int(settings.get("IOC_STALE_AFTER_SECONDS"))
    # A deleted database file is no passing outage: its last figures are flagged at once.
    stale = error is not None and (
        error == "db_missing_file" or (data.now() - fetched_at).total_seconds() > limit
    )
    if error is not None:  # the last good figures: try again after the back-off
        retry.failed()
    if stale:
        st.error(t("stale", language, time=f"{fmt_time(fetched_at)} {fmt_date(fetched_at)}"))
    else:
        st.caption(t("updated_at", language, time=fmt_time(fetched_at)))


def database_error(reason: str, language: str) -> None:
    """A clear message, never a traceback, when there is nothing to show.

    ``reason`` is a catalogue key from ``ui.data.describe_failure`` (or plain text).
    """
    reason = t(reason, language) if reason in TEXT else md(reason)  # an exception's text is not markup
    st.error(f"**{t('db_error_title', language)}**\n\n{t('db_error_body', language, reason=reason)}")
    retry.failed(language)  # the page reruns itself after the back-off


STYLE = """
<style>
.ioc-sample {background:#b45309;color:#fff;padding:2px 10px;border-radius:4px;font-weight:600;}
[data-testid="stMetricValue"] {font-size: 2.6rem;}
</style>
"""


#: While the note's check has no result yet (a fresh server, a large table), the note looks again
#: this often; once there is one the page runs once more and shows it.
QUALITY_POLL_SECONDS = 2


def quality_note(language: str) -> None:
    """'12 hồ sơ bị loại do lỗi dữ liệu' under every screen, when any row is excluded. Never waits
    for the hourly check (``ui.background``): until it has a first result, 'đang kiểm tra…'."""
    try:
        fetched = background.quality()
    except data.DataUnavailable:
        return
    if fetched is None:
        _quality_pending(language)
        return
    _, excluded, _ = fetched.value
    if excluded:
        st.caption(f"{t('quality_note', language, n=fmt_int(excluded, language))}")


def _quality_pending(language: str) -> None:
    """'Đang kiểm tra…' in a small fragment that looks for the check's result every
    :data:`QUALITY_POLL_SECONDS` and reruns the page when it is there (the rerun draws the note,
    or nothing, and no fragment: its timer stops)."""

    @st.fragment(run_every=QUALITY_POLL_SECONDS)
    def pending() -> None:
        try:
            ready = background.quality() is not None
        except data.DataUnavailable:
            ready = True  # nothing to show: the page's rerun draws no note
        if ready:
            st.rerun()
        st.caption(t("quality_checking", language))

    pending()


def summary_note(language: str) -> None:
    """A note under every screen when summary tables are missing: the figures are right (read
    from the dossier table) but slower, and a rebuild restores the summaries."""
    try:
        tables = data.unreadable_summaries().value
    except data.DataUnavailable:
        return
    if tables:
        st.caption(f"{t('summaries_unreadable', language, tables=', '.join(tables))}")


def startup_check(language: str) -> bool:
    """Before any screen: is there a database with data? Shows why not and returns False."""
    try:
        levels = data.levels().value
    except data.DataUnavailable as exc:
        database_error(str(exc), language)
        return False
    if not levels:
        database_error("db_empty", language)
        return False
    return True
