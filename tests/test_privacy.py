"""No personal data: the schema has no column that identifies a person, and no query the screens
run selects one, nor a dossier's own code (screens show aggregates only).

Every screen module is run with AppTest on a seeded database while a listener records each SQL
statement sent; the selected columns of each statement are then checked.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

import app_pages
from data_access.schema import metadata
from tests.builders import build
from tests.test_app_overview import ROWS

PERSONAL = re.compile(
    r"(citizen|applicant|owner|person)_?(name|phone|address|id|email)|cccd|cmnd|so_dien_thoai|"
    r"phone|email|birth|id_number|national_id|address",
    re.IGNORECASE,
)
NOW = dt.datetime(2026, 11, 23, 10, 0)


def test_schema_has_no_personal_column() -> None:
    columns = [f"{t.name}.{c.name}" for t in metadata.tables.values() for c in t.columns]
    assert columns, "the schema is empty?"
    assert [c for c in columns if PERSONAL.search(c)] == []


def _screens() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(app_pages.__path__) if not m.name.startswith("_"))


def _run_screen(module: str) -> None:
    import importlib as il

    il.import_module(f"app_pages.{module}").render()


def _select_list(sql: str) -> str:
    """The text between the outermost SELECT and its FROM, for every SELECT in the statement."""
    parts = re.findall(r"select\s(.*?)\sfrom\s", sql, flags=re.IGNORECASE | re.DOTALL)
    return " | ".join(parts)


@pytest.fixture
def statements(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    url = f"sqlite:///{tmp_path / 'privacy.sqlite'}"
    build(url, ROWS, sample=True).dispose()
    monkeypatch.setenv("IOC_DATABASE_URL", url)
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def test_screens_select_no_personal_data_and_no_dossier_code(statements: list[str]) -> None:
    screens = _screens()
    assert "overview" in screens and len(screens) >= 2
    for module in screens:
        importlib.import_module(f"app_pages.{module}")
        at = AppTest.from_function(_run_screen, args=(module,), default_timeout=60).run()
        assert not at.exception, (module, at.exception)
    selects = [s for s in statements if s.lstrip().lower().startswith(("select", "with"))]
    assert len(selects) >= 5, "the screens ran no query?"
    for sql in selects:
        selected = _select_list(sql)
        assert not PERSONAL.search(selected), sql
        # A dossier's own code may be counted or grouped (duplicates check) but never selected.
        bare = re.sub(r"count\([^)]*\)", "", selected, flags=re.IGNORECASE)
        assert "dossier_code" not in bare or "having" in sql.lower(), sql
