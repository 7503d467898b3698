"""Command line of the IOC dashboard: sample, import, report.

    python cli.py sample [--database URL] [--seed N] [--scale X] [--profile three_tier|two_tier]
    python cli.py import DIR --database URL
    python cli.py report --database URL --level district --start 2026-10-01 --end 2026-10-31
                         [--as-of 2026-10-31T23:59:59] [--format json|csv]

Every command prints a clear message and exits non-zero on bad input; none prints a traceback
for a problem the user can fix.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

import settings


def _cmd_sample(args: argparse.Namespace) -> int:
    from sample_data.generate import build_sample

    url = args.database or settings.database_url()
    summary = build_sample(
        url,
        seed=args.seed,
        scale=args.scale,
        profile=args.profile,
        progress=lambda done, msg: print(f"[{done:5.0%}] {msg}", file=sys.stderr),
    )
    print(summary)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from data_access.importer import import_folder

    result = import_folder(args.dir, args.database)
    for line in result.messages():
        print(line, file=sys.stderr if result.rejected else sys.stdout)
    return 1 if result.rejected or result.fatal else 0


def _cmd_report(args: argparse.Namespace) -> int:
    from report import ReportError, run_report

    try:
        print(run_report(args.database, args.level, args.start, args.end, args.as_of, args.format))
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(prog="cli.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sample", help="build the sample province database")
    p.add_argument("--database", help="target URL (default: the embedded sample file)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--scale", type=float, default=1.0, help="dossier volume multiplier (1 ≈ 300k)")
    p.add_argument("--profile", choices=["three_tier", "two_tier"], default="three_tier")
    p.set_defaults(func=_cmd_sample)

    p = sub.add_parser("import", help="load an exchange-format folder into a database")
    p.add_argument("dir", help="folder with units.csv, agencies.csv, procedures.csv, dossiers.csv")
    p.add_argument("--database", required=True, help="target SQLAlchemy URL")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("report", help="print the metrics of every unit of a level")
    p.add_argument("--database", default=None, help="SQLAlchemy URL (default: configured one)")
    p.add_argument("--level", default="district")
    p.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--end", required=True, help="last day, YYYY-MM-DD (inclusive)")
    p.add_argument("--as-of", dest="as_of", default=None, help="ISO time the figures are taken at")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.set_defaults(func=_cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    return func(args)


if __name__ == "__main__":
    sys.exit(main())
