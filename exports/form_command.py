"""``python cli.py form 06``: Biểu 06/VPCP/KSTT as XLSX or PDF from the command line.

Reads the database read-only, builds the same document as the press room's "Báo cáo" section
(``exports.form06``) and writes it into a folder, one line per file (path and milliseconds).
Bad input (period, layout, level, an unreadable database, a folder that cannot be written)
prints one clear line and exits 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

import settings
from timebase.period import PeriodError, configured_now

FORMS: tuple[str, ...] = ("06",)
FORM_FORMATS: tuple[str, ...] = ("xlsx", "pdf")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``form`` sub-command's options."""
    parser.add_argument("form", choices=FORMS, help="the form's number (06: Biểu 06/VPCP/KSTT)")
    parser.add_argument(
        "--period", required=True, help="2026-10, 2026-Q3, 2026-H1, 2026 or 2026-01-15..2026-02-20"
    )
    parser.add_argument(
        "--by", default="unit", choices=("unit", "field"), help="rows by handling unit or field"
    )
    parser.add_argument(
        "--level", default=None, help="by unit: the deepest level listed (default: the deepest)"
    )
    parser.add_argument("--format", default="xlsx", choices=(*FORM_FORMATS, "all"))
    parser.add_argument("--out", default=".", help="folder to write into (created if missing)")
    parser.add_argument("--database", default=None, help="SQLAlchemy URL (default: the configured one)")
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))


def run_form(args: argparse.Namespace) -> int:
    """Write the files; 0 on success, 2 on bad input or an unreadable database."""
    from data_access.queries import make_engine
    from exports.form06 import FormError, build_form, parse_form_period
    from exports.form06_pdf import to_pdf
    from exports.form06_xlsx import to_xlsx

    try:
        now = configured_now()
        period = parse_form_period(args.period, now)
        engine = make_engine(args.database or settings.database_url())
        try:
            doc = build_form(engine, period, args.by, args.level, args.lang, today=now.date())
        finally:
            engine.dispose()
    except (PeriodError, FormError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, SQLAlchemyError) as exc:
        reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        print(f"error: cannot read the database: {reason}", file=sys.stderr)
        return 2
    writers = {"xlsx": to_xlsx, "pdf": to_pdf}
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for fmt in FORM_FORMATS if args.format == "all" else (args.format,):
            started = time.perf_counter()
            path = out / f"{doc.file_stem}.{fmt}"
            path.write_bytes(writers[fmt](doc))
            print(f"{path} ({(time.perf_counter() - started) * 1000:.0f} ms)")
    except OSError as exc:
        print(f"error: cannot write to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0
