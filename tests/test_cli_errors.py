"""The command line never prints a traceback or a password: a database URL whose password holds
an unescaped ``@ : /`` (SQLAlchemy cannot parse it) or any error a command did not handle is one
line on standard error, the password hidden, and exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import cli

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cr@t:x/y"
BAD_URL = f"postgresql+psycopg://ioc:{SECRET}@127.0.0.1:5432/tthc"
REPORT = ["--start", "2026-10-01", "--end", "2026-10-31"]


@pytest.mark.parametrize(
    "command",
    [
        ["check", "--database", BAD_URL],
        ["report", "--database", BAD_URL, *REPORT],
        ["import", str(ROOT / "tests"), "--database", BAD_URL],
        ["refresh", "--database", BAD_URL],
        ["simulate", "--database", BAD_URL, "--minutes", "0.01"],
        ["export", "--chart", "headline", "--period", "2026-10", "--database", BAD_URL, "--out", "/tmp"],
        ["sample", "--database", BAD_URL],
    ],
)
def test_an_unparsable_url_is_one_line_without_its_password(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "cli.py", *command], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    out = done.stdout + done.stderr
    assert done.returncode == 2, out
    assert "Traceback" not in out
    assert "s3cr" not in out and "x/y" not in out
    assert "error: the database URL postgresql+psycopg://ioc:***@127.0.0.1:5432/tthc cannot be read" in out
    assert "%40 %3A %2F" in out  # how to write it


def test_the_configured_url_is_checked_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IOC_DATABASE_URL", BAD_URL)
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert "s3cr" not in err and "ioc:***@" in err


def test_an_unhandled_error_is_one_line_with_the_password_hidden(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql+psycopg://ioc:p%40ssw0rd@127.0.0.1:1/tthc"

    def boom(url: str, *args: object) -> str:
        raise RuntimeError(f"cannot open {url} with password p@ssw0rd\nsecond line")

    monkeypatch.setattr("report.run_report", boom)
    assert cli.main(["report", "--database", url, *REPORT]) == 2
    err = capsys.readouterr().err
    assert err == "error: cannot open postgresql+psycopg://ioc:***@127.0.0.1:1/tthc with password ***\n"


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("postgresql://u:secret@h/db", "postgresql://u:***@h/db"),
        (
            f"'{BAD_URL}' is not a database URL",
            "'postgresql+psycopg://ioc:***@127.0.0.1:5432/tthc' is not a database URL",
        ),
        ("mysql+pymysql://:pw@host", "mysql+pymysql://:***@host"),
        (
            "postgresql://user@host:5432/db and sqlite:////srv/a.sqlite",
            "postgresql://user@host:5432/db and sqlite:////srv/a.sqlite",
        ),
    ],
)
def test_passwords_are_hidden_in_urls(text: str, hidden: str) -> None:
    assert cli.hide_passwords(text) == hidden
