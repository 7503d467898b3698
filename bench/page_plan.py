"""What ``bench.pages`` opens and changes: every screen of the menu with its usual URL parameters
(and the wall's three screens in kiosk mode), and on the ranking, my-unit, trend and map screens
every selectbox and radio change, and the map's drill-down.

A change to a value not shown before is timed as "first" (its figures are not cached yet: the
caches are emptied before each screen); going back to the value shown before, whose figures the
page has just drawn, is timed as "warm". The trend screens each try another period (the four
share one monthly frame: the same period would be cached by the screen before), and the map's
drill-down is tried in three periods.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    """One user action: ``kind`` is ``select`` (pick option ``index`` of widget ``key``), ``back``
    (pick again the option ``key`` showed before its last ``select``), ``radio`` (option
    ``index``), ``button`` (press ``key``) or ``map`` (click the middle of the map)."""

    name: str
    kind: str
    key: str = ""
    index: int = 0

    @property
    def role(self) -> str:
        """``first`` for a value not shown before, ``warm`` for a way back."""
        return "warm" if self.kind == "back" or self.name.endswith("(back)") else "first"


@dataclass(frozen=True)
class Screen:
    """A screen's link (path and query, as ``app.py`` routes it) and the changes tried on it."""

    name: str
    url: str
    changes: tuple[Change, ...] = field(default=())


def _pick(name: str, key: str, index: int) -> tuple[Change, Change]:
    return Change(name, "select", key, index), Change(name, "back", key)


def _trend(period_index: int) -> tuple[Change, ...]:
    """The trend filters: level, unit, period (option ``period_index``: 12m 24m all 2026 2025 …), field."""
    return (
        *_pick("level", "trend_level", 1),
        *_pick("unit", "trend_unit", 1),
        *_pick("period", "trend_period", period_index),
        *_pick("field", "trend_field", 1),
    )


def _drill_down() -> tuple[Change, ...]:
    return (
        Change("drill-down", "map"),
        Change("drill-down: up (back)", "button", "map_up"),
        Change("drill-down again (back)", "map"),
    )


SCREENS: tuple[Screen, ...] = (
    Screen("overview", "/"),
    Screen(
        "map",
        "/map",
        (
            *_pick("metric", "map_metric", 1),
            Change("view", "radio", "map_view", 1),
            Change("view (back)", "radio", "map_view", 0),
            *_drill_down(),
        ),
    ),
    Screen("map", "/map?period=2026-11", _drill_down()),
    Screen("map", "/map?period=2026-Q3", _drill_down()),
    Screen(
        "ranking",
        "/ranking",
        (
            *_pick("level", "rk_level", 1),
            *_pick("metric", "rk_metric", 1),
            Change("unit", "select", "rk_unit", 0),
            Change("unit, another", "select", "rk_unit", 1),
            Change("unit (back)", "select", "rk_unit", 0),
            Change("period kind: month", "select", "rk_period_kind", 1),
            *_pick("month", "rk_period_month", 1),
            Change("period kind (back)", "select", "rk_period_kind", 0),
        ),
    ),
    Screen(
        "my-unit",
        "/my-unit?unit=692",
        (
            *_pick("unit", "mu_unit", 0),
            *_pick("metric", "mu_metric", 1),
            *_pick("trend months", "mu_months", 2),
            *_pick("period kind", "mu_period_kind", 1),
        ),
    ),
    Screen("satisfaction", "/satisfaction", _trend(1)),
    Screen("online", "/online", _trend(4)),
    Screen("online", "/online?period=all"),
    Screen("feedback", "/feedback", _trend(5)),
    Screen("processing", "/processing", _trend(6)),
    Screen("press", "/press"),
    Screen("quality", "/quality"),
    Screen("overview (wall)", "/?kiosk=1&rotate=0"),
    Screen("map (wall)", "/map?kiosk=1&rotate=0"),
    Screen("ranking (wall)", "/ranking?kiosk=1&rotate=0"),
)
