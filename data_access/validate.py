"""The checks of an exchange-format folder, made in memory before anything is written.

Each file arrives as a frame of stripped strings with the physical line of every row (``_line``).
Every rule is vectorised with pandas and reports each row it fails as a :class:`Rejection`;
rows are checked against each other, across the files, and against the codes the target
database already holds (:class:`Reference`), so a dossier may name a unit loaded earlier.
A code that appears in a file counts as known even when its own row is rejected: that row's
rejection says what is wrong, and its dependants are not rejected a second time for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access import import_rules as rules
from data_access import supplements
from data_access.import_rules import Move
from data_access.portal_records import LOG_COLUMN
from data_access.row_digest import StoredDigests, row_digests, stable_hashes
from data_access.schema import (
    CHANNELS,
    FINISHED_STATUSES,
    LEVELS,
    MAX_SUPPLEMENTS,
    ONLINE_LEVELS,
    OPEN_STATUSES,
    PORTAL_STATUS_CODES,
    RATINGS,
    STATUSES,
)
from i18n.catalogue import TEXT
from timebase.period import PeriodError, parse_period
from timebase.workdays import FIRST_YEAR, LAST_YEAR
from vocabulary import GROUP_MAX, TARGET_METRICS

PROVINCE_TZ = "Asia/Ho_Chi_Minh"
#: Columns of each file of the exchange format, in the documented order (any order is read).
COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(columns.split())
    for name, columns in {
        "units.csv": "code name level parent_code lat lon",
        "agencies.csv": "code name unit_code",
        "procedures.csv": "code name field online_level fee_required time_limit_days",
        "dossiers.csv": "dossier_code procedure_code agency_code unit_code channel received_at due_at "
        "finished_at status supplement_requests supplement_requested_at fee_required paid_online "
        "e_result digitized reused_data rating",
        "feedback.csv": "feedback_code unit_code category channel received_at due_at handled_at "
        "status rating",
        "targets.csv": "metric unit_code level field year value source",
        "ratings.csv": "dossier_code rating",
        "supplements.csv": "dossier_code requested_at returned_at",
        "portal_scores.csv": "unit_code period group points",
    }.items()
}
#: Columns a file may carry or not (units' and agencies' validity: empty = open-ended).
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "units.csv": ("valid_from", "valid_to"),
    "agencies.csv": ("valid_from", "valid_to"),
}
_DOSSIER_REQUIRED = (*COLUMNS["dossiers.csv"][:7], "status", "supplement_requests")
FEEDBACK_STATUSES: tuple[str, ...] = ("received", "in_progress", "handled")
#: The portal's codes of registrations that never became dossiers in handling.
NOT_IN_HANDLING: dict[str, str] = {"1": "registered", "3": "not received"}
#: Statuses that cannot carry a finish time: still running, or waiting for the citizen.
UNFINISHED_STATUSES: tuple[str, ...] = (*OPEN_STATUSES, "supplement_requested")
_TRUE, _FALSE = ("true", "1"), ("false", "0")
_ISO = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?"
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"


@dataclass(frozen=True, slots=True)
class Rejection:
    """One problem with one row: where it is, what value, and why the row cannot be loaded."""

    file: str
    line: int
    column: str
    value: str
    reason: str
    #: The catalogue key of the rule (``i18n/text_import.py``), and the reason in Vietnamese.
    kind: str = ""
    reason_vi: str = ""

    def __str__(self) -> str:
        """``file:line: reason``, in English."""
        return f"{self.file}:{self.line}: {self.reason}"

    def text(self, lang: str = "vi") -> str:
        """The reason in ``lang`` (Vietnamese unless ``en``)."""
        return self.reason if lang == "en" or not self.reason_vi else self.reason_vi


@dataclass
class Reference:
    """What the target database already holds that the files may refer to."""

    unit_level: dict[str, str] = field(default_factory=dict)
    unit_parent: dict[str, str | None] = field(default_factory=dict)
    agency_unit: dict[str, str] = field(default_factory=dict)
    procedures: set[str] = field(default_factory=set)
    #: (valid_from, valid_to) of each unit and agency: kept when a file does not carry them.
    unit_validity: dict[str, tuple] = field(default_factory=dict)
    agency_validity: dict[str, tuple] = field(default_factory=dict)
    #: Agencies of the files that the database gives another unit and that have dossiers there.
    agencies_with_dossiers: set[str] = field(default_factory=set)


@dataclass
class Checked:
    """The typed rows ready to load (meaningful only when ``rejections`` is empty), and each
    agency's unit (files and database together): the handlers the dossiers are attributed to.
    """

    tables: dict[str, pd.DataFrame]
    rejections: list[Rejection]
    handlers: dict[str, str] = field(default_factory=dict)
    #: Agencies with dossiers in the database that now belong to another unit (allowed moves).
    moves: list[Move] = field(default_factory=list)


_WHAT_VI = {"unit": "đơn vị", "agency": "cơ quan", "procedure": "thủ tục", "score group": "nhóm điểm"}


def _or(values: Iterable[str], word: str = "or") -> str:
    items = list(values)
    return ", ".join(items[:-1]) + f" {word} {items[-1]}"


class Check:
    """The rejections of one file, gathered rule by rule."""

    def __init__(self, file: str, frame: pd.DataFrame) -> None:
        """Check ``frame`` (strings plus ``_line``) read from ``file``.

        The frame's ``attrs`` may name the file it came from (``source``: dossiers.json) and the
        source's name of each column (``columns``: the portal's KenhThucHien for ``channel``).
        """
        self.file = frame.attrs.get("source", file)
        self.names: dict[str, str] = frame.attrs.get("columns", {})
        self.raw = frame
        self.rejections: list[Rejection] = []

    def flag(self, bad: pd.Series, column: str, reason: str, **context: object) -> None:
        """Reject the rows where ``bad`` holds.

        ``reason`` is a key of the import catalogue (or an English template), formatted with the
        row's fields, ``_col`` and ``_value`` (the column at fault and its value) and ``context``
        (a Series by row, or one value for all).
        """
        bad = bad.fillna(False).astype(bool)
        if not bad.any():
            return
        vi, en = TEXT.get(reason, (reason, reason))
        rows = self.raw.loc[bad]
        extra = {
            k: v.loc[bad].astype(str) if isinstance(v, pd.Series) else str(v) for k, v in context.items()
        }
        rows = rows.assign(**extra, _col=self.names.get(column, column))
        for rec in rows.to_dict("records"):
            rec["_value"] = value = str(rec.get(column, ""))
            self.rejections.append(
                Rejection(
                    self.file,
                    int(rec["_line"]),
                    self.names.get(column, column),
                    value,
                    en.format_map(rec),
                    reason if reason in TEXT else "",
                    vi.format_map(rec),
                )
            )

    def required(self, *columns: str) -> None:
        """Reject rows with an empty value in any of ``columns``."""
        for col in columns:
            self.flag(self.raw[col] == "", col, "imp_required")

    def choice(self, column: str, allowed: Iterable[str], what: str) -> pd.Series:
        """The lower-cased value; a non-empty value outside ``allowed`` is rejected."""
        allowed = tuple(allowed)
        value = self.raw[column].str.lower()
        self.flag(
            (value != "") & ~value.isin(allowed),
            column,
            "imp_choice",
            _what=what,
            _allowed=_or(allowed),
            _allowed_vi=_or(allowed, "hoặc"),
        )
        return value

    def boolean(self, column: str) -> pd.Series:
        """True/False, or None when empty; anything else is rejected."""
        value = self.raw[column].str.lower()
        out = pd.Series(None, index=value.index, dtype=object)
        out[value.isin(_TRUE)] = True
        out[value.isin(_FALSE)] = False
        self.flag((value != "") & out.isna(), column, "imp_boolean")
        return out

    def number(self, column: str) -> pd.Series:
        """The value as a float (NaN when empty); text that is not a finite number is rejected."""
        raw = self.raw[column]
        value = pd.to_numeric(raw.where(raw != ""), errors="coerce").astype("float64")
        self.flag((raw != "") & ~np.isfinite(value), column, "imp_number")
        return value.where(np.isfinite(value))

    def time(self, column: str) -> pd.Series:
        """ISO 8601 local time (an offset is converted to Vietnam time); NaT when empty."""
        raw = self.raw[column]
        form = raw.str.fullmatch(_ISO).fillna(False).astype(bool)
        offset = form & raw.str.contains(_OFFSET).fillna(False).astype(bool)
        out = pd.to_datetime(raw.where(form & ~offset), format="ISO8601", errors="coerce")
        out = out.astype("datetime64[us]")
        if offset.any():
            aware = pd.to_datetime(raw[offset], format="ISO8601", utc=True, errors="coerce")
            out[offset] = aware.dt.tz_convert(PROVINCE_TZ).dt.tz_localize(None).astype("datetime64[us]")
        self.flag((raw != "") & out.isna(), column, "imp_time")
        outside = (out.dt.year < FIRST_YEAR) | (out.dt.year > LAST_YEAR)
        self.flag(outside, column, "imp_year_range", _first=FIRST_YEAR, _last=LAST_YEAR)
        return out.where(~outside)

    def unique(self, columns: list[str], what: str, keys: pd.DataFrame | None = None) -> None:
        """Reject every repetition of a key already seen on an earlier line.

        ``keys`` holds the parsed key columns where the raw text differs for one value.
        """
        frame = (self.raw if keys is None else keys)[columns].assign(_line=self.raw["_line"])
        repeated = frame.duplicated(subset=columns, keep="first") & (self.raw[columns[0]] != "")
        if repeated.any():
            first = frame.groupby(columns, sort=False)["_line"].transform("first")
            key = self.raw[columns].astype(str).agg("/".join, axis=1)
            self.flag(repeated, columns[0], "imp_duplicate", _what=what, _key=key, _first=first)

    def known(self, column: str, codes: Iterable[str], what: str) -> None:
        """Reject a non-empty code that neither the files nor the database hold."""
        value = self.raw[column]
        bad = (value != "") & ~value.isin(set(codes))
        self.flag(bad, column, "imp_unknown_code", _what=what, _what_vi=_WHAT_VI.get(what, what))

    def future(self, column: str, value: pd.Series, now: dt.datetime) -> None:
        """Reject a time later than now + 1 day."""
        limit = now + dt.timedelta(days=1)
        self.flag(value > limit, column, "imp_future", _limit=f"{limit:%Y-%m-%dT%H:%M}")

    def before(self, later: str, later_value: pd.Series, earlier: str, earlier_value: pd.Series) -> None:
        """Reject rows whose ``later`` time is before their ``earlier`` time."""
        self.flag(
            later_value < earlier_value,
            later,
            "imp_before",
            _earlier=self.names.get(earlier, earlier),
            _earlier_value=self.raw[earlier],
        )


def _none_if_empty(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values != "", None)


def check_units(c: Check, ref: Reference, allow_moves: bool = False) -> tuple[pd.DataFrame, dict[str, str]]:
    """Units: levels, parents (known, of a higher level, no cycle), coordinates."""
    f = c.raw
    c.required("code", "name", "level")
    level = c.choice("level", LEVELS, "level")
    c.unique(["code"], "unit code")
    lat, lon = c.number("lat"), c.number("lon")
    c.flag(lat.abs() > 90, "lat", "imp_lat_range")
    c.flag(lon.abs() > 180, "lon", "imp_lon_range")
    has_code = (f["code"] != "") & ~f["code"].duplicated()  # a repeated code is rejected; the first counts
    levels = {**ref.unit_level, **dict(zip(f["code"][has_code], level[has_code], strict=True))}
    parent = _none_if_empty(f["parent_code"])
    parents = {**ref.unit_parent, **dict(zip(f["code"][has_code], parent[has_code], strict=True))}
    has_parent = f["parent_code"] != ""
    c.flag(has_parent & ~f["parent_code"].isin(set(levels)), "parent_code", "imp_unknown_parent")
    rank = {name: i for i, name in enumerate(LEVELS)}
    parent_level = f["parent_code"].map(levels)
    higher = parent_level.map(rank) < level.map(rank)
    c.flag(
        has_parent & parent_level.isin(LEVELS) & level.isin(LEVELS) & ~higher,
        "parent_code",
        "imp_parent_level",
        _parent_level=parent_level,
        _level=level,
    )
    cycles = _cycles(f["code"][has_code], parents)
    c.flag(f["code"].isin(set(cycles)), "parent_code", "imp_parent_cycle", _cycle=f["code"].map(cycles))
    rules.tree(c, level, ref, allow_moves)
    clean = pd.DataFrame(
        {"code": f["code"], "name": f["name"], "level": level, "parent_code": parent, "lat": lat, "lon": lon}
    )
    return rules.validity(c, clean, ref.unit_validity), levels


def _cycles(codes: Iterable[str], parents: dict[str, str | None]) -> dict[str, str]:
    """For each code that is its own ancestor, the loop as 'a → b → a'."""
    found = {}
    for code in dict.fromkeys(codes):
        path, node = [code], parents.get(code)
        while node is not None and node != code and node not in path and node in parents:
            path.append(node)
            node = parents.get(node)
        if node == code:
            found[code] = " → ".join([*path, code])
    return found


def check_agencies(c: Check, levels: dict[str, str], ref: Reference) -> tuple[pd.DataFrame, dict[str, str]]:
    """Agencies: each belongs to a known unit and takes that unit's level."""
    f = c.raw
    c.required("code", "name", "unit_code")
    c.unique(["code"], "agency code")
    c.known("unit_code", levels, "unit")
    clean = pd.DataFrame(
        {
            "code": f["code"],
            "name": f["name"],
            "unit_code": f["unit_code"],
            "level": f["unit_code"].map(levels),
        }
    )
    clean = rules.validity(c, clean, ref.agency_validity)
    has_code = (f["code"] != "") & ~f["code"].duplicated()
    owners = {**ref.agency_unit, **dict(zip(f["code"][has_code], f["unit_code"][has_code], strict=True))}
    return clean, owners


def check_procedures(c: Check, ref: Reference) -> tuple[pd.DataFrame, set[str]]:
    """Procedures: online level, fee flag and a time limit in working days."""
    f = c.raw
    c.required("code", "name", "field", "online_level", "fee_required", "time_limit_days")
    c.unique(["code"], "procedure code")
    online = c.choice("online_level", ONLINE_LEVELS, "online_level")
    limit = c.number("time_limit_days")
    c.flag(limit < 0, "time_limit_days", "imp_limit_negative")
    clean = pd.DataFrame(
        {
            "code": f["code"],
            "name": f["name"],
            "field": f["field"],
            "online_level": online,
            "full_process_eligible": online == "full",
            "fee_required": c.boolean("fee_required"),
            "time_limit_days": limit,
            "time_limit_unit": "working_days",
        }
    )
    return clean, ref.procedures | set(f["code"][f["code"] != ""])


def _status(c: Check) -> pd.Series:
    """The status name, the portal's codes 2, 4–10 translated; 1 and 3 are not dossiers."""
    raw = c.raw["status"].str.lower()
    status = raw.map(PORTAL_STATUS_CODES).fillna(raw).astype(str)
    for code, meaning in NOT_IN_HANDLING.items():
        c.flag(raw == code, "status", "imp_status_not_dossier", _code=code, _meaning=meaning)
    bad = (raw != "") & ~status.isin(STATUSES) & ~raw.isin(set(NOT_IN_HANDLING))
    c.flag(
        bad,
        "status",
        "imp_unknown_status",
        _allowed=", ".join(STATUSES),
    )
    return status


def _supplements(c: Check, status: pd.Series) -> pd.Series:
    raw, count = c.raw["supplement_requests"], c.number("supplement_requests")
    col = "supplement_requests"
    c.flag(count < 0, col, "imp_supp_negative")
    c.flag((count >= 0) & (count % 1 != 0), col, "imp_supp_integer")
    # The same bound as the figures' validity rule (schema.MAX_SUPPLEMENTS): a row the importer
    # accepts is never one the queries would exclude.
    c.flag(count > MAX_SUPPLEMENTS, col, "imp_supp_absurd", _max=MAX_SUPPLEMENTS)
    waiting = (status == "supplement_requested") & (raw != "")
    c.flag(waiting & (count == 0), col, "imp_supp_zero")
    return count.fillna(0).round().astype("int64")


def check_dossiers(
    c: Check,
    units: Iterable[str],
    owners: dict[str, str],
    procedures: set[str],
    now: dt.datetime,
    seen: SeenCodes | None = None,
) -> pd.DataFrame:
    """Dossiers: references, allowed values, times in order, status and times consistent.

    With ``seen`` (a chunk of a file read in chunks), a repeated code is not rejected here: its
    hash is noted, and :meth:`DossierStream.finish` rejects the repetitions once the file is read.
    """
    f = c.raw
    c.required(*_DOSSIER_REQUIRED)
    if seen is None:
        c.unique(["dossier_code"], "dossier_code")
    else:
        seen.add(f["dossier_code"])
    c.known("procedure_code", procedures, "procedure")
    c.known("agency_code", owners, "agency")
    # unit_code is the receiving desk; the handling agency may be anywhere in the province (one-stop
    # "liên thông", Decree 118/2025): no rule ties the two (docs/rules.md §A).
    c.known("unit_code", units, "unit")
    status = _status(c)
    out = pd.DataFrame(
        {col: f[col] for col in ("dossier_code", "procedure_code", "agency_code", "unit_code")}
    )
    out["channel"] = c.choice("channel", CHANNELS, "channel")
    for col in ("received_at", "due_at", "finished_at", "supplement_requested_at"):
        out[col] = c.time(col)
    out["status"] = status
    out["supplement_requests"] = _supplements(c, status)
    for col in ("fee_required", "paid_online", "e_result", "digitized", "reused_data"):
        out[col] = c.boolean(col)
    out["rating"] = _none_if_empty(c.choice("rating", RATINGS, "rating"))
    _dossier_times(c, out, now)
    paid_without_fee = out["paid_online"].eq(True) & out["fee_required"].eq(False)
    c.flag(paid_without_fee, "paid_online", "imp_paid_no_fee")
    return out


def _dossier_times(c: Check, d: pd.DataFrame, now: dt.datetime) -> None:
    for col in ("received_at", "finished_at", "supplement_requested_at"):
        c.future(col, d[col], now)
    c.before("due_at", d["due_at"], "received_at", d["received_at"])
    c.before("finished_at", d["finished_at"], "received_at", d["received_at"])
    c.before("supplement_requested_at", d["supplement_requested_at"], "received_at", d["received_at"])
    finished, unfinished = d["status"].isin(FINISHED_STATUSES), d["status"].isin(UNFINISHED_STATUSES)
    given = c.raw["finished_at"] != ""
    c.flag(
        finished & ~given,
        "finished_at",
        "imp_finish_missing",
        _status=d["status"],
    )
    c.flag(
        unfinished & given,
        "finished_at",
        "imp_finish_open",
        _status=d["status"],
    )
    waiting = (d["status"] == "supplement_requested") & (c.raw["supplement_requested_at"] == "")
    c.flag(waiting, "supplement_requested_at", "imp_supp_at_missing")


def check_feedback(c: Check, units: Iterable[str], now: dt.datetime) -> pd.DataFrame:
    """Feedback (PAKN): unit, status, times in order, rating."""
    f = c.raw
    c.required("feedback_code", "unit_code", "category", "channel", "received_at", "due_at", "status")
    c.unique(["feedback_code"], "feedback_code")
    c.known("unit_code", units, "unit")
    out = pd.DataFrame({col: f[col] for col in ("feedback_code", "unit_code", "category", "channel")})
    for col in ("received_at", "due_at", "handled_at"):
        out[col] = c.time(col)
    out["status"] = c.choice("status", FEEDBACK_STATUSES, "feedback status")
    out["rating"] = _none_if_empty(c.choice("rating", RATINGS, "rating"))
    for col in ("received_at", "handled_at"):
        c.future(col, out[col], now)
    c.before("due_at", out["due_at"], "received_at", out["received_at"])
    c.before("handled_at", out["handled_at"], "received_at", out["received_at"])
    given = f["handled_at"] != ""
    c.flag((out["status"] == "handled") & ~given, "handled_at", "imp_handled_missing")
    c.flag(
        out["status"].isin(FEEDBACK_STATUSES[:2]) & given,
        "handled_at",
        "imp_handled_open",
    )
    return out


def check_targets(c: Check, units: Iterable[str]) -> pd.DataFrame:
    """Targets: a known metric, a scope (empty = any), a year and a fraction 0–1 with its source."""
    f = c.raw
    c.required("metric", "year", "value", "source")
    metric = f["metric"]
    allowed = ", ".join(sorted(TARGET_METRICS))
    c.flag((metric != "") & ~metric.isin(TARGET_METRICS), "metric", "imp_unknown_metric", _allowed=allowed)
    c.known("unit_code", units, "unit")
    level = c.choice("level", LEVELS, "level")
    year, value = c.number("year"), c.number("value")
    c.flag(
        year.notna() & ((year % 1 != 0) | (year < 2000) | (year > 2100)),
        "year",
        "imp_year",
    )
    c.flag((value < 0) | (value > 1), "value", "imp_fraction")
    out = pd.DataFrame({"metric": metric, "unit_code": f["unit_code"], "level": level, "field": f["field"]})
    out = out.assign(year=year.fillna(0).round().astype("int64"), value=value, source=f["source"])
    c.unique(["metric", "unit_code", "level", "field", "year"], "target", keys=out)
    return out


def _period_bounds(text: str) -> tuple[dt.date | None, dt.date | None]:
    try:
        period = parse_period(text)
    except PeriodError:
        return None, None
    return period.start, period.end


def check_portal_scores(c: Check, units: Iterable[str]) -> pd.DataFrame:
    """The portal's published 766 points: a known unit, a period (2026-10, 2026-Q3, 2026 or
    A..B), a group of the index and points between 0 and that group's maximum.
    """
    f = c.raw
    c.required("unit_code", "period", "group", "points")
    c.known("unit_code", units, "unit")
    bounds = [_period_bounds(p) for p in f["period"]]
    start = pd.Series([b[0] for b in bounds], index=f.index, dtype=object)
    end = pd.Series([b[1] for b in bounds], index=f.index, dtype=object)
    c.flag((f["period"] != "") & start.isna(), "period", "imp_period")
    group = c.choice("group", GROUP_MAX, "score group")
    points = c.number("points")
    top = group.map(GROUP_MAX).astype(float)
    outside = points.notna() & top.notna() & ((points < 0) | (points > top))
    c.flag(outside, "points", "imp_points", _max=top.map(lambda v: f"{v:g}"))
    out = pd.DataFrame(
        {"unit_code": f["unit_code"], "period_start": start, "period_end": end, "score_group": group}
    )
    out["points"] = points
    # One score per unit, group and days, however the period is written (2026-Q4 = 2026-10-01..2026-12-31).
    days = start.astype(str) + ".." + end.astype(str)
    c.unique(
        ["unit_code", "period", "group"],
        "score",
        keys=pd.DataFrame({"unit_code": f["unit_code"], "period": days, "group": group}),
    )
    return out


def check_files(
    frames: dict[str, pd.DataFrame],
    ref: Reference,
    now: dt.datetime,
    allow_moves: bool = False,
    distinct: frozenset[int] = frozenset(),
) -> tuple[Checked, DossierStream]:
    """Check every file but the dossiers (``frames`` by file name) against each other and ``ref``;
    the dossiers are then checked chunk by chunk by the returned :class:`DossierStream`.

    ``allow_moves`` accepts a unit's level change under children and an agency with dossiers
    moving to another unit (the moves are returned for their dossiers to be re-attributed).
    ``distinct``: hashes of dossier codes known to belong to distinct codes (:class:`SeenCodes`).
    """
    checks = {name: Check(name, frame) for name, frame in frames.items() if name != "dossiers.csv"}
    for name, check in checks.items():
        rules.lengths(check, name)
        rules.text_damage(check)
    ratings = rules.Ratings(checks["ratings.csv"]) if "ratings.csv" in checks else None
    log = rules.Supplements(checks["supplements.csv"], now) if "supplements.csv" in checks else None
    tables: dict[str, pd.DataFrame] = {}
    tables["units"], levels = check_units(checks["units.csv"], ref, allow_moves)
    tables["agencies"], owners = check_agencies(checks["agencies.csv"], levels, ref)
    moves = rules.moves(checks["agencies.csv"], ref, allow_moves)
    tables["procedures"], procedures = check_procedures(checks["procedures.csv"], ref)
    if "feedback.csv" in checks:
        tables["feedback"] = check_feedback(checks["feedback.csv"], levels, now)
    if "targets.csv" in checks:
        tables["targets"] = check_targets(checks["targets.csv"], levels)
    if "portal_scores.csv" in checks:
        tables["portal_scores"] = check_portal_scores(checks["portal_scores.csv"], levels)
    rejections = [r for check in checks.values() for r in check.rejections]
    stream = DossierStream(levels, owners, procedures, now, ratings, distinct, log)
    return Checked(tables, rejections, owners, moves), stream


def code_hashes(codes: pd.Series) -> np.ndarray:
    """A 64-bit hash of each code (Python's own: stable for the life of the process)."""
    values = codes.to_numpy(dtype=object)
    return np.fromiter(map(hash, values), dtype=np.int64, count=len(values)).view(np.uint64)


def _fold(digests: np.ndarray, texts: pd.Series) -> np.ndarray:
    """``digests`` with a hash of each non-empty text folded in (an empty text changes nothing)."""
    values = texts.to_numpy(dtype=object)
    extra = np.where(values != "", pd.util.hash_array(values, categorize=False), np.uint64(0))
    return (digests.view(np.uint64) ^ extra.astype(np.uint64)).view(np.int64)


class SeenCodes:
    """The dossier codes of the chunks read so far, as a sorted array of 64-bit hashes (8 bytes a
    code: 80 MB for 10 million), and the hashes met more than once: each a repeated code, or
    (rarely) two codes with one hash. :meth:`DossierStream.finish` tells the two apart exactly.
    """

    def __init__(self, distinct: frozenset[int] = frozenset()) -> None:
        """``distinct``: hashes already shown to be shared by distinct codes only (never suspect)."""
        self.hashes = np.empty(0, dtype=np.uint64)
        self.repeated: set[int] = set()
        self.distinct = distinct

    def add(self, codes: pd.Series) -> None:
        """Note the non-empty ``codes`` of one chunk."""
        h = np.sort(code_hashes(codes[codes != ""]))
        twice = h[1:] == h[:-1]
        self.repeated.update(h[1:][twice].tolist())
        fresh = h[np.concatenate(([True], ~twice))] if len(h) else h  # sorted: unique without a hash
        at = np.searchsorted(self.hashes, fresh)
        known = np.zeros(len(fresh), dtype=bool)
        inside = at < len(self.hashes)
        known[inside] = self.hashes[at[inside]] == fresh[inside]
        self.repeated.update(fresh[known].tolist())
        self.hashes = np.insert(self.hashes, at[~known], fresh[~known])

    @property
    def suspect(self) -> set[int]:
        """Hashes met twice that may be a repeated code."""
        return self.repeated - self.distinct


#: The dossier columns that the rules of an unchanged row read (:meth:`DossierStream.check`).
_REFERENCES = ("dossier_code", "procedure_code", "agency_code", "unit_code")


class DossierStream:
    """The dossiers file checked one chunk at a time against the other files' codes.

    Every rule but the uniqueness of the codes looks at one row (or at the small files): each
    chunk is checked on its own. Codes are remembered as hashes (:class:`SeenCodes`); when one
    was met twice, :meth:`finish` reads the file again for the rows of those hashes only and
    rejects each repetition with the line of the first, exactly as a check of the whole file.
    ``blocked`` turns true at the first rejection or suspected repetition: from then on the
    chunks are still checked (every rejection is reported) but must not be written.
    """

    name = "dossiers.csv"

    def __init__(
        self,
        units: Iterable[str],
        owners: dict[str, str],
        procedures: set[str],
        now: dt.datetime,
        ratings: rules.Ratings | None = None,
        distinct: frozenset[int] = frozenset(),
        log: rules.Supplements | None = None,
    ) -> None:
        """Checks against ``units``, ``owners`` and ``procedures`` (files and database)."""
        self.units, self.owners, self.procedures, self.now = set(units), owners, procedures, now
        self.ratings, self.log = ratings, log
        self.seen = SeenCodes(distinct)
        self.rejections: list[Rejection] = []
        self.blocked = False
        #: The stored rows' digests (set by the importer before the first chunk), and how many
        #: rows were found unchanged by them (never handed on).
        self.stored: StoredDigests | None = None
        self.unchanged = 0

    def reject(self, rejections: Iterable[Rejection]) -> None:
        """Add rejections found while reading (a row of the wrong width)."""
        self.rejections += rejections
        self.blocked = self.blocked or bool(self.rejections)

    def check(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The typed rows of one chunk (strings plus ``_line``) with their digests; its
        rejections are kept. With :attr:`stored`, the rows it holds unchanged are left out
        (counted in :attr:`unchanged`) after the rules that depend on other files or the
        database: their codes' uniqueness and their unit, agency and procedure being known.
        """
        steps = frame.pop(LOG_COLUMN) if LOG_COLUMN in frame.columns else None
        rating = frame["rating"]
        if self.ratings is not None:
            rating = self.ratings.apply(frame["dossier_code"], rating)
        codes = stable_hashes(frame["dossier_code"])
        digests = row_digests(frame.assign(rating=rating), self.owners)
        if steps is not None:  # a national record's returns change its figures: part of its digest
            digests = _fold(digests, steps)
        if self.log is not None:
            digests = self.log.digests(frame["dossier_code"], digests)
        if self.stored is not None:
            same = self.stored.holds(codes, digests)
            if same.any():
                self._check_unchanged(frame.loc[same, [*_REFERENCES, "_line"]])
                frame, rating, codes, digests = frame[~same], rating[~same], codes[~same], digests[~same]
                steps = steps[~same] if steps is not None else None
        c = Check(self.name, frame)
        rules.lengths(c, self.name)
        rules.text_damage(c)
        if self.ratings is not None:
            c.raw = c.raw.assign(rating=rating)
        out = check_dossiers(c, self.units, self.owners, self.procedures, self.now, self.seen)
        if steps is not None:
            log = supplements.from_text(frame["dossier_code"], steps)
            out = supplements.apply(out, supplements.facts(log))
        if self.log is not None:
            out = self.log.apply(out)
        out["code_hash"], out["row_digest"] = codes, digests
        self.reject(c.rejections)
        self.blocked = self.blocked or bool(self.seen.suspect)
        return out

    def _check_unchanged(self, raw: pd.DataFrame) -> None:
        """The rules an unchanged row may fail now: a repeated code, a code no longer known
        (``raw``: the columns of :data:`_REFERENCES` and ``_line``).
        """
        c = Check(self.name, raw)
        self.seen.add(raw["dossier_code"])
        c.known("procedure_code", self.procedures, "procedure")
        c.known("agency_code", self.owners, "agency")
        c.known("unit_code", self.units, "unit")
        self.reject(c.rejections)
        self.unchanged += len(raw)

    def finish(self, again: Callable[[], Iterable[pd.DataFrame]]) -> None:
        """Once every chunk is checked: reject repeated codes (reading the chunks ``again`` when a
        hash was met twice) and ratings of dossiers the file does not hold.
        """
        if self.seen.repeated:
            self.rejections += self._repetitions(again())
        if self.ratings is not None:
            self.rejections += self.ratings.finish()
        if self.log is not None:
            self.rejections += self.log.finish()

    @property
    def collisions(self) -> frozenset[int]:
        """After :meth:`finish` without a repeated code: the hashes that distinct codes share."""
        return frozenset(self.seen.repeated | self.seen.distinct)

    def _repetitions(self, chunks: Iterable[pd.DataFrame]) -> list[Rejection]:
        suspect = np.array(sorted(self.seen.repeated), dtype=np.uint64)
        parts, attrs = [], {}
        for frame in chunks:
            codes = frame["dossier_code"]
            keep = np.isin(code_hashes(codes), suspect) & (codes != "").to_numpy()
            attrs = attrs or dict(frame.attrs)
            if keep.any():
                parts.append(frame[keep])
        if not parts:
            return []
        rows = pd.concat(parts, ignore_index=True)
        rows.attrs = attrs
        c = Check(self.name, rows)
        c.unique(["dossier_code"], "dossier_code")
        return c.rejections
