"""The public face of :mod:`data_access`: everything outside the package (pages, ``ui/``, the
command line, exports, alerts, the sample generator, benchmarks) imports from here and nowhere
else in ``data_access`` (``tests/test_layers.py`` holds the line). Inside, the modules are free
to change; here each name says what it answers.

**One result type.** A read answers with a :class:`pandas.DataFrame`, one row per unit (or
agency, procedure, month…) with its counters as columns. The exceptions, each for a reason:

- a *listing* (``overdue_open_dossiers``, ``due_soon_dossiers``, ``subject_parts``, the trend
  screens' procedure lists) answers ``(frame, cut)``: the frame and whether its LIMIT cut it, so
  the screen can say so (conventions, habit 2);
- a *single fact* answers a Python value, not a one-cell frame: a count (``due_soon_total``,
  ``table_total``, ``excluded_total``), the first month with data (``first_received_month``), a
  list of names (``levels_present``, ``procedure_fields``), the ``meta`` key/value facts
  (``database_meta``), the alert store's open pairs and due messages;
- the unit shapes come from a file, not the database (``load_unit_shapes``).

**Writes** (the import, the sample generator, the simulator, the summary maintenance, the alert
store) are here too, so the command line and the generator need no other door; the tables
(``dossiers``, ``units``…) are exported for the sample generator and the benchmarks, which
build rows in bulk.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from data_access import answers
from data_access.alerts import Message as AlertMessage
from data_access.alerts import active_frame as active_alerts
from data_access.alerts import active_pairs as active_alert_pairs
from data_access.alerts import due_messages as due_alert_messages
from data_access.alerts import ensure_tables as ensure_alert_tables
from data_access.alerts import mark_failed as mark_alert_failed
from data_access.alerts import mark_sent as mark_alert_sent
from data_access.alerts import pending as pending_alerts
from data_access.alerts import record as record_alerts
from data_access.answers import (
    DEFAULT_LIMIT,
    DIMENSIONS,
    FEEDBACK_COUNTERS,
    agency_names,
    database_meta,
    dossier_counts,
    feedback_counts,
    levels_present,
    monthly_counters,
    official_scores,
    overdue_open_dossiers,
    procedure_counts,
    raw_dossier_counts,
    raw_procedure_counts,
    target_rows,
    unit_counters,
    units_at_level,
)
from data_access.counters import DOSSIER_COUNTERS
from data_access.desks import desk_counts
from data_access.drilldown import AGENCY, level_counters, subject_months, subject_parts
from data_access.due_soon import DueSoonTimes, due_soon_by_agency, due_soon_dossiers, due_soon_total
from data_access.engine import file_identity, gather_statistics, make_engine, sqlite_path
from data_access.form06 import form_counts
from data_access.geo import ShapeFileError, UnitShapes, load_unit_shapes
from data_access.load import BATCH_ROWS, derive_dossier_columns, rebuild_unit_ancestors, upsert
from data_access.outlook import open_due_before_close
from data_access.quality import EXCLUDING, excluded_total, quality_counts, table_total
from data_access.schema import (
    ROW_STORE_INDEXES,
    agencies,
    create_indexes,
    create_schema,
    dossiers,
    feedback,
    meta,
    metadata,
    procedures,
    targets,
    unit_ancestors,
    units,
)
from data_access.summaries.cells import cells as summary_cells
from data_access.summaries.maintain import WRITTEN_TABLES as SUMMARY_TABLES
from data_access.summaries.maintain import (
    absorb_changes,
    absorb_pending,
    unreadable_summaries,
    vacuum_summaries,
)
from data_access.summaries.maintain import is_current as summaries_current
from data_access.summaries.maintain import outdated as summaries_outdated
from data_access.summaries.maintain import rebuild as rebuild_summaries
from data_access.summaries.maintain import rebuild_database as rebuild_database_summaries
from data_access.summaries.maintain import recompute_months as recompute_summary_months
from data_access.summaries.maintain import refresh as refresh_summaries
from data_access.trends import (
    first_received_month,
    monthly_feedback,
    monthly_provision,
    mostly_paper_procedures,
    procedure_fields,
    processing_by_procedure,
    unsatisfied_by,
)
from data_access.wall import intake_by_hour, open_dossiers, recent_dossiers, save_dossiers, unrated_finished

if TYPE_CHECKING:
    from data_access.importer import ImportResult
    from data_access.load_dossiers import Progress


def import_folder(
    folder: str | Path,
    url: str,
    *,
    now: dt.datetime | None = None,
    allow_moves: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check and load the exchange-format ``folder`` into the database at ``url``
    (:func:`data_access.importer.import_folder`, imported on first use: the screens never import,
    so their processes do not load the importer).
    """
    from data_access.importer import import_folder as run

    return run(folder, url, now=now, allow_moves=allow_moves, progress=progress)


def use_summaries(on: bool) -> None:
    """Read the counters from the summary tables where they can answer (``True``, the default),
    or send every figure to the dossier table (``False``): the reference the summaries are tested
    equal to, and the benchmark's "raw SQL" approach.
    """
    answers.USE_SUMMARIES = on


__all__ = [
    "AGENCY",
    "BATCH_ROWS",
    "DEFAULT_LIMIT",
    "DIMENSIONS",
    "DOSSIER_COUNTERS",
    "EXCLUDING",
    "FEEDBACK_COUNTERS",
    "ROW_STORE_INDEXES",
    "SUMMARY_TABLES",
    "AlertMessage",
    "DueSoonTimes",
    "ShapeFileError",
    "UnitShapes",
    "absorb_changes",
    "absorb_pending",
    "active_alert_pairs",
    "active_alerts",
    "agencies",
    "agency_names",
    "create_indexes",
    "create_schema",
    "database_meta",
    "derive_dossier_columns",
    "desk_counts",
    "dossier_counts",
    "dossiers",
    "due_alert_messages",
    "due_soon_by_agency",
    "due_soon_dossiers",
    "due_soon_total",
    "ensure_alert_tables",
    "excluded_total",
    "feedback",
    "feedback_counts",
    "file_identity",
    "first_received_month",
    "form_counts",
    "gather_statistics",
    "import_folder",
    "intake_by_hour",
    "level_counters",
    "levels_present",
    "load_unit_shapes",
    "make_engine",
    "mark_alert_failed",
    "mark_alert_sent",
    "meta",
    "metadata",
    "monthly_counters",
    "monthly_feedback",
    "monthly_provision",
    "mostly_paper_procedures",
    "official_scores",
    "open_dossiers",
    "open_due_before_close",
    "overdue_open_dossiers",
    "pending_alerts",
    "procedure_counts",
    "procedure_fields",
    "procedures",
    "processing_by_procedure",
    "quality_counts",
    "raw_dossier_counts",
    "raw_procedure_counts",
    "rebuild_database_summaries",
    "rebuild_summaries",
    "rebuild_unit_ancestors",
    "recent_dossiers",
    "recompute_summary_months",
    "record_alerts",
    "refresh_summaries",
    "save_dossiers",
    "sqlite_path",
    "subject_months",
    "subject_parts",
    "summaries_current",
    "summaries_outdated",
    "summary_cells",
    "table_total",
    "target_rows",
    "targets",
    "unit_ancestors",
    "unit_counters",
    "units",
    "units_at_level",
    "unrated_finished",
    "unreadable_summaries",
    "unsatisfied_by",
    "upsert",
    "use_summaries",
    "vacuum_summaries",
]
