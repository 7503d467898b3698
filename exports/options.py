"""What an export can be asked for, and the ``cli.py export`` options; imports nothing heavy, so
building the command-line parser stays instant for every sub-command.
"""

from __future__ import annotations

import argparse

CHARTS: tuple[str, ...] = ("headline", "ranking", "trend", "map", "channels", "score")
#: Charts about one unit (default: the province); the others show every unit of a level.
UNIT_CHARTS: tuple[str, ...] = ("headline", "trend")
#: File formats: the chart as PNG (2×), SVG, PDF, and the data behind it as CSV and XLSX.
FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "csv", "xlsx")
DEFAULT_METRIC = "on_time_rate"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The export sub-command's options."""
    parser.add_argument("--chart", required=True, choices=CHARTS)
    parser.add_argument("--period", required=True, help="2026-10, 2026-Q3, 2026 or 2026-10-01..2026-10-15")
    parser.add_argument(
        "--level", default=None, help="ranking, map, channels, score: unit level (default: below province)"
    )
    parser.add_argument(
        "--unit",
        default=None,
        help="headline, trend: the unit (default: the province); ranking, map: highlighted",
    )
    parser.add_argument("--metric", default=DEFAULT_METRIC, help="ranking, trend, map: a registry metric")
    parser.add_argument("--format", default="pdf", choices=(*FORMATS, "all"))
    parser.add_argument("--out", default=".", help="folder to write into (created if missing)")
    parser.add_argument("--database", default=None, help="SQLAlchemy URL (default: the configured one)")
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
