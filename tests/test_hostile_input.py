"""Hostile input: SQL fragments, huge strings, unicode tricks and out-of-range dates in every URL
parameter of every screen and in the command line. Each gets a clear message (a warning and the
default on screen, a one-line error and a non-zero exit in the CLI), never a traceback, and the
database is unchanged byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import pkgutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import app_pages
import cli
from tests.builders import build
from tests.test_app_overview import ROWS

NOW = dt.datetime(2026, 11, 23, 10, 0)
HOSTILE = (
    "'; DROP TABLE dossiers; --",
    "1 OR 1=1",
    "x" * 100_000,
    "\u202e\u0000<script>alert(1)</script>",
    "Đồng\u0301 Xoài\u200b",
    "2026-02-30",
    "9999-12",
    "1800..2200-01-01",
    "../../etc/passwd",
    "-1",
)
#: Every parameter some screen reads from the URL.
PARAMS = (
    "period",
    "level",
    "unit",
    "metric",
    "field",
    "month",
    "months",
    "view",
    "chart",
    "lang",
    "rotate",
    "screens",
    "kiosk",
)


def _screens() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(app_pages.__path__) if not m.name.startswith("_"))


def _run_screen(module: str) -> None:
    import importlib

    importlib.import_module(f"app_pages.{module}").render()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "ioc.sqlite"
    build(f"sqlite:///{path}", ROWS, sample=True).dispose()
    return path


@pytest.fixture
def env(database: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IOC_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("IOC_NOW", NOW.isoformat())
    return database


@pytest.mark.parametrize("value", HOSTILE[:5])
@pytest.mark.parametrize("module", _screens())
def test_every_screen_survives_hostile_parameters(env: Path, module: str, value: str) -> None:
    before = _digest(env)
    at = AppTest.from_function(_run_screen, args=(module,), default_timeout=120)
    # Streamlit itself drops a query string over 512 KiB, so the huge value goes in one parameter.
    for name in PARAMS if len(value) < 10_000 else ("period", "unit"):
        at.query_params[name] = value
    at.run()
    assert not at.exception, (module, at.exception)
    # Whatever the page shows of the bad value is escaped text in a warning, not markup.
    shown = " ".join(w.value for w in at.warning)
    assert "<script>" not in " ".join(m.value for m in at.markdown)
    if module not in ("quality", "overview"):  # these read no parameter of their own
        assert at.warning, (module, "no message for a hostile parameter")
        assert len(shown) < 5_000, "a huge parameter was echoed back whole"
    assert _digest(env) == before


@pytest.mark.parametrize("value", HOSTILE[:5])
def test_kiosk_parameters_through_the_router(env: Path, value: str) -> None:
    before = _digest(env)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120)
    at.query_params["kiosk"] = "1"
    at.query_params["rotate"] = value
    at.query_params["screens"] = value[:1000]
    at.query_params["lang"] = value[:1000]
    at.run()
    assert not at.exception
    assert at.warning, "no message for hostile kiosk parameters"
    assert "Tổng quan" in " ".join(t.value for t in at.title)  # Vietnamese, the default language
    assert _digest(env) == before


@pytest.mark.parametrize("value", HOSTILE)
def test_period_parameter_gets_a_clear_warning(env: Path, value: str) -> None:
    at = AppTest.from_function(_run_screen, args=("ranking",), default_timeout=120)
    at.query_params["period"] = value
    at.run()
    assert not at.exception
    assert any("period" in w.value for w in at.warning), [w.value for w in at.warning]


@pytest.mark.parametrize(
    "args",
    [
        [
            "report",
            "--level",
            "district'; DROP TABLE units; --",
            "--start",
            "2026-10-01",
            "--end",
            "2026-10-31",
        ],
        ["report", "--level", "district", "--start", "0001-01-01", "--end", "9999-12-31"],
        [
            "report",
            "--level",
            "district",
            "--start",
            "2026-10-01",
            "--end",
            "2026-10-31",
            "--as-of",
            "x" * 10_000,
        ],
        [
            "export",
            "--chart",
            "ranking",
            "--level",
            "district",
            "--period",
            "2026-10' OR '1'='1",
            "--format",
            "csv",
        ],
        [
            "export",
            "--chart",
            "trend",
            "--metric",
            "on_time_rate; DELETE FROM dossiers",
            "--period",
            "2026-10",
            "--format",
            "csv",
        ],
        [
            "export",
            "--chart",
            "ranking",
            "--level",
            "\u202edistrict",
            "--period",
            "2026-10",
            "--format",
            "csv",
        ],
    ],
)
def test_cli_rejects_hostile_arguments(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    before = _digest(env)
    full = [*args, "--database", f"sqlite:///{env}"]
    if args[0] == "export":
        full += ["--out", str(tmp_path / "out")]
    code = cli.main(full)
    out, err = capsys.readouterr()
    assert code == 2, (args, out, err)
    assert err.strip() and "Traceback" not in err
    assert len(err) < 2_000
    assert _digest(env) == before
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
