"""Every setting of the dashboard, declared once, with its default and a short help line.

A setting is read from the environment variable named here, else from ``.streamlit/secrets.toml``
(key in lower case, e.g. ``database_url = "postgresql+psycopg://..."``), else the default.
README.md ("Configuration") lists the same table; a test keeps the two in step.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"
SAMPLE_DATABASE = PROJECT_ROOT / "data" / "ioc_sample.sqlite"


@dataclass(frozen=True)
class Setting:
    """One configurable value: its environment name, default and meaning."""

    env: str
    default: str
    help: str
    kind: type = str


SETTINGS: dict[str, Setting] = {
    s.env: s
    for s in (
        Setting(
            "IOC_DATABASE_URL",
            "",
            "SQLAlchemy URL of the dossier database; empty = the embedded sample "
            "(data/ioc_sample.sqlite, built on first start)",
        ),
        Setting("IOC_REFRESH_SECONDS", "30", "How often live figures refresh on screen", int),
        Setting(
            "IOC_STALE_AFTER_SECONDS",
            "120",
            "After this long without an answer from the database the screen shows a stale warning",
            int,
        ),
        Setting(
            "IOC_RETRY_MIN_SECONDS",
            "5",
            "After a failed query, wait this long before the first retry (doubling to 60 s)",
            int,
        ),
        Setting("IOC_ROTATE_SECONDS", "30", "Kiosk: seconds each screen stays on the wall", int),
        Setting(
            "IOC_RELOAD_MINUTES",
            "60",
            "Kiosk: full browser reload every N minutes (keeps browser memory flat over days)",
            int,
        ),
        Setting(
            "IOC_MALLOC_TRIM_SECONDS",
            "60",
            "Server: hand freed heap memory back to the system every N seconds (glibc malloc_trim; "
            "keeps a wall server's memory flat over days); 0 = never",
            int,
        ),
        Setting(
            "IOC_MEMORY_LOG_MINUTES",
            "10",
            "Server: log one line on where its memory is (C heap in use and kept free, SQLite page "
            "caches, Python, threads) "
            "every N minutes (logger ioc.memory); 0 = never",
            int,
        ),
        Setting(
            "IOC_POOL_SIZE",
            "10",
            "Server: database connections kept open (each SQLite reader keeps a 4 MB page cache)",
            int,
        ),
        Setting(
            "IOC_MIN_DOSSIERS",
            "20",
            "Units with fewer dossiers than this in the period are flagged, not ranked",
            int,
        ),
        Setting(
            "IOC_MIN_CELL",
            "5",
            "Exports suppress any unit-level cell with fewer dossiers than this",
            int,
        ),
        Setting("IOC_LANGUAGE", "vi", "Default interface language: vi or en"),
        Setting(
            "IOC_GEOJSON_PATH",
            "",
            "GeoJSON file of unit boundaries for the map (features matched on the property code); "
            "empty = schematic cells around the unit seats",
        ),
        Setting(
            "IOC_NOW",
            "",
            "Freeze the dashboard's clock at this ISO local time (demos, tests, replaying a day); "
            "empty = the real time in Asia/Ho_Chi_Minh",
        ),
        Setting(
            "IOC_AUTH_REQUIRED",
            "false",
            "Sign-in (st.login, OIDC in secrets [auth]) required on the ranking and my-unit screens; "
            "users see drill-down lists only for the unit secrets [access] maps their email to",
        ),
    )
}


def _secrets() -> dict[str, object]:
    try:
        with SECRETS_FILE.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def get(env: str) -> str | int:
    """The value of setting ``env``: environment, then secrets.toml, then the default."""
    setting = SETTINGS[env]
    raw = os.environ.get(env)
    if raw is None:
        raw = _secrets().get(env.removeprefix("IOC_").lower())
    if raw is None or raw == "":
        raw = setting.default
    if setting.kind is int:
        try:
            return int(raw)
        except (TypeError, ValueError):
            return int(setting.default)
    return str(raw)


def database_url() -> str:
    """The configured database URL, or the embedded sample's."""
    url = str(get("IOC_DATABASE_URL"))
    return url or f"sqlite:///{SAMPLE_DATABASE}"


def uses_embedded_sample() -> bool:
    """True when no database is configured and the embedded sample file is used."""
    return not str(get("IOC_DATABASE_URL"))
