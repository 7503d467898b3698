"""Checks of an import that real exports call for, beside the per-file rules of
:mod:`data_access.validate`: values longer than the schema allows, letters lost to an "ANSI"
save, invisible characters in codes, units' and agencies' validity dates, one province, parents,
level changes and agency moves on a re-import, and the optional ratings file.

Each function adds rejections to a :class:`~data_access.validate.Check`, so every problem is
reported with its file, line and column like the others. Lengths are read from the SQLAlchemy
tables, so SQLite (which stores any length) and PostgreSQL (which refuses) accept and refuse
exactly the same files.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import Table

from data_access import supplements
from data_access.schema import LEVELS, agencies, dossiers, feedback, portal_scores, procedures, targets, units

if TYPE_CHECKING:
    from data_access.validate import Check, Reference, Rejection

#: The table each file is loaded into (its columns' lengths bound the values).
TABLE_OF: dict[str, Table] = {
    "units.csv": units,
    "agencies.csv": agencies,
    "procedures.csv": procedures,
    "dossiers.csv": dossiers,
    "feedback.csv": feedback,
    "targets.csv": targets,
    "portal_scores.csv": portal_scores,
}
CODE_COLUMNS = frozenset(
    [
        "code",
        "parent_code",
        "unit_code",
        "agency_code",
        "procedure_code",
        "dossier_code",
        "feedback_code",
        "metric",
    ]
)
#: Characters that look like nothing (or like a space) and make two codes differ.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00a0\u202f\u2007\u00ad"
_INVISIBLE = f"([{INVISIBLE}])"
#: A '?' between two letters: "T?nh Th?" is "Tỉnh Thử" saved as ANSI (the letters are lost).
_ANSI = r"[^\W\d_]\?[^\W\d_]"
_DATE = r"\d{4}-\d{2}-\d{2}"
RATING_WORDS: dict[str, str] = {
    "very_satisfied": "very_satisfied",
    "satisfied": "satisfied",
    "unsatisfied": "unsatisfied",
    "rất hài lòng": "very_satisfied",
    "hài lòng": "satisfied",
    "không hài lòng": "unsatisfied",
}


@dataclass(frozen=True, slots=True)
class Move:
    """An agency that already has dossiers in the database and now belongs to another unit."""

    agency_code: str
    old_unit: str
    new_unit: str


def lengths(c: Check, file: str) -> None:
    """Reject values longer than the database column they go to allows."""
    table = TABLE_OF.get(file)
    if table is None:
        return
    for col in c.raw.columns:
        target = table.c.get(col)
        limit = getattr(target.type, "length", None) if target is not None else None
        if limit:
            length = c.raw[col].str.len()
            c.flag(length > limit, col, "imp_too_long", _length=length, _max=limit)


def text_damage(c: Check) -> None:
    """Reject '?' between letters (an ANSI save) and invisible characters in codes."""
    for col in c.raw.columns:
        if col == "_line":
            continue
        values = c.raw[col]
        if col != "source":  # a source may be a web address with '?'
            c.flag(values.str.contains(_ANSI, regex=True), col, "imp_ansi")
        if col in CODE_COLUMNS:
            char = values.str.extract(_INVISIBLE, expand=False)
            named = char.map(_char_name, na_action="ignore")
            c.flag(char.notna(), col, "imp_invisible", _char=named)


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, '?').lower()})"


def validity(c: Check, clean: pd.DataFrame, known: dict[str, tuple]) -> pd.DataFrame:
    """``clean`` with valid_from/valid_to: the file's (checked), or what the database held."""
    if "valid_from" not in c.raw.columns:
        kept = [known.get(code, (None, None)) for code in clean["code"]]
        return clean.assign(
            valid_from=pd.Series([k[0] for k in kept], index=clean.index, dtype=object),
            valid_to=pd.Series([k[1] for k in kept], index=clean.index, dtype=object),
        )
    out = {col: _date(c, col) for col in ("valid_from", "valid_to")}
    c.flag(out["valid_to"] < out["valid_from"], "valid_to", "imp_valid_order")
    return clean.assign(**{col: _as_dates(v) for col, v in out.items()})


def _date(c: Check, col: str) -> pd.Series:
    raw = c.raw[col]
    form = raw.str.fullmatch(_DATE).fillna(False).astype(bool)
    value = pd.to_datetime(raw.where(form), format="%Y-%m-%d", errors="coerce")
    c.flag((raw != "") & value.isna(), col, "imp_bad_date")
    return value


def _as_dates(value: pd.Series) -> pd.Series:
    return pd.Series([v.date() if pd.notna(v) else None for v in value], index=value.index, dtype=object)


def tree(c: Check, level: pd.Series, ref: Reference, allow_moves: bool) -> None:
    """One province; every unit below it has a parent; no level change under children."""
    f = c.raw
    first = ~f["code"].duplicated() & (f["code"] != "")
    provinces = [code for code, lvl in ref.unit_level.items() if lvl == "province"]
    file_level = dict(zip(f["code"][first], level[first], strict=True))
    kept = [p for p in provinces if file_level.get(p, "province") == "province"]
    in_file = f["code"][first & (level == "province")]
    other = kept[0] if kept else (in_file.iloc[0] if len(in_file) else "")
    second = first & (level == "province") & (f["code"] != other)
    c.flag(second, "code", "imp_second_province", _other=other)
    c.flag((level.isin(LEVELS[1:])) & (f["parent_code"] == ""), "parent_code", "imp_no_parent")
    if allow_moves:
        return
    children: dict[str, int] = {}
    parents = {**ref.unit_parent, **dict(zip(f["code"][first], f["parent_code"][first], strict=True))}
    for parent in parents.values():
        if parent:
            children[parent] = children.get(parent, 0) + 1
    old = f["code"].map(ref.unit_level)
    count = f["code"].map(children).fillna(0).astype(int)
    changed = old.notna() & (old != level) & (count > 0) & level.isin(LEVELS)
    c.flag(changed, "level", "imp_level_change", _old=old, _children=count)


def moves(c: Check, ref: Reference, allow_moves: bool) -> list[Move]:
    """Agencies with dossiers in the database that the file gives another unit (refused unless allowed)."""
    f = c.raw
    old = f["code"].map(ref.agency_unit)
    moved = old.notna() & (old != f["unit_code"]) & f["code"].isin(ref.agencies_with_dossiers)
    moved &= ~f["code"].duplicated()
    if not allow_moves:
        c.flag(moved, "unit_code", "imp_agency_move", _old=old)
        return []
    return [
        Move(a, o, n) for a, o, n in zip(f["code"][moved], old[moved], f["unit_code"][moved], strict=True)
    ]


def rating_word(value: str) -> str | None:
    """Our rating for a word of ours or the portal's (Rất hài lòng…), any case, NFC or NFD."""
    return RATING_WORDS.get(" ".join(unicodedata.normalize("NFC", value).casefold().split()))


class Ratings:
    """The ratings file checked: each dossier once, with a known word; the dossiers file is read
    in chunks afterwards, so whether each rated dossier is in it is known only at the end.
    """

    def __init__(self, c: Check) -> None:
        """Check the ratings file's own rows (required values, repetitions, words)."""
        f = c.raw
        c.required("dossier_code", "rating")
        c.unique(["dossier_code"], "dossier_code")
        word = f["rating"].map(rating_word)
        c.flag((f["rating"] != "") & word.isna(), "rating", "imp_rating_word")
        good = word.notna() & ~f["dossier_code"].duplicated()
        self.check = c
        self.given: dict[str, str] = dict(zip(f["dossier_code"][good], word[good], strict=True))
        self.codes = pd.Index(f["dossier_code"].unique())
        self.found = np.zeros(len(self.codes), dtype=bool)

    def apply(self, codes: pd.Series, rating: pd.Series) -> pd.Series:
        """The rating of each dossier of a chunk: the ratings file's, else its own column."""
        at = self.codes.get_indexer(codes.to_numpy(dtype=object))
        self.found[at[at >= 0]] = True
        rated = codes.map(self.given).astype(object)
        return rated.where(rated.notna(), rating).astype(str)

    def finish(self) -> list[Rejection]:
        """Once every dossier is read: reject ratings of dossiers the dossiers file does not hold."""
        c, before = self.check, len(self.check.rejections)
        f = c.raw
        known = f["dossier_code"].map(dict(zip(self.codes, self.found, strict=True))).fillna(False)
        c.flag((f["dossier_code"] != "") & ~known.astype(bool), "dossier_code", "imp_rating_unknown_dossier")
        return c.rejections[before:]


class Supplements:
    """The supplement log (supplements.csv) checked: one row a request, a valid request time and
    a return no earlier; its facts per dossier (:mod:`data_access.supplements`) are applied to
    the dossiers as they are read, and log rows of dossiers the file does not hold are rejected
    at the end, as ratings are.
    """

    def __init__(self, c: Check, now: dt.datetime) -> None:
        """Check the log's own rows."""
        f = c.raw
        c.required("dossier_code", "requested_at")
        requested, returned = c.time("requested_at"), c.time("returned_at")
        c.before("returned_at", returned, "requested_at", requested)
        c.future("requested_at", requested, now)
        c.future("returned_at", returned, now)
        self.check = c
        log = pd.DataFrame(
            {"dossier_code": f["dossier_code"], "requested_at": requested, "returned_at": returned}
        )
        rejected = {r.line for r in c.rejections}
        self.facts = supplements.facts(log[~f["_line"].isin(rejected)])
        self.codes = pd.Index(self.facts.index)
        self.found = np.zeros(len(self.codes), dtype=bool)
        # One number per dossier the log holds, folded into its digest: a changed log is a change.
        text = self.facts.astype(object).map(str).agg("|".join, axis=1)
        self.fingerprints = pd.Series(pd.util.hash_array(text.to_numpy(dtype=object)), index=self.codes)

    def digests(self, codes: pd.Series, digests: np.ndarray) -> np.ndarray:
        """``digests`` of the rows of ``codes`` (every row of a chunk, changed or not) with the log's
        fingerprint folded in; the log's dossiers among them are found.
        """
        at = self.codes.get_indexer(codes.to_numpy(dtype=object))
        self.found[at[at >= 0]] = True
        extra = codes.map(self.fingerprints).fillna(0).to_numpy(dtype=np.uint64)
        return (digests.view(np.uint64) ^ extra).view(np.int64)

    def apply(self, typed: pd.DataFrame) -> pd.DataFrame:
        """The checked rows of a chunk with the log's facts for the dossiers it holds."""
        return supplements.apply(typed, self.facts)

    def finish(self) -> list[Rejection]:
        """Once every dossier is read: reject log rows of dossiers the dossiers file does not hold."""
        c, before = self.check, len(self.check.rejections)
        f = c.raw
        known = f["dossier_code"].map(dict(zip(self.codes, self.found, strict=True))).fillna(False)
        c.flag(
            (f["dossier_code"] != "") & ~known.astype(bool), "dossier_code", "imp_supplement_unknown_dossier"
        )
        return c.rejections[before:]
