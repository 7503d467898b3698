"""The page benchmark's plan and verdicts (``bench.pages`` itself runs a browser: not a test)."""

from __future__ import annotations

import ast
from pathlib import Path

from bench.page_plan import SCREENS
from bench.page_report import markdown, summary
from bench.pages import TARGETS

ROOT = Path(__file__).resolve().parent.parent


def _menu_paths() -> set[str]:
    """The url paths of app.py's SCREENS, read from its source (importing it runs the app)."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "SCREENS":
            return {elt.elts[0].value for elt in node.value.elts}  # type: ignore[attr-defined]
    raise AssertionError("app.py has no SCREENS")


def test_the_benchmark_opens_every_screen_of_the_menu() -> None:
    opened = {s.url.split("?")[0].strip("/") or "overview" for s in SCREENS}
    assert _menu_paths() <= opened


def test_every_change_has_a_way_back_or_is_first() -> None:
    # A "back" re-picks what its widget showed before: it needs a "select" of the same key first.
    for screen in SCREENS:
        selected: set[str] = set()
        for change in screen.changes:
            if change.kind == "select":
                selected.add(change.key)
            if change.kind == "back":
                assert change.key in selected, (screen.url, change.name)


def _row(what: str, role: str, seconds: float | None, cpu: float = 0.1) -> dict:
    return dict(
        screen="s",
        url="/s",
        what=what,
        role=role,
        seconds=seconds,
        cpu=cpu,
        browser_cpu=0.2,
        load1=1.0,
        error=None,
    )


def test_verdicts_against_the_targets() -> None:
    rows = [
        _row("visit", "first", 2.5),
        _row("visit", "warm", 0.5),
        _row("visit", "first", 3.5),  # a first visit over 3 s: missed
        _row("visit", "warm", 1.5),  # warm ≤ 2 s met; median of 0.5 and 1.5 = 1.0 ≤ 1 s met
        _row("level", "first", 0.9),
        _row("level", "warm", 1.2),  # a change over 1 s: missed
    ]
    result = dict(rows=rows, targets=TARGETS)
    verdicts = {what: verdict for what, _, _, _, verdict in summary(result)}
    assert verdicts == {
        "every warm visit": "met",
        "median warm visit": "met",
        "every first visit": "missed",
        "every widget change and drill-down": "missed",
    }
    measured = {what: wall for what, _, wall, _, _ in summary(result)}
    assert measured["median warm visit"] == "1.00 s" and measured["every first visit"] == "3.50 s"
    rows.append(_row("unit", "first", None))
    text = markdown(
        dict(result, when="2026-12-04T20:00:00", commit="abc", database="x", now="n", cores=2, health_s=1.0,
             minutes=1.0, load_start=[1.0], load_end=[2.0], server_tracebacks=0)
    )  # fmt: skip
    assert "| measurements that failed | 0 | 1 |" in text
