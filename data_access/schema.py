"""The dossier database: SQLAlchemy 2 Core tables, created by code.

Portable across SQLite, PostgreSQL and DuckDB: plain types only, no server-side defaults,
no sequences (every key is a natural code), and the indexes that only row stores use are
created separately by :func:`create_schema` so DuckDB (a column store) can skip them.

No column holds personal data: the dashboard never needs a citizen's name, ID number, phone
or address, so the exchange format does not carry them and this schema has nowhere to put them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    case,
    literal_column,
    not_,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateIndex

metadata = MetaData()

#: Unit levels the exchange format knows, from the top down (docs/rules.md §B).
LEVELS: tuple[str, ...] = ("province", "district", "commune")

#: Dossier statuses (Decree 61/2018, the national portal's sync codes 2, 4–10).
STATUSES: tuple[str, ...] = (
    "received",
    "in_progress",
    "supplement_requested",
    "payment_requested",
    "withdrawn",
    "stopped",
    "processed",
    "returned",
)
PORTAL_STATUS_CODES: dict[str, str] = {
    "2": "received",
    "4": "in_progress",
    "5": "supplement_requested",
    "6": "payment_requested",
    "7": "withdrawn",
    "8": "stopped",
    "9": "processed",
    "10": "returned",
}
#: Statuses whose dossier is finished (docs/rules.md §1: processed, returned, stopped/refused).
FINISHED_STATUSES: tuple[str, ...] = ("processed", "returned", "stopped")
#: Statuses of a dossier still running against its clock.
OPEN_STATUSES: tuple[str, ...] = ("received", "in_progress", "payment_requested")
CHANNELS: tuple[str, ...] = ("online", "direct", "postal")
RATINGS: tuple[str, ...] = ("very_satisfied", "satisfied", "unsatisfied")
ONLINE_LEVELS: tuple[str, ...] = ("full", "partial", "none")

units = Table(
    "units",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent_code", String(16)),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("lat", Float),
    Column("lon", Float),
)

#: Closure of the unit tree (every unit with each of its ancestors and itself), so that a query
#: rolls dossiers up to any level with one join. Rebuilt from ``units`` on every load.
unit_ancestors = Table(
    "unit_ancestors",
    metadata,
    Column("unit_code", String(16), primary_key=True),
    Column("ancestor_code", String(16), primary_key=True),
    Column("ancestor_level", String(16), nullable=False),
    Column("depth", Integer, nullable=False),
)

agencies = Table(
    "agencies",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("level", String(16), nullable=False),
    Column("unit_code", String(16), nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),
)

procedures = Table(
    "procedures",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(400), nullable=False),
    Column("field", String(100), nullable=False),
    Column("online_level", String(16), nullable=False),
    Column("full_process_eligible", Boolean, nullable=False),
    Column("fee_required", Boolean, nullable=False),
    Column("time_limit_days", Float, nullable=False),
    Column("time_limit_unit", String(16), nullable=False),
)

dossiers = Table(
    "dossiers",
    metadata,
    Column("dossier_code", String(64), primary_key=True),
    Column("procedure_code", String(32), nullable=False),
    Column("agency_code", String(32), nullable=False),
    # Who a dossier counts for (docs/rules.md §A): the unit of the agency that handles it,
    # derived on write from ``agencies`` (data_access.load.derive_dossier_columns). Every figure
    # rolls up from this column.
    Column("unit_code", String(16), nullable=False),
    # Where it was received (nơi tiếp nhận): the exchange format's ``unit_code``, the portal's
    # NoiNopHoSo. A dimension of its own (intake by place), never tied to the handler.
    Column("desk_unit_code", String(16)),
    Column("channel", String(16), nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("due_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("status", String(24), nullable=False),
    Column("supplement_requests", Integer, nullable=False),
    Column("supplement_requested_at", DateTime),
    # Derived on write: when the second supplement request was made, the moment from which "more
    # than one request" makes the dossier late (docs/rules.md §1); NULL with fewer than two.
    Column("late_request_at", DateTime),
    # From a supplement log (supplements.csv): the finish less the time the citizen took to
    # supplement, compared with ``due_at`` (docs/rules.md §1); NULL without a log.
    Column("judged_finish_at", DateTime),
    Column("fee_required", Boolean),
    Column("paid_online", Boolean),
    Column("e_result", Boolean),
    Column("digitized", Boolean),
    Column("reused_data", Boolean),
    Column("rating", String(16)),
    # Derived on write (data_access.load.derive_dossier_columns): the month of receipt as
    # YYYYMM, so grouping by month needs no dialect-specific date function, and the working days
    # a finished dossier took (metric 4), which needs the holiday calendar SQL does not have.
    Column("received_month", Integer, nullable=False),
    Column("processing_days", Float),
    # Written by the importer (data_access.row_digest): a hash of the code and of what the row
    # was imported from, so a re-import passes over the unchanged rows; NULL when another writer
    # made or changed the row (the guard trigger of create_schema clears it).
    Column("code_hash", BigInteger),
    Column("row_digest", BigInteger),
)
#: The dossier columns that say what a row was imported from, not what it holds.
DIGEST_COLUMNS: tuple[str, ...] = ("code_hash", "row_digest")

feedback = Table(
    "feedback",
    metadata,
    Column("feedback_code", String(64), primary_key=True),
    Column("unit_code", String(16), nullable=False),
    Column("category", String(100), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("due_at", DateTime, nullable=False),
    Column("handled_at", DateTime),
    Column("status", String(16), nullable=False),
    Column("rating", String(16)),
)

#: Targets are data with their source (docs/rules.md §13). An empty string in a scope column
#: means "any": ('on_time_rate', '', 'district', '', 2026) applies to every district in 2026.
targets = Table(
    "targets",
    metadata,
    Column("metric", String(64), primary_key=True),
    Column("unit_code", String(16), primary_key=True),
    Column("level", String(16), primary_key=True),
    Column("field", String(100), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("value", Float, nullable=False),
    Column("source", Text, nullable=False),
)

#: The national portal's published 766 scores, when a deployment imports them (portal_scores.csv):
#: one row per unit, reporting period (its first and last day) and group, beside the estimate.
portal_scores = Table(
    "portal_scores",
    metadata,
    Column("unit_code", String(16), primary_key=True),
    Column("period_start", Date, primary_key=True),
    Column("period_end", Date, primary_key=True),
    Column("score_group", String(16), primary_key=True),
    Column("points", Float, nullable=False),
)

#: Facts about the database itself: whether it is the sample, the province's name, when the
#: sample was generated. Read by the pages to label sample data "Dữ liệu mẫu".
meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


def valid_during(table: Table, start: Any, end: Any) -> Any:
    """The rows of ``table`` (``units`` or ``agencies``) that existed at some time in the days
    ``start``..``end`` (inclusive): valid_from ≤ end and (valid_to is NULL or valid_to ≥ start);
    NULL valid_from means "always has been", NULL valid_to "still is".

    The one rule of which units and agencies a period shows (docs/rules.md §B): a period across a
    change lists both sides, each with its own dossiers.
    ``start`` and ``end`` are SQL expressions, normally bound parameters of type Date.
    """
    c = table.c
    return and_(
        or_(c.valid_from.is_(None), c.valid_from <= end),
        or_(c.valid_to.is_(None), c.valid_to >= start),
    )


def one_of(column: Any, values: tuple[str, ...]) -> Any:
    """``column IN (values)`` with our own constants written into the SQL as literals.

    A list of bound values is an "expanding" parameter that SQLAlchemy re-renders into the
    statement at every execution (a noticeable share of a screen's time on the counter queries);
    literals compile once. SQLite also needs them to match a partial index's predicate.
    """
    assert all("'" not in v for v in values)  # constants of this codebase, never user input
    return column.in_([literal_column("'" + v + "'") for v in values])


#: Constants are literals in these predicates: SQLite uses a partial index only when the query
#: repeats its predicate with the same constants (a bound parameter cannot prove it), so the
#: indexes below and the queries that rely on them share these expressions.
#: An open status: the predicate of ``ix_dossiers_open_due`` (overdue lists).
OPEN_STATUS = one_of(dossiers.c.status, OPEN_STATUSES)
#: Rows still in the work queue now (``ix_dossiers_open_now``): an open status, or a finished or
#: supplement status that a direct writer left without its date (the importer rejects those;
#: the figures still count them as open, as the raw query does: on a valid row this is exactly
#: "left the queue at NULL").
OPEN_NOW = or_(
    OPEN_STATUS,
    and_(one_of(dossiers.c.status, FINISHED_STATUSES), dossiers.c.finished_at.is_(None)),
    and_(
        dossiers.c.status == literal_column("'supplement_requested'"),
        dossiers.c.supplement_requested_at.is_(None),
    ),
)

#: Supplement counts above this are absurd (a sync error), not a real dossier's history.
MAX_SUPPLEMENTS = 20

#: A row failing a check of its own values: exactly the rows ``counters.valid_dossier`` rejects
#: (its negation, term by term), and the predicate of ``ix_dossiers_suspect``, so that the data
#: quality check reads those few rows from that small index, not ten million from the table.
SUSPECT = or_(
    not_(one_of(dossiers.c.status, STATUSES)),
    dossiers.c.due_at < dossiers.c.received_at,
    dossiers.c.finished_at < dossiers.c.received_at,
    dossiers.c.supplement_requested_at < dossiers.c.received_at,
    dossiers.c.supplement_requests < literal_column("0"),
    dossiers.c.supplement_requests > literal_column(str(MAX_SUPPLEMENTS)),
)

#: The procedure code as an expression (``code || ''``), the key of ``ix_dossiers_procedure_key``:
#: the quality check walks the distinct codes through it, and no join can use it. A plain index
#: on the code was picked by SQLite to drive the dossier-procedure joins from the procedure side
#: (on a database analysed before the index existed: the open-row read of every screen took
#: seconds at 10 M instead of milliseconds).
PROCEDURE_KEY = dossiers.c.procedure_code.op("||")(literal_column("''"))

#: Rows by supplement request time: the summaries' read path finds the rows settled since a day
#: through it (finished_at has its own), and the quality check the future-dated ones.
SUPPLEMENT_INDEX = Index("ix_dossiers_supplement_at", dossiers.c.supplement_requested_at)

#: Indexes a real deployment needs (row stores only). The partial index on open dossiers makes
#: the "now" figures (overdue in progress) touch only open rows (performance-notes.md lesson 5).
ROW_STORE_INDEXES: tuple[Index, ...] = (
    Index("ix_dossiers_unit_received", dossiers.c.unit_code, dossiers.c.received_at),
    Index("ix_dossiers_received", dossiers.c.received_at),
    Index("ix_dossiers_finished", dossiers.c.finished_at),
    Index("ix_dossiers_month_unit", dossiers.c.received_month, dossiers.c.unit_code),
    Index(
        "ix_dossiers_open_due",
        dossiers.c.due_at,
        dossiers.c.unit_code,
        sqlite_where=OPEN_STATUS,
        postgresql_where=OPEN_STATUS,
    ),
    # Every column the open counters read (validity, receipt, due date, supplements, unit,
    # procedure), led by receipt: "open now and received by as_of" is one covering range of a
    # few thousand entries (10 M dossiers: 19 k), never a visit to the table.
    Index(
        "ix_dossiers_open_now",
        dossiers.c.received_at,
        dossiers.c.unit_code,
        dossiers.c.procedure_code,
        dossiers.c.due_at,
        dossiers.c.supplement_requests,
        dossiers.c.status,
        dossiers.c.finished_at,
        dossiers.c.supplement_requested_at,
        dossiers.c.late_request_at,  # the open on-time counter judges the second request's time
        sqlite_where=OPEN_NOW,
        postgresql_where=OPEN_NOW,
    ),
    # The data quality check (data_access.quality), without reading the table: the suspect
    # rows; the distinct procedure codes and the rows of an unknown one (unit codes: through
    # ix_dossiers_unit_received); future dates are ranges of the three date indexes.
    Index("ix_dossiers_suspect", dossiers.c.unit_code, sqlite_where=SUSPECT, postgresql_where=SUSPECT),
    Index("ix_dossiers_procedure_key", PROCEDURE_KEY),
    SUPPLEMENT_INDEX,
    # Every stored (code hash, digest) pair without visiting the table: what a re-import compares.
    Index(
        "ix_dossiers_digest",
        dossiers.c.code_hash,
        dossiers.c.row_digest,
        sqlite_where=dossiers.c.row_digest.isnot(None),
        postgresql_where=dossiers.c.row_digest.isnot(None),
    ),
    Index("ix_units_parent", units.c.parent_code),
    Index("ix_ancestors_level", unit_ancestors.c.ancestor_level, unit_ancestors.c.ancestor_code),
    Index("ix_feedback_unit_received", feedback.c.unit_code, feedback.c.received_at),
    Index("ix_feedback_received", feedback.c.received_at),
    Index("ix_feedback_handled", feedback.c.handled_at),
)
for _index in ROW_STORE_INDEXES:
    # Declared on the tables only when created, so DuckDB's create_all never sees them.
    _index.table.indexes.discard(_index)


def create_schema(bind: Engine | Connection) -> None:
    """Create every table (and, on row stores, every index) that does not exist yet.

    Given a Connection, it works inside that connection's transaction, so an import can create
    the schema and load the data all-or-nothing.
    """
    if isinstance(bind, Engine):
        with bind.begin() as conn:
            create_schema(conn)
        return
    metadata.create_all(bind, checkfirst=True)
    add_missing_columns(bind)
    create_indexes(bind)
    for ddl in _digest_guard(bind.dialect.name):
        bind.execute(text(ddl))


def _digest_guard(dialect: str) -> list[str]:
    """DDL of the trigger that clears a dossier's digest when a writer changes the row without
    giving it a new one: only the importer writes digests, and a stale one would hide the change
    from the next import (data_access.row_digest). DuckDB has no triggers: its digests are
    never trusted.
    """
    content = ", ".join(c.name for c in dossiers.columns if c.name not in DIGEST_COLUMNS)
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS dossier_digest_guard AFTER UPDATE OF {content} ON dossiers "
            "WHEN OLD.row_digest IS NOT NULL AND NEW.row_digest IS OLD.row_digest "
            "BEGIN UPDATE dossiers SET row_digest = NULL WHERE rowid = NEW.rowid; END"
        ]
    if dialect == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION dossier_digest_guard() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN IF NEW.row_digest IS NOT DISTINCT FROM OLD.row_digest THEN NEW.row_digest := NULL; "
            "END IF; RETURN NEW; END $$",
            "DROP TRIGGER IF EXISTS dossier_digest_guard ON dossiers",
            "CREATE TRIGGER dossier_digest_guard BEFORE UPDATE ON dossiers "
            "FOR EACH ROW EXECUTE FUNCTION dossier_digest_guard()",
        ]
    return []


def add_missing_columns(conn: Connection) -> list[str]:
    """Add the columns a database built by an earlier version lacks (``table.column`` added).

    A dossier table from before the receiving desk had its own column gets ``desk_unit_code``
    filled from ``unit_code``: the earlier importer required the two to be the same unit.
    """
    added = []
    for table in (units, agencies, dossiers):
        # The columns a row would have (DuckDB's engine cannot reflect column lists).
        present = set(conn.execute(select(text("*")).select_from(table).limit(0)).keys())
        for column in table.columns:
            if column.name in present:
                continue
            quote = conn.dialect.identifier_preparer.quote
            kind = column.type.compile(dialect=conn.dialect)
            # DDL from this module's own table and column names, never from input.
            conn.execute(text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}"))
            added.append(f"{table.name}.{column.name}")
    if "dossiers.desk_unit_code" in added:
        conn.execute(update(dossiers).values(desk_unit_code=dossiers.c.unit_code))
    if "dossiers.late_request_at" in added:
        conn.execute(update(dossiers).values(late_request_at=late_request_from_count(dossiers.c)))
        if conn.dialect.name != "duckdb":  # rebuilt by create_indexes, covering the new column
            conn.execute(text("DROP INDEX IF EXISTS ix_dossiers_open_now"))
    return added


def late_request_from_count(c: Any) -> Any:
    """When the second supplement request was made, from the count and the latest request time
    alone (no supplement log): with two, the latest; with three or more, the second came before
    the latest, so the dossier is late from receipt on whatever moment is judged after it; with
    fewer, never. Exact up to two requests (docs/rules.md §1). ``c``: the dossiers' columns.
    """
    return case(
        (c.supplement_requests >= 3, c.received_at),
        (c.supplement_requests == 2, c.supplement_requested_at),
        else_=None,
    )


def create_indexes(conn: Connection) -> None:
    """Create the row-store indexes that do not exist yet (none on DuckDB): a database built by an
    earlier version gains the ones added since at its next import or ``cli.py refresh``.
    """
    if conn.dialect.name == "duckdb":
        return
    for index in ROW_STORE_INDEXES:
        # IF NOT EXISTS, not checkfirst: reflection does not see an expression index.
        conn.execute(CreateIndex(index, if_not_exists=True))
