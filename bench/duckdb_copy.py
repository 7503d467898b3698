"""Copy a benchmark SQLite database into DuckDB (the floor of issue 8: a full DuckDB scan).

    python -m bench.duckdb_copy SQLITE_FILE DUCKDB_FILE

The dossier tables only, no summaries: on DuckDB every query of the app then runs on the raw
dossier table, a full columnar scan on both cores, the fastest any scan of the same figures can
be here. DuckDB's own SQLite reader is an extension downloaded at first use, which this machine
cannot do, so rows travel through pandas in chunks.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

from data_access.queries import create_schema, make_engine, metadata

CHUNK = 500_000


def copy(source: Path, target: Path) -> int:
    """Copy every table of the schema; returns the dossiers copied."""
    target.unlink(missing_ok=True)
    engine = make_engine(f"duckdb:///{target}", read_only=False)
    create_schema(engine)
    engine.dispose()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = duckdb.connect(str(target))
    copied = 0
    for table in metadata.sorted_tables:
        names = [c.name for c in table.columns]
        cursor = src.execute(f"SELECT {', '.join(names)} FROM {table.name}")  # names from our schema
        while rows := cursor.fetchmany(CHUNK):
            chunk = pd.DataFrame(rows, columns=names)
            dst.register("chunk", chunk)
            dst.execute(f"INSERT INTO {table.name} SELECT * FROM chunk")
            dst.unregister("chunk")
            if table.name == "dossiers":
                copied += len(chunk)
    dst.execute("CHECKPOINT")
    dst.close()
    src.close()
    return copied


def main() -> None:
    """Command line."""
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    started = time.perf_counter()
    n = copy(source, target)
    print(f"copied {n:,} dossiers to {target} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
