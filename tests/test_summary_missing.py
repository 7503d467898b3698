"""A summary table dropped or renamed under a database whose state row still says the summaries
are current: every screen reads the dossier table instead (the reference the summaries equal)
and says so in a note, instead of telling the operator to run ``cli.py import``."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_access.engine import make_engine
from data_access.queries import monthly_counters, procedure_counts, unit_counters
from data_access.summaries.maintain import rebuild_database, unreadable_summaries
from tests.builders import build
from tests.test_app_overview import NOW, ROWS
from timebase.period import month_period, month_to_date

ROOT = Path(__file__).resolve().parent.parent


def _database(tmp_path: Path, renamed: str | None) -> str:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    writer = build(url, ROWS, sample=True)
    rebuild_database(writer)
    if renamed:
        with writer.begin() as conn:
            conn.exec_driver_sql(f"ALTER TABLE {renamed} RENAME TO {renamed}_old")
    writer.dispose()
    return url


@pytest.mark.parametrize(
    "renamed", ["summary_month", "summary_day", "summary_procedure_month", "summary_procedure_day"]
)
def test_queries_fall_back_to_the_dossier_table(tmp_path: Path, renamed: str) -> None:
    (tmp_path / "intact").mkdir()
    reference = make_engine(_database(tmp_path / "intact", None))
    url = _database(tmp_path, renamed)
    engine = make_engine(url)
    try:
        period = month_to_date(NOW)
        months = [month_period(2026, 10), month_period(2026, 11)]
        for query in (
            lambda e: unit_counters(e, "district", period),
            lambda e: procedure_counts(e, "district", period),
            lambda e: monthly_counters(e, "district", months, ("field",)),
        ):
            assert query(engine).equals(query(reference))
        assert unreadable_summaries(engine) == [renamed]
        assert unreadable_summaries(reference) == []
    finally:
        engine.dispose()
        reference.dispose()


def test_the_screen_shows_figures_and_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOC_DATABASE_URL", _database(tmp_path, "summary_month"))
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert next(m.value for m in at.metric if m.label == "Tỷ lệ hồ sơ đúng hạn") == "50,0%"
    notes = [c.value for c in at.caption if "Bảng tổng hợp không đọc được" in c.value]
    assert notes and "summary_month" in notes[0] and "cli.py refresh --rebuild" in notes[0]
    assert "cli.py import" not in " ".join(c.value for c in at.caption)
