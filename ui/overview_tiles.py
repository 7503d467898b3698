"""The overview's tiles: the headline metrics of the month to date, each with its target (or alarm
threshold) and its change against the same days of the month before.

Off the wall: two rows, the "now" figures first (:data:`FIRST_ROW`, :data:`SECOND_ROW`). On the wall
(kiosk mode, issue 25) two rows of five that also hold where the month will end and the dossiers
due soon (:data:`WALL_FIRST_ROW`, :data:`WALL_SECOND_ROW`): what a leader needs from ten metres
(on time now, where the month will end, late now, late soon, the score), then the month's rates;
today's intake is the received tile's second line there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from i18n.catalogue import t
from i18n.format import fmt_int, fmt_pct, fmt_points, fmt_value
from metrics.compute import change
from metrics.registry import get_metric
from metrics.targets import target_for
from metrics.wall import ALARM_RULES
from ui import chrome
from ui.markup import md

#: Tiles in wall order: the "now" figures first, then the month's rates.
FIRST_ROW = ("on_time_rate", "overdue_in_progress", "received_today", "received", "score_766")
SECOND_ROW = ("on_time_rate_finished", "online_share", "online_payment_share", "satisfaction_rate")
#: The wall's tiles: "close_range" (where the month will end) and "due_soon" are drawn by the
#: callables the overview passes in; the month-end range is one wide figure ("93,4–98,3%").
WALL_FIRST_ROW = ("on_time_rate", "close_range", "overdue_in_progress", "due_soon", "score_766")
WALL_SECOND_ROW = (
    "on_time_rate_finished",
    "received",
    "online_share",
    "online_payment_share",
    "satisfaction_rate",
)
WALL_WIDTHS = (1, 1.3, 1, 1, 1)
#: Counts whose change is neither good nor bad (more dossiers received is just more work).
NEUTRAL = frozenset({"received", "received_today"})


def tiles(
    now: pd.Series,
    before: pd.Series,
    targets: pd.DataFrame,
    year: int,
    alarmed: set[str],
    lang: str,
    wall: Mapping[str, Callable[[], None]] | None = None,
) -> None:
    """The tiles; ``wall`` (kiosk mode) draws the wall's rows, with the tiles it names drawn by
    its callables."""
    # The overdue count's alarm is the overdue share of open dossiers (metrics/alarm_rules.csv).
    alarmed = alarmed | ({"overdue_in_progress"} if "overdue_share" in alarmed else set())
    rows = (WALL_FIRST_ROW, WALL_SECOND_ROW) if wall is not None else (FIRST_ROW, SECOND_ROW)
    widths = WALL_WIDTHS if wall is not None else len(FIRST_ROW)
    for row in rows:
        for col, name in zip(st.columns(widths), row, strict=False):
            with col:
                if wall is not None and name in wall:
                    wall[name]()
                elif name == "score_766":
                    _score_tile(now, lang)
                elif name == "received_today":
                    _received_today_tile(now, before, lang)
                elif name == "received" and wall is not None:
                    _received_tile_with_today(now, before, lang)
                else:
                    _metric_tile(name, now, before, targets, year, name in alarmed, lang)


def _delta_text(delta: float | None, fmt: str, lang: str) -> str | None:
    if delta is None:
        return None
    if fmt == "pct":
        return fmt_points(delta, lang=lang)
    return ("+" if delta > 0 else "−" if delta < 0 else "±") + fmt_int(abs(delta), lang)


def _delta_look(delta: float | None, higher_is_better: bool | None) -> dict[str, str]:
    """Arrow and colour of a change: the arrow follows its sign, the colour says whether it is
    good (green) or bad (red); a count with no better direction stays grey. Set explicitly because
    Streamlit reads the sign from the text, and the Vietnamese minus sign (−) is not "-"."""
    if delta is None or delta == 0:
        return {"delta_arrow": "off", "delta_color": "gray"}
    good = None if higher_is_better is None else (delta > 0) == higher_is_better
    colour = {None: "gray", True: "green", False: "red"}[good]
    return {"delta_arrow": "up" if delta > 0 else "down", "delta_color": colour}


def _metric_tile(
    name: str, now: pd.Series, before: pd.Series, targets: pd.DataFrame, year: int, alarm: bool, lang: str
) -> None:
    metric = get_metric(name)
    value = now.get(name)
    delta = change(value, before.get(name))
    found = target_for(targets, metric.target_key, year)
    help_text = t(f"help_{name}", lang) + (
        f"\n\n{t('target', lang, value=fmt_pct(found[0], lang=lang))} — {md(found[1])}" if found else ""
    )
    with st.container(border=True, key=f"wall-{'alarm' if alarm else 'tile'}-{name}"):
        st.metric(
            metric.label(lang),
            fmt_value(value, metric.fmt, lang),
            delta=_delta_text(delta, metric.fmt, lang),
            delta_description=_yardstick(name, found, lang),
            help=help_text,
            **_delta_look(delta, None if name in NEUTRAL else metric.higher_is_better),
        )


def _yardstick(name: str, found: tuple[float, str] | None, lang: str) -> str | None:
    """What a tile is judged against: its target, else its alarm threshold."""
    metric = get_metric(name)
    if found and metric.fmt == "pct":
        return t("target", lang, value=fmt_pct(found[0], lang=lang))
    if name == "overdue_in_progress":
        limit = next(
            (r.threshold for r in ALARM_RULES if r.measure == "overdue_share" and r.level == "province"), None
        )
        return None if limit is None else t("wall_overdue_limit", lang, value=fmt_pct(limit, 0, lang))
    return None


def _received_today_tile(now: pd.Series, before: pd.Series, lang: str) -> None:
    value = now.get("received_today")
    delta = change(value, before.get("received_today"))
    with st.container(border=True, key="wall-tile-received_today"):
        st.metric(
            t("wall_received_today", lang),
            fmt_int(value, lang),
            delta=_delta_text(delta, "count", lang),
            delta_description=t("wall_vs_yesterday", lang),
            **_delta_look(delta, None),
        )


def _score_tile(now: pd.Series, lang: str) -> None:
    rules = chrome.score_rules()
    top = fmt_int(rules.measured_max, lang)
    with st.container(border=True, key="wall-tile-score_766"):
        st.metric(
            t("score_766", lang),
            f"{fmt_value(now.get('score_766'), 'points', lang)} / {top}",
            help=t("score_766_help", lang, max=top, rules=t(f"rules_{rules.name}", lang)),
        )


def _received_tile_with_today(now: pd.Series, before: pd.Series, lang: str) -> None:
    """The wall's received tile: the month's count and its change, and today's count under it."""
    metric = get_metric("received")
    delta = change(now.get("received"), before.get("received"))
    with st.container(border=True, key="wall-tile-received"):
        st.metric(
            metric.label(lang),
            fmt_int(now.get("received"), lang),
            delta=_delta_text(delta, "count", lang),
            delta_description=t("wall_today_count", lang, n=fmt_int(now.get("received_today"), lang)),
            help=t("help_received", lang),
            **_delta_look(delta, None),
        )
