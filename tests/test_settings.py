"""Settings: read from the environment, then secrets.toml, then the default; all documented."""

from __future__ import annotations

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
