"""Every setting of the dashboard, declared once, with its default and a short help line.

A setting is read from the environment variable named here, else from ``.streamlit/secrets.toml``
(key in lower case, e.g. ``database_url = "postgresql+psycopg://..."``), else the default.
README.md ("Configuration at a glance") lists the same table; a test keeps the two in step.

Every number has bounds: a value that is not a whole number gives the default, one out of its
bounds the nearest bound (``IOC_REFRESH_SECONDS=-5`` kept a server at 93 % CPU, ``0`` never
refreshed). :func:`problems` says which values were replaced and by what; the dashboard logs
them at start and shows them once on screen.
"""

from __future__ import annotations

import datetime as dt
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
    #: Bounds of a number (inclusive); None = unbounded on that side.
    low: int | None = None
    high: int | None = None
    #: 0 is allowed besides [low, high] (it means "never" or "hold").
    zero_ok: bool = False
    #: The values a text setting may take (lower case); empty = any.
    choices: tuple[str, ...] = ()


SETTINGS: dict[str, Setting] = {
    s.env: s
    for s in (
        Setting(
            "IOC_DATABASE_URL",
            "",
            "SQLAlchemy URL of the dossier database; empty = the embedded sample "
            "(data/ioc_sample.sqlite, built on first start)",
        ),
        Setting(
            "IOC_REFRESH_SECONDS", "30", "How often live figures refresh on screen (5–3600)", int, 5, 3600
        ),
        Setting(
            "IOC_STALE_AFTER_SECONDS",
            "120",
            "After this long without an answer from the database the screen shows a stale warning "
            "(at least IOC_REFRESH_SECONDS, at most a day)",
            int,
            5,
            86400,
        ),
        Setting(
            "IOC_RETRY_MIN_SECONDS",
            "5",
            "After a failed query, wait this long before the first retry (doubling to 60 s; 1–60)",
            int,
            1,
            60,
        ),
        Setting(
            "IOC_ROTATE_SECONDS",
            "30",
            "Kiosk: seconds each screen stays on the wall (5–3600; 0 = hold one screen)",
            int,
            5,
            3600,
            zero_ok=True,
        ),
        Setting(
            "IOC_RELOAD_MINUTES",
            "60",
            "Kiosk: full browser reload every N minutes (keeps browser memory flat over days; "
            "1–10080, 0 = never)",
            int,
            1,
            10080,
            zero_ok=True,
        ),
        Setting(
            "IOC_MALLOC_TRIM_SECONDS",
            "60",
            "Server: hand freed heap memory back to the system every N seconds (glibc malloc_trim; "
            "keeps a wall server's memory flat over days); 5–86400, 0 = never",
            int,
            5,
            86400,
            zero_ok=True,
        ),
        Setting(
            "IOC_MEMORY_LOG_MINUTES",
            "10",
            "Server: log one line on where its memory is (C heap in use and kept free, SQLite page "
            "caches, Python, threads) "
            "every N minutes (logger ioc.memory); 1–10080, 0 = never",
            int,
            1,
            10080,
            zero_ok=True,
        ),
        Setting(
            "IOC_POOL_SIZE",
            "10",
            "Server: database connections kept open (each SQLite reader keeps a 4 MB page cache; 1–50)",
            int,
            1,
            50,
        ),
        Setting(
            "IOC_MIN_DOSSIERS",
            "20",
            "Units with fewer dossiers than this in the period are flagged, not ranked (1–100000)",
            int,
            1,
            100_000,
        ),
        Setting(
            "IOC_MIN_CELL",
            "5",
            "Exports suppress any unit-level cell with fewer dossiers than this (1–1000)",
            int,
            1,
            1000,
        ),
        Setting(
            "IOC_DUE_SOON_DAYS",
            "2",
            "Due soon: open dossiers due by the end of the N-th working day counted from today "
            "(today is the first when it is a working day; 1–10)",
            int,
            1,
            10,
        ),
        Setting(
            "IOC_SCORE_RULES",
            "portal-2026",
            "Rules of the estimated 766 score: portal-2026 (the national portal's 2026 formulas) or "
            "decision-766-2022 (the earlier estimate)",
            choices=("portal-2026", "decision-766-2022"),
        ),
        Setting("IOC_LANGUAGE", "vi", "Default interface language: vi or en", choices=("vi", "en")),
        Setting(
            "IOC_GEOJSON_PATH",
            "",
            "GeoJSON file of unit boundaries for the map (features matched on the property code); "
            "empty = schematic cells around the unit seats",
        ),
        Setting(
            "IOC_CALENDAR_FILE",
            "",
            "CSV of the deployment's own days off and worked days (date,kind,name,source), over the "
            "repository's calendar (timebase/calendar_vn.csv) in every working-day figure; empty = none",
        ),
        Setting(
            "IOC_NOW",
            "",
            "Freeze the dashboard's clock at this ISO local time (demos, tests, replaying a day); "
            "empty = the real time in Asia/Ho_Chi_Minh",
        ),
        Setting(
            "IOC_ALERT_RULES",
            "",
            "CSV of the alert rules cli.py watch evaluates (name,metric,level,threshold,direction,"
            "channels,label; docs/command-line.md); empty = no alerts",
        ),
        Setting(
            "IOC_SMTP_HOST",
            "",
            "Mail server for cli.py briefing --mail (docs/reports.md) and the alert e-mails; empty = no mail",
        ),
        Setting(
            "IOC_SMTP_PORT", "587", "Mail server port (1–65535; 587 submission, 25 relay)", int, 1, 65535
        ),
        Setting(
            "IOC_SMTP_STARTTLS",
            "true",
            "Encrypt the mail connection with STARTTLS before logging in",
            choices=("true", "false", "1", "0", "yes", "no", "on", "off"),
        ),
        Setting("IOC_SMTP_USER", "", "Mail server login; empty = send without logging in"),
        Setting(
            "IOC_SMTP_PASSWORD",
            "",
            "Mail server password: keep it in .streamlit/secrets.toml (smtp_password), never in a unit file",
        ),
        Setting("IOC_MAIL_FROM", "", "Sender address of the briefing mail and the alert e-mails"),
        Setting("IOC_MAIL_TO", "", "Recipients of the briefing mail, separated by commas"),
        Setting(
            "IOC_AUTH_REQUIRED",
            "false",
            "Sign-in (st.login, OIDC in secrets [auth]) required on the ranking and my-unit screens; "
            "users see drill-down lists only for the unit secrets [access] maps their email to",
            choices=("true", "false", "1", "0", "yes", "no", "on", "off"),
        ),
    )
}


def _secrets() -> dict[str, object]:
    try:
        with SECRETS_FILE.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _raw(env: str) -> object:
    """The value as given (environment, then secrets.toml), or None when it is not set."""
    raw: object = os.environ.get(env)
    if raw is None:
        raw = _secrets().get(env.removeprefix("IOC_").lower())
    return None if raw is None or (isinstance(raw, str) and raw.strip() == "") else raw


@dataclass(frozen=True)
class Problem:
    """A setting whose value was not usable: what was given, why not, and what is used instead."""

    env: str
    given: str
    reason: str  # "not_a_number", "too_low", "too_high", "not_a_choice", "not_a_time", "not_a_calendar"
    used: str
    #: What exactly is wrong, when the reason alone does not say (a calendar file's line).
    detail: str = ""

    def message(self) -> str:
        """One line for the log (the screen says it in the user's language: ``ui.chrome``)."""
        why = {
            "not_a_number": "is not a whole number",
            "too_low": "is below the minimum",
            "too_high": "is above the maximum",
            "not_a_choice": "is not one of the allowed values",
            "not_a_time": "is not an ISO date and time",
            "not_a_calendar": "is not a usable calendar file and is left out",
        }[self.reason]
        detail = f" ({self.detail})" if self.detail else ""
        return f"setting {self.env}={self.given!r} {why}: using {self.used}{detail}"


def _bounds(env: str) -> tuple[int | None, int | None]:
    setting = SETTINGS[env]
    if env == "IOC_STALE_AFTER_SECONDS":  # stale only after at least one missed refresh
        return max(setting.low or 0, int(get("IOC_REFRESH_SECONDS"))), setting.high
    return setting.low, setting.high


def _clamp(value: int, low: int | None, high: int | None) -> int:
    return min(max(value, low if low is not None else value), high if high is not None else value)


def _checked(env: str) -> tuple[str | int, Problem | None]:
    """The value to use for ``env`` and, when the given value was replaced, the problem."""
    setting = SETTINGS[env]
    raw = _raw(env)
    if raw is None:
        if setting.kind is int:  # the default, within bounds that follow other settings
            low, high = _bounds(env)
            return _clamp(int(setting.default), low, high), None
        return setting.default, None
    given = str(raw).strip()
    if setting.kind is int:
        return _checked_number(env, given)
    if setting.choices and given.lower() not in setting.choices:
        return setting.default, Problem(env, given, "not_a_choice", repr(setting.default))
    if env == "IOC_NOW":
        try:
            dt.datetime.fromisoformat(given)
        except ValueError:
            return "", Problem(env, given, "not_a_time", "the real time")
    if env == "IOC_CALENDAR_FILE":
        return _checked_calendar(env, given)
    return (given.lower() if setting.choices else str(raw)), None


def _checked_calendar(env: str, given: str) -> tuple[str, Problem | None]:
    """A deployment calendar that cannot be read is left out, and said so: the repository's
    calendar alone still counts the national days off and swaps.
    """
    from timebase.calendar import CalendarFileError, read_calendar_file  # light: csv only

    try:
        read_calendar_file(given)
    except CalendarFileError as exc:
        return "", Problem(env, given, "not_a_calendar", "timebase/calendar_vn.csv", str(exc))
    return given, None


def _checked_number(env: str, given: str) -> tuple[int, Problem | None]:
    try:
        value = int(given)
    except ValueError:
        default = _clamp(int(SETTINGS[env].default), *_bounds(env))
        return default, Problem(env, given, "not_a_number", str(default))
    if value == 0 and SETTINGS[env].zero_ok:
        return 0, None
    low, high = _bounds(env)
    if low is not None and value < low:
        return low, Problem(env, given, "too_low", str(low))
    if high is not None and value > high:
        return high, Problem(env, given, "too_high", str(high))
    return value, None


def get(env: str) -> str | int:
    """The value of setting ``env``: environment, then secrets.toml, then the default; a number
    out of its bounds is the nearest bound, a value that cannot be read is the default.
    """
    return _checked(env)[0]


def problems() -> list[Problem]:
    """Every setting whose given value was replaced (by its default or its nearest bound)."""
    return [problem for env in SETTINGS if (problem := _checked(env)[1]) is not None]


def database_url() -> str:
    """The configured database URL, or the embedded sample's."""
    url = str(get("IOC_DATABASE_URL"))
    return url or f"sqlite:///{SAMPLE_DATABASE}"


def uses_embedded_sample() -> bool:
    """True when no database is configured and the embedded sample file is used."""
    return not str(get("IOC_DATABASE_URL"))
