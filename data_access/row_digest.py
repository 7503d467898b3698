"""A 64-bit digest of each imported dossier row, so a re-import passes over the unchanged ones.

Each dossier the importer writes carries two numbers (:data:`DIGEST_COLUMNS`): ``code_hash``, a
hash of its code, and ``row_digest``, a hash of what the import made it from: the exchange
format's seventeen values as read (stripped, NFC; the ratings file's word in place of the
rating), the unit of its handling agency (attribution, docs/rules.md), and :func:`salt` (the rules'
version and the working-day calendar, which derivation reads). Both are stable across processes
(SipHash with pandas' fixed key). An index on the pair (``ix_dossiers_digest``) gives every stored
pair without visiting the table.

A re-imported row whose (code hash, digest) pair is stored unchanged is the stored row exactly (up
to a 64-bit collision between two versions of one dossier): it was checked, derived and written
when it was first imported, so only the rules that depend on other files or on the database run
on it again (:meth:`data_access.validate.DossierStream.check`); the rest go the full way and
are compared with the stored rows (:mod:`data_access.load_dossiers`).

A stored digest is trusted only where a trigger clears it whenever a row changes without a new
one (:func:`data_access.schema.create_schema`: SQLite, PostgreSQL), so a row another writer
changed (the simulator, a re-attribution, a sync job's SQL) goes the full way at the next import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from data_access.schema import DIGEST_COLUMNS, dossiers
from timebase.workdays import CUTOFF_HOUR, working_days

#: Raise when a rule or a derivation of dossier rows changes: every stored digest is then stale,
#: and the next import checks and compares every row once more.
DIGEST_VERSION = "1"
#: The exchange format's dossier columns, in the order they are hashed.
HASHED = (
    "dossier_code",
    "procedure_code",
    "agency_code",
    "unit_code",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "status",
    "supplement_requests",
    "supplement_requested_at",
    "fee_required",
    "paid_online",
    "e_result",
    "digitized",
    "reused_data",
    "rating",
)
_SEPARATOR = "\x1f"
_FETCH = 100_000

__all__ = ["DIGEST_COLUMNS", "HASHED", "StoredDigests", "row_digests", "salt", "stable_hashes"]


@lru_cache(maxsize=1)
def salt() -> int:
    """What else a stored row follows from: the rules' version and the working-day calendar."""
    h = hashlib.blake2b(digest_size=8)
    h.update(f"{DIGEST_VERSION}|{CUTOFF_HOUR}|".encode())
    h.update(working_days().tobytes())
    return int.from_bytes(h.digest(), "little", signed=False)


def _mix(h: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a bijection of 64-bit values that spreads every input bit."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _strings(values: pd.Series) -> pa.Array:
    array = pa.array(values, type=pa.large_string(), from_pandas=True)
    return pc.fill_null(array, "")


def stable_hashes(codes: pd.Series) -> np.ndarray:
    """The stable 64-bit hash of each dossier code, as signed integers (the stored form)."""
    values = codes.to_numpy(dtype=object, na_value="")
    return pd.util.hash_array(values, categorize=False).view(np.int64)


def row_digests(raw: pd.DataFrame, handlers: Mapping[str, str]) -> np.ndarray:
    """The digest of each row of ``raw`` (the dossiers file's strings, ratings applied) given each
    agency's unit (``handlers``), as signed 64-bit integers.

    The values are joined by U+001F and hashed once a row; each value's length is mixed in after,
    so no value's own separator could make two different rows join alike.
    """
    columns = [_strings(raw[c]) for c in HASHED]
    handler = raw["agency_code"].map(handlers)
    columns.append(_strings(handler.where(handler.notna(), "")))
    separator = pa.scalar(_SEPARATOR, type=pa.large_string())
    joined = pc.binary_join_element_wise(*columns, separator).to_numpy(zero_copy_only=False)
    with np.errstate(over="ignore"):
        h = pd.util.hash_array(joined.astype(object), categorize=False) ^ np.uint64(salt())
        for column in columns:
            lengths = pc.binary_length(column).to_numpy(zero_copy_only=False).astype(np.uint64)
            h = _mix(h ^ lengths)
    return h.view(np.int64)


class StoredDigests:
    """The stored (code hash, digest) pairs, sorted; which incoming rows they hold unchanged."""

    def __init__(self, codes: np.ndarray, digests: np.ndarray) -> None:
        """Pairs as two int64 arrays (any order)."""
        self.codes, self.digests = codes, digests
        self.index = pd.Index(codes)
        if not self.index.is_unique:  # codes sharing a hash, or a code stored twice: sorted pairs
            order = np.lexsort((digests, codes))
            self.codes, self.digests = codes[order], digests[order]

    @classmethod
    def read(cls, conn: Connection, now: dt.datetime) -> StoredDigests | None:
        """The pairs of every stored row that has one, through ``ix_dossiers_digest``; None when
        none may be trusted: on a backend without the guarding trigger (DuckDB), or when a stored
        time is later than ``now`` + 1 day (a row unchanged since would now be refused as future).
        """
        if conn.dialect.name not in ("sqlite", "postgresql"):
            return None
        d = dossiers.c
        latest = conn.execute(
            select(func.max(d.received_at), func.max(d.finished_at), func.max(d.supplement_requested_at))
        ).one()
        limit = now + dt.timedelta(days=1)
        if any(_as_time(t) > limit for t in latest if t is not None):
            return None
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        # our own names; the WHERE lets the pair index answer (its rows are the non-NULL ones)
        cursor.execute("SELECT code_hash, row_digest FROM dossiers WHERE row_digest IS NOT NULL")
        codes, digests = [], []
        while rows := cursor.fetchmany(_FETCH):
            pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
            codes.append(pairs[:, 0])
            digests.append(pairs[:, 1])
        cursor.close()
        empty = np.empty(0, dtype=np.int64)
        return cls(np.concatenate(codes) if codes else empty, np.concatenate(digests) if digests else empty)

    def __len__(self) -> int:
        """How many stored rows have a pair."""
        return len(self.codes)

    def holds(self, codes: np.ndarray, digests: np.ndarray) -> np.ndarray:
        """Which (code hash, digest) pairs are stored."""
        found = np.zeros(len(codes), dtype=bool)
        if self.index.is_unique:  # one hash look-up a row
            at = self.index.get_indexer(codes)
            known = at >= 0
            found[known] = self.digests[at[known]] == digests[known]
            return found
        lo = np.searchsorted(self.codes, codes, side="left")
        hi = np.searchsorted(self.codes, codes, side="right")
        one = hi - lo == 1
        found[one] = self.digests[lo[one]] == digests[one]
        for i in np.flatnonzero(hi - lo > 1):
            found[i] = bool((self.digests[lo[i] : hi[i]] == digests[i]).any())
        return found


def _as_time(value: object) -> dt.datetime:
    """A stored time as the driver gives it (SQLite: text) as a datetime."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value
