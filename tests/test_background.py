"""The hourly data-quality check never holds up a screen (``ui.background``).

The check is made to wait on a gate: the overview still draws every figure, with "đang kiểm
tra…" where the note goes; once the check is let through, the next run shows the note. The
previous hour's result stays on screen while the next hour's check runs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_access import queries
from data_access.engine import make_engine
from data_access.queries import unit_counters
from i18n.format import fmt_int
from metrics.tables import unit_metrics
from tests.builders import T, build
from tests.test_counters import BAD_ROWS, ROWS
from timebase.period import month_to_date
from ui import background

ROOT = Path(__file__).resolve().parent.parent
NOW = T(2026, 11, 23, 10)
PENDING = "Đang kiểm tra chất lượng dữ liệu…"
NOTE = "7 hồ sơ bị loại do lỗi dữ liệu"  # the seven faulty rows of BAD_ROWS (tests/test_quality.py)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """(started, release): the check says when it starts, and waits for ``release``."""
    started, release = threading.Event(), threading.Event()
    counts = queries.quality_counts

    def gated(*args: object, **kwargs: object) -> object:
        started.set()
        assert release.wait(60), "the test never let the check through"
        return counts(*args, **kwargs)

    monkeypatch.setattr(queries, "quality_counts", gated)  # where ui.data asks
    yield started, release
    release.set()  # a failing test must not leave the thread waiting
    background.wait_for_quality_check()


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'dirty.sqlite'}"  # a file of its own: no cached check to find
    build(url, ROWS + BAD_ROWS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    return url


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_the_overview_draws_its_figures_while_the_check_is_pending(
    seeded: str, gate: tuple[threading.Event, threading.Event]
) -> None:
    started, release = gate
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()

    assert not at.exception
    assert started.is_set() and not release.is_set()  # the run ended with the check still held
    expected = unit_metrics(unit_counters(make_engine(seeded), "province", month_to_date(NOW))).iloc[0]
    tiles = {m.label: m.value for m in at.metric}
    assert len(tiles) == 10  # nine figures and the month-end range (issue 25)
    assert tiles["Hồ sơ tiếp nhận"] == fmt_int(expected["received"])
    assert PENDING in _captions(at) and not any(NOTE in c for c in _captions(at))

    release.set()
    assert background.wait_for_quality_check()
    at.run()  # what the pending note's fragment asks for once the result is there
    assert not at.exception
    assert any(NOTE in c for c in _captions(at)) and PENDING not in _captions(at)


def test_the_last_hours_result_stays_while_the_next_hour_is_checked(
    seeded: str, gate: tuple[threading.Event, threading.Event], monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = gate
    assert background.quality() is None  # nothing yet: the check has started on its thread
    assert started.wait(60)
    release.set()
    assert background.wait_for_quality_check()
    first = background.quality()
    assert first is not None and first.value[1] == 7

    started.clear()
    release.clear()
    monkeypatch.setenv("IOC_NOW", NOW.replace(hour=11).isoformat())
    assert background.quality() is first  # at once, while 11:00's check runs
    assert started.wait(60)
    release.set()
    assert background.wait_for_quality_check()
    second = background.quality()
    assert second is not None and second is not first and second.value[1] == 7


@pytest.mark.parametrize(
    ("query", "preloaded"),
    [
        ({"kiosk": "1", "rotate": "30", "screens": "overview,map"}, ["app_pages.map"]),
        ({"kiosk": "1", "rotate": "0"}, []),  # a held screen: nothing comes next
        ({}, []),  # not a wall: the next screen is whatever the user picks
    ],
)
def test_a_rotating_wall_imports_the_next_screen_ahead(
    seeded: str, monkeypatch: pytest.MonkeyPatch, query: dict[str, str], preloaded: list[str]
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(background, "preload", asked.append)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert asked == preloaded
