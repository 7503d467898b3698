"""``python cli.py export``: the Press room's files from the command line, for scheduled publication.

Reads the database directly (read-only engine), builds the same figure as the page, and writes
the asked formats into a folder. Bad input (period, chart, level, unit, metric, an unreadable
database) prints one clear line and exits with status 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

import settings
from data_access.queries import make_engine
from exports.options import FORMATS
from exports.request import ExportError, ExportRequest
from exports.source import EngineSource
from timebase.period import PeriodError, configured_now, parse_period

if TYPE_CHECKING:
    from exports.figures import Figure


def _figure(args: argparse.Namespace) -> Figure:
    """The figure the arguments ask for; raises PeriodError, ExportError or a database error."""
    from exports.figures import build_figure  # Altair and vl-convert load only for an export
    from metrics.score766 import rule_set

    period = parse_period(args.period, configured_now())
    engine = make_engine(args.database or settings.database_url())
    try:
        request = ExportRequest(args.chart, period, args.level, args.unit, args.metric, args.lang)
        return build_figure(
            request,
            EngineSource(engine),
            min_cell=int(settings.get("IOC_MIN_CELL")),
            min_dossiers=int(settings.get("IOC_MIN_DOSSIERS")),
            rules=rule_set(str(settings.get("IOC_SCORE_RULES"))),
        )
    finally:
        engine.dispose()


def _write(figure: Figure, fmt: str, out: Path) -> None:
    """Render and write the asked format (or all of them); one line per file with its time."""
    from exports.render import file_name, render

    out.mkdir(parents=True, exist_ok=True)
    for one in FORMATS if fmt == "all" else (fmt,):
        started = time.perf_counter()
        path = out / file_name(figure, one)
        path.write_bytes(render(figure, one))
        print(f"{path} ({(time.perf_counter() - started) * 1000:.0f} ms)")


def run_export(args: argparse.Namespace) -> int:
    """Write the files; print one line per file (path and milliseconds); 0 on success, 2 otherwise."""
    try:
        figure = _figure(args)
    except (PeriodError, ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, SQLAlchemyError) as exc:
        reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        print(f"error: cannot read the database: {reason}", file=sys.stderr)
        return 2
    try:
        _write(figure, args.format, Path(args.out))
    except OSError as exc:
        print(f"error: cannot write to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0
