"""Data quality: bad rows counted per reason and unit, on every backend, and ``cli.py check``."""

from __future__ import annotations

from pathlib import Path

import pytest

import cli
from data_access.quality import excluded_total, quality_counts, table_total
from tests.builders import T, build, dossier
from tests.test_counters import BAD_ROWS, ROWS

NOW = T(2026, 11, 23, 10)
FUTURE = dossier("fut", "201", T(2026, 11, 20, 9), T(2026, 11, 25, 17), finished_at=T(2027, 1, 1, 9))


def test_quality_counts_per_reason_and_unit(any_url: str) -> None:
    engine = build(any_url, ROWS + BAD_ROWS + [FUTURE])
    try:
        counts = quality_counts(engine, NOW)
        got = {(r.reason, r.unit_code): r.rows for r in counts.itertuples()}
        # One row per fault in BAD_ROWS (tests/test_counters.py), each with its stored unit code.
        assert got == {
            ("due_before_received", "101"): 1,
            ("finished_before_received", "101"): 1,
            ("unknown_status", "201"): 1,
            ("absurd_supplements", "201"): 1,
            ("negative_supplements", "102"): 1,
            ("unknown_unit", "999"): 1,
            ("unknown_procedure", "101"): 1,
            ("future_date", "201"): 1,
        }
        # Seven rows are excluded from the figures; the future-dated one is only noted.
        assert excluded_total(engine) == 7
        assert table_total(engine) == len(ROWS) + len(BAD_ROWS) + 1
    finally:
        engine.dispose()


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = f"sqlite:///{tmp_path / 'clean.sqlite'}"
    dirty = f"sqlite:///{tmp_path / 'dirty.sqlite'}"
    build(clean, ROWS).dispose()
    build(dirty, ROWS + BAD_ROWS).dispose()
    assert cli.main(["check", "--database", clean]) == 0
    assert "checked 11 dossiers: 0 problem(s), all checks pass" in capsys.readouterr().out
    assert cli.main(["check", "--database", dirty]) == 1
    out = capsys.readouterr().out
    assert "unknown_unit\t999\t1\texcluded\tUnknown unit code" in out
    assert "checked 18 dossiers: 7 problem(s)" in out
    assert cli.main(["check", "--database", f"sqlite:///{tmp_path / 'none.sqlite'}"]) == 2
    assert "cannot read the database" in capsys.readouterr().err


def _quality_page() -> None:
    from app_pages import quality

    quality.render()


def test_quality_screen_and_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    url = f"sqlite:///{tmp_path / 'dirty.sqlite'}"
    build(url, ROWS + BAD_ROWS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    at = AppTest.from_function(_quality_page, default_timeout=60).run()
    assert not at.exception
    assert at.metric[0].value == "7"
    table = at.dataframe[0].value
    assert len(table) == 7
    row = table[table["Lỗi"] == "Mã đơn vị không có trong danh mục"].iloc[0]
    assert (row["Đơn vị"], row["Số hồ sơ"], row["Bị loại"]) == ("Mã 999 (không có trong danh mục)", "1", "có")
    # A known unit is named, not shown by its code.
    assert not table["Đơn vị"].isin(["101", "102", "201", "100", "200", "70"]).any()
    assert table["Đơn vị"].str.startswith(("Xã ", "Huyện ", "Tỉnh ", "Mã ", "—")).all()
    # Every screen carries the note (here: the overview through the router).
    root = Path(__file__).resolve().parent.parent
    app = AppTest.from_file(str(root / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert any("7 hồ sơ bị loại do lỗi dữ liệu" in c.value for c in app.caption)


def _plan_lines(engine, stmt, params: dict) -> list[str]:
    """SQLite's query plan of ``stmt``, one detail string per step."""
    with engine.connect() as conn:
        compiled = stmt.compile(conn)
        bound = compiled.construct_params(params)
        args = [
            bound[k].isoformat(" ") if hasattr(bound[k], "isoformat") else bound[k]
            for k in compiled.positiontup
        ]
        cursor = conn.connection.dbapi_connection.cursor()
        cursor.execute("EXPLAIN QUERY PLAN " + str(compiled), args)
        return [row[3] for row in cursor.fetchall()]


def test_the_check_reads_indexes_never_the_whole_table(tmp_path: Path) -> None:
    """Each reason, and the excluded total, is found through an index (the note under every
    screen runs the check each hour: whole-table scans took 125 s at 10 M on SQLite)."""
    from data_access.quality import REASONS, excluded_statement, reason_statement

    engine = build(f"sqlite:///{tmp_path / 'db.sqlite'}", ROWS + BAD_ROWS + [FUTURE])
    try:
        plans = {r: _plan_lines(engine, reason_statement(r), {"now": NOW, "limit": 500}) for r in REASONS}
        plans["excluded"] = _plan_lines(engine, excluded_statement(), {})
    finally:
        engine.dispose()
    for name, lines in plans.items():
        on_table = [line for line in lines if line.startswith(("SCAN dossiers", "SEARCH dossiers"))]
        assert on_table, (name, lines)
        # A SEARCH reads a range of an index; a SCAN reads all of the table or of an index,
        # which only the partial index of suspect rows (a few entries) may cost.
        scans = [line for line in on_table if line.startswith("SCAN")]
        assert all(line == "SCAN dossiers USING INDEX ix_dossiers_suspect" for line in scans), (name, lines)
    assert plans["due_before_received"][0] == "SCAN dossiers USING INDEX ix_dossiers_suspect"
    assert any("ix_dossiers_procedure_key (<expr>>?)" in line for line in plans["unknown_procedure"])
    assert any("ix_dossiers_unit_received (unit_code>?)" in line for line in plans["unknown_unit"])


def test_counts_stay_exact_on_a_database_without_the_new_indexes(any_url: str) -> None:
    """A database built before these indexes (until its next import or ``cli.py refresh``) is
    read the slow way, with the same counts."""
    from sqlalchemy import text

    engine = build(any_url, ROWS + BAD_ROWS + [FUTURE])
    try:
        if engine.dialect.name != "duckdb":  # DuckDB never has them
            with engine.begin() as conn:
                for name in ("ix_dossiers_suspect", "ix_dossiers_procedure_key", "ix_dossiers_unit_received"):
                    conn.execute(text(f"DROP INDEX {name}"))
        counts = quality_counts(engine, NOW)
        assert counts["rows"].sum() == 8
        assert dict(zip(counts["reason"], counts["unit_code"], strict=True))["unknown_unit"] == "999"
        assert excluded_total(engine) == 7
    finally:
        engine.dispose()


def test_each_check_of_the_validity_rule_is_one_reason() -> None:
    """The reasons of a row's own values are the checks of counter_spec's validity rule, by name,
    and each counts the rows its check proves false: the opposite comparison, NOT IN, and for
    "NULL or after receipt" the comparison alone (a NULL column fails nothing)."""
    from sqlalchemy.dialects import sqlite

    from data_access import quality
    from data_access.counter_spec import SPEC
    from data_access.counters import failing

    own = set(quality.EXCLUDING) - {"unknown_unit", "unknown_procedure"}
    assert set(SPEC.checks) == own
    sql = {r: str(failing(c).compile(dialect=sqlite.dialect())) for r, c in SPEC.checks.items()}
    assert sql["due_before_received"] == "dossiers.due_at < dossiers.received_at"
    assert sql["finished_before_received"] == "dossiers.finished_at < dossiers.received_at"
    assert sql["supplement_before_received"] == "dossiers.supplement_requested_at < dossiers.received_at"
    assert sql["negative_supplements"] == "dossiers.supplement_requests < ?"
    assert sql["absurd_supplements"] == "dossiers.supplement_requests > ?"
    assert sql["unknown_status"].startswith("(dossiers.status NOT IN (")
