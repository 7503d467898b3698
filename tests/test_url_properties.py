"""No URL can crash a screen: every parameter each screen reads, driven by Hypothesis through
AppTest with valid values, the calendar's edges (1999-12-31, 2000-01-01, 2100-01-01, far future),
reversed and future ranges, garbage, very long strings, unicode, Markdown and HTML. A screen shows
a warning and a default, or clips the period, but never Streamlit's error box.

Bounded: one small seeded SQLite database for the module, the links known to have crashed a
screen plus 10 generated examples a screen (``IOC_URL_EXAMPLES=50`` for a deeper run), no
shrinking, the data caches shared between runs as on a live server.
"""

from __future__ import annotations

import datetime as dt
import os
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, seed, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import app_pages
from tests.builders import build
from tests.test_app_overview import ROWS

NOW = dt.datetime(2026, 11, 23, 10, 0)
TREND = ("period", "level", "unit", "field", "month", "lang")
#: The URL parameters each screen reads (``st.query_params`` and ``controls.*_param``).
SCREEN_PARAMS: dict[str, tuple[str, ...]] = {
    "feedback": (*TREND, "category"),
    "map": ("period", "level", "unit", "metric", "view", "lang"),
    "my_unit": ("period", "unit", "metric", "months", "lang"),
    "online": TREND,
    "overview": ("lang", "kiosk"),
    "press": ("period", "chart", "level", "unit", "metric", "lang"),
    "processing": TREND,
    "quality": ("lang",),
    "ranking": ("period", "level", "metric", "unit", "lang"),
    "satisfaction": TREND,
}

EDGE_DAYS = [
    dt.date(1999, 12, 31),
    dt.date(2000, 1, 1),
    dt.date(2000, 1, 31),
    dt.date(2013, 6, 30),
    dt.date(2025, 6, 30),
    dt.date(2025, 7, 1),
    NOW.date() - dt.timedelta(days=1),
    NOW.date(),
    NOW.date() + dt.timedelta(days=1),
    dt.date(2026, 12, 31),
    dt.date(2100, 1, 1),
    dt.date(2100, 12, 31),
    dt.date(2101, 1, 1),
    dt.date(9999, 12, 31),
]
days = st.one_of(
    st.sampled_from(EDGE_DAYS),
    st.dates(dt.date(1990, 1, 1), dt.date(2110, 12, 31)),
    st.dates(NOW.date() - dt.timedelta(days=400), NOW.date() + dt.timedelta(days=60)),  # around today
)
HOSTILE_TEXT = [
    "[Dang nhap lai](http://evil.example/login)",
    "![x](http://127.0.0.1:9/track.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example/x","bấm")',
    "**đậm** _nghiêng_ `mã` # tiêu đề",
    "\u202e\u0000\u200b",
    "Đồng\u0301 Xoài",
    "x" * 5_000,
    "-1",
    "0",
    "99999999999999999999",
    "mtd",
    "",
    " ",
]
garbage = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
)


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


periods = st.one_of(
    st.builds(lambda a, b: f"{a.isoformat()}..{b.isoformat()}", days, days),  # also reversed
    st.builds(_month, days),
    st.builds(lambda d, q: f"{d.year:04d}-Q{q}", days, st.integers(0, 5)),
    st.builds(lambda d: f"{d.year:04d}", days),
    st.sampled_from(["mtd", "12m", "24m", "all", "2026-10", "2026-Q4", "2026", "2026-13", "2026-02-30"]),
    garbage,
)
VALID: dict[str, list[str]] = {
    "level": ["province", "district", "commune", "agency", "quận"],
    "unit": ["70", "100", "101", "102", "201", "S-1", "X-101", "999"],
    "metric": ["score_766", "on_time_rate", "overdue_in_progress", "online_share", "satisfaction_rate"],
    "field": ["Hộ tịch", "Xây dựng", "Đất đai"],
    "month": ["202610", "202611", "2026-11", "190001"],
    "months": ["12", "18", "24", "0", "-12"],
    "view": ["choropleth", "columns", "table", "map"],
    "chart": ["ranking", "trend", "headline", "channels", "map", "unit"],
    "category": ["Hành chính", "Khác"],
    "lang": ["vi", "en", "fr", "EN"],
    "kiosk": ["1", "true", "0", "on"],
}


def _value(name: str) -> st.SearchStrategy[str]:
    if name == "period":
        return periods
    return st.one_of(st.sampled_from(VALID[name]), garbage)


def _params(screen: str) -> st.SearchStrategy[dict[str, str]]:
    names = SCREEN_PARAMS[screen]
    return st.fixed_dictionaries({}, optional={n: _value(n) for n in names})


def _screens() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(app_pages.__path__) if not m.name.startswith("_"))


def _page_script(page: str) -> None:
    import importlib

    importlib.import_module(f"app_pages.{page}").render()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("urls") / "ioc.sqlite"
    build(f"sqlite:///{path}", ROWS, sample=True).dispose()
    saved = {k: os.environ.get(k) for k in ("IOC_DATABASE_URL", "IOC_NOW", "IOC_AUTH_REQUIRED")}
    os.environ["IOC_DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["IOC_NOW"] = NOW.isoformat()
    os.environ.pop("IOC_AUTH_REQUIRED", None)
    yield path
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def run_screen(screen: str, params: dict[str, str]) -> AppTest:
    """One run of ``screen`` with ``params`` in its URL, in a fresh session."""
    at = AppTest.from_function(_page_script, args=(screen,), default_timeout=60)
    at.query_params.update(params)
    return at.run()


def test_every_screen_is_covered() -> None:
    assert sorted(SCREEN_PARAMS) == _screens()


#: Links known to have crashed a screen, tried first on every screen that reads them.
KNOWN_BAD = (
    {"period": "2026-11-01..2026-12-31"},  # a custom range ending after today
    {"period": "2005-01-01..2026-11-23"},  # its previous period would start in 1983
    {"period": "2000-01"},  # no month before it
    {"unit": "[Dang nhap lai](http://evil.example/login)", "level": "![x](http://127.0.0.1:9/t.png)"},
)


@pytest.mark.parametrize("screen", _screens())
def test_no_url_crashes_a_screen(database: Path, screen: str) -> None:
    def check(params: dict[str, str]) -> None:
        at = run_screen(screen, params)
        assert not at.exception, (screen, params, [e.message for e in at.exception])
        # Whatever the screen echoes of a parameter is text, never markup.
        body = " ".join(m.value for m in (*at.markdown, *at.warning, *at.caption, *at.title))
        assert "](http" not in body and not re.search(r"(?<!\\)<img", body)

    test = given(params=_params(screen))(check)
    for params in KNOWN_BAD:
        if set(params) <= set(SCREEN_PARAMS[screen]):
            test = example(params=params)(test)
    test = settings(
        max_examples=int(os.environ.get("IOC_URL_EXAMPLES", "10")),
        deadline=None,
        database=None,
        phases=(Phase.explicit, Phase.generate),  # shrinking reruns AppTest hundreds of times
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )(test)
    seed(20261123)(test)()


# --- the two links that crashed the ranking and my-unit screens -----------------------------

IN_DECEMBER = dt.datetime(2026, 12, 15, 10, 0)


@pytest.mark.parametrize("screen", ["ranking", "my_unit"])
def test_a_custom_range_ending_after_today_is_clipped_to_today(
    database: Path, monkeypatch: pytest.MonkeyPatch, screen: str
) -> None:
    monkeypatch.setenv("IOC_NOW", IN_DECEMBER.isoformat())
    at = run_screen(screen, {"period": "2026-12-01..2026-12-31"})
    assert not at.exception, [e.message for e in at.exception]
    warned = " ".join(w.value for w in at.warning)
    assert "vượt ra ngoài khoảng có số liệu" in warned and "01/12/2026–15/12/2026" in warned
    if screen == "ranking":
        assert at.title[0].value.endswith("— 01/12/2026–15/12/2026")
        assert "Thay đổi so với 01/11/2026–15/11/2026" in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("screen", ["ranking", "my_unit"])
def test_a_range_whose_previous_period_precedes_2000_does_not_crash(
    database: Path, monkeypatch: pytest.MonkeyPatch, screen: str
) -> None:
    monkeypatch.setenv("IOC_NOW", IN_DECEMBER.isoformat())
    at = run_screen(screen, {"period": "2005-01-01..2026-11-30"})
    assert not at.exception, [e.message for e in at.exception]
    # The data start in October 2026: the range is clipped to them (and so has a period before).
    assert "01/10/2026–30/11/2026" in " ".join(w.value for w in at.warning)


def test_a_period_with_nothing_before_it_has_no_comparison(database: Path) -> None:
    at = run_screen("ranking", {"period": "2000-01"})
    assert not at.exception and not at.warning
    assert at.title[0].value.endswith("— Tháng 1/2000")
    assert "Thay đổi so với —." in " ".join(c.value for c in at.caption)


def test_previous_and_clipping_at_the_calendar_edges() -> None:
    from timebase.period import make_period, parse_period

    assert parse_period("2000-01").previous_or_none() is None
    assert parse_period("2000").previous_or_none() is None
    assert parse_period("2005-01-01..2026-11-30").previous_or_none() is None  # would start in 1983
    assert parse_period("2000-02").previous_or_none() == parse_period("2000-01")
    wide = parse_period("2005-01-01..2026-12-31", NOW)
    clipped = wide.clipped(dt.date(2026, 10, 1), NOW.date(), NOW)
    assert (clipped.start, clipped.end, clipped.as_of) == (dt.date(2026, 10, 1), NOW.date(), NOW)
    inside = parse_period("2026-10-05..2026-10-09", NOW)
    assert inside.clipped(dt.date(2026, 10, 1), NOW.date(), NOW) is inside
    before_data = make_period(dt.date(2005, 1, 1), dt.date(2005, 12, 31))
    assert before_data.clipped(dt.date(2026, 10, 1), NOW.date()) is before_data  # honest "no data"
