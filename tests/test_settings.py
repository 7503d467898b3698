"""Settings: read from the environment, then secrets.toml, then the default; all documented."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme() -> None:
    for env, setting in settings.SETTINGS.items():
        assert f"`{env}`" in README, env
        assert setting.help


def test_environment_wins_and_bad_numbers_fall_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('refresh_seconds = 45\ndatabase_url = "sqlite:////srv/x.sqlite"\n')
    monkeypatch.setattr(settings, "SECRETS_FILE", secrets)
    monkeypatch.delenv("IOC_REFRESH_SECONDS", raising=False)
    monkeypatch.delenv("IOC_DATABASE_URL", raising=False)
    assert settings.get("IOC_REFRESH_SECONDS") == 45
    assert settings.database_url() == "sqlite:////srv/x.sqlite"
    assert not settings.uses_embedded_sample()
    monkeypatch.setenv("IOC_REFRESH_SECONDS", "10")
    assert settings.get("IOC_REFRESH_SECONDS") == 10
    monkeypatch.setenv("IOC_REFRESH_SECONDS", "ten")
    assert settings.get("IOC_REFRESH_SECONDS") == 30  # a bad value falls back to the default


def test_default_is_the_embedded_sample(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "absent.toml")
    monkeypatch.delenv("IOC_DATABASE_URL", raising=False)
    assert settings.uses_embedded_sample()
    assert settings.database_url() == f"sqlite:///{settings.SAMPLE_DATABASE}"


@pytest.fixture
def no_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "absent.toml")
    for env in settings.SETTINGS:
        monkeypatch.delenv(env, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("env", "given", "used", "reason"),
    [
        ("IOC_REFRESH_SECONDS", "-5", 5, "too_low"),  # was a busy loop at 93 % CPU
        ("IOC_REFRESH_SECONDS", "0", 5, "too_low"),  # was never refreshing
        ("IOC_REFRESH_SECONDS", "abc", 30, "not_a_number"),  # was a silent fallback
        ("IOC_REFRESH_SECONDS", "99999", 3600, "too_high"),
        ("IOC_ROTATE_SECONDS", "2", 5, "too_low"),
        ("IOC_RETRY_MIN_SECONDS", "0", 1, "too_low"),
        ("IOC_POOL_SIZE", "0", 1, "too_low"),
        ("IOC_POOL_SIZE", "500", 50, "too_high"),
        ("IOC_MIN_DOSSIERS", "0", 1, "too_low"),
        ("IOC_MIN_CELL", "-1", 1, "too_low"),
        ("IOC_RELOAD_MINUTES", "-1", 1, "too_low"),
        ("IOC_MALLOC_TRIM_SECONDS", "1", 5, "too_low"),
        ("IOC_LANGUAGE", "fr", "vi", "not_a_choice"),
        ("IOC_NOW", "yesterday", "", "not_a_time"),
        ("IOC_CALENDAR_FILE", "/nonexistent/lich.csv", "", "not_a_calendar"),  # left out, said so
    ],
)
def test_bad_values_get_their_bound_or_default_and_one_message(
    no_secrets: pytest.MonkeyPatch, env: str, given: str, used: object, reason: str
) -> None:
    no_secrets.setenv(env, given)
    assert settings.get(env) == used
    [problem] = settings.problems()
    assert (problem.env, problem.given, problem.reason) == (env, given, reason)
    assert env in problem.message() and repr(given) in problem.message()


def test_good_values_and_zero_where_it_means_never_are_no_problem(no_secrets: pytest.MonkeyPatch) -> None:
    for env, value in {
        "IOC_REFRESH_SECONDS": "5",
        "IOC_ROTATE_SECONDS": "0",  # hold one screen
        "IOC_RELOAD_MINUTES": "0",  # never reload
        "IOC_MALLOC_TRIM_SECONDS": "0",
        "IOC_MEMORY_LOG_MINUTES": "0",
        "IOC_POOL_SIZE": "50",
        "IOC_LANGUAGE": "en",
        "IOC_NOW": "2026-11-23T10:00:00",
        "IOC_AUTH_REQUIRED": "true",
        "IOC_CALENDAR_FILE": str(Path(settings.PROJECT_ROOT) / "timebase" / "calendar_vn.csv"),
    }.items():
        no_secrets.setenv(env, value)
    assert settings.problems() == []
    assert settings.get("IOC_ROTATE_SECONDS") == 0 and settings.get("IOC_POOL_SIZE") == 50


def test_stale_after_is_at_least_the_refresh_interval(no_secrets: pytest.MonkeyPatch) -> None:
    no_secrets.setenv("IOC_REFRESH_SECONDS", "300")
    assert settings.get("IOC_STALE_AFTER_SECONDS") == 300  # the default 120 follows the bound
    assert settings.problems() == []
    no_secrets.setenv("IOC_STALE_AFTER_SECONDS", "60")
    assert settings.get("IOC_STALE_AFTER_SECONDS") == 300
    assert [p.reason for p in settings.problems()] == ["too_low"]


def test_a_bad_setting_is_logged_once_and_shown_once_in_vietnamese(
    no_secrets: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.builders import build
    from tests.test_app_overview import ROWS

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    build(url, ROWS).dispose()
    no_secrets.setenv("IOC_DATABASE_URL", url)
    no_secrets.setenv("IOC_NOW", "2026-11-23T10:00:00")
    no_secrets.setenv("IOC_REFRESH_SECONDS", "-5")
    from ui import chrome

    chrome._settings_logged.clear()  # as at a server's start
    logged: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: logged.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("ioc.settings").addHandler(handler)
    try:
        at = AppTest.from_file(str(Path(settings.PROJECT_ROOT) / "app.py"), default_timeout=60).run()
        assert not at.exception
        warnings = [w.value for w in at.warning if "IOC_REFRESH_SECONDS" in w.value]
        assert len(warnings) == 1
        assert "Cấu hình có giá trị không hợp lệ" in warnings[0]
        assert "`-5`: nhỏ hơn mức tối thiểu, đang dùng `5`" in warnings[0]
        at.run()  # once a session
        assert not [w for w in at.warning if "IOC_REFRESH_SECONDS" in w.value]
        assert at.metric  # the screen itself still draws
    finally:
        logging.getLogger("ioc.settings").removeHandler(handler)
    assert logged == ["setting IOC_REFRESH_SECONDS='-5' is below the minimum: using 5"]
