"""AppTest of the overview page on a seeded SQLite file: the exact figures that ``metrics`` gives
for the same data, in Vietnamese formats, and a clear message instead of a traceback when the
database is missing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_access.engine import make_engine
from data_access.queries import unit_counters
from i18n.format import fmt_int, fmt_pct
from metrics.tables import unit_metrics
from tests.builders import T, build, dossier
from timebase.period import month_to_date

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 23, 10, 0)

ROWS = [
    # November to date: 4 received; settled on time x1, late x2; open y1 on time, y2 overdue.
    dossier(
        "x1",
        "101",
        T(2026, 11, 2, 9),
        T(2026, 11, 5, 17),
        finished_at=T(2026, 11, 4, 9),
        channel="online",
        rating="satisfied",
    ),
    dossier(
        "x2",
        "102",
        T(2026, 11, 2, 9),
        T(2026, 11, 5, 17),
        finished_at=T(2026, 11, 9, 9),
        rating="unsatisfied",
    ),
    dossier("y1", "201", T(2026, 11, 20, 9), T(2026, 11, 26, 17)),
    dossier("y2", "201", T(2026, 11, 10, 9), T(2026, 11, 13, 17), channel="online"),
    # October, same days: both on time → the change against the previous period is negative.
    dossier("o1", "101", T(2026, 10, 5, 9), T(2026, 10, 8, 17), finished_at=T(2026, 10, 6, 9)),
    dossier("o2", "201", T(2026, 10, 5, 9), T(2026, 10, 8, 17), finished_at=T(2026, 10, 7, 9)),
]


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'ioc.sqlite'}"
    build(url, ROWS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    return url


def _run(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def test_overview_shows_the_metrics_figures(seeded: str) -> None:
    at = _run()
    assert not at.exception
    expected = unit_metrics(unit_counters(make_engine(seeded), "province", month_to_date(NOW))).iloc[0]
    # Hand check of the same figures: on time x1 + y1 of x1, x2, y1, y2 = 2/4 = 50%.
    assert expected["on_time_rate"] == pytest.approx(0.5)
    tiles = {m.label: m for m in at.metric}
    assert tiles["Tỷ lệ hồ sơ đúng hạn"].value == fmt_pct(expected["on_time_rate"]) == "50,0%"
    # Finished x1, x2 → 1 of 2; overdue in progress y2 → 1; received 4; online x1, y2 → 50%.
    assert tiles["Tỷ lệ đúng hạn trên hồ sơ đã giải quyết"].value == "50,0%"
    assert tiles["Hồ sơ đang xử lý quá hạn"].value == "1"
    assert tiles["Hồ sơ tiếp nhận"].value == fmt_int(expected["received"]) == "4"
    assert tiles["Tỷ lệ hồ sơ trực tuyến"].value == "50,0%"
    # Satisfaction: x1 satisfied, x2 unsatisfied → 50%. No fee anywhere → N/A shown as a dash.
    assert tiles["Tỷ lệ hài lòng"].value == "50,0%"
    assert tiles["Tỷ lệ thanh toán trực tuyến"].value == "—"
    # Against 1–23/10 (2 of 2 on time = 100%): −50 percentage points.
    assert tiles["Tỷ lệ hồ sơ đúng hạn"].delta == "−50,0 điểm %"
    # Its tooltip explains the rule in the screen's language (not the registry's English doc).
    assert tiles["Tỷ lệ hồ sơ đúng hạn"].proto.help.startswith("Hồ sơ giải quyết sớm hạn, đúng hạn")
    # Labelled as sample data, with its update time.
    markdown = " ".join(m.value for m in at.markdown)
    assert "Dữ liệu mẫu" in markdown
    assert any("Cập nhật lúc 10:00:00" in c.value for c in at.caption)


def test_overview_in_english(seeded: str) -> None:
    at = _run("en")
    assert not at.exception
    tiles = {m.label: m for m in at.metric}
    assert tiles["On-time rate"].value == "50.0%"
    assert tiles["On-time rate"].proto.help.startswith("Dossiers finished early or on time")
    assert "Sample data" in " ".join(m.value for m in at.markdown)


def test_missing_database_gives_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IOC_DATABASE_URL", f"sqlite:///{tmp_path / 'absent.sqlite'}")
    at = _run()
    assert not at.exception
    assert "Không đọc được cơ sở dữ liệu" in at.error[0].value
    assert "IOC_DATABASE_URL" in at.error[0].value


def test_the_apps_own_loggers_write_to_standard_error_at_info(seeded: str) -> None:
    """Streamlit configures only its loggers: without a handler of our own, ``ioc.memory``'s
    INFO line and ``ioc.data``'s warnings would fall to Python's last resort (warnings only)."""
    import logging

    assert not _run().exception
    logger = logging.getLogger("ioc")
    assert logger.level == logging.INFO and not logger.propagate
    ours = [h for h in logger.handlers if type(h) is logging.StreamHandler and h.formatter is not None]
    assert [h.formatter._fmt for h in ours] == ["%(asctime)s %(levelname)s %(name)s: %(message)s"]
    assert logging.getLogger("ioc.memory").getEffectiveLevel() == logging.INFO
